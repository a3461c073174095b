// SPDX-License-Identifier: GPL-2.0
/*
 * secvec test hooks (secvec_test.h), built only with the KUnit suites:
 * they let a test play a delayed helper deterministically, stop and fail
 * the core at its test points (secvec_test_points.h) and look at the
 * state.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/export.h>
#include <linux/rcupdate.h>

#include "secvec.h"
#include "secvec_core.h"
#include "secvec_desc.h"
#include "secvec_test.h"

/* The state, however long it takes: the hooks never leave to let the CPU go. */
static void secvec_test_load(struct secvec *v, struct secvec_state *st)
{
	while (!secvec_load(v, st))
		;
}

/*
 * Set secvec_fail_alloc, the fault_attr every vector's allocations go
 * through, for every task: fail @times allocations (-1: no end) once
 * @skip have passed, each with probability @percent. Quietly: a stack
 * dump per failure would flood the log.
 */
static int secvec_test_set_fault(int skip, int times, unsigned long percent)
{
#ifdef CONFIG_FAULT_INJECTION
	struct fault_attr *attr = &secvec_fail_alloc;

	atomic_set(&attr->times, 0);
	attr->verbose = 0;
	attr->interval = 1;
	attr->task_filter = false;
	/* should_fail() lets calls pass while space exceeds their size. */
	atomic_set(&attr->space, skip ? skip + 1 : 0);
	attr->probability = percent;
	atomic_set(&attr->times, times);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

int secvec_test_fail_allocs(int skip, int n)
{
	return secvec_test_set_fault(skip, n, n ? 100 : 0);
}
EXPORT_SYMBOL_NS_GPL(secvec_test_fail_allocs, SECVEC_TEST);

int secvec_test_fail_randomly(unsigned int percent)
{
	return secvec_test_set_fault(0, percent ? -1 : 0, percent);
}
EXPORT_SYMBOL_NS_GPL(secvec_test_fail_randomly, SECVEC_TEST);

/*
 * A push whose owner stalls right after its CAS: the write is owed. The
 * knob is the vector's, so the test must be alone on it.
 */
int secvec_test_push_unfinished(struct secvec *v, u64 value, u64 *index)
{
	int ret;

	WRITE_ONCE(v->test.push_stalls, true);
	ret = secvec_push(v, value, index);
	WRITE_ONCE(v->test.push_stalls, false);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_push_unfinished, SECVEC_TEST);

/*
 * What a helper reads of the state's first owed write before its slot
 * CAS: the target, the new value, the tag it expects and the one it
 * leaves, and the slot's value, which is all Dechev's value-only CAS
 * compares. As a helper does, it looks at meta again after the slot: if
 * the state moved on meanwhile, the slot may hold a newer write, which
 * no helper of this state would go on to CAS, so it reads again.
 */
bool secvec_test_capture_write(struct secvec *v, struct secvec_test_write *w)
{
	struct secvec_state st;
	struct secvec_desc *d;
	bool owed;

again:
	owed = false;
	rcu_read_lock_sched();
	secvec_test_load(v, &st);
	w->meta = st.meta;
	switch (secvec_mode_of(st.meta)) {
	case SECVEC_PUSHED:
		w->index = secvec_size_of(st.meta) - 1;
		w->value = st.word;
		break;
	case SECVEC_DESC:
		d = secvec_desc_of(&st);
		/* Landed, and the owner has freed the block. */
		if (!secvec_desc_share_block(d))
			goto out;
		w->index = d->first;
		w->value = d->values[0];
		w->new_tag = secvec_tag_after(d->tags[0]);
		break;
	default:
		goto out;
	}
	w->tag = READ_ONCE(secvec_slot(v, w->index)->tag);
	w->old = READ_ONCE(secvec_slot(v, w->index)->value);
	/* What a push's helper leaves: its tag if the write has landed. */
	if (secvec_mode_of(st.meta) == SECVEC_PUSHED)
		w->new_tag = secvec_push_tag(w->tag, secvec_stamp_of(st.meta));
	/* Not landed yet: the slot does not have the tag the write leaves. */
	owed = w->tag != w->new_tag;
	/* The slot before the second look at meta. */
	smp_rmb();
	if (READ_ONCE(v->state.meta) != st.meta) {
		rcu_read_unlock_sched();
		goto again;
	}
out:
	rcu_read_unlock_sched();
	return owed;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_capture_write, SECVEC_TEST);

/*
 * The delayed helper's slot CAS: secvec's own, as its landers make it
 * (a push's helper compares the value it read with the tag; a set's or
 * batch's lander reads the slot's value now and compares the tag alone);
 * or, if @naive, the paper's CAS on the value alone, kept to show the
 * ABA bite.
 */
void secvec_test_replay_write(struct secvec *v,
			      const struct secvec_test_write *w, bool naive)
{
	struct secvec_slot *s = secvec_slot(v, w->index);

	/* The CAS runs with preemption off, as in secvec.c (secvec_slot.h). */
	rcu_read_lock_sched();
	if (naive)
		cmpxchg64(&s->value, w->old, w->value);
	else if (secvec_mode_of(w->meta) == SECVEC_PUSHED)
		secvec_slot_cas(s, w->old, w->tag, w->value, w->new_tag);
	else
		secvec_slot_cas(s, READ_ONCE(s->value), w->tag, w->value,
				w->new_tag);
	rcu_read_unlock_sched();
}
EXPORT_SYMBOL_NS_GPL(secvec_test_replay_write, SECVEC_TEST);

/*
 * A push's helper that read the state when @w was captured (a PUSHED
 * state) and only now gets to the slot: secvec's helper, run late.
 */
void secvec_test_help_late(struct secvec *v, const struct secvec_test_write *w)
{
	struct secvec_state st = { .word = w->value, .meta = w->meta };

	if (secvec_mode_of(st.meta) != SECVEC_PUSHED)
		return;
	rcu_read_lock_sched();
	__secvec_help_pushed(v, &st);
	rcu_read_unlock_sched();
}
EXPORT_SYMBOL_NS_GPL(secvec_test_help_late, SECVEC_TEST);

const void *secvec_test_bucket(struct secvec *v, unsigned int b)
{
	return b < SECVEC_NR_BUCKETS ? READ_ONCE(v->buckets[b]) : NULL;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_bucket, SECVEC_TEST);

/*
 * Give slot @index, past the size, the tag @tag, as if a write had left
 * it there. Only for a test running alone on @v. -EBUSY if @index is
 * below the size, -ERANGE if its bucket is missing.
 */
int secvec_test_set_tag(struct secvec *v, u64 index, u64 tag)
{
	struct secvec_state st;
	struct secvec_slot *s;
	unsigned int b;
	int err = 0;

	rcu_read_lock_sched();
	secvec_test_load(v, &st);
	s = secvec_slot_or_null(v, index, &b);
	if (index < secvec_size_of(st.meta))
		err = -EBUSY;
	else if (!s)
		err = -ERANGE;
	else if (!secvec_cas2(&s->value, READ_ONCE(s->value),
			      READ_ONCE(s->tag), READ_ONCE(s->value), tag))
		err = -EBUSY;
	rcu_read_unlock_sched();
	return err;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_set_tag, SECVEC_TEST);

/*
 * Give the state the stamp @stamp, as if @v had been through that many
 * transitions: lets a test cross the stamps' 35 bits. Only for a test
 * running alone on @v, in a settled state (else -EBUSY).
 */
int secvec_test_set_stamp(struct secvec *v, u64 stamp)
{
	struct secvec_state st;
	int err = -EBUSY;

	rcu_read_lock_sched();
	secvec_test_load(v, &st);
	if (secvec_mode_of(st.meta) == SECVEC_SETTLED &&
	    secvec_cas(&v->state.meta, st.meta,
		       secvec_meta(secvec_size_of(st.meta), SECVEC_SETTLED,
				   stamp)))
		err = 0;
	rcu_read_unlock_sched();
	return err;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_set_stamp, SECVEC_TEST);

/*
 * Make every lander of a batch on @v pause after each @n writes, as if
 * the CPU were always wanted elsewhere (need_resched()) and chunks were
 * @n long, and every state load give up after a round it lost; 0 goes
 * back to the real thing.
 */
void secvec_test_land_pause_every(struct secvec *v, u32 n)
{
	WRITE_ONCE(v->test.land_chunk, n);
}
EXPORT_SYMBOL_NS_GPL(secvec_test_land_pause_every, SECVEC_TEST);

/*
 * Have every set or batch owner on @v call @fn (NULL: nobody) right after
 * the CAS that installed its descriptor, before it lands a write; inside
 * its read-side section, so @fn must not sleep. What @fn captures of the
 * owed write (secvec_test_capture_write()) is what a helper that met the
 * descriptor then, or the owner itself, holds before its slot CAS.
 */
void secvec_test_on_installed(struct secvec *v,
			      void (*fn)(struct secvec *v))
{
	WRITE_ONCE(v->test.stop[SECVEC_STOP_INSTALLED], fn);
}
EXPORT_SYMBOL_NS_GPL(secvec_test_on_installed, SECVEC_TEST);

/*
 * Have every state load on @v call @fn (NULL: nobody) between its read of
 * word and its second look at meta, inside the caller's read-side
 * section: @fn must not sleep, and if it loads the state itself it must
 * first take itself off.
 */
void secvec_test_on_load(struct secvec *v, void (*fn)(struct secvec *v))
{
	WRITE_ONCE(v->test.stop[SECVEC_STOP_LOAD], fn);
}
EXPORT_SYMBOL_NS_GPL(secvec_test_on_load, SECVEC_TEST);

/* The stamp of @v's state now (see "ABA on the state" in secvec.c). */
u64 secvec_test_stamp(struct secvec *v)
{
	return secvec_stamp_of(READ_ONCE(v->state.meta));
}
EXPORT_SYMBOL_NS_GPL(secvec_test_stamp, SECVEC_TEST);

/*
 * Have every batch owner on @v call @fn (NULL: nobody) once it has landed
 * all its writes, before it takes its block back; inside its read-side
 * section, so @fn must not sleep.
 */
void secvec_test_on_landed(struct secvec *v, void (*fn)(struct secvec *v))
{
	WRITE_ONCE(v->test.stop[SECVEC_STOP_LANDED], fn);
}
EXPORT_SYMBOL_NS_GPL(secvec_test_on_landed, SECVEC_TEST);

/*
 * The current state's descriptor, or NULL. Caller is in a read-side
 * section, and the pointer is good only inside it.
 */
static struct secvec_desc *secvec_test_load_desc(struct secvec *v)
{
	struct secvec_state st;

	secvec_test_load(v, &st);
	return secvec_mode_of(st.meta) == SECVEC_DESC ? secvec_desc_of(&st) :
							 NULL;
}

/*
 * A lander of the current batch that read its mark when it was @from and
 * stalled: it lands from there now, as far as it goes before it pauses,
 * and records its mark. Returns true if nothing was owed or it landed
 * the rest; -ENOENT if the state has no descriptor.
 */
int secvec_test_land_late(struct secvec *v, u32 from)
{
	struct secvec_desc *d;
	int ret;

	rcu_read_lock_sched();
	d = secvec_test_load_desc(v);
	ret = d ? __secvec_land_desc_from(v, d, from) : -ENOENT;
	rcu_read_unlock_sched();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_land_late, SECVEC_TEST);

/* The current descriptor's landed mark, or -ENOENT if there is none. */
int secvec_test_landed_mark(struct secvec *v)
{
	struct secvec_desc *d;
	int ret;

	rcu_read_lock_sched();
	d = secvec_test_load_desc(v);
	ret = d ? READ_ONCE(d->landed) : -ENOENT;
	rcu_read_unlock_sched();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_landed_mark, SECVEC_TEST);

/*
 * Does the current descriptor still hold a batch's block, to be freed
 * with it after a grace period? False if there is none, or if its owner
 * took the block back (enum secvec_block).
 */
bool secvec_test_block_kept(struct secvec *v)
{
	struct secvec_desc *d;
	bool kept;

	rcu_read_lock_sched();
	d = secvec_test_load_desc(v);
	kept = d && secvec_desc_has_block(d);
	rcu_read_unlock_sched();
	return kept;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_block_kept, SECVEC_TEST);

/*
 * The current descriptor's address (NULL if the state has none), only to
 * compare: never dereference.
 */
const void *secvec_test_desc(struct secvec *v)
{
	const void *d;

	rcu_read_lock_sched();
	d = secvec_test_load_desc(v);
	rcu_read_unlock_sched();
	return d;
}
EXPORT_SYMBOL_NS_GPL(secvec_test_desc, SECVEC_TEST);
