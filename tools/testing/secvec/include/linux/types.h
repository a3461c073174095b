/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's fixed-width types: u64 is unsigned long long, as there. */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

/* The uapi one (__u64, __le32, ...), for any system header that wants it. */
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned char		u8;
typedef unsigned short		u16;
typedef unsigned int		u32;
typedef unsigned long long	u64;
typedef signed char		s8;
typedef short			s16;
typedef int			s32;
typedef long long		s64;
typedef unsigned __int128	u128;
typedef __int128		s128;

/* Allocation flags: see linux/gfp.h. */
typedef unsigned int		gfp_t;

#endif
