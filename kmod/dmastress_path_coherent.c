// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_coherent.c - dma_alloc_attrs() and dmam_alloc_attrs()
 *
 * One allocation of len + 2 * DMASTRESS_GUARD_BYTES per op; the payload is
 * its middle (CPU and DMA address + DMASTRESS_GUARD_BYTES). The attributes
 * come from the run's attrs:
 *  - WRITE_COMBINE: DMA_ATTR_WRITE_COMBINE (x86 keeps coherent memory
 *    cacheable for a coherent device; the attribute is still passed);
 *  - NO_KERNEL_MAPPING: the return value is a cookie, never dereferenced;
 *    the CPU view is a vmap() of the pages dma_get_sgtable_attrs() reports
 *    (cacheable, so only on a DMA-coherent device);
 *  - FORCE_CONTIGUOUS: the pages must be physically contiguous (iommu-dma
 *    then allocates them in one block; dma-direct always does);
 *  - NO_WARN, WEAK_ORDERING: passed to the allocation and the free;
 *  - MANAGED: dmam_alloc_attrs()/dmam_free_coherent(). The latter frees
 *    with attrs 0, so MANAGED combines only with NO_WARN and
 *    WEAK_ORDERING, which the free does not need.
 *
 * Every buffer goes through dma_get_sgtable_attrs(): its entries must
 * cover the allocation, its pages must be the pages behind the CPU address
 * (and contiguous with FORCE_CONTIGUOUS). A buffer that fails counts one
 * op->seg_violations. The check is part of setup() and so of the MAP
 * phase. Coherent memory needs no syncs: ordering against the device comes
 * from the engine's doorbell (an MMIO write) and completion.
 */
#include <linux/dma-map-ops.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "dmastress.h"

/**
 * struct dmastress_coherent - private state of one coherent op
 * @cpu: what dma_alloc_attrs() returned (a cookie with NO_KERNEL_MAPPING)
 * @view: vmap() of the pages with NO_KERNEL_MAPPING, else NULL
 * @dma: DMA address of the allocation
 * @size: bytes allocated, len + 2 guards
 * @attrs: DMA_ATTR_* passed to the allocation
 * @managed: allocated with dmam_alloc_attrs()
 */
struct dmastress_coherent {
	void *cpu;
	void *view;
	dma_addr_t dma;
	size_t size;
	unsigned long attrs;
	bool managed;
};

static bool dmastress_coherent_usable(struct dmastress_dev *dd,
				      const struct dmastress_run_params *p,
				      const char **why)
{
	bool force = p->attrs & DMASTRESS_ATTR_FORCE_CONTIGUOUS;
	u64 size = p->len_bytes + 2 * DMASTRESS_GUARD_BYTES;

	if ((p->attrs & DMASTRESS_ATTR_MANAGED) &&
	    (p->attrs & ~(DMASTRESS_ATTR_MANAGED | DMASTRESS_ATTR_NO_WARN |
			  DMASTRESS_ATTR_WEAK_ORDERING))) {
		*why = "dmam_free_coherent() frees with attrs 0: MANAGED alone";
		return false;
	}
	if ((p->attrs & DMASTRESS_ATTR_NO_KERNEL_MAPPING) &&
	    !dev_is_dma_coherent(dd->dev)) {
		*why = "NO_KERNEL_MAPPING view needs a DMA-coherent device";
		return false;
	}
	if (!dmastress_have_cma(dd->dev) && size > DMASTRESS_MAX_CONTIG_BYTES &&
	    dmastress_alloc_needs_contig(dd->dev, force)) {
		*why = "needs contiguous memory above 4 MiB and there is no CMA";
		return false;
	}
	return true;
}

/* The page behind a CPU address of a coherent buffer. */
static struct page *dmastress_coherent_page(void *va)
{
	if (is_vmalloc_addr(va))
		return vmalloc_to_page(va);
	return virt_to_page(va);
}

/*
 * Check the dma_get_sgtable_attrs() view of @c; with @pages, also collect
 * its pages (NO_KERNEL_MAPPING). Returns 0, -ENOMEM, or -ENXIO when the
 * pages do not cover the buffer (then *@pages is not filled).
 */
static int dmastress_coherent_sgt(struct dmastress_op *op,
				  struct dmastress_coherent *c,
				  struct page **pages)
{
	unsigned int n = PAGE_ALIGN(c->size) >> PAGE_SHIFT, i = 0;
	struct sg_page_iter piter;
	struct scatterlist *sg;
	struct sg_table sgt;
	bool bad = false;
	size_t total = 0;
	unsigned long pfn = 0;
	int ret;

