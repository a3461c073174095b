/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-made histories for lincheck_selftest.c: thread, [call, ret] stamps,
 * operation and recorded result. An operation list ends at the first entry
 * with ret 0.
 */
#ifndef LINCHECK_SELFTEST_CASES_H
#define LINCHECK_SELFTEST_CASES_H

#define OP(t, c, r, k)	.thread = (t), .call = (c), .ret = (r), .kind = (k)
#define PUSH(t, c, r, v, i) \
	{ OP(t, c, r, LC_PUSH), .value = (v), .index = (i) }
#define POP(t, c, r, v)		{ OP(t, c, r, LC_POP), .value = (v) }
#define POP_EMPTY(t, c, r)	{ OP(t, c, r, LC_POP), .err = ENODATA }
#define GET(t, c, r, i, v) \
	{ OP(t, c, r, LC_GET), .index = (i), .value = (v) }
#define GET_ERANGE(t, c, r, i) \
	{ OP(t, c, r, LC_GET), .index = (i), .err = ERANGE }
#define SET(t, c, r, i, v) \
	{ OP(t, c, r, LC_SET), .index = (i), .value = (v) }
#define SET_ERANGE(t, c, r, i, v) \
	{ OP(t, c, r, LC_SET), .index = (i), .value = (v), .err = ERANGE }
#define SIZE(t, c, r, n)	{ OP(t, c, r, LC_SIZE), .value = (n) }
/* PUSH_MANY(..., first index, count, values...) */
#define PUSH_MANY(t, c, r, i, n, ...) \
	{ OP(t, c, r, LC_PUSH_MANY), .index = (i), .count = (n), .done = (n), \
	  .values = { __VA_ARGS__ } }
/* POP_MANY(..., count, first index, done, values...) */
#define POP_MANY(t, c, r, n, i, d, ...) \
	{ OP(t, c, r, LC_POP_MANY), .count = (n), .index = (i), .done = (d), \
	  .values = { __VA_ARGS__ } }
#define POP_MANY_EMPTY(t, c, r, n) \
	{ OP(t, c, r, LC_POP_MANY), .count = (n), .err = ENODATA }

struct hand_case {
	const char *name;
	enum lc_verdict want;
	unsigned int init_len;
	uint64_t init[4];
	struct lc_op ops[12];
};

#define ACCEPT	.want = LC_LINEARIZABLE
#define REJECT	.want = LC_NOT_LINEARIZABLE

