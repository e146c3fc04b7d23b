// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_mock.c - a stand-in /dev/dmastress0 for host tests of the CLI.
 *
 * Linked into dmastress-mock with -Wl,--wrap=open,--wrap=ioctl: opening
 * "/dev/dmastress-mock" gives a fake descriptor whose INFO and RUN ioctls
 * return fixed, known numbers, so test_cli.sh can check parsing, output
 * formats and exit codes without the kernel module. DMASTRESS_MOCK selects
 * the outcome of RUN: ok (default; the resource path is skipped), skip,
 * noreason (skip without a reason), mismatch, status (-EIO), einval.
 * Phase p's samples are 100 * (p + 1) + k % 50 ns, k = 0..ops-1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "dmastress.h"

#define MOCK_PATH	"/dev/dmastress-mock"
#define MOCK_FD		1000

int __real_open(const char *path, int flags, ...);
int __real_ioctl(int fd, unsigned long req, ...);

int __wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	if (!strcmp(path, MOCK_PATH))
		return MOCK_FD;
	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	return __real_open(path, flags, mode);
}

static void mock_info(struct dmastress_info *i)
{
	i->flags = DMASTRESS_INFO_EDU | DMASTRESS_INFO_MSI |
		   DMASTRESS_INFO_SWIOTLB_ACTIVE | DMASTRESS_INFO_NEED_SYNC;
	i->bdf = (0 << 16) | (0 << 8) | (4 << 3) | 0;
	i->group_type = DMASTRESS_GROUP_DMA_FQ;
	i->dma_mask = ~0ULL;
	i->coherent_dma_mask = 0xffffffffULL;
	i->required_mask = 0xfffffffffULL;
	i->max_mapping_size = ~0ULL;
	i->opt_mapping_size = 131072;
	i->merge_boundary = 0xfff;
	i->seg_boundary = 0xffffffff;
	i->max_seg_size = 65536;
	i->cache_alignment = 64;
	i->iommu_granule = 4096;
	i->engines = 3;
	i->engine_max_xfer[0] = 2048;
	i->engine_max_xfer[1] = 1048576;
	i->peer_window_bytes = 16777216;
	i->peer_window_phys = 0xfe000000;
	i->timer_overhead_ns = 21;
	i->timer_overhead_ps = 21345;
	i->swiotlb_nslabs = 32768;
}

static void mock_hist_add(struct dmastress_hist *h, struct dmastress_phase_sum *s,
			  uint64_t v)
{
	if (!h->count || v < h->min_ns)
		h->min_ns = v;
	if (v > h->max_ns)
		h->max_ns = v;
	h->count++;
	h->sum_ns += v;
	h->sum_100ns += v / 100;
	h->buckets[dmastress_hist_bucket(v)]++;
	s->count = h->count;
	s->sum_ns = h->sum_ns;
	s->min_ns = h->min_ns;
	s->max_ns = h->max_ns;
}

/*
 * Per-path counts: a stress run gives every path of its mix (but resource)
 * the run's ops, another run its one path; "mismatch" adds 3 to each.
 */
static void mock_counts(struct dmastress_run *run, const char *mode)
{
	struct dmastress_path_counts *c =
		(struct dmastress_path_counts *)(uintptr_t)run->counts_ptr;
	const struct dmastress_run_params *p = &run->params;
	unsigned int i;

	for (i = 0; i < DMASTRESS_NR_PATHS; i++) {
		if (p->flags & DMASTRESS_RUN_STRESS) {
			if ((p->paths && !(p->paths & (1U << i))) ||
			    i == DMASTRESS_PATH_RESOURCE)
				continue;
		} else if (i != p->path) {
			continue;
		}
		c[i].started = run->result.ops;
		c[i].ops = run->result.ops;
		c[i].bytes = run->result.ops * 100;
		c[i].digest = (uint64_t)p->seed * (i + 1);
		if (!strcmp(mode, "mismatch"))
			c[i].mismatches = 3;
	}
}

static int mock_run(struct dmastress_run *run)
{
	const char *mode = getenv("DMASTRESS_MOCK");
	struct dmastress_run_params *p = &run->params;
	struct dmastress_run_result *r = &run->result;
	struct dmastress_hist *hists, scratch;
	unsigned int ph;
	uint64_t k, ops;

	if (run->size != sizeof(*run) ||
	    (run->counts_ptr ? run->counts_size != sizeof(struct dmastress_path_counts) :
			       run->counts_size))
		return -EINVAL;
	if (!mode)
		mode = "ok";
	if (!strcmp(mode, "einval"))
		return -EINVAL;
	if (!strcmp(mode, "skip") || p->path == DMASTRESS_PATH_RESOURCE) {
		run->status = -EOPNOTSUPP;
		strcpy(r->skip_reason, "mock: no MMIO resource");
		return 0;
	}
	if (!strcmp(mode, "noreason")) {
		run->status = -EOPNOTSUPP;
		return 0;
	}
	ops = (p->iterations ? p->iterations : 10 * p->seconds) * p->threads;
	r->ops = ops;
	r->bytes = ops * p->len_bytes;
	r->elapsed_ns = ops * 1000;
	r->nents_cpu = p->nents ? p->nents : 1;
	r->nents_mapped = 1;
	r->sample_dma_addr = 0xfffff000;
	r->sample_phys_addr = 0x12345000;
	hists = (struct dmastress_hist *)(uintptr_t)run->hist_ptr;
	for (ph = 0; ph < DMASTRESS_NR_HISTS; ph++) {
		struct dmastress_phase_sum *s = ph == DMASTRESS_HIST_BATCH ?
						&r->batch : &r->phase[ph];
		struct dmastress_hist *h = hists ? &hists[ph] : &scratch;

		memset(h, 0, sizeof(*h));
		if (ph == DMASTRESS_HIST_BATCH && !(p->flags & DMASTRESS_RUN_BATCH))
			continue;
		for (k = 0; k < ops; k++)
			mock_hist_add(h, s, 100 * (ph + 1) + k % 50);
	}
	if (!strcmp(mode, "mismatch")) {
		r->mismatches = 3;
		r->first_mismatch_offset = 17;
		r->first_expected = 0xa5;
		r->first_actual = 0x00;
	}
	if (!strcmp(mode, "status"))
		run->status = -EIO;
	if (run->counts_ptr)
		mock_counts(run, mode);
	return 0;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != MOCK_FD)
		return __real_ioctl(fd, req, arg);

	switch (req) {
	case DMASTRESS_IOC_INFO:
		if (((struct dmastress_info *)arg)->size !=
		    sizeof(struct dmastress_info)) {
			errno = EINVAL;
			return -1;
		}
		mock_info(arg);
		return 0;
	case DMASTRESS_IOC_RUN:
		ret = mock_run(arg);
		if (ret) {
			errno = -ret;
			return -1;
		}
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}
