// SPDX-License-Identifier: GPL-2.0
/*
 * secvec KUnit: the ABA interleavings of a delayed helper or lander, the
 * slot tags across the stamps' wrap, and helping an unfinished push.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>

#include "secvec_kunit.h"

#define OLD	7ULL	/* the value that comes back at the index */
#define NEW	99ULL	/* the value the stale helper would write */

/*
 * The helper kthread: reads the pending write (index, value, the slot tag
 * it expects and the slot's current value, all Dechev's CAS looks at),
 * then stalls until released, then performs its slot CAS with what it
 * read.
 */
struct stalled_helper {
	struct secvec *v;
	bool naive;
	bool captured;
	struct completion has_read;
	struct completion release;
	struct completion finished;
};

static int stalled_helper_fn(void *arg)
{
	struct stalled_helper *h = arg;
	struct secvec_test_write w;

	h->captured = secvec_test_capture_write(h->v, &w);
	complete(&h->has_read);
	wait_for_completion(&h->release);
	if (h->captured)
		secvec_test_replay_write(h->v, &w, h->naive);
	complete(&h->finished);
	return 0;
}

/*
 * push OLD, pop; push NEW whose owner stalls before its slot write; a
 * helper reads that pending write and stalls too. Meanwhile this thread
 * pops NEW (helping the write in), pushes OLD, pops it and pushes OLD
 * again: the slot holds OLD once more. Then the helper is released.
 * Returns the value at index 0 afterwards: OLD if the stale CAS failed.
 */
static u64 aba_scenario(struct kunit *test, bool naive)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	struct stalled_helper h = { .v = v, .naive = naive };
	struct task_struct *task;
	u64 index, value;

	init_completion(&h.has_read);
	init_completion(&h.release);
	init_completion(&h.finished);

	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, OLD, &index));
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, &index));
	KUNIT_ASSERT_EQ(test, 0, index);

	task = kthread_run(stalled_helper_fn, &h, "secvec_aba");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&h.has_read);
	if (!h.captured) {
		complete(&h.release);
		wait_for_completion(&h.finished);
		KUNIT_FAIL_AND_ABORT(test, "no pending write to capture");
	}

	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, NEW, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, OLD, NULL));
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, OLD, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, OLD, NULL));

	complete(&h.release);
	wait_for_completion(&h.finished);

	/* Move on so that index 0 is read from its slot, not the state. */
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 5, NULL));
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 0, &value));
	return value;
}

/* The scenario is real: the paper's value-only CAS writes NEW back. */
static void secvec_test_aba_naive_cas_corrupts(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, NEW, aba_scenario(test, true),
			    "the interleaving did not reproduce the ABA");
}

/* secvec's CAS on { value, tag } refuses the stale write. */
static void secvec_test_aba_tag_stops_stale_helper(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, OLD, aba_scenario(test, false));
}

/* A push whose owner stalls is completed by the next operation. */
static void secvec_test_unfinished_push_is_helped(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	u64 helps = secvec_stat_read(SECVEC_STAT_HELP);
	u64 index, value;

	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 1, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, &index));
	KUNIT_EXPECT_EQ(test, 1, index);
	/* Already part of the state: get reads the owed write. */
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 1, &value));
	KUNIT_EXPECT_EQ(test, NEW, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 2, NULL));
	KUNIT_EXPECT_EQ(test, helps + 1, secvec_stat_read(SECVEC_STAT_HELP));
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 1, &value));
	KUNIT_EXPECT_EQ(test, NEW, value);
}

/*
 * A helper that read a completed write late must not touch a newer one:
 * the Rust crate's helper cleared whatever descriptor was current.
 */
static void secvec_test_late_helper_leaves_newer_write(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	struct secvec_test_write w;
	u64 value;

	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, NULL));
	KUNIT_ASSERT_TRUE(test, secvec_test_capture_write(v, &w));
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 0, OLD));	/* helps, then sets */
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 3, NULL));
	secvec_test_replay_write(v, &w, false);
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 0, &value));
	KUNIT_EXPECT_EQ(test, OLD, value);
	KUNIT_EXPECT_EQ(test, 2, secvec_size(v));
}

