// SPDX-License-Identifier: GPL-2.0-only
/*
 * noncoherent_kunit.c - KUnit suite dmastress_noncoherent:
 * dma_alloc_pages() and dma_alloc_noncoherent()
 *
 * Non-coherent DMA allocations moved through their syncs in every
 * direction with both engines, within the coherent mask, and what the
 * device's address is under each mode.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

static const struct dmastress_kunit_xfer noncoherent_xfer_cases[] = {
	DMASTRESS_KUNIT_XFER(PAGES, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, PAGE_SIZE, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, PAGE_SIZE + 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, MAX_SEG, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, MAX_SEG_PLUS_1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, SZ_1M, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(PAGES, PAGE_SIZE - 1, BIDIRECTIONAL, EDU),
	DMASTRESS_KUNIT_XFER(PAGES, PAGE_SIZE + 1, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE - 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE - 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE + 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE + 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, MAX_SEG, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, MAX_SEG_PLUS_1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, 1, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE + 1, BIDIRECTIONAL, EDU),
};

KUNIT_ARRAY_PARAM_DESC(noncoherent_xfer, noncoherent_xfer_cases, desc);

/*
 * After dma_sync_single_for_device() the device reads what the CPU wrote,
 * and after dma_sync_single_for_cpu() the CPU reads what the device wrote.
 */
static void noncoherent_test_data(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/**
 * struct noncoherent_mask_case - narrow masks for an allocation
 * @desc: case name
 * @path: DMASTRESS_PATH_PAGES or DMASTRESS_PATH_NONCOHERENT
 * @bits: coherent mask width
 * @streaming_bits: streaming mask width, 0 to leave it at 64 bits
 * @len: bytes
 */
struct noncoherent_mask_case {
	const char *desc;
	u32 path;
	u32 bits;
	u32 streaming_bits;
	u64 len;
};

static const struct noncoherent_mask_case noncoherent_mask_cases[] = {
	{ .desc = "pages 24/24 bits PAGE_SIZE + 1", .path = DMASTRESS_PATH_PAGES,
	  .bits = 24, .streaming_bits = 24, .len = PAGE_SIZE + 1 },
	{ .desc = "pages 32/32 bits 64 KiB", .path = DMASTRESS_PATH_PAGES,
	  .bits = 32, .streaming_bits = 32, .len = SZ_64K },
	{ .desc = "noncoherent 24/24 bits PAGE_SIZE",
	  .path = DMASTRESS_PATH_NONCOHERENT, .bits = 24, .streaming_bits = 24,
	  .len = PAGE_SIZE },
	{ .desc = "noncoherent 32/32 bits 64 KiB + 1",
	  .path = DMASTRESS_PATH_NONCOHERENT, .bits = 32, .streaming_bits = 32,
	  .len = SZ_64K + 1 },
	{ .desc = "pages coherent 24 bits only", .path = DMASTRESS_PATH_PAGES,
	  .bits = 24, .len = PAGE_SIZE + 1 },
	{ .desc = "noncoherent coherent 24 bits only",
	  .path = DMASTRESS_PATH_NONCOHERENT, .bits = 24, .len = PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(noncoherent_mask, noncoherent_mask_cases, desc);

/*
 * dma_alloc_pages() and dma_alloc_noncoherent() hand out addresses within
 * the masks. With both masks narrowed that holds in every mode. With only
 * the coherent mask narrowed it holds for dma-direct, which allocates for
 * the coherent mask; iommu-dma (group type DMA, DMA-FQ) maps these
 * allocations with the streaming mask instead (6.12
 * dma_common_alloc_pages() calls iommu_dma_map_page()), so there the case
 * is skipped with that reason rather than passed.
 */
static void noncoherent_test_mask(struct kunit *test)
{
	const struct noncoherent_mask_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test,
							   DMASTRESS_ENGINE_CPU);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	if (!c->streaming_bits &&
	    dmastress_kunit_mode(test) == DMASTRESS_KUNIT_MODE_TRANSLATED)
		kunit_skip(test,
			   "iommu-dma maps dma_alloc_pages() with the streaming mask");
	dmastress_kunit_params(&p, c->path, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->len);
	p.mask_bits = c->streaming_bits;
	p.coherent_mask_bits = c->bits;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_LE_MSG(test, res.sample_dma_addr + c->len - 1,
			    DMA_BIT_MASK(c->bits), "dma %#llx",
			    res.sample_dma_addr);
}

/**
 * struct noncoherent_pages - a dma_alloc_pages() a case holds
 * @dev: the device
 * @page: first page
 * @dma: its DMA address
 * @size: bytes
 */
struct noncoherent_pages {
	struct device *dev;
	struct page *page;
	dma_addr_t dma;
	size_t size;
};

static void noncoherent_pages_free(void *data)
{
	struct noncoherent_pages *b = data;

	dma_free_pages(b->dev, b->size, b->page, b->dma, DMA_BIDIRECTIONAL);
}

/*
 * The dma_addr_t of dma_alloc_pages() memory: an IOVA under group type
 * DMA or DMA-FQ, the page's physical address otherwise (DMA allocations
 * are not bounced, also not under swiotlb=force).
 */
static void noncoherent_test_translation(struct kunit *test)
{
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct noncoherent_pages *b;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->dev = dd->dev;
	b->size = 2 * PAGE_SIZE;
	b->page = dma_alloc_pages(b->dev, b->size, &b->dma, DMA_BIDIRECTIONAL,
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							noncoherent_pages_free,
							b), 0);
	dmastress_kunit_expect_translation(test, mode, false, b->dma,
					   page_to_phys(b->page));
}

static struct kunit_case noncoherent_test_cases[] = {
	KUNIT_CASE_PARAM(noncoherent_test_data, noncoherent_xfer_gen_params),
	KUNIT_CASE_PARAM(noncoherent_test_mask, noncoherent_mask_gen_params),
	KUNIT_CASE(noncoherent_test_translation),
	{}
};

static struct kunit_suite noncoherent_test_suite = {
	.name = "dmastress_noncoherent",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = noncoherent_test_cases,
};

kunit_test_suite(noncoherent_test_suite);
