// SPDX-License-Identifier: GPL-2.0-only
/*
 * masks_kunit.c - KUnit suite dmastress_masks: DMA masks and the DMA API's
 * queries
 *
 * The masks a device can be given and keeps, the limits of a run's mask
 * parameters, the mode the kernel really runs in (group type, swiotlb),
 * dma_max_mapping_size() just under and over the swiotlb segment, and the
 * cpu engine's negative control: an address outside every mapping is a
 * device fault under translation.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

/**
 * struct masks_bits_case - a mask width given to a run
 * @desc: case name
 * @bits: streaming mask width
 * @coherent_bits: coherent mask width
 * @valid: dmastress_validate_params() accepts it
 */
struct masks_bits_case {
	const char *desc;
	u32 bits;
	u32 coherent_bits;
	bool valid;
};

static const struct masks_bits_case masks_bits_cases[] = {
	{ .desc = "mask 23 bits: under DMASTRESS_MIN_MASK_BITS", .bits = 23 },
	{ .desc = "mask 24 bits: DMASTRESS_MIN_MASK_BITS", .bits = 24,
	  .valid = true },
	{ .desc = "mask 64 bits: DMASTRESS_MAX_MASK_BITS", .bits = 64,
	  .valid = true },
	{ .desc = "mask 65 bits: over DMASTRESS_MAX_MASK_BITS", .bits = 65 },
	{ .desc = "coherent mask 23 bits", .coherent_bits = 23 },
	{ .desc = "coherent mask 24 bits", .coherent_bits = 24,
	  .valid = true },
	{ .desc = "coherent mask 65 bits", .coherent_bits = 65 },
};

KUNIT_ARRAY_PARAM_DESC(masks_bits, masks_bits_cases, desc);

/*
 * A run's mask widths are accepted from DMASTRESS_MIN_MASK_BITS to
 * DMASTRESS_MAX_MASK_BITS and refused (-EINVAL) one bit outside.
 */
static void masks_test_run_bounds(struct kunit *test)
{
	const struct masks_bits_case *c = test->param_value;
	struct dmastress_run_params p;

	dmastress_kunit_params(&p, DMASTRESS_PATH_COHERENT,
			       DMASTRESS_ENGINE_CPU, DMASTRESS_DIR_TO_DEVICE,
			       PAGE_SIZE);
	p.mask_bits = c->bits;
	p.coherent_mask_bits = c->coherent_bits;
	KUNIT_EXPECT_EQ(test, dmastress_validate_params(&p),
			c->valid ? 0 : -EINVAL);
}

/**
 * struct masks_set_case - masks given to the edu device
 * @desc: case name
 * @bits: streaming mask width
 * @coherent_bits: coherent mask width
 */
struct masks_set_case {
	const char *desc;
	u32 bits;
	u32 coherent_bits;
};

static const struct masks_set_case masks_set_cases[] = {
	{ .desc = "24/24 bits", .bits = 24, .coherent_bits = 24 },
	{ .desc = "32/32 bits", .bits = 32, .coherent_bits = 32 },
	{ .desc = "40/32 bits", .bits = 40, .coherent_bits = 32 },
	{ .desc = "48/24 bits", .bits = 48, .coherent_bits = 24 },
	{ .desc = "64/32 bits", .bits = 64, .coherent_bits = 32 },
	{ .desc = "64/64 bits", .bits = 64, .coherent_bits = 64 },
};

KUNIT_ARRAY_PARAM_DESC(masks_set, masks_set_cases, desc);

/*
 * A PCI device takes any mask from 24 to 64 bits on x86 and keeps its
 * streaming and coherent masks apart: each reads back as set, also when
 * they differ.
 */
static void masks_test_set(struct kunit *test)
{
	const struct masks_set_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);

	KUNIT_ASSERT_EQ(test, dmastress_kunit_set_masks(test, dd,
							DMA_BIT_MASK(c->bits),
							DMA_BIT_MASK(c->coherent_bits)),
			0);
	KUNIT_EXPECT_EQ(test, dma_get_mask(dd->dev), DMA_BIT_MASK(c->bits));
	KUNIT_EXPECT_EQ(test, dd->dev->coherent_dma_mask,
			DMA_BIT_MASK(c->coherent_bits));
}

/*
 * A kunit_device_register() device aliases its two masks (dma_mask points
 * at coherent_dma_mask): setting the coherent mask changes the streaming
 * one too. This is why the suites use edu for mask cases.
 */
