// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by secvec's KUnit suites that need no kthreads: vectors
 * tied to the test's lifetime and thread counts. Built unchanged in
 * userspace by tools/testing/secvec.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/minmax.h>

#include "secvec_kunit.h"

/* With the vector, whatever failures the test left armed. */
static void secvec_kunit_destroy(void *v)
{
	secvec_test_fail_allocs(0, 0);
	secvec_destroy(v);
}

/*
 * Deferred actions (kunit_add_action_or_reset()) came in 6.5; 6.1 has only
 * test-managed resources. KUNIT_DEFINE_ACTION_WRAPPER (6.8) is the macro
 * that tells them apart; the userspace shim has the actions.
 */
#if defined(KUNIT_DEFINE_ACTION_WRAPPER) || defined(_SHIM_KUNIT_TEST_H)
static int secvec_kunit_defer_destroy(struct kunit *test, struct secvec *v)
{
	return kunit_add_action_or_reset(test, secvec_kunit_destroy, v);
}
#else
static int secvec_kunit_res_init(struct kunit_resource *res, void *v)
{
	res->data = v;
	return 0;
}

static void secvec_kunit_res_free(struct kunit_resource *res)
{
	secvec_kunit_destroy(res->data);
}

/* As kunit_add_action_or_reset(): on failure @v is destroyed at once. */
static int secvec_kunit_defer_destroy(struct kunit *test, struct secvec *v)
{
	if (kunit_alloc_resource(test, secvec_kunit_res_init,
				 secvec_kunit_res_free, GFP_KERNEL, v))
		return 0;
	secvec_kunit_destroy(v);
	return -ENOMEM;
}
#endif

struct secvec *secvec_kunit_create(struct kunit *test, u64 max_elements)
{
	struct secvec *v = secvec_create(max_elements, GFP_KERNEL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(v));
	KUNIT_ASSERT_EQ(test, 0, secvec_kunit_defer_destroy(test, v));
	return v;
}

unsigned int secvec_kunit_nr_threads(unsigned int factor)
{
	return max(4 * factor, factor * num_online_cpus());
}

static const unsigned int secvec_kunit_factors[] = { 1, 2 };

const void *secvec_kunit_thread_param(const void *prev, char *desc)
{
	const unsigned int *f = prev ? (const unsigned int *)prev + 1 :
				       secvec_kunit_factors;

	if (f >= secvec_kunit_factors + ARRAY_SIZE(secvec_kunit_factors))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u threads",
		 secvec_kunit_nr_threads(*f));
	return f;
}
