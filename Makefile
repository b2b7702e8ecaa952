# ipctrace - see README.md.  `make` builds ./trace, the demos and the tests;
# `sudo make demo` and `sudo make check` also install what they need.
# V=1 shows full commands; SANITIZE=address,undefined builds with sanitizers.

OUTPUT   := .output
CC       ?= cc
CLANG    ?= clang
BPFTOOL  ?= bpftool
# The BPF side knows the system calls of x86_64 only (bpf/syscalls.h): on
# another machine the BPF object stops with an error instead of building.
HOST_ARCH := $(shell uname -m)
BPF_ARCH  ?= $(if $(filter x86_64,$(HOST_ARCH)),x86)

CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ALL_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -I$(OUTPUT) -I.
LDFLAGS  ?=
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=$(SANITIZE)
endif
GVC_CFLAGS := $(shell pkg-config --cflags libgvc 2>/dev/null)
GVC_LIBS   := $(shell pkg-config --libs libgvc 2>/dev/null)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY: $(OUTPUT)/demos/demo_common.o
.PHONY: all deps demo check test race bench clean install uninstall deb docs-pictures

LIB_SRCS    := $(wildcard lib/*.c)
VIZ_SRCS    := $(wildcard viz/*.c)
TRACER_SRCS := $(wildcard tracer/*.c)
CLI_SRCS    := $(wildcard cli/*.c)
TRACE_OBJS  := $(patsubst %.c,$(OUTPUT)/%.o,$(CLI_SRCS) $(TRACER_SRCS))
LIB_OBJS    := $(patsubst %.c,$(OUTPUT)/%.o,$(LIB_SRCS))
VIZ_OBJS    := $(patsubst %.c,$(OUTPUT)/%.o,$(VIZ_SRCS))
# Static archives, so a program or a unit test pulls in only what it uses.
LIBIPCT     := $(OUTPUT)/libipct.a
LIBVIZ      := $(OUTPUT)/libviz.a

# Every demos/*.c and demos/classic/*.c is one program, linked with the
# shared helpers in demos/demo_common.c.
DEMO_COMMON := demos/demo_common.c
DEMO_SRCS   := $(filter-out $(DEMO_COMMON),$(wildcard demos/*.c demos/classic/*.c))
DEMOS       := $(DEMO_SRCS:.c=)

BENCH_SRCS  := $(wildcard bench/*.c)
BENCHES     := $(BENCH_SRCS:.c=)

UNIT_UTIL_SRCS := tests/unit/test_util.c tests/unit/test_util_trace.c
UNIT_SRCS   := $(filter-out $(UNIT_UTIL_SRCS),$(wildcard tests/unit/test_*.c))
UNIT_TESTS  := $(UNIT_SRCS:.c=)

all: trace $(DEMOS) $(UNIT_TESTS) $(BENCHES)

deps:
	$(Q)sh scripts/install-deps.sh

# ---- BPF: vmlinux.h from the running kernel's BTF, object, skeleton ----
$(OUTPUT)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)test -r /sys/kernel/btf/vmlinux || { echo "error: /sys/kernel/btf/vmlinux is missing: the kernel needs CONFIG_DEBUG_INFO_BTF=y" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(OUTPUT)/ipctrace.bpf.o: bpf/ipctrace.bpf.c $(wildcard bpf/*.h) $(OUTPUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)test -n "$(BPF_ARCH)" || { echo "error: ipctrace traces x86_64 only, not $(HOST_ARCH) (see bpf/syscalls.h)" >&2; exit 1; }
	$(Q)$(CLANG) -g -O2 -Wall -Wfatal-errors -target bpf -mcpu=v3 -D__TARGET_ARCH_$(BPF_ARCH) -I$(OUTPUT) -Ibpf \
		-c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(OUTPUT)/ipctrace.skel.h: $(OUTPUT)/ipctrace.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# ---- user space ----
$(OUTPUT)/tracer/%.o: tracer/%.c $(OUTPUT)/ipctrace.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -c $< -o $@

$(OUTPUT)/viz/%.o: viz/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(GVC_CFLAGS) -MMD -c $< -o $@

$(OUTPUT)/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -c $< -o $@

$(LIBIPCT): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBVIZ): $(VIZ_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

trace: $(TRACE_OBJS) $(LIBVIZ) $(LIBIPCT)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lbpf -lelf -lz $(GVC_LIBS) -lm -o $@

# Demos: plain C, no libraries beyond libc (and librt/pthread for POSIX IPC).
demos/%: demos/%.c $(OUTPUT)/demos/demo_common.o demos/demo_common.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(OUTPUT)/demos/demo_common.o -lrt -lpthread -lm -o $@

# Benchmark workloads: plain C.
bench/%: bench/%.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< -o $@

# demos/ipcbench is the one demo in several files: its IPC methods live in
# demos/ipcbench_methods/ (a directory cannot share the program's name).
IPCBENCH_SRCS := $(wildcard demos/ipcbench_methods/*.c)
demos/ipcbench: demos/ipcbench.c $(IPCBENCH_SRCS) demos/ipcbench_methods/ipcbench.h $(OUTPUT)/demos/demo_common.o demos/demo_common.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(IPCBENCH_SRCS) $(OUTPUT)/demos/demo_common.o -lrt -lpthread -lm -o $@

# Unit tests: cmocka, linked with the archives they test and the shared
# helpers of tests/unit/test_util*.c (compiled once); rebuilt when a header
# they may include changes.
UNIT_UTIL    := $(patsubst %.c,$(OUTPUT)/%.o,$(UNIT_UTIL_SRCS))
UNIT_HEADERS := $(wildcard bpf/*.h lib/*.h viz/*.h tests/unit/*.h)
tests/unit/test_%: tests/unit/test_%.c $(UNIT_UTIL) $(LIBVIZ) $(LIBIPCT) $(UNIT_HEADERS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(GVC_CFLAGS) $(LDFLAGS) $(filter %.c %.o %.a,$^) -lcmocka -lz $(GVC_LIBS) -lm -o $@

# ---- fuzzing: libFuzzer with ASan and UBSan (clang) ----
# fuzz_trace_reader: the reader alone; fuzz_model: the reader, the model
# build and the outputs drawn without Graphviz; fuzz_dump: `trace dump`
# itself (the tool's main() built as trace_main).  Objects are built once
# per source in $(FUZZ_OUT)/obj.  FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
# makes the reader ignore CRC mismatches so mutations reach the parsers.
# `make fuzz` runs each target FUZZ_TIME seconds (a smoke run in `make
# check`); `make fuzz-long` runs each 10 minutes, all at once.
FUZZ_OUT     := $(OUTPUT)/fuzz
FUZZ_TARGETS := fuzz_trace_reader fuzz_model fuzz_dump
FUZZ_TIME    ?= 60
FUZZ_LONG_TIME ?= 600
FUZZ_SMOKE_TIME ?= 12
# Seconds one input may take: past it, libFuzzer reports a hang as a failure.
FUZZ_UNIT_TIMEOUT ?= 30
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
	-std=gnu11 -D_GNU_SOURCE -I$(OUTPUT) -I. $(GVC_CFLAGS)
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
fuzz_objs     = $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(1))
.PHONY: fuzz fuzz-long fuzz-build

$(FUZZ_OUT)/obj/%.o: %.c
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -MMD -c $< -o $@
$(FUZZ_OUT)/obj/tracer/%.o: tracer/%.c $(OUTPUT)/ipctrace.skel.h
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -MMD -c $< -o $@
$(FUZZ_OUT)/obj/cli/main.o: cli/main.c
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -Dmain=trace_main -MMD -c $< -o $@

$(FUZZ_OUT)/fuzz_trace_reader: $(call fuzz_objs,fuzz/fuzz_trace_reader.c $(LIB_SRCS))
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_LDFLAGS) $^ -lz -o $@
$(FUZZ_OUT)/fuzz_model: $(call fuzz_objs,fuzz/fuzz_model.c $(VIZ_SRCS) $(LIB_SRCS))
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_LDFLAGS) $^ -lz $(GVC_LIBS) -lm -o $@
$(FUZZ_OUT)/fuzz_dump: $(call fuzz_objs,fuzz/fuzz_dump.c $(CLI_SRCS) $(TRACER_SRCS) $(VIZ_SRCS) $(LIB_SRCS))
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_LDFLAGS) $^ -lbpf -lelf -lz $(GVC_LIBS) -lm -o $@

fuzz-build: $(addprefix $(FUZZ_OUT)/,$(FUZZ_TARGETS))

# Run every target for FUZZ_TIME seconds, one after the other, each with
# its own growing corpus; the last lines of each log are the run counts.
fuzz: fuzz-build
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_OUT)/corpus-$$t && \
		printf '  %-8s %s, %s s (log: %s)\n' FUZZ $$t $(FUZZ_TIME) $(FUZZ_OUT)/$$t.log && \
		$(FUZZ_OUT)/$$t -max_total_time=$(FUZZ_TIME) -timeout=$(FUZZ_UNIT_TIMEOUT) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_OUT)/$$t- \
			$(FUZZ_OUT)/corpus-$$t fuzz/corpus >$(FUZZ_OUT)/$$t.log 2>&1 || \
		{ tail -n 60 $(FUZZ_OUT)/$$t.log; echo "fuzz: $$t FAILED"; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_OUT)/$$t.log | tr '\n' ' '; echo; \
	done

# The 10-minute run of every target, in parallel (logs as for `fuzz`).
fuzz-long: fuzz-build
	$(Q)pids=; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_OUT)/corpus-$$t; \
		$(FUZZ_OUT)/$$t -max_total_time=$(FUZZ_LONG_TIME) -timeout=$(FUZZ_UNIT_TIMEOUT) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_OUT)/$$t- \
			$(FUZZ_OUT)/corpus-$$t fuzz/corpus >$(FUZZ_OUT)/$$t-long.log 2>&1 & \
		pids="$$pids $$!"; \
	done; fail=0; for p in $$pids; do wait $$p || fail=1; done; \
	for t in $(FUZZ_TARGETS); do \
		printf '%s: ' $$t; grep -E '^stat::number_of_executed_units|^Done|ERROR|SUMMARY' \
			$(FUZZ_OUT)/$$t-long.log | tr '\n' ' '; echo; \
	done; exit $$fail

# ---- the sanitizer pass: the same tests on an ASan+UBSan build ----
# A copy of the source tree (the files git knows, plus new untracked ones)
# in $(SAN_DIR), built there with SANITIZE=$(SAN_SANITIZE), so the normal
# build is untouched.  Sanitizer reports go to $(SAN_DIR)/reports/ (also
# from processes whose stderr a test discards); any report fails the pass.
# Leaks inside third-party libraries are suppressed in one file,
# tests/sanitizer/lsan.supp.  SAN_TESTS picks the scripts: all of them
# for `make check-sanitize`; `make check` runs SAN_CHECK_TESTS, the unit
# tests, the reader tests and one recording (README.md says why).
# Unit tests that bound speed skip themselves (IPCT_SANITIZER_PASS), and
# intercept_strstr=0 keeps ASan's strstr check (a strlen of the haystack
# per call) from making the tests' substring counts quadratic.
SAN_DIR      := $(OUTPUT)/sanitize
SAN_SANITIZE ?= address,undefined
SAN_TESTS    ?= tests/t*.sh
SAN_CHECK_TESTS ?= tests/t0100-unit.sh tests/t12[0-9][0-9]-read-*.sh tests/t1000-record-pipe-sum.sh
SAN_ENV = IPCT_SANITIZER_PASS=1 ASAN_OPTIONS=log_path=$(CURDIR)/$(SAN_DIR)/reports/asan:exitcode=86:detect_leaks=1:intercept_strstr=0 \
	UBSAN_OPTIONS=log_path=$(CURDIR)/$(SAN_DIR)/reports/ubsan:halt_on_error=1:exitcode=86:print_stacktrace=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp:print_suppressions=0
.PHONY: sanitize-copy sanitize-build check-sanitize
sanitize-copy:
	$(Q)mkdir -p $(SAN_DIR)
	$(Q)git ls-files -co --exclude-standard | sort >$(SAN_DIR)/.files.new
	$(Q)if [ -f $(SAN_DIR)/.files ]; then \
		comm -23 $(SAN_DIR)/.files $(SAN_DIR)/.files.new | (cd $(SAN_DIR) && xargs -r rm -f); fi
	$(Q)tar -cf - -T $(SAN_DIR)/.files.new | tar -xpf - -C $(SAN_DIR)
	$(Q)mv $(SAN_DIR)/.files.new $(SAN_DIR)/.files
sanitize-build: sanitize-copy
	$(call msg,SANITIZE,build with $(SAN_SANITIZE) in $(SAN_DIR))
	$(Q)$(MAKE) --no-print-directory -C $(SAN_DIR) SANITIZE=$(SAN_SANITIZE) all
check-sanitize: sanitize-build
	$(call msg,SANITIZE,$(SAN_TESTS) (reports: $(SAN_DIR)/reports))
	$(Q)rm -rf $(SAN_DIR)/reports && mkdir -p $(SAN_DIR)/reports
	$(Q)cd $(SAN_DIR) && env $(SAN_ENV) prove -j1 $(SAN_TESTS)
	$(Q)if [ -n "$$(ls $(SAN_DIR)/reports)" ]; then \
		head -n 40 $(SAN_DIR)/reports/*; echo "sanitize: reports in $(SAN_DIR)/reports"; exit 1; fi

-include $(shell find $(OUTPUT) -name '*.d' 2>/dev/null)

# ---- the two set-up-and-go targets (see README.md) ----
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh scripts/demo.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory test
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_SMOKE_TIME)
	$(Q)$(MAKE) --no-print-directory check-sanitize SAN_TESTS="$(SAN_CHECK_TESTS)"

# A sanitized build (SANITIZE=...) tells the tests so, as the sanitizer
# pass does (SAN_ENV): speed bounds skip, workloads linking libipct.a get
# the same sanitizers, ASan's strstr check stays off, and leaks inside
# third-party libraries are suppressed.
SAN_TEST_ENV = IPCT_SANITIZER_PASS=1 ASAN_OPTIONS=intercept_strstr=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp:print_suppressions=0
test:
	$(Q)$(if $(SANITIZE),$(SAN_TEST_ENV)) prove -j1 tests/t*.sh

# The PNGs of docs/pictures.md: the "after" graphs and timelines drawn from
# the stored traces by this ./trace, every SVG there screenshot by headless
# Chromium (the "before" SVGs were drawn by earlier versions of ipctrace).
DOC_PICTURES := find multiprocessing
docs-pictures: trace
	$(Q)for p in $(DOC_PICTURES); do \
		./trace graph -o docs/pictures/$$p-after.svg docs/pictures/$$p.ipct || exit 1; \
		./trace timeline -o docs/pictures/$$p-timeline-after.svg docs/pictures/$$p.ipct || exit 1; \
	done
	$(Q)for f in docs/pictures/*.svg; do sh scripts/svg2png.sh $$f || exit 1; done

# The symlink race of tests/t1110 at full length: 200 recordings (about
# 0.7 s each here, most of it the verifier); `make check` runs 30.
race: trace
	$(Q)IPCTRACE_RACE_RUNS=200 prove -v tests/t1110-record-symlink-race.sh

bench:
	$(Q)sh scripts/install-deps.sh bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh scripts/bench.sh

# ---- install: `trace` becomes `ipctrace` (the name is free in Debian) ----
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/ipctrace
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION := $(shell sed -n 's/^\#define IPCTRACE_VERSION "\(.*\)"/\1/p' cli/cli.h)
DOCS    := README.md $(wildcard docs/*.md)

install: trace
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR)/docs
	$(Q)install -m 755 trace $(DESTDIR)$(BINDIR)/ipctrace
	$(Q)install -m 644 packaging/ipctrace.8 $(DESTDIR)$(MANDIR)/man8/ipctrace.8
	$(Q)install -m 644 packaging/ipctrace.bash-completion $(DESTDIR)$(BASHCOMPDIR)/ipctrace
	$(Q)install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	$(Q)install -m 644 $(wildcard docs/*.md) $(DESTDIR)$(DOCDIR)/docs/

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(BINDIR)/ipctrace $(DESTDIR)$(MANDIR)/man8/ipctrace.8 \
		$(DESTDIR)$(BASHCOMPDIR)/ipctrace
	$(Q)rm -rf $(DESTDIR)$(DOCDIR)

# The Debian package: installed into a staging root with PREFIX=/usr,
# dependencies from dpkg-shlibdeps, built by dpkg-deb.
deb: trace
	$(Q)sh packaging/build-deb.sh $(VERSION) $(OUTPUT)/deb

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUTPUT) trace $(DEMOS) $(UNIT_TESTS) $(BENCHES) ipctrace-out