static const struct hand_case hand_cases[] = {
	{ "the empty history", ACCEPT },
	{ "sequential push, push, pop, size, get, get", ACCEPT, .ops = {
		PUSH(0, 1, 2, 1, 0), PUSH(0, 3, 4, 2, 1), POP(0, 5, 6, 2),
		SIZE(0, 7, 8, 1), GET(0, 9, 10, 0, 1), GET_ERANGE(0, 11, 12, 1),
	} },
	{ "a pop overlapping a push returns its value", ACCEPT, .ops = {
		PUSH(0, 1, 4, 3, 0), POP(1, 2, 5, 3),
	} },
	{ "a pop overlapping a push finds the vector empty", ACCEPT, .ops = {
		POP_EMPTY(1, 1, 4), PUSH(0, 2, 5, 3, 0),
	} },
	{ "overlapping pushes take indices against invocation order", ACCEPT,
	  .ops = {
		PUSH(0, 1, 10, 1, 1), PUSH(1, 2, 9, 2, 0),
		GET(0, 11, 12, 0, 2), GET(0, 13, 14, 1, 1),
	} },
	{ "overlapping sets, the later read one last (backtracks)", ACCEPT,
	  .init_len = 1, .init = { 0 }, .ops = {
		SET(0, 1, 10, 0, 1), SET(1, 2, 11, 0, 2), GET(2, 12, 13, 0, 1),
	} },
	{ "reads inside a set see the old value, then the new", ACCEPT,
	  .init_len = 1, .init = { 0 }, .ops = {
		SET(0, 1, 6, 0, 3), GET(1, 2, 3, 0, 0), GET(1, 4, 5, 0, 3),
	} },
	{ "a size between two overlapping pushes", ACCEPT, .ops = {
		PUSH(0, 1, 10, 1, 0), PUSH(1, 2, 11, 2, 1), SIZE(2, 3, 4, 1),
	} },
	{ "push_many and pop_many are single steps", ACCEPT, .ops = {
		PUSH_MANY(0, 1, 10, 0, 3, 1, 2, 3),
		POP_MANY(1, 2, 11, 2, 1, 2, 2, 3),
		SIZE(2, 12, 13, 1), GET(2, 14, 15, 0, 1),
	} },
	{ "pop_many takes what is left, then finds the vector empty", ACCEPT,
	  .init_len = 2, .init = { 1, 2 }, .ops = {
		POP_MANY(0, 1, 2, 3, 0, 2, 1, 2), POP_MANY_EMPTY(0, 3, 4, 1),
	} },
	{ "four fully overlapping ops with a single valid order", ACCEPT,
	  .ops = {
		PUSH(0, 1, 20, 1, 0), PUSH(1, 2, 21, 2, 1), POP(2, 3, 22, 2),
		SIZE(3, 4, 23, 1),
	} },
	{ "a set fails past the size while a push overlaps it", ACCEPT,
	  .ops = {
		SET_ERANGE(0, 1, 5, 0, 1), PUSH(1, 2, 6, 2, 0),
		GET(0, 7, 8, 0, 2),
	} },
	{ "a pop returns a value never pushed", REJECT, .ops = {
		PUSH(0, 1, 5, 1, 0), POP(1, 2, 6, 2),
	} },
	{ "two pops return the one value pushed", REJECT, .ops = {
		PUSH(0, 1, 2, 1, 0), POP(1, 3, 6, 1), POP(2, 4, 7, 1),
	} },
	{ "a get sees a value before the set is invoked", REJECT,
	  .init_len = 1, .init = { 0 }, .ops = {
		GET(0, 1, 2, 0, 2), SET(1, 3, 4, 0, 2),
	} },
	{ "a size goes backwards across non-overlapping sizes", REJECT,
	  .ops = {
		PUSH(0, 1, 10, 1, 0), SIZE(1, 2, 3, 1), SIZE(1, 4, 5, 0),
	} },
	{ "a push's index is not the size", REJECT, .ops = {
		PUSH(0, 1, 2, 1, 1),
	} },
	{ "a get after a non-overlapping pop still sees the value", REJECT,
	  .ops = {
		PUSH(0, 1, 2, 1, 0), POP(1, 3, 4, 1), GET(0, 5, 6, 0, 1),
	} },
	{ "a pop on a non-empty vector reports ENODATA", REJECT,
	  .init_len = 1, .init = { 3 }, .ops = {
		POP_EMPTY(0, 1, 2),
	} },
	{ "a get below the size reports ERANGE", REJECT,
	  .init_len = 1, .init = { 3 }, .ops = {
		GET_ERANGE(0, 1, 2, 0),
	} },
	{ "a completed set is lost", REJECT, .init_len = 1, .init = { 0 },
	  .ops = {
		SET(0, 1, 2, 0, 1), GET(1, 3, 4, 0, 0),
	} },
	{ "a size misses a completed push (sequentially consistent only)",
	  REJECT, .ops = {
		PUSH(0, 1, 2, 1, 0), SIZE(1, 3, 4, 0),
	} },
	{ "store buffering: both gets miss the other thread's set", REJECT,
	  .init_len = 2, .init = { 0, 0 }, .ops = {
		SET(0, 1, 10, 0, 1), GET(0, 11, 20, 1, 0),
		SET(1, 2, 15, 1, 1), GET(1, 16, 25, 0, 0),
	} },
	{ "pop_many returns its values out of index order", REJECT,
	  .init_len = 2, .init = { 1, 2 }, .ops = {
		POP_MANY(0, 1, 2, 2, 0, 2, 2, 1),
	} },
	{ "a size sees a pop_many half done", REJECT,
	  .init_len = 3, .init = { 1, 2, 3 }, .ops = {
		POP_MANY(0, 1, 10, 2, 1, 2, 2, 3), SIZE(1, 2, 9, 2),
	} },
	{ "a push lands inside an overlapping push_many", REJECT, .ops = {
		PUSH_MANY(0, 1, 10, 0, 2, 1, 2), PUSH(1, 2, 11, 3, 1),
	} },
	{ "two overlapping pushes both at index 0", REJECT, .ops = {
		PUSH(0, 1, 5, 1, 0), PUSH(1, 2, 6, 2, 0),
	} },
	{ "overlapping sets, a read of each value, then the older", REJECT,
	  .init_len = 1, .init = { 0 }, .ops = {
		SET(0, 1, 10, 0, 1), SET(1, 2, 11, 0, 2), GET(2, 12, 13, 0, 2),
		GET(2, 14, 15, 0, 1),
	} },
	{ "a history where a response precedes its invocation",
	  .want = LC_ERROR, .ops = {
		PUSH(0, 5, 4, 1, 0),
	} },
	{ "a history with a push_many of 5 values", .want = LC_ERROR,
	  .ops = {
		PUSH_MANY(0, 1, 2, 0, 5, 1, 2, 3, 0),
	} },
};

#endif /* LINCHECK_SELFTEST_CASES_H */
