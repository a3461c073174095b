// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_leak_test: every ioctl that writes to userspace writes exactly the
 * bytes the uapi header documents, and nothing else.
 *
 * Each user buffer the kernel may write (the argument struct and any values
 * array) sits between guard bytes and is filled, guards included, with a
 * pattern before the call. After the call the whole area must equal the
 * pattern with only the documented output fields replaced by their expected
 * values. A byte that changed anywhere else is a kernel write the ABI does
 * not promise: at best a clobbered user buffer, at worst uninitialised
 * kernel memory (a stack struct's padding, the unzeroed tail of a
 * kvmalloc()'d batch buffer) copied out. Two patterns are used, so that a
 * stray write that happens to store the pattern is still seen.
 *
 * Failed calls are held to the same standard: they write nothing.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"
#include "secvec_fixture.h"

/* Values with high bits set, so a truncation to 32 bits shows. */
#define VAL(i)		(0x1eac000000000000ULL + (i))

/* Guard bytes on each side of every buffer the kernel may write. */
#define GUARD		64

/* Filling the vector to max_elements is only done when this is cheap. */
#define CAP_FILL_MAX	(1ULL << 22)

static const unsigned char patterns[] = { 0xa5, 0x5a };

/*
 * A user buffer of @len bytes between guards: mem is what the kernel sees,
 * want what it must hold after the call. Both start as the pattern; inputs
 * are written to both, documented outputs to want only.
 */
struct area {
	unsigned char *mem;
	unsigned char *want;
	size_t len;
};

static void area_init(struct __test_metadata *_metadata, struct area *a,
		      size_t len, unsigned char pattern)
{
	a->len = len;
	a->mem = malloc(len + 2 * GUARD);
	a->want = malloc(len + 2 * GUARD);
	ASSERT_NE(NULL, a->mem);
	ASSERT_NE(NULL, a->want);
	memset(a->mem, pattern, len + 2 * GUARD);
	memset(a->want, pattern, len + 2 * GUARD);
}

static void area_free(struct area *a)
{
	free(a->mem);
	free(a->want);
	a->mem = a->want = NULL;
}

/* The buffer itself, past the leading guard. */
static void *area_ptr(const struct area *a)
{
	return a->mem + GUARD;
}

/* An input: the kernel reads it, and it must still be there afterwards. */
static void area_set(struct area *a, size_t off, const void *src, size_t n)
{
	memcpy(a->mem + GUARD + off, src, n);
	memcpy(a->want + GUARD + off, src, n);
}

/* A documented output: what the kernel must have stored at @off. */
static void area_expect(struct area *a, size_t off, const void *src, size_t n)
{
	memcpy(a->want + GUARD + off, src, n);
}

#define AREA_SET(a, type, field, v) do { \
	__typeof__(((type *)0)->field) __v = (v); \
	area_set(a, offsetof(type, field), &__v, sizeof(__v)); \
} while (0)

#define AREA_EXPECT(a, type, field, v) do { \
	__typeof__(((type *)0)->field) __v = (v); \
	area_expect(a, offsetof(type, field), &__v, sizeof(__v)); \
} while (0)

/*
 * The area must equal want byte for byte. Offsets are relative to the
 * start of the buffer: negative ones are in the leading guard, ones at or
 * past len in the trailing guard. Reports the first few differing runs.
 */
static void area_check(struct __test_metadata *_metadata,
		       const struct area *a, const char *what)
{
	size_t total = a->len + 2 * GUARD, i = 0, end;
	int runs = 0;

	while (i < total) {
		if (a->mem[i] == a->want[i]) {
			i++;
			continue;
		}
		for (end = i; end < total && a->mem[end] != a->want[end];)
			end++;
		if (runs++ < 4)
			TH_LOG("%s: bytes [%ld, %ld) of %zu changed: got %02x.., want %02x..",
			       what, (long)i - GUARD, (long)end - GUARD, a->len,
			       a->mem[i], a->want[i]);
		i = end;
	}
	EXPECT_EQ(0, runs) TH_LOG("%s: %d unexpected run(s) of bytes", what,
				  runs);
}

