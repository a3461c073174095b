// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: the descriptor pool (module/secvec_desc.c) reuses a
 * retired descriptor only after a grace period. A reader that entered its
 * read-side section while a descriptor was current may still hold it; as
 * long as that reader stays, the descriptor must not come back, or a
 * cmpxchg against its stale pointer could succeed (ABA on the pointer).
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>

#include "secvec_kunit.h"

#define POOL_OPS	(8192 / SECVEC_KUNIT_SCALE)

struct held_reader {
	struct completion in_section;
	struct completion left;
	atomic_t stop;
};

/* Sits in one read-side section until told to leave. */
static int held_reader_fn(void *arg)
{
	struct held_reader *r = arg;

	rcu_read_lock();
	complete(&r->in_section);
	while (!atomic_read(&r->stop))
		cpu_relax();
	rcu_read_unlock();
	complete(&r->left);
	return 0;
}

static void secvec_test_reuse_waits_for_readers(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 1 << 16);
	struct held_reader r;
	struct task_struct *task;
	const void *held;
	u64 reused, value;
	bool came_back = false;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "a reader can only stay in its section with a second CPU");
	init_completion(&r.in_section);
	init_completion(&r.left);
	atomic_set(&r.stop, 0);
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 1, NULL));
	task = kthread_run(held_reader_fn, &r, "secvec_held_reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&r.in_section);

	/* Current while the reader is inside: the reader may hold it. */
	held = secvec_test_desc(v);
	reused = secvec_stat_read(SECVEC_STAT_DESC_REUSE);
	for (i = 0; i < POOL_OPS && !came_back; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i, NULL));
		came_back = secvec_test_desc(v) == held;
		KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
		came_back |= secvec_test_desc(v) == held;
	}
	atomic_set(&r.stop, 1);
	wait_for_completion(&r.left);
	KUNIT_EXPECT_FALSE_MSG(test, came_back,
			       "descriptor reused while a reader could hold it");
	kunit_info(test, "%d ops with a reader held, %llu descriptors reused\n",
		   2 * i, secvec_stat_read(SECVEC_STAT_DESC_REUSE) - reused);

	/* With the reader gone, grace periods end and reuse resumes. */
	reused = secvec_stat_read(SECVEC_STAT_DESC_REUSE);
	synchronize_rcu();
	for (i = 0; i < POOL_OPS; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i, NULL));
		KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	}
	KUNIT_EXPECT_GT(test, secvec_stat_read(SECVEC_STAT_DESC_REUSE), reused);
}

static struct kunit_case secvec_pool_cases[] = {
	KUNIT_CASE(secvec_test_reuse_waits_for_readers),
	{}
};

static struct kunit_suite secvec_pool_suite = {
	.name = "secvec_pool",
	.test_cases = secvec_pool_cases,
};

kunit_test_suites(&secvec_pool_suite);
