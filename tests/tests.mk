# SPDX-License-Identifier: GPL-2.0
#
# The tests, the demo, the fuzzer and the benchmarks; included by the
# top-level Makefile. Everything they build and produce goes under
# $(BUILD); only "make bench-publish" writes into docs/.
#
# Every VM boot stages its files with tests/vm/stage.sh and boots with
# tests/vm/run-vm.sh, which judges the run (see tests/vm/qemu.sh).

T := $(BUILD)/tests
D := $(BUILD)/demo
BPF_CFLAGS := -target bpf -g -O2 -Wall -Werror -I/usr/include/$(MULTIARCH)

.PHONY: test-modules tests check check-vms check-install check-system \
	check-debug check-harness demo fuzz bench bench-publish tools-table

# KERNEL=6.1, KERNEL=6.12 or a full version: boot that test kernel only.
VM_KVERS = $(if $(KERNEL),$(filter $(KERNEL) $(KERNEL).%,$(KVERS)),$(KVERS))

test-modules: ## the module and its test-only broken twin for each test kernel
	@[ -n "$(KVERS)" ] || { echo "no test kernels: run 'make deps'" >&2; exit 1; }
	@set -e; for k in $(KVERS); do \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal; \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k broken BPFDEV_TEST_BROKEN=1; \
	done

# --- test programs ----------------------------------------------------------
# The Check suite; unmodified libbpf programs for the interposer tests; the
# library's API test and host, the program it lives in (linked); the fuzzer, the benchmark and the system test's helper.
LIBBPF_PROGS := sockcount xdpcount fentrycount kprobecount loadobj probe threads cgrace \
	svrace
# Debian's libbpf-tools the tools suite runs (tools_test.c), unmodified
LIBBPF_TOOLS := runqlat cpudist biolatency bitesize softirqs hardirqs \
	vfsstat tcprtt klockstat wakeuptime
GUEST_FILES := $(T)/bpfdev_tests $(addprefix $(T)/,$(LIBBPF_PROGS)) \
	$(T)/apitest $(T)/host $(T)/bpfdev_fuzz $(T)/bpfdev_bench \
	$(T)/sockcount-static $(T)/bpfdev-run-broken \
	$(T)/gosock $(T)/gosock-static $(T)/gocoll $(T)/gocoll-static \
	$(T)/gocount.bpf.o \
	$(T)/sockcount.bpf.o $(T)/xdp_pass.bpf.o $(T)/corecands.bpf.o

tests: ## the test programs (and userspace, which they test)
tests: userspace $(GUEST_FILES) $(T)/pinget $(T)/netprobe

$(T)/%.bpf.o: tests/libbpf/%.bpf.c
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	@clang $(BPF_CFLAGS) -c $< -o $@

$(T)/%.skel.h: $(T)/%.bpf.o
	@bpftool gen skeleton $< > $@

$(T)/sockcount: $(T)/sockcount.skel.h
$(T)/xdpcount: $(T)/xdpcount.skel.h
$(T)/fentrycount: $(T)/fentrycount.skel.h
$(T)/kprobecount: $(T)/kprobecount.skel.h
$(addprefix $(T)/,$(LIBBPF_PROGS)): LDLIBS := $(shell pkg-config --libs libbpf) -lpthread
$(T)/apitest: LDLIBS := -L$(BUILD)/lib -lbpfdev
$(T)/apitest: CFLAGS_EXTRA := -Ilib/libbpfdev
$(T)/apitest: $(BUILD)/lib/libbpfdev.so
$(T)/host: LDLIBS := -L$(BUILD)/lib -lbpfdev -lpthread
$(T)/host: CFLAGS_EXTRA := -Ilib/libbpfdev
$(T)/host: $(BUILD)/lib/libbpfdev.so

$(T)/%: tests/libbpf/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -I$(T) $(CFLAGS_EXTRA) -o $@ $< $(LDLIBS)

