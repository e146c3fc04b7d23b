// SPDX-License-Identifier: GPL-2.0-only
/*
 * sync_kunit.c - KUnit suite dmastress_sync: dma_need_sync(), the
 * dma_sync_*_for_cpu() negative control and DMA_ATTR_SKIP_CPU_SYNC
 *
 * dma_need_sync() must say yes where a sync moves bytes: for streaming
 * maps under swiotlb=force; dma-direct says no everywhere else on x86 (a
 * coherent architecture: no cache maintenance). The negative control:
 * reading FROM_DEVICE data without dma_sync_*_for_cpu() shows stale bytes
 * exactly where a buffer bounces, and the data cases of the other suites
 * show that the syncs, when done, bring the bytes back.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

/* Bytes each dma_need_sync() case maps or allocates. */
#define SYNC_TEST_BYTES		(2 * PAGE_SIZE)

/**
 * struct sync_need_case - one DMA API family asked dma_need_sync()
 * @desc: case name
 * @path: enum dmastress_path_id of the family
 * @bounced: swiotlb=force bounces this family's buffers (streaming maps)
 */
struct sync_need_case {
	const char *desc;
	u32 path;
	bool bounced;
};

static const struct sync_need_case sync_need_cases[] = {
	{ .desc = "dma_map_single", .path = DMASTRESS_PATH_SINGLE,
	  .bounced = true },
	{ .desc = "dma_map_page at offset 8", .path = DMASTRESS_PATH_PAGE,
	  .bounced = true },
	{ .desc = "dma_map_sgtable 2 pages", .path = DMASTRESS_PATH_SGTABLE,
	  .bounced = true },
	{ .desc = "dma_alloc_pages", .path = DMASTRESS_PATH_PAGES },
	{ .desc = "dma_alloc_noncoherent", .path = DMASTRESS_PATH_NONCOHERENT },
	{ .desc = "dma_alloc_noncontiguous", .path = DMASTRESS_PATH_NONCONTIG },
};

KUNIT_ARRAY_PARAM_DESC(sync_need, sync_need_cases, desc);

/**
 * struct sync_buf - what a dma_need_sync() case mapped or allocated
 * @dev: the device
 * @path: how (enum dmastress_path_id)
 * @cpu: kmalloc'd buffer, or the allocation's CPU address
 * @page: the dma_map_page()/dma_alloc_pages() page
 * @sgt: the sg_table (mapped table, or dma_alloc_noncontiguous())
 * @dma: the DMA address dma_need_sync() is asked about
 * @done: the mapping or allocation exists
 */
struct sync_buf {
	struct device *dev;
	u32 path;
	void *cpu;
	struct page *page;
	struct sg_table *sgt;
	dma_addr_t dma;
	bool done;
};

static void sync_buf_free(void *data)
{
	struct sync_buf *b = data;
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;

	switch (b->path) {
	case DMASTRESS_PATH_SINGLE:
		if (b->done)
			dma_unmap_single(b->dev, b->dma, SYNC_TEST_BYTES, dir);
		kfree(b->cpu);
		break;
	case DMASTRESS_PATH_PAGE:
		if (b->done)
			dma_unmap_page(b->dev, b->dma, SYNC_TEST_BYTES, dir);
		if (b->page)
			__free_pages(b->page, 2);
		break;
	case DMASTRESS_PATH_SGTABLE:
		if (b->done)
			dma_unmap_sgtable(b->dev, b->sgt, dir, 0);
		if (b->sgt)
			sg_free_table(b->sgt);
		kfree(b->sgt);
		kfree(b->cpu);
		break;
	case DMASTRESS_PATH_PAGES:
		if (b->done)
			dma_free_pages(b->dev, SYNC_TEST_BYTES, b->page, b->dma,
				       dir);
		break;
	case DMASTRESS_PATH_NONCOHERENT:
		if (b->done)
			dma_free_noncoherent(b->dev, SYNC_TEST_BYTES, b->cpu,
					     b->dma, dir);
		break;
	case DMASTRESS_PATH_NONCONTIG:
		if (b->done)
			dma_free_noncontiguous(b->dev, SYNC_TEST_BYTES, b->sgt,
					       dir);
		break;
	}
}

