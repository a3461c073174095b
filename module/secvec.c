// SPDX-License-Identifier: GPL-2.0
/*
 * secvec core: a lock-free, dynamically resizable vector of u64.
 *
 * Storage is a two-level array: buckets[b] points to FBS << b slots,
 * allocated the first time an operation needs them, installed with a
 * cmpxchg against NULL and never moved or freed before secvec_destroy().
 *
 * The state is one 16-byte word { word, meta }, swapped with a 16-byte
 * CAS: the size, and the slot writes the operation that installed it
 * still owes (Dechev's descriptor). meta holds the size, a mode and a
 * 35-bit stamp, one more than the stamp of the state it replaced (a
 * version: see "ABA on the state"); word means what the mode says:
 *
 *  SETTLED  nothing owed (after pop, pop_many, clear); word: whatever the
 *           state before left there, never read.
 *  PUSHED   a push owes slot[size - 1] the value in word. The write lands
 *           with the state's stamp as the slot's tag, which is how a
 *           helper tells that it has landed.
 *  DESC     word points to a struct secvec_desc (set, batch push) that
 *           owes its writes, each planned against its slot's tag, which
 *           it leaves one higher.
 *
 * So push and pop, the hot operations, describe themselves inline: no
 * allocation, no descriptor to reclaim, one state CAS (and the push's one
 * slot CAS). Only set and push_many allocate a descriptor. meta alone
 * identifies the state (below), so an operation that installs a SETTLED
 * state swaps meta alone, with an 8-byte CAS, and a pop's new meta is a
 * function of the old one: after a pop, nothing the next pop loads from
 * a slot is on its path to its CAS (after a push, the slot's tag, which
 * tells it the push's write has landed).
 *
 * Every mutation reads the state inside an RCU-sched read-side section
 * (preemption off), first lands what it owes (helping, so that no thread
 * ever waits for another), then swaps it. Four rules:
 *  - nothing that sleeps runs in the section: descriptors, batch blocks
 *    and buckets are allocated before entering it (for a missing bucket,
 *    the operation leaves, allocates and starts over);
 *  - once the CPU is wanted, a section lands at most about a chunk more:
 *    a batch (up to SECVEC_BATCH_MAX writes) is landed SECVEC_LAND_CHUNK
 *    at a time, and a lander that finds the CPU wanted (need_resched())
 *    between chunks leaves a mark in the descriptor, leaves the section,
 *    lets the CPU go and starts its operation over (an owner returns);
 *    whoever meets the descriptor next carries on from the mark
 *    (secvec_complete_desc());
 *  - a descriptor pointer is only compared, in the state CAS, inside the
 *    section that loaded it. Outside, its memory may be reused for a new
 *    descriptor and the stale pointer would match (ABA on the pointer);
 *  - the winner of a CAS that replaced a DESC state retires the
 *    descriptor (after leaving the section); it is reused or freed after
 *    a grace period (secvec_desc.c).
 *
 * ABA on the state: meta never returns to an earlier value while someone
 * could hold it. Every transition installs the next stamp, so a meta
 * comes back only after 2^35 transitions of the vector (and a DESC state
 * is left with the 16-byte CAS, which compares the pointer too). That is
 * an assumption on time, made here and nowhere else: no operation stays
 * between its load of meta and its CAS (a few dozen instructions with
 * preemption off, or a chunk of a batch's landing) while the vector goes
 * through 2^35 transitions, which take about three minutes at one every
 * 5 ns, quicker than the one word's CAS allows. Preemption off
 * bounds the scheduler only: interrupts, NMIs, SMIs and a hypervisor
 * that deschedules the vCPU are bounded by nothing here, and the RCU
 * stall and lockup detectors only warn about them. Every transition
 * changes meta, so word never changes under an unchanged meta.
 *
 * ABA on the slot writes (Dechev 2006 leaves it to the user): a helper
 * delayed between reading a pending write and its slot CAS could see the
 * slot go old -> new -> ... -> old and then store a stale value. Every
 * slot pairs its value with a 64-bit tag, and a write expects the tag it
 * was planned against, in one 16-byte CAS (secvec_slot.h), and leaves a
 * larger one: a set's or batch's write the planned tag + 1, a push's the
 * next number above the planned tag whose low 35 bits are the stamp its
 * state took (secvec_push_tag(); secvec_push_stamp() sees that those
 * bits differ from the planned tag's). A CAS succeeds only where the
 * slot has the tag it expects, so a slot's tag grows with every write and
 * never comes back: once a write has landed, its stale CASes fail
 * forever, however long they were delayed and however often the stamps
 * wrapped meanwhile. Unlike the state's, this needs no assumption on
 * time. Nor do tags wrap: counted without wrapping (each state takes the
 * next stamp or the one after), no tag passes the latest stamp, since a
 * batch's state took a stamp above the tags it planned against, and a
 * push's stamp is above the tag it planned against and has the low bits
 * of the tag it leaves. 2^64 transitions take centuries.
 *
 * A push's helper knows its write has landed when the low 35 bits of
 * the slot's tag are the state's stamp; a push whose slot's tag already
 * has those bits takes the next stamp instead. A helper that finds it
 * unlanded looks at meta again after reading the slot: if the state has
 * moved on, whoever moved it landed the write, and the slot may hold a
 * newer one; if not, the tag it read is the one before the write, and its
 * CAS fails once anything lands. We chose tags over slots holding
 * pointers to RCU-freed boxes because they keep a read at two dependent
 * loads plus one for the value, need no allocation per element and no
 * extra indirection on every get.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/random.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "secvec.h"
#include "secvec_core.h"
#include "secvec_desc.h"
#include "secvec_dev.h"
#include "secvec_slot.h"
#include "secvec_stat.h"

/* Set once secvec_core_init() succeeded. */
static bool secvec_core_ready;

DEFINE_PER_CPU(struct secvec_stats, secvec_stats);

/**
 * secvec_stat_read - sum a counter over all CPUs
 * @stat: which counter
 *
 * Not a snapshot: counters move while they are summed.
 *
 * Context: any.
 * Return: the sum, which may be behind or ahead of any one moment.
 */
u64 secvec_stat_read(enum secvec_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		/* Racy by design: the owner CPU may be adding right now. */
		sum += data_race(per_cpu(secvec_stats, cpu).n[stat]);
	}
	return sum;
}
EXPORT_SYMBOL_GPL(secvec_stat_read);

