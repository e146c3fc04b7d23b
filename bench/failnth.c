// SPDX-License-Identifier: GPL-2.0-only
/*
 * failnth.c - "dmastress failnth": an nth-failure sweep in the style of the
 * iommufd fail_nth selftest.
 *
 * For each path, one small run (one operation, DMASTRESS_RUN_INLINE so that
 * it executes in this thread) is repeated with the 1st, 2nd, ... fault site
 * of the thread made to fail through /proc/thread-self/fail-nth (failslab
 * and fail_page_alloc, made to consider sleeping allocations and order-0
 * pages for the sweep), until a run no longer reaches the armed failure.
 * Every attempt must end cleanly: the ioctl fails with -ENOMEM, or the run
 * reports the failure as a counted allocation or mapping error, or a
 * fallback absorbed it and the data still verified; and it must leave
 * nothing behind: dma-api/num_free_entries and swiotlb's io_tlb_used are
 * back to their values before the attempt. The last, unfailed run must
 * pass. kmemleak is the caller's to scan afterwards, and so is keeping
 * kernel/dma/debug.c out of the injection (the stacktrace filter's
 * reject-start/reject-end): a failed allocation there switches dma-debug
 * off for good.
 *
 * Without --paths the sweep goes on to BATCH, REUSE and STRESS runs and to
 * the other entry points, each a sequence run with its nth fault site
 * failed that must end with success or -ENOMEM and leave nothing behind:
 * open() with INFO; VIEW_CREATE, mmap(), VIEW_XFER, munmap() and
 * VIEW_DESTROY for each view path; with --bind the driver's probe (a bind
 * through sysfs, compared with the device unbound) and its remove (an
 * unbind), where the kernel's own IRQ core WARNs (FINDINGS.md).
 *
 * Output is KTAP, one test per path, run variant and entry point, ending
 * with "failnth: N passed, M failed, K skipped".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dmastress.h"

#define DMA_API_FREE		DMASTRESS_DMA_API_DIR "/num_free_entries"
#define SWIOTLB_USED		DMASTRESS_SWIOTLB_DIR "/io_tlb_used"
#define FAILSLAB_DIR		"/sys/kernel/debug/failslab"
#define FAIL_PAGE_DIR		"/sys/kernel/debug/fail_page_alloc"
#define DMASTRESS_FAILNTH_MAX	5000
#define DMASTRESS_FAILNTH_SIZE	8192
#define DMASTRESS_FAILNTH_NENTS	4

/* A debugfs knob set for the sweep and restored afterwards. */
struct dmastress_knob {
	const char *path;
	const char *value;
	char saved[32];
	bool changed;
};

static struct dmastress_knob dmastress_knobs[] = {
	{ .path = FAILSLAB_DIR "/ignore-gfp-wait", .value = "N" },
	{ .path = FAILSLAB_DIR "/verbose", .value = "0" },
	{ .path = FAIL_PAGE_DIR "/ignore-gfp-wait", .value = "N" },
	{ .path = FAIL_PAGE_DIR "/ignore-gfp-highmem", .value = "N" },
	{ .path = FAIL_PAGE_DIR "/min-order", .value = "0" },
	{ .path = FAIL_PAGE_DIR "/verbose", .value = "0" },
};

#define DMASTRESS_NR_KNOBS	(sizeof(dmastress_knobs) / sizeof(dmastress_knobs[0]))

struct dmastress_failnth_opts {
	const char *device;
	uint32_t paths;
	uint32_t engine;
	uint32_t dir;
	uint64_t size;
	uint32_t max_nth;
	bool bind;
};

/* What one path's sweep saw. */
struct dmastress_sweep {
	unsigned int attempts;		/* runs with an armed failure hit */
	unsigned int ioctl_enomem;	/* the ioctl itself failed -ENOMEM */
	unsigned int counted;		/* the run counted the error */
	unsigned int absorbed;		/* a fallback absorbed it, data verified */
	unsigned int bad;		/* anything else */
	unsigned int leaks;		/* dma-debug entries or swiotlb slots left */
	unsigned int final_nth;		/* the nth never reached */
	bool done;
};

