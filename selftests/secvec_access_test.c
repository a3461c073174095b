// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_access_test: who may open /dev/secvec and what openers share.
 *
 * The node is root-only (0600) by default because the vector is one global
 * object: anyone who can open it for writing can change or empty it for
 * everyone. A file opened read-only may only look (GET, SIZE, GET_RANGE,
 * INFO); every command that changes the vector fails with EBADF on it, so
 * a node mode that lets others read (the module's mode=0644) gives them
 * read access and nothing more; secvecctl's readers work there for any
 * user. And there is exactly one vector per device, kept until the module
 * is unloaded, whichever file it was reached through.
 */
#include <grp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"

#define NOBODY	65534

/* Values with high bits set, so a truncation to 32 bits shows. */
#define VAL(i)	(0xacce550000000000ULL + (i))

FIXTURE(access) {
	int fd;
};

FIXTURE_SETUP(access)
{
	self->fd = secvec_open();
	ASSERT_LE(0, self->fd)
		TH_LOG("open %s: %s", secvec_dev_path(), strerror(errno));
	ASSERT_EQ(0, sv_clear(self->fd));
}

FIXTURE_TEARDOWN(access)
{
	sv_clear(self->fd);
	close(self->fd);
}

TEST_F(access, device_node_is_char_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(secvec_dev_path(), &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* A misc device: major 10. */
	EXPECT_EQ(10U, major(st.st_rdev));
	EXPECT_EQ(0600U, st.st_mode & 07777)
		TH_LOG("mode %#o", st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
}

/* Drop to nobody and return what open() says, as 0 or an errno. */
static int open_as_nobody(int flags)
{
	int fd;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 255;
	fd = open(secvec_dev_path(), flags);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

TEST_F(access, non_root_cannot_open)
{
	static const int modes[] = { O_RDWR, O_RDONLY, O_WRONLY };
	unsigned int i;
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "must run as root to drop to uid %d", NOBODY);
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(open_as_nobody(modes[i]));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(EACCES, WEXITSTATUS(status))
			TH_LOG("open flags %#x as uid %d: %s", modes[i], NOBODY,
			       WEXITSTATUS(status) == 255 ? "setuid failed" :
			       strerror(WEXITSTATUS(status)));
	}
}

TEST_F(access, openers_share_one_vector)
{
	int fd2 = secvec_open();
	__u64 v = 0, size = 0, index = 9;

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, sv_push(self->fd, 0xabcdULL, NULL));
	ASSERT_EQ(0, sv_size(fd2, &size));
	EXPECT_EQ(1ULL, size);
	ASSERT_EQ(0, sv_get(fd2, 0, &v));
	EXPECT_EQ(0xabcdULL, v);
	/* A push through the second file lands after the first one's. */
	ASSERT_EQ(0, sv_push(fd2, 0xef01ULL, &index));
	EXPECT_EQ(1ULL, index);
	ASSERT_EQ(0, sv_pop(self->fd, &v));
	EXPECT_EQ(0xef01ULL, v);
	close(fd2);
}

TEST_F(access, vector_outlives_open_files)
{
	__u64 v = 0, size = 0;
	int fd;

	ASSERT_EQ(0, sv_push(self->fd, 0x5eedULL, NULL));
	/* Close every file on the device, then open a fresh one. */
	close(self->fd);
	self->fd = -1;
	fd = secvec_open();
	ASSERT_LE(0, fd);
	self->fd = fd;
	ASSERT_EQ(0, sv_size(fd, &size));
	EXPECT_EQ(1ULL, size);
	ASSERT_EQ(0, sv_get(fd, 0, &v));
	EXPECT_EQ(0x5eedULL, v);
}

/* ---- read-only files ------------------------------------------------- */

/* Elements the read-only tests put in the vector. */
#define NVALS	5

/*
 * A file opened O_RDONLY on a node whose mode lets others read, next to
 * one opened O_RDWR that sets the vector up and checks it. The lab loads
 * the module with the default mode, 0600; then, as root, the readable node
 * is a node of our own for the same device, made 0644, as mode=0644 would
 * make /dev/secvec. When /dev/secvec already lets others read, or we are
 * not root (and so cannot make nodes), it is /dev/secvec itself.
 */
FIXTURE(readers) {
	int rw;
	int ro;
	char dir[64];
	char node[96];
	const char *path;	/* the readable node */
	__u64 want[NVALS];
	struct secvec_info info;
};

FIXTURE_SETUP(readers)
{
	struct stat st;
	__u64 i;

	self->ro = -1;
	self->dir[0] = '\0';
	self->node[0] = '\0';
	self->rw = secvec_open();
	ASSERT_LE(0, self->rw)
		TH_LOG("open %s: %s", secvec_dev_path(), strerror(errno));
	ASSERT_EQ(0, sv_clear(self->rw));
	ASSERT_EQ(0, stat(secvec_dev_path(), &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	self->path = secvec_dev_path();
	if (geteuid() == 0 && !(st.st_mode & S_IROTH)) {
		snprintf(self->dir, sizeof(self->dir), "%s",
			 "/dev/secvec-readers.XXXXXX");
		ASSERT_NE(NULL, mkdtemp(self->dir))
			TH_LOG("mkdtemp: %s", strerror(errno));
		/* Searchable by everyone, for the unprivileged opener. */
		ASSERT_EQ(0, chmod(self->dir, 0755));
		snprintf(self->node, sizeof(self->node), "%s/secvec",
			 self->dir);
		ASSERT_EQ(0, mknod(self->node, S_IFCHR | 0644, st.st_rdev))
			TH_LOG("mknod %s: %s", self->node, strerror(errno));
		/* Whatever the umask took away. */
		ASSERT_EQ(0, chmod(self->node, 0644));
		self->path = self->node;
	}
	self->ro = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->ro)
		TH_LOG("open %s O_RDONLY: %s", self->path, strerror(errno));
	for (i = 0; i < NVALS; i++)
		self->want[i] = VAL(i);
	ASSERT_EQ(0, sv_push_many(self->rw, self->want, NVALS, NULL));
	ASSERT_EQ(0, sv_info(self->rw, &self->info));
}

FIXTURE_TEARDOWN(readers)
{
	if (self->ro >= 0)
		close(self->ro);
	sv_clear(self->rw);
	close(self->rw);
	if (self->node[0])
		unlink(self->node);
	if (self->dir[0])
		rmdir(self->dir);
}

/* The vector must hold want[] and have the capacity it had after setup. */
static void expect_unchanged(struct __test_metadata *_metadata,
			     FIXTURE_DATA(readers) *self, const char *what)
{
	__u64 *got = NULL, n = 0, i;
	struct secvec_info info;

	ASSERT_EQ(0, sv_snapshot(self->rw, &got, &n));
	EXPECT_EQ((__u64)NVALS, n) TH_LOG("after %s", what);
	for (i = 0; i < NVALS && i < n; i++) {
		EXPECT_EQ(self->want[i], got[i])
			TH_LOG("after %s: index %llu", what, i);
	}
	free(got);
	ASSERT_EQ(0, sv_info(self->rw, &info));
	EXPECT_EQ(self->info.capacity, info.capacity) TH_LOG("after %s", what);
}

/*
 * One mutating command with an argument that would make it succeed on a
 * file opened for writing. arg points into a buffer of ARG_BYTES whose
 * bytes must all be left as they were.
 */
#define ARG_BYTES	256

struct write_cmd {
	const char *name;
	unsigned long cmd;
};

#define WCMD(c)	{ #c, SECVEC_IOC_##c }

static const struct write_cmd write_cmds[] = {
	WCMD(PUSH), WCMD(POP), WCMD(SET), WCMD(RESERVE), WCMD(CLEAR),
	WCMD(PUSH_MANY), WCMD(POP_MANY),
};

/*
 * Fill @buf (ARG_BYTES) with a valid argument for @cmd; return the pointer
 * to pass. @vals is where a batch reads or writes its values.
 */
static void *good_arg(unsigned long cmd, unsigned char *buf, __u64 *vals,
		      const struct secvec_info *info)
{
	__u64 more = info->capacity + 4096;

	struct secvec_elem *e = (struct secvec_elem *)buf;
	struct secvec_batch *b = (struct secvec_batch *)buf;

	memset(buf, 0xa5, ARG_BYTES);
	switch (cmd) {
	case SECVEC_IOC_PUSH:
	case SECVEC_IOC_SET:
		e->index = 1;
		e->value = VAL(100);
		return e;
	case SECVEC_IOC_RESERVE:
		/* More than there is room for: a writer's call allocates. */
		*(__u64 *)buf = more < info->max_elements ? more :
				info->max_elements;
		return buf;
	case SECVEC_IOC_CLEAR:
		return NULL;
	case SECVEC_IOC_PUSH_MANY:
	case SECVEC_IOC_POP_MANY:
		vals[0] = VAL(200);
		vals[1] = VAL(201);
		b->values = (uintptr_t)vals;
		b->index = 0x1111;
		b->count = 2;
		b->done = 0x2222;
		return b;
	}
	return buf;	/* POP: a __u64 to write */
}

/*
 * Every mutating command with a good argument: EBADF, and neither the
 * vector (contents, size, capacity) nor the argument nor the values array
 * changed. The same call on the O_RDWR file then works, so the argument
 * was one that would have had an effect.
 */
TEST_F(readers, mutations_ebadf_unchanged)
{
	unsigned char buf[ARG_BYTES], before[ARG_BYTES];
	__u64 vals[2], vals_before[2];
	size_t i;
	void *arg;

	for (i = 0; i < ARRAY_SIZE(write_cmds); i++) {
		/* Each command from the same vector, whatever the last did. */
		ASSERT_EQ(0, sv_clear(self->rw));
		ASSERT_EQ(0, sv_push_many(self->rw, self->want, NVALS, NULL));
		arg = good_arg(write_cmds[i].cmd, buf, vals, &self->info);
		memcpy(before, buf, sizeof(buf));
		memcpy(vals_before, vals, sizeof(vals));
		EXPECT_EQ(-EBADF, sv_ioctl(self->ro, write_cmds[i].cmd, arg))
			TH_LOG("%s on an O_RDONLY file", write_cmds[i].name);
		EXPECT_EQ(0, memcmp(before, buf, sizeof(buf)))
			TH_LOG("%s wrote to its argument", write_cmds[i].name);
		EXPECT_EQ(0, memcmp(vals_before, vals, sizeof(vals)))
			TH_LOG("%s wrote to its values", write_cmds[i].name);
		expect_unchanged(_metadata, self, write_cmds[i].name);
	}

	/* The same arguments work on the O_RDWR file. */
	for (i = 0; i < ARRAY_SIZE(write_cmds); i++) {
		arg = good_arg(write_cmds[i].cmd, buf, vals, &self->info);
		EXPECT_EQ(0, sv_ioctl(self->rw, write_cmds[i].cmd, arg))
			TH_LOG("%s on the O_RDWR file", write_cmds[i].name);
	}
}

/*
 * EBADF comes first: a NULL or unmapped argument, or a batch count the
 * driver would refuse, still gets EBADF on a read-only file, not EFAULT or
 * EINVAL.
 */
TEST_F(readers, ebadf_before_argument_checks)
{
	struct secvec_batch zero = { .count = 0 };
	void *bad[] = { NULL, sv_unmapped_ptr(), (void *)(uintptr_t)-4096 };
	size_t i, j;

	ASSERT_NE(NULL, bad[1]);
	for (i = 0; i < ARRAY_SIZE(write_cmds); i++) {
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			EXPECT_EQ(-EBADF, sv_ioctl(self->ro, write_cmds[i].cmd,
						   bad[j]))
				TH_LOG("%s with arg %p", write_cmds[i].name,
				       bad[j]);
		}
	}
	EXPECT_EQ(-EBADF, sv_ioctl(self->ro, SECVEC_IOC_PUSH_MANY, &zero));
	EXPECT_EQ(-EBADF, sv_ioctl(self->ro, SECVEC_IOC_POP_MANY, &zero));
	/* On the O_RDWR file the same calls are refused for what they are. */
	EXPECT_EQ(-EFAULT, sv_ioctl(self->rw, SECVEC_IOC_PUSH, NULL));
	EXPECT_EQ(-EINVAL, sv_ioctl(self->rw, SECVEC_IOC_POP_MANY, &zero));
	expect_unchanged(_metadata, self, "refused calls");
}

/* GET, SIZE, GET_RANGE and INFO work on the read-only file. */
TEST_F(readers, reads_work)
{
	__u64 v, size = 0, got[NVALS + 1];
	struct secvec_info info;
	__u64 i;

	for (i = 0; i < NVALS; i++) {
		v = 0;
		ASSERT_EQ(0, sv_get(self->ro, i, &v)) TH_LOG("GET %llu", i);
		EXPECT_EQ(self->want[i], v);
	}
	EXPECT_EQ(-ERANGE, sv_get(self->ro, NVALS, &v));
	ASSERT_EQ(0, sv_size(self->ro, &size));
	EXPECT_EQ((__u64)NVALS, size);
	memset(got, 0, sizeof(got));
	ASSERT_EQ(NVALS, sv_get_range(self->ro, 0, got, NVALS + 1));
	EXPECT_EQ(0, memcmp(self->want, got, NVALS * sizeof(got[0])));
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, sv_info(self->ro, &info));
	EXPECT_EQ((__u64)NVALS, info.size);
	EXPECT_EQ(self->info.max_elements, info.max_elements);
	EXPECT_EQ((__u64)SECVEC_ABI_VERSION, info.abi_version);
	expect_unchanged(_metadata, self, "reads");
}

