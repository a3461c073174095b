// SPDX-License-Identifier: GPL-2.0
/* Filling a vector with known values and checking them, for the suites. */
#include "secvec_kunit.h"

void secvec_kunit_push_range(struct kunit *test, struct secvec *v, u64 from,
			     u64 to)
{
	u64 i, index;

	for (i = from; i < to; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_push(v, i * 3 + 1, &index));
		KUNIT_ASSERT_EQ(test, i, index);
	}
}

void secvec_kunit_expect_prefix(struct kunit *test, struct secvec *v, u64 n)
{
	u64 i, value;

	KUNIT_ASSERT_EQ(test, n, secvec_size(v));
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, 0, secvec_get(v, i, &value));
		KUNIT_ASSERT_EQ(test, i * 3 + 1, value);
	}
}
