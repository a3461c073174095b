// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_fuzz_test: random ioctls against /dev/secvec, checked against a
 * model.
 *
 * Each call picks a command number (a valid SECVEC_IOC_*, the secvec magic
 * with another number, size or direction, another magic, or any 32-bit
 * value), an argument pointer (NULL, unmapped, read-only, kernel, non-
 * canonical, misaligned, straddling a page edge into an unmapped or
 * read-only page, or valid), and argument fields (indices in and out of
 * range, batch counts 0, 1, small, SECVEC_BATCH_MAX, SECVEC_BATCH_MAX + 1,
 * huge, values arrays with the same choice of pointers).
 *
 * The model is a plain array. Before each call the test works out from the
 * model and from which bytes of the arguments are readable and writable
 * the set of results the uapi contract allows (an errno, or success with
 * exactly what outputs); the call must return one of them. Only a call
 * that succeeded changes the model, by the command's documented effect.
 * Where the contract leaves an order of checks open (say, a bad pointer
 * and an empty vector at once), every answer it allows is accepted.
 * A failed call that would have changed the size is followed by a check
 * that the size and the last element did not change. Every CHECK_EVERY
 * calls, and at the end, the vector is read back whole
 * (SIZE + GET_RANGE into a good buffer) and compared with the model.
 * Unknown commands must fail with ENOTTY and change nothing.
 *
 * Reproducing: the seed is printed; SECVEC_FUZZ_SEED=<seed> replays the
 * same calls, SECVEC_FUZZ_CALLS=<n> changes how many (default 100000).
 * A failure prints the last calls made. The host's scan of the kernel log
 * (scripts/lab-vm.sh) catches what the kernel itself reports.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"
#include "secvec_fixture.h"
#include "secvec_rand.h"

#define DEFAULT_CALLS	100000
#define CHECK_EVERY	1000
#define HISTORY		16

/* Seconds the harness allows the fuzz case (TCG runs it slowly). */
#define FUZZ_TIMEOUT	600

/* Result sets: bit 0 is success, bit e is errno e (all are below 64). */
#define OK		1ULL
#define E(e)		(1ULL << (e))

/* Access to a user range, as this process has mapped it. */
#define ACC_R		1
#define ACC_W		2
#define ACC_RW		(ACC_R | ACC_W)

/* ---- valid commands --------------------------------------------------- */

enum {
	C_PUSH, C_POP, C_GET, C_SET, C_SIZE, C_RESERVE, C_CLEAR,
	C_PUSH_MANY, C_POP_MANY, C_GET_RANGE, C_INFO, NR_CMDS
};

static const struct {
	const char *name;
	unsigned int cmd;
	unsigned int weight;	/* how often the fuzzer picks it */
} cmds[NR_CMDS] = {
	[C_PUSH]	= { "PUSH",	 SECVEC_IOC_PUSH,	140 },
	[C_POP]		= { "POP",	 SECVEC_IOC_POP,	120 },
	[C_GET]		= { "GET",	 SECVEC_IOC_GET,	100 },
	[C_SET]		= { "SET",	 SECVEC_IOC_SET,	100 },
	[C_SIZE]	= { "SIZE",	 SECVEC_IOC_SIZE,	 50 },
	[C_RESERVE]	= { "RESERVE",	 SECVEC_IOC_RESERVE,	 40 },
	[C_CLEAR]	= { "CLEAR",	 SECVEC_IOC_CLEAR,	  2 },
	[C_PUSH_MANY]	= { "PUSH_MANY", SECVEC_IOC_PUSH_MANY,	140 },
	[C_POP_MANY]	= { "POP_MANY",	 SECVEC_IOC_POP_MANY,	140 },
	[C_GET_RANGE]	= { "GET_RANGE", SECVEC_IOC_GET_RANGE,	100 },
	[C_INFO]	= { "INFO",	 SECVEC_IOC_INFO,	 50 },
};

static int cmd_kind(unsigned int cmd)
{
	int k;

	for (k = 0; k < NR_CMDS; k++)
		if (cmds[k].cmd == cmd)
			return k;
	return -1;
}

/*
 * Generic ioctls the VFS answers before the driver sees them (FIOCLEX,
 * FIONBIO, FIFREEZE, FS_IOC_*, FICLONE, ...) live under these types; the
 * fuzzer never sends them, as their results are not the driver's.
 */
static bool vfs_cmd(unsigned int cmd)
{
	switch (_IOC_TYPE(cmd)) {
	case 'T': case 'X': case 'f': case 0x94: case 0x15:
		return true;
	case 0:
		return _IOC_NR(cmd) <= 2;	/* FIBMAP, FIGETBSZ */
	}
	return false;
}

/* ---- random numbers ----------------------------------------------------- */

/* One stream for the whole run: SECVEC_FUZZ_SEED sets it. */
static __u64 rng_state;

static __u64 rnd(void)
{
	return secvec_rand(&rng_state);
}

