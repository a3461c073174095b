/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU on liburcu's "memb" flavour (the one whose readers need no signals
 * and, with sys_membarrier, no fence: closest to the kernel's cheap
 * rcu_read_lock()). Every thread that calls rcu_read_lock() must first
 * call rcu_register_thread(), and rcu_unregister_thread() before it ends.
 *
 *  - rcu_read_lock/unlock: urcu_memb_read_lock/unlock (inlined fast path);
 *  - synchronize_rcu: urcu_memb_synchronize_rcu;
 *  - call_rcu: urcu_memb_call_rcu, the callback running after a grace
 *    period on liburcu's call_rcu thread;
 *  - rcu_barrier: urcu_memb_barrier, waits for every queued callback;
 *  - start_poll/poll_state_synchronize_rcu: epochs closed by call_rcu().
 *
 * The pointer accessors are the kernel's, on C11 atomics rather than on
 * liburcu's volatile ones (which ThreadSanitizer cannot see):
 *  - rcu_dereference: a consume load (address-dependency ordering, which
 *    is what the kernel gives; GCC and clang promote it to acquire);
 *  - rcu_assign_pointer: a release store; RCU_INIT_POINTER: WRITE_ONCE;
 *  - rcu_dereference_protected/unrcu_pointer/RCU_INITIALIZER: plain.
 *
 * Under ThreadSanitizer the grace period is annotated, since TSan cannot
 * see liburcu's barriers: each read-side section releases, each callback
 * acquires before it runs (lib/rcu.c).
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE		/* inline read-side fast paths */
#endif
/* liburcu's own struct rcu_head becomes urcu_rcu_head; ours wraps it. */
#define rcu_head urcu_rcu_head
#include <urcu/urcu-memb.h>
#undef rcu_head
#undef rcu_dereference
#undef rcu_assign_pointer
#undef rcu_cmpxchg_pointer
#undef rcu_xchg_pointer
#undef rcu_set_pointer

#include <linux/compiler.h>
#include <linux/kernel.h>

struct rcu_head {
	struct urcu_rcu_head urcu;
	void (*func)(struct rcu_head *head);
};

typedef void (*rcu_callback_t)(struct rcu_head *head);

#if SHIM_TSAN
#include <sanitizer/tsan_interface.h>
extern char shim_rcu_readers;
#define __shim_rcu_unlock_release()	__tsan_release(&shim_rcu_readers)
#else
#define __shim_rcu_unlock_release()	do { } while (0)
#endif

static inline void rcu_read_lock(void)
{
	urcu_memb_read_lock();
}

static inline void rcu_read_unlock(void)
{
	__shim_rcu_unlock_release();
	urcu_memb_read_unlock();
}

/*
 * RCU-sched read-side sections are preemption-off regions in the kernel;
 * here, ordinary ones (liburcu has a single flavour for both).
 */
#define rcu_read_lock_sched()		rcu_read_lock()
#define rcu_read_unlock_sched()		rcu_read_unlock()

#define rcu_register_thread()		urcu_memb_register_thread()
#define rcu_unregister_thread()		urcu_memb_unregister_thread()

void call_rcu(struct rcu_head *head, rcu_callback_t func);
void rcu_barrier(void);
void synchronize_rcu(void);

/*
 * Polled grace periods (lib/rcu.c): a cookie from start_poll_ is an epoch;
 * a call_rcu() callback queued when the epoch is closed marks it done.
 */
unsigned long start_poll_synchronize_rcu(void);
bool poll_state_synchronize_rcu(unsigned long cookie);

#define rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_check(p, c)	rcu_dereference(p)
#define rcu_dereference_raw(p)		rcu_dereference(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)
#define RCU_INITIALIZER(v)		(v)
#define unrcu_pointer(p)		(p)

#endif
