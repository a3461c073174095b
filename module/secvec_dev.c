// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/secvec: one secvec shared by every opener, alive until unload.
 *
 * Contract with userspace (include/uapi/linux/secvec.h): a call that fails
 * leaves the vector unchanged. Values go in before a push commits; values
 * come out before a pop commits, copied with page faults disabled inside
 * the pop's RCU read-side section, so an -EFAULT never loses an element.
 * A pop that fails may have written values out on an attempt that did not
 * commit; POP_MANY's index and done are put back as passed.
 * A push probes the fields it writes back before it commits; once it has
 * committed it succeeds, even if a racing thread took that memory away.
 * Only a file opened for writing may change the vector; one opened
 * read-only may GET, SIZE, GET_RANGE and INFO.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fault-inject-usercopy.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/secvec.h>

#include "secvec.h"
#include "secvec_dev.h"

static unsigned long long max_elements = 1ULL << 24;
module_param(max_elements, ullong, 0444);
MODULE_PARM_DESC(max_elements, "Cap on the vector's size (default 2^24)");

static ushort mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permissions of /dev/secvec (default 0600)");

static struct secvec *secvec_dev_vec;

/*
 * Every allocation an ioctl makes is sized by userspace and charged to the
 * caller's memory cgroup. Over memory.max (or when memory is short) it must
 * fail with -ENOMEM, as the ABI says, not invoke the OOM killer, and not
 * let userspace fill the log with allocation-failure warnings.
 */
#define SECVEC_DEV_GFP \
	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Where a pop hands its values: the user array and the batch header. */
struct secvec_pop_dest {
	u64 __user *values;
	struct secvec_batch __user *batch;	/* NULL for a single pop */
	bool header_written;	/* an attempt may have changed index or done */
};

/*
 * secvec_commit_fn for pops: runs inside the pop's RCU read-side section,
 * so it must not sleep: page faults are disabled and a missing page makes
 * it fail; the caller then faults the pages in and retries the pop.
 */
static int secvec_dev_copy_out(void *ctx, const u64 *values, u32 n,
			       u64 first)
{
	struct secvec_pop_dest *dst = ctx;
	unsigned long left;

	pagefault_disable();
	left = __copy_to_user_inatomic(dst->values, values, n * sizeof(u64));
	if (!left && dst->batch) {
		dst->header_written = true;
		left = __copy_to_user_inatomic(&dst->batch->index, &first,
					       sizeof(first)) ||
		       __copy_to_user_inatomic(&dst->batch->done, &n,
					       sizeof(n));
	}
	pagefault_enable();
	return left ? -EFAULT : 0;
}

/* Pop up to @n values, handing them and the batch header to @dst. */
static int secvec_dev_pop(struct secvec_pop_dest *dst, u64 *buf, u32 n)
{
	u32 popped;
	size_t len = n * sizeof(u64);
	int err;

	if (!access_ok(dst->values, len) ||
	    (dst->batch && !access_ok(dst->batch, sizeof(*dst->batch))))
		return -EFAULT;
	for (;;) {
		err = secvec_pop_many_commit(secvec_dev_vec, buf, n, &popped,
					     NULL, secvec_dev_copy_out, dst);
		if (err != -EFAULT)
			return err;
		/*
		 * fault_in_safe_writeable(), not fault_in_writeable(): that
		 * one faults a page in by storing a zero byte in it, and the
		 * header's first byte is the low byte of the caller's values
		 * pointer (and a batch's count can start a page). The fault
		 * must change nothing the pop does not promise to write.
		 */
		if (fault_in_safe_writeable((const char __user *)dst->values,
					    len) ||
		    (dst->batch &&
		     fault_in_safe_writeable((const char __user *)dst->batch,
					     sizeof(*dst->batch))))
			return -EFAULT;
		/*
		 * The pages can be gone again by the retry (another thread
		 * unmaps or protects them, reclaim, NUMA hinting, uffd-wp),
		 * so the loop has no bound of its own. Nothing has been
		 * popped yet: on any signal, leave and let the call be
		 * restarted or fail with -EINTR.
		 */
		if (signal_pending(current))
			return -ERESTARTSYS;
	}
}

static long secvec_ioc_pop(u64 __user *uval)
{
	struct secvec_pop_dest dst = { .values = uval };
	u64 value;

	return secvec_dev_pop(&dst, &value, 1);
}

/*
 * Put a failed POP_MANY's index and done back as the caller passed them
 * (@b). A pop writes them, after the values, before it commits, so that a
 * pop that commits always has them written; but an attempt that then
 * loses its CAS to another thread, or faults on done after writing index,
 * does not commit, and the call may still end in -ENODATA, -EFAULT or
 * -ERESTARTSYS. Left alone, such a header would say values were popped
 * when none were. Faults are allowed here: outside the pop, nothing is
 * owed. If another thread took the header's memory away meanwhile, the
 * call fails all the same and says so by its return value.
 */
