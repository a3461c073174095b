// SPDX-License-Identifier: GPL-2.0
/*
 * lincheck_selftest: tests of the linearizability checker on the host, no
 * device needed.
 *
 * Hand-made histories it must accept or reject, then random ones: histories
 * generated from the model (linearizable by construction), the same with
 * one result changed, and histories with random results, whose verdicts are
 * compared with a brute-force search over every order the real-time order
 * allows. Every accepted history's linearization is replayed and checked.
 *
 * usage: lincheck_selftest [-s SEED] [-v]
 * Output: one "ok N - ..." or "not ok N - ..." line per test, then
 * "lincheck-selftest: P passed, F failed". Exit status 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lincheck.h"
#include "../../selftests/secvec_rand.h"

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(i)		(1ULL << (i))
#define KEYS		4	/* values and indices: 0..KEYS-1 */

static int passed, failed, verbose;
static __u64 rng;

static unsigned int rnd_below(unsigned int n)
{
	return secvec_rand_below(&rng, n);
}

static __printf(2, 3) void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * An independent check of a claimed linearization: every operation exactly
 * once, no operation placed before one that responded before it was
 * invoked, and the model gives every recorded result.
 */
static bool witness_ok(const struct lc_history *h, const struct lc_result *r)
{
	struct lc_model m = h->init;
	uint64_t seen = 0;
	unsigned int a, b;

	if (r->norder != h->nops)
		return false;
	for (a = 0; a < r->norder; a++) {
		const struct lc_op *op = &h->ops[r->order[a]];

		if (r->order[a] >= h->nops || (seen & BIT(r->order[a])))
			return false;
		seen |= BIT(r->order[a]);
		for (b = a + 1; b < r->norder; b++)
			if (h->ops[r->order[b]].ret < op->call)
				return false;
		if (!lc_model_step(&m, op))
			return false;
	}
	return true;
}

/* Every order the real-time order allows, no memo: for small histories. */
static bool brute_from(const struct lc_history *h, uint64_t done,
		       const struct lc_model *m)
{
	uint64_t all = BIT(h->nops) - 1;
	unsigned int i, p;

	if (done == all)
		return true;
	for (i = 0; i < h->nops; i++) {
		struct lc_model next;
		bool may = !(done & BIT(i));

		for (p = 0; may && p < h->nops; p++)
			if (!(done & BIT(p)) && h->ops[p].ret < h->ops[i].call)
				may = false;
		if (!may)
			continue;
		next = *m;
		if (lc_model_step(&next, &h->ops[i]) &&
		    brute_from(h, done | BIT(i), &next))
			return true;
	}
	return false;
}

static enum lc_verdict brute(const struct lc_history *h)
{
	return brute_from(h, 0, &h->init) ? LC_LINEARIZABLE :
					    LC_NOT_LINEARIZABLE;
}

static const char *verdict_str(enum lc_verdict v)
{
	return v == LC_LINEARIZABLE ? "linearizable" :
	       v == LC_NOT_LINEARIZABLE ? "not linearizable" : "error";
}

/* lc_check() and, if it accepts, the witness; false on either failing. */
static bool check(const struct lc_history *h, enum lc_verdict want,
		  struct lc_result *r)
{
	enum lc_verdict got = lc_check(h, r);

	if (got == LC_LINEARIZABLE && !witness_ok(h, r))
		return false;
	return got == want;
}

static void dump(const struct lc_history *h, const struct lc_result *r)
{
	lc_print_history(stdout, h);
	printf("  verdict %s (%s), %lu nodes; %s:\n", verdict_str(r->verdict),
	       r->why ? r->why : "-", r->nodes,
	       r->verdict == LC_LINEARIZABLE ? "linearization" :
	       "longest prefix");
	lc_print_order(stdout, h, r);
}

#include "lincheck_selftest_cases.h"

