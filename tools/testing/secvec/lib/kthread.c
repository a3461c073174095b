// SPDX-License-Identifier: GPL-2.0
/* kthread_run() on pthreads: see include/linux/kthread.h. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include <linux/kthread.h>
#include <linux/rcupdate.h>

/* What kthread_run() returns: callers only check it with IS_ERR(). */
static char shim_task;

struct shim_kthread {
	int (*fn)(void *data);
	void *data;
};

static void *shim_kthread_fn(void *arg)
{
	struct shim_kthread k = *(struct shim_kthread *)arg;

	free(arg);
	rcu_register_thread();
	k.fn(k.data);
	rcu_unregister_thread();
	return NULL;
}

/* A detached thread running @fn(@data), on @cpu only if @cpu >= 0. */
static struct task_struct *shim_kthread_start(int (*fn)(void *data),
					      void *data, int cpu)
{
	struct shim_kthread *k = malloc(sizeof(*k));
	pthread_attr_t attr;
	cpu_set_t set;
	pthread_t tid;
	int err;

	if (!k)
		return ERR_PTR(-ENOMEM);
	k->fn = fn;
	k->data = data;
	pthread_attr_init(&attr);
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	err = pthread_create(&tid, &attr, shim_kthread_fn, k);
	pthread_attr_destroy(&attr);
	if (err) {
		free(k);
		return ERR_PTR(-err);
	}
	pthread_detach(tid);
	return (struct task_struct *)&shim_task;
}

struct task_struct *shim_kthread_run(int (*fn)(void *data), void *data,
				     const char *name)
{
	(void)name;
	return shim_kthread_start(fn, data, -1);
}

struct task_struct *kthread_run_on_cpu(int (*fn)(void *data), void *data,
				       unsigned int cpu, const char *namefmt)
{
	(void)namefmt;
	return shim_kthread_start(fn, data, cpu);
}
