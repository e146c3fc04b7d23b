// SPDX-License-Identifier: GPL-2.0-only
/*
 * sg_kunit.c - KUnit suite dmastress_sg: dma_map_sg() and dma_map_sgtable()
 *
 * Scatterlists of every shape (one entry per page, sub-page entries,
 * chained tables) in every direction with both engines; the mapped
 * segments honour the device's max segment size and segment boundary,
 * also when those are narrowed; and entries merge only when
 * dma_get_merge_boundary() says the DMA layer can merge.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

/* Pages of the merge cases' tables at most. */
#define SG_TEST_MAX_PAGES	256

static const struct dmastress_kunit_xfer sg_xfer_cases[] = {
	DMASTRESS_KUNIT_SG(SG, 1, 0, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, 1, 0, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, 1, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SG, PAGE_SIZE - 1, 0, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, PAGE_SIZE, 0, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, PAGE_SIZE + 1, 0, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, PAGE_SIZE + 1, 0, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, PAGE_SIZE + 1, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SG, 16 * PAGE_SIZE, 7, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, 16 * PAGE_SIZE, 7, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, 16 * PAGE_SIZE, 7, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SG, MAX_SEG, 0, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, MAX_SEG_PLUS_1, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SG, SZ_64K, 300, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SG, 200 * PAGE_SIZE, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, 1, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, PAGE_SIZE - 1, 0, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, PAGE_SIZE, 0, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, PAGE_SIZE + 1, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, 16 * PAGE_SIZE, 33, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, MAX_SEG_PLUS_1, 0, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_SG(SGTABLE, SZ_64K, 300, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_SG(SG, PAGE_SIZE + 1, 0, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_SG(SG, 4 * PAGE_SIZE, 9, BIDIRECTIONAL, EDU),
	DMASTRESS_KUNIT_SG(SGTABLE, PAGE_SIZE - 1, 0, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_SG(SGTABLE, 4 * PAGE_SIZE, 5, FROM_DEVICE, EDU),
};

KUNIT_ARRAY_PARAM_DESC(sg_xfer, sg_xfer_cases, desc);

/*
 * The device sees the concatenation of the DMA segments as the CPU sees
 * the concatenation of the entries, whatever merging happened; every
 * segment is within the mask, max segment size and boundary.
 */
static void sg_test_data(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/**
 * struct sg_limits_case - narrowed segment limits of the device
 * @desc: case name
 * @max_seg_size: dma_set_max_seg_size(), bytes
 * @seg_boundary: dma_set_seg_boundary() mask
 * @len: bytes mapped
 * @nents: sg entries (0: one per page)
 */
struct sg_limits_case {
	const char *desc;
	unsigned int max_seg_size;
	unsigned long seg_boundary;
	u64 len;
	u32 nents;
};

static const struct sg_limits_case sg_limits_cases[] = {
	{ .desc = "max_seg 2048 boundary 64 KiB, 16 pages",
	  .max_seg_size = 2048, .seg_boundary = SZ_64K - 1,
	  .len = 16 * PAGE_SIZE },
	{ .desc = "max_seg PAGE_SIZE, 16 pages + 1",
	  .max_seg_size = PAGE_SIZE, .seg_boundary = ULONG_MAX,
	  .len = 16 * PAGE_SIZE + 1 },
	{ .desc = "max_seg 8 KiB boundary 8 KiB, 32 pages",
	  .max_seg_size = SZ_8K, .seg_boundary = SZ_8K - 1,
	  .len = 32 * PAGE_SIZE },
	{ .desc = "max_seg 64 KiB boundary 16 KiB, 64 pages",
	  .max_seg_size = SZ_64K, .seg_boundary = SZ_16K - 1,
	  .len = 64 * PAGE_SIZE },
	{ .desc = "max_seg 12 KiB boundary 32 KiB, 40 entries",
	  .max_seg_size = 3 * PAGE_SIZE, .seg_boundary = SZ_32K - 1,
	  .len = 24 * PAGE_SIZE, .nents = 40 },
};

KUNIT_ARRAY_PARAM_DESC(sg_limits, sg_limits_cases, desc);

/*
 * With the device's max segment size and boundary narrowed, no mapped
 * segment is longer or crosses the boundary (the entries themselves never
 * do: each stays in one page and within the max segment size, so a
 * violation can only come from the DMA layer merging them).
 */
static void sg_test_seg_limits(struct kunit *test)
{
	const struct sg_limits_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	KUNIT_ASSERT_EQ(test, dmastress_kunit_set_seg_limits(test, dd->dev,
							     c->max_seg_size,
							     c->seg_boundary),
			0);
	dmastress_kunit_params(&p, DMASTRESS_PATH_SGTABLE,
			       DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->len);
	p.nents = c->nents;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

/**
 * struct sg_merge_case - a table of whole, physically scattered pages
 * @desc: case name
 * @npages: entries, one page each
 * @max_seg_size: dma_set_max_seg_size() for the case, bytes (0: keep)
 * @seg_boundary: dma_set_seg_boundary() mask for the case (0: keep)
 */
struct sg_merge_case {
	const char *desc;
	unsigned int npages;
	unsigned int max_seg_size;
	unsigned long seg_boundary;
};

static const struct sg_merge_case sg_merge_cases[] = {
	{ .desc = "16 pages, device limits", .npages = 16 },
	{ .desc = "16 pages max_seg 8 KiB", .npages = 16,
	  .max_seg_size = SZ_8K, .seg_boundary = ULONG_MAX },
	{ .desc = "32 pages boundary 16 KiB", .npages = 32,
	  .max_seg_size = SZ_64K, .seg_boundary = SZ_16K - 1 },
	{ .desc = "200 pages chained", .npages = 200 },
};

KUNIT_ARRAY_PARAM_DESC(sg_merge, sg_merge_cases, desc);

/**
 * struct sg_merge_table - what a merge case holds
 * @dev: the device
 * @sgt: the table
 * @pages: one order-0 page per entry
 * @npages: pages allocated
 * @mapped: @sgt is mapped
 */
struct sg_merge_table {
	struct device *dev;
	struct sg_table sgt;
	struct page *pages[SG_TEST_MAX_PAGES];
	unsigned int npages;
	bool mapped;
};

static void sg_merge_table_free(void *data)
{
	struct sg_merge_table *t = data;

	if (t->mapped)
		dma_unmap_sgtable(t->dev, &t->sgt, DMA_TO_DEVICE, 0);
	sg_free_table(&t->sgt);
	while (t->npages--)
		__free_page(t->pages[t->npages]);
}

/*
 * Whole pages allocated one by one (every other one kept, so neighbours
 * in the table are not neighbours in memory), one entry each, mapped with
 * dma_map_sgtable(). Without a merge boundary (dma-direct, swiotlb,
 * identity) every entry stays a segment of its own; with one (group type
 * DMA or DMA-FQ) the IOVA allocator lays the pages back to back and the
 * segments merge, never beyond the max segment size or across the
 * boundary. Either way the segments add up to the table's length.
 */
static void sg_test_merge(struct kunit *test)
{
	const struct sg_merge_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	unsigned long merge, boundary;
	struct sg_merge_table *t;
	struct scatterlist *sg;
	unsigned int max_seg, i;
	struct page **spare;
	u64 total = 0;
	int ret;

	if (c->max_seg_size)
		KUNIT_ASSERT_EQ(test,
				dmastress_kunit_set_seg_limits(test, dd->dev,
							       c->max_seg_size,
							       c->seg_boundary),
				0);
	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->dev = dd->dev;
	KUNIT_ASSERT_EQ(test, sg_alloc_table(&t->sgt, c->npages, GFP_KERNEL),
			0);
	ret = kunit_add_action_or_reset(test, sg_merge_table_free, t);
	KUNIT_ASSERT_EQ(test, ret, 0);

	spare = kunit_kcalloc(test, c->npages, sizeof(*spare), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spare);
	for (i = 0; i < c->npages; i++) {
		t->pages[t->npages] = alloc_page(GFP_KERNEL);
		if (t->pages[t->npages])
			t->npages++;
		spare[i] = alloc_page(GFP_KERNEL);
	}
	for (i = 0; i < c->npages; i++)
		if (spare[i])
			__free_page(spare[i]);
	KUNIT_ASSERT_EQ(test, t->npages, c->npages);
	for_each_sgtable_sg(&t->sgt, sg, i)
		sg_set_page(sg, t->pages[i], PAGE_SIZE, 0);

	ret = dma_map_sgtable(t->dev, &t->sgt, DMA_TO_DEVICE, 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	t->mapped = true;

	merge = dma_get_merge_boundary(t->dev);
	max_seg = dma_get_max_seg_size(t->dev);
	boundary = dma_get_seg_boundary(t->dev);
	KUNIT_EXPECT_EQ(test, t->sgt.orig_nents, c->npages);
	for_each_sgtable_dma_sg(&t->sgt, sg, i) {
		dma_addr_t dma = sg_dma_address(sg);
		u64 last = (u64)dma + sg_dma_len(sg) - 1;

		KUNIT_EXPECT_LE_MSG(test, sg_dma_len(sg), max_seg,
				    "segment %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ((u64)dma ^ last) & ~(u64)boundary,
				    0, "segment %u %pad crosses", i, &dma);
		total += sg_dma_len(sg);
	}
	KUNIT_EXPECT_EQ(test, total, (u64)c->npages * PAGE_SIZE);

	if (!merge) {
		KUNIT_EXPECT_EQ_MSG(test, t->sgt.nents, t->sgt.orig_nents,
				    "segments merged without a merge boundary");
	} else {
		KUNIT_EXPECT_LT_MSG(test, t->sgt.nents, t->sgt.orig_nents,
				    "merge boundary %#lx but no segment merged",
				    merge);
	}
	if (mode == DMASTRESS_KUNIT_MODE_TRANSLATED)
		KUNIT_EXPECT_NE_MSG(test, merge, 0,
				    "group type DMA/DMA-FQ without a merge boundary");
	else if (mode != DMASTRESS_KUNIT_MODE_UNKNOWN)
		KUNIT_EXPECT_EQ_MSG(test, merge, 0,
				    "merge boundary %#lx without translation",
				    merge);
}

static struct kunit_case sg_test_cases[] = {
	KUNIT_CASE_PARAM(sg_test_data, sg_xfer_gen_params),
	KUNIT_CASE_PARAM(sg_test_seg_limits, sg_limits_gen_params),
	KUNIT_CASE_PARAM(sg_test_merge, sg_merge_gen_params),
	{}
};

static struct kunit_suite sg_test_suite = {
	.name = "dmastress_sg",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = sg_test_cases,
};

kunit_test_suite(sg_test_suite);
