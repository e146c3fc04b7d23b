// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_noncontig.c - dma_alloc_noncontiguous() and its vmap
 *
 * One dma_alloc_noncontiguous() of len + 2 * DMASTRESS_GUARD_BYTES per
 * op, in the op's direction. Its CPU view is dma_vmap_noncontiguous(); the
 * payload starts DMASTRESS_GUARD_BYTES into it. Under an IOMMU the pages
 * are scattered and the sg_table has one DMA segment (one IOVA range);
 * under dma-direct it is one contiguous block (above 4 MiB only with CMA).
 * op->nents_cpu is the table's CPU entries.
 *
 * Ownership moves with dma_sync_sgtable_for_{device,cpu}(), and the vmap
 * alias is written back with flush_kernel_vmap_range() before the device
 * gets the buffer and dropped with invalidate_kernel_vmap_range() after,
 * as Documentation/core-api/dma-api.rst asks. The run core fills the
 * buffer after setup(), so every direction syncs both ways.
 */
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "dmastress.h"

/**
 * struct dmastress_noncontig - private state of one noncontig op
 * @sgt: what dma_alloc_noncontiguous() returned
 * @view: dma_vmap_noncontiguous() of it
 * @size: bytes allocated, len + 2 guards
 */
struct dmastress_noncontig {
	struct sg_table *sgt;
	void *view;
	size_t size;
};

static bool dmastress_noncontig_usable(struct dmastress_dev *dd,
				       const struct dmastress_run_params *p,
				       const char **why)
{
	u64 size = p->len_bytes + 2 * DMASTRESS_GUARD_BYTES;

	if (!dmastress_have_cma(dd->dev) && size > DMASTRESS_MAX_CONTIG_BYTES &&
	    dmastress_alloc_needs_contig(dd->dev, false)) {
		*why = "needs contiguous memory above 4 MiB and there is no CMA";
		return false;
	}
	/*
	 * dma_alloc_noncontiguous() builds its table without regard to
	 * dma_get_max_seg_size(): one segment of the whole size under
	 * dma-direct, page runs as long as the page allocator gives under
	 * iommu-dma. dma-debug's segment check then reports the allocator's
	 * own segments as "longer than device claims to support" (Linux
	 * 6.12, 7.3): keep debug kernels' error_count for real misuse.
	 */
	if (DMASTRESS_DEBUG_SG && size > dma_get_max_seg_size(dd->dev)) {
		*why = "allocator's segment over max_seg_size: dma-debug's segment check flags it";
		return false;
	}
	return true;
}

static void dmastress_noncontig_free(struct dmastress_op *op)
{
	u64 t;
	struct dmastress_noncontig *nc = op->priv;
	struct device *dev = op->dd->dev;

	if (!nc)
		return;
	t = dmastress_op_call_begin(op);
	if (nc->view)
		dma_vunmap_noncontiguous(dev, nc->view);
	dma_free_noncontiguous(dev, nc->size, nc->sgt, op->dir);
	dmastress_op_call_end(op, t);
	kfree(nc);
	op->priv = NULL;
	op->vaddr = NULL;
}

static int dmastress_noncontig_setup(struct dmastress_op *op)
{
	u64 t;
	struct device *dev = op->dd->dev;
	struct dmastress_noncontig *nc;
	unsigned int first = op->nsegs;
	int ret;

	nc = kzalloc(sizeof(*nc), DMASTRESS_GFP);
	if (!nc)
		return -ENOMEM;
	nc->size = op->len + 2 * DMASTRESS_GUARD_BYTES;
	t = dmastress_op_call_begin(op);
	nc->sgt = dma_alloc_noncontiguous(dev, nc->size, op->dir,
					  DMASTRESS_GFP,
					  dmastress_dma_attrs(op->params->attrs));
	dmastress_op_call_end(op, t);
	if (!nc->sgt) {
		kfree(nc);
		return -ENOMEM;
	}
	op->priv = nc;
	t = dmastress_op_call_begin(op);
	nc->view = dma_vmap_noncontiguous(dev, nc->size, nc->sgt);
	dmastress_op_call_end(op, t);
	if (!nc->view) {
		ret = -ENOMEM;
		goto err;
	}
	op->vaddr = nc->view + DMASTRESS_GUARD_BYTES;
	ret = dmastress_op_add_sgtable(op, nc->sgt, DMASTRESS_GUARD_BYTES,
				       op->len);
	if (ret)
		goto err;
	if (nc->sgt->sgl->length > DMASTRESS_GUARD_BYTES)
		op->segs[first].phys = sg_phys(nc->sgt->sgl) +
				       DMASTRESS_GUARD_BYTES;
	op->nents_cpu = nc->sgt->orig_nents;
	dmastress_op_add_guard(op, nc->view, DMASTRESS_GUARD_BYTES);
	dmastress_op_add_guard(op, op->vaddr + op->len, DMASTRESS_GUARD_BYTES);
	return 0;

err:
	op->nsegs = first;
	dmastress_noncontig_free(op);
	return ret;
}

