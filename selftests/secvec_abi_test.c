// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_abi_test: the semantics of each /dev/secvec ioctl, one behaviour per
 * test case: the happy path of every command, then every errno the uapi
 * header promises, each with a check that a failed call left the vector
 * exactly as it was.
 *
 * The vector is shared by every opener, so each case starts from CLEAR and
 * leaves it empty again.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"

/* Values with high bits set, so a truncation to 32 bits shows. */
#define VAL(i)		(0x5ec0000000000000ULL + (i))

/* Filling the vector to max_elements is only done when this is cheap. */
#define CAP_FILL_MAX	(1ULL << 22)

/* Number of elements the fault tests put in the vector beforehand. */
#define PREFILL		5

FIXTURE(abi) {
	int fd;
	long page;
	struct secvec_info info;
};

FIXTURE_SETUP(abi)
{
	self->page = sysconf(_SC_PAGESIZE);
	self->fd = secvec_open();
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", secvec_dev_path(), strerror(errno));
	ASSERT_EQ(0, sv_clear(self->fd));
	ASSERT_EQ(0, sv_info(self->fd, &self->info));
	ASSERT_LE(SV_MIN_CAP, self->info.max_elements)
		TH_LOG("load secvec with max_elements >= %llu", SV_MIN_CAP);
	ASSERT_EQ(0ULL, self->info.size);
}

FIXTURE_TEARDOWN(abi)
{
	/* Leave the shared vector empty for whoever comes next. */
	sv_clear(self->fd);
	close(self->fd);
}

/* The whole vector must equal want[0..n). */
static void expect_contents(struct __test_metadata *_metadata, int fd,
			    const __u64 *want, __u64 n)
{
	__u64 *got = NULL, size = 0, i;

	ASSERT_EQ(0, sv_snapshot(fd, &got, &size));
	EXPECT_EQ(n, size);
	for (i = 0; i < n && i < size; i++) {
		EXPECT_EQ(want[i], got[i]) TH_LOG("index %llu", i);
	}
	free(got);
}

/* Put VAL(0..PREFILL) in the vector and return a copy of it. */
static void prefill(struct __test_metadata *_metadata, int fd, __u64 *vals)
{
	__u64 i;

	for (i = 0; i < PREFILL; i++)
		vals[i] = VAL(i);
	ASSERT_EQ(0, sv_push_many(fd, vals, PREFILL, NULL));
}

/* A fresh anonymous mapping of @pages pages, optionally made read-only. */
static void *map_pages(struct __test_metadata *_metadata, long page,
		       int pages, int prot)
{
	void *p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0, pages * page);
	ASSERT_EQ(0, mprotect(p, pages * page, prot));
	return p;
}

/* ---- happy paths ------------------------------------------------------ */

TEST_F(abi, push_returns_old_size)
{
	__u64 i, index, size;

	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, sv_push(self->fd, VAL(i), &index));
		EXPECT_EQ(i, index);
	}
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(10ULL, size);
}

TEST_F(abi, push_keeps_full_64bit_values)
{
	static const __u64 vals[] = {
		0, 1, 0xffffffffULL, 0x100000000ULL, 1ULL << 63, UINT64_MAX,
	};
	__u64 i, v;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		ASSERT_EQ(0, sv_push(self->fd, vals[i], NULL));
	}
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		ASSERT_EQ(0, sv_get(self->fd, i, &v));
		EXPECT_EQ(vals[i], v);
	}
}

TEST_F(abi, pop_returns_last_value)
{
	__u64 i, v, size;

	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, sv_push(self->fd, VAL(i), NULL));
	}
	for (i = 4; i-- > 0;) {
		ASSERT_EQ(0, sv_pop(self->fd, &v));
		EXPECT_EQ(VAL(i), v);
		ASSERT_EQ(0, sv_size(self->fd, &size));
		EXPECT_EQ(i, size);
	}
}

TEST_F(abi, get_reads_each_index)
{
	__u64 i, v;

	/* Enough to span several buckets of the two-level array. */
	ASSERT_EQ(0, sv_fill(self->fd, VAL(0), 1000));
	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, sv_get(self->fd, i, &v));
		ASSERT_EQ(VAL(i), v);
	}
}

