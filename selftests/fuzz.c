// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz.c - random arguments, then the module must unload and load cleanly.
 *
 * module: loaded without parameters, the module offers no wrong view
 *         (pfn_pitfall is off by default); then it is loaded again with the
 *         parameters it had.
 * fuzz:   a seeded loop of at least 10,000 ioctls (and mmap/munmap/close)
 *         with random, mostly out-of-range arguments, flag words and view
 *         ids; every answer is one of the documented ones, every run that
 *         was carried out verified clean. Variant one: one process.
 *         Variant parallel: FUZZ_PROCS processes share the ioctls, half of
 *         them on the one file the test opened (its view table theirs to
 *         race on, their view ids each other's), half on files of their
 *         own. Once every file is closed, DMA-API debug's entries in use and
 *         swiotlb's used slots are back where they were. It ends by
 *         unloading the module (rmmod) and loading it again (insmod
 *         DMASTRESS_KO) with the parameters it had, and the kernel log since
 *         the start shows no oops, BUG, WARNING, KASAN, UBSAN or DMA-API
 *         report. Replay with DMASTRESS_SEED=<seed> (process i of parallel
 *         draws from seed + i); DMASTRESS_FUZZ_IOCTLS=<n> changes the number
 *         of ioctls of each variant (10,000; make soak asks parallel for
 *         100,000), DMASTRESS_FUZZ_TRACE=1 logs every call.
 */
#include <dirent.h>
#include <stdarg.h>
#include <sys/wait.h>

#include "dmastress_utils.h"

#define FUZZ_MIN_IOCTLS		10000
#define FUZZ_MAX_MAPS		32
#define FUZZ_MAX_VIEW_BYTES	(256 * 1024)
/* Valid runs stay small: 10,000 ioctls must fit a debug kernel in TCG. */
#define FUZZ_MAX_RUN_BYTES	16384
#define FUZZ_NR_OPS		10
#define FUZZ_PROCS		8

/* ---- loading and unloading ----------------------------------------- */

/* The module's current parameters as "name=value ..." for insmod. */
static int module_params(char *buf, size_t n)
{
	char path[512], val[128];
	struct dirent *de;
	size_t len = 0;
	DIR *d;

	buf[0] = '\0';
	d = opendir(DMASTRESS_SYSFS_MODULE "/parameters");
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/parameters/%s",
			 DMASTRESS_SYSFS_MODULE, de->d_name);
		if (dmastress_read_str_file(path, val, sizeof(val)))
			continue;	/* write-only: keep the default */
		len += snprintf(buf + len, n - len, "%s%s=%s", len ? " " : "",
				de->d_name, val);
		if (len >= n) {
			closedir(d);
			return -E2BIG;
		}
	}
	closedir(d);
	return 0;
}

/* Why the module cannot be reloaded here, or NULL. */
static const char *not_reloadable(void)
{
	static char why[300];

	if (access(DMASTRESS_SYSFS_MODULE "/initstate", F_OK))
		return "dmastress is built in, not a module";
	if (access(dmastress_ko_path(), R_OK)) {
		snprintf(why, sizeof(why), "no module file %s (set DMASTRESS_KO)",
			 dmastress_ko_path());
		return why;
	}
	return NULL;
}

static int _dmastress_rmmod(void)
{
	int i;

	/* The last close may still be finishing on another CPU. */
	for (i = 0; i < 50; i++) {
		if (!syscall(SYS_delete_module, "dmastress", O_NONBLOCK))
			return 0;
		if (errno != EWOULDBLOCK && errno != EAGAIN)
			break;
		usleep(100 * 1000);
	}
	return -errno;
}

/* Who still holds the module: refcnt, open files and mappings of it. */
static void print_holders(void)
{
	char path[600], link[300], line[512];
	struct dirent *p, *d;
	DIR *proc, *fds;
	FILE *maps;
	ssize_t n;

	ksft_print_msg("dmastress refcnt %lld\n", dmastress_module_refcnt());
	proc = opendir("/proc");
	if (!proc)
		return;
	while ((p = readdir(proc))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		while (fds && (d = readdir(fds))) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s",
				 p->d_name, d->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0 && (link[n] = '\0', strstr(link, "dmastress")))
				ksft_print_msg("pid %s fd %s -> %s\n", p->d_name,
					       d->d_name, link);
		}
		if (fds)
			closedir(fds);
		snprintf(path, sizeof(path), "/proc/%s/maps", p->d_name);
		maps = fopen(path, "re");
		while (maps && fgets(line, sizeof(line), maps))
			if (strstr(line, "dmastress"))
				ksft_print_msg("pid %s maps %s", p->d_name, line);
		if (maps)
			fclose(maps);
	}
	closedir(proc);
}