static void masks_test_kunit_device_aliases(struct kunit *test)
{
	struct dmastress_dev *dd = dmastress_kunit_plain(test);

	KUNIT_ASSERT_EQ(test, dma_set_mask(dd->dev, DMA_BIT_MASK(64)), 0);
	KUNIT_ASSERT_EQ(test, dma_set_coherent_mask(dd->dev, DMA_BIT_MASK(32)),
			0);
	KUNIT_EXPECT_EQ(test, dma_get_mask(dd->dev), DMA_BIT_MASK(32));
}

/**
 * struct masks_run_case - a run with narrowed masks
 * @desc: case name
 * @path: enum dmastress_path_id
 * @bits: streaming mask width (0: keep)
 * @coherent_bits: coherent mask width (0: keep)
 * @len: bytes
 * @nents: sg entries
 */
struct masks_run_case {
	const char *desc;
	u32 path;
	u32 bits;
	u32 coherent_bits;
	u64 len;
	u32 nents;
};

static const struct masks_run_case masks_run_cases[] = {
	{ .desc = "single 32 bits", .path = DMASTRESS_PATH_SINGLE, .bits = 32,
	  .len = 3 * PAGE_SIZE + 1 },
	{ .desc = "sg 32 bits 64 entries", .path = DMASTRESS_PATH_SG,
	  .bits = 32, .len = 32 * PAGE_SIZE, .nents = 64 },
	{ .desc = "coherent 24 bits, streaming 64", .path = DMASTRESS_PATH_COHERENT,
	  .coherent_bits = 24, .len = 2 * PAGE_SIZE },
	{ .desc = "pool 24 bits, streaming 64", .path = DMASTRESS_PATH_POOL,
	  .coherent_bits = 24, .len = 512 },
	{ .desc = "noncontig 32 bits", .path = DMASTRESS_PATH_NONCONTIG,
	  .coherent_bits = 32, .len = 8 * PAGE_SIZE },
	{ .desc = "single 64 bits, coherent 24", .path = DMASTRESS_PATH_SINGLE,
	  .bits = 64, .coherent_bits = 24, .len = 2 * PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(masks_run, masks_run_cases, desc);

/*
 * Every DMA address of a run ends within the mask that applies to its
 * family (the run core checks each segment: mask_violations), and the data
 * still arrive.
 */
static void masks_test_run_within(struct kunit *test)
{
	const struct masks_run_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test,
							   DMASTRESS_ENGINE_CPU);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	/*
	 * A streaming path under a narrower coherent mask: on a device that
	 * aliases its masks (masks_test_kunit_device_aliases()) the coherent
	 * mask narrows the streaming one, and the case means nothing.
	 */
	if (c->coherent_bits && c->coherent_bits < c->bits &&
	    dmastress_paths[c->path]->mask == DMASTRESS_MASK_STREAMING &&
	    dd->dev->dma_mask == &dd->dev->coherent_dma_mask)
		kunit_skip(test, "a kunit device aliases its masks: %u/%u bits need edu",
			   c->bits, c->coherent_bits);
	dmastress_kunit_params(&p, c->path, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->len);
	p.mask_bits = c->bits;
	p.coherent_mask_bits = c->coherent_bits;
	p.nents = c->nents;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

/*
 * The kernel runs in the mode the boot asked for: the edu device's group
 * type is the modes table's, and swiotlb forces bouncing for it exactly
 * in swiotlb mode.
 */
static void masks_test_mode(struct kunit *test)
{
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	int want = dmastress_kunit_expected_group();

	if (want < 0)
		kunit_skip(test, "mode unknown: boot with dmastress_kunit.group=");
	KUNIT_EXPECT_EQ_MSG(test, dmastress_group_type(dd->dev), (u32)want,
			    "mode %s: group type %s, the modes table says %s",
			    dmastress_kunit_mode_name(),
			    dmastress_kunit_group_name(dmastress_group_type(dd->dev)),
			    dmastress_kunit_group_name(want));
	KUNIT_EXPECT_EQ(test, is_swiotlb_force_bounce(dd->dev),
			dmastress_kunit_mode(test) ==
			DMASTRESS_KUNIT_MODE_SWIOTLB);
}

/**
 * struct masks_limit_case - a streaming map at the swiotlb segment size
 * @desc: case name
 * @extra: bytes over swiotlb_max_mapping_size()
 */
struct masks_limit_case {
	const char *desc;
	size_t extra;
};

static const struct masks_limit_case masks_limit_cases[] = {
	{ .desc = "swiotlb segment size", .extra = 0 },
	{ .desc = "swiotlb segment size + 1", .extra = 1 },
};

KUNIT_ARRAY_PARAM_DESC(masks_limit, masks_limit_cases, desc);

/**
 * struct masks_map - a dma_map_single() a case holds
 * @dev: the device
 * @buf: kmalloc'd buffer
 * @dma: DMA address
 * @len: bytes
 * @mapped: the map succeeded
 */
struct masks_map {
	struct device *dev;
	void *buf;
	dma_addr_t dma;
	size_t len;
	bool mapped;
};

static void masks_map_undo(void *data)
{
	struct masks_map *m = data;

	if (m->mapped)
		dma_unmap_single(m->dev, m->dma, m->len, DMA_TO_DEVICE);
	kfree(m->buf);
}

/*
 * dma_max_mapping_size() is the swiotlb segment (IO_TLB_SEGSIZE slots)
 * where swiotlb=force bounces and unlimited elsewhere; a streaming map of
 * that size succeeds, one byte more fails under swiotlb=force and
 * succeeds without bouncing.
 */
static void masks_test_max_mapping_size(struct kunit *test)
{
	const struct masks_limit_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	bool bounce = mode == DMASTRESS_KUNIT_MODE_SWIOTLB;
	size_t seg = swiotlb_max_mapping_size(dd->dev);
	size_t max = dma_max_mapping_size(dd->dev);
	struct masks_map *m;

	if (mode == DMASTRESS_KUNIT_MODE_UNKNOWN)
		kunit_skip(test, "mode unknown: boot with dmastress_kunit.group=");
	KUNIT_ASSERT_GT(test, seg, 0);
	if (bounce)
		KUNIT_EXPECT_EQ(test, max, seg);
	else
		KUNIT_EXPECT_EQ(test, max, SIZE_MAX);

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	m->dev = dd->dev;
	m->len = seg + c->extra;
	m->buf = kzalloc(m->len, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, masks_map_undo,
							m), 0);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	m->dma = dma_map_single_attrs(m->dev, m->buf, m->len, DMA_TO_DEVICE,
				      DMA_ATTR_NO_WARN);
	m->mapped = !dma_mapping_error(m->dev, m->dma);
	KUNIT_EXPECT_EQ_MSG(test, m->mapped, !(bounce && c->extra),
			    "map of %zu bytes, dma_max_mapping_size() %zu",
			    m->len, max);
}

/**
 * struct masks_oob_case - a transfer aimed outside the mapping
 * @desc: case name
 * @path: enum dmastress_path_id
 */
struct masks_oob_case {
	const char *desc;
	u32 path;
};

static const struct masks_oob_case masks_oob_cases[] = {
	{ .desc = "single", .path = DMASTRESS_PATH_SINGLE },
	{ .desc = "sgtable", .path = DMASTRESS_PATH_SGTABLE },
	{ .desc = "coherent", .path = DMASTRESS_PATH_COHERENT },
	{ .desc = "pages", .path = DMASTRESS_PATH_PAGES },
};

KUNIT_ARRAY_PARAM_DESC(masks_oob, masks_oob_cases, desc);

/*
 * The negative control of the cpu engine: a read 16 pages (or a further
 * multiple of 16 pages that the domain leaves unmapped) past a mapping
 * (DMASTRESS_RUN_OOB_XFER) is a device fault under group type DMA or
 * DMA-FQ, where nothing is mapped there. Without translation the address
 * is a physical page nobody gave the run: the core refuses the run
 * (-EOPNOTSUPP) and does not one op.
 */
static void masks_test_oob_fault(struct kunit *test)
{
	const struct masks_oob_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_edu(test);
	enum dmastress_kunit_mode mode = dmastress_kunit_mode(test);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, c->path, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_TO_DEVICE, 2 * PAGE_SIZE);
	p.flags = DMASTRESS_RUN_OOB_XFER;
	if (mode != DMASTRESS_KUNIT_MODE_TRANSLATED) {
		mutex_lock(&dd->lock);
		KUNIT_EXPECT_EQ(test, dmastress_run(dd, &p, &res, NULL),
				-EOPNOTSUPP);
		mutex_unlock(&dd->lock);
		KUNIT_EXPECT_EQ(test, res.ops, 0);
		return;
	}
	dmastress_kunit_run(test, dd, &p, &res);
	KUNIT_EXPECT_EQ(test, res.ops, 1);
	KUNIT_EXPECT_GT_MSG(test, res.device_faults, 0,
			    "a read outside the mapping at dma %#llx (+ n x 16 pages) did not fault",
			    res.sample_dma_addr);
	KUNIT_EXPECT_EQ(test, res.src_errors, 0);
	KUNIT_EXPECT_EQ(test, res.guard_errors, 0);
}

