/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzzers' reproducible generator (splitmix64): set rng to the seed, then draw. */
#ifndef VCDROM_FUZZ_RNG_H
#define VCDROM_FUZZ_RNG_H

#include <stdint.h>

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 to n - 1; 0 when n is 0 */
static uint32_t rnd_n(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

#endif
