// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: kthreads on every CPU pushing, popping and reading at once.
 * Nothing pushed may be lost or duplicated, every read returns a value
 * that was pushed at that index, and batches never interleave.
 *
 * Values are tagged (thread << 40 | sequence) so that each is unique and
 * says who pushed it. Threads call cond_resched() often so that they
 * interleave even on one CPU (UML); on SMP they also run in parallel.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "secvec_kunit.h"

/* A multiple of BITS_PER_LONG and BLOCK. */
#define CONC_OPS	(16384 / SECVEC_KUNIT_SCALE)
#define TAG_SHIFT	40
#define BLOCK		8
#define FAILED		U64_MAX	/* index_of[] of a push that got -ENOMEM */

enum conc_role { PUSHER, POPPER, READER, NR_ROLES };

struct conc_thread {
	struct secvec *v;
	unsigned int id;
	enum conc_role role;
	bool batches;		/* push_many / pop_many BLOCK at a time */
	bool faults;		/* allocations fail: -ENOMEM is expected */
	bool tail;		/* reader: only the last 2 * BLOCK indexes */
	u32 nr_enomem;
	u64 *index_of;		/* pusher: where each sequence landed */
	u64 *log;		/* popper: values; reader: index, value pairs */
	u32 nlog;
	int err;		/* first unexpected error */
};

static u64 tag(unsigned int id, u64 seq)
{
	return ((u64)(id + 1) << TAG_SHIFT) | seq;
}

static void conc_error(struct conc_thread *t, int err)
{
	if (!t->err)
		t->err = err;
}

static void conc_push(struct conc_thread *t)
{
	u64 block[BLOCK], first, s;
	int i, err;

	for (s = 0; s < CONC_OPS; s += t->batches ? BLOCK : 1) {
		if (t->batches) {
			for (i = 0; i < BLOCK; i++)
				block[i] = tag(t->id, s + i);
			err = secvec_push_many(t->v, block, BLOCK, &first);
		} else {
			err = secvec_push(t->v, tag(t->id, s), &first);
		}
		if (err == -ENOMEM && t->faults) {
			/* Nothing was pushed: first + i must never be seen. */
			first = FAILED;
			t->nr_enomem++;
		} else if (err) {
			conc_error(t, err);
			return;
		}
		for (i = 0; i < (t->batches ? BLOCK : 1); i++)
			t->index_of[s + i] = first == FAILED ? FAILED : first + i;
		if (!(s & 63))
			cond_resched();
	}
}

static void conc_pop(struct conc_thread *t)
{
	u32 n = t->batches ? BLOCK : 1, got, s;
	int err;

	for (s = 0; s < CONC_OPS; s += n) {
		err = secvec_pop_many(t->v, t->log + t->nlog, n, &got);
		if (err == -ENODATA)
			continue;
		if (err == -ENOMEM && t->faults) {
			t->nr_enomem++;
			continue;
		}
		if (err) {
			conc_error(t, err);
			return;
		}
		/* Blocks of BLOCK only ever come and go whole. */
		if (t->batches && got != BLOCK)
			conc_error(t, -EPROTO);
		t->nlog += got;
		if (!(s & 63))
			cond_resched();
	}
}

static void conc_read(struct conc_thread *t, struct rnd_state *rnd)
{
	u64 size, index, value;
	u32 s;
	int err;

	for (s = 0; s < CONC_OPS; s++) {
		size = secvec_size(t->v);
		if (!size)
			continue;
		index = prandom_u32_state(rnd) %
			(t->tail ? min_t(u64, size, 2 * BLOCK) : size);
		if (t->tail)
			index = size - 1 - index;
		err = secvec_get(t->v, index, &value);
		if (err == -ERANGE)	/* popped since we read the size */
			continue;
		if (err) {
			conc_error(t, err);
			return;
		}
		t->log[t->nlog++] = index;
		t->log[t->nlog++] = value;
		if (!(s & 63))
			cond_resched();
	}
}

static int conc_thread_fn(void *arg)
{
	struct conc_thread *t = arg;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, t->id);
	if (t->role == PUSHER)
		conc_push(t);
	else if (t->role == POPPER)
		conc_pop(t);
	else
		conc_read(t, &rnd);
	return 0;
}

struct conc_run {
	struct secvec *v;
	struct conc_thread *threads;
	unsigned int n;
	unsigned long *seen;	/* one bit per pushed value */
};

