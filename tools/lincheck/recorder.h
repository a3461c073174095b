/* SPDX-License-Identifier: GPL-2.0 */
/*
 * recorder: record histories of concurrent calls on a vector and check each
 * one with lc_check(). What makes the calls is a backend; the recorder does
 * the rest, the same for every backend: options, the operation mix, the
 * threads and their start, the stamps' counter, the check, broken mode and
 * the report (README.md).
 *
 * secvec_lincheck.c drives /dev/secvec through its ioctls; the userspace
 * build's lincheck (tools/testing/secvec/lincheck/) calls the core itself.
 *
 * The order of the calls into a backend:
 *
 *   option()*   setup()   thread_init(0..nthreads-1)
 *   per history k:  prepare(k)  [run_op() from the workers]  finished(k)
 *   report()   teardown()
 *
 * On the main thread, except run_op(), thread_start() and thread_stop(),
 * which run on the workers: thread_start() before a worker's first call,
 * thread_stop() after its last one. Every hook but run_op() may be NULL.
 */
#ifndef LINCHECK_RECORDER_H
#define LINCHECK_RECORDER_H

#include "lincheck.h"

struct lc_backend {
	/* The program's name, for messages: "secvec_lincheck". */
	const char *prog;
	/* The whole of -h; printed after a usage error too. */
	const char *usage;
	/* getopt() letters the backend handles besides the recorder's. */
	const char *optstring;
	/* Handle one of them (lc_parse_uint() for numbers). */
	void (*option)(int opt, const char *arg);
	/* What the calls go to, for the first line: "/dev/secvec". */
	const char *(*target)(void);
	/* After the options, before any thread exists. */
	void (*setup)(void);
	/* A worker's context, passed to its run_op() calls. */
	void *(*thread_init)(unsigned int id);
	void (*thread_start)(void *ctx);
	void (*thread_stop)(void *ctx);
	/*
	 * Before history @k: make the vector hold @init exactly (any
	 * failure is fatal: lc_die()). No worker is running.
	 */
	void (*prepare)(unsigned int k, const struct lc_model *init);
	/*
	 * Make @op's call and record its result in @op (err: an errno or
	 * 0), taking op->call = lc_stamp() right before it and op->ret =
	 * lc_stamp() right after it.
	 */
	void (*run_op)(void *ctx, struct lc_op *op);
	/* After history @k's calls have all returned. */
	void (*finished)(unsigned int k);
	/*
	 * After the last history: print what else the backend checked, as
	 * "lincheck: ..." lines, and return how many of those checks failed
	 * (counted with the histories in the last line).
	 */
	unsigned int (*report)(void);
	void (*teardown)(void);
};

/* The stamps' counter, shared by every thread. */
uint64_t lc_stamp(void);

/* Print "PROG: WHAT: strerror(err)" and exit(1). */
void lc_die(const char *what, int err) __attribute__((noreturn));

/* An option's number, at most @max; a usage error otherwise. */
unsigned int lc_parse_uint(const char *what, const char *s,
			   unsigned long long max);

/* Print "PROG: MSG", then the usage text, and exit(2). */
void lc_usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Run: parse argv, record and check; returns the exit status. */
int lc_recorder_main(int argc, char **argv, const struct lc_backend *be);

/* The options every recorder takes, for its usage text (recorder.c). */
#define LC_USAGE_COMMON							\
	"  -s SEED    seed of the operation mix (default: from the clock; printed)\n"	\
	"  -j JITTER  busy-wait 0..JITTER us before each call (default 0: the\n"	\
	"             threads start together, which overlaps their calls the most)\n"	\
	"  -u         leave the threads unpinned (default: thread i on CPU i)\n"	\
	"  -B         broken mode, to show the checker can reject: after checking\n"	\
	"             a history, also check a copy with one result made impossible\n"	\
	"             (a value read or popped that was never stored, a size or an\n"	\
	"             index off by 1000). A history passes if it is accepted and\n"	\
	"             its corrupted copy rejected.\n"

#endif /* LINCHECK_RECORDER_H */