/*
 * Stamps wrap at 35 bits, and a push's helpers take the slot's tag equal
 * to the state's stamp for the write landed: a push whose slot has that
 * tag already must take another stamp, or its write is never landed.
 * Pushes, helps, pops and a stale helper across the wrap.
 */
static void secvec_test_stamp_wraps_and_skips_slot_tag(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	u64 helps = secvec_stat_read(SECVEC_STAT_HELP);
	struct secvec_test_write w;
	u64 index, value;

	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_stamp(v, BIT_ULL(35) - 3));
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 7, NULL));
	/* The next push's stamp would be 2^35 - 1, which slot 1 has. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_tag(v, 1, BIT_ULL(35) - 1));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, &index));
	KUNIT_EXPECT_EQ(test, 1, index);
	/*
	 * Skipped to the next stamp, which wraps to 0; not landed, and the
	 * write will leave the next tag with those low bits, 2^35. (Not an
	 * assertion: without the skip, what follows shows the harm.)
	 */
	KUNIT_EXPECT_TRUE(test, secvec_test_capture_write(v, &w));
	KUNIT_EXPECT_EQ(test, BIT_ULL(35) - 1, w.tag);
	KUNIT_EXPECT_EQ(test, BIT_ULL(35), w.new_tag);
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 1, &value));
	KUNIT_EXPECT_EQ(test, NEW, value);
	/* The next push lands NEW. */
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 8, NULL));
	KUNIT_EXPECT_EQ(test, helps + 1, secvec_stat_read(SECVEC_STAT_HELP));
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 8, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, NEW, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_test_push_unfinished(v, OLD, &index));
	KUNIT_EXPECT_EQ(test, 1, index);
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 9, NULL));
	KUNIT_EXPECT_EQ(test, helps + 2, secvec_stat_read(SECVEC_STAT_HELP));
	/* The helper stalled since the first push must not write NEW back. */
	secvec_test_replay_write(v, &w, false);
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 1, &value));
	KUNIT_EXPECT_EQ(test, OLD, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 9, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, OLD, value);
	KUNIT_EXPECT_EQ(test, 1, secvec_size(v));
}

/*
 * A push's helper that read the state, then stalled until the write had
 * landed, been popped and the slot written again: the slot's tag is not
 * the stamp it looks for, yet the write is not owed. It must look at
 * the state again before its CAS, and leave the newer write alone.
 */
static void secvec_test_late_push_helper_rechecks_state(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	struct secvec_test_write w;
	u64 value;

	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 1, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, NULL));
	KUNIT_ASSERT_TRUE(test, secvec_test_capture_write(v, &w));
	/* Lands NEW (a help), pops it; OLD goes to the same slot. */
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, NEW, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, OLD, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 2, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, 2, value);
	/* The slot's tag is OLD's push's stamp, not the one w looked for. */
	secvec_test_help_late(v, &w);
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 1, &value));
	KUNIT_EXPECT_EQ(test, OLD, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, OLD, value);
	KUNIT_EXPECT_EQ(test, 1, secvec_size(v));
}

/*
 * A pop after a push takes the pushed value without helping when the
 * write has landed (the slot has the state's stamp), and lands it first
 * when it has not; the new meta is right across the stamps' wrap.
 */