TEST_F(abi, set_overwrites_in_place)
{
	__u64 want[PREFILL], size;

	prefill(_metadata, self->fd, want);
	ASSERT_EQ(0, sv_set(self->fd, 0, 42));
	ASSERT_EQ(0, sv_set(self->fd, PREFILL - 1, UINT64_MAX));
	want[0] = 42;
	want[PREFILL - 1] = UINT64_MAX;
	expect_contents(_metadata, self->fd, want, PREFILL);
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ((__u64)PREFILL, size);
}

TEST_F(abi, size_counts_pushes_and_pops)
{
	__u64 size, v;

	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
	ASSERT_EQ(0, sv_fill(self->fd, 0, 100));
	ASSERT_EQ(0, sv_pop(self->fd, &v));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(99ULL, size);
}

TEST_F(abi, reserve_grows_capacity)
{
	__u64 n = self->info.max_elements < 10000 ?
		  self->info.max_elements : 10000;
	struct secvec_info info;

	ASSERT_EQ(0, sv_reserve(self->fd, n));
	ASSERT_EQ(0, sv_info(self->fd, &info));
	EXPECT_LE(n, info.capacity);
	EXPECT_EQ(0ULL, info.size);
	/* Reserving less than what is there is not an error. */
	ASSERT_EQ(0, sv_reserve(self->fd, 1));
	ASSERT_EQ(0, sv_info(self->fd, &info));
	EXPECT_LE(n, info.capacity);
}

TEST_F(abi, reserve_zero_succeeds)
{
	__u64 size;

	ASSERT_EQ(0, sv_reserve(self->fd, 0));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
}

TEST_F(abi, clear_empties_vector)
{
	__u64 size, v;

	ASSERT_EQ(0, sv_fill(self->fd, 0, 100));
	ASSERT_EQ(0, sv_clear(self->fd));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
	EXPECT_EQ(-ENODATA, sv_pop(self->fd, &v));
	/* Clearing an empty vector is fine too. */
	EXPECT_EQ(0, sv_clear(self->fd));
}

TEST_F(abi, push_many_appends_as_one_block)
{
	__u64 want[PREFILL + 100], index;
	struct secvec_batch b;
	int i;

	prefill(_metadata, self->fd, want);
	for (i = 0; i < 100; i++)
		want[PREFILL + i] = VAL(1000 + i);
	ASSERT_EQ(0, sv_batch(self->fd, SECVEC_IOC_PUSH_MANY, want + PREFILL,
			      0, 100, &b));
	EXPECT_EQ((__u64)PREFILL, b.index);
	EXPECT_EQ(100U, b.done);
	expect_contents(_metadata, self->fd, want, PREFILL + 100);
	/* A single PUSH then lands right after the block. */
	ASSERT_EQ(0, sv_push(self->fd, 7, &index));
	EXPECT_EQ((__u64)PREFILL + 100, index);
}

TEST_F(abi, pop_many_returns_tail_in_index_order)
{
	__u64 out[4] = { 0 }, index = 0, size;
	int i;

	ASSERT_EQ(0, sv_fill(self->fd, VAL(0), 10));
	ASSERT_EQ(4, sv_pop_many(self->fd, out, 4, &index));
	EXPECT_EQ(6ULL, index);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(VAL(6 + i), out[i]);
	}
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(6ULL, size);
}

TEST_F(abi, pop_many_stops_at_empty)
{
	__u64 out[16], index = 99, size;
	int i;

	memset(out, 0xa5, sizeof(out));
	ASSERT_EQ(0, sv_fill(self->fd, VAL(0), 3));
	ASSERT_EQ(3, sv_pop_many(self->fd, out, 16, &index));
	EXPECT_EQ(0ULL, index);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(VAL(i), out[i]);
	}
	/* Nothing is written past what was popped. */
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, out[3]);
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
}

TEST_F(abi, get_range_reads_up_to_end)
{
	__u64 out[10];
	int i;

	memset(out, 0xa5, sizeof(out));
	ASSERT_EQ(0, sv_fill(self->fd, VAL(0), 10));
	ASSERT_EQ(4, sv_get_range(self->fd, 2, out, 4));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(VAL(2 + i), out[i]);
	}
	/* A count past the end is cut short, not an error. */
	memset(out, 0xa5, sizeof(out));
	ASSERT_EQ(3, sv_get_range(self->fd, 7, out, 10));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(VAL(7 + i), out[i]);
	}
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, out[3]);
	/* The read left the vector alone. */
	ASSERT_EQ(10, sv_get_range(self->fd, 0, out, 10));
}

