/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where secvec's KUnit suites reach into the core: per-vector knobs, and
 * the points at which the core lets a test stop it. (Allocations fail
 * through the kernel's fault injection: secvec_test_fail_allocs().) The hooks
 * that set them are in secvec_test_hooks.c, their API in secvec_test.h;
 * both are built only with CONFIG_SECVEC_KUNIT_TEST. Without it the knobs
 * take no room and every point compiles to nothing, so that the core's
 * code has no test branches of its own.
 */
#ifndef _SECVEC_TEST_POINTS_H
#define _SECVEC_TEST_POINTS_H

#include <linux/compiler.h>
#include <linux/types.h>

struct secvec;

/* Where the core calls the function a test set (secvec_test_on_*()). */
enum secvec_test_stop {
	SECVEC_STOP_LOAD,	/* between a state load's looks at meta */
	SECVEC_STOP_INSTALLED,	/* a set's or batch's owner, after its CAS */
	SECVEC_STOP_LANDED,	/* a batch's owner, every write landed */
	SECVEC_NR_STOPS
};

#if IS_ENABLED(CONFIG_SECVEC_KUNIT_TEST)
/**
 * struct secvec_test_knobs - what a test has set on one vector
 * @stop: the functions to call at each enum secvec_test_stop, or NULL
 * @land_chunk: if not 0, landers pause after as many writes and every
 *	state load gives up after a lost round, as if the CPU were wanted
 * @push_stalls: a push's owner stops right after its CAS: its write owed
 */
struct secvec_test_knobs {
	void (*stop[SECVEC_NR_STOPS])(struct secvec *v);
	u32 land_chunk;
	bool push_stalls;
};

static inline void secvec_test_stop(struct secvec_test_knobs *t,
				    enum secvec_test_stop at, struct secvec *v)
{
	void (*fn)(struct secvec *v) = READ_ONCE(t->stop[at]);

	if (fn)
		fn(v);
}

static inline u32 secvec_test_land_chunk(const struct secvec_test_knobs *t)
{
	return READ_ONCE(t->land_chunk);
}

static inline bool secvec_test_push_stalls(const struct secvec_test_knobs *t)
{
	return READ_ONCE(t->push_stalls);
}
#else
struct secvec_test_knobs {};

static inline void secvec_test_stop(struct secvec_test_knobs *t,
				    enum secvec_test_stop at, struct secvec *v)
{
}

static inline u32 secvec_test_land_chunk(const struct secvec_test_knobs *t)
{
	return 0;
}

static inline bool secvec_test_push_stalls(const struct secvec_test_knobs *t)
{
	return false;
}
#endif

#endif /* _SECVEC_TEST_POINTS_H */