	ret = dma_get_sgtable_attrs(op->dd->dev, &sgt, c->cpu, c->dma, c->size,
				    c->attrs);
	if (ret)
		return ret == -ENOMEM ? -ENOMEM : -ENXIO;
	for_each_sgtable_sg(&sgt, sg, i)
		total += sg->length;
	if (total < c->size || total > PAGE_ALIGN(c->size))
		bad = true;
	i = 0;
	for_each_sgtable_page(&sgt, &piter, 0) {
		struct page *page = sg_page_iter_page(&piter);

		if (i >= n) {
			bad = true;
			break;
		}
		if (pages)
			pages[i] = page;
		else if (page != dmastress_coherent_page(c->cpu + i * PAGE_SIZE))
			bad = true;
		if ((c->attrs & DMA_ATTR_FORCE_CONTIGUOUS) && i &&
		    page_to_pfn(page) != pfn + 1)
			bad = true;
		pfn = page_to_pfn(page);
		i++;
	}
	if (i != n)
		bad = true;
	sg_free_table(&sgt);
	if (bad) {
		op->seg_violations++;
		return -ENXIO;
	}
	return 0;
}

/* With NO_KERNEL_MAPPING: vmap() the buffer's pages as the CPU view. */
static int dmastress_coherent_map_view(struct dmastress_op *op,
				       struct dmastress_coherent *c)
{
	unsigned int n = PAGE_ALIGN(c->size) >> PAGE_SHIFT;
	struct page **pages;
	int ret;

	pages = kvmalloc_array(n, sizeof(*pages), DMASTRESS_GFP);
	if (!pages)
		return -ENOMEM;
	ret = dmastress_coherent_sgt(op, c, pages);
	if (!ret) {
		c->view = vmap(pages, n, VM_MAP, PAGE_KERNEL);
		if (!c->view)
			ret = -ENOMEM;
	}
	kvfree(pages);
	return ret;
}

static void dmastress_coherent_free(struct dmastress_op *op,
				    struct dmastress_coherent *c)
{
	u64 t;
	struct device *dev = op->dd->dev;

	if (c->view)
		vunmap(c->view);
	c->view = NULL;
	if (!c->cpu)
		return;
	t = dmastress_op_call_begin(op);
	if (c->managed)
		dmam_free_coherent(dev, c->size, c->cpu, c->dma);
	else
		dma_free_attrs(dev, c->size, c->cpu, c->dma, c->attrs);
	dmastress_op_call_end(op, t);
	c->cpu = NULL;
}

static int dmastress_coherent_setup(struct dmastress_op *op)
{
	u64 t;
	const struct dmastress_run_params *p = op->params;
	gfp_t gfp = DMASTRESS_GFP;
	struct device *dev = op->dd->dev;
	struct dmastress_coherent *c;
	phys_addr_t phys = 0;
	void *payload;
	int ret;

	c = kzalloc(sizeof(*c), DMASTRESS_GFP);
	if (!c)
		return -ENOMEM;
	c->size = op->len + 2 * DMASTRESS_GUARD_BYTES;
	c->attrs = dmastress_dma_attrs(p->attrs);
	c->managed = p->attrs & DMASTRESS_ATTR_MANAGED;
	t = dmastress_op_call_begin(op);
	if (c->managed)
		c->cpu = dmam_alloc_attrs(dev, c->size, &c->dma, gfp, c->attrs);
	else
		c->cpu = dma_alloc_attrs(dev, c->size, &c->dma, gfp, c->attrs);
	dmastress_op_call_end(op, t);
	if (!c->cpu) {
		kfree(c);
		return -ENOMEM;
	}
	if (c->attrs & DMA_ATTR_NO_KERNEL_MAPPING) {
		ret = dmastress_coherent_map_view(op, c);
		payload = c->view;
	} else {
		ret = dmastress_coherent_sgt(op, c, NULL);
		payload = c->cpu;
		if (ret == -ENXIO)
			ret = 0;	/* counted; the data check still runs */
	}
	if (ret)
		goto err_free;
	payload += DMASTRESS_GUARD_BYTES;
	/* lowmem coherent memory has a meaningful physical address */
	if (!c->view && !is_vmalloc_addr(c->cpu))
		phys = virt_to_phys(payload);
	ret = dmastress_op_add_seg(op, c->dma + DMASTRESS_GUARD_BYTES, op->len,
				   payload, phys);
	if (ret) {
		ret = -ENOMEM;
		goto err_free;
	}
	op->priv = c;
	op->vaddr = payload;
	dmastress_op_add_guard(op, payload - DMASTRESS_GUARD_BYTES,
			       DMASTRESS_GUARD_BYTES);
	dmastress_op_add_guard(op, payload + op->len, DMASTRESS_GUARD_BYTES);
	return 0;

err_free:
	dmastress_coherent_free(op, c);
	kfree(c);
	return ret == -ENXIO ? -EIO : ret;
}

