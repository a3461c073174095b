// SPDX-License-Identifier: GPL-2.0
/*
 * secvec descriptors: a kmem_cache, and in front of it a per-CPU pool that
 * recycles retired descriptors once a grace period has passed.
 *
 * Every set publishes one descriptor and retires one (push, pop and clear
 * need none, see secvec.c). Freeing each retired descriptor through
 * call_rcu() and allocating the next from the slab cost more than the
 * rest of a set (the slab's slow free from the RCU callback, the callback
 * queueing and the irq toggling around both). Instead each CPU keeps
 * three lists:
 *
 *  - retired: descriptors retired since the grace period we wait for began;
 *  - waiting: descriptors retired before @cookie was taken, reusable as
 *    soon as poll_state_synchronize_rcu(@cookie) says that grace period
 *    has ended;
 *  - free: reusable now.
 *
 * One grace period is waited for at a time per CPU: when it ends, waiting
 * moves to free and retired becomes the new waiting list, with a cookie
 * from start_poll_synchronize_rcu() (which makes sure that a grace period
 * is under way, as call_rcu() would). Nothing blocks: an empty free list
 * falls back to the slab.
 *
 * Why reuse is safe: a descriptor joins a list only after the cmpxchg that
 * unlinked it, and leaves waiting only after a full grace period that
 * began after that; every reader that could have loaded it has left its
 * read-side section by then. This is the guarantee call_rcu() gives, so
 * the rules of secvec.c (compare a descriptor pointer only inside the
 * section that loaded it) keep the pointer free of ABA exactly as before.
 *
 * The lists are touched only from task context with interrupts on and
 * the CPU's local_lock held (secvec_quiesce() empties each CPU's lists on
 * that CPU); elsewhere, or once too many wait, descriptors take the slab
 * and call_rcu() path. A batch descriptor that still holds its block
 * also takes that path, which frees them together: a helper or reader
 * has been at the block, or its owner had not taken it back yet when
 * the descriptor was retired (enum secvec_block). Most batches' owners
 * free their block themselves, and their descriptors are pooled like a
 * set's.
 *
 * Memory held per CPU: at most SECVEC_POOL_MAX_FREE reusable descriptors
 * plus one batch, and SECVEC_POOL_MAX_RETIRED in each of waiting and
 * retired (what call_rcu() would have queued meanwhile).
 */
#include <linux/cpu.h>
#include <linux/export.h>
/* These first: local_lock.h uses them without including them (UML). */
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/local_lock.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "secvec.h"
#include "secvec_desc.h"
#include "secvec_stat.h"

/* Reusable descriptors one CPU keeps before it stops adding batches. */
#define SECVEC_POOL_MAX_FREE	1024
/* Retired ones one CPU holds for a grace period; beyond, call_rcu(). */
#define SECVEC_POOL_MAX_RETIRED	8192

struct secvec_desc_list {
	struct secvec_desc *head;
	struct secvec_desc *tail;	/* valid while n > 0 */
	unsigned int n;
};

struct secvec_desc_pool {
	local_lock_t lock;
	struct secvec_desc_list free;
	struct secvec_desc_list waiting;
	struct secvec_desc_list retired;
	unsigned long cookie;	/* waiting is reusable once it has elapsed */
};

static DEFINE_PER_CPU(struct secvec_desc_pool, secvec_desc_pools) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

static struct kmem_cache *secvec_desc_cache;

static void secvec_desc_list_add(struct secvec_desc_list *l,
				 struct secvec_desc *d)
{
	if (!l->n)
		l->tail = d;
	d->next = l->head;
	l->head = d;
	l->n++;
}

static struct secvec_desc *secvec_desc_list_take(struct secvec_desc_list *l)
{
	struct secvec_desc *d = l->head;

	if (d) {
		l->head = d->next;
		l->n--;
	}
	return d;
}

/* Move all of @from to the front of @to, leaving @from empty. */
static void secvec_desc_list_splice(struct secvec_desc_list *from,
				    struct secvec_desc_list *to)
{
	if (!from->n)
		return;
	from->tail->next = to->head;
	if (!to->n)
		to->tail = from->tail;
	to->head = from->head;
	to->n += from->n;
	from->head = NULL;
	from->n = 0;
}

