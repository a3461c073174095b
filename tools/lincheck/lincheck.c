// SPDX-License-Identifier: GPL-2.0
/*
 * lincheck: the sequential model of a vector and the Wing-Gong-Lowe search
 * for a linearization of a history (see lincheck.h).
 *
 * The search memoizes configurations as Porcupine does: a configuration is
 * the set of operations linearized so far and the model's contents after
 * them. Two paths that reach the same configuration have the same future,
 * so the second is cut. The memo stores the contents themselves, not only a
 * hash of them: a hash collision must not cut a path that could succeed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lincheck.h"

#define BIT(i)	(1ULL << (i))

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t model_hash(uint64_t mask, const struct lc_model *m)
{
	uint64_t h = mix64(mask ^ ((uint64_t)m->len << 56));
	unsigned int i;

	for (i = 0; i < m->len; i++)
		h = mix64(h ^ m->v[i]) + i;
	return h;
}

static void model_copy(struct lc_model *dst, const struct lc_model *src)
{
	dst->len = src->len;
	memcpy(dst->v, src->v, src->len * sizeof(src->v[0]));
}

/* The memo: open addressing over (mask, hash); contents in an arena. */
struct memo_ent {
	uint64_t mask;
	uint64_t hash;
	size_t off;		/* into arena */
	unsigned int len;
	bool used;
};

struct memo {
	struct memo_ent *tab;
	size_t cap;		/* a power of two */
	size_t used;
	uint64_t *arena;
	size_t alen, acap;
};

static void memo_free(struct memo *mo)
{
	free(mo->tab);
	free(mo->arena);
}

static int memo_grow(struct memo *mo)
{
	size_t cap = mo->cap ? mo->cap * 2 : 256, i, j;
	struct memo_ent *tab = calloc(cap, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < mo->cap; i++) {
		if (!mo->tab[i].used)
			continue;
		for (j = mo->tab[i].hash & (cap - 1); tab[j].used;
		     j = (j + 1) & (cap - 1))
			;
		tab[j] = mo->tab[i];
	}
	free(mo->tab);
	mo->tab = tab;
	mo->cap = cap;
	return 0;
}

/* 1 if (mask, m) was new and is now recorded, 0 if seen, -ENOMEM. */
static int memo_add(struct memo *mo, uint64_t mask, const struct lc_model *m)
{
	uint64_t h = model_hash(mask, m);
	struct memo_ent *e;
	size_t j;

	if (2 * (mo->used + 1) > mo->cap && memo_grow(mo))
		return -ENOMEM;
	for (j = h & (mo->cap - 1); mo->tab[j].used;
	     j = (j + 1) & (mo->cap - 1)) {
		e = &mo->tab[j];
		if (e->hash == h && e->mask == mask && e->len == m->len &&
		    !memcmp(mo->arena + e->off, m->v, m->len * sizeof(m->v[0])))
			return 0;
	}
	if (!mo->arena || mo->alen + m->len > mo->acap) {
		size_t acap = mo->acap ? mo->acap * 2 : 1024;
		uint64_t *arena;

		while (acap < mo->alen + m->len)
			acap *= 2;
		arena = realloc(mo->arena, acap * sizeof(*arena));
		if (!arena)
			return -ENOMEM;
		mo->arena = arena;
		mo->acap = acap;
	}
	e = &mo->tab[j];
	*e = (struct memo_ent){ .mask = mask, .hash = h, .off = mo->alen,
				.len = m->len, .used = true };
	memcpy(mo->arena + mo->alen, m->v, m->len * sizeof(m->v[0]));
	mo->alen += m->len;
	mo->used++;
	return 1;
}

bool lc_model_step(struct lc_model *m, const struct lc_op *op)
{
	unsigned int i, n;

	switch (op->kind) {
	case LC_PUSH:
		if (op->err || op->index != m->len || m->len >= LC_MAX_LEN)
			return false;
		m->v[m->len++] = op->value;
		return true;
	case LC_POP:
		if (!m->len)
			return op->err == ENODATA;
		if (op->err || op->value != m->v[m->len - 1])
			return false;
		m->len--;
		return true;
	case LC_GET:
		if (op->index >= m->len)
			return op->err == ERANGE;
		return !op->err && op->value == m->v[op->index];
	case LC_SET:
		if (op->index >= m->len)
			return op->err == ERANGE;
		if (op->err)
			return false;
		m->v[op->index] = op->value;
		return true;
	case LC_SIZE:
		return !op->err && op->value == m->len;
	case LC_PUSH_MANY:
		if (op->err || op->index != m->len || op->done != op->count ||
		    op->count > LC_BATCH_MAX || m->len + op->count > LC_MAX_LEN)
			return false;
		memcpy(m->v + m->len, op->values, op->count * sizeof(m->v[0]));
		m->len += op->count;
		return true;
	case LC_POP_MANY:
		if (!m->len)
			return op->err == ENODATA;
		n = op->count < m->len ? op->count : m->len;
		if (op->err || op->done != n || op->index != m->len - n)
			return false;
		for (i = 0; i < n; i++)
			if (op->values[i] != m->v[m->len - n + i])
				return false;
		m->len -= n;
		return true;
	}
	return false;
}

