// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU areas: one copy of the "shim_percpu" section per possible
 * CPU, each initialised from the section (the templates), as the kernel's
 * setup_per_cpu_areas() does. Runs before main().
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/local_lock.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>

/* The linker defines these for a section named like a C identifier. */
extern char __stop_shim_percpu[];

/* Keeps the section (and its bounds) in a program without per-CPU data. */
static DEFINE_PER_CPU(char, shim_percpu_anchor) __attribute__((used));

char *shim_percpu_base;
unsigned long shim_percpu_stride;
int shim_nr_cpu_ids;

__attribute__((constructor(101)))
static void shim_percpu_setup(void)
{
	unsigned long size = __stop_shim_percpu - __start_shim_percpu;
	long n = sysconf(_SC_NPROCESSORS_CONF);
	int cpu;

	shim_nr_cpu_ids = n > 0 ? n : 1;
	/* A cache line apart, like the kernel's page-aligned units. */
	shim_percpu_stride = (size + 63) & ~63UL;
	if (posix_memalign((void **)&shim_percpu_base, 64,
			   shim_nr_cpu_ids * shim_percpu_stride)) {
		perror("shim: per-CPU areas");
		abort();
	}
	for (cpu = 0; cpu < shim_nr_cpu_ids; cpu++)
		memcpy(shim_percpu_base + cpu * shim_percpu_stride,
		       __start_shim_percpu, size);
}

/* The CPU a local_lock() pinned this thread to, or -1. */
static __thread int shim_pinned_cpu = -1;

int shim_this_cpu(void)
{
	int cpu = shim_pinned_cpu;

	if (cpu >= 0)
		return cpu;
	cpu = sched_getcpu();
	return cpu >= 0 && cpu < shim_nr_cpu_ids ? cpu : 0;
}

/* The pin before local_lock(), put back by local_unlock(). */
static __thread int shim_pinned_before = -1;

void shim_local_lock(local_lock_t *lock)
{
	int cpu = shim_this_cpu();

	pthread_mutex_lock(&per_cpu_ptr(lock, cpu)->mutex);
	shim_pinned_before = shim_pinned_cpu;
	shim_pinned_cpu = cpu;
}

void shim_local_unlock(local_lock_t *lock)
{
	int cpu = shim_pinned_cpu;

	shim_pinned_cpu = shim_pinned_before;
	pthread_mutex_unlock(&per_cpu_ptr(lock, cpu)->mutex);
}

struct workqueue_struct *system_wq;

bool queue_work_on(int cpu, struct workqueue_struct *wq,
		   struct work_struct *work)
{
	int pinned = shim_pinned_cpu;

	(void)wq;
	shim_pinned_cpu = cpu;
	work->func(work);
	shim_pinned_cpu = pinned;
	return true;
}
