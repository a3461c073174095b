// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: single-threaded semantics, reserve, every error path and
 * the batch operations.
 */
#include <linux/err.h>
#include <linux/slab.h>
#ifndef CONFIG_SMP
#include <linux/timer.h>
#endif

#include "secvec_kunit.h"

#define BIG	BIT_ULL(20)

static void push_range(struct kunit *test, struct secvec *v, u64 from, u64 to)
{
	u64 i, index;

	for (i = from; i < to; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i * 3 + 1, &index));
		KUNIT_ASSERT_EQ(test, i, index);
	}
}

/* Asserts the vector holds exactly i * 3 + 1 at each index i < n. */
static void expect_prefix(struct kunit *test, struct secvec *v, u64 n)
{
	u64 i, value;

	KUNIT_ASSERT_EQ(test, n, secvec_size(v));
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_get(v, i, &value));
		KUNIT_ASSERT_EQ(test, i * 3 + 1, value);
	}
}

static void secvec_test_empty(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 value;

	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_capacity(v));
	KUNIT_EXPECT_EQ(test, BIG, secvec_max_elements(v));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, 0, &value));
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop(v, &value));
}

static void secvec_test_push_returns_index(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);

	push_range(test, v, 0, 100);
	expect_prefix(test, v, 100);
}

static void secvec_test_pop_is_lifo(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 i, value;

	push_range(test, v, 0, 50);
	for (i = 50; i-- > 0;) {
		KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
		KUNIT_ASSERT_EQ(test, i * 3 + 1, value);
		KUNIT_ASSERT_EQ(test, i, secvec_size(v));
	}
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop(v, &value));
}

static void secvec_test_set_then_get(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 value;

	push_range(test, v, 0, 20);
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 7, 0xdeadbeefULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_get(v, 7, &value));
	KUNIT_EXPECT_EQ(test, 0xdeadbeefULL, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_get(v, 6, &value));
	KUNIT_EXPECT_EQ(test, 6 * 3 + 1, value);
	KUNIT_EXPECT_EQ(test, 20, secvec_size(v));
}

static void secvec_test_clear_keeps_capacity(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 cap, value;

	push_range(test, v, 0, 100);
	cap = secvec_capacity(v);
	KUNIT_ASSERT_EQ(test, 0, secvec_clear(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_EQ(test, cap, secvec_capacity(v));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, 0, &value));
	push_range(test, v, 0, 10);
	expect_prefix(test, v, 10);
}

static void secvec_test_full_range_values(struct kunit *test)
{
	static const u64 values[] = { 0, 1, U64_MAX, 1ULL << 63, U64_MAX - 1 };
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 value;
	int i;

	for (i = 0; i < ARRAY_SIZE(values); i++)
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, values[i], NULL));
	for (i = ARRAY_SIZE(values); i-- > 0;) {
		KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
		KUNIT_EXPECT_EQ(test, values[i], value);
	}
}

/* Capacity after reserve(n): the smallest bucket prefix holding n. */
static u64 prefix_capacity(u64 n)
{
	u64 cap = 0, bucket = SECVEC_FBS;

	while (cap < n) {
		cap += bucket;
		bucket <<= 1;
	}
	return cap;
}

static void secvec_test_reserve_grows_capacity(struct kunit *test)
{
	static const u64 asks[] = { 1, 8, 9, 100, 1000, 5000, 70000 };
	struct secvec *v = secvec_kunit_create(test, BIG);
	int i;

	for (i = 0; i < ARRAY_SIZE(asks); i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, asks[i]));
		KUNIT_EXPECT_EQ(test, prefix_capacity(asks[i]),
				secvec_capacity(v));
	}
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
}

static void secvec_test_reserve_never_reallocates(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	const void *before[SECVEC_NR_BUCKETS];
	u64 allocs;
	int b;

	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 1000));
	push_range(test, v, 0, 600);
	for (b = 0; b < SECVEC_NR_BUCKETS; b++)
		before[b] = secvec_test_bucket(v, b);

	allocs = secvec_stat_read(SECVEC_STAT_BUCKET_ALLOC);
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 500));
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 1000));
	KUNIT_EXPECT_EQ(test, allocs, secvec_stat_read(SECVEC_STAT_BUCKET_ALLOC));

	/* 4000 needs buckets 7 and 8 only: 1016 < 4000 <= 4088. */
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 4000));
	KUNIT_EXPECT_EQ(test, allocs + 2,
			secvec_stat_read(SECVEC_STAT_BUCKET_ALLOC));
	for (b = 0; b < SECVEC_NR_BUCKETS; b++)
		if (before[b])
			KUNIT_EXPECT_PTR_EQ(test, before[b],
					    secvec_test_bucket(v, b));
	expect_prefix(test, v, 600);
}

