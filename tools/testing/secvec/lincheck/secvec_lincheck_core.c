// SPDX-License-Identifier: GPL-2.0
/*
 * Linearizability histories of the core itself: tools/lincheck's recorder
 * (recorder.c) with a backend that calls secvec_push(), secvec_pop(), ...
 * on a struct secvec from the worker threads, instead of ioctls on
 * /dev/secvec. Built natively and with ThreadSanitizer.
 *
 * -W N starts the vector's stamp N below 2^35 (secvec_test_set_stamp()),
 * so that the histories' transitions carry it across its wrap, where slot
 * tags written before the wrap meet stamps taken after it. The stamp is
 * read after each history's preparation and after its calls
 * (secvec_test_stamp()): below where it started, it has wrapped. The run
 * fails unless it has by the end of the vector's histories. -E H gives
 * every H histories a new vector, started N below 2^35 again: one wrap
 * each. A new vector's slots have tag 0, so the first writes to a slot
 * near the wrap are planned against tags close to the stamps to come.
 *
 * -S adds stalled helpers: a quarter of a worker's pushes stop right after
 * their CAS (secvec_test_push_unfinished()), the owed write is captured
 * as a helper reads it, and a few of the worker's calls later the helper's
 * (or the owner's) slot CAS is made, that late (secvec_test_replay_write()).
 * The CAS must fail or land the write where it is still owed: either way
 * the histories stay linearizable. A stale CAS that succeeds on a tag that
 * came back shows as a lost or resurrected value.
 *
 * -X swaps in a pop that is not atomic, to show that the check fails then.
 * After the last history the vector is destroyed, and every descriptor and
 * bucket must have been freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/rcupdate.h>

#include "secvec.h"
#include "secvec_core.h"
#include "secvec_test.h"
#include "lincheck.h"
#include "recorder.h"
#include "../../../../selftests/secvec_rand.h"

#define STAMP_BITS	35
#define STAMP_WRAP	BIT_ULL(STAMP_BITS)
/* Far more than a history holds (the model's LC_MAX_LEN). */
#define MAX_ELEMENTS	65536
/* -S: one push in STALL_ONE_IN stalls; its write is replayed 1..6 calls on. */
#define STALL_ONE_IN	4
#define STALL_CALLS	6

static const char usage_text[] =
"usage: secvec-lincheck [-W N] [-E HISTORIES] [-S] [-X] [-H HISTORIES]\n"
"                       [-t THREADS] [-o OPS] [-s SEED] [-j JITTER] [-u]\n"
"                       [-M] [-B]\n"
"\n"
"Record HISTORIES histories (default 1000) of THREADS threads (default 4)\n"
"making OPS random calls each (default 8; THREADS x OPS <= 64) on a secvec,\n"
"calling the core directly: push, pop, get, set, size, push_many, pop_many\n"
"(-M: no batches), values and indices in 0..3. Check each history for\n"
"linearizability; print the first rejected one in full.\n"
"\n"
"  -W N       start the vector's stamp N below 2^35 (default: at 0), and\n"
"             fail unless the histories' transitions carry it across the\n"
"             wrap (a history of 4 x 8 calls makes about 20)\n"
"  -E HIST    a new vector every HIST histories (default: one for the\n"
"             whole run); with -W its stamp starts N below 2^35 again and\n"
"             each must cross the wrap: make HISTORIES a multiple of HIST\n"
"  -S         stalled helpers: a quarter of the pushes stop after their\n"
"             CAS, and the slot CAS of a helper that read the owed write\n"
"             then is made 1 to 6 of the thread's calls later\n"
"  -X         a broken backend, to show the test can fail: pop reads the\n"
"             top with size and get, then pops, and returns what it read\n"
LC_USAGE_COMMON
"\n"
"The last line is \"lincheck: P passed, F failed\", a history being a test,\n"
"and so are, after the last history, the wrap (with -W) and a check that\n"
"every descriptor and bucket was freed. Exit status: 0 if none failed, 1\n"
"if any did, 2 on a usage error.\n";

static struct secvec *vec;
static bool broken_pop, stalls;
static unsigned int wrap_below;		/* -W: N, or 0 */
static unsigned int epoch_len;		/* -E: histories per vector, or 0 */
static char target_text[160];

