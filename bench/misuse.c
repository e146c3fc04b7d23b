// SPDX-License-Identifier: GPL-2.0-only
/*
 * misuse.c - "dmastress misuse": test the kernel's own DMA-API checker.
 *
 * For each class of enum dmastress_misuse_class, the driver commits that
 * one misuse (DMASTRESS_IOC_MISUSE) and this program checks what
 * CONFIG_DMA_API_DEBUG made of it: dma-api/error_count must rise and the
 * kernel log must show the message kernel/dma/debug.c prints for that
 * check, naming the device. The expected messages are kept here, apart
 * from the driver, as the oracle. all_errors is set for the run so that
 * every error is printed, not only the first.
 *
 * HELD_AT_UNBIND leaves a mapping alive; this program then unbinds the
 * device through sysfs (the leak report comes at unbind) and binds it
 * again, which makes the driver unmap what it kept.
 *
 * Output is KTAP, one test per class, ending with
 * "misuse: N passed, M failed, K skipped".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "dmastress.h"

#define DMA_API_DIR		DMASTRESS_DMA_API_DIR
#define DMASTRESS_DRIVER_DIR	DMASTRESS_SYSFS_DRIVER
#define DMASTRESS_KMSG_BYTES	(256 * 1024)
/* How long to wait for /dev/dmastress<N> after a bind, ms. */
#define DMASTRESS_REBIND_MS	10000

/**
 * struct dmastress_misuse_case - a class and what dma-debug must say
 * @id: enum dmastress_misuse_class
 * @name: the name the driver reports for @id
 * @expect: substrings that must all appear in one log line each, next to
 *	the device's name (kernel/dma/debug.c, Linux 6.12)
 * @note: printed as a diagnostic when set
 * @gap: why dma-debug cannot see this misuse on this architecture; when it
 *	stays unseen the class is reported as skipped with this reason (a
 *	confirmed gap, neither a pass nor a failure), when it is seen it passes
 * @warn: the catcher is a WARN of the DMA layer, not dma-debug: a
 *	"WARNING" line of the kernel log must name this source file, and
 *	error_count need not rise (dma-debug does not track the IOVA API)
 * @since: the release (major * 100 + minor) from which @expect_since and
 *	@gap_since replace @expect and @gap: dma-debug changed (0: never)
 * @expect_since: the messages from @since on (NULL: @expect)
 * @gap_since: the gap from @since on (NULL: @gap)
 */
struct dmastress_misuse_case {
	uint32_t id;
	const char *name;
	const char *expect[2];
	const char *note;
	const char *gap;
	const char *warn;
	unsigned int since;
	const char *expect_since[2];
	const char *gap_since;
};

