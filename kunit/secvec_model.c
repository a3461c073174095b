// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: seeded random operation sequences checked against a plain
 * array, and reads and writes on both sides of every bucket edge.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "secvec_kunit.h"

#define MODEL_OPS	(120000 / SECVEC_KUNIT_SCALE)
#define MODEL_MAX	4096	/* small cap: the ENOSPC path is hit too */
#define MODEL_BATCH	64

struct model {
	u64 *a;
	u64 n;
};

static u64 rnd_value(struct rnd_state *rnd)
{
	return ((u64)prandom_u32_state(rnd) << 32) | prandom_u32_state(rnd);
}

/* One random operation on both; asserts they agree. */
static void model_step(struct kunit *test, struct secvec *v, struct model *m,
		       struct rnd_state *rnd, u64 *buf)
{
	u32 op = prandom_u32_state(rnd) % 100, k, got, i;
	u64 idx, value, first;
	int err;

	if (op < 35) {				/* push */
		value = rnd_value(rnd);
		err = secvec_push(v, value, &idx);
		if (m->n == MODEL_MAX) {
			KUNIT_ASSERT_EQ(test, -ENOSPC, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		KUNIT_ASSERT_EQ(test, m->n, idx);
		m->a[m->n++] = value;
	} else if (op < 60) {			/* pop */
		err = secvec_pop(v, &value);
		if (!m->n) {
			KUNIT_ASSERT_EQ(test, -ENODATA, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		KUNIT_ASSERT_EQ(test, m->a[--m->n], value);
	} else if (op < 75) {			/* get, sometimes out of range */
		idx = prandom_u32_state(rnd) % (m->n + 2);
		err = secvec_get(v, idx, &value);
		if (idx >= m->n) {
			KUNIT_ASSERT_EQ(test, -ERANGE, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		KUNIT_ASSERT_EQ(test, m->a[idx], value);
	} else if (op < 85) {			/* set */
		idx = prandom_u32_state(rnd) % (m->n + 2);
		value = rnd_value(rnd);
		err = secvec_set(v, idx, value);
		if (idx >= m->n) {
			KUNIT_ASSERT_EQ(test, -ERANGE, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		m->a[idx] = value;
	} else if (op < 90) {			/* push_many */
		k = 1 + prandom_u32_state(rnd) % MODEL_BATCH;
		for (i = 0; i < k; i++)
			buf[i] = rnd_value(rnd);
		err = secvec_push_many(v, buf, k, &first);
		if (m->n + k > MODEL_MAX) {
			KUNIT_ASSERT_EQ(test, -ENOSPC, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		KUNIT_ASSERT_EQ(test, m->n, first);
		memcpy(m->a + m->n, buf, k * sizeof(*buf));
		m->n += k;
	} else if (op < 95) {			/* pop_many */
		k = 1 + prandom_u32_state(rnd) % MODEL_BATCH;
		err = secvec_pop_many(v, buf, k, &got);
		if (!m->n) {
			KUNIT_ASSERT_EQ(test, -ENODATA, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		KUNIT_ASSERT_EQ(test, min_t(u64, k, m->n), got);
		m->n -= got;
		for (i = 0; i < got; i++)
			KUNIT_ASSERT_EQ(test, m->a[m->n + i], buf[i]);
	} else if (op < 99) {			/* get_range */
		k = 1 + prandom_u32_state(rnd) % MODEL_BATCH;
		idx = prandom_u32_state(rnd) % (m->n + 1);
		err = secvec_get_range(v, idx, buf, k, &got);
		if (idx >= m->n) {
			KUNIT_ASSERT_EQ(test, -ERANGE, err);
			return;
		}
		KUNIT_ASSERT_EQ(test, 0, err);
		KUNIT_ASSERT_EQ(test, min_t(u64, k, m->n - idx), got);
		for (i = 0; i < got; i++)
			KUNIT_ASSERT_EQ(test, m->a[idx + i], buf[i]);
	} else if (prandom_u32_state(rnd) % 8 == 0) {	/* rare clear */
		KUNIT_ASSERT_EQ(test, 0, secvec_clear(v));
		m->n = 0;
	} else {				/* reserve */
		idx = prandom_u32_state(rnd) % (MODEL_MAX + 1);
		KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, idx));
		KUNIT_ASSERT_GE(test, secvec_capacity(v), idx);
	}
	KUNIT_ASSERT_EQ(test, m->n, secvec_size(v));
}

static const u64 model_seeds[] = { 1, 0x5ec7ec, 20061218 };

static void model_seed_desc(const u64 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed %llu", *seed);
}

KUNIT_ARRAY_PARAM(model_seed, model_seeds, model_seed_desc);

static void secvec_test_model_random_ops(struct kunit *test)
{
	const u64 *seed = test->param_value;
	struct secvec *v = secvec_kunit_create(test, MODEL_MAX);
	struct rnd_state rnd;
	struct model m = {};
	u64 *buf;
	int i;

	m.a = kunit_kcalloc(test, MODEL_MAX, sizeof(*m.a), GFP_KERNEL);
	buf = kunit_kcalloc(test, MODEL_BATCH, sizeof(*buf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.a);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	prandom_seed_state(&rnd, *seed);
	for (i = 0; i < MODEL_OPS; i++) {
		model_step(test, v, &m, &rnd, buf);
		if (!(i & 1023))
			cond_resched();
	}
	for (i = 0; i < m.n; i++) {
		u64 value;

		KUNIT_ASSERT_EQ(test, 0, secvec_get(v, i, &value));
		KUNIT_ASSERT_EQ(test, m.a[i], value);
	}
}

/* Index of the first slot of bucket @b. */
static u64 bucket_start(unsigned int b)
{
	return (u64)SECVEC_FBS * ((1ULL << b) - 1);
}

#define EDGE_BUCKETS	12

static u64 edge_value(u64 i)
{
	return ~i * 0x9e3779b97f4a7c15ULL;
}

static void secvec_test_bucket_edges(struct kunit *test)
{
	u64 end = bucket_start(EDGE_BUCKETS) + 2, i, index, value;
	struct secvec *v = secvec_kunit_create(test, end);
	unsigned int b;

	for (i = 0; i < end; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, edge_value(i), &index));
		KUNIT_ASSERT_EQ(test, i, index);
	}
	for (b = 1; b <= EDGE_BUCKETS; b++) {
		u64 edge = bucket_start(b);

		for (i = edge - 2; i < edge + 2; i++) {
			KUNIT_ASSERT_EQ(test, 0, secvec_get(v, i, &value));
			KUNIT_EXPECT_EQ(test, edge_value(i), value);
			KUNIT_ASSERT_EQ(test, 0, secvec_set(v, i, ~value));
		}
		for (i = edge - 2; i < edge + 2; i++) {
			KUNIT_ASSERT_EQ(test, 0, secvec_get(v, i, &value));
			KUNIT_EXPECT_EQ(test, ~edge_value(i), value);
		}
	}
	KUNIT_EXPECT_EQ(test, bucket_start(EDGE_BUCKETS + 1),
			secvec_capacity(v));
}

/* Capacity grows a bucket at a time, exactly at each edge. */
static void secvec_test_capacity_at_edges(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 1 << 16);
	unsigned int b;
	u64 i = 0;

	for (b = 0; b < EDGE_BUCKETS; b++) {
		for (; i < bucket_start(b + 1); i++)
			KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i, NULL));
		KUNIT_EXPECT_EQ(test, bucket_start(b + 1), secvec_capacity(v));
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i++, NULL));
		KUNIT_EXPECT_EQ(test, bucket_start(b + 2), secvec_capacity(v));
	}
}

/* A batch that straddles several bucket edges lands where it should. */
static void secvec_test_push_many_across_buckets(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 1 << 16);
	u64 *vals, first, i, value;
	u32 n = 5000;

	vals = kunit_kmalloc_array(test, n, sizeof(*vals), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vals);
	for (i = 0; i < n; i++)
		vals[i] = edge_value(i + 3);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, edge_value(i), NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_push_many(v, vals, n, &first));
	KUNIT_EXPECT_EQ(test, 3, first);
	for (i = 0; i < n + 3; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_get(v, i, &value));
		KUNIT_ASSERT_EQ(test, edge_value(i), value);
	}
}

static struct kunit_case secvec_model_cases[] = {
	KUNIT_CASE_PARAM(secvec_test_model_random_ops, model_seed_gen_params),
	KUNIT_CASE(secvec_test_bucket_edges),
	KUNIT_CASE(secvec_test_capacity_at_edges),
	KUNIT_CASE(secvec_test_push_many_across_buckets),
	{}
};

static struct kunit_suite secvec_model_suite = {
	.name = "secvec_model",
	.test_cases = secvec_model_cases,
};

kunit_test_suites(&secvec_model_suite);
