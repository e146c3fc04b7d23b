// SPDX-License-Identifier: GPL-2.0-only
/*
 * iova_kunit.c - KUnit suite dmastress_iova: the two-step IOVA API (Linux
 * 6.16) and dma_map_phys() (Linux 6.18)
 *
 * The iova path's transfers in every direction with both engines, pieces
 * of 4 KiB, 64 KiB and 2 MiB, a first piece at a sub-page offset, both
 * teardowns; which of the two mappings each mode gives; the API's own
 * promises checked directly on the edu device (one contiguous range,
 * nothing left after dma_iova_destroy()); and dma_map_phys() of memory and
 * of MMIO. On older kernels every case skips with the version it needs.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/sizes.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

static const struct dmastress_kunit_xfer iova_xfer_cases[] = {
	DMASTRESS_KUNIT_IOVA(1, SZ_4K, 0, DESTROY, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(1, SZ_4K, 0, DESTROY, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(PAGE_SIZE - 1, SZ_4K, 1, DESTROY, BIDIRECTIONAL,
			     CPU),
	DMASTRESS_KUNIT_IOVA(PAGE_SIZE + 1, SZ_4K, 0, UNLINK, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(SZ_64K, SZ_4K, 100, DESTROY, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(SZ_64K, SZ_4K, 100, UNLINK, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_IOVA(SZ_1M, SZ_64K, 0, DESTROY, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(SZ_1M - 3, SZ_64K, 2048, UNLINK, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(SZ_4M, SZ_2M, 0, DESTROY, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_IOVA(SZ_4M + 1, SZ_2M, 64, UNLINK, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_IOVA(1, SZ_4K, 0, DESTROY, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_IOVA(3 * PAGE_SIZE + 5, SZ_4K, 100, UNLINK,
			     BIDIRECTIONAL, EDU),
	DMASTRESS_KUNIT_IOVA(SZ_16K, SZ_4K, 0, DESTROY, TO_DEVICE, EDU),
};

KUNIT_ARRAY_PARAM_DESC(iova_xfer, iova_xfer_cases, desc);

/*
 * Every byte arrives through the linked range (or the per-piece
 * fallback), the decoy unlinked from the hole stays untouched, and no
 * granule still translates after the teardown.
 */
static void iova_test_data(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/*
 * Which mapping each mode gives: one linked IOVA range under group type
 * DMA or DMA-FQ, the per-piece dma_map_phys() fallback everywhere else;
 * with DMA-API debug dma_need_unmap() stays true, so nothing is skipped.
 */
static void iova_test_mode(struct kunit *test)
{
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, DMASTRESS_PATH_IOVA, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, SZ_64K);
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	if (mode == DMASTRESS_KUNIT_MODE_TRANSLATED)
		KUNIT_EXPECT_EQ_MSG(test, res.path_flags,
				    (u32)DMASTRESS_RESULT_IOVA_LINKED,
				    "group type DMA/DMA-FQ, mode %s",
				    dmastress_kunit_mode_name());
	else
		KUNIT_EXPECT_TRUE_MSG(test, res.path_flags &
				      DMASTRESS_RESULT_IOVA_FALLBACK,
				      "no translation, mode %s: flags %#x",
				      dmastress_kunit_mode_name(),
				      res.path_flags);
	if (IS_ENABLED(CONFIG_DMA_API_DEBUG))
		KUNIT_EXPECT_FALSE(test, res.path_flags &
				   DMASTRESS_RESULT_NO_UNMAP);
}

/**
 * struct iova_direct - an IOVA range a case holds
 * @dev: the device
 * @state: its state
 * @pages: two separate pages linked back to back
 * @linked: bytes linked from offset 0
 */
struct iova_direct {
	struct device *dev;
	struct dma_iova_state state;
	struct page *pages[2];
	size_t linked;
};

static void iova_direct_undo(void *data)
{
	struct iova_direct *d = data;

	if (dma_use_iova(&d->state))
		dma_iova_destroy(d->dev, &d->state, d->linked,
				 DMA_BIDIRECTIONAL, 0);
	if (d->pages[0])
		__free_page(d->pages[0]);
	if (d->pages[1])
		__free_page(d->pages[1]);
}

/*
 * The API's promises, called directly: dma_iova_try_alloc() succeeds
 * exactly where the mode translates; two pages linked back to back are one
 * contiguous IOVA range, each half translating to its own page; after
 * dma_iova_destroy() neither translates.
 */
