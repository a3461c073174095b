/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct completion on a pthread mutex and condition variable: complete()
 * wakes one waiter (and counts, so a later wait returns at once),
 * complete_all() every present and future one; wait_for_completion()
 * consumes one. Unlocking the mutex orders everything before complete()
 * before everything after the wait returns, as the kernel's does.
 */
#ifndef _SHIM_LINUX_COMPLETION_H
#define _SHIM_LINUX_COMPLETION_H

#include <limits.h>
#include <pthread.h>

struct completion {
	unsigned int done;
	pthread_mutex_t lock;
	pthread_cond_t wait;
};

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->wait, NULL);
}

static inline void complete(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	if (x->done != UINT_MAX)
		x->done++;
	pthread_cond_signal(&x->wait);
	pthread_mutex_unlock(&x->lock);
}

static inline void complete_all(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	x->done = UINT_MAX;
	pthread_cond_broadcast(&x->wait);
	pthread_mutex_unlock(&x->lock);
}

static inline void wait_for_completion(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	while (!x->done)
		pthread_cond_wait(&x->wait, &x->lock);
	if (x->done != UINT_MAX)
		x->done--;
	pthread_mutex_unlock(&x->lock);
}

#endif
