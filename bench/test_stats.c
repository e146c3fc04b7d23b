// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_stats.c - host unit test of stats.c ("make -C bench check").
 *
 * Histograms are filled with an independent copy of the bucket formula
 * documented in dmastress_uapi.h (struct dmastress_hist), from sample sets
 * whose exact percentiles are known. The estimates of stats.c must land in
 * the bucket of the exact value and, for evenly spread samples, within 2 ns
 * of it. The same checks are then applied to two deliberately wrong
 * estimators (bucket lower bound, bucket midpoint) and must catch both, so
 * the checks are shown to be able to fail. Output is KTAP.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmastress.h"

/* The documented layout, written out again rather than shared. */
static unsigned int ref_bucket(uint64_t v)
{
	unsigned int m = 0;
	uint64_t t = v;

	if (v < 8)
		return v;
	while (t >>= 1)
		m++;
	return (m - 2) * 8 + ((v >> (m - 3)) & 7);
}

static void ref_hist_add(struct dmastress_hist *h, uint64_t v)
{
	if (!h->count || v < h->min_ns)
		h->min_ns = v;
	if (v > h->max_ns)
		h->max_ns = v;
	h->count++;
	h->sum_ns += v;
	h->sum_100ns += v / 100;
	h->buckets[ref_bucket(v)]++;
}

typedef double (*estimator_t)(const struct dmastress_hist *h, double pct);

/* Wrong on purpose: the bucket's lower bound. */
static double est_lower_bound(const struct dmastress_hist *h, double pct)
{
	double target, cum = 0;
	unsigned int b;

	target = (double)h->count * pct / 100.0;
	for (b = 0; b < DMASTRESS_HIST_BUCKETS; b++) {
		cum += (double)h->buckets[b];
		if (h->buckets[b] && cum >= target)
			return dmastress_hist_bucket_lo(b);
	}
	return 0;
}