/* insmod DMASTRESS_KO @params, then wait for the device node. */
static int _dmastress_insmod(const char *params)
{
	int fd = open(dmastress_ko_path(), O_RDONLY | O_CLOEXEC);
	int i, ret = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	for (i = 0; !ret && i < 100; i++) {
		if (!access(dmastress_dev_path(), F_OK))
			return 0;
		usleep(100 * 1000);
	}
	return ret ? ret : -ENODEV;
}

#define dmastress_rmmod() ASSERT_EQ(0, _dmastress_rmmod())
#define dmastress_insmod(params) ASSERT_EQ(0, _dmastress_insmod(params))

/* ---- module: the default is safe ------------------------------------ */

FIXTURE(module) {
	char params[512];
	bool reloaded;
};

FIXTURE_SETUP(module)
{
	const char *why = not_reloadable();

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, module_params(self->params, sizeof(self->params)));
}

FIXTURE_TEARDOWN(module)
{
	/* Leave the module as it was found, whatever happened. */
	if (self->reloaded && access(dmastress_dev_path(), F_OK) == 0) {
		_dmastress_rmmod();
		_dmastress_insmod(self->params);
	} else if (self->reloaded) {
		_dmastress_insmod(self->params);
	}
}

TEST_F_TIMEOUT(module, default_offers_no_wrong_view, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info info;
	struct dmastress_view v;
	void *p = NULL;
	int fd;

	ksft_print_msg("parameters: '%s'\n", self->params);
	dmastress_rmmod();
	self->reloaded = true;
	dmastress_insmod("");
	dmastress_open(&fd);
	dmastress_get_info(fd, &info);
	EXPECT_EQ(0, info.flags & DMASTRESS_INFO_PFN_PITFALL);
	dmastress_view_create(fd, DMASTRESS_PATH_COHERENT, 4096, &v);
	EXPECT_EQ(0, v.flags & DMASTRESS_VIEW_WRONG_PFN);
	dmastress_err_mmap(EPERM, fd, v.wrong_mmap_offset, 4096, PROT_READ, &p);
	/* The right view is there as always. */
	dmastress_mmap(fd, v.mmap_offset, 4096, PROT_READ | PROT_WRITE, &p);
	munmap(p, 4096);
	close(fd);

	dmastress_rmmod();
	dmastress_insmod(self->params);
	self->reloaded = false;
}

/* ---- fuzz ------------------------------------------------------------ */

struct fuzz_view {
	bool live;
	__u32 id;
	__u64 len;
	__u64 mmap_offset;
	__u64 wrong_mmap_offset;
};

struct fuzz_map {
	void *addr;
	size_t len;
};

struct fuzz {
	__u32 rng;
	int fd;
	size_t page;
	struct fuzz_view views[DMASTRESS_MAX_VIEWS];
	struct fuzz_map maps[FUZZ_MAX_MAPS];
	void *none;			/* a PROT_NONE page: never accessible */
	struct dmastress_hist *hists;
	struct dmastress_path_counts counts[DMASTRESS_NR_PATHS];
	unsigned long ioctls, calls, ok, runs, runs_done, reopens;
	bool misuse_allowed;
	bool trace;			/* DMASTRESS_FUZZ_TRACE: every call */
	bool translates;
	bool shared;			/* @fd is other processes' file too */
	unsigned long known_mask;
	__u64 op_ns[FUZZ_NR_OPS];
	unsigned long op_count[FUZZ_NR_OPS];
	unsigned long err[256];
	int failures;
	char first[256];
};

static __u32 r32(struct fuzz *f)
{
	return dmastress_rand(&f->rng);
}

static __u64 r64(struct fuzz *f)
{
	return (__u64)r32(f) << 32 | r32(f);
}

static bool one_in(struct fuzz *f, __u32 n)
{
	return r32(f) % n == 0;
}

/* A value that is often on or just past a boundary. */
static __u64 interesting(struct fuzz *f)
{
	static const __u64 v[] = {
		0, 1, 2, 3, 7, 23, 24, 25, 63, 64, 65, 4095, 4096, 4097,
		DMASTRESS_MAX_NENTS, DMASTRESS_MAX_NENTS + 1,
		DMASTRESS_MAX_THREADS + 1, DMASTRESS_MAX_SECONDS + 1,
		DMASTRESS_MAX_BATCH + 1, DMASTRESS_MAX_LEN_BYTES,
		DMASTRESS_MAX_LEN_BYTES + 1, DMASTRESS_MAX_ITERATIONS + 1,
		0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 1ULL << 32,
		1ULL << 63, ~0ULL,
	};

	switch (r32(f) % 4) {
	case 0:
		return r32(f);
	case 1:
		return r64(f);
	default:
		return v[r32(f) % ARRAY_SIZE(v)];
	}
}

