/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include), as the kernel force-includes its kconfig.h.
 *
 * The userspace build is a test build of an SMP kernel: CONFIG_SMP is set
 * and so is CONFIG_SECVEC_KUNIT_TEST, which compiles the core's test hooks
 * (the stalled-helper replay, the stops) that the tests use, and
 * CONFIG_FAULT_INJECTION, through which they fail allocations.
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#define CONFIG_SMP			1
#define CONFIG_SECVEC			1
#define CONFIG_SECVEC_KUNIT_TEST	1
#define CONFIG_FAULT_INJECTION		1

/* IS_ENABLED(): the kernel's definition, usable in #if. */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)
#define IS_BUILTIN(option)		__is_defined(option)
#define IS_MODULE(option)		__is_defined(option##_MODULE)
#define IS_ENABLED(option)		(IS_BUILTIN(option) || IS_MODULE(option))

#endif
