// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: the racy freeze that freeze_61.c exists to prevent, built in
 * its place by the broken build (Kbuild, BPFDEV_TEST_BROKEN=1) so that the
 * freeze race test can show it finds the race. Never built otherwise.
 *
 * The mode is checked on one lookup and the kernel freezes whatever the
 * number names at its own. The delay widens the window.
 */
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>

#include "bpfdev.h"

int bpfdev_map_freeze(struct bpfdev_request *req)
{
	struct file *file = fget(req->attr.map_fd);
	bool writable;

	if (!file)
		return -EBADF;
	writable = file->f_mode & FMODE_CAN_WRITE;
	fput(file);
	if (!writable)
		return -EPERM;
	udelay(50);
	return bpfdev_call_with_caps(req, BIT_ULL(CAP_BPF), NULL);
}
