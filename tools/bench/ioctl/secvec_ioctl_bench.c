// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_ioctl_bench: what a call into /dev/secvec costs.
 *
 * Measures, on one thread, against the floor (the cheapest possible call
 * into the device: an unknown command, which the driver answers -ENOTTY
 * from its switch):
 *   - single PUSH, POP and GET, and SIZE, in ns per call;
 *   - PUSH_MANY and GET_RANGE at several batch sizes, in ns per call and
 *     elements per second.
 * Each measurement is one JSON line on stdout,
 *   {"op":"push_many","batch":256,"round":0,"calls":64,"elems":16384,"ns":...}
 * for tools/bench/run.sh to take medians of. The operations of one round run
 * one after another, their order rotated from round to round.
 *
 * Setup (CLEAR, RESERVE, filling) is never timed; RESERVE puts the buckets
 * in place first, so pushes are timed in the steady state. The device's
 * vector is shared: run nothing else on it meanwhile. It is left empty.
 */
#define _GNU_SOURCE
#include "util.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/secvec.h>

/* No such command: the floor of an ioctl into the driver. */
#define SECVEC_IOC_BENCH_NONE	_IO(SECVEC_IOC_MAGIC, 0xff)

static const unsigned int batches[] = { 1, 16, 256, 4096 };
#define NR_BATCHES	(sizeof(batches) / sizeof(batches[0]))
#define MAX_BATCH	4096
#define MIN_CALLS	32
/*
 * Calls a batch measurement makes at least (within half of max_elements),
 * so that it lasts about as long as a single-call one, tens of
 * milliseconds. With CALLS / BATCH calls, 78 PUSH_MANY calls of 256
 * values took 2 ms, 23-27 us each; in windows of 10-30 ms each took 31-33
 * us (the lab VM): a short window measured a PUSH_MANY that had not yet
 * reached its steady state.
 */
#define BATCH_MIN_CALLS	1024

static int fd;
static unsigned long calls = 20000;
static uint64_t max_elements;
static uint64_t buf[MAX_BATCH];

static void xioctl(unsigned long cmd, void *arg, const char *what)
{
	if (ioctl(fd, cmd, arg))
		die(what);
}

/* Empty the vector and make room for n elements, untimed. */
static void reset(uint64_t n)
{
	xioctl(SECVEC_IOC_CLEAR, NULL, "CLEAR");
	xioctl(SECVEC_IOC_RESERVE, &n, "RESERVE");
}

/* Push n elements, untimed, in the largest batches. */
static void fill(uint64_t n)
{
	struct secvec_batch b = { .values = (uintptr_t)buf };
	uint64_t done = 0;

	while (done < n) {
		b.count = n - done < MAX_BATCH ? n - done : MAX_BATCH;
		xioctl(SECVEC_IOC_PUSH_MANY, &b, "PUSH_MANY (fill)");
		done += b.count;
	}
}

static void report(const char *op, unsigned int batch, unsigned int round,
		   unsigned long n, uint64_t elems, uint64_t ns)
{
	printf("{\"op\":\"%s\",\"batch\":%u,\"round\":%u,\"calls\":%lu,\"elems\":%llu,\"ns\":%llu}\n",
	       op, batch, round, n, (unsigned long long)elems,
	       (unsigned long long)ns);
	fflush(stdout);
}

/* CALLS calls of @cmd on @arg, each of which must return @err (an errno). */
static void bench_calls(const char *op, unsigned long cmd, void *arg,
			int err, unsigned int round)
{
	uint64_t t0, t1;
	unsigned long i;

	t0 = now_ns();
	for (i = 0; i < calls; i++) {
		if ((ioctl(fd, cmd, arg) ? errno : 0) != err)
			die(op);
	}
	t1 = now_ns();
	report(op, 1, round, calls, calls, t1 - t0);
}

/* Push, then pop what was pushed: two measurements from one setup. */
static void bench_push_pop(unsigned int round)
{
	struct secvec_elem e = { 0 };
	uint64_t t0, t1, v;
	unsigned long i;

	reset(calls);
	t0 = now_ns();
	for (i = 0; i < calls; i++) {
		e.value = i;
		xioctl(SECVEC_IOC_PUSH, &e, "PUSH");
	}
	t1 = now_ns();
	report("push", 1, round, calls, calls, t1 - t0);
	bench_calls("pop", SECVEC_IOC_POP, &v, 0, round);
}