/* The stamp wraps of the vectors (-W). */
static u64 epoch_start;			/* the current vector's first stamp */
static unsigned int epoch_first;	/* its first history */
static int crossed_in;			/* history in which it wrapped, or -1 */
static bool crossed_before_calls;	/* in that history's prepare() */
static unsigned int epochs, epochs_crossed, crossed_during;
static unsigned int into_min, into_max;	/* histories before the wraps */
static unsigned int histories_after;	/* histories run after a wrap */
static unsigned int last_history;
static u64 stamps_moved;		/* over all vectors */

/* A worker's stalled helper (-S). */
struct stall {
	struct secvec_test_write w;
	bool held;		/* w is owed, to be replayed */
	unsigned int wait;	/* calls until the replay */
	u64 rng;
	unsigned long stalled, replayed;
};

static struct stall stall[LC_MAX_OPS];

static void core_option(int opt, const char *arg)
{
	switch (opt) {
	case 'W':
		wrap_below = lc_parse_uint("stamp distance", arg,
					   STAMP_WRAP / 2);
		if (!wrap_below)
			lc_usage_error("-W needs N >= 1");
		break;
	case 'E':
		epoch_len = lc_parse_uint("histories per vector", arg, ~0U);
		break;
	case 'S':
		stalls = true;
		break;
	case 'X':
		broken_pop = true;
		break;
	}
}

static const char *core_target(void)
{
	size_t n, size = sizeof(target_text);
	char *p = target_text;

	n = snprintf(p, size, "the core");
	if (wrap_below)
		n += snprintf(p + n, size - n, ", stamp from 2^35 - %u",
			      wrap_below);
	if (epoch_len == 1)
		n += snprintf(p + n, size - n, ", a new vector each history");
	else if (epoch_len)
		n += snprintf(p + n, size - n,
			      ", a new vector every %u histories", epoch_len);
	if (stalls)
		n += snprintf(p + n, size - n, ", stalled helpers (-S)");
	if (broken_pop)
		snprintf(p + n, size - n, ", broken pop (-X)");
	return target_text;
}

static void new_vector(void)
{
	vec = secvec_create(MAX_ELEMENTS, GFP_KERNEL);
	if (IS_ERR(vec))
		lc_die("secvec_create", -PTR_ERR(vec));
}

static void core_setup(void)
{
	int err;

	/* The main thread prepares the histories: it calls the core too. */
	rcu_register_thread();
	err = secvec_core_init();
	if (err)
		lc_die("secvec_core_init", -err);
	new_vector();
}

static void *core_thread_init(unsigned int id)
{
	stall[id].rng = secvec_rand_seed(0, id);
	return &stall[id];
}

/* Every thread that calls the core is a liburcu reader. */
static void core_thread_start(void *ctx)
{
	(void)ctx;
	rcu_register_thread();
}

static void core_thread_stop(void *ctx)
{
	(void)ctx;
	rcu_unregister_thread();
}

/* How far the stamp has moved since the vector's stamp was set. */
static u64 stamp_moved(void)
{
	return (secvec_test_stamp(vec) - epoch_start) & (STAMP_WRAP - 1);
}

/* Has it wrapped? It moves by much less than 2^35 - N in a run. */
static bool stamp_wrapped(void)
{
	return stamp_moved() >= wrap_below;
}

/* The end of a vector's histories, @last the last one: did it wrap? */
static void end_epoch(unsigned int last)
{
	unsigned int into = crossed_in - epoch_first;

	stamps_moved += stamp_moved();
	if (crossed_in < 0) {
		printf("lincheck: stamp: histories %u..%u, from 2^35 - %u: "
		       "moved by %llu, did not cross 2^35\n", epoch_first,
		       last, wrap_below, stamp_moved());
		return;
	}
	epochs_crossed++;
	crossed_during += !crossed_before_calls;
	if (epochs_crossed == 1 || into < into_min)
		into_min = into;
	if (into > into_max)
		into_max = into;
}