static void test_hand_cases(void)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(hand_cases); i++) {
		const struct hand_case *c = &hand_cases[i];
		struct lc_history h = { .ops = (struct lc_op *)c->ops };
		struct lc_result r;
		bool ok;

		for (j = 0; j < ARRAY_SIZE(c->ops) && c->ops[j].ret; j++)
			h.nops = j + 1;
		h.init.len = c->init_len;
		memcpy(h.init.v, c->init, sizeof(c->init));
		ok = check(&h, c->want, &r);
		/* The brute force must agree, or the case is wrong. */
		if (ok && c->want != LC_ERROR)
			ok = brute(&h) == c->want;
		report(ok, "%s %s", c->want == LC_LINEARIZABLE ? "accept" :
		       c->want == LC_ERROR ? "refuse" : "reject", c->name);
		if (!ok || verbose)
			dump(&h, &r);
	}
}

static void random_op(struct lc_op *op, bool batches)
{
	unsigned int k = rnd_below(batches ? 100 : 90), i;

	memset(op, 0, sizeof(*op));
	op->kind = k < 25 ? LC_PUSH : k < 45 ? LC_POP : k < 65 ? LC_GET :
		   k < 80 ? LC_SET : k < 90 ? LC_SIZE :
		   k < 95 ? LC_PUSH_MANY : LC_POP_MANY;
	op->index = rnd_below(KEYS);
	op->value = rnd_below(KEYS);
	op->count = 1 + rnd_below(3);
	for (i = 0; i < op->count; i++)
		op->values[i] = rnd_below(KEYS);
}

/*
 * A history of threads x per operations, linearizable by construction:
 * each thread in turn (picked at random) invokes an operation, takes its
 * effect on the model (its linearization point) or responds. sequential:
 * each operation responds before the next is invoked.
 */
static void gen_history(struct lc_history *h, unsigned int threads,
			unsigned int per, bool sequential, bool batches)
{
	unsigned int phase[8] = { 0 }, cur[8] = { 0 }, count[8] = { 0 };
	struct lc_model m;
	uint64_t clock = 1;
	unsigned int i, left = threads;

	m.len = rnd_below(3);
	for (i = 0; i < m.len; i++)
		m.v[i] = rnd_below(KEYS);
	h->init = m;
	h->nops = 0;
	while (left) {
		unsigned int t = rnd_below(threads);
		struct lc_op *op = &h->ops[cur[t]];

		if (!phase[t] && count[t] == per)
			continue;
		do {
			switch (phase[t]++) {
			case 0:
				cur[t] = h->nops++;
				op = &h->ops[cur[t]];
				random_op(op, batches);
				op->thread = t;
				op->call = clock++;
				break;
			case 1:
				lc_model_run(&m, op);
				break;
			case 2:
				op->ret = clock++;
				phase[t] = 0;
				if (++count[t] == per)
					left--;
				break;
			}
		} while (sequential && phase[t]);
	}
}

/* Change op's result to one the model would not give in its place. */
static void mutate(struct lc_op *op)
{
	unsigned int c = rnd_below(4);

	switch (op->kind) {
	case LC_PUSH:
	case LC_PUSH_MANY:
		op->index = op->index && c & 1 ? op->index - 1 : op->index + 1;
		break;
	case LC_SIZE:
		op->value = op->value && c & 1 ? op->value - 1 : op->value + 1;
		break;
	case LC_SET:
		op->err = op->err ? 0 : ERANGE;
		break;
	case LC_POP:
	case LC_GET:
		if (op->err) {
			op->err = 0;
			op->value = rnd_below(KEYS);
		} else if (!c) {
			op->err = op->kind == LC_POP ? ENODATA : ERANGE;
		} else {
			op->value = (op->value + 1 + rnd_below(KEYS - 1)) %
				    KEYS;
		}
		break;
	case LC_POP_MANY:
		if (op->err) {
			op->err = 0;
			op->done = 1;
			op->index = 0;
			op->values[0] = rnd_below(KEYS);
		} else if (!c && op->done < op->count) {
			op->values[op->done] = rnd_below(KEYS);
			op->done++;
			op->index--;
		} else if (!c) {
			op->done--;
			op->index++;
			if (!op->done)
				op->err = ENODATA;
		} else {
			c = rnd_below(op->done);
			op->values[c] = (op->values[c] + 1 +
					 rnd_below(KEYS - 1)) % KEYS;
		}
		break;
	}
}

