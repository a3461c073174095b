// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the KUnit suites linked into the program and prints KTAP, as KUnit
 * does. Usage: PROG [SUITE-GLOB...] (default: every suite).
 * Exit status 0 if every case passed.
 *
 * The program plays the module: kunit_shim_module_init() and _exit()
 * (lib/kunit_util.c) run around the suites.
 */
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <kunit/test.h>
#include <linux/rcupdate.h>

int kunit_shim_module_init(void);
void kunit_shim_module_exit(void);

#define MAX_SUITES	64

static struct kunit_suite *suites[MAX_SUITES];
static int nr_suites;

/* The running case, on its own thread: where assertions jump back to. */
static __thread struct kunit *current_test;
static __thread jmp_buf *current_abort;
static char skip_reason[256];

struct kunit_action {
	kunit_action_t *fn;
	void *ctx;
	struct kunit_action *next;
};

void kunit_shim_register(struct kunit_suite *const *s, int n)
{
	while (n--) {
		if (nr_suites == MAX_SUITES) {
			fprintf(stderr, "kunit shim: too many suites\n");
			abort();
		}
		suites[nr_suites++] = *s++;
	}
}

void kunit_shim_fail(struct kunit *test, enum kunit_assert_type type,
		     const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	test->failed = true;
	/* KUnit's own words for it. */
	printf("    # %s: %s FAILED at %s:%d\n    ", test->name,
	       type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION",
	       file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (type != KUNIT_ASSERTION)
		return;
	if (test != current_test) {
		fprintf(stderr, "kunit shim: assertion outside its case's thread\n");
		abort();
	}
	longjmp(*current_abort, 1);
}

void kunit_skip(struct kunit *test, const char *fmt, ...)
{
	static __thread char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	test->skip_reason = reason;
	longjmp(*current_abort, 1);
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *fn,
			      void *ctx)
{
	struct kunit_action *a = malloc(sizeof(*a));

	if (!a) {
		fn(ctx);
		return -ENOMEM;
	}
	a->fn = fn;
	a->ctx = ctx;
	a->next = test->actions;
	test->actions = a;
	return 0;
}

static void kunit_kfree_action(void *p)
{
	kfree(p);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	void *p = kmalloc_array(n, size, gfp);

	if (p && kunit_add_action_or_reset(test, kunit_kfree_action, p))
		return NULL;
	return p;
}

static void run_actions(struct kunit *test)
{
	struct kunit_action *a;

	while ((a = test->actions)) {
		test->actions = a->next;
		a->fn(a->ctx);
		free(a);
	}
}

enum status { PASS, FAIL, SKIP };

static const char *const directive[] = { "", "", " # SKIP " };

/* One case, or one parameter of it. */
static enum status run_one(struct kunit_suite *suite, struct kunit_case *c,
			   const char *name, const void *param)
{
	/* Static: nothing that setjmp() returns to lives in a register. */
	static struct kunit test;
	static jmp_buf abort_case;

	test = (struct kunit){ .name = name, .param_value = param };
	current_test = &test;
	current_abort = &abort_case;
	if (!setjmp(abort_case)) {
		if (suite->init && suite->init(&test))
			test.failed = true;
		else
			c->run_case(&test);
	}
	if (suite->exit)
		suite->exit(&test);
	run_actions(&test);
	current_test = NULL;
	if (test.failed)
		return FAIL;
	if (test.skip_reason) {
		snprintf(skip_reason, sizeof(skip_reason), "%s",
			 test.skip_reason);
		return SKIP;
	}
	return PASS;
}

static void print_result(const char *indent, enum status st, int nr,
			 const char *name)
{
	printf("%s%sok %d %s%s%s\n", indent, st == FAIL ? "not " : "", nr,
	       name, directive[st], st == SKIP ? skip_reason : "");
}

static enum status run_case(struct kunit_suite *suite, struct kunit_case *c,
			    int nr)
{
	char desc[KUNIT_PARAM_DESC_SIZE];
	enum status st = SKIP, one;
	const void *param;
	int i = 0;

	if (!c->generate_params) {
		st = run_one(suite, c, c->name, NULL);
	} else {
		printf("        KTAP version 1\n        # Subtest: %s\n",
		       c->name);
		desc[0] = 0;
		for (param = c->generate_params(NULL, desc); param;
		     param = c->generate_params(param, desc)) {
			one = run_one(suite, c, c->name, param);
			print_result("        ", one, ++i, desc);
			/* Any failure fails the case; all skipped skips it. */
			if (one == FAIL || st == FAIL)
				st = FAIL;
			else if (one == PASS)
				st = PASS;
			desc[0] = 0;
		}
	}
	print_result("    ", st, nr, c->name);
	fflush(stdout);
	return st;
}

static bool run_suite(struct kunit_suite *suite, int nr, int *count)
{
	struct kunit_case *c;
	bool ok = true;
	int n = 0;

	for (c = suite->test_cases; c->run_case; c++)
		n++;
	printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n",
	       suite->name, n);
	if (suite->suite_init && suite->suite_init(suite)) {
		printf("not ok %d %s # suite_init failed\n", nr, suite->name);
		return false;
	}
	for (c = suite->test_cases, n = 1; c->run_case; c++, n++) {
		enum status st = run_case(suite, c, n);

		count[st]++;
		ok &= st != FAIL;
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);
	printf("%sok %d %s\n", ok ? "" : "not ", nr, suite->name);
	return ok;
}

static bool selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (!fnmatch(argv[i], name, 0))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int i, n = 0, nr = 0, count[3] = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	rcu_register_thread();
	if (kunit_shim_module_init()) {
		printf("Bail out! module init failed\n");
		return 1;
	}
	for (i = 0; i < nr_suites; i++)
		n += selected(suites[i]->name, argc, argv);
	printf("KTAP version 1\n1..%d\n", n);
	for (i = 0; i < nr_suites; i++)
		if (selected(suites[i]->name, argc, argv))
			run_suite(suites[i], ++nr, count);
	kunit_shim_module_exit();
	rcu_unregister_thread();
	printf("# Totals: pass:%d fail:%d skip:%d total:%d\n", count[PASS],
	       count[FAIL], count[SKIP], count[PASS] + count[FAIL] + count[SKIP]);
	return count[FAIL] || !n ? 1 : 0;
}
