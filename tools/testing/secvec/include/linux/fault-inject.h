/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fault injection (lib/fault-inject.c), the part secvec and
 * its tests use: a fault_attr fails a call when it has times left, its
 * space is used up, every interval'th call, with its probability in
 * percent. No task filter, stack filter or debugfs; nothing is printed.
 */
#ifndef _SHIM_LINUX_FAULT_INJECT_H
#define _SHIM_LINUX_FAULT_INJECT_H

#include <linux/atomic.h>
#include <linux/random.h>
#include <linux/types.h>

struct fault_attr {
	unsigned long probability;
	unsigned long interval;
	atomic_t times;
	atomic_t space;
	unsigned long verbose;
	bool task_filter;
	unsigned long count;
};

#define FAULT_ATTR_INITIALIZER {					\
		.interval = 1,						\
		.times = { 1 },						\
		.verbose = 2,						\
	}

#define DECLARE_FAULT_ATTR(name) struct fault_attr name = FAULT_ATTR_INITIALIZER

static inline bool should_fail(struct fault_attr *attr, ssize_t size)
{
	if (attr->probability == 0)
		return false;
	if (atomic_read(&attr->times) == 0)
		return false;
	if (atomic_read(&attr->space) > size) {
		atomic_sub(size, &attr->space);
		return false;
	}
	if (attr->interval > 1 &&
	    __atomic_add_fetch(&attr->count, 1, __ATOMIC_RELAXED) % attr->interval)
		return false;
	if (attr->probability <= get_random_u32() % 100)
		return false;
	if (atomic_read(&attr->times) != -1)
		atomic_add_unless(&attr->times, -1, 0);
	return true;
}

#endif