/* A third of the results replaced by any result the op could return. */
static void randomize_results(struct lc_history *h)
{
	unsigned int i, j;

	for (i = 0; i < h->nops; i++) {
		struct lc_op *op = &h->ops[i];

		if (rnd_below(3))
			continue;
		op->err = 0;
		op->index = op->kind == LC_GET || op->kind == LC_SET ?
			    op->index : rnd_below(KEYS);
		op->value = op->kind == LC_PUSH || op->kind == LC_SET ?
			    op->value : rnd_below(KEYS);
		if (op->kind == LC_POP_MANY) {
			op->done = 1 + rnd_below(op->count);
			for (j = 0; j < op->done; j++)
				op->values[j] = rnd_below(KEYS);
		}
		if (!rnd_below(5) && op->kind != LC_PUSH &&
		    op->kind != LC_PUSH_MANY && op->kind != LC_SIZE)
			op->err = op->kind == LC_GET || op->kind == LC_SET ?
				  ERANGE : ENODATA;
	}
}

enum gen_mode { GEN_MODEL, GEN_MUTATED, GEN_RANDOM };

/*
 * n histories of threads x per operations. GEN_MODEL must be accepted;
 * otherwise, with brute, the verdict must match the brute force's; without,
 * (sequential GEN_MUTATED only) it must be rejected.
 */
static void test_random(const char *what, unsigned int n, unsigned int threads,
			unsigned int per, bool sequential, enum gen_mode mode,
			bool use_brute)
{
	struct lc_op ops[LC_MAX_OPS];
	struct lc_history h = { .ops = ops };
	unsigned int i, bad = 0, rejected = 0;
	unsigned long max_nodes = 0;
	struct lc_result r;
	double t_check = 0;

	for (i = 0; i < n; i++) {
		enum lc_verdict want = LC_LINEARIZABLE;
		double t;

		gen_history(&h, threads, per, sequential, true);
		if (mode == GEN_MUTATED)
			mutate(&ops[rnd_below(h.nops)]);
		else if (mode == GEN_RANDOM)
			randomize_results(&h);
		if (mode != GEN_MODEL)
			want = use_brute ? brute(&h) : LC_NOT_LINEARIZABLE;
		t = now();
		if (!check(&h, want, &r)) {
			if (!bad++ || verbose) {
				printf("  %s: want %s\n", what,
				       verdict_str(want));
				dump(&h, &r);
			}
		}
		t_check += now() - t;
		rejected += r.verdict == LC_NOT_LINEARIZABLE;
		if (r.nodes > max_nodes)
			max_nodes = r.nodes;
	}
	report(!bad, "%s: %u/%u as expected, %u rejected%s; %lu nodes max, "
	       "%.1f us per check", what, n - bad, n, rejected,
	       use_brute ? " (verdicts = brute force)" : "", max_nodes,
	       t_check / n * 1e6);
}

/* Every candidate at every step is wrong but one: a long, narrow search. */
static void test_wide(void)
{
	struct lc_op ops[LC_MAX_OPS];
	struct lc_history h = { .ops = ops, .nops = LC_MAX_OPS };
	struct lc_result r;
	unsigned int i;
	bool ok;

	/* 64 pushes all overlapping, each of a distinct index. */
	for (i = 0; i < LC_MAX_OPS; i++) {
		unsigned int j = (i * 37) % LC_MAX_OPS;

		ops[i] = (struct lc_op){ .kind = LC_PUSH, .thread = i,
					 .call = 1 + i, .ret = 1000 + i,
					 .index = j, .value = j % KEYS };
	}
	ok = check(&h, LC_LINEARIZABLE, &r);
	report(ok, "accept 64 overlapping pushes (%lu nodes)", r.nodes);
	/* Two of them claim the same index. */
	ops[5].index = ops[6].index;
	ok = check(&h, LC_NOT_LINEARIZABLE, &r);
	report(ok, "reject 64 overlapping pushes, two at one index (%lu nodes)",
	       r.nodes);
}

