// SPDX-License-Identifier: GPL-2.0-only
/*
 * noncontig_kunit.c - KUnit suite dmastress_noncontig:
 * dma_alloc_noncontiguous() and dma_vmap_noncontiguous()
 *
 * Non-contiguous allocations seen by the device as one DMA segment and by
 * the CPU through their vmap, in every direction with both engines.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

static const struct dmastress_kunit_xfer noncontig_xfer_cases[] = {
	DMASTRESS_KUNIT_XFER(NONCONTIG, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE - 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE + 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE + 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, MAX_SEG, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, MAX_SEG_PLUS_1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, SZ_1M + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, 1, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE + 1, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(NONCONTIG, 3 * PAGE_SIZE, BIDIRECTIONAL, EDU),
};

KUNIT_ARRAY_PARAM_DESC(noncontig_xfer, noncontig_xfer_cases, desc);

/*
 * dma_alloc_noncontiguous() maps its table with one CPU entry per chunk it
 * got, and DMA-API debug flags any entry longer than the device's max
 * segment size ("mapping sg segment longer than device claims to
 * support"): a buffer over 64 KiB (the PCI default) trips it under
 * dma-direct, and under an IOMMU whenever a chunk is large. Drivers of
 * devices without a segment limit raise it first (sound/pci/hda/hda_intel.c
 * sets dma_set_max_seg_size(UINT_MAX)); edu has none, so the cases do the
 * same, after the table's MAX_SEG lengths are resolved against the
 * device's own limit.
 */
static void noncontig_raise_seg_limit(struct kunit *test,
				      struct dmastress_dev *dd)
{
	KUNIT_ASSERT_EQ(test, dmastress_kunit_set_seg_limits(test, dd->dev,
							     UINT_MAX,
							     ULONG_MAX),
			0);
}

/*
 * Bytes written through the vmap reach the device after
 * flush_kernel_vmap_range() and dma_sync_sgtable_for_device(); bytes the
 * device writes are read through the vmap after
 * dma_sync_sgtable_for_cpu() and invalidate_kernel_vmap_range().
 */
static void noncontig_test_data(struct kunit *test)
{
	const struct dmastress_kunit_xfer *c = test->param_value;
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd;

	dd = dmastress_kunit_dev_for(test, c->engine);
	dmastress_kunit_params(&p, c->path, c->engine, c->dir,
			       dmastress_kunit_resolve_len(dd, c->len));
	noncontig_raise_seg_limit(test, dd);
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

/**
 * struct noncontig_case - one dma_alloc_noncontiguous()
 * @desc: case name
 * @size: bytes
 * @dir: enum dma_data_direction
 */
struct noncontig_case {
	const char *desc;
	size_t size;
	u32 dir;
};

static const struct noncontig_case noncontig_cases[] = {
	{ .desc = "PAGE_SIZE BIDIRECTIONAL", .size = PAGE_SIZE,
	  .dir = DMA_BIDIRECTIONAL },
	{ .desc = "PAGE_SIZE + 1 TO_DEVICE", .size = PAGE_SIZE + 1,
	  .dir = DMA_TO_DEVICE },
	{ .desc = "16 pages FROM_DEVICE", .size = 16 * PAGE_SIZE,
	  .dir = DMA_FROM_DEVICE },
	{ .desc = "1 MiB BIDIRECTIONAL", .size = SZ_1M,
	  .dir = DMA_BIDIRECTIONAL },
};

KUNIT_ARRAY_PARAM_DESC(noncontig, noncontig_cases, desc);

/**
 * struct noncontig_buf - what a case allocated
 * @dev: the device
 * @sgt: dma_alloc_noncontiguous()
 * @vaddr: dma_vmap_noncontiguous() of it, or NULL
 * @size: bytes
 * @dir: direction
 */
struct noncontig_buf {
	struct device *dev;
	struct sg_table *sgt;
	void *vaddr;
	size_t size;
	enum dma_data_direction dir;
};

static void noncontig_buf_free(void *data)
{
	struct noncontig_buf *b = data;

	if (b->vaddr)
		dma_vunmap_noncontiguous(b->dev, b->vaddr);
	dma_free_noncontiguous(b->dev, b->size, b->sgt, b->dir);
}

/*
 * dma_alloc_noncontiguous() returns a table with exactly one DMA segment
 * (Documentation/core-api/dma-api.rst) covering the size, within the
 * coherent mask, over CPU pages that add up to at least the size; and the
 * vmap is the same memory as the table's pages: a pattern written through
 * the vmap is read back page by page through kmap_local_page().
 */
static void noncontig_test_alloc(struct kunit *test)
{
	const struct noncontig_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	struct dmastress_verify v = {};
	struct noncontig_buf *b;
	struct scatterlist *sg;
	size_t cpu_bytes = 0, off = 0;
	unsigned int i;
	u32 seed = 0x5eed;

	noncontig_raise_seg_limit(test, dd);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->dev = dd->dev;
	b->size = c->size;
	b->dir = c->dir;
	b->sgt = dma_alloc_noncontiguous(b->dev, b->size, b->dir, GFP_KERNEL,
					 0);
	KUNIT_ASSERT_NOT_NULL(test, b->sgt);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							noncontig_buf_free, b),
			0);

	KUNIT_EXPECT_EQ(test, b->sgt->nents, 1);
	KUNIT_EXPECT_GE(test, sg_dma_len(b->sgt->sgl), b->size);
	KUNIT_EXPECT_LE(test, (u64)sg_dma_address(b->sgt->sgl) + b->size - 1,
			b->dev->coherent_dma_mask);
	for_each_sgtable_sg(b->sgt, sg, i)
		cpu_bytes += sg->length;
	KUNIT_EXPECT_GE(test, cpu_bytes, b->size);

	b->vaddr = dma_vmap_noncontiguous(b->dev, b->size, b->sgt);
	KUNIT_ASSERT_NOT_NULL(test, b->vaddr);
	dmastress_pattern_fill(b->vaddr, b->size, seed, 0);
	flush_kernel_vmap_range(b->vaddr, b->size);
	for_each_sgtable_sg(b->sgt, sg, i) {
		size_t n = min_t(size_t, sg->length, b->size - off);
		size_t done = 0;

		while (done < n) {
			struct page *page = dmastress_nth_page(sg_page(sg),
						     (sg->offset + done) >>
						     PAGE_SHIFT);
			size_t po = offset_in_page(sg->offset + done);
			size_t k = min_t(size_t, n - done, PAGE_SIZE - po);
			void *va = kmap_local_page(page);

			dmastress_pattern_check(va + po, k, seed, off + done,
						&v);
			kunmap_local(va);
			done += k;
		}
		off += n;
		if (off == b->size)
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, v.mismatches, 0,
			    "vmap and pages differ from offset %llu",
			    v.first_offset);
}

static struct kunit_case noncontig_test_cases[] = {
	KUNIT_CASE_PARAM(noncontig_test_data, noncontig_xfer_gen_params),
	KUNIT_CASE_PARAM(noncontig_test_alloc, noncontig_gen_params),
	{}
};

static struct kunit_suite noncontig_test_suite = {
	.name = "dmastress_noncontig",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = noncontig_test_cases,
};

kunit_test_suite(noncontig_test_suite);
