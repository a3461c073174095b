/* SPDX-License-Identifier: GPL-2.0 */
/*
 * secvec descriptors and where they come from (secvec_desc.c).
 *
 * Lifetime: a descriptor is allocated before an operation enters its RCU
 * read-side section, published by the cmpxchg that installs it, and
 * retired by the one operation whose cmpxchg replaces it. A retired
 * descriptor may still be read by anyone inside a read-side section that
 * began before the replacement, so it is reused or freed only after a
 * grace period. A descriptor that was never published can be reused at
 * once.
 */
#ifndef _SECVEC_DESC_H
#define _SECVEC_DESC_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

/**
 * struct secvec_desc - the slot writes of a set or a batch push
 * @first: index of the first slot written
 * @count: number of slot writes owed
 * @values: the @count values: &@inline_value, or @buf
 * @tags: for each write, the tag its slot had when the descriptor was
 *	planned (the write lands once, as tag + 1): &@inline_tag, or
 *	@buf + @count
 * @done: set (release) once all @count writes have landed; completion is
 *	recorded here, on the owning descriptor, and nowhere else
 * @landed: a hint for landers that stopped to let the CPU go (release):
 *	every write below it has landed, so the next lander starts there
 * @block: who has been at @buf (enum secvec_block), changed by cmpxchg
 * @inline_value: storage for a single write (set)
 * @inline_tag: its tag
 * @buf: a batch push's block (secvec_block_alloc()): @count values, then
 *	room for their @count tags; freed with the descriptor unless its
 *	owner took it back (@block)
 * @rcu: for call_rcu(); the descriptor, and its block if it still holds
 *	it, are freed together
 * @next: link on a per-CPU pool list, once retired; readers never look at
 *	it (nor at @rcu), so it can share their storage
 *
 * All fields but @done, @landed, @block, @rcu and @next are written
 * before the descriptor is published and never after (a batch's tags at
 * each attempt).
 */
struct secvec_desc {
	u64 first;
	const u64 *values;
	u64 *tags;
	u32 count;
	int done;
	u32 landed;
	int block;
	u64 inline_value;
	u64 inline_tag;
	u64 *buf;
	union {
		struct rcu_head rcu;
		struct secvec_desc *next;
	};
};

/* @d owes one write, of @value, kept in the descriptor itself. */
static inline void secvec_desc_set_one(struct secvec_desc *d, u64 value)
{
	d->inline_value = value;
	d->values = &d->inline_value;
	d->tags = &d->inline_tag;
	d->count = 1;
}

/*
 * A batch's block, and who may read it. Helpers and readers of a
 * published batch read its values and tags from the block, inside a
 * read-side section, so freeing the block has to wait for a grace period
 * like its descriptor. But most batches are landed by their owner alone,
 * right after its CAS; the owner then frees the block at once, and the
 * next batch's allocation finds it warm in the slab's per-CPU cache,
 * where it would otherwise get a cold one while a grace period's worth
 * of blocks are in flight. A helper or reader announces itself before
 * its first look at the block, and the owner takes the block back only
 * if nobody did:
 *
 * @SECVEC_BLOCK_OWNER: only the owner has been at the block (as published)
 * @SECVEC_BLOCK_SHARED: someone else has; the block goes with the
 *	descriptor, after a grace period
 * @SECVEC_BLOCK_GONE: the owner landed every write, then took the block
 *	back and freed it; @buf is stale
 */
enum secvec_block {
	SECVEC_BLOCK_OWNER,
	SECVEC_BLOCK_SHARED,
	SECVEC_BLOCK_GONE,
};

/*
 * Before a helper's or reader's first look at @d's values or tags: false
 * if @d's owner has taken its block back, having landed every write
 * (then @d->done is set, and, acquired here, the slots hold the writes).
 * A set's descriptor keeps its one write inline: always true. @d->buf is
 * written before @d is published and never after, so it says which.
 */
static inline bool secvec_desc_share_block(struct secvec_desc *d)
{
	int old = SECVEC_BLOCK_OWNER;

	if (!d->buf || READ_ONCE(d->block) == SECVEC_BLOCK_SHARED)
		return true;
	if (try_cmpxchg(&d->block, &old, SECVEC_BLOCK_SHARED))
		return true;
	/*
	 * A failed cmpxchg orders nothing: acquire, pairing with the
	 * owner's cmpxchg, itself after its release of done.
	 */
	return smp_load_acquire(&d->block) != SECVEC_BLOCK_GONE;
}

/*
 * The owner of published @d, every write landed (done set): take the
 * block back, unless a helper or reader has been at it. The caller frees
 * what this returns (if not NULL) once out of its read-side section.
 */
static inline u64 *secvec_desc_take_block(struct secvec_desc *d)
{
	u64 *block = d->buf;
	int old = SECVEC_BLOCK_OWNER;

	/* Fully ordered: after the release of done (share_block above). */
	if (!block || !try_cmpxchg(&d->block, &old, SECVEC_BLOCK_GONE))
		return NULL;
	return block;
}

/* @d has a block of its own that goes with it when it is freed. */
static inline bool secvec_desc_has_block(const struct secvec_desc *d)
{
	return d->buf && READ_ONCE(d->block) != SECVEC_BLOCK_GONE;
}

/* A clean descriptor (no writes owed), or NULL. */
struct secvec_desc *secvec_desc_alloc(gfp_t gfp);
/* @d was never published: it can be reused now. */
void secvec_desc_free(struct secvec_desc *d);
/* @d was just replaced: it is reused or freed after a grace period. */
void secvec_desc_retire(struct secvec_desc *d);

int secvec_desc_init(void);
void secvec_desc_exit(void);

#endif /* _SECVEC_DESC_H */
