/* SPDX-License-Identifier: GPL-2.0 */
/*
 * local_lock: in the kernel it disables preemption, so that the section
 * runs on one CPU with nobody else in that CPU's copy of the data. Threads
 * here can migrate and share CPUs, so local_lock() pins the thread to the
 * CPU it is on (this_cpu_ptr() answers that CPU until local_unlock()) and
 * takes a mutex in that CPU's copy: the same exclusion, which
 * ThreadSanitizer can see.
 */
#ifndef _SHIM_LINUX_LOCAL_LOCK_H
#define _SHIM_LINUX_LOCAL_LOCK_H

#include <pthread.h>

#include <linux/percpu.h>

typedef struct {
	pthread_mutex_t mutex;
} local_lock_t;

#define INIT_LOCAL_LOCK(lockname)	{ .mutex = PTHREAD_MUTEX_INITIALIZER }

void shim_local_lock(local_lock_t *lock);
void shim_local_unlock(local_lock_t *lock);

#define local_lock(lock)	shim_local_lock(lock)
#define local_unlock(lock)	shim_local_unlock(lock)

#endif