/* What a rejected history's report looks like. */
static void test_print(void)
{
	static const struct {
		struct lc_op op;
		const char *want;
	} cases[] = {
		{ PUSH(0, 1, 2, 3, 7), "push(3) -> 7" },
		{ POP(0, 1, 2, 2), "pop() -> 2" },
		{ POP_EMPTY(0, 1, 2), "pop() -> ENODATA" },
		{ GET_ERANGE(0, 1, 2, 5), "get(5) -> ERANGE" },
		{ SET(0, 1, 2, 1, 3), "set(1, 3) -> ok" },
		{ SIZE(0, 1, 2, 4), "size() -> 4" },
		{ PUSH_MANY(0, 1, 2, 4, 2, 1, 0),
		  "push_many([1 0]) -> 4 (done 2)" },
		{ POP_MANY(0, 1, 2, 3, 1, 2, 0, 3), "pop_many(3) -> 1 [0 3]" },
	};
	struct lc_op ops[2] = { SIZE(1, 3, 4, 0), PUSH(0, 1, 2, 1, 0) };
	struct lc_history h = { .ops = ops, .nops = 2 };
	const char *want = "  initial contents: []\n"
			   "  #1  T0 [     1,      2] push(1) -> 0\n"
			   "  #0  T1 [     3,      4] size() -> 0\n";
	char buf[256], *out = NULL;
	size_t len = 0, i;
	bool ok = true;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		lc_op_str(buf, sizeof(buf), &cases[i].op);
		if (strcmp(buf, cases[i].want)) {
			printf("  got '%s', want '%s'\n", buf, cases[i].want);
			ok = false;
		}
	}
	f = open_memstream(&out, &len);
	if (f) {
		lc_print_history(f, &h);
		fclose(f);
	}
	if (!out || strcmp(out, want)) {
		printf("  got:\n%s  want:\n%s", out ? out : "", want);
		ok = false;
	}
	free(out);
	report(ok, "operations and histories print as expected");
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	int opt;

	while ((opt = getopt(argc, argv, "s:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-v]\n", argv[0]);
			return 2;
		}
	}
	rng = seed;
	printf("# lincheck-selftest: seed %llu\n", (unsigned long long)seed);

	test_hand_cases();
	test_print();
	test_wide();
	test_random("sequential 4x8 histories from the model accepted",
		    300, 4, 8, true, GEN_MODEL, false);
	test_random("sequential 4x8 histories with one result changed rejected",
		    300, 4, 8, true, GEN_MUTATED, false);
	test_random("concurrent 4x8 histories from the model accepted",
		    1000, 4, 8, false, GEN_MODEL, false);
	test_random("concurrent 3x2 histories from the model",
		    200, 3, 2, false, GEN_MODEL, true);
	test_random("concurrent 3x2 histories with one result changed",
		    300, 3, 2, false, GEN_MUTATED, true);
	test_random("concurrent 3x2 histories with random results",
		    300, 3, 2, false, GEN_RANDOM, true);
	test_random("concurrent 3x4 histories with one result changed",
		    200, 3, 4, false, GEN_MUTATED, true);
	test_random("concurrent 4x2 histories with random results",
		    200, 4, 2, false, GEN_RANDOM, true);
	test_random("concurrent 2x8 histories with random results",
		    100, 2, 8, false, GEN_RANDOM, true);

	printf("lincheck-selftest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
