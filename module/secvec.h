/* SPDX-License-Identifier: GPL-2.0 */
/*
 * secvec: a lock-free, dynamically resizable vector of 64-bit values.
 *
 * Dechev, Pirkelbauer and Stroustrup, "Lock-free Dynamically Resizable
 * Arrays" (OPODIS 2006), with the ABA problem of its slot writes fixed,
 * and push and pop describing themselves inside a 16-byte state word
 * instead of an allocated descriptor (secvec.c).
 *
 * Concurrency contract
 * --------------------
 * Every operation below may run concurrently with every other one on the
 * same vector, from any context that may sleep, with no lock held by the
 * caller. Never from an interrupt: a uniprocessor build relies on that
 * (secvec_slot.h, which checks it there).
 *
 * What is lock-free: the vector's own synchronisation. No operation waits
 * for another thread to make progress; one that meets an unfinished
 * operation finishes it, and a failed CAS means another operation
 * succeeded. get, get_range, size and capacity take no lock of any kind;
 * nor do push, pop, pop_many and clear, unless a push must allocate a
 * bucket or the operation's CAS replaced a set's or batch's state (it
 * then retires the descriptor). What is not lock-free: the allocations
 * (slab, vmalloc, the memcg charge and call_rcu() take locks of their
 * own), which push, push_many, set and reserve make outside the vector's
 * read-side sections; and the per-CPU descriptor pool that set and
 * push_many take descriptors from and retirement returns them to, behind
 * a local_lock: preemption off, but a sleeping lock on PREEMPT_RT.
 * Only secvec_create() and secvec_destroy() need exclusion: no other call
 * may run on the vector during or after secvec_destroy().
 *
 *            | allocates (may sleep) | linearization point
 * -----------+-----------------------+-------------------------------------
 * push       | bucket, if missing    | the CAS that installs the new size
 * push_many  | a block (values and   | the CAS that installs its descriptor
 *            | tags), descriptor,    |   (the whole block at once)
 *            | buckets               |
 * block_push | descriptor, buckets   | as push_many
 * block_alloc| a block               | -
 * pop(_many) | nothing               | the CAS that installs the new size
 * set        | descriptor            | the CAS that installs its descriptor
 * clear      | nothing               | the CAS that installs size 0
 * get        | nothing               | see secvec_get() in secvec.c
 * get_range  | nothing               | per element, as get; not a snapshot
 * size       | nothing               | the load of the state
 * reserve    | buckets               | -
 * capacity   | nothing               | -
 *
 * Between reading the state and swapping it an operation keeps preemption
 * off (an RCU-sched read-side section); it allocates outside that window.
 * A batch's writes are landed a chunk at a time, and a lander that finds
 * the CPU wanted (need_resched()) between chunks leaves the window, lets
 * the CPU go (cond_resched() if the vector's gfp may block) and starts
 * over: once the CPU is wanted, a window lands at most about a chunk more.
 *
 * Values never move once written: buckets are only freed by
 * secvec_destroy(). Descriptors are reused or freed after an RCU grace
 * period (secvec_desc.c).
 *
 * Errors: -ENODATA pop on empty, -ERANGE index at or past the size, -ENOSPC
 * over the vector's max_elements, -ENOMEM allocation failure, -EINVAL bad
 * argument. On any error the vector is unchanged.
 */
#ifndef _SECVEC_H
#define _SECVEC_H

#include <linux/bits.h>
#include <linux/types.h>
/* SECVEC_BATCH_MAX: the largest n of push_many, pop_many and get_range. */
#include <linux/secvec.h>

struct secvec;

/* Slots in bucket 0; bucket b holds SECVEC_FBS << b slots. */
#define SECVEC_FBS_SHIFT	3
#define SECVEC_FBS		BIT(SECVEC_FBS_SHIFT)

/*
 * A slot is 16 bytes (value + tag) and kvmalloc() refuses more than
 * INT_MAX bytes, so the largest bucket holds 2^26 slots (1 GiB): bucket
 * 23 = FBS << 23. That bounds max_elements.
 */
#define SECVEC_NR_BUCKETS	24
#define SECVEC_MAX_ELEMENTS	((u64)SECVEC_FBS * ((1ULL << SECVEC_NR_BUCKETS) - 1))

struct secvec *secvec_create(u64 max_elements, gfp_t gfp);
void secvec_destroy(struct secvec *v);

int secvec_push(struct secvec *v, u64 value, u64 *index);
int secvec_pop(struct secvec *v, u64 *value);
int secvec_get(struct secvec *v, u64 index, u64 *value);
int secvec_set(struct secvec *v, u64 index, u64 value);
u64 secvec_size(struct secvec *v);
u64 secvec_capacity(struct secvec *v);
u64 secvec_max_elements(struct secvec *v);
int secvec_reserve(struct secvec *v, u64 n);
int secvec_clear(struct secvec *v);

int secvec_push_many(struct secvec *v, const u64 *values, u32 n, u64 *first);
u64 *secvec_block_alloc(struct secvec *v, u32 n);
int secvec_block_push(struct secvec *v, u64 *block, u32 n, u64 *first);
void secvec_block_free(u64 *block);
int secvec_pop_many(struct secvec *v, u64 *out, u32 n, u32 *popped);
int secvec_get_range(struct secvec *v, u64 first, u64 *out, u32 n, u32 *got);

/**
 * typedef secvec_commit_fn - hand popped values over before the pop commits
 * @ctx: the caller's cookie
 * @values: the values about to be popped, in index order
 * @n: how many
 * @first: the index of values[0]
 *
 * Called inside an RCU read-side critical section, possibly several times
 * if the pop retries: it must not sleep (copy to userspace with page faults
 * disabled). A non-zero return aborts the pop, leaves the vector unchanged
 * and is returned by secvec_pop_many_commit().
 */
typedef int (*secvec_commit_fn)(void *ctx, const u64 *values, u32 n,
				u64 first);

int secvec_pop_many_commit(struct secvec *v, u64 *buf, u32 n, u32 *popped,
			   u64 *first, secvec_commit_fn commit, void *ctx);

/* Counters summed over CPUs, for tests, benchmarks and debugging. */
enum secvec_stat {
	SECVEC_STAT_DESC_ALLOC,		/* descriptors from the slab */
	SECVEC_STAT_DESC_FREE,		/* descriptors back to the slab */
	SECVEC_STAT_DESC_REUSE,		/* descriptors recycled (per-CPU pool) */
	SECVEC_STAT_BUCKET_ALLOC,	/* buckets installed */
	SECVEC_STAT_BUCKET_FREE,	/* buckets freed */
	SECVEC_STAT_BUCKET_RACE_LOST,	/* bucket allocated, another won */
	SECVEC_STAT_CAS_RETRY,		/* state CAS lost to another op */
	SECVEC_STAT_HELP,		/* another op's slot writes completed */
	SECVEC_STAT_LAND_YIELD,		/* a batch's landing paused for the CPU */
	SECVEC_STAT_LOAD_YIELD,		/* a state load lost while the CPU was wanted */
	SECVEC_STAT_IRQ_CALLER,		/* uniprocessor CAS from an interrupt */
	SECVEC_NR_STATS
};

u64 secvec_stat_read(enum secvec_stat stat);

/*
 * Free every descriptor waiting for reuse; no secvec operation may run
 * anywhere meanwhile. Afterwards DESC_FREE == DESC_ALLOC if every vector
 * has been destroyed.
 */
void secvec_quiesce(void);

#endif /* _SECVEC_H */