SECVEC_FIXTURE(leak)

/* Empty the vector and put VAL(0 .. n) in it. */
static void refill(struct __test_metadata *_metadata, int fd, __u64 n)
{
	ASSERT_EQ(0, sv_clear(fd));
	ASSERT_EQ(0, sv_fill(fd, VAL(0), n));
}

static void expect_size(struct __test_metadata *_metadata, int fd, __u64 n)
{
	__u64 size = ~0ULL;

	ASSERT_EQ(0, sv_size(fd, &size));
	EXPECT_EQ(n, size);
}

/* ---- calls that succeed ------------------------------------------------ */

TEST_F(leak, push_writes_only_index)
{
	struct area e;
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		__u64 v;

		refill(_metadata, self->fd, 3);
		area_init(_metadata, &e, sizeof(struct secvec_elem),
			  patterns[i]);
		/* index is output only: it keeps the pattern on input. */
		AREA_SET(&e, struct secvec_elem, value, VAL(100));
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_PUSH, area_ptr(&e)));
		AREA_EXPECT(&e, struct secvec_elem, index, 3);
		area_check(_metadata, &e, "PUSH elem");
		ASSERT_EQ(0, sv_get(self->fd, 3, &v));
		EXPECT_EQ(VAL(100), v);
		area_free(&e);
	}
}

TEST_F(leak, pop_writes_only_value)
{
	struct area out;
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		refill(_metadata, self->fd, 3);
		area_init(_metadata, &out, sizeof(__u64), patterns[i]);
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_POP, area_ptr(&out)));
		area_expect(&out, 0, &(__u64){ VAL(2) }, sizeof(__u64));
		area_check(_metadata, &out, "POP value");
		expect_size(_metadata, self->fd, 2);
		area_free(&out);
	}
}

TEST_F(leak, get_writes_only_value)
{
	struct area e;
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		refill(_metadata, self->fd, 3);
		area_init(_metadata, &e, sizeof(struct secvec_elem),
			  patterns[i]);
		AREA_SET(&e, struct secvec_elem, index, 1);
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_GET, area_ptr(&e)));
		AREA_EXPECT(&e, struct secvec_elem, value, VAL(1));
		area_check(_metadata, &e, "GET elem");
		area_free(&e);
	}
}

TEST_F(leak, size_writes_only_size)
{
	struct area out;
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		refill(_metadata, self->fd, 7);
		area_init(_metadata, &out, sizeof(__u64), patterns[i]);
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_SIZE, area_ptr(&out)));
		area_expect(&out, 0, &(__u64){ 7 }, sizeof(__u64));
		area_check(_metadata, &out, "SIZE value");
		area_free(&out);
	}
}

/* SET, RESERVE and CLEAR only read (CLEAR not even that). */
TEST_F(leak, input_only_commands_write_nothing)
{
	struct area e, n, any;
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		refill(_metadata, self->fd, 3);
		area_init(_metadata, &e, sizeof(struct secvec_elem),
			  patterns[i]);
		AREA_SET(&e, struct secvec_elem, index, 2);
		AREA_SET(&e, struct secvec_elem, value, VAL(42));
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_SET, area_ptr(&e)));
		area_check(_metadata, &e, "SET elem");

		area_init(_metadata, &n, sizeof(__u64), patterns[i]);
		area_set(&n, 0, &(__u64){ 100 }, sizeof(__u64));
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_RESERVE,
				      area_ptr(&n)));
		area_check(_metadata, &n, "RESERVE count");

		/* CLEAR takes no argument: a pointer passed anyway is unused. */
		area_init(_metadata, &any, sizeof(struct secvec_info),
			  patterns[i]);
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_CLEAR,
				      area_ptr(&any)));
		area_check(_metadata, &any, "CLEAR argument");
		expect_size(_metadata, self->fd, 0);
		area_free(&e);
		area_free(&n);
		area_free(&any);
	}
}

