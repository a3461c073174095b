/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * secvec: a lock-free, dynamically resizable vector of 64-bit values,
 * reached from userspace through the misc device /dev/secvec.
 *
 * Every opener of /dev/secvec shares one vector. Errors (returned as -1 with
 * errno set):
 *   ENOTTY   unknown command
 *   EFAULT   bad user pointer; the vector is unchanged
 *   ENODATA  POP or POP_MANY on an empty vector
 *   ERANGE   index at or past the size (GET, SET, GET_RANGE)
 *   ENOSPC   the push would exceed max_elements; the vector is unchanged
 *   ENOMEM   allocation failure; the vector is unchanged
 *   EINVAL   malformed argument (batch count 0 or over SECVEC_BATCH_MAX)
 *   EINTR    POP or POP_MANY: a signal arrived while the call brought its
 *            destination memory in to retry; nothing was popped. With
 *            SA_RESTART the call is restarted instead.
 *   EBADF    PUSH, POP, SET, RESERVE, CLEAR, PUSH_MANY or POP_MANY on a file
 *            opened without write access (O_RDONLY); checked before the
 *            argument is read, so the vector and the argument are unchanged.
 *            GET, SIZE, GET_RANGE and INFO need only read access, so a node
 *            mode such as 0644 lets others read the vector but not change it.
 *
 * PUSH and PUSH_MANY check that index (and done) can be written before they
 * push; once pushed they return 0. If another thread makes that memory
 * unwritable meanwhile, the push stands and the write-back is lost: a caller
 * that shares its argument with such a thread can preset index to ~0 (and
 * done to 0) to tell.
 *
 * POP and POP_MANY copy their values out before they commit, so that no
 * popped value is lost; an attempt that then loses a race with another
 * thread, or faults part-way, does not commit and is retried. A POP or
 * POP_MANY that fails has popped nothing, but it may have written values:
 * POP's __u64, or up to the first count entries of POP_MANY's values array,
 * may hold values that were at the tail of the vector during the call (and
 * that another caller may have popped since). POP_MANY's index and done are
 * left as the caller passed them, so they report a pop only when the call
 * returns 0. Only if another thread makes the header unwritable during the
 * call can a failed POP_MANY leave them as a failed attempt wrote them.
 * Nothing else is written, and values and count never are.
 */
#ifndef _UAPI_LINUX_SECVEC_H
#define _UAPI_LINUX_SECVEC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SECVEC_ABI_VERSION	1

/* Largest count accepted by PUSH_MANY, POP_MANY and GET_RANGE. */
#define SECVEC_BATCH_MAX	65536

/* PUSH: value in, index out. GET: index in, value out. SET: both in. */
struct secvec_elem {
	__u64 index;
	__u64 value;
};

/*
 * PUSH_MANY: count values from the user array at values are appended as one
 * step; index is set to the first index pushed and done to count.
 * POP_MANY: up to count values are removed from the tail as one step and
 * written to values in index order; index is set to the first index popped
 * and done to how many were popped.
 * GET_RANGE: values at index, index + 1, ... are read, up to count or the
 * end of the vector; done is set to how many were read.
 */
struct secvec_batch {
	__u64 values;	/* user pointer to count __u64s */
	__u64 index;
	__u32 count;
	__u32 done;
};

/* INFO: a snapshot of the shared vector; reserved is zeroed for growth. */
struct secvec_info {
	__u64 size;
	__u64 capacity;		/* elements storable without allocating */
	__u64 max_elements;	/* the cap (module parameter) */
	__u64 abi_version;	/* SECVEC_ABI_VERSION */
	__u64 batch_max;	/* SECVEC_BATCH_MAX */
	__u64 reserved[3];
};

#define SECVEC_IOC_MAGIC	0xB9

#define SECVEC_IOC_PUSH		_IOWR(SECVEC_IOC_MAGIC, 0x00, struct secvec_elem)
#define SECVEC_IOC_POP		_IOR(SECVEC_IOC_MAGIC, 0x01, __u64)
#define SECVEC_IOC_GET		_IOWR(SECVEC_IOC_MAGIC, 0x02, struct secvec_elem)
#define SECVEC_IOC_SET		_IOW(SECVEC_IOC_MAGIC, 0x03, struct secvec_elem)
#define SECVEC_IOC_SIZE		_IOR(SECVEC_IOC_MAGIC, 0x04, __u64)
#define SECVEC_IOC_RESERVE	_IOW(SECVEC_IOC_MAGIC, 0x05, __u64)
#define SECVEC_IOC_CLEAR	_IO(SECVEC_IOC_MAGIC, 0x06)
#define SECVEC_IOC_PUSH_MANY	_IOWR(SECVEC_IOC_MAGIC, 0x07, struct secvec_batch)
#define SECVEC_IOC_POP_MANY	_IOWR(SECVEC_IOC_MAGIC, 0x08, struct secvec_batch)
#define SECVEC_IOC_GET_RANGE	_IOWR(SECVEC_IOC_MAGIC, 0x09, struct secvec_batch)
#define SECVEC_IOC_INFO		_IOR(SECVEC_IOC_MAGIC, 0x0a, struct secvec_info)

#endif /* _UAPI_LINUX_SECVEC_H */
