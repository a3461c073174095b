// SPDX-License-Identifier: GPL-2.0
/*
 * secvec test hooks, built only with the KUnit suites (secvec.h): they let
 * a test play a delayed helper deterministically and look at the state.
 */
#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/rcupdate.h>

#include "secvec.h"
#include "secvec_core.h"
#include "secvec_desc.h"

#if IS_ENABLED(CONFIG_SECVEC_KUNIT_TEST)
/* A push whose owner stalls right after its CAS: the write is owed. */
int secvec_test_push_unfinished(struct secvec *v, u64 value, u64 *index)
{
	return __secvec_push(v, value, index, false);
}
EXPORT_SYMBOL_GPL(secvec_test_push_unfinished);

/*
 * What a helper reads of the state's first owed write before its slot
 * CAS: the target, the new value, the tag it expects, and the slot's
 * value, which is all Dechev's value-only CAS compares.
 */
bool secvec_test_capture_write(struct secvec *v, struct secvec_test_write *w)
{
	struct secvec_state st;
	struct secvec_desc *d;
	u64 expect, mask;
	bool owed = false;

	rcu_read_lock_sched();
	secvec_load(v, &st);
	switch (secvec_mode_of(st.meta)) {
	case SECVEC_PUSHED:
		w->index = secvec_size_of(st.meta) - 1;
		w->value = st.word;
		expect = secvec_stamp_of(st.meta);
		mask = SECVEC_STAMP_MASK;
		break;
	case SECVEC_DESC:
		d = secvec_desc_of(&st);
		w->index = d->first;
		w->value = d->values[0];
		expect = d->tags[0];
		mask = U64_MAX;
		break;
	default:
		goto out;
	}
	/* Not landed yet: the slot still has the tag the write expects. */
	w->tag = READ_ONCE(secvec_slot(v, w->index)->tag);
	w->old = READ_ONCE(secvec_slot(v, w->index)->value);
	owed = !((w->tag ^ expect) & mask);
out:
	rcu_read_unlock_sched();
	return owed;
}
EXPORT_SYMBOL_GPL(secvec_test_capture_write);

/*
 * The delayed helper's slot CAS: secvec's own (value and tag), or, if
 * @naive, the paper's CAS on the value alone, kept to show the ABA bite.
 */
void secvec_test_replay_write(struct secvec *v,
			      const struct secvec_test_write *w, bool naive)
{
	struct secvec_slot *s = secvec_slot(v, w->index);

	if (naive)
		cmpxchg64(&s->value, w->old, w->value);
	else
		secvec_land(s, w->value, w->tag, U64_MAX);
}
EXPORT_SYMBOL_GPL(secvec_test_replay_write);

const void *secvec_test_bucket(struct secvec *v, unsigned int b)
{
	return b < SECVEC_NR_BUCKETS ? READ_ONCE(v->buckets[b]) : NULL;
}
EXPORT_SYMBOL_GPL(secvec_test_bucket);

/*
 * Give slot @index, past the size, the tag @tag, as if it had taken that
 * many writes: lets a test cross the stamp's 35 bits. Only for a test
 * running alone on @v. -EBUSY if @index is below the size, -ERANGE if its
 * bucket is missing.
 */
int secvec_test_set_tag(struct secvec *v, u64 index, u64 tag)
{
	struct secvec_state st;
	struct secvec_slot *s;
	unsigned int b;
	int err = 0;

	rcu_read_lock_sched();
	secvec_load(v, &st);
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
EXPORT_SYMBOL_GPL(secvec_test_set_tag);

/*
 * Make every lander of a batch on @v pause after each @n writes, as if
 * the CPU were always wanted elsewhere (need_resched()) and chunks were
 * @n long; 0 goes back to the real thing.
 */
void secvec_test_land_pause_every(struct secvec *v, u32 n)
{
	WRITE_ONCE(v->test_land_chunk, n);
}
EXPORT_SYMBOL_GPL(secvec_test_land_pause_every);

/*
 * The current descriptor's address (NULL if the state has none), only to
 * compare: never dereference.
 */
const void *secvec_test_desc(struct secvec *v)
{
	struct secvec_state st;

	rcu_read_lock_sched();
	secvec_load(v, &st);
	rcu_read_unlock_sched();
	return secvec_mode_of(st.meta) == SECVEC_DESC ? secvec_desc_of(&st) :
							 NULL;
}
EXPORT_SYMBOL_GPL(secvec_test_desc);
#endif