static const struct dmastress_misuse_case dmastress_misuse_cases[] = {
	{ .id = DMASTRESS_MISUSE_UNMAP_SIZE, .name = "unmap_size",
	  .expect = { "device driver frees DMA memory with different size" } },
	{ .id = DMASTRESS_MISUSE_UNMAP_DIR, .name = "unmap_dir",
	  .expect = { "device driver frees DMA memory with different direction" } },
	{ .id = DMASTRESS_MISUSE_UNMAP_WRONG_FUNC, .name = "unmap_wrong_func",
	  .expect = { "device driver frees DMA memory with wrong function",
	    "[mapped as resource] [unmapped as single]" },
	  /* dma_map_resource() is dma_map_phys(DMA_ATTR_MMIO) since 6.18 */
	  .since = 618,
	  .expect_since = { "device driver frees DMA memory with different attributes",
	    "[mapped with 0x400] [unmapped with 0x0]" } },
	{ .id = DMASTRESS_MISUSE_UNMAP_NEVER_MAPPED, .name = "unmap_never_mapped",
	  .expect = { "device driver tries to free DMA memory it has not allocated" } },
	{ .id = DMASTRESS_MISUSE_UNMAP_INVALID, .name = "unmap_invalid",
	  .expect = { "device driver tries to free an invalid DMA memory address" } },
	{ .id = DMASTRESS_MISUSE_NO_ERROR_CHECK, .name = "no_error_check",
	  .expect = { "device driver failed to check map error" } },
	{ .id = DMASTRESS_MISUSE_SYNC_OUTSIDE, .name = "sync_outside",
	  .expect = { "device driver tries to sync DMA memory it has not allocated",
	    "[size=8192 bytes]" },
	  .note = "check_sync() looks the entry up by containment, so a sync past the end reads as 'not allocated'; its 'outside allocated range' branch is unreachable" },
	{ .id = DMASTRESS_MISUSE_SYNC_NEVER_MAPPED, .name = "sync_never_mapped",
	  .expect = { "device driver tries to sync DMA memory it has not allocated" } },
	{ .id = DMASTRESS_MISUSE_SYNC_DIR, .name = "sync_dir",
	  .expect = { "device driver syncs DMA memory with different direction" } },
	{ .id = DMASTRESS_MISUSE_SYNC_RO_FOR_CPU, .name = "sync_ro_for_cpu",
	  .expect = { "device driver syncs device read-only DMA memory for cpu",
	    "device driver syncs DMA memory with different direction" } },
	{ .id = DMASTRESS_MISUSE_SYNC_WO_FOR_DEVICE, .name = "sync_wo_for_device",
	  .expect = { "device driver syncs device write-only DMA memory to device",
	    "device driver syncs DMA memory with different direction" } },
	{ .id = DMASTRESS_MISUSE_SYNC_SG_NENTS, .name = "sync_sg_nents",
	  .expect = { "device driver syncs DMA sg list with different entry count" } },
	{ .id = DMASTRESS_MISUSE_SG_TOO_LONG, .name = "sg_too_long",
	  .expect = { "mapping sg segment longer than device claims to support" } },
	{ .id = DMASTRESS_MISUSE_SG_BOUNDARY, .name = "sg_boundary",
	  .expect = { "mapping sg segment across boundary" } },
	{ .id = DMASTRESS_MISUSE_OVERLAP, .name = "overlap",
	  .expect = { "cacheline tracking EEXIST, overlapping mappings aren't supported" },
	  /* seen in 7.3, not in 6.12; the release between is not tested */
	  .since = 613,
	  .gap_since = "confirmed gap: add_dma_entry() reports an overlap only when dma_get_cache_alignment() >= L1_CACHE_BYTES; x86 returns 1 (7.3)" },
	{ .id = DMASTRESS_MISUSE_MAP_RODATA, .name = "map_rodata",
	  .expect = { "device driver maps memory from kernel text or rodata" },
	  .gap = "confirmed gap: check_for_illegal_area() tests page_address(), the direct-map alias, against the kernel image's _stext/rodata addresses (x86_64)" },
	{ .id = DMASTRESS_MISUSE_MAP_STACK, .name = "map_stack",
	  .expect = { "device driver maps memory from stack" } },
	{ .id = DMASTRESS_MISUSE_HELD_AT_UNBIND, .name = "held_at_unbind",
	  .expect = { "device driver has pending DMA allocations while released from device" } },
	{ .id = DMASTRESS_MISUSE_IOVA_UNLINK_UNLINKED, .name = "iova_unlink_unlinked",
	  .warn = "drivers/iommu/dma-iommu.c",
	  .note = "dma_iova_unlink(): WARN_ON(unmapped != size) after iommu_unmap_fast() (Linux 6.16)" },
	{ .id = DMASTRESS_MISUSE_IOVA_LINK_UNALIGNED, .name = "iova_link_unaligned",
	  .warn = "drivers/iommu/dma-iommu.c",
	  .note = "dma_iova_link(): WARN_ON_ONCE(iova_start_pad && offset > 0), -EIO: the first time in a boot only" },
	{ .id = DMASTRESS_MISUSE_IOVA_SYNC_UNLINKED, .name = "iova_sync_unlinked",
	  .gap = "confirmed gap: dma_iova_sync() flushes the range with iommu_sync_map() and never checks that it is linked" },
	{ .id = DMASTRESS_MISUSE_IOVA_LINK_PAST_END, .name = "iova_link_past_end",
	  .note = "dma_iova_link() maps at state->addr + offset without comparing offset + size to dma_iova_size(state): the IOVA past the end may be another mapping's" },
	{ .id = DMASTRESS_MISUSE_IOVA_DESTROY_TWICE, .name = "iova_destroy_twice",
	  .note = "dma_iova_free() hands the range to iommu_dma_free_iova() with no record that it was freed: a second destroy puts it in the IOVA rcache twice" },
};

