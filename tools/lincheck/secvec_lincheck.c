// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_lincheck: record histories of concurrent operations on /dev/secvec
 * and check that each is linearizable against the sequential model of a
 * vector (lincheck.c). The recording, the threads and the check are the
 * recorder's (recorder.c); this is its backend for the device: each call
 * is an ioctl, each thread has a file descriptor of its own.
 *
 * Destroys the vector's contents; run it alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/secvec.h>

#include "lincheck.h"
#include "recorder.h"

#define DEFAULT_DEV	"/dev/secvec"

static const char usage_text[] =
"usage: secvec_lincheck [-d DEV] [-H HISTORIES] [-t THREADS] [-o OPS]\n"
"                       [-s SEED] [-j JITTER] [-u] [-M] [-B]\n"
"\n"
"Record HISTORIES histories (default 1000) of THREADS threads (default 4)\n"
"making OPS random calls each (default 8; THREADS x OPS <= 64) on DEV\n"
"(default " DEFAULT_DEV "): push, pop, get, set, size, push_many, pop_many\n"
"(-M: no batches), values and indices in 0..3. Check each history for\n"
"linearizability; print the first rejected one in full.\n"
"\n"
LC_USAGE_COMMON
"\n"
"The last line is \"lincheck: P passed, F failed\", a history being a test.\n"
"Exit status: 0 if none failed, 1 if any did or the device failed, 2 on a\n"
"usage error. Destroys the vector's contents.\n";

static const char *dev_path = DEFAULT_DEV;
static int dev_fd;

static void dev_option(int opt, const char *arg)
{
	if (opt == 'd')
		dev_path = arg;
}

static const char *dev_target(void)
{
	return dev_path;
}

static int dev_open(void)
{
	int fd = open(dev_path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		lc_die(dev_path, errno);
	return fd;
}

static void dev_setup(void)
{
	dev_fd = dev_open();
}

/* Each worker its own file descriptor. */
static void *dev_thread_init(unsigned int id)
{
	(void)id;
	return (void *)(intptr_t)dev_open();
}

/* CLEAR, then push the history's initial contents. */
static void dev_prepare(unsigned int k, const struct lc_model *init)
{
	struct secvec_elem e;
	uint64_t size;
	unsigned int i;

	(void)k;
	if (ioctl(dev_fd, SECVEC_IOC_CLEAR) < 0)
		lc_die("CLEAR", errno);
	for (i = 0; i < init->len; i++) {
		e.value = init->v[i];
		if (ioctl(dev_fd, SECVEC_IOC_PUSH, &e) < 0)
			lc_die("PUSH", errno);
		if (e.index != i) {
			fprintf(stderr, "secvec_lincheck: push %u after CLEAR "
				"went to index %llu\n", i,
				(unsigned long long)e.index);
			exit(1);
		}
	}
	if (ioctl(dev_fd, SECVEC_IOC_SIZE, &size) < 0)
		lc_die("SIZE", errno);
	if (size != init->len) {
		fprintf(stderr, "secvec_lincheck: size %llu after CLEAR and %u "
			"pushes\n", (unsigned long long)size, init->len);
		exit(1);
	}
}

/* Make op's call, stamped on both sides, and record its result. */
static void dev_run_op(void *ctx, struct lc_op *op)
{
	struct secvec_elem e = { .index = op->index, .value = op->value };
	uint64_t vals[LC_BATCH_MAX], v = 0;
	struct secvec_batch b = {
		.values = (uintptr_t)vals, .count = op->count,
	};
	int fd = (intptr_t)ctx;
	unsigned long cmd = 0;
	void *arg = &e;
	int ret;

	switch (op->kind) {
	case LC_PUSH:
		cmd = SECVEC_IOC_PUSH;
		break;
	case LC_GET:
		cmd = SECVEC_IOC_GET;
		break;
	case LC_SET:
		cmd = SECVEC_IOC_SET;
		break;
	case LC_POP:
	case LC_SIZE:
		cmd = op->kind == LC_POP ? SECVEC_IOC_POP : SECVEC_IOC_SIZE;
		arg = &v;
		break;
	case LC_PUSH_MANY:
	case LC_POP_MANY:
		memcpy(vals, op->values, sizeof(vals));
		cmd = op->kind == LC_PUSH_MANY ? SECVEC_IOC_PUSH_MANY :
						 SECVEC_IOC_POP_MANY;
		arg = &b;
		break;
	}
	op->call = lc_stamp();
	ret = ioctl(fd, cmd, arg);
	op->err = ret < 0 ? errno : 0;
	op->ret = lc_stamp();
	if (ret < 0)
		return;
	switch (op->kind) {
	case LC_PUSH:
		op->index = e.index;
		break;
	case LC_GET:
		op->value = e.value;
		break;
	case LC_SET:
		break;
	case LC_POP:
	case LC_SIZE:
		op->value = v;
		break;
	case LC_PUSH_MANY:
	case LC_POP_MANY:
		op->index = b.index;
		op->done = b.done;
		if (op->kind == LC_POP_MANY)
			memcpy(op->values, vals, (b.done < LC_BATCH_MAX ?
				b.done : LC_BATCH_MAX) * sizeof(vals[0]));
		break;
	}
}

static const struct lc_backend dev_backend = {
	.prog = "secvec_lincheck",
	.usage = usage_text,
	.optstring = "d:",
	.option = dev_option,
	.target = dev_target,
	.setup = dev_setup,
	.thread_init = dev_thread_init,
	.prepare = dev_prepare,
	.run_op = dev_run_op,
};

int main(int argc, char **argv)
{
	return lc_recorder_main(argc, argv, &dev_backend);
}
