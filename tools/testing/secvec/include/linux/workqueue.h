/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Work items bound to a CPU. The kernel runs a work queued with
 * queue_work_on() in a kworker on that CPU; here queue_work_on() runs it
 * at once in the caller's thread, pinned to that CPU for per-CPU data and
 * local_lock() (lib/percpu.c), and flush_work() has nothing left to wait
 * for.
 */
#ifndef _SHIM_LINUX_WORKQUEUE_H
#define _SHIM_LINUX_WORKQUEUE_H

#include <stdbool.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
};

struct workqueue_struct;
extern struct workqueue_struct *system_wq;

#define INIT_WORK(work, fn)	((work)->func = (fn))

bool queue_work_on(int cpu, struct workqueue_struct *wq,
		   struct work_struct *work);

static inline bool flush_work(struct work_struct *work)
{
	(void)work;
	return false;
}

#endif
