/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one PRNG of secvec's userspace test programs (the selftests,
 * tools/lincheck, secvecctl stress): splitmix64, from Steele, Lea and
 * Flood, "Fast Splittable Pseudorandom Number Generators" (OOPSLA 2014).
 * Its state is one 64-bit word, every value of which (0 included) starts a
 * stream of period 2^64, and all 64 bits of each output are usable, so
 * secvec_rand_below() may reduce with %. Not cryptographic, and not for
 * kernel code: KUnit uses prandom_u32_state().
 *
 * A program that prints a seed for replay sets its state to that seed.
 * Threads each own a state: secvec_rand_seed(base, i) gives thread i a
 * start that does not overlap another thread's stream (plain multiples of
 * one constant would, as splitmix64 steps by a constant).
 */
#ifndef SECVEC_RAND_H
#define SECVEC_RAND_H

#include <linux/types.h>

#define SECVEC_RAND_GAMMA	0x9e3779b97f4a7c15ULL

static inline __u64 secvec_rand_mix(__u64 z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline __u64 secvec_rand(__u64 *state)
{
	return secvec_rand_mix(*state += SECVEC_RAND_GAMMA);
}

/* Uniform in [0, n) up to a bias of n / 2^64; n > 0. */
static inline __u64 secvec_rand_below(__u64 *state, __u64 n)
{
	return secvec_rand(state) % n;
}

/* The state for stream @stream (a thread's index) of the seed @base. */
static inline __u64 secvec_rand_seed(__u64 base, unsigned int stream)
{
	return secvec_rand_mix(base + SECVEC_RAND_GAMMA * (stream + 1ULL));
}

#endif /* SECVEC_RAND_H */
