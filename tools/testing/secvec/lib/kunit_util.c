// SPDX-License-Identifier: GPL-2.0
/*
 * The kthread crew of kunit/secvec_kunit_util.c for userspace, with
 * pthreads in place of kthreads, and the module's init and exit around the
 * suites. kunit/secvec_kunit_params.c is built unchanged.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/rcupdate.h>

#include "secvec_core.h"
#include "secvec_kunit.h"

int kunit_shim_module_init(void)
{
	return secvec_core_init();
}

void kunit_shim_module_exit(void)
{
	secvec_core_exit();
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
			.cpu = started % num_online_cpus(),
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