#define DMASTRESS_NR_CASES \
	(sizeof(dmastress_misuse_cases) / sizeof(dmastress_misuse_cases[0]))

struct dmastress_misuse_state {
	const char *device;
	char bdf[16];
	int fd;
	int kmsg;
	char *log;
};

static void dmastress_misuse_usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"usage: dmastress misuse [--class NAME[,NAME...]] [--device PATH]\n"
		"\n"
		"Commit one DMA API misuse at a time and check that CONFIG_DMA_API_DEBUG\n"
		"counts it (dma-api/error_count) and prints its message. Needs a kernel\n"
		"with DMA_API_DEBUG, debugfs, and dmastress.ko loaded with allow_misuse=1.\n"
		"Each misuse prints a kernel WARNING on purpose. held_at_unbind unbinds\n"
		"and rebinds the device.\n"
		"\n"
		"classes:");
	for (i = 0; i < DMASTRESS_NR_CASES; i++)
		fprintf(f, "%s%s", i % 6 ? " " : "\n  ",
			dmastress_misuse_cases[i].name);
	fprintf(f,
		"\n\n"
		"Exit: 0 when no class failed, 1 on a failure, 2 bad arguments, 4 refused\n"
		"(no DMA_API_DEBUG, dma-debug disabled, allow_misuse=0) or no device.\n");
}

static int dmastress_misuse_select(const char *s, bool *want)
{
	char buf[512], *tok, *save = NULL;
	unsigned int i;

	if (strlen(s) >= sizeof(buf)) {
		dmastress_usage_error("misuse", "--class: too long");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < DMASTRESS_NR_CASES; i++)
			if (!strcmp(tok, dmastress_misuse_cases[i].name))
				break;
		if (i == DMASTRESS_NR_CASES) {
			dmastress_usage_error("misuse", "--class: unknown class '%s'",
					      tok);
			return -1;
		}
		want[i] = true;
	}
	return 0;
}

static int dmastress_error_count(uint64_t *v)
{
	return dmastress_read_u64_file(DMA_API_DIR "/error_count", v);
}

/* Does some line of @log hold both @what and @bdf? */
static bool dmastress_log_has(const char *log, const char *what,
			      const char *bdf)
{
	const char *p = log;

	while ((p = strstr(p, what))) {
		const char *bol = p, *eol = strchr(p, '\n');

		while (bol > log && bol[-1] != '\n')
			bol--;
		if (!eol)
			eol = p + strlen(p);
		if (memmem(bol, eol - bol, bdf, strlen(bdf)))
			return true;
		p = eol;
	}
	return false;
}

static void dmastress_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Unbind the device and bind it again (HELD_AT_UNBIND); reopen it.
 * Returns 0 or -1 after printing why.
 */
