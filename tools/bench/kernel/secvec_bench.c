// SPDX-License-Identifier: GPL-2.0
/*
 * secvec_bench: secvec against a spinlock vector and an XArray, in the
 * kernel, on kthreads started together (and, single-threaded, next to
 * one hardware CAS per operation, casfloor.c).
 *
 *   insmod secvec.ko
 *   insmod secvec_bench.ko run=1 threads=1,2,4 rounds=5 ops=100000
 *
 * runs each workload at each thread count on each implementation, the
 * implementations interleaved within a round (their order rotated from
 * round to round) so that a slow patch of the machine hits all of them.
 * Every measurement is one line in the kernel log,
 *
 *   secvec_bench: {"impl":"secvec","workload":"fill","threads":2,...}
 *
 * which tools/bench/run.sh collects; medians and ratios are its business.
 * Loading it with run=0 (the default, and what a built-in kernel gets)
 * does nothing: the KUnit suite calls secvec_bench_run() itself.
 *
 * Each measurement uses a fresh vector: created, prefilled untimed (drain
 * gets as many elements as it pops; fill starts empty), then worked on by
 * the threads. Its time runs from the first thread's start to the last
 * thread's end. The calls into each implementation are direct: the loop
 * is inlined once per implementation with a constant ops table, so no
 * indirect call (a retpoline on Debian's kernels) blurs the comparison.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/wait_bit.h>

#include "secvec.h"
#include "secvec_bench.h"

const char *const secvec_bench_impl_names[BENCH_NR_IMPLS] = {
	[BENCH_SECVEC] = "secvec",
	[BENCH_SPINVEC] = "spinvec",
	[BENCH_XAVEC] = "xavec",
	[BENCH_CASFLOOR] = "casfloor",
};

const char *const secvec_bench_workload_names[BENCH_NR_WORKLOADS] = {
	[BENCH_FILL] = "fill",
	[BENCH_DRAIN] = "drain",
	[BENCH_PUSHPOP] = "pushpop",
	[BENCH_READMOSTLY] = "readmostly",
	[BENCH_RANDSET] = "randset",
	[BENCH_GET] = "get",
};

/* secvec's own API behind struct bench_ops: its create and push differ. */
static void *secvec_bench_secvec_create(u64 max_elements)
{
	struct secvec *v = secvec_create(max_elements, GFP_KERNEL);

	return IS_ERR(v) ? NULL : v;
}

static void secvec_bench_secvec_destroy(void *vec)
{
	secvec_destroy(vec);
}

static int secvec_bench_secvec_push(void *vec, u64 value)
{
	return secvec_push(vec, value, NULL);
}

static int secvec_bench_secvec_pop(void *vec, u64 *value)
{
	return secvec_pop(vec, value);
}

static int secvec_bench_secvec_get(void *vec, u64 index, u64 *value)
{
	return secvec_get(vec, index, value);
}

static int secvec_bench_secvec_set(void *vec, u64 index, u64 value)
{
	return secvec_set(vec, index, value);
}

#define BENCH_OPS(impl) {						\
	.create = secvec_bench_##impl##_create,				\
	.destroy = secvec_bench_##impl##_destroy,			\
	.push = secvec_bench_##impl##_push,				\
	.pop = secvec_bench_##impl##_pop,				\
	.get = secvec_bench_##impl##_get,				\
	.set = secvec_bench_##impl##_set,				\
}

/* Always indexed by a constant: the calls through it are direct. */
static const struct bench_ops bench_impl_ops[BENCH_NR_IMPLS] = {
	[BENCH_SECVEC] = BENCH_OPS(secvec),
	[BENCH_SPINVEC] = BENCH_OPS(spinvec),
	[BENCH_XAVEC] = BENCH_OPS(xavec),
	[BENCH_CASFLOOR] = BENCH_OPS(casfloor),
};

struct bench_ctl;

struct bench_thread {
	struct bench_ctl *ctl;
	struct task_struct *task;
	unsigned int id;
	u64 ops;
	u64 rnd;
	u64 start_ns;
	u64 end_ns;
	u64 errors;
	u64 sink;	/* values read, so that no read is dead */
};