TEST_F(readers, unknown_command_enotty)
{
	__u64 arg[8] = { 0 };

	EXPECT_EQ(-ENOTTY, sv_ioctl(self->ro, _IO(SECVEC_IOC_MAGIC, 0x0b),
				    arg));
	/* A mutating number with the wrong size is no command either. */
	EXPECT_EQ(-ENOTTY, sv_ioctl(self->ro,
				    _IOWR(SECVEC_IOC_MAGIC, 0x00, __u32), arg));
	expect_unchanged(_metadata, self, "unknown commands");
}

/* Write access is what counts, not read access: O_WRONLY may change it. */
TEST_F(readers, write_only_file_may_change)
{
	int wo = open(self->path, O_WRONLY | O_CLOEXEC);
	__u64 index = 0, v = 0;

	ASSERT_LE(0, wo) TH_LOG("open O_WRONLY: %s", strerror(errno));
	EXPECT_EQ(0, sv_push(wo, VAL(300), &index));
	EXPECT_EQ((__u64)NVALS, index);
	EXPECT_EQ(0, sv_pop(wo, &v));
	EXPECT_EQ(VAL(300), v);
	close(wo);
	expect_unchanged(_metadata, self, "O_WRONLY push and pop");
}

/*
 * What the unprivileged child found, as its exit status: 0 if everything
 * was as expected, else the step that was not.
 */
