/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress_utils.h - helpers shared by the dmastress selftests
 *
 * Helpers come in threes, as in the iommufd selftests:
 *   _dmastress_x(...)           returns 0 or -errno and asserts nothing;
 *   dmastress_x(...)            asserts success;
 *   dmastress_err_x(ERR, ...)   expects the call to fail with errno ERR.
 * The asserting forms use the harness's _metadata, so they work only inside
 * FIXTURE_SETUP, TEST and TEST_F bodies.
 *
 * What the CLI needs too (the name tables, opening the device, the ioctls,
 * the error counters, readers of sysfs, debugfs and /dev/kmsg) is in the
 * library bench/libdmastress.c, compiled into every selftest; only what the
 * tests alone use, and the harness wrappers, are here.
 *
 * Environment: DMASTRESS_DEV (default /dev/dmastress0), DMASTRESS_KO (the
 * module file reloaded by the fuzz test, default /lib/dmastress.ko),
 * DMASTRESS_SEED (seed of the randomised tests).
 */
#ifndef DMASTRESS_UTILS_H
#define DMASTRESS_UTILS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "dmastress_uapi.h"
#include "libdmastress.h"

#define DMASTRESS_DEFAULT_KO	"/lib/dmastress.ko"
#define DMASTRESS_MIB		(1024 * 1024)
/*
 * Seconds one test may take: the harness's 30 s default is too short for a
 * debug kernel under TCG on a loaded host (the settings file bounds each
 * program as a whole).
 */
#define DMASTRESS_TEST_TIMEOUT	300

static inline const char *dmastress_dev_path(void)
{
	const char *p = getenv("DMASTRESS_DEV");

	return p && *p ? p : DMASTRESS_DEFAULT_DEVICE;
}

static inline const char *dmastress_ko_path(void)
{
	const char *p = getenv("DMASTRESS_KO");

	return p && *p ? p : DMASTRESS_DEFAULT_KO;
}

static inline size_t dmastress_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* The seed of a randomised test: DMASTRESS_SEED, else a random one. */
static inline __u32 dmastress_seed(void)
{
	const char *s = getenv("DMASTRESS_SEED");

	if (s && *s)
		return (__u32)strtoul(s, NULL, 0);
	return dmastress_random_seed();
}

/* xorshift32: the selftests' own reproducible random numbers. */
static inline __u32 dmastress_rand(__u32 *state)
{
	__u32 x = *state ? *state : 0x9e3779b9U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* ---- the device ---------------------------------------------------- */

/**
 * dmastress_missing() - why the selftests cannot run here, or NULL
 *
 * Return: a reason when the module is not loaded, no device is bound or the
 * caller may not open the device; NULL when the device opens.
 */
static inline const char *dmastress_missing(void)
{
	static char why[256];
	char reason[128];
	const char *dev = dmastress_dev_path();
	int fd = dmastress_dev_open(dev);

	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	if (!dmastress_dev_why(-fd, reason, sizeof(reason)))
		return NULL;	/* let the tests report the error */
	snprintf(why, sizeof(why), "%s: %s (%s)", dev, reason,
		 strerror(-fd));
	return why;
}

/*
 * main() of every dmastress selftest: a missing module or device is a SKIP
 * of the whole program (exit 4, "1..0 # SKIP reason"), never a pass.
 */
#define DMASTRESS_HARNESS_MAIN						\
	int main(int argc, char **argv)					\
	{								\
		const char *why = NULL;					\
		int i, listing = 0;					\
									\
		for (i = 1; i < argc; i++)				\
			if (!strcmp(argv[i], "-l") || !strcmp(argv[i], "-h")) \
				listing = 1;				\
		if (!listing)						\
			why = dmastress_missing();			\
		if (why) {						\
			ksft_print_header();				\
			ksft_exit_skip("%s\n", why);			\
		}							\
		return test_harness_run(argc, argv);			\
	}

/*
 * DMASTRESS_XFAIL(statement, fmt, ...): like SKIP(), for a known bug of the
 * kernel rather than of dmastress, in the conditions where it shows: the
 * result is "ok ... # XFAIL reason". Only when nothing failed before.
 */
#define DMASTRESS_XFAIL(statement, fmt, ...)				\
	do {								\
		if (_metadata->exit_code == KSFT_PASS) {		\
			snprintf(_metadata->results->reason,		\
				 sizeof(_metadata->results->reason),	\
				 fmt, ##__VA_ARGS__);			\
			ksft_print_msg("     XFAIL     %s\n",		\
				       _metadata->results->reason);	\
			_metadata->exit_code = KSFT_XFAIL;		\
		}							\
		statement;						\
	} while (0)

/* dma-iommu maps dma_alloc_pages() memory under the streaming mask. */
#define DMASTRESS_KNOWN_PAGES_MASK					\
	"kernel: with dma-iommu, dma_alloc_pages()/dma_alloc_noncoherent() IOVAs follow the streaming mask, not the coherent mask (dma_common_alloc_pages -> iommu_dma_map_page)"

static inline bool dmastress_path_is_pages(__u32 path)
{
	return path == DMASTRESS_PATH_PAGES || path == DMASTRESS_PATH_NONCOHERENT;
}

/* Open DMASTRESS_DEV: 0 with *@fd set, or -errno with *@fd -1. */
static inline int _dmastress_open(int *fd)
{
	int ret = dmastress_dev_open(dmastress_dev_path());

	*fd = ret < 0 ? -1 : ret;
	return ret < 0 ? ret : 0;
}

#define dmastress_open(fd) ASSERT_EQ(0, _dmastress_open(fd))

/*
 * The first device @engine can drive: DMASTRESS_NVME_DEV for the nvme
 * engine if set, else the first of /dev/dmastress0..7 whose engines include
 * it (scripts/vm binds two nvme controllers). An fd, or -1.
 */
static inline int dmastress_engine_open(__u32 engine)
{
	const char *env = engine == DMASTRESS_ENGINE_NVME ?
			  getenv("DMASTRESS_NVME_DEV") : NULL;
	struct dmastress_info info;
	char path[32];
	int i, fd;

	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "/dev/dmastress%d", i);
		fd = dmastress_dev_open(env && *env ? env : path);
		if (fd < 0)
			continue;
		if (!dmastress_dev_info(fd, &info) &&
		    (info.engines & (1U << engine)))
			return fd;
		close(fd);
		if (env && *env)
			break;
	}
	return -1;
}
#define dmastress_err_open(err, fd) EXPECT_EQ(-(err), _dmastress_open(fd))

