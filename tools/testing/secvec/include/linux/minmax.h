/* SPDX-License-Identifier: GPL-2.0 */
/*
 * min()/max() evaluate each argument once, as in the kernel (without its
 * compile-time signedness check); min_t()/max_t() compare in @type.
 */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#define __shim_cmp(x, y, op) ({						\
	__auto_type __x = (x);						\
	__auto_type __y = (y);						\
	__x op __y ? __x : __y;						\
})

#define min(x, y)		__shim_cmp(x, y, <)
#define max(x, y)		__shim_cmp(x, y, >)
#define min_t(type, x, y)	__shim_cmp((type)(x), (type)(y), <)
#define max_t(type, x, y)	__shim_cmp((type)(x), (type)(y), >)

#endif
