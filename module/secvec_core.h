/* SPDX-License-Identifier: GPL-2.0 */
/*
 * secvec's insides, shared by the core (secvec.c) and its test hooks
 * (secvec_test_hooks.c): the vector, its 16-byte state word, slot lookup,
 * landing a write and reading the state. See secvec.c for the algorithm.
 */
#ifndef _SECVEC_CORE_H
#define _SECVEC_CORE_H

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "secvec.h"
#include "secvec_slot.h"
#include "secvec_test_points.h"

struct secvec_desc;

/* The state word; swapped whole by secvec_cas2(). */
struct secvec_state {
	u64 word;
	u64 meta;
} __aligned(16);

#define SECVEC_SETTLED		0ULL
#define SECVEC_PUSHED		1ULL
#define SECVEC_DESC		2ULL
#define SECVEC_MODE_MASK	3ULL
#define SECVEC_SIZE_SHIFT	2
#define SECVEC_SIZE_BITS	27
#define SECVEC_SIZE_MASK	GENMASK_ULL(SECVEC_SIZE_BITS - 1, 0)
#define SECVEC_STAMP_SHIFT	(SECVEC_SIZE_SHIFT + SECVEC_SIZE_BITS)
#define SECVEC_STAMP_MASK	GENMASK_ULL(63 - SECVEC_STAMP_SHIFT, 0)

/*
 * @state is alone on its cache line: it is the one word every mutation
 * writes, and sharing the line with the bucket table would make every
 * reader's lookup miss after each update.
 */
struct secvec {
	struct secvec_state state ____cacheline_aligned_in_smp;
	struct secvec_slot *buckets[SECVEC_NR_BUCKETS] ____cacheline_aligned_in_smp;
	u64 max_elements;
	gfp_t gfp;
	struct secvec_test_knobs test;	/* secvec_test_points.h */
};

static inline u64 secvec_meta(u64 size, u64 mode, u64 stamp)
{
	return (stamp & SECVEC_STAMP_MASK) << SECVEC_STAMP_SHIFT |
	       size << SECVEC_SIZE_SHIFT | mode;
}

static inline u64 secvec_size_of(u64 meta)
{
	return (meta >> SECVEC_SIZE_SHIFT) & SECVEC_SIZE_MASK;
}

static inline u64 secvec_mode_of(u64 meta)
{
	return meta & SECVEC_MODE_MASK;
}

static inline u64 secvec_stamp_of(u64 meta)
{
	return meta >> SECVEC_STAMP_SHIFT;
}

/*
 * The stamp of the state that replaces @meta's: every transition takes
 * the next one (secvec_meta() keeps its low bits), so stamps only grow
 * until they wrap (see "ABA on the state" in secvec.c).
 */
static inline u64 secvec_next_stamp(u64 meta)
{
	return secvec_stamp_of(meta) + 1;
}

/*
 * The meta a pop installs over a SETTLED or PUSHED @meta of size 1 or
 * more: SETTLED, the size one less, the next stamp (its carry leaves the
 * word, the wrap secvec_meta() would make).
 */
static inline u64 secvec_popped_meta(u64 meta)
{
	return meta - secvec_mode_of(meta) - BIT_ULL(SECVEC_SIZE_SHIFT) +
	       BIT_ULL(SECVEC_STAMP_SHIFT);
}

/*
 * Has the write a PUSHED @meta owes landed, its slot having tag @tag? It
 * leaves a tag whose low bits are the state's stamp, and the slot's tag
 * before has other low bits (secvec_push_stamp()).
 */
static inline bool secvec_pushed_landed(u64 tag, u64 meta)
{
	return (tag & SECVEC_STAMP_MASK) == secvec_stamp_of(meta);
}

/*
 * The stamp of a push planned against @meta, whose slot has tag @tag:
 * its helpers tell that the write has landed by the tag's low bits being
 * the stamp, so skip a stamp the tag's low bits have already.
 */
static inline u64 secvec_push_stamp(u64 meta, u64 tag)
{
	u64 stamp = secvec_next_stamp(meta) & SECVEC_STAMP_MASK;

	if (unlikely(stamp == (tag & SECVEC_STAMP_MASK))) {
		/*
		 * A branch, not a select (the barrier keeps the compiler
		 * from making one): the tag stays off the push's path from
		 * the load of meta to its CAS.
		 */
		barrier();
		stamp = (stamp + 1) & SECVEC_STAMP_MASK;
	}
	return stamp;
}

/*
 * The tag a push's write leaves in a slot whose tag was @tag, its state
 * having stamp @stamp (secvec_push_stamp()): the next number above @tag
 * whose low bits are @stamp, so a slot's tag only grows (see "ABA on the
 * slot writes"). The owner and every helper compute it from the same
 * @tag, the slot's before the write.
 */
static inline u64 secvec_push_tag(u64 tag, u64 stamp)
{
	return tag + ((stamp - tag) & SECVEC_STAMP_MASK);
}

static inline struct secvec_desc *secvec_desc_of(const struct secvec_state *st)
{
	return (struct secvec_desc *)(uintptr_t)st->word;
}

/*
 * The bucket of @index, and in @off its offset there. Bucket b holds
 * FBS << b slots: index i is at position i + FBS counted from the start
 * of bucket 0, whose highest bit picks the bucket.
 */
