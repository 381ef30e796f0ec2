/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bpf commands bpfdev executes, one line each: those that need
 * privilege on the supported kernels, the uapi's BPFDEV_CMDS_EXECUTED by
 * name (audit.c checks they are the same at load). The others work on fds the
 * caller holds and need none: bpf(2) runs them directly. The executed_<cmd>
 * and failed_<cmd> counters (audit.c) are made from this list: it is
 * included where BPFDEV_CMD(CMD) is defined, CMD being enum bpf_cmd's name
 * less BPF_.
 */
BPFDEV_CMD(MAP_CREATE)
BPFDEV_CMD(PROG_LOAD)
BPFDEV_CMD(BTF_LOAD)
BPFDEV_CMD(MAP_FREEZE)
BPFDEV_CMD(LINK_CREATE)		/* cgroup inet attach types only */
BPFDEV_CMD(PROG_ATTACH)		/* cgroup inet, multi mode, as a held link */
BPFDEV_CMD(PROG_DETACH)		/* what PROG_ATTACH attached */
