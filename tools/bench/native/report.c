// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's output: a markdown table (median ops/s of the rounds,
 * and the ratio to the spinlock vector of the same workload and thread
 * count) and the same as JSON, with every sample.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const struct result *r)
{
	double s[r->nr ? r->nr : 1];

	if (!r->samples || !r->nr)
		return 0;
	memcpy(s, r->samples, r->nr * sizeof(*s));
	qsort(s, r->nr, sizeof(*s), cmp_double);
	return r->nr % 2 ? s[r->nr / 2] : (s[r->nr / 2 - 1] + s[r->nr / 2]) / 2;
}

/* The spinlock vector's median for @r's workload and thread count. */
static double baseline(const struct result *all, unsigned int n,
		       const struct result *r)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (all[i].threads == r->threads &&
		    !strcmp(all[i].workload, r->workload) &&
		    all[i].impl == &spinlock_impl)
			return median(&all[i]);
	return 0;
}

/* Rows are workload x threads; results come grouped that way. */
void report_table(const struct result *r, unsigned int n)
{
	unsigned int i, j, cols = 0;

	while (cols < n && r[cols].workload == r[0].workload &&
	       r[cols].threads == r[0].threads)
		cols++;
	printf("| workload | threads |");
	for (j = 0; j < cols; j++)
		printf(" %s Mops/s | vs spinlock |", r[j].impl->name);
	printf("\n|---|---:|");
	for (j = 0; j < cols; j++)
		printf("---:|---:|");
	printf("\n");
	for (i = 0; i + cols <= n; i += cols) {
		printf("| %s | %u |", r[i].workload, r[i].threads);
		for (j = i; j < i + cols; j++) {
			double m = median(&r[j]), b = baseline(r, n, &r[j]);

			if (!r[j].samples)
				printf(" n/a | n/a |");
			else
				printf(" %.2f | %.2fx |", m / 1e6, b ? m / b : 0);
		}
		printf("\n");
	}
}

int report_json(const char *path, const struct bench_info *info,
		const struct result *r, unsigned int n)
{
	FILE *f = fopen(path, "w");
	unsigned int i, k;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "{\n  \"benchmark\": \"secvec native (tools/testing/secvec)\",\n"
		"  \"unit\": \"ops/s\",\n  \"statistic\": \"median\",\n"
		"  \"baseline\": \"spinlock\",\n  \"ops_per_thread\": %lu,\n"
		"  \"runs\": %u,\n  \"cpus\": %ld,\n"
		"  \"loadavg_before\": \"%s\",\n  \"loadavg_after\": \"%s\",\n"
		"  \"results\": [", info->ops, info->runs, info->cpus,
		info->load_before, info->load_after);
	for (i = 0; i < n; i++) {
		double b = baseline(r, n, &r[i]);

		fprintf(f, "%s\n    { \"workload\": \"%s\", \"threads\": %u, "
			"\"impl\": \"%s\", ", i ? "," : "", r[i].workload,
			r[i].threads, r[i].impl->name);
		if (!r[i].samples) {
			fprintf(f, "\"ops_per_sec\": null, \"ratio_to_spinlock\": null, "
				"\"note\": \"n/a: no pop\" }");
			continue;
		}
		fprintf(f, "\"ops_per_sec\": %.0f, \"ratio_to_spinlock\": %.3f, "
			"\"samples\": [", median(&r[i]), b ? median(&r[i]) / b : 0);
		for (k = 0; k < r[i].nr; k++)
			fprintf(f, "%s%.0f", k ? ", " : "", r[i].samples[k]);
		fprintf(f, "] }");
	}
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) ? -1 : 0;
}