/* Corrupt up to three places of the first @len bytes of @s. */
static void corrupt(struct fuzz *f, void *s, size_t len)
{
	static const unsigned int widths[] = { 1, 4, 8 };
	unsigned int i, n = 1 + r32(f) % 3;

	for (i = 0; i < n; i++) {
		unsigned int w = widths[r32(f) % 3];
		size_t off;
		__u64 v;

		if (len < w)
			continue;
		off = (r32(f) % (len - w + 1)) & ~(size_t)(w - 1);
		v = interesting(f);
		memcpy((char *)s + off, &v, w);
	}
}

static void __printf(2, 3) fuzz_fail(struct fuzz *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->failures++) {
		va_start(ap, fmt);
		vsnprintf(f->first, sizeof(f->first), fmt, ap);
		va_end(ap);
	}
}

/* Account for one answer; answers outside @allowed are failures. */
static void answer(struct fuzz *f, const char *what, int ret,
		   const int *allowed)
{
	f->calls++;
	if (f->trace)
		ksft_print_msg("fuzz %lu: %s fd %d -> %d\n", f->calls, what,
			       f->fd, ret);
	if (!ret) {
		f->ok++;
		return;
	}
	f->err[-ret & 0xff]++;
	for (; *allowed; allowed++)
		if (*allowed == -ret)
			return;
	fuzz_fail(f, "%s: unexpected %d (%s)", what, ret, strerror(-ret));
}

/* The same for an ioctl: those are what the loop counts. */
static void ioctl_answer(struct fuzz *f, const char *what, int ret)
{
	static const int ioctl_errs[] = {
		EINVAL, ENOTTY, EFAULT, EBUSY, ENOSPC, ENOENT, ENOMEM, EOPNOTSUPP,
		0
	};

	f->ioctls++;
	answer(f, what, ret, ioctl_errs);
}

static const int mmap_errs[] = {
	EINVAL, EPERM, EACCES, ENXIO, ENOMEM, EOVERFLOW, EBUSY, 0
};

/* A user pointer: mostly good, sometimes NULL, inaccessible or kernel. */
static void *pointer(struct fuzz *f, void *good)
{
	switch (r32(f) % 16) {
	case 0:
		return NULL;
	case 1:
		return f->none;
	case 2:
		return (void *)0xffffffff81000000ULL;
	default:
		return good;
	}
}

/* Keep valid values cheap: no run may last long or move much. */
static void bound_cost(struct dmastress_run_params *p)
{
	if (p->len_bytes >= 1 && p->len_bytes <= DMASTRESS_MAX_LEN_BYTES)
		p->len_bytes = 1 + p->len_bytes % FUZZ_MAX_RUN_BYTES;
	if (p->iterations >= 1 && p->iterations <= DMASTRESS_MAX_ITERATIONS)
		p->iterations = 1 + p->iterations % 2;
	if (p->seconds >= 1 && p->seconds <= DMASTRESS_MAX_SECONDS) {
		p->seconds = 0;
		if (!p->iterations)
			p->iterations = 1;
	}
	if (p->threads >= 1 && p->threads <= DMASTRESS_MAX_THREADS)
		p->threads = 1 + p->threads % 2;
	if (p->batch >= 1 && p->batch <= DMASTRESS_MAX_BATCH)
		p->batch = 1 + p->batch % 4;
	if (p->live >= 1 && p->live <= DMASTRESS_MAX_LIVE)
		p->live = 1 + p->live % 4;
	if (p->nents <= DMASTRESS_MAX_NENTS)
		p->nents %= 64;
	/* Negative controls make faults on purpose: not here. */
	p->flags &= ~(DMASTRESS_RUN_SKIP_SYNC_FOR_CPU | DMASTRESS_RUN_OOB_XFER |
		      DMASTRESS_RUN_WRONG_DIR | DMASTRESS_RUN_STALE_XFER |
		      DMASTRESS_RUN_STALE_WRITE);
	if (p->engine == DMASTRESS_ENGINE_EDU) {
		/* 100 ms of virtual time per 2 KiB. */
		if (p->len_bytes > 2048 && p->len_bytes <= DMASTRESS_MAX_LEN_BYTES)
			p->len_bytes = 1 + p->len_bytes % 2048;
		if (p->iterations >= 1 && p->iterations <= DMASTRESS_MAX_ITERATIONS)
			p->iterations = 1;
		if (p->threads >= 1 && p->threads <= DMASTRESS_MAX_THREADS)
			p->threads = 1;
		p->flags &= ~DMASTRESS_RUN_STRESS;
		p->batch = p->batch ? 1 : 0;
	}
}