TEST_F(abi, batch_max_count_accepted)
{
	__u32 max = SECVEC_BATCH_MAX;
	__u64 *buf, index;
	__u32 i;

	if (self->info.max_elements < max)
		SKIP(return, "max_elements %llu < SECVEC_BATCH_MAX",
		     self->info.max_elements);
	buf = calloc(max, sizeof(*buf));
	ASSERT_NE(NULL, buf);
	for (i = 0; i < max; i++)
		buf[i] = VAL(i);
	ASSERT_EQ(0, sv_push_many(self->fd, buf, max, &index));
	EXPECT_EQ(0ULL, index);
	memset(buf, 0, max * sizeof(*buf));
	ASSERT_EQ((int)max, sv_get_range(self->fd, 0, buf, max));
	EXPECT_EQ(VAL(max - 1), buf[max - 1]);
	memset(buf, 0, max * sizeof(*buf));
	ASSERT_EQ((int)max, sv_pop_many(self->fd, buf, max, &index));
	EXPECT_EQ(VAL(0), buf[0]);
	EXPECT_EQ(VAL(max - 1), buf[max - 1]);
	free(buf);
}

TEST_F(abi, output_fields_ignored_on_input)
{
	__u64 vals[3] = { VAL(0), VAL(1), VAL(2) }, out[3];
	struct secvec_elem e = { .index = 12345, .value = VAL(9) };
	struct secvec_batch b;

	/* PUSH: a stale index on input is overwritten, not used. */
	ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_PUSH, &e));
	EXPECT_EQ(0ULL, e.index);

	/* PUSH_MANY: index and done are output only. */
	b = (struct secvec_batch){ .values = (uintptr_t)vals,
				   .index = 777, .count = 3, .done = 99 };
	ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_PUSH_MANY, &b));
	EXPECT_EQ(1ULL, b.index);
	EXPECT_EQ(3U, b.done);

	/* GET_RANGE: done is output only. */
	b = (struct secvec_batch){ .values = (uintptr_t)out,
				   .index = 1, .count = 3, .done = 0xffffffff };
	ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_GET_RANGE, &b));
	EXPECT_EQ(3U, b.done);

	/* POP_MANY: index and done are output only. */
	b = (struct secvec_batch){ .values = (uintptr_t)out,
				   .index = 0, .count = 2, .done = 1 };
	ASSERT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_POP_MANY, &b));
	EXPECT_EQ(2ULL, b.index);
	EXPECT_EQ(2U, b.done);
	EXPECT_EQ(VAL(1), out[0]);
	EXPECT_EQ(VAL(2), out[1]);
}

TEST_F(abi, info_fields)
{
	struct secvec_info info;
	size_t i;

	/* Poison it first: every byte must come from the kernel. */
	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, sv_info(self->fd, &info));
	EXPECT_EQ((__u64)SECVEC_ABI_VERSION, info.abi_version);
	EXPECT_EQ((__u64)SECVEC_BATCH_MAX, info.batch_max);
	EXPECT_EQ(0ULL, info.size);
	EXPECT_LT(0ULL, info.max_elements);
	for (i = 0; i < ARRAY_SIZE(info.reserved); i++) {
		EXPECT_EQ(0ULL, info.reserved[i]) TH_LOG("reserved[%zu]", i);
	}

	ASSERT_EQ(0, sv_fill(self->fd, 0, 3));
	ASSERT_EQ(0, sv_info(self->fd, &info));
	EXPECT_EQ(3ULL, info.size);
	EXPECT_LE(3ULL, info.capacity);
}

/* ---- errno paths ------------------------------------------------------ */

TEST_F(abi, unknown_command_enotty)
{
	/* Right number with wrong size or direction is unknown too. */
	static const unsigned long cmds[] = {
		_IO(SECVEC_IOC_MAGIC, 0x0b),
		_IO(SECVEC_IOC_MAGIC, 0xff),
		_IOWR(SECVEC_IOC_MAGIC, 0x00, __u32),
		_IOR(SECVEC_IOC_MAGIC, 0x06, __u64),
		_IOWR('x', 0x00, struct secvec_elem),
		TCGETS,		/* what isatty() asks */
	};
	__u64 want[PREFILL], arg[64] = { 0 };
	size_t i;

	prefill(_metadata, self->fd, want);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		EXPECT_EQ(-ENOTTY, sv_ioctl(self->fd, cmds[i], arg))
			TH_LOG("cmd %#lx", cmds[i]);
	}
	expect_contents(_metadata, self->fd, want, PREFILL);
}

