/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 16-byte words of a secvec and their double-width compare-and-swap.
 *
 * A slot pairs the value with a tag: every write replaces { value, tag }
 * in one CAS that expects the tag the write was planned against, and
 * leaves a larger one, so a tag never comes back ("ABA on the slot
 * writes" in secvec.c). So a delayed helper's CAS, which expects the
 * pair it saw, cannot succeed once anything newer landed, even if the
 * same value came back (ABA).
 *
 * Readers load the value half alone with one 64-bit load; the tag is only
 * used by the writers. The vector's state word (secvec.c) is the same
 * shape: two u64 swapped together.
 */
#ifndef _SECVEC_SLOT_H
#define _SECVEC_SLOT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/cpufeature.h>

struct secvec_slot {
	u64 value;
	u64 tag;
} __aligned(16);

#ifndef CONFIG_SMP
/*
 * Uniprocessor. Every caller is inside a read-side section with
 * preemption off (secvec.c), and secvec is only called from contexts that
 * may sleep, never from interrupts (secvec.h): so on one CPU nothing else
 * can touch the vector between a compare and its store, and the CAS needs
 * no atomic instruction, for the reason spin_lock() needs none there.
 */
#include <linux/lockdep.h>
#include <linux/preempt.h>

#define secvec_has_cas2()	true

/* Reports a caller in interrupt context, once, and counts each (secvec.c). */
void secvec_caller_in_interrupt(void);

/*
 * Catch a caller outside those rules: with lockdep, one that left
 * preemption on; always, one in interrupt context (softirqs run on irq
 * exit, between a compare and its store, even with preemption off). One
 * load and a branch, where the CAS itself is two compares and stores.
 */
static inline void secvec_assert_alone(void)
{
	lockdep_assert_preemption_disabled();
	if (unlikely(!in_task()))
		secvec_caller_in_interrupt();
}

static inline bool secvec_cas2(u64 *p, u64 old0, u64 old1, u64 new0,
			       u64 new1)
{
	secvec_assert_alone();
	if (READ_ONCE(p[0]) != old0 || READ_ONCE(p[1]) != old1)
		return false;
	WRITE_ONCE(p[0], new0);
	WRITE_ONCE(p[1], new1);
	return true;
}

static inline bool secvec_cas(u64 *p, u64 old, u64 new)
{
	secvec_assert_alone();
	if (READ_ONCE(*p) != old)
		return false;
	WRITE_ONCE(*p, new);
	return true;
}
#else /* CONFIG_SMP */
/* Replace @old at @p with @new. Fully ordered on success. */
static inline bool secvec_cas(u64 *p, u64 old, u64 new)
{
	return cmpxchg(p, old, new) == old;
}

/* try_cmpxchg128() came in 6.4 with system_has_cmpxchg128(). */
#ifdef system_has_cmpxchg128
#define secvec_has_cas2()	system_has_cmpxchg128()

/*
 * Replace { @old0, @old1 } at @p (two u64, 16-byte aligned, @p[0] the low
 * half on little-endian x86) with { @new0, @new1 }. Fully ordered on
 * success, like every value-returning atomic.
 */
static inline bool secvec_cas2(u64 *p, u64 old0, u64 old1, u64 new0,
			       u64 new1)
{
	u128 expect = (u128)old1 << 64 | old0;

	return try_cmpxchg128((u128 *)p, &expect, (u128)new1 << 64 | new0);
}
#else
/* Before 6.4 the same instruction (cmpxchg16b) is cmpxchg_double(). */
#include <linux/mmdebug.h>	/* its VM_BUG_ON() */

#define secvec_has_cas2()	system_has_cmpxchg_double()

static inline bool secvec_cas2(u64 *p, u64 old0, u64 old1, u64 new0,
			       u64 new1)
{
	return cmpxchg_double(&p[0], &p[1], old0, old1, new0, new1);
}
#endif
#endif /* CONFIG_SMP */

#endif /* _SECVEC_SLOT_H */
