// SPDX-License-Identifier: GPL-2.0
/* kthread_run() on pthreads: see include/linux/kthread.h. */
#include <pthread.h>
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

struct task_struct *shim_kthread_run(int (*fn)(void *data), void *data,
				     const char *name)
{
	struct shim_kthread *k = malloc(sizeof(*k));
	pthread_t tid;
	int err;

	(void)name;
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->fn = fn;
	k->data = data;
	err = pthread_create(&tid, NULL, shim_kthread_fn, k);
	if (err) {
		free(k);
		return ERR_PTR(-err);
	}
	pthread_detach(tid);
	return (struct task_struct *)&shim_task;
}
