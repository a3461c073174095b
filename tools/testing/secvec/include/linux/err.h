/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error pointers, as in the kernel: the top 4095 addresses are -errno.
 * Errno values come from <errno.h>: Linux's userspace values are the
 * kernel's (ENODATA 61, ERANGE 34, ENOSPC 28, ENOMEM 12, EINVAL 22).
 */
#ifndef _SHIM_LINUX_ERR_H
#define _SHIM_LINUX_ERR_H

#include <errno.h>
#include <linux/compiler.h>
#include <stdbool.h>

#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		unlikely((unsigned long)(void *)(x) >= \
					 (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}

#endif