static void bench_get(unsigned int round)
{
	struct secvec_elem e = { 0 };
	uint64_t t0, t1, n = 65536, x = round + 1;
	unsigned long i;

	reset(n);
	fill(n);
	t0 = now_ns();
	for (i = 0; i < calls; i++) {
		/* An LCG: random indexes, nearly free next to a syscall. */
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		e.index = (x >> 32) % n;
		xioctl(SECVEC_IOC_GET, &e, "GET");
	}
	t1 = now_ns();
	report("get", 1, round, calls, calls, t1 - t0);
	reset(0);
}

static unsigned long batch_calls(unsigned int batch)
{
	unsigned long n = BATCH_MIN_CALLS;

	if (n > max_elements / 2 / batch)
		n = max_elements / 2 / batch;
	if (n < MIN_CALLS)
		n = MIN_CALLS;
	return calls / batch > n ? calls / batch : n;
}

static void bench_push_many(unsigned int batch, unsigned int round)
{
	struct secvec_batch b = { .values = (uintptr_t)buf, .count = batch };
	unsigned long i, n = batch_calls(batch);
	uint64_t t0, t1;

	reset((uint64_t)n * batch);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		xioctl(SECVEC_IOC_PUSH_MANY, &b, "PUSH_MANY");
	t1 = now_ns();
	report("push_many", batch, round, n, (uint64_t)n * batch, t1 - t0);
	reset(0);
}

static void bench_get_range(unsigned int batch, unsigned int round)
{
	struct secvec_batch b = { .values = (uintptr_t)buf, .count = batch };
	unsigned long i, n = batch_calls(batch);
	uint64_t t0, t1, size = 65536;

	reset(size);
	fill(size);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		/* Walk the vector; every range is whole. */
		b.index = (i * batch) % (size - batch + 1);
		xioctl(SECVEC_IOC_GET_RANGE, &b, "GET_RANGE");
		if (b.done != batch) {
			errno = EIO;
			die("GET_RANGE read short");
		}
	}
	t1 = now_ns();
	report("get_range", batch, round, n, (uint64_t)n * batch, t1 - t0);
	reset(0);
}

/* The measurements of one round, to be run in a rotated order. */
static void step(unsigned int k, unsigned int round)
{
	uint64_t size;

	if (k == 0)
		bench_calls("floor", SECVEC_IOC_BENCH_NONE, NULL, ENOTTY, round);
	else if (k == 1)
		bench_calls("size", SECVEC_IOC_SIZE, &size, 0, round);
	else if (k == 2)
		bench_push_pop(round);
	else if (k == 3)
		bench_get(round);
	else if (k < 4 + NR_BATCHES)
		bench_push_many(batches[k - 4], round);
	else
		bench_get_range(batches[k - 4 - NR_BATCHES], round);
}

#define NR_STEPS	(4 + 2 * NR_BATCHES)

/* -h, --help: to stdout, exit 0; a bad command line: to stderr, exit 2. */
static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: secvec_ioctl_bench [-d DEVICE] [-n CALLS] [-r ROUNDS]\n"
		"       secvec_ioctl_bench -h | --help\n"
		"  -d  the device (default /dev/secvec)\n"
		"  -n  calls per single-op measurement (default 20000); batches\n"
		"      make CALLS / BATCH calls, at least %d (fewer if half of\n"
		"      max_elements would not hold them, but at least %d)\n"
		"  -r  rounds (default 5)\n", BATCH_MIN_CALLS, MIN_CALLS);
	exit(status);
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/secvec";
	unsigned int rounds = 5, r, k;
	struct secvec_info info;
	int opt;

	while ((opt = next_option(argc, argv, "d:n:r:h", &dev, usage)) != -1) {
		if (opt == 'n')
			calls = strtoul(optarg, NULL, 0);
		else
			rounds = strtoul(optarg, NULL, 0);
	}
	if (optind != argc || !calls || !rounds)
		usage(2);

	fd = open_device(dev);
	xioctl(SECVEC_IOC_INFO, &info, "INFO");
	if (info.max_elements < 65536 + (uint64_t)MIN_CALLS * MAX_BATCH ||
	    info.max_elements < calls) {
		fprintf(stderr, "secvec_ioctl_bench: max_elements %llu is too small\n",
			(unsigned long long)info.max_elements);
		return 1;
	}
	max_elements = info.max_elements;
	for (k = 0; k < MAX_BATCH; k++)
		buf[k] = k;

	for (r = 0; r < rounds; r++)
		for (k = 0; k < NR_STEPS; k++)
			step((k + r) % NR_STEPS, r);
	reset(0);
	close(fd);
	return 0;
}