static void dmastress_failnth_usage(FILE *f)
{
	char engines[64], dirs[64];

	dmastress_names_join(engines, sizeof(engines), dmastress_engine_names,
			     DMASTRESS_NR_ENGINES, ", ", 18);
	dmastress_names_join(dirs, sizeof(dirs), dmastress_dir_names,
			     DMASTRESS_NR_DIRS, ", ", 18);
	fprintf(f,
		"usage: dmastress failnth [--paths LIST] [--engine E] [--dir D]\n"
		"                         [--size BYTES] [--max-nth N] [--device PATH]\n"
		"\n"
		"nth-failure sweep: one operation per path, repeated with the 1st, 2nd, ...\n"
		"allocation of the run failed (fail-nth), until the run no longer reaches\n"
		"the failure. Each attempt must fail cleanly and leave no dma-debug entry\n"
		"or swiotlb slot behind. Without --paths, also BATCH, REUSE and STRESS\n"
		"runs, open(), the views (create, mmap, xfer, destroy), and with --bind\n"
		"the driver's probe and remove (bind and unbind of the device).\n"
		"Needs CONFIG_FAULT_INJECTION, FAILSLAB,\n"
		"FAIL_PAGE_ALLOC with debugfs, and CONFIG_DMA_API_DEBUG.\n"
		"\n"
		"  --paths LIST    paths to sweep (default: all)\n"
		"  --engine E      %s (default %s)\n"
		"  --dir D         %s (default %s)\n"
		"  --size BYTES    bytes of the operation (default %u)\n"
		"  --max-nth N     give up on a path after N attempts (default %u)\n"
		"  --device PATH   device node (default " DMASTRESS_DEFAULT_DEVICE ")\n"
		"  --bind          sweep bind and unbind too (the kernel's IRQ core WARNs\n"
		"                  in remove_proc_entry() after a failed /proc/irq entry)\n"
		"\n"
		"Exit: 0 when no path failed, 1 on a failure, 2 bad arguments, 4 skipped.\n",
		engines, dmastress_engine_names[DMASTRESS_ENGINE_CPU], dirs,
		dmastress_dir_names[DMASTRESS_DIR_BIDIRECTIONAL],
		DMASTRESS_FAILNTH_SIZE, DMASTRESS_FAILNTH_MAX);
}

static void dmastress_knobs_restore(void)
{
	unsigned int i;

	for (i = 0; i < DMASTRESS_NR_KNOBS; i++)
		if (dmastress_knobs[i].changed)
			dmastress_write_file(dmastress_knobs[i].path,
					     dmastress_knobs[i].saved);
}

static int dmastress_knobs_set(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < DMASTRESS_NR_KNOBS; i++) {
		struct dmastress_knob *k = &dmastress_knobs[i];

		ret = dmastress_read_str_file(k->path, k->saved,
					      sizeof(k->saved));
		if (!ret)
			ret = dmastress_write_file(k->path, k->value);
		if (ret) {
			printf("skip: %s: %s (kernel without FAILSLAB/FAIL_PAGE_ALLOC debugfs?)\n",
			       k->path, strerror(-ret));
			dmastress_knobs_restore();
			return -1;
		}
		k->changed = true;
	}
	return 0;
}

/* dma-debug free entries and swiotlb slots in use (UINT64_MAX: unknown). */
static void dmastress_footprint(uint64_t *free_entries, uint64_t *tlb_used)
{
	if (dmastress_read_u64_file(DMA_API_FREE, free_entries))
		*free_entries = UINT64_MAX;
	if (dmastress_read_u64_file(SWIOTLB_USED, tlb_used))
		*tlb_used = UINT64_MAX;
}

static void dmastress_failnth_params(const struct dmastress_failnth_opts *o,
				     uint32_t path,
				     struct dmastress_run_params *p)
{
	memset(p, 0, sizeof(*p));
	p->path = path;
	p->engine = o->engine;
	p->dir = o->dir;
	p->flags = DMASTRESS_RUN_INLINE;
	p->len_bytes = o->size;
	p->threads = 1;
	p->iterations = 1;
	p->seed = 0x5eed0000 | path;
	if (path == DMASTRESS_PATH_SG || path == DMASTRESS_PATH_SGTABLE ||
	    path == DMASTRESS_PATH_NONCONTIG)
		p->nents = o->size >= DMASTRESS_FAILNTH_NENTS * 64 ?
			   DMASTRESS_FAILNTH_NENTS : 0;
	if (path == DMASTRESS_PATH_RESOURCE) {
		/* edu's BAR reads back ~0: only moving bytes is checked */
		p->flags |= DMASTRESS_RUN_NO_VERIFY;
		if (p->len_bytes > 2048)
			p->len_bytes = 2048;
	}
}