/* Any ioctl, 0 or -errno. */
static inline int _dmastress_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* EXPECT_ERRNO(ERR, call): the call returns -1 with errno ERR. */
#define EXPECT_ERRNO(expected_errno, cmd)				\
	({								\
		ASSERT_EQ(-1, cmd);					\
		EXPECT_EQ(expected_errno, errno);			\
	})

/* ---- INFO ----------------------------------------------------------- */

/* dmastress_dev_info() of the library is the non-asserting form. */
#define dmastress_get_info(fd, info) \
	ASSERT_EQ(0, dmastress_dev_info(fd, info))
#define dmastress_err_get_info(err, fd, info) \
	EXPECT_EQ(-(err), dmastress_dev_info(fd, info))

/* ---- RUN ------------------------------------------------------------ */

/* A verified run of @iterations operations of @len bytes, one thread. */
static inline void dmastress_run_init(struct dmastress_run *run, __u32 path,
				      __u32 engine, __u32 dir, __u64 len,
				      __u64 iterations, __u32 seed)
{
	memset(run, 0, sizeof(*run));
	run->size = sizeof(*run);
	run->params.path = path;
	run->params.engine = engine;
	run->params.dir = dir;
	run->params.len_bytes = len;
	run->params.threads = 1;
	run->params.iterations = iterations;
	run->params.seed = seed;
}

/*
 * DMASTRESS_IOC_RUN of @run. Its status and result are cleared first: they
 * are output only and must be zero on input (DMASTRESS_FEATURE(OUT_ZERO)),
 * and @run may hold the answer to the run before.
 */
static inline int _dmastress_run(int fd, struct dmastress_run *run)
{
	run->status = 0;
	memset(&run->result, 0, sizeof(run->result));
	return _dmastress_ioctl(fd, DMASTRESS_IOC_RUN, run);
}

#define dmastress_run(fd, run) ASSERT_EQ(0, _dmastress_run(fd, run))
#define dmastress_err_run(err, fd, run) \
	EXPECT_EQ(-(err), _dmastress_run(fd, run))

/* A run's status, counts and nonzero error counters (the library's). */
static inline void dmastress_run_log(const struct dmastress_run *run)
{
	const struct dmastress_run_result *r = &run->result;
	char errors[512];

	dmastress_run_errors_str(r, errors, sizeof(errors));
	ksft_print_msg("run: status=%d ops=%llu bytes=%llu%s%s skip_reason=%.64s\n",
		       run->status, (unsigned long long)r->ops,
		       (unsigned long long)r->bytes, errors[0] ? " " : "",
		       errors, r->skip_reason);
}

/*
 * dmastress_run_verified(fd, run): issue the run and require that it was
 * carried out with every byte verified and no error counted. A run the
 * kernel cannot do here (-EOPNOTSUPP with a reason) is a SKIP with that
 * reason.
 */
