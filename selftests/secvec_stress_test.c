// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_stress_test: /dev/secvec under concurrency, from threads sharing one
 * file and from processes with a file each.
 *
 * Every value a worker pushes is unique: the worker's id (plus one, so that
 * a zeroed slot never looks pushed) in the top 16 bits, the worker's running
 * count in the low 48. After the workers stop, the vector is read and drained,
 * and every value popped or left must have been pushed exactly once
 * (conservation: pushed == popped + remaining, as multisets).
 *
 * The order of what comes out is checked too. A worker pushes in sequence
 * and elements never move, so at any instant a worker's values sit in the
 * vector in increasing order. A PUSH_MANY block is pushed in one step and a
 * POP_MANY removes a tail in one step, so the vector is always a sequence of
 * block prefixes: a value that did not begin a block must directly follow its
 * predecessor in the block. A POP_MANY result is a tail of such a vector, so
 * only its first value may start mid-block.
 *
 * Workers never use the harness's ASSERT/EXPECT (they longjmp and are not
 * thread-safe); they record the first unexpected errno and the test checks it
 * after joining.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"
#include "secvec_fixture.h"
#include "secvec_rand.h"

#define TAG_SHIFT	48
#define SEQ_MASK	((1ULL << TAG_SHIFT) - 1)
#define MAX_WORKERS	64
#define MAX_BATCH	32

/* Seconds the harness allows one of the long cases. */
#define STRESS_TIMEOUT	300

static inline __u64 tag(unsigned int id, __u64 seq)
{
	return ((__u64)(id + 1) << TAG_SHIFT) | seq;
}

/* Shared anonymous memory, so that forked workers can report back. */
static void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

/* One pusher/popper; lives in shared memory so processes can fill it in. */
struct worker {
	pthread_t thread;
	int fd;
	unsigned int id;
	unsigned int max_batch;	/* 0: PUSH and POP only */
	__u64 ops;
	__u64 rng;

	__u64 pushed;		/* tag(id, 0 .. pushed - 1) went in */
	unsigned char *start;	/* start[seq]: seq began a PUSH(_MANY) */
	__u64 *popped;		/* everything popped, in pop order */
	__u64 npopped;
	__u32 *runs;		/* length of each successful pop call */
	__u64 nruns;
	__u64 max_seq;		/* sizes of the three arrays above */
	__u64 empty;		/* pops that found the vector empty */
	__u64 full;		/* pushes refused with ENOSPC */

	int err;		/* first unexpected -errno, 0 if none */
	const char *err_op;
};

static void worker_fail(struct worker *w, const char *op, int ret)
{
	if (!w->err) {
		w->err = ret;
		w->err_op = op;
	}
}

static void worker_push(struct worker *w, __u32 n, bool many)
{
	__u64 vals[MAX_BATCH];
	__u32 i;
	int ret;

	for (i = 0; i < n; i++)
		vals[i] = tag(w->id, w->pushed + i);
	/* Mark the block start before the value can be seen by a popper. */
	w->start[w->pushed] = 1;
	if (many)
		ret = sv_push_many(w->fd, vals, n, NULL);
	else
		ret = sv_push(w->fd, vals[0], NULL);
	if (!ret) {
		w->pushed += n;
		return;
	}
	w->start[w->pushed] = 0;
	if (ret == -ENOSPC)
		w->full++;
	else
		worker_fail(w, many ? "PUSH_MANY" : "PUSH", ret);
}

static void worker_pop(struct worker *w, __u32 n, bool many)
{
	__u64 *dst = w->popped + w->npopped;
	int ret;

	if (many)
		ret = sv_pop_many(w->fd, dst, n, NULL);
	else
		ret = sv_pop(w->fd, dst) ?: 1;
	if (ret == -ENODATA) {
		w->empty++;
		return;
	}
	if (ret <= 0 || (__u32)ret > n) {
		worker_fail(w, many ? "POP_MANY" : "POP", ret ?: -EIO);
		return;
	}
	w->runs[w->nruns++] = ret;
	w->npopped += ret;
}