/* Coherent memory: the device sees CPU stores without a sync. */
static void dmastress_coherent_sync(struct dmastress_op *op)
{
}

static void dmastress_coherent_teardown(struct dmastress_op *op)
{
	struct dmastress_coherent *c = op->priv;

	if (!c)
		return;
	dmastress_coherent_free(op, c);
	kfree(c);
	op->priv = NULL;
	op->vaddr = NULL;
}

/*
 * mmap views: the buffer through dma_mmap_coherent(), or with
 * WRITE_COMBINE dma_alloc_wc() and dma_mmap_wc()
 */
static bool dmastress_coherent_view_wc(const struct dmastress_vbuf *b)
{
	return b->attrs & DMASTRESS_ATTR_WRITE_COMBINE;
}

static int dmastress_coherent_view_alloc(struct dmastress_vbuf *b)
{
	gfp_t gfp = DMASTRESS_GFP;

	if (dmastress_coherent_view_wc(b))
		b->cpu = dma_alloc_wc(b->dd->dev, b->len, &b->dma, gfp);
	else
		b->cpu = dma_alloc_coherent(b->dd->dev, b->len, &b->dma, gfp);
	if (!b->cpu)
		return -ENOMEM;
	b->phys = page_to_phys(dmastress_coherent_page(b->cpu));
	return 0;
}

static void dmastress_coherent_view_free(struct dmastress_vbuf *b)
{
	if (dmastress_coherent_view_wc(b))
		dma_free_wc(b->dd->dev, b->len, b->cpu, b->dma);
	else
		dma_free_coherent(b->dd->dev, b->len, b->cpu, b->dma);
}

static int dmastress_coherent_view_mmap(struct dmastress_vbuf *b,
					struct vm_area_struct *vma)
{
	if (dmastress_coherent_view_wc(b))
		return dma_mmap_wc(b->dd->dev, vma, b->cpu, b->dma, b->len);
	return dma_mmap_coherent(b->dd->dev, vma, b->cpu, b->dma, b->len);
}

/**
 * DOC: dmastress_path_coherent - dma_alloc_attrs() with the run's attrs
 *
 * setup() allocates len + 2 guards with dma_alloc_attrs() (or
 * dmam_alloc_attrs() with MANAGED), checks the dma_get_sgtable_attrs()
 * view of it (see the file comment) and exposes the middle as the payload.
 * Returns -ENOMEM when the allocation fails and -EIO when a
 * NO_KERNEL_MAPPING buffer's pages do not cover it (no CPU view). Skipped
 * with a reason: MANAGED with another attribute, NO_KERNEL_MAPPING on a
 * non-coherent device, contiguous allocations above 4 MiB without CMA.
 * Process context.
 */
const struct dmastress_path dmastress_path_coherent = {
	.id = DMASTRESS_PATH_COHERENT,
	.mask = DMASTRESS_MASK_COHERENT,
	.attrs = DMASTRESS_ATTR_WRITE_COMBINE | DMASTRESS_ATTR_NO_KERNEL_MAPPING |
		 DMASTRESS_ATTR_FORCE_CONTIGUOUS | DMASTRESS_ATTR_MANAGED |
		 DMASTRESS_ATTR_NO_WARN | DMASTRESS_ATTR_WEAK_ORDERING,
	.usable = dmastress_coherent_usable,
	.setup = dmastress_coherent_setup,
	.sync_for_device = dmastress_coherent_sync,
	.sync_for_cpu = dmastress_coherent_sync,
	.teardown = dmastress_coherent_teardown,
	.view_alloc = dmastress_coherent_view_alloc,
	.view_free = dmastress_coherent_view_free,
	.view_mmap = dmastress_coherent_view_mmap,
};
