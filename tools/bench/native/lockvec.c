// SPDX-License-Identifier: GPL-2.0
/*
 * The baselines a kernel engineer would otherwise write: a growable array
 * (doubling with realloc) behind one lock, a pthread mutex or a pthread
 * spinlock. Same errors as secvec: -ENODATA, -ERANGE, -ENOMEM.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "bench.h"

#define DEFINE_LOCKVEC(type, lock_t, init_op, lock_op, unlock_op, fini_op)	\
struct type {								\
	lock_t lock;							\
	uint64_t *a, n, cap;						\
} __attribute__((aligned(64)));						\
									\
static void *type##_create(void)					\
{									\
	struct type *v = calloc(1, sizeof(*v));				\
									\
	if (v)								\
		init_op;						\
	return v;							\
}									\
									\
static void type##_destroy(void *p)					\
{									\
	struct type *v = p;						\
									\
	fini_op;							\
	free(v->a);							\
	free(v);							\
}									\
									\
static int type##_push(void *p, uint64_t value)			\
{									\
	struct type *v = p;						\
	uint64_t *a;							\
	int err = 0;							\
									\
	lock_op;							\
	if (v->n == v->cap) {						\
		a = realloc(v->a, (v->cap ? 2 * v->cap : 16) * sizeof(*a)); \
		if (a) {						\
			v->a = a;					\
			v->cap = v->cap ? 2 * v->cap : 16;		\
		} else {						\
			err = -ENOMEM;					\
		}							\
	}								\
	if (!err)							\
		v->a[v->n++] = value;					\
	unlock_op;							\
	return err;							\
}									\
									\
static int type##_pop(void *p, uint64_t *value)			\
{									\
	struct type *v = p;						\
	int err = 0;							\
									\
	lock_op;							\
	if (v->n)							\
		*value = v->a[--v->n];					\
	else								\
		err = -ENODATA;						\
	unlock_op;							\
	return err;							\
}									\
									\
static int type##_get(void *p, uint64_t index, uint64_t *value)	\
{									\
	struct type *v = p;						\
	int err = 0;							\
									\
	lock_op;							\
	if (index < v->n)						\
		*value = v->a[index];					\
	else								\
		err = -ERANGE;						\
	unlock_op;							\
	return err;							\
}									\
									\
const struct vec_impl type##_impl = {					\
	.name = #type, .create = type##_create,				\
	.destroy = type##_destroy, .push = type##_push,			\
	.pop = type##_pop, .get = type##_get,				\
}

DEFINE_LOCKVEC(mutex, pthread_mutex_t,
	       pthread_mutex_init(&v->lock, NULL),
	       pthread_mutex_lock(&v->lock), pthread_mutex_unlock(&v->lock),
	       pthread_mutex_destroy(&v->lock));

DEFINE_LOCKVEC(spinlock, pthread_spinlock_t,
	       pthread_spin_init(&v->lock, PTHREAD_PROCESS_PRIVATE),
	       pthread_spin_lock(&v->lock), pthread_spin_unlock(&v->lock),
	       pthread_spin_destroy(&v->lock));
