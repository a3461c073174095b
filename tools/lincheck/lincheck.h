/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lincheck: a linearizability checker for histories of operations on a
 * vector of u64 (the sequential model of secvec).
 *
 * A history is a set of operations, each with the stamps of its invocation
 * and of its response, taken from one counter shared by every thread, its
 * arguments and its recorded result. Operation a precedes b in real time iff
 * a.ret < b.call. The history is linearizable iff some total order of all
 * its operations extends that partial order and, replayed on the sequential
 * model from the initial contents, gives every operation its recorded
 * result (Herlihy and Wing, 1990).
 *
 * lc_check() decides that with the search of Wing and Gong (1993) as Lowe
 * (2017) and Porcupine refine it: depth first, it linearizes next any
 * operation not yet linearized whose invocation precedes the earliest
 * response among those not yet linearized, applies it to a copy of the
 * model, backtracks when the result differs, and never explores twice a
 * configuration (set of linearized operations, model contents) it has seen.
 */
#ifndef LINCHECK_H
#define LINCHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A set of operations is a u64 bitmask. */
#define LC_MAX_OPS	64
/* Model capacity: the initial contents plus every value a history pushes. */
#define LC_MAX_LEN	256
/* Largest count of a PUSH_MANY or POP_MANY in a history. */
#define LC_BATCH_MAX	4

enum lc_kind {
	LC_PUSH,	/* value -> index */
	LC_POP,		/* -> value, or ENODATA */
	LC_GET,		/* index -> value, or ERANGE */
	LC_SET,		/* index, value -> ok, or ERANGE */
	LC_SIZE,	/* -> value (the size) */
	LC_PUSH_MANY,	/* count, values[] -> index (first), done == count */
	LC_POP_MANY,	/* count -> index (first), done, values[], or ENODATA */
};

struct lc_op {
	uint64_t call;		/* invocation stamp */
	uint64_t ret;		/* response stamp, > call */
	enum lc_kind kind;
	int thread;		/* for printing only */
	int err;		/* 0, or the errno the call returned */
	uint64_t index;		/* GET, SET: in; PUSH*, POP_MANY: out */
	uint64_t value;		/* PUSH, SET: in; POP, GET, SIZE: out */
	unsigned int count;	/* PUSH_MANY, POP_MANY: in */
	unsigned int done;	/* PUSH_MANY, POP_MANY: out */
	uint64_t values[LC_BATCH_MAX];	/* PUSH_MANY: in; POP_MANY: out */
};

/* The sequential model: the vector's contents. */
struct lc_model {
	unsigned int len;
	uint64_t v[LC_MAX_LEN];
};

struct lc_history {
	unsigned int nops;
	struct lc_op *ops;
	struct lc_model init;	/* contents before the first operation */
};

enum lc_verdict {
	LC_ERROR = -1,		/* malformed history, or the search gave up */
	LC_LINEARIZABLE = 0,
	LC_NOT_LINEARIZABLE = 1,
};

struct lc_result {
	enum lc_verdict verdict;
	/*
	 * LC_LINEARIZABLE: a linearization (indices into ops). Otherwise the
	 * longest prefix of one that the search reached, for debugging.
	 */
	unsigned int order[LC_MAX_OPS];
	unsigned int norder;
	unsigned long nodes;	/* operations tried */
	const char *why;	/* LC_ERROR: the reason */
};

/* Search budget in operations tried before lc_check() gives up. */
#define LC_MAX_NODES	50000000UL

enum lc_verdict lc_check(const struct lc_history *h, struct lc_result *res);

/*
 * One step of the sequential model: if op's recorded result is what the
 * model gives, apply op to m and return true; otherwise return false with m
 * in an unspecified state.
 */
bool lc_model_step(struct lc_model *m, const struct lc_op *op);

/*
 * Apply op to m and fill in op's result as the model gives it (for
 * generating histories). Returns false if the model is full.
 */
bool lc_model_run(struct lc_model *m, struct lc_op *op);

/* "push(3) -> 2", "pop() -> ENODATA", ... (without stamps or thread). */
int lc_op_str(char *buf, size_t size, const struct lc_op *op);

/* The initial contents and every operation, in invocation order. */
void lc_print_history(FILE *f, const struct lc_history *h);

/* The operations of res->order, in that order. */
void lc_print_order(FILE *f, const struct lc_history *h,
		    const struct lc_result *res);

#endif /* LINCHECK_H */
