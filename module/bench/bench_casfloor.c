// SPDX-License-Identifier: GPL-2.0
/*
 * The CAS floor: what a lock-free vector's push and pop cost at the least
 * when they are built on compare-and-swap, as secvec's are, measured in
 * the same harness as the real ones. Not a vector to use.
 *
 * A lock-free pop must take the tail away from every concurrent pop
 * without a lock, so it makes at least one read-modify-write of a word
 * they all share; a lock-free push likewise, to claim its index. Here
 * that is all there is: a bounds check, one cmpxchg() on the size, and
 * the value's own load or store, over an array allocated whole at
 * creation (no growth, no tags, nothing owed, no help). It is not
 * linearizable: a push's value lands after its index is claimed, where a
 * concurrent pop or get can miss it. So it only runs single-threaded,
 * under UML (the KUnit suite). A fetch-and-add would be cheaper there
 * (no lock prefix under UML), but it cannot be made conditional on the
 * state, which is what secvec's operations need their CAS for.
 * Get and set are plain loads and stores below the size.
 */
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/slab.h>

#include "bench.h"

struct bench_casfloor {
	u64 size;		/* the word every push and pop CASes */
	u64 *values;
	u64 max_elements;
};

struct bench_casfloor *bench_casfloor_create(u64 max_elements)
{
	struct bench_casfloor *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->values = kvmalloc_array(max_elements, sizeof(*f->values),
				   GFP_KERNEL);
	if (!f->values) {
		kfree(f);
		return NULL;
	}
	f->max_elements = max_elements;
	return f;
}

void bench_casfloor_destroy(struct bench_casfloor *f)
{
	if (!f)
		return;
	kvfree(f->values);
	kfree(f);
}

int bench_casfloor_push(struct bench_casfloor *f, u64 value)
{
	u64 size;

	do {
		size = READ_ONCE(f->size);
		if (size >= f->max_elements)
			return -ENOSPC;
	} while (cmpxchg(&f->size, size, size + 1) != size);
	WRITE_ONCE(f->values[size], value);
	return 0;
}

int bench_casfloor_pop(struct bench_casfloor *f, u64 *value)
{
	u64 size, val;

	do {
		size = READ_ONCE(f->size);
		if (!size)
			return -ENODATA;
		val = READ_ONCE(f->values[size - 1]);
	} while (cmpxchg(&f->size, size, size - 1) != size);
	*value = val;
	return 0;
}

int bench_casfloor_get(struct bench_casfloor *f, u64 index, u64 *value)
{
	if (index >= READ_ONCE(f->size))
		return -ERANGE;
	*value = READ_ONCE(f->values[index]);
	return 0;
}

int bench_casfloor_set(struct bench_casfloor *f, u64 index, u64 value)
{
	if (index >= READ_ONCE(f->size))
		return -ERANGE;
	WRITE_ONCE(f->values[index], value);
	return 0;
}
