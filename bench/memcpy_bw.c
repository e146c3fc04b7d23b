// SPDX-License-Identifier: GPL-2.0-only
/*
 * memcpy_bw.c - the guest's own memcpy bandwidth, the limit the cpu engine's
 * bandwidth is compared with (bench/run, bandwidth.csv memcpy_mib_s).
 *
 * usage: memcpy_bw [-t SECONDS] SIZE...
 *
 * For each SIZE (bytes, 1..1 GiB) copies one page-aligned buffer of that size
 * into another, over and over, with three copy loops: the C library's
 * memcpy(), "rep movsq" and "rep movsb" (x86-64 memcpy() in 6.12 with
 * FSRM; without FSRM, as on QEMU's default CPU, the kernel copies with an
 * unrolled 8-byte loop, memcpy_orig, which this program does not time).
 * Each runs 5 rounds of SECONDS / 15 (default 0.5 s for all three) and
 * counts its median round. Prints
 * "size_bytes,memcpy_mib_s,libc_mib_s,movsq_mib_s,movsb_mib_s", where
 * memcpy_mib_s is the best of the three: the fastest copy this CPU does, the
 * limit a software bus-master in the kernel can approach. Both buffers are
 * touched first, so page faults are not timed. Built statically for the
 * guest (bench/lib.sh); no dependency beyond libc.
 *
 * Exit: 0 ok, 1 allocation failure, 2 bad command line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MEMCPY_BW_ROUNDS	5
#define MEMCPY_BW_MAX_BYTES	(1ULL << 30)

enum memcpy_bw_method {
	MEMCPY_BW_LIBC,
	MEMCPY_BW_MOVSQ,
	MEMCPY_BW_MOVSB,
	MEMCPY_BW_NR_METHODS,
};

static double memcpy_bw_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int memcpy_bw_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void memcpy_bw_copy(enum memcpy_bw_method m, unsigned char *dst,
			   const unsigned char *src, size_t size)
{
#if defined(__x86_64__)
	size_t n;

	switch (m) {
	case MEMCPY_BW_MOVSQ:
		n = size / 8;
		__asm__ __volatile__("rep movsq"
				     : "+D"(dst), "+S"(src), "+c"(n)
				     : : "memory");
		n = size % 8;
		__asm__ __volatile__("rep movsb"
				     : "+D"(dst), "+S"(src), "+c"(n)
				     : : "memory");
		return;
	case MEMCPY_BW_MOVSB:
		n = size;
		__asm__ __volatile__("rep movsb"
				     : "+D"(dst), "+S"(src), "+c"(n)
				     : : "memory");
		return;
	default:
		break;
	}
#endif
	memcpy(dst, src, size);
}

/* Median MiB/s of method @m over MEMCPY_BW_ROUNDS rounds of @round_ns. */
static double memcpy_bw_rate(enum memcpy_bw_method m, unsigned char *dst,
			     const unsigned char *src, size_t size,
			     double round_ns)
{
	double rate[MEMCPY_BW_ROUNDS];
	unsigned int r;

	for (r = 0; r < MEMCPY_BW_ROUNDS; r++) {
		double start = memcpy_bw_now_ns(), elapsed;
		uint64_t copies = 0;

		do {
			memcpy_bw_copy(m, dst, src, size);
			/* Keep the compiler from dropping or merging copies. */
			__asm__ __volatile__("" : : "r"(dst) : "memory");
			copies++;
			elapsed = memcpy_bw_now_ns() - start;
		} while (elapsed < round_ns);
		rate[r] = (double)size * copies / elapsed * 1e9 / (1024.0 * 1024.0);
	}
	qsort(rate, MEMCPY_BW_ROUNDS, sizeof(rate[0]), memcpy_bw_cmp);
	return rate[MEMCPY_BW_ROUNDS / 2];
}

/* MiB/s of each method, MEMCPY_BW_ROUNDS rounds of @round_ns each. */
static int memcpy_bw_measure(size_t size, double round_ns,
			     double mib_s[MEMCPY_BW_NR_METHODS])
{
	unsigned char *src, *dst;
	unsigned int m;

	src = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);
	dst = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);
	if (!src || !dst) {
		free(src);
		free(dst);
		return -1;
	}
	memset(src, 0x5a, size);
	memset(dst, 0xa5, size);

	for (m = 0; m < MEMCPY_BW_NR_METHODS; m++)
		mib_s[m] = memcpy_bw_rate(m, dst, src, size, round_ns);
	free(src);
	free(dst);
	return 0;
}

static void memcpy_bw_usage(void)
{
	fprintf(stderr, "usage: memcpy_bw [-t SECONDS] SIZE...\n");
}

int main(int argc, char **argv)
{
	double seconds = 0.5;
	int i = 1;

	if (i + 1 < argc && !strcmp(argv[i], "-t")) {
		char *end;

		seconds = strtod(argv[i + 1], &end);
		if (*end || !(seconds > 0 && seconds <= 60)) {
			memcpy_bw_usage();
			return 2;
		}
		i += 2;
	}
	if (i >= argc) {
		memcpy_bw_usage();
		return 2;
	}
	printf("size_bytes,memcpy_mib_s,libc_mib_s,movsq_mib_s,movsb_mib_s\n");
	for (; i < argc; i++) {
		double mib_s[MEMCPY_BW_NR_METHODS], best = 0;
		unsigned long long size;
		unsigned int m;
		char *end;

		size = strtoull(argv[i], &end, 0);
		if (*end || size == 0 || size > MEMCPY_BW_MAX_BYTES) {
			fprintf(stderr, "memcpy_bw: bad size '%s'\n", argv[i]);
			return 2;
		}
		if (memcpy_bw_measure(size, seconds * 1e9 /
				      (MEMCPY_BW_ROUNDS * MEMCPY_BW_NR_METHODS),
				      mib_s)) {
			fprintf(stderr, "memcpy_bw: cannot allocate %llu bytes\n",
				size);
			return 1;
		}
		for (m = 0; m < MEMCPY_BW_NR_METHODS; m++)
			if (mib_s[m] > best)
				best = mib_s[m];
		printf("%llu,%.1f,%.1f,%.1f,%.1f\n", size, best,
		       mib_s[MEMCPY_BW_LIBC], mib_s[MEMCPY_BW_MOVSQ],
		       mib_s[MEMCPY_BW_MOVSB]);
		fflush(stdout);
	}
	return 0;
}
