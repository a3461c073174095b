/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of KUnit that secvec's suites use, so that the same
 * kunit/secvec_test_*.c files run as plain programs (lib/kunit.c is the
 * runner and prints KTAP, as KUnit does).
 *
 * As in KUnit: a failed KUNIT_EXPECT_*() marks the case failed and goes on;
 * a failed KUNIT_ASSERT_*() also ends the case (longjmp back to the
 * runner, which is what KUnit's try-catch does). Either prints the two
 * sides. Cleanup actions (kunit_add_action*, kunit_k*alloc) run when the
 * case ends, last added first. Assertions belong to the case's own thread.
 */
#ifndef _SHIM_KUNIT_TEST_H
#define _SHIM_KUNIT_TEST_H

#include <stdio.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>

#define KUNIT_PARAM_DESC_SIZE	128

enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

struct kunit_action;

struct kunit {
	const char *name;
	const void *param_value;
	bool failed;
	const char *skip_reason;
	struct kunit_action *actions;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)			{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen)					\
	{ .run_case = fn, .name = #fn, .generate_params = gen }

/* KUnit's definition. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ?				\
			((typeof(__next))prev) + 1 : (array);			\
		if (__next - (array) < ARRAY_SIZE((array))) {			\
			void (*__get_desc)(typeof(__next), char *) = get_desc;	\
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}

void kunit_shim_register(struct kunit_suite *const *suites, int n);

#define __kunit_test_suites(id, ...)					\
	static struct kunit_suite *const id##_suites[] = { __VA_ARGS__ }; \
	__attribute__((constructor)) static void id##_register(void)	\
	{								\
		kunit_shim_register(id##_suites, ARRAY_SIZE(id##_suites)); \
	}								\
	struct kunit_shim_swallow_semicolon
#define ___kunit_test_suites(id, ...)	__kunit_test_suites(id, __VA_ARGS__)
#define kunit_test_suites(...)						\
	___kunit_test_suites(__PASTE(kunit_shim_, __COUNTER__), __VA_ARGS__)
#define ___PASTE(a, b)			a##b
#define __PASTE(a, b)			___PASTE(a, b)

/* Ends the case if @type is KUNIT_ASSERTION. */
void __printf(5, 6) kunit_shim_fail(struct kunit *test,
				    enum kunit_assert_type type,
				    const char *file, int line,
				    const char *fmt, ...);

#define KUNIT_FAIL_ASSERTION(test, type, fmt, ...)			\
	kunit_shim_fail(test, type, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

/*
 * KUnit compares in the types given, as C does (the kernel builds without
 * -Wsign-compare); values print as integers.
 */
#define KUNIT_BINARY_ASSERTION(test, type, left, op, right, fmt, ...) do { \
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"")		\
	__auto_type __left = (left);					\
	__auto_type __right = (right);					\
	if (!(__left op __right))					\
		KUNIT_FAIL_ASSERTION(test, type,			\
			"Expected %s %s %s, but\n"			\
			"        %s == %lld (0x%llx)\n"			\
			"        %s == %lld (0x%llx)" fmt,		\
			#left, #op, #right,				\
			#left, (long long)__left,			\
			(unsigned long long)__left,			\
			#right, (long long)__right,			\
			(unsigned long long)__right, ##__VA_ARGS__);	\
	_Pragma("GCC diagnostic pop")					\
} while (0)

#define KUNIT_TRUE_ASSERTION(test, type, cond, expect, fmt, ...) do {	\
	if ((bool)(cond) != (expect))				\
		KUNIT_FAIL_ASSERTION(test, type, "Expected %s to be %s" fmt, \
				     #cond, (expect) ? "true" : "false", \
				     ##__VA_ARGS__);			\
} while (0)

#define KUNIT_NULL_ASSERTION(test, type, ptr, null, fmt, ...) do {	\
	const void *__ptr = (ptr);					\
	if ((__ptr == NULL) != (null))				\
		KUNIT_FAIL_ASSERTION(test, type, "Expected %s %s NULL" fmt, \
				     #ptr, (null) ? "==" : "!=",	\
				     ##__VA_ARGS__);			\
} while (0)

#define __KUNIT_MSG(fmt)		"\n        " fmt

/* KUNIT_{EXPECT,ASSERT}_{EQ,NE,LT,LE,GT,GE}[_MSG] */
#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, "")
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, "")
#define KUNIT_EXPECT_LT(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, <, r, "")
#define KUNIT_EXPECT_LE(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, <=, r, "")
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, >, r, "")
#define KUNIT_EXPECT_GE(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, >=, r, "")
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, "")
#define KUNIT_ASSERT_NE(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, "")
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, <, r, "")
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, <=, r, "")
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, >, r, "")
#define KUNIT_ASSERT_GE(t, l, r)	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, >=, r, "")