/* A vector (a new one after the first), with -W its stamp N below 2^35. */
static void start_epoch(unsigned int k)
{
	int err;

	if (epochs) {
		if (wrap_below)
			end_epoch(k - 1);
		secvec_destroy(vec);
		new_vector();
	}
	epochs++;
	if (!wrap_below)
		return;
	/* New, so settled: the hook may set its stamp. */
	err = secvec_test_set_stamp(vec, STAMP_WRAP - wrap_below);
	if (err)
		lc_die("secvec_test_set_stamp", -err);
	epoch_start = secvec_test_stamp(vec);
	if (epoch_start != STAMP_WRAP - wrap_below) {
		fprintf(stderr, "secvec-lincheck: stamp %llu after setting "
			"it to 2^35 - %u\n", epoch_start, wrap_below);
		exit(1);
	}
	epoch_first = k;
	crossed_in = -1;
}

static void core_prepare(unsigned int k, const struct lc_model *init)
{
	unsigned int i;
	u64 index, size;
	int err;

	/* A stalled helper does not outlive its history. */
	for (i = 0; i < LC_MAX_OPS; i++)
		stall[i].held = false;
	if (!epochs || (epoch_len && k % epoch_len == 0))
		start_epoch(k);
	err = secvec_clear(vec);
	if (err)
		lc_die("secvec_clear", -err);
	for (i = 0; i < init->len; i++) {
		err = secvec_push(vec, init->v[i], &index);
		if (err)
			lc_die("secvec_push", -err);
		if (index != i) {
			fprintf(stderr, "secvec-lincheck: push %u after clear "
				"went to index %llu\n", i, index);
			exit(1);
		}
	}
	size = secvec_size(vec);
	if (size != init->len) {
		fprintf(stderr, "secvec-lincheck: size %llu after clear and "
			"%u pushes\n", size, init->len);
		exit(1);
	}
	if (wrap_below && crossed_in < 0 && stamp_wrapped()) {
		crossed_in = k;
		crossed_before_calls = true;
	}
}

static unsigned int stall_rnd(struct stall *s, unsigned int n)
{
	return secvec_rand_below(&s->rng, n);
}

/*
 * -S: a push whose owner stops after its CAS, and the owed write as a
 * helper reads it. The hook reads the state, then the slot: only if the
 * state is still the same afterwards (meta identifies it) is the slot's
 * tag the one the write is planned against, which a helper would check.
 */
static int stalled_push(struct stall *s, u64 value, u64 *index)
{
	struct secvec_test_write again;
	int err;

	err = secvec_test_push_unfinished(vec, value, index);
	if (err)
		return err;
	s->stalled++;
	if (!secvec_test_capture_write(vec, &s->w))
		return 0;	/* landed already */
	secvec_test_capture_write(vec, &again);
	if (again.meta != s->w.meta)
		return 0;	/* the state moved on under the capture */
	s->held = true;
	s->wait = 1 + stall_rnd(s, STALL_CALLS);
	return 0;
}

/* -S: a stalled helper's slot CAS, once its time has come. */
static void stalled_replay(struct stall *s)
{
	if (!s->held || --s->wait)
		return;
	secvec_test_replay_write(vec, &s->w, false);
	s->held = false;
	s->replayed++;
}

/* -X: a pop that is not one step, which concurrent pops catch out. */
static int broken_secvec_pop(struct secvec *v, u64 *value)
{
	u64 size = secvec_size(v), top;
	int err;

	if (!size)
		return -ENODATA;
	err = secvec_get(v, size - 1, &top);
	if (err)
		return err;
	err = secvec_pop(v, value);
	if (!err)
		*value = top;
	return err;
}

