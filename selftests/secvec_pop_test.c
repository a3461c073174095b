// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_pop_test: POP and POP_MANY when their destination is not ready.
 *
 * A pop copies its values (and POP_MANY its index and done) to userspace
 * with page faults disabled before it commits; when that copy faults, the
 * driver faults the pages in and tries again. These tests force that path
 * and check what the uapi header promises about it: the fault-in writes
 * nothing the call does not promise to write; a signal that arrives while
 * the driver waits for the memory ends the call with nothing popped
 * (EINTR, or a restart under SA_RESTART); and a POP_MANY that fails after
 * an attempt wrote its header (that attempt faulted part-way, or lost its
 * CAS to another thread) leaves index and done as the caller passed them.
 *
 * To hold the popping thread inside the driver's fault-in for as long as
 * a test needs, the destination is registered with userfaultfd: a monitor
 * thread receives the fault, acts (sends a signal, or empties the vector),
 * and only then supplies the page. The lost CAS cannot be forced from
 * userspace: threads race for it.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"
#include "secvec_fixture.h"
#include "secvec_rand.h"

/* Values with high bits set, so a truncation to 32 bits shows. */
#define VAL(i)		(0x9090000000000000ULL + (i))

/* The byte everything the kernel must not write is filled with. */
#define PATTERN		0xa5

SECVEC_FIXTURE(pop)

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* @pages fresh anonymous pages, filled with PATTERN. */
static unsigned char *map_pattern(struct __test_metadata *_metadata,
				  int pages)
{
	unsigned char *p = mmap(NULL, pages * page_size(),
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	memset(p, PATTERN, pages * page_size());
	return p;
}

/* Put VAL(0 .. n) in the (empty) vector. */
static void fill(struct __test_metadata *_metadata, int fd, __u64 n)
{
	ASSERT_EQ(0, sv_fill(fd, VAL(0), n));
}

/* The vector must hold VAL(0 .. n). */
static void expect_vals(struct __test_metadata *_metadata, int fd, __u64 n)
{
	__u64 *got = NULL, size = 0, i;

	ASSERT_EQ(0, sv_snapshot(fd, &got, &size));
	EXPECT_EQ(n, size);
	for (i = 0; i < n && i < size; i++) {
		EXPECT_EQ(VAL(i), got[i]) TH_LOG("index %llu", i);
	}
	free(got);
}

/* Bytes [from, to) of @p must all still be PATTERN. */
static void expect_pattern(struct __test_metadata *_metadata,
			   const unsigned char *p, size_t from, size_t to,
			   const char *what)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (p[i] != PATTERN)
			break;
	}
	EXPECT_EQ(to, i) TH_LOG("%s: byte %zu changed to %#x", what, i,
				i < to ? p[i] : 0);
}

/*
 * fork() write-protects the parent's private pages for copy-on-write, so
 * the pop's first copy (page faults disabled) faults on both the values
 * array and the header, and the driver faults them in. Faulting in must
 * not write: the header's values and count are inputs, and the values
 * array past what was popped is the caller's. The array spans three pages
 * so that page starts inside it, not just its first byte, are checked.
 */
/*
 * The ioctl @cmd on @arg while a forked child keeps the caller's pages
 * shared (copy-on-write), so that the call must fault them in for
 * writing. Returns what sv_ioctl() does.
 */
static int ioctl_while_shared(struct __test_metadata *_metadata, int fd,
			      unsigned long cmd, void *arg)
{
	int pipefd[2], status, ret;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Keep the pages shared until the parent's call is over. */
		close(pipefd[1]);
		_exit(read(pipefd[0], &c, 1) < 0);
	}
	close(pipefd[0]);
	ret = sv_ioctl(fd, cmd, arg);
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	return ret;
}

