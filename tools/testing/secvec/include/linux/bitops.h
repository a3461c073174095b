/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fls64() as the kernel defines it: 1-based index of the most significant
 * set bit, 0 for 0. The __ (non-atomic) bit operations are plain accesses
 * there too.
 */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/kernel.h>

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned int hweight_long(unsigned long w)
{
	return __builtin_popcountl(w);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return addr[BIT_WORD(nr)] & BIT_MASK(nr);
}

static inline bool __test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
	return old;
}

#endif