/**
 * struct masks_stress_case - a randomised mix of every path
 * @desc: case name
 * @engine: enum dmastress_engine_id
 * @iterations: ops per thread
 * @len: longest op, bytes
 */
struct masks_stress_case {
	const char *desc;
	u32 engine;
	u64 iterations;
	u64 len;
};

static const struct masks_stress_case masks_stress_cases[] = {
	{ .desc = "cpu, 2 threads x 200 ops up to 48 KiB",
	  .engine = DMASTRESS_ENGINE_CPU, .iterations = 200,
	  .len = SZ_32K + SZ_16K },
	{ .desc = "edu, 2 threads x 40 ops up to 8 KiB",
	  .engine = DMASTRESS_ENGINE_EDU, .iterations = 40, .len = SZ_8K },
};

KUNIT_ARRAY_PARAM_DESC(masks_stress, masks_stress_cases, desc);

/*
 * Two threads keep up to 16 ops each of a random mix alive at once (every
 * path that can run here, random direction, length, offset and sg entry
 * count) under 32-bit streaming and coherent masks: every byte arrives,
 * every address is within its mask and every sg segment within the
 * device's limits. The mix is drawn from the suites' seed
 * (dmastress_kunit.seed= replays it). Ops stay below the device's 64 KiB
 * max segment size: a larger dma_alloc_noncontiguous() trips DMA-API
 * debug (see noncontig_kunit.c).
 */
