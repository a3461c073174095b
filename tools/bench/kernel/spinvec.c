// SPDX-License-Identifier: GPL-2.0
/*
 * The spinlock baseline: the vector most kernel code would write first.
 * One spinlock guards a kvmalloc()'d array and its size; a full array is
 * replaced by one twice as large. Readers take the lock too: the array can
 * move under them when it grows. Like secvec it never shrinks.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "secvec_bench.h"

#define SPINVEC_MIN_CAP		8	/* secvec's first bucket holds as many */

struct bench_spinvec {
	spinlock_t lock;	/* guards all of the below but max_elements */
	u64 *values;
	u64 size;
	u64 cap;
	u64 max_elements;
};

void *secvec_bench_spinvec_create(u64 max_elements)
{
	struct bench_spinvec *sv = kzalloc(sizeof(*sv), GFP_KERNEL);

	if (!sv)
		return NULL;
	spin_lock_init(&sv->lock);
	sv->max_elements = max_elements;
	return sv;
}

void secvec_bench_spinvec_destroy(void *vec)
{
	struct bench_spinvec *sv = vec;

	kvfree(sv->values);
	kfree(sv);
}

/*
 * Double the array. kvmalloc() may sleep, so allocate without the lock and
 * copy under it; whoever finds the array already grown frees its copy.
 */
static int bench_spinvec_grow(struct bench_spinvec *sv, u64 cap)
{
	u64 new_cap = min(max_t(u64, 2 * cap, SPINVEC_MIN_CAP),
			  sv->max_elements);
	u64 *values, *old = NULL;

	values = kvmalloc_array(new_cap, sizeof(*values), GFP_KERNEL);
	if (!values)
		return -ENOMEM;
	spin_lock(&sv->lock);
	if (sv->cap < new_cap) {
		if (sv->size)
			memcpy(values, sv->values, sv->size * sizeof(*values));
		old = sv->values;
		sv->values = values;
		sv->cap = new_cap;
		values = NULL;
	}
	spin_unlock(&sv->lock);
	kvfree(values);
	kvfree(old);
	return 0;
}

int secvec_bench_spinvec_push(void *vec, u64 value)
{
	struct bench_spinvec *sv = vec;
	u64 cap;
	int err;

	for (;;) {
		spin_lock(&sv->lock);
		if (sv->size < sv->cap) {
			sv->values[sv->size++] = value;
			spin_unlock(&sv->lock);
			return 0;
		}
		cap = sv->cap;
		spin_unlock(&sv->lock);
		if (cap >= sv->max_elements)
			return -ENOSPC;
		err = bench_spinvec_grow(sv, cap);
		if (err)
			return err;
	}
}

int secvec_bench_spinvec_pop(void *vec, u64 *value)
{
	struct bench_spinvec *sv = vec;
	int err = 0;

	spin_lock(&sv->lock);
	if (sv->size)
		*value = sv->values[--sv->size];
	else
		err = -ENODATA;
	spin_unlock(&sv->lock);
	return err;
}

int secvec_bench_spinvec_get(void *vec, u64 index, u64 *value)
{
	struct bench_spinvec *sv = vec;
	int err = 0;

	spin_lock(&sv->lock);
	if (index < sv->size)
		*value = sv->values[index];
	else
		err = -ERANGE;
	spin_unlock(&sv->lock);
	return err;
}

int secvec_bench_spinvec_set(void *vec, u64 index, u64 value)
{
	struct bench_spinvec *sv = vec;
	int err = 0;

	spin_lock(&sv->lock);
	if (index < sv->size)
		sv->values[index] = value;
	else
		err = -ERANGE;
	spin_unlock(&sv->lock);
	return err;
}