static void conc_setup(struct kunit *test, struct conc_run *run,
		       unsigned int n, bool batches, bool readers)
{
	unsigned int i, roles = readers ? NR_ROLES : READER;

	run->n = n;
	run->v = secvec_kunit_create(test, SECVEC_MAX_ELEMENTS);
	run->threads = kunit_kcalloc(test, n, sizeof(*run->threads),
				     GFP_KERNEL);
	run->seen = kunit_kcalloc(test, BITS_TO_LONGS(n * CONC_OPS),
				  sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, run->threads);
	KUNIT_ASSERT_NOT_NULL(test, run->seen);
	for (i = 0; i < n; i++) {
		struct conc_thread *t = &run->threads[i];

		t->v = run->v;
		t->id = i;
		t->role = i % roles;
		t->batches = batches;
		t->index_of = kunit_kcalloc(test, CONC_OPS, sizeof(u64), GFP_KERNEL);
		t->log = kunit_kcalloc(test, 2 * CONC_OPS, sizeof(u64),
				       GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, t->index_of);
		KUNIT_ASSERT_NOT_NULL(test, t->log);
	}
}

/* The pusher and sequence a value names, or NULL if nobody pushed it. */
static struct conc_thread *conc_pusher(struct conc_run *run, u64 value,
				       u64 *seq)
{
	u64 id = (value >> TAG_SHIFT) - 1;

	*seq = value & ((1ULL << TAG_SHIFT) - 1);
	if (id >= run->n || *seq >= CONC_OPS ||
	    run->threads[id].role != PUSHER)
		return NULL;
	return &run->threads[id];
}

/* Count one sighting of @value: it must be pushed and not seen before. */
static void conc_see(struct kunit *test, struct conc_run *run, u64 value)
{
	struct conc_thread *p;
	u64 seq;

	p = conc_pusher(run, value, &seq);
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "value %llx was never pushed",
				  value);
	KUNIT_ASSERT_NE_MSG(test, p->index_of[seq], FAILED,
			    "value %llx failed to push but is there", value);
	KUNIT_ASSERT_FALSE_MSG(test,
			       __test_and_set_bit(((value >> TAG_SHIFT) - 1) *
						  CONC_OPS + seq, run->seen),
			       "value %llx came out twice", value);
}

static u32 conc_failed_pushes(struct conc_thread *t)
{
	u32 s, n = 0;

	for (s = 0; s < CONC_OPS; s++)
		n += t->index_of[s] == FAILED;
	return n;
}

static void conc_check(struct kunit *test, struct conc_run *run)
{
	u64 size = secvec_size(run->v), i, value, seq;
	unsigned int t, pushers = 0;
	struct conc_thread *th, *p;

	for (t = 0; t < run->n; t++) {
		th = &run->threads[t];
		KUNIT_ASSERT_EQ_MSG(test, 0, th->err, "thread %u", t);
		if (th->role == PUSHER)
			pushers++;
		if (th->role == POPPER)
			for (i = 0; i < th->nlog; i++)
				conc_see(test, run, th->log[i]);
		if (th->role != READER)
			continue;
		for (i = 0; i < th->nlog; i += 2) {
			p = conc_pusher(run, th->log[i + 1], &seq);
			KUNIT_ASSERT_NOT_NULL(test, p);
			KUNIT_ASSERT_EQ_MSG(test, p->index_of[seq], th->log[i],
					    "read %llx at the wrong index",
					    th->log[i + 1]);
		}
	}
	for (i = 0; i < size; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_get(run->v, i, &value));
		conc_see(test, run, value);
	}
	/* Pushed = popped + remaining: each pushed value was seen once. */
	for (t = 0; t < run->n; t++) {
		th = &run->threads[t];
		if (th->role != PUSHER)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, CONC_OPS - conc_failed_pushes(th),
				    bitmap_weight(run->seen + t * CONC_OPS / BITS_PER_LONG,
						  CONC_OPS),
				    "pusher %u lost values", t);
	}
	KUNIT_EXPECT_GT(test, pushers, 0);
}

