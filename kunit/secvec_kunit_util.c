// SPDX-License-Identifier: GPL-2.0
/* The kthread crews of secvec's KUnit suites, and the module's tags. */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "secvec_kunit.h"

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

MODULE_DESCRIPTION("KUnit tests for secvec");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SECVEC_TEST);