#ifndef CONFIG_SMP
/*
 * A uniprocessor CAS from interrupt context (secvec_slot.h): outside the
 * contract (secvec.h), and the interrupted task's compare and store may
 * lose this write or the caller's. Reported once with the caller's stack,
 * counted every time, so that a test can tell it was caught.
 */
void secvec_caller_in_interrupt(void)
{
	static bool reported;

	secvec_stat_inc(SECVEC_STAT_IRQ_CALLER);
	if (!xchg(&reported, true)) {
		pr_err("secvec: called from interrupt context, which a uniprocessor kernel cannot make safe\n");
		dump_stack();
	}
}
#endif

#ifdef CONFIG_FAULT_INJECTION
/*
 * The kernel's fault-injection framework, the one way to fail secvec's
 * allocations, every vector's: /sys/kernel/debug/secvec_fail_alloc/ with
 * FAULT_INJECTION_DEBUG_FS, and the KUnit suites' secvec_test_fail_*().
 */
DECLARE_FAULT_ATTR(secvec_fail_alloc);

/* Fault injection: true if this allocation must fail. */
static bool secvec_alloc_fails(void)
{
	return should_fail(&secvec_fail_alloc, 1);
}
#else
static inline bool secvec_alloc_fails(void)
{
	return false;
}
#endif

static int secvec_install_bucket(struct secvec *v, unsigned int b)
{
	struct secvec_slot *bucket;

	if (READ_ONCE(v->buckets[b]))
		return 0;
	if (secvec_alloc_fails())
		return -ENOMEM;
	/*
	 * 128 << b bytes, a power of two: kmalloc() aligns it to its size and
	 * vmalloc() to a page, so every slot is 16-byte aligned for the CAS.
	 */
	bucket = kvcalloc((size_t)SECVEC_FBS << b, sizeof(*bucket), v->gfp);
	if (!bucket)
		return -ENOMEM;
	/* Release: the zeroed slots are visible before the pointer is. */
	if (cmpxchg_release(&v->buckets[b], NULL, bucket)) {
		kvfree(bucket);
		secvec_stat_inc(SECVEC_STAT_BUCKET_RACE_LOST);
	} else {
		secvec_stat_inc(SECVEC_STAT_BUCKET_ALLOC);
	}
	return 0;
}

/* First bucket missing for indexes [start, end), or -1 if none is. */
static int secvec_missing_bucket(struct secvec *v, u64 start, u64 end)
{
	unsigned int b, last = secvec_bucket_of(end - 1);

	for (b = secvec_bucket_of(start); b <= last; b++)
		if (!READ_ONCE(v->buckets[b]))
			return b;
	return -1;
}

/* A descriptor for a set or batch push on @v, or NULL (-ENOMEM). */
static struct secvec_desc *secvec_new_desc(struct secvec *v)
{
	if (secvec_alloc_fails())
		return NULL;
	return secvec_desc_alloc(v->gfp);
}

/*
 * How many writes of a batch a lander makes before it looks whether the
 * CPU is wanted: a chunk of 256 16-byte CASes is microseconds with
 * preemption off, where a whole batch of SECVEC_BATCH_MAX would be on the
 * order of a millisecond.
 */
#define SECVEC_LAND_CHUNK	256

/* The chunk: a test may make it shorter (secvec_test_land_pause_every()). */
static inline u32 secvec_land_chunk(struct secvec *v)
{
	u32 n = secvec_test_land_chunk(&v->test);

	return n ? n : SECVEC_LAND_CHUNK;
}

/*
 * An operation paused (the CPU is wanted) and has left its read-side
 * section: let the CPU go before starting over. Leaving the section did
 * that already on a fully preemptible kernel; without full preemption
 * preempt_enable() does not schedule, so do it here, if the vector's
 * users may sleep (every operation's contract, secvec.h; the gfp says so
 * for the whole vector).
 */
static void secvec_yield_cpu(struct secvec *v)
{
	if (gfpflags_allow_blocking(v->gfp))
		cond_resched();
}

/*
 * Every write of @d below @i has landed: raise @d's mark to @i, never
 * lower it. Landers start from the mark they read and may finish in any
 * order; a slow one that stored its lower mark over a faster one's would
 * send the next lander back over writes that have landed.
 */
static void secvec_desc_mark_landed(struct secvec_desc *d, u32 i)
{
	u32 mark = READ_ONCE(d->landed);

	/* Release: the writes below the new mark are visible with it. */
	while (mark < i && !try_cmpxchg_release(&d->landed, &mark, i))
		;
}

/*
 * Land the writes of @d from @i on: the loop of secvec_complete_desc(),
 * which says what it returns, for a lander that read the mark @i.
 */
static bool secvec_land_desc(struct secvec *v, struct secvec_desc *d, u64 i,
			     bool owner)
{
	struct secvec_slot *s;
	bool landed = false;
	u64 j, end, run, chunk = secvec_land_chunk(v);

	for (;;) {
		end = min_t(u64, i + chunk, d->count);
		for (; i < end; i += run) {
			s = secvec_slot_run(v, d->first + i, end - i, &run);
			for (j = 0; j < run; j++) {
				u64 tag = d->tags[i + j];
				u64 value = d->values[i + j];

				/*
				 * The owner comes first, right after its CAS:
				 * it skips the look at the tag, and its CAS
				 * fails only where a helper has landed the
				 * write already.
				 */
				if (owner)
					secvec_slot_cas(&s[j],
							READ_ONCE(s[j].value),
							tag, value,
							secvec_tag_after(tag));
				else
					landed |= secvec_land(&s[j], value, tag);
			}
		}
		if (i == d->count || secvec_cpu_wanted(v))
			break;
	}
	if (landed)
		secvec_stat_inc(SECVEC_STAT_HELP);
	if (i < d->count) {
		secvec_desc_mark_landed(d, i);
		secvec_stat_inc(SECVEC_STAT_LAND_YIELD);
		return false;
	}
	/* Release: the slot writes are visible to whoever sees done. */
	smp_store_release(&d->done, 1);
	return true;
}

/*
 * Land the writes @d owes and record it on @d. Any thread that read @d in
 * the state may call this, any number of times, concurrently. Returns
 * true once all of them have landed.
 *
 * It lands a chunk at a time. If the CPU is wanted after a chunk and
 * writes are still owed, it records in @d->landed how far it got and
 * returns false: the caller leaves its read-side section, lets the CPU go
 * (secvec_yield_cpu()) and starts its operation over, or, if it is @d's
 * owner, whose batch is installed already, returns. Whoever meets @d in
 * the state next (the caller again, or any other operation) lands the
 * rest from that mark. Carrying on later with the same @d instead would
 * compare a descriptor pointer outside the section that loaded it (see
 * the rules at the top).
 */
