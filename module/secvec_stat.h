/* SPDX-License-Identifier: GPL-2.0 */
/* secvec's per-CPU event counters (secvec_stat_read() sums them). */
#ifndef _SECVEC_STAT_H
#define _SECVEC_STAT_H

#include <linux/percpu.h>

#include "secvec.h"

struct secvec_stats {
	u64 n[SECVEC_NR_STATS];
};

DECLARE_PER_CPU(struct secvec_stats, secvec_stats);

static inline void secvec_stat_inc(enum secvec_stat stat)
{
	this_cpu_inc(secvec_stats.n[stat]);
}

static inline void secvec_stat_add(enum secvec_stat stat, u64 n)
{
	this_cpu_add(secvec_stats.n[stat], n);
}

#endif /* _SECVEC_STAT_H */
