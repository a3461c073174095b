// SPDX-License-Identifier: GPL-2.0
/*
 * secvecctl: drive /dev/secvec from the command line or a script.
 *
 * Output is made to be parsed: one item per line, numbers in decimal, no
 * decoration. Errors go to stderr as "secvecctl: WHAT: ENAME (message)".
 * Commands that only read open the device read-only, so that they work
 * on a node that lets others read; the rest open it read-write.
 *
 * Exit status (also in --help):
 *   0  success
 *   1  the device could not be opened, an ioctl failed, or stdout failed
 *   2  usage error (unknown command, wrong arguments, bad number)
 *   3  stress found a lost, duplicated or foreign value
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/secvec.h>

#include "../selftests/secvec_rand.h"

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_VIOLATION	3

#define DEFAULT_DEV	"/dev/secvec"

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* stress: worker id + 1 in the top 16 bits, its running count below. */
#define TAG_SHIFT	48
#define SEQ_MASK	((1ULL << TAG_SHIFT) - 1)
#define STRESS_MAX_THREADS	1024

static const char usage_text[] =
"usage: secvecctl [-d DEV] COMMAND [ARG...]\n"
"       secvecctl --help\n"
"\n"
"Drive the shared secvec vector behind DEV (default " DEFAULT_DEV ").\n"
"Output is one item per line, in decimal, for scripts.\n"
"\n"
"Commands:\n"
"  push V...     append values and print the index of each. One value uses\n"
"                PUSH; several use PUSH_MANY, so each run of up to\n"
"                batch_max values lands contiguously as one step.\n"
"  pop [N]       remove up to N values (default 1) from the end and print\n"
"                them in pop order, last element first. N > 1 uses\n"
"                POP_MANY. Fails with ENODATA only if nothing was popped.\n"
"  get I         print the value at index I\n"
"  set I V       store V at index I (I must be below the size)\n"
"  size          print the number of elements\n"
"  reserve N     allocate room for N elements ahead of time\n"
"  clear         remove every element\n"
"  info          print key=value lines: size, capacity, max_elements,\n"
"                abi_version, batch_max\n"
"  dump          print \"INDEX VALUE\" for every element (GET_RANGE)\n"
"  stress [-t THREADS] [-n OPS]\n"
"                CLEAR the vector, run THREADS threads (default 4) doing\n"
"                OPS PUSH/POP in total (default 100000), drain the vector\n"
"                and check that every value pushed came out exactly once.\n"
"                Prints one line of key=value pairs starting with\n"
"                \"stress:\" and ending with result=pass or result=fail.\n"
"                Destroys the vector's contents; run it alone.\n"
"\n"
"get, size, info and dump only read: they open DEV read-only (O_RDONLY),\n"
"so a node mode such as 0644 (the module's mode parameter) lets any user\n"
"run them. The other commands open it read-write (O_RDWR).\n"
"\n"
"Numbers are decimal or 0x-prefixed hex, 0 to 2^64-1.\n"
"Errors go to stderr as \"secvecctl: WHAT: ENAME (message)\".\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  the device could not be opened, an ioctl failed, or stdout failed\n"
"  2  usage error\n"
"  3  stress found a lost, duplicated or foreign value\n";

static int report(const char *what, int err, int status);

static const char *dev_path = DEFAULT_DEV;
static int dev_flags = O_RDWR;	/* O_RDONLY for a command that only reads */
static int dev_fd = -1;

/* Opened on first use, so that bad arguments are reported as such. */
static int dev_open(int *fd)
{
	if (dev_fd < 0) {
		dev_fd = open(dev_path, dev_flags | O_CLOEXEC);
		if (dev_fd < 0)
			return report(dev_path, errno, EXIT_FAIL);
	}
	*fd = dev_fd;
	return 0;
}

static int report(const char *what, int err, int status)
{
	const char *name = strerrorname_np(err);

	fprintf(stderr, "secvecctl: %s: %s (%s)\n", what, name ? name : "E?",
		strerror(err));
	return status;
}

static __printf(1, 2) int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("secvecctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'secvecctl --help'.\n", stderr);
	return EXIT_USAGE;
}