TEST_F(leak, push_many_writes_only_index_and_done)
{
	struct area b, vals;
	size_t i, k;

	for (i = 0; i < sizeof(patterns); i++) {
		__u64 got[5];

		refill(_metadata, self->fd, 3);
		area_init(_metadata, &vals, 5 * sizeof(__u64), patterns[i]);
		for (k = 0; k < 5; k++)
			area_set(&vals, k * sizeof(__u64),
				 &(__u64){ VAL(10 + k) }, sizeof(__u64));
		area_init(_metadata, &b, sizeof(struct secvec_batch),
			  patterns[i]);
		AREA_SET(&b, struct secvec_batch, values,
			 (uintptr_t)area_ptr(&vals));
		AREA_SET(&b, struct secvec_batch, count, 5);
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_PUSH_MANY,
				      area_ptr(&b)));
		AREA_EXPECT(&b, struct secvec_batch, index, 3);
		AREA_EXPECT(&b, struct secvec_batch, done, 5);
		area_check(_metadata, &b, "PUSH_MANY batch");
		/* The values are input: read, never written back. */
		area_check(_metadata, &vals, "PUSH_MANY values");
		ASSERT_EQ(5, sv_get_range(self->fd, 3, got, 5));
		for (k = 0; k < 5; k++) {
			EXPECT_EQ(VAL(10 + k), got[k]);
		}
		area_free(&b);
		area_free(&vals);
	}
}

/*
 * POP_MANY asking for @count with @have elements in the vector: index and
 * done are written, values[0 .. popped) hold the tail, values[popped ..
 * count) and both guards keep the pattern.
 */
static void check_pop_many(struct __test_metadata *_metadata, int fd,
			   __u64 have, __u32 count, unsigned char pattern)
{
	__u64 popped = have < count ? have : count, k;
	struct area b, vals;

	refill(_metadata, fd, have);
	area_init(_metadata, &vals, (size_t)count * sizeof(__u64), pattern);
	area_init(_metadata, &b, sizeof(struct secvec_batch), pattern);
	AREA_SET(&b, struct secvec_batch, values, (uintptr_t)area_ptr(&vals));
	AREA_SET(&b, struct secvec_batch, count, count);
	ASSERT_EQ(0, sv_ioctl(fd, SECVEC_IOC_POP_MANY, area_ptr(&b)));
	AREA_EXPECT(&b, struct secvec_batch, index, have - popped);
	AREA_EXPECT(&b, struct secvec_batch, done, popped);
	for (k = 0; k < popped; k++)
		area_expect(&vals, k * sizeof(__u64),
			    &(__u64){ VAL(have - popped + k) }, sizeof(__u64));
	area_check(_metadata, &b, "POP_MANY batch");
	area_check(_metadata, &vals, "POP_MANY values");
	expect_size(_metadata, fd, have - popped);
	area_free(&b);
	area_free(&vals);
}

TEST_F(leak, pop_many_writes_only_popped_values)
{
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		/* Fewer elements than asked for: a short pop. */
		check_pop_many(_metadata, self->fd, 3, 8, patterns[i]);
		/* More than asked for: a tail of the vector. */
		check_pop_many(_metadata, self->fd, 10, 4, patterns[i]);
	}
}

/*
 * The kernel's bounce buffer for a batch is sized by count and not zeroed:
 * copying out count values instead of the ones popped would hand out
 * almost 512 KiB of whatever was in that memory.
 */
TEST_F(leak, pop_many_batch_max_writes_only_popped_values)
{
	size_t i;

	for (i = 0; i < sizeof(patterns); i++)
		check_pop_many(_metadata, self->fd, 5, SECVEC_BATCH_MAX,
			       patterns[i]);
}

/*
 * GET_RANGE of @count from @index with @have elements: done and
 * values[0 .. done) are written; index, values[done .. count) and the
 * guards keep what they held.
 */