static inline unsigned int secvec_locate(u64 index, u64 *off)
{
	u64 pos = index + SECVEC_FBS;
	unsigned int hb = fls64(pos) - 1;

	*off = pos ^ (1ULL << hb);
	return hb - SECVEC_FBS_SHIFT;
}

static inline unsigned int secvec_bucket_of(u64 index)
{
	u64 off;

	return secvec_locate(index, &off);
}

/* Only for indexes whose bucket is known to be installed. */
static inline struct secvec_slot *secvec_slot(struct secvec *v, u64 index)
{
	u64 off;
	unsigned int b = secvec_locate(index, &off);

	/* Address dependency orders the slot after the bucket pointer. */
	return &READ_ONCE(v->buckets[b])[off];
}

/* The slot of @index, or NULL if its bucket (@b) is not installed yet. */
static inline struct secvec_slot *secvec_slot_or_null(struct secvec *v,
						      u64 index,
						      unsigned int *b)
{
	struct secvec_slot *bucket;
	u64 off;

	*b = secvec_locate(index, &off);
	/* Address dependency orders the slot after the bucket pointer. */
	bucket = READ_ONCE(v->buckets[*b]);
	return bucket ? &bucket[off] : NULL;
}

/*
 * The slots of [@index, @index + @n) that share @index's bucket: returns
 * the first, and how many (at least 1) in @run. Batches walk a bucket at
 * a time instead of looking every slot up.
 */
static inline struct secvec_slot *secvec_slot_run(struct secvec *v,
						  u64 index, u64 n, u64 *run)
{
	u64 off;
	unsigned int b = secvec_locate(index, &off);

	*run = min_t(u64, n, ((u64)SECVEC_FBS << b) - off);
	return &READ_ONCE(v->buckets[b])[off];
}

/*
 * The slot CAS of every write: { @old, @tag } becomes { @value, @new_tag }.
 * Fails if the slot holds anything else, in particular once this write or
 * a later one has landed (the tag has moved).
 */
static __always_inline bool secvec_slot_cas(struct secvec_slot *s, u64 old,
					    u64 tag, u64 value, u64 new_tag)
{
	return secvec_cas2(&s->value, old, tag, value, new_tag);
}

/*
 * The tag a set's or batch's write leaves, planned against @tag: one
 * more, never masked (see "ABA on the slot writes").
 */
static inline u64 secvec_tag_after(u64 tag)
{
	return tag + 1;
}

/*
 * Land a batch's write of @value, planned against tag @tag, in @s, unless
 * it has landed already. Every helper of one write stores the same pair,
 * so whoever wins, the slot ends up right; once it has landed the tag has
 * moved and every later CAS of this write fails, even if the slot took
 * newer writes since and holds the old value again.
 * Returns true if this call landed it.
 */
static __always_inline bool secvec_land(struct secvec_slot *s, u64 value,
					u64 tag)
{
	/* Acquire: if it has landed, the caller reads what it wrote. */
	if (smp_load_acquire(&s->tag) != tag)
		return false;
	return secvec_slot_cas(s, READ_ONCE(s->value), tag, value,
			       secvec_tag_after(tag));
}

/*
 * Is the CPU wanted elsewhere, so that an operation should leave its
 * read-side section and let it go? A test may make it always so
 * (secvec_test_land_pause_every()).
 */
static inline bool secvec_cpu_wanted(struct secvec *v)
{
	return secvec_test_land_chunk(&v->test) || need_resched();
}

/*
 * Read the state into @st. There is no 16-byte load: read meta, word,
 * meta again, and start over if meta moved. meta identifies the state
 * (see "ABA on the state" above), so an unchanged meta means @word is
 * the one that goes with it. Caller is in rcu_read_lock_sched().
 *
 * Each round lost means that another operation made a transition, so the
 * loop is lock-free; but it runs with preemption off, and under enough
 * churn it could go on. So after a lost round it gives up if the CPU is
 * wanted: false, and @st is not to be used; the caller leaves its
 * section and starts over, as a lander that paused does.
 */
static __always_inline __must_check bool secvec_load(struct secvec *v,
						     struct secvec_state *st)
{
	/* Acquire: pairs with the CAS that installed it (slots, descriptor). */
	u64 meta = smp_load_acquire(&v->state.meta);

	for (;;) {
		st->meta = meta;
		st->word = READ_ONCE(v->state.word);
		secvec_test_stop(&v->test, SECVEC_STOP_LOAD, v);
		/* word before the second look at meta. */
		smp_rmb();
		/*
		 * Acquire as well: if meta moved, the next round (its word)
		 * and, once it holds, the caller's slot loads follow it.
		 */
		meta = smp_load_acquire(&v->state.meta);
		if (likely(meta == st->meta))
			return true;
		if (secvec_cpu_wanted(v))
			return false;
	}
}

/*
 * The core's part of the module's init and exit (secvec.c); a userspace
 * build of the core calls them itself.
 */
int secvec_core_init(void);
void secvec_core_exit(void);

#ifdef CONFIG_FAULT_INJECTION
/* Every vector's allocations fail through it (secvec.c). */
extern struct fault_attr secvec_fail_alloc;
#endif

/*
 * For the test hooks (secvec_test_hooks.c): a lander of @d that read the
 * mark @i and only now gets to land, and a PUSHED state's helper run on
 * @st however old it is.
 */
bool __secvec_land_desc_from(struct secvec *v, struct secvec_desc *d, u32 i);
void __secvec_help_pushed(struct secvec *v, const struct secvec_state *st);

#endif /* _SECVEC_CORE_H */
