// SPDX-License-Identifier: GPL-2.0
/* secvec itself, as the kernel API sees it. */
#include <stdlib.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/rcupdate.h>

#include "secvec.h"
#include "secvec_core.h"
#include "bench.h"

/* What module_init() does: before main(), like a built-in module. */
__attribute__((constructor)) static void sv_module_init(void)
{
	if (secvec_core_init())
		abort();
}

static void *sv_create(void)
{
	struct secvec *v = secvec_create(SECVEC_MAX_ELEMENTS, GFP_KERNEL);

	return IS_ERR(v) ? NULL : v;
}

static void sv_destroy(void *v)
{
	secvec_destroy(v);
	/* Free the retired and pooled descriptors before the next run. */
	secvec_quiesce();
}

static int sv_push(void *v, uint64_t value)
{
	return secvec_push(v, value, NULL);
}

static int sv_pop(void *v, uint64_t *value)
{
	return secvec_pop(v, (u64 *)value);
}

static int sv_get(void *v, uint64_t index, uint64_t *value)
{
	return secvec_get(v, index, (u64 *)value);
}

/* Every thread that enters an RCU read-side section registers. */
static void sv_thread_start(void)
{
	rcu_register_thread();
}

static void sv_thread_stop(void)
{
	rcu_unregister_thread();
}

const struct vec_impl secvec_impl = {
	"secvec", sv_create, sv_destroy, sv_push, sv_pop, sv_get,
	sv_thread_start, sv_thread_stop,
};