struct cmd_desc {
	const char *name;
	unsigned long cmd;
};

#define CMD(c)	{ #c, SECVEC_IOC_##c }

/* Every command that takes a pointer argument. */
static const struct cmd_desc ptr_cmds[] = {
	CMD(PUSH), CMD(POP), CMD(GET), CMD(SET), CMD(SIZE), CMD(RESERVE),
	CMD(PUSH_MANY), CMD(POP_MANY), CMD(GET_RANGE), CMD(INFO),
};

static const struct cmd_desc batch_cmds[] = {
	CMD(PUSH_MANY), CMD(POP_MANY), CMD(GET_RANGE),
};

/* Each command with @arg fails with EFAULT and changes nothing. */
static void check_bad_arg(struct __test_metadata *_metadata, int fd,
			  void *arg)
{
	__u64 want[PREFILL];
	size_t i;

	prefill(_metadata, fd, want);
	for (i = 0; i < ARRAY_SIZE(ptr_cmds); i++) {
		EXPECT_EQ(-EFAULT, sv_ioctl(fd, ptr_cmds[i].cmd, arg))
			TH_LOG("%s with arg %p", ptr_cmds[i].name, arg);
		expect_contents(_metadata, fd, want, PREFILL);
	}
}

TEST_F(abi, null_arg_efault_unchanged)
{
	check_bad_arg(_metadata, self->fd, NULL);
}

TEST_F(abi, unmapped_arg_efault_unchanged)
{
	void *p = sv_unmapped_ptr();

	ASSERT_NE(NULL, p);
	check_bad_arg(_metadata, self->fd, p);
}

TEST_F(abi, kernel_arg_efault_unchanged)
{
	/* Not a user address at all: access_ok() must refuse it. */
	check_bad_arg(_metadata, self->fd, (void *)(uintptr_t)-4096);
}

/* Batch commands whose values array is @values fail and change nothing. */
static void check_bad_values(struct __test_metadata *_metadata, int fd,
			     __u64 *values, __u32 count)
{
	__u64 want[PREFILL];
	size_t i;

	prefill(_metadata, fd, want);
	for (i = 0; i < ARRAY_SIZE(batch_cmds); i++) {
		EXPECT_EQ(-EFAULT, sv_batch(fd, batch_cmds[i].cmd, values, 0,
					    count, NULL))
			TH_LOG("%s with values %p", batch_cmds[i].name, values);
		expect_contents(_metadata, fd, want, PREFILL);
	}
}

TEST_F(abi, bad_values_efault_unchanged)
{
	check_bad_values(_metadata, self->fd, NULL, 3);
	ASSERT_EQ(0, sv_clear(self->fd));
	check_bad_values(_metadata, self->fd, sv_unmapped_ptr(), 3);
	ASSERT_EQ(0, sv_clear(self->fd));
	check_bad_values(_metadata, self->fd, (__u64 *)(uintptr_t)-4096, 3);
}

/*
 * A values array whose first half is mapped and second half is not: the
 * kernel gets part way before faulting, and must still change nothing (no
 * half-pushed batch, no element popped into the void).
 */
TEST_F(abi, straddling_values_efault_unchanged)
{
	char *p = map_pages(_metadata, self->page, 2, PROT_READ | PROT_WRITE);
	__u64 *values = (__u64 *)(p + self->page) - 2;

	ASSERT_EQ(0, munmap(p + self->page, self->page));
	values[0] = VAL(100);
	values[1] = VAL(101);
	check_bad_values(_metadata, self->fd, values, 4);
	munmap(p, self->page);
}

TEST_F(abi, readonly_pop_efault_keeps_element)
{
	__u64 want[PREFILL], v;
	__u64 *ro = map_pages(_metadata, self->page, 1, PROT_READ);

	prefill(_metadata, self->fd, want);
	EXPECT_EQ(-EFAULT, sv_pop(self->fd, ro));
	expect_contents(_metadata, self->fd, want, PREFILL);
	/* The element is still the one a good POP gets. */
	ASSERT_EQ(0, sv_pop(self->fd, &v));
	EXPECT_EQ(want[PREFILL - 1], v);
	munmap(ro, self->page);
}