TEST_F(pop, pop_many_fault_in_writes_only_outputs)
{
	const __u32 count = 1024, pop = 3;
	long page = page_size();
	unsigned char *mem = map_pattern(_metadata, 4);
	/* Not page aligned, and the pointer's low byte is not zero. */
	struct secvec_batch *b = (struct secvec_batch *)(mem + 8);
	__u64 *values = (__u64 *)(mem + page + 8);
	struct secvec_batch want;
	int ret;
	__u32 i;

	fill(_metadata, self->fd, pop);
	*b = (struct secvec_batch){ .values = (uintptr_t)values,
		.index = 0x1111, .count = count, .done = 0x2222 };
	want = *b;
	ret = ioctl_while_shared(_metadata, self->fd, SECVEC_IOC_POP_MANY, b);
	ASSERT_EQ(0, ret) TH_LOG("POP_MANY: %s", strerror(-ret));

	EXPECT_EQ(want.values, b->values)
		TH_LOG("the header's values pointer changed");
	EXPECT_EQ(want.count, b->count) TH_LOG("the header's count changed");
	EXPECT_EQ(0ULL, b->index);
	EXPECT_EQ(pop, b->done);
	for (i = 0; i < pop; i++) {
		EXPECT_EQ(VAL(i), values[i]);
	}
	/* Before the header, between it and the array, after the pop. */
	expect_pattern(_metadata, mem, 0, 8, "before the header");
	expect_pattern(_metadata, mem, 8 + sizeof(*b), page + 8,
		       "after the header");
	expect_pattern(_metadata, (unsigned char *)&values[pop], 0,
		       (count - pop) * sizeof(__u64), "values past the pop");
	expect_vals(_metadata, self->fd, 0);
	munmap(mem, 4 * page);
}

/* The same for POP: only the popped __u64 is written. */
TEST_F(pop, pop_fault_in_writes_only_the_value)
{
	long page = page_size();
	unsigned char *mem = map_pattern(_metadata, 1);
	__u64 *value = (__u64 *)(mem + 64);
	int ret;

	fill(_metadata, self->fd, 2);
	ret = ioctl_while_shared(_metadata, self->fd, SECVEC_IOC_POP, value);
	ASSERT_EQ(0, ret) TH_LOG("POP: %s", strerror(-ret));
	EXPECT_EQ(VAL(1), *value);
	expect_pattern(_metadata, mem, 0, 64, "before the value");
	expect_pattern(_metadata, mem, 72, page, "after the value");
	expect_vals(_metadata, self->fd, 1);
	munmap(mem, page);
}

/* ---- a pop held in its fault-in ---------------------------------------- */

/* How long the monitor waits for the fault before it calls the test failed. */
#define UFFD_WAIT_MS	10000

/*
 * A monitor thread for one userfaultfd-registered page: it waits for one
 * fault on it, sends @sig to @target if @sig is set, pops every value
 * through @drain_fd if that is set, and then resolves the fault (fills a
 * missing page with PATTERN, or takes write protection off it), which
 * lets the faulting thread go on.
 */
struct uffd_watch {
	int uffd;
	unsigned char *page;
	bool wp;		/* registered for write protection, not missing */
	unsigned char *src;	/* what a missing page is filled with */
	pthread_t target;
	int sig;
	int drain_fd;		/* >= 1: POP everything through it first */
	__u64 drained[16];
	unsigned int ndrained;
	pthread_t thread;

	int faults;		/* faults seen: must be 1 */
	int err;		/* errno of the first step that failed */
	const char *err_step;
};

static void watch_fail(struct uffd_watch *w, const char *step, int err)
{
	if (!w->err) {
		w->err = err;
		w->err_step = step;
	}
}

