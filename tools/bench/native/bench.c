// SPDX-License-Identifier: GPL-2.0
/*
 * Native multi-core benchmark of secvec against a mutex vector, a spinlock
 * vector and TBB's concurrent_vector.
 *
 * Workloads (each thread does -n operations; all threads start together
 * and the clock stops when the last one ends):
 *   fill        push onto an empty vector
 *   drain       pop a vector prefilled with threads * n values
 *   pushpop     50% push, 50% pop (prefilled with PREFILL values)
 *   readmostly  90% get, 5% push, 5% pop (prefilled)
 *   read        100% get (prefilled)
 * Rounds interleave the implementations (round r runs every workload,
 * thread count and implementation once); each figure is the median of
 * the rounds.
 *
 * Usage: secvec-bench [-t 1,2] [-r 5] [-n ops] [-w fill,...] [-i secvec,...]
 *                     [-o out.json]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define PREFILL		(1UL << 16)
#define MAX_THREADS	256

struct workload {
	const char *name;
	bool pops;
	unsigned long (*prefill)(unsigned long ops, unsigned int threads);
	void (*run)(const struct vec_impl *impl, void *v, unsigned long ops,
		    uint64_t *rng);
};

static uint64_t next(uint64_t *rng)
{
	*rng ^= *rng << 13;
	*rng ^= *rng >> 7;
	*rng ^= *rng << 17;
	return *rng;
}

static void must(int err, const char *what)
{
	if (err && err != -ENODATA) {
		fprintf(stderr, "secvec-bench: %s: %s\n", what, strerror(-err));
		exit(1);
	}
}

static unsigned long prefill_none(unsigned long ops, unsigned int threads)
{
	(void)ops, (void)threads;
	return 0;
}

static unsigned long prefill_all(unsigned long ops, unsigned int threads)
{
	return ops * threads;
}

static unsigned long prefill_some(unsigned long ops, unsigned int threads)
{
	(void)ops, (void)threads;
	return PREFILL;
}

static void run_fill(const struct vec_impl *impl, void *v,
		     unsigned long ops, uint64_t *rng)
{
	(void)rng;
	while (ops--)
		must(impl->push(v, ops), "push");
}

static void run_drain(const struct vec_impl *impl, void *v,
		      unsigned long ops, uint64_t *rng)
{
	uint64_t x;

	(void)rng;
	while (ops--)
		must(impl->pop(v, &x), "pop");
}

static void run_pushpop(const struct vec_impl *impl, void *v,
			unsigned long ops, uint64_t *rng)
{
	uint64_t x;

	while (ops--) {
		if (next(rng) & 1)
			must(impl->push(v, ops), "push");
		else
			must(impl->pop(v, &x), "pop");
	}
}

/* Indexes below PREFILL / 2 stay valid while pushes and pops balance. */
static void run_readmostly(const struct vec_impl *impl, void *v,
			   unsigned long ops, uint64_t *rng)
{
	uint64_t r, x;

	while (ops--) {
		r = next(rng);
		if (r % 100 < 90)
			must(impl->get(v, (r >> 8) % (PREFILL / 2), &x), "get");
		else if (r % 100 < 95)
			must(impl->push(v, ops), "push");
		else
			must(impl->pop(v, &x), "pop");
	}
}

static void run_read(const struct vec_impl *impl, void *v,
		     unsigned long ops, uint64_t *rng)
{
	uint64_t x;

	while (ops--)
		must(impl->get(v, next(rng) % PREFILL, &x), "get");
}

static const struct workload workloads[] = {
	{ "fill", false, prefill_none, run_fill },
	{ "drain", true, prefill_all, run_drain },
	{ "pushpop", true, prefill_some, run_pushpop },
	{ "readmostly", true, prefill_some, run_readmostly },
	{ "read", false, prefill_some, run_read },
};

static const struct vec_impl *const impls[] = {
	&secvec_impl, &mutex_impl, &spinlock_impl, &tbb_impl,
};

#define NR_WORKLOADS	(sizeof(workloads) / sizeof(workloads[0]))
#define NR_IMPLS	(sizeof(impls) / sizeof(impls[0]))

struct worker {
	const struct workload *w;
	const struct vec_impl *impl;
	void *v;
	unsigned long ops;
	unsigned int id;
	int *ready;
	int *go;
	struct timespec end;
	pthread_t tid;
};

static long nr_cpus;

static void *worker_fn(void *arg)
{
	struct worker *k = arg;
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (k->id + 1);
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(k->id % nr_cpus, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	if (k->impl->thread_start)
		k->impl->thread_start();
	__atomic_add_fetch(k->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(k->go, __ATOMIC_ACQUIRE))
		;
	k->w->run(k->impl, k->v, k->ops, &rng);
	clock_gettime(CLOCK_MONOTONIC, &k->end);
	if (k->impl->thread_stop)
		k->impl->thread_stop();
	return NULL;
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) * 1e-9;
}