# The same program linked statically (libbpf.a, libelf.a, libz.a): no
# glibc syscall() for the interposer to replace (the supervise suite)
$(T)/sockcount-static: tests/libbpf/sockcount.c $(T)/sockcount.skel.h
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -I$(T) -static -o $@ $< -lbpf -lelf -lz

# Go programs on Debian's cilium/ebpf (golang-github-cilium-ebpf-dev), built
# offline in GOPATH mode: Debian's default build (cgo, as "net" wants it: a
# dynamically linked glibc binary) and a static one (CGO_ENABLED=0). Both
# enter the kernel without libc: the supervise suite serves them.
GO_ENV := GO111MODULE=off GOPATH=$(ROOT)/tests/go:/usr/share/gocode \
	GOCACHE=$(BUILD)/go-cache GOFLAGS=
GO_SRC := $(wildcard tests/go/src/*/*.go)
$(T)/go%: tests/go/src/go%/main.go $(GO_SRC)
	@mkdir -p $(@D)
	@echo "  GO      $@"
	@$(GO_ENV) go build -o $@ go$*
$(T)/go%-static: tests/go/src/go%/main.go $(GO_SRC)
	@mkdir -p $(@D)
	@echo "  GO      $@"
	@CGO_ENABLED=0 $(GO_ENV) go build -o $@ go$*

# bpfdev-run whose supervisor fetches an fd each time a request names it,
# for the supervise suite's race test to catch (test-only)
$(T)/bpfdev-run-broken: tools/bpfdev-run.c tools/supervise.c tools/supervise.h \
		include/uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -DBPFDEV_TEST_BROKEN -o $@ $(filter %.c,$^)

# Programs of several files: all the .c files of their directory.
$(T)/bpfdev_tests: $(wildcard tests/check/*.c tests/check/*.h)
$(T)/bpfdev_tests: LDLIBS := $(shell pkg-config --cflags --libs check) -lpthread
$(T)/bpfdev_tests: CFLAGS_EXTRA := -I$(T)
$(T)/bpfdev_tests: $(T)/man_examples.h
# bpfdev(4)'s examples, as written, for the test that runs them
$(T)/man_examples.h: man/bpfdev.4 tests/check/man_examples.awk
	@mkdir -p $(@D)
	@awk -f tests/check/man_examples.awk $< > $@
$(T)/bpfdev_bench: $(wildcard tests/bench/*.c tests/bench/*.h)
$(T)/bpfdev_fuzz: tests/fuzz/fuzz.c
$(T)/pinget: tests/system/pinget.c
$(T)/netprobe: tests/system/netprobe.c
$(T)/bpfdev_tests $(T)/bpfdev_bench $(T)/bpfdev_fuzz $(T)/pinget $(T)/netprobe: include/uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) $(CFLAGS_EXTRA) \
		-DBPFDEV_LIBRARY='"$(LIBDIR)/libbpfdev.so.0"' \
		-o $@ $(filter %.c,$^) $(LDLIBS)

# --- make check -------------------------------------------------------------
check: deps ## install what is needed, lint, then every test on both kernels
	@$(MAKE) --no-print-directory test-modules tests
	@$(MAKE) --no-print-directory lint check-install check-vms demo check-system

# One VM boot per kernel: the module, its broken twin and the tests staged
# into the guest's initramfs. GUEST_SCRIPT picks what the guest runs,
# VM_OUT where each kernel's verdict.log, console.log and images go.
# When a kernel's run fails, the failing tests of every kernel are printed
# last, so that a log's tail names them. VM_TIMEOUT only catches a hung guest: a boot takes 5 to 7 minutes on an
# idle 2-core machine under TCG, and a loaded one may take twice that.
GUEST_SCRIPT ?= tests/vm/run-in-guest.sh
VM_OUT ?= $(BUILD)/vm
# where each kernel's guest files are staged (make bench stages its own)
STAGE ?= $(BUILD)/stage
VM_TIMEOUT ?= 1800
SUITE ?=
VM_APPEND = $(strip $(BPFDEV_VM_APPEND) $(if $(SUITE),CK_RUN_SUITE=$(SUITE)))
check-vms: ## the Check suites in a VM per kernel [SUITE=name] [KERNEL=6.1|6.12]
check-vms: tests test-modules
	@[ -n "$(VM_KVERS)" ] || { echo "no test kernel '$(KERNEL)' in: $(KVERS)" >&2; exit 1; }
	@[ -z "$(SUITE)" ] || $(T)/bpfdev_tests list | grep -qx '$(SUITE)' || \
		{ echo "no suite '$(SUITE)'; suites:" $$($(T)/bpfdev_tests list) >&2; exit 1; }
	@set -e; fail=0; for k in $(VM_KVERS); do \
		LIBDIR=$(LIBDIR) BINDIR=$(BINDIR) GUEST_SBIN="$(LIBBPF_TOOLS)" \
		$(ROOT)/tests/vm/stage.sh $(BUILD) $$k $(STAGE)/$$k \
			$(GUEST_SCRIPT) $(GUEST_FILES); \
		echo "=== VM $$k"; \
		BPFDEV_VM_APPEND="$(VM_APPEND)" $(ROOT)/tests/vm/run-vm.sh \
			$$k $(STAGE)/$$k $(VM_OUT)/$$k $(VM_TIMEOUT) || fail=1; \
	done; \
	[ $$fail = 0 ] || for k in $(VM_KVERS); do \
		echo "=== failed on $$k:"; \
		grep -a ':[FE]:' $(VM_OUT)/$$k/verdict.log 2>/dev/null | cut -c1-300 | head -20; \
	done; \
	exit $$fail

check-install: ## make install, uninstall and DKMS into scratch trees
	@$(ROOT)/scripts/check-install.sh $(KVERS)
	@$(ROOT)/scripts/check-dkms.sh $(KVERS)

check-system: deps ## Debian booted with systemd, bpfdev installed from make deb's packages
	@$(MAKE) --no-print-directory tests deb
	@$(ROOT)/tests/system/check-system.sh $(lastword $(KVERS)) $(BUILD) $(firstword $(KVERS))

check-harness: ## the VM harness judges right: passes, and fails on splat, rc, hang, panic
	@$(ROOT)/tests/vm/selftest.sh $(VM_KVERS)

# The whole suite (fuzzer included) and a kmemleak scan on a 6.12 kernel
# built from linux-source-6.12 with KASAN, KMEMLEAK, PROVE_LOCKING and
# DEBUG_ATOMIC_SLEEP (tests/debug/debug.config; cached in build/debug-kernel,
# the first build takes about 10 minutes on two cores).
DEBUG_FUZZ_ITERATIONS ?= 20000
check-debug: deps ## the suite and kmemleak on a KASAN+lockdep 6.12 kernel (not in check)
	@$(MAKE) --no-print-directory tests
	@FUZZ_ITERATIONS=$(DEBUG_FUZZ_ITERATIONS) $(ROOT)/scripts/check-debug.sh $(BUILD)

# --- the demo, the fuzzer, the benchmarks -----------------------------------
DEMO_KVER ?= $(lastword $(KVERS))

$(D)/portcount.bpf.o: demo/portcount.bpf.c
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	@clang $(BPF_CFLAGS) -c $< -o $@

$(D)/portcount.skel.h: $(D)/portcount.bpf.o
	@bpftool gen skeleton $< > $@

$(D)/portcount: demo/portcount.c $(D)/portcount.skel.h
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -I$(D) -o $@ $< $$(pkg-config --cflags --libs libbpf)

demo: deps ## the main job, in a VM: a member runs an unmodified libbpf program
	@$(MAKE) --no-print-directory test-modules userspace $(D)/portcount
	@set -eo pipefail; k=$(DEMO_KVER); \
	LIBDIR=$(LIBDIR) BINDIR=$(BINDIR) \
		$(ROOT)/tests/vm/stage.sh $(BUILD) $$k $(D)/stage demo/run-in-guest.sh \
		$(D)/portcount; \
	tests/vm/run-vm.sh $$k $(D)/stage $(D)/vm 600 2>&1 | \
		grep -v -e '^run-vm:' -e '^\[' -e '^BPFDEV-' -e '^guest-init:' \
			-e '^Starting systemd-udevd' -e '^  guest output' \
			-e '^  kernel console'

FUZZ_ITERATIONS ?= 1000000
fuzz: deps ## the ioctl fuzzer alone, FUZZ_ITERATIONS requests per grant and kernel
	@$(MAKE) --no-print-directory test-modules tests
	@$(MAKE) --no-print-directory check-vms VM_OUT=$(BUILD)/fuzz \
		BPFDEV_VM_APPEND="BPFDEV_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS)" \
		GUEST_SCRIPT=tests/fuzz/run-in-guest.sh VM_TIMEOUT=7200

# Every tool of Debian's libbpf-tools, as root and as a member with every
# type delegated: the table in README (tests/tools/run-in-guest.sh).
tools-table: deps ## each of Debian's libbpf-tools as root and as a member: build/tools/
	@$(MAKE) --no-print-directory test-modules tests
	@$(MAKE) --no-print-directory check-vms VM_OUT=$(BUILD)/tools \
		GUEST_SCRIPT=tests/tools/run-in-guest.sh VM_TIMEOUT=3600 \
		LIBBPF_TOOLS="$$(dpkg -L libbpf-tools | sed -n 's|^/usr/sbin/||p' | tr '\n' ' ')"
	@grep -H '^TOOL ' $(BUILD)/tools/*/verdict.log

# The results stay in build/bench until bench-publish copies them to docs/.
# Two whole runs of the measuring boots (QEMU instruction counting, one
# vCPU: figures are instructions, the same on every host), the concurrency
# boot (two vCPUs, real time) and the profile boot (instruction counting,
# function_graph). report.sh compares the two runs.
BENCH_ROUNDS ?= 7
BENCH := $(BUILD)/bench
bench: deps ## delegation cost against the direct syscall: build/bench/
	@$(MAKE) --no-print-directory test-modules tests
	@set -e; for run in 1 2; do \
		BPFDEV_VM_ICOUNT=1 $(MAKE) --no-print-directory check-vms \
			VM_OUT=$(BENCH)/vm-icount$$run VM_TIMEOUT=3600 \
			STAGE=$(BENCH)/stage \
			BPFDEV_VM_APPEND="BPFDEV_BENCH_ROUNDS=$(BENCH_ROUNDS) BPFDEV_BENCH_PHASES=single,mapops,auditd" \
			GUEST_SCRIPT=tests/bench/run-in-guest.sh; \
	done
	@$(MAKE) --no-print-directory check-vms VM_OUT=$(BENCH)/vm \
		STAGE=$(BENCH)/stage \
		BPFDEV_VM_APPEND="BPFDEV_BENCH_ROUNDS=$(BENCH_ROUNDS) BPFDEV_BENCH_PHASES=conc" \
		GUEST_SCRIPT=tests/bench/run-in-guest.sh VM_TIMEOUT=3600
	@BPFDEV_VM_ICOUNT=1 $(MAKE) --no-print-directory check-vms \
		STAGE=$(BENCH)/stage \
		GUEST_SCRIPT=tests/bench/profile-in-guest.sh VM_OUT=$(BENCH)/vm-profile \
		VM_TIMEOUT=1200
	@tests/bench/report.sh $(BENCH) $(VM_KVERS)
	@echo "results in $(BENCH); 'make bench-publish' copies them to docs/"

bench-publish: ## copy the last make bench results into docs/
	@[ -f $(BENCH)/bench-table.txt ] || { echo "no results: make bench" >&2; exit 1; }
	cp $(BENCH)/bench-*.csv $(BENCH)/bench-table.txt docs/
	[ ! -f $(BENCH)/bench.png ] || cp $(BENCH)/bench.png docs/