static void secvec_test_reserve_over_cap(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 100);

	KUNIT_EXPECT_EQ(test, -ENOSPC, secvec_reserve(v, 101));
	KUNIT_EXPECT_EQ(test, 0, secvec_capacity(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_reserve(v, 100));
	KUNIT_EXPECT_EQ(test, 0, secvec_reserve(v, 0));
	KUNIT_EXPECT_GE(test, secvec_capacity(v), 100);
}

static unsigned int moves_left;

/*
 * secvec_test_on_load(): another CPU's transition in the load's window
 * (a stamp moved on, the state otherwise as it was), @moves_left times.
 */
static void move_state(struct secvec *v)
{
	if (!moves_left)
		return;
	moves_left--;
	secvec_test_on_load(v, NULL);
	secvec_test_set_stamp(v, secvec_test_stamp(v) + 1);
	secvec_test_on_load(v, move_state);
}

/* A set of @value at 0 whose state loads lose their first @moves rounds. */
static void set_under_churn(struct kunit *test, struct secvec *v,
			    unsigned int moves, u64 value)
{
	u64 got;

	moves_left = moves;
	secvec_test_on_load(v, move_state);
	KUNIT_EXPECT_EQ(test, 0, secvec_set(v, 0, value));
	secvec_test_on_load(v, NULL);
	KUNIT_EXPECT_EQ(test, 0, moves_left);
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 0, &got));
	KUNIT_EXPECT_EQ(test, value, got);
	/* Settled again, for the next one: the hook moves SETTLED states. */
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 1, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &got));
}

/*
 * The state load (meta, word, meta again) starts over in place when meta
 * moved, but runs with preemption off: once the CPU is wanted (here,
 * always: secvec_test_land_pause_every()), a lost round sends the
 * operation out of its section to let the CPU go, and it starts over.
 */
static void secvec_test_load_leaves_when_cpu_wanted(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 yields, value;

	push_range(test, v, 0, 2);
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	set_under_churn(test, v, 5, 7);
	secvec_test_land_pause_every(v, 1);
	yields = secvec_stat_read(SECVEC_STAT_LOAD_YIELD);
	set_under_churn(test, v, 5, 8);
	KUNIT_EXPECT_EQ(test, yields + 5,
			secvec_stat_read(SECVEC_STAT_LOAD_YIELD));
	secvec_test_land_pause_every(v, 0);
	KUNIT_EXPECT_EQ(test, 1, secvec_size(v));
}

static struct kunit_case secvec_basic_cases[] = {
	KUNIT_CASE(secvec_test_empty),
	KUNIT_CASE(secvec_test_push_returns_index),
	KUNIT_CASE(secvec_test_pop_is_lifo),
	KUNIT_CASE(secvec_test_set_then_get),
	KUNIT_CASE(secvec_test_clear_keeps_capacity),
	KUNIT_CASE(secvec_test_full_range_values),
	KUNIT_CASE(secvec_test_reserve_grows_capacity),
	KUNIT_CASE(secvec_test_reserve_never_reallocates),
	KUNIT_CASE(secvec_test_reserve_over_cap),
	KUNIT_CASE(secvec_test_load_leaves_when_cpu_wanted),
	{}
};

static struct kunit_suite secvec_basic_suite = {
	.name = "secvec_basic",
	.test_cases = secvec_basic_cases,
};

/* ---- errors: each leaves the vector exactly as it was ---- */

static void secvec_test_get_set_past_size(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 value = 42;

	push_range(test, v, 0, 10);
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, 10, &value));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, U64_MAX, &value));
	KUNIT_EXPECT_EQ(test, 42, value);
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_set(v, 10, 5));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_set(v, U64_MAX, 5));
	expect_prefix(test, v, 10);
}

static void secvec_test_cap_reached(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 20);
	u64 vals[4] = { 1, 2, 3, 4 };

	push_range(test, v, 0, 18);
	/* All or nothing: 4 do not fit in the 2 left. */
	KUNIT_EXPECT_EQ(test, -ENOSPC, secvec_push_many(v, vals, 4, NULL));
	expect_prefix(test, v, 18);
	push_range(test, v, 18, 20);
	KUNIT_EXPECT_EQ(test, -ENOSPC, secvec_push(v, 99, NULL));
	expect_prefix(test, v, 20);
}

