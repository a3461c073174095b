/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture most secvec selftests share: the device opened, the shared
 * vector emptied, its info read and its cap checked; emptied again after
 * each test for whoever comes next. Include after kselftest_harness.h.
 */
#ifndef SECVEC_SELFTEST_FIXTURE_H
#define SECVEC_SELFTEST_FIXTURE_H

#include "secvec_util.h"

#define SECVEC_FIXTURE(name)						\
FIXTURE(name) {								\
	int fd;								\
	struct secvec_info info;					\
};									\
									\
FIXTURE_SETUP(name)							\
{									\
	self->fd = secvec_open();					\
	ASSERT_LE(0, self->fd)						\
		TH_LOG("open %s: %s", secvec_dev_path(), strerror(errno)); \
	ASSERT_EQ(0, sv_clear(self->fd));				\
	ASSERT_EQ(0, sv_info(self->fd, &self->info));			\
	ASSERT_LE(SV_MIN_CAP, self->info.max_elements)			\
		TH_LOG("load secvec with max_elements >= %llu", SV_MIN_CAP); \
}									\
									\
FIXTURE_TEARDOWN(name)							\
{									\
	sv_clear(self->fd);						\
	close(self->fd);						\
}

#endif /* SECVEC_SELFTEST_FIXTURE_H */
