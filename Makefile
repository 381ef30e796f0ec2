# SPDX-License-Identifier: GPL-2.0
#
# bpfdev: one entry point for everything.
#
#   make                 build the module for every supported kernel
#   make check           install what is needed, then run the VM tests on
#                        Debian's 6.1 and 6.12 kernels
#   make install DESTDIR=... KVER=...
#   make lint            checkpatch and sparse on the module
#
# KVERS lists the kernels to build and test for; by default the newest
# installed Debian 6.1 and 6.12 kernels (scripts/kvers.sh).

SHELL := /bin/bash
ROOT := $(CURDIR)
BUILD := $(ROOT)/build
KVERS ?= $(shell $(ROOT)/scripts/kvers.sh 2>/dev/null)
KVER ?= $(firstword $(KVERS))
PREFIX ?= /usr
DESTDIR ?=

MOD_SRCS := $(wildcard drivers/bpfdev/*.c drivers/bpfdev/*.h) \
	    drivers/bpfdev/Kbuild include/uapi/linux/bpfdev.h
TEST_SRCS := $(wildcard tests/check/*.c tests/check/*.h)

CFLAGS_USER := -std=c11 -O2 -g -Wall -Wextra -Werror -I$(ROOT)/include/uapi

.PHONY: all modules check check-vms check-install deps tests lint install clean

all: modules

deps:
	@$(ROOT)/scripts/install-deps.sh

# The module for each kernel, and its test-only broken twin.
modules:
	@[ -n "$(KVERS)" ] || { echo "no kernel headers: run 'make deps'" >&2; exit 1; }
	@set -e; for k in $(KVERS); do \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k normal; \
		$(ROOT)/scripts/build-module.sh $(BUILD) $$k broken BPFDEV_TEST_BROKEN=1; \
	done

$(BUILD)/tests/bpfdev_tests: $(TEST_SRCS) include/uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_USER) -o $@ $(filter %.c,$^) \
		$$(pkg-config --cflags --libs check) -lpthread

tests: $(BUILD)/tests/bpfdev_tests

check: deps
	@$(MAKE) --no-print-directory modules tests
	@$(MAKE) --no-print-directory lint check-install check-vms

# One VM boot per kernel: the module, its broken twin and the tests staged
# into the guest's initramfs; run-vm.sh judges the run (results and kernel
# log).
check-vms:
	@set -e; fail=0; for k in $(KVERS); do \
		s=$(BUILD)/stage/$$k; rm -rf $$s; \
		mkdir -p $$s/lib/bpfdev/broken $$s/opt/bpfdev-tests; \
		cp $(BUILD)/mod/$$k/normal/drivers/bpfdev/bpfdev.ko $$s/lib/bpfdev/; \
		cp $(BUILD)/mod/$$k/broken/drivers/bpfdev/bpfdev.ko $$s/lib/bpfdev/broken/; \
		cp $(BUILD)/tests/bpfdev_tests tests/vm/run-in-guest.sh $$s/opt/bpfdev-tests/; \
		echo "=== VM $$k"; \
		tests/vm/run-vm.sh $$k $$s $(BUILD)/vm/$$k 900 || fail=1; \
	done; \
	exit $$fail

lint:
	@$(ROOT)/scripts/lint.sh $(KVERS)

# make install lays out the files where a packager expects them.
check-install:
	@$(ROOT)/scripts/check-install.sh $(KVERS)

install:
	@[ -n "$(KVER)" ] || { echo "set KVER" >&2; exit 1; }
	install -D -m 0644 $(BUILD)/mod/$(KVER)/normal/drivers/bpfdev/bpfdev.ko \
		$(DESTDIR)/lib/modules/$(KVER)/updates/bpfdev.ko
	install -D -m 0644 include/uapi/linux/bpfdev.h \
		$(DESTDIR)$(PREFIX)/include/linux/bpfdev.h
	install -D -m 0644 udev/60-bpfdev.rules \
		$(DESTDIR)$(PREFIX)/lib/udev/rules.d/60-bpfdev.rules

clean:
	rm -rf $(BUILD)