/* Map or allocate SYNC_TEST_BYTES the way @b->path does; 0 or -errno. */
static int sync_buf_make(struct sync_buf *b)
{
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;
	struct device *dev = b->dev;

	switch (b->path) {
	case DMASTRESS_PATH_SINGLE:
		b->cpu = kzalloc(SYNC_TEST_BYTES, GFP_KERNEL);
		if (!b->cpu)
			return -ENOMEM;
		b->dma = dma_map_single(dev, b->cpu, SYNC_TEST_BYTES, dir);
		break;
	case DMASTRESS_PATH_PAGE:
		b->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
		if (!b->page)
			return -ENOMEM;
		b->dma = dma_map_page(dev, b->page, 8, SYNC_TEST_BYTES, dir);
		break;
	case DMASTRESS_PATH_SGTABLE:
		b->cpu = kzalloc(SYNC_TEST_BYTES, GFP_KERNEL);
		b->sgt = kzalloc(sizeof(*b->sgt), GFP_KERNEL);
		if (!b->cpu || !b->sgt)
			return -ENOMEM;
		if (sg_alloc_table(b->sgt, 2, GFP_KERNEL)) {
			kfree(b->sgt);
			b->sgt = NULL;
			return -ENOMEM;
		}
		sg_set_buf(b->sgt->sgl, b->cpu, PAGE_SIZE);
		sg_set_buf(sg_next(b->sgt->sgl), b->cpu + PAGE_SIZE, PAGE_SIZE);
		if (dma_map_sgtable(dev, b->sgt, dir, 0))
			return -EIO;
		b->done = true;
		b->dma = sg_dma_address(b->sgt->sgl);
		return 0;
	case DMASTRESS_PATH_PAGES:
		b->page = dma_alloc_pages(dev, SYNC_TEST_BYTES, &b->dma, dir,
					  GFP_KERNEL);
		b->done = b->page;
		return b->done ? 0 : -ENOMEM;
	case DMASTRESS_PATH_NONCOHERENT:
		b->cpu = dma_alloc_noncoherent(dev, SYNC_TEST_BYTES, &b->dma,
					       dir, GFP_KERNEL);
		b->done = b->cpu;
		return b->done ? 0 : -ENOMEM;
	case DMASTRESS_PATH_NONCONTIG:
		b->sgt = dma_alloc_noncontiguous(dev, SYNC_TEST_BYTES, dir,
						 GFP_KERNEL, 0);
		if (!b->sgt)
			return -ENOMEM;
		b->done = true;
		b->dma = sg_dma_address(b->sgt->sgl);
		return 0;
	default:
		return -EINVAL;
	}
	if (dma_mapping_error(dev, b->dma))
		return -EIO;
	b->done = true;
	return 0;
}

/*
 * dma_need_sync() of a mapping or allocation of each family. It must be
 * true where a sync moves bytes (streaming maps under swiotlb=force), and
 * dma-direct answers exactly: false for everything else (x86 is coherent,
 * and DMA allocations are made addressable instead of bounced), also under
 * identity. iommu-dma (group type DMA, DMA-FQ) answers per device, not per
 * address: false on a coherent device, unless CONFIG_DMA_API_DEBUG keeps
 * every sync on so that it can check them (then true).
 */
static void sync_test_need_sync(struct kunit *test)
{
	const struct sync_need_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct sync_buf *b;
	bool want;

	if (mode == DMASTRESS_KUNIT_MODE_UNKNOWN)
		kunit_skip(test, "mode unknown: boot with dmastress_kunit.group=");
	if (mode == DMASTRESS_KUNIT_MODE_TRANSLATED)
		want = IS_ENABLED(CONFIG_DMA_API_DEBUG);
	else
		want = c->bounced && mode == DMASTRESS_KUNIT_MODE_SWIOTLB;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->dev = dd->dev;
	b->path = c->path;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sync_buf_free, b),
			0);
	KUNIT_ASSERT_EQ(test, sync_buf_make(b), 0);

	KUNIT_EXPECT_EQ_MSG(test, dma_need_sync(b->dev, b->dma), want,
			    "mode %s, dma %pad", dmastress_kunit_mode_name(),
			    &b->dma);
}

/**
 * struct sync_skip_case - a run that leaves out dma_sync_*_for_cpu()
 * @desc: case name
 * @path: enum dmastress_path_id
 * @dir: DMASTRESS_DIR_FROM_DEVICE or _BIDIRECTIONAL
 * @engine: enum dmastress_engine_id
 * @bounced: swiotlb=force bounces this path's buffers
 * @attrs: DMASTRESS_ATTR_* of the run (SKIP_CPU_SYNC: the map and unmap
 *	copy nothing, the explicit syncs alone move the bytes)
 */
struct sync_skip_case {
	const char *desc;
	u32 path;
	u32 dir;
	u32 engine;
	bool bounced;
	u32 attrs;
};

