/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Barriers, atomic_t/atomic64_t and cmpxchg on GCC's __atomic builtins,
 * with the kernel's ordering (Documentation/atomic_t.txt):
 *  - atomic_read/set: relaxed loads and stores (READ_ONCE/WRITE_ONCE);
 *  - value-returning RMW ops and cmpxchg(): fully ordered = SEQ_CST;
 *    a failed cmpxchg is unordered = RELAXED on failure;
 *  - _release/_acquire variants: RELEASE/ACQUIRE on success;
 *  - smp_load_acquire/smp_store_release: ACQUIRE load, RELEASE store;
 *  - smp_mb/rmb/wmb: SEQ_CST/ACQUIRE/RELEASE fences (on x86-64 an mfence
 *    and two compiler barriers, as in the kernel).
 * try_cmpxchg128() is the kernel's 16-byte CAS: see below.
 */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>

#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

#define __shim_cmpxchg(ptr, old, new, success, failure) ({		\
	__typeof__(*(ptr)) __old = (old);				\
	__atomic_compare_exchange_n((ptr), &__old, (new), false,	\
				    (success), (failure));		\
	__old;								\
})

/* Returns the value found, like the kernel's. */
#define cmpxchg(ptr, old, new)						\
	__shim_cmpxchg(ptr, old, new, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
#define cmpxchg_release(ptr, old, new)					\
	__shim_cmpxchg(ptr, old, new, __ATOMIC_RELEASE, __ATOMIC_RELAXED)
#define cmpxchg_acquire(ptr, old, new)					\
	__shim_cmpxchg(ptr, old, new, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
#define cmpxchg64(ptr, old, new)	cmpxchg(ptr, old, new)

/* Returns success and, on failure, stores the value found in *@oldp. */
#define try_cmpxchg(ptr, oldp, new)					\
	__atomic_compare_exchange_n((ptr), (oldp), (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
#define try_cmpxchg_release(ptr, oldp, new)				\
	__atomic_compare_exchange_n((ptr), (oldp), (new), false,	\
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED)

/*
 * The kernel's try_cmpxchg128() is one lock cmpxchg16b on x86-64: fully
 * ordered, and on failure *@oldp gets the value found. GCC turns the
 * legacy __sync builtin on unsigned __int128 into that same inline
 * instruction when built with -mcx16 (its __atomic_compare_exchange on 16
 * bytes is instead an out-of-line libatomic call); clang inlines both.
 * __sync builtins are full barriers, as the kernel's op is.
 */
#ifdef __SANITIZE_THREAD__
/*
 * TSan runs 16-byte atomics under a lock of its own, which is not atomic
 * against the 8-byte CAS secvec also does on one half of its state word.
 * Issue the real instruction (TSan does not see inline asm) and tell TSan
 * what it orders: a full barrier on both halves.
 */
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);

static inline bool try_cmpxchg128(u128 *ptr, u128 *oldp, u128 new)
{
	u64 lo = (u64)*oldp, hi = (u64)(*oldp >> 64);
	bool ok;

	__tsan_release(ptr);
	__tsan_release((u64 *)ptr + 1);
	asm volatile("lock cmpxchg16b %[p]"
		     : "=@ccz" (ok), [p] "+m" (*ptr), "+a" (lo), "+d" (hi)
		     : "b" ((u64)new), "c" ((u64)(new >> 64))
		     : "memory");
	__tsan_acquire(ptr);
	__tsan_acquire((u64 *)ptr + 1);
	if (!ok)
		*oldp = (u128)hi << 64 | lo;
	return ok;
}
#else
static inline bool try_cmpxchg128(u128 *ptr, u128 *oldp, u128 new)
{
	u128 prev = __sync_val_compare_and_swap(ptr, *oldp, new);

	if (prev == *oldp)
		return true;
	*oldp = prev;
	return false;
}
#endif

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

#define atomic_read(v)		READ_ONCE((v)->counter)
#define atomic_set(v, i)	WRITE_ONCE((v)->counter, (i))
#define atomic64_read(v)	READ_ONCE((v)->counter)
#define atomic64_set(v, i)	WRITE_ONCE((v)->counter, (i))

/* Void RMW ops are unordered in the kernel: RELAXED. */
#define atomic_add(i, v)	((void)__atomic_fetch_add(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_sub(i, v)	((void)__atomic_fetch_sub(&(v)->counter, (i), __ATOMIC_RELAXED))
#define atomic_inc(v)		atomic_add(1, v)
#define atomic_dec(v)		atomic_sub(1, v)
#define atomic64_add(i, v)	atomic_add(i, v)
#define atomic64_inc(v)		atomic_add(1, v)

#define atomic_add_return(i, v)	__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_sub_return(i, v)	__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_inc_return(v)	atomic_add_return(1, v)
#define atomic_dec_return(v)	atomic_sub_return(1, v)
#define atomic_dec_and_test(v)	(atomic_sub_return(1, v) == 0)
#define atomic_sub_and_test(i, v) (atomic_sub_return(i, v) == 0)
#define atomic64_add_return(i, v) atomic_add_return(i, v)
#define atomic64_inc_return(v)	atomic_add_return(1, v)
#define atomic_cmpxchg(v, o, n)	cmpxchg(&(v)->counter, o, n)
#define atomic64_cmpxchg(v, o, n) cmpxchg(&(v)->counter, o, n)

/* Adds @a unless the value is @u; fully ordered if it adds. */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v);

	do {
		if (c == u)
			return false;
	} while (!try_cmpxchg(&v->counter, &c, c + a));
	return true;
}

#endif