static int dmastress_misuse_rebind(struct dmastress_misuse_state *st)
{
	unsigned int waited = 0;
	int ret;

	close(st->fd);
	st->fd = -1;
	ret = dmastress_write_file(DMASTRESS_DRIVER_DIR "/unbind", st->bdf);
	if (ret) {
		printf("# unbind %s: %s\n", st->bdf, strerror(-ret));
		return -1;
	}
	ret = dmastress_write_file(DMASTRESS_DRIVER_DIR "/bind", st->bdf);
	if (ret) {
		printf("# bind %s: %s\n", st->bdf, strerror(-ret));
		return -1;
	}
	while ((st->fd = open(st->device, O_RDWR | O_CLOEXEC)) < 0) {
		if (waited >= DMASTRESS_REBIND_MS) {
			printf("# %s did not come back after bind: %s\n",
			       st->device, strerror(errno));
			return -1;
		}
		dmastress_sleep_ms(100);
		waited += 100;
	}
	return 0;
}

/*
 * After one HELD_AT_UNBIND: hold more until the module refuses. The
 * DMASTRESS_MAX_HELD-th is the last taken, the next one -ENOSPC. Returns 0
 * or -1 after printing why.
 */
/*
 * DMASTRESS_IOC_MISUSE with @m's output fields cleared first: they must be
 * zero on input (DMASTRESS_FEATURE(OUT_ZERO)), and @m may hold the answer
 * to the call before. Returns 0, or -1 with errno set.
 */
static int dmastress_misuse_ioctl(int fd, struct dmastress_misuse *m)
{
	m->status = 0;
	memset(m->name, 0, sizeof(m->name));
	memset(m->reason, 0, sizeof(m->reason));
	return ioctl(fd, DMASTRESS_IOC_MISUSE, m);
}

static int dmastress_misuse_held_cap(struct dmastress_misuse_state *st)
{
	struct dmastress_misuse m = {
		.size = sizeof(m),
		.class_id = DMASTRESS_MISUSE_HELD_AT_UNBIND,
	};
	unsigned int held = 1;

	for (;;) {
		if (dmastress_misuse_ioctl(st->fd, &m)) {
			printf("# held_at_unbind: DMASTRESS_IOC_MISUSE: %s\n",
			       strerror(errno));
			return -1;
		}
		if (m.status)
			break;
		if (++held > DMASTRESS_MAX_HELD)
			break;
	}
	m.reason[sizeof(m.reason) - 1] = '\0';
	printf("# held_at_unbind: %u held, the next one: %s (%s)\n", held,
	       strerror(-m.status), m.reason);
	if (held != DMASTRESS_MAX_HELD || m.status != -ENOSPC) {
		printf("# held_at_unbind: want %u held, then -ENOSPC\n",
		       DMASTRESS_MAX_HELD);
		return -1;
	}
	return 0;
}

/* The running kernel's release as major * 100 + minor, 0 if unknown. */
static unsigned int dmastress_kernel_release(void)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 0;
	return major * 100 + minor;
}

