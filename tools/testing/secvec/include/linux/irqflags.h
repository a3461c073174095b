/* SPDX-License-Identifier: GPL-2.0 */
/* No interrupts here: nothing to save or restore (see linux/preempt.h). */
#ifndef _SHIM_LINUX_IRQFLAGS_H
#define _SHIM_LINUX_IRQFLAGS_H
#endif
