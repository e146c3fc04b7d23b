// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_pages.c - dma_alloc_pages() and dma_alloc_noncoherent()
 *
 * Both allocate len + 2 * DMASTRESS_GUARD_BYTES of memory owned by the
 * device until synced, with the payload in the middle. The memory is not
 * coherent in the DMA API's sense, so ownership moves with
 * dma_sync_single_range_for_{device,cpu}() over the payload only (offset
 * DMASTRESS_GUARD_BYTES into the allocation), in the allocation's
 * direction. The run core fills the buffer after setup(), so the buffer
 * goes to the device with a sync in every direction, FROM_DEVICE included.
 *
 * The memory is physically contiguous under dma-direct and iommu-dma
 * alike: above 4 MiB it needs CMA. A payload that fits 4 MiB only without
 * its guards goes without them (the guard check then cannot see an
 * overrun; everything else is checked as usual).
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "dmastress.h"

/**
 * struct dmastress_pages - private state of one pages or noncoherent op
 * @page: the dma_alloc_pages() pages (pages path)
 * @cpu: CPU address of the allocation
 * @dma: DMA address of the allocation
 * @size: bytes allocated, len + 2 * @guard
 * @guard: bytes of guard on each side of the payload, 0 or
 *	DMASTRESS_GUARD_BYTES
 * @noncoherent: allocated with dma_alloc_noncoherent()
 */
struct dmastress_pages {
	struct page *page;
	void *cpu;
	dma_addr_t dma;
	size_t size;
	size_t guard;
	bool noncoherent;
};

/* Bytes of guard on each side of a @len-byte payload: none if they do not fit. */
static size_t dmastress_pages_guard(struct device *dev, u64 len)
{
	if (!dmastress_have_cma(dev) &&
	    len + 2 * DMASTRESS_GUARD_BYTES > DMASTRESS_MAX_CONTIG_BYTES)
		return 0;
	return DMASTRESS_GUARD_BYTES;
}

static bool dmastress_pages_usable(struct dmastress_dev *dd,
				   const struct dmastress_run_params *p,
				   const char **why)
{
	u64 size = p->len_bytes + 2 * dmastress_pages_guard(dd->dev, p->len_bytes);

	if (!dmastress_have_cma(dd->dev) && size > DMASTRESS_MAX_CONTIG_BYTES) {
		*why = "needs contiguous memory above 4 MiB and there is no CMA";
		return false;
	}
	return true;
}

static void dmastress_pages_free(struct dmastress_op *op)
{
	u64 t;
	struct dmastress_pages *pg = op->priv;
	struct device *dev = op->dd->dev;

	if (!pg)
		return;
	t = dmastress_op_call_begin(op);
	if (pg->noncoherent)
		dma_free_noncoherent(dev, pg->size, pg->cpu, pg->dma, op->dir);
	else
		dma_free_pages(dev, pg->size, pg->page, pg->dma, op->dir);
	dmastress_op_call_end(op, t);
	kfree(pg);
	op->priv = NULL;
	op->vaddr = NULL;
}

static int dmastress_pages_setup_common(struct dmastress_op *op,
					bool noncoherent)
{
	u64 t;
	gfp_t gfp = DMASTRESS_GFP;
	struct device *dev = op->dd->dev;
	struct dmastress_pages *pg;
	void *payload;

	pg = kzalloc(sizeof(*pg), DMASTRESS_GFP);
	if (!pg)
		return -ENOMEM;
	pg->guard = dmastress_pages_guard(dev, op->len);
	pg->size = op->len + 2 * pg->guard;
	pg->noncoherent = noncoherent;
	t = dmastress_op_call_begin(op);
	if (noncoherent)
		pg->cpu = dma_alloc_noncoherent(dev, pg->size, &pg->dma, op->dir,
						gfp);
	else
		pg->page = dma_alloc_pages(dev, pg->size, &pg->dma, op->dir, gfp);
	dmastress_op_call_end(op, t);
	if (!noncoherent && pg->page)
		pg->cpu = page_address(pg->page);
	if (!pg->cpu) {
		kfree(pg);
		return -ENOMEM;
	}
	op->priv = pg;
	payload = pg->cpu + pg->guard;
	if (dmastress_op_add_seg(op, pg->dma + pg->guard, op->len,
				 payload, virt_to_phys(payload))) {
		dmastress_pages_free(op);
		return -ENOMEM;
	}
	op->vaddr = payload;
	if (pg->guard) {
		dmastress_op_add_guard(op, pg->cpu, pg->guard);
		dmastress_op_add_guard(op, payload + op->len, pg->guard);
	}
	return 0;
}

