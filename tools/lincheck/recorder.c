// SPDX-License-Identifier: GPL-2.0
/*
 * recorder: record histories of concurrent calls on a vector, through a
 * backend (recorder.h), and check that each is linearizable against the
 * sequential model of a vector (lincheck.c).
 *
 * For each history the vector is cleared and given 0 to 2 values; THREADS
 * threads, released together by a barrier, each make OPS calls drawn from a
 * small key space (values and indices 0..3) so that they collide. Every call
 * is stamped from one shared counter just before it is made and just after
 * it returns: if a's response stamp is below b's invocation stamp, a
 * returned before b was called, which is the real-time order
 * linearizability needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recorder.h"
#include "../../selftests/secvec_rand.h"

#define KEYS		4	/* values and indices: 0..KEYS-1 */
#define FOREIGN		0x100	/* xor'ed into a value: never in the vector */

static const struct lc_backend *be;
static unsigned int nthreads = 4, per = 8;
static bool batches = true;

static struct lc_op ops[LC_MAX_OPS];
static unsigned int delay[LC_MAX_OPS];	/* us to wait before each call */
static unsigned int jitter;
static pthread_barrier_t start_bar, done_bar;
static bool quit;
static uint64_t clock_stamp;
static unsigned int ready;
static __u64 rng;

static unsigned int rnd_below(unsigned int n)
{
	return secvec_rand_below(&rng, n);
}

uint64_t lc_stamp(void)
{
	return __atomic_fetch_add(&clock_stamp, 1, __ATOMIC_SEQ_CST);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void lc_die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", be->prog, what, strerror(err));
	exit(1);
}

void lc_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", be->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", be->usage);
	exit(2);
}

static void plan_op(struct lc_op *op, int thread)
{
	unsigned int k = rnd_below(batches ? 100 : 90), i;

	memset(op, 0, sizeof(*op));
	op->thread = thread;
	op->kind = k < 25 ? LC_PUSH : k < 45 ? LC_POP : k < 65 ? LC_GET :
		   k < 80 ? LC_SET : k < 90 ? LC_SIZE :
		   k < 95 ? LC_PUSH_MANY : LC_POP_MANY;
	if (op->kind == LC_GET || op->kind == LC_SET)
		op->index = rnd_below(KEYS);
	if (op->kind == LC_PUSH || op->kind == LC_SET)
		op->value = rnd_below(KEYS);
	if (op->kind == LC_PUSH_MANY || op->kind == LC_POP_MANY)
		op->count = 1 + rnd_below(3);
	if (op->kind == LC_PUSH_MANY)
		for (i = 0; i < op->count; i++)
			op->values[i] = rnd_below(KEYS);
}

/* Busy-wait: a sleep would let another thread take the CPU. */
static void spin_us(unsigned int us)
{
	double end = now() + us / 1e6;

	while (now() < end)
		;
}

struct worker {
	pthread_t tid;
	int id;
	void *ctx;		/* the backend's */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int i, spins;

	if (be->thread_start)
		be->thread_start(w->ctx);
	for (;;) {
		pthread_barrier_wait(&start_bar);
		if (__atomic_load_n(&quit, __ATOMIC_ACQUIRE))
			break;
		/*
		 * Threads leave a barrier one by one, each woken by a futex:
		 * the first could finish its calls before the last wakes.
		 * Spin until all are here, so that the calls overlap; yield
		 * now and then in case there are fewer CPUs than threads.
		 */
		__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
		for (spins = 1; __atomic_load_n(&ready, __ATOMIC_ACQUIRE) <
				nthreads; spins++) {
			if (spins % 65536)
				cpu_relax();
			else
				sched_yield();
		}
		for (i = 0; i < per; i++) {
			unsigned int d = delay[w->id * per + i];

			if (d)
				spin_us(d);
			be->run_op(w->ctx, &ops[w->id * per + i]);
		}
		pthread_barrier_wait(&done_bar);
	}
	if (be->thread_stop)
		be->thread_stop(w->ctx);
	return NULL;
}

/*
 * Worker i on the i-th CPU we may use (modulo their number). Left to the
 * scheduler, threads made by one parent often share a CPU for a while and
 * then run one after the other, their calls never overlapping.
 */
static void pin_thread(pthread_t tid, const cpu_set_t *cpus, unsigned int i)
{
	unsigned int n = CPU_COUNT(cpus), cpu;
	cpu_set_t one;

	i %= n;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, cpus) && !i--)
			break;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	errno = pthread_setaffinity_np(tid, sizeof(one), &one);
	if (errno)
		lc_die("pthread_setaffinity_np", errno);
}

