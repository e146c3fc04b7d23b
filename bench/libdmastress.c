// SPDX-License-Identifier: GPL-2.0-only
/*
 * libdmastress.c - the user-space library of dmastress, shared by the CLI
 * (bench/Makefile) and the kselftests (selftests/Makefile): see
 * libdmastress.h. Statically linked into both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "libdmastress.h"

/* ---- names of UAPI values ------------------------------------------------ */

/*
 * Every list comes from its X-macro in dmastress_uapi.h, in value order.
 */
const char *const dmastress_path_names[DMASTRESS_NR_PATHS] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_PATHS)
};

const char *const dmastress_engine_names[DMASTRESS_NR_ENGINES] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_ENGINES)
};

const char *const dmastress_dir_names[DMASTRESS_NR_DIRS] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_DIRS)
};

const char *const dmastress_phase_names[DMASTRESS_NR_HISTS] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_PHASES)
	[DMASTRESS_HIST_BATCH] = "batch",
};

const char *const dmastress_group_names[DMASTRESS_NR_GROUP_TYPES] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_GROUP_TYPES)
};

const char *const dmastress_attr_names[DMASTRESS_NR_ATTRS] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_ATTRS)
};

const char *const dmastress_feature_names[DMASTRESS_NR_FEATURES] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_FEATURES)
};

const char *const dmastress_result_flag_names[DMASTRESS_NR_RESULT_FLAGS] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_RESULT_FLAGS)
};

/**
 * dmastress_flags_str() - the names of the bits set in a mask
 * @names: table, name n for bit n (dmastress_result_flag_names...)
 * @nr: entries in @names
 * @flags: the mask
 * @buf: filled with the names joined by "+", "none" when no bit is set,
 *	"unknown" for a bit past the table; cut short to fit
 * @len: size of @buf, bytes
 *
 * Return: @buf.
 */