static void masks_test_stress(struct kunit *test)
{
	const struct masks_stress_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test, c->engine);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, 0, c->engine, DMASTRESS_DIR_BIDIRECTIONAL,
			       c->len);
	p.flags = DMASTRESS_RUN_STRESS;
	p.threads = 2;
	p.iterations = c->iterations;
	p.live = 16;
	p.mask_bits = 32;
	p.coherent_mask_bits = 32;
	dmastress_kunit_run(test, dd, &p, &res);
	kunit_info(test, "seed=0x%x ops=%llu bytes=%llu\n", p.seed, res.ops,
		   res.bytes);
	KUNIT_EXPECT_GT(test, res.ops, 0);
	KUNIT_EXPECT_EQ_MSG(test, res.mismatches, 0,
			    "first at offset %llu: expected 0x%02x, found 0x%02x",
			    res.first_mismatch_offset, res.first_expected,
			    res.first_actual);
	KUNIT_EXPECT_EQ(test, res.guard_errors, 0);
	KUNIT_EXPECT_EQ(test, res.src_errors, 0);
	KUNIT_EXPECT_EQ(test, res.device_faults, 0);
	KUNIT_EXPECT_EQ(test, res.map_errors, 0);
	KUNIT_EXPECT_EQ(test, res.alloc_errors, 0);
	KUNIT_EXPECT_EQ(test, res.mask_violations, 0);
	KUNIT_EXPECT_EQ(test, res.seg_violations, 0);
}

static struct kunit_case masks_test_cases[] = {
	KUNIT_CASE_PARAM(masks_test_run_bounds, masks_bits_gen_params),
	KUNIT_CASE_PARAM(masks_test_set, masks_set_gen_params),
	KUNIT_CASE(masks_test_kunit_device_aliases),
	KUNIT_CASE_PARAM(masks_test_run_within, masks_run_gen_params),
	KUNIT_CASE(masks_test_mode),
	KUNIT_CASE_PARAM(masks_test_max_mapping_size, masks_limit_gen_params),
	KUNIT_CASE_PARAM(masks_test_oob_fault, masks_oob_gen_params),
	KUNIT_CASE_PARAM_ATTR(masks_test_stress, masks_stress_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite masks_test_suite = {
	.name = "dmastress_masks",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = masks_test_cases,
};

kunit_test_suite(masks_test_suite);