static void *uffd_monitor(void *arg)
{
	struct uffd_watch *w = arg;
	struct pollfd pfd = { .fd = w->uffd, .events = POLLIN };
	long page = page_size();
	struct uffd_msg msg;
	int ret;

	ret = poll(&pfd, 1, UFFD_WAIT_MS);
	if (ret <= 0) {
		watch_fail(w, "poll for the fault", ret ? errno : ETIMEDOUT);
		return NULL;
	}
	if (read(w->uffd, &msg, sizeof(msg)) != sizeof(msg)) {
		watch_fail(w, "read the fault", errno);
		return NULL;
	}
	if (msg.event != UFFD_EVENT_PAGEFAULT ||
	    msg.arg.pagefault.address - (uintptr_t)w->page >= (__u64)page)
		watch_fail(w, "the fault is on the page", EPROTO);
	w->faults++;
	/* The signal is pending before the fault is resolved. */
	if (w->sig && pthread_kill(w->target, w->sig))
		watch_fail(w, "pthread_kill", errno);
	/* The vector empties while the faulting pop waits. */
	while (w->drain_fd > 0 && w->ndrained < ARRAY_SIZE(w->drained)) {
		ret = sv_pop(w->drain_fd, &w->drained[w->ndrained]);
		if (ret) {
			if (ret != -ENODATA)
				watch_fail(w, "drain", -ret);
			break;
		}
		w->ndrained++;
	}
	/* Whatever happened above, let the faulting thread go. */
	if (w->wp) {
		struct uffdio_writeprotect wp = {
			.range = { (uintptr_t)w->page, page },
			.mode = 0,
		};

		if (ioctl(w->uffd, UFFDIO_WRITEPROTECT, &wp))
			watch_fail(w, "UFFDIO_WRITEPROTECT off", errno);
	} else {
		struct uffdio_copy copy = {
			.dst = (uintptr_t)w->page,
			.src = (uintptr_t)w->src,
			.len = page,
		};

		if (ioctl(w->uffd, UFFDIO_COPY, &copy))
			watch_fail(w, "UFFDIO_COPY", errno);
	}
	return NULL;
}

/*
 * Register @w->page (one page; for write protection it must be present)
 * with a new userfaultfd and start the monitor. Returns false, having
 * called SKIP, if this kernel or user cannot handle kernel-mode faults
 * through userfaultfd.
 */