char *dmastress_flags_str(const char *const *names, unsigned int nr,
			  uint32_t flags, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	if (!len)
		return buf;
	snprintf(buf, len, "%s", flags ? "" : "none");
	for (i = 0; i < 32 && used < len; i++) {
		int n;

		if (!(flags & (1U << i)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "+" : "",
			     dmastress_name(names, nr, i));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

/**
 * dmastress_name() - name of a value in a table
 * @names: table, e.g. dmastress_path_names
 * @nr: entries in @names
 * @v: value
 *
 * Return: the name, or "unknown" for a value past the table.
 */
const char *dmastress_name(const char *const *names, unsigned int nr,
			   uint32_t v)
{
	if (v >= nr || !names[v])
		return "unknown";
	return names[v];
}

/**
 * dmastress_name_index() - value of a name in a table
 * @names: table, e.g. dmastress_path_names
 * @nr: entries in @names
 * @s: the name, compared exactly
 *
 * Return: the index of @s in @names, or -ENOENT when it is not there.
 */
int dmastress_name_index(const char *const *names, unsigned int nr,
			 const char *s)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -ENOENT;
}

/**
 * dmastress_group_name() - name of an IOMMU group type
 * @group_type: enum dmastress_group_type (&struct dmastress_info.group_type)
 *
 * Return: the name sysfs uses ("DMA-FQ"...), or "unknown".
 */
const char *dmastress_group_name(uint32_t group_type)
{
	return dmastress_name(dmastress_group_names, DMASTRESS_NR_GROUP_TYPES,
			      group_type);
}

/**
 * dmastress_group_translates() - whether DMA addresses are IOVAs
 * @group_type: enum dmastress_group_type
 *
 * Return: true for the translating domains (DMA, DMA-FQ), where a
 * dma_addr_t is an IOVA and not a physical address.
 */
bool dmastress_group_translates(uint32_t group_type)
{
	return group_type == DMASTRESS_GROUP_DMA ||
	       group_type == DMASTRESS_GROUP_DMA_FQ;
}

/* ---- the device ------------------------------------------------------------ */

/**
 * dmastress_dev_open() - open a dmastress device
 * @path: device node, e.g. DMASTRESS_DEFAULT_DEVICE
 *
 * Needs CAP_SYS_RAWIO. The descriptor is close-on-exec.
 *
 * Return: a read-write descriptor, or -errno of open() (dmastress_dev_why()
 * explains the usual ones).
 */
int dmastress_dev_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * dmastress_dev_why() - why a dmastress device did not open
 * @err: the positive errno of dmastress_dev_open()
 * @buf: filled with the reason, NUL-terminated
 * @len: size of @buf, bytes
 *
 * Return: @buf for an error that means no usable device here (module not
 * loaded, no device bound, missing privilege), or NULL for any other error.
 */
const char *dmastress_dev_why(int err, char *buf, size_t len)
{
	if (err == ENOENT || err == ENXIO || err == ENODEV) {
		if (access(DMASTRESS_SYSFS_MODULE, F_OK))
			snprintf(buf, len, "dmastress module not loaded: no %s",
				 DMASTRESS_SYSFS_MODULE);
		else
			snprintf(buf, len, "no device bound to dmastress");
		return buf;
	}
	if (err == EACCES || err == EPERM) {
		snprintf(buf, len, "needs root with CAP_SYS_RAWIO");
		return buf;
	}
	return NULL;
}

/**
 * dmastress_dev_info() - DMASTRESS_IOC_INFO
 * @fd: from dmastress_dev_open()
 * @info: zeroed, its size set, then filled by the kernel
 *
 * Return: 0, or -errno of the ioctl.
 */
int dmastress_dev_info(int fd, struct dmastress_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, DMASTRESS_IOC_INFO, info) ? -errno : 0;
}

/**
 * dmastress_run_ioctl() - DMASTRESS_IOC_RUN
 * @fd: from dmastress_dev_open()
 * @params: what to run
 * @hists: DMASTRESS_NR_HISTS latency histograms (ns) to fill, or NULL
 * @counts: DMASTRESS_NR_PATHS per-path counts to fill, or NULL
 * @run: filled: @params in, status and result out
 *
 * @hists and @counts are zeroed before the ioctl, so that their pages are
 * present (a page fault in copy_to_user() would be one more fault site for
 * fail-nth). The skip reason is NUL-terminated on return.
 *
 * Return: 0 when the kernel carried the run out (check @run->status and
 * the error counters), else -errno of the ioctl (-EINVAL for a bad field,
 * -EINTR when a signal stopped it).
 */
int dmastress_run_ioctl(int fd, const struct dmastress_run_params *params,
			struct dmastress_hist *hists,
			struct dmastress_path_counts *counts,
			struct dmastress_run *run)
{
	memset(run, 0, sizeof(*run));
	run->size = sizeof(*run);
	run->params = *params;
	if (hists) {
		memset(hists, 0, sizeof(*hists) * DMASTRESS_NR_HISTS);
		run->hist_size = sizeof(*hists);
		run->hist_ptr = (uint64_t)(uintptr_t)hists;
	}
	if (counts) {
		memset(counts, 0, sizeof(*counts) * DMASTRESS_NR_PATHS);
		run->counts_size = sizeof(*counts);
		run->counts_ptr = (uint64_t)(uintptr_t)counts;
	}
	if (ioctl(fd, DMASTRESS_IOC_RUN, run))
		return -errno;
	run->result.skip_reason[sizeof(run->result.skip_reason) - 1] = '\0';
	return 0;
}

/**
 * dmastress_bdf_name() - the PCI name of a device
 * @bdf: &struct dmastress_info.bdf (domain << 16 | bus << 8 | devfn)
 * @buf: filled with "DDDD:BB:DD.F", NUL-terminated
 * @len: size of @buf, bytes (13 or more for the whole name)
 */
void dmastress_bdf_name(uint32_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%u", bdf >> 16, (bdf >> 8) & 0xff,
		 (bdf >> 3) & 0x1f, bdf & 7);
}

