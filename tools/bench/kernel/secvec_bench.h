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
 * secvec_bench.c runs the workloads on kthreads started together; the
 * KUnit suite (secvec_bench_kunit.c) runs them on one CPU under UML for
 * single-thread costs.
 */
#ifndef _SECVEC_BENCH_KERNEL_H
#define _SECVEC_BENCH_KERNEL_H

#include <linux/types.h>

/*
 * What every implementation offers, as secvec_bench_<impl>_<call>(): its
 * vector is opaque, create() returns NULL when it fails, destroy() takes
 * what create() returned, and the calls return secvec's errors (-ENODATA
 * pop on empty, -ERANGE index at or past the size, -ENOSPC over the cap,
 * -ENOMEM).
 */
struct bench_ops {
	void *(*create)(u64 max_elements);
	void (*destroy)(void *vec);
	int (*push)(void *vec, u64 value);
	int (*pop)(void *vec, u64 *value);
	int (*get)(void *vec, u64 index, u64 *value);
	int (*set)(void *vec, u64 index, u64 value);
};

#define SECVEC_BENCH_DECLARE_OPS(impl)					\
	void *secvec_bench_##impl##_create(u64 max_elements);		\
	void secvec_bench_##impl##_destroy(void *vec);			\
	int secvec_bench_##impl##_push(void *vec, u64 value);		\
	int secvec_bench_##impl##_pop(void *vec, u64 *value);		\
	int secvec_bench_##impl##_get(void *vec, u64 index, u64 *value); \
	int secvec_bench_##impl##_set(void *vec, u64 index, u64 value)

SECVEC_BENCH_DECLARE_OPS(spinvec);
SECVEC_BENCH_DECLARE_OPS(xavec);
SECVEC_BENCH_DECLARE_OPS(casfloor);

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

extern const char *const secvec_bench_impl_names[BENCH_NR_IMPLS];
extern const char *const secvec_bench_workload_names[BENCH_NR_WORKLOADS];

/* The module parameters both entry points share (secvec_bench.c). */
extern unsigned int secvec_bench_rounds;
extern unsigned long long secvec_bench_ops;
extern unsigned long long secvec_bench_prefill;

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

int secvec_bench_run(const struct bench_params *p, struct bench_result *r);
void secvec_bench_print(const struct bench_params *p,
			const struct bench_result *r);

#endif /* _SECVEC_BENCH_KERNEL_H */