bool lc_model_run(struct lc_model *m, struct lc_op *op)
{
	unsigned int i, n;

	op->err = 0;
	switch (op->kind) {
	case LC_PUSH:
		if (m->len >= LC_MAX_LEN)
			return false;
		op->index = m->len;
		break;
	case LC_POP:
		if (!m->len)
			op->err = ENODATA;
		else
			op->value = m->v[m->len - 1];
		break;
	case LC_GET:
	case LC_SET:
		if (op->index >= m->len)
			op->err = ERANGE;
		else if (op->kind == LC_GET)
			op->value = m->v[op->index];
		break;
	case LC_SIZE:
		op->value = m->len;
		break;
	case LC_PUSH_MANY:
		if (m->len + op->count > LC_MAX_LEN)
			return false;
		op->index = m->len;
		op->done = op->count;
		break;
	case LC_POP_MANY:
		if (!m->len) {
			op->err = ENODATA;
			break;
		}
		n = op->count < m->len ? op->count : m->len;
		op->index = m->len - n;
		op->done = n;
		for (i = 0; i < LC_BATCH_MAX; i++)
			op->values[i] = i < n ? m->v[m->len - n + i] : 0;
		break;
	}
	return lc_model_step(m, op);
}

struct search {
	const struct lc_history *h;
	struct lc_result *res;
	struct lc_model *stack;		/* the model at each depth */
	unsigned int order[LC_MAX_OPS];
	uint64_t all;
	struct memo memo;
	const char *stop;		/* why the search gave up */
};

static bool search(struct search *s, uint64_t done, unsigned int depth)
{
	const struct lc_op *ops = s->h->ops;
	struct lc_model *m = &s->stack[depth], *next = &s->stack[depth + 1];
	uint64_t left = s->all & ~done, minret = UINT64_MAX;
	unsigned int i, n = s->h->nops;
	int r;

	if (!left)
		return true;
	for (i = 0; i < n; i++)
		if ((left & BIT(i)) && ops[i].ret < minret)
			minret = ops[i].ret;
	/* Minimal: no operation left responded before this one was invoked. */
	for (i = 0; i < n; i++) {
		if (!(left & BIT(i)) || ops[i].call > minret)
			continue;
		if (++s->res->nodes > LC_MAX_NODES) {
			s->stop = "search budget exhausted";
			return false;
		}
		model_copy(next, m);
		if (!lc_model_step(next, &ops[i]))
			continue;
		r = memo_add(&s->memo, done | BIT(i), next);
		if (r < 0) {
			s->stop = "out of memory";
			return false;
		}
		if (!r)
			continue;
		s->order[depth] = i;
		if (depth + 1 > s->res->norder) {
			s->res->norder = depth + 1;
			memcpy(s->res->order, s->order,
			       (depth + 1) * sizeof(s->order[0]));
		}
		if (search(s, done | BIT(i), depth + 1) || s->stop)
			return !s->stop;
	}
	return false;
}

static const char *validate(const struct lc_history *h)
{
	unsigned int i, room;

	if (h->nops > LC_MAX_OPS)
		return "more than LC_MAX_OPS operations";
	if (h->init.len > LC_MAX_LEN)
		return "initial contents over LC_MAX_LEN";
	room = LC_MAX_LEN - h->init.len;
	for (i = 0; i < h->nops; i++) {
		const struct lc_op *op = &h->ops[i];
		unsigned int pushed = 0;

		if (op->call >= op->ret)
			return "an operation responds before it is invoked";
		if (op->kind == LC_PUSH)
			pushed = 1;
		if (op->kind == LC_PUSH_MANY || op->kind == LC_POP_MANY) {
			if (!op->count || op->count > LC_BATCH_MAX)
				return "batch count out of 1..LC_BATCH_MAX";
			if (op->kind == LC_PUSH_MANY)
				pushed = op->count;
		} else if ((unsigned int)op->kind > LC_POP_MANY) {
			return "unknown operation";
		}
		if (pushed > room)
			return "the pushes could overflow LC_MAX_LEN";
		room -= pushed;
	}
	return NULL;
}

enum lc_verdict lc_check(const struct lc_history *h, struct lc_result *res)
{
	struct search s = { .h = h, .res = res };
	bool ok;