#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, ==, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, !=, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, <, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_EXPECTATION, l, >=, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, ==, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, !=, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, fmt, ...)				\
	KUNIT_BINARY_ASSERTION(t, KUNIT_ASSERTION, l, >=, r, __KUNIT_MSG(fmt), ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_TRUE_ASSERTION(t, KUNIT_EXPECTATION, c, true, "")
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_TRUE_ASSERTION(t, KUNIT_EXPECTATION, c, false, "")
#define KUNIT_ASSERT_TRUE(t, c)		KUNIT_TRUE_ASSERTION(t, KUNIT_ASSERTION, c, true, "")
#define KUNIT_ASSERT_FALSE(t, c)	KUNIT_TRUE_ASSERTION(t, KUNIT_ASSERTION, c, false, "")
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)				\
	KUNIT_TRUE_ASSERTION(t, KUNIT_EXPECTATION, c, true, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...)				\
	KUNIT_TRUE_ASSERTION(t, KUNIT_EXPECTATION, c, false, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...)				\
	KUNIT_TRUE_ASSERTION(t, KUNIT_ASSERTION, c, true, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(t, c, fmt, ...)				\
	KUNIT_TRUE_ASSERTION(t, KUNIT_ASSERTION, c, false, __KUNIT_MSG(fmt), ##__VA_ARGS__)

#define KUNIT_EXPECT_NULL(t, p)		KUNIT_NULL_ASSERTION(t, KUNIT_EXPECTATION, p, true, "")
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_NULL_ASSERTION(t, KUNIT_EXPECTATION, p, false, "")
#define KUNIT_ASSERT_NULL(t, p)		KUNIT_NULL_ASSERTION(t, KUNIT_ASSERTION, p, true, "")
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_NULL_ASSERTION(t, KUNIT_ASSERTION, p, false, "")
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, fmt, ...)			\
	KUNIT_NULL_ASSERTION(t, KUNIT_ASSERTION, p, false, __KUNIT_MSG(fmt), ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(t, l, r)					\
	KUNIT_TRUE_ASSERTION(t, KUNIT_EXPECTATION, (l) == (r), true, "")

#define KUNIT_SUCCEED(t)		do { } while (0)
#define KUNIT_FAIL(t, fmt, ...)						\
	KUNIT_FAIL_ASSERTION(t, KUNIT_EXPECTATION, fmt, ##__VA_ARGS__)
#define KUNIT_FAIL_AND_ABORT(t, fmt, ...)				\
	KUNIT_FAIL_ASSERTION(t, KUNIT_ASSERTION, fmt, ##__VA_ARGS__)

/* Ends the case as skipped, as KUnit's kunit_skip(). */
void __printf(2, 3) kunit_skip(struct kunit *test, const char *fmt, ...);

typedef void (kunit_action_t)(void *ctx);

/* 0, or runs @action(@ctx) at once and returns -ENOMEM. */
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx);
#define kunit_add_action(test, action, ctx)				\
	kunit_add_action_or_reset(test, action, ctx)

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
#define kunit_kmalloc(test, size, gfp)	kunit_kmalloc_array(test, 1, size, gfp)
#define kunit_kzalloc(test, size, gfp)					\
	kunit_kmalloc(test, size, (gfp) | __GFP_ZERO)
#define kunit_kcalloc(test, n, size, gfp)				\
	kunit_kmalloc_array(test, n, size, (gfp) | __GFP_ZERO)

#define kunit_info(test, fmt, ...)					\
	printf("    # %s: " fmt, (test)->name, ##__VA_ARGS__)
#define kunit_warn	kunit_info
#define kunit_err	kunit_info

#endif