struct bench_ctl {
	const struct bench_params *p;
	void *vec;
	u64 span;		/* random indexes fall in [0, span) */
	atomic_t ready;
	atomic_t running;
	int go;
	struct completion done;
	struct bench_thread threads[];
};

/*
 * xorshift64*: a few cycles, so that the generator costs the same small
 * amount in every implementation's loop (get_random_u32() would not).
 */
static __always_inline u64 bench_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n) from 32 random bits, without a division. */
static __always_inline u64 bench_below(u32 r, u64 n)
{
	return ((u64)r * n) >> 32;
}

/* Long runs must let the CPU go: soft lockups, RCU grace periods. */
static __always_inline void bench_yield(u64 i)
{
	if (unlikely(!(i & 1023)))
		cond_resched();
}

/* Values stay below 2^63 for xavec (xavec.c) and differ per thread. */
static __always_inline u64 bench_value(const struct bench_thread *t, u64 i)
{
	return ((u64)t->id << 40) | (i & (BIT_ULL(40) - 1));
}

/* What a thread's loop counts: failed calls, and the values it read. */
struct bench_count {
	u64 errors;
	u64 sink;	/* so that no read is dead */
};

/*
 * One call each, counted in @c. What a pop or get reads goes to @x, the
 * caller's: a local here would be zeroed before every call
 * (CONFIG_INIT_STACK_ALL_ZERO), a store in the timed loop.
 */
static __always_inline void bench_push(const struct bench_ops *ops, void *vec,
				       const struct bench_thread *t, u64 i,
				       struct bench_count *c)
{
	c->errors += ops->push(vec, bench_value(t, i)) != 0;
}

static __always_inline void bench_pop(const struct bench_ops *ops, void *vec,
				      u64 *x, struct bench_count *c)
{
	c->errors += ops->pop(vec, x) != 0;
	c->sink += *x;
}

static __always_inline void bench_get(const struct bench_ops *ops, void *vec,
				      u64 index, u64 *x, struct bench_count *c)
{
	c->errors += ops->get(vec, index, x) != 0;
	c->sink += *x;
}

static __always_inline void bench_loop(const struct bench_ops *ops,
				       struct bench_thread *t)
{
	const struct bench_ctl *ctl = t->ctl;
	struct bench_count c = { 0 };
	void *vec = ctl->vec;
	u64 span = ctl->span, n = t->ops, x, i, r;
	u32 pct;

	switch (ctl->p->workload) {
	case BENCH_FILL:
		for (i = 0; i < n; i++) {
			bench_push(ops, vec, t, i, &c);
			bench_yield(i);
		}
		break;
	case BENCH_DRAIN:
		for (i = 0; i < n; i++) {
			bench_pop(ops, vec, &x, &c);
			bench_yield(i);
		}
		break;
	case BENCH_PUSHPOP:
		for (i = 0; i < n; i++) {
			r = bench_rand(&t->rnd);
			if (r >> 63)
				bench_push(ops, vec, t, i, &c);
			else
				bench_pop(ops, vec, &x, &c);
			bench_yield(i);
		}
		break;
	case BENCH_READMOSTLY:
		for (i = 0; i < n; i++) {
			r = bench_rand(&t->rnd);
			pct = bench_below(r >> 32, 100);
			if (pct < 90)
				bench_get(ops, vec, bench_below(r, span), &x, &c);
			else if (pct < 95)
				bench_push(ops, vec, t, i, &c);
			else
				bench_pop(ops, vec, &x, &c);
			bench_yield(i);
		}
		break;
	case BENCH_RANDSET:
		for (i = 0; i < n; i++) {
			r = bench_rand(&t->rnd);
			c.errors += ops->set(vec, bench_below(r, span),
					     bench_value(t, i)) != 0;
			bench_yield(i);
		}
		break;
	case BENCH_GET:
		for (i = 0; i < n; i++) {
			r = bench_rand(&t->rnd);
			bench_get(ops, vec, bench_below(r, span), &x, &c);
			bench_yield(i);
		}
		break;
	default:
		break;
	}
	t->errors = c.errors;
	t->sink = c.sink;
}

/* One instance of the loop per implementation, each with direct calls. */
static noinline void bench_loop_secvec(struct bench_thread *t)
{
	bench_loop(&bench_impl_ops[BENCH_SECVEC], t);
}