enum nobody_step {
	NOBODY_OK,
	NOBODY_SETUID,
	NOBODY_OPEN_RDONLY,
	NOBODY_READ,
	NOBODY_WRITE_NOT_EBADF,	/* + index in write_cmds */
	NOBODY_RDWR_NOT_EACCES = NOBODY_WRITE_NOT_EBADF + 16,
	NOBODY_WRONLY_NOT_EACCES,
};

static int nobody_reads(const char *path, const struct secvec_info *info,
			__u64 want0)
{
	unsigned char buf[ARG_BYTES];
	__u64 vals[2], v = 0, size = 0;
	unsigned int i;
	int fd;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return NOBODY_SETUID;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NOBODY_OPEN_RDONLY;
	if (sv_size(fd, &size) || size != NVALS || sv_get(fd, 0, &v) ||
	    v != want0)
		return NOBODY_READ;
	for (i = 0; i < ARRAY_SIZE(write_cmds); i++) {
		void *arg = good_arg(write_cmds[i].cmd, buf, vals, info);

		if (sv_ioctl(fd, write_cmds[i].cmd, arg) != -EBADF)
			return NOBODY_WRITE_NOT_EBADF + i;
	}
	close(fd);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES)
		return NOBODY_RDWR_NOT_EACCES;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES)
		return NOBODY_WRONLY_NOT_EACCES;
	return NOBODY_OK;
}