static bool secvec_complete_desc(struct secvec *v, struct secvec_desc *d,
				 bool owner)
{
	/* Acquire: pairs with the release below, the writes are visible. */
	if (smp_load_acquire(&d->done))
		return true;
	/* Its owner has landed every write and freed the block. */
	if (!owner && !secvec_desc_share_block(d))
		return true;
	/*
	 * Acquire: pairs with the release of the mark; the writes below it
	 * have landed and are visible. The owner, first in, starts at 0.
	 */
	return secvec_land_desc(v, d, owner ? 0 : smp_load_acquire(&d->landed),
				owner);
}

bool __secvec_land_desc_from(struct secvec *v, struct secvec_desc *d, u32 i)
{
	/* Acquire: as in secvec_complete_desc(). */
	if (smp_load_acquire(&d->done) || !secvec_desc_share_block(d))
		return true;
	return secvec_land_desc(v, d, i, false);
}

/*
 * Land the write a PUSHED @st owes to @s, its slot[size - 1], unless it
 * has landed: then the slot's tag is the state's stamp. Out of line: it
 * is only called when a push's owner has not landed its write yet.
 */
static noinline void secvec_land_pushed(struct secvec *v, u64 word, u64 meta,
					struct secvec_slot *s, u64 tag)
{
	u64 old = READ_ONCE(s->value);

	/*
	 * The slot before the second look at meta. If the state has moved
	 * on, whoever moved it landed the write first, and the slot may
	 * hold a newer one with a tag other than the stamp: leave it. If
	 * not, @tag is the slot's tag before the write, and the CAS fails
	 * once anything lands (@old too, if the write landed meanwhile).
	 */
	smp_rmb();
	if (READ_ONCE(v->state.meta) != meta)
		return;
	if (secvec_slot_cas(s, old, tag, word,
			    secvec_push_tag(tag, secvec_stamp_of(meta))))
		secvec_stat_inc(SECVEC_STAT_HELP);
}

static __always_inline void secvec_help_pushed(struct secvec *v,
					       const struct secvec_state *st,
					       struct secvec_slot *s)
{
	/* Acquire: if it has landed, the caller reads what it wrote. */
	u64 tag = smp_load_acquire(&s->tag);

	/* The state by value: it stays in registers in the callers. */
	if (unlikely(!secvec_pushed_landed(tag, st->meta)))
		secvec_land_pushed(v, st->word, st->meta, s, tag);
}

void __secvec_help_pushed(struct secvec *v, const struct secvec_state *st)
{
	secvec_help_pushed(v, st, secvec_slot(v, secvec_size_of(st->meta) - 1));
}

/*
 * Land what @st owes; the PUSHED case is inline (every push meets it).
 * False if a batch's lander paused (secvec_complete_desc()).
 */
static __always_inline bool secvec_help(struct secvec *v,
					const struct secvec_state *st)
{
	switch (secvec_mode_of(st->meta)) {
	case SECVEC_PUSHED:
		secvec_help_pushed(v, st,
				   secvec_slot(v, secvec_size_of(st->meta) - 1));
		break;
	case SECVEC_DESC:
		return secvec_complete_desc(v, secvec_desc_of(st), false);
	}
	return true;
}

/*
 * Read the state and land what it owes: afterwards every slot below its
 * size holds its value. Caller is in rcu_read_lock_sched(). False if it
 * paused, in the load (secvec_load()) or in a batch's landing: the caller
 * must leave the section and start over.
 */
static __always_inline __must_check bool secvec_settle(struct secvec *v,
						       struct secvec_state *st)
{
	if (unlikely(!secvec_load(v, st))) {
		secvec_stat_inc(SECVEC_STAT_LOAD_YIELD);
		return false;
	}
	return secvec_help(v, st);
}

/*
 * The prologue of every operation that settles the state before its own
 * CAS: enter a read-side section with @st settled. If settling pauses,
 * leave the section, let the CPU go and settle again. The caller leaves
 * the section after its CAS, and starts over from here if it lost.
 */
static __always_inline void secvec_enter_settled(struct secvec *v,
						 struct secvec_state *st)
	__acquires(RCU_SCHED)
{
	rcu_read_lock_sched();
	while (unlikely(!secvec_settle(v, st))) {
		rcu_read_unlock_sched();
		secvec_yield_cpu(v);
		rcu_read_lock_sched();
	}
}

/*
 * Swap @st for { @word, @meta }: the linearization point of every
 * mutation. Caller holds the read-side section in which it loaded @st.
 */
static __always_inline bool secvec_install(struct secvec *v,
					   const struct secvec_state *st,
					   u64 word, u64 meta)
{
	if (secvec_cas2(&v->state.word, st->word, st->meta, word, meta))
		return true;
	secvec_stat_inc(SECVEC_STAT_CAS_RETRY);
	return false;
}

/*
 * Swap @st for the SETTLED state of size @size: meta alone changes (word
 * is not read in a SETTLED state).
 */
static __always_inline bool secvec_install_settled(struct secvec *v,
						   const struct secvec_state *st,
						   u64 size)
{
	u64 meta = secvec_meta(size, SECVEC_SETTLED,
			       secvec_next_stamp(st->meta));

	/*
	 * Leaving a DESC state, compare the pointer too: it is the one
	 * thing that must not be matched wrongly (its winner retires it).
	 */
	if (unlikely(secvec_mode_of(st->meta) == SECVEC_DESC))
		return secvec_install(v, st, st->word, meta);
	if (secvec_cas(&v->state.meta, st->meta, meta))
		return true;
	secvec_stat_inc(SECVEC_STAT_CAS_RETRY);
	return false;
}

/*
 * After a successful install, out of the read-side section: the one
 * operation whose CAS replaced a DESC state retires its descriptor.
 */
static void secvec_retire(const struct secvec_state *st)
{
	if (secvec_mode_of(st->meta) == SECVEC_DESC)
		secvec_desc_retire(secvec_desc_of(st));
}

