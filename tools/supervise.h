/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfdev-run --supervise: a seccomp user-notification supervisor that
 * serves the bpf(2) calls of a program the interposer cannot reach (static,
 * musl, Go) through /dev/bpf (supervise.c).
 */
#ifndef BPFDEV_RUN_SUPERVISE_H
#define BPFDEV_RUN_SUPERVISE_H

/*
 * Run @argv supervised, its bpf(2) commands that need privilege served
 * through the device at @dev_path. Returns bpfdev-run's exit status (the
 * command's, or 125 for bpfdev-run's own failure); may re-raise the signal
 * that killed the command.
 */
int supervise(const char *dev_path, char **argv);

/*
 * Does @cmd need the supervisor (static, musl or Go), or can the
 * interposer serve it? Why, in @why.
 */
int supervise_wanted(const char *cmd, char *why, size_t len);

/* Does this process hold CAP_SYS_ADMIN or CAP_BPF (bpf(2) serves it)? */
int privileged(void);

#endif