static const struct sync_skip_case sync_skip_cases[] = {
	{ .desc = "single FROM_DEVICE cpu", .path = DMASTRESS_PATH_SINGLE,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true },
	{ .desc = "single BIDIRECTIONAL cpu", .path = DMASTRESS_PATH_SINGLE,
	  .dir = DMASTRESS_DIR_BIDIRECTIONAL, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true },
	{ .desc = "single FROM_DEVICE edu", .path = DMASTRESS_PATH_SINGLE,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_EDU,
	  .bounced = true },
	{ .desc = "page FROM_DEVICE cpu", .path = DMASTRESS_PATH_PAGE,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true },
	{ .desc = "sg FROM_DEVICE cpu", .path = DMASTRESS_PATH_SG,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true },
	{ .desc = "sgtable BIDIRECTIONAL cpu", .path = DMASTRESS_PATH_SGTABLE,
	  .dir = DMASTRESS_DIR_BIDIRECTIONAL, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true },
	{ .desc = "pages FROM_DEVICE cpu", .path = DMASTRESS_PATH_PAGES,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU },
	{ .desc = "noncoherent FROM_DEVICE cpu",
	  .path = DMASTRESS_PATH_NONCOHERENT,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU },
	{ .desc = "noncontig FROM_DEVICE cpu", .path = DMASTRESS_PATH_NONCONTIG,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU },
	{ .desc = "single skipsync FROM_DEVICE cpu",
	  .path = DMASTRESS_PATH_SINGLE, .dir = DMASTRESS_DIR_FROM_DEVICE,
	  .engine = DMASTRESS_ENGINE_CPU, .bounced = true,
	  .attrs = DMASTRESS_ATTR_SKIP_CPU_SYNC },
	{ .desc = "sgtable skipsync BIDIRECTIONAL cpu",
	  .path = DMASTRESS_PATH_SGTABLE, .dir = DMASTRESS_DIR_BIDIRECTIONAL,
	  .engine = DMASTRESS_ENGINE_CPU, .bounced = true,
	  .attrs = DMASTRESS_ATTR_SKIP_CPU_SYNC },
	{ .desc = "phys skipsync FROM_DEVICE cpu", .path = DMASTRESS_PATH_PHYS,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true, .attrs = DMASTRESS_ATTR_SKIP_CPU_SYNC },
	{ .desc = "iova skipsync FROM_DEVICE cpu", .path = DMASTRESS_PATH_IOVA,
	  .dir = DMASTRESS_DIR_FROM_DEVICE, .engine = DMASTRESS_ENGINE_CPU,
	  .bounced = true, .attrs = DMASTRESS_ATTR_SKIP_CPU_SYNC },
};

KUNIT_ARRAY_PARAM_DESC(sync_skip, sync_skip_cases, desc);

/*
 * The negative control: the device writes, the CPU reads without
 * dma_sync_*_for_cpu(). Under swiotlb=force a streaming map's bytes are
 * still in the bounce slot, so the CPU sees stale data (mismatches > 0):
 * the data cases are able to fail. Where nothing bounces the sync is a
 * no-op on x86 and leaving it out is harmless (mismatches == 0).
 */
static void sync_test_skip_sync_for_cpu(struct kunit *test)
{
	const struct sync_skip_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test, c->engine);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	bool stale;

	if (mode == DMASTRESS_KUNIT_MODE_UNKNOWN)
		kunit_skip(test, "mode unknown: boot with dmastress_kunit.group=");
	stale = c->bounced && mode == DMASTRESS_KUNIT_MODE_SWIOTLB;

	dmastress_kunit_params(&p, c->path, c->engine, c->dir,
			       2 * PAGE_SIZE + 1);
	p.flags = DMASTRESS_RUN_SKIP_SYNC_FOR_CPU;
	p.attrs = c->attrs;
	dmastress_kunit_run(test, dd, &p, &res);

	KUNIT_EXPECT_EQ(test, res.ops, 1);
	KUNIT_EXPECT_EQ_MSG(test, res.mismatches != 0, stale,
			    "mode %s: %llu stale bytes, expected %s",
			    dmastress_kunit_mode_name(), res.mismatches,
			    stale ? "some" : "none");
	KUNIT_EXPECT_EQ(test, res.guard_errors, 0);
	KUNIT_EXPECT_EQ(test, res.device_faults, 0);
	KUNIT_EXPECT_EQ(test, res.mask_violations, 0);
}

static const struct dmastress_kunit_xfer sync_attr_cases[] = {
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGE, SZ_64K, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(SG, SZ_64K, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SGTABLE, SZ_64K, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PHYS, PAGE_SIZE - 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(IOVA, SZ_64K, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, FROM_DEVICE, EDU),
};

KUNIT_ARRAY_PARAM_DESC(sync_attr, sync_attr_cases, desc);

/*
 * DMA_ATTR_SKIP_CPU_SYNC: the map and unmap copy nothing to or from a
 * bounce slot, and the explicit dma_sync_*_for_device() before the
 * transfer and dma_sync_*_for_cpu() after it are the whole ownership
 * protocol. Every byte still arrives, in every mode; the negative control
 * above (the same attribute without the sync for the CPU) loses them
 * where a buffer bounces.
 */
static void sync_test_skip_cpu_sync_attr(struct kunit *test)
{
	const struct dmastress_kunit_xfer *c = test->param_value;
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd;

	dd = dmastress_kunit_dev_for(test, c->engine);
	dmastress_kunit_params(&p, c->path, c->engine, c->dir, c->len);
	p.attrs = DMASTRESS_ATTR_SKIP_CPU_SYNC;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

static struct kunit_case sync_test_cases[] = {
	KUNIT_CASE_PARAM(sync_test_need_sync, sync_need_gen_params),
	KUNIT_CASE_PARAM(sync_test_skip_sync_for_cpu, sync_skip_gen_params),
	KUNIT_CASE_PARAM(sync_test_skip_cpu_sync_attr, sync_attr_gen_params),
	{}
};

static struct kunit_suite sync_test_suite = {
	.name = "dmastress_sync",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = sync_test_cases,
};

kunit_test_suite(sync_test_suite);