/* 0 to 2 values: the history's initial contents. */
static void plan_init(struct lc_model *init)
{
	unsigned int i;

	init->len = rnd_below(3);
	for (i = 0; i < init->len; i++)
		init->v[i] = rnd_below(KEYS);
}

/*
 * Broken mode: make one result impossible whatever the order. Values in
 * the vector are below KEYS, an index or a size below LC_MAX_LEN. Sets have
 * no result to corrupt. Returns false if the history has only sets.
 */
static bool corrupt(struct lc_history *h)
{
	unsigned int i, start = rnd_below(h->nops);

	for (i = 0; i < h->nops; i++) {
		struct lc_op *op = &h->ops[(start + i) % h->nops];

		switch (op->kind) {
		case LC_SET:
			continue;
		case LC_PUSH:
		case LC_PUSH_MANY:
			op->err = 0;
			op->index += 1000;
			break;
		case LC_SIZE:
			op->value += 1000;
			break;
		case LC_POP:
		case LC_GET:
		case LC_POP_MANY:
			if (op->err) {
				/* ENODATA or ERANGE: claim a value instead */
				op->err = 0;
				op->done = 1;
				op->index = 0;
				op->value = 0;
				op->values[0] = 0;
			}
			op->value ^= FOREIGN;
			op->values[0] ^= FOREIGN;
			break;
		}
		return true;
	}
	return false;
}

/*
 * Broken mode, for information: a pop or get that returned a value returns
 * the next value of the key space instead. Returns false if there is none.
 * Such a value may have been there at some point, so the checker rejects
 * only some of these.
 */
static bool flip(struct lc_history *h)
{
	unsigned int i, start = rnd_below(h->nops);

	for (i = 0; i < h->nops; i++) {
		struct lc_op *op = &h->ops[(start + i) % h->nops];

		if ((op->kind == LC_POP || op->kind == LC_GET) && !op->err) {
			op->value = (op->value + 1) % KEYS;
			return true;
		}
	}
	return false;
}

/* How many ops overlap in time an op of another thread. */
static unsigned int overlapping(const struct lc_history *h)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < h->nops; i++)
		for (j = 0; j < h->nops; j++) {
			const struct lc_op *a = &h->ops[i], *b = &h->ops[j];

			if (a->thread != b->thread &&
			    a->call < b->ret && b->call < a->ret) {
				n++;
				break;
			}
		}
	return n;
}

/* A history and its verdict; the first one that fails. */
static void print_history(unsigned int k, const struct lc_history *h,
			  const struct lc_result *r, const char *what)
{
	bool lin = r->verdict == LC_LINEARIZABLE;

	printf("lincheck: history %u%s: %s%s\n", k, what,
	       r->verdict == LC_ERROR ? "checker error: " :
	       lin ? "linearizable" : "not linearizable",
	       r->verdict == LC_ERROR ? r->why : "");
	lc_print_history(stdout, h);
	printf("lincheck: %s (%u of %u ops, %lu nodes searched):\n",
	       lin ? "a linearization" :
	       "the longest linearizable prefix found",
	       r->norder, h->nops, r->nodes);
	lc_print_order(stdout, h, r);
}

unsigned int lc_parse_uint(const char *what, const char *s,
			   unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || strchr(s, '-') || v > max)
		lc_usage_error("bad %s '%s'", what, s);
	return v;
}

