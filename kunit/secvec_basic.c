// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: single-threaded semantics: push, pop, get, set,
 * clear and reserve, and the state load's exit when the CPU is wanted.
 */
#include <linux/err.h>

#include "secvec_kunit.h"

static void secvec_test_empty(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 value;

	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_capacity(v));
	KUNIT_EXPECT_EQ(test, SECVEC_KUNIT_BIG, secvec_max_elements(v));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, 0, &value));
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop(v, &value));
}

static void secvec_test_push_returns_index(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);

	secvec_kunit_push_range(test, v, 0, 100);
	secvec_kunit_expect_prefix(test, v, 100);
}

static void secvec_test_pop_is_lifo(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 i, value;

	secvec_kunit_push_range(test, v, 0, 50);
	for (i = 50; i-- > 0;) {
		KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
		KUNIT_ASSERT_EQ(test, i * 3 + 1, value);
		KUNIT_ASSERT_EQ(test, i, secvec_size(v));
	}
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop(v, &value));
}

static void secvec_test_set_then_get(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 value;

	secvec_kunit_push_range(test, v, 0, 20);
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 7, 0xdeadbeefULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_get(v, 7, &value));
	KUNIT_EXPECT_EQ(test, 0xdeadbeefULL, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_get(v, 6, &value));
	KUNIT_EXPECT_EQ(test, 6 * 3 + 1, value);
	KUNIT_EXPECT_EQ(test, 20, secvec_size(v));
}

static void secvec_test_clear_keeps_capacity(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 cap, value;

	secvec_kunit_push_range(test, v, 0, 100);
	cap = secvec_capacity(v);
	KUNIT_ASSERT_EQ(test, 0, secvec_clear(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_EQ(test, cap, secvec_capacity(v));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, 0, &value));
	secvec_kunit_push_range(test, v, 0, 10);
	secvec_kunit_expect_prefix(test, v, 10);
}

static void secvec_test_full_range_values(struct kunit *test)
{
	static const u64 values[] = { 0, 1, U64_MAX, 1ULL << 63, U64_MAX - 1 };
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
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
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
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
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	const void *before[SECVEC_NR_BUCKETS];
	u64 allocs;
	int b;

	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 1000));
	secvec_kunit_push_range(test, v, 0, 600);
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
	secvec_kunit_expect_prefix(test, v, 600);
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
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 yields, value;

	secvec_kunit_push_range(test, v, 0, 2);
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

kunit_test_suites(&secvec_basic_suite);
