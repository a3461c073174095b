// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: reclamation: every descriptor and bucket a vector took is
 * freed once it is destroyed and the pools are quiesced.
 */
#include <linux/err.h>

#include "secvec_kunit.h"

struct reclaim_counts {
	u64 desc_alloc, desc_reuse, desc_free, bucket_alloc, bucket_free;
};

/*
 * Counts with nothing waiting for reuse: quiesce first, which frees the
 * per-CPU pools and waits for the RCU callbacks.
 */
static void reclaim_read(struct reclaim_counts *c)
{
	secvec_quiesce();
	c->desc_alloc = secvec_stat_read(SECVEC_STAT_DESC_ALLOC);
	c->desc_reuse = secvec_stat_read(SECVEC_STAT_DESC_REUSE);
	c->desc_free = secvec_stat_read(SECVEC_STAT_DESC_FREE);
	c->bucket_alloc = secvec_stat_read(SECVEC_STAT_BUCKET_ALLOC);
	c->bucket_free = secvec_stat_read(SECVEC_STAT_BUCKET_FREE);
}

/* After destroy and quiesce, everything allocated since @a is freed. */
static void reclaim_expect_balanced(struct kunit *test,
				    const struct reclaim_counts *a,
				    u64 min_descs, u64 min_buckets)
{
	struct reclaim_counts b;

	reclaim_read(&b);
	/* Every set and batch push took a descriptor, new or recycled. */
	KUNIT_EXPECT_GE(test, b.desc_alloc - a->desc_alloc +
			b.desc_reuse - a->desc_reuse, min_descs);
	KUNIT_EXPECT_EQ(test, b.desc_alloc - a->desc_alloc,
			b.desc_free - a->desc_free);
	KUNIT_EXPECT_GE(test, b.bucket_alloc - a->bucket_alloc, min_buckets);
	KUNIT_EXPECT_EQ(test, b.bucket_alloc - a->bucket_alloc,
			b.bucket_free - a->bucket_free);
}

static void secvec_test_reclaim_all(struct kunit *test)
{
	u64 vals[40] = { 0 }, value;
	struct reclaim_counts a;
	struct secvec *v;
	u32 n;
	int i;

	reclaim_read(&a);
	v = secvec_create(1 << 16, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(v));
	for (i = 0; i < 3000; i++)
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i, NULL));
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, 0, secvec_push_many(v, vals, 40, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_pop_many(v, vals, 40, &n));
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, 0, secvec_set(v, i, 3));
	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 20000));
	/* A batch that gets no descriptor. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(1, 1));
	KUNIT_ASSERT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 40, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_clear(v));
	KUNIT_ASSERT_EQ(test, -ERANGE, secvec_set(v, 0, 1));
	secvec_destroy(v);
	/* 100 sets + 1 batch + the refused set (the failed batch got none). */
	reclaim_expect_balanced(test, &a, 102, 12);
}

static int reclaim_thread_fn(void *arg)
{
	struct secvec *v = *(struct secvec **)arg;
	u64 value;
	int i;

	for (i = 0; i < 4096; i++) {
		if (i % 4 == 2)
			secvec_pop(v, &value);
		else if (i % 4 == 3)
			secvec_set(v, 0, i);	/* a descriptor each */
		else
			secvec_push(v, i, NULL);
		if (!(i & 63))
			cond_resched();
	}
	return 0;
}

static void secvec_test_reclaim_after_threads(struct kunit *test)
{
	unsigned int n = secvec_kunit_nr_threads(1);
	struct reclaim_counts a;
	struct secvec **slots;
	struct secvec *v;
	unsigned int i;

	slots = kunit_kcalloc(test, n, sizeof(*slots), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slots);
	reclaim_read(&a);
	v = secvec_create(1 << 20, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(v));
	for (i = 0; i < n; i++)
		slots[i] = v;
	KUNIT_ASSERT_EQ(test, 0,
			secvec_kunit_run_threads(n, reclaim_thread_fn, slots,
						 sizeof(*slots)));
	secvec_destroy(v);
	reclaim_expect_balanced(test, &a, 1024 * n, 1);
}

static struct kunit_case secvec_reclaim_cases[] = {
	KUNIT_CASE(secvec_test_reclaim_all),
	KUNIT_CASE(secvec_test_reclaim_after_threads),
	{}
};

static struct kunit_suite secvec_reclaim_suite = {
	.name = "secvec_reclaim",
	.test_cases = secvec_reclaim_cases,
};

kunit_test_suites(&secvec_reclaim_suite);
