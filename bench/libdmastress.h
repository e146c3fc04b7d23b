/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libdmastress.h - the user-space library of dmastress, compiled into both
 * the CLI (bench/) and the kselftests (selftests/): the names of UAPI
 * values, opening the device and its ioctls, the error counters of a run,
 * and readers of kernel state (sysfs, debugfs, /dev/kmsg, fail-nth).
 *
 * Nothing here prints or exits: every function returns 0 or a -errno (or a
 * descriptor), and the callers report in their own way (the CLI on stderr
 * with its exit codes, the selftests through the harness).
 */
#ifndef LIBDMASTRESS_H
#define LIBDMASTRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmastress_uapi.h"

#define DMASTRESS_DEFAULT_DEVICE	"/dev/dmastress0"
#define DMASTRESS_SYSFS_MODULE		"/sys/module/dmastress"
#define DMASTRESS_SYSFS_DRIVER		"/sys/bus/pci/drivers/dmastress"
#define DMASTRESS_DMA_API_DIR		"/sys/kernel/debug/dma-api"
#define DMASTRESS_SWIOTLB_DIR		"/sys/kernel/debug/swiotlb"

/* ---- names of UAPI values (the X-macros of dmastress_uapi.h) ---------- */

extern const char *const dmastress_path_names[DMASTRESS_NR_PATHS];
extern const char *const dmastress_engine_names[DMASTRESS_NR_ENGINES];
extern const char *const dmastress_dir_names[DMASTRESS_NR_DIRS];
/* The phases, then "batch" at DMASTRESS_HIST_BATCH. */
extern const char *const dmastress_phase_names[DMASTRESS_NR_HISTS];
extern const char *const dmastress_group_names[DMASTRESS_NR_GROUP_TYPES];
/* Entry n names bit n of &struct dmastress_run_params.attrs. */
extern const char *const dmastress_attr_names[DMASTRESS_NR_ATTRS];
extern const char *const dmastress_result_flag_names[DMASTRESS_NR_RESULT_FLAGS];
/* Entry n names bit n of &struct dmastress_info.features (32 at most). */
extern const char *const dmastress_feature_names[DMASTRESS_NR_FEATURES];
char *dmastress_flags_str(const char *const *names, unsigned int nr,
			  uint32_t flags, char *buf, size_t len);

const char *dmastress_name(const char *const *names, unsigned int nr,
			   uint32_t v);
int dmastress_name_index(const char *const *names, unsigned int nr,
			 const char *s);
const char *dmastress_group_name(uint32_t group_type);
bool dmastress_group_translates(uint32_t group_type);

/* ---- the device --------------------------------------------------------- */

int dmastress_dev_open(const char *path);
const char *dmastress_dev_why(int err, char *buf, size_t len);
int dmastress_dev_info(int fd, struct dmastress_info *info);
int dmastress_run_ioctl(int fd, const struct dmastress_run_params *params,
			struct dmastress_hist *hists,
			struct dmastress_path_counts *counts,
			struct dmastress_run *run);
void dmastress_bdf_name(uint32_t bdf, char *buf, size_t len);

/* ---- results ------------------------------------------------------------ */

/* The error counters of &struct dmastress_run_result, by their field names. */
#define DMASTRESS_NR_RUN_ERRORS	9
extern const char *const dmastress_run_error_names[DMASTRESS_NR_RUN_ERRORS];
uint64_t dmastress_run_error(const struct dmastress_run_result *r,
			     unsigned int i);
uint64_t dmastress_run_errors(const struct dmastress_run_result *r);
const char *dmastress_run_errors_str(const struct dmastress_run_result *r,
				     char *buf, size_t len);

/* ---- numbers ------------------------------------------------------------ */

unsigned int dmastress_mask_bits(uint64_t mask);
uint64_t dmastress_mask_of_bits(unsigned int bits);
uint32_t dmastress_random_seed(void);

/* ---- kernel state: files, the kernel log, fail-nth ----------------------- */

int dmastress_read_str_file(const char *path, char *buf, size_t len);
int dmastress_read_u64_file(const char *path, uint64_t *out);
int dmastress_write_file(const char *path, const char *s);
int dmastress_sysfs_dev(uint32_t bdf, const char *leaf, char *buf,
			size_t len);
int dmastress_sysfs_group(uint32_t bdf, char *name, size_t len);
int dmastress_kmsg_open(void);
int dmastress_kmsg_each(int fd, int (*fn)(const char *msg, void *arg),
			void *arg);
size_t dmastress_kmsg_read(int fd, char *buf, size_t len);
int dmastress_fail_nth_open(void);
int dmastress_fail_nth_set(int fd, unsigned int nth);
int dmastress_fail_nth_get(int fd, unsigned int *left);

#endif /* LIBDMASTRESS_H */