/* ---- results ---------------------------------------------------------------- */

/* The error counters of a run result: any nonzero one fails the run. */
#define DMASTRESS_RUN_ERROR_FIELDS(X)	\
	X(mismatches)			\
	X(guard_errors)			\
	X(src_errors)			\
	X(device_faults)		\
	X(map_errors)			\
	X(alloc_errors)			\
	X(mask_violations)		\
	X(seg_violations)		\
	X(stale_mappings)

#define DMASTRESS_X_ERR_NAME(f)	#f,
#define DMASTRESS_X_ERR_OFF(f)	offsetof(struct dmastress_run_result, f),

const char *const dmastress_run_error_names[DMASTRESS_NR_RUN_ERRORS] = {
	DMASTRESS_RUN_ERROR_FIELDS(DMASTRESS_X_ERR_NAME)
};

static const size_t dmastress_run_error_offs[] = {
	DMASTRESS_RUN_ERROR_FIELDS(DMASTRESS_X_ERR_OFF)
};

_Static_assert(sizeof(dmastress_run_error_offs) / sizeof(size_t) ==
	       DMASTRESS_NR_RUN_ERRORS, "DMASTRESS_NR_RUN_ERRORS");

/**
 * dmastress_run_error() - one error counter of a run result
 * @r: result
 * @i: counter, 0..DMASTRESS_NR_RUN_ERRORS - 1 (dmastress_run_error_names)
 *
 * Return: its value, a count of bytes for mismatches, guard and source
 * errors, of events for the others.
 */
uint64_t dmastress_run_error(const struct dmastress_run_result *r,
			     unsigned int i)
{
	uint64_t v;

	memcpy(&v, (const char *)r + dmastress_run_error_offs[i], sizeof(v));
	return v;
}

/**
 * dmastress_run_errors() - total of a result's error counters
 * @r: result
 *
 * Return: sum of mismatches, guard, source, device-fault, map, alloc,
 * mask and segment errors and stale mappings (saturating); 0 when the run verified its data.
 */
uint64_t dmastress_run_errors(const struct dmastress_run_result *r)
{
	uint64_t sum = 0, v;
	unsigned int i;

	for (i = 0; i < DMASTRESS_NR_RUN_ERRORS; i++) {
		v = dmastress_run_error(r, i);
		sum = (sum + v < sum) ? UINT64_MAX : sum + v;
	}
	return sum;
}

/**
 * dmastress_run_errors_str() - the nonzero error counters as text
 * @r: result
 * @buf: filled with "key=value" pairs separated by blanks, then the first
 *	mismatch (offset in bytes, expected and actual byte) if any;
 *	empty when every counter is zero; cut short to fit
 * @len: size of @buf, bytes
 *
 * Return: @buf.
 */
const char *dmastress_run_errors_str(const struct dmastress_run_result *r,
				     char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;
	int n;

	buf[0] = '\0';
	for (i = 0; i < DMASTRESS_NR_RUN_ERRORS && used < len; i++) {
		uint64_t v = dmastress_run_error(r, i);

		if (!v)
			continue;
		n = snprintf(buf + used, len - used, "%s%s=%llu",
			     used ? " " : "", dmastress_run_error_names[i],
			     (unsigned long long)v);
		if (n < 0)
			return buf;
		used += (size_t)n;
	}
	if (r->mismatches && used < len)
		snprintf(buf + used, len - used,
			 " first_mismatch_offset=%llu first_expected=0x%02x first_actual=0x%02x",
			 (unsigned long long)r->first_mismatch_offset,
			 r->first_expected, r->first_actual);
	return buf;
}

/* ---- numbers ------------------------------------------------------------------ */

/**
 * dmastress_mask_bits() - width of a DMA mask
 * @mask: mask, expected of the form 2^n - 1
 *
 * Return: n, or 0 when @mask is not of that form.
 */
