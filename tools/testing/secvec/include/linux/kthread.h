/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kthread_run(): a detached pthread registered with RCU, running @fn(@data)
 * at once. Like the kernel's, the caller does not wait for it: it syncs
 * with the thread through completions. Returns a non-NULL task pointer or
 * ERR_PTR(-errno).
 */
#ifndef _SHIM_LINUX_KTHREAD_H
#define _SHIM_LINUX_KTHREAD_H

#include <linux/err.h>
#include <linux/sched.h>

struct task_struct;

struct task_struct *shim_kthread_run(int (*fn)(void *data), void *data,
				     const char *name);

#define kthread_run(fn, data, fmt, ...)	shim_kthread_run(fn, data, fmt)

/* The thread may run only on @cpu (its affinity), like a bound kthread. */
struct task_struct *kthread_run_on_cpu(int (*fn)(void *data), void *data,
				       unsigned int cpu, const char *namefmt);

#endif
