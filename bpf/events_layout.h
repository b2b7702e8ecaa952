/*
 * events_layout.h - the record layout that trace files store, checked by
 * the compiler.
 *
 * Included at the end of events.h, so every user of the records (clang for
 * the BPF object, cc for user space) compiles these checks: a change of a
 * record's size or of a key offset fails the build.  A new record gets its
 * lines here; no record has implicit padding (cc -Wpadded stays quiet).
 */
#ifndef IPCTRACE_EVENTS_LAYOUT_H
#define IPCTRACE_EVENTS_LAYOUT_H

#define IPCT_ASSERT_SIZE(s, n) \
	_Static_assert(sizeof(struct s) == (n), "struct " #s " changed size")
#define IPCT_ASSERT_OFFSET(s, f, n) \
	_Static_assert(__builtin_offsetof(struct s, f) == (n), #s "." #f " moved")

IPCT_ASSERT_SIZE(ipct_event_header, 24);
IPCT_ASSERT_OFFSET(ipct_event_header, pid, 8);
IPCT_ASSERT_OFFSET(ipct_event_header, type, 16);
IPCT_ASSERT_OFFSET(ipct_event_header, size, 18);
IPCT_ASSERT_OFFSET(ipct_event_header, cpu, 20);

IPCT_ASSERT_SIZE(ipct_fork_event, 56);
IPCT_ASSERT_OFFSET(ipct_fork_event, child_pid, 24);
IPCT_ASSERT_OFFSET(ipct_fork_event, flags, 32);
IPCT_ASSERT_OFFSET(ipct_fork_event, comm, 40);

IPCT_ASSERT_SIZE(ipct_exec_event, 304);
IPCT_ASSERT_OFFSET(ipct_exec_event, comm, 32);
IPCT_ASSERT_OFFSET(ipct_exec_event, filename, 48);

IPCT_ASSERT_SIZE(ipct_exit_event, 32);
IPCT_ASSERT_OFFSET(ipct_exit_event, flags, 28);

IPCT_ASSERT_SIZE(ipct_pipe_event, 64);
IPCT_ASSERT_OFFSET(ipct_pipe_event, ino, 32);
IPCT_ASSERT_OFFSET(ipct_pipe_event, read_fd, 48);
IPCT_ASSERT_OFFSET(ipct_pipe_event, flags, 56);

IPCT_ASSERT_SIZE(ipct_inet_addr, 24);
IPCT_ASSERT_OFFSET(ipct_inet_addr, port, 16);
IPCT_ASSERT_OFFSET(ipct_inet_addr, family, 18);

IPCT_ASSERT_SIZE(ipct_io_event, 144);
IPCT_ASSERT_OFFSET(ipct_io_event, ino, 40);
IPCT_ASSERT_OFFSET(ipct_io_event, dev, 56);
IPCT_ASSERT_OFFSET(ipct_io_event, syscall, 64);
IPCT_ASSERT_OFFSET(ipct_io_event, kind, 66);
IPCT_ASSERT_OFFSET(ipct_io_event, dir, 67);
IPCT_ASSERT_OFFSET(ipct_io_event, offset, 72);
IPCT_ASSERT_OFFSET(ipct_io_event, local, 88);
IPCT_ASSERT_OFFSET(ipct_io_event, remote, 112);
IPCT_ASSERT_OFFSET(ipct_io_event, payload_len, 140);
IPCT_ASSERT_OFFSET(ipct_io_event, payload, 144);

IPCT_ASSERT_SIZE(ipct_stream_event, 88);
IPCT_ASSERT_OFFSET(ipct_stream_event, duration_ns, 24);
IPCT_ASSERT_OFFSET(ipct_stream_event, ino, 40);
IPCT_ASSERT_OFFSET(ipct_stream_event, dev, 56);
IPCT_ASSERT_OFFSET(ipct_stream_event, syscall, 64);
IPCT_ASSERT_OFFSET(ipct_stream_event, kind, 66);
IPCT_ASSERT_OFFSET(ipct_stream_event, dir, 67);
IPCT_ASSERT_OFFSET(ipct_stream_event, flags, 68);
IPCT_ASSERT_OFFSET(ipct_stream_event, offset, 72);
IPCT_ASSERT_OFFSET(ipct_stream_event, payload_len, 80);
IPCT_ASSERT_OFFSET(ipct_stream_event, payload, 88);

IPCT_ASSERT_SIZE(ipct_open_event, 328);
IPCT_ASSERT_OFFSET(ipct_open_event, generation, 320);
IPCT_ASSERT_OFFSET(ipct_open_event, ino, 40);
IPCT_ASSERT_OFFSET(ipct_open_event, syscall, 60);
IPCT_ASSERT_OFFSET(ipct_open_event, kind, 62);
IPCT_ASSERT_OFFSET(ipct_open_event, path, 64);

IPCT_ASSERT_SIZE(ipct_msg_event, 184);
IPCT_ASSERT_OFFSET(ipct_msg_event, id, 40);
IPCT_ASSERT_OFFSET(ipct_msg_event, ino, 80);
IPCT_ASSERT_OFFSET(ipct_msg_event, syscall, 104);
IPCT_ASSERT_OFFSET(ipct_msg_event, op, 106);
IPCT_ASSERT_OFFSET(ipct_msg_event, name, 112);
IPCT_ASSERT_OFFSET(ipct_msg_event, payload_len, 176);
IPCT_ASSERT_OFFSET(ipct_msg_event, queue_flags, 180);
IPCT_ASSERT_OFFSET(ipct_msg_event, payload, 184);

IPCT_ASSERT_SIZE(ipct_sembuf, 8);

IPCT_ASSERT_SIZE(ipct_sem_event, 136);
IPCT_ASSERT_OFFSET(ipct_sem_event, id, 40);
IPCT_ASSERT_OFFSET(ipct_sem_event, syscall, 68);
IPCT_ASSERT_OFFSET(ipct_sem_event, op, 70);
IPCT_ASSERT_OFFSET(ipct_sem_event, ops, 72);

IPCT_ASSERT_SIZE(ipct_shm_event, 104);
IPCT_ASSERT_OFFSET(ipct_shm_event, id, 40);
IPCT_ASSERT_OFFSET(ipct_shm_event, ino, 72);
IPCT_ASSERT_OFFSET(ipct_shm_event, syscall, 96);
IPCT_ASSERT_OFFSET(ipct_shm_event, op, 98);

IPCT_ASSERT_SIZE(ipct_touch_event, 72);
IPCT_ASSERT_OFFSET(ipct_touch_event, addr, 24);
IPCT_ASSERT_OFFSET(ipct_touch_event, ino, 32);
IPCT_ASSERT_OFFSET(ipct_touch_event, page, 40);
IPCT_ASSERT_OFFSET(ipct_touch_event, dev, 56);
IPCT_ASSERT_OFFSET(ipct_touch_event, error_code, 64);
IPCT_ASSERT_OFFSET(ipct_touch_event, flags, 68);
IPCT_ASSERT_OFFSET(ipct_touch_event, pad, 70);

IPCT_ASSERT_SIZE(ipct_signal_event, 88);
IPCT_ASSERT_OFFSET(ipct_signal_event, sig, 40);
IPCT_ASSERT_OFFSET(ipct_signal_event, value, 64);
IPCT_ASSERT_OFFSET(ipct_signal_event, syscall, 80);
IPCT_ASSERT_OFFSET(ipct_signal_event, op, 82);

IPCT_ASSERT_SIZE(ipct_sock_event, 256);
IPCT_ASSERT_OFFSET(ipct_sock_event, ino, 40);
IPCT_ASSERT_OFFSET(ipct_sock_event, syscall, 68);
IPCT_ASSERT_OFFSET(ipct_sock_event, op, 70);
IPCT_ASSERT_OFFSET(ipct_sock_event, family, 72);
IPCT_ASSERT_OFFSET(ipct_sock_event, local, 88);
IPCT_ASSERT_OFFSET(ipct_sock_event, path, 136);
IPCT_ASSERT_OFFSET(ipct_sock_event, path_len, 244);
IPCT_ASSERT_OFFSET(ipct_sock_event, pad3, 252);

IPCT_ASSERT_SIZE(ipct_stat_key, 32);
IPCT_ASSERT_OFFSET(ipct_stat_key, dev, 8);
IPCT_ASSERT_OFFSET(ipct_stat_key, obj, 16);

IPCT_ASSERT_SIZE(ipct_stat_value, 160);
IPCT_ASSERT_OFFSET(ipct_stat_value, hist, 32);

IPCT_ASSERT_SIZE(ipct_stat_event, 216);
IPCT_ASSERT_OFFSET(ipct_stat_event, value, 56);
IPCT_ASSERT_SIZE(ipct_stat_endpoint_event, 104);
IPCT_ASSERT_OFFSET(ipct_stat_endpoint_event, local, 56);
IPCT_ASSERT_OFFSET(ipct_stat_endpoint_event, remote, 80);

IPCT_ASSERT_SIZE(ipct_unfollowed_event, 56);
IPCT_ASSERT_OFFSET(ipct_unfollowed_event, syscall, 48);

IPCT_ASSERT_SIZE(ipct_passed_fd, 32);
IPCT_ASSERT_OFFSET(ipct_passed_fd, dev, 16);
IPCT_ASSERT_OFFSET(ipct_passed_fd, kind, 30);
IPCT_ASSERT_SIZE(ipct_fdpass_event, 328);
IPCT_ASSERT_OFFSET(ipct_fdpass_event, ino, 40);
IPCT_ASSERT_OFFSET(ipct_fdpass_event, sock_fd, 56);
IPCT_ASSERT_OFFSET(ipct_fdpass_event, syscall, 60);
IPCT_ASSERT_OFFSET(ipct_fdpass_event, npassed, 64);
IPCT_ASSERT_OFFSET(ipct_fdpass_event, fds, 72);

IPCT_ASSERT_SIZE(ipct_eventfd_event, 64);
IPCT_ASSERT_OFFSET(ipct_eventfd_event, id, 40);
IPCT_ASSERT_OFFSET(ipct_eventfd_event, initval, 48);
IPCT_ASSERT_OFFSET(ipct_eventfd_event, syscall, 56);

IPCT_ASSERT_SIZE(ipct_unix_name_event, 160);
IPCT_ASSERT_OFFSET(ipct_unix_name_event, ino, 24);
IPCT_ASSERT_OFFSET(ipct_unix_name_event, path_len, 44);
IPCT_ASSERT_OFFSET(ipct_unix_name_event, path, 48);
IPCT_ASSERT_OFFSET(ipct_unix_name_event, sock_type, 156);

IPCT_ASSERT_SIZE(ipct_fd_event, 376);
IPCT_ASSERT_OFFSET(ipct_fd_event, dev, 40);
IPCT_ASSERT_OFFSET(ipct_fd_event, kind, 64);
IPCT_ASSERT_OFFSET(ipct_fd_event, local, 72);
IPCT_ASSERT_OFFSET(ipct_fd_event, path, 120);

IPCT_ASSERT_SIZE(ipct_wait_fd, 32);
IPCT_ASSERT_OFFSET(ipct_wait_fd, ino, 8);
IPCT_ASSERT_OFFSET(ipct_wait_fd, dev, 24);

IPCT_ASSERT_SIZE(ipct_wait_event, 72);
IPCT_ASSERT_OFFSET(ipct_wait_event, nfds, 56);
IPCT_ASSERT_OFFSET(ipct_wait_event, syscall, 64);
IPCT_ASSERT_OFFSET(ipct_wait_event, fds, 72);

IPCT_ASSERT_SIZE(ipct_epoll_ctl_event, 88);
IPCT_ASSERT_OFFSET(ipct_epoll_ctl_event, epfd, 64);
IPCT_ASSERT_OFFSET(ipct_epoll_ctl_event, syscall, 80);

#endif /* IPCTRACE_EVENTS_LAYOUT_H */