/* A random mix of pushes and pops, balanced so the size stays small. */
static void *worker_run(void *arg)
{
	struct worker *w = arg;
	__u64 i, r;
	__u32 n;

	for (i = 0; i < w->ops && !w->err; i++) {
		r = secvec_rand(&w->rng);
		n = w->max_batch ? 1 + (r >> 8) % w->max_batch : 1;
		switch (w->max_batch ? r & 3 : r & 1) {
		case 0:
			worker_push(w, 1, false);
			break;
		case 1:
			worker_pop(w, 1, false);
			break;
		case 2:
			worker_push(w, n, true);
			break;
		case 3:
			worker_pop(w, n, true);
			break;
		}
	}
	return NULL;
}

static struct worker *workers_alloc(unsigned int nr, __u64 ops,
				    unsigned int max_batch, int fd)
{
	struct worker *ws = shared_alloc(nr * sizeof(*ws));
	unsigned int i;

	if (!ws)
		return NULL;
	for (i = 0; i < nr; i++) {
		struct worker *w = &ws[i];

		w->fd = fd;
		w->id = i;
		w->ops = ops;
		w->max_batch = max_batch;
		w->rng = secvec_rand_seed(0, i);
		w->max_seq = ops * (max_batch ? max_batch : 1);
		w->start = shared_alloc(w->max_seq);
		w->popped = shared_alloc(w->max_seq * sizeof(__u64));
		w->runs = shared_alloc(ops * sizeof(__u32));
		if (!w->start || !w->popped || !w->runs)
			return NULL;
	}
	return ws;
}

static void workers_free(struct worker *ws, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		shared_free(ws[i].start, ws[i].max_seq);
		shared_free(ws[i].popped, ws[i].max_seq * sizeof(__u64));
		shared_free(ws[i].runs, ws[i].ops * sizeof(__u32));
	}
	shared_free(ws, nr * sizeof(*ws));
}

/* What the final check found: five tallies, then counts that must be 0. */
struct ledger {
	struct worker *ws;
	unsigned int nr;
	unsigned char **seen;	/* seen[id][seq] */
	__u64 *last;		/* last seq of each worker in the current run */
	__u64 *last_run;	/* run in which last[id] was set */
	__u64 run;
	__u64 pushed, popped, remaining, empty, full;
	__u64 foreign, duplicated, lost, misordered, torn;
};

static bool ledger_init(struct ledger *l, struct worker *ws, unsigned int nr)
{
	unsigned int i;

	memset(l, 0, sizeof(*l));
	l->ws = ws;
	l->nr = nr;
	l->seen = calloc(nr, sizeof(*l->seen));
	l->last = calloc(nr, sizeof(*l->last));
	l->last_run = calloc(nr, sizeof(*l->last_run));
	if (!l->seen || !l->last || !l->last_run)
		return false;
	for (i = 0; i < nr; i++) {
		l->seen[i] = calloc(ws[i].pushed + 1, 1);
		if (!l->seen[i])
			return false;
		l->pushed += ws[i].pushed;
		l->empty += ws[i].empty;
		l->full += ws[i].full;
	}
	return true;
}

static void ledger_free(struct ledger *l)
{
	unsigned int i;

	for (i = 0; l->seen && i < l->nr; i++)
		free(l->seen[i]);
	free(l->seen);
	free(l->last);
	free(l->last_run);
}

/*
 * Account for one run of values that was a tail of the vector at some
 * instant (a POP_MANY result), or the whole vector (@mid_ok false: then
 * even the first value must begin a block).
 */
