// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the input is a cap and a sequence of operations, run
 * on a secvec and on a plain array; every result is compared, and the
 * whole vector after the last operation. Any difference aborts.
 *
 * libFuzzer's per-input leak check (-detect_leaks) would see every input
 * "leak" the descriptors that RCU frees a little later, and re-run it under
 * LeakSanitizer: run with -detect_leaks=0; the harness checks instead
 * that every descriptor and bucket is freed, every RECLAIM_EVERY inputs.
 *
 * Input: 2 bytes cap (1 + n % 8192), then per operation 1 opcode byte and
 * its arguments; reading past the end yields zeros. Besides the API, the
 * operations drive the core's test hooks: an owner that stalls after its
 * cmpxchg (the next operation must help), a stale helper's captured write
 * replayed later (the ABA case: it must change nothing) and allocation
 * failures (-ENOMEM must leave the vector as it was).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>

#include "secvec.h"
#include "secvec_core.h"
#include "secvec_test.h"

#define MAX_CAP		8192
#define MAX_K		64	/* batch sizes drawn: 1..MAX_K */

struct input {
	const u8 *p, *end;
};

struct state {
	struct secvec *v;
	u64 cap;
	u64 a[MAX_CAP];		/* the model */
	u64 n;
	u64 capacity;		/* last seen: never shrinks */
	bool faults;		/* allocation failures armed */
	bool captured;
	struct secvec_test_write w;
	u64 buf[MAX_K];
};

#define fail(fmt, ...) do {						\
	fprintf(stderr, "secvec_fuzz: " fmt "\n", ##__VA_ARGS__);	\
	abort();							\
} while (0)

#define expect_eq(what, got, want) do {					\
	u64 __g = (u64)(got), __w = (u64)(want);			\
	if (__g != __w)							\
		fail("%s: got %lld (%#llx), model says %lld (%#llx)",	\
		     what, __g, __g, __w, __w);				\
} while (0)

static u64 get_bytes(struct input *in, int bytes)
{
	u64 x = 0;
	int i;

	for (i = 0; i < bytes && in->p < in->end; i++)
		x |= (u64)*in->p++ << (8 * i);
	return x;
}

/* An index that is mostly near the size, sometimes far past it. */
static u64 get_index(struct input *in, u64 n)
{
	u64 x = get_bytes(in, 2);

	return x == 0xffff ? U64_MAX : x % (n + 2);
}

/* Values from a small alphabet, so that the same value comes back. */
static u64 get_value(struct input *in)
{
	return get_bytes(in, 1);
}

static u32 get_k(struct input *in)
{
	return 1 + get_bytes(in, 1) % MAX_K;
}

/* With failures armed, -ENOMEM is a legal answer and changes nothing. */
static bool enomem(struct state *s, int err)
{
	if (err != -ENOMEM)
		return false;
	if (!s->faults)
		fail("-ENOMEM with no failure injected");
	return true;
}

static void check_all(struct state *s)
{
	u32 got, k;
	u64 i;

	expect_eq("size", secvec_size(s->v), s->n);
	for (i = 0; i < s->n; i += got) {
		k = min_t(u64, MAX_K, s->n - i);
		expect_eq("get_range", secvec_get_range(s->v, i, s->buf, k, &got), 0);
		expect_eq("get_range count", got, k);
		for (k = 0; k < got; k++)
			expect_eq("get_range value", s->buf[k], s->a[i + k]);
	}
	if (secvec_capacity(s->v) < s->capacity || secvec_capacity(s->v) < s->n)
		fail("capacity %llu: was %llu, size %llu",
		     secvec_capacity(s->v), s->capacity, s->n);
	s->capacity = secvec_capacity(s->v);
}

static void op_push(struct state *s, u64 value, bool unfinished)
{
	u64 index = U64_MAX;
	int err = unfinished ? secvec_test_push_unfinished(s->v, value, &index) :
			       secvec_push(s->v, value, &index);

	if (enomem(s, err))
		return;
	if (s->n == s->cap) {
		expect_eq("push at cap", err, -ENOSPC);
		return;
	}
	expect_eq("push", err, 0);
	expect_eq("push index", index, s->n);
	s->a[s->n++] = value;
}

static void op_pop(struct state *s)
{
	u64 value;
	int err = secvec_pop(s->v, &value);

	if (enomem(s, err))
		return;
	if (!s->n) {
		expect_eq("pop on empty", err, -ENODATA);
		return;
	}
	expect_eq("pop", err, 0);
	expect_eq("pop value", value, s->a[--s->n]);
}