static void check_get_range(struct __test_metadata *_metadata, int fd,
			    __u64 have, __u64 index, __u32 count,
			    unsigned char pattern)
{
	__u64 read = have - index < count ? have - index : count, k;
	struct area b, vals;

	refill(_metadata, fd, have);
	area_init(_metadata, &vals, (size_t)count * sizeof(__u64), pattern);
	area_init(_metadata, &b, sizeof(struct secvec_batch), pattern);
	AREA_SET(&b, struct secvec_batch, values, (uintptr_t)area_ptr(&vals));
	AREA_SET(&b, struct secvec_batch, index, index);
	AREA_SET(&b, struct secvec_batch, count, count);
	ASSERT_EQ(0, sv_ioctl(fd, SECVEC_IOC_GET_RANGE, area_ptr(&b)));
	AREA_EXPECT(&b, struct secvec_batch, done, read);
	for (k = 0; k < read; k++)
		area_expect(&vals, k * sizeof(__u64),
			    &(__u64){ VAL(index + k) }, sizeof(__u64));
	area_check(_metadata, &b, "GET_RANGE batch");
	area_check(_metadata, &vals, "GET_RANGE values");
	expect_size(_metadata, fd, have);
	area_free(&b);
	area_free(&vals);
}

TEST_F(leak, get_range_writes_only_values_read)
{
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		/* count 8 with 3 elements: values[3..7] untouched. */
		check_get_range(_metadata, self->fd, 3, 0, 8, patterns[i]);
		check_get_range(_metadata, self->fd, 3, 1, 8, patterns[i]);
		/* Fully inside the vector. */
		check_get_range(_metadata, self->fd, 10, 2, 4, patterns[i]);
	}
}

TEST_F(leak, get_range_batch_max_writes_only_values_read)
{
	size_t i;

	for (i = 0; i < sizeof(patterns); i++)
		check_get_range(_metadata, self->fd, 3, 0, SECVEC_BATCH_MAX,
				patterns[i]);
}

TEST_F(leak, info_writes_exactly_the_struct)
{
	static const __u64 zero[ARRAY_SIZE(((struct secvec_info *)0)->reserved)];
	struct secvec_info got;
	struct area info;
	size_t i;

	for (i = 0; i < sizeof(patterns); i++) {
		refill(_metadata, self->fd, 3);
		area_init(_metadata, &info, sizeof(struct secvec_info),
			  patterns[i]);
		ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_INFO,
				      area_ptr(&info)));
		memcpy(&got, area_ptr(&info), sizeof(got));
		/* The one field not known in advance: at least the size. */
		EXPECT_LE(3ULL, got.capacity);
		/*
		 * Every byte is an output, reserved[] included (zero): the
		 * expected image is the whole struct, built field by field.
		 */
		AREA_EXPECT(&info, struct secvec_info, size, 3);
		AREA_EXPECT(&info, struct secvec_info, capacity, got.capacity);
		AREA_EXPECT(&info, struct secvec_info, max_elements,
			    self->info.max_elements);
		AREA_EXPECT(&info, struct secvec_info, abi_version,
			    SECVEC_ABI_VERSION);
		AREA_EXPECT(&info, struct secvec_info, batch_max,
			    SECVEC_BATCH_MAX);
		area_expect(&info, offsetof(struct secvec_info, reserved),
			    zero, sizeof(got.reserved));
		area_check(_metadata, &info, "INFO");
		area_free(&info);
	}
}

/* ---- calls that fail write nothing ------------------------------------- */

/* @cmd on a copy of @arg (@len bytes) must fail with @err, writing nothing. */
static void check_fails_clean(struct __test_metadata *_metadata, int fd,
			      unsigned long cmd, const char *name,
			      const void *arg, size_t len, int err,
			      unsigned char pattern)
{
	struct area a;

	area_init(_metadata, &a, len, pattern);
	area_set(&a, 0, arg, len);
	EXPECT_EQ(-err, sv_ioctl(fd, cmd, area_ptr(&a))) TH_LOG("%s", name);
	area_check(_metadata, &a, name);
	area_free(&a);
}

