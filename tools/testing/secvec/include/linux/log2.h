/* SPDX-License-Identifier: GPL-2.0 */
/* roundup_pow_of_two(), as the kernel's for a 64-bit unsigned long. */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#define roundup_pow_of_two(n) \
	((n) <= 1 ? 1UL : 1UL << (64 - __builtin_clzl((unsigned long)(n) - 1)))

#endif