static noinline void bench_loop_spinvec(struct bench_thread *t)
{
	bench_loop(&bench_impl_ops[BENCH_SPINVEC], t);
}

static noinline void bench_loop_xavec(struct bench_thread *t)
{
	bench_loop(&bench_impl_ops[BENCH_XAVEC], t);
}

static noinline void bench_loop_casfloor(struct bench_thread *t)
{
	bench_loop(&bench_impl_ops[BENCH_CASFLOOR], t);
}

static int bench_thread_fn(void *arg)
{
	struct bench_thread *t = arg;
	struct bench_ctl *ctl = t->ctl;

	/*
	 * Check in, then spin until the controller sees every thread here:
	 * no thread starts while another is still being scheduled in.
	 */
	atomic_inc(&ctl->ready);
	wake_up_var(&ctl->ready);
	/* Acquire: pairs with the controller's release of go. */
	while (!smp_load_acquire(&ctl->go))
		cond_resched();

	t->start_ns = ktime_get_ns();
	switch (ctl->p->impl) {
	case BENCH_SECVEC:
		bench_loop_secvec(t);
		break;
	case BENCH_SPINVEC:
		bench_loop_spinvec(t);
		break;
	case BENCH_XAVEC:
		bench_loop_xavec(t);
		break;
	case BENCH_CASFLOOR:
		bench_loop_casfloor(t);
		break;
	default:
		break;
	}
	t->end_ns = ktime_get_ns();

	if (atomic_dec_and_test(&ctl->running))
		complete(&ctl->done);
	return 0;
}

/* Spread the threads over the online CPUs, one each while they last. */
static unsigned int bench_cpu(unsigned int i)
{
	return cpumask_nth(i % num_online_cpus(), cpu_online_mask);
}

static int bench_prefill(const struct bench_ops *ops, void *vec, u64 n)
{
	u64 i;
	int err;

	for (i = 0; i < n; i++) {
		err = ops->push(vec, i);
		if (err)
			return err;
		bench_yield(i);
	}
	return 0;
}

/**
 * secvec_bench_run - make one measurement
 * @p: what to run; @p->prefill only counts for the workloads that read,
 *	set or mix (fill starts empty, drain gets @p->ops elements)
 * @r: what was measured
 *
 * Return: 0, or -EINVAL, -ENOMEM, or a kthread creation error.
 */