/* One measurement: ops/s over all threads. */
static double measure(const struct workload *w, const struct vec_impl *impl,
		      unsigned int threads, unsigned long ops)
{
	struct worker k[MAX_THREADS];
	struct timespec start;
	unsigned long i, prefill = w->prefill(ops, threads);
	int ready = 0, go = 0;
	double elapsed = 0;
	void *v = impl->create();

	if (!v) {
		fprintf(stderr, "secvec-bench: %s: cannot create\n", impl->name);
		exit(1);
	}
	if (impl->thread_start)
		impl->thread_start();
	for (i = 0; i < prefill; i++)
		must(impl->push(v, i), "prefill");
	for (i = 0; i < threads; i++) {
		k[i] = (struct worker){ .w = w, .impl = impl, .v = v,
					.ops = ops, .id = i,
					.ready = &ready, .go = &go };
		if (pthread_create(&k[i].tid, NULL, worker_fn, &k[i])) {
			perror("secvec-bench: pthread_create");
			exit(1);
		}
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < (int)threads)
		sched_yield();
	clock_gettime(CLOCK_MONOTONIC, &start);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < threads; i++) {
		pthread_join(k[i].tid, NULL);
		if (seconds(&start, &k[i].end) > elapsed)
			elapsed = seconds(&start, &k[i].end);
	}
	impl->destroy(v);
	if (impl->thread_stop)
		impl->thread_stop();
	return threads * ops / elapsed;
}

/* The 1, 5 and 15 minute load averages. */
static void loadavg(char *buf, size_t size)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double a[3] = { -1, -1, -1 };

	if (f) {
		if (fscanf(f, "%lf %lf %lf", &a[0], &a[1], &a[2]) != 3)
			a[0] = -1;
		fclose(f);
	}
	snprintf(buf, size, "%.2f %.2f %.2f", a[0], a[1], a[2]);
}

/* "1,2,4" -> {1, 2, 4}; returns how many. */
static unsigned int parse_list(char *s, unsigned int *out, unsigned int max)
{
	unsigned int n = 0;
	char *tok;

	for (tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = strtoul(tok, NULL, 0);
	return n;
}

static bool wanted(const char *name, const char *list)
{
	char buf[256], *tok;

	if (!list)
		return true;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
		if (!strcmp(tok, name))
			return true;
	return false;
}

static void usage(FILE *f, int status)
{
	unsigned int i;

	fprintf(f, "usage: secvec-bench [-t threads,...] [-r runs] "
		"[-n ops per thread] [-w workload,...] [-i impl,...] "
		"[-o json]\n"
		"Runs each workload on each implementation, interleaved run by "
		"run, and prints\na markdown table of median Mops/s with ratios "
		"to the spinlock vector.\n"
		"  -t  thread counts (default 1,2)\n"
		"  -r  runs, the table shows the median (default 5)\n"
		"  -n  operations per thread per run (default 1000000)\n"
		"  -w  workloads to run (default all):");
	for (i = 0; i < NR_WORKLOADS; i++)
		fprintf(f, " %s", workloads[i].name);
	fprintf(f, "\n  -i  implementations to run (default all):");
	for (i = 0; i < NR_IMPLS; i++)
		fprintf(f, " %s", impls[i]->name);
	fprintf(f, "\n  -o  also write every measurement as JSON to this file\n"
		"Exit status: 0 on success, 1 if a run failed, 2 on bad "
		"arguments.\n");
	exit(status);
}

int main(int argc, char **argv)
{
	unsigned int threads[16] = { 1, 2 }, nr_threads = 2, t, i, r, n = 0;
	struct bench_info info = { .ops = 1000000, .runs = 5 };
	const char *json = NULL, *only = NULL, *only_impl = NULL;
	struct result *res, *x;
	int opt;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		usage(stdout, 0);
	while ((opt = getopt(argc, argv, "t:r:n:w:i:o:")) != -1) {
		switch (opt) {
		case 't':
			nr_threads = parse_list(optarg, threads, 16);
			break;
		case 'r':
			info.runs = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			info.ops = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			only = optarg;
			break;
		case 'i':
			only_impl = optarg;
			break;
		case 'o':
			json = optarg;
			break;
		default:
			usage(stderr, 2);
		}
	}
	for (t = 0; t < nr_threads; t++)
		if (!threads[t] || threads[t] > MAX_THREADS)
			usage(stderr, 2);
	if (!nr_threads || !info.runs || !info.ops)
		usage(stderr, 2);
	nr_cpus = info.cpus = sysconf(_SC_NPROCESSORS_ONLN);

	res = calloc(NR_WORKLOADS * nr_threads * NR_IMPLS, sizeof(*res));
	for (i = 0; i < NR_WORKLOADS; i++) {
		if (!wanted(workloads[i].name, only))
			continue;
		for (t = 0; t < nr_threads; t++) {
			for (r = 0; r < NR_IMPLS; r++) {
				if (!wanted(impls[r]->name, only_impl))
					continue;
				x = &res[n++];
				x->workload = workloads[i].name;
				x->threads = threads[t];
				x->impl = impls[r];
				if (workloads[i].pops && !impls[r]->pop)
					continue;
				x->samples = calloc(info.runs, sizeof(double));
			}
		}
	}
	loadavg(info.load_before, sizeof(info.load_before));
	/* Round by round, so that drifts hit every implementation alike. */
	for (r = 0; r < info.runs; r++) {
		fprintf(stderr, "secvec-bench: round %u/%u\n", r + 1, info.runs);
		for (i = 0; i < n; i++) {
			const struct workload *w = workloads;

			x = &res[i];
			if (!x->samples)
				continue;
			while (strcmp(w->name, x->workload))
				w++;
			x->samples[x->nr++] = measure(w, x->impl, x->threads,
						      info.ops);
		}
	}
	loadavg(info.load_after, sizeof(info.load_after));
	printf("%u rounds, median ops/s, %lu ops per thread, %ld CPUs, "
	       "load average %s before, %s after\n\n", info.runs, info.ops,
	       info.cpus, info.load_before, info.load_after);
	report_table(res, n);
	return json && report_json(json, &info, res, n) ? 1 : 0;
}
