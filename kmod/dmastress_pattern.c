// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_pattern.c - position-encoded data pattern and guard bytes
 *
 * The pattern is dmastress_pattern() from the UAPI header, so user space
 * checks mmap views with the same function. Every run derives a fresh seed
 * per operation, so a stale copy from an earlier operation does not match.
 * Guards use a fixed position-encoded fill of their own.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "dmastress.h"

/* Bytes between cond_resched() calls in long fills and checks. */
#define DMASTRESS_PATTERN_STEP	SZ_1M

static inline u8 dmastress_guard_byte(size_t i)
{
	return 0xa5 ^ (u8)(i * 0x1f);
}

/**
 * dmastress_pattern_byte() - the pattern byte at a buffer offset
 * @seed: pattern seed
 * @offset: byte offset from the start of the buffer
 *
 * Any context.
 *
 * Return: dmastress_pattern(@seed, @offset).
 */
u8 dmastress_pattern_byte(u32 seed, u64 offset)
{
	return dmastress_pattern(seed, offset);
}

/**
 * dmastress_pattern_fill() - write the pattern
 * @buf: kernel virtual address of the bytes at pattern offset @offset
 * @len: bytes to write
 * @seed: pattern seed
 * @offset: pattern offset of @buf[0], bytes (a segment's place in the buffer)
 *
 * Process context (calls cond_resched() every MiB). Gives up, the rest
 * unwritten, when dmastress_stopping().
 */
void dmastress_pattern_fill(void *buf, size_t len, u32 seed, u64 offset)
{
	u8 *p = buf;
	u32 x = dmastress_pattern_word(seed, offset >> 2);
	size_t i;

	for (i = 0; i < len; i++) {
		u64 off = offset + i;

		if (!(off & 3)) {
			x = dmastress_pattern_word(seed, off >> 2);
			if (!(i % DMASTRESS_PATTERN_STEP) && i) {
				if (dmastress_stopping())
					return;
				cond_resched();
			}
		}
		p[i] = dmastress_pattern_wbyte(x, off & 3);
	}
}

/**
 * dmastress_pattern_check() - compare bytes to the pattern
 * @buf: kernel virtual address of the bytes at pattern offset @offset
 * @len: bytes to compare
 * @seed: pattern seed
 * @offset: pattern offset of @buf[0], bytes
 * @v: accumulates: @v->mismatches grows by the bytes that differ; the first
 *	difference is recorded only while @v->mismatches is still 0, so one
 *	zeroed @v can collect several segments of a buffer in order
 *
 * Process context (calls cond_resched() every MiB). Gives up, the rest
 * unchecked, when dmastress_stopping(): only for a run that ends
 * with -EINTR or -ENODEV, whose counters nobody reads as a verdict.
 */
void dmastress_pattern_check(const void *buf, size_t len, u32 seed, u64 offset,
			     struct dmastress_verify *v)
{
	const u8 *p = buf;
	u32 x = dmastress_pattern_word(seed, offset >> 2);
	size_t i;

	for (i = 0; i < len; i++) {
		u64 off = offset + i;
		u8 want;

		if (!(off & 3)) {
			x = dmastress_pattern_word(seed, off >> 2);
			if (!(i % DMASTRESS_PATTERN_STEP) && i) {
				if (dmastress_stopping())
					return;
				cond_resched();
			}
		}
		want = dmastress_pattern_wbyte(x, off & 3);
		if (likely(p[i] == want))
			continue;
		if (!v->mismatches) {
			v->first_offset = off;
			v->first_expected = want;
			v->first_actual = p[i];
		}
		v->mismatches++;
	}
}

/**
 * dmastress_guard_fill() - write the guard fill
 * @buf: start of a guard region
 * @len: its length, bytes
 *
 * Any context.
 */
void dmastress_guard_fill(void *buf, size_t len)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = dmastress_guard_byte(i);
}

/**
 * dmastress_guard_check() - count changed guard bytes
 * @buf: start of a guard region filled by dmastress_guard_fill()
 * @len: its length, bytes
 *
 * Any context.
 *
 * Return: bytes that no longer hold the guard fill.
 */
u64 dmastress_guard_check(const void *buf, size_t len)
{
	const u8 *p = buf;
	u64 bad = 0;
	size_t i;

	for (i = 0; i < len; i++)
		bad += p[i] != dmastress_guard_byte(i);
	return bad;
}