static void secvec_test_bad_arguments(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 buf[2] = { 0 };
	u32 n;

	KUNIT_EXPECT_EQ(test, -EINVAL, secvec_push_many(v, buf, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			secvec_push_many(v, buf, SECVEC_MAX_BATCH + 1, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL, secvec_pop_many(v, buf, 0, &n));
	KUNIT_EXPECT_EQ(test, -EINVAL, secvec_get_range(v, 0, buf, 0, &n));
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_TRUE(test, IS_ERR(secvec_create(0, GFP_KERNEL)));
	KUNIT_EXPECT_TRUE(test,
			  IS_ERR(secvec_create(SECVEC_MAX_ELEMENTS + 1,
					       GFP_KERNEL)));
}

/* Allocation failure through the core's fault hook: -ENOMEM, unchanged. */
static void secvec_test_enomem_push(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 vals[3] = { 7, 8, 9 };

	push_range(test, v, 0, 8);	/* bucket 0 full: next push allocates */
	secvec_test_fail_allocs(v, 0, 1);	/* the bucket */
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push(v, 1, NULL));
	KUNIT_EXPECT_EQ(test, 8, secvec_capacity(v));
	secvec_test_fail_allocs(v, 0, 0);
	expect_prefix(test, v, 8);

	/* A batch: its block (values and tags) fails. */
	secvec_test_fail_allocs(v, 0, 1);
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 3, NULL));
	expect_prefix(test, v, 8);

	/* The block succeeds, the descriptor fails. */
	secvec_test_fail_allocs(v, 1, 1);
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 3, NULL));
	expect_prefix(test, v, 8);

	/* Block and descriptor succeed, the bucket fails. */
	secvec_test_fail_allocs(v, 2, 1);
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 3, NULL));
	KUNIT_EXPECT_EQ(test, 8, secvec_capacity(v));
	expect_prefix(test, v, 8);
	secvec_test_fail_allocs(v, 0, 0);
	push_range(test, v, 8, 9);
	expect_prefix(test, v, 9);
}

static void secvec_test_enomem_other_ops(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 value = 0;

	push_range(test, v, 0, 9);
	secvec_test_fail_allocs(v, 0, 1);
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_set(v, 0, 5));
	secvec_test_fail_allocs(v, 0, 1);
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_reserve(v, 1000));
	KUNIT_EXPECT_EQ(test, 24, secvec_capacity(v));
	expect_prefix(test, v, 9);

	/* Pop and clear allocate nothing: they work while allocations fail. */
	secvec_test_fail_allocs(v, 0, 1000);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 8 * 3 + 1, value);
	expect_prefix(test, v, 8);
	/* A push into an existing bucket allocates nothing either. */
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 8 * 3 + 1, NULL));
	expect_prefix(test, v, 9);
	KUNIT_EXPECT_EQ(test, 0, secvec_clear(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	secvec_test_fail_allocs(v, 0, 0);
}

#ifndef CONFIG_SMP
struct irq_caller {
	struct timer_list timer;
	struct secvec *v;
	int err;
	struct completion done;
};

/* A timer callback: softirq context, outside the contract. */
static void irq_caller_fn(struct timer_list *timer)
{
	struct irq_caller *c = from_timer(c, timer, timer);

	c->err = secvec_push(c->v, 5, NULL);
	complete(&c->done);
}
#endif

/*
 * A uniprocessor kernel's CAS is a plain compare and store, safe only for
 * the callers the contract allows (secvec_slot.h): one in interrupt
 * context is caught, reported and counted, even without lockdep.
 */
static void secvec_test_interrupt_caller_is_caught(struct kunit *test)
{
#ifdef CONFIG_SMP
	kunit_skip(test, "SMP kernels CAS with cmpxchg16b: nothing to catch");
#else
	struct irq_caller c = { .v = secvec_kunit_create(test, BIG) };
	u64 caught = secvec_stat_read(SECVEC_STAT_IRQ_CALLER);

	/* No bucket to allocate in the callback. */
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(c.v, 1));
	init_completion(&c.done);
	timer_setup_on_stack(&c.timer, irq_caller_fn, 0);
	mod_timer(&c.timer, jiffies);
	wait_for_completion(&c.done);
	del_timer_sync(&c.timer);
	destroy_timer_on_stack(&c.timer);
	KUNIT_EXPECT_EQ(test, 0, c.err);
	KUNIT_EXPECT_GT(test, secvec_stat_read(SECVEC_STAT_IRQ_CALLER), caught);
	/* A task's call is not counted. */
	caught = secvec_stat_read(SECVEC_STAT_IRQ_CALLER);
	KUNIT_EXPECT_EQ(test, 0, secvec_push(c.v, 6, NULL));
	KUNIT_EXPECT_EQ(test, caught, secvec_stat_read(SECVEC_STAT_IRQ_CALLER));
#endif
}