/*
 * An unprivileged user on a node that lets others read: O_RDONLY opens,
 * reads work, every mutation gets EBADF; O_RDWR and O_WRONLY get EACCES.
 */
TEST_F(readers, nobody_reads_but_cannot_write)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "must run as root to drop to uid %d", NOBODY);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(nobody_reads(self->path, &self->info, self->want[0]));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(NOBODY_OK, WEXITSTATUS(status)) {
		int step = WEXITSTATUS(status);

		if (step >= NOBODY_WRITE_NOT_EBADF &&
		    step < NOBODY_WRITE_NOT_EBADF +
			   (int)ARRAY_SIZE(write_cmds))
			TH_LOG("uid %d: %s on O_RDONLY did not fail with EBADF",
			       NOBODY,
			       write_cmds[step - NOBODY_WRITE_NOT_EBADF].name);
		else
			TH_LOG("uid %d on %s (mode 0644): failed at step %d",
			       NOBODY, self->path, step);
	}
	expect_unchanged(_metadata, self, "the unprivileged reader");
}

/* ---- secvecctl as an unprivileged reader ---------------------------- */

/*
 * Put the path of secvecctl in @buf: $SECVECCTL, or the first secvecctl
 * in $PATH (the lab VM has it in /bin). False if there is none.
 */