static void secvec_test_pop_meets_pushed(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	struct secvec_test_write w;
	u64 helps, value;

	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_stamp(v, BIT_ULL(35) - 2));
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 5, NULL));
	/* Landed by its owner: the slot has the stamp, 2^35 - 1. */
	KUNIT_ASSERT_FALSE(test, secvec_test_capture_write(v, &w));
	KUNIT_EXPECT_EQ(test, BIT_ULL(35) - 1, w.tag);
	KUNIT_EXPECT_EQ(test, BIT_ULL(35) - 1, w.new_tag);
	helps = secvec_stat_read(SECVEC_STAT_HELP);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 5, value);
	KUNIT_EXPECT_EQ(test, helps, secvec_stat_read(SECVEC_STAT_HELP));
	/* SETTLED, size 0, the stamp wrapped to 0: meta is 0. */
	KUNIT_EXPECT_FALSE(test, secvec_test_capture_write(v, &w));
	KUNIT_EXPECT_EQ(test, 0, w.meta);
	/* Not landed: the pop lands it, then pops it. */
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, NULL));
	KUNIT_ASSERT_TRUE(test, secvec_test_capture_write(v, &w));
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, NEW, value);
	KUNIT_EXPECT_EQ(test, helps + 1, secvec_stat_read(SECVEC_STAT_HELP));
	KUNIT_EXPECT_EQ(test, 0, secvec_size(v));
	KUNIT_EXPECT_EQ(test, 0, secvec_push(v, 6, NULL));
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, 6, value);
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop(v, &value));
}

/*
 * The stamps' wrap seen from a slot: a slot left alone for 2^35 - k
 * transitions has a tag whose 35 bits are k ahead of the state's stamp.
 * A write planned against that tag, whose lander stalls before its CAS
 * (an interrupt, say), must fail however the slot is written after: no
 * later write may leave the slot with the tag it expects, not even the
 * push k transitions on, whose stamp has those 35 bits. The cases below
 * play it for a set, a batch and a push's helper; the stalled CAS is the
 * lander's own (secvec_test_replay_write()).
 */
#define STAMP_BITS	35
#define STAMP_MASK	(BIT_ULL(STAMP_BITS) - 1)

static struct secvec_test_write stalled_write;
static bool stalled_owed;

/* secvec_test_on_installed(): a lander meets the descriptor, and stalls. */
static void stall_lander(struct secvec *v)
{
	stalled_owed = secvec_test_capture_write(v, &stalled_write);
}

/*
 * Push @value to the empty @v, then push and pop another: slot 0 holds
 * @value, the state is SETTLED at size 1. Returns slot 0's tag.
 */
static u64 wrap_slot0(struct kunit *test, struct secvec *v, u64 value)
{
	struct secvec_test_write w;
	u64 other;

	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, value, NULL));
	/* Landed by its owner; w.tag is slot 0's tag. */
	KUNIT_ASSERT_FALSE(test, secvec_test_capture_write(v, &w));
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, OLD + 1, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &other));
	return w.tag;
}

/* The stalled lander holds the write of @value to @index, planned at @tag. */
static void wrap_stall(struct kunit *test, u64 index, u64 value, u64 tag)
{
	KUNIT_ASSERT_TRUE(test, stalled_owed);
	KUNIT_EXPECT_EQ(test, index, stalled_write.index);
	KUNIT_EXPECT_EQ(test, value, stalled_write.value);
	KUNIT_EXPECT_EQ(test, tag, stalled_write.tag);
}

/*
 * The vector holds @want0 alone, pushed at index 0 with a stamp that has
 * the 35 bits of @tag, the tag the stalled write expects. Push one more
 * (index 0 is now below the top, nobody looks at it again), release the
 * stalled lander, and check that nothing was overwritten, lost or came
 * back.
 */
static void wrap_release(struct kunit *test, struct secvec *v, u64 tag,
			 u64 want0)
{
	u64 value;

	KUNIT_EXPECT_EQ(test, tag & STAMP_MASK, secvec_test_stamp(v));
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, NEW + 1, &value));
	KUNIT_ASSERT_EQ(test, 1, value);
	secvec_test_replay_write(v, &stalled_write, false);
	KUNIT_EXPECT_EQ(test, 0, secvec_get(v, 0, &value));
	KUNIT_EXPECT_EQ(test, want0, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, NEW + 1, value);
	KUNIT_EXPECT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_EXPECT_EQ(test, want0, value);
	KUNIT_EXPECT_EQ(test, -ENODATA, secvec_pop(v, &value));
}

/*
 * set(0) plans against slot 0's tag X, 5 transitions ahead of the stamp;
 * the set lands, then pop, push, pop, push D (at the stamp X), push.
 */