/* The values of slots [@first, @first + @n), a bucket at a time. */
static void secvec_read_slots(struct secvec *v, u64 first, u64 *out, u64 n)
{
	struct secvec_slot *s;
	u64 i, j, run;

	for (i = 0; i < n; i += run) {
		s = secvec_slot_run(v, first + i, n - i, &run);
		for (j = 0; j < run; j++)
			out[i + j] = READ_ONCE(s[j].value);
	}
}

/* Value at @index < size in @st, which need not be settled. */
static u64 secvec_read(struct secvec *v, const struct secvec_state *st,
		       u64 index)
{
	struct secvec_desc *d;

	switch (secvec_mode_of(st->meta)) {
	case SECVEC_PUSHED:
		/* An owed write is already part of the vector's state. */
		if (index == secvec_size_of(st->meta) - 1)
			return st->word;
		break;
	case SECVEC_DESC:
		d = secvec_desc_of(st);
		if (index - d->first >= d->count)
			break;
		/* Acquire: once done is seen, the slots hold the writes. */
		if (smp_load_acquire(&d->done))
			break;
		/*
		 * Owed: from the block, unless the owner has just landed the
		 * batch and taken the block back (done is set then, and the
		 * slot holds the value).
		 */
		if (secvec_desc_share_block(d))
			return d->values[index - d->first];
		break;
	}
	return READ_ONCE(secvec_slot(v, index)->value);
}

/*
 * A reader has loaded meta into @st (acquire); add word if meta says
 * something is owed. No retry: if the state moves on meanwhile, what it
 * owed has landed (every mutation settles first), so the reader may take
 * every value below the size it saw from its slot, and @st becomes
 * SETTLED with that size.
 */
static void secvec_peek_owed(struct secvec *v, struct secvec_state *st)
{
	if (secvec_mode_of(st->meta) == SECVEC_SETTLED)
		return;
	st->word = READ_ONCE(v->state.word);
	/* word before the second look at meta. */
	smp_rmb();
	/* Acquire: if it moved, the landed writes are visible. */
	if (smp_load_acquire(&v->state.meta) != st->meta)
		st->meta &= ~SECVEC_MODE_MASK;
}

/*
 * A push or pop lost the CAS on the state word for the @lost'th time in a
 * row: wait 2^(@lost - 1) cpu_relax(), up to 64, before the next try.
 * Every push and pop CASes the one state word, and the operation that
 * beat this one is already on to its next: retrying at once mostly meets
 * it again, and the line bounces between the CPUs at every try, failed
 * ones included. Backing off lets the winner's run go through while the
 * line stays with it (the exponential backoff of lock and CAS loops).
 * Bounded, and each caller looks at need_resched() between tries, so a
 * pop that waits with preemption off still leaves when the CPU is wanted.
 */
static __always_inline void secvec_backoff(u64 lost)
{
	u64 i, n = 1ULL << min_t(u64, lost - 1, 6);

	for (i = 0; i < n; i++)
		cpu_relax();
}

/* What one attempt at a push came to, besides 0 and -ENOSPC. */
enum secvec_push_again {
	SECVEC_PUSH_LOST = 1,		/* another operation won the CAS */
	SECVEC_PUSH_PAUSED,		/* a batch's lander paused */
	SECVEC_PUSH_NO_BUCKET,		/* the slot's bucket is missing */
};

/*
 * One attempt at pushing @value, in its own read-side section: 0, or
 * -ENOSPC, or why to try again (enum secvec_push_again; for a missing
 * bucket, which in @b).
 */
static __always_inline int secvec_push_once(struct secvec *v, u64 value,
					    u64 *index, unsigned int *b)
{
	struct secvec_slot *s = NULL, *prev;
	struct secvec_state st;
	u64 size, old, tag, run, stamp;

	rcu_read_lock_sched();
	/* Acquire: pairs with the CAS that installed it. */
	st.meta = smp_load_acquire(&v->state.meta);
	size = secvec_size_of(st.meta);
	if (unlikely(secvec_mode_of(st.meta) == SECVEC_DESC)) {
		if (!secvec_settle(v, &st)) {
			rcu_read_unlock_sched();
			return SECVEC_PUSH_PAUSED;
		}
		size = secvec_size_of(st.meta);
	} else {
		/*
		 * No second look at meta: a word from a newer state fails
		 * the CAS below, and the help looks at meta again before it
		 * writes anything (which makes the pair consistent).
		 * Acquire: word before the help's load of the tag.
		 */
		st.word = smp_load_acquire(&v->state.word);
		if (secvec_mode_of(st.meta) == SECVEC_PUSHED) {
			/* A push after a push: one lookup for both. */
			prev = secvec_slot_run(v, size - 1, 2, &run);
			secvec_help_pushed(v, &st, prev);
			if (run == 2)
				s = prev + 1;
		}
	}
	if (unlikely(size >= v->max_elements)) {
		rcu_read_unlock_sched();
		return -ENOSPC;
	}
	if (!s)
		s = secvec_slot_or_null(v, size, b);
	if (unlikely(!s)) {
		/* Allocation may sleep: the caller allocates, then retries. */
		rcu_read_unlock_sched();
		return SECVEC_PUSH_NO_BUCKET;
	}
	/* Past the size: nothing writes it while @st is current. */
	tag = READ_ONCE(s->tag);
	old = READ_ONCE(s->value);
	stamp = secvec_push_stamp(st.meta, tag);
	if (unlikely(!secvec_install(v, &st, value,
				     secvec_meta(size + 1, SECVEC_PUSHED,
						 stamp)))) {
		rcu_read_unlock_sched();
		return SECVEC_PUSH_LOST;
	}
	/* Fails only if a helper has landed it already. */
	if (likely(!secvec_test_push_stalls(&v->test)))
		secvec_slot_cas(s, old, tag, value, secvec_push_tag(tag, stamp));
	rcu_read_unlock_sched();
	secvec_retire(&st);
	if (index)
		*index = size;
	return 0;
}

/* A push whose first attempt came to @again: try until it is done. */
static noinline int secvec_push_again(struct secvec *v, u64 value,
				      u64 *index, int again, unsigned int b)
{
	int err;

	for (;;) {
		switch (again) {
		case SECVEC_PUSH_PAUSED:
			secvec_yield_cpu(v);
			break;
		case SECVEC_PUSH_NO_BUCKET:
			err = secvec_install_bucket(v, b);
			if (err)
				return err;
			break;
		case SECVEC_PUSH_LOST:
			/* Between sections: let the CPU go if it is wanted. */
			secvec_yield_cpu(v);
			break;
		default:
			return again;
		}
		again = secvec_push_once(v, value, index, &b);
	}
}

