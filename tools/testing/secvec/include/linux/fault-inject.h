/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CONFIG_FAULT_INJECTION is off here, as in a kernel without it: only the
 * type. secvec's own hooks (secvec_test_fail_*) inject failures instead.
 */
#ifndef _SHIM_LINUX_FAULT_INJECT_H
#define _SHIM_LINUX_FAULT_INJECT_H

struct fault_attr;

#endif
