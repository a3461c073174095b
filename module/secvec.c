// SPDX-License-Identifier: GPL-2.0
/*
 * secvec core: a lock-free, dynamically resizable vector of u64.
 *
 * Storage is a two-level array: buckets[b] points to FBS << b slots,
 * allocated the first time an operation needs them, installed with a
 * cmpxchg against NULL and never moved or freed before secvec_destroy().
 *
 * The state is one pointer to an immutable-after-publish descriptor
 * { size, seq, the slot writes it still owes }. Every mutation allocates a
 * new descriptor, reads the current one inside an RCU read-side critical
 * section, first completes the writes the current one owes (helping, so
 * that no thread ever waits for another), then swaps the pointer with a
 * cmpxchg. The winner retires the old descriptor, which is reused or
 * freed after a grace period (secvec_desc.c).
 *
 * Two rules keep RCU sound here:
 *  - nothing that sleeps runs under rcu_read_lock(): descriptors, batch
 *    copies and buckets are allocated before entering it (for a missing
 *    bucket, the operation leaves, allocates and starts over);
 *  - a descriptor pointer is only compared in a cmpxchg inside the same
 *    critical section that loaded it. Outside, its memory may be freed and
 *    reused for a new descriptor, and the stale pointer would match (ABA on
 *    the pointer itself).
 *
 * ABA on the slot writes (Dechev 2006 leaves it to the user): a helper
 * delayed between reading a pending write and its slot CAS could see the
 * slot go old -> new -> ... -> old and then store a stale value. We pair
 * every slot with the sequence number of the descriptor that wrote it and
 * update both with one 128-bit CAS (secvec_slot.h). We chose this over
 * slots holding pointers to RCU-freed boxes because it keeps a read at two
 * dependent loads plus one for the value, needs no allocation per element
 * and no extra indirection on every get.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fault-inject.h>
#include <linux/random.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "secvec.h"
#include "secvec_desc.h"
#include "secvec_slot.h"
#include "secvec_stat.h"

/*
 * @desc is alone on its cache line: it is the one word every mutation
 * writes, and sharing the line with the bucket table would make every
 * reader's lookup miss after each update.
 */
struct secvec {
	struct secvec_desc __rcu *desc ____cacheline_aligned_in_smp;
	struct secvec_slot *buckets[SECVEC_NR_BUCKETS] ____cacheline_aligned_in_smp;
	u64 max_elements;
	gfp_t gfp;
#if IS_ENABLED(CONFIG_SECVEC_KUNIT_TEST)
	/* Fault injection (tests): let fail_skip allocations pass, then */
	atomic_t fail_skip;	/* fail fail_count of them; and fail each */
	atomic_t fail_count;	/* with probability fail_permille / 1000. */
	unsigned int fail_permille;
#endif
};

/* Set once secvec_core_init() succeeded. */
static bool secvec_core_ready;

DEFINE_PER_CPU(struct secvec_stats, secvec_stats);

/**
 * secvec_stat_read - sum a counter over all CPUs
 * @stat: which counter
 *
 * Not a snapshot: counters move while they are summed.
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

#ifdef CONFIG_FAULT_INJECTION
/*
 * The kernel's fault-injection framework, for every vector's allocations:
 * /sys/kernel/debug/secvec_fail_alloc/ with FAULT_INJECTION_DEBUG_FS.
 */
static DECLARE_FAULT_ATTR(secvec_fail_alloc);
#endif

#if IS_ENABLED(CONFIG_SECVEC_KUNIT_TEST)
/* The per-vector hooks of the KUnit suites (secvec_test_fail_*()). */
static bool secvec_test_alloc_fails(struct secvec *v)
{
	unsigned int permille = READ_ONCE(v->fail_permille);

	if (permille && get_random_u32() % 1000 < permille)
		return true;
	if (likely(!atomic_read(&v->fail_count)))
		return false;
	if (atomic_add_unless(&v->fail_skip, -1, 0))
		return false;
	return atomic_add_unless(&v->fail_count, -1, 0);
}
#else
/* Without the suites, production builds pay nothing per operation. */
static inline bool secvec_test_alloc_fails(struct secvec *v)
{
	return false;
}
#endif

