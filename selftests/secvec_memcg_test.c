// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_memcg_test: the vector's memory is charged to the memory cgroup of
 * the process whose push allocated it (GFP_KERNEL_ACCOUNT), and a push
 * that does not fit under that cgroup's memory.max fails with ENOMEM and
 * changes nothing.
 *
 * A child process moves itself into a fresh cgroup v2 group and pushes
 * SECVEC_BATCH_MAX values at a time with PUSH_MANY, reporting through
 * shared memory what it was told; the parent then checks the vector against
 * that report and the group's memory.current, memory.events and
 * memory.stat. The child's own buffers are touched before it moves, so that
 * they stay charged to the parent's group and the new group holds, apart
 * from a few pages, only what the kernel allocated for the child.
 *
 * Buckets are charged once, to whoever allocates them, and are freed only
 * when the module is unloaded (CLEAR keeps them): only growth past the
 * capacity the vector had when a case starts is charged to its group. Run
 * on a freshly loaded module, or the cases have less (or nothing) to show;
 * scripts/lab-selftests.sh runs this program first. Needs root and the
 * cgroup v2 memory controller.
 */
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"

#define CG_ROOT		"/sys/fs/cgroup"
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC	0x63677270
#endif

/* A slot is a value and its 64-bit sequence number. */
#define SLOT_BYTES	16ULL

/* memory.max of the limited group. */
#define LIMIT		(8ULL << 20)

#define MAX_PUSHES	4096

#define VAL(i)		(0x3e3c000000000000ULL + (i))

/* What the child was told, in memory shared with the parent. */
struct report {
	int moved;		/* it is in the group */
	int err;		/* errno of the PUSH_MANY that failed, or 0 */
	__u64 pushed;		/* elements the successful pushes added */
	__u64 current_start;	/* memory.current once it had moved */
	unsigned int pushes;	/* successful PUSH_MANY calls */
	__u64 current[MAX_PUSHES];	/* memory.current after each */
};

FIXTURE(memcg) {
	int fd;
	struct secvec_info info;
	char cg[256];
	struct report *rep;
	__u64 *vals;
};

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? n : 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = 0;
	return 0;
}