#define dmastress_run_verified(fd, run)					\
	do {								\
		dmastress_run(fd, run);					\
		if ((run)->status == -EOPNOTSUPP)			\
			SKIP(return, "%.64s", (run)->result.skip_reason); \
		if ((run)->status || dmastress_run_errors(&(run)->result)) \
			dmastress_run_log(run);				\
		ASSERT_EQ(0, (run)->status);				\
		EXPECT_EQ((run)->params.iterations *			\
			  (run)->params.threads, (run)->result.ops);	\
		EXPECT_EQ(0, (run)->result.mismatches);			\
		EXPECT_EQ(0, (run)->result.guard_errors);		\
		EXPECT_EQ(0, (run)->result.src_errors);			\
		EXPECT_EQ(0, (run)->result.device_faults);		\
		EXPECT_EQ(0, (run)->result.map_errors);			\
		EXPECT_EQ(0, (run)->result.alloc_errors);		\
		EXPECT_EQ(0, (run)->result.mask_violations);		\
		EXPECT_EQ(0, (run)->result.seg_violations);		\
		EXPECT_EQ(0, (run)->result.stale_mappings);		\
	} while (0)

/* ---- views ---------------------------------------------------------- */

static inline int _dmastress_view_create_attrs(int fd, __u32 path, __u64 len,
					       __u32 attrs,
					       struct dmastress_view *v)
{
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	v->path = path;
	v->len_bytes = len;
	v->attrs = attrs;
	return _dmastress_ioctl(fd, DMASTRESS_IOC_VIEW_CREATE, v);
}

static inline int _dmastress_view_create(int fd, __u32 path, __u64 len,
					 struct dmastress_view *v)
{
	return _dmastress_view_create_attrs(fd, path, len, 0, v);
}

#define dmastress_view_create(fd, path, len, v) \
	ASSERT_EQ(0, _dmastress_view_create(fd, path, len, v))
#define dmastress_err_view_create(err, fd, path, len, v) \
	EXPECT_EQ(-(err), _dmastress_view_create(fd, path, len, v))

static inline int _dmastress_view_xfer(int fd, __u32 id, __u32 op,
				       __u32 engine, __u32 seed, __u64 len,
				       struct dmastress_view_xfer *x)
{
	memset(x, 0, sizeof(*x));
	x->size = sizeof(*x);
	x->id = id;
	x->op = op;
	x->engine = engine;
	x->seed = seed;
	x->len_bytes = len;
	return _dmastress_ioctl(fd, DMASTRESS_IOC_VIEW_XFER, x);
}

#define dmastress_view_xfer(fd, id, op, engine, seed, len, x) \
	ASSERT_EQ(0, _dmastress_view_xfer(fd, id, op, engine, seed, len, x))
#define dmastress_err_view_xfer(err, fd, id, op, engine, seed, len, x) \
	EXPECT_EQ(-(err), _dmastress_view_xfer(fd, id, op, engine, seed, len, x))

static inline int _dmastress_view_destroy(int fd, __u32 id)
{
	struct dmastress_view_destroy d = { .size = sizeof(d), .id = id };

	return _dmastress_ioctl(fd, DMASTRESS_IOC_VIEW_DESTROY, &d);
}

#define dmastress_view_destroy(fd, id) \
	ASSERT_EQ(0, _dmastress_view_destroy(fd, id))
#define dmastress_err_view_destroy(err, fd, id) \
	EXPECT_EQ(-(err), _dmastress_view_destroy(fd, id))

/* mmap() of a view: 0 with *@addr set, or -errno. */
static inline int _dmastress_mmap(int fd, __u64 offset, size_t len, int prot,
				  void **addr)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)offset);

	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

#define dmastress_mmap(fd, offset, len, prot, addr) \
	ASSERT_EQ(0, _dmastress_mmap(fd, offset, len, prot, addr))
#define dmastress_err_mmap(err, fd, offset, len, prot, addr) \
	EXPECT_EQ(-(err), _dmastress_mmap(fd, offset, len, prot, addr))

/* ---- the data pattern (dmastress_uapi.h), in user space -------------- */

static inline void dmastress_pattern_fill(__u8 *buf, size_t len,
					  __u32 seed)
{
	size_t off;
	__u32 x = 0;

	for (off = 0; off < len; off++) {
		if (!(off & 3) || !off)
			x = dmastress_pattern_word(seed, off >> 2);
		buf[off] = dmastress_pattern_wbyte(x, off & 3);
	}
}

/* Bytes of @buf that differ from the pattern; the first one in *@first. */
static inline size_t dmastress_pattern_check(const __u8 *buf,
					     size_t len, __u32 seed,
					     size_t *first)
{
	size_t off, bad = 0;
	__u32 x = 0;

	*first = len;
	for (off = 0; off < len; off++) {
		if (!(off & 3) || !off)
			x = dmastress_pattern_word(seed, off >> 2);
		if (buf[off] != dmastress_pattern_wbyte(x, off & 3)) {
			if (!bad)
				*first = off;
			bad++;
		}
	}
	return bad;
}