static bool dmastress_run_clean(const struct dmastress_run *run)
{
	return !run->status && run->result.ops &&
	       !dmastress_run_errors(&run->result);
}

/*
 * One attempt with fail-nth @nth. Returns 1 when the armed failure was not
 * reached (the sweep of this path is over), 0 when it was, -1 on an error
 * of the sweep itself.
 */
static int dmastress_failnth_attempt(int fd, int nth_fd,
				     const struct dmastress_run_params *p,
				     unsigned int nth, struct dmastress_sweep *sw,
				     const char *name)
{
	struct dmastress_path_counts counts[DMASTRESS_NR_PATHS];
	uint64_t free0, used0, free1, used1;
	struct dmastress_run run;
	unsigned int left = 0;
	int ret, err;

	dmastress_footprint(&free0, &used0);
	/* fault the result buffers in before arming */
	memset(&run, 0, sizeof(run));
	memset(counts, 0, sizeof(counts));
	if (dmastress_fail_nth_set(nth_fd, nth))
		return -1;
	ret = dmastress_run_ioctl(fd, p, NULL, counts, &run);
	err = dmastress_fail_nth_get(nth_fd, &left);
	dmastress_fail_nth_set(nth_fd, 0);
	if (err)
		return -1;
	dmastress_footprint(&free1, &used1);

	if (free1 != free0 || used1 != used0) {
		printf("# %s nth=%u: left behind: dma-api num_free_entries %llu -> %llu, io_tlb_used %llu -> %llu\n",
		       name, nth, (unsigned long long)free0,
		       (unsigned long long)free1, (unsigned long long)used0,
		       (unsigned long long)used1);
		sw->leaks++;
	}
	if (left) {
		/* the run made fewer than nth allocations: it must pass */
		sw->done = true;
		sw->final_nth = nth;
		if (ret || !dmastress_run_clean(&run)) {
			printf("# %s nth=%u (not reached): the unfailed run did not pass: ioctl %d status %d\n",
			       name, nth, ret, run.status);
			sw->bad++;
		}
		return 1;
	}
	sw->attempts++;
	if (ret == -ENOMEM) {
		sw->ioctl_enomem++;
	} else if (ret) {
		printf("# %s nth=%u: ioctl failed with %s, expected ENOMEM\n",
		       name, nth, strerror(-ret));
		sw->bad++;
	} else if ((run.status == -ENOMEM || run.status == -EIO ||
		    /* a stress run counts the error and goes on */
		    (!run.status && (p->flags & DMASTRESS_RUN_STRESS) &&
		     run.result.alloc_errors + run.result.map_errors)) &&
		   !(run.result.mismatches + run.result.guard_errors +
		     run.result.src_errors + run.result.device_faults +
		     run.result.mask_violations + run.result.seg_violations)) {
		/* the run ended with the error (counted when an op hit it) */
		sw->counted++;
	} else if (dmastress_run_clean(&run)) {
		sw->absorbed++;
	} else {
		printf("# %s nth=%u: status %d ops %llu: ", name, nth,
		       run.status, (unsigned long long)run.result.ops);
		dmastress_run_print_errors(stdout, "", &run.result);
		printf("\n");
		sw->bad++;
	}
	return 0;
}

/* One run's sweep; returns 1 passed, 0 failed, -1 skipped. */
static int dmastress_failnth_run(int fd, int nth_fd,
				 const struct dmastress_failnth_opts *o,
				 const struct dmastress_run_params *params,
				 const char *name, unsigned int n)
{
	struct dmastress_run_params p = *params;
	struct dmastress_sweep sw = { 0 };
	struct dmastress_run run;
	unsigned int nth;
	int ret;

	/* warm-up: whatever a first run sets up for good is not a leak */
	ret = dmastress_run_ioctl(fd, &p, NULL, NULL, &run);
	if (!ret && run.status == -EOPNOTSUPP) {
		printf("ok %u %s # SKIP %s\n", n, name, run.result.skip_reason);
		return -1;
	}
	if (ret || !dmastress_run_clean(&run)) {
		printf("not ok %u %s # the run fails without fault injection: ioctl %d status %d\n",
		       n, name, ret, run.status);
		return 0;
	}
	for (nth = 1; nth <= o->max_nth; nth++) {
		ret = dmastress_failnth_attempt(fd, nth_fd, &p, nth, &sw, name);
		if (ret < 0) {
			printf("not ok %u %s # fail-nth: %s\n", n, name,
			       strerror(errno));
			return 0;
		}
		if (ret)
			break;
	}
	printf("# %s: %u fault sites failed one by one: ioctl ENOMEM %u, counted by the run %u, absorbed %u, bad %u, leaks %u\n",
	       name, sw.attempts, sw.ioctl_enomem, sw.counted, sw.absorbed,
	       sw.bad, sw.leaks);
	if (!sw.done) {
		printf("not ok %u %s # still failing after %u attempts\n", n,
		       name, o->max_nth);
		return 0;
	}
	if (sw.bad || sw.leaks || !sw.attempts) {
		printf("not ok %u %s\n", n, name);
		return 0;
	}
	printf("ok %u %s # nth=%u passes\n", n, name, sw.final_nth);
	return 1;
}

