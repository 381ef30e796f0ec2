# SPDX-License-Identifier: GPL-2.0
#
# bpfdev: the module, the library and bpfdev-run, their installation and
# DKMS. The tests, the demo, the fuzzer and the benchmarks are in
# tests/tests.mk. "make help" lists every target.
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
LIB_VERSION := 0.3.0
CFLAGS_USER := -std=c11 -O2 -g -Wall -Wextra -Werror -I$(ROOT)/include/uapi
# What a distribution's build adds to the installed programs and library
# (debian/rules passes dpkg-buildflags' hardening this way); empty here.
CFLAGS_DIST := $(CPPFLAGS) $(CFLAGS)

.PHONY: all help deps modules userspace install install-userspace uninstall \
	dkms-install dkms-uninstall deb lint clean

all: modules userspace ## the module for KVER, libbpfdev and bpfdev-run

help: ## this list
	@awk -F':.*## ' '/^[a-z][a-z-]*:.*## / { \
		if (FILENAME != f) { f = FILENAME; printf "%s:\n", f } \
		printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

deps: ## install the build and test packages, fetch the test kernels (root)
	@$(ROOT)/scripts/install-deps.sh

modules: ## the module for KVER (default: the running kernel)
	@k=$$($(ROOT)/scripts/kver.sh $(KVER)) && \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal

# libbpfdev: shared (soname libbpfdev.so.0, versioned API), static; and
# bpfdev-run, which finds the library relative to its own location, so the
# installed tree can be relocated (PREFIX) without a rebuild.
LIB_OBJS := $(patsubst lib/libbpfdev/%.c,$(BUILD)/lib/%.o,$(wildcard lib/libbpfdev/*.c))
LIB_SO := $(BUILD)/lib/libbpfdev.so.$(LIB_VERSION)
LIB_FROM_BIN := $(shell realpath -m --relative-to=$(BINDIR) $(LIBDIR))

userspace: ## libbpfdev (shared, static), bpfdev-run and bpfdevctl
userspace: $(LIB_SO) $(BUILD)/lib/libbpfdev.so $(BUILD)/lib/libbpfdev.a \
	$(BUILD)/bin/bpfdev-run $(BUILD)/bin/bpfdevctl

$(BUILD)/lib/%.o: lib/libbpfdev/%.c $(wildcard lib/libbpfdev/*.h) include/uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) $(CFLAGS_DIST) -fPIC -fvisibility=hidden -c $< -o $@

$(LIB_SO): $(LIB_OBJS) lib/libbpfdev/libbpfdev.map
	@grep -q '^LIBBPFDEV_$(LIB_VERSION) {' lib/libbpfdev/libbpfdev.map || \
		{ echo "libbpfdev.map has no node LIBBPFDEV_$(LIB_VERSION)" >&2; exit 1; }
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -shared -Wl,-soname,libbpfdev.so.0 \
		-Wl,--version-script=lib/libbpfdev/libbpfdev.map \
		-o $@ $(LIB_OBJS) -lpthread

$(BUILD)/lib/libbpfdev.so: $(LIB_SO)
	@ln -sfn libbpfdev.so.$(LIB_VERSION) $(@D)/libbpfdev.so.0
	@ln -sfn libbpfdev.so.0 $@

$(BUILD)/lib/libbpfdev.a: $(LIB_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/bpfdev-run: tools/bpfdev-run.c tools/supervise.c tools/supervise.h \
		include/uapi/linux/bpfdev.h Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) $(CFLAGS_DIST) $(LDFLAGS) -DBPFDEV_LIBRARY_REL='"$(LIB_FROM_BIN)/libbpfdev.so.0"' \
		-o $@ $(filter %.c,$^)

$(BUILD)/bin/bpfdevctl: tools/bpfdevctl.c include/uapi/linux/bpfdev.h Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) $(CFLAGS_DIST) $(LDFLAGS) -o $@ $<

# scripts/install.sh has the list of files and what to do with each.
INSTALL_SH = BUILD=$(BUILD) DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) \
	BINDIR=$(BINDIR) INCLUDEDIR=$(INCLUDEDIR) MANDIR=$(MANDIR) \
	SYSCONFDIR=$(SYSCONFDIR) LIB_VERSION=$(LIB_VERSION) $(ROOT)/scripts/install.sh

install: userspace ## the module for KVER, library, bpfdev-run, bpfdevctl, man pages, system files [DESTDIR=]
	@set -e; k=$$($(ROOT)/scripts/kver.sh $(KVER)); \
	$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal; \
	$(INSTALL_SH) install $$k

install-userspace: userspace ## what install installs but the module [DESTDIR=] (debian/rules)
	@$(INSTALL_SH) install -

uninstall: ## what install installed (an edited /etc/modprobe.d/bpfdev.conf stays)
	@k=$$($(ROOT)/scripts/kver.sh $(KVER)) && $(INSTALL_SH) uninstall $$k

dkms-install: ## the module with DKMS, for every installed kernel with headers (root)
	@set -e; src=/usr/src/bpfdev-$(DKMS_VERSION); rm -rf $$src; \
	$(ROOT)/scripts/dkms-source.sh $$src; \
	dkms status -m bpfdev -v $(DKMS_VERSION) | grep -q bpfdev || \
		dkms add -m bpfdev -v $(DKMS_VERSION); \
	for b in /lib/modules/*/build; do \
		k=$$(basename $$(dirname $$b)); \
		dkms install -m bpfdev -v $(DKMS_VERSION) -k $$k; \
	done

dkms-uninstall: ## remove the DKMS module and its source
	-dkms remove -m bpfdev -v $(DKMS_VERSION) --all
	rm -rf /usr/src/bpfdev-$(DKMS_VERSION)

deb: ## the Debian packages (debian/) in build/deb, lintian-clean
	@$(ROOT)/scripts/deb.sh $(BUILD)

lint: ## checkpatch and sparse on the module, cppcheck on userspace
	@$(ROOT)/scripts/lint.sh $(KVERS)
	@$(ROOT)/scripts/cppcheck.sh

clean: ## remove build/ (the fetched kernels and the system image too)
	rm -rf $(BUILD)

include tests/tests.mk
