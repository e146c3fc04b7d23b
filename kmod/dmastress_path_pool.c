// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_pool.c - dma_pool_create()/dma_pool_alloc()/dma_pool_zalloc()
 *
 * With DMASTRESS_ATTR_MANAGED the pool is dmam_pool_create()d and
 * dmam_pool_destroy()ed, with DMASTRESS_ATTR_NODE dma_pool_create_node()d
 * on the device's NUMA node (a kernel that has it).
 *
 * Each op creates its own pool of len-byte blocks with the run's
 * pool_align and pool_boundary, takes DMASTRESS_POOL_BLOCKS blocks from it,
 * alternating dma_pool_alloc() and dma_pool_zalloc(), and uses the middle
 * one (by address) as the payload. Every block is checked: its DMA address
 * aligned to pool_align, its bytes not crossing a pool_boundary multiple
 * (each failure one op->seg_violations), and a zalloc'd block all zero
 * (each non-zero byte one op->mismatches). The check is part of setup()
 * and so of the MAP phase, as are dma_pool_create() and the pool's first
 * page.
 *
 * A private pool means every byte of a fresh pool page up to the last
 * block taken is ours, handed out in address order: where the blocks
 * before and after the payload are adjacent to it, their bytes serve as
 * the payload's guards. Pool memory is coherent: no syncs.
 */
#include <linux/dmapool.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "dmastress.h"

/* Blocks per op: the payload and a neighbour on each side. */
#define DMASTRESS_POOL_BLOCKS	3
/*
 * Largest block the pool path accepts, bytes. A block above PAGE_SIZE is a
 * pool page of its own, one dma_alloc_coherent() of its size: contiguous
 * without an IOMMU, so no larger than the page allocator's largest block.
 */
#define DMASTRESS_POOL_MAX_BYTES	DMASTRESS_MAX_CONTIG_BYTES
/* mm/dmapool.c keeps its free list in the blocks: never smaller than this. */
#define DMASTRESS_POOL_MIN_BLOCK	(sizeof(void *) + sizeof(dma_addr_t))

/**
 * struct dmastress_pool_blk - one block taken from the pool
 * @cpu: its CPU address
 * @dma: its DMA address
 */
struct dmastress_pool_blk {
	void *cpu;
	dma_addr_t dma;
};

/**
 * struct dmastress_pool - private state of one pool op
 * @pool: the op's pool
 * @blk: the blocks taken, sorted by CPU address once all are in
 * @nblk: entries used in @blk
 */
struct dmastress_pool {
	struct dma_pool *pool;
	struct dmastress_pool_blk blk[DMASTRESS_POOL_BLOCKS];
	unsigned int nblk;
};

/* The pool's block size for @len bytes: what dma_pool_create() makes it. */
static size_t dmastress_pool_bsize(size_t len, u32 align)
{
	return ALIGN(max_t(size_t, len, DMASTRESS_POOL_MIN_BLOCK),
		     align ? align : 1);
}

/*
 * Linux before 6.4 (Debian's 6.1): dma_pool_create() does not clamp
 * @boundary to its allocation (max(size, PAGE_SIZE)), and
 * pool_initialise_page() then lays blocks out up to the boundary: the last
 * block of a page starts inside the allocation and ends past it when the
 * allocation is not a multiple of the (aligned) block size. The fuzz found
 * it: a zeroing dma_pool_zalloc() wrote into the next, read-only page
 * (oops in __memset from dma_pool_alloc), and runs saw their data
 * overwritten. 6.12 clamps (boundary = min(boundary, allocation)).
 */
static bool dmastress_pool_crosses_page(size_t len, size_t align,
					size_t boundary)
{
	/* 6.1's own block size: at least 4 bytes, aligned */
	size_t size = ALIGN(max_t(size_t, len, 4), align ? align : 1);
	size_t allocation = max_t(size_t, size, PAGE_SIZE);

	return boundary > allocation && allocation % size;
}