static void secvec_dev_restore_header(struct secvec_batch __user *ub,
				      const struct secvec_batch *b)
{
	/* Each field on its own: they can lie on two pages. */
	int err = put_user(b->index, &ub->index);

	err |= put_user(b->done, &ub->done);
	if (err)
		pr_debug_ratelimited("failed pop_many: index/done not restored\n");
}

static long secvec_ioc_pop_many(struct secvec_batch __user *ub,
				const struct secvec_batch *b, u64 *buf)
{
	struct secvec_pop_dest dst = {
		.values = u64_to_user_ptr(b->values),
		.batch = ub,
	};
	long err;

	err = secvec_dev_pop(&dst, buf, b->count);
	if (err && dst.header_written)
		secvec_dev_restore_header(ub, b);
	return err;
}

/*
 * Tell userspace where a committed push went: @index to @uindex and, for
 * a batch, @done to @udone. Both were probed before the push; this can
 * still fail if the memory changed since (another thread unmapped or
 * write-protected it, or the page could not be brought back in). The
 * push stands either way (others may have seen or popped it), and an
 * error return would claim the vector unchanged: the call succeeds
 * (include/uapi/linux/secvec.h).
 */
static void secvec_dev_report_pushed(u64 __user *uindex, u64 index,
				     u32 __user *udone, u32 done)
{
	if (put_user(index, uindex) || (udone && put_user(done, udone)))
		pr_debug_ratelimited("push committed, index/done not written back\n");
}

static long secvec_ioc_push(struct secvec_elem __user *ue)
{
	struct secvec_elem e;
	long err;

	if (copy_from_user(&e, ue, sizeof(e)))
		return -EFAULT;
	/* Probe that the index can go out before the push commits. */
	if (put_user(e.index, &ue->index))
		return -EFAULT;
	err = secvec_push(secvec_dev_vec, e.value, &e.index);
	if (err)
		return err;
	secvec_dev_report_pushed(&ue->index, e.index, NULL, 0);
	return 0;
}

/* Values PUSH_MANY reads from userspace between scheduling points. */
#define SECVEC_DEV_READ_CHUNK	4096U

/*
 * Read @n values from @src into @dst: one 8-byte load per value under
 * user_access_begin(). Where the CPU advertises fast string moves,
 * copy_from_user() is a byte string move (rep movsb), whose speed is then
 * up to how the CPU implements it; word loads of the words are not.
 */
