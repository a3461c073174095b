// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: the batch operations, single-threaded: push_many,
 * block_push, pop_many, get_range, landing in chunks and the block's
 * hand-back.
 */
#include <linux/err.h>
#include <linux/slab.h>

#include "secvec_kunit.h"

static void secvec_test_push_many_contiguous(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 vals[100], first, i;

	for (i = 0; i < 100; i++)
		vals[i] = (i + 5) * 3 + 1;
	secvec_kunit_push_range(test, v, 0, 5);
	KUNIT_ASSERT_EQ(test, 0, secvec_push_many(v, vals, 100, &first));
	KUNIT_EXPECT_EQ(test, 5, first);
	secvec_kunit_expect_prefix(test, v, 105);
}

/* A block (secvec_block_alloc()) of the values at @from.. (as secvec_kunit_push_range()). */
static u64 *filled_block(struct kunit *test, struct secvec *v, u64 from,
			 u32 n)
{
	u64 *vals = secvec_block_alloc(v, n);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, vals);
	for (i = 0; i < n; i++)
		vals[i] = (from + i) * 3 + 1;
	return vals;
}

/*
 * A pushed block is kept by its descriptor and freed on every outcome:
 * success, one value, bad count, over the cap, no descriptor; or given
 * up. A leak or a double free shows under kmemleak/KASAN and ASan. The
 * allocation refuses a bad count and fails when allocations fail.
 */
static void secvec_test_block_push(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 8);
	u64 *block, first;

	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 0, 5), 5,
					  &first));
	KUNIT_EXPECT_EQ(test, 0, first);
	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 5, 1), 1,
					  &first));
	KUNIT_EXPECT_EQ(test, 5, first);
	secvec_kunit_expect_prefix(test, v, 6);
	KUNIT_EXPECT_EQ(test, -ENOSPC,
			secvec_block_push(v, filled_block(test, v, 0, 3), 3,
					  NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			secvec_block_push(v, filled_block(test, v, 0, 1), 0,
					  NULL));
	block = filled_block(test, v, 0, 2);
	/* Fail the descriptor. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_block_push(v, block, 2, NULL));
	secvec_block_free(filled_block(test, v, 0, 2));
	KUNIT_EXPECT_NULL(test, secvec_block_alloc(v, 0));
	KUNIT_EXPECT_NULL(test, secvec_block_alloc(v, SECVEC_BATCH_MAX + 1));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1));
	KUNIT_EXPECT_NULL(test, secvec_block_alloc(v, 2));
	secvec_kunit_expect_prefix(test, v, 6);
}

/* Landing pauses so far (secvec_test_land_pause_every()). */
static u64 land_pauses(void)
{
	return secvec_stat_read(SECVEC_STAT_LAND_YIELD);
}

/* Push a block of @n values from @from; its owner pauses once. */
static void push_paused_block(struct kunit *test, struct secvec *v, u64 from,
			      u32 n)
{
	u64 pauses = land_pauses(), first;

	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, from, n), n,
					  &first));
	KUNIT_EXPECT_EQ(test, from, first);
	KUNIT_EXPECT_EQ(test, pauses + 1, land_pauses());
	KUNIT_EXPECT_NOT_NULL(test, secvec_test_desc(v));
}

/*
 * Batches longer than a chunk, with every lander pausing after each chunk
 * of 256 (as if the CPU were always wanted elsewhere): the owner returns
 * after its first chunk with the rest owed, readers see the whole batch
 * meanwhile, and the next operation, whichever it is, lands the rest a
 * chunk per read-side section, each from the mark the last one left,
 * before it goes on. Each kind of operation meets a batch with at least
 * two chunks owed, so each must pause and start over.
 */
