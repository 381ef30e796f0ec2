/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Race tests, shared by the suite run against the real module (no
 * violation allowed) and the one run against the test-only broken build
 * (which they must catch).
 */
#ifndef BPFDEV_TEST_RACE_H
#define BPFDEV_TEST_RACE_H

#define RACE_ITERATIONS	4000

struct type_race {
	int iterations;
	int violations;	/* an undelegated type got loaded */
	int loaded;	/* the delegated type loaded */
	int refused;	/* EPERM */
	int other;
};

struct freeze_race {
	int iterations;
	int violations;	/* the map held read-only got frozen */
	int frozen;	/* the writable map got frozen */
	int refused;	/* EPERM: the read-only fd was seen */
	int other;	/* EAGAIN, EBUSY */
};

void type_race_run(struct type_race *r, int iterations);
void freeze_race_run(struct freeze_race *r, int iterations);
void race_report(const char *name, int iterations, int violations,
		 int accepted, int refused);

/* test_freeze.c */
int map_update(int map, __u32 key, __u32 value);
int array_map(int dev);
int read_only_fd(int map);
void pin_dir_setup(void);

#endif
