/*
 * test_syscalls - the one system call table (bpf/syscalls.h): every entry
 * has the number the C library gives its name, names come back for those
 * numbers only, and each call is followed for kinds that exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/types.h>
#include <cmocka.h>
#include "bpf/events.h"
#include "bpf/syscalls.h"
#include "lib/syscall_names.h"

/* The table's numbers are x86_64's; on that host <sys/syscall.h> is an
 * independent witness of each one. */
static void test_numbers_match_libc(void **state)
{
#ifdef __x86_64__
#define CHECK_NUMBER(name, number, handler, kinds) \
	assert_int_equal(number, SYS_##name);
	IPCT_SYSCALLS(CHECK_NUMBER)
#undef CHECK_NUMBER
#else
	skip();
#endif
}

static void test_names(void **state)
{
	unsigned int entries = 0, named = 0;

	assert_string_equal(ipct_syscall_name(0), "read");
	assert_string_equal(ipct_syscall_name(17), "pread64");
	assert_string_equal(ipct_syscall_name(243), "mq_timedreceive");
	assert_string_equal(ipct_syscall_name(437), "openat2");
	assert_null(ipct_syscall_name(39));	/* getpid: not followed */
	assert_null(ipct_syscall_name(~0u));
#define CHECK_NAME(name, number, handler, kinds) \
	entries++; \
	assert_string_equal(ipct_syscall_name(number), #name);
	IPCT_SYSCALLS(CHECK_NAME)
#undef CHECK_NAME
	for (unsigned int nr = 0; nr < 1024; nr++)
		named += ipct_syscall_name(nr) != NULL;
	assert_int_equal(named, entries);	/* and no number twice */
}

static void test_kinds(void **state)
{
#define CHECK_KINDS(name, number, handler, kinds) \
	assert_int_not_equal((kinds), 0); \
	assert_int_equal((kinds) & ~IPCT_KINDS_ALL, 0);
	IPCT_SYSCALLS(CHECK_KINDS)
#undef CHECK_KINDS
	assert_int_equal(IPCT_KINDS_ALL, 0xffe);
	assert_int_equal(IPCT_KINDS_SOCKET & IPCT_KIND_BIT(IPCT_KIND_UNIX), IPCT_KIND_BIT(IPCT_KIND_UNIX));
	assert_int_equal(IPCT_KINDS_SOCKET & IPCT_KIND_BIT(IPCT_KIND_FILE), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_match_libc),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
