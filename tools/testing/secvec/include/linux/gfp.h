/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation flags. Only __GFP_ZERO changes what the shims do; sleeping,
 * reclaim and memcg accounting (__GFP_ACCOUNT) have no userspace meaning.
 */
#ifndef _SHIM_LINUX_GFP_H
#define _SHIM_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_ACCOUNT		0x400u
#define __GFP_NORETRY		0x800u
#define __GFP_RETRY_MAYFAIL	0x1000u
#define GFP_KERNEL		0x001u
#define GFP_ATOMIC		0x002u
#define GFP_NOWAIT		0x004u
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)

/* GFP_KERNEL is the one that may sleep (direct reclaim in the kernel). */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & GFP_KERNEL;
}

#endif
