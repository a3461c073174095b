/* SPDX-License-Identifier: GPL-2.0 */
/*
 * get_random_u32(): uniformly distributed and unpredictable to the
 * caller's peers. Here a per-thread xorshift64* seeded from getrandom():
 * not cryptographic, which secvec does not need (it draws fault-injection
 * decisions), and cheap like the kernel's per-CPU batches.
 */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <linux/types.h>
#include <sys/random.h>

static inline u32 get_random_u32(void)
{
	static __thread u64 state;

	while (!state)
		if (getrandom(&state, sizeof(state), 0) != sizeof(state))
			state = (u64)(uintptr_t)&state;
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (state * 0x2545f4914f6cdd1dULL) >> 32;
}

#endif