TEST_F(abi, readonly_pop_many_efault_keeps_elements)
{
	__u64 want[PREFILL], out[PREFILL] = { 0 }, index;
	__u64 *ro = map_pages(_metadata, self->page, 1, PROT_READ);

	prefill(_metadata, self->fd, want);
	EXPECT_EQ(-EFAULT, sv_pop_many(self->fd, ro, 3, NULL));
	expect_contents(_metadata, self->fd, want, PREFILL);
	ASSERT_EQ(3, sv_pop_many(self->fd, out, 3, &index));
	EXPECT_EQ((__u64)PREFILL - 3, index);
	EXPECT_EQ(0, memcmp(want + PREFILL - 3, out, 3 * sizeof(*out)));
	munmap(ro, self->page);
}

/*
 * Arguments on a read-only page: commands that write their argument back
 * (every _IOR and _IOWR one) fail with EFAULT and change nothing; the two
 * that only read it (SET, RESERVE) work.
 */
TEST_F(abi, readonly_arg_efault_unchanged)
{
	static const struct cmd_desc out_cmds[] = {
		CMD(PUSH), CMD(POP), CMD(GET), CMD(SIZE), CMD(INFO),
		CMD(PUSH_MANY), CMD(POP_MANY), CMD(GET_RANGE),
	};
	__u64 want[PREFILL], vals[2] = { VAL(50), VAL(51) }, out[2];
	char *ro = map_pages(_metadata, self->page, 1, PROT_READ | PROT_WRITE);
	struct secvec_elem *e = (struct secvec_elem *)ro;
	struct secvec_batch *b = (struct secvec_batch *)(ro + 64);
	size_t i;

	prefill(_metadata, self->fd, want);
	for (i = 0; i < ARRAY_SIZE(out_cmds); i++) {
		void *arg = e;

		ASSERT_EQ(0, mprotect(ro, self->page, PROT_READ | PROT_WRITE));
		*e = (struct secvec_elem){ .index = 1, .value = VAL(40) };
		*b = (struct secvec_batch){ .index = 1, .count = 2,
			.values = (uintptr_t)(out_cmds[i].cmd ==
				  SECVEC_IOC_PUSH_MANY ? vals : out) };
		if (_IOC_SIZE(out_cmds[i].cmd) == sizeof(*b))
			arg = b;
		ASSERT_EQ(0, mprotect(ro, self->page, PROT_READ));
		EXPECT_EQ(-EFAULT, sv_ioctl(self->fd, out_cmds[i].cmd, arg))
			TH_LOG("%s with a read-only argument", out_cmds[i].name);
		expect_contents(_metadata, self->fd, want, PREFILL);
	}

	/* SET and RESERVE only read their argument. */
	EXPECT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_SET, e));
	want[1] = VAL(40);
	ASSERT_EQ(0, mprotect(ro, self->page, PROT_READ | PROT_WRITE));
	*(__u64 *)(ro + 128) = PREFILL;
	ASSERT_EQ(0, mprotect(ro, self->page, PROT_READ));
	EXPECT_EQ(0, sv_ioctl(self->fd, SECVEC_IOC_RESERVE, ro + 128));
	expect_contents(_metadata, self->fd, want, PREFILL);
	munmap(ro, self->page);
}

/*
 * A page that another thread keeps flipping between read-only and
 * read-write, so that an ioctl's argument can become unwritable between
 * the driver's checks and its last write.
 */
struct flipper {
	void *page;
	long len;
	int stop;
	int err;		/* errno of a failed mprotect() */
	unsigned long flips;
};

static void *flipper_fn(void *arg)
{
	struct flipper *f = arg;

	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		if (mprotect(f->page, f->len, PROT_READ) ||
		    mprotect(f->page, f->len, PROT_READ | PROT_WRITE)) {
			f->err = errno;
			break;
		}
		f->flips++;
	}
	return NULL;
}

/* Calls per command at most, and a time limit, for the race below. */
#define FLIP_CALLS	4000
#define FLIP_SECONDS	4

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * PUSH and PUSH_MANY while their argument flips read-only and back: each
 * call either fails with EFAULT and pushes nothing, or succeeds and
 * pushes its values. The driver writes the index (and done) back after
 * the push has committed; if the page turned read-only after its probe,
 * an EFAULT then would report a failure with the vector changed. Both
 * outcomes must show up, or the race was not exercised.
 */
