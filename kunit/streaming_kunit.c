// SPDX-License-Identifier: GPL-2.0-only
/*
 * streaming_kunit.c - KUnit suite dmastress_streaming: dma_map_single()
 * and dma_map_page()
 *
 * Streaming maps of kmalloc'd buffers and of page blocks at sub-page
 * offsets, in every direction with both engines, dma_map_resource() of a
 * peer window, and what the device's address is under each mode.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

static const struct dmastress_kunit_xfer streaming_xfer_cases[] = {
	DMASTRESS_KUNIT_XFER(SINGLE, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE - 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE - 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, MAX_SEG, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, MAX_SEG, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, MAX_SEG_PLUS_1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, SZ_256K, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(SINGLE, 1, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE - 1, BIDIRECTIONAL, EDU),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(SINGLE, MAX_SEG, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_AT(PAGE, 1, 0, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE - 1, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE - 1, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE, 0, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE, 2048, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE + 1, PAGE_SIZE - 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE + 1, PAGE_SIZE - 1, BIDIRECTIONAL,
			   CPU),
	DMASTRESS_KUNIT_AT(PAGE, MAX_SEG, 100, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, MAX_SEG_PLUS_1, 0, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE - 1, 1, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_AT(PAGE, PAGE_SIZE + 1, PAGE_SIZE - 1, BIDIRECTIONAL,
			   EDU),
};

KUNIT_ARRAY_PARAM_DESC(streaming_xfer, streaming_xfer_cases, desc);

/*
 * The bytes the device reads are the bytes the CPU wrote before mapping
 * (TO_DEVICE, BIDIRECTIONAL), and the bytes the CPU reads after
 * dma_sync_single_for_cpu() are the ones the device wrote (FROM_DEVICE,
 * BIDIRECTIONAL); a TO_DEVICE source is not changed; nothing beyond the
 * buffer is written.
 */
static void streaming_test_data(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/**
 * struct streaming_map - a dma_map_single() a case holds
 * @dev: the device
 * @buf: kmalloc'd buffer
 * @dma: its DMA address
 * @len: bytes
 */
struct streaming_map {
	struct device *dev;
	void *buf;
	dma_addr_t dma;
	size_t len;
};

static void streaming_map_undo(void *data)
{
	struct streaming_map *m = data;

	dma_unmap_single(m->dev, m->dma, m->len, DMA_TO_DEVICE);
}

/*
 * The dma_addr_t of a kmalloc'd buffer: an IOVA under group type DMA or
 * DMA-FQ, a swiotlb slot under swiotlb=force, the physical address itself
 * under dma-direct and identity.
 */
static void streaming_test_translation(struct kunit *test)
{
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct streaming_map *m;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->dev = dd->dev;
	m->len = 2 * PAGE_SIZE;
	m->buf = kunit_kzalloc(test, m->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	m->dma = dma_map_single(m->dev, m->buf, m->len, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(m->dev, m->dma));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							streaming_map_undo, m),
			0);

	dmastress_kunit_expect_translation(test, mode, true, m->dma,
					   virt_to_phys(m->buf));
}

/**
 * struct streaming_mask_case - a streaming mask narrower than the device's
 * @desc: case name
 * @path: DMASTRESS_PATH_SINGLE or DMASTRESS_PATH_PAGE
 * @bits: streaming mask width
 * @len: bytes
 */
struct streaming_mask_case {
	const char *desc;
	u32 path;
	u32 bits;
	u64 len;
};

static const struct streaming_mask_case streaming_mask_cases[] = {
	{ .desc = "single 32 bits PAGE_SIZE + 1", .path = DMASTRESS_PATH_SINGLE,
	  .bits = 32, .len = PAGE_SIZE + 1 },
	{ .desc = "page 32 bits 64 KiB", .path = DMASTRESS_PATH_PAGE,
	  .bits = 32, .len = SZ_64K },
};

KUNIT_ARRAY_PARAM_DESC(streaming_mask, streaming_mask_cases, desc);

/*
 * With a 32-bit streaming mask, every address a streaming map hands out
 * ends within it (bounced or remapped below 4 GiB when needed).
 */