/* Strict: the whole string, no sign, no overflow. */
static int parse_u64(const char *what, const char *s, __u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!errno && (end == s || *end || strchr(s, '-')))
		errno = EINVAL;
	if (errno) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s '%.64s'", what, s);
		return report(msg, errno, EXIT_USAGE);
	}
	*out = v;
	return 0;
}

static int xioctl(const char *what, unsigned long cmd, void *arg)
{
	int fd, ret = dev_open(&fd);

	if (!ret && ioctl(fd, cmd, arg) < 0)
		ret = report(what, errno, EXIT_FAIL);
	return ret;
}

static int cmd_push(int argc, char **argv)
{
	__u64 *vals = calloc(argc, sizeof(*vals));
	struct secvec_elem e = { 0 };
	int i, n, ret = 0;

	if (!vals)
		return report("push", ENOMEM, EXIT_FAIL);
	for (i = 0; i < argc && !ret; i++)
		ret = parse_u64("value", argv[i], &vals[i]);
	if (!ret && argc == 1) {
		e.value = vals[0];
		ret = xioctl("push", SECVEC_IOC_PUSH, &e);
		if (!ret)
			printf("%llu\n", e.index);
	}
	/* Batches go in order, so a failure leaves earlier ones pushed. */
	for (i = 0; !ret && argc > 1 && i < argc; i += n) {
		struct secvec_batch b = { .values = (uintptr_t)(vals + i) };
		int j;

		n = argc - i < SECVEC_BATCH_MAX ? argc - i : SECVEC_BATCH_MAX;
		b.count = n;
		ret = xioctl("push", SECVEC_IOC_PUSH_MANY, &b);
		for (j = 0; !ret && j < n; j++)
			printf("%llu\n", b.index + j);
	}
	free(vals);
	return ret;
}

static int pop_one(void)
{
	__u64 v;
	int ret = xioctl("pop", SECVEC_IOC_POP, &v);

	if (!ret)
		printf("%llu\n", v);
	return ret;
}

static int cmd_pop(int argc, char **argv)
{
	__u64 n = 1, popped = 0, *buf;
	int fd, ret;
	__u32 i;

	if (argc && parse_u64("count", argv[0], &n))
		return EXIT_USAGE;
	if (n == 0)
		return EXIT_OK;
	if (n == 1)
		return pop_one();
	ret = dev_open(&fd);
	if (ret)
		return ret;
	buf = malloc(SECVEC_BATCH_MAX * sizeof(*buf));
	if (!buf)
		return report("pop", ENOMEM, EXIT_FAIL);
	while (popped < n) {
		__u64 left = n - popped;
		struct secvec_batch b = {
			.values = (uintptr_t)buf,
			.count = left < SECVEC_BATCH_MAX ? left : SECVEC_BATCH_MAX,
		};

		if (ioctl(fd, SECVEC_IOC_POP_MANY, &b) < 0) {
			/* Running out after popping something is success. */
			if (errno != ENODATA || !popped)
				ret = report("pop", errno, EXIT_FAIL);
			break;
		}
		/* POP_MANY returns index order; print in pop order. */
		for (i = b.done; i > 0; i--)
			printf("%llu\n", buf[i - 1]);
		popped += b.done;
		/* Short, or down to index 0: the vector ran out. */
		if (b.done < b.count || b.index == 0)
			break;
	}
	free(buf);
	return ret;
}

static int cmd_get(int argc, char **argv)
{
	struct secvec_elem e = { 0 };
	int ret;

	(void)argc;
	if (parse_u64("index", argv[0], &e.index))
		return EXIT_USAGE;
	ret = xioctl("get", SECVEC_IOC_GET, &e);
	if (!ret)
		printf("%llu\n", e.value);
	return ret;
}

static int cmd_set(int argc, char **argv)
{
	struct secvec_elem e = { 0 };

	(void)argc;
	if (parse_u64("index", argv[0], &e.index) ||
	    parse_u64("value", argv[1], &e.value))
		return EXIT_USAGE;
	return xioctl("set", SECVEC_IOC_SET, &e);
}