/* One class; returns 1 passed, 0 failed, -1 skipped. */
static int dmastress_misuse_case(struct dmastress_misuse_state *st,
				 const struct dmastress_misuse_case *mc,
				 unsigned int n)
{
	struct dmastress_misuse m = { .size = sizeof(m), .class_id = mc->id };
	bool newer = mc->since && dmastress_kernel_release() >= mc->since;
	const char *const *expect = mc->expect;
	const char *gap = mc->gap;
	uint64_t before, after;
	bool ok = true;
	unsigned int i;

	if (newer && mc->expect_since[0])
		expect = mc->expect_since;
	if (newer && mc->gap_since)
		gap = mc->gap_since;

	if (dmastress_error_count(&before)) {
		printf("not ok %u %s # cannot read error_count\n", n, mc->name);
		return 0;
	}
	dmastress_kmsg_read(st->kmsg, st->log, DMASTRESS_KMSG_BYTES);
	if (dmastress_misuse_ioctl(st->fd, &m)) {
		printf("not ok %u %s # DMASTRESS_IOC_MISUSE: %s\n", n, mc->name,
		       strerror(errno));
		return 0;
	}
	m.name[sizeof(m.name) - 1] = '\0';
	m.reason[sizeof(m.reason) - 1] = '\0';
	if (strcmp(m.name, mc->name)) {
		printf("not ok %u %s # the driver names class %u '%s'\n", n,
		       mc->name, mc->id, m.name);
		return 0;
	}
	if (m.status == -EOPNOTSUPP) {
		if (mc->note)
			printf("# %s: %s\n", mc->name, mc->note);
		printf("ok %u %s # SKIP %s\n", n, mc->name, m.reason);
		return -1;
	}
	if (m.status) {
		printf("not ok %u %s # could not commit it: %s\n", n, mc->name,
		       strerror(-m.status));
		return 0;
	}
	if (mc->id == DMASTRESS_MISUSE_HELD_AT_UNBIND &&
	    (dmastress_misuse_held_cap(st) || dmastress_misuse_rebind(st)))
		ok = false;

	if (dmastress_error_count(&after)) {
		printf("not ok %u %s # cannot read error_count\n", n, mc->name);
		return 0;
	}
	dmastress_kmsg_read(st->kmsg, st->log, DMASTRESS_KMSG_BYTES);
	printf("# %s: error_count %llu -> %llu\n", mc->name,
	       (unsigned long long)before, (unsigned long long)after);
	if (mc->note)
		printf("# %s: %s\n", mc->name, mc->note);
	if (mc->warn) {
		if (dmastress_log_has(st->log, "WARNING", mc->warn)) {
			printf("# %s: a WARNING at %s\n", mc->name, mc->warn);
		} else {
			printf("# %s: no WARNING at %s in the kernel log\n",
			       mc->name, mc->warn);
			ok = false;
		}
		printf("%s %u %s\n", ok ? "ok" : "not ok", n, mc->name);
		return ok;
	}
	if (after <= before && gap &&
	    !dmastress_log_has(st->log, "WARNING", "drivers/iommu/")) {
		printf("ok %u %s # SKIP %s\n", n, mc->name, gap);
		return -1;
	}
	if (after <= before) {
		printf("# %s: error_count did not rise\n", mc->name);
		ok = false;
	}
	for (i = 0; i < 2 && expect[i]; i++) {
		if (dmastress_log_has(st->log, expect[i], st->bdf)) {
			printf("# %s: logged: %s\n", mc->name, expect[i]);
		} else {
			printf("# %s: not in the kernel log for %s: %s\n",
			       mc->name, st->bdf, expect[i]);
			ok = false;
		}
	}
	printf("%s %u %s\n", ok ? "ok" : "not ok", n, mc->name);
	return ok;
}

/* Refusals: 0 when the misuse run can go ahead, else an exit code. */
static int dmastress_misuse_ready(struct dmastress_misuse_state *st)
{
	struct dmastress_misuse m = { .size = sizeof(m), .class_id = DMASTRESS_NR_MISUSE };
	struct dmastress_info info;
	char buf[16];

	if (dmastress_read_str_file(DMA_API_DIR "/disabled", buf, sizeof(buf))) {
		printf("skip: no %s: kernel without CONFIG_DMA_API_DEBUG or debugfs not mounted\n",
		       DMA_API_DIR);
		return DMASTRESS_EXIT_SKIP;
	}
	if (buf[0] != 'N' && buf[0] != '0') {
		printf("skip: dma-debug is disabled (dma_debug=off, or it ran out of memory)\n");
		return DMASTRESS_EXIT_SKIP;
	}
	st->fd = dmastress_open(st->device);
	if (st->fd < 0)
		return DMASTRESS_EXIT_SKIP;
	if (dmastress_get_info(st->fd, st->device, &info))
		return DMASTRESS_EXIT_FAIL;
	dmastress_bdf_name(info.bdf, st->bdf, sizeof(st->bdf));
	/* an out-of-range class tells a refusal from a kernel that accepts */
	if (ioctl(st->fd, DMASTRESS_IOC_MISUSE, &m) == 0 || errno != EINVAL) {
		if (errno == EPERM)
			printf("skip: refused: dmastress.ko was loaded without allow_misuse=1\n");
		else if (errno == EOPNOTSUPP)
			printf("skip: refused: the kernel has no CONFIG_DMA_API_DEBUG\n");
		else
			printf("skip: DMASTRESS_IOC_MISUSE: %s\n", strerror(errno));
		return DMASTRESS_EXIT_SKIP;
	}
	return 0;
}

