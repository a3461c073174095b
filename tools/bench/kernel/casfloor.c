// SPDX-License-Identifier: GPL-2.0
/*
 * The CAS floor: a push or pop that is one hardware compare-and-swap on
 * the size and the value's access, measured in the same harness as the
 * real vectors, for scale: what a CAS instruction per operation costs on
 * this CPU. Not a vector to use.
 *
 * Per push or pop: a bounds check, one cmpxchg() on the size, and the
 * value's own load or store, over an array allocated whole at creation
 * (no growth, no tags, nothing owed, no help). It is not linearizable: a
 * push's value lands after its index is claimed, where a concurrent pop
 * or get can miss it. So it only runs single-threaded, under UML (the
 * KUnit suite). UML is a uniprocessor kernel, where secvec's own CASes
 * are plain compares and stores (secvec_slot.h), as the spinlock
 * vector's lock is nothing: secvec can come in under this floor there.
 * Get and set are plain loads and stores below the size.
 */
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/slab.h>

#include "secvec_bench.h"

struct bench_casfloor {
	u64 size;		/* the word every push and pop CASes */
	u64 *values;
	u64 max_elements;
};

void *secvec_bench_casfloor_create(u64 max_elements)
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

void secvec_bench_casfloor_destroy(void *vec)
{
	struct bench_casfloor *f = vec;

	kvfree(f->values);
	kfree(f);
}

int secvec_bench_casfloor_push(void *vec, u64 value)
{
	struct bench_casfloor *f = vec;
	u64 size;

	do {
		size = READ_ONCE(f->size);
		if (size >= f->max_elements)
			return -ENOSPC;
	} while (cmpxchg(&f->size, size, size + 1) != size);
	WRITE_ONCE(f->values[size], value);
	return 0;
}

int secvec_bench_casfloor_pop(void *vec, u64 *value)
{
	struct bench_casfloor *f = vec;
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

int secvec_bench_casfloor_get(void *vec, u64 index, u64 *value)
{
	struct bench_casfloor *f = vec;

	if (index >= READ_ONCE(f->size))
		return -ERANGE;
	*value = READ_ONCE(f->values[index]);
	return 0;
}

int secvec_bench_casfloor_set(void *vec, u64 index, u64 value)
{
	struct bench_casfloor *f = vec;

	if (index >= READ_ONCE(f->size))
		return -ERANGE;
	WRITE_ONCE(f->values[index], value);
	return 0;
}