/*
 * Mask violations that are DMASTRESS_KNOWN_PAGES_MASK: behind an IOMMU, with
 * a coherent mask narrower than the streaming one, and all of them counted
 * by the pages or noncoherent path (the run's, or per the books of a mix).
 */
static bool known_mask_violations(struct fuzz *f, const struct dmastress_run *run)
{
	const struct dmastress_run_params *p = &run->params;
	__u64 pages = 0;

	if (!f->translates || !p->coherent_mask_bits ||
	    p->coherent_mask_bits >= (p->mask_bits ? p->mask_bits : 64))
		return false;
	if (!(p->flags & DMASTRESS_RUN_STRESS))
		return dmastress_path_is_pages(p->path);
	if (run->counts_ptr != (__u64)(uintptr_t)f->counts)
		return false;
	pages = f->counts[DMASTRESS_PATH_PAGES].mask_violations +
		f->counts[DMASTRESS_PATH_NONCOHERENT].mask_violations;
	return pages == run->result.mask_violations;
}

static void fuzz_run(struct fuzz *f)
{
	static const __u32 flag_bits[] = {
		DMASTRESS_RUN_BATCH, DMASTRESS_RUN_NO_VERIFY,
		DMASTRESS_RUN_HUGE, DMASTRESS_RUN_STRESS,
	};
	struct dmastress_run run;
	struct dmastress_run_params *p = &run.params;
	const struct dmastress_run_result *r = &run.result;
	__u64 mask_violations;
	bool verify;
	int ret;

	dmastress_run_init(&run, r32(f) % DMASTRESS_NR_PATHS,
			   one_in(f, 64) ? DMASTRESS_ENGINE_EDU :
					   DMASTRESS_ENGINE_CPU,
			   r32(f) % 3, 1 + r32(f) % FUZZ_MAX_RUN_BYTES,
			   1 + r32(f) % 2,
			   r32(f));
	if (one_in(f, 4))
		p->flags = flag_bits[r32(f) % 4];
	else if (one_in(f, 16))
		/* any combination of the known flags, bar the negative controls */
		p->flags = r32(f) & DMASTRESS_RUN_FLAGS_ALL;
	if (p->flags & DMASTRESS_RUN_BATCH)
		p->batch = 1 + r32(f) % 4;
	if (p->flags & DMASTRESS_RUN_STRESS) {
		p->live = 1 + r32(f) % 4;
		p->paths = r32(f) & ((1U << DMASTRESS_NR_PATHS) - 1);
	}
	p->nents = r32(f) % 64;
	p->offset_bytes = one_in(f, 2) ? 0 : r32(f) % 4096;
	if (one_in(f, 4))
		p->mask_bits = 24 + r32(f) % 41;
	if (one_in(f, 4))
		p->coherent_mask_bits = 24 + r32(f) % 41;
	if (p->path == DMASTRESS_PATH_COHERENT)
		p->attrs = r32(f) & DMASTRESS_ATTRS_ALL & ~DMASTRESS_ATTR_MMIO;
	if (p->path == DMASTRESS_PATH_PHYS && one_in(f, 4))
		p->attrs = DMASTRESS_ATTR_MMIO;
	if (p->path == DMASTRESS_PATH_IOVA && !(p->flags & DMASTRESS_RUN_STRESS)) {
		p->piece_bytes = one_in(f, 2) ? 0 : 4096U << (r32(f) % 11);
		if (one_in(f, 2))
			p->flags |= DMASTRESS_RUN_IOVA_UNLINK;
	}
	if (p->path == DMASTRESS_PATH_POOL) {
		p->pool_align = one_in(f, 2) ? 0 : 1U << (r32(f) % 13);
		p->pool_boundary = one_in(f, 2) ? 0 : 1U << (12 + r32(f) % 5);
	}
	if (one_in(f, 4)) {
		run.hist_ptr = (__u64)(uintptr_t)pointer(f, f->hists);
		run.hist_size = sizeof(struct dmastress_hist);
	}
	/* Per-path books: which path of a stress mix counted an error. */
	memset(f->counts, 0, sizeof(f->counts));
	if (!one_in(f, 8)) {
		run.counts_ptr = (__u64)(uintptr_t)pointer(f, f->counts);
		run.counts_size = sizeof(struct dmastress_path_counts);
	}
	if (!one_in(f, 3)) {
		__u64 hist_ptr = run.hist_ptr, counts_ptr = run.counts_ptr;

		corrupt(f, &run, offsetof(struct dmastress_run, result));
		/*
		 * A pointer moved by a few bytes still points into this
		 * program's own heap or struct fuzz, and the kernel rightly
		 * writes there: aim a corrupted one at kernel memory instead.
		 */
		if (run.hist_ptr != hist_ptr)
			run.hist_ptr = 0xffffffff81000000ULL;
		if (run.counts_ptr != counts_ptr)
			run.counts_ptr = 0xffffffff81000000ULL;
	}
	bound_cost(p);

	f->runs++;
	ret = _dmastress_ioctl(f->fd, DMASTRESS_IOC_RUN,
			       pointer(f, &run));
	ioctl_answer(f, "run", ret);
	if (ret)
		return;
	f->runs_done++;
	if (run.status == -EOPNOTSUPP || run.status == -ENOMEM ||
	    run.status == -EIO)
		return;	/* not here, no memory, a mask too small to map */
	if (run.status) {
		fuzz_fail(f, "run path %u engine %u len %llu: status %d",
			  p->path, p->engine, (unsigned long long)p->len_bytes,
			  run.status);
		return;
	}
	verify = !(p->flags & DMASTRESS_RUN_NO_VERIFY);
	if (r->mask_violations && known_mask_violations(f, &run)) {
		f->known_mask++;	/* DMASTRESS_KNOWN_PAGES_MASK */
		mask_violations = 0;
	} else {
		mask_violations = r->mask_violations;
	}
	if ((verify && (r->mismatches || r->guard_errors || r->src_errors)) ||
	    r->device_faults || mask_violations || r->seg_violations) {
		dmastress_run_log(&run);
		fuzz_fail(f, "run path %u engine %u dir %u len %llu flags 0x%x: errors counted",
			  p->path, p->engine, p->dir,
			  (unsigned long long)p->len_bytes, p->flags);
	}
}

