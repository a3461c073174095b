// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: every error path, each of which leaves the vector exactly
 * as it was, and the uniprocessor build's catch of interrupt callers.
 */
#include <linux/err.h>
#ifndef CONFIG_SMP
#include <linux/timer.h>
#endif

#include "secvec_kunit.h"

static void secvec_test_get_set_past_size(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 value = 42;

	secvec_kunit_push_range(test, v, 0, 10);
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, 10, &value));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_get(v, U64_MAX, &value));
	KUNIT_EXPECT_EQ(test, 42, value);
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_set(v, 10, 5));
	KUNIT_EXPECT_EQ(test, -ERANGE, secvec_set(v, U64_MAX, 5));
	secvec_kunit_expect_prefix(test, v, 10);
}

static void secvec_test_cap_reached(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 20);
	u64 vals[4] = { 1, 2, 3, 4 };

	secvec_kunit_push_range(test, v, 0, 18);
	/* All or nothing: 4 do not fit in the 2 left. */
	KUNIT_EXPECT_EQ(test, -ENOSPC, secvec_push_many(v, vals, 4, NULL));
	secvec_kunit_expect_prefix(test, v, 18);
	secvec_kunit_push_range(test, v, 18, 20);
	KUNIT_EXPECT_EQ(test, -ENOSPC, secvec_push(v, 99, NULL));
	secvec_kunit_expect_prefix(test, v, 20);
}

static void secvec_test_bad_arguments(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 buf[2] = { 0 };
	u32 n;

	KUNIT_EXPECT_EQ(test, -EINVAL, secvec_push_many(v, buf, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			secvec_push_many(v, buf, SECVEC_BATCH_MAX + 1, NULL));
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
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 vals[3] = { 7, 8, 9 };

	secvec_kunit_push_range(test, v, 0, 8);	/* bucket 0 full: next push allocates */
	/* Fail the bucket. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push(v, 1, NULL));
	KUNIT_EXPECT_EQ(test, 8, secvec_capacity(v));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 0));
	secvec_kunit_expect_prefix(test, v, 8);

	/* A batch: its block (values and tags) fails. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 3, NULL));
	secvec_kunit_expect_prefix(test, v, 8);

	/* The block succeeds, the descriptor fails. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(1, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 3, NULL));
	secvec_kunit_expect_prefix(test, v, 8);

	/* Block and descriptor succeed, the bucket fails. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(2, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_push_many(v, vals, 3, NULL));
	KUNIT_EXPECT_EQ(test, 8, secvec_capacity(v));
	secvec_kunit_expect_prefix(test, v, 8);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 0));
	secvec_kunit_push_range(test, v, 8, 9);
	secvec_kunit_expect_prefix(test, v, 9);
}

static void secvec_test_enomem_other_ops(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, SECVEC_KUNIT_BIG);
	u64 value = 0;

	secvec_kunit_push_range(test, v, 0, 9);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_set(v, 0, 5));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1));
	KUNIT_EXPECT_EQ(test, -ENOMEM, secvec_reserve(v, 1000));
	KUNIT_EXPECT_EQ(test, 24, secvec_capacity(v));
	secvec_kunit_expect_prefix(test, v, 9);

	/* Pop and clear allocate nothing: they work while allocations fail. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 1000));
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 8 * 3 + 1, value);
	secvec_kunit_expect_prefix(test, v, 8);
	/* A push into an existing bucket allocates nothing either. */
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 8 * 3 + 1, NULL));
	secvec_kunit_expect_prefix(test, v, 9);
	KUNIT_EXPECT_EQ(test, 0, secvec_clear(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_fail_allocs(0, 0));
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
	struct irq_caller c = { .v = secvec_kunit_create(test, SECVEC_KUNIT_BIG) };
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

kunit_test_suites(&secvec_error_suite);
