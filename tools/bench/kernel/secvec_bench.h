/* SPDX-License-Identifier: GPL-2.0 */
/*
 * secvec benchmarks: secvec against the two vectors a kernel engineer would
 * otherwise write, under one harness.
 *
 *  - spinvec: a kvmalloc()'d array grown by doubling, every operation under
 *    one spinlock (spinvec.c);
 *  - xavec: an XArray used as a vector, stores at the size and erases at
 *    the tail under the xa_lock, reads with xa_load() (xavec.c);
 *
 * and, as a yardstick rather than a vector, the CAS floor (casfloor.c).
 * All four offer the same five calls with secvec's error convention
 * (-ENODATA pop on empty, -ERANGE index at or past the size, -ENOSPC over
 * the cap, -ENOMEM). secvec_bench.c runs the workloads on kthreads started
 * together; the KUnit suite (secvec_bench_kunit.c) runs them on one CPU
 * under UML for single-thread costs.
 */
#ifndef _SECVEC_BENCH_KERNEL_H
#define _SECVEC_BENCH_KERNEL_H

#include <linux/types.h>

struct bench_spinvec;
struct bench_spinvec *bench_spinvec_create(u64 max_elements);
void bench_spinvec_destroy(struct bench_spinvec *sv);
int bench_spinvec_push(struct bench_spinvec *sv, u64 value);
int bench_spinvec_pop(struct bench_spinvec *sv, u64 *value);
int bench_spinvec_get(struct bench_spinvec *sv, u64 index, u64 *value);
int bench_spinvec_set(struct bench_spinvec *sv, u64 index, u64 value);

/*
 * XArray value entries hold at most LONG_MAX (xa_mk_value()), so xavec
 * takes values up to LONG_MAX and refuses others with -EINVAL: a full u64
 * would need a boxed entry per element. The harness only uses such values.
 */
struct bench_xavec;
struct bench_xavec *bench_xavec_create(u64 max_elements);
void bench_xavec_destroy(struct bench_xavec *xv);
int bench_xavec_push(struct bench_xavec *xv, u64 value);
int bench_xavec_pop(struct bench_xavec *xv, u64 *value);
int bench_xavec_get(struct bench_xavec *xv, u64 index, u64 *value);
int bench_xavec_set(struct bench_xavec *xv, u64 index, u64 value);

/*
 * The CAS floor (casfloor.c): per push or pop, a bounds check, one
 * cmpxchg() on the size and the value's load or store, the least a
 * lock-free design built on compare-and-swap pays. Not linearizable, so
 * single-threaded only: the KUnit suite runs it; the threaded module
 * skips it at more than one thread.
 */
struct bench_casfloor;
struct bench_casfloor *bench_casfloor_create(u64 max_elements);
void bench_casfloor_destroy(struct bench_casfloor *f);
int bench_casfloor_push(struct bench_casfloor *f, u64 value);
int bench_casfloor_pop(struct bench_casfloor *f, u64 *value);
int bench_casfloor_get(struct bench_casfloor *f, u64 index, u64 *value);
int bench_casfloor_set(struct bench_casfloor *f, u64 index, u64 value);

enum bench_impl {
	BENCH_SECVEC,
	BENCH_SPINVEC,
	BENCH_XAVEC,
	BENCH_CASFLOOR,
	BENCH_NR_IMPLS
};

enum bench_workload {
	BENCH_FILL,		/* push only, from empty (includes growth) */
	BENCH_DRAIN,		/* pop only, down to empty */
	BENCH_PUSHPOP,		/* push or pop, 50/50 */
	BENCH_READMOSTLY,	/* 90% get, 5% push, 5% pop */
	BENCH_RANDSET,		/* set at random indexes */
	BENCH_GET,		/* get at random indexes */
	BENCH_NR_WORKLOADS
};

extern const char *const bench_impl_names[BENCH_NR_IMPLS];
extern const char *const bench_workload_names[BENCH_NR_WORKLOADS];

/* What one measurement is asked to do. */
struct bench_params {
	enum bench_impl impl;
	enum bench_workload workload;
	unsigned int threads;
	unsigned int round;	/* seeds the generators, labels the result */
	u64 ops;		/* in all, shared out among the threads */
	u64 prefill;		/* elements pushed, untimed, before the run */
};

/* What it measured. */
struct bench_result {
	u64 ns;			/* first thread's start to last one's end */
	u64 ops;		/* operations done (errors included) */
	u64 errors;		/* e.g. a pop that found the vector empty */
	u64 prefill;		/* elements pushed before the run */
	u64 cas_retry;		/* secvec only: its counters over the run */
	u64 help;
	u64 desc_alloc;
};

int bench_run(const struct bench_params *p, struct bench_result *r);
void bench_print(const struct bench_params *p, const struct bench_result *r);

#endif /* _SECVEC_BENCH_KERNEL_H */