static void secvec_test_batch_lands_in_chunks(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 pauses, index, value, out[5];
	u32 popped, i;

	/* No bucket to allocate: that would start an operation over too. */
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 4698));
	secvec_kunit_push_range(test, v, 0, 3);
	secvec_test_land_pause_every(v, 256);

	/* 1000 values: gets land nothing; a push lands [256, 1000). */
	push_paused_block(test, v, 3, 1000);
	secvec_kunit_expect_prefix(test, v, 1003);
	KUNIT_EXPECT_NOT_NULL(test, secvec_test_desc(v));
	pauses = land_pauses();
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 1003 * 3 + 1, &index));
	KUNIT_EXPECT_EQ(test, 1003, index);
	KUNIT_EXPECT_EQ(test, pauses + 2, land_pauses());
	KUNIT_EXPECT_NULL(test, secvec_test_desc(v));

	/* A pop. */
	push_paused_block(test, v, 1004, 1000);
	pauses = land_pauses();
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 2003 * 3 + 1, value);
	KUNIT_EXPECT_EQ(test, pauses + 2, land_pauses());

	/* A batch pop: 600 values, [256, 512) and [512, 600). */
	push_paused_block(test, v, 2003, 600);
	pauses = land_pauses();
	KUNIT_ASSERT_EQ(test, 0, secvec_pop_many(v, out, 5, &popped));
	KUNIT_EXPECT_EQ(test, 5, popped);
	for (i = 0; i < popped; i++)
		KUNIT_EXPECT_EQ(test, (2598 + i) * 3 + 1, out[i]);
	KUNIT_EXPECT_EQ(test, pauses + 1, land_pauses());

	/* A set (of the value index 0 has). */
	push_paused_block(test, v, 2598, 600);
	pauses = land_pauses();
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 0, 1));
	KUNIT_EXPECT_EQ(test, pauses + 1, land_pauses());

	/* A batch push: the last batch's rest, then its own first chunk. */
	push_paused_block(test, v, 3198, 600);
	pauses = land_pauses();
	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 3798, 300),
					  300, &index));
	KUNIT_EXPECT_EQ(test, 3798, index);
	KUNIT_EXPECT_EQ(test, pauses + 2, land_pauses());

	/* Settle it all (a set lands [256, 300)): the slots hold every value. */
	secvec_test_land_pause_every(v, 0);
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 0, 1));
	secvec_kunit_expect_prefix(test, v, 4098);

	/* A clear lands what is owed before it empties the vector. */
	secvec_test_land_pause_every(v, 256);
	push_paused_block(test, v, 4098, 600);
	pauses = land_pauses();
	KUNIT_ASSERT_EQ(test, 0, secvec_clear(v));
	KUNIT_EXPECT_EQ(test, pauses + 1, land_pauses());
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_NULL(test, secvec_test_desc(v));
	secvec_test_land_pause_every(v, 0);
}

/*
 * Landers of one batch start from the mark they read and may finish in
 * any order: the mark only moves forward. The owner pauses at 256, two
 * landers take it to 512 and 768, and a third, which read 256 and
 * stalled, lands [256, 512) again (nothing: it has landed) and must not
 * take the mark back to 512.
 */
static void secvec_test_landed_mark_only_moves_forward(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);

	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 1024));
	secvec_test_land_pause_every(v, 256);
	push_paused_block(test, v, 0, 1000);
	KUNIT_EXPECT_EQ(test, 256, secvec_test_landed_mark(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_test_land_late(v, 256));
	KUNIT_EXPECT_EQ(test, 512, secvec_test_landed_mark(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_test_land_late(v, 512));
	KUNIT_EXPECT_EQ(test, 768, secvec_test_landed_mark(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_test_land_late(v, 256));
	KUNIT_EXPECT_EQ(test, 768, secvec_test_landed_mark(v));
	/* The next lander goes on from 768 and lands the rest. */
	KUNIT_EXPECT_EQ(test, 1, secvec_test_land_late(v, 768));
	secvec_test_land_pause_every(v, 0);
	secvec_kunit_expect_prefix(test, v, 1000);
}

/* Be at the current batch's block, as a helper or reader would. */
static void share_block_now(struct secvec *v)
{
	struct secvec_test_write w;

	secvec_test_capture_write(v, &w);
}

/*
 * Who frees a batch's block (enum secvec_block, secvec_desc.h): its owner,
 * at once, if it landed every write and nobody else has been at the
 * block; otherwise the descriptor, after a grace period. Freed too early
 * is a use after free (KASAN, ASan); kept, it is checked here.
 */
static void secvec_test_batch_block_goes_back(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	struct secvec_test_write w;
	u64 index, value;

	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 2048));
	secvec_kunit_push_range(test, v, 0, 3);

	/* Alone: the owner frees it; a helper after it finds it gone. */
	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 3, 300),
					  300, &index));
	KUNIT_EXPECT_NOT_NULL(test, secvec_test_desc(v));
	KUNIT_EXPECT_FALSE(test, secvec_test_block_kept(v));
	KUNIT_EXPECT_FALSE(test, secvec_test_capture_write(v, &w));
	secvec_kunit_expect_prefix(test, v, 303);

	/* Someone at it between the owner's landing and its take: kept. */
	secvec_test_on_landed(v, share_block_now);
	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 303, 300),
					  300, &index));
	secvec_test_on_landed(v, NULL);
	KUNIT_EXPECT_TRUE(test, secvec_test_block_kept(v));
	secvec_kunit_expect_prefix(test, v, 603);

	/* The owner paused: kept, and a reader reads what is owed from it. */
	secvec_test_land_pause_every(v, 256);
	push_paused_block(test, v, 603, 300);
	KUNIT_EXPECT_TRUE(test, secvec_test_block_kept(v));
	KUNIT_ASSERT_EQ(test, 0, secvec_get(v, 902, &value));
	KUNIT_EXPECT_EQ(test, 902 * 3 + 1, value);
	secvec_test_land_pause_every(v, 0);
	/* The next push lands the rest and retires the block's descriptor. */
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 903 * 3 + 1, &index));
	KUNIT_EXPECT_NULL(test, secvec_test_desc(v));
	secvec_kunit_expect_prefix(test, v, 904);
}

