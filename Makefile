# SPDX-License-Identifier: GPL-2.0
#
# bpfdev: one entry point for everything.
#
#   make                 build the module for the running kernel (or KVER)
#                        and the userspace library and tools
#   make check           install what is needed, then run the VM tests on
#                        Debian's 6.1 and 6.12 kernels
#   make install [DESTDIR=...] [KVER=...]
#   make lint            checkpatch and sparse on the module
#
# KVER is the kernel "make" and "make install" build for: by default the
# running one (scripts/kver.sh says when bpfdev cannot be built for it).
# KVERS lists the kernels the tests build for and boot: Debian's current
# 6.1 and 6.12, unpacked into build/kernels by "make deps"
# (scripts/kernels.sh), never installed on this machine.

SHELL := /bin/bash
ROOT := $(CURDIR)
BUILD := $(ROOT)/build
KVERS ?= $(shell $(ROOT)/scripts/kernels.sh list 2>/dev/null)
KVER ?=
PREFIX ?= /usr
DESTDIR ?=
MULTIARCH := $(shell $(CC) -print-multiarch)
LIBDIR ?= $(PREFIX)/lib/$(MULTIARCH)
BINDIR ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
LIB_VERSION := 0.2.0

MOD_SRCS := $(wildcard drivers/bpfdev/*.c drivers/bpfdev/*.h) \
	    drivers/bpfdev/Kbuild include/uapi/linux/bpfdev.h
TEST_SRCS := $(wildcard tests/check/*.c tests/check/*.h)

CFLAGS_USER := -std=c11 -O2 -g -Wall -Wextra -Werror -I$(ROOT)/include/uapi

.PHONY: all modules test-modules userspace check check-vms check-install check-system check-debug \
	deps tests lint \
	install install-system uninstall dkms-install dkms-uninstall demo fuzz \
	bench clean

all: modules userspace

# libbpfdev: shared (soname libbpfdev.so.0, versioned API), static, .pc
LIB_SRCS := $(wildcard lib/libbpfdev/*.c)
LIB_OBJS := $(patsubst lib/libbpfdev/%.c,$(BUILD)/lib/%.o,$(LIB_SRCS))
LIB_SO := $(BUILD)/lib/libbpfdev.so.$(LIB_VERSION)

$(BUILD)/lib/%.o: lib/libbpfdev/%.c $(wildcard lib/libbpfdev/*.h) include/uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -fPIC -fvisibility=hidden -c $< -o $@

$(LIB_SO): $(LIB_OBJS) lib/libbpfdev/libbpfdev.map
	@echo "  LD      $@"
	@$(CC) -shared -Wl,-soname,libbpfdev.so.0 \
		-Wl,--version-script=lib/libbpfdev/libbpfdev.map \
		-o $@ $(LIB_OBJS) -lpthread

$(BUILD)/lib/libbpfdev.so.0: $(LIB_SO)
	@ln -sfn libbpfdev.so.$(LIB_VERSION) $@

$(BUILD)/lib/libbpfdev.so: $(BUILD)/lib/libbpfdev.so.0
	@ln -sfn libbpfdev.so.0 $@

$(BUILD)/lib/libbpfdev.a: $(LIB_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

# bpfdev-run finds the library relative to its own location, so the
# installed tree can be relocated (PREFIX) without a rebuild.
LIB_FROM_BIN := $(shell realpath -m --relative-to=$(BINDIR) $(LIBDIR))
$(BUILD)/bin/bpfdev-run: tools/bpfdev-run.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -DBPFDEV_LIBRARY_REL='"$(LIB_FROM_BIN)/libbpfdev.so.0"' \
		-o $@ $<

userspace: $(LIB_SO) $(BUILD)/lib/libbpfdev.so $(BUILD)/lib/libbpfdev.a \
	$(BUILD)/bin/bpfdev-run

deps:
	@$(ROOT)/scripts/install-deps.sh

# The module for KVER (default: the running kernel).
modules:
	@k=$$($(ROOT)/scripts/kver.sh $(KVER)) && \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal

# The module for each test kernel, and its test-only broken twin.
test-modules:
	@[ -n "$(KVERS)" ] || { echo "no test kernels: run 'make deps'" >&2; exit 1; }
	@set -e; for k in $(KVERS); do \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal; \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k broken BPFDEV_TEST_BROKEN=1; \
	done

$(BUILD)/tests/bpfdev_tests: $(TEST_SRCS) include/uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -DBPFDEV_LIBRARY='"$(LIBDIR)/libbpfdev.so.0"' \
		-o $@ $(filter %.c,$^) $$(pkg-config --cflags --libs check) -lpthread

# Unmodified libbpf programs for the interposer tests, and the API test.
T := $(BUILD)/tests
BPF_CFLAGS := -target bpf -g -O2 -Wall -Werror -I/usr/include/$(MULTIARCH)
LIBBPF_PROGS := $(T)/sockcount $(T)/loadobj $(T)/probe $(T)/threads $(T)/cgrace \
	$(T)/bpfdev_fuzz $(T)/bpfdev_bench

$(T)/%.bpf.o: tests/libbpf/%.bpf.c
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	@clang $(BPF_CFLAGS) -c $< -o $@

$(T)/%.skel.h: $(T)/%.bpf.o
	@bpftool gen skeleton $< > $@

$(T)/sockcount: tests/libbpf/sockcount.c $(T)/sockcount.skel.h
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -I$(T) -o $@ $< $$(pkg-config --cflags --libs libbpf)

$(T)/loadobj $(T)/probe: $(T)/%: tests/libbpf/%.c
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS_USER) -o $@ $< $$(pkg-config --cflags --libs libbpf)

$(T)/bpfdev_fuzz: tests/fuzz/fuzz.c include/uapi/linux/bpfdev.h
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS_USER) -o $@ $<

$(T)/bpfdev_bench: $(wildcard tests/bench/*.c tests/bench/*.h) \
		include/uapi/linux/bpfdev.h
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS_USER) -DBPFDEV_LIBRARY='"$(LIBDIR)/libbpfdev.so.0"' \
		-o $@ $(filter %.c,$^)

$(T)/cgrace: tests/libbpf/cgrace.c
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS_USER) -o $@ $< $$(pkg-config --cflags --libs libbpf) -lpthread

$(T)/threads: tests/libbpf/threads.c
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS_USER) -o $@ $< $$(pkg-config --cflags --libs libbpf) -lpthread

$(T)/apitest: tests/libbpf/apitest.c $(BUILD)/lib/libbpfdev.so
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -Ilib/libbpfdev -o $@ $< -L$(BUILD)/lib -lbpfdev

# The demo: an unmodified libbpf program run by a member through bpfdev.
D := $(BUILD)/demo
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

demo: deps
	@$(MAKE) --no-print-directory test-modules userspace $(D)/portcount
	@set -eo pipefail; k=$(DEMO_KVER); s=$(D)/stage; rm -rf $$s; \
	mkdir -p $$s/lib/bpfdev $$s/opt/bpfdev-tests $$s$(LIBDIR) $$s$(BINDIR); \
	cp $(BUILD)/mod/$$k/normal/drivers/bpfdev/bpfdev.ko $$s/lib/bpfdev/; \
	cp demo/run-in-guest.sh $(D)/portcount $$s/opt/bpfdev-tests/; \
	cp -P $(BUILD)/lib/libbpfdev.so* $$s$(LIBDIR)/; \
	cp $(BUILD)/bin/bpfdev-run $$s$(BINDIR)/; \
	tests/vm/run-vm.sh $$k $$s $(D)/vm 600 2>&1 | \
		grep -v -e '^run-vm:' -e '^\[' -e '^BPFDEV-' -e '^guest-init:' \
			-e '^Starting systemd-udevd' -e '^  guest output' \
			-e '^  kernel console'

$(T)/pinget: tests/system/pinget.c
	@echo "  CC      $@"
	@mkdir -p $(@D)
	@$(CC) $(CFLAGS_USER) -o $@ $<

tests: $(BUILD)/tests/bpfdev_tests $(LIBBPF_PROGS) $(T)/apitest $(T)/pinget \
	$(T)/sockcount.bpf.o $(T)/xdp_pass.bpf.o userspace

check: deps
	@$(MAKE) --no-print-directory test-modules tests
	@$(MAKE) --no-print-directory lint check-install check-vms check-system

# The ioctl fuzzer alone, FUZZ_ITERATIONS requests per grant and kernel.
FUZZ_ITERATIONS ?= 1000000
fuzz: deps
	@$(MAKE) --no-print-directory test-modules tests
	@BPFDEV_VM_APPEND="BPFDEV_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS)" \
		$(MAKE) --no-print-directory check-vms \
		GUEST_SCRIPT=tests/fuzz/run-in-guest.sh VM_TIMEOUT=7200

# Benchmarks in the VM on both kernels: docs/bench.md, its CSVs and chart.
BENCH_ROUNDS ?= 15
bench: deps
	@$(MAKE) --no-print-directory test-modules tests
	@BPFDEV_VM_APPEND="BPFDEV_BENCH_ROUNDS=$(BENCH_ROUNDS)" \
		$(MAKE) --no-print-directory check-vms \
		GUEST_SCRIPT=tests/bench/run-in-guest.sh VM_TIMEOUT=3600
	@BPFDEV_VM_ACCEL=tcg,thread=single $(MAKE) --no-print-directory check-vms \
		GUEST_SCRIPT=tests/bench/profile-in-guest.sh VM_OUT=$(BUILD)/vm-profile \
		VM_TIMEOUT=1200
	@tests/bench/report.sh $(BUILD) $(KVERS)
	@mkdir -p docs && cp $(BUILD)/bench-*.csv $(BUILD)/bench-table.txt docs/ && \
		{ [ ! -f $(BUILD)/bench.png ] || cp $(BUILD)/bench.png docs/; }

# The whole suite (fuzzer included) and a kmemleak scan on a 6.12 kernel
# built from linux-source-6.12 with KASAN, KMEMLEAK, PROVE_LOCKING and
# DEBUG_ATOMIC_SLEEP (tests/debug/debug.config; cached in build/debug-kernel,
# the first build takes about 10 minutes on two cores). Not part of make check.
DEBUG_FUZZ_ITERATIONS ?= 20000
check-debug: deps
	@$(MAKE) --no-print-directory tests
	@FUZZ_ITERATIONS=$(DEBUG_FUZZ_ITERATIONS) $(ROOT)/scripts/check-debug.sh $(BUILD)

# Debian booted with systemd, bpfdev installed with make install.
check-system: deps
	@$(MAKE) --no-print-directory test-modules tests
	@$(ROOT)/tests/system/check-system.sh $(lastword $(KVERS)) $(BUILD)

# One VM boot per kernel: the module, its broken twin and the tests staged
# into the guest's initramfs; run-vm.sh judges the run (results and kernel
# log). GUEST_SCRIPT picks what the guest runs (make fuzz: only the fuzzer),
# VM_OUT where each kernel's guest output, console log and cached images go.
GUEST_SCRIPT ?= tests/vm/run-in-guest.sh
VM_OUT ?= $(BUILD)/vm
VM_TIMEOUT ?= 900
check-vms:
	@set -e; fail=0; for k in $(KVERS); do \
		s=$(BUILD)/stage/$$k; rm -rf $$s; \
		mkdir -p $$s/lib/bpfdev/broken $$s/opt/bpfdev-tests; \
		cp $(BUILD)/mod/$$k/normal/drivers/bpfdev/bpfdev.ko $$s/lib/bpfdev/; \
		cp $(BUILD)/mod/$$k/broken/drivers/bpfdev/bpfdev.ko $$s/lib/bpfdev/broken/; \
		cp $(BUILD)/tests/bpfdev_tests $$s/opt/bpfdev-tests/; \
		cp $(GUEST_SCRIPT) $$s/opt/bpfdev-tests/run-in-guest.sh; \
		cp $(LIBBPF_PROGS) $(T)/apitest $(T)/*.bpf.o $$s/opt/bpfdev-tests/; \
		mkdir -p $$s$(LIBDIR) $$s$(BINDIR) $$s/usr/sbin; \
		cp -P $(BUILD)/lib/libbpfdev.so* $$s$(LIBDIR)/; \
		cp $(BUILD)/bin/bpfdev-run $$s$(BINDIR)/; \
		cp /usr/sbin/bpftool $$s/usr/sbin/; \
		echo "=== VM $$k"; \
		tests/vm/run-vm.sh $$k $$s $(VM_OUT)/$$k $(VM_TIMEOUT) || fail=1; \
	done; \
	exit $$fail

lint:
	@$(ROOT)/scripts/lint.sh $(KVERS)
	@$(ROOT)/scripts/cppcheck.sh

# make install lays out the files where a packager expects them, and
# DKMS builds the module for both kernels from dkms.conf.
check-install:
	@$(ROOT)/scripts/check-install.sh $(KVERS)
	@$(ROOT)/scripts/check-dkms.sh $(KVERS)

# DKMS, for every installed kernel with headers (as root).
dkms-install:
	@set -e; src=/usr/src/bpfdev-$(DKMS_VERSION); rm -rf $$src; \
	$(ROOT)/scripts/dkms-source.sh $$src; \
	dkms status -m bpfdev -v $(DKMS_VERSION) | grep -q bpfdev || \
		dkms add -m bpfdev -v $(DKMS_VERSION); \
	for b in /lib/modules/*/build; do \
		k=$$(basename $$(dirname $$b)); \
		dkms install -m bpfdev -v $(DKMS_VERSION) -k $$k; \
	done

dkms-uninstall:
	-dkms remove -m bpfdev -v $(DKMS_VERSION) --all
	rm -rf /usr/src/bpfdev-$(DKMS_VERSION)

# make install: the module for KVER (built first), the library, bpfdev-run,
# man pages and system files. Without DESTDIR it also runs depmod and says
# what is left to do. /etc/modprobe.d/bpfdev.conf is kept like a conffile:
# an edited copy is never overwritten (the new one goes beside it as
# bpfdev.conf.dist) and uninstall removes it only if it is unmodified.
MODPROBE_CONF := $(DESTDIR)$(SYSCONFDIR)/modprobe.d/bpfdev.conf
install: userspace
	@set -e; k=$$($(ROOT)/scripts/kver.sh $(KVER)); \
	$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal; \
	install -D -m 0644 $(BUILD)/mod/$$k/normal/drivers/bpfdev/bpfdev.ko \
		$(DESTDIR)/lib/modules/$$k/updates/bpfdev.ko; \
	echo "  INSTALL /lib/modules/$$k/updates/bpfdev.ko"
	install -D -m 0644 include/uapi/linux/bpfdev.h \
		$(DESTDIR)$(PREFIX)/include/linux/bpfdev.h
	install -D -m 0755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libbpfdev.so.$(LIB_VERSION)
	ln -sfn libbpfdev.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/libbpfdev.so.0
	ln -sfn libbpfdev.so.0 $(DESTDIR)$(LIBDIR)/libbpfdev.so
	install -D -m 0644 $(BUILD)/lib/libbpfdev.a $(DESTDIR)$(LIBDIR)/libbpfdev.a
	@mkdir -p $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(LIB_VERSION)|' \
		lib/libbpfdev/libbpfdev.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libbpfdev.pc
	install -D -m 0644 lib/libbpfdev/libbpfdev.h \
		$(DESTDIR)$(INCLUDEDIR)/libbpfdev.h
	install -D -m 0755 $(BUILD)/bin/bpfdev-run $(DESTDIR)$(BINDIR)/bpfdev-run
	install -D -m 0644 man/bpfdev-run.1 $(DESTDIR)$(MANDIR)/man1/bpfdev-run.1
	install -D -m 0644 man/libbpfdev.3 $(DESTDIR)$(MANDIR)/man3/libbpfdev.3
	install -D -m 0644 man/bpfdev.4 $(DESTDIR)$(MANDIR)/man4/bpfdev.4
	@$(MAKE) --no-print-directory install-system
	@set -e; [ -z "$(DESTDIR)" ] || exit 0; \
	k=$$($(ROOT)/scripts/kver.sh $(KVER)); depmod -a $$k; \
	echo; echo "bpfdev is installed for $$k. Left to do:"; \
	echo "  systemd-sysusers; systemd-tmpfiles --create; udevadm control --reload"; \
	echo "  modprobe bpfdev                (or reboot: modules-load.d loads it)"; \
	echo "  usermod -aG bpf NAME           then NAME logs in again"

# udev rule, group, module loading, the group's bpffs directory, the
# documented parameters (commented out: the defaults apply until edited).
install-system:
	install -D -m 0644 udev/60-bpfdev.rules \
		$(DESTDIR)$(PREFIX)/lib/udev/rules.d/60-bpfdev.rules
	install -D -m 0644 systemd/bpfdev.sysusers \
		$(DESTDIR)$(PREFIX)/lib/sysusers.d/bpfdev.conf
	install -D -m 0644 systemd/bpfdev.modules-load \
		$(DESTDIR)$(PREFIX)/lib/modules-load.d/bpfdev.conf
	install -D -m 0644 systemd/bpfdev.tmpfiles \
		$(DESTDIR)$(PREFIX)/lib/tmpfiles.d/bpfdev.conf
	@set -e; f=$(MODPROBE_CONF); \
	if [ ! -e $$f ] || cmp -s systemd/bpfdev.modprobe.conf $$f; then \
		echo "install -D -m 0644 systemd/bpfdev.modprobe.conf $$f"; \
		install -D -m 0644 systemd/bpfdev.modprobe.conf $$f; \
		rm -f $$f.dist; \
	else \
		install -D -m 0644 systemd/bpfdev.modprobe.conf $$f.dist; \
		echo "  KEEP    $$f (edited); the new one is $$f.dist"; \
	fi

uninstall:
	@set -e; k=$$($(ROOT)/scripts/kver.sh $(KVER)); \
	rm -f $(DESTDIR)/lib/modules/$$k/updates/bpfdev.ko; \
	echo "  RM      /lib/modules/$$k/updates/bpfdev.ko"; \
	[ -n "$(DESTDIR)" ] || depmod -a $$k
	rm -f $(DESTDIR)$(PREFIX)/include/linux/bpfdev.h \
	      $(DESTDIR)$(PREFIX)/lib/udev/rules.d/60-bpfdev.rules \
	      $(DESTDIR)$(PREFIX)/lib/sysusers.d/bpfdev.conf \
	      $(DESTDIR)$(PREFIX)/lib/modules-load.d/bpfdev.conf \
	      $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/bpfdev.conf \
	      $(DESTDIR)$(LIBDIR)/libbpfdev.so.$(LIB_VERSION) \
	      $(DESTDIR)$(LIBDIR)/libbpfdev.so.0 $(DESTDIR)$(LIBDIR)/libbpfdev.so \
	      $(DESTDIR)$(LIBDIR)/libbpfdev.a \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/libbpfdev.pc \
	      $(DESTDIR)$(INCLUDEDIR)/libbpfdev.h $(DESTDIR)$(BINDIR)/bpfdev-run \
	      $(DESTDIR)$(MANDIR)/man1/bpfdev-run.1 \
	      $(DESTDIR)$(MANDIR)/man3/libbpfdev.3 $(DESTDIR)$(MANDIR)/man4/bpfdev.4 \
	      $(MODPROBE_CONF).dist
	@set -e; f=$(MODPROBE_CONF); \
	if [ -e $$f ] && ! cmp -s systemd/bpfdev.modprobe.conf $$f; then \
		echo "  KEEP    $$f (edited)"; \
	else \
		rm -f $$f; \
	fi

clean:
	rm -rf $(BUILD)
