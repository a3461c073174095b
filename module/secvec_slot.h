/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 16-byte slot of a secvec and its double-width compare-and-swap.
 *
 * A slot pairs the value with the sequence number of the descriptor whose
 * write stored it. Sequence numbers only grow along the chain of installed
 * descriptors, so a slot never returns to an earlier { value, seq } pair:
 * a delayed helper's CAS, which expects the pair it saw, cannot succeed
 * once anything newer landed, even if the same value came back (ABA).
 *
 * Readers load the value half alone with one 64-bit load; the sequence is
 * only used by the writers.
 */
#ifndef _SECVEC_SLOT_H
#define _SECVEC_SLOT_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <asm/cpufeature.h>

struct secvec_slot {
	union {
		struct {
			u64 value;
			u64 seq;
		};
#ifdef system_has_cmpxchg128
		u128 full;
#endif
	};
} __aligned(16);

/* try_cmpxchg128() came in 6.4 with system_has_cmpxchg128(). */
#ifdef system_has_cmpxchg128
#define secvec_has_slot_cas()	system_has_cmpxchg128()

/* Fully ordered on success, like every value-returning atomic. */
static inline bool secvec_slot_cas(struct secvec_slot *s,
				   const struct secvec_slot *old,
				   const struct secvec_slot *new)
{
	u128 expect = old->full;

	return try_cmpxchg128(&s->full, &expect, new->full);
}
#else
/* Before 6.4 the same instruction (cmpxchg16b) is cmpxchg_double(). */
#define secvec_has_slot_cas()	system_has_cmpxchg_double()

static inline bool secvec_slot_cas(struct secvec_slot *s,
				   const struct secvec_slot *old,
				   const struct secvec_slot *new)
{
	return cmpxchg_double(&s->value, &s->seq, old->value, old->seq,
			      new->value, new->seq);
}
#endif

#endif /* _SECVEC_SLOT_H */