static int dmastress_pages_setup(struct dmastress_op *op)
{
	return dmastress_pages_setup_common(op, false);
}

static int dmastress_noncoherent_setup(struct dmastress_op *op)
{
	return dmastress_pages_setup_common(op, true);
}

static void dmastress_pages_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_pages *pg = op->priv;

	if (pg)
		dma_sync_single_range_for_device(op->dd->dev, pg->dma,
						 pg->guard, op->len,
						 op->dir);
}

static void dmastress_pages_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_pages *pg = op->priv;

	if (pg)
		dma_sync_single_range_for_cpu(op->dd->dev, pg->dma,
					      pg->guard, op->len,
					      op->dir);
}

/* mmap views: dma_alloc_pages() through dma_mmap_pages(), single syncs */
static int dmastress_pages_view_alloc(struct dmastress_vbuf *b)
{
	b->page = dma_alloc_pages(b->dd->dev, b->len, &b->dma,
				  DMA_BIDIRECTIONAL, DMASTRESS_GFP);
	if (!b->page)
		return -ENOMEM;
	b->phys = page_to_phys(b->page);
	return 0;
}

static void dmastress_pages_view_free(struct dmastress_vbuf *b)
{
	dma_free_pages(b->dd->dev, b->len, b->page, b->dma, DMA_BIDIRECTIONAL);
}

static int dmastress_pages_view_mmap(struct dmastress_vbuf *b,
				     struct vm_area_struct *vma)
{
	return dma_mmap_pages(b->dd->dev, vma, b->len, b->page);
}

static void dmastress_pages_view_sync(struct dmastress_vbuf *b,
				      bool for_device)
{
	if (for_device)
		dma_sync_single_for_device(b->dd->dev, b->dma, b->len,
					   DMA_BIDIRECTIONAL);
	else
		dma_sync_single_for_cpu(b->dd->dev, b->dma, b->len,
					DMA_BIDIRECTIONAL);
}

/**
 * DOC: dmastress_path_pages - dma_alloc_pages() with explicit syncs
 *
 * setup() allocates len + 2 guards (no guards when only len fits 4 MiB)
 * with dma_alloc_pages() in the op's direction (-ENOMEM on failure) and
 * exposes the middle; the syncs cover the payload with
 * dma_sync_single_range_for_{device,cpu}(); teardown() is dma_free_pages().
 * Above 4 MiB without CMA the run is skipped with a reason. Process
 * context.
 */
const struct dmastress_path dmastress_path_pages = {
	.id = DMASTRESS_PATH_PAGES,
	.mask = DMASTRESS_MASK_EITHER,
	.usable = dmastress_pages_usable,
	.setup = dmastress_pages_setup,
	.sync_for_device = dmastress_pages_sync_for_device,
	.sync_for_cpu = dmastress_pages_sync_for_cpu,
	.teardown = dmastress_pages_free,
	.view_alloc = dmastress_pages_view_alloc,
	.view_free = dmastress_pages_view_free,
	.view_mmap = dmastress_pages_view_mmap,
	.view_sync = dmastress_pages_view_sync,
};

/**
 * DOC: dmastress_path_noncoherent - dma_alloc_noncoherent() with syncs
 *
 * As the pages path, with dma_alloc_noncoherent() and
 * dma_free_noncoherent(). Process context.
 */
const struct dmastress_path dmastress_path_noncoherent = {
	.id = DMASTRESS_PATH_NONCOHERENT,
	.mask = DMASTRESS_MASK_EITHER,
	.usable = dmastress_pages_usable,
	.setup = dmastress_noncoherent_setup,
	.sync_for_device = dmastress_pages_sync_for_device,
	.sync_for_cpu = dmastress_pages_sync_for_cpu,
	.teardown = dmastress_pages_free,
};