static void conc_run_threads(struct kunit *test, struct conc_run *run)
{
	u64 retries = secvec_stat_read(SECVEC_STAT_CAS_RETRY);
	u64 helps = secvec_stat_read(SECVEC_STAT_HELP);
	u64 reused = secvec_stat_read(SECVEC_STAT_DESC_REUSE);
	u64 allocs = secvec_stat_read(SECVEC_STAT_DESC_ALLOC);

	KUNIT_ASSERT_EQ(test, 0,
			secvec_kunit_run_threads(run->n, conc_thread_fn,
						 run->threads,
						 sizeof(*run->threads)));
	/* How often the race windows were hit, for the record. */
	kunit_info(test, "%u threads: %llu CAS retries, %llu helps\n", run->n,
		   secvec_stat_read(SECVEC_STAT_CAS_RETRY) - retries,
		   secvec_stat_read(SECVEC_STAT_HELP) - helps);
	/* Descriptors recycled after a grace period vs from the slab. */
	kunit_info(test, "%llu descriptors recycled, %llu from the slab\n",
		   secvec_stat_read(SECVEC_STAT_DESC_REUSE) - reused,
		   secvec_stat_read(SECVEC_STAT_DESC_ALLOC) - allocs);
}

static void secvec_test_conservation(struct kunit *test)
{
	const unsigned int *factor = test->param_value;
	struct conc_run run;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), false, true);
	conc_run_threads(test, &run);
	conc_check(test, &run);
}

/* push_many blocks never interleave with single pushes or other blocks. */
static void secvec_test_push_many_atomic(struct kunit *test)
{
	const unsigned int *factor = test->param_value;
	u64 size, i, j, value, next, seq;
	struct conc_thread *p;
	struct conc_run run;
	unsigned int t;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), false, false);
	for (t = 0; t < run.n; t++) {
		/* Half push blocks, half push singles; nobody pops. */
		run.threads[t].role = PUSHER;
		run.threads[t].batches = t & 1;
	}
	conc_run_threads(test, &run);
	size = secvec_size(run.v);
	KUNIT_ASSERT_EQ(test, (u64)run.n * CONC_OPS, size);
	for (i = 0; i < size; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_get(run.v, i, &value));
		p = conc_pusher(&run, value, &seq);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_ASSERT_EQ(test, i, p->index_of[seq]);
		if (!p->batches)
			continue;
		/* A block's first value: the next BLOCK - 1 must follow. */
		KUNIT_ASSERT_EQ(test, 0, seq % BLOCK);
		for (j = 1; j < BLOCK; j++) {
			KUNIT_ASSERT_EQ(test, 0, secvec_get(run.v, i + j, &next));
			KUNIT_ASSERT_EQ(test, value + j, next);
		}
		i += BLOCK - 1;
	}
	conc_check(test, &run);
}

/*
 * Readers at the tail while batches come and go: a get of an index a
 * batch still owes reads the value from the batch's block, racing its
 * owner, which frees the block once it has landed it unless a reader or
 * helper has been at it (enum secvec_block). A read from a freed block is
 * a use after free (KASAN, ASan), or a value read at the wrong index.
 */
static void secvec_test_readers_meet_batches(struct kunit *test)
{
	const unsigned int *factor = test->param_value;
	struct conc_run run;
	unsigned int t;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), true, true);
	for (t = 0; t < run.n; t++)
		run.threads[t].tail = true;
	conc_run_threads(test, &run);
	conc_check(test, &run);
}

/* pop_many of BLOCK against push_many of BLOCK: whole blocks, in order. */
static void secvec_test_pop_many_atomic(struct kunit *test)
{
	const unsigned int *factor = test->param_value;
	struct conc_thread *th;
	struct conc_run run;
	unsigned int t;
	u64 i;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), true, false);
	conc_run_threads(test, &run);
	for (t = 0; t < run.n; t++) {
		th = &run.threads[t];
		if (th->role != POPPER)
			continue;
		for (i = 0; i < th->nlog; i++) {
			u64 want = i % BLOCK ? th->log[i - 1] + 1 : th->log[i];

			KUNIT_ASSERT_EQ(test, want, th->log[i]);
			if (!(i % BLOCK))
				KUNIT_ASSERT_EQ(test, 0,
						(th->log[i] & ((1ULL << TAG_SHIFT) - 1)) % BLOCK);
		}
	}
	conc_check(test, &run);
}

/*
 * Batch landings that pause every 3 writes (secvec_test_land_pause_every(),
 * as if the CPU were always wanted) under the mixed crew, its pushers and
 * poppers working in blocks of BLOCK: an owner returns with its block
 * partly landed, and whoever meets the descriptor next lands 3 more in a
 * read-side section, from the last mark, and starts over. Batches and
 * reads all meet half-landed blocks; nothing may be lost, duplicated,
 * split or read at the wrong index. (Single pushes and pops meeting them:
 * secvec_test_batch_lands_in_chunks.)
 */