static struct kunit_case secvec_error_cases[] = {
	KUNIT_CASE(secvec_test_get_set_past_size),
	KUNIT_CASE(secvec_test_cap_reached),
	KUNIT_CASE(secvec_test_bad_arguments),
	KUNIT_CASE(secvec_test_enomem_push),
	KUNIT_CASE(secvec_test_enomem_other_ops),
	KUNIT_CASE(secvec_test_interrupt_caller_is_caught),
	{}
};

static struct kunit_suite secvec_error_suite = {
	.name = "secvec_errors",
	.test_cases = secvec_error_cases,
};

/* ---- batches, single-threaded ---- */

static void secvec_test_push_many_contiguous(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 vals[100], first, i;

	for (i = 0; i < 100; i++)
		vals[i] = (i + 5) * 3 + 1;
	push_range(test, v, 0, 5);
	KUNIT_ASSERT_EQ(test, 0, secvec_push_many(v, vals, 100, &first));
	KUNIT_EXPECT_EQ(test, 5, first);
	expect_prefix(test, v, 105);
}

/* A block (secvec_block_alloc()) of the values at @from.. (as push_range()). */
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
	expect_prefix(test, v, 6);
	KUNIT_EXPECT_EQ(test, -ENOSPC,
			secvec_block_push(v, filled_block(test, v, 0, 3), 3,
					  NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			secvec_block_push(v, filled_block(test, v, 0, 1), 0,
					  NULL));
	block = filled_block(test, v, 0, 2);
	secvec_test_fail_allocs(v, 0, 1);	/* the descriptor */
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_block_push(v, block, 2, NULL));
	secvec_block_free(filled_block(test, v, 0, 2));
	KUNIT_EXPECT_NULL(test, secvec_block_alloc(v, 0));
	KUNIT_EXPECT_NULL(test, secvec_block_alloc(v, SECVEC_MAX_BATCH + 1));
	secvec_test_fail_allocs(v, 0, 1);
	KUNIT_EXPECT_NULL(test, secvec_block_alloc(v, 2));
	expect_prefix(test, v, 6);
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
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 pauses, index, value, out[5];
	u32 popped, i;

	/* No bucket to allocate: that would start an operation over too. */
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 4698));
	push_range(test, v, 0, 3);
	secvec_test_land_pause_every(v, 256);

	/* 1000 values: gets land nothing; a push lands [256, 1000). */
	push_paused_block(test, v, 3, 1000);
	expect_prefix(test, v, 1003);
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
	expect_prefix(test, v, 4098);

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
	struct secvec *v = secvec_kunit_create(test, BIG);

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
	expect_prefix(test, v, 1000);
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
	struct secvec *v = secvec_kunit_create(test, BIG);
	struct secvec_test_write w;
	u64 index, value;

	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 2048));
	push_range(test, v, 0, 3);

	/* Alone: the owner frees it; a helper after it finds it gone. */
	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 3, 300),
					  300, &index));
	KUNIT_EXPECT_NOT_NULL(test, secvec_test_desc(v));
	KUNIT_EXPECT_FALSE(test, secvec_test_block_kept(v));
	KUNIT_EXPECT_FALSE(test, secvec_test_capture_write(v, &w));
	expect_prefix(test, v, 303);

	/* Someone at it between the owner's landing and its take: kept. */
	secvec_test_on_landed(v, share_block_now);
	KUNIT_ASSERT_EQ(test, 0,
			secvec_block_push(v, filled_block(test, v, 303, 300),
					  300, &index));
	secvec_test_on_landed(v, NULL);
	KUNIT_EXPECT_TRUE(test, secvec_test_block_kept(v));
	expect_prefix(test, v, 603);

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
	expect_prefix(test, v, 904);
}

static void secvec_test_pop_many_partial(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 out[16], first;
	u32 popped, i;

	push_range(test, v, 0, 10);
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
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 out[32];
	u32 got, i;

	push_range(test, v, 0, 20);
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
	struct secvec *v = secvec_kunit_create(test, BIG);
	u64 out[4];
	u32 popped;
	int calls = 0;

	push_range(test, v, 0, 10);
	KUNIT_EXPECT_EQ(test, -EFAULT,
			secvec_pop_many_commit(v, out, 4, &popped, NULL,
					       refuse_commit, &calls));
	KUNIT_EXPECT_EQ(test, 1, calls);
	expect_prefix(test, v, 10);
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

kunit_test_suites(&secvec_basic_suite, &secvec_error_suite,
		  &secvec_batch_suite);