static bool dmastress_pool_usable(struct dmastress_dev *dd,
				  const struct dmastress_run_params *p,
				  const char **why)
{
	if ((p->attrs & DMASTRESS_ATTR_NODE) && !DMASTRESS_HAVE_POOL_NODE) {
		*why = "dma_pool_create_node() is not in this kernel";
		return false;
	}
	if ((p->attrs & DMASTRESS_ATTR_NODE) &&
	    (p->attrs & DMASTRESS_ATTR_MANAGED)) {
		*why = "dmam_pool_create() takes no NUMA node";
		return false;
	}
	if (dmastress_pool_bsize(p->len_bytes, p->pool_align) >
	    DMASTRESS_POOL_MAX_BYTES) {
		*why = "dma_pool blocks above 4 MiB";
		return false;
	}
	if ((p->pool_align & (p->pool_align - 1)) ||
	    (p->pool_boundary & (p->pool_boundary - 1))) {
		*why = "pool_align and pool_boundary must be powers of two";
		return false;
	}
	if (p->pool_boundary &&
	    p->pool_boundary < dmastress_pool_bsize(p->len_bytes, p->pool_align)) {
		*why = "pool_boundary below the block size";
		return false;
	}
	if (DMASTRESS_POOL_BOUNDARY_UNCLAMPED &&
	    dmastress_pool_crosses_page(p->len_bytes, p->pool_align,
					p->pool_boundary)) {
		*why = "kernel bug before 6.4: a boundary above the allocation overruns it";
		return false;
	}
	return true;
}

static int dmastress_pool_cmp(const void *a, const void *b)
{
	const struct dmastress_pool_blk *x = a, *y = b;

	if (x->cpu == y->cpu)
		return 0;
	return x->cpu < y->cpu ? -1 : 1;
}

/* Check one block; count what is wrong with it in @op. */
static void dmastress_pool_check(struct dmastress_op *op,
				 const struct dmastress_pool_blk *b, bool zeroed)
{
	const struct dmastress_run_params *p = op->params;
	size_t bsize = dmastress_pool_bsize(op->len, p->pool_align);
	u64 last = (u64)b->dma + bsize - 1;

	if (p->pool_align && (b->dma & (p->pool_align - 1)))
		op->seg_violations++;
	if (p->pool_boundary &&
	    (b->dma & ~((u64)p->pool_boundary - 1)) !=
	    (last & ~((u64)p->pool_boundary - 1)))
		op->seg_violations++;
	if (zeroed && memchr_inv(b->cpu, 0, op->len)) {
		const u8 *c = b->cpu;
		size_t i;

		for (i = 0; i < op->len; i++)
			op->mismatches += c[i] != 0;
	}
}

/*
 * Guards around the middle block: bytes of the blocks next to it when
 * they are adjacent (one block size apart), and its own tail padding.
 */
static void dmastress_pool_guards(struct dmastress_op *op,
				  struct dmastress_pool *pl)
{
	size_t bsize = dmastress_pool_bsize(op->len, op->params->pool_align);
	u8 *prev = pl->blk[0].cpu, *mid = pl->blk[1].cpu, *next = pl->blk[2].cpu;

	if (prev + bsize == mid) {
		size_t g = min_t(size_t, DMASTRESS_GUARD_BYTES, bsize);

		dmastress_op_add_guard(op, mid - g, g);
	}
	if (mid + bsize == next) {
		size_t g = min_t(size_t, DMASTRESS_GUARD_BYTES,
				 2 * bsize - op->len);

		dmastress_op_add_guard(op, mid + op->len, g);
	}
}

static void dmastress_pool_free(struct dmastress_op *op)
{
	u64 t;
	struct dmastress_pool *pl = op->priv;
	unsigned int i;

	if (!pl)
		return;
	t = dmastress_op_call_begin(op);
	for (i = 0; i < pl->nblk; i++)
		dma_pool_free(pl->pool, pl->blk[i].cpu, pl->blk[i].dma);
	if (pl->pool && (op->params->attrs & DMASTRESS_ATTR_MANAGED))
		dmam_pool_destroy(pl->pool);
	else
		dma_pool_destroy(pl->pool);
	dmastress_op_call_end(op, t);
	kfree(pl);
	op->priv = NULL;
	op->vaddr = NULL;
}

