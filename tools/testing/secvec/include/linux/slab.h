/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmalloc(), kvmalloc() and kmem_cache on the C library's allocator.
 *
 * Kernel guarantees reproduced:
 *  - alignment: kmalloc() aligns a power-of-two size to itself, vmalloc()
 *    to a page; here every block is aligned to the largest power of two
 *    dividing its size, between 16 and PAGE_SIZE, so any object is at
 *    least as aligned as its type (16-byte slots for cmpxchg16b);
 *  - limits: kmalloc() refuses more than KMALLOC_MAX_SIZE (4 MiB) and
 *    kvmalloc() more than INT_MAX bytes, both returning NULL;
 *  - __GFP_ZERO (kzalloc, kvcalloc, ...) zeroes; n * size overflow in the
 *    _array/calloc forms returns NULL;
 *  - a kmem_cache hands out objects of its size and alignment.
 * kfree()/kvfree() accept NULL. Freed memory goes back to malloc, so
 * AddressSanitizer sees every use after free.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <limits.h>
#include <linux/cache.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE		4096UL
#define KMALLOC_MAX_SIZE	(4UL << 20)
#define SLAB_HWCACHE_ALIGN	0x2000u

static inline void *__shim_alloc(size_t size, size_t align, gfp_t gfp)
{
	void *p;

	if (align < 16)
		align = 16;
	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

/* Largest power of two dividing @size, clamped to [16, PAGE_SIZE]. */
static inline size_t __shim_natural_align(size_t size)
{
	size_t a = size & -size;

	return !a || a > PAGE_SIZE ? PAGE_SIZE : a;
}

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	return __shim_alloc(size, __shim_natural_align(size), gfp);
}

static inline void *kvmalloc(size_t size, gfp_t gfp)
{
	if (size > INT_MAX)
		return NULL;
	return __shim_alloc(size, __shim_natural_align(size), gfp);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kvmalloc(bytes, gfp);
}

#define kzalloc(size, gfp)	kmalloc(size, (gfp) | __GFP_ZERO)
#define kcalloc(n, size, gfp)	kmalloc_array(n, size, (gfp) | __GFP_ZERO)
#define kvzalloc(size, gfp)	kvmalloc(size, (gfp) | __GFP_ZERO)
#define kvcalloc(n, size, gfp)	kvmalloc_array(n, size, (gfp) | __GFP_ZERO)

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

struct kmem_cache {
	const char *name;
	size_t size;
	size_t align;
	void (*ctor)(void *obj);
};

static inline struct kmem_cache *
kmem_cache_create(const char *name, unsigned int size, unsigned int align,
		  unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	if ((flags & SLAB_HWCACHE_ALIGN) && align < SMP_CACHE_BYTES)
		align = SMP_CACHE_BYTES;
	*c = (struct kmem_cache){ name, size, align, ctor };
	return c;
}

#define KMEM_CACHE(__struct, __flags)					\
	kmem_cache_create(#__struct, sizeof(struct __struct),		\
			  __alignof__(struct __struct), (__flags), NULL)

static inline void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	/* malloc() already aligns to 16: skip posix_memalign's overhead. */
	void *p = c->align <= 16 ? malloc(c->size) :
				   __shim_alloc(c->size, c->align, 0);

	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, c->size);
	if (p && c->ctor)
		c->ctor(p);
	return p;
}

#define kmem_cache_zalloc(c, gfp)	kmem_cache_alloc(c, (gfp) | __GFP_ZERO)

static inline void kmem_cache_free(struct kmem_cache *c, void *p)
{
	(void)c;
	free(p);
}

static inline void kmem_cache_destroy(struct kmem_cache *c)
{
	free(c);
}

#endif