static void secvec_test_pop_many_partial(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 out[16], first;
	u32 popped, i;

	secvec_kunit_push_range(test, v, 0, 10);
	KUNIT_ASSERT_EQ(test, 0, secvec_pop_many_commit(v, out, 4, &popped,
							&first, NULL, NULL));
	KUNIT_EXPECT_EQ(test, 4, popped);
	KUNIT_EXPECT_EQ(test, 6, first);
	for (i = 0; i < 4; i++)	/* index order */
		KUNIT_EXPECT_EQ(test, (6 + i) * 3 + 1, out[i]);
	KUNIT_ASSERT_EQ(test, 0, secvec_pop_many(v, out, 16, &popped));
	KUNIT_EXPECT_EQ(test, 6, popped);
	KUNIT_EXPECT_EQ(test, 1, out[0]);
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop_many(v, out, 16, &popped));
}

static void secvec_test_get_range_partial(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 out[32];
	u32 got, i;

	secvec_kunit_push_range(test, v, 0, 20);
	KUNIT_ASSERT_EQ(test, 0, secvec_get_range(v, 15, out, 32, &got));
	KUNIT_EXPECT_EQ(test, 5, got);
	for (i = 0; i < got; i++)
		KUNIT_EXPECT_EQ(test, (15 + i) * 3 + 1, out[i]);
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get_range(v, 20, out, 1, &got));
}

static int refuse_commit(void *ctx, const u64 *values, u32 n, u64 first)
{
	int *calls = ctx;

	(*calls)++;
	return -EFAULT;
}

static void secvec_test_pop_commit_failure_keeps_values(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 out[4];
	u32 popped;
	int calls = 0;

	secvec_kunit_push_range(test, v, 0, 10);
	KUNIT_EXPECT_EQ(test, -EFAULT,
			secvec_pop_many_commit(v, out, 4, &popped, NULL,
					       refuse_commit, &calls));
	KUNIT_EXPECT_EQ(test, 1, calls);
	secvec_kunit_expect_prefix(test, v, 10);
}

static struct kunit_case secvec_batch_cases[] = {
	KUNIT_CASE(secvec_test_push_many_contiguous),
	KUNIT_CASE(secvec_test_block_push),
	KUNIT_CASE(secvec_test_batch_lands_in_chunks),
	KUNIT_CASE(secvec_test_landed_mark_only_moves_forward),
	KUNIT_CASE(secvec_test_batch_block_goes_back),
	KUNIT_CASE(secvec_test_pop_many_partial),
	KUNIT_CASE(secvec_test_get_range_partial),
	KUNIT_CASE(secvec_test_pop_commit_failure_keeps_values),
	{}
};

static struct kunit_suite secvec_batch_suite = {
	.name = "secvec_batch",
	.test_cases = secvec_batch_cases,
};

kunit_test_suites(&secvec_batch_suite);