static __u64 below(__u64 n)
{
	return secvec_rand_below(&rng_state, n);
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* ---- the arena: user memory of known layout ------------------------------ */

/*
 * Pages, in order:
 *   lead hole | values (RW, room for SECVEC_BATCH_MAX + 1 values and a
 *   page) | ro1 | hole1 | rw1 | ro2 | rw2 | hole2
 * so that every kind of page edge exists: RW->RO, RO->hole, hole->RW,
 * RW->RO, RO->RW, RW->hole. Holes are unmapped, and the arena is set up
 * after every other allocation so that nothing is later mapped into them
 * (checked at every model check). Ranges that run past the arena run into
 * a hole first, so treating everything outside it as inaccessible is exact.
 */
enum { PG_NONE, PG_RO, PG_RW };

struct fuzz_call {
	unsigned long nr;
	unsigned int cmd;
	int kind;
	uintptr_t arg;
	const char *arg_how;
	__u64 index, value, count, values;
	const char *values_how;
	__u64 size_before;
	__u64 allowed;
	int ret;
};

struct fuzz_state {
	long page;
	unsigned char *base;
	size_t npages;
	unsigned char *perm;
	size_t values_pg, nvalues_pg, ro1, hole1, rw1, ro2, rw2, hole2;
	uintptr_t far_unmapped;

	__u64 max;		/* max_elements */
	__u64 *model;
	__u64 size;
	__u64 *snap;		/* good buffer for reading the vector back */

	unsigned long calls, valid_calls, unknown_calls, check_calls;
	unsigned long ok[NR_CMDS], failed[NR_CMDS], errs[64];
	__u64 max_size;
	unsigned long mprotects;
	struct fuzz_call hist[HISTORY];
};

static uintptr_t pg_addr(struct fuzz_state *f, size_t pg)
{
	return (uintptr_t)f->base + pg * f->page;
}

/* The access this process has to every byte of [p, p + len). */
static int acc(struct fuzz_state *f, uintptr_t p, __u64 len)
{
	uintptr_t start = (uintptr_t)f->base;
	uintptr_t end = start + f->npages * f->page;
	int a = ACC_RW;
	uintptr_t q;

	if (!len)
		return ACC_RW;
	if (p < start || p >= end || len > end - p)
		return 0;
	for (q = p & ~(uintptr_t)(f->page - 1); q < p + len; q += f->page) {
		switch (f->perm[(q - start) / f->page]) {
		case PG_NONE:
			return 0;
		case PG_RO:
			a &= ~ACC_W;
			break;
		}
	}
	return a;
}

static bool can(struct fuzz_state *f, uintptr_t p, __u64 len, int want)
{
	return (acc(f, p, len) & want) == want;
}

static int set_ro_pages(struct fuzz_state *f, int prot)
{
	f->mprotects += 2;
	if (mprotect((void *)pg_addr(f, f->ro1), f->page, prot) ||
	    mprotect((void *)pg_addr(f, f->ro2), f->page, prot))
		return -1;
	return 0;
}

/*
 * Store @len bytes at @p wherever the arena has a page there: read-only
 * pages are opened for the write, holes and memory outside are skipped.
 */
static int arena_write(struct fuzz_state *f, uintptr_t p, const void *src,
		       size_t len)
{
	uintptr_t start = (uintptr_t)f->base;
	uintptr_t end = start + f->npages * f->page;
	bool opened = false;
	size_t i;
	int ret = 0;

	if (!len || p + len < p || p + len <= start || p >= end)
		return 0;
	for (i = 0; i < len; i++) {
		uintptr_t q = p + i;

		if (q < start || q >= end)
			continue;
		switch (f->perm[(q - start) / f->page]) {
		case PG_NONE:
			continue;
		case PG_RO:
			if (!opened) {
				if (set_ro_pages(f, PROT_READ | PROT_WRITE))
					return -1;
				opened = true;
			}
			break;
		}
		((unsigned char *)q)[0] = ((const unsigned char *)src)[i];
	}
	if (opened)
		ret = set_ro_pages(f, PROT_READ);
	return ret;
}

/* A page is still unmapped: msync() says ENOMEM for unmapped memory. */
static bool unmapped(uintptr_t p, long page)
{
	return msync((void *)(p & ~(uintptr_t)(page - 1)), page, MS_ASYNC) &&
	       errno == ENOMEM;
}

static int arena_setup(struct fuzz_state *f)
{
	size_t room = (SECVEC_BATCH_MAX + 1) * sizeof(__u64), i;
	void *far;

	f->nvalues_pg = (room + f->page - 1) / f->page + 1;
	f->values_pg = 1;
	f->ro1 = f->values_pg + f->nvalues_pg;
	f->hole1 = f->ro1 + 1;
	f->rw1 = f->hole1 + 1;
	f->ro2 = f->rw1 + 1;
	f->rw2 = f->ro2 + 1;
	f->hole2 = f->rw2 + 1;
	f->npages = f->hole2 + 1;
	f->perm = calloc(f->npages, 1);
	if (!f->perm)
		return -1;
	f->base = mmap(NULL, f->npages * f->page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->base == MAP_FAILED)
		return -1;
	/* Known, resident contents: random values everywhere. */
	for (i = 0; i < f->npages * f->page / sizeof(__u64); i++)
		((__u64 *)f->base)[i] = rnd();
	for (i = 0; i < f->npages; i++)
		f->perm[i] = PG_RW;
	f->perm[0] = f->perm[f->hole1] = f->perm[f->hole2] = PG_NONE;
	f->perm[f->ro1] = f->perm[f->ro2] = PG_RO;
	if (munmap((void *)pg_addr(f, 0), f->page) ||
	    munmap((void *)pg_addr(f, f->hole1), f->page) ||
	    munmap((void *)pg_addr(f, f->hole2), f->page) ||
	    set_ro_pages(f, PROT_READ))
		return -1;
	/* And an unmapped address away from the arena. */
	far = mmap(NULL, 4 * f->page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (far == MAP_FAILED || munmap(far, 4 * f->page))
		return -1;
	f->far_unmapped = (uintptr_t)far + f->page;
	return 0;
}

static bool arena_intact(struct fuzz_state *f)
{
	return unmapped(pg_addr(f, 0), f->page) &&
	       unmapped(pg_addr(f, f->hole1), f->page) &&
	       unmapped(pg_addr(f, f->hole2), f->page) &&
	       unmapped(f->far_unmapped, f->page);
}

/* ---- choosing pointers ------------------------------------------------------ */

static const uintptr_t kernel_ptrs[] = {
	0xffff888000000000ULL,	/* direct map */
	0xffffffff81000000ULL,	/* kernel text */
	0xffffc90000000000ULL,	/* vmalloc */
	(uintptr_t)-4096,
	(uintptr_t)-1,
	0x8000000000000000ULL,	/* non-canonical */
	0x0000800000000000ULL,	/* just past 47-bit user space */
};

/* An aligned offset in [0, room - len], or 0 if len > room. */
static size_t fit(size_t room, __u64 len, size_t align)
{
	if (len >= room)
		return 0;
	return below((room - len) / align + 1) * align;
}

/* A pointer that straddles from the page before @pg into page @pg. */
static uintptr_t straddle(struct fuzz_state *f, size_t pg, __u64 len)
{
	uintptr_t edge = pg_addr(f, pg), lo = pg_addr(f, 1);
	__u64 k;

	if (len < 2)
		return edge - 1 - below(8);
	/* Mostly a whole number of u64s in front, sometimes any. */
	k = 1 + below(len - 1);
	if (chance(60) && len >= 16)
		k = 8 * (1 + below((len - 1) / 8));
	if (k > edge - lo)
		k = edge - lo;
	return edge - k;
}

/*
 * A pointer for an object of @len bytes. Valid values arrays (@big) live in
 * the values region, valid arguments in rw1 and rw2.
 */
static uintptr_t pick_ptr(struct fuzz_state *f, __u64 len, bool big,
			  const char **how)
{
	size_t pg;

	switch (below(20)) {
	case 0:
		*how = "NULL";
		return 0;
	case 1:
		*how = "kernel";
		return kernel_ptrs[below(ARRAY_SIZE(kernel_ptrs))];
	case 2:
		*how = "unmapped";
		if (chance(50))
			return f->far_unmapped + fit(f->page, 8, 8);
		pg = chance(50) ? f->hole1 : f->hole2;
		return pg_addr(f, pg) + fit(f->page, len, 8);
	case 3:
		*how = "read-only";
		pg = chance(50) ? f->ro1 : f->ro2;
		return pg_addr(f, pg) + fit(f->page, len, 8);
	case 4:
		*how = "RW->hole";
		return straddle(f, f->hole2, len);
	case 5:
		*how = "RW->RO";
		return straddle(f, chance(50) ? f->ro1 : f->ro2, len);
	case 6:
		*how = "RO->RW";
		return straddle(f, f->rw2, len);
	case 7:
		*how = "hole->RW";
		return straddle(f, f->rw1, len);
	case 8:
		*how = "RO->hole";
		return straddle(f, f->hole1, len);
	case 9: case 10:
		*how = "misaligned";
		if (big || len > (__u64)f->page / 2)
			return pg_addr(f, f->values_pg) + 1 + below(7) +
			       fit(f->nvalues_pg * f->page - 8, len, 8);
		pg = chance(50) ? f->rw1 : f->rw2;
		return pg_addr(f, pg) + 1 + below(7) +
		       fit(f->page - 8, len, 8);
	default:
		*how = "valid";
		if (big || len > (__u64)f->page / 2)
			return pg_addr(f, f->values_pg) +
			       fit(f->nvalues_pg * f->page, len, 8);
		pg = chance(50) ? f->rw1 : f->rw2;
		return pg_addr(f, pg) + fit(f->page, len, 8);
	}
}

/* A batch count: 0, 1, small, medium, SECVEC_BATCH_MAX, + 1, huge. */
static __u32 pick_count(void)
{
	switch (below(100)) {
	case 0 ... 3:
		return 0;
	case 4 ... 23:
		return 1;
	case 24 ... 58:
		return 2 + below(15);
	case 59 ... 83:
		return 1 + below(4096);
	case 84 ... 87:
		return SECVEC_BATCH_MAX;
	case 88 ... 91:
		return SECVEC_BATCH_MAX + 1;
	case 92 ... 95:
		return SECVEC_BATCH_MAX + 1 + below(UINT32_MAX - SECVEC_BATCH_MAX);
	default:
		return chance(50) ? UINT32_MAX : 1U << 31;
	}
}

/* An index: mostly in range, else at the end, past it, or anything. */
static __u64 pick_index(__u64 size)
{
	switch (below(10)) {
	case 0:
		return size;
	case 1:
		return size + 1 + below(1000);
	case 2:
		return chance(50) ? UINT64_MAX : rnd();
	default:
		return size ? below(size) : 0;
	}
}

/* A RESERVE count: small, up to the cap, the cap, past it, anything. */
static __u64 pick_reserve(__u64 size, __u64 max)
{
	switch (below(10)) {
	case 0:
		return max;
	case 1:
		return max + 1;
	case 2:
		return chance(50) ? UINT64_MAX : rnd();
	case 3:
		return 0;
	default:
		return below(size + 4096 < max ? size + 4096 : max);
	}
}

/* ---- commands ------------------------------------------------------------- */

static unsigned int pick_cmd(int *kind)
{
	unsigned int total = 0, w, cmd, dir, nr, size;
	int k;

	switch (below(100)) {
	case 0 ... 59:
		for (k = 0; k < NR_CMDS; k++)
			total += cmds[k].weight;
		w = below(total);
		for (k = 0; w >= cmds[k].weight; k++)
			w -= cmds[k].weight;
		*kind = k;
		return cmds[k].cmd;
	case 60 ... 79:
		/* The secvec magic, one field of a valid command changed. */
		cmd = cmds[below(NR_CMDS)].cmd;
		dir = _IOC_DIR(cmd);
		nr = _IOC_NR(cmd);
		size = _IOC_SIZE(cmd);
		switch (below(4)) {
		case 0:
			dir = below(4);
			break;
		case 1:
			nr = chance(50) ? below(256) : NR_CMDS + below(4);
			break;
		case 2:
			size = chance(50) ? below(1U << _IOC_SIZEBITS) :
			       size + (chance(50) ? 8 : -8);
			break;
		default:
			dir = below(4);
			nr = below(256);
			size = below(1U << _IOC_SIZEBITS);
		}
		cmd = _IOC(dir, SECVEC_IOC_MAGIC, nr,
			   size & ((1U << _IOC_SIZEBITS) - 1));
		break;
	case 80 ... 94:
		/* Another magic. */
		do {
			cmd = _IOC(below(4), below(256), below(256),
				   below(1U << _IOC_SIZEBITS));
		} while (_IOC_TYPE(cmd) == SECVEC_IOC_MAGIC || vfs_cmd(cmd));
		break;
	default:
		do {
			cmd = (unsigned int)rnd();
		} while (vfs_cmd(cmd));
	}
	*kind = cmd_kind(cmd);
	return cmd;
}

/* Bytes of argument each command reads or writes. */
static __u64 arg_len(int kind)
{
	switch (kind) {
	case C_PUSH: case C_GET: case C_SET:
		return sizeof(struct secvec_elem);
	case C_PUSH_MANY: case C_POP_MANY: case C_GET_RANGE:
		return sizeof(struct secvec_batch);
	case C_INFO:
		return sizeof(struct secvec_info);
	case C_CLEAR:
		return 0;
	default:
		return sizeof(__u64);
	}
}

/* Do [a, a + alen) and [b, b + blen) share a byte? */
static bool overlap(uintptr_t a, __u64 alen, uintptr_t b, __u64 blen)
{
	if (!alen || !blen)
		return false;
	return a < b ? b - a < alen : a - b < blen;
}

#define OFF(type, field)	offsetof(type, field)
#define LEN(type, field)	sizeof(((type *)0)->field)
#define FIELD_CAN(f, arg, type, field, want) \
	can(f, (arg) + OFF(type, field), LEN(type, field), want)

/*
 * Fill in the argument at c->arg for command c->kind (only the bytes this
 * process may write or open for writing), then work out what results the
 * contract allows from what the kernel can read and write.
 */
static int prepare(struct fuzz_state *f, struct fuzz_call *c)
{
	struct secvec_elem e;
	struct secvec_batch b;
	__u64 len = arg_len(c->kind), n, k;
	bool r = can(f, c->arg, len, ACC_R), w;
	__u64 sz = f->size, cap = f->max, u;

	c->allowed = 0;
	switch (c->kind) {
	case C_PUSH: case C_GET: case C_SET:
		e.index = c->kind == C_PUSH ? rnd() : pick_index(sz);
		e.value = rnd();
		if (arena_write(f, c->arg, &e, sizeof(e)))
			return -1;
		if (!r)
			return c->allowed = E(EFAULT), 0;
		memcpy(&e, (void *)c->arg, sizeof(e));
		c->index = e.index;
		c->value = e.value;
		w = FIELD_CAN(f, c->arg, struct secvec_elem, index, ACC_W);
		if (c->kind == C_PUSH) {
			if (!w)
				c->allowed |= E(EFAULT);
			if (sz >= cap)
				c->allowed |= E(ENOSPC);
			return c->allowed = c->allowed ?: OK, 0;
		}
		if (e.index >= sz)
			c->allowed = E(ERANGE);
		w = FIELD_CAN(f, c->arg, struct secvec_elem, value, ACC_W);
		if (c->kind == C_GET && !w)
			c->allowed |= E(EFAULT);
		return c->allowed = c->allowed ?: OK, 0;

	case C_POP:
		w = can(f, c->arg, 8, ACC_W);
		if (!sz)
			c->allowed = E(ENODATA) | (w ? 0 : E(EFAULT));
		else
			c->allowed = w ? OK : E(EFAULT);
		return 0;

	case C_SIZE:
		c->allowed = can(f, c->arg, 8, ACC_W) ? OK : E(EFAULT);
		return 0;

	case C_INFO:
		c->allowed = can(f, c->arg, len, ACC_W) ? OK : E(EFAULT);
		return 0;

	case C_CLEAR:
		c->allowed = OK;
		return 0;

	case C_RESERVE:
		u = pick_reserve(sz, cap);
		if (arena_write(f, c->arg, &u, sizeof(u)))
			return -1;
		if (!r)
			return c->allowed = E(EFAULT), 0;
		memcpy(&u, (void *)c->arg, sizeof(u));
		c->count = u;
		c->allowed = u > cap ? E(ENOSPC) : OK;
		return 0;
	}

	/* The batch commands. */
	memset(&b, 0, sizeof(b));
	b.count = pick_count();
	b.index = c->kind == C_GET_RANGE ? pick_index(sz) : rnd();
	b.done = rnd();
	/*
	 * Never over the argument itself: the kernel writes both, and what
	 * a call did could not be told from what the memory holds.
	 */
	for (k = 0; k < 16; k++) {
		b.values = pick_ptr(f, (__u64)b.count * 8, true,
				    &c->values_how);
		if (!overlap(c->arg, len, b.values, (__u64)b.count * 8))
			break;
	}
	if (k == 16) {
		b.values = pg_addr(f, f->values_pg);
		c->values_how = "valid";
	}
	if (arena_write(f, c->arg, &b, sizeof(b)))
		return -1;
	if (!r)
		return c->allowed = E(EFAULT), 0;
	memcpy(&b, (void *)c->arg, sizeof(b));
	c->index = b.index;
	c->count = b.count;
	c->values = b.values;
	if (!b.count || b.count > SECVEC_BATCH_MAX)
		return c->allowed = E(EINVAL), 0;

	/* Fresh values to push, where they can be written. */
	if (c->kind == C_PUSH_MANY) {
		__u64 fresh = b.count < 64 ? b.count : 64;

		for (k = 0; k < fresh; k++)
			if (can(f, b.values + 8 * k, 8, ACC_W)) {
				u = rnd();
				memcpy((void *)(uintptr_t)(b.values + 8 * k),
				       &u, 8);
			}
	}

	w = FIELD_CAN(f, c->arg, struct secvec_batch, done, ACC_W);
	switch (c->kind) {
	case C_PUSH_MANY:
		w = w && FIELD_CAN(f, c->arg, struct secvec_batch, index,
				   ACC_W);
		if (!w || !can(f, b.values, (__u64)b.count * 8, ACC_R))
			c->allowed |= E(EFAULT);
		if (sz + b.count > cap)
			c->allowed |= E(ENOSPC);
		c->allowed = c->allowed ?: OK;
		return 0;
	case C_POP_MANY:
		w = w && FIELD_CAN(f, c->arg, struct secvec_batch, index,
				   ACC_W);
		n = sz < b.count ? sz : b.count;
		if (!sz) {
			c->allowed = E(ENODATA);
			if (!w || !can(f, b.values, (__u64)b.count * 8, ACC_W))
				c->allowed |= E(EFAULT);
			return 0;
		}
		if (!w || !can(f, b.values, n * 8, ACC_W))
			return c->allowed = E(EFAULT), 0;
		c->allowed = OK;
		/*
		 * The pop hands out values with page faults disabled and, on
		 * a fault, faults in the whole argument and all count values
		 * before it retries: a short buffer or a partly read-only
		 * struct may then fail where resident pages would not.
		 */
		if (!can(f, c->arg, len, ACC_W) ||
		    !can(f, b.values, (__u64)b.count * 8, ACC_W))
			c->allowed |= E(EFAULT);
		return 0;
	default:	/* C_GET_RANGE */
		if (b.index >= sz) {
			c->allowed = E(ERANGE);
			if (!w)
				c->allowed |= E(EFAULT);
			return 0;
		}
		n = sz - b.index < b.count ? sz - b.index : b.count;
		c->allowed = w && can(f, b.values, n * 8, ACC_W) ?
			     OK : E(EFAULT);
		return 0;
	}
}

/* ---- reporting -------------------------------------------------------------- */

static const char *errname(int err)
{
	switch (err) {
	case 0: return "success";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENODATA: return "ENODATA";
	case ERANGE: return "ERANGE";
	case ENOSPC: return "ENOSPC";
	case ENOMEM: return "ENOMEM";
	case EINTR: return "EINTR";
	}
	return "E?";
}

static void set_str(__u64 set, char *buf, size_t len)
{
	size_t used = 0;
	int e;

	buf[0] = 0;
	for (e = 0; e < 64 && used < len; e++)
		if (set & (1ULL << e))
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", errname(e));
}

static void print_call(const struct fuzz_call *c)
{
	char allowed[128];

	set_str(c->allowed, allowed, sizeof(allowed));
	fprintf(stderr,
		"#   call %lu: cmd %#x (%s) arg %#lx (%s) size_before %llu",
		c->nr, c->cmd, c->kind >= 0 ? cmds[c->kind].name : "unknown",
		(unsigned long)c->arg, c->arg_how, c->size_before);
	if (c->kind == C_PUSH_MANY || c->kind == C_POP_MANY ||
	    c->kind == C_GET_RANGE)
		fprintf(stderr, " index %llu count %llu values %#llx (%s)",
			c->index, c->count, c->values, c->values_how);
	else if (c->kind == C_GET || c->kind == C_SET || c->kind == C_PUSH)
		fprintf(stderr, " index %llu value %#llx", c->index, c->value);
	else if (c->kind == C_RESERVE)
		fprintf(stderr, " n %llu", c->count);
	fprintf(stderr, " -> %s (allowed: %s)\n", errname(c->ret), allowed);
}

static void print_history(struct fuzz_state *f)
{
	unsigned long i, from = f->calls > HISTORY ? f->calls - HISTORY : 0;

	fprintf(stderr, "# the last calls, oldest first:\n");
	for (i = from; i < f->calls; i++)
		print_call(&f->hist[i % HISTORY]);
}

/* ---- applying a successful call to the model -------------------------------- */

/*
 * Check the outputs of a call that succeeded and apply it to the model.
 * Returns 0, or -1 after printing what is wrong.
 */
static int apply(struct fuzz_state *f, struct fuzz_call *c)
{
	__u64 sz = f->size, n, k, got;
	struct secvec_batch b;
	struct secvec_info info;
	const __u64 *vals;

#define WRONG(fmt, ...) do { \
	fprintf(stderr, "# call %lu (%s): " fmt "\n", c->nr, \
		cmds[c->kind].name, ##__VA_ARGS__); \
	return -1; \
} while (0)

	switch (c->kind) {
	case C_PUSH:
		memcpy(&got, (void *)(c->arg + OFF(struct secvec_elem, index)),
		       8);
		if (got != sz)
			WRONG("index %llu, want %llu", got, sz);
		f->model[f->size++] = c->value;
		break;
	case C_POP:
		memcpy(&got, (void *)c->arg, 8);
		if (got != f->model[sz - 1])
			WRONG("popped %#llx, want %#llx", got,
			      f->model[sz - 1]);
		f->size--;
		break;
	case C_GET:
		memcpy(&got, (void *)(c->arg + OFF(struct secvec_elem, value)),
		       8);
		if (got != f->model[c->index])
			WRONG("value at %llu is %#llx, want %#llx", c->index,
			      got, f->model[c->index]);
		break;
	case C_SET:
		f->model[c->index] = c->value;
		break;
	case C_SIZE:
		memcpy(&got, (void *)c->arg, 8);
		if (got != sz)
			WRONG("size %llu, want %llu", got, sz);
		break;
	case C_RESERVE:
		break;
	case C_CLEAR:
		f->size = 0;
		break;
	case C_INFO:
		memcpy(&info, (void *)c->arg, sizeof(info));
		if (info.size != sz || info.max_elements != f->max ||
		    info.abi_version != SECVEC_ABI_VERSION ||
		    info.batch_max != SECVEC_BATCH_MAX ||
		    info.capacity < sz || info.reserved[0] ||
		    info.reserved[1] || info.reserved[2])
			WRONG("size %llu capacity %llu max %llu abi %llu batch_max %llu reserved %llx %llx %llx; model size %llu",
			      info.size, info.capacity, info.max_elements,
			      info.abi_version, info.batch_max,
			      info.reserved[0], info.reserved[1],
			      info.reserved[2], sz);
		break;
	case C_PUSH_MANY:
		memcpy(&b, (void *)c->arg, sizeof(b));
		if (b.index != sz || b.done != c->count)
			WRONG("index %llu done %u, want %llu %llu", b.index,
			      b.done, sz, c->count);
		memcpy(f->model + sz, (void *)(uintptr_t)c->values,
		       c->count * 8);
		f->size += c->count;
		break;
	case C_POP_MANY:
		memcpy(&b, (void *)c->arg, sizeof(b));
		n = sz < c->count ? sz : c->count;
		if (b.index != sz - n || b.done != n)
			WRONG("index %llu done %u, want %llu %llu", b.index,
			      b.done, sz - n, n);
		vals = (const __u64 *)(uintptr_t)c->values;
		for (k = 0; k < n; k++)
			if (vals[k] != f->model[sz - n + k])
				WRONG("values[%llu] %#llx, want %#llx", k,
				      vals[k], f->model[sz - n + k]);
		f->size -= n;
		break;
	case C_GET_RANGE:
		memcpy(&b, (void *)c->arg, sizeof(b));
		n = sz - c->index < c->count ? sz - c->index : c->count;
		if (b.done != n)
			WRONG("done %u, want %llu", b.done, n);
		vals = (const __u64 *)(uintptr_t)c->values;
		for (k = 0; k < n; k++)
			if (vals[k] != f->model[c->index + k])
				WRONG("values[%llu] %#llx, want %#llx", k,
				      vals[k], f->model[c->index + k]);
		break;
	}
	return 0;
#undef WRONG
}

/* Read the whole vector into a good buffer and compare it with the model. */
static int check_model(struct fuzz_state *f, int fd)
{
	__u64 size = 0, i = 0, k;
	int ret;

	if (!arena_intact(f)) {
		fprintf(stderr, "# something was mapped into an arena hole\n");
		return -1;
	}
	f->check_calls++;
	ret = sv_size(fd, &size);
	if (ret || size != f->size) {
		fprintf(stderr, "# after call %lu: SIZE -> %s, size %llu, model %llu\n",
			f->calls, errname(-ret), size, f->size);
		return -1;
	}
	while (i < size) {
		__u32 count = size - i < SECVEC_BATCH_MAX ? size - i :
			      SECVEC_BATCH_MAX;

		f->check_calls++;
		ret = sv_get_range(fd, i, f->snap + i, count);
		if (ret <= 0) {
			fprintf(stderr, "# after call %lu: GET_RANGE(%llu, %u) -> %d\n",
				f->calls, i, count, ret);
			return -1;
		}
		i += ret;
	}
	for (k = 0; k < size; k++)
		if (f->snap[k] != f->model[k]) {
			fprintf(stderr, "# after call %lu: element %llu is %#llx, model %#llx\n",
				f->calls, k, f->snap[k], f->model[k]);
			return -1;
		}
	return 0;
}

/*
 * After a call that failed and would have changed the size had it
 * succeeded: the size and the last element are still the model's. Catches
 * a failed pop that took an element anyway at the call that did it.
 */
static int check_unchanged(struct fuzz_state *f, int fd)
{
	__u64 size = 0, last = 0;
	int ret;

	f->check_calls++;
	ret = sv_size(fd, &size);
	if (!ret && size == f->size && size) {
		f->check_calls++;
		ret = sv_get(fd, size - 1, &last);
		if (!ret && last == f->model[size - 1])
			return 0;
	} else if (!ret && size == f->size) {
		return 0;
	}
	fprintf(stderr, "# call %lu failed but changed the vector: size %llu (model %llu), last %#llx (model %#llx), %s\n",
		f->calls - 1, size, f->size, last,
		f->size ? f->model[f->size - 1] : 0, errname(-ret));
	return -1;
}

/* ---- the test --------------------------------------------------------------- */

static __u64 env_u64(const char *name, __u64 dflt, bool *given)
{
	const char *s = getenv(name);
	char *end;
	__u64 v;

	if (given)
		*given = false;
	if (!s || !*s)
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return dflt;
	if (given)
		*given = true;
	return v;
}

SECVEC_FIXTURE(fuzz)

static void *map_lazy(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

TEST_F_TIMEOUT(fuzz, random_ioctls_match_model, FUZZ_TIMEOUT)
{
	static struct fuzz_state st;
	struct fuzz_state *f = &st;
	__u64 seed, calls;
	bool seeded;
	char allowed[128];
	int k;

	seed = env_u64("SECVEC_FUZZ_SEED", 0, &seeded);
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		rng_state = ts.tv_sec * 1000000000ULL + ts.tv_nsec + getpid();
		seed = rnd();
	}
	calls = env_u64("SECVEC_FUZZ_CALLS", DEFAULT_CALLS, NULL);
	rng_state = seed;
	printf("# fuzz: seed=%#llx (%s), %llu calls; SECVEC_FUZZ_SEED=%#llx to replay\n",
	       seed, seeded ? "from SECVEC_FUZZ_SEED" : "random", calls, seed);
	fflush(stdout);

	f->page = sysconf(_SC_PAGESIZE);
	f->max = self->info.max_elements;
	/* Lazily backed: only what the vector reaches is ever touched. */
	f->model = map_lazy((f->max + 1) * sizeof(__u64));
	f->snap = map_lazy((f->max + 1) * sizeof(__u64));
	ASSERT_NE(NULL, f->model);
	ASSERT_NE(NULL, f->snap);
	/* Last, so that nothing is mapped into its holes afterwards. */
	ASSERT_EQ(0, arena_setup(f)) TH_LOG("arena: %s", strerror(errno));

	while (f->calls < calls) {
		struct fuzz_call *c = &f->hist[f->calls % HISTORY];
		int ret;

		memset(c, 0, sizeof(*c));
		c->nr = f->calls;
		c->cmd = pick_cmd(&c->kind);
		c->size_before = f->size;
		c->values_how = "-";
		c->arg = pick_ptr(f, c->kind >= 0 ? arg_len(c->kind) :
				  8 * (1 + below(8)), false, &c->arg_how);
		if (c->kind >= 0) {
			ASSERT_EQ(0, prepare(f, c))
				TH_LOG("preparing call %lu: %s", c->nr,
				       strerror(errno));
			f->valid_calls++;
		} else {
			c->allowed = E(ENOTTY);
			f->unknown_calls++;
		}

		ret = sv_ioctl(self->fd, c->cmd, (void *)c->arg);
		c->ret = -ret;
		f->calls++;
		if (ret > 0 || -ret >= 64 || !(c->allowed & (1ULL << -ret))) {
			print_history(f);
			set_str(c->allowed, allowed, sizeof(allowed));
			ASSERT_TRUE(false)
				TH_LOG("call %lu (seed %#llx): got %s (%d), allowed %s",
				       c->nr, seed, ret > 0 ? "positive" :
				       errname(-ret), ret, allowed);
		}
		if (c->kind >= 0) {
			if (ret)
				f->failed[c->kind]++;
			else
				f->ok[c->kind]++;
			f->errs[-ret]++;
		}
		if (ret && (c->kind == C_PUSH || c->kind == C_POP ||
			    c->kind == C_PUSH_MANY || c->kind == C_POP_MANY ||
			    c->kind == C_CLEAR) && check_unchanged(f, self->fd)) {
			print_history(f);
			ASSERT_TRUE(false)
				TH_LOG("call %lu (seed %#llx): failed with %s, but not cleanly",
				       c->nr, seed, errname(-ret));
		}
		if (!ret && c->kind >= 0 && apply(f, c)) {
			print_history(f);
			ASSERT_TRUE(false)
				TH_LOG("call %lu (seed %#llx): wrong output",
				       c->nr, seed);
		}
		if (f->size > f->max_size)
			f->max_size = f->size;
		if (f->calls % CHECK_EVERY == 0 || f->calls == calls) {
			if (check_model(f, self->fd)) {
				print_history(f);
				ASSERT_TRUE(false)
					TH_LOG("vector and model differ after call %lu (seed %#llx)",
					       f->calls, seed);
			}
		}
	}

	for (k = 0; k < NR_CMDS; k++)
		printf("# fuzz: %-9s %6lu succeeded, %6lu failed\n",
		       cmds[k].name, f->ok[k], f->failed[k]);
	printf("# fuzz: valid commands by result:");
	for (k = 0; k < 64; k++)
		if (f->errs[k])
			printf(" %s=%lu", errname(k), f->errs[k]);
	printf("\n# fuzz: largest size %llu, final size %llu, %lu mprotect calls\n",
	       f->max_size, f->size, f->mprotects);
	printf("# fuzz: %lu random ioctl calls (%lu valid commands, %lu unknown commands) + %lu model-check calls, seed=%#llx\n",
	       f->calls, f->valid_calls, f->unknown_calls, f->check_calls,
	       seed);
}

/*
 * Every number with the secvec magic that is not a SECVEC_IOC_* command,
 * whatever its direction and size, is unknown: ENOTTY, nothing changed.
 */
TEST_F(fuzz, secvec_magic_unknown_enotty)
{
	static const unsigned int sizes[] = {
		0, 1, 2, 4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 72, 128, 4096,
		(1U << _IOC_SIZEBITS) - 1,
	};
	__u64 want[5] = { 1, 2, 3, 4, 5 }, *got = NULL, n = 0;
	unsigned int dir, nr, i, cmd;
	unsigned long sent = 0;
	void *buf;
	int ret;

	buf = calloc(1, 1U << _IOC_SIZEBITS);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, sv_push_many(self->fd, want, 5, NULL));
	for (dir = 0; dir < 4; dir++)
		for (nr = 0; nr < 256; nr++)
			for (i = 0; i < ARRAY_SIZE(sizes); i++) {
				cmd = _IOC(dir, SECVEC_IOC_MAGIC, nr, sizes[i]);
				if (cmd_kind(cmd) >= 0)
					continue;
				sent++;
				ret = sv_ioctl(self->fd, cmd, buf);
				if (ret != -ENOTTY) {
					ASSERT_EQ(-ENOTTY, ret)
						TH_LOG("cmd %#x", cmd);
				}
			}
	ASSERT_EQ(0, sv_snapshot(self->fd, &got, &n));
	ASSERT_EQ(5ULL, n);
	EXPECT_EQ(0, memcmp(want, got, sizeof(want)));
	printf("# %lu unknown secvec-magic commands, all ENOTTY\n", sent);
	free(got);
	free(buf);
}

TEST_HARNESS_MAIN
