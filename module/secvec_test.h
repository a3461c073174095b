/* SPDX-License-Identifier: GPL-2.0 */
/*
 * secvec's test hooks, for its KUnit suites only (kunit/): they play a
 * delayed helper or lander deterministically, stop the core at chosen
 * points, fail its allocations and look at its state. Built only with
 * CONFIG_SECVEC_KUNIT_TEST (secvec_test_hooks.c), exported in the
 * SECVEC_TEST symbol namespace: a user imports it with
 * MODULE_IMPORT_NS(SECVEC_TEST). Each hook is for a test running alone
 * on its vector unless it says otherwise.
 */
#ifndef _SECVEC_TEST_H
#define _SECVEC_TEST_H

#include <linux/types.h>

#include "secvec.h"

/*
 * What a helper holds of an owed write before its slot CAS
 * (secvec_test_capture_write()), to replay it later.
 */
struct secvec_test_write {
	u64 index;
	u64 old;	/* slot value when captured: what Dechev's CAS expects */
	u64 value;
	u64 tag;	/* the slot tag the write expects: secvec's CAS */
	u64 new_tag;	/* the tag it leaves */
	u64 meta;	/* the state's meta when captured */
};

/*
 * Allocations, every vector's and every task's, through the kernel's
 * fault injection (secvec_fail_alloc): let @skip pass, then fail @n; or
 * fail each with probability @percent; 0 stops. -EOPNOTSUPP without
 * CONFIG_FAULT_INJECTION.
 */
int secvec_test_fail_allocs(int skip, int n);
int secvec_test_fail_randomly(unsigned int percent);

/* A push whose owner stops right after its CAS: its write is owed. */
int secvec_test_push_unfinished(struct secvec *v, u64 value, u64 *index);
/* The state's first owed write, as a helper reads it; false if none. */
bool secvec_test_capture_write(struct secvec *v, struct secvec_test_write *w);
/* The captured write's slot CAS, now (or the paper's, if @naive). */
void secvec_test_replay_write(struct secvec *v,
			      const struct secvec_test_write *w, bool naive);
/* A push's helper that read the state when @w was captured, run now. */
void secvec_test_help_late(struct secvec *v,
			   const struct secvec_test_write *w);
/* A batch lander that read the mark @from, run now; -ENOENT if none. */
int secvec_test_land_late(struct secvec *v, u32 from);

/* Stops: @fn called at the point, inside the section (must not sleep). */
void secvec_test_on_load(struct secvec *v, void (*fn)(struct secvec *v));
void secvec_test_on_installed(struct secvec *v,
			      void (*fn)(struct secvec *v));
void secvec_test_on_landed(struct secvec *v, void (*fn)(struct secvec *v));
/* Landers pause every @n writes, as if the CPU were wanted; 0: off. */
void secvec_test_land_pause_every(struct secvec *v, u32 n);

/* State and slots. */
int secvec_test_set_tag(struct secvec *v, u64 index, u64 tag);
int secvec_test_set_stamp(struct secvec *v, u64 stamp);
u64 secvec_test_stamp(struct secvec *v);
const void *secvec_test_bucket(struct secvec *v, unsigned int b);
const void *secvec_test_desc(struct secvec *v);
bool secvec_test_block_kept(struct secvec *v);
int secvec_test_landed_mark(struct secvec *v);

#endif /* _SECVEC_TEST_H */