/* Fault injection: true if this allocation must fail. */
static bool secvec_alloc_fails(struct secvec *v)
{
#ifdef CONFIG_FAULT_INJECTION
	if (should_fail(&secvec_fail_alloc, 1))
		return true;
#endif
	return secvec_test_alloc_fails(v);
}

static inline unsigned int secvec_bucket_of(u64 index)
{
	return fls64(index + SECVEC_FBS) - 1 - SECVEC_FBS_SHIFT;
}

/* Only for indexes whose bucket is known to be installed. */
static struct secvec_slot *secvec_slot(struct secvec *v, u64 index)
{
	u64 pos = index + SECVEC_FBS;
	unsigned int hb = fls64(pos) - 1;

	/* Address dependency orders the slot after the bucket pointer. */
	return &READ_ONCE(v->buckets[hb - SECVEC_FBS_SHIFT])[pos ^ (1ULL << hb)];
}

static int secvec_install_bucket(struct secvec *v, unsigned int b)
{
	struct secvec_slot *bucket;

	if (READ_ONCE(v->buckets[b]))
		return 0;
	if (secvec_alloc_fails(v))
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

/* A descriptor for an operation on @v, or NULL (-ENOMEM). */
static struct secvec_desc *secvec_new_desc(struct secvec *v)
{
	if (secvec_alloc_fails(v))
		return NULL;
	return secvec_desc_alloc(v->gfp);
}

/*
 * Store @value with @seq in @s unless a write of @seq or a later one
 * already landed there. Every helper of one descriptor stores the same
 * pair, so whoever wins, the slot ends up right, and a helper that arrives
 * after a newer write (a later descriptor's) finds a higher sequence and
 * backs off: the old -> new -> old ABA cannot fool it.
 */
static void secvec_slot_write(struct secvec_slot *s, u64 value, u64 seq)
{
	struct secvec_slot old, new = { .value = value, .seq = seq };

	for (;;) {
		/*
		 * Acquire: a failed CAS is unordered, and on the next pass
		 * we decide from this sequence that the write has landed.
		 */
		old.seq = smp_load_acquire(&s->seq);
		if (old.seq >= seq)
			return;
		old.value = READ_ONCE(s->value);
		if (secvec_slot_cas(s, &old, &new))
			return;
	}
}

/*
 * Land the writes @d owes and record it on @d. Any thread that read @d may
 * call this, any number of times, concurrently.
 */
static void secvec_complete(struct secvec *v, struct secvec_desc *d,
			    bool owner)
{
	u32 i;

	/* Acquire: pairs with the release below, the writes are visible. */
	if (!d->count || smp_load_acquire(&d->done))
		return;
	for (i = 0; i < d->count; i++)
		secvec_slot_write(secvec_slot(v, d->first + i), d->values[i],
				  d->seq);
	/* Release: the slot writes are visible to whoever sees done. */
	smp_store_release(&d->done, 1);
	if (!owner)
		secvec_stat_inc(SECVEC_STAT_HELP);
}

/*
 * The current descriptor, with its writes completed. Caller holds
 * rcu_read_lock(). The smp_rmb() makes the load an acquire: the caller
 * goes on to read slots written before this descriptor was installed,
 * which no address dependency on the descriptor orders. It pairs with the
 * full barrier of the cmpxchg that installed the descriptor.
 */
static struct secvec_desc *secvec_current(struct secvec *v, bool help)
{
	struct secvec_desc *d = rcu_dereference(v->desc);

	/* Pairs with the cmpxchg in secvec_install(); see above. */
	smp_rmb();
	if (help)
		secvec_complete(v, d, false);
	return d;
}

/*
 * Swap @d for @nd: the linearization point of every mutation. Caller holds
 * the rcu_read_lock() under which it loaded @d (see the ABA rule above).
 * On success the owner lands its own writes and retires @d, which only it
 * can do since only one cmpxchg replaces @d.
 */
static bool secvec_install(struct secvec *v, struct secvec_desc *d,
			   struct secvec_desc *nd, bool finish)
{
	nd->seq = d->seq + 1;
	nd->done = 0;
	if (unrcu_pointer(cmpxchg(&v->desc, RCU_INITIALIZER(d),
				  RCU_INITIALIZER(nd))) != d) {
		secvec_stat_inc(SECVEC_STAT_CAS_RETRY);
		return false;
	}
	if (finish)
		secvec_complete(v, nd, true);
	secvec_desc_retire(d);
	return true;
}

/* Value at @index < d->size, @d being the caller's current descriptor. */
static u64 secvec_read(struct secvec *v, struct secvec_desc *d, u64 index)
{
	/*
	 * A write @d still owes is already part of the vector's state. The
	 * acquire pairs with the release in secvec_complete(): once done is
	 * seen, the slot holds the write.
	 */
	if (index - d->first < d->count && !smp_load_acquire(&d->done))
		return d->values[index - d->first];
	return READ_ONCE(secvec_slot(v, index)->value);
}

/*
 * Install @nd, which owes @nd->count writes, after the current size.
 * Frees @nd (and its values) if it fails.
 */
static int secvec_push_desc(struct secvec *v, struct secvec_desc *nd,
			    u64 *first, bool finish)
{
	u32 n = nd->count;
	struct secvec_desc *d;
	int err, b;

	for (;;) {
		rcu_read_lock();
		d = secvec_current(v, true);
		if (d->size + n > v->max_elements) {
			rcu_read_unlock();
			err = -ENOSPC;
			goto out_free;
		}
		b = secvec_missing_bucket(v, d->size, d->size + n);
		if (b >= 0) {
			/* Allocation may sleep: leave, allocate, start over. */
			rcu_read_unlock();
			err = secvec_install_bucket(v, b);
			if (err)
				goto out_free;
			continue;
		}
		nd->size = d->size + n;
		nd->first = d->size;
		if (secvec_install(v, d, nd, finish)) {
			if (first)
				*first = d->size;
			rcu_read_unlock();
			return 0;
		}
		rcu_read_unlock();
	}

out_free:
	/* Never published: nobody else can hold it. */
	secvec_desc_free(nd);
	return err;
}

static int __secvec_push_many(struct secvec *v, const u64 *values, u32 n,
			      u64 *first, bool finish)
{
	struct secvec_desc *nd;
	u64 *copy;

	if (!n || n > SECVEC_MAX_BATCH)
		return -EINVAL;
	nd = secvec_new_desc(v);
	if (!nd)
		return -ENOMEM;
	if (n == 1) {
		secvec_desc_set_one(nd, values[0]);
	} else {
		copy = secvec_alloc_fails(v) ? NULL :
		       kvmalloc_array(n, sizeof(*copy), v->gfp);
		if (!copy) {
			secvec_desc_free(nd);
			return -ENOMEM;
		}
		memcpy(copy, values, n * sizeof(*copy));
		nd->values = copy;
	}
	nd->count = n;
	return secvec_push_desc(v, nd, first, finish);
}

/**
 * secvec_push_many - append a block of values as one step
 * @v: the vector
 * @values: @n values
 * @n: 1 to SECVEC_MAX_BATCH
 * @first: if not NULL, set to the index of values[0]
 *
 * All or nothing: no other push lands inside the block, and if the block
 * does not fit under max_elements nothing is pushed (-ENOSPC).
 * Linearizes at the cmpxchg that installs its descriptor.
 */
int secvec_push_many(struct secvec *v, const u64 *values, u32 n, u64 *first)
{
	return __secvec_push_many(v, values, n, first, true);
}
EXPORT_SYMBOL_GPL(secvec_push_many);

/**
 * secvec_push_many_owned - secvec_push_many() that adopts its values
 * @v: the vector
 * @values: @n values in memory from kvmalloc(); secvec frees it (kvfree)
 *	whatever the outcome, so the caller must not touch it afterwards
 * @n: 1 to SECVEC_MAX_BATCH
 * @first: if not NULL, set to the index of values[0]
 *
 * For callers that build the block in a buffer of their own anyway (the
 * device copies it from userspace): the descriptor keeps that buffer
 * instead of a copy of it.
 */
int secvec_push_many_owned(struct secvec *v, u64 *values, u32 n, u64 *first)
{
	struct secvec_desc *nd;

	if (!n || n > SECVEC_MAX_BATCH) {
		kvfree(values);
		return -EINVAL;
	}
	nd = secvec_new_desc(v);
	if (!nd) {
		kvfree(values);
		return -ENOMEM;
	}
	if (n == 1) {
		/* Inline, so that the descriptor can go back to the pool. */
		secvec_desc_set_one(nd, values[0]);
		kvfree(values);
	} else {
		nd->values = values;
	}
	nd->count = n;
	return secvec_push_desc(v, nd, first, true);
}
EXPORT_SYMBOL_GPL(secvec_push_many_owned);

int secvec_push(struct secvec *v, u64 value, u64 *index)
{
	return __secvec_push_many(v, &value, 1, index, true);
}
EXPORT_SYMBOL_GPL(secvec_push);

/**
 * secvec_pop_many_commit - remove up to @n values from the tail as one step
 * @v: the vector
 * @buf: room for @n values, filled in index order
 * @n: 1 to SECVEC_MAX_BATCH
 * @popped: set to how many were removed (at most @n, at least 1)
 * @first: if not NULL, set to the index of buf[0]
 * @commit: if not NULL, called with the values before the pop commits
 * @ctx: passed to @commit
 *
 * Linearizes at the cmpxchg that installs its descriptor. The values read
 * are those of the descriptor the cmpxchg replaces: its writes are
 * complete and no slot below its size changes while it is current.
 */
int secvec_pop_many_commit(struct secvec *v, u64 *buf, u32 n, u32 *popped,
			   u64 *first, secvec_commit_fn commit, void *ctx)
{
	struct secvec_desc *d, *nd;
	u64 start, k, i;
	int err;

	if (!n || n > SECVEC_MAX_BATCH)
		return -EINVAL;
	nd = secvec_new_desc(v);
	if (!nd)
		return -ENOMEM;

	for (;;) {
		rcu_read_lock();
		d = secvec_current(v, true);
		if (!d->size) {
			err = -ENODATA;
			break;
		}
		k = min_t(u64, n, d->size);
		start = d->size - k;
		for (i = 0; i < k; i++)
			buf[i] = READ_ONCE(secvec_slot(v, start + i)->value);
		if (commit) {
			err = commit(ctx, buf, k, start);
			if (err)
				break;
		}
		nd->size = start;
		if (secvec_install(v, d, nd, true)) {
			rcu_read_unlock();
			*popped = k;
			if (first)
				*first = start;
			return 0;
		}
		rcu_read_unlock();
	}
	rcu_read_unlock();
	secvec_desc_free(nd);
	return err;
}
EXPORT_SYMBOL_GPL(secvec_pop_many_commit);

int secvec_pop_many(struct secvec *v, u64 *out, u32 n, u32 *popped)
{
	return secvec_pop_many_commit(v, out, n, popped, NULL, NULL, NULL);
}
EXPORT_SYMBOL_GPL(secvec_pop_many);

int secvec_pop(struct secvec *v, u64 *value)
{
	u32 popped;

	return secvec_pop_many_commit(v, value, 1, &popped, NULL, NULL, NULL);
}
EXPORT_SYMBOL_GPL(secvec_pop);

/**
 * secvec_set - overwrite the value at @index
 * @v: the vector
 * @index: below the size, else -ERANGE
 * @value: the new value
 *
 * Unlike the paper's plain store, which can be lost or land in a popped
 * slot, set goes through a descriptor like push and linearizes at the
 * cmpxchg that installs it.
 */
int secvec_set(struct secvec *v, u64 index, u64 value)
{
	struct secvec_desc *d, *nd;

	nd = secvec_new_desc(v);
	if (!nd)
		return -ENOMEM;
	secvec_desc_set_one(nd, value);
	nd->count = 1;
	nd->first = index;

	for (;;) {
		rcu_read_lock();
		d = secvec_current(v, true);
		if (index >= d->size)
			break;
		nd->size = d->size;
		if (secvec_install(v, d, nd, true)) {
			rcu_read_unlock();
			return 0;
		}
		rcu_read_unlock();
	}
	rcu_read_unlock();
	secvec_desc_free(nd);
	return -ERANGE;
}
EXPORT_SYMBOL_GPL(secvec_set);

/**
 * secvec_clear - make the vector empty
 * @v: the vector
 *
 * Buckets stay allocated for the pushes to come.
 */
int secvec_clear(struct secvec *v)
{
	struct secvec_desc *d, *nd;
	bool ok;

	nd = secvec_new_desc(v);
	if (!nd)
		return -ENOMEM;
	nd->size = 0;
	do {
		rcu_read_lock();
		d = secvec_current(v, true);
		ok = secvec_install(v, d, nd, true);
		rcu_read_unlock();
	} while (!ok);
	return 0;
}
EXPORT_SYMBOL_GPL(secvec_clear);

/**
 * secvec_get_range - read up to @n values starting at @first
 * @v: the vector
 * @first: below the size, else -ERANGE
 * @out: room for @n values
 * @n: 1 to SECVEC_MAX_BATCH
 * @got: set to how many were read (up to the size seen)
 *
 * Each value is read as secvec_get() reads it; the range is not a snapshot.
 */
int secvec_get_range(struct secvec *v, u64 first, u64 *out, u32 n, u32 *got)
{
	struct secvec_desc *d;
	u64 i, k;

	if (!n || n > SECVEC_MAX_BATCH)
		return -EINVAL;
	rcu_read_lock();
	d = secvec_current(v, false);
	if (first >= d->size) {
		rcu_read_unlock();
		return -ERANGE;
	}
	k = min_t(u64, n, d->size - first);
	for (i = 0; i < k; i++)
		out[i] = secvec_read(v, d, first + i);
	rcu_read_unlock();
	*got = k;
	return 0;
}
EXPORT_SYMBOL_GPL(secvec_get_range);

/**
 * secvec_get - read the value at @index
 * @v: the vector
 * @index: below the size, else -ERANGE
 * @value: set to the value
 *
 * Wait-free: no retry, no help. Linearization: if the value comes from the
 * current descriptor's pending write, or from a slot no later descriptor
 * has written, at the load of the descriptor; if a later descriptor wrote
 * the slot before we read it, at that descriptor's install, which lies
 * within this call and had @index below its size.
 */
int secvec_get(struct secvec *v, u64 index, u64 *value)
{
	struct secvec_desc *d;
	int err = 0;

	rcu_read_lock();
	d = secvec_current(v, false);
	if (index < d->size)
		*value = secvec_read(v, d, index);
	else
		err = -ERANGE;
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(secvec_get);

/* Linearizes at the load of the descriptor. */
u64 secvec_size(struct secvec *v)
{
	u64 size;

	rcu_read_lock();
	size = rcu_dereference(v->desc)->size;
	rcu_read_unlock();
	return size;
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
	struct secvec_desc *d;
	struct secvec *v;

	/* Built in, callers can outlive a failed secvec_core_init(). */
	if (!secvec_core_ready)
		return ERR_PTR(-ENODEV);
	if (!max_elements || max_elements > SECVEC_MAX_ELEMENTS)
		return ERR_PTR(-EINVAL);
	v = kzalloc(sizeof(*v), gfp);
	if (!v)
		return ERR_PTR(-ENOMEM);
	v->max_elements = max_elements;
	v->gfp = gfp;
	d = secvec_new_desc(v);
	if (!d) {
		kfree(v);
		return ERR_PTR(-ENOMEM);
	}
	d->size = 0;
	d->seq = 0;	/* below every write's sequence: slots start at 0 */
	d->done = 1;
	RCU_INIT_POINTER(v->desc, d);
	return v;
}
EXPORT_SYMBOL_GPL(secvec_create);

/**
 * secvec_destroy - free a vector
 * @v: the vector, with no operation running on it now or later
 *
 * Frees the current descriptor and the buckets now. Retired descriptors
 * do not point at @v and are freed by their RCU callbacks; the owner of
 * the descriptor cache waits for those with rcu_barrier().
 */
void secvec_destroy(struct secvec *v)
{
	unsigned int b;

	if (!v)
		return;
	secvec_desc_free(rcu_dereference_protected(v->desc, true));
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

	if (!secvec_has_slot_cas()) {
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

#if IS_ENABLED(CONFIG_SECVEC_KUNIT_TEST)
void secvec_test_fail_allocs(struct secvec *v, int skip, int n)
{
	atomic_set(&v->fail_skip, skip);
	atomic_set(&v->fail_count, n);
}
EXPORT_SYMBOL_GPL(secvec_test_fail_allocs);

void secvec_test_fail_randomly(struct secvec *v, unsigned int permille)
{
	WRITE_ONCE(v->fail_permille, permille);
}
EXPORT_SYMBOL_GPL(secvec_test_fail_randomly);

#ifdef CONFIG_FAULT_INJECTION
struct fault_attr *secvec_test_fault_attr(void)
{
	return &secvec_fail_alloc;
}
EXPORT_SYMBOL_GPL(secvec_test_fault_attr);
#endif

/* A push whose owner stalls right after its cmpxchg: the write is owed. */
int secvec_test_push_unfinished(struct secvec *v, u64 value, u64 *index)
{
	return __secvec_push_many(v, &value, 1, index, false);
}
EXPORT_SYMBOL_GPL(secvec_test_push_unfinished);

/*
 * What a helper reads of the current descriptor's first pending write
 * before its slot CAS: the target, the new value and its sequence, and the
 * slot's value, which is all Dechev's value-only CAS compares.
 */
bool secvec_test_capture_write(struct secvec *v, struct secvec_test_write *w)
{
	struct secvec_desc *d;
	bool pending;

	rcu_read_lock();
	d = secvec_current(v, false);
	/* Acquire, as in secvec_read(). */
	pending = d->count && !smp_load_acquire(&d->done);
	if (pending) {
		w->index = d->first;
		w->old = READ_ONCE(secvec_slot(v, d->first)->value);
		w->value = d->values[0];
		w->seq = d->seq;
	}
	rcu_read_unlock();
	return pending;
}
EXPORT_SYMBOL_GPL(secvec_test_capture_write);

/*
 * The delayed helper's slot CAS: secvec's own (value and sequence), or, if
 * @naive, the paper's CAS on the value alone, kept to show the ABA bite.
 */
void secvec_test_replay_write(struct secvec *v,
			      const struct secvec_test_write *w, bool naive)
{
	struct secvec_slot *s = secvec_slot(v, w->index);

	if (naive)
		cmpxchg64(&s->value, w->old, w->value);
	else
		secvec_slot_write(s, w->value, w->seq);
}
EXPORT_SYMBOL_GPL(secvec_test_replay_write);

const void *secvec_test_bucket(struct secvec *v, unsigned int b)
{
	return b < SECVEC_NR_BUCKETS ? READ_ONCE(v->buckets[b]) : NULL;
}
EXPORT_SYMBOL_GPL(secvec_test_bucket);

/* The current descriptor's address, only to compare: never dereference. */
const void *secvec_test_desc(struct secvec *v)
{
	return rcu_access_pointer(v->desc);
}
EXPORT_SYMBOL_GPL(secvec_test_desc);
#endif