/**
 * dmastress_misuse_main() - "dmastress misuse"
 * @argc: argument count, argv[0] is "misuse"
 * @argv: arguments
 *
 * Return: exit code, DMASTRESS_EXIT_*.
 */
int dmastress_misuse_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "class", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmastress_misuse_state st = {
		.device = DMASTRESS_DEFAULT_DEVICE,
		.fd = -1,
		.kmsg = -1,
	};
	bool want[DMASTRESS_NR_CASES] = { false };
	int c, ret, passed = 0, failed = 0, skipped = 0;
	bool any = false;
	char all_errors[16] = "0";
	unsigned int i, n = 0, total = 0;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (dmastress_misuse_select(optarg, want))
				return DMASTRESS_EXIT_USAGE;
			any = true;
			break;
		case 'd':
			if (dmastress_valid_device("misuse", optarg))
				return DMASTRESS_EXIT_USAGE;
			st.device = optarg;
			break;
		case 'h':
			dmastress_misuse_usage(stdout);
			return DMASTRESS_EXIT_OK;
		default:
			dmastress_usage_error("misuse", "bad option");
			return DMASTRESS_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		dmastress_usage_error("misuse", "unexpected argument '%s'",
				      argv[optind]);
		return DMASTRESS_EXIT_USAGE;
	}
	for (i = 0; i < DMASTRESS_NR_CASES; i++) {
		if (!any)
			want[i] = true;
		total += want[i];
	}

	ret = dmastress_misuse_ready(&st);
	if (ret) {
		if (st.fd >= 0)
			close(st.fd);
		return ret;
	}
	st.log = malloc(DMASTRESS_KMSG_BYTES);
	st.kmsg = dmastress_kmsg_open();
	if (!st.log || st.kmsg < 0) {
		fprintf(stderr, "dmastress: misuse: cannot follow /dev/kmsg: %s\n",
			st.kmsg < 0 ? strerror(-st.kmsg) : "out of memory");
		ret = DMASTRESS_EXIT_FAIL;
		goto out;
	}
	dmastress_read_str_file(DMA_API_DIR "/all_errors", all_errors,
				sizeof(all_errors));
	ret = dmastress_write_file(DMA_API_DIR "/all_errors", "1");
	if (ret) {
		fprintf(stderr, "dmastress: misuse: cannot set all_errors: %s\n",
			strerror(-ret));
		ret = DMASTRESS_EXIT_FAIL;
		goto out;
	}

	printf("KTAP version 1\n1..%u\n", total);
	printf("# device=%s bdf=%s\n", st.device, st.bdf);
	for (i = 0; i < DMASTRESS_NR_CASES; i++) {
		if (!want[i])
			continue;
		n++;
		if (st.fd < 0) {
			printf("not ok %u %s # the device is gone\n", n,
			       dmastress_misuse_cases[i].name);
			failed++;
			continue;
		}
		ret = dmastress_misuse_case(&st, &dmastress_misuse_cases[i], n);
		if (ret > 0)
			passed++;
		else if (ret < 0)
			skipped++;
		else
			failed++;
		fflush(stdout);
	}
	dmastress_write_file(DMA_API_DIR "/all_errors", all_errors);
	printf("misuse: %d passed, %d failed, %d skipped\n", passed, failed,
	       skipped);
	ret = failed ? DMASTRESS_EXIT_FAIL :
	      passed ? DMASTRESS_EXIT_OK : DMASTRESS_EXIT_SKIP;
out:
	if (st.kmsg >= 0)
		close(st.kmsg);
	if (st.fd >= 0)
		close(st.fd);
	free(st.log);
	return ret;
}
