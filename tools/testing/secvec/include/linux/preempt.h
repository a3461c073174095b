/* SPDX-License-Identifier: GPL-2.0 */
/* Every thread here is a task: there is no interrupt context. */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#define in_task()	1

#endif
