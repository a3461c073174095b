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
 * @inline_value: storage for a single write (set)
 * @inline_tag: its tag
 * @buf: a batch push's block (secvec_block_alloc()): @count values, then
 *	room for their @count tags; freed with the descriptor
 * @rcu: for call_rcu(); the descriptor and its block are freed together
 * @next: link on a per-CPU pool list, once retired; readers never look at
 *	it (nor at @rcu), so it can share their storage
 *
 * All fields but @done, @landed, @rcu and @next are written before the
 * descriptor is published and never after (a batch's tags at each
 * attempt).
 */
struct secvec_desc {
	u64 first;
	const u64 *values;
	u64 *tags;
	u32 count;
	int done;
	u32 landed;
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

/* @d has a block of its own that goes with it when it is freed. */
static inline bool secvec_desc_has_block(const struct secvec_desc *d)
{
	return !!d->buf;
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