static bool find_secvecctl(char *buf, size_t len)
{
	const char *env = getenv("SECVECCTL"), *p = getenv("PATH"), *end;
	int n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return access(buf, X_OK) == 0;
	}
	for (; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		n = snprintf(buf, len, "%.*s/secvecctl", (int)(end - p), p);
		if (end > p && n > 0 && (size_t)n < len && !access(buf, X_OK))
			return true;
	}
	return false;
}

/*
 * Run "@prog -d @node @cmd [@arg]" as uid NOBODY, with its stdout and
 * stderr in @out (NUL-terminated, cut to fit). Return its exit status, or
 * -1 if it could not be run or did not exit.
 */
static int secvecctl_as_nobody(const char *prog, const char *node,
			       const char *cmd, const char *arg,
			       char *out, size_t len)
{
	char rest[256];
	size_t n = 0;
	int pfd[2], status;
	ssize_t r;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(pfd[1], 1) < 0 || dup2(pfd[1], 2) < 0 ||
		    setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(126);
		execl(prog, "secvecctl", "-d", node, cmd, arg, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	/* To the end, so that the child never blocks on a full pipe. */
	for (;;) {
		if (n + 1 < len)
			r = read(pfd[0], out + n, len - 1 - n);
		else
			r = read(pfd[0], rest, sizeof(rest));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < len)
			n += r;
	}
	out[n] = '\0';
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * secvecctl opens the device read-only for the commands that only read,
 * so uid NOBODY can run get, size, info and dump on a node that lets
 * others read; push opens it read-write, and the open is refused.
 */
TEST_F(readers, secvecctl_reads_as_nobody)
{
	char prog[PATH_MAX], out[1024], want[1024];
	int len = 0;
	__u64 i;

	if (geteuid() != 0)
		SKIP(return, "must run as root to drop to uid %d", NOBODY);
	if (!find_secvecctl(prog, sizeof(prog)))
		SKIP(return, "no secvecctl in $SECVECCTL or $PATH");

	EXPECT_EQ(0, secvecctl_as_nobody(prog, self->path, "size", NULL,
					 out, sizeof(out))) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%d\n", NVALS);
	EXPECT_STREQ(want, out);

	EXPECT_EQ(0, secvecctl_as_nobody(prog, self->path, "get", "3",
					 out, sizeof(out))) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%llu\n", self->want[3]);
	EXPECT_STREQ(want, out);

	EXPECT_EQ(0, secvecctl_as_nobody(prog, self->path, "info", NULL,
					 out, sizeof(out))) TH_LOG("%s", out);
	snprintf(want, sizeof(want),
		 "size=%d\ncapacity=%llu\nmax_elements=%llu\n"
		 "abi_version=%d\nbatch_max=%d\n", NVALS, self->info.capacity,
		 self->info.max_elements, SECVEC_ABI_VERSION,
		 SECVEC_BATCH_MAX);
	EXPECT_STREQ(want, out);

	EXPECT_EQ(0, secvecctl_as_nobody(prog, self->path, "dump", NULL,
					 out, sizeof(out))) TH_LOG("%s", out);
	for (i = 0; i < NVALS; i++)
		len += snprintf(want + len, sizeof(want) - len, "%llu %llu\n",
				i, self->want[i]);
	EXPECT_STREQ(want, out);

	EXPECT_EQ(1, secvecctl_as_nobody(prog, self->path, "push", "7",
					 out, sizeof(out))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "EACCES")) TH_LOG("%s", out);
	expect_unchanged(_metadata, self, "secvecctl as uid 65534");
}

TEST_HARNESS_MAIN
