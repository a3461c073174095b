// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_lincheck: record histories of concurrent operations on /dev/secvec
 * and check that each is linearizable against the sequential model of a
 * vector (lincheck.c).
 *
 * For each history the vector is cleared and given 0 to 2 values; THREADS
 * threads, released together by a barrier, each make OPS calls drawn from a
 * small key space (values and indices 0..3) so that they collide. Every call
 * is stamped from one shared counter just before the ioctl and just after it
 * returns: if a's response stamp is below b's invocation stamp, a returned
 * before b was called, which is the real-time order linearizability needs.
 *
 * Destroys the vector's contents; run it alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/secvec.h>

#include "lincheck.h"

#define DEFAULT_DEV	"/dev/secvec"
#define KEYS		4	/* values and indices: 0..KEYS-1 */
#define FOREIGN		0x100	/* xor'ed into a value: never in the vector */

static const char usage_text[] =
"usage: secvec_lincheck [-d DEV] [-H HISTORIES] [-t THREADS] [-o OPS]\n"
"                       [-s SEED] [-j JITTER] [-u] [-M] [-B]\n"
"\n"
"Record HISTORIES histories (default 1000) of THREADS threads (default 4)\n"
"making OPS random calls each (default 8; THREADS x OPS <= 64) on DEV\n"
"(default " DEFAULT_DEV "): push, pop, get, set, size, push_many, pop_many\n"
"(-M: no batches), values and indices in 0..3. Check each history for\n"
"linearizability; print the first rejected one in full.\n"
"\n"
"  -s SEED    seed of the operation mix (default: from the clock; printed)\n"
"  -j JITTER  busy-wait 0..JITTER us before each call (default 0: the\n"
"             threads start together, which overlaps their calls the most)\n"
"  -u         leave the threads unpinned (default: thread i on CPU i)\n"
"  -B         broken mode, to show the checker can reject: after checking\n"
"             a history, also check a copy with one result made impossible\n"
"             (a value read or popped that was never stored, a size or an\n"
"             index off by 1000). A history passes if it is accepted and\n"
"             its corrupted copy rejected.\n"
"\n"
"The last line is \"lincheck: P passed, F failed\", a history being a test.\n"
"Exit status: 0 if none failed, 1 if any did or the device failed, 2 on a\n"
"usage error. Destroys the vector's contents.\n";

static const char *dev_path = DEFAULT_DEV;
static unsigned int nthreads = 4, per = 8;
static bool batches = true;

static struct lc_op ops[LC_MAX_OPS];
static unsigned int delay[LC_MAX_OPS];	/* us to wait before each call */
static unsigned int jitter;
static pthread_barrier_t start_bar, done_bar;
static bool quit;
static uint64_t clock_stamp;
static unsigned int ready;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (rnd() >> 32) % n;
}

static uint64_t stamp(void)
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

static void die(const char *what, int err)
{
	fprintf(stderr, "secvec_lincheck: %s: %s\n", what, strerror(err));
	exit(1);
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

/* Make op's call, stamped on both sides, and record its result. */
static void run_op(int fd, struct lc_op *op)
{
	struct secvec_elem e = { .index = op->index, .value = op->value };
	uint64_t vals[LC_BATCH_MAX], v = 0;
	struct secvec_batch b = {
		.values = (uintptr_t)vals, .count = op->count,
	};
	unsigned long cmd = 0;
	void *arg = &e;
	int ret;

	switch (op->kind) {
	case LC_PUSH:
		cmd = SECVEC_IOC_PUSH;
		break;
	case LC_GET:
		cmd = SECVEC_IOC_GET;
		break;
	case LC_SET:
		cmd = SECVEC_IOC_SET;
		break;
	case LC_POP:
	case LC_SIZE:
		cmd = op->kind == LC_POP ? SECVEC_IOC_POP : SECVEC_IOC_SIZE;
		arg = &v;
		break;
	case LC_PUSH_MANY:
	case LC_POP_MANY:
		memcpy(vals, op->values, sizeof(vals));
		cmd = op->kind == LC_PUSH_MANY ? SECVEC_IOC_PUSH_MANY :
						 SECVEC_IOC_POP_MANY;
		arg = &b;
		break;
	}
	op->call = stamp();
	ret = ioctl(fd, cmd, arg);
	op->err = ret < 0 ? errno : 0;
	op->ret = stamp();
	if (ret < 0)
		return;
	switch (op->kind) {
	case LC_PUSH:
		op->index = e.index;
		break;
	case LC_GET:
		op->value = e.value;
		break;
	case LC_SET:
		break;
	case LC_POP:
	case LC_SIZE:
		op->value = v;
		break;
	case LC_PUSH_MANY:
	case LC_POP_MANY:
		op->index = b.index;
		op->done = b.done;
		if (op->kind == LC_POP_MANY)
			memcpy(op->values, vals, (b.done < LC_BATCH_MAX ?
				b.done : LC_BATCH_MAX) * sizeof(vals[0]));
		break;
	}
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
	int fd;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int i, spins;

	for (;;) {
		pthread_barrier_wait(&start_bar);
		if (__atomic_load_n(&quit, __ATOMIC_ACQUIRE))
			return NULL;
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
			run_op(w->fd, &ops[w->id * per + i]);
		}
		pthread_barrier_wait(&done_bar);
	}
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
		die("pthread_setaffinity_np", errno);
}