static void ledger_run(struct ledger *l, const __u64 *v, __u64 n, bool mid_ok)
{
	unsigned int prev_id = 0;
	__u64 i, prev_seq = 0;
	bool prev_ok = false;

	l->run++;
	for (i = 0; i < n; i++) {
		unsigned int id = (v[i] >> TAG_SHIFT) - 1;
		__u64 seq = v[i] & SEQ_MASK;

		if ((v[i] >> TAG_SHIFT) == 0 || id >= l->nr ||
		    seq >= l->ws[id].pushed) {
			l->foreign++;
			prev_ok = false;
			continue;
		}
		if (l->seen[id][seq])
			l->duplicated++;
		l->seen[id][seq] = 1;
		if (l->last_run[id] == l->run && l->last[id] >= seq)
			l->misordered++;
		l->last[id] = seq;
		l->last_run[id] = l->run;
		if (!l->ws[id].start[seq] && !(i == 0 && mid_ok) &&
		    (!prev_ok || prev_id != id || prev_seq + 1 != seq))
			l->torn++;
		prev_ok = true;
		prev_id = id;
		prev_seq = seq;
	}
}

static void ledger_popped(struct ledger *l)
{
	unsigned int i;
	__u64 r, off;

	for (i = 0; i < l->nr; i++) {
		struct worker *w = &l->ws[i];

		for (r = 0, off = 0; r < w->nruns; off += w->runs[r++])
			ledger_run(l, w->popped + off, w->runs[r], true);
		l->popped += w->npopped;
	}
}

static void ledger_lost(struct ledger *l)
{
	unsigned int i;
	__u64 seq;

	for (i = 0; i < l->nr; i++)
		for (seq = 0; seq < l->ws[i].pushed; seq++)
			l->lost += !l->seen[i][seq];
}

/*
 * Drain the vector with POP_MANY and check that it hands back exactly what
 * GET_RANGE showed, tail first, each batch in index order.
 */
static void drain_matches(struct __test_metadata *_metadata, int fd,
			  const __u64 *snap, __u64 n)
{
	__u64 *buf = malloc(SECVEC_BATCH_MAX * sizeof(*buf)), first = 0;
	int got;

	ASSERT_NE(NULL, buf);
	while (n) {
		got = sv_pop_many(fd, buf, SECVEC_BATCH_MAX, &first);
		ASSERT_LT(0, got) TH_LOG("POP_MANY: %s", strerror(-got));
		ASSERT_EQ(n - got, first);
		ASSERT_EQ(0, memcmp(buf, snap + first, got * sizeof(*buf)));
		n -= got;
	}
	EXPECT_EQ(-ENODATA, sv_pop_many(fd, buf, 1, NULL));
	free(buf);
}

/* The conservation check, once every worker has stopped. */
static void check_workers(struct __test_metadata *_metadata, int fd,
			  struct worker *ws, unsigned int nr)
{
	__u64 *snap = NULL, n = 0;
	struct ledger l;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		EXPECT_EQ(0, ws[i].err)
			TH_LOG("worker %u: %s: %s", i, ws[i].err_op,
			       strerror(-ws[i].err));
	}
	ASSERT_TRUE(ledger_init(&l, ws, nr));
	ledger_popped(&l);
	ASSERT_EQ(0, sv_snapshot(fd, &snap, &n));
	l.remaining = n;
	ledger_run(&l, snap, n, false);
	drain_matches(_metadata, fd, snap, n);
	ledger_lost(&l);

	TH_LOG("pushed=%llu popped=%llu remaining=%llu empty=%llu full=%llu",
	       l.pushed, l.popped, l.remaining, l.empty, l.full);
	EXPECT_EQ(l.pushed, l.popped + l.remaining);
	EXPECT_EQ(0ULL, l.foreign);
	EXPECT_EQ(0ULL, l.duplicated);
	EXPECT_EQ(0ULL, l.lost);
	EXPECT_EQ(0ULL, l.misordered);
	EXPECT_EQ(0ULL, l.torn);
	/* A run where nothing got through proves nothing. */
	EXPECT_LT(0ULL, l.popped);
	free(snap);
	ledger_free(&l);
}

