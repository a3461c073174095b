// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_pop_test: POP and POP_MANY when their destination is not ready.
 *
 * A pop copies its values (and POP_MANY its index and done) to userspace
 * with page faults disabled before it commits; when that copy faults, the
 * driver faults the pages in and tries again. These tests force that path
 * and check what the uapi header promises about it: the fault-in writes
 * nothing the call does not promise to write.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"
#include "secvec_fixture.h"

/* Values with high bits set, so a truncation to 32 bits shows. */
#define VAL(i)		(0x9090000000000000ULL + (i))

/* The byte everything the kernel must not write is filled with. */
#define PATTERN		0xa5

SECVEC_FIXTURE(pop)

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* @pages fresh anonymous pages, filled with PATTERN. */
static unsigned char *map_pattern(struct __test_metadata *_metadata,
				  int pages)
{
	unsigned char *p = mmap(NULL, pages * page_size(),
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	memset(p, PATTERN, pages * page_size());
	return p;
}

/* Put VAL(0 .. n) in the (empty) vector. */
static void fill(struct __test_metadata *_metadata, int fd, __u64 n)
{
	ASSERT_EQ(0, sv_fill(fd, VAL(0), n));
}

/* The vector must hold VAL(0 .. n). */
static void expect_vals(struct __test_metadata *_metadata, int fd, __u64 n)
{
	__u64 *got = NULL, size = 0, i;

	ASSERT_EQ(0, sv_snapshot(fd, &got, &size));
	EXPECT_EQ(n, size);
	for (i = 0; i < n && i < size; i++) {
		EXPECT_EQ(VAL(i), got[i]) TH_LOG("index %llu", i);
	}
	free(got);
}

/* Bytes [from, to) of @p must all still be PATTERN. */
static void expect_pattern(struct __test_metadata *_metadata,
			   const unsigned char *p, size_t from, size_t to,
			   const char *what)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (p[i] != PATTERN)
			break;
	}
	EXPECT_EQ(to, i) TH_LOG("%s: byte %zu changed to %#x", what, i,
				i < to ? p[i] : 0);
}

/*
 * fork() write-protects the parent's private pages for copy-on-write, so
 * the pop's first copy (page faults disabled) faults on both the values
 * array and the header, and the driver faults them in. Faulting in must
 * not write: the header's values and count are inputs, and the values
 * array past what was popped is the caller's. The array spans three pages
 * so that page starts inside it, not just its first byte, are checked.
 */
TEST_F(pop, pop_many_fault_in_writes_only_outputs)
{
	const __u32 count = 1024, pop = 3;
	long page = page_size();
	unsigned char *mem = map_pattern(_metadata, 4);
	/* Not page aligned, and the pointer's low byte is not zero. */
	struct secvec_batch *b = (struct secvec_batch *)(mem + 8);
	__u64 *values = (__u64 *)(mem + page + 8);
	struct secvec_batch want;
	int pipefd[2], status, ret;
	char c;
	pid_t pid;
	__u32 i;

	fill(_metadata, self->fd, pop);
	*b = (struct secvec_batch){ .values = (uintptr_t)values,
		.index = 0x1111, .count = count, .done = 0x2222 };
	want = *b;
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Keep the pages shared until the parent's call is over. */
		close(pipefd[1]);
		_exit(read(pipefd[0], &c, 1) < 0);
	}
	close(pipefd[0]);
	ret = sv_ioctl(self->fd, SECVEC_IOC_POP_MANY, b);
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, ret) TH_LOG("POP_MANY: %s", strerror(-ret));

	EXPECT_EQ(want.values, b->values)
		TH_LOG("the header's values pointer changed");
	EXPECT_EQ(want.count, b->count) TH_LOG("the header's count changed");
	EXPECT_EQ(0ULL, b->index);
	EXPECT_EQ(pop, b->done);
	for (i = 0; i < pop; i++) {
		EXPECT_EQ(VAL(i), values[i]);
	}
	/* Before the header, between it and the array, after the pop. */
	expect_pattern(_metadata, mem, 0, 8, "before the header");
	expect_pattern(_metadata, mem, 8 + sizeof(*b), page + 8,
		       "after the header");
	expect_pattern(_metadata, (unsigned char *)&values[pop], 0,
		       (count - pop) * sizeof(__u64), "values past the pop");
	expect_vals(_metadata, self->fd, 0);
	munmap(mem, 4 * page);
}

/* The same for POP: only the popped __u64 is written. */
TEST_F(pop, pop_fault_in_writes_only_the_value)
{
	long page = page_size();
	unsigned char *mem = map_pattern(_metadata, 1);
	__u64 *value = (__u64 *)(mem + 64);
	int pipefd[2], status, ret;
	char c;
	pid_t pid;

	fill(_metadata, self->fd, 2);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[1]);
		_exit(read(pipefd[0], &c, 1) < 0);
	}
	close(pipefd[0]);
	ret = sv_pop(self->fd, value);
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, ret) TH_LOG("POP: %s", strerror(-ret));
	EXPECT_EQ(VAL(1), *value);
	expect_pattern(_metadata, mem, 0, 64, "before the value");
	expect_pattern(_metadata, mem, 72, page, "after the value");
	expect_vals(_metadata, self->fd, 1);
	munmap(mem, page);
}

TEST_HARNESS_MAIN