static void fuzz_info(struct fuzz *f)
{
	struct dmastress_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (one_in(f, 2))
		corrupt(f, &info, sizeof(info));
	ioctl_answer(f, "info",
		     _dmastress_ioctl(f->fd, DMASTRESS_IOC_INFO, pointer(f, &info)));
}

static struct fuzz_view *any_view(struct fuzz *f)
{
	return &f->views[r32(f) % DMASTRESS_MAX_VIEWS];
}

static void fuzz_view_create(struct fuzz *f)
{
	static const __u32 paths[] = {
		DMASTRESS_PATH_COHERENT, DMASTRESS_PATH_PAGES,
		DMASTRESS_PATH_NONCONTIG,
	};
	struct dmastress_view v;
	int ret;

	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.path = paths[r32(f) % 3];
	v.len_bytes = f->page * (1 + r32(f) % (FUZZ_MAX_VIEW_BYTES / f->page));
	if (one_in(f, 2))
		corrupt(f, &v, sizeof(v));
	if (v.len_bytes > FUZZ_MAX_VIEW_BYTES &&
	    v.len_bytes <= 64 * DMASTRESS_MIB && !(v.len_bytes % f->page))
		v.len_bytes = FUZZ_MAX_VIEW_BYTES;
	ret = _dmastress_ioctl(f->fd, DMASTRESS_IOC_VIEW_CREATE,
			       pointer(f, &v));
	ioctl_answer(f, "view_create", ret);
	if (ret)
		return;
	/* on a shared file another process may have destroyed ours */
	if (v.id >= DMASTRESS_MAX_VIEWS || (f->views[v.id].live && !f->shared)) {
		fuzz_fail(f, "view_create: id %u is out of range or in use",
			  v.id);
		return;
	}
	if (f->trace)
		ksft_print_msg("fuzz: view %u path %u len %llu offset 0x%llx dma 0x%llx phys 0x%llx\n",
			       v.id, v.path, (unsigned long long)v.len_bytes,
			       (unsigned long long)v.mmap_offset,
			       (unsigned long long)v.dma_addr,
			       (unsigned long long)v.phys_addr);
	f->views[v.id] = (struct fuzz_view){
		.live = true, .id = v.id, .len = v.len_bytes,
		.mmap_offset = v.mmap_offset,
		.wrong_mmap_offset = v.wrong_mmap_offset,
	};
}

