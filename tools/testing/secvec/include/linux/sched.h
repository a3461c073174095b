/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cond_resched(): a voluntary preemption point. Userspace threads are
 * preempted anyway; yielding here keeps the tests' threads interleaving
 * finely when they outnumber the CPUs, as the call intends on UML.
 * need_resched(): nobody asks a userspace thread to give the CPU up, so
 * never; the tests that want a batch's landers to pause say so with
 * secvec_test_land_pause_every().
 */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <sched.h>

#define cond_resched()		((void)sched_yield())
#define need_resched()		false

#endif
