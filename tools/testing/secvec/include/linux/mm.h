/* SPDX-License-Identifier: GPL-2.0 */
/* kvmalloc() and friends live in linux/slab.h here. */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <linux/slab.h>

#endif