/* Free @d's block, if any: it goes back to being a clean descriptor. */
static void secvec_desc_drop_block(struct secvec_desc *d)
{
	if (secvec_desc_has_block(d))
		kvfree(d->buf);
	d->buf = NULL;
}

static void secvec_desc_destroy(struct secvec_desc *d)
{
	secvec_desc_drop_block(d);
	kmem_cache_free(secvec_desc_cache, d);
	secvec_stat_inc(SECVEC_STAT_DESC_FREE);
}

static void secvec_desc_destroy_list(struct secvec_desc *d)
{
	struct secvec_desc *next;

	for (; d; d = next) {
		next = d->next;
		secvec_desc_destroy(d);
	}
}

static void secvec_desc_destroy_rcu(struct rcu_head *head)
{
	secvec_desc_destroy(container_of(head, struct secvec_desc, rcu));
}

/*
 * The pool serves tasks with interrupts on (start_poll_synchronize_rcu()
 * wants them on); other contexts take the slab and call_rcu() path, so
 * an interrupt never finds a task's list half changed.
 */
static bool secvec_pool_usable(void)
{
	return in_task() && !irqs_disabled();
}

/*
 * If the grace period @p waits for has ended, make its descriptors
 * reusable, and start one for those retired since. A free list already
 * at SECVEC_POOL_MAX_FREE leaves the batch waiting: the free list holds
 * at most that plus one batch, and nothing is freed under the lock (nor,
 * from secvec_desc_retire(), inside the caller's read-side section).
 */
static void secvec_pool_advance(struct secvec_desc_pool *p)
{
	if (p->free.n >= SECVEC_POOL_MAX_FREE)
		return;
	if (p->waiting.n) {
		if (!poll_state_synchronize_rcu(p->cookie))
			return;
		secvec_desc_list_splice(&p->waiting, &p->free);
	}
	if (p->retired.n) {
		secvec_desc_list_splice(&p->retired, &p->waiting);
		/* After the move: the cookie must postdate every unlink. */
		p->cookie = start_poll_synchronize_rcu();
	}
}

struct secvec_desc *secvec_desc_alloc(gfp_t gfp)
{
	struct secvec_desc *d = NULL;
	struct secvec_desc_pool *p;
	/*
	 * Tiny RCU (one CPU, no preemption): nobody can be inside a
	 * read-side section while a task outside one runs, so such a task
	 * is a grace period by itself, and Tiny RCU's synchronize_rcu()
	 * only moves the counter that polled cookies compare with. A
	 * caller that may block is outside any read-side section; once it
	 * has called synchronize_rcu(), everything retired so far is
	 * reusable, and nothing else runs on this CPU before the lock is
	 * taken. Without this, a task that never schedules would never see
	 * a batch become reusable.
	 */
	bool tiny_gp = IS_ENABLED(CONFIG_TINY_RCU) &&
		       gfpflags_allow_blocking(gfp);

	if (secvec_pool_usable()) {
		if (tiny_gp)
			synchronize_rcu();
		local_lock(&secvec_desc_pools.lock);
		p = this_cpu_ptr(&secvec_desc_pools);
		if (!p->free.n && tiny_gp) {
			secvec_desc_list_splice(&p->waiting, &p->free);
			secvec_desc_list_splice(&p->retired, &p->free);
		} else if (!p->free.n) {
			secvec_pool_advance(p);
		}
		d = secvec_desc_list_take(&p->free);
		local_unlock(&secvec_desc_pools.lock);
	}
	if (d) {
		secvec_stat_inc(SECVEC_STAT_DESC_REUSE);
	} else {
		d = kmem_cache_alloc(secvec_desc_cache, gfp);
		if (!d)
			return NULL;
		secvec_stat_inc(SECVEC_STAT_DESC_ALLOC);
	}
	/*
	 * Pooled ones have no block: it went before they were pooled, or
	 * their owner took it back (@buf is stale then).
	 */
	d->buf = NULL;
	d->block = SECVEC_BLOCK_OWNER;
	d->first = 0;
	d->count = 0;
	d->values = NULL;
	d->tags = NULL;
	d->done = 0;
	d->landed = 0;
	return d;
}