static bool watch_start(struct __test_metadata *_metadata,
			struct uffd_watch *w)
{
	long page = page_size();
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { (uintptr_t)w->page, page },
		.mode = w->wp ? UFFDIO_REGISTER_MODE_WP :
				UFFDIO_REGISTER_MODE_MISSING,
	};

	w->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	/* Without CAP_SYS_PTRACE only user-mode faults may be handled. */
	if (w->uffd < 0 && (errno == ENOSYS ||
			    (errno == EPERM && geteuid() != 0))) {
		SKIP(return false, "userfaultfd: %s", strerror(errno));
	}
	ASSERT_LE(0, w->uffd) TH_LOG("userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(w->uffd, UFFDIO_API, &api))
		TH_LOG("UFFDIO_API: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(w->uffd, UFFDIO_REGISTER, &reg))
		TH_LOG("UFFDIO_REGISTER: %s", strerror(errno));
	if (w->wp) {
		struct uffdio_writeprotect wp = {
			.range = { (uintptr_t)w->page, page },
			.mode = UFFDIO_WRITEPROTECT_MODE_WP,
		};

		ASSERT_EQ(0, ioctl(w->uffd, UFFDIO_WRITEPROTECT, &wp))
			TH_LOG("UFFDIO_WRITEPROTECT: %s", strerror(errno));
	} else {
		w->src = map_pattern(_metadata, 1);
	}
	w->target = pthread_self();
	ASSERT_EQ(0, pthread_create(&w->thread, NULL, uffd_monitor, w));
	return true;
}

static void watch_stop(struct __test_metadata *_metadata,
		       struct uffd_watch *w)
{
	ASSERT_EQ(0, pthread_join(w->thread, NULL));
	close(w->uffd);
	if (w->src)
		munmap(w->src, page_size());
	EXPECT_EQ(0, w->err) TH_LOG("monitor: %s: %s", w->err_step,
				    strerror(w->err));
	EXPECT_EQ(1, w->faults) TH_LOG("the pop never faulted on the page");
}

static volatile sig_atomic_t signals_caught;

static void on_signal(int sig)
{
	(void)sig;
	signals_caught++;
}

/* Catch SIGUSR1, with SA_RESTART or without. */
static void catch_sigusr1(struct __test_metadata *_metadata, bool restart)
{
	struct sigaction sa = {
		.sa_handler = on_signal,
		.sa_flags = restart ? SA_RESTART : 0,
	};

	sigemptyset(&sa.sa_mask);
	signals_caught = 0;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
}

/* Values in the vector for the tests below. */
#define HELD	3

/* What a POP_MANY header holds before the call. */
#define INDEX_AS_PASSED	0x1111111111111111ULL
#define DONE_AS_PASSED	0x22222222U

/*
 * POP (@batch false) or POP_MANY of HELD values into a page that is not
 * there yet: the driver's copy faults, and its fault-in of the page waits
 * for the monitor, which sends SIGUSR1 first. So when the fault-in
 * returns, a signal is pending and the page is there. The driver must
 * not retry then: without SA_RESTART the call fails with EINTR, nothing
 * popped; with it the call is restarted and pops once.
 */
static void pop_with_signal(struct __test_metadata *_metadata, int fd,
			    bool batch, bool restart)
{
	struct uffd_watch w = { .sig = SIGUSR1 };
	long page = page_size();
	struct secvec_batch b;
	__u64 *values;
	int ret;

	fill(_metadata, fd, HELD);
	w.page = mmap(NULL, page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, w.page);
	values = (__u64 *)w.page;
	b = (struct secvec_batch){ .values = (uintptr_t)values,
		.index = INDEX_AS_PASSED, .count = HELD,
		.done = DONE_AS_PASSED };
	catch_sigusr1(_metadata, restart);
	if (!watch_start(_metadata, &w))
		return;
	if (batch)
		ret = sv_ioctl(fd, SECVEC_IOC_POP_MANY, &b);
	else
		ret = sv_pop(fd, values);
	watch_stop(_metadata, &w);
	signal(SIGUSR1, SIG_DFL);
	EXPECT_EQ(1, signals_caught);

	if (!restart) {
		EXPECT_EQ(-EINTR, ret)
			TH_LOG("a pop whose fault-in met a signal must end, popping nothing");
		expect_vals(_metadata, fd, HELD);
		if (batch) {
			EXPECT_EQ(INDEX_AS_PASSED, b.index);
			EXPECT_EQ(DONE_AS_PASSED, b.done);
		}
	} else if (batch) {
		ASSERT_EQ(0, ret) TH_LOG("restarted POP_MANY: %s",
					 strerror(-ret));
		EXPECT_EQ(0ULL, b.index);
		EXPECT_EQ((__u32)HELD, b.done);
		EXPECT_EQ(VAL(0), values[0]);
		EXPECT_EQ(VAL(HELD - 1), values[HELD - 1]);
		expect_vals(_metadata, fd, 0);
	} else {
		ASSERT_EQ(0, ret) TH_LOG("restarted POP: %s", strerror(-ret));
		EXPECT_EQ(VAL(HELD - 1), values[0]);
		expect_vals(_metadata, fd, HELD - 1);
	}
	munmap(w.page, page);
}

TEST_F(pop, pop_signal_during_fault_in_eintr)
{
	pop_with_signal(_metadata, self->fd, false, false);
}

TEST_F(pop, pop_many_signal_during_fault_in_eintr)
{
	pop_with_signal(_metadata, self->fd, true, false);
}

TEST_F(pop, pop_signal_during_fault_in_restarts)
{
	pop_with_signal(_metadata, self->fd, false, true);
}

TEST_F(pop, pop_many_signal_during_fault_in_restarts)
{
	pop_with_signal(_metadata, self->fd, true, true);
}

/* ---- what a failed POP_MANY leaves in its header ----------------------- */

_Static_assert(offsetof(struct secvec_batch, count) == 16,
	       "the straddling header splits after index");

/*
 * A POP_MANY header across a page boundary: values and index at the end
 * of the page at @mem, count and done at the start of the next, so that
 * the driver can write index and then fault on done.
 */
static struct secvec_batch *straddling_header(unsigned char *mem)
{
	return (struct secvec_batch *)(mem + page_size() - 16);
}

static void expect_header_as_passed(struct __test_metadata *_metadata,
				    const struct secvec_batch *b,
				    const __u64 *values, __u32 count)
{
	EXPECT_EQ(INDEX_AS_PASSED, b->index)
		TH_LOG("a failed POP_MANY left index %#llx", b->index);
	EXPECT_EQ(DONE_AS_PASSED, b->done)
		TH_LOG("a failed POP_MANY left done %u", b->done);
	EXPECT_EQ((uintptr_t)values, b->values);
	EXPECT_EQ(count, b->count);
}

/*
 * The values go out and index goes out, then done faults on a read-only
 * page, and so does the fault-in: EFAULT. The attempt wrote index, and the
 * failed call must put it back.
 */
TEST_F(pop, pop_many_efault_after_index_leaves_header_as_passed)
{
	unsigned char *mem = map_pattern(_metadata, 2);
	struct secvec_batch *b = straddling_header(mem);
	__u64 values[HELD];

	fill(_metadata, self->fd, HELD + 2);
	*b = (struct secvec_batch){ .values = (uintptr_t)values,
		.index = INDEX_AS_PASSED, .count = HELD,
		.done = DONE_AS_PASSED };
	ASSERT_EQ(0, mprotect(mem + page_size(), page_size(), PROT_READ));
	EXPECT_EQ(-EFAULT, sv_ioctl(self->fd, SECVEC_IOC_POP_MANY, b));
	expect_header_as_passed(_metadata, b, values, HELD);
	expect_vals(_metadata, self->fd, HELD + 2);
	munmap(mem, 2 * page_size());
}

/*
 * As above, but done's page is write-protected through userfaultfd, so the
 * fault-in waits for the monitor. Meanwhile the monitor empties the vector
 * through a file of its own (@drain), or sends a signal; then the retry
 * finds the vector empty (ENODATA), or the driver gives up (EINTR).
 * Either way an attempt that did not commit wrote index, and the call
 * must put it back.
 */
static void pop_many_after_index(struct __test_metadata *_metadata, int fd,
				 bool drain)
{
	unsigned char *mem = map_pattern(_metadata, 2);
	struct secvec_batch *b = straddling_header(mem);
	struct uffd_watch w = { .page = mem + page_size(), .wp = true };
	__u64 values[HELD];
	unsigned int i;
	int ret;

	fill(_metadata, fd, HELD);
	*b = (struct secvec_batch){ .values = (uintptr_t)values,
		.index = INDEX_AS_PASSED, .count = HELD,
		.done = DONE_AS_PASSED };
	if (drain) {
		w.drain_fd = secvec_open();
		ASSERT_LT(0, w.drain_fd);
	} else {
		w.sig = SIGUSR1;
		catch_sigusr1(_metadata, false);
	}
	if (!watch_start(_metadata, &w)) {
		if (drain)
			close(w.drain_fd);
		return;
	}
	ret = sv_ioctl(fd, SECVEC_IOC_POP_MANY, b);
	watch_stop(_metadata, &w);
	if (drain) {
		close(w.drain_fd);
		EXPECT_EQ(-ENODATA, ret) TH_LOG("POP_MANY: %s", strerror(-ret));
		/* Every value went to the monitor, once, last first. */
		ASSERT_EQ((unsigned int)HELD, w.ndrained);
		for (i = 0; i < HELD; i++) {
			EXPECT_EQ(VAL(HELD - 1 - i), w.drained[i]);
		}
		expect_vals(_metadata, fd, 0);
	} else {
		signal(SIGUSR1, SIG_DFL);
		EXPECT_EQ(-EINTR, ret) TH_LOG("POP_MANY: %s", strerror(-ret));
		expect_vals(_metadata, fd, HELD);
	}
	expect_header_as_passed(_metadata, b, values, HELD);
	munmap(mem, 2 * page_size());
}

TEST_F(pop, pop_many_emptied_after_index_leaves_header_as_passed)
{
	pop_many_after_index(_metadata, self->fd, true);
}

TEST_F(pop, pop_many_signal_after_index_leaves_header_as_passed)
{
	pop_many_after_index(_metadata, self->fd, false);
}

/*
 * The same without any forcing: POP_MANY and POP threads race PUSH and
 * PUSH_MANY threads on a vector kept nearly empty. The pushers land
 * batches of up to RACE_MAX_PUSH values, each once the vector is empty
 * again; the poppers, waiting on the empty vector, mostly ask for more
 * than that, so that several of them read the same batch, all copy it
 * out, and all but one lose the CAS. A loser then finds the vector empty
 * and fails with ENODATA after it wrote values, index and done. Every failed
 * POP_MANY's header must be as passed, every successful one's must
 * describe what it popped, and every value pushed must come out exactly
 * once.
 */
#define RACE_PUSHERS	2
#define RACE_POPPERS	3	/* POP_MANY; one more thread uses POP */
#define RACE_VALUES	1000000	/* per pusher, at most */
#define RACE_SECONDS	5	/* how long the pushers push */
#define RACE_MAX_POP	1024
#define RACE_MAX_PUSH	512
#define RACE_TAG_SHIFT	48
#define RACE_SEQ_MASK	((1ULL << RACE_TAG_SHIFT) - 1)

struct race {
	int fd;
	double end;		/* when the pushers stop */
	int pushers_left;
	unsigned char *seen;	/* [pusher * RACE_VALUES + seq]: times popped */
	unsigned long foreign;
};

struct racer {
	struct race *race;
	unsigned int id;
	bool single;		/* POP rather than POP_MANY */
	pthread_t thread;
	__u64 pushed;		/* a pusher's: race_tag(id, 0 .. pushed) */
	__u64 rng;
	unsigned long calls, empty, lost_headers;
	struct secvec_batch bad;	/* the first header that was wrong */
	int err;		/* first unexpected -errno */
	const char *err_op;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __u64 race_tag(unsigned int id, __u64 seq)
{
	return ((__u64)(id + 1) << RACE_TAG_SHIFT) | seq;
}

static void racer_fail(struct racer *r, const char *op, int err)
{
	if (!r->err) {
		r->err = err;
		r->err_op = op;
	}
}

static void race_record(struct race *race, const __u64 *v, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		__u64 id = (v[i] >> RACE_TAG_SHIFT) - 1;
		__u64 seq = v[i] & RACE_SEQ_MASK;

		if (id >= RACE_PUSHERS || seq >= RACE_VALUES)
			__atomic_add_fetch(&race->foreign, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&race->seen[id * RACE_VALUES + seq],
					   1, __ATOMIC_RELAXED);
	}
}

static void *race_pusher(void *arg)
{
	struct racer *r = arg;
	__u64 vals[RACE_MAX_PUSH], seq = 0;
	__u32 n, i;
	int ret;

	while (seq < RACE_VALUES && now_seconds() < r->race->end) {
		__u64 size = 1;
		int waits = 0;

		/*
		 * Land the next push when the poppers all wait on empty (or
		 * after a while anyway, should they have stopped).
		 */
		while (!sv_size(r->race->fd, &size) && size && waits++ < 10000)
			sched_yield();
		/* A quarter single PUSHes, the rest batches. */
		n = secvec_rand_below(&r->rng, 4 * RACE_MAX_PUSH);
		n = n < RACE_MAX_PUSH ? 1 : 1 + n % RACE_MAX_PUSH;
		if (n > RACE_VALUES - seq)
			n = RACE_VALUES - seq;
		for (i = 0; i < n; i++)
			vals[i] = race_tag(r->id, seq + i);
		if (n == 1)
			ret = sv_push(r->race->fd, vals[0], NULL);
		else
			ret = sv_push_many(r->race->fd, vals, n, NULL);
		r->calls++;
		if (ret == -ENOSPC) {
			sched_yield();
			continue;
		}
		if (ret) {
			racer_fail(r, "push", ret);
			break;
		}
		seq += n;
	}
	r->pushed = seq;
	__atomic_sub_fetch(&r->race->pushers_left, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *race_popper(void *arg)
{
	struct racer *r = arg;
	__u64 buf[RACE_MAX_POP];
	struct secvec_batch b;
	bool last;
	__u32 count;
	int ret;

	for (;;) {
		/* Read before the call: ENODATA after it means empty for good. */
		last = !__atomic_load_n(&r->race->pushers_left,
					__ATOMIC_ACQUIRE);
		/* Mostly all there is; sometimes only part of a batch. */
		count = secvec_rand_below(&r->rng, 4 * RACE_MAX_POP);
		count = count < RACE_MAX_POP ? 1 + count : RACE_MAX_POP;
		if (r->single)
			count = 1;
		b = (struct secvec_batch){ .values = (uintptr_t)buf,
			.index = INDEX_AS_PASSED, .count = count,
			.done = DONE_AS_PASSED };
		if (r->single)
			ret = sv_pop(r->race->fd, buf);
		else
			ret = sv_ioctl(r->race->fd, SECVEC_IOC_POP_MANY, &b);
		r->calls++;
		if (ret == -ENODATA) {
			r->empty++;
			if (b.index != INDEX_AS_PASSED ||
			    b.done != DONE_AS_PASSED ||
			    b.values != (uintptr_t)buf || b.count != count) {
				if (!r->lost_headers++)
					r->bad = b;
			}
			if (last)
				break;
			continue;
		}
		if (ret) {
			racer_fail(r, r->single ? "pop" : "pop_many", ret);
			break;
		}
		if (r->single) {
			race_record(r->race, buf, 1);
			continue;
		}
		if (!b.done || b.done > count || b.count != count ||
		    b.values != (uintptr_t)buf) {
			racer_fail(r, "pop_many header", -EPROTO);
			r->bad = b;
			break;
		}
		race_record(r->race, buf, b.done);
	}
	return NULL;
}

TEST_F_TIMEOUT(pop, pop_many_races_push_headers_and_conservation, 300)
{
	struct racer racers[RACE_PUSHERS + RACE_POPPERS + 1];
	const unsigned int nracers = ARRAY_SIZE(racers);
	unsigned long calls = 0, empty = 0, lost = 0, missing = 0, twice = 0;
	unsigned long pushed = 0;
	struct race race = { .fd = self->fd, .pushers_left = RACE_PUSHERS };
	__u64 left[RACE_MAX_POP];
	unsigned int i;
	int n;

	race.seen = calloc(RACE_PUSHERS * RACE_VALUES, 1);
	ASSERT_NE(NULL, race.seen);
	memset(racers, 0, sizeof(racers));
	for (i = 0; i < nracers; i++) {
		racers[i].race = &race;
		racers[i].id = i;
		racers[i].rng = secvec_rand_seed(0, i);
		racers[i].single = i == nracers - 1;
	}
	race.end = now_seconds() + RACE_SECONDS;
	/* Poppers first, so that the first pushes already meet them. */
	for (i = RACE_PUSHERS; i < nracers; i++) {
		ASSERT_EQ(0, pthread_create(&racers[i].thread, NULL,
					    race_popper, &racers[i]));
	}
	for (i = 0; i < RACE_PUSHERS; i++) {
		ASSERT_EQ(0, pthread_create(&racers[i].thread, NULL,
					    race_pusher, &racers[i]));
	}
	for (i = 0; i < nracers; i++) {
		ASSERT_EQ(0, pthread_join(racers[i].thread, NULL));
	}
	/* Nothing should be left; whatever is counts too. */
	while ((n = sv_pop_many(self->fd, left, RACE_MAX_POP, NULL)) > 0)
		race_record(&race, left, n);
	EXPECT_EQ(-ENODATA, n);

	for (i = 0; i < nracers; i++) {
		struct racer *r = &racers[i];

		EXPECT_EQ(0, r->err) TH_LOG("racer %u: %s: %s", i, r->err_op,
					    strerror(-r->err));
		EXPECT_EQ(0UL, r->lost_headers)
			TH_LOG("racer %u: %lu failed POP_MANY left their header changed, first: index %#llx done %u",
			       i, r->lost_headers, r->bad.index, r->bad.done);
		calls += r->calls;
		if (i >= RACE_PUSHERS && !r->single) {
			empty += r->empty;
			lost += r->lost_headers;
		}
	}
	for (i = 0; i < RACE_PUSHERS * RACE_VALUES; i++) {
		unsigned char want = i % RACE_VALUES <
				     racers[i / RACE_VALUES].pushed;

		missing += race.seen[i] < want;
		twice += race.seen[i] > want;
		pushed += want;
	}
	EXPECT_EQ(0UL, race.foreign) TH_LOG("values nobody pushed came out");
	EXPECT_EQ(0UL, missing) TH_LOG("values pushed never came out");
	EXPECT_EQ(0UL, twice)
		TH_LOG("values came out more than once, or were never pushed");
	TH_LOG("%lu values pushed, %lu calls; %lu POP_MANY failed with ENODATA, %lu of them with a changed header",
	       pushed, calls, empty, lost);
	free(race.seen);
}

TEST_HARNESS_MAIN