TEST_F(abi, push_racing_mprotect_efault_unchanged)
{
	static const struct cmd_desc push_cmds[] = {
		CMD(PUSH), CMD(PUSH_MANY),
	};
	__u64 vals[2] = { VAL(60), VAL(61) }, before, after, n;
	struct flipper f = { .len = self->page };
	unsigned long ok, efault, i;
	struct secvec_elem *e;
	struct secvec_batch *b;
	pthread_t thread;
	double end;
	size_t c;
	int ret;

	f.page = map_pages(_metadata, self->page, 1, PROT_READ | PROT_WRITE);
	e = f.page;
	b = (struct secvec_batch *)((char *)f.page + 64);
	*e = (struct secvec_elem){ .value = VAL(60) };
	*b = (struct secvec_batch){ .values = (uintptr_t)vals, .count = 2 };
	ASSERT_EQ(0, pthread_create(&thread, NULL, flipper_fn, &f));
	for (c = 0; c < ARRAY_SIZE(push_cmds); c++) {
		n = push_cmds[c].cmd == SECVEC_IOC_PUSH ? 1 : 2;
		ok = 0;
		efault = 0;
		end = now_seconds() + FLIP_SECONDS;
		for (i = 0; i < FLIP_CALLS && now_seconds() < end; i++) {
			/* Room for the next call under any max_elements. */
			ASSERT_EQ(0, sv_size(self->fd, &before));
			if (before + n > self->info.max_elements) {
				ASSERT_EQ(0, sv_clear(self->fd));
				before = 0;
			}
			ret = sv_ioctl(self->fd, push_cmds[c].cmd,
				       n == 1 ? (void *)e : (void *)b);
			ASSERT_EQ(0, sv_size(self->fd, &after));
			if (ret == -EFAULT) {
				efault++;
				ASSERT_EQ(before, after)
					TH_LOG("%s failed with EFAULT after pushing",
					       push_cmds[c].name);
			} else {
				ASSERT_EQ(0, ret)
					TH_LOG("%s: %s", push_cmds[c].name,
					       strerror(-ret));
				ok++;
				ASSERT_EQ(before + n, after);
			}
		}
		TH_LOG("%s: %lu calls, %lu pushed, %lu EFAULT",
		       push_cmds[c].name, i, ok, efault);
		EXPECT_LT(0UL, ok);
		EXPECT_LT(0UL, efault);
		ASSERT_EQ(0, sv_clear(self->fd));
	}
	__atomic_store_n(&f.stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, f.err) TH_LOG("mprotect: %s", strerror(f.err));
	TH_LOG("%lu flips", f.flips);
	munmap(f.page, self->page);
}

TEST_F(abi, get_out_of_range_erange)
{
	__u64 v = 0;

	EXPECT_EQ(-ERANGE, sv_get(self->fd, 0, &v));
	ASSERT_EQ(0, sv_fill(self->fd, 0, 3));
	EXPECT_EQ(-ERANGE, sv_get(self->fd, 3, &v));
	EXPECT_EQ(-ERANGE, sv_get(self->fd, 1ULL << 32, &v));
	EXPECT_EQ(-ERANGE, sv_get(self->fd, UINT64_MAX, &v));
	/* Reserved capacity is not size. */
	ASSERT_EQ(0, sv_reserve(self->fd, 100));
	EXPECT_EQ(-ERANGE, sv_get(self->fd, 50, &v));
}

TEST_F(abi, set_out_of_range_erange)
{
	__u64 want[PREFILL];

	EXPECT_EQ(-ERANGE, sv_set(self->fd, 0, 1));
	prefill(_metadata, self->fd, want);
	/* SET at the size must not turn into a push. */
	EXPECT_EQ(-ERANGE, sv_set(self->fd, PREFILL, 1));
	EXPECT_EQ(-ERANGE, sv_set(self->fd, UINT64_MAX, 1));
	expect_contents(_metadata, self->fd, want, PREFILL);
}

TEST_F(abi, get_range_out_of_range_erange)
{
	__u64 out[4];

	EXPECT_EQ(-ERANGE, sv_get_range(self->fd, 0, out, 4));
	ASSERT_EQ(0, sv_fill(self->fd, 0, 3));
	EXPECT_EQ(-ERANGE, sv_get_range(self->fd, 3, out, 4));
	EXPECT_EQ(-ERANGE, sv_get_range(self->fd, UINT64_MAX, out, 4));
}