int lc_recorder_main(int argc, char **argv, const struct lc_backend *backend)
{
	uint64_t seed = (uint64_t)time(NULL) * 1000003 ^ getpid();
	unsigned int histories = 1000, k, i, passed = 0, failed = 0;
	unsigned int corrupted = 0, flipped = 0, flips_caught = 0, n;
	unsigned int overlap = 0, concurrent = 0, backtracked = 0;
	static struct lc_op saved[LC_MAX_OPS];
	unsigned long max_nodes = 0;
	double t0, t_check = 0;
	struct worker w[LC_MAX_OPS];
	struct lc_history h = { .ops = ops };
	bool broken = false, shown = false, pin = true;
	char optstring[64];
	cpu_set_t cpus;
	int opt;

	be = backend;
	snprintf(optstring, sizeof(optstring), "%sH:t:o:s:j:uMBh",
		 be->optstring ? be->optstring : "");
	while ((opt = getopt(argc, argv, optstring)) != -1) {
		switch (opt) {
		case 'H':
			histories = lc_parse_uint("history count", optarg, ~0U);
			break;
		case 't':
			nthreads = lc_parse_uint("thread count", optarg,
						 LC_MAX_OPS);
			break;
		case 'o':
			per = lc_parse_uint("op count", optarg, LC_MAX_OPS);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			jitter = lc_parse_uint("jitter", optarg, 1U << 30);
			break;
		case 'u':
			pin = false;
			break;
		case 'M':
			batches = false;
			break;
		case 'B':
			broken = true;
			break;
		case 'h':
			fputs(be->usage, stdout);
			return 0;
		case '?':
			fputs(be->usage, stderr);
			return 2;
		default:
			be->option(opt, optarg);
			break;
		}
	}
	if (optind != argc || !nthreads || !per ||
	    nthreads * per > LC_MAX_OPS)
		lc_usage_error("need THREADS x OPS in 1..%d and no operands",
			       LC_MAX_OPS);
	rng = seed;
	printf("lincheck: seed %llu, %s, %u histories of %u threads x %u "
	       "ops%s%s\n",
	       (unsigned long long)seed, be->target(), histories, nthreads,
	       per, batches ? "" : ", no batches",
	       broken ? ", broken mode" : "");
	fflush(stdout);

	/*
	 * Keep what each check frees for the next one: in the VM a page
	 * fault is costly, and glibc would give the pages back each time.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	if (be->setup)
		be->setup();
	pthread_barrier_init(&start_bar, NULL, nthreads + 1);
	pthread_barrier_init(&done_bar, NULL, nthreads + 1);
	if (sched_getaffinity(0, sizeof(cpus), &cpus))
		lc_die("sched_getaffinity", errno);
	for (i = 0; i < nthreads; i++) {
		w[i].id = i;
		w[i].ctx = be->thread_init ? be->thread_init(i) : NULL;
		errno = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (errno)
			lc_die("pthread_create", errno);
		if (pin)
			pin_thread(w[i].tid, &cpus, i);
	}

	h.nops = nthreads * per;
	t0 = now();
	for (k = 0; k < histories; k++) {
		struct lc_result r;
		bool ok;
		double t;

		for (i = 0; i < h.nops; i++) {
			plan_op(&ops[i], i / per);
			delay[i] = jitter ? rnd_below(jitter + 1) : 0;
		}
		plan_init(&h.init);
		be->prepare(k, &h.init);
		clock_stamp = 1;
		ready = 0;
		pthread_barrier_wait(&start_bar);
		pthread_barrier_wait(&done_bar);
		if (be->finished)
			be->finished(k);

		t = now();
		ok = lc_check(&h, &r) == LC_LINEARIZABLE;
		if (r.nodes > max_nodes)
			max_nodes = r.nodes;
		n = overlapping(&h);
		overlap += n;
		concurrent += n > 0;
		backtracked += r.nodes > h.nops;
		if (!ok && !shown) {
			print_history(k, &h, &r, "");
			shown = true;
		}
		if (broken) {
			memcpy(saved, ops, h.nops * sizeof(ops[0]));
			if (flip(&h)) {
				flipped++;
				flips_caught += lc_check(&h, &r) ==
						LC_NOT_LINEARIZABLE;
			}
			memcpy(ops, saved, h.nops * sizeof(ops[0]));
			if (!corrupt(&h)) {
				printf("lincheck: history %u: only sets, "
				       "nothing to corrupt\n", k);
				ok = false;
			} else if (lc_check(&h, &r) == LC_NOT_LINEARIZABLE) {
				corrupted++;
			} else {
				if (!shown)
					print_history(k, &h, &r,
						      ", corrupted");
				shown = true;
				ok = false;
			}
		}
		t_check += now() - t;
		if (ok)
			passed++;
		else
			failed++;
	}
	t0 = now() - t0;

	__atomic_store_n(&quit, true, __ATOMIC_RELEASE);
	pthread_barrier_wait(&start_bar);
	for (i = 0; i < nthreads; i++)
		pthread_join(w[i].tid, NULL);

	printf("lincheck: %u histories in %.2f s (checking %.2f s)\n",
	       histories, t0, t_check);
	printf("lincheck: %u histories with calls of different threads "
	       "overlapping, %.1f%% of calls overlapping one of another "
	       "thread\n", concurrent,
	       histories ? 100.0 * overlap / histories / h.nops : 0.0);
	printf("lincheck: %u histories where the search hit a dead end, at "
	       "most %lu steps tried for %u calls\n", backtracked, max_nodes,
	       h.nops);
	if (broken) {
		printf("lincheck: broken mode: %u of %u histories, with one "
		       "result made impossible, rejected\n", corrupted,
		       histories);
		printf("lincheck: broken mode: %u of %u histories, with one "
		       "pop or get value v made (v + 1) %% %d, rejected\n",
		       flips_caught, flipped, KEYS);
	}
	if (be->report)
		failed += be->report();
	if (be->teardown)
		be->teardown();
	printf("lincheck: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
