/* SPDX-License-Identifier: GPL-2.0 */
/*
 * system_has_cmpxchg128(): the kernel's boot_cpu_has(X86_FEATURE_CX16),
 * i.e. CPUID leaf 1, ECX bit 13. Defined as a macro, as x86 does from 6.4
 * on, so secvec_slot.h picks try_cmpxchg128() (linux/atomic.h).
 */
#ifndef _SHIM_ASM_CPUFEATURE_H
#define _SHIM_ASM_CPUFEATURE_H

#include <cpuid.h>
#include <stdbool.h>

static inline bool shim_cpu_has_cx16(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_CMPXCHG16B);
}

#define system_has_cmpxchg128()		shim_cpu_has_cx16()
#define system_has_cmpxchg_double()	shim_cpu_has_cx16()

#endif