static void secvec_test_wrap_stalled_set_lander_fails(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	u64 x = wrap_slot0(test, v, OLD), value;

	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_stamp(v, (x - 5) & STAMP_MASK));
	secvec_test_on_installed(v, stall_lander);
	KUNIT_ASSERT_EQ(test, 0, secvec_set(v, 0, NEW));
	secvec_test_on_installed(v, NULL);
	wrap_stall(test, 0, NEW, x);
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, NEW, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 3, NULL));
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, 3, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 4, &value));
	KUNIT_ASSERT_EQ(test, 0, value);
	wrap_release(test, v, x, 4);
}

/*
 * The same for a batch that plans against a slot above a size that
 * shrank: push_many at 0, pop_many, push D (at the stamp X), push.
 */
static void secvec_test_wrap_stalled_batch_lander_fails(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	u64 x = wrap_slot0(test, v, OLD), vals[2] = { NEW, NEW + 2 }, value;
	u32 n;

	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_stamp(v, (x - 3) & STAMP_MASK));
	secvec_test_on_installed(v, stall_lander);
	KUNIT_ASSERT_EQ(test, 0, secvec_push_many(v, vals, 2, &value));
	secvec_test_on_installed(v, NULL);
	KUNIT_ASSERT_EQ(test, 0, value);
	wrap_stall(test, 0, NEW, x);
	KUNIT_ASSERT_EQ(test, 0, secvec_pop_many(v, vals, 2, &n));
	KUNIT_ASSERT_EQ(test, 2, n);
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 4, &value));
	KUNIT_ASSERT_EQ(test, 0, value);
	wrap_release(test, v, x, 4);
}

/*
 * A push's helper (or owner) holds slot 0's value 0 and tag X, 5 ahead
 * of the stamp; the write lands, is popped, and a push of 0 at the stamp
 * X puts the value back: the stalled CAS compares both.
 */
static void secvec_test_wrap_stalled_push_helper_fails(struct kunit *test)
{
	struct secvec *v = secvec_kunit_create(test, 64);
	struct secvec_test_write w;
	u64 x = secvec_test_stamp(v) + 5, value;

	KUNIT_ASSERT_EQ(test, 0, secvec_reserve(v, 1));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_set_tag(v, 0, x));
	KUNIT_ASSERT_EQ(test, 0, secvec_test_push_unfinished(v, NEW, &value));
	KUNIT_ASSERT_EQ(test, 0, value);
	KUNIT_ASSERT_TRUE(test, secvec_test_capture_write(v, &w));
	KUNIT_EXPECT_EQ(test, x, w.tag);
	KUNIT_EXPECT_EQ(test, 0, w.old);
	stalled_write = w;
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 3, NULL));	/* helps NEW in */
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, 3, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_pop(v, &value));
	KUNIT_ASSERT_EQ(test, NEW, value);
	KUNIT_ASSERT_EQ(test, 0, secvec_push(v, 0, &value));
	KUNIT_ASSERT_EQ(test, 0, value);
	wrap_release(test, v, x, 0);
}

static struct kunit_case secvec_aba_cases[] = {
	KUNIT_CASE(secvec_test_aba_naive_cas_corrupts),
	KUNIT_CASE(secvec_test_aba_tag_stops_stale_helper),
	KUNIT_CASE(secvec_test_unfinished_push_is_helped),
	KUNIT_CASE(secvec_test_late_helper_leaves_newer_write),
	KUNIT_CASE(secvec_test_stamp_wraps_and_skips_slot_tag),
	KUNIT_CASE(secvec_test_late_push_helper_rechecks_state),
	KUNIT_CASE(secvec_test_pop_meets_pushed),
	KUNIT_CASE(secvec_test_wrap_stalled_set_lander_fails),
	KUNIT_CASE(secvec_test_wrap_stalled_batch_lander_fails),
	KUNIT_CASE(secvec_test_wrap_stalled_push_helper_fails),
	{}
};

static struct kunit_suite secvec_aba_suite = {
	.name = "secvec_aba",
	.test_cases = secvec_aba_cases,
};

kunit_test_suites(&secvec_aba_suite);
