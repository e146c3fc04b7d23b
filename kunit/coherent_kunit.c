// SPDX-License-Identifier: GPL-2.0-only
/*
 * coherent_kunit.c - KUnit suite dmastress_coherent: dma_alloc_attrs()
 *
 * Coherent buffers through the dmastress coherent path: every size and
 * direction with both engines, every attribute, the coherent mask, and
 * what the device's address is under each mode.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

static const struct dmastress_kunit_xfer coherent_xfer_cases[] = {
	DMASTRESS_KUNIT_XFER(COHERENT, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE - 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE - 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE + 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE + 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, MAX_SEG, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, MAX_SEG_PLUS_1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, SZ_1M, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(COHERENT, 1, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE - 1, FROM_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE + 1, BIDIRECTIONAL, EDU),
	DMASTRESS_KUNIT_XFER(COHERENT, MAX_SEG, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(COHERENT, MAX_SEG_PLUS_1, FROM_DEVICE, EDU),
};

KUNIT_ARRAY_PARAM_DESC(coherent_xfer, coherent_xfer_cases, desc);

/*
 * The device's writes and reads of a coherent buffer, with no sync at all,
 * are seen by the CPU byte for byte. Passes when every byte arrives, the
 * guards are untouched and the address is within the coherent mask.
 */
static void coherent_test_data(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/**
 * struct coherent_attrs_case - a coherent buffer allocated with attributes
 * @desc: case name
 * @attrs: DMASTRESS_ATTR_*
 * @engine: enum dmastress_engine_id
 */
struct coherent_attrs_case {
	const char *desc;
	u32 attrs;
	u32 engine;
};

static const struct coherent_attrs_case coherent_attrs_cases[] = {
	{ .desc = "WRITE_COMBINE cpu", .attrs = DMASTRESS_ATTR_WRITE_COMBINE,
	  .engine = DMASTRESS_ENGINE_CPU },
	{ .desc = "WRITE_COMBINE edu", .attrs = DMASTRESS_ATTR_WRITE_COMBINE,
	  .engine = DMASTRESS_ENGINE_EDU },
	{ .desc = "NO_KERNEL_MAPPING cpu",
	  .attrs = DMASTRESS_ATTR_NO_KERNEL_MAPPING,
	  .engine = DMASTRESS_ENGINE_CPU },
	{ .desc = "FORCE_CONTIGUOUS cpu",
	  .attrs = DMASTRESS_ATTR_FORCE_CONTIGUOUS,
	  .engine = DMASTRESS_ENGINE_CPU },
	{ .desc = "MANAGED cpu", .attrs = DMASTRESS_ATTR_MANAGED,
	  .engine = DMASTRESS_ENGINE_CPU },
};

KUNIT_ARRAY_PARAM_DESC(coherent_attrs, coherent_attrs_cases, desc);

/*
 * Each allocation attribute still gives a buffer the device and the CPU
 * share: a bidirectional transfer of PAGE_SIZE + 1 bytes arrives intact.
 */
static void coherent_test_attrs(struct kunit *test)
{
	const struct coherent_attrs_case *c = test->param_value;
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test, c->engine);

	dmastress_kunit_params(&p, DMASTRESS_PATH_COHERENT, c->engine,
			       DMASTRESS_DIR_BIDIRECTIONAL, PAGE_SIZE + 1);
	p.attrs = c->attrs;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

/**
 * struct coherent_mask_case - a coherent mask narrower than the device's
 * @desc: case name
 * @bits: coherent mask width
 * @len: bytes
 */
struct coherent_mask_case {
	const char *desc;
	u32 bits;
	u64 len;
};

static const struct coherent_mask_case coherent_mask_cases[] = {
	{ .desc = "24 bits (DMASTRESS_MIN_MASK_BITS) PAGE_SIZE", .bits = 24,
	  .len = PAGE_SIZE },
	{ .desc = "24 bits 64 KiB + 1", .bits = 24, .len = SZ_64K + 1 },
	{ .desc = "32 bits PAGE_SIZE + 1", .bits = 32, .len = PAGE_SIZE + 1 },
	{ .desc = "32 bits 1 MiB", .bits = 32, .len = SZ_1M },
};

KUNIT_ARRAY_PARAM_DESC(coherent_mask, coherent_mask_cases, desc);

/*
 * With the streaming mask left at 64 bits, a coherent buffer lies within
 * the coherent mask: the DMA API must use the coherent one for it.
 */
static void coherent_test_mask(struct kunit *test)
{
	const struct coherent_mask_case *c = test->param_value;
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test,
							   DMASTRESS_ENGINE_CPU);

	dmastress_kunit_params(&p, DMASTRESS_PATH_COHERENT,
			       DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->len);
	p.coherent_mask_bits = c->bits;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	KUNIT_EXPECT_LE_MSG(test, res.sample_dma_addr + c->len - 1,
			    DMA_BIT_MASK(c->bits), "dma %#llx",
			    res.sample_dma_addr);
}

/**
 * struct coherent_buf - a coherent buffer a case holds
 * @dev: its device
 * @cpu: CPU address
 * @dma: DMA address
 * @size: bytes
 */
struct coherent_buf {
	struct device *dev;
	void *cpu;
	dma_addr_t dma;
	size_t size;
};

static void coherent_buf_free(void *data)
{
	struct coherent_buf *b = data;

	dma_free_coherent(b->dev, b->size, b->cpu, b->dma);
}

/*
 * Under group type DMA or DMA-FQ the dma_addr_t of a coherent buffer is an
 * IOVA, not the physical address of its first page; under dma-direct,
 * swiotlb=force (coherent buffers are not bounced) and identity it is.
 */
static void coherent_test_translation(struct kunit *test)
{
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct coherent_buf *b;
	struct page *page;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->dev = dd->dev;
	b->size = PAGE_SIZE;
	b->cpu = dma_alloc_coherent(b->dev, b->size, &b->dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->cpu);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, coherent_buf_free,
							b), 0);

	page = is_vmalloc_addr(b->cpu) ? vmalloc_to_page(b->cpu) :
					 virt_to_page(b->cpu);
	dmastress_kunit_expect_translation(test, mode, false, b->dma,
					   page_to_phys(page) +
					   offset_in_page(b->cpu));
}

static struct kunit_case coherent_test_cases[] = {
	KUNIT_CASE_PARAM(coherent_test_data, coherent_xfer_gen_params),
	KUNIT_CASE_PARAM(coherent_test_attrs, coherent_attrs_gen_params),
	KUNIT_CASE_PARAM(coherent_test_mask, coherent_mask_gen_params),
	KUNIT_CASE(coherent_test_translation),
	{}
};

static struct kunit_suite coherent_test_suite = {
	.name = "dmastress_coherent",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = coherent_test_cases,
};

kunit_test_suite(coherent_test_suite);