static void iova_test_direct(struct kunit *test)
{
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	struct iommu_domain *domain;
	struct iova_direct *d;
	dma_addr_t a;
	bool ok;

	if (!DMASTRESS_HAVE_IOVA_API)
		kunit_skip(test, "the IOVA API needs Linux 6.16");
	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	d->dev = dd->dev;
	d->pages[0] = alloc_page(GFP_KERNEL);
	d->pages[1] = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, iova_direct_undo,
							d), 0);
	KUNIT_ASSERT_TRUE(test, d->pages[0] && d->pages[1]);

	ok = dma_iova_try_alloc(d->dev, &d->state, 0, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ok, dma_use_iova(&d->state));
	if (mode != DMASTRESS_KUNIT_MODE_TRANSLATED) {
		KUNIT_EXPECT_FALSE_MSG(test, ok, "mode %s: no IOVA to allocate",
				       dmastress_kunit_mode_name());
		return;
	}
	KUNIT_ASSERT_TRUE(test, ok);
	KUNIT_ASSERT_EQ(test, dma_iova_link(d->dev, &d->state,
					    page_to_phys(d->pages[0]), 0,
					    PAGE_SIZE, DMA_BIDIRECTIONAL, 0), 0);
	d->linked = PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, dma_iova_link(d->dev, &d->state,
					    page_to_phys(d->pages[1]),
					    PAGE_SIZE, PAGE_SIZE,
					    DMA_BIDIRECTIONAL, 0), 0);
	d->linked = 2 * PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, dma_iova_sync(d->dev, &d->state, 0,
					    2 * PAGE_SIZE), 0);

	domain = iommu_get_domain_for_dev(d->dev);
	a = d->state.addr;
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, a),
			page_to_phys(d->pages[0]));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, a + PAGE_SIZE + 8),
			page_to_phys(d->pages[1]) + 8);

	dma_iova_destroy(d->dev, &d->state, d->linked, DMA_BIDIRECTIONAL, 0);
	memset(&d->state, 0, sizeof(d->state));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, a), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, a + PAGE_SIZE), 0);
}

static const struct dmastress_kunit_xfer iova_phys_cases[] = {
	DMASTRESS_KUNIT_XFER(PHYS, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PHYS, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PHYS, PAGE_SIZE + 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(PHYS, SZ_256K, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(PHYS, PAGE_SIZE + 1, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(PHYS, 2047, FROM_DEVICE, EDU),
};

KUNIT_ARRAY_PARAM_DESC(iova_phys, iova_phys_cases, desc);

/* dma_map_phys() of memory: the single path's checks, by physical address. */
static void iova_test_phys(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/*
 * dma_map_phys(DMA_ATTR_MMIO) of the resource path's target (the NVMe
 * controller's CMB where it has one, else edu's BAR window) next to
 * dma_map_resource() of the same window: both reach it (the path counts a
 * disagreement as a segment violation), the device moves the bytes without
 * a fault, and both unmap. The CMB's bytes are verified through its BAR;
 * edu's window drops DMA writes, so no data check there.
 */
static void iova_test_phys_mmio(struct kunit *test)
{
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, DMASTRESS_PATH_PHYS, DMASTRESS_ENGINE_EDU,
			       DMASTRESS_DIR_BIDIRECTIONAL, 2048);
	p.attrs = DMASTRESS_ATTR_MMIO;
	if (!dmastress_peer_window(dd, NULL, NULL))
		p.flags = DMASTRESS_RUN_NO_VERIFY;
	dmastress_kunit_run(test, dd, &p, &res);
	KUNIT_EXPECT_EQ(test, res.ops, 1);
	KUNIT_EXPECT_EQ(test, res.mismatches, 0);
	KUNIT_EXPECT_EQ(test, res.device_faults, 0);
	KUNIT_EXPECT_EQ(test, res.map_errors, 0);
	KUNIT_EXPECT_EQ(test, res.seg_violations, 0);
	KUNIT_EXPECT_NE(test, res.sample_phys_addr, 0);
}

/*
 * Bad input changes nothing: piece_bytes and IOVA_UNLINK belong to the
 * iova path, the piece is a power of two within the bounds, and mmio to
 * the phys path.
 */
static void iova_test_bad_params(struct kunit *test)
{
	struct dmastress_run_params p;

	dmastress_kunit_params(&p, DMASTRESS_PATH_IOVA, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_TO_DEVICE, SZ_64K);
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), 0);
	p.piece_bytes = SZ_64K + SZ_4K;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.piece_bytes = DMASTRESS_MIN_PIECE_BYTES / 2;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.piece_bytes = DMASTRESS_MAX_PIECE_BYTES * 2;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.piece_bytes = SZ_2M;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), 0);
	p.path = DMASTRESS_PATH_SINGLE;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.piece_bytes = 0;
	p.flags = DMASTRESS_RUN_IOVA_UNLINK;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.flags = 0;
	p.attrs = DMASTRESS_ATTR_MMIO;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.path = DMASTRESS_PATH_PHYS;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), 0);
}

static struct kunit_case iova_test_cases[] = {
	KUNIT_CASE_PARAM(iova_test_data, iova_xfer_gen_params),
	KUNIT_CASE(iova_test_mode),
	KUNIT_CASE(iova_test_direct),
	KUNIT_CASE_PARAM(iova_test_phys, iova_phys_gen_params),
	KUNIT_CASE(iova_test_phys_mmio),
	KUNIT_CASE(iova_test_bad_params),
	{}
};

static struct kunit_suite iova_test_suite = {
	.name = "dmastress_iova",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = iova_test_cases,
};

kunit_test_suite(iova_test_suite);
