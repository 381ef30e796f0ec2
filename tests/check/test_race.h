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

/* Many threads opening, narrowing, executing and closing at once. */
#define BUDGET_ROUNDS	250
struct budget_race {
	int rounds;
	int violations;	/* rounds where more loads ran than the budget */
	int miscounted;	/* rounds where the file's count disagreed */
	int loaded;
	int refused;	/* EDQUOT */
	int other;
};

/* Requests started after the write to "revoke" returned. */
#define REVOKE_ROUNDS	150
struct revoke_race {
	int rounds;
	int violations;	/* loads that started after revoke returned and ran */
	int before;	/* loads that ran before it */
	int refused;	/* EPERM after it */
	int other;
};

/* rmmod against open files (test_module.c). */
#define RMMOD_CYCLES	40
struct rmmod_race {
	int cycles;	/* unload + load cycles with openers running */
	int violations;	/* rmmod succeeded while a narrowed file was open */
	int busy;	/* rmmod refused: a file was open */
	int opened;	/* files opened, narrowed and queried */
	int absent;	/* opens that found no module (ENOENT, ENXIO, ENODEV) */
	int other;	/* anything else: a file that failed mid-use */
};

void type_race_run(struct type_race *r, int iterations);
void budget_race_run(struct budget_race *r, int rounds);
void revoke_race_run(struct revoke_race *r, int rounds);
int rmmod_pinned_run(struct rmmod_race *r);
void rmmod_race_run(struct rmmod_race *r, int cycles);
void freeze_race_run(struct freeze_race *r, int iterations);
void race_report(const char *name, int iterations, int violations,
		 int accepted, int refused);

/* test_freeze.c */
int map_update(int map, __u32 key, __u32 value);
int array_map(int dev);
int read_only_fd(int map);
void pin_dir_setup(void);

#endif
