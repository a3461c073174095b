// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_pop_test: POP and POP_MANY when their destination is not ready.
 *
 * A pop copies its values (and POP_MANY its index and done) to userspace
 * with page faults disabled before it commits; when that copy faults, the
 * driver faults the pages in and tries again. These tests force that path
 * and check what the uapi header promises about it: the fault-in writes
 * nothing the call does not promise to write, and a signal that arrives
 * while the driver waits for the memory ends the call with nothing popped
 * (EINTR, or a restart under SA_RESTART).
 *
 * To hold the popping thread inside the driver's fault-in for as long as
 * a test needs, the destination is registered with userfaultfd: a monitor
 * thread receives the fault, acts (sends a signal), and only then
 * supplies the page.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"
#include "secvec_fixture.h"

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
TEST_F(pop, pop_many_fault_in_writes_only_outputs)
{
	const __u32 count = 1024, pop = 3;
	long page = page_size();
	unsigned char *mem = map_pattern(_metadata, 4);
	/* Not page aligned, and the pointer's low byte is not zero. */
	struct secvec_batch *b = (struct secvec_batch *)(mem + 8);
	__u64 *values = (__u64 *)(mem + page + 8);
	struct secvec_batch want;
	int pipefd[2], status, ret;
	char c;
	pid_t pid;
	__u32 i;

	fill(_metadata, self->fd, pop);
	*b = (struct secvec_batch){ .values = (uintptr_t)values,
		.index = 0x1111, .count = count, .done = 0x2222 };
	want = *b;
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Keep the pages shared until the parent's call is over. */
		close(pipefd[1]);
		_exit(read(pipefd[0], &c, 1) < 0);
	}
	close(pipefd[0]);
	ret = sv_ioctl(self->fd, SECVEC_IOC_POP_MANY, b);
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
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
	int pipefd[2], status, ret;
	char c;
	pid_t pid;

	fill(_metadata, self->fd, 2);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[1]);
		_exit(read(pipefd[0], &c, 1) < 0);
	}
	close(pipefd[0]);
	ret = sv_pop(self->fd, value);
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
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
 * fault on it, sends @sig to @target if @sig is set, and then resolves the
 * fault (fills a missing page with PATTERN, or takes write protection off
 * it), which lets the faulting thread go on.
 */
struct uffd_watch {
	int uffd;
	unsigned char *page;
	bool wp;		/* registered for write protection, not missing */
	unsigned char *src;	/* what a missing page is filled with */
	pthread_t target;
	int sig;
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

TEST_HARNESS_MAIN