static void run_threads(struct __test_metadata *_metadata, int fd,
			unsigned int nr, __u64 ops, unsigned int max_batch)
{
	struct worker *ws = workers_alloc(nr, ops, max_batch, fd);
	unsigned int i;

	ASSERT_NE(NULL, ws);
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, pthread_create(&ws[i].thread, NULL, worker_run,
					    &ws[i]));
	}
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, pthread_join(ws[i].thread, NULL));
	}
	check_workers(_metadata, fd, ws, nr);
	workers_free(ws, nr);
}

SECVEC_FIXTURE(stress)

/* The headline stress: 4 threads, 10^6 PUSH/POP in total. */
TEST_F_TIMEOUT(stress, threads_push_pop_conserve, STRESS_TIMEOUT)
{
	run_threads(_metadata, self->fd, 4, 250000, 0);
}

/* More threads than CPUs, so operations get preempted half-way. */
TEST_F_TIMEOUT(stress, many_threads_push_pop_conserve, STRESS_TIMEOUT)
{
	run_threads(_metadata, self->fd, 32, 10000, 0);
}

/* PUSH, POP, PUSH_MANY and POP_MANY mixed; checks batch atomicity too. */
TEST_F_TIMEOUT(stress, threads_batches_conserve, STRESS_TIMEOUT)
{
	run_threads(_metadata, self->fd, 4, 50000, MAX_BATCH);
}

/* Several processes, each with its own open file, at once. */
TEST_F_TIMEOUT(stress, processes_push_pop_conserve, STRESS_TIMEOUT)
{
	const unsigned int nr = 4;
	struct worker *ws = workers_alloc(nr, 50000, MAX_BATCH, -1);
	pid_t pids[4];
	unsigned int i;
	int status;

	ASSERT_NE(NULL, ws);
	for (i = 0; i < nr; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			ws[i].fd = secvec_open();
			if (ws[i].fd < 0)
				worker_fail(&ws[i], "open", -errno);
			else
				worker_run(&ws[i]);
			_exit(0);
		}
	}
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("worker process %u: status %#x", i, status);
	}
	check_workers(_metadata, self->fd, ws, nr);
	workers_free(ws, nr);
}

/* A PUSH_MANY block as its pusher saw it. */
struct block {
	__u64 index;
	__u64 seq;
	__u32 len;
};

struct blocker {
	pthread_t thread;
	int fd;
	unsigned int id;
	__u32 max_len;
	__u64 budget;		/* values this thread may push */
	__u64 rng;
	__u64 pushed;
	struct block *blocks;
	__u64 nblocks;
	int err;
};

static void *blocker_run(void *arg)
{
	struct blocker *b = arg;
	__u64 *vals = malloc(b->max_len * sizeof(*vals));
	__u32 i, len;
	int ret;

	if (!vals) {
		b->err = -ENOMEM;
		return NULL;
	}
	for (;;) {
		struct block *blk = &b->blocks[b->nblocks];

		/* Random sizes, the last one cut to use the budget up. */
		len = 1 + secvec_rand_below(&b->rng, b->max_len);
		if (len > b->budget - b->pushed)
			len = b->budget - b->pushed;
		if (!len)
			break;
		for (i = 0; i < len; i++)
			vals[i] = tag(b->id, b->pushed + i);
		ret = sv_push_many(b->fd, vals, len, &blk->index);
		if (ret) {
			b->err = ret;
			break;
		}
		blk->seq = b->pushed;
		blk->len = len;
		b->nblocks++;
		b->pushed += len;
	}
	free(vals);
	return NULL;
}

/*
 * Threads PUSH_MANY blocks of different sizes at once. Afterwards every
 * block must sit whole at the index PUSH_MANY reported, and each thread's
 * blocks in the order it pushed them.
 */