static int cmd_size(int argc, char **argv)
{
	__u64 size;
	int ret = xioctl("size", SECVEC_IOC_SIZE, &size);

	(void)argc;
	(void)argv;
	if (!ret)
		printf("%llu\n", size);
	return ret;
}

static int cmd_reserve(int argc, char **argv)
{
	__u64 n;

	(void)argc;
	if (parse_u64("count", argv[0], &n))
		return EXIT_USAGE;
	return xioctl("reserve", SECVEC_IOC_RESERVE, &n);
}

static int cmd_clear(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return xioctl("clear", SECVEC_IOC_CLEAR, NULL);
}

static int cmd_info(int argc, char **argv)
{
	struct secvec_info info;
	int ret = xioctl("info", SECVEC_IOC_INFO, &info);

	(void)argc;
	(void)argv;
	if (ret)
		return ret;
	printf("size=%llu\n", info.size);
	printf("capacity=%llu\n", info.capacity);
	printf("max_elements=%llu\n", info.max_elements);
	printf("abi_version=%llu\n", info.abi_version);
	printf("batch_max=%llu\n", info.batch_max);
	return 0;
}

static int cmd_dump(int argc, char **argv)
{
	__u64 *buf, index = 0;
	int fd, ret;
	__u32 i;

	(void)argc;
	(void)argv;
	ret = dev_open(&fd);
	if (ret)
		return ret;
	buf = malloc(SECVEC_BATCH_MAX * sizeof(*buf));
	if (!buf)
		return report("dump", ENOMEM, EXIT_FAIL);
	for (;;) {
		struct secvec_batch b = {
			.values = (uintptr_t)buf,
			.index = index,
			.count = SECVEC_BATCH_MAX,
		};

		/* ERANGE: index reached the size, so we are done. */
		if (ioctl(fd, SECVEC_IOC_GET_RANGE, &b) < 0) {
			if (errno != ERANGE)
				ret = report("dump", errno, EXIT_FAIL);
			break;
		}
		for (i = 0; i < b.done; i++)
			printf("%llu %llu\n", index + i, buf[i]);
		index += b.done;
		if (b.done < b.count)
			break;
	}
	free(buf);
	return ret;
}

/* ---- stress ------------------------------------------------------------ */

struct stress_thread {
	pthread_t thread;
	int fd;
	unsigned int id;
	__u64 ops;
	__u64 rng;
	__u64 pushed;		/* values tag(id, 0 .. pushed - 1) went in */
	__u64 *popped;
	__u64 npopped;
	__u64 empty, full;
	int err;
};

static inline __u64 stress_tag(unsigned int id, __u64 seq)
{
	return ((__u64)(id + 1) << TAG_SHIFT) | seq;
}

static void stress_push(struct stress_thread *t)
{
	struct secvec_elem e = { .value = stress_tag(t->id, t->pushed) };

	if (!ioctl(t->fd, SECVEC_IOC_PUSH, &e))
		t->pushed++;
	else if (errno == ENOSPC)
		t->full++;
	else
		t->err = errno;
}

static void stress_pop(struct stress_thread *t)
{
	if (!ioctl(t->fd, SECVEC_IOC_POP, &t->popped[t->npopped]))
		t->npopped++;
	else if (errno == ENODATA)
		t->empty++;
	else
		t->err = errno;
}

static void *stress_run(void *arg)
{
	struct stress_thread *t = arg;
	__u64 i;

	for (i = 0; i < t->ops && !t->err; i++) {
		if (secvec_rand(&t->rng) & 1)
			stress_push(t);
		else
			stress_pop(t);
	}
	return NULL;
}

struct stress_tally {
	__u64 pushed, popped, remaining, empty, full;
	__u64 lost, duplicated, foreign, errors;
};

/* Count one value coming out; seen[id][seq] marks what already did. */
static void stress_account(struct stress_tally *s, struct stress_thread *ts,
			   unsigned int nr, unsigned char **seen, __u64 v)
{
	unsigned int id = (v >> TAG_SHIFT) - 1;
	__u64 seq = v & SEQ_MASK;

	if (!(v >> TAG_SHIFT) || id >= nr || seq >= ts[id].pushed)
		s->foreign++;
	else if (seen[id][seq])
		s->duplicated++;
	else
		seen[id][seq] = 1;
}