TEST_F(abi, pop_empty_enodata)
{
	__u64 v = 0x1234;

	EXPECT_EQ(-ENODATA, sv_pop(self->fd, &v));
	ASSERT_EQ(0, sv_push(self->fd, 1, NULL));
	ASSERT_EQ(0, sv_pop(self->fd, &v));
	EXPECT_EQ(-ENODATA, sv_pop(self->fd, &v));
}

TEST_F(abi, pop_many_empty_enodata)
{
	__u64 out[4], size;

	EXPECT_EQ(-ENODATA, sv_pop_many(self->fd, out, 4, NULL));
	ASSERT_EQ(0, sv_fill(self->fd, 0, 2));
	ASSERT_EQ(2, sv_pop_many(self->fd, out, 4, NULL));
	EXPECT_EQ(-ENODATA, sv_pop_many(self->fd, out, 4, NULL));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
}

TEST_F(abi, batch_count_zero_einval)
{
	__u64 want[PREFILL], buf[4] = { 0 };
	size_t i;

	prefill(_metadata, self->fd, want);
	for (i = 0; i < ARRAY_SIZE(batch_cmds); i++) {
		EXPECT_EQ(-EINVAL, sv_batch(self->fd, batch_cmds[i].cmd, buf,
					    0, 0, NULL))
			TH_LOG("%s count 0", batch_cmds[i].name);
	}
	expect_contents(_metadata, self->fd, want, PREFILL);
}

TEST_F(abi, batch_count_huge_einval)
{
	static const __u32 counts[] = {
		SECVEC_BATCH_MAX + 1, 1U << 31, UINT32_MAX,
	};
	__u64 want[PREFILL], buf[4] = { 0 };
	size_t i, j;

	/* A small buffer: the count must be refused before it is used. */
	prefill(_metadata, self->fd, want);
	for (i = 0; i < ARRAY_SIZE(batch_cmds); i++) {
		for (j = 0; j < ARRAY_SIZE(counts); j++) {
			EXPECT_EQ(-EINVAL, sv_batch(self->fd,
						    batch_cmds[i].cmd, buf, 0,
						    counts[j], NULL))
				TH_LOG("%s count %u", batch_cmds[i].name,
				       counts[j]);
		}
	}
	expect_contents(_metadata, self->fd, want, PREFILL);
}

TEST_F(abi, reserve_over_cap_enospc)
{
	__u64 max = self->info.max_elements, size;

	EXPECT_EQ(-ENOSPC, sv_reserve(self->fd, max + 1));
	EXPECT_EQ(-ENOSPC, sv_reserve(self->fd, UINT64_MAX));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
}

/*
 * Fill the vector to max_elements, then every push is refused with ENOSPC
 * and nothing changes; a PUSH_MANY that would cross the cap pushes nothing.
 */
TEST_F(abi, cap_reached_enospc)
{
	__u64 max = self->info.max_elements, size, v, two[2] = { 1, 2 };

	if (max > CAP_FILL_MAX || max < 2)
		SKIP(return, "max_elements=%llu; load with 2..%llu to test",
		     max, CAP_FILL_MAX);
	ASSERT_EQ(0, sv_reserve(self->fd, max));
	ASSERT_EQ(0, sv_fill(self->fd, 0, max));

	EXPECT_EQ(-ENOSPC, sv_push(self->fd, 1, NULL));
	EXPECT_EQ(-ENOSPC, sv_push_many(self->fd, two, 1, NULL));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(max, size);

	/* One slot left, two values offered: all or nothing. */
	ASSERT_EQ(0, sv_pop(self->fd, &v));
	EXPECT_EQ(max - 1, v);
	EXPECT_EQ(-ENOSPC, sv_push_many(self->fd, two, 2, NULL));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(max - 1, size);
	ASSERT_EQ(0, sv_get(self->fd, max - 2, &v));
	EXPECT_EQ(max - 2, v);

	/* The last slot is usable, and the cap holds on either side. */
	EXPECT_EQ(0, sv_push_many(self->fd, two, 1, NULL));
	EXPECT_EQ(-ENOSPC, sv_push(self->fd, 1, NULL));
	ASSERT_EQ(0, sv_clear(self->fd));
	ASSERT_EQ(0, sv_size(self->fd, &size));
	EXPECT_EQ(0ULL, size);
}

TEST_HARNESS_MAIN