TEST_F_TIMEOUT(stress, push_many_blocks_contiguous, STRESS_TIMEOUT)
{
	static const __u32 max_len[] = { 1, 8, 64, 1024 };
	const unsigned int nr = 4;
	__u64 budget = self->info.max_elements / nr, total = 0;
	__u64 *snap = NULL, n = 0, j, k;
	struct blocker bs[4] = { 0 };
	unsigned int i;

	if (budget > 100000)
		budget = 100000;
	if (budget < 16)
		SKIP(return, "max_elements %llu too small",
		     self->info.max_elements);
	for (i = 0; i < nr; i++) {
		bs[i].fd = self->fd;
		bs[i].id = i;
		bs[i].max_len = max_len[i];
		bs[i].budget = budget;
		bs[i].rng = secvec_rand_seed(1, i);
		bs[i].blocks = calloc(budget, sizeof(struct block));
		ASSERT_NE(NULL, bs[i].blocks);
	}
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, pthread_create(&bs[i].thread, NULL, blocker_run,
					    &bs[i]));
	}
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, pthread_join(bs[i].thread, NULL));
	}

	ASSERT_EQ(0, sv_snapshot(self->fd, &snap, &n));
	for (i = 0; i < nr; i++) {
		EXPECT_EQ(0, bs[i].err) TH_LOG("thread %u: %s", i,
					       strerror(-bs[i].err));
		total += bs[i].pushed;
		for (k = 0; k < bs[i].nblocks; k++) {
			struct block *blk = &bs[i].blocks[k];

			ASSERT_LE(blk->index + blk->len, n);
			if (k) {
				EXPECT_LT(bs[i].blocks[k - 1].index,
					  blk->index);
			}
			for (j = 0; j < blk->len; j++) {
				ASSERT_EQ(tag(i, blk->seq + j),
					  snap[blk->index + j])
					TH_LOG("thread %u block %llu at %llu",
					       i, k, blk->index);
			}
		}
		free(bs[i].blocks);
	}
	/* Every slot is covered by exactly one block. */
	EXPECT_EQ(total, n);
	free(snap);
}

struct setget {
	pthread_t thread;
	int fd;
	unsigned int id;
	bool setter;
	__u64 n;		/* vector size, fixed during the test */
	__u64 ops;
	__u64 rng;
	__u64 bad;		/* GETs that saw another index's value */
	int err;
};

/* Element i always holds i in its high half; only the low half changes. */
static void *setget_run(void *arg)
{
	struct setget *s = arg;
	__u64 k, i, v;
	int ret;

	for (k = 0; k < s->ops && !s->err; k++) {
		i = secvec_rand_below(&s->rng, s->n);
		if (s->setter) {
			ret = sv_set(s->fd, i, i << 32 | s->id << 16 |
					(k & 0xffff));
		} else {
			ret = sv_get(s->fd, i, &v);
			if (!ret && v >> 32 != i)
				s->bad++;
		}
		if (ret)
			s->err = ret;
	}
	return NULL;
}

/* Concurrent SET and GET on a fixed-size vector never mix up slots. */
TEST_F_TIMEOUT(stress, set_get_concurrent, STRESS_TIMEOUT)
{
	const unsigned int nr = 4;
	const __u64 n = 1024;
	struct setget ss[4] = { 0 };
	__u64 *snap = NULL, size = 0, i;
	unsigned int t;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, sv_push(self->fd, i << 32, NULL));
	}
	for (t = 0; t < nr; t++) {
		ss[t] = (struct setget){
			.fd = self->fd, .id = t, .setter = t & 1, .n = n,
			.ops = 50000, .rng = secvec_rand_seed(2, t),
		};
		ASSERT_EQ(0, pthread_create(&ss[t].thread, NULL, setget_run,
					    &ss[t]));
	}
	for (t = 0; t < nr; t++) {
		ASSERT_EQ(0, pthread_join(ss[t].thread, NULL));
		EXPECT_EQ(0, ss[t].err) TH_LOG("thread %u: %s", t,
					       strerror(-ss[t].err));
		EXPECT_EQ(0ULL, ss[t].bad);
	}
	ASSERT_EQ(0, sv_snapshot(self->fd, &snap, &size));
	ASSERT_EQ(n, size);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(i, snap[i] >> 32);
	}
	free(snap);
}

TEST_HARNESS_MAIN