/* A file of the group, as a number; ~0 if unreadable. */
static __u64 cg_read_u64(const char *cg, const char *file)
{
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	if (read_file(path, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 10);
}

/* "key value" lines (memory.events, memory.stat): the value of @key. */
static __u64 cg_read_key(const char *cg, const char *file, const char *key)
{
	char path[PATH_MAX], buf[8192], *line;
	size_t klen = strlen(key);

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	if (read_file(path, buf, sizeof(buf)))
		return ~0ULL;
	for (line = buf; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return strtoull(line + klen + 1, NULL, 10);
	}
	return ~0ULL;
}

/* Why this machine cannot run the cases, or NULL. */
static const char *memcg_unavailable(void)
{
	char buf[512];
	struct statfs sfs;

	if (geteuid() != 0)
		return "needs root to create a cgroup";
	if (statfs(CG_ROOT, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC)
		return CG_ROOT " is not cgroup2";
	if (read_file(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		return "no memory controller in " CG_ROOT "/cgroup.controllers";
	return NULL;
}

FIXTURE_SETUP(memcg)
{
	self->cg[0] = 0;
	self->fd = secvec_open();
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", secvec_dev_path(), strerror(errno));
	ASSERT_EQ(0, sv_clear(self->fd));
	ASSERT_EQ(0, sv_info(self->fd, &self->info));
	/* Touched here, so charged to this process's group. */
	self->rep = mmap(NULL, sizeof(*self->rep), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->rep);
	memset(self->rep, 0, sizeof(*self->rep));
	self->vals = calloc(SECVEC_BATCH_MAX, sizeof(__u64));
	ASSERT_NE(NULL, self->vals);
}

FIXTURE_TEARDOWN(memcg)
{
	sv_clear(self->fd);
	close(self->fd);
	if (self->cg[0] && rmdir(self->cg))
		TH_LOG("rmdir %s: %s", self->cg, strerror(errno));
	munmap(self->rep, sizeof(*self->rep));
	free(self->vals);
}

/* Create the group with memory.max = @max ("max" for none). */
static void make_group(struct __test_metadata *_metadata,
		       FIXTURE_DATA(memcg) *self, const char *name,
		       const char *max)
{
	char path[PATH_MAX];
	int err;

	/* The root may enable the controller for its children at any time. */
	err = write_file(CG_ROOT "/cgroup.subtree_control", "+memory");
	ASSERT_EQ(0, err) TH_LOG("enable memory controller: %s",
				 strerror(-err));
	snprintf(self->cg, sizeof(self->cg), CG_ROOT "/secvec-%s.%d", name,
		 getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755))
		TH_LOG("mkdir %s: %s", self->cg, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", self->cg);
	err = write_file(path, max);
	ASSERT_EQ(0, err) TH_LOG("%s = %s: %s", path, max, strerror(-err));
}

/*
 * The child: move into the group, then push @chunk values at a time, at
 * most @limit_pushes times, until a push fails. Never returns.
 */
static void child_push(int fd, const char *cg, struct report *rep,
		       __u64 *vals, __u32 chunk, unsigned int limit_pushes)
{
	char path[PATH_MAX];
	__u64 k;

	/* Copy-on-write: take private copies of the pages before the move. */
	memset(vals, 0x5c, (size_t)chunk * sizeof(*vals));
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	if (write_file(path, "0"))
		_exit(2);
	rep->moved = 1;
	rep->current_start = cg_read_u64(cg, "memory.current");
	while (rep->pushes < limit_pushes) {
		/* These pages were charged before the move. */
		for (k = 0; k < chunk; k++)
			vals[k] = VAL(rep->pushed + k);
		if (sv_push_many(fd, vals, chunk, NULL)) {
			rep->err = errno;
			break;
		}
		rep->pushed += chunk;
		rep->current[rep->pushes++] = cg_read_u64(cg, "memory.current");
	}
	_exit(0);
}

/* Fork the child and reap it; returns its wait status. */
static int run_child(struct __test_metadata *_metadata,
		     FIXTURE_DATA(memcg) *self, __u32 chunk,
		     unsigned int limit_pushes)
{
	int status = 0;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		child_push(self->fd, self->cg, self->rep, self->vals, chunk,
			   limit_pushes);
	EXPECT_LE(0, pid);
	if (pid < 0)
		return -1;
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	return status;
}

/* Log what the group holds now, and what the child saw on the way. */
static void log_group(struct __test_metadata *_metadata,
		      FIXTURE_DATA(memcg) *self, __u64 c0, __u32 chunk)
{
	const struct report *r = self->rep;
	unsigned int i;

	TH_LOG("capacity at start %llu; child pushed %llu in %u PUSH_MANY, then %s",
	       c0, r->pushed, r->pushes,
	       r->err ? strerror(r->err) : "stopped");
	TH_LOG("memory.current: %llu when the child moved in, then after each push:",
	       r->current_start);
	for (i = 0; i < r->pushes; i++)
		TH_LOG("  push %u: size %llu, memory.current %llu", i,
		       (__u64)(i + 1) * chunk, r->current[i]);
	TH_LOG("after the child exited: memory.current %llu, kernel %llu, slab_unreclaimable %llu, vmalloc %llu",
	       cg_read_u64(self->cg, "memory.current"),
	       cg_read_key(self->cg, "memory.stat", "kernel"),
	       cg_read_key(self->cg, "memory.stat", "slab_unreclaimable"),
	       cg_read_key(self->cg, "memory.stat", "vmalloc"));
	TH_LOG("memory.events: max %llu, oom %llu, oom_kill %llu",
	       cg_read_key(self->cg, "memory.events", "max"),
	       cg_read_key(self->cg, "memory.events", "oom"),
	       cg_read_key(self->cg, "memory.events", "oom_kill"));
}

/* The child's status: it exited normally, or say precisely what happened. */
static void check_child_exited(struct __test_metadata *_metadata,
			       FIXTURE_DATA(memcg) *self, int status)
{
	if (WIFSIGNALED(status)) {
		__u64 kills = cg_read_key(self->cg, "memory.events",
					  "oom_kill");

		ASSERT_FALSE(WIFSIGNALED(status))
			TH_LOG("the child was killed by signal %d after pushing %llu elements; memory.events oom_kill %llu%s",
			       WTERMSIG(status), self->rep->pushed, kills,
			       kills && kills != ~0ULL ?
			       ": an allocation in the ioctl invoked the memcg OOM killer instead of failing with ENOMEM" :
			       "");
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the child could not join %s", self->cg);
	ASSERT_EQ(1, self->rep->moved);
}

/* The vector holds exactly VAL(0 .. pushed), what the child was told. */
static void check_contents(struct __test_metadata *_metadata, int fd,
			   __u64 pushed)
{
	__u64 *got = NULL, n = 0, i;

	ASSERT_EQ(0, sv_snapshot(fd, &got, &n));
	ASSERT_EQ(pushed, n);
	for (i = 0; i < n; i++)
		if (got[i] != VAL(i))
			break;
	EXPECT_EQ(n, i) TH_LOG("element %llu is %#llx, want %#llx", i,
			       got[i], VAL(i));
	free(got);
}

/* Elements a case can push past the capacity, in whole chunks. */
static __u32 chunk_for(__u64 max)
{
	return max < SECVEC_BATCH_MAX ? max : SECVEC_BATCH_MAX;
}

/*
 * No limit: push three chunks past the current capacity. Every bucket
 * that allocated is charged to the child's group and stays charged after
 * the child exits, so memory.current must reach at least half the slot
 * bytes of the new elements (the rest is slack for bucket rounding the
 * other way: none is expected).
 */
TEST_F(memcg, push_charges_callers_group)
{
	const char *why = memcg_unavailable();
	__u64 c0 = self->info.capacity, max = self->info.max_elements;
	__u32 chunk = chunk_for(max);
	__u64 want, fresh, cur;
	unsigned int pushes;
	int status;

	if (why)
		SKIP(return, "%s", why);
	pushes = (c0 + 3ULL * chunk) / chunk;
	if (pushes > max / chunk)
		pushes = max / chunk;
	want = (__u64)pushes * chunk;
	if (want <= c0)
		SKIP(return, "the vector already has room for %llu of max_elements %llu: load the module afresh",
		     c0, max);
	fresh = want - c0;

	make_group(_metadata, self, "charge", "max");
	status = run_child(_metadata, self, chunk, pushes);
	log_group(_metadata, self, c0, chunk);
	check_child_exited(_metadata, self, status);
	EXPECT_EQ(0, self->rep->err) TH_LOG("PUSH_MANY failed: %s",
					    strerror(self->rep->err));
	ASSERT_EQ(want, self->rep->pushed);
	check_contents(_metadata, self->fd, want);

	/* While the child was there, and after: the buckets stay charged. */
	EXPECT_LE(fresh * SLOT_BYTES / 2, self->rep->current[pushes - 1]);
	cur = cg_read_u64(self->cg, "memory.current");
	EXPECT_LE(fresh * SLOT_BYTES / 2, cur)
		TH_LOG("%llu new elements (%llu bytes of slots), but the group holds %llu bytes",
		       fresh, fresh * SLOT_BYTES, cur);
	printf("# memcg: %llu elements past capacity %llu charged %llu bytes (%llu per element)\n",
	       fresh, c0, cur, cur / fresh);
}

/*
 * memory.max = LIMIT: push until a push fails. It must fail with ENOMEM
 * (or ENOSPC if the cap comes first), having pushed no more than fits, and
 * change nothing: the vector holds exactly what the child was told.
 */
TEST_F(memcg, limit_push_fails_enomem)
{
	const char *why = memcg_unavailable();
	const char *gate = getenv("SECVEC_MEMCG_LIMIT");
	__u64 c0 = self->info.capacity, max = self->info.max_elements;
	__u32 chunk = chunk_for(max);
	__u64 pushed, fresh, cur, v;
	int status, err;

	if (why)
		SKIP(return, "%s", why);
	if (gate && !strcmp(gate, "skip"))
		SKIP(return, "SECVEC_MEMCG_LIMIT=skip: hitting memory.max is not attempted");
	if (c0 >= max)
		SKIP(return, "every bucket is allocated already: load the module afresh");

	make_group(_metadata, self, "limit", "8M");
	status = run_child(_metadata, self, chunk, max / chunk + 2);
	log_group(_metadata, self, c0, chunk);
	check_child_exited(_metadata, self, status);
	pushed = self->rep->pushed;
	err = self->rep->err;
	fresh = pushed > c0 ? pushed - c0 : 0;
	cur = cg_read_u64(self->cg, "memory.current");

	/* It stopped, with one of the two errors, at the right place. */
	ASSERT_TRUE(err == ENOMEM || err == ENOSPC)
		TH_LOG("the child's last PUSH_MANY: %s", strerror(err));
	if (err == ENOSPC) {
		EXPECT_LT(max - chunk, pushed)
			TH_LOG("ENOSPC with %llu of %llu pushed", pushed, max);
	}
	/* Slots past c0 are charged here: they cannot exceed the limit. */
	EXPECT_GE(LIMIT, fresh * SLOT_BYTES)
		TH_LOG("%llu new elements (%llu bytes of slots) under memory.max %llu",
		       fresh, fresh * SLOT_BYTES, LIMIT);
	if ((max - c0) * SLOT_BYTES > LIMIT) {
		/* The cap is out of reach: only memory can have stopped it. */
		EXPECT_EQ(ENOMEM, err);
		EXPECT_LT(0ULL, cg_read_key(self->cg, "memory.events", "max"));
	}
	EXPECT_EQ(0ULL, cg_read_key(self->cg, "memory.events", "oom_kill"));
	EXPECT_LE(fresh * SLOT_BYTES / 2, cur);

	/* The failed push changed nothing; the vector still works. */
	check_contents(_metadata, self->fd, pushed);
	if (pushed < max) {
		__u64 index = 0;

		ASSERT_EQ(0, sv_push(self->fd, VAL(pushed), &index));
		EXPECT_EQ(pushed, index);
		ASSERT_EQ(0, sv_pop(self->fd, &v));
		EXPECT_EQ(VAL(pushed), v);
	}
	printf("# memcg: memory.max %llu: %llu elements pushed (%llu past capacity %llu), then %s; the group holds %llu bytes\n",
	       LIMIT, pushed, fresh, c0, strerror(err), cur);
}

TEST_HARNESS_MAIN
