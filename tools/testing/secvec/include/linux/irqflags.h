/* SPDX-License-Identifier: GPL-2.0 */
/* No interrupts here (see linux/preempt.h): they are never disabled. */
#ifndef _SHIM_LINUX_IRQFLAGS_H
#define _SHIM_LINUX_IRQFLAGS_H

#define irqs_disabled()		0

#endif
