/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU variables the way the kernel lays them out: DEFINE_PER_CPU puts
 * the variable (the template) in a section, and each possible CPU gets a
 * copy of that whole section at startup (lib/percpu.c); a per-CPU pointer
 * is the template's address moved into a CPU's copy.
 *
 * "This CPU" is sched_getcpu(). The kernel's this_cpu_add() cannot be
 * interrupted on its CPU; a thread here can migrate between reading its
 * CPU and adding, so the add is a relaxed atomic: no update is lost, and
 * threads on different CPUs touch different cache lines, as in the kernel.
 * per_cpu() reads another CPU's copy with a plain access, as there.
 */
#ifndef _SHIM_LINUX_PERCPU_H
#define _SHIM_LINUX_PERCPU_H

#include <linux/cache.h>
#include <linux/compiler.h>

extern char __start_shim_percpu[];
extern char *shim_percpu_base;
extern unsigned long shim_percpu_stride;
extern int shim_nr_cpu_ids;

int shim_this_cpu(void);

#define DEFINE_PER_CPU(type, name)					\
	__section("shim_percpu") __typeof__(type) name
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name

#define per_cpu_ptr(ptr, cpu)						\
	((__typeof__(ptr))(shim_percpu_base +				\
			   (unsigned long)(cpu) * shim_percpu_stride +	\
			   ((char *)(ptr) - __start_shim_percpu)))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))
#define this_cpu_ptr(ptr)	per_cpu_ptr(ptr, shim_this_cpu())

#define this_cpu_add(pcp, val)						\
	((void)__atomic_fetch_add(this_cpu_ptr(&(pcp)), (val),		\
				  __ATOMIC_RELAXED))
#define this_cpu_inc(pcp)	this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)	this_cpu_add(pcp, -1)

#define nr_cpu_ids		shim_nr_cpu_ids
#define for_each_possible_cpu(cpu)					\
	for ((cpu) = 0; (cpu) < shim_nr_cpu_ids; (cpu)++)

#endif