/**
 * secvec_push - append a value
 * @v: the vector
 * @value: the value
 * @index: if not NULL, set to the index @value went to
 *
 * One CAS on the state, which linearizes the push, and one on the slot;
 * no allocation unless the slot's bucket is missing. Lands what the
 * state owes first, so that no thread waits for another.
 *
 * Context: process context; may sleep to allocate a bucket (the vector's
 *	gfp) or to let the CPU go between retries.
 * Return: 0; -ENOSPC if the vector holds max_elements values, -ENOMEM if
 *	a bucket could not be allocated; on error nothing was pushed.
 */
int secvec_push(struct secvec *v, u64 value, u64 *index)
{
	unsigned int b = 0;
	u64 lost = 0;
	int ret;

	/*
	 * Retry a lost CAS here, after a backoff, unless the CPU is wanted;
	 * a pause or a missing bucket, which need a call that may sleep, out
	 * of line.
	 */
	for (;;) {
		ret = secvec_push_once(v, value, index, &b);
		if (likely(ret != SECVEC_PUSH_LOST) || need_resched())
			break;
		secvec_backoff(++lost);
	}
	if (likely(ret <= 0))
		return ret;
	return secvec_push_again(v, value, index, ret, b);
}
EXPORT_SYMBOL_GPL(secvec_push);

/*
 * Install @nd, a batch's descriptor owing @nd->count writes, after the
 * current size; its tags go to @nd->tags. Frees @nd (and its block) if it
 * fails.
 */
static int secvec_push_desc(struct secvec *v, struct secvec_desc *nd,
			    u64 *first)
{
	struct secvec_state st;
	struct secvec_slot *s;
	u64 size, i, j, run;
	u32 n = nd->count;
	int err, b;

	for (;;) {
		secvec_enter_settled(v, &st);
		size = secvec_size_of(st.meta);
		if (size + n > v->max_elements) {
			rcu_read_unlock_sched();
			err = -ENOSPC;
			goto out_free;
		}
		b = secvec_missing_bucket(v, size, size + n);
		if (b >= 0) {
			rcu_read_unlock_sched();
			err = secvec_install_bucket(v, b);
			if (err)
				goto out_free;
			continue;
		}
		/* Past the size: nothing writes them while @st is current. */
		for (i = 0; i < n; i += run) {
			s = secvec_slot_run(v, size + i, n - i, &run);
			for (j = 0; j < run; j++)
				nd->tags[i + j] = READ_ONCE(s[j].tag);
		}
		nd->first = size;
		if (secvec_install(v, &st, (uintptr_t)nd,
				   secvec_meta(size + n, SECVEC_DESC,
					       secvec_next_stamp(st.meta)))) {
			u64 *block = NULL;

			/*
			 * Installed: the batch is pushed. If the owner
			 * pauses, whoever meets @nd next lands the rest, and
			 * the block goes with @nd; if it lands them all, it
			 * takes the block back unless someone else has been
			 * at it (enum secvec_block).
			 */
			secvec_test_stop(&v->test, SECVEC_STOP_INSTALLED, v);
			if (secvec_complete_desc(v, nd, true)) {
				secvec_test_stop(&v->test, SECVEC_STOP_LANDED, v);
				block = secvec_desc_take_block(nd);
			}
			rcu_read_unlock_sched();
			secvec_retire(&st);
			secvec_block_free(block);
			if (first)
				*first = size;
			return 0;
		}
		rcu_read_unlock_sched();
	}

out_free:
	/* Never published: nobody else can hold it. */
	secvec_desc_free(nd);
	return err;
}

/**
 * secvec_block_alloc - room for a block of values to push as one step
 * @v: the vector the block is for
 * @n: how many values, 1 to SECVEC_BATCH_MAX
 *
 * A batch push keeps its values, and for each the tag its slot had, for
 * helpers to land: a block is both in one kvmalloc() (with @v's gfp).
 * The caller writes its @n values at the returned address, then hands the
 * block to secvec_block_push(), or to secvec_block_free() if it gives up.
 * The device reads PUSH_MANY's values from userspace straight into one.
 *
 * Context: process context, may sleep (allocates with the vector's gfp).
 * Return: the @n values' storage, or NULL if @n is out of range or the
 * allocation failed.
 */
u64 *secvec_block_alloc(struct secvec *v, u32 n)
{
	if (!n || n > SECVEC_BATCH_MAX || secvec_alloc_fails())
		return NULL;
	return kvmalloc_array(2 * (size_t)n, sizeof(u64), v->gfp);
}
EXPORT_SYMBOL_GPL(secvec_block_alloc);

/**
 * secvec_block_free - free a block that will not be pushed
 * @block: from secvec_block_alloc(), or NULL
 */
void secvec_block_free(u64 *block)
{
	kvfree(block);
}
EXPORT_SYMBOL_GPL(secvec_block_free);

/**
 * secvec_block_push - append a block's values as one step
 * @v: the vector the block was allocated for
 * @block: from secvec_block_alloc(@v, @n), its @n values written; secvec
 *	takes it over and frees it whatever the outcome, so the caller must
 *	not touch it afterwards
 * @n: as given to secvec_block_alloc() (the block has room for @n
 *	values and their tags, no more); -EINVAL if 0 or over
 *	SECVEC_BATCH_MAX
 * @first: if not NULL, set to the index of the first value
 *
 * As secvec_push_many(), without a copy of the values: the descriptor
 * keeps the block, until the owner lands the batch and frees it, or, if
 * a helper or reader looked at it meanwhile, until the descriptor goes.
 *
 * Context: process context, may sleep (allocates the descriptor and
 *	buckets with the vector's gfp).
 * Return: 0; -EINVAL for a bad @n, -ENOSPC if the block does not fit
 *	under max_elements, -ENOMEM; on error nothing was pushed.
 */
int secvec_block_push(struct secvec *v, u64 *block, u32 n, u64 *first)
{
	struct secvec_desc *nd;
	int err;

	if (!n || n > SECVEC_BATCH_MAX) {
		secvec_block_free(block);
		return -EINVAL;
	}
	if (n == 1) {
		/* A plain push needs no descriptor. */
		err = secvec_push(v, block[0], first);
		secvec_block_free(block);
		return err;
	}
	nd = secvec_new_desc(v);
	if (!nd) {
		secvec_block_free(block);
		return -ENOMEM;
	}
	nd->buf = block;
	nd->values = block;
	nd->tags = block + n;
	nd->count = n;
	return secvec_push_desc(v, nd, first);
}
EXPORT_SYMBOL_GPL(secvec_block_push);