	memset(res, 0, sizeof(*res));
	res->why = validate(h);
	if (res->why)
		return res->verdict = LC_ERROR;
	s.all = h->nops == 64 ? ~0ULL : BIT(h->nops) - 1;
	s.stack = malloc((h->nops + 1) * sizeof(*s.stack));
	if (!s.stack) {
		res->why = "out of memory";
		return res->verdict = LC_ERROR;
	}
	model_copy(&s.stack[0], &h->init);
	ok = search(&s, 0, 0);
	memo_free(&s.memo);
	free(s.stack);
	if (s.stop) {
		res->why = s.stop;
		return res->verdict = LC_ERROR;
	}
	return res->verdict = ok ? LC_LINEARIZABLE : LC_NOT_LINEARIZABLE;
}

static const char *err_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

static int values_str(char *buf, size_t size, const uint64_t *v,
		      unsigned int n)
{
	int len = 0;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(buf + len, size > (size_t)len ? size - len : 0,
				"%s%llu", i ? " " : "",
				(unsigned long long)v[i]);
	return len;
}

int lc_op_str(char *buf, size_t size, const struct lc_op *op)
{
	unsigned long long idx = op->index, val = op->value;
	char vals[LC_BATCH_MAX * 24];
	char res[LC_BATCH_MAX * 24 + 64];

	if (op->err)
		snprintf(res, sizeof(res), "%s", err_name(op->err));
	switch (op->kind) {
	case LC_PUSH:
		if (!op->err)
			snprintf(res, sizeof(res), "%llu", idx);
		return snprintf(buf, size, "push(%llu) -> %s", val, res);
	case LC_POP:
		if (!op->err)
			snprintf(res, sizeof(res), "%llu", val);
		return snprintf(buf, size, "pop() -> %s", res);
	case LC_GET:
		if (!op->err)
			snprintf(res, sizeof(res), "%llu", val);
		return snprintf(buf, size, "get(%llu) -> %s", idx, res);
	case LC_SET:
		return snprintf(buf, size, "set(%llu, %llu) -> %s", idx, val,
				op->err ? res : "ok");
	case LC_SIZE:
		if (!op->err)
			snprintf(res, sizeof(res), "%llu", val);
		return snprintf(buf, size, "size() -> %s", res);
	case LC_PUSH_MANY:
		values_str(vals, sizeof(vals), op->values,
			   op->count < LC_BATCH_MAX ? op->count : LC_BATCH_MAX);
		if (!op->err)
			snprintf(res, sizeof(res), "%llu (done %u)", idx,
				 op->done);
		return snprintf(buf, size, "push_many([%s]) -> %s", vals, res);
	case LC_POP_MANY:
		if (!op->err) {
			values_str(vals, sizeof(vals), op->values,
				   op->done < LC_BATCH_MAX ? op->done :
				   LC_BATCH_MAX);
			snprintf(res, sizeof(res), "%llu [%s]", idx, vals);
		}
		return snprintf(buf, size, "pop_many(%u) -> %s", op->count,
				res);
	}
	return snprintf(buf, size, "op%d?", (int)op->kind);
}

static void print_op(FILE *f, const struct lc_history *h, unsigned int i)
{
	const struct lc_op *op = &h->ops[i];
	char buf[256];

	lc_op_str(buf, sizeof(buf), op);
	fprintf(f, "  #%-2u T%d [%6llu, %6llu] %s\n", i, op->thread,
		(unsigned long long)op->call, (unsigned long long)op->ret, buf);
}

static const struct lc_op *sort_ops;

static int by_call(const void *a, const void *b)
{
	uint64_t x = sort_ops[*(const unsigned int *)a].call;
	uint64_t y = sort_ops[*(const unsigned int *)b].call;

	return x < y ? -1 : x > y;
}

void lc_print_history(FILE *f, const struct lc_history *h)
{
	unsigned int idx[LC_MAX_OPS], i, n = h->nops;
	char buf[LC_MAX_LEN * 24];

	if (n > LC_MAX_OPS)
		n = LC_MAX_OPS;
	values_str(buf, sizeof(buf), h->init.v,
		   h->init.len < LC_MAX_LEN ? h->init.len : LC_MAX_LEN);
	fprintf(f, "  initial contents: [%s]\n", buf);
	for (i = 0; i < n; i++)
		idx[i] = i;
	sort_ops = h->ops;
	qsort(idx, n, sizeof(idx[0]), by_call);
	for (i = 0; i < n; i++)
		print_op(f, h, idx[i]);
}

void lc_print_order(FILE *f, const struct lc_history *h,
		    const struct lc_result *res)
{
	unsigned int i;

	for (i = 0; i < res->norder; i++)
		print_op(f, h, res->order[i]);
}
