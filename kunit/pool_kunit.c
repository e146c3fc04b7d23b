// SPDX-License-Identifier: GPL-2.0-only
/*
 * pool_kunit.c - KUnit suite dmastress_pool: dma_pool_*()
 *
 * Blocks of a dma_pool honour the pool's align and boundary, lie within
 * the coherent mask, do not overlap, and come zeroed from
 * dma_pool_zalloc(); the device moves data through them intact.
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

/* Blocks a case takes from its pool at most. */
#define POOL_TEST_MAX_BLOCKS	64

static const struct dmastress_kunit_xfer pool_xfer_cases[] = {
	DMASTRESS_KUNIT_XFER(POOL, 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(POOL, 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(POOL, 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE - 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE - 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE - 1, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE + 1, TO_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE + 1, FROM_DEVICE, CPU),
	DMASTRESS_KUNIT_XFER(POOL, MAX_SEG, BIDIRECTIONAL, CPU),
	DMASTRESS_KUNIT_XFER(POOL, 1, BIDIRECTIONAL, EDU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE - 1, TO_DEVICE, EDU),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE + 1, FROM_DEVICE, EDU),
};

KUNIT_ARRAY_PARAM_DESC(pool_xfer, pool_xfer_cases, desc);

/*
 * A block of a dma_pool carries the device's bytes both ways without a
 * sync. Passes when every byte arrives and the blocks next to the payload
 * are untouched.
 */
static void pool_test_data(struct kunit *test)
{
	dmastress_kunit_xfer_test(test);
}

/**
 * struct pool_case - one dma_pool geometry
 * @desc: case name
 * @size: block size asked for, bytes
 * @align: block alignment, bytes (power of two; 0: the default)
 * @boundary: no block crosses a multiple of this, bytes (power of two; 0:
 *	none)
 */
struct pool_case {
	const char *desc;
	size_t size;
	size_t align;
	size_t boundary;
};

static const struct pool_case pool_cases[] = {
	{ .desc = "size 1 default align", .size = 1 },
	{ .desc = "size 1 align 64", .size = 1, .align = 64 },
	{ .desc = "size 24 align 8 boundary 64", .size = 24, .align = 8,
	  .boundary = 64 },
	{ .desc = "size 96 align 32 boundary 256", .size = 96, .align = 32,
	  .boundary = 256 },
	{ .desc = "size 1000 align 16 boundary 1024", .size = 1000,
	  .align = 16, .boundary = 1024 },
	{ .desc = "size 3000 align 64 boundary PAGE_SIZE", .size = 3000,
	  .align = 64, .boundary = PAGE_SIZE },
	{ .desc = "size PAGE_SIZE - 1 align 128", .size = PAGE_SIZE - 1,
	  .align = 128 },
	{ .desc = "size PAGE_SIZE align PAGE_SIZE", .size = PAGE_SIZE,
	  .align = PAGE_SIZE },
	{ .desc = "size PAGE_SIZE + 1 align 8 boundary 2 * PAGE_SIZE",
	  .size = PAGE_SIZE + 1, .align = 8, .boundary = 2 * PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(pool, pool_cases, desc);

/**
 * struct pool_blocks - a pool and the blocks a case took from it
 * @pool: the pool
 * @n: blocks taken
 * @cpu: their CPU addresses
 * @dma: their DMA addresses
 */
struct pool_blocks {
	struct dma_pool *pool;
	unsigned int n;
	void *cpu[POOL_TEST_MAX_BLOCKS];
	dma_addr_t dma[POOL_TEST_MAX_BLOCKS];
};

static void pool_blocks_free(void *data)
{
	struct pool_blocks *b = data;

	while (b->n--)
		dma_pool_free(b->pool, b->cpu[b->n], b->dma[b->n]);
	dma_pool_destroy(b->pool);
}

/*
 * dma_pool_create() with the case's size, align and boundary; enough
 * blocks to fill several pool pages, alternately from dma_pool_alloc() and
 * dma_pool_zalloc(). Passes when every block's DMA and CPU addresses are
 * aligned, no block crosses the boundary or the coherent mask, zalloc'd
 * blocks are zero, and no two blocks share a byte (each block is filled
 * with its own pattern after all are taken, then checked).
 */
static void pool_test_blocks(struct kunit *test)
{
	const struct pool_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test,
							   DMASTRESS_ENGINE_CPU);
	u64 mask = dd->dev->coherent_dma_mask;
	struct dmastress_verify v;
	struct pool_blocks *b;
	unsigned int want, i;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->pool = dma_pool_create("dmastress_kunit", dd->dev, c->size, c->align,
				  c->boundary);
	KUNIT_ASSERT_NOT_NULL(test, b->pool);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pool_blocks_free,
							b), 0);

	want = clamp_t(unsigned int, 3 * PAGE_SIZE / c->size, 4,
		       POOL_TEST_MAX_BLOCKS);
	for (i = 0; i < want; i++) {
		bool zero = i & 1;
		dma_addr_t dma;
		void *cpu;
		u64 last;

		cpu = zero ? dma_pool_zalloc(b->pool, GFP_KERNEL, &dma) :
			     dma_pool_alloc(b->pool, GFP_KERNEL, &dma);
		KUNIT_ASSERT_NOT_NULL(test, cpu);
		b->cpu[b->n] = cpu;
		b->dma[b->n++] = dma;

		last = (u64)dma + c->size - 1;
		if (c->align) {
			KUNIT_EXPECT_EQ_MSG(test, dma & (c->align - 1), 0,
					    "block %u dma %pad", i, &dma);
			KUNIT_EXPECT_EQ_MSG(test,
					    (unsigned long)cpu & (c->align - 1),
					    0, "block %u cpu %p", i, cpu);
		}
		if (c->boundary)
			KUNIT_EXPECT_EQ_MSG(test,
					    ((u64)dma ^ last) & ~((u64)c->boundary - 1),
					    0, "block %u dma %pad crosses", i,
					    &dma);
		KUNIT_EXPECT_LE_MSG(test, last, mask, "block %u dma %pad", i,
				    &dma);
		if (zero)
			KUNIT_EXPECT_NULL_MSG(test, memchr_inv(cpu, 0, c->size),
					      "block %u not zeroed", i);
	}

	for (i = 0; i < b->n; i++)
		dmastress_pattern_fill(b->cpu[i], c->size, i, 0);
	for (i = 0; i < b->n; i++) {
		memset(&v, 0, sizeof(v));
		dmastress_pattern_check(b->cpu[i], c->size, i, 0, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.mismatches, 0,
				    "block %u overlaps another at offset %llu",
				    i, v.first_offset);
	}
}

/*
 * The pool path with an align and a boundary: it checks every block it
 * takes itself (a misaligned or crossing block is a seg_violation) and
 * moves data through the middle one.
 */
static void pool_test_run_geometry(struct kunit *test)
{
	const struct pool_case *c = test->param_value;
	struct dmastress_dev *dd = dmastress_kunit_dev_for(test,
							   DMASTRESS_ENGINE_CPU);
	struct dmastress_run_params p;
	struct dmastress_run_result res;

	dmastress_kunit_params(&p, DMASTRESS_PATH_POOL, DMASTRESS_ENGINE_CPU,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->size);
	p.pool_align = c->align;
	p.pool_boundary = c->boundary;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

static struct kunit_case pool_test_cases[] = {
	KUNIT_CASE_PARAM(pool_test_data, pool_xfer_gen_params),
	KUNIT_CASE_PARAM(pool_test_blocks, pool_gen_params),
	KUNIT_CASE_PARAM(pool_test_run_geometry, pool_gen_params),
	{}
};

static struct kunit_suite pool_test_suite = {
	.name = "dmastress_pool",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = pool_test_cases,
};

kunit_test_suite(pool_test_suite);