static int dmastress_pool_setup(struct dmastress_op *op)
{
	u64 t;
	const struct dmastress_run_params *p = op->params;
	struct dmastress_pool *pl;
	unsigned int i;
	int ret;

	pl = kzalloc(sizeof(*pl), DMASTRESS_GFP);
	if (!pl)
		return -ENOMEM;
	op->priv = pl;
	t = dmastress_op_call_begin(op);
	if (p->attrs & DMASTRESS_ATTR_MANAGED)
		pl->pool = dmam_pool_create("dmastress", op->dd->dev, op->len,
					    p->pool_align, p->pool_boundary);
	else if (p->attrs & DMASTRESS_ATTR_NODE)
		pl->pool = dma_pool_create_node("dmastress", op->dd->dev,
						op->len, p->pool_align,
						p->pool_boundary,
						dev_to_node(op->dd->dev));
	else
		pl->pool = dma_pool_create("dmastress", op->dd->dev, op->len,
					   p->pool_align, p->pool_boundary);
	dmastress_op_call_end(op, t);
	if (!pl->pool)
		goto err_nomem;
	for (i = 0; i < DMASTRESS_POOL_BLOCKS; i++) {
		struct dmastress_pool_blk *b = &pl->blk[i];
		bool zero = (i + op->rng) & 1;

		t = dmastress_op_call_begin(op);
		if (zero)
			b->cpu = dma_pool_zalloc(pl->pool, DMASTRESS_GFP, &b->dma);
		else
			b->cpu = dma_pool_alloc(pl->pool, DMASTRESS_GFP, &b->dma);
		dmastress_op_call_end(op, t);
		if (!b->cpu)
			goto err_nomem;
		pl->nblk++;
		dmastress_pool_check(op, b, zero);
	}
	sort(pl->blk, pl->nblk, sizeof(pl->blk[0]), dmastress_pool_cmp, NULL);
	ret = dmastress_op_add_seg(op, pl->blk[1].dma, op->len, pl->blk[1].cpu,
				   0);
	if (ret)
		goto err_nomem;
	op->vaddr = pl->blk[1].cpu;
	dmastress_pool_guards(op, pl);
	return 0;

err_nomem:
	dmastress_pool_free(op);
	return -ENOMEM;
}

/* Pool memory is coherent: the device sees CPU stores without a sync. */
static void dmastress_pool_sync(struct dmastress_op *op)
{
}

/**
 * DOC: dmastress_path_pool - dma_pool blocks with align and boundary
 *
 * setup() creates a private pool (block size len, the run's pool_align and
 * pool_boundary, 0 for the defaults), takes three blocks alternating
 * dma_pool_alloc() and dma_pool_zalloc(), checks them (see the file
 * comment) and exposes the middle one. Returns -ENOMEM when the pool or a
 * block cannot be had. teardown() frees the blocks and destroys the pool.
 * Blocks above DMASTRESS_MAX_CONTIG_BYTES (4 MiB) and a boundary below the
 * block size are skipped with a reason. Process context.
 */
/* Three blocks of the pool's size, each rounded to the align. */
static u64 dmastress_pool_op_bytes(const struct dmastress_run_params *p, u64 len)
{
	u64 blk = max_t(u64, len, DMASTRESS_POOL_MIN_BLOCK);

	if (p->pool_align)
		blk = round_up(blk, p->pool_align);
	return DMASTRESS_POOL_BLOCKS * dmastress_block_bytes(p, blk);
}

const struct dmastress_path dmastress_path_pool = {
	.id = DMASTRESS_PATH_POOL,
	.mask = DMASTRESS_MASK_COHERENT,
	.attrs = DMASTRESS_ATTR_MANAGED | DMASTRESS_ATTR_NODE,
	.usable = dmastress_pool_usable,
	.setup = dmastress_pool_setup,
	.sync_for_device = dmastress_pool_sync,
	.sync_for_cpu = dmastress_pool_sync,
	.teardown = dmastress_pool_free,
	.op_bytes = dmastress_pool_op_bytes,
};
