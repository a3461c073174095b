// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_latency: how long a real-time thread waits for its CPU while
 * another process on that CPU keeps /dev/secvec busy with large batches.
 *
 * Both run on CPU 0. The child loops: PUSH_MANY of N values, then
 * POP_MANY of N (or CLEAR, with -m clear), or, with -m hog, just spins in
 * userspace for a baseline. The parent, SCHED_FIFO, sleeps to absolute
 * deadlines every PERIOD microseconds and records how late it wakes. A
 * wakeup is late by at least as long as the kernel keeps preemption off,
 * or, on a kernel without full preemption, runs without a scheduling
 * point. One line out, for scripts:
 *
 *   latency mode=pop wakeups=5000 mean_us=... p99_us=... max_us=... over_1ms=... over_5ms=...
 *
 * Under qemu TCG the times are emulated: compare runs, not absolutes.
 * Exit status: 0 (also for -h, --help), 1 on an error (message on
 * stderr), 2 on bad usage.
 */
#define _GNU_SOURCE
#include "util.h"

#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/secvec.h>

enum mode { MODE_POP, MODE_CLEAR, MODE_HOG };

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: secvec_latency [-d DEVICE] [-m pop|clear|hog] [-n BATCH] [-p PERIOD_US] [-t SECONDS]\n"
		"  -d  the device (default /dev/secvec)\n"
		"  -m  what the busy process does: PUSH_MANY then POP_MANY (pop,\n"
		"      the default), PUSH_MANY then CLEAR (clear), or spin in\n"
		"      userspace (hog, a baseline)\n"
		"  -n  values per batch (default 65536, the most PUSH_MANY takes)\n"
		"  -p  wakeup period in microseconds (default 2000)\n"
		"  -t  seconds to measure (default 10)\n"
		"Needs root (SCHED_FIFO) and max_elements >= BATCH.\n");
	exit(status);
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* The busy child: never returns; exits 1 on an ioctl error. */
static void busy(const char *dev, enum mode mode, uint32_t n)
{
	struct secvec_batch b;
	uint64_t *buf;
	uint32_t i;
	int fd;

	if (mode == MODE_HOG)
		for (;;)
			__asm__ __volatile__("" ::: "memory");	/* a spin */
	fd = open_device(dev);
	buf = calloc(n, sizeof(*buf));
	if (!buf)
		die("calloc");
	for (i = 0; i < n; i++)
		buf[i] = i;
	for (;;) {
		memset(&b, 0, sizeof(b));
		b.values = (uintptr_t)buf;
		b.count = n;
		if (ioctl(fd, SECVEC_IOC_PUSH_MANY, &b))
			die("PUSH_MANY");
		if (mode == MODE_CLEAR) {
			if (ioctl(fd, SECVEC_IOC_CLEAR))
				die("CLEAR");
			continue;
		}
		memset(&b, 0, sizeof(b));
		b.values = (uintptr_t)buf;
		b.count = n;
		if (ioctl(fd, SECVEC_IOC_POP_MANY, &b))
			die("POP_MANY");
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "pop", "clear", "hog" };
	const char *dev = "/dev/secvec";
	unsigned long period_us = 2000, secs = 10, batch = SECVEC_BATCH_MAX;
	struct sched_param sp = { .sched_priority = 50 };
	int64_t *lat, sum = 0, end, over1 = 0, over5 = 0;
	struct timespec next, now;
	enum mode mode = MODE_POP;
	size_t n = 0, cap;
	pid_t child;
	int opt;

	while ((opt = next_option(argc, argv, "d:m:n:p:t:h", &dev,
				  usage)) != -1) {
		switch (opt) {
		case 'm':
			for (mode = 0; mode <= MODE_HOG; mode++)
				if (!strcmp(optarg, names[mode]))
					break;
			if (mode > MODE_HOG)
				usage(2);
			break;
		case 'n':
			batch = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			period_us = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtoul(optarg, NULL, 0);
			break;
		}
	}
	if (optind != argc || !batch || batch > SECVEC_BATCH_MAX ||
	    !period_us || period_us >= 1000000 || !secs)
		usage(2);

	cap = secs * 1000000 / period_us + 2;
	lat = calloc(cap, sizeof(*lat));
	if (!lat)
		die("calloc");
	pin_to_cpu0();
	child = fork();
	if (child < 0)
		die("fork");
	if (!child)
		busy(dev, mode, batch);
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		kill(child, SIGKILL);
		die("sched_setscheduler");
	}
	sleep(1);	/* let the child start its loop */
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = ns_of(&next) + (int64_t)secs * 1000000000;
	while (n < cap) {
		next.tv_nsec += period_us * 1000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		lat[n] = ns_of(&now) - ns_of(&next);
		sum += lat[n];
		over1 += lat[n] > 1000000;
		over5 += lat[n] > 5000000;
		n++;
		if (ns_of(&now) >= end)
			break;
	}
	kill(child, SIGKILL);
	if (waitpid(child, &opt, 0) < 0)
		die("waitpid");
	/* A child that died before the kill hit an error: it said which. */
	if (!WIFSIGNALED(opt) || WTERMSIG(opt) != SIGKILL)
		return 1;
	qsort(lat, n, sizeof(*lat), cmp_i64);
	printf("latency mode=%s batch=%lu wakeups=%zu mean_us=%.1f p99_us=%.1f",
	       names[mode], batch, n, sum / 1e3 / n, lat[n * 99 / 100] / 1e3);
	printf(" max_us=%.1f over_1ms=%lld over_5ms=%lld\n", lat[n - 1] / 1e3,
	       (long long)over1, (long long)over5);
	return 0;
}