/**
 * secvec_push_many - append a block of values as one step
 * @v: the vector
 * @values: @n values
 * @n: 1 to SECVEC_BATCH_MAX
 * @first: if not NULL, set to the index of values[0]
 *
 * All or nothing: no other push lands inside the block, and if the block
 * does not fit under max_elements nothing is pushed (-ENOSPC).
 * Linearizes at the CAS that installs it. The values are copied into a
 * block; a caller that builds them anyway can build them in one
 * (secvec_block_alloc()) and save the copy.
 *
 * Context: process context, may sleep (allocates with the vector's gfp).
 * Return: 0; -EINVAL for a bad @n, -ENOSPC, -ENOMEM; on error nothing
 *	was pushed.
 */
int secvec_push_many(struct secvec *v, const u64 *values, u32 n, u64 *first)
{
	u64 *block;

	if (!n || n > SECVEC_BATCH_MAX)
		return -EINVAL;
	if (n == 1)
		return secvec_push(v, values[0], first);
	block = secvec_block_alloc(v, n);
	if (!block)
		return -ENOMEM;
	memcpy(block, values, n * sizeof(u64));
	return secvec_block_push(v, block, n, first);
}
EXPORT_SYMBOL_GPL(secvec_push_many);

/**
 * secvec_pop_many_commit - remove up to @n values from the tail as one step
 * @v: the vector
 * @buf: room for @n values, filled in index order
 * @n: 1 to SECVEC_BATCH_MAX
 * @popped: set to how many were removed (at most @n, at least 1)
 * @first: if not NULL, set to the index of buf[0]
 * @commit: if not NULL, called with the values before the pop commits
 * @ctx: passed to @commit
 *
 * Allocates nothing. Linearizes at the CAS that installs the smaller
 * size. The values read are those of the state the CAS replaces: settled,
 * and no slot below its size changes while it is current.
 *
 * Context: process context; @commit runs in an RCU read-side section.
 * Return: 0; -EINVAL for a bad @n, -ENODATA if empty, or what @commit
 *	returned; on error nothing was popped.
 */
int secvec_pop_many_commit(struct secvec *v, u64 *buf, u32 n, u32 *popped,
			   u64 *first, secvec_commit_fn commit, void *ctx)
{
	u64 size, start, k;
	struct secvec_state st;
	int err;

	if (!n || n > SECVEC_BATCH_MAX)
		return -EINVAL;

	for (;;) {
		secvec_enter_settled(v, &st);
		size = secvec_size_of(st.meta);
		if (!size) {
			err = -ENODATA;
			break;
		}
		k = min_t(u64, n, size);
		start = size - k;
		secvec_read_slots(v, start, buf, k);
		if (commit) {
			err = commit(ctx, buf, k, start);
			if (err)
				break;
		}
		if (secvec_install_settled(v, &st, start)) {
			rcu_read_unlock_sched();
			secvec_retire(&st);
			*popped = k;
			if (first)
				*first = start;
			return 0;
		}
		rcu_read_unlock_sched();
	}
	rcu_read_unlock_sched();
	return err;
}
EXPORT_SYMBOL_GPL(secvec_pop_many_commit);

int secvec_pop_many(struct secvec *v, u64 *out, u32 n, u32 *popped)
{
	return secvec_pop_many_commit(v, out, n, popped, NULL, NULL, NULL);
}
EXPORT_SYMBOL_GPL(secvec_pop_many);

/*
 * Count the CASes secvec_pop() lost before it got here: out of line, so
 * that the fast path makes no call that is not its last act, and needs no
 * callee-saved registers.
 */
static noinline int secvec_pop_lost(u64 lost)
{
	secvec_stat_add(SECVEC_STAT_CAS_RETRY, lost);
	return 0;
}

/* secvec_pop() in every state, retries included; @lost: as above. */
static noinline int secvec_pop_slow(struct secvec *v, u64 *value, u64 lost)
{
	struct secvec_state st = { 0 };
	u64 size, val;

	if (lost) {
		secvec_pop_lost(lost);
		/* The fast path may have left for the CPU's sake. */
		secvec_yield_cpu(v);
	}
	rcu_read_lock_sched();
	for (;;) {
		/* Acquire: pairs with the CAS that installed it. */
		st.meta = smp_load_acquire(&v->state.meta);
		/* Settled (a pop after a pop): meta is all there is to read. */
		if (secvec_mode_of(st.meta) != SECVEC_SETTLED &&
		    !secvec_settle(v, &st)) {
			rcu_read_unlock_sched();
			secvec_yield_cpu(v);
			rcu_read_lock_sched();
			continue;
		}
		size = secvec_size_of(st.meta);
		if (!size)
			break;
		val = READ_ONCE(secvec_slot(v, size - 1)->value);
		if (secvec_install_settled(v, &st, size - 1)) {
			rcu_read_unlock_sched();
			secvec_retire(&st);
			*value = val;
			return 0;
		}
		/*
		 * Lost the CAS. The section spans the retries, each of which
		 * may finish a batch's tail: leave it if the CPU is wanted.
		 */
		if (need_resched()) {
			rcu_read_unlock_sched();
			secvec_yield_cpu(v);
			rcu_read_lock_sched();
		} else {
			secvec_backoff(++lost);
		}
	}
	rcu_read_unlock_sched();
	return -ENODATA;
}

/**
 * secvec_pop - remove the value at the tail
 * @v: the vector
 * @value: set to the value removed
 *
 * secvec_pop_many_commit() for one value, without its block loop: one
 * slot read (two after a push: its tag too) and an 8-byte CAS on meta.
 * Allocates nothing; -ENODATA if empty.
 *
 * Context: process context.
 * Return: 0, or -ENODATA if the vector is empty.
 */