/* Empty the vector with POP_MANY, accounting for what was left in it. */
static int stress_drain(int fd, struct stress_tally *s,
			struct stress_thread *ts, unsigned int nr,
			unsigned char **seen)
{
	__u64 *buf = malloc(SECVEC_BATCH_MAX * sizeof(*buf));
	int ret = 0;
	__u32 i;

	if (!buf)
		return report("stress", ENOMEM, EXIT_FAIL);
	for (;;) {
		struct secvec_batch b = {
			.values = (uintptr_t)buf,
			.count = SECVEC_BATCH_MAX,
		};

		if (ioctl(fd, SECVEC_IOC_POP_MANY, &b) < 0) {
			if (errno != ENODATA)
				ret = report("stress: drain", errno, EXIT_FAIL);
			break;
		}
		for (i = 0; i < b.done; i++)
			stress_account(s, ts, nr, seen, buf[i]);
		s->remaining += b.done;
	}
	free(buf);
	return ret;
}

static int stress_check(int fd, struct stress_thread *ts, unsigned int nr,
			struct stress_tally *s)
{
	unsigned char **seen = calloc(nr, sizeof(*seen));
	unsigned int i;
	__u64 k;
	int ret;

	if (!seen)
		return report("stress", ENOMEM, EXIT_FAIL);
	for (i = 0; i < nr; i++) {
		seen[i] = calloc(ts[i].pushed + 1, 1);
		if (!seen[i])
			return report("stress", ENOMEM, EXIT_FAIL);
		s->pushed += ts[i].pushed;
		s->popped += ts[i].npopped;
		s->empty += ts[i].empty;
		s->full += ts[i].full;
		s->errors += ts[i].err != 0;
	}
	for (i = 0; i < nr; i++)
		for (k = 0; k < ts[i].npopped; k++)
			stress_account(s, ts, nr, seen, ts[i].popped[k]);
	ret = stress_drain(fd, s, ts, nr, seen);
	for (i = 0; i < nr; i++) {
		for (k = 0; k < ts[i].pushed; k++)
			s->lost += !seen[i][k];
		free(seen[i]);
	}
	free(seen);
	return ret;
}

static int stress_parse(int argc, char **argv, __u64 *threads, __u64 *ops)
{
	int opt;

	optind = 0;
	while ((opt = getopt(argc, argv, "+t:n:")) != -1) {
		switch (opt) {
		case 't':
			if (parse_u64("threads", optarg, threads))
				return EXIT_USAGE;
			break;
		case 'n':
			if (parse_u64("ops", optarg, ops))
				return EXIT_USAGE;
			break;
		default:
			return usage_error("stress: bad option");
		}
	}
	if (optind != argc)
		return usage_error("stress: unexpected argument '%s'",
				   argv[optind]);
	if (*threads < 1 || *threads > STRESS_MAX_THREADS)
		return usage_error("stress: THREADS must be 1..%d",
				   STRESS_MAX_THREADS);
	if (*ops < *threads || *ops > SEQ_MASK)
		return usage_error("stress: OPS must be at least THREADS");
	return 0;
}

/* Start every thread; on failure, stop at the ones already running. */
static int stress_start(struct stress_thread *ts, __u64 *threads)
{
	unsigned int i;
	int err;

	for (i = 0; i < *threads; i++) {
		err = pthread_create(&ts[i].thread, NULL, stress_run, &ts[i]);
		if (err) {
			*threads = i;
			return report("stress: pthread_create", err, EXIT_FAIL);
		}
	}
	return 0;
}

static int stress_init(int fd, struct stress_thread *ts, __u64 threads,
		       __u64 ops)
{
	unsigned int i;

	for (i = 0; i < threads; i++) {
		ts[i].fd = fd;
		ts[i].id = i;
		ts[i].ops = ops / threads + (i < ops % threads);
		ts[i].rng = secvec_rand_seed(0, i);
		/* Each op pops at most one value. */
		ts[i].popped = calloc(ts[i].ops, sizeof(__u64));
		if (!ts[i].popped)
			return report("stress", ENOMEM, EXIT_FAIL);
	}
	return xioctl("stress: clear", SECVEC_IOC_CLEAR, NULL);
}

