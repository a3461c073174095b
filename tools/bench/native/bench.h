/* SPDX-License-Identifier: GPL-2.0 */
/* One vector implementation under benchmark: a table of operations. */
#ifndef _SECVEC_BENCH_H
#define _SECVEC_BENCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vec_impl {
	const char *name;
	void *(*create)(void);
	void (*destroy)(void *v);
	int (*push)(void *v, uint64_t value);
	int (*pop)(void *v, uint64_t *value);	/* NULL: has no pop */
	int (*get)(void *v, uint64_t index, uint64_t *value);
	void (*thread_start)(void);		/* NULL: nothing to do */
	void (*thread_stop)(void);
};

extern const struct vec_impl secvec_impl, mutex_impl, spinlock_impl,
			      tbb_impl;

/* One workload x thread count x implementation: the runs' ops/s. */
struct result {
	const char *workload;
	unsigned int threads;
	const struct vec_impl *impl;
	double *samples;	/* NULL: n/a (the implementation cannot pop) */
	unsigned int nr;
};

struct bench_info {
	unsigned long ops;	/* per thread */
	unsigned int runs;
	long cpus;
	char load_before[32];	/* /proc/loadavg: how busy the machine was */
	char load_after[32];
};

void report_table(const struct result *r, unsigned int n);
int report_json(const char *path, const struct bench_info *info,
		const struct result *r, unsigned int n);

#ifdef __cplusplus
}
#endif

#endif