static void streaming_test_mask(struct kunit *test)
{
	const struct streaming_mask_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test,
							   DMASTRESS_ENGINE_CPU);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, c->path, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->len);
	p.mask_bits = c->bits;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_LE_MSG(test, res.sample_dma_addr + c->len - 1,
			    DMA_BIT_MASK(c->bits), "dma %#llx",
			    res.sample_dma_addr);
}

static const struct dmastress_kunit_xfer streaming_resource_cases[] = {
	DMASTRESS_KUNIT_XFER(RESOURCE, 4, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(RESOURCE, 2044, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(RESOURCE, 2048, BIDIRECTIONAL, EDU),
};

KUNIT_ARRAY_PARAM_DESC(streaming_resource, streaming_resource_cases, desc);

/*
 * dma_map_resource() of a peer's MMIO for edu: the NVMe controller's CMB
 * where it has one (scripts/kunit gives it 16 MiB), whose bytes the run
 * verifies through the CMB's BAR, else edu's own BAR window, which drops
 * DMA writes and reads all-ones (DMASTRESS_RUN_NO_VERIFY). The device moves
 * the bytes without a fault, and the address it is given is an IOVA under
 * group type DMA or DMA-FQ and the window's physical address otherwise
 * (resources are never bounced), inside the peer window when there is one.
 */
static void streaming_test_resource(struct kunit *test)
{
	const struct dmastress_kunit_xfer *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	phys_addr_t peer = 0;
	size_t window;

	window = dmastress_peer_window(dd, &peer, NULL);
	dmastress_kunit_params(&p, c->path, c->engine, c->dir, c->len);
	if (!window)
		p.flags = DMASTRESS_RUN_NO_VERIFY;
	dmastress_kunit_run(test, dd, &p, &res);
	KUNIT_EXPECT_EQ(test, res.ops, 1);
	KUNIT_EXPECT_EQ(test, res.device_faults, 0);
	KUNIT_EXPECT_EQ(test, res.map_errors, 0);
	KUNIT_EXPECT_EQ(test, res.mask_violations, 0);
	KUNIT_EXPECT_EQ(test, res.mismatches, 0);
	KUNIT_EXPECT_EQ(test, res.src_errors, 0);
	KUNIT_ASSERT_NE(test, res.sample_phys_addr, 0);
	if (window) {
		KUNIT_EXPECT_GE(test, res.sample_phys_addr, peer);
		KUNIT_EXPECT_LT(test, res.sample_phys_addr, peer + window);
	}
	dmastress_kunit_expect_translation(test, mode, false,
					   res.sample_dma_addr,
					   res.sample_phys_addr);
}

/*
 * DMASTRESS_RUN_NO_XFER (the anchor's dma_map_benchmark -d 0): map and
 * unmap with no transfer between them. Refused (-EINVAL) without NO_VERIFY,
 * since nothing moves that could be checked, and with a stress mix; a run
 * maps and unmaps every op and times nothing between: no transfer, no
 * sync.
 */
static void streaming_test_no_xfer(struct kunit *test)
{
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_hist *hists;
	struct dmastress_dev *dd;
	int ret;

	dd = dmastress_kunit_dev_for(test, DMASTRESS_ENGINE_CPU);
	dmastress_kunit_params(&p, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, PAGE_SIZE);
	p.iterations = 8;
	p.flags = DMASTRESS_RUN_NO_XFER;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.flags = DMASTRESS_RUN_NO_XFER | DMASTRESS_RUN_NO_VERIFY |
		  DMASTRESS_RUN_STRESS;
	p.live = 1;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.flags = DMASTRESS_RUN_NO_XFER | DMASTRESS_RUN_NO_VERIFY;
	p.live = 0;
	KUNIT_ASSERT_EQ(test, dmastress_validate_params(&p), 0);

	hists = kunit_kcalloc(test, DMASTRESS_NR_HISTS, sizeof(*hists),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, hists);
	mutex_lock(&dd->lock);
	ret = dmastress_run(dd, &p, &res, hists);
	mutex_unlock(&dd->lock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, res.ops, 8);
	KUNIT_EXPECT_EQ(test, hists[DMASTRESS_PHASE_MAP].count, 8);
	KUNIT_EXPECT_EQ(test, hists[DMASTRESS_PHASE_UNMAP].count, 8);
	KUNIT_EXPECT_EQ(test, hists[DMASTRESS_PHASE_XFER].count, 0);
	KUNIT_EXPECT_EQ(test, hists[DMASTRESS_PHASE_SYNC_FOR_DEVICE].count, 0);
	KUNIT_EXPECT_EQ(test, hists[DMASTRESS_PHASE_SYNC_FOR_CPU].count, 0);
	KUNIT_EXPECT_EQ(test, hists[DMASTRESS_PHASE_E2E].count, 8);
	KUNIT_EXPECT_EQ(test, res.device_faults, 0);
}

/*
 * DMASTRESS_RUN_REUSE (dma_map_benchmark's one buffer per thread): every op
 * maps the same CPU buffer again and still moves and checks its bytes;
 * refused with a stress mix. With batches, the batch maps that buffer too
 * and a batch sample is taken per op.
 */
static void streaming_test_reuse(struct kunit *test)
{
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd;

	dd = dmastress_kunit_dev_for(test, DMASTRESS_ENGINE_CPU);
	dmastress_kunit_params(&p, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, PAGE_SIZE + 1);
	p.iterations = 8;
	p.flags = DMASTRESS_RUN_REUSE | DMASTRESS_RUN_STRESS;
	p.live = 2;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p), -EINVAL);
	p.flags = DMASTRESS_RUN_REUSE;
	p.live = 0;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_EQ(test, res.ops, 8);

	p.flags = DMASTRESS_RUN_REUSE | DMASTRESS_RUN_BATCH;
	p.batch = 4;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_EQ(test, res.ops, 8);
	KUNIT_EXPECT_EQ(test, res.batch.count, 8);
}