/* A batch whose values array is guarded too. */
static void check_batch_fails_clean(struct __test_metadata *_metadata,
				    int fd, unsigned long cmd,
				    const char *name, __u64 index,
				    __u32 count, __u32 room, int err,
				    unsigned char pattern)
{
	struct area b, vals;

	area_init(_metadata, &vals, (size_t)room * sizeof(__u64), pattern);
	area_init(_metadata, &b, sizeof(struct secvec_batch), pattern);
	AREA_SET(&b, struct secvec_batch, values, (uintptr_t)area_ptr(&vals));
	AREA_SET(&b, struct secvec_batch, index, index);
	AREA_SET(&b, struct secvec_batch, count, count);
	EXPECT_EQ(-err, sv_ioctl(fd, cmd, area_ptr(&b)))
		TH_LOG("%s count %u", name, count);
	area_check(_metadata, &b, name);
	area_check(_metadata, &vals, name);
	area_free(&b);
	area_free(&vals);
}

TEST_F(leak, failed_calls_write_nothing)
{
	static const unsigned long batch_cmds[] = {
		SECVEC_IOC_PUSH_MANY, SECVEC_IOC_POP_MANY,
		SECVEC_IOC_GET_RANGE,
	};
	static const char *const batch_names[] = {
		"PUSH_MANY", "POP_MANY", "GET_RANGE",
	};
	struct secvec_elem e;
	size_t i, k;

	for (i = 0; i < sizeof(patterns); i++) {
		unsigned char p = patterns[i];

		ASSERT_EQ(0, sv_clear(self->fd));
		/* Empty vector: ENODATA, ERANGE. */
		check_fails_clean(_metadata, self->fd, SECVEC_IOC_POP,
				  "POP on empty", &(__u64){ 0 },
				  sizeof(__u64), ENODATA, p);
		check_batch_fails_clean(_metadata, self->fd,
					SECVEC_IOC_POP_MANY,
					"POP_MANY on empty", 0, 4, 4,
					ENODATA, p);

		refill(_metadata, self->fd, 3);
		e = (struct secvec_elem){ .index = 3, .value = VAL(9) };
		check_fails_clean(_metadata, self->fd, SECVEC_IOC_GET,
				  "GET past the end", &e, sizeof(e), ERANGE, p);
		check_fails_clean(_metadata, self->fd, SECVEC_IOC_SET,
				  "SET past the end", &e, sizeof(e), ERANGE, p);
		check_batch_fails_clean(_metadata, self->fd,
					SECVEC_IOC_GET_RANGE,
					"GET_RANGE past the end", 3, 4, 4,
					ERANGE, p);
		check_fails_clean(_metadata, self->fd, SECVEC_IOC_RESERVE,
				  "RESERVE over the cap",
				  &(__u64){ self->info.max_elements + 1 },
				  sizeof(__u64), ENOSPC, p);

		/* Malformed counts: EINVAL before anything is touched. */
		for (k = 0; k < ARRAY_SIZE(batch_cmds); k++) {
			check_batch_fails_clean(_metadata, self->fd,
						batch_cmds[k], batch_names[k],
						0, 0, 4, EINVAL, p);
			check_batch_fails_clean(_metadata, self->fd,
						batch_cmds[k], batch_names[k],
						0, SECVEC_BATCH_MAX + 1, 4,
						EINVAL, p);
		}
		expect_size(_metadata, self->fd, 3);
	}
}

/* A full vector refuses PUSH and PUSH_MANY with ENOSPC, writing nothing. */
TEST_F(leak, enospc_push_writes_nothing)
{
	__u64 max = self->info.max_elements;
	struct secvec_elem e = { .value = VAL(1) };
	size_t i;

	if (max > CAP_FILL_MAX)
		SKIP(return, "max_elements=%llu; load with at most %llu to test",
		     max, CAP_FILL_MAX);
	ASSERT_EQ(0, sv_fill(self->fd, 0, max));
	for (i = 0; i < sizeof(patterns); i++) {
		e.index = 0x0101010101010101ULL * patterns[i];
		check_fails_clean(_metadata, self->fd, SECVEC_IOC_PUSH,
				  "PUSH when full", &e, sizeof(e), ENOSPC,
				  patterns[i]);
		check_batch_fails_clean(_metadata, self->fd,
					SECVEC_IOC_PUSH_MANY,
					"PUSH_MANY when full", 0, 2, 2,
					ENOSPC, patterns[i]);
	}
	expect_size(_metadata, self->fd, max);
}

TEST_HARNESS_MAIN
