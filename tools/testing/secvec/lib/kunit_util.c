// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_kunit.h for userspace: the same helpers as
 * kunit/secvec_kunit_util.c, with pthreads in place of kthreads, and the
 * module's init and exit around the suites.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <linux/atomic.h>
#include <linux/rcupdate.h>

#include "secvec_kunit.h"

int kunit_shim_module_init(void)
{
	return secvec_core_init();
}

void kunit_shim_module_exit(void)
{
	secvec_core_exit();
}

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

struct crew_member {
	atomic_t *waiting;	/* threads not yet at the start line */
	int (*fn)(void *arg);
	void *arg;
	unsigned int cpu;
	pthread_t tid;
};

static void *crew_member_fn(void *data)
{
	struct crew_member *m = data;
	cpu_set_t cpus;

	/* As kthread_bind(): spread the crew over the CPUs. */
	CPU_ZERO(&cpus);
	CPU_SET(m->cpu, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	rcu_register_thread();
	/* Start together, so that the threads overlap as much as they can. */
	atomic_dec(m->waiting);
	while (atomic_read(m->waiting))
		cond_resched();
	m->fn(m->arg);
	rcu_unregister_thread();
	return NULL;
}

static unsigned int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

int secvec_kunit_run_threads(unsigned int n, int (*fn)(void *arg),
			     void *arg, size_t stride)
{
	struct crew_member *members = calloc(n, sizeof(*members));
	atomic_t waiting = ATOMIC_INIT(n);
	unsigned int i, started;
	int err = 0;

	if (!members)
		return -ENOMEM;
	for (started = 0; started < n; started++) {
		members[started] = (struct crew_member){
			.waiting = &waiting, .fn = fn,
			.arg = (char *)arg + started * stride,
			.cpu = started % online_cpus(),
		};
		err = -pthread_create(&members[started].tid, NULL,
				      crew_member_fn, &members[started]);
		if (err) {
			/* Release the others: they never wait for this one. */
			atomic_sub(n - started, &waiting);
			break;
		}
	}
	for (i = 0; i < started; i++)
		pthread_join(members[i].tid, NULL);
	free(members);
	return err;
}

unsigned int secvec_kunit_nr_threads(unsigned int factor)
{
	return max(4 * factor, factor * online_cpus());
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