static void fuzz_view_xfer(struct fuzz *f)
{
	struct fuzz_view *fv = any_view(f);
	struct dmastress_view_xfer x;
	int ret;

	memset(&x, 0, sizeof(x));
	x.size = sizeof(x);
	x.id = fv->live && !one_in(f, 8) ? fv->id :
					   r32(f) % (DMASTRESS_MAX_VIEWS + 2);
	x.op = r32(f) % 2;
	x.engine = one_in(f, 64) ? DMASTRESS_ENGINE_EDU : DMASTRESS_ENGINE_CPU;
	x.seed = r32(f);
	x.len_bytes = 1 + r32(f) % (fv->live ? fv->len : 8192);
	if (x.engine == DMASTRESS_ENGINE_EDU && x.len_bytes > 4096)
		x.len_bytes = 4096;
	if (one_in(f, 2))
		corrupt(f, &x, sizeof(x));
	if (x.engine == DMASTRESS_ENGINE_EDU && x.len_bytes > 4096 &&
	    x.len_bytes <= FUZZ_MAX_VIEW_BYTES)
		x.len_bytes = 4096;
	if (f->trace)
		ksft_print_msg("fuzz: xfer id %u op %u engine %u len %llu (view %s len %llu)\n",
			       x.id, x.op, x.engine,
			       (unsigned long long)x.len_bytes,
			       fv->live ? "live" : "none",
			       (unsigned long long)fv->len);
	ret = _dmastress_ioctl(f->fd, DMASTRESS_IOC_VIEW_XFER,
			       pointer(f, &x));
	ioctl_answer(f, "view_xfer", ret);
	if (!ret && x.device_faults)
		fuzz_fail(f, "view_xfer id %u: %llu device faults", x.id,
			  (unsigned long long)x.device_faults);
}

static void fuzz_view_destroy(struct fuzz *f)
{
	struct fuzz_view *fv = any_view(f);
	struct dmastress_view_destroy d;
	int ret;

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.id = fv->live && !one_in(f, 8) ? fv->id :
					   r32(f) % (DMASTRESS_MAX_VIEWS + 2);
	if (one_in(f, 3))
		corrupt(f, &d, sizeof(d));
	ret = _dmastress_ioctl(f->fd, DMASTRESS_IOC_VIEW_DESTROY,
			       pointer(f, &d));
	ioctl_answer(f, "view_destroy", ret);
	if (!ret && d.id < DMASTRESS_MAX_VIEWS)
		f->views[d.id].live = false;
	if (f->trace && !ret)
		ksft_print_msg("fuzz: view %u destroyed\n", d.id);
}

static void fuzz_mmap(struct fuzz *f)
{
	struct fuzz_view *fv = any_view(f);
	struct fuzz_map *m = &f->maps[r32(f) % FUZZ_MAX_MAPS];
	bool wrong = one_in(f, 4);
	int prot = PROT_READ;
	__u64 off;
	size_t len;
	void *p = NULL;
	int ret;

	if (m->addr)
		return;
	off = fv->live ? (wrong ? fv->wrong_mmap_offset : fv->mmap_offset) :
			 (__u64)(r32(f) % 64) * f->page;
	len = f->page * (1 + r32(f) % 64);
	if (fv->live && !one_in(f, 4))
		len = fv->len;
	if (one_in(f, 8))
		off += f->page * (1 + r32(f) % 8);
	if (one_in(f, 2))
		prot |= PROT_WRITE;
	ret = _dmastress_mmap(f->fd, off, len, prot, &p);
	answer(f, "mmap", ret, mmap_errs);
	if (ret)
		return;
	*m = (struct fuzz_map){ .addr = p, .len = len };
	if (f->trace)
		ksft_print_msg("fuzz: mmap 0x%llx len %zu at %p prot %d\n",
			       (unsigned long long)off, len, p, prot);
	/*
	 * Touch only the right view: the wrong one may be any physical
	 * address (that is its point).
	 */
	if (fv->live && !wrong && off == fv->mmap_offset && len <= fv->len) {
		__u8 *b = p;

		if (prot & PROT_WRITE)
			b[len - 1] = b[0];
		else
			(void)b[len - 1];
	}
}

static void fuzz_munmap(struct fuzz *f)
{
	struct fuzz_map *m = &f->maps[r32(f) % FUZZ_MAX_MAPS];

	if (!m->addr)
		return;
	if (f->trace)
		ksft_print_msg("fuzz: munmap %p len %zu\n", m->addr, m->len);
	if (munmap(m->addr, m->len))
		fuzz_fail(f, "munmap %p len %zu: %s", m->addr, m->len,
			  strerror(errno));
	m->addr = NULL;
}

static void fuzz_unknown(struct fuzz *f)
{
	static __u8 zero[1024];
	unsigned int nr = 6 + r32(f) % 250;
	unsigned long cmd;

	cmd = _IOC(r32(f) % 4, DMASTRESS_IOC_MAGIC, nr, r32(f) % 512);
	memset(zero, 0, sizeof(zero));
	ioctl_answer(f, "unknown", _dmastress_ioctl(f->fd, cmd, zero));
}

/*
 * DMASTRESS_IOC_MISUSE with any arguments: refused (-EPERM) unless the
 * module allows misuse, and then not called: a misuse is meant to be
 * reported by the kernel.
 */
