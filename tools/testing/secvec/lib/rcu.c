// SPDX-License-Identifier: GPL-2.0
/*
 * call_rcu(), rcu_barrier() and synchronize_rcu() on liburcu-memb, with
 * the happens-before edges of a grace period spelt out for
 * ThreadSanitizer, which cannot see liburcu's barriers:
 *  - every rcu_read_unlock() releases shim_rcu_readers;
 *  - a callback acquires its call_rcu() caller's release and
 *    shim_rcu_readers before it runs, so it is ordered after every
 *    read-side section that ended before it started; a reader still inside
 *    its section is not covered, and a free under its feet is reported;
 *  - every callback releases shim_rcu_callbacks, which rcu_barrier()
 *    acquires.
 * Without TSan these are no-ops and call_rcu() costs one indirect call
 * more than liburcu's.
 */
#include <stdlib.h>

#include <linux/rcupdate.h>

#if SHIM_TSAN
char shim_rcu_readers, shim_rcu_callbacks;
#define shim_release(a)	__tsan_release(a)
#define shim_acquire(a)	__tsan_acquire(a)
#else
#define shim_release(a)	do { } while (0)
#define shim_acquire(a)	do { } while (0)
#endif

static void shim_rcu_callback(struct urcu_rcu_head *urcu)
{
	struct rcu_head *head = container_of(urcu, struct rcu_head, urcu);

	shim_acquire(head);
	shim_acquire(&shim_rcu_readers);
	head->func(head);
	shim_release(&shim_rcu_callbacks);
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	shim_release(head);
	urcu_memb_call_rcu(&head->urcu, shim_rcu_callback);
}

void rcu_barrier(void)
{
	urcu_memb_barrier();
	shim_acquire(&shim_rcu_callbacks);
}

void synchronize_rcu(void)
{
	urcu_memb_synchronize_rcu();
	shim_acquire(&shim_rcu_readers);
}

/*
 * Polled grace periods. start_poll_synchronize_rcu() closes the current
 * epoch e (the counter moves to e + 1) and returns e; a callback queued
 * right after marks e done. Whatever was unlinked before the caller asked
 * for its cookie was unlinked before the close, hence before that
 * callback's grace period began: once e is done, no reader can still
 * hold it. Epochs may finish out of order; the done mark only grows, and a
 * later epoch's end covers every earlier one for the same reason.
 */
static unsigned long shim_epoch = 1, shim_epoch_done;

struct shim_epoch_end {
	struct rcu_head rcu;
	unsigned long epoch;
};

static void shim_epoch_ended(struct rcu_head *head)
{
	struct shim_epoch_end *end = container_of(head, struct shim_epoch_end,
						  rcu);
	unsigned long done = __atomic_load_n(&shim_epoch_done,
					     __ATOMIC_RELAXED);

	/* Release: pairs with the acquire in poll_state_synchronize_rcu(). */
	while (done < end->epoch &&
	       !__atomic_compare_exchange_n(&shim_epoch_done, &done,
					    end->epoch, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	free(end);
}

unsigned long start_poll_synchronize_rcu(void)
{
	struct shim_epoch_end *end = malloc(sizeof(*end));
	unsigned long epoch;

	if (!end)
		abort();
	epoch = __atomic_fetch_add(&shim_epoch, 1, __ATOMIC_SEQ_CST);
	end->epoch = epoch;
	/* From here the callback may run and free @end at any time. */
	call_rcu(&end->rcu, shim_epoch_ended);
	return epoch;
}

bool poll_state_synchronize_rcu(unsigned long cookie)
{
	return __atomic_load_n(&shim_epoch_done, __ATOMIC_ACQUIRE) >= cookie;
}
