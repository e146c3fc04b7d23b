/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress.h - shared declarations of the dmastress command-line tool:
 * exit codes, argument parsers, name tables, device access, JSON helpers
 * and the histogram statistics (stats.c).
 */
#ifndef DMASTRESS_BENCH_H
#define DMASTRESS_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dmastress_uapi.h"

/* Exit codes, kselftest-compatible. */
#define DMASTRESS_EXIT_OK	0	/* ran, nothing wrong */
#define DMASTRESS_EXIT_FAIL	1	/* ran and found an error */
#define DMASTRESS_EXIT_USAGE	2	/* bad command line */
#define DMASTRESS_EXIT_SKIP	4	/* no device, or the kernel skipped */

#define DMASTRESS_DEFAULT_DEVICE	"/dev/dmastress0"

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

/* util.c: names of UAPI values. */
extern const char *const dmastress_path_names[DMASTRESS_NR_PATHS];
extern const char *const dmastress_engine_names[DMASTRESS_NR_ENGINES];
extern const char *const dmastress_dir_names[DMASTRESS_NR_DIRS];
extern const char *const dmastress_phase_names[DMASTRESS_NR_HISTS];
extern const char *const dmastress_group_names[DMASTRESS_NR_GROUP_TYPES];
extern const char *const dmastress_attr_names[DMASTRESS_NR_ATTRS];
const char *dmastress_group_name(uint32_t group_type);
const char *dmastress_name(const char *const *names, unsigned int nr,
			   uint32_t v);
const char *dmastress_names_join(char *buf, size_t len,
				 const char *const *names, unsigned int nr,
				 const char *sep, unsigned int col);

/* util.c: device access. */
int dmastress_open(const char *path);
int dmastress_get_info(int fd, const char *path, struct dmastress_info *info);
int dmastress_valid_device(const char *cmd, const char *path);

/* util.c: output helpers. */
void dmastress_json_str(FILE *f, const char *s);
unsigned int dmastress_mask_bits(uint64_t mask);
double dmastress_mib_s(uint64_t bytes, double ns);
uint32_t dmastress_random_seed(void);

/* run.c: shared with selfcheck.c. */
int dmastress_run_ioctl(int fd, const struct dmastress_run_params *params,
			struct dmastress_hist *hists, struct dmastress_run *run);
uint64_t dmastress_run_errors(const struct dmastress_run_result *r);
void dmastress_run_print_errors(FILE *f, const char *prefix,
				const struct dmastress_run_result *r);

/* kstate.c: kernel state for stress, misuse and failnth. */
int dmastress_read_u64_file(const char *path, uint64_t *out);
int dmastress_read_str_file(const char *path, char *buf, size_t len);
int dmastress_write_file(const char *path, const char *s);
int dmastress_kmsg_open(void);
size_t dmastress_kmsg_read(int fd, char *buf, size_t len);
int dmastress_fail_nth_open(void);
int dmastress_fail_nth_set(int fd, unsigned int nth);
int dmastress_fail_nth_get(int fd, unsigned int *left);
int dmastress_run_ioctl_counts(int fd, const struct dmastress_run_params *params,
			       struct dmastress_path_counts *counts,
			       struct dmastress_run *run);

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
