// SPDX-License-Identifier: GPL-2.0
/*
 * A userspace model of /dev/secvec's ioctls, linked into the test programs
 * by `make mock-check` so that the tests themselves can be exercised on a
 * machine that cannot load the module. It is a reference for the ABI, not a
 * lock-free vector: one process-shared mutex guards everything.
 *
 * User pointers are accessed with process_vm_readv()/process_vm_writev() on
 * ourselves, which fail with EFAULT exactly where copy_{from,to}_user() would
 * (NULL, unmapped, kernel addresses, writes to read-only pages). Every copy
 * to userspace happens before the change is committed, under the lock, so a
 * fault leaves the vector unchanged. (The module's PUSH and PUSH_MANY probe
 * their index before they commit and write it back after: a page made
 * read-only in between still returns 0 there. The mock never meets that
 * case: it writes before it commits.)
 *
 * SECVEC_MOCK_MAX sets max_elements (default 1 << 20).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/secvec.h>

int secvec_mock_ioctl(int fd, unsigned long cmd, void *arg);

struct mock {
	pthread_mutex_t lock;
	__u64 size;
	__u64 capacity;
	__u64 max;
	__u64 data[];
};

static struct mock *mock;

/* Shared so that the harness's forked test processes see one vector. */
static void __attribute__((constructor)) mock_init(void)
{
	const char *env = getenv("SECVEC_MOCK_MAX");
	__u64 max = env ? strtoull(env, NULL, 0) : 1ULL << 20;
	pthread_mutexattr_t attr;

	mock = mmap(NULL, sizeof(*mock) + max * sizeof(__u64),
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mock == MAP_FAILED)
		abort();
	mock->max = max;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&mock->lock, &attr);
}

static int copy_in(void *dst, __u64 src, size_t len)
{
	struct iovec l = { dst, len }, r = { (void *)(uintptr_t)src, len };

	return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == (ssize_t)len ?
	       0 : -EFAULT;
}

static int copy_out(__u64 dst, const void *src, size_t len)
{
	struct iovec l = { (void *)src, len }, r = { (void *)(uintptr_t)dst, len };

	return process_vm_writev(getpid(), &l, 1, &r, 1, 0) == (ssize_t)len ?
	       0 : -EFAULT;
}

static int mock_push(__u64 uarg)
{
	struct secvec_elem e;

	if (copy_in(&e, uarg, sizeof(e)))
		return -EFAULT;
	if (mock->size >= mock->max)
		return -ENOSPC;
	/* Like the module: only the documented output is written. */
	e.index = mock->size;
	if (copy_out(uarg + offsetof(struct secvec_elem, index), &e.index,
		     sizeof(e.index)))
		return -EFAULT;
	mock->data[mock->size++] = e.value;
	return 0;
}

static int mock_pop(__u64 uarg)
{
	if (!mock->size)
		return -ENODATA;
	if (copy_out(uarg, &mock->data[mock->size - 1], sizeof(__u64)))
		return -EFAULT;
	mock->size--;
	return 0;
}

static int mock_get_set(unsigned long cmd, __u64 uarg)
{
	struct secvec_elem e;

	if (copy_in(&e, uarg, sizeof(e)))
		return -EFAULT;
	if (e.index >= mock->size)
		return -ERANGE;
	if (cmd == SECVEC_IOC_SET) {
		mock->data[e.index] = e.value;
		return 0;
	}
	e.value = mock->data[e.index];
	return copy_out(uarg + offsetof(struct secvec_elem, value), &e.value,
			sizeof(e.value));
}

static int mock_reserve(__u64 uarg)
{
	__u64 n;

	if (copy_in(&n, uarg, sizeof(n)))
		return -EFAULT;
	if (n > mock->max)
		return -ENOSPC;
	if (n > mock->capacity)
		mock->capacity = n;
	return 0;
}

static int mock_info(__u64 uarg)
{
	struct secvec_info info = {
		.size = mock->size,
		.capacity = mock->capacity > mock->size ?
			    mock->capacity : mock->size,
		.max_elements = mock->max,
		.abi_version = SECVEC_ABI_VERSION,
		.batch_max = SECVEC_BATCH_MAX,
	};

	return copy_out(uarg, &info, sizeof(info));
}

static int mock_batch(unsigned long cmd, __u64 uarg)
{
	struct secvec_batch b;
	__u64 n, first;

	if (copy_in(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (!b.count || b.count > SECVEC_BATCH_MAX)
		return -EINVAL;
	n = b.count;
	if (cmd == SECVEC_IOC_PUSH_MANY) {
		if (mock->size + n > mock->max)
			return -ENOSPC;
		first = mock->size;
		/* Staged past the end: invisible until size moves. */
		if (copy_in(&mock->data[first], b.values, n * sizeof(__u64)))
			return -EFAULT;
	} else if (cmd == SECVEC_IOC_POP_MANY) {
		if (!mock->size)
			return -ENODATA;
		if (n > mock->size)
			n = mock->size;
		first = mock->size - n;
	} else {
		if (b.index >= mock->size)
			return -ERANGE;
		first = b.index;
		if (n > mock->size - first)
			n = mock->size - first;
	}
	if (cmd != SECVEC_IOC_PUSH_MANY &&
	    copy_out(b.values, &mock->data[first], n * sizeof(__u64)))
		return -EFAULT;
	b.index = first;
	b.done = n;
	/* index is an output of PUSH_MANY and POP_MANY only; done of all. */
	if ((cmd != SECVEC_IOC_GET_RANGE &&
	     copy_out(uarg + offsetof(struct secvec_batch, index), &b.index,
		      sizeof(b.index))) ||
	    copy_out(uarg + offsetof(struct secvec_batch, done), &b.done,
		     sizeof(b.done)))
		return -EFAULT;
	if (cmd == SECVEC_IOC_PUSH_MANY)
		mock->size += n;
	else if (cmd == SECVEC_IOC_POP_MANY)
		mock->size -= n;
	return 0;
}

static int mock_locked(unsigned long cmd, __u64 uarg)
{
	__u64 size = mock->size;

	switch (cmd) {
	case SECVEC_IOC_PUSH:
		return mock_push(uarg);
	case SECVEC_IOC_POP:
		return mock_pop(uarg);
	case SECVEC_IOC_GET:
	case SECVEC_IOC_SET:
		return mock_get_set(cmd, uarg);
	case SECVEC_IOC_SIZE:
		return copy_out(uarg, &size, sizeof(size));
	case SECVEC_IOC_RESERVE:
		return mock_reserve(uarg);
	case SECVEC_IOC_CLEAR:
		mock->size = 0;
		return 0;
	case SECVEC_IOC_PUSH_MANY:
	case SECVEC_IOC_POP_MANY:
	case SECVEC_IOC_GET_RANGE:
		return mock_batch(cmd, uarg);
	case SECVEC_IOC_INFO:
		return mock_info(uarg);
	}
	return -ENOTTY;
}

int secvec_mock_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	(void)fd;
	pthread_mutex_lock(&mock->lock);
	ret = mock_locked(cmd, (uintptr_t)arg);
	pthread_mutex_unlock(&mock->lock);
	if (ret) {
		errno = -ret;
		return -1;
	}
	return 0;
}
