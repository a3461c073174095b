// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_access_test: who may open /dev/secvec and what openers share.
 *
 * The node is root-only (0600) because the vector is one global object:
 * anyone who can open it can read, change or empty it for everyone. And
 * there is exactly one vector per device, kept until the module is
 * unloaded, whichever file it was reached through.
 */
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "secvec_util.h"

#define NOBODY	65534

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

TEST_HARNESS_MAIN