/* Make op's call, stamped on both sides, and record its result. */
static void core_run_op(void *ctx, struct lc_op *op)
{
	u64 vals[LC_BATCH_MAX], v = 0, index = 0;
	struct stall *s = ctx;
	bool stall_it = false;
	u32 done = 0, i;
	int ret = 0;

	if (stalls) {
		/* Between calls: the lincheck cannot see it, only its effect. */
		stalled_replay(s);
		stall_it = op->kind == LC_PUSH && !s->held &&
			   !stall_rnd(s, STALL_ONE_IN);
	}
	for (i = 0; i < LC_BATCH_MAX; i++)
		vals[i] = op->values[i];
	op->call = lc_stamp();
	switch (op->kind) {
	case LC_PUSH:
		ret = stall_it ? stalled_push(s, op->value, &index) :
				 secvec_push(vec, op->value, &index);
		break;
	case LC_POP:
		ret = broken_pop ? broken_secvec_pop(vec, &v) :
				   secvec_pop(vec, &v);
		break;
	case LC_GET:
		ret = secvec_get(vec, op->index, &v);
		break;
	case LC_SET:
		ret = secvec_set(vec, op->index, op->value);
		break;
	case LC_SIZE:
		v = secvec_size(vec);
		break;
	case LC_PUSH_MANY:
		ret = secvec_push_many(vec, vals, op->count, &index);
		break;
	case LC_POP_MANY:
		ret = secvec_pop_many_commit(vec, vals, op->count, &done,
					     &index, NULL, NULL);
		break;
	}
	op->ret = lc_stamp();
	op->err = -ret;
	if (ret)
		return;
	switch (op->kind) {
	case LC_PUSH:
		op->index = index;
		break;
	case LC_POP:
	case LC_GET:
	case LC_SIZE:
		op->value = v;
		break;
	case LC_SET:
		break;
	case LC_PUSH_MANY:
		/* As the device reports it: done is the whole batch. */
		op->index = index;
		op->done = op->count;
		break;
	case LC_POP_MANY:
		op->index = index;
		op->done = done;
		for (i = 0; i < done && i < LC_BATCH_MAX; i++)
			op->values[i] = vals[i];
		break;
	}
}

static void core_finished(unsigned int k)
{
	last_history = k;
	if (!wrap_below)
		return;
	if (crossed_in >= 0) {
		/* Wrapped in an earlier history, or before these calls. */
		histories_after++;
	} else if (stamp_wrapped()) {
		crossed_in = k;
		crossed_before_calls = false;
	}
}

static unsigned int core_report(void)
{
	unsigned long stalled = 0, replayed = 0;
	unsigned int failed = 0, i;
	u64 descs, buckets;

	if (stalls) {
		for (i = 0; i < LC_MAX_OPS; i++) {
			stalled += stall[i].stalled;
			replayed += stall[i].replayed;
		}
		printf("lincheck: stalled helpers: %lu pushes stalled, %lu of "
		       "their writes replayed late\n", stalled, replayed);
	}
	if (wrap_below) {
		if (epochs)
			end_epoch(last_history);
		printf("lincheck: stamp: %u of %u vectors, each from 2^35 - "
		       "%u, crossed 2^35: %u during a history's calls, after "
		       "%u to %u histories; %u histories ran after a wrap, "
		       "%llu transitions in all\n", epochs_crossed, epochs,
		       wrap_below, crossed_during, into_min, into_max,
		       histories_after, stamps_moved);
		failed += !epochs || epochs_crossed < epochs;
	}
	/* Every descriptor and bucket comes back once the vector is gone. */
	secvec_destroy(vec);
	vec = NULL;
	secvec_quiesce();
	descs = secvec_stat_read(SECVEC_STAT_DESC_ALLOC) -
		secvec_stat_read(SECVEC_STAT_DESC_FREE);
	buckets = secvec_stat_read(SECVEC_STAT_BUCKET_ALLOC) -
		  secvec_stat_read(SECVEC_STAT_BUCKET_FREE);
	printf("lincheck: after the last vector: %llu descriptors, %llu "
	       "buckets not freed\n", descs, buckets);
	failed += descs || buckets;
	return failed;
}

static void core_teardown(void)
{
	secvec_core_exit();
	rcu_unregister_thread();
}

static const struct lc_backend core_backend = {
	.prog = "secvec-lincheck",
	.usage = usage_text,
	.optstring = "W:E:SX",
	.option = core_option,
	.target = core_target,
	.setup = core_setup,
	.thread_init = core_thread_init,
	.thread_start = core_thread_start,
	.thread_stop = core_thread_stop,
	.prepare = core_prepare,
	.run_op = core_run_op,
	.finished = core_finished,
	.report = core_report,
	.teardown = core_teardown,
};

int main(int argc, char **argv)
{
	return lc_recorder_main(argc, argv, &core_backend);
}
