/* SPDX-License-Identifier: GPL-2.0 */
/* Sleeping locks on pthread mutexes. */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <pthread.h>

struct mutex {
	pthread_mutex_t m;
};

#define DEFINE_MUTEX(name) \
	struct mutex name = { .m = PTHREAD_MUTEX_INITIALIZER }
#define mutex_lock(lock)	pthread_mutex_lock(&(lock)->m)
#define mutex_unlock(lock)	pthread_mutex_unlock(&(lock)->m)

#endif
