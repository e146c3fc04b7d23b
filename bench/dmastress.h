/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress.h - shared declarations of the dmastress command-line tool:
 * exit codes, argument parsers, device access with messages, JSON helpers
 * and the histogram statistics (stats.c). The name tables, the ioctls and
 * the kernel state readers are the library's (libdmastress.h), shared with
 * the selftests.
 */
#ifndef DMASTRESS_BENCH_H
#define DMASTRESS_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libdmastress.h"

/* Exit codes, kselftest-compatible. */
#define DMASTRESS_EXIT_OK	0	/* ran, nothing wrong */
#define DMASTRESS_EXIT_FAIL	1	/* ran and found an error */
#define DMASTRESS_EXIT_USAGE	2	/* bad command line */
#define DMASTRESS_EXIT_SKIP	4	/* no device, or the kernel skipped */

/* One subcommand: "dmastress <name> ...". */
struct dmastress_cmd {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
};

int dmastress_info_main(int argc, char **argv);
int dmastress_run_main(int argc, char **argv);
int dmastress_selfcheck_main(int argc, char **argv);
int dmastress_stress_main(int argc, char **argv);
int dmastress_misuse_main(int argc, char **argv);
int dmastress_failnth_main(int argc, char **argv);

/* util.c: argument parsing. Each returns 0 or -1 after printing why. */
int dmastress_parse_u64(const char *opt, const char *s, uint64_t min,
			uint64_t max, uint64_t *out);
int dmastress_parse_u32(const char *opt, const char *s, uint32_t min,
			uint32_t max, uint32_t *out);
int dmastress_parse_size(const char *opt, const char *s, uint64_t min,
			 uint64_t max, uint64_t *out);
int dmastress_parse_name(const char *opt, const char *s,
			 const char *const *names, unsigned int nr,
			 uint32_t *out);
void dmastress_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* util.c: a name table of libdmastress.h in a help text. */
const char *dmastress_names_join(char *buf, size_t len,
				 const char *const *names, unsigned int nr,
				 const char *sep, unsigned int col);

/* util.c: device access, printing why it failed. */
int dmastress_open(const char *path);
int dmastress_get_info(int fd, const char *path, struct dmastress_info *info);
int dmastress_valid_device(const char *cmd, const char *path);

/* util.c: output helpers. */
void dmastress_json_str(FILE *f, const char *s);
double dmastress_mib_s(uint64_t bytes, double ns);

/* run.c: shared with selfcheck.c. */
void dmastress_run_print_errors(FILE *f, const char *prefix,
				const struct dmastress_run_result *r);

/* stats.c: the kernel's histogram layout and percentiles from it. */
unsigned int dmastress_hist_bucket(uint64_t ns);
double dmastress_hist_bucket_lo(unsigned int b);
double dmastress_hist_bucket_hi(unsigned int b);
double dmastress_hist_percentile(const struct dmastress_hist *h, double pct);

/**
 * struct dmastress_stats - the numbers printed for one phase
 * @count: samples
 * @mean_ns: sum / count, ns
 * @p50_ns: @p90_ns: @p99_ns: @p999_ns: percentiles from the histogram, ns
 * @min_ns: smallest sample, ns
 * @max_ns: largest sample, ns
 */
struct dmastress_stats {
	uint64_t count;
	double mean_ns;
	double p50_ns;
	double p90_ns;
	double p99_ns;
	double p999_ns;
	uint64_t min_ns;
	uint64_t max_ns;
	double mb_mean_ns;
};

void dmastress_hist_stats(const struct dmastress_hist *h,
			  struct dmastress_stats *s);
int dmastress_hist_check(const struct dmastress_hist *h);

#endif /* DMASTRESS_BENCH_H */
