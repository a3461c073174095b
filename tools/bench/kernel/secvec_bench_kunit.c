// SPDX-License-Identifier: GPL-2.0
/*
 * The single-thread benchmarks as a KUnit suite, for UML: it runs kernel
 * code at native speed on one CPU, so its ns per operation are real
 * single-thread costs, where the lab VM (qemu TCG) only gives ratios.
 *
 * Not a test: it fails only if the harness cannot run. It is left out of
 * the test configs (CONFIG_SECVEC_BENCH_KUNIT) and its cases are marked
 * slow. tools/bench/run.sh builds it with bench.kunitconfig, which has no
 * lock debugging: lockdep would weigh on the spinlock and XArray
 * baselines and not on secvec.
 *
 * UML has one CPU and no CONFIG_SMP, nor a preemption count: spin_lock()
 * is a compiler barrier and atomics lose their lock prefix. The figures
 * are the cost of each structure's own work, not of cache-line
 * transfers. So spinvec is a plain array here, and the CAS floor
 * (casfloor.c: one cmpxchg() per push or pop, with the value's load
 * or store) runs alongside, to show what an operation built on
 * compare-and-swap costs at the least on that CPU.
 *
 * Each case is one workload: every implementation, rounds interleaved,
 * each measurement printed as secvec_bench_print() JSON for run.sh and
 * the medians summed up for a human reader. Rounds, operations and
 * prefill are the module's parameters (secvec_bench.rounds= and so on,
 * on the UML kernel's command line).
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "secvec_bench.h"

#define BENCH_KUNIT_MAX_ROUNDS	31

static const enum bench_workload bench_kunit_workloads[] = {
	BENCH_FILL, BENCH_DRAIN, BENCH_PUSHPOP, BENCH_READMOSTLY,
	BENCH_RANDSET, BENCH_GET,
};

static void bench_kunit_desc(const enum bench_workload *w, char *desc)
{
	strscpy(desc, secvec_bench_workload_names[*w], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bench_kunit_workload, bench_kunit_workloads,
		  bench_kunit_desc);

static int bench_kunit_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median, in picoseconds per operation, of @n timings. */
static u64 bench_kunit_median(u64 *ps, unsigned int n)
{
	sort(ps, n, sizeof(*ps), bench_kunit_cmp, NULL);
	return n % 2 ? ps[n / 2] : (ps[n / 2 - 1] + ps[n / 2]) / 2;
}

static void secvec_bench_workload(struct kunit *test)
{
	const enum bench_workload *w = test->param_value;
	unsigned int rounds = clamp(secvec_bench_rounds, 1U,
				    BENCH_KUNIT_MAX_ROUNDS);
	struct bench_params p = {
		.workload = *w,
		.threads = 1,
		.ops = secvec_bench_ops,
		.prefill = secvec_bench_prefill,
	};
	u64 (*ps)[BENCH_KUNIT_MAX_ROUNDS];
	u64 med[BENCH_NR_IMPLS];
	struct bench_result r;
	unsigned int k;

	ps = kunit_kcalloc(test, BENCH_NR_IMPLS, sizeof(*ps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ps);

	/* Round by round, the implementations' order rotated each time. */
	for (p.round = 0; p.round < rounds; p.round++) {
		for (k = 0; k < BENCH_NR_IMPLS; k++) {
			p.impl = (k + p.round) % BENCH_NR_IMPLS;
			KUNIT_ASSERT_EQ(test, secvec_bench_run(&p, &r), 0);
			secvec_bench_print(&p, &r);
			/* Single-threaded, only pushpop's pops may miss. */
			if (*w != BENCH_PUSHPOP)
				KUNIT_EXPECT_EQ(test, r.errors, 0);
			ps[p.impl][p.round] = div64_u64(r.ns * 1000, r.ops);
		}
	}
	for (k = 0; k < BENCH_NR_IMPLS; k++)
		med[k] = bench_kunit_median(ps[k], rounds);
	kunit_info(test, "%s, ns/op (median of %u): secvec %llu.%03llu, spinvec %llu.%03llu, xavec %llu.%03llu, casfloor %llu.%03llu\n",
		   secvec_bench_workload_names[*w], rounds,
		   med[BENCH_SECVEC] / 1000, med[BENCH_SECVEC] % 1000,
		   med[BENCH_SPINVEC] / 1000, med[BENCH_SPINVEC] % 1000,
		   med[BENCH_XAVEC] / 1000, med[BENCH_XAVEC] % 1000,
		   med[BENCH_CASFLOOR] / 1000, med[BENCH_CASFLOOR] % 1000);
}

static struct kunit_case secvec_bench_cases[] = {
	KUNIT_CASE_PARAM_ATTR(secvec_bench_workload,
			      bench_kunit_workload_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite secvec_bench_suite = {
	.name = "secvec_bench",
	.test_cases = secvec_bench_cases,
};

kunit_test_suite(secvec_bench_suite);
