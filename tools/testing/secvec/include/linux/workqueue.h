/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schedule_on_each_cpu(): the kernel runs @func in a kworker bound to each
 * online CPU and waits for all of them. Here it runs @func once per CPU
 * in the caller's thread, pinned to that CPU for per-CPU data and
 * local_lock() (lib/percpu.c), one CPU after another.
 */
#ifndef _SHIM_LINUX_WORKQUEUE_H
#define _SHIM_LINUX_WORKQUEUE_H

struct work_struct {
	int unused;
};

typedef void (*work_func_t)(struct work_struct *work);

int schedule_on_each_cpu(work_func_t func);

#endif