/* The run flags swept beside the paths: a batch, one buffer reused, a mix. */
static void dmastress_failnth_variant(const struct dmastress_failnth_opts *o,
				      unsigned int v, struct dmastress_run_params *p,
				      const char **name)
{
	static const char *const names[] = {
		"single+batch", "single+reuse", "sg+stress",
	};

	dmastress_failnth_params(o, v == 2 ? DMASTRESS_PATH_SG :
				 DMASTRESS_PATH_SINGLE, p);
	*name = names[v];
	switch (v) {
	case 0:
		p->flags |= DMASTRESS_RUN_BATCH;
		p->batch = 4;
		break;
	case 1:
		p->flags |= DMASTRESS_RUN_REUSE;
		p->iterations = 3;
		break;
	default:
		p->flags |= DMASTRESS_RUN_STRESS;
		p->live = 2;
		p->iterations = 4;
		p->paths = 1U << DMASTRESS_PATH_SINGLE | 1U << DMASTRESS_PATH_SG;
		p->nents = 0;
		break;
	}
}

#define DMASTRESS_FAILNTH_VARIANTS	3

/* What an entry sweep works on. */
struct dmastress_entry_ctx {
	const char *device;
	char bdf[32];
	uint32_t view_path;
};

/*
 * An entry point's sequence, run with the nth fault site failed: 0 when
 * every step succeeded (*@clean: and what it moved verified), else the
 * first step's -errno, after undoing the steps before it.
 */
typedef int (*dmastress_entry_fn)(struct dmastress_entry_ctx *c, bool *clean);

/* open(), INFO, close() */
static int dmastress_entry_open(struct dmastress_entry_ctx *c, bool *clean)
{
	struct dmastress_info info = { .size = sizeof(info) };
	int fd = open(c->device, O_RDWR | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, DMASTRESS_IOC_INFO, &info))
		ret = -errno;
	close(fd);
	*clean = !ret && info.dma_mask;
	return ret;
}

/* VIEW_CREATE, mmap(), VIEW_XFER (the device writes), check, munmap(), VIEW_DESTROY */
static int dmastress_entry_view(struct dmastress_entry_ctx *c, bool *clean)
{
	const size_t len = 65536;
	struct dmastress_view v = { .size = sizeof(v), .path = c->view_path,
				    .len_bytes = len };
	struct dmastress_view_xfer x = { .size = sizeof(x),
					 .op = DMASTRESS_VIEW_DEVICE_WRITE,
					 .engine = DMASTRESS_ENGINE_CPU,
					 .seed = 0xfa11, .len_bytes = len };
	struct dmastress_view_destroy d = { .size = sizeof(d) };
	int fd = open(c->device, O_RDWR | O_CLOEXEC), ret = 0;
	uint8_t *map = MAP_FAILED;
	size_t i;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, DMASTRESS_IOC_VIEW_CREATE, &v)) {
		ret = -errno;
		goto out;
	}
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)v.mmap_offset);
	if (map == MAP_FAILED) {
		ret = -errno;
		goto destroy;
	}
	x.id = v.id;
	if (ioctl(fd, DMASTRESS_IOC_VIEW_XFER, &x)) {
		ret = -errno;
		goto unmap;
	}
	*clean = !x.device_faults && !x.mismatches;
	for (i = 0; i < len && *clean; i++)
		*clean = map[i] == dmastress_pattern(x.seed, i);
unmap:
	munmap(map, len);
