/* SPDX-License-Identifier: GPL-2.0 */
/*
 * num_online_cpus(): the CPUs this process may run on right now. Every
 * CPU is online for good: there is no hotplug here.
 */
#ifndef _SHIM_LINUX_CPUMASK_H
#define _SHIM_LINUX_CPUMASK_H

#include <unistd.h>

#include <linux/percpu.h>

static inline unsigned int num_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

#define cpu_online(cpu)		((void)(cpu), 1)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)

#endif