static int cmd_stress(int argc, char **argv)
{
	__u64 threads = 4, ops = 100000, nr;
	struct stress_tally s = { 0 };
	struct stress_thread *ts;
	unsigned int i;
	int fd, ret;
	bool ok;

	/* getopt wants the command name in argv[0]. */
	ret = stress_parse(argc + 1, argv - 1, &threads, &ops);
	if (!ret)
		ret = dev_open(&fd);
	if (ret)
		return ret;
	nr = threads;
	ts = calloc(nr, sizeof(*ts));
	if (!ts)
		return report("stress", ENOMEM, EXIT_FAIL);
	ret = stress_init(fd, ts, threads, ops);
	if (!ret)
		ret = stress_start(ts, &threads);
	else
		threads = 0;
	for (i = 0; i < threads; i++)
		pthread_join(ts[i].thread, NULL);
	if (ret)
		goto out;

	for (i = 0; i < threads; i++)
		if (ts[i].err)
			report("stress: worker", ts[i].err, EXIT_FAIL);
	ret = stress_check(fd, ts, threads, &s);
	ok = !ret && !s.errors && !s.lost && !s.duplicated && !s.foreign &&
	     s.pushed == s.popped + s.remaining;
	/* One line of key=value pairs, for scripts. */
	printf("stress: threads=%llu ops=%llu", threads, ops);
	printf(" pushed=%llu popped=%llu remaining=%llu",
	       s.pushed, s.popped, s.remaining);
	printf(" empty=%llu full=%llu", s.empty, s.full);
	printf(" lost=%llu duplicated=%llu foreign=%llu errors=%llu",
	       s.lost, s.duplicated, s.foreign, s.errors);
	printf(" result=%s\n", ok ? "pass" : "fail");
	if (!ret)
		ret = s.errors ? EXIT_FAIL : ok ? EXIT_OK : EXIT_VIOLATION;
out:
	for (i = 0; i < nr; i++)
		free(ts[i].popped);
	free(ts);
	return ret;
}

/* ---- main --------------------------------------------------------------- */

struct command {
	const char *name;
	int min_args;
	int max_args;		/* -1: no limit */
	bool writes;		/* changes the vector: needs O_RDWR */
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "push",	1, -1, true, cmd_push },
	{ "pop",	0, 1, true, cmd_pop },
	{ "get",	1, 1, false, cmd_get },
	{ "set",	2, 2, true, cmd_set },
	{ "size",	0, 0, false, cmd_size },
	{ "reserve",	1, 1, true, cmd_reserve },
	{ "clear",	0, 0, true, cmd_clear },
	{ "info",	0, 0, false, cmd_info },
	{ "dump",	0, 0, false, cmd_dump },
	{ "stress",	0, -1, true, cmd_stress },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "device", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	int opt, nargs, ret;

	while ((opt = getopt_long(argc, argv, "+d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dev_path = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option");
		}
	}
	if (optind >= argc)
		return usage_error("no command");
	cmd = find_command(argv[optind]);
	if (!cmd)
		return usage_error("unknown command '%s'", argv[optind]);
	nargs = argc - optind - 1;
	if (nargs < cmd->min_args ||
	    (cmd->max_args >= 0 && nargs > cmd->max_args))
		return usage_error("%s: wrong number of arguments", cmd->name);

	/*
	 * The driver refuses a change through a file opened read-only
	 * (EBADF), and a reader needs no more than read access to the node.
	 */
	dev_flags = cmd->writes ? O_RDWR : O_RDONLY;
	ret = cmd->run(nargs, argv + optind + 1);
	if (dev_fd >= 0)
		close(dev_fd);
	/* A full disk or closed pipe must not look like success. */
	if (fflush(stdout) || ferror(stdout))
		return report("stdout", errno ? errno : EIO, EXIT_FAIL);
	return ret;
}