int secvec_pop(struct secvec *v, u64 *value)
{
	struct secvec_slot *s;
	u64 meta, size, mode, val, lost = 0;

	/*
	 * The common cases here, retries included: a settled state (a pop
	 * after a pop), or a push whose write has landed (a pop after a
	 * push; its owner lands it right after its CAS). Nothing to help
	 * (a write that has not landed goes the full way, which lands it
	 * first: a state is only left once what it owes has landed), no
	 * descriptor to retire, and few enough registers to spare the full
	 * function's prologue.
	 */
	rcu_read_lock_sched();
	for (;;) {
		/* Acquire: pairs with the CAS that installed it. */
		meta = smp_load_acquire(&v->state.meta);
		size = secvec_size_of(meta);
		mode = secvec_mode_of(meta);
		if (unlikely(mode == SECVEC_DESC || !size))
			break;
		s = secvec_slot(v, size - 1);
		/*
		 * If a push's write has landed, the slot holds its value; if
		 * the state moves on meanwhile, the CAS fails.
		 */
		if (mode == SECVEC_PUSHED &&
		    /* Acquire: the tag before the value it goes with. */
		    !secvec_pushed_landed(smp_load_acquire(&s->tag), meta))
			break;
		val = READ_ONCE(s->value);
		/* secvec_install_settled(), by arithmetic on meta. */
		if (likely(secvec_cas(&v->state.meta, meta,
				      secvec_popped_meta(meta)))) {
			rcu_read_unlock_sched();
			*value = val;
			return unlikely(lost) ? secvec_pop_lost(lost) : 0;
		}
		lost++;
		/* The section spans the retries: leave if the CPU is wanted. */
		if (need_resched())
			break;
		secvec_backoff(lost);
	}
	rcu_read_unlock_sched();
	return secvec_pop_slow(v, value, lost);
}
EXPORT_SYMBOL_GPL(secvec_pop);

/**
 * secvec_set - overwrite the value at @index
 * @v: the vector
 * @index: below the size, else -ERANGE
 * @value: the new value
 *
 * Unlike the paper's plain store, which can be lost or land in a popped
 * slot, set installs a descriptor like a push and linearizes at that CAS.
 *
 * Context: process context, may sleep (allocates the descriptor).
 * Return: 0; -ERANGE if @index is at or past the size, -ENOMEM; on error
 *	nothing was written.
 */
int secvec_set(struct secvec *v, u64 index, u64 value)
{
	struct secvec_state st;
	struct secvec_desc *nd;
	u64 size;

	nd = secvec_new_desc(v);
	if (!nd)
		return -ENOMEM;
	secvec_desc_set_one(nd, value);
	nd->first = index;

	for (;;) {
		secvec_enter_settled(v, &st);
		size = secvec_size_of(st.meta);
		if (index >= size)
			break;
		/* Settled: nothing writes it while @st is current. */
		nd->inline_tag = READ_ONCE(secvec_slot(v, index)->tag);
		if (secvec_install(v, &st, (uintptr_t)nd,
				   secvec_meta(size, SECVEC_DESC,
					       secvec_next_stamp(st.meta)))) {
			secvec_test_stop(&v->test, SECVEC_STOP_INSTALLED, v);
			secvec_complete_desc(v, nd, true);
			rcu_read_unlock_sched();
			secvec_retire(&st);
			return 0;
		}
		rcu_read_unlock_sched();
	}
	rcu_read_unlock_sched();
	secvec_desc_free(nd);
	return -ERANGE;
}
EXPORT_SYMBOL_GPL(secvec_set);

/**
 * secvec_clear - make the vector empty
 * @v: the vector
 *
 * Allocates nothing; buckets stay allocated for the pushes to come.
 *
 * Context: process context.
 * Return: 0.
 */
int secvec_clear(struct secvec *v)
{
	struct secvec_state st;
	bool ok;

	for (;;) {
		secvec_enter_settled(v, &st);
		ok = secvec_install_settled(v, &st, 0);
		rcu_read_unlock_sched();
		if (ok)
			break;
	}
	secvec_retire(&st);
	return 0;
}
EXPORT_SYMBOL_GPL(secvec_clear);

/**
 * secvec_get_range - read up to @n values starting at @first
 * @v: the vector
 * @first: below the size, else -ERANGE
 * @out: room for @n values
 * @n: 1 to SECVEC_BATCH_MAX
 * @got: set to how many were read (up to the size seen)
 *
 * Each value is read as secvec_get() reads it; the range is not a snapshot.
 *
 * Context: process context.
 * Return: 0; -EINVAL for a bad @n, -ERANGE if @first is at or past the
 *	size.
 */
int secvec_get_range(struct secvec *v, u64 first, u64 *out, u32 n, u32 *got)
{
	struct secvec_state st = { 0 };
	u64 i, k, size;

	if (!n || n > SECVEC_BATCH_MAX)
		return -EINVAL;
	rcu_read_lock_sched();
	/* Acquire: the slots written before this state are visible. */
	st.meta = smp_load_acquire(&v->state.meta);
	secvec_peek_owed(v, &st);
	size = secvec_size_of(st.meta);
	if (first >= size) {
		rcu_read_unlock_sched();
		return -ERANGE;
	}
	k = min_t(u64, n, size - first);
	if (secvec_mode_of(st.meta) == SECVEC_SETTLED) {
		/* Nothing owed: straight from the slots. */
		secvec_read_slots(v, first, out, k);
	} else {
		for (i = 0; i < k; i++)
			out[i] = secvec_read(v, &st, first + i);
	}
	rcu_read_unlock_sched();
	*got = k;
	return 0;
}
EXPORT_SYMBOL_GPL(secvec_get_range);

/*
 * secvec_get() of an index a state may owe a write to: look again, inside
 * a read-side section, since what is owed may be in a descriptor. Out of
 * line, so that the common case needs no callee-saved registers.
 */
static noinline int secvec_get_owed(struct secvec *v, u64 index, u64 *value)
{
	struct secvec_state st = { 0 };
	u64 size;

	rcu_read_lock_sched();
	/* Acquire: the slots written before this state are visible. */
	st.meta = smp_load_acquire(&v->state.meta);
	size = secvec_size_of(st.meta);
	if (index < size) {
		secvec_peek_owed(v, &st);
		*value = secvec_read(v, &st, index);
	}
	rcu_read_unlock_sched();
	return index < size ? 0 : -ERANGE;
}

/**
 * secvec_get - read the value at @index
 * @v: the vector
 * @index: below the size, else -ERANGE
 * @value: set to the value
 *
 * Wait-free: no retry and no help. It writes nothing but, if @index is
 * in a batch still owed, one cmpxchg on the batch's descriptor, so that
 * the block it reads the value from outlives the read (enum
 * secvec_block). Linearization: if the value comes from what the state
 * owes, or from a slot no later state has written, at the load of meta
 * it went by; if a later state wrote the slot before we read it, at that
 * state's install, which lies within this call and had @index below its
 * size.
 *
 * Context: process context.
 * Return: 0, or -ERANGE if @index is at or past the size.
 */