/*
 * dma_set_min_align_mask(PAGE_SIZE - 1) (DMASTRESS_ATTR_MIN_ALIGN), what
 * NVMe sets for its PRPs: a buffer 100 bytes into a page keeps those low
 * 12 bits in its DMA address in every mode, the bounce slot included (the
 * path counts a segment violation otherwise). Without the mask, swiotlb
 * starts a bounce on a slot boundary, and the low bits differ: the
 * attribute is what keeps them.
 */
static void streaming_test_min_align(struct kunit *test)
{
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, SZ_16K);
	p.offset_bytes = 100;
	p.attrs = DMASTRESS_ATTR_MIN_ALIGN;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_EQ_MSG(test, (res.sample_dma_addr ^ res.sample_phys_addr) &
			    (PAGE_SIZE - 1), 0, "dma %#llx phys %#llx",
			    res.sample_dma_addr, res.sample_phys_addr);
	KUNIT_EXPECT_EQ(test, dma_get_min_align_mask(dd->dev),
			dd->saved_min_align_mask);

	if (mode != DMASTRESS_KUNIT_MODE_SWIOTLB)
		return;
	p.attrs = 0;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_NE_MSG(test, (res.sample_dma_addr ^ res.sample_phys_addr) &
			    (PAGE_SIZE - 1), 0,
			    "swiotlb=force without min_align_mask: dma %#llx phys %#llx",
			    res.sample_dma_addr, res.sample_phys_addr);
}

static struct kunit_case streaming_test_cases[] = {
	KUNIT_CASE_PARAM(streaming_test_data, streaming_xfer_gen_params),
	KUNIT_CASE(streaming_test_translation),
	KUNIT_CASE_PARAM(streaming_test_mask, streaming_mask_gen_params),
	KUNIT_CASE_PARAM(streaming_test_resource, streaming_resource_gen_params),
	KUNIT_CASE(streaming_test_no_xfer),
	KUNIT_CASE(streaming_test_reuse),
	KUNIT_CASE(streaming_test_min_align),
	{}
};

static struct kunit_suite streaming_test_suite = {
	.name = "dmastress_streaming",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = streaming_test_cases,
};

kunit_test_suite(streaming_test_suite);
