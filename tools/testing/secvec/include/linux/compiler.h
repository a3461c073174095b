/* SPDX-License-Identifier: GPL-2.0 */
/*
 * likely(), barrier(), READ_ONCE(), WRITE_ONCE(), data_race().
 *
 * READ_ONCE()/WRITE_ONCE() are "marked" accesses: not torn, fused, cached
 * or invented by the compiler, and not data races for KCSAN. The kernel
 * implements them as volatile accesses; here they are C11 atomics, which
 * ThreadSanitizer treats as KCSAN treats the kernel's (a volatile access
 * would be a plain one to TSan):
 *  - WRITE_ONCE is a relaxed store;
 *  - READ_ONCE is a consume load: in the LKMM a READ_ONCE heads address
 *    dependencies (secvec_slot() relies on it: the slot is reached through
 *    the bucket pointer that cmpxchg_release() published), and C11's name
 *    for that is memory_order_consume. GCC and clang implement consume as
 *    acquire, which on x86-64 is the same single mov; TSan, which knows no
 *    dependencies, then sees the pairing.
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include <linux/compiler_types.h>

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* A compiler barrier, as in the kernel. */
#define barrier()		__asm__ __volatile__("" : : : "memory")

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_CONSUME)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)

/*
 * data_race(expr): an intentionally racy plain access that KCSAN must not
 * report. TSan's equivalent is to ignore reads for the duration of @expr.
 */
#if SHIM_TSAN
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
#define data_race(expr) ({						\
	__auto_type __v = ({						\
		AnnotateIgnoreReadsBegin(__FILE__, __LINE__);		\
		(expr);							\
	});								\
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);			\
	__v;								\
})
#else
#define data_race(expr)		(expr)
#endif

#endif