destroy:
	d.id = v.id;
	if (ioctl(fd, DMASTRESS_IOC_VIEW_DESTROY, &d) && !ret)
		ret = -errno;
out:
	close(fd);
	return ret;
}

/* the driver's probe: a bind of the unbound device */
static int dmastress_entry_bind(struct dmastress_entry_ctx *c, bool *clean)
{
	int ret = dmastress_write_file(DMASTRESS_SYSFS_DRIVER "/bind", c->bdf);

	*clean = !ret;
	return ret;
}

/* the driver's remove: an unbind of the bound device */
static int dmastress_entry_unbind(struct dmastress_entry_ctx *c, bool *clean)
{
	int ret = dmastress_write_file(DMASTRESS_SYSFS_DRIVER "/unbind", c->bdf);

	*clean = !ret;
	return ret;
}

static bool dmastress_bound(const struct dmastress_entry_ctx *c)
{
	char path[128];

	snprintf(path, sizeof(path), DMASTRESS_SYSFS_DRIVER "/%s", c->bdf);
	return !access(path, F_OK);
}

/* Before each attempt of bind (unbound) and unbind (bound); -1 if it cannot. */
static int dmastress_entry_prepare(struct dmastress_entry_ctx *c,
				   dmastress_entry_fn fn)
{
	if (fn == dmastress_entry_bind && dmastress_bound(c))
		return dmastress_write_file(DMASTRESS_SYSFS_DRIVER "/unbind",
					    c->bdf) ? -1 : 0;
	if (fn == dmastress_entry_unbind && !dmastress_bound(c))
		return dmastress_write_file(DMASTRESS_SYSFS_DRIVER "/bind",
					    c->bdf) ? -1 : 0;
	return 0;
}

/*
 * One entry point's sweep, as for a run: the nth fault site fails, the
 * sequence must end with success (absorbed) or -ENOMEM, and leave the
 * dma-debug entries and swiotlb slots as they were. Returns 1 passed, 0
 * failed.
 */
static int dmastress_failnth_entry(int nth_fd, unsigned int max_nth,
				   struct dmastress_entry_ctx *c,
				   dmastress_entry_fn fn, const char *name,
				   unsigned int n)
{
	struct dmastress_sweep sw = { 0 };
	uint64_t free0, used0, free1, used1, free_u = 0, used_u = 0;
	unsigned int nth, left = 0;
	bool clean = false;
	int ret, err;

	/* an unbind frees the device's own: compare with it unbound */
	if (fn == dmastress_entry_unbind) {
		if (dmastress_entry_prepare(c, dmastress_entry_bind))
			goto nth_err;
		dmastress_footprint(&free_u, &used_u);
	}
	for (nth = 1; nth <= max_nth; nth++) {
		if (dmastress_entry_prepare(c, fn)) {
			printf("not ok %u %s # cannot set the device up for it\n",
			       n, name);
			return 0;
		}
		dmastress_footprint(&free0, &used0);
		clean = false;
		if (dmastress_fail_nth_set(nth_fd, nth))
			goto nth_err;
		ret = fn(c, &clean);
		err = dmastress_fail_nth_get(nth_fd, &left);
		dmastress_fail_nth_set(nth_fd, 0);
		if (err)
			goto nth_err;
		/* a probe that succeeded holds its own: compare unbound */
		if (fn == dmastress_entry_bind && !ret &&
		    dmastress_entry_prepare(c, dmastress_entry_bind))
			goto nth_err;
		dmastress_footprint(&free1, &used1);
		if (fn == dmastress_entry_unbind && !dmastress_bound(c)) {
			free0 = free_u;
			used0 = used_u;
		}
		if (free1 != free0 || used1 != used0) {
			printf("# %s nth=%u: left behind: dma-api num_free_entries %llu -> %llu, io_tlb_used %llu -> %llu\n",
			       name, nth, (unsigned long long)free0,
			       (unsigned long long)free1,
			       (unsigned long long)used0,
			       (unsigned long long)used1);
			sw.leaks++;
		}
		if (left) {
			sw.done = true;
			sw.final_nth = nth;
			if (ret || !clean) {
				printf("# %s nth=%u (not reached): failed unfailed: %s\n",
				       name, nth, strerror(-ret));
				sw.bad++;
			}
			break;
		}
		sw.attempts++;
		if (!ret && clean) {
			sw.absorbed++;
		} else if (ret == -ENOMEM) {
			sw.ioctl_enomem++;
		} else {
			printf("# %s nth=%u: %s%s, expected ENOMEM\n", name, nth,
			       ret ? strerror(-ret) : "succeeded",
			       ret || clean ? "" : " but did not verify");
			sw.bad++;
		}
	}
	printf("# %s: %u fault sites failed one by one: ENOMEM %u, absorbed %u, bad %u, leaks %u\n",
	       name, sw.attempts, sw.ioctl_enomem, sw.absorbed, sw.bad,
	       sw.leaks);
	if (!sw.done || sw.bad || sw.leaks || !sw.attempts) {
		printf("not ok %u %s%s\n", n, name,
		       sw.done ? "" : " # still failing at --max-nth");
		return 0;
	}
	printf("ok %u %s # nth=%u passes\n", n, name, sw.final_nth);
	return 1;
nth_err:
	dmastress_fail_nth_set(nth_fd, 0);
	printf("not ok %u %s # fail-nth: %s\n", n, name, strerror(errno));
	return 0;
}

