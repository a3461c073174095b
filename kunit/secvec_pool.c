// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: the descriptor pool (module/secvec_desc.c) reuses a
 * retired descriptor only after a grace period. Each set installs one. A
 * reader that entered its read-side section while a descriptor was
 * current may still hold it; as
 * long as that reader stays, the descriptor must not come back, or a
 * cmpxchg against its stale pointer could succeed (ABA on the pointer).
 *
 * The reader sits on CPU 0. The operations run in a kthread bound to
 * CPU 1, so that every descriptor they retire goes to one CPU's pool and
 * the one under watch is the first in line for reuse there. Nothing in
 * the reader's window can abort the case: the worker only records what
 * it saw, the reader is always released, then the case checks.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>

#include "secvec_kunit.h"

/* Enough: a pool that skips the grace period reuses within two. */
#define POOL_OPS	(4096 / SECVEC_KUNIT_SCALE)
#define READER_CPU	0
#define WORKER_CPU	1

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

struct pool_worker {
	struct secvec *v;
	const void *held;	/* NULL: only set */
	struct completion done;
	int err;		/* first error of a set */
	int ops;		/* operations done */
	bool came_back;		/* @held was current again */
	bool replaced;		/* @held stopped being current */
};

static void pool_watch(struct pool_worker *w)
{
	if (secvec_test_desc(w->v) != w->held)
		w->replaced = true;
	else if (w->replaced)
		w->came_back = true;
}

/* Set POOL_OPS times, watching whether @held comes back. */
static int pool_worker_fn(void *arg)
{
	struct pool_worker *w = arg;
	int i;

	for (i = 0; i < POOL_OPS && !w->err && !w->came_back; i++) {
		w->err = secvec_set(w->v, 0, i);
		pool_watch(w);
		w->ops++;
	}
	complete(&w->done);
	return 0;
}

/* Run @w on WORKER_CPU and wait for it; 0 or the kthread's error. */
static int pool_run_worker(struct pool_worker *w)
{
	struct task_struct *task;

	init_completion(&w->done);
	task = kthread_run_on_cpu(pool_worker_fn, w, WORKER_CPU,
				  "secvec_pool/%u");
	if (IS_ERR(task))
		return PTR_ERR(task);
	wait_for_completion(&w->done);
	return 0;
}

static void secvec_test_reuse_waits_for_readers(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 1 << 16);
	struct pool_worker w = { .v = v }, after = { .v = v };
	struct task_struct *task;
	struct held_reader r;
	u64 reused;
	int err;

	if (num_online_cpus() < 2)
		kunit_skip(test, "a reader can only stay in its section with a second CPU");
	init_completion(&r.in_section);
	init_completion(&r.left);
	atomic_set(&r.stop, 0);
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 1, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 0, 1));
	task = kthread_run_on_cpu(held_reader_fn, &r, READER_CPU,
				  "secvec_reader/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&r.in_section);

	/* Current while the reader is inside: the reader may hold it. */
	w.held = secvec_test_desc(v);
	KUNIT_ASSERT_NOT_NULL(test, w.held);
	reused = secvec_stat_read(SECVEC_STAT_DESC_REUSE);
	err = pool_run_worker(&w);
	atomic_set(&r.stop, 1);
	wait_for_completion(&r.left);
	KUNIT_ASSERT_EQ(test, 0, err);
	KUNIT_ASSERT_EQ(test, 0, w.err);
	KUNIT_EXPECT_TRUE(test, w.replaced);
	KUNIT_EXPECT_FALSE_MSG(test, w.came_back,
			       "descriptor reused while a reader could hold it");
	kunit_info(test, "%d ops with a reader held, %llu descriptors reused\n",
		   w.ops, secvec_stat_read(SECVEC_STAT_DESC_REUSE) - reused);

	/*
	 * With the reader gone, grace periods end and reuse resumes. The
	 * barrier too: the userspace build closes polled grace periods with
	 * RCU callbacks.
	 */
	synchronize_rcu();
	rcu_barrier();
	reused = secvec_stat_read(SECVEC_STAT_DESC_REUSE);
	KUNIT_ASSERT_EQ(test, 0, pool_run_worker(&after));
	KUNIT_ASSERT_EQ(test, 0, after.err);
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