int secvec_bench_run(const struct bench_params *p, struct bench_result *r)
{
	const struct bench_ops *ops;
	struct bench_ctl *ctl;
	struct bench_thread *t;
	u64 prefill, stat0[SECVEC_NR_STATS], start = U64_MAX, end = 0;
	unsigned int i, n = p->threads;
	int err = 0;

	if (p->impl >= BENCH_NR_IMPLS || p->workload >= BENCH_NR_WORKLOADS ||
	    !n || n > 1024 || !p->ops)
		return -EINVAL;
	/* The CAS floor is no vector under concurrency (casfloor.c). */
	if (p->impl == BENCH_CASFLOOR && n > 1)
		return -EINVAL;
	ops = &bench_impl_ops[p->impl];
	switch (p->workload) {
	case BENCH_FILL:
		prefill = 0;
		break;
	case BENCH_DRAIN:
		prefill = p->ops;
		break;
	default:
		prefill = max_t(u64, p->prefill, 2);
		break;
	}

	ctl = kzalloc(struct_size(ctl, threads, n), GFP_KERNEL);
	if (!ctl)
		return -ENOMEM;
	ctl->p = p;
	/*
	 * Read-mostly and push/pop move the size by a random walk around the
	 * prefill; indexes below half of it stay valid all along.
	 */
	ctl->span = p->workload == BENCH_READMOSTLY ? prefill / 2 : prefill;
	atomic_set(&ctl->running, n);
	init_completion(&ctl->done);

	ctl->vec = ops->create(prefill + p->ops + 1);
	if (!ctl->vec) {
		err = -ENOMEM;
		goto out_ctl;
	}
	err = bench_prefill(ops, ctl->vec, prefill);
	if (err)
		goto out_vec;

	for (i = 0; i < n; i++) {
		t = &ctl->threads[i];
		t->ctl = ctl;
		t->id = i;
		t->ops = p->ops / n + (i < p->ops % n);
		/* Never 0, different for every thread, round and workload. */
		t->rnd = ((u64)p->round << 40 | (u64)p->workload << 32 | i) *
			 0x9e3779b97f4a7c15ULL | 1;
		t->task = kthread_create(bench_thread_fn, t, "secvec_bench/%u",
					 i);
		if (IS_ERR(t->task)) {
			err = PTR_ERR(t->task);
			t->task = NULL;
			break;
		}
		/* Pinned, so that kthread_stop() below finds it. */
		get_task_struct(t->task);
		kthread_bind(t->task, bench_cpu(i));
	}
	if (err) {
		/* Never woken: kthread_stop() ends them before they start. */
		for (i = 0; i < n && ctl->threads[i].task; i++) {
			kthread_stop(ctl->threads[i].task);
			put_task_struct(ctl->threads[i].task);
		}
		goto out_vec;
	}

	for (i = 0; i < SECVEC_NR_STATS; i++)
		stat0[i] = secvec_stat_read(i);
	for (i = 0; i < n; i++)
		wake_up_process(ctl->threads[i].task);
	wait_var_event(&ctl->ready, atomic_read(&ctl->ready) == n);
	/* Release: the stat snapshot is taken before anyone starts. */
	smp_store_release(&ctl->go, 1);
	/*
	 * A run can take minutes under emulation: wake every second so that
	 * the hung-task detector sees this task is not stuck.
	 */
	while (!wait_for_completion_timeout(&ctl->done, HZ))
		;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++) {
		t = &ctl->threads[i];
		kthread_stop(t->task);
		put_task_struct(t->task);
		start = min(start, t->start_ns);
		end = max(end, t->end_ns);
		r->ops += t->ops;
		r->errors += t->errors;
	}
	r->ns = end - start;
	r->prefill = prefill;
	if (p->impl == BENCH_SECVEC) {
		r->cas_retry = secvec_stat_read(SECVEC_STAT_CAS_RETRY) -
			       stat0[SECVEC_STAT_CAS_RETRY];
		r->help = secvec_stat_read(SECVEC_STAT_HELP) -
			  stat0[SECVEC_STAT_HELP];
		r->desc_alloc = secvec_stat_read(SECVEC_STAT_DESC_ALLOC) -
				stat0[SECVEC_STAT_DESC_ALLOC];
	}

out_vec:
	ops->destroy(ctl->vec);
out_ctl:
	kfree(ctl);
	return err;
}

/* One JSON object per line, the format tools/bench/run.sh reads. */
void secvec_bench_print(const struct bench_params *p,
			const struct bench_result *r)
{
	pr_info("{\"impl\":\"%s\",\"workload\":\"%s\",\"threads\":%u,\"round\":%u,\"ops\":%llu,\"prefill\":%llu,\"ns\":%llu,\"errors\":%llu,\"cas_retry\":%llu,\"help\":%llu,\"desc_alloc\":%llu}\n",
		secvec_bench_impl_names[p->impl],
		secvec_bench_workload_names[p->workload], p->threads,
		p->round, r->ops, r->prefill, r->ns, r->errors, r->cas_retry,
		r->help, r->desc_alloc);
}

static bool bench_do_run;
module_param_named(run, bench_do_run, bool, 0444);
MODULE_PARM_DESC(run, "Run the benchmarks at load time (default: no)");

static char bench_impls[64] = "secvec,spinvec,xavec";
module_param_string(impls, bench_impls, sizeof(bench_impls), 0444);
MODULE_PARM_DESC(impls, "Implementations, comma-separated: secvec, spinvec, xavec, casfloor (one thread only; default: the first three)");

static char bench_workloads[96] = "fill,drain,pushpop,readmostly,randset";
module_param_string(workloads, bench_workloads, sizeof(bench_workloads),
		    0444);
MODULE_PARM_DESC(workloads,
		 "Workloads, comma-separated: fill, drain, pushpop, readmostly, randset, get");

static unsigned int bench_threads[8] = { 1, 2, 4 };
static unsigned int bench_nr_threads = 3;
module_param_array_named(threads, bench_threads, uint, &bench_nr_threads,
			 0444);