/* CLEAR, then push 0 to 2 values: the history's initial contents. */
static void prepare(int fd, struct lc_model *init)
{
	struct secvec_elem e;
	uint64_t size;
	unsigned int i;

	if (ioctl(fd, SECVEC_IOC_CLEAR) < 0)
		die("CLEAR", errno);
	init->len = rnd_below(3);
	for (i = 0; i < init->len; i++) {
		init->v[i] = rnd_below(KEYS);
		e.value = init->v[i];
		if (ioctl(fd, SECVEC_IOC_PUSH, &e) < 0)
			die("PUSH", errno);
		if (e.index != i) {
			fprintf(stderr, "secvec_lincheck: push %u after CLEAR "
				"went to index %llu\n", i,
				(unsigned long long)e.index);
			exit(1);
		}
	}
	if (ioctl(fd, SECVEC_IOC_SIZE, &size) < 0)
		die("SIZE", errno);
	if (size != init->len) {
		fprintf(stderr, "secvec_lincheck: size %llu after CLEAR and %u "
			"pushes\n", (unsigned long long)size, init->len);
		exit(1);
	}
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

static unsigned int parse_uint(const char *what, const char *s,
			       unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || strchr(s, '-') || v > max) {
		fprintf(stderr, "secvec_lincheck: bad %s '%s'\n%s", what, s,
			usage_text);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
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
	cpu_set_t cpus;
	int opt, fd;

	while ((opt = getopt(argc, argv, "d:H:t:o:s:j:uMBh")) != -1) {
		switch (opt) {
		case 'd':
			dev_path = optarg;
			break;
		case 'H':
			histories = parse_uint("history count", optarg, ~0U);
			break;
		case 't':
			nthreads = parse_uint("thread count", optarg,
					      LC_MAX_OPS);
			break;
		case 'o':
			per = parse_uint("op count", optarg, LC_MAX_OPS);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			jitter = parse_uint("jitter", optarg, 1U << 30);
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
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind != argc || !nthreads || !per ||
	    nthreads * per > LC_MAX_OPS) {
		fprintf(stderr, "secvec_lincheck: need THREADS x OPS in "
			"1..%d and no operands\n%s", LC_MAX_OPS, usage_text);
		return 2;
	}
	rng = seed ? seed : 1;
	printf("lincheck: seed %llu, %s, %u histories of %u threads x %u "
	       "ops%s%s\n",
	       (unsigned long long)seed, dev_path, histories, nthreads, per,
	       batches ? "" : ", no batches", broken ? ", broken mode" : "");
	fflush(stdout);

	/*
	 * Keep what each check frees for the next one: in the VM a page
	 * fault is costly, and glibc would give the pages back each time.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	fd = open(dev_path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(dev_path, errno);
	pthread_barrier_init(&start_bar, NULL, nthreads + 1);
	pthread_barrier_init(&done_bar, NULL, nthreads + 1);
	if (sched_getaffinity(0, sizeof(cpus), &cpus))
		die("sched_getaffinity", errno);
	for (i = 0; i < nthreads; i++) {
		w[i].id = i;
		w[i].fd = open(dev_path, O_RDWR | O_CLOEXEC);
		if (w[i].fd < 0)
			die(dev_path, errno);
		errno = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (errno)
			die("pthread_create", errno);
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
		prepare(fd, &h.init);
		clock_stamp = 1;
		ready = 0;
		pthread_barrier_wait(&start_bar);
		pthread_barrier_wait(&done_bar);

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
	printf("lincheck: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
