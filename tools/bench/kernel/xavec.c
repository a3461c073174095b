// SPDX-License-Identifier: GPL-2.0
/*
 * The XArray baseline: an XArray used as a vector. A push stores at the
 * size, a pop erases the tail, both under the xa_lock, which also guards
 * the size; get and its bounds check take no lock (xa_load() under RCU).
 *
 * The store and the size must change together, so push uses the advanced
 * API: xas_store() under xas_lock(), and on -ENOMEM xas_nomem() allocates
 * with the lock dropped and the push starts over at the then current size
 * (the pattern of Documentation/core-api/xarray.rst). A plain xa_store()
 * would drop the lock to allocate and let two pushes take one index.
 *
 * XArray value entries hold at most LONG_MAX (xa_mk_value()), so xavec
 * takes values up to LONG_MAX and refuses others with -EINVAL: a full u64
 * would need a boxed entry per element. The harness only uses such values.
 */
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "secvec_bench.h"

struct bench_xavec {
	struct xarray xa;
	u64 size;		/* written under the xa_lock */
	u64 max_elements;
};

void *secvec_bench_xavec_create(u64 max_elements)
{
	struct bench_xavec *xv = kzalloc(sizeof(*xv), GFP_KERNEL);

	if (!xv)
		return NULL;
	xa_init(&xv->xa);
	xv->max_elements = min_t(u64, max_elements, ULONG_MAX);
	return xv;
}

void secvec_bench_xavec_destroy(void *vec)
{
	struct bench_xavec *xv = vec;

	xa_destroy(&xv->xa);
	kfree(xv);
}

int secvec_bench_xavec_push(void *vec, u64 value)
{
	struct bench_xavec *xv = vec;
	XA_STATE(xas, &xv->xa, 0);

	if (value > LONG_MAX)
		return -EINVAL;
	do {
		xas_lock(&xas);
		if (xv->size >= xv->max_elements) {
			xas_unlock(&xas);
			return -ENOSPC;
		}
		xas_set(&xas, xv->size);
		xas_store(&xas, xa_mk_value(value));
		if (!xas_error(&xas))
			WRITE_ONCE(xv->size, xv->size + 1);
		xas_unlock(&xas);
	} while (xas_nomem(&xas, GFP_KERNEL));
	return xas_error(&xas);
}

int secvec_bench_xavec_pop(void *vec, u64 *value)
{
	struct bench_xavec *xv = vec;
	XA_STATE(xas, &xv->xa, 0);
	void *entry;
	int err = 0;

	xas_lock(&xas);
	if (xv->size) {
		xas_set(&xas, xv->size - 1);
		entry = xas_load(&xas);
		/* Erasing never allocates: it frees emptied nodes (RCU). */
		xas_store(&xas, NULL);
		WRITE_ONCE(xv->size, xv->size - 1);
		*value = xa_to_value(entry);
	} else {
		err = -ENODATA;
	}
	xas_unlock(&xas);
	return err;
}

int secvec_bench_xavec_get(void *vec, u64 index, u64 *value)
{
	struct bench_xavec *xv = vec;
	void *entry;

	if (index >= READ_ONCE(xv->size))
		return -ERANGE;
	entry = xa_load(&xv->xa, index);
	/* Popped between the size check and the load. */
	if (!entry)
		return -ERANGE;
	*value = xa_to_value(entry);
	return 0;
}

int secvec_bench_xavec_set(void *vec, u64 index, u64 value)
{
	struct bench_xavec *xv = vec;
	XA_STATE(xas, &xv->xa, index);
	int err = 0;

	if (value > LONG_MAX)
		return -EINVAL;
	xas_lock(&xas);
	/* Below the size the slot exists: replacing it never allocates. */
	if (index < xv->size)
		xas_store(&xas, xa_mk_value(value));
	else
		err = -ERANGE;
	xas_unlock(&xas);
	return err;
}