unsigned int dmastress_mask_bits(uint64_t mask)
{
	unsigned int n;

	if (mask == UINT64_MAX)
		return 64;
	if (mask & (mask + 1))
		return 0;
	for (n = 0; mask; n++)
		mask >>= 1;
	return n;
}

/**
 * dmastress_mask_of_bits() - the DMA mask of a width
 * @bits: width, 0..64 (more is taken as 64)
 *
 * Return: 2^@bits - 1, the inverse of dmastress_mask_bits().
 */
uint64_t dmastress_mask_of_bits(unsigned int bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/**
 * dmastress_random_seed() - a seed for runs that were given none
 *
 * Return: 32 random bits (from getrandom(), else the clock and the pid).
 */
uint32_t dmastress_random_seed(void)
{
	struct timespec ts;
	uint32_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		ts.tv_nsec = ts.tv_sec = 0;
	return (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec ^
	       ((uint32_t)getpid() << 16);
}

/* ---- kernel state -------------------------------------------------------------- */

/**
 * dmastress_read_str_file() - read the first line of a small file
 * @path: e.g. /sys/bus/pci/devices/0000:00:04.0/vendor
 * @buf: filled with the line, without its newline and trailing blanks,
 *	NUL-terminated
 * @len: size of @buf, bytes; a longer line is cut short
 *
 * Return: 0, or -errno of open() or read().
 */
int dmastress_read_str_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	n = (ssize_t)strcspn(buf, "\n");
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return 0;
}

/**
 * dmastress_read_u64_file() - read one number from a file
 * @path: e.g. DMASTRESS_DMA_API_DIR "/error_count"
 * @out: the value (decimal, or hexadecimal with 0x)
 *
 * Return: 0, or -errno (-EINVAL when the file holds no number).
 */
int dmastress_read_u64_file(const char *path, uint64_t *out)
{
	char buf[64], *end;
	int ret = dmastress_read_str_file(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*out = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

/**
 * dmastress_write_file() - write a string to a file
 * @path: e.g. DMASTRESS_DMA_API_DIR "/all_errors"
 * @s: what to write, in one write()
 *
 * Return: 0, or -errno (-EIO for a short write).
 */
int dmastress_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/**
 * dmastress_sysfs_dev() - the sysfs directory of a PCI device
 * @bdf: &struct dmastress_info.bdf
 * @leaf: a path below it (e.g. "iommu_group/type"), or NULL
 * @buf: filled with /sys/bus/pci/devices/DDDD:BB:DD.F[/@leaf]
 * @len: size of @buf, bytes
 *
 * Return: 0, or -ENAMETOOLONG when @buf is too small.
 */
int dmastress_sysfs_dev(uint32_t bdf, const char *leaf, char *buf,
			size_t len)
{
	char name[16];
	int n;

	dmastress_bdf_name(bdf, name, sizeof(name));
	n = snprintf(buf, len, "/sys/bus/pci/devices/%s%s%s", name,
		     leaf ? "/" : "", leaf ? leaf : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/**
 * dmastress_sysfs_group() - the IOMMU group type sysfs shows for a device
 * @bdf: &struct dmastress_info.bdf
 * @name: filled with the type as sysfs names it ("none" without a group)
 * @len: size of @name, bytes
 *
 * Return: enum dmastress_group_type (a type of no other name, e.g.
 * "unmanaged", is DMASTRESS_GROUP_BLOCKED), or -errno of reading sysfs.
 */
int dmastress_sysfs_group(uint32_t bdf, char *name, size_t len)
{
	char path[256];
	int ret;

	ret = dmastress_sysfs_dev(bdf, "iommu_group", path, sizeof(path));
	if (ret)
		return ret;
	if (access(path, F_OK)) {
		snprintf(name, len, "%s", dmastress_group_names[DMASTRESS_GROUP_NONE]);
		return DMASTRESS_GROUP_NONE;
	}
	ret = dmastress_sysfs_dev(bdf, "iommu_group/type", path, sizeof(path));
	if (!ret)
		ret = dmastress_read_str_file(path, name, len);
	if (ret)
		return ret;
	ret = dmastress_name_index(dmastress_group_names,
				   DMASTRESS_NR_GROUP_TYPES, name);
	return ret < 0 ? DMASTRESS_GROUP_BLOCKED : ret;
}

/**
 * dmastress_kmsg_open() - follow the kernel log from now on
 *
 * Return: a non-blocking /dev/kmsg descriptor positioned at the end (later
 * reads see only new records), or -errno.
 */
int dmastress_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/**
 * dmastress_kmsg_each() - call a function on each new kernel log message
 * @fd: from dmastress_kmsg_open()
 * @fn: called with each message since the last call, its record header and
 *	continuation lines dropped; a nonzero return stops the walk
 * @arg: passed to @fn
 *
 * Records overwritten before they were read are passed over.
 *
 * Return: the messages passed to @fn.
 */
int dmastress_kmsg_each(int fd, int (*fn)(const char *msg, void *arg),
			void *arg)
{
	char rec[8192];		/* more than a record: a shorter read fails */
	int nr = 0;

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *msg;

		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			break;			/* EAGAIN: nothing more */
		}
		if (!n)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		nr++;
		if (fn(msg, arg))
			break;
	}
	return nr;
}

struct dmastress_kmsg_buf {
	char *buf;
	size_t len;
	size_t used;
};

static int dmastress_kmsg_append(const char *msg, void *arg)
{
	struct dmastress_kmsg_buf *b = arg;
	size_t mlen = strlen(msg);

	if (b->used + mlen + 2 > b->len)
		return 0;	/* full: drain the rest */
	memcpy(b->buf + b->used, msg, mlen);
	b->used += mlen;
	b->buf[b->used++] = '\n';
	b->buf[b->used] = '\0';
	return 0;
}

/**
 * dmastress_kmsg_read() - the kernel log messages since the last call
 * @fd: from dmastress_kmsg_open()
 * @buf: filled with the messages, one per line (see dmastress_kmsg_each()),
 *	NUL-terminated; messages that do not fit are dropped
 * @len: size of @buf, bytes
 *
 * Return: bytes stored, not counting the NUL.
 */
size_t dmastress_kmsg_read(int fd, char *buf, size_t len)
{
	struct dmastress_kmsg_buf b = { .buf = buf, .len = len };

	buf[0] = '\0';
	dmastress_kmsg_each(fd, dmastress_kmsg_append, &b);
	return b.used;
}

/**
 * dmastress_fail_nth_open() - the fail-nth file of the calling thread
 *
 * Return: a read-write descriptor of /proc/thread-self/fail-nth, or -errno
 * (-ENOENT without CONFIG_FAULT_INJECTION).
 */
int dmastress_fail_nth_open(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * dmastress_fail_nth_set() - make the calling thread's @nth fault site fail
 * @fd: from dmastress_fail_nth_open(), opened by this thread
 * @nth: 1 for the next one, 0 to disarm
 *
 * Return: 0, or -errno.
 */
int dmastress_fail_nth_set(int fd, unsigned int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", nth);
	ssize_t n = pwrite(fd, buf, len, 0);

	if (n < 0)
		return -errno;
	return n == len ? 0 : -EIO;
}

/**
 * dmastress_fail_nth_get() - fault sites still to pass before the failure
 * @fd: from dmastress_fail_nth_open()
 * @left: 0 once the armed failure has happened (or none was armed)
 *
 * Return: 0, or -errno.
 */
int dmastress_fail_nth_get(int fd, unsigned int *left)
{
	char buf[16];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*left = (unsigned int)strtoul(buf, NULL, 10);
	return 0;
}