static void secvec_test_paused_landings_keep_conservation(struct kunit *test)
{
	const unsigned int *factor = test->param_value;
	u64 pauses = secvec_stat_read(SECVEC_STAT_LAND_YIELD);
	struct conc_run run;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), true, true);
	secvec_test_land_pause_every(run.v, 3);
	conc_run_threads(test, &run);
	secvec_test_land_pause_every(run.v, 0);
	pauses = secvec_stat_read(SECVEC_STAT_LAND_YIELD) - pauses;
	kunit_info(test, "%llu landings paused\n", pauses);
	KUNIT_EXPECT_GT(test, pauses, 0);
	conc_check(test, &run);
}

/*
 * Allocations fail at random (1 in 10) under the same crew, some of whose
 * pushers push blocks: each failure is -ENOMEM with nothing changed, so
 * the conservation check must hold for the pushes that succeeded, and no
 * failed push may be seen.
 */
static void conc_faults(struct kunit *test, struct conc_run *run)
{
	u32 enomem = 0;
	unsigned int t;

	for (t = 0; t < run->n; t++) {
		run->threads[t].faults = true;
		/*
		 * Pushers on odd thread numbers push blocks: a single push
		 * allocates only the buckets, a block its descriptor and
		 * block too.
		 */
		if (run->threads[t].role == PUSHER && (t & 1))
			run->threads[t].batches = true;
	}
	conc_run_threads(test, run);
	for (t = 0; t < run->n; t++)
		enomem += run->threads[t].nr_enomem;
	kunit_info(test, "%u allocation failures injected and survived\n",
		   enomem);
	KUNIT_EXPECT_GT(test, enomem, 0);
	conc_check(test, run);
}

static void secvec_test_faults_keep_conservation(struct kunit *test)
{
	const unsigned int *factor = test->param_value;
	struct conc_run run;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), false, true);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_randomly(10));
	conc_faults(test, &run);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_randomly(0));
}

static const unsigned int fault_percents[] = { 5, 20, 50 };

static void fault_desc(const unsigned int *percent, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u%%", *percent);
}

KUNIT_ARRAY_PARAM(fault, fault_percents, fault_desc);

/*
 * The same for a crew that pushes and pops in blocks only, with 5, 20 or
 * 50% of the allocations failing (descriptors, blocks, buckets).
 */
static void secvec_test_batch_faults_keep_conservation(struct kunit *test)
{
	const unsigned int *percent = test->param_value;
	struct conc_run run;

	conc_setup(test, &run, secvec_kunit_nr_threads(1), true, false);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_randomly(*percent));
	conc_faults(test, &run);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_randomly(0));
}

/*
 * The crew across the stamps' 35-bit wrap, for real: the vector starts
 * as many transitions below it as one pusher alone makes in blocks
 * (thousands; hundreds under KASAN), so the run crosses it, and the
 * slots the crew reaches first still have the tags of a fresh vector,
 * which the wrapped stamps then catch up with ("ABA on the slot writes").
 * Nothing may be lost, duplicated or read at the wrong index, and the
 * stamp must have wrapped.
 */
static void conc_across_stamp_wrap(struct kunit *test, bool batches)
{
	const unsigned int *factor = test->param_value;
	u64 start = BIT_ULL(35) - CONC_OPS / BLOCK;
	struct conc_run run;

	conc_setup(test, &run, secvec_kunit_nr_threads(*factor), batches, true);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_stamp(run.v, start));
	conc_run_threads(test, &run);
	KUNIT_EXPECT_LT_MSG(test, secvec_test_stamp(run.v), start,
			    "the run did not cross the wrap");
	conc_check(test, &run);
}

static void secvec_test_conservation_across_stamp_wrap(struct kunit *test)
{
	conc_across_stamp_wrap(test, false);
}

static void secvec_test_batches_across_stamp_wrap(struct kunit *test)
{
	conc_across_stamp_wrap(test, true);
}

static struct kunit_case secvec_threads_cases[] = {
	KUNIT_CASE_PARAM(secvec_test_conservation, secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_push_many_atomic,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_pop_many_atomic,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_readers_meet_batches,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_paused_landings_keep_conservation,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_faults_keep_conservation,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_conservation_across_stamp_wrap,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_batches_across_stamp_wrap,
			 secvec_kunit_thread_param),
	KUNIT_CASE_PARAM(secvec_test_batch_faults_keep_conservation,
			 fault_gen_params),
	{}
};

static struct kunit_suite secvec_threads_suite = {
	.name = "secvec_threads",
	.test_cases = secvec_threads_cases,
};

kunit_test_suites(&secvec_threads_suite);