static void fuzz_misuse(struct fuzz *f)
{
	struct dmastress_misuse m;
	int ret;

	if (f->misuse_allowed)
		return;
	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	m.class_id = r32(f) % DMASTRESS_NR_MISUSE;
	if (one_in(f, 2))
		corrupt(f, &m, sizeof(m));
	ret = _dmastress_ioctl(f->fd, DMASTRESS_IOC_MISUSE, pointer(f, &m));
	f->ioctls++;
	f->calls++;
	if (ret != -EPERM)
		fuzz_fail(f, "misuse: %d, expected %d", ret, -EPERM);
}

/* Close the file with its views and mappings alive, and open it again. */
static void fuzz_reopen(struct fuzz *f)
{
	close(f->fd);
	memset(f->views, 0, sizeof(f->views));
	if (_dmastress_open(&f->fd))
		fuzz_fail(f, "reopen: %s", strerror(errno));
	f->shared = false;
	f->reopens++;
}

/* The mix, in percent, and where the time goes. */
static const struct {
	const char *name;
	unsigned int percent;
	void (*fn)(struct fuzz *f);
} fuzz_ops[FUZZ_NR_OPS] = {
	{ "run", 35, fuzz_run },
	{ "info", 15, fuzz_info },
	{ "view_create", 12, fuzz_view_create },
	{ "view_xfer", 10, fuzz_view_xfer },
	{ "view_destroy", 8, fuzz_view_destroy },
	{ "unknown", 8, fuzz_unknown },
	{ "mmap", 5, fuzz_mmap },
	{ "munmap", 5, fuzz_munmap },
	{ "reopen", 1, fuzz_reopen },
	{ "misuse", 1, fuzz_misuse },
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void fuzz_one(struct fuzz *f)
{
	__u32 r = r32(f) % 100;
	unsigned int i;
	__u64 t0;

	for (i = 0; i < FUZZ_NR_OPS - 1 && r >= fuzz_ops[i].percent; i++)
		r -= fuzz_ops[i].percent;
	t0 = now_ns();
	fuzz_ops[i].fn(f);
	f->op_ns[i] += now_ns() - t0;
	f->op_count[i]++;
}

FIXTURE(fuzz) {
	struct fuzz f;
	int kmsg;
	char params[512];
};

FIXTURE_VARIANT(fuzz) {
	unsigned int procs;
};

FIXTURE_VARIANT_ADD(fuzz, one) {
	.procs = 1,
};

FIXTURE_VARIANT_ADD(fuzz, parallel) {
	.procs = FUZZ_PROCS,
};

FIXTURE_SETUP(fuzz)
{
	const char *why = not_reloadable();
	struct dmastress_info info;

	if (why)
		SKIP(return, "%s", why);
	self->kmsg = dmastress_kmsg_open();
	ASSERT_LE(0, self->kmsg) TH_LOG("/dev/kmsg: %s", strerror(-self->kmsg));
	ASSERT_EQ(0, module_params(self->params, sizeof(self->params)));
	self->f.rng = dmastress_seed();
	ksft_print_msg("seed=0x%08x (replay: DMASTRESS_SEED=0x%08x)\n",
		       self->f.rng, self->f.rng);
	self->f.page = dmastress_page_size();
	self->f.trace = !!getenv("DMASTRESS_FUZZ_TRACE");
	self->f.misuse_allowed = strstr(self->params, "allow_misuse=Y") ||
				 strstr(self->params, "allow_misuse=1");
	self->f.none = mmap(NULL, self->f.page, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->f.none != MAP_FAILED);
	self->f.hists = calloc(DMASTRESS_NR_HISTS, sizeof(*self->f.hists));
	ASSERT_TRUE(self->f.hists != NULL);
	dmastress_open(&self->f.fd);
	dmastress_get_info(self->f.fd, &info);
	self->f.translates = dmastress_group_translates(info.group_type);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (access(dmastress_dev_path(), F_OK))	/* left unloaded */
		_dmastress_insmod(self->params);
}

/* Add @from's counts to @to's. */
static void fuzz_add(struct fuzz *to, const struct fuzz *from)
{
	unsigned int i;

	to->ioctls += from->ioctls;
	to->calls += from->calls;
	to->ok += from->ok;
	to->runs += from->runs;
	to->runs_done += from->runs_done;
	to->reopens += from->reopens;
	to->known_mask += from->known_mask;
	for (i = 0; i < FUZZ_NR_OPS; i++) {
		to->op_ns[i] += from->op_ns[i];
		to->op_count[i] += from->op_count[i];
	}
	for (i = 0; i < ARRAY_SIZE(to->err); i++)
		to->err[i] += from->err[i];
	if (from->failures && !to->failures)
		snprintf(to->first, sizeof(to->first), "%s", from->first);
	to->failures += from->failures;
}

/*
 * @procs processes of @want / @procs ioctls each; the even ones on @f's
 * file, the odd ones on a file of their own. Their counts are added to
 * @f's; -1 if one of them did not end by itself.
 */
static int fuzz_parallel(struct fuzz *f, unsigned int procs,
			 unsigned long want)
{
	size_t each_bytes = procs * sizeof(struct fuzz);
	struct fuzz *each;
	pid_t pids[FUZZ_PROCS];
	unsigned int i;
	int status, ret = 0;

	each = mmap(NULL, each_bytes, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (each == MAP_FAILED)
		return -1;
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		each[i] = *f;
		each[i].rng = f->rng + i;
		each[i].shared = !(i & 1);
		pids[i] = fork();
		if (pids[i] < 0) {
			ret = -1;
			break;
		}
		if (pids[i])
			continue;
		f = &each[i];
		if (!f->shared && _dmastress_open(&f->fd))
			fuzz_fail(f, "open: %s", strerror(errno));
		while (!f->failures && f->ioctls < want / procs)
			fuzz_one(f);
		fflush(stdout);	/* DMASTRESS_FUZZ_TRACE's lines */
		_exit(0);
	}
	procs = i;
	for (i = 0; i < procs; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			ksft_print_msg("fuzz process %u (seed 0x%08x): status %#x\n",
				       i, f->rng + i, status);
			ret = -1;
		}
		ksft_print_msg("fuzz process %u: %lu ioctls, %lu runs, %d failures%s\n",
			       i, each[i].ioctls, each[i].runs_done,
			       each[i].failures, i & 1 ? "" : ", shared file");
		fuzz_add(f, &each[i]);
	}
	munmap(each, each_bytes);
	return ret;
}