void secvec_desc_free(struct secvec_desc *d)
{
	struct secvec_desc_pool *p;
	bool pooled = false;

	secvec_desc_drop_block(d);
	if (secvec_pool_usable()) {
		local_lock(&secvec_desc_pools.lock);
		p = this_cpu_ptr(&secvec_desc_pools);
		if (p->free.n < SECVEC_POOL_MAX_FREE) {
			secvec_desc_list_add(&p->free, d);
			pooled = true;
		}
		local_unlock(&secvec_desc_pools.lock);
	}
	if (!pooled)
		secvec_desc_destroy(d);
}

void secvec_desc_retire(struct secvec_desc *d)
{
	struct secvec_desc_pool *p;
	bool pooled = false;

	/* A block it still holds is freed with it, by the callback. */
	if (secvec_pool_usable() && !secvec_desc_has_block(d)) {
		local_lock(&secvec_desc_pools.lock);
		p = this_cpu_ptr(&secvec_desc_pools);
		if (p->retired.n < SECVEC_POOL_MAX_RETIRED) {
			secvec_desc_list_add(&p->retired, d);
			pooled = true;
			/*
			 * Every 16 retirements: start a grace period for them
			 * if none is awaited, else see whether it ended. An
			 * allocation that finds the free list empty does the
			 * same, so a short batch never waits for long.
			 */
			if (!(p->retired.n & 15))
				secvec_pool_advance(p);
		}
		local_unlock(&secvec_desc_pools.lock);
	}
	if (!pooled)
		call_rcu(&d->rcu, secvec_desc_destroy_rcu);
}

/* Take all of @p's lists; only with @p's lock held or its CPU offline. */
static void secvec_pool_take_all(struct secvec_desc_pool *p,
				 struct secvec_desc_list *all)
{
	secvec_desc_list_splice(&p->free, all);
	secvec_desc_list_splice(&p->waiting, all);
	secvec_desc_list_splice(&p->retired, all);
}

/* On each CPU: empty its pool under its lock, free after a grace period. */
static void secvec_pool_drain(struct work_struct *work)
{
	struct secvec_desc_list all = { };

	local_lock(&secvec_desc_pools.lock);
	secvec_pool_take_all(this_cpu_ptr(&secvec_desc_pools), &all);
	local_unlock(&secvec_desc_pools.lock);
	/* Readers may still hold the waiting and retired ones. */
	synchronize_rcu();
	secvec_desc_destroy_list(all.head);
}

static DEFINE_PER_CPU(struct work_struct, secvec_drain_works);
/* One quiesce at a time: they share the per-CPU work items. */
static DEFINE_MUTEX(secvec_quiesce_lock);

/**
 * secvec_quiesce - free every retired and pooled descriptor
 *
 * For module exit and for tests that balance the allocation counters.
 * Safe while other operations run (each CPU's pool is emptied on that CPU
 * under its lock); the counters balance only if none does. May sleep.
 */
void secvec_quiesce(void)
{
	struct secvec_desc_list all = { };
	int cpu;

	/* The descriptors retired through call_rcu(). */
	rcu_barrier();
	mutex_lock(&secvec_quiesce_lock);
	/*
	 * What schedule_on_each_cpu() does (it is not exported): a work
	 * item on each online CPU, hotplug held off until all are done.
	 */
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct work_struct *work = per_cpu_ptr(&secvec_drain_works, cpu);

		INIT_WORK(work, secvec_pool_drain);
		queue_work_on(cpu, system_wq, work);
	}
	for_each_online_cpu(cpu)
		flush_work(per_cpu_ptr(&secvec_drain_works, cpu));
	/* An offline CPU runs nothing: its lists can be taken as they are. */
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu))
			secvec_pool_take_all(per_cpu_ptr(&secvec_desc_pools, cpu),
					     &all);
	cpus_read_unlock();
	mutex_unlock(&secvec_quiesce_lock);
	/* Offline CPUs' lists (rare): after a grace period, as on-line. */
	if (all.n) {
		synchronize_rcu();
		secvec_desc_destroy_list(all.head);
	}
}
EXPORT_SYMBOL_GPL(secvec_quiesce);

int secvec_desc_init(void)
{
	secvec_desc_cache = KMEM_CACHE(secvec_desc, 0);
	return secvec_desc_cache ? 0 : -ENOMEM;
}

void secvec_desc_exit(void)
{
	secvec_quiesce();
	kmem_cache_destroy(secvec_desc_cache);
	secvec_desc_cache = NULL;
}