static void op_get(struct state *s, u64 index)
{
	u64 value;
	int err = secvec_get(s->v, index, &value);

	if (index >= s->n) {
		expect_eq("get past size", err, -ERANGE);
		return;
	}
	expect_eq("get", err, 0);
	expect_eq("get value", value, s->a[index]);
}

static void op_set(struct state *s, u64 index, u64 value)
{
	int err = secvec_set(s->v, index, value);

	if (enomem(s, err))
		return;
	if (index >= s->n) {
		expect_eq("set past size", err, -ERANGE);
		return;
	}
	expect_eq("set", err, 0);
	s->a[index] = value;
}

static void op_push_many(struct state *s, u32 k, u64 base)
{
	u64 first = U64_MAX;
	u32 i;
	int err;

	for (i = 0; i < k; i++)
		s->buf[i] = base + i;
	err = secvec_push_many(s->v, s->buf, k, &first);
	if (enomem(s, err))
		return;
	if (s->n + k > s->cap) {
		expect_eq("push_many over cap", err, -ENOSPC);
		return;
	}
	expect_eq("push_many", err, 0);
	expect_eq("push_many first", first, s->n);
	memcpy(s->a + s->n, s->buf, k * sizeof(*s->buf));
	s->n += k;
}

/* Pops through the commit hook; @refuse makes the hook abort the pop. */
struct commit_ctx {
	struct state *s;
	int refuse;
	u32 calls;
};

static int commit(void *arg, const u64 *values, u32 k, u64 first)
{
	struct commit_ctx *c = arg;
	u32 i;

	c->calls++;
	expect_eq("commit first", first + k, c->s->n);
	for (i = 0; i < k; i++)
		expect_eq("commit value", values[i], c->s->a[first + i]);
	return c->refuse;
}

static void op_pop_many(struct state *s, u32 k, int refuse)
{
	struct commit_ctx c = { .s = s, .refuse = refuse };
	u64 first = U64_MAX;
	u32 got = 0, i;
	int err;

	err = secvec_pop_many_commit(s->v, s->buf, k, &got, &first, commit, &c);
	if (enomem(s, err))
		return;
	if (!s->n) {
		expect_eq("pop_many on empty", err, -ENODATA);
		return;
	}
	expect_eq("commit calls", c.calls, 1);	/* no one else retries us */
	if (refuse) {
		expect_eq("refused pop_many", err, refuse);
		return;
	}
	expect_eq("pop_many", err, 0);
	expect_eq("pop_many count", got, min_t(u64, k, s->n));
	s->n -= got;
	expect_eq("pop_many first", first, s->n);
	for (i = 0; i < got; i++)
		expect_eq("pop_many value", s->buf[i], s->a[s->n + i]);
}

static void op_get_range(struct state *s, u64 first, u32 k)
{
	u32 got = 0, i;
	int err = secvec_get_range(s->v, first, s->buf, k, &got);

	if (first >= s->n) {
		expect_eq("get_range past size", err, -ERANGE);
		return;
	}
	expect_eq("get_range", err, 0);
	expect_eq("get_range count", got, min_t(u64, k, s->n - first));
	for (i = 0; i < got; i++)
		expect_eq("get_range value", s->buf[i], s->a[first + i]);
}

static void op_clear(struct state *s)
{
	int err = secvec_clear(s->v);

	if (enomem(s, err))
		return;
	expect_eq("clear", err, 0);
	s->n = 0;
}

static void op_reserve(struct state *s, u64 n)
{
	int err = secvec_reserve(s->v, n);

	if (enomem(s, err))
		return;
	if (n > s->cap) {
		expect_eq("reserve over cap", err, -ENOSPC);
		return;
	}
	expect_eq("reserve", err, 0);
	if (secvec_capacity(s->v) < n)
		fail("reserve(%llu): capacity %llu", n, secvec_capacity(s->v));
}

/* A helper reads the pending write now and replays it at some later op. */
static void op_capture(struct state *s)
{
	struct secvec_test_write w;

	if (secvec_test_capture_write(s->v, &w)) {
		s->w = w;
		s->captured = true;
	}
}

static void op_replay(struct state *s)
{
	if (s->captured)
		secvec_test_replay_write(s->v, &s->w, false);
}

static void op_faults(struct state *s, int skip, int count)
{
	secvec_test_fail_allocs(skip, count);
	s->faults = count > 0;
}

