// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by secvec's KUnit suites: vectors and kthread crews. */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "secvec_kunit.h"

static void secvec_kunit_destroy(void *v)
{
	secvec_destroy(v);
}

struct secvec *secvec_kunit_create(struct kunit *test, u64 max_elements)
{
	struct secvec *v = secvec_create(max_elements, GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(v));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, secvec_kunit_destroy, v));
	return v;
}

struct secvec_kunit_crew {
	atomic_t waiting;	/* threads not yet at the start line */
	atomic_t running;
	struct completion all_done;
	int (*fn)(void *arg);
};

struct secvec_kunit_member {
	struct secvec_kunit_crew *crew;
	void *arg;
};

static int secvec_kunit_member_fn(void *data)
{
	struct secvec_kunit_member *m = data;
	struct secvec_kunit_crew *crew = m->crew;

	/* Start together, so that the threads overlap as much as they can. */
	atomic_dec(&crew->waiting);
	while (atomic_read(&crew->waiting))
		cond_resched();
	crew->fn(m->arg);
	if (atomic_dec_and_test(&crew->running))
		complete(&crew->all_done);
	return 0;
}

int secvec_kunit_run_threads(unsigned int n, int (*fn)(void *arg),
			     void *arg, size_t stride)
{
	struct secvec_kunit_member *members;
	struct secvec_kunit_crew crew;
	struct task_struct *t;
	unsigned int i;

	members = kcalloc(n, sizeof(*members), GFP_KERNEL);
	if (!members)
		return -ENOMEM;
	atomic_set(&crew.waiting, n);
	atomic_set(&crew.running, n);
	init_completion(&crew.all_done);
	crew.fn = fn;
	for (i = 0; i < n; i++) {
		members[i].crew = &crew;
		members[i].arg = (char *)arg + i * stride;
		t = kthread_create(secvec_kunit_member_fn, &members[i],
				   "secvec_kunit/%u", i);
		if (IS_ERR(t)) {
			/* Release the others: they never wait for this one. */
			atomic_sub(n - i, &crew.waiting);
			if (atomic_sub_and_test(n - i, &crew.running))
				complete(&crew.all_done);
			wait_for_completion(&crew.all_done);
			kfree(members);
			return PTR_ERR(t);
		}
		kthread_bind(t, i % num_online_cpus());
		wake_up_process(t);
	}
	wait_for_completion(&crew.all_done);
	kfree(members);
	return 0;
}

unsigned int secvec_kunit_nr_threads(unsigned int factor)
{
	return max(4 * factor, factor * num_online_cpus());
}

static const unsigned int secvec_kunit_factors[] = { 1, 2 };

const void *secvec_kunit_thread_param(const void *prev, char *desc)
{
	const unsigned int *f = prev ? (const unsigned int *)prev + 1 :
				       secvec_kunit_factors;

	if (f >= secvec_kunit_factors + ARRAY_SIZE(secvec_kunit_factors))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u threads",
		 secvec_kunit_nr_threads(*f));
	return f;
}

MODULE_DESCRIPTION("KUnit tests for secvec");
MODULE_LICENSE("GPL");