static void dmastress_noncontig_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_noncontig *nc = op->priv;

	if (!nc)
		return;
	flush_kernel_vmap_range(nc->view, nc->size);
	dma_sync_sgtable_for_device(op->dd->dev, nc->sgt, op->dir);
}

static void dmastress_noncontig_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_noncontig *nc = op->priv;

	if (!nc)
		return;
	dma_sync_sgtable_for_cpu(op->dd->dev, nc->sgt, op->dir);
	invalidate_kernel_vmap_range(nc->view, nc->size);
}

/*
 * mmap views: dma_alloc_noncontiguous() with its vmap, through
 * dma_mmap_noncontiguous(); the sgtable syncs and the vmap's flush and
 * invalidate
 */
static int dmastress_noncontig_view_alloc(struct dmastress_vbuf *b)
{
	struct device *dev = b->dd->dev;

	/* One IOVA segment as long as the view: see dmastress_widen_max_seg_size(). */
	dmastress_widen_max_seg_size(b->dd);
	b->sgt = dma_alloc_noncontiguous(dev, b->len, DMA_BIDIRECTIONAL,
					 DMASTRESS_GFP, 0);
	dmastress_restore_masks(b->dd);
	if (!b->sgt)
		return -ENOMEM;
	b->cpu = dma_vmap_noncontiguous(dev, b->len, b->sgt);
	if (!b->cpu) {
		dma_free_noncontiguous(dev, b->len, b->sgt, DMA_BIDIRECTIONAL);
		b->sgt = NULL;
		return -ENOMEM;
	}
	b->dma = sg_dma_address(b->sgt->sgl);
	b->phys = page_to_phys(sg_page(b->sgt->sgl));
	return 0;
}

static void dmastress_noncontig_view_free(struct dmastress_vbuf *b)
{
	dma_vunmap_noncontiguous(b->dd->dev, b->cpu);
	dma_free_noncontiguous(b->dd->dev, b->len, b->sgt, DMA_BIDIRECTIONAL);
}

static int dmastress_noncontig_view_mmap(struct dmastress_vbuf *b,
					 struct vm_area_struct *vma)
{
	return dma_mmap_noncontiguous(b->dd->dev, vma, b->len, b->sgt);
}

static void dmastress_noncontig_view_sync(struct dmastress_vbuf *b,
					  bool for_device)
{
	if (for_device) {
		flush_kernel_vmap_range(b->cpu, b->len);
		dma_sync_sgtable_for_device(b->dd->dev, b->sgt,
					    DMA_BIDIRECTIONAL);
	} else {
		dma_sync_sgtable_for_cpu(b->dd->dev, b->sgt, DMA_BIDIRECTIONAL);
		invalidate_kernel_vmap_range(b->cpu, b->len);
	}
}

/**
 * DOC: dmastress_path_noncontig - dma_alloc_noncontiguous() and its vmap
 *
 * setup() allocates len + 2 guards with dma_alloc_noncontiguous(), maps
 * the CPU view with dma_vmap_noncontiguous() and describes the DMA
 * segments from byte DMASTRESS_GUARD_BYTES on. Returns -ENOMEM when the
 * allocation or the vmap fails, -EIO when the DMA segments are shorter
 * than the allocation. teardown() is dma_vunmap_noncontiguous() and
 * dma_free_noncontiguous(). Process context.
 */
const struct dmastress_path dmastress_path_noncontig = {
	.id = DMASTRESS_PATH_NONCONTIG,
	.attrs = DMASTRESS_ATTR_ALLOC_SINGLE_PAGES,
	.mask = DMASTRESS_MASK_COHERENT,
	.wide_seg = true,
	.usable = dmastress_noncontig_usable,
	.setup = dmastress_noncontig_setup,
	.sync_for_device = dmastress_noncontig_sync_for_device,
	.sync_for_cpu = dmastress_noncontig_sync_for_cpu,
	.teardown = dmastress_noncontig_free,
	.view_alloc = dmastress_noncontig_view_alloc,
	.view_free = dmastress_noncontig_view_free,
	.view_mmap = dmastress_noncontig_view_mmap,
	.view_sync = dmastress_noncontig_view_sync,
};
