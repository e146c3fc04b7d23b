// SPDX-License-Identifier: GPL-2.0-only
/*
 * stats.c - statistics from the kernel's latency histograms.
 *
 * The kernel returns, per phase, count/sum/min/max in ns and a log2
 * histogram with 8 linear sub-buckets per power of two (layout in
 * dmastress_uapi.h, struct dmastress_hist). Percentiles are computed here:
 * find the bucket holding the requested rank, interpolate linearly inside
 * it (samples assumed spread evenly over the bucket), clamp to [min, max].
 * Floating point is used only for this arithmetic.
 */
#include <math.h>
#include <stdio.h>

#include "dmastress.h"

/* Buckets the layout can reach: the one of the largest u64 is the last. */
#define DMASTRESS_HIST_USED	((63 - 2) * 8 + 8)

/**
 * dmastress_hist_bucket() - bucket of a sample, as the kernel computes it
 * @ns: sample, ns
 *
 * Values 0..7 have their own bucket; a value with most significant bit m
 * (m >= 3) goes to bucket (m - 2) * 8 + ((v >> (m - 3)) & 7).
 *
 * Return: bucket index, < DMASTRESS_HIST_BUCKETS.
 */
unsigned int dmastress_hist_bucket(uint64_t ns)
{
	unsigned int m;

	if (ns < 8)
		return ns;
	m = 63 - __builtin_clzll(ns);
	return (m - 2) * 8 + ((ns >> (m - 3)) & 7);
}

/**
 * dmastress_hist_bucket_lo() - smallest value of a bucket
 * @b: bucket index
 *
 * Return: lower bound of bucket @b in ns (a double: the bound above the
 * last reachable bucket is 2^64).
 */
double dmastress_hist_bucket_lo(unsigned int b)
{
	unsigned int m, sub;

	if (b < 8)
		return b;
	m = b / 8 + 2;
	sub = b % 8;
	return ldexp(8 + sub, (int)m - 3);
}

/**
 * dmastress_hist_bucket_hi() - end of a bucket (exclusive)
 * @b: bucket index
 *
 * Return: the lower bound of bucket @b + 1, ns.
 */
double dmastress_hist_bucket_hi(unsigned int b)
{
	return dmastress_hist_bucket_lo(b + 1);
}

/**
 * dmastress_hist_percentile() - a percentile of a histogram
 * @h: histogram
 * @pct: percentile, 0 < @pct <= 100
 *
 * The rank pct/100 * samples is located in the cumulative bucket counts.
 * Inside that bucket the value is interpolated linearly from how far into
 * the bucket's samples the rank falls, between the bucket's first and last
 * value (lo and hi - 1: samples are whole ns) clamped to [@h->min_ns,
 * @h->max_ns]. Clamping the bounds, not only the result, keeps the estimate
 * right in the first and last bucket, which the samples rarely fill; a
 * bucket holding one distinct value reports that value.
 *
 * Return: the percentile in ns, 0 for an empty histogram.
 */
double dmastress_hist_percentile(const struct dmastress_hist *h, double pct)
{
	double total = 0, target, cum = 0, lo, hi;
	unsigned int b;

	for (b = 0; b < DMASTRESS_HIST_BUCKETS; b++)
		total += (double)h->buckets[b];
	if (total == 0 || pct <= 0)
		return 0;
	if (pct > 100)
		pct = 100;
	target = total * pct / 100.0;

	for (b = 0; b < DMASTRESS_HIST_BUCKETS; b++) {
		double n = (double)h->buckets[b];

		if (n == 0)
			continue;
		if (cum + n >= target) {
			lo = dmastress_hist_bucket_lo(b);
			hi = dmastress_hist_bucket_hi(b) - 1;
			if (lo < (double)h->min_ns)
				lo = (double)h->min_ns;
			if (hi > (double)h->max_ns)
				hi = (double)h->max_ns;
			if (hi < lo)	/* inconsistent min/max */
				hi = lo;
			return lo + (target - cum) / n * (hi - lo);
		}
		cum += n;
	}
	return (double)h->max_ns;
}

/**
 * dmastress_hist_stats() - the summary printed for one phase
 * @h: histogram
 * @s: filled with count, mean, percentiles, min and max, and the mean as
 *	dma_map_benchmark computes it: every sample truncated to 100 ns, the
 *	mean of those truncated to 100 ns again (its "average map latency")
 */
void dmastress_hist_stats(const struct dmastress_hist *h,
			  struct dmastress_stats *s)
{
	s->count = h->count;
	s->mean_ns = h->count ? (double)h->sum_ns / (double)h->count : 0;
	s->p50_ns = dmastress_hist_percentile(h, 50);
	s->p90_ns = dmastress_hist_percentile(h, 90);
	s->p99_ns = dmastress_hist_percentile(h, 99);
	s->p999_ns = dmastress_hist_percentile(h, 99.9);
	s->min_ns = h->min_ns;
	s->max_ns = h->max_ns;
	s->mb_mean_ns = h->count ? 100.0 * (double)(h->sum_100ns / h->count) : 0;
}

/**
 * dmastress_hist_check() - is a histogram self-consistent?
 * @h: histogram
 *
 * The bucket counts must add up to @h->count, no bucket past the last
 * reachable one may be used, and with samples, min <= max, no bucket
 * outside those of min and max may be used, those two must be non-empty and the sum must lie in
 * count * [min, max].
 *
 * Return: 0 when consistent, -1 otherwise (reason printed to stderr).
 */
int dmastress_hist_check(const struct dmastress_hist *h)
{
	uint64_t total = 0;
	unsigned int b;

	for (b = 0; b < DMASTRESS_HIST_BUCKETS; b++) {
		if (b >= DMASTRESS_HIST_USED && h->buckets[b]) {
			fprintf(stderr, "bucket %u is beyond the layout\n", b);
			return -1;
		}
		total += h->buckets[b];
	}
	if (total != h->count) {
		fprintf(stderr, "buckets hold %llu samples, count is %llu\n",
			(unsigned long long)total, (unsigned long long)h->count);
		return -1;
	}
	if (!h->count)
		return 0;
	if (h->min_ns > h->max_ns) {
		fprintf(stderr, "min_ns %llu > max_ns %llu\n",
			(unsigned long long)h->min_ns,
			(unsigned long long)h->max_ns);
		return -1;
	}
	for (b = 0; b < DMASTRESS_HIST_BUCKETS; b++) {
		if (h->buckets[b] && (b < dmastress_hist_bucket(h->min_ns) ||
				      b > dmastress_hist_bucket(h->max_ns))) {
			fprintf(stderr, "bucket %u is outside [min_ns %llu, max_ns %llu]\n",
				b, (unsigned long long)h->min_ns,
				(unsigned long long)h->max_ns);
			return -1;
		}
	}
	if (!h->buckets[dmastress_hist_bucket(h->min_ns)] ||
	    !h->buckets[dmastress_hist_bucket(h->max_ns)]) {
		fprintf(stderr, "the buckets of min_ns %llu or max_ns %llu are empty\n",
			(unsigned long long)h->min_ns,
			(unsigned long long)h->max_ns);
		return -1;
	}
	if ((double)h->sum_ns < (double)h->min_ns * (double)h->count ||
	    (double)h->sum_ns > (double)h->max_ns * (double)h->count) {
		fprintf(stderr, "sum_ns %llu is outside count * [min_ns, max_ns]\n",
			(unsigned long long)h->sum_ns);
		return -1;
	}
	return 0;
}
