/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the secvec selftests: thin ioctl wrappers that return 0
 * or -errno, so that a test reads ASSERT_EQ(-ERANGE, sv_get(...)) and the
 * harness prints both numbers on a mismatch.
 *
 * The harness's ASSERT and EXPECT macros expand to two statements: a loop
 * or if whose body uses one needs braces even for a single line.
 *
 * Every test program talks to the one vector behind /dev/secvec (or
 * $SECVEC_DEV), which all openers share: tests CLEAR it in their fixture
 * setup and must not run in parallel with anything else that uses it.
 */
#ifndef SECVEC_SELFTEST_UTIL_H
#define SECVEC_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/secvec.h>

#define SECVEC_DEV_DEFAULT	"/dev/secvec"

/*
 * The smallest max_elements the ABI and stress tests are written for; the
 * fixtures fail, saying so, below it. The ENOSPC case needs the cap at most
 * CAP_FILL_MAX (secvec_abi_test.c) and is skipped above it.
 */
#define SV_MIN_CAP		1024ULL

/* No test ever needs more than this many elements in the vector at once. */
#define SV_SNAPSHOT_MAX		(1u << 22)

static inline const char *secvec_dev_path(void)
{
	const char *p = getenv("SECVEC_DEV");

	return p && *p ? p : SECVEC_DEV_DEFAULT;
}

static inline int secvec_open(void)
{
	return open(secvec_dev_path(), O_RDWR | O_CLOEXEC);
}

static inline int sv_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	/* A positive return is not part of the ABI: pass it on to fail. */
	return ret < 0 ? -errno : ret;
}

static inline int sv_push(int fd, __u64 value, __u64 *index)
{
	struct secvec_elem e = { .value = value };
	int ret = sv_ioctl(fd, SECVEC_IOC_PUSH, &e);

	if (!ret && index)
		*index = e.index;
	return ret;
}

static inline int sv_pop(int fd, __u64 *value)
{
	return sv_ioctl(fd, SECVEC_IOC_POP, value);
}

static inline int sv_get(int fd, __u64 index, __u64 *value)
{
	struct secvec_elem e = { .index = index };
	int ret = sv_ioctl(fd, SECVEC_IOC_GET, &e);

	if (!ret)
		*value = e.value;
	return ret;
}

static inline int sv_set(int fd, __u64 index, __u64 value)
{
	struct secvec_elem e = { .index = index, .value = value };

	return sv_ioctl(fd, SECVEC_IOC_SET, &e);
}

static inline int sv_size(int fd, __u64 *size)
{
	return sv_ioctl(fd, SECVEC_IOC_SIZE, size);
}

static inline int sv_reserve(int fd, __u64 n)
{
	return sv_ioctl(fd, SECVEC_IOC_RESERVE, &n);
}

static inline int sv_clear(int fd)
{
	return sv_ioctl(fd, SECVEC_IOC_CLEAR, NULL);
}

static inline int sv_info(int fd, struct secvec_info *info)
{
	return sv_ioctl(fd, SECVEC_IOC_INFO, info);
}

static inline int sv_batch(int fd, unsigned long cmd, __u64 *values,
			   __u64 index, __u32 count, struct secvec_batch *out)
{
	struct secvec_batch b = {
		.values = (uintptr_t)values,
		.index = index,
		.count = count,
	};
	int ret = sv_ioctl(fd, cmd, &b);

	if (out)
		*out = b;
	return ret;
}

static inline int sv_push_many(int fd, const __u64 *values, __u32 count,
			       __u64 *index)
{
	struct secvec_batch b;
	int ret = sv_batch(fd, SECVEC_IOC_PUSH_MANY, (__u64 *)values, 0,
			   count, &b);

	if (!ret && index)
		*index = b.index;
	return ret;
}

/* Returns how many were popped (>= 0) or -errno. */
static inline int sv_pop_many(int fd, __u64 *values, __u32 count,
			      __u64 *index)
{
	struct secvec_batch b;
	int ret = sv_batch(fd, SECVEC_IOC_POP_MANY, values, 0, count, &b);

	if (ret)
		return ret;
	if (index)
		*index = b.index;
	return b.done;
}

/* Returns how many were read (>= 0) or -errno. */
static inline int sv_get_range(int fd, __u64 index, __u64 *values,
			       __u32 count)
{
	struct secvec_batch b;
	int ret = sv_batch(fd, SECVEC_IOC_GET_RANGE, values, index, count, &b);

	return ret ? ret : (int)b.done;
}

/* Push first, first + 1, ..., first + n - 1, one batch at a time. */
static inline int sv_fill(int fd, __u64 first, __u64 n)
{
	__u32 chunk = 4096;
	__u64 buf[4096];
	__u64 i, j;
	int ret;

	for (i = 0; i < n; i += chunk) {
		if (n - i < chunk)
			chunk = n - i;
		for (j = 0; j < chunk; j++)
			buf[j] = first + i + j;
		ret = sv_push_many(fd, buf, chunk, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Read the whole vector into a malloc()ed array (*out, *n). Only meaningful
 * while nobody else changes the vector. Returns 0 or -errno.
 */
static inline int sv_snapshot(int fd, __u64 **out, __u64 *n)
{
	__u64 size, i = 0;
	__u64 *buf;
	int ret;

	ret = sv_size(fd, &size);
	if (ret)
		return ret;
	if (size > SV_SNAPSHOT_MAX)
		return -E2BIG;
	buf = malloc((size + 1) * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	while (i < size) {
		__u64 left = size - i;
		__u32 count = left < SECVEC_BATCH_MAX ? left : SECVEC_BATCH_MAX;

		ret = sv_get_range(fd, i, buf + i, count);
		if (ret <= 0) {
			free(buf);
			return ret ? ret : -EIO;
		}
		i += ret;
	}
	*out = buf;
	*n = size;
	return 0;
}

/* An address that is certainly not mapped: map two pages, unmap them. */
static inline void *sv_unmapped_ptr(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, 2 * page, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, 2 * page);
	return p;
}

#endif /* SECVEC_SELFTEST_UTIL_H */