static const struct {
	const char *name;
	dmastress_entry_fn fn;
	uint32_t view_path;
} dmastress_entries[] = {
	{ "open+info", dmastress_entry_open, 0 },
	{ "view-coherent", dmastress_entry_view, DMASTRESS_PATH_COHERENT },
	{ "view-pages", dmastress_entry_view, DMASTRESS_PATH_PAGES },
	{ "view-noncontig", dmastress_entry_view, DMASTRESS_PATH_NONCONTIG },
	{ "bind", dmastress_entry_bind, 0 },
	{ "unbind", dmastress_entry_unbind, 0 },
};

#define DMASTRESS_NR_ENTRIES \
	(sizeof(dmastress_entries) / sizeof(dmastress_entries[0]))

/**
 * dmastress_failnth_main() - "dmastress failnth"
 * @argc: argument count, argv[0] is "failnth"
 * @argv: arguments
 *
 * Return: exit code, DMASTRESS_EXIT_*.
 */
int dmastress_failnth_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "paths", required_argument, NULL, 'p' },
		{ "engine", required_argument, NULL, 'e' },
		{ "dir", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "max-nth", required_argument, NULL, 'm' },
		{ "device", required_argument, NULL, 'd' },
		{ "bind", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dmastress_failnth_opts o = {
		.device = DMASTRESS_DEFAULT_DEVICE,
		.engine = DMASTRESS_ENGINE_CPU,
		.dir = DMASTRESS_DIR_BIDIRECTIONAL,
		.size = DMASTRESS_FAILNTH_SIZE,
		.max_nth = DMASTRESS_FAILNTH_MAX,
	};
	int c, fd, nth_fd, ret, passed = 0, failed = 0, skipped = 0;
	struct dmastress_entry_ctx ectx = { 0 };
	unsigned int i, n = 0, total = 0, nr_entries;
	bool all;
	uint32_t id;
	char buf[256], *tok, *save = NULL;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (strlen(optarg) >= sizeof(buf)) {
				dmastress_usage_error("failnth", "--paths: too long");
				return DMASTRESS_EXIT_USAGE;
			}
			strcpy(buf, optarg);
			for (tok = strtok_r(buf, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (dmastress_parse_name("--paths", tok,
							 dmastress_path_names,
							 DMASTRESS_NR_PATHS, &id))
					return DMASTRESS_EXIT_USAGE;
				o.paths |= 1U << id;
			}
			break;
		case 'e':
			if (dmastress_parse_name("--engine", optarg,
						 dmastress_engine_names,
						 DMASTRESS_NR_ENGINES, &o.engine))
				return DMASTRESS_EXIT_USAGE;
			break;
		case 'r':
			if (dmastress_parse_name("--dir", optarg,
						 dmastress_dir_names, 3, &o.dir))
				return DMASTRESS_EXIT_USAGE;
			break;
		case 's':
			if (dmastress_parse_size("--size", optarg, 1,
						 DMASTRESS_MAX_LEN_BYTES, &o.size))
				return DMASTRESS_EXIT_USAGE;
			break;
		case 'm':
			if (dmastress_parse_u32("--max-nth", optarg, 1,
						1000000, &o.max_nth))
				return DMASTRESS_EXIT_USAGE;
			break;
		case 'd':
			if (dmastress_valid_device("failnth", optarg))
				return DMASTRESS_EXIT_USAGE;
			o.device = optarg;
			break;
		case 'b':
			o.bind = true;
			break;
		case 'h':
			dmastress_failnth_usage(stdout);
			return DMASTRESS_EXIT_OK;
		default:
			dmastress_usage_error("failnth", "bad option");
			return DMASTRESS_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		dmastress_usage_error("failnth", "unexpected argument '%s'",
				      argv[optind]);
		return DMASTRESS_EXIT_USAGE;
	}
	/* without --paths: the run variants and the other entry points too */
	all = !o.paths;
	if (!o.paths)
		o.paths = (1U << DMASTRESS_NR_PATHS) - 1;
	for (i = 0; i < DMASTRESS_NR_PATHS; i++)
		total += !!(o.paths & (1U << i));
	/* bind and unbind, the last two entries, only with --bind */
	nr_entries = DMASTRESS_NR_ENTRIES - (o.bind ? 0 : 2);
	if (all)
		total += DMASTRESS_FAILNTH_VARIANTS + nr_entries;

	nth_fd = dmastress_fail_nth_open();
	if (nth_fd < 0) {
		printf("skip: /proc/thread-self/fail-nth: %s (kernel without CONFIG_FAULT_INJECTION?)\n",
		       strerror(-nth_fd));
		return DMASTRESS_EXIT_SKIP;
	}
	fd = dmastress_open(o.device);
	if (fd < 0) {
		close(nth_fd);
		return DMASTRESS_EXIT_SKIP;
	}
	if (dmastress_knobs_set()) {
		close(fd);
		close(nth_fd);
		return DMASTRESS_EXIT_SKIP;
	}

	printf("KTAP version 1\n1..%u\n", total);
	printf("# engine=%s dir=%s size_bytes=%llu\n",
	       dmastress_engine_names[o.engine], dmastress_dir_names[o.dir],
	       (unsigned long long)o.size);
	if (dmastress_read_str_file(FAILSLAB_DIR "/reject-end", buf, sizeof(buf)) ||
	    !strtoull(buf, NULL, 0))
		printf("# no stacktrace reject range set: a failure inside dma-debug switches it off for good\n");
	for (i = 0; i < DMASTRESS_NR_PATHS + (all ? DMASTRESS_FAILNTH_VARIANTS : 0); i++) {
		struct dmastress_run_params p;
		const char *name;

		if (i < DMASTRESS_NR_PATHS && !(o.paths & (1U << i)))
			continue;
		if (i < DMASTRESS_NR_PATHS) {
			/* the path names only: never indexed past them */
			name = dmastress_path_names[i];
			dmastress_failnth_params(&o, i, &p);
		} else
			dmastress_failnth_variant(&o, i - DMASTRESS_NR_PATHS, &p,
						  &name);
		ret = dmastress_failnth_run(fd, nth_fd, &o, &p, name, ++n);
		if (ret > 0)
			passed++;
		else if (ret < 0)
			skipped++;
		else
			failed++;
		fflush(stdout);
	}
	if (all) {
		struct dmastress_info info;

		ectx.device = o.device;
		if (dmastress_get_info(fd, o.device, &info)) {
			failed += nr_entries;
		} else {
			dmastress_bdf_name(info.bdf, ectx.bdf, sizeof(ectx.bdf));
			close(fd);
			fd = -1;
			for (i = 0; i < nr_entries; i++) {
				ectx.view_path = dmastress_entries[i].view_path;
				ret = dmastress_failnth_entry(nth_fd, o.max_nth,
							      &ectx,
							      dmastress_entries[i].fn,
							      dmastress_entries[i].name,
							      ++n);
				if (ret > 0)
					passed++;
				else
					failed++;
				fflush(stdout);
			}
			/* the unbind sweep's last, unfailed attempt unbound it */
			if (o.bind &&
			    dmastress_entry_prepare(&ectx, dmastress_entry_unbind))
				printf("# cannot bind %s again\n", ectx.bdf);
		}
	}
	dmastress_knobs_restore();
	if (fd >= 0)
		close(fd);
	close(nth_fd);
	printf("failnth: %d passed, %d failed, %d skipped\n", passed, failed,
	       skipped);
	if (failed)
		return DMASTRESS_EXIT_FAIL;
	return passed ? DMASTRESS_EXIT_OK : DMASTRESS_EXIT_SKIP;
}