/* Wrong on purpose: the bucket's midpoint, no interpolation. */
static double est_midpoint(const struct dmastress_hist *h, double pct)
{
	double target, cum = 0;
	unsigned int b;

	target = (double)h->count * pct / 100.0;
	for (b = 0; b < DMASTRESS_HIST_BUCKETS; b++) {
		cum += (double)h->buckets[b];
		if (h->buckets[b] && cum >= target)
			return (dmastress_hist_bucket_lo(b) +
				dmastress_hist_bucket_hi(b)) / 2;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static uint64_t exact_pct(const uint64_t *sorted, size_t n, double pct)
{
	size_t rank = (size_t)ceil((double)n * pct / 100.0);

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* Deterministic samples (splitmix64). */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int test_nr;
static unsigned int test_failed;

static void report(int ok, const char *fmt, const char *name)
{
	test_nr++;
	if (!ok)
		test_failed++;
	printf("%s %u - %s%s\n", ok ? "ok" : "not ok", test_nr, fmt, name);
}

/*
 * Check @est on one sample set: every percentile inside the exact value's
 * bucket [lo, hi] and, when @tol_ns >= 0, within @tol_ns of it. Returns
 * the number of violations (printed as diagnostics when @verbose).
 */
static int check_set(estimator_t est, uint64_t *samples, size_t n,
		     double tol_ns, int verbose)
{
	static const double pcts[] = { 50, 90, 99, 99.9 };
	struct dmastress_hist *h = calloc(1, sizeof(*h));
	unsigned int i;
	int bad = 0;
	size_t k;

	if (!h)
		return 1;
	for (k = 0; k < n; k++)
		ref_hist_add(h, samples[k]);
	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		uint64_t exact = exact_pct(samples, n, pcts[i]);
		unsigned int b = ref_bucket(exact);
		double lo = dmastress_hist_bucket_lo(b);
		double hi = dmastress_hist_bucket_hi(b);
		double v = est(h, pcts[i]);

		if (v < lo || v > hi ||
		    (tol_ns >= 0 && fabs(v - (double)exact) > tol_ns)) {
			if (verbose)
				printf("# p%g: got %.2f, exact %llu, bucket [%.0f, %.0f)\n",
				       pcts[i], v, (unsigned long long)exact, lo,
				       hi);
			bad++;
		}
	}
	free(h);
	return bad;
}

/* Sample sets; fill @s (room for @max) and return the count. */
static size_t set_uniform(uint64_t *s, size_t max)
{
	size_t i, n = 1000;

	for (i = 0; i < n && i < max; i++)
		s[i] = 1000 + i;	/* 1000..1999, one each */
	return i;
}

static size_t set_small(uint64_t *s, size_t max)
{
	size_t i;

	for (i = 0; i < 16 && i < max; i++)
		s[i] = i;		/* width-1 buckets: must be exact */
	return i;
}

static size_t set_bimodal(uint64_t *s, size_t max)
{
	size_t i;

	for (i = 0; i < 10000 && i < max; i++)
		s[i] = i < 9000 ? 200 + i % 50 : 50000 + (i % 1000) * 7;
	return i;
}

static size_t set_log_spread(uint64_t *s, size_t max)
{
	uint64_t st = 0x1234;
	size_t i;

	/* 100 ns .. ~100 us, log-uniform-ish */
	for (i = 0; i < 20000 && i < max; i++)
		s[i] = 100 + (rng_next(&st) >> (64 - 10 - (rng_next(&st) % 11)));
	return i;
}

static size_t set_dense_uniform(uint64_t *s, size_t max)
{
	uint64_t st = 42;
	size_t i;

	for (i = 0; i < 50000 && i < max; i++)
		s[i] = 10000 + rng_next(&st) % 20000;
	return i;
}

#define MAX_SAMPLES 50000

static const struct {
	const char *name;
	size_t (*fill)(uint64_t *s, size_t max);
	double tol_ns;		/* < 0: bucket bounds only */
} sets[] = {
	{ "uniform 1000..1999", set_uniform, 2 },
	{ "values 0..15", set_small, 0 },
	{ "bimodal 90/10", set_bimodal, -1 },
	{ "log spread", set_log_spread, -1 },
	{ "dense uniform 10000..29999", set_dense_uniform, 40 },
};

#define NR_SETS (sizeof(sets) / sizeof(sets[0]))

static void test_bucket_formula(void)
{
	uint64_t v, bad = 0;
	unsigned int sh;

	for (v = 0; v < 200000; v++) {
		unsigned int b = dmastress_hist_bucket(v);

		if (b != ref_bucket(v) || dmastress_hist_bucket_lo(b) > v ||
		    dmastress_hist_bucket_hi(b) <= v)
			bad++;
	}
	for (sh = 3; sh < 64; sh++) {
		uint64_t p = 1ULL << sh, c[3] = { p - 1, p, p + 1 };
		unsigned int k;

		for (k = 0; k < 3; k++) {
			unsigned int b = dmastress_hist_bucket(c[k]);

			if (b != ref_bucket(c[k]) || b >= DMASTRESS_HIST_BUCKETS ||
			    dmastress_hist_bucket_lo(b) > (double)c[k])
				bad++;
		}
	}
	if (dmastress_hist_bucket(UINT64_MAX) != ref_bucket(UINT64_MAX) ||
	    dmastress_hist_bucket(UINT64_MAX) >= DMASTRESS_HIST_BUCKETS)
		bad++;
	if (dmastress_hist_bucket(1000) != 63 ||
	    dmastress_hist_bucket_lo(63) != 960 ||
	    dmastress_hist_bucket_hi(63) != 1024)
		bad++;
	report(!bad, "bucket formula matches the UAPI layout", "");
}

static void test_edge_cases(void)
{
	struct dmastress_hist *h = calloc(1, sizeof(*h));
	struct dmastress_stats s;
	int i, ok;

	if (!h) {
		report(0, "allocation", "");
		return;
	}
	report(dmastress_hist_percentile(h, 50) == 0 && !dmastress_hist_check(h),
	       "empty histogram gives 0", "");

	for (i = 0; i < 1000; i++)
		ref_hist_add(h, 1000);
	dmastress_hist_stats(h, &s);
	ok = s.p50_ns == 1000 && s.p99_ns == 1000 && s.p999_ns == 1000 &&
	     s.mean_ns == 1000 && s.min_ns == 1000 && s.max_ns == 1000;
	report(ok, "constant samples clamp to the value", "");
	report(!dmastress_hist_check(h), "consistent histogram passes the check", "");

	h->count++;
	report(dmastress_hist_check(h) != 0, "count off by one is caught", "");
	h->count--;
	h->buckets[ref_bucket(1000)]--;
	h->buckets[ref_bucket(5000)]++;
	report(dmastress_hist_check(h) != 0, "sample outside [min, max] is caught", "");
	free(h);
}

int main(void)
{
	uint64_t *s = malloc(MAX_SAMPLES * sizeof(*s));
	unsigned int i;

	if (!s)
		return 1;
	printf("KTAP version 1\n1..%zu\n", 6 + NR_SETS + 2);
	test_bucket_formula();
	test_edge_cases();

	for (i = 0; i < NR_SETS; i++) {
		size_t n = sets[i].fill(s, MAX_SAMPLES);

		report(check_set(dmastress_hist_percentile, s, n,
				 sets[i].tol_ns, 1) == 0,
		       "percentiles of ", sets[i].name);
	}

	/* The checks must reject estimators that do not interpolate. */
	{
		int lo_bad = 0, mid_bad = 0;

		for (i = 0; i < NR_SETS; i++) {
			size_t n = sets[i].fill(s, MAX_SAMPLES);

			lo_bad += check_set(est_lower_bound, s, n,
					    sets[i].tol_ns, 0);
			n = sets[i].fill(s, MAX_SAMPLES);
			mid_bad += check_set(est_midpoint, s, n,
					     sets[i].tol_ns, 0);
		}
		report(lo_bad > 0, "checks catch a lower-bound estimator", "");
		report(mid_bad > 0, "checks catch a midpoint estimator", "");
	}
	free(s);
	printf("# Totals: pass:%u fail:%u\n", test_nr - test_failed, test_failed);
	return test_failed ? 1 : 0;
}