static int secvec_dev_read_values(u64 *dst, const u64 __user *src, u32 n)
{
	u32 i, end;

	/* As copy_from_user(): fail_usercopy fault injection covers it. */
	if (should_fail_usercopy())
		return -EFAULT;
	/*
	 * A chunk at a time, with a scheduling point between chunks: 65536
	 * values are a long loop for a kernel without full preemption.
	 */
	for (i = 0; i < n; i = end) {
		end = min(n, i + SECVEC_DEV_READ_CHUNK);
		if (!user_access_begin(&src[i], (end - i) * sizeof(*src)))
			return -EFAULT;
		for (; i < end; i++)
			unsafe_get_user(dst[i], &src[i], efault);
		user_access_end();
		cond_resched();
	}
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

static long secvec_ioc_push_many(struct secvec_batch __user *ub,
				 struct secvec_batch *b)
{
	u64 *block;
	long err;

	/* Values read straight into the block the vector will keep. */
	block = secvec_block_alloc(secvec_dev_vec, b->count);
	if (!block)
		return -ENOMEM;
	/* Probe that index and done can go out before the push commits. */
	if (put_user(b->index, &ub->index) || put_user(b->done, &ub->done) ||
	    secvec_dev_read_values(block, u64_to_user_ptr(b->values),
				   b->count)) {
		secvec_block_free(block);
		return -EFAULT;
	}
	/* The vector takes the block over and frees it. */
	err = secvec_block_push(secvec_dev_vec, block, b->count, &b->index);
	if (err)
		return err;
	secvec_dev_report_pushed(&ub->index, b->index, &ub->done, b->count);
	return 0;
}

static long secvec_ioc_get_range(struct secvec_batch __user *ub,
				 struct secvec_batch *b, u64 *buf)
{
	long err;

	err = secvec_get_range(secvec_dev_vec, b->index, buf, b->count,
			       &b->done);
	if (err)
		return err;
	if (copy_to_user(u64_to_user_ptr(b->values), buf,
			 b->done * sizeof(*buf)) ||
	    put_user(b->done, &ub->done))
		return -EFAULT;
	return 0;
}

/*
 * PUSH_MANY, POP_MANY and GET_RANGE: read and check the header, then give
 * the values a buffer. PUSH_MANY reads them into the block the vector
 * keeps; POP_MANY and GET_RANGE get one for the call.
 */
static long secvec_ioc_batch(unsigned int cmd, struct secvec_batch __user *ub)
{
	struct secvec_batch b;
	u64 *buf;
	long err;

	if (copy_from_user(&b, ub, sizeof(b)))
		return -EFAULT;
	if (!b.count || b.count > SECVEC_BATCH_MAX)
		return -EINVAL;
	if (cmd == SECVEC_IOC_PUSH_MANY)
		return secvec_ioc_push_many(ub, &b);
	buf = kvmalloc_array(b.count, sizeof(*buf), SECVEC_DEV_GFP);
	if (!buf)
		return -ENOMEM;
	if (cmd == SECVEC_IOC_POP_MANY)
		err = secvec_ioc_pop_many(ub, &b, buf);
	else
		err = secvec_ioc_get_range(ub, &b, buf);
	kvfree(buf);
	return err;
}

static long secvec_ioc_get(struct secvec_elem __user *ue)
{
	struct secvec_elem e;
	long err;

	if (copy_from_user(&e, ue, sizeof(e)))
		return -EFAULT;
	err = secvec_get(secvec_dev_vec, e.index, &e.value);
	if (err)
		return err;
	return put_user(e.value, &ue->value);
}

static long secvec_ioc_set(struct secvec_elem __user *ue)
{
	struct secvec_elem e;

	if (copy_from_user(&e, ue, sizeof(e)))
		return -EFAULT;
	return secvec_set(secvec_dev_vec, e.index, e.value);
}

static long secvec_ioc_reserve(u64 __user *un)
{
	u64 n;

	if (get_user(n, un))
		return -EFAULT;
	return secvec_reserve(secvec_dev_vec, n);
}

static long secvec_ioc_info(struct secvec_info __user *ui)
{
	struct secvec_info info;

	/* Zeroed whole: reserved fields and any padding never leak. */
	memset(&info, 0, sizeof(info));
	info.size = secvec_size(secvec_dev_vec);
	info.capacity = secvec_capacity(secvec_dev_vec);
	info.max_elements = secvec_max_elements(secvec_dev_vec);
	info.abi_version = SECVEC_ABI_VERSION;
	info.batch_max = SECVEC_BATCH_MAX;
	return copy_to_user(ui, &info, sizeof(info)) ? -EFAULT : 0;
}

/*
 * Whether @cmd changes the vector: its contents, its size or the memory
 * it holds (RESERVE allocates buckets that live until the module goes).
 * POP and POP_MANY hand values out, but they take them away from every
 * other opener too, so they are writes.
 */
static bool secvec_dev_cmd_writes(unsigned int cmd)
{
	switch (cmd) {
	case SECVEC_IOC_PUSH:
	case SECVEC_IOC_POP:
	case SECVEC_IOC_SET:
	case SECVEC_IOC_RESERVE:
	case SECVEC_IOC_CLEAR:
	case SECVEC_IOC_PUSH_MANY:
	case SECVEC_IOC_POP_MANY:
		return true;
	default:
		return false;
	}
}

static long secvec_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/*
	 * The node's mode says who may open the device, the file's mode
	 * what the opener may do: as with write(2), a file opened without
	 * write access may look at the vector but not change it, so that
	 * a mode such as 0644 gives others read access and no more. Checked
	 * first, before the argument is read, so a refused call has no
	 * effect at all.
	 */
	if (secvec_dev_cmd_writes(cmd) && !(file->f_mode & FMODE_WRITE))
		return -EBADF;

	switch (cmd) {
	case SECVEC_IOC_PUSH:
		return secvec_ioc_push(uarg);
	case SECVEC_IOC_POP:
		return secvec_ioc_pop(uarg);
	case SECVEC_IOC_GET:
		return secvec_ioc_get(uarg);
	case SECVEC_IOC_SET:
		return secvec_ioc_set(uarg);
	case SECVEC_IOC_SIZE:
		return put_user(secvec_size(secvec_dev_vec), (u64 __user *)uarg);
	case SECVEC_IOC_RESERVE:
		return secvec_ioc_reserve(uarg);
	case SECVEC_IOC_CLEAR:
		return secvec_clear(secvec_dev_vec);
	case SECVEC_IOC_PUSH_MANY:
	case SECVEC_IOC_POP_MANY:
	case SECVEC_IOC_GET_RANGE:
		return secvec_ioc_batch(cmd, uarg);
	case SECVEC_IOC_INFO:
		return secvec_ioc_info(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations secvec_dev_fops = {
	.owner = THIS_MODULE,	/* pins the module while a file is open */
	.open = nonseekable_open,
	.unlocked_ioctl = secvec_dev_ioctl,
	/* Every argument is a pointer to a layout without padding. */
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice secvec_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "secvec",
	.fops = &secvec_dev_fops,
};

/* Create the shared vector and its node; the core is up (secvec.c). */
int __init secvec_dev_register(void)
{
	int err;

	secvec_dev_vec = secvec_create(max_elements, SECVEC_DEV_GFP);
	if (IS_ERR(secvec_dev_vec)) {
		err = PTR_ERR(secvec_dev_vec);
		pr_err("cannot create the vector (max_elements=%llu): %d\n",
		       max_elements, err);
		return err;
	}
	secvec_miscdev.mode = mode;
	err = misc_register(&secvec_miscdev);
	if (err)
		secvec_destroy(secvec_dev_vec);
	return err;
}

void __exit secvec_dev_unregister(void)
{
	misc_deregister(&secvec_miscdev);
	secvec_destroy(secvec_dev_vec);
}