static void op_bad_args(struct state *s)
{
	u32 got;

	expect_eq("push_many(0)", secvec_push_many(s->v, s->buf, 0, NULL), -EINVAL);
	expect_eq("push_many(big)", secvec_push_many(s->v, s->buf,
						    SECVEC_BATCH_MAX + 1, NULL), -EINVAL);
	expect_eq("pop_many(0)", secvec_pop_many(s->v, s->buf, 0, &got), -EINVAL);
	expect_eq("get_range(0)", secvec_get_range(s->v, 0, s->buf, 0, &got), -EINVAL);
	expect_eq("max_elements", secvec_max_elements(s->v), s->cap);
}

static void create(struct state *s, u64 cap)
{
	/* Failures are armed for every vector: disarm the last one's. */
	secvec_test_fail_allocs(0, 0);
	s->v = secvec_create(cap, GFP_KERNEL);
	if (IS_ERR(s->v))
		fail("secvec_create(%llu): %ld", cap, PTR_ERR(s->v));
	s->cap = cap;
	s->n = 0;
	s->capacity = 0;
	s->faults = false;
	s->captured = false;
}

enum {
	OP_PUSH, OP_POP, OP_GET, OP_SET, OP_PUSH_MANY, OP_POP_MANY,
	OP_GET_RANGE, OP_CLEAR, OP_RESERVE, OP_PUSH_WIDE, OP_PUSH_UNFINISHED,
	OP_CAPTURE, OP_REPLAY, OP_FAULTS, OP_CHECK, OP_BAD_ARGS, OP_RECREATE,
	NR_OPS
};

static void step(struct state *s, struct input *in)
{
	u64 x;

	switch (get_bytes(in, 1) % NR_OPS) {
	case OP_PUSH:
		op_push(s, get_value(in), false);
		break;
	case OP_POP:
		op_pop(s);
		break;
	case OP_GET:
		op_get(s, get_index(in, s->n));
		break;
	case OP_SET:
		x = get_index(in, s->n);
		op_set(s, x, get_value(in));
		break;
	case OP_PUSH_MANY:
		x = get_k(in);
		op_push_many(s, x, get_value(in));
		break;
	case OP_POP_MANY:
		x = get_k(in);
		op_pop_many(s, x, get_bytes(in, 1) % 4 ? 0 : -EFAULT);
		break;
	case OP_GET_RANGE:
		x = get_index(in, s->n);
		op_get_range(s, x, get_k(in));
		break;
	case OP_CLEAR:
		op_clear(s);
		break;
	case OP_RESERVE:
		op_reserve(s, get_bytes(in, 2) % (s->cap + 64));
		break;
	case OP_PUSH_WIDE:
		op_push(s, get_bytes(in, 8), false);
		break;
	case OP_PUSH_UNFINISHED:
		op_push(s, get_value(in), true);
		break;
	case OP_CAPTURE:
		op_capture(s);
		break;
	case OP_REPLAY:
		op_replay(s);
		break;
	case OP_FAULTS:
		x = get_bytes(in, 1);
		op_faults(s, x & 3, (x >> 2) & 3);
		break;
	case OP_CHECK:
		check_all(s);
		break;
	case OP_BAD_ARGS:
		op_bad_args(s);
		break;
	case OP_RECREATE:
		secvec_destroy(s->v);
		create(s, 1 + get_bytes(in, 2) % MAX_CAP);
		break;
	}
}

/*
 * Every vector is destroyed at the end of its input, so once the retired
 * descriptors' callbacks have run and the pools are emptied, everything
 * allocated has been freed. secvec_quiesce() waits for a liburcu batch
 * period (~10 ms): not per input.
 */
#define RECLAIM_EVERY	1024

static unsigned long runs;

static void check_reclaimed(void)
{
	secvec_quiesce();
	expect_eq("descriptors freed", secvec_stat_read(SECVEC_STAT_DESC_FREE),
		  secvec_stat_read(SECVEC_STAT_DESC_ALLOC));
	expect_eq("buckets freed", secvec_stat_read(SECVEC_STAT_BUCKET_FREE),
		  secvec_stat_read(SECVEC_STAT_BUCKET_ALLOC));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rcu_register_thread();
	if (secvec_core_init())
		fail("secvec_core_init");
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct state s;
	struct input in = { data, data + size };

	if (!IS_ERR(secvec_create(0, GFP_KERNEL)) ||
	    !IS_ERR(secvec_create(SECVEC_MAX_ELEMENTS + 1, GFP_KERNEL)))
		fail("secvec_create accepted a bad cap");
	create(&s, 1 + get_bytes(&in, 2) % MAX_CAP);
	while (in.p < in.end)
		step(&s, &in);
	op_faults(&s, 0, 0);
	check_all(&s);
	secvec_destroy(s.v);
	if (!(++runs % RECLAIM_EVERY))
		check_reclaimed();
	return 0;
}