MODULE_PARM_DESC(threads, "Thread counts (default 1,2,4; capped at the online CPUs)");

static unsigned int bench_round;
module_param_named(round, bench_round, uint, 0444);
MODULE_PARM_DESC(round, "Number of the first round (default 0)");

/* Also the KUnit suite's, which measures one thread on every implementation. */
unsigned int secvec_bench_rounds = 1;
module_param_named(rounds, secvec_bench_rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Rounds to run (default 1; the KUnit suite takes the median of at most 31)");

unsigned long long secvec_bench_ops = 100000;
module_param_named(ops, secvec_bench_ops, ullong, 0444);
MODULE_PARM_DESC(ops, "Operations per measurement, over all threads (default 100000)");

unsigned long long secvec_bench_prefill = 16384;
module_param_named(prefill, secvec_bench_prefill, ullong, 0444);
MODULE_PARM_DESC(prefill, "Elements before a mixed, get or set run (default 16384)");

/* Parse a comma-separated list of names into a bit mask. */
static int bench_parse(const char *list, const char *const *names,
		       unsigned int nr, unsigned long *mask)
{
	char *buf, *s, *tok;
	int i, err = 0;

	buf = kstrdup(list, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	*mask = 0;
	s = buf;
	while ((tok = strsep(&s, ",")) && !err) {
		if (!*tok)
			continue;
		i = match_string(names, nr, tok);
		if (i < 0) {
			pr_err("unknown name '%s'\n", tok);
			err = -EINVAL;
		} else {
			*mask |= BIT(i);
		}
	}
	kfree(buf);
	return err;
}

/* One round: each workload at each thread count on each implementation. */
static int bench_round_run(unsigned int round, const enum bench_impl *impls,
			   unsigned int nr_impls, unsigned long workloads)
{
	struct bench_params p = {
		.round = round,
		.ops = secvec_bench_ops,
		.prefill = secvec_bench_prefill,
	};
	struct bench_result r;
	unsigned int w, t, k;
	int err;

	for_each_set_bit(w, &workloads, BENCH_NR_WORKLOADS) {
		p.workload = w;
		for (t = 0; t < bench_nr_threads; t++) {
			p.threads = bench_threads[t];
			if (p.threads > num_online_cpus()) {
				pr_info("skipping %u threads: %u CPUs online\n",
					p.threads, num_online_cpus());
				continue;
			}
			/* Rotated, so that each implementation leads as often. */
			for (k = 0; k < nr_impls; k++) {
				p.impl = impls[(k + round) % nr_impls];
				if (p.impl == BENCH_CASFLOOR && p.threads > 1) {
					pr_info("skipping casfloor at %u threads: single-threaded only\n",
						p.threads);
					continue;
				}
				err = secvec_bench_run(&p, &r);
				if (err) {
					pr_err("%s %s at %u threads: error %d\n",
					       secvec_bench_impl_names[p.impl],
					       secvec_bench_workload_names[w],
					       p.threads, err);
					return err;
				}
				secvec_bench_print(&p, &r);
			}
		}
	}
	return 0;
}

static int __init bench_init(void)
{
	enum bench_impl impls[BENCH_NR_IMPLS];
	unsigned long impl_mask, wl_mask;
	unsigned int i, round, nr_impls = 0;
	int err;

	if (!bench_do_run)
		return 0;
	err = bench_parse(bench_impls, secvec_bench_impl_names, BENCH_NR_IMPLS,
			  &impl_mask);
	if (!err)
		err = bench_parse(bench_workloads, secvec_bench_workload_names,
				  BENCH_NR_WORKLOADS, &wl_mask);
	if (err)
		return err;
	for_each_set_bit(i, &impl_mask, BENCH_NR_IMPLS)
		impls[nr_impls++] = i;
	if (!nr_impls)
		return 0;

	for (round = bench_round; round < bench_round + secvec_bench_rounds;
	     round++) {
		err = bench_round_run(round, impls, nr_impls, wl_mask);
		if (err)
			return err;
	}
	return 0;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("secvec benchmarks against a spinlock vector, XArray and the CAS floor");
MODULE_LICENSE("GPL");
