// SPDX-License-Identifier: GPL-2.0
/*
 * TBB's concurrent_vector: lock-free push_back and reads, but no pop (it
 * only grows), so the workloads that pop report n/a for it.
 */
#include <cerrno>
#include <tbb/concurrent_vector.h>

#include "bench.h"

typedef tbb::concurrent_vector<uint64_t> tbb_vec;

static void *tbb_create(void)
{
	return new tbb_vec();
}

static void tbb_destroy(void *v)
{
	delete static_cast<tbb_vec *>(v);
}

static int tbb_push(void *v, uint64_t value)
{
	static_cast<tbb_vec *>(v)->push_back(value);
	return 0;
}

/* size() counts elements still being constructed: only read a vector
 * that no thread is pushing to (the read workload). */
static int tbb_get(void *v, uint64_t index, uint64_t *value)
{
	tbb_vec &c = *static_cast<tbb_vec *>(v);

	if (index >= c.size())
		return -ERANGE;
	*value = c[index];
	return 0;
}

extern "C" const struct vec_impl tbb_impl = {
	"tbb", tbb_create, tbb_destroy, tbb_push, NULL, tbb_get, NULL, NULL,
};
