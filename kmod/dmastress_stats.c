// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_stats.c - latency histograms and timer calibration
 *
 * Every phase sample is a ktime_get_ns() difference in ns. Histograms are
 * integer only; user space computes percentiles and means. The cost of one
 * timed region around nothing (two back-to-back ktime_get_ns() calls) is
 * measured once at load and reported, so user space can subtract it.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "dmastress.h"

#define DMASTRESS_CALIB_PAIRS	100000
#define DMASTRESS_CALIB_ROUNDS	5
/* Pairs timed with preemption off at a time, so a round never hogs a CPU. */
#define DMASTRESS_CALIB_CHUNK	1000

static u64 dmastress_timer_ps;

/**
 * dmastress_hist_bucket() - histogram bucket of a sample
 * @ns: the sample, ns
 *
 * Values 0..7 have their own bucket; a value with most significant bit m
 * (m >= 3) goes to bucket (m - 2) * 8 + the three bits below the top one,
 * as documented for &struct dmastress_hist. Any context.
 *
 * Return: the bucket index, < DMASTRESS_HIST_BUCKETS.
 */
unsigned int dmastress_hist_bucket(u64 ns)
{
	unsigned int m;

	if (ns < (1U << DMASTRESS_HIST_SUB_BITS))
		return ns;
	m = fls64(ns) - 1;
	return ((m - 2) << DMASTRESS_HIST_SUB_BITS) +
	       ((ns >> (m - DMASTRESS_HIST_SUB_BITS)) &
		((1U << DMASTRESS_HIST_SUB_BITS) - 1));
}

/**
 * dmastress_hist_init() - empty a histogram
 * @h: the histogram
 *
 * Any context.
 */
void dmastress_hist_init(struct dmastress_hist *h)
{
	memset(h, 0, sizeof(*h));
}

/**
 * dmastress_hist_add() - add one sample
 * @h: the histogram, owned by the caller (no locking: one per thread)
 * @ns: the sample, ns
 *
 * Any context.
 */
void dmastress_hist_add(struct dmastress_hist *h, u64 ns)
{
	if (!h->count || ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->count++;
	h->sum_ns += ns;
	h->sum_100ns += div_u64(ns, 100);
	h->buckets[dmastress_hist_bucket(ns)]++;
}

/**
 * dmastress_hist_merge() - add the samples of one histogram to another
 * @dst: the sum
 * @src: a histogram to add; an empty one changes nothing
 *
 * Any context; the caller keeps both from changing meanwhile.
 */
void dmastress_hist_merge(struct dmastress_hist *dst,
			  const struct dmastress_hist *src)
{
	unsigned int i;

	if (!src->count)
		return;
	if (!dst->count || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	dst->max_ns = max(dst->max_ns, src->max_ns);
	dst->count += src->count;
	dst->sum_ns += src->sum_ns;
	dst->sum_100ns += src->sum_100ns;
	for (i = 0; i < DMASTRESS_HIST_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
}

/* One round: the mean duration of an empty timed region, in ps. */
static u64 dmastress_timer_round_ps(void)
{
	u64 sum = 0, t0, t1;
	unsigned int i, j;

	for (i = 0; i < DMASTRESS_CALIB_PAIRS / DMASTRESS_CALIB_CHUNK; i++) {
		preempt_disable();
		for (j = 0; j < DMASTRESS_CALIB_CHUNK; j++) {
			t0 = ktime_get_ns();
			t1 = ktime_get_ns();
			sum += t1 - t0;
		}
		preempt_enable();
		cond_resched();
	}
	return div_u64(sum * 1000, DMASTRESS_CALIB_PAIRS);
}

/**
 * dmastress_timer_calibrate() - measure the cost of a timed region
 *
 * Times DMASTRESS_CALIB_PAIRS back-to-back ktime_get_ns() pairs, keeps the
 * smallest mean of DMASTRESS_CALIB_ROUNDS rounds. That is what one phase
 * sample costs on top of the work it times. Process context, may sleep;
 * takes a few ms (longer under emulation).
 */
void dmastress_timer_calibrate(void)
{
	u64 best = U64_MAX;
	unsigned int r;

	for (r = 0; r < DMASTRESS_CALIB_ROUNDS; r++)
		best = min(best, dmastress_timer_round_ps());
	WRITE_ONCE(dmastress_timer_ps, best);
}

/**
 * dmastress_timer_overhead_ps() - result of dmastress_timer_calibrate()
 *
 * Any context.
 *
 * Return: the mean cost of one empty timed region, ps (0 before
 * calibration).
 */
u64 dmastress_timer_overhead_ps(void)
{
	return READ_ONCE(dmastress_timer_ps);
}