/* CLOCK_MONOTONIC in seconds: what a test's bounds on time are read in. */
static inline double dmastress_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- sysfs, procfs and the kernel log -------------------------------- */

/*
 * The top-level /proc/iomem entry that covers [@phys, @phys + @len) whole,
 * e.g. "System RAM" or "Reserved", copied to @name. Returns 0, -ENOENT when
 * no entry covers the range (a hole: reads there hit nothing), or -errno.
 */
static inline int dmastress_iomem_covering(__u64 phys, __u64 len, char *name,
					   size_t n)
{
	unsigned long long start, end;
	char line[256];
	int ret = -ENOENT;
	FILE *f = fopen("/proc/iomem", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		int pos = 0;

		if (line[0] == ' ' ||
		    sscanf(line, "%llx-%llx : %n", &start, &end, &pos) != 2 || !pos)
			continue;
		if (phys < start || phys + len - 1 > end)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(name, n, "%s", line + pos);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

/* The module's reference count, or -errno. */
static inline long long dmastress_module_refcnt(void)
{
	uint64_t v;
	int ret = dmastress_read_u64_file(DMASTRESS_SYSFS_MODULE "/refcnt", &v);

	return ret ? ret : (long long)v;
}

/**
 * struct dmastress_dma_footprint - what the DMA API holds, system-wide
 * @debug_entries: DMA-API debug's entries in use (nr_total_entries -
 *	num_free_entries: the pool may grow, so not the free count alone),
 *	-1 without its debugfs (CONFIG_DMA_API_DEBUG)
 * @swiotlb_used: swiotlb's used slots (io_tlb_used), -1 without its debugfs
 *
 * Both must be back at their value from before a test once the test has
 * closed everything: a mapping or bounce slot left is a leak.
 */
struct dmastress_dma_footprint {
	long long debug_entries;
	long long swiotlb_used;
};

static inline void dmastress_dma_footprint(struct dmastress_dma_footprint *fp)
{
	uint64_t total, free_entries, used;

	fp->debug_entries = -1;
	fp->swiotlb_used = -1;
	if (!dmastress_read_u64_file(DMASTRESS_DMA_API_DIR "/nr_total_entries",
				     &total) &&
	    !dmastress_read_u64_file(DMASTRESS_DMA_API_DIR "/num_free_entries",
				     &free_entries))
		fp->debug_entries = (long long)(total - free_entries);
	if (!dmastress_read_u64_file(DMASTRESS_SWIOTLB_DIR "/io_tlb_used", &used))
		fp->swiotlb_used = (long long)used;
}

/* Print the footprint before and after, and expect them equal. */
#define dmastress_expect_footprint(before, after) do {			\
	ksft_print_msg("dma-api entries in use %lld -> %lld, swiotlb used %lld -> %lld\n", \
		       (before)->debug_entries, (after)->debug_entries,	\
		       (before)->swiotlb_used, (after)->swiotlb_used);	\
	EXPECT_EQ((before)->debug_entries, (after)->debug_entries)	\
		TH_LOG("DMA-API debug entries in use");			\
	EXPECT_EQ((before)->swiotlb_used, (after)->swiotlb_used)	\
		TH_LOG("swiotlb slots used");				\
} while (0)

struct dmastress_kmsg_bad_arg {
	char *first;
	size_t n;
	int found;
};

static inline int dmastress_kmsg_bad_one(const char *msg, void *arg)
{
	static const char *const bad[] = {
		"Oops", "BUG:", "WARNING:", "KASAN", "UBSAN", "KFENCE",
		"general protection fault", "DMA-API:", "Call Trace",
		"kernel BUG", "refcount_t:", "list_add corruption",
		"list_del corruption",
	};
	struct dmastress_kmsg_bad_arg *a = arg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!strstr(msg, bad[i]))
			continue;
		if (!a->found++ && a->n)
			snprintf(a->first, a->n, "%s", msg);
		break;
	}
	return 0;
}

/*
 * Kernel log messages since dmastress_kmsg_open() that report a kernel bug:
 * an oops, BUG, WARNING, KASAN/UBSAN/KFENCE report or a DMA-API debug error.
 * Returns their number; the first is copied to @first.
 */
static inline int dmastress_kmsg_bad(int fd, char *first, size_t n)
{
	struct dmastress_kmsg_bad_arg a = { .first = first, .n = n };

	if (n)
		first[0] = '\0';
	dmastress_kmsg_each(fd, dmastress_kmsg_bad_one, &a);
	return a.found;
}

#endif /* DMASTRESS_UTILS_H */