int secvec_get(struct secvec *v, u64 index, u64 *value)
{
	/* Acquire: the slots written before this state are visible. */
	u64 meta = smp_load_acquire(&v->state.meta);
	u64 size = secvec_size_of(meta), mode = secvec_mode_of(meta);

	if (index >= size)
		return -ERANGE;
	if (likely(mode == SECVEC_SETTLED ||
		   (mode == SECVEC_PUSHED && index + 1 < size))) {
		/*
		 * Nothing owed at @index: straight from the slot. Buckets
		 * live as long as the vector, so this needs no read-side
		 * section.
		 */
		*value = READ_ONCE(secvec_slot(v, index)->value);
		return 0;
	}
	return secvec_get_owed(v, index, value);
}
EXPORT_SYMBOL_GPL(secvec_get);

/* Linearizes at the load of meta. */
u64 secvec_size(struct secvec *v)
{
	return secvec_size_of(READ_ONCE(v->state.meta));
}
EXPORT_SYMBOL_GPL(secvec_size);

/* Elements storable without allocating: buckets form a prefix. */
u64 secvec_capacity(struct secvec *v)
{
	unsigned int b = 0;

	while (b < SECVEC_NR_BUCKETS && READ_ONCE(v->buckets[b]))
		b++;
	return (u64)SECVEC_FBS * ((1ULL << b) - 1);
}
EXPORT_SYMBOL_GPL(secvec_capacity);

u64 secvec_max_elements(struct secvec *v)
{
	return v->max_elements;
}
EXPORT_SYMBOL_GPL(secvec_max_elements);

/**
 * secvec_reserve - allocate buckets so that @n elements fit
 * @v: the vector
 * @n: at most max_elements, else -ENOSPC
 *
 * Buckets already installed are left alone, never reallocated.
 *
 * Context: process context, may sleep (allocates with the vector's gfp).
 * Return: 0; -ENOSPC if @n is over max_elements, -ENOMEM (the buckets
 *	installed before the failure stay).
 */
int secvec_reserve(struct secvec *v, u64 n)
{
	unsigned int b;
	int err;

	if (n > v->max_elements)
		return -ENOSPC;
	if (!n)
		return 0;
	for (b = 0; b <= secvec_bucket_of(n - 1); b++) {
		err = secvec_install_bucket(v, b);
		if (err)
			return err;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(secvec_reserve);

/**
 * secvec_create - make an empty vector
 * @max_elements: the cap, 1 to SECVEC_MAX_ELEMENTS
 * @gfp: flags for all of its memory (GFP_KERNEL_ACCOUNT to charge callers)
 *
 * Return: the vector, or ERR_PTR(-EINVAL, -ENOMEM, or -ENODEV if the core
 * could not initialise: no 16-byte compare-and-swap).
 */
struct secvec *secvec_create(u64 max_elements, gfp_t gfp)
{
	struct secvec *v;

	/* The size field of meta holds every size up to the cap. */
	BUILD_BUG_ON(SECVEC_MAX_ELEMENTS & ~SECVEC_SIZE_MASK);
	/* Built in, callers can outlive a failed secvec_core_init(). */
	if (!secvec_core_ready)
		return ERR_PTR(-ENODEV);
	if (!max_elements || max_elements > SECVEC_MAX_ELEMENTS)
		return ERR_PTR(-EINVAL);
	/*
	 * A power-of-two size: kmalloc() then aligns to it (see
	 * Documentation/core-api/memory-allocation.rst), and the state
	 * word and buckets get the alignment their type asks for, whatever
	 * the slab debugging options.
	 */
	v = kzalloc(roundup_pow_of_two(sizeof(*v)), gfp);
	if (!v)
		return ERR_PTR(-ENOMEM);
	v->max_elements = max_elements;
	v->gfp = gfp;
	/* Empty and settled; stamp 0. */
	v->state.word = 0;
	v->state.meta = secvec_meta(0, SECVEC_SETTLED, 0);
	return v;
}
EXPORT_SYMBOL_GPL(secvec_create);

/**
 * secvec_destroy - free a vector
 * @v: the vector, with no operation running on it now or later
 *
 * Frees the current descriptor, if any, and the buckets now. Retired
 * descriptors do not point at @v; they wait in the pools or for their RCU
 * callbacks, and secvec_quiesce() or module exit frees them.
 */
void secvec_destroy(struct secvec *v)
{
	unsigned int b;

	if (!v)
		return;
	if (secvec_mode_of(v->state.meta) == SECVEC_DESC)
		secvec_desc_free(secvec_desc_of(&v->state));
	for (b = 0; b < SECVEC_NR_BUCKETS; b++) {
		if (!v->buckets[b])
			continue;
		kvfree(v->buckets[b]);
		secvec_stat_inc(SECVEC_STAT_BUCKET_FREE);
	}
	kfree(v);
}
EXPORT_SYMBOL_GPL(secvec_destroy);

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static struct dentry *secvec_fail_dir;
#endif

int secvec_core_init(void)
{
	int err;

	if (!secvec_has_cas2()) {
		pr_err("secvec: the CPU has no 16-byte compare-and-swap\n");
		return -ENODEV;
	}
	err = secvec_desc_init();
	if (err)
		return err;
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	secvec_fail_dir = fault_create_debugfs_attr("secvec_fail_alloc", NULL,
						    &secvec_fail_alloc);
#endif
	secvec_core_ready = true;
	return 0;
}

void secvec_core_exit(void)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	debugfs_remove_recursive(secvec_fail_dir);
#endif
	secvec_core_ready = false;
	/* Retired descriptors still wait in pools and RCU callbacks. */
	secvec_desc_exit();
}

/*
 * The core first, then the device that uses it. Built in, both are one
 * initcall, so nothing can reach the device before the core is up.
 */
static int __init secvec_init(void)
{
	int err;

	err = secvec_core_init();
	if (err)
		return err;
	err = secvec_dev_register();
	if (err)
		secvec_core_exit();
	return err;
}

static void __exit secvec_exit(void)
{
	secvec_dev_unregister();
	secvec_core_exit();
}

module_init(secvec_init);
module_exit(secvec_exit);

MODULE_DESCRIPTION("secvec: lock-free dynamically resizable vector");
MODULE_LICENSE("GPL");
