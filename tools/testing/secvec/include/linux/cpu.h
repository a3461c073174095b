/* SPDX-License-Identifier: GPL-2.0 */
/* CPU hotplug exclusion: no hotplug here, nothing to exclude. */
#ifndef _SHIM_LINUX_CPU_H
#define _SHIM_LINUX_CPU_H

#include <linux/cpumask.h>

#define cpus_read_lock()	do { } while (0)
#define cpus_read_unlock()	do { } while (0)

#endif