TEST_F_TIMEOUT(fuzz, random_ioctls_then_reload, 1500)
{
	const char *n = getenv("DMASTRESS_FUZZ_IOCTLS");
	unsigned long want = n && *n ? strtoul(n, NULL, 0) : FUZZ_MIN_IOCTLS;
	struct dmastress_dma_footprint fp0, fp1;
	struct fuzz *f = &self->f;
	struct dmastress_info info;
	char bad[512];
	int i, nbad, fd;

	dmastress_dma_footprint(&fp0);
	if (variant->procs > 1)
		ASSERT_EQ(0, fuzz_parallel(f, variant->procs, want));
	while (f->ioctls < want && variant->procs == 1)
		fuzz_one(f);
	ksft_print_msg("fuzz: %u processes, %lu ioctls, %lu calls (%lu runs, %lu carried out), %lu ok, %lu reopens; EINVAL %lu ENOTTY %lu EFAULT %lu EBUSY %lu ENOSPC %lu EOPNOTSUPP %lu EPERM %lu\n",
		       variant->procs, f->ioctls, f->calls, f->runs,
		       f->runs_done, f->ok, f->reopens,
		       f->err[EINVAL], f->err[ENOTTY], f->err[EFAULT],
		       f->err[EBUSY], f->err[ENOSPC], f->err[EOPNOTSUPP],
		       f->err[EPERM]);
	for (i = 0; i < FUZZ_NR_OPS; i++)
		ksft_print_msg("fuzz: %-12s %6lu calls %8llu ms\n",
			       fuzz_ops[i].name, f->op_count[i],
			       (unsigned long long)f->op_ns[i] / 1000000);
	if (f->known_mask)
		ksft_print_msg("fuzz: %lu runs with the known kernel behaviour: %s\n",
			       f->known_mask, DMASTRESS_KNOWN_PAGES_MASK);
	EXPECT_EQ(0, f->failures) TH_LOG("%d failures, first: %s",
					 f->failures, f->first);
	/* It did more than bounce off the argument checks. */
	EXPECT_LT(100, f->runs_done);
	EXPECT_LT(f->calls / 10, f->err[EINVAL]);

	/* Still answering. */
	dmastress_get_info(f->fd, &info);

	/* Everything released: nothing mapped for the device any more. */
	for (i = 0; i < FUZZ_MAX_MAPS; i++) {
		if (f->maps[i].addr)
			munmap(f->maps[i].addr, f->maps[i].len);
	}
	close(f->fd);
	dmastress_dma_footprint(&fp1);
	dmastress_expect_footprint(&fp0, &fp1);

	/* Unload, load again as it was. */
	i = _dmastress_rmmod();
	if (i)
		print_holders();
	ASSERT_EQ(0, i) TH_LOG("rmmod dmastress: %s", strerror(-i));
	dmastress_insmod(self->params);
	dmastress_open(&fd);
	dmastress_get_info(fd, &info);
	close(fd);

	nbad = dmastress_kmsg_bad(self->kmsg, bad, sizeof(bad));
	EXPECT_EQ(0, nbad) TH_LOG("kernel log: %s", bad);
}

DMASTRESS_HARNESS_MAIN
