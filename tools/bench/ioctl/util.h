/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ioctl programs share: dying with errno, the monotonic clock,
 * the device, and the options they all take (-d DEVICE, -h, --help).
 * Include it first, after defining _GNU_SOURCE.
 */
#ifndef _SECVEC_BENCH_IOCTL_UTIL_H
#define _SECVEC_BENCH_IOCTL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

static inline int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ns_of(&ts);
}

static inline int open_device(const char *dev)
{
	int fd = open(dev, O_RDWR);

	if (fd < 0)
		die(dev);
	return fd;
}

/*
 * getopt_long() over @opts, which must hold "d:h": takes -d DEVICE into
 * @dev, calls usage(0) for -h and --help and usage(2) for an unknown
 * option, and returns any other option, or -1 at the end.
 */
static inline int next_option(int argc, char **argv, const char *opts,
			      const char **dev, void (*usage)(int status))
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, opts, longopts, NULL)) != -1) {
		if (opt == 'd')
			*dev = optarg;
		else if (opt == 'h')
			usage(0);
		else if (opt == '?')
			usage(2);
		else
			return opt;
	}
	return -1;
}

#endif /* _SECVEC_BENCH_IOCTL_UTIL_H */
