/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included, as in the kernel: attributes, and sparse's annotations.
 * The sparse ones (__rcu, __percpu, __force, __user, __acquires) only
 * drive static address-space and lock-context checks in the kernel and
 * generate no code there either.
 */
#ifndef _SHIM_LINUX_COMPILER_TYPES_H
#define _SHIM_LINUX_COMPILER_TYPES_H

#define __rcu
#define __percpu
#define __force
#define __user
#define __iomem
#define __acquires(x)
#define __releases(x)

#define __aligned(x)		__attribute__((__aligned__(x)))
#define __packed		__attribute__((__packed__))
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __section(s)		__attribute__((__section__(s)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))

#ifndef __has_feature
#define __has_feature(x)	0
#endif

/* GCC says __SANITIZE_THREAD__, clang says __has_feature(). */
#if defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
#define SHIM_TSAN		1
#else
#define SHIM_TSAN		0
#endif

#endif
