// SPDX-License-Identifier: GPL-2.0
/*
 * Drive the kernel's failslab from a KUnit case.
 *
 * failslab is configured only through debugfs (its ignore-gfp-wait knob,
 * which must be off for GFP_KERNEL allocations to fail, has no boot
 * parameter), kunit.py boots no userspace to write it, and debugfs files
 * have no read_iter/write_iter for kernel_read()/kernel_write(). But each
 * knob is a debugfs_create_*() file whose inode's i_private is the
 * variable itself: look the files up and set the variables, as a write to
 * the file would. "probability" lives in failslab's struct fault_attr,
 * which gives us the whole attribute.
 *
 * task-filter confines the failures to tasks with make_it_fail set: the
 * crew of the case sets it, and the rest of the kernel (kunit itself,
 * kthreadd, the RCU kthreads) allocates normally while the case runs.
 */
#include "secvec_kunit.h"

#if IS_ENABLED(CONFIG_FAILSLAB) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/fs.h>

/* The variable behind debugfs file failslab/@name, or NULL. */
static void *failslab_knob(struct dentry *dir, const char *name)
{
	struct dentry *file = debugfs_lookup(name, dir);
	void *data;

	if (IS_ERR_OR_NULL(file))
		return NULL;
	data = d_inode(file)->i_private;
	dput(file);
	return data;
}

int secvec_kunit_failslab_start(struct secvec_kunit_failslab *fs,
				unsigned int percent)
{
	struct dentry *dir = debugfs_lookup("failslab", NULL);
	unsigned long *probability;
	struct fault_attr *attr;

	if (IS_ERR_OR_NULL(dir))
		return -ENOENT;
	probability = failslab_knob(dir, "probability");
	fs->ignore_gfp_wait = failslab_knob(dir, "ignore-gfp-wait");
	dput(dir);
	if (!probability || !fs->ignore_gfp_wait)
		return -ENOENT;
	attr = container_of(probability, struct fault_attr, probability);
	fs->attr = attr;
	fs->saved_probability = attr->probability;
	fs->saved_interval = attr->interval;
	fs->saved_verbose = attr->verbose;
	fs->saved_task_filter = attr->task_filter;
	fs->saved_times = atomic_read(&attr->times);
	fs->saved_ignore_gfp_wait = *fs->ignore_gfp_wait;

	WRITE_ONCE(attr->task_filter, true);
	WRITE_ONCE(*fs->ignore_gfp_wait, false);
	WRITE_ONCE(attr->verbose, 0);	/* a stack dump per failure floods */
	WRITE_ONCE(attr->interval, 1);
	atomic_set(&attr->times, -1);
	/* Last: every other knob is in place when failures start. */
	WRITE_ONCE(attr->probability, percent);
	return 0;
}

void secvec_kunit_failslab_stop(struct secvec_kunit_failslab *fs)
{
	struct fault_attr *attr = fs->attr;

	/* First: failures stop before the filter goes. */
	WRITE_ONCE(attr->probability, fs->saved_probability);
	atomic_set(&attr->times, fs->saved_times);
	WRITE_ONCE(attr->interval, fs->saved_interval);
	WRITE_ONCE(attr->verbose, fs->saved_verbose);
	WRITE_ONCE(*fs->ignore_gfp_wait, fs->saved_ignore_gfp_wait);
	WRITE_ONCE(attr->task_filter, fs->saved_task_filter);
}

#else

int secvec_kunit_failslab_start(struct secvec_kunit_failslab *fs,
				unsigned int percent)
{
	return -EOPNOTSUPP;
}

void secvec_kunit_failslab_stop(struct secvec_kunit_failslab *fs)
{
}

#endif
