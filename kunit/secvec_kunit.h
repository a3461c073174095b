/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by secvec's KUnit suites. */
#ifndef _SECVEC_KUNIT_H
#define _SECVEC_KUNIT_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/prandom.h>

#include "secvec.h"
#include "secvec_test.h"

/* 6.1's KUnit names KUNIT_FAIL_AND_ABORT() KUNIT_ASSERT_FAILURE(). */
#ifndef KUNIT_FAIL_AND_ABORT
#define KUNIT_FAIL_AND_ABORT(test, fmt, ...) \
	KUNIT_ASSERT_FAILURE(test, fmt, ##__VA_ARGS__)
#endif

/*
 * KASAN (with kmemleak) under qemu TCG runs these suites about ten times
 * slower; there they do an eighth of the work, which still interleaves
 * (the CAS retry and help counters say so). UML and KCSAN runs do it all.
 */
#define SECVEC_KUNIT_SCALE	(IS_ENABLED(CONFIG_KASAN) ? 8 : 1)

/* A cap that the single-threaded suites never reach. */
#define SECVEC_KUNIT_BIG	BIT_ULL(20)

/* A vector that the test's cleanup destroys, failing the test if absent. */
struct secvec *secvec_kunit_create(struct kunit *test, u64 max_elements);

/* Push i * 3 + 1 for each i in [@from, @to), asserting each lands at i. */
void secvec_kunit_push_range(struct kunit *test, struct secvec *v, u64 from,
			     u64 to);
/* Assert that @v holds exactly i * 3 + 1 at each index i < @n. */
void secvec_kunit_expect_prefix(struct kunit *test, struct secvec *v, u64 n);

/*
 * Run @fn(arg + i * @stride) on @n kthreads started together, spread over
 * the online CPUs, and wait for all of them. Returns 0 or -errno if a
 * thread could not be created.
 */
int secvec_kunit_run_threads(unsigned int n, int (*fn)(void *arg),
			     void *arg, size_t stride);

/* Threads for the concurrency cases: @factor per online CPU, >= 4 * @factor. */
unsigned int secvec_kunit_nr_threads(unsigned int factor);

/* Parameter generator: thread factors 1 and 2 per online CPU. */
const void *secvec_kunit_thread_param(const void *prev, char *desc);

#endif /* _SECVEC_KUNIT_H */
