// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_single.c - dma_map_single() and dma_map_page()
 *
 * single: a kmalloc'd buffer (with DMASTRESS_RUN_HUGE a block of at least
 * 2 MiB from the page allocator) holds a guard, offset_bytes of slack, the
 * payload and a second guard. The payload starts at GUARD + offset_bytes
 * and may have any length, odd ones included.
 *
 * A payload that fits the allocator's largest block (KMALLOC_MAX_SIZE or
 * DMASTRESS_MAX_CONTIG_BYTES, 4 MiB on x86-64) only without its guards
 * goes without them: the guard check then cannot see an overrun past the
 * buffer (under translation such an access faults as any outside a
 * mapping), and everything else is checked as usual.
 *
 * page: an order-N page block. The payload starts at page offset
 * offset_bytes of its first page, or of its second page when the leading
 * guard does not fit in front of it, and crosses as many pages as its
 * length needs. dma_map_page() gets the page and the sub-page offset.
 *
 * prepare() allocates (not timed), setup() maps, teardown() unmaps,
 * release() frees (not timed). The single path syncs the whole payload; the page path syncs it
 * in two halves with dma_sync_single_range_for_{device,cpu}(), which must
 * together cover it. Syncs use the mapping's own direction, in both
 * directions of ownership, as the DMA API allows.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "dmastress.h"

/* Bytes before the payload: guard (when @guarded) plus offset (single). */
static size_t dmastress_single_head(const struct dmastress_run_params *p,
				    bool guarded)
{
	return (guarded ? DMASTRESS_GUARD_BYTES : 0) + p->offset_bytes;
}

/*
 * Bytes before the payload in the page block: its page offset is
 * offset_bytes, in the second page when the guard does not fit in front.
 */
static size_t dmastress_page_head(const struct dmastress_run_params *p,
				  bool guarded)
{
	if (!guarded || p->offset_bytes >= DMASTRESS_GUARD_BYTES)
		return p->offset_bytes;
	return PAGE_SIZE + p->offset_bytes;
}

static unsigned int dmastress_single_order(size_t total, bool huge)
{
	unsigned int order = get_order(total);

	if (huge)
		order = max_t(unsigned int, order, get_order(SZ_2M));
	return order;
}

/* The largest buffer the path can allocate, bytes. */
static size_t dmastress_single_limit(const struct dmastress_run_params *p,
				     bool pages)
{
	if (pages || (p->flags & DMASTRESS_RUN_HUGE))
		return DMASTRESS_MAX_CONTIG_BYTES;
	return KMALLOC_MAX_SIZE;
}

/* Bytes before the payload in the path's buffer. */
static size_t dmastress_single_head_of(const struct dmastress_run_params *p,
				       bool pages, bool guarded)
{
	return pages ? dmastress_page_head(p, guarded) :
		       dmastress_single_head(p, guarded);
}

/* Do the guards fit around the payload in the largest buffer? */
static bool dmastress_single_guarded(const struct dmastress_run_params *p,
				     bool pages)
{
	size_t total = dmastress_single_head_of(p, pages, true) +
		       p->len_bytes + DMASTRESS_GUARD_BYTES;

	return total <= dmastress_single_limit(p, pages);
}

static bool dmastress_single_fits(struct dmastress_dev *dd,
				  const struct dmastress_run_params *p,
				  bool pages, const char **why)
{
	size_t total = dmastress_single_head_of(p, pages, false) + p->len_bytes;

	if (total > dmastress_single_limit(p, pages)) {
		*why = "needs a linear buffer above the 4 MiB the page allocator gives";
		return false;
	}
	if (p->len_bytes > dma_max_mapping_size(dd->dev)) {
		*why = "len_bytes above dma_max_mapping_size()";
		return false;
	}
	return true;
}

/**
 * dmastress_single_usable() - can the single (or phys) path run @p on @dd?
 * @dd: the device
 * @p: the run's parameters
 * @why: out, the reason when not
 *
 * Context: any.
 * Return: false when the buffer exceeds KMALLOC_MAX_SIZE (4 MiB with the
 * offset) or dma_max_mapping_size(), else true.
 */
bool dmastress_single_usable(struct dmastress_dev *dd,
			     const struct dmastress_run_params *p,
			     const char **why)
{
	return dmastress_single_fits(dd, p, false, why);
}

static bool dmastress_page_usable(struct dmastress_dev *dd,
				  const struct dmastress_run_params *p,
				  const char **why)
{
	return dmastress_single_fits(dd, p, true, why);
}

/*
 * Allocate the head, len bytes and the trailing guard (kmalloc unless
 * @pages), place the payload after the head and register the guards on
 * both sides of it; without guards when they do not fit (see above).
 */
static int dmastress_single_alloc(struct dmastress_op *op, bool pages)
{
	bool guarded = dmastress_single_guarded(op->params, pages);
	size_t head = dmastress_single_head_of(op->params, pages, guarded);
	size_t total = head + op->len + (guarded ? DMASTRESS_GUARD_BYTES : 0);
	bool huge = op->params->flags & DMASTRESS_RUN_HUGE;
	struct dmastress_single *s;

	s = kzalloc(sizeof(*s), DMASTRESS_GFP);
	if (!s)
		return -ENOMEM;
	if (pages || huge) {
		s->order = dmastress_single_order(total, huge);
		if (s->order > DMASTRESS_MAX_ORDER)
			goto err_free;
		s->page = alloc_pages(DMASTRESS_GFP, s->order);
		if (!s->page)
			goto err_free;
		s->buf = page_address(s->page);
	} else {
		s->buf = kmalloc(total, DMASTRESS_GFP);
		if (!s->buf)
			goto err_free;
	}
	s->payload = s->buf + head;
	op->priv = s;
	op->vaddr = s->payload;
	if (guarded) {
		dmastress_op_add_guard(op, s->payload - DMASTRESS_GUARD_BYTES,
				       DMASTRESS_GUARD_BYTES);
		dmastress_op_add_guard(op, s->payload + op->len,
				       DMASTRESS_GUARD_BYTES);
	}
	return 0;

err_free:
	kfree(s);
	return -ENOMEM;
}

/**
 * dmastress_single_prepare() - allocate the kmalloc'd buffer of a single or
 *	phys op, guards around the payload, untimed
 * @op: the op; its @priv becomes a &struct dmastress_single
 *
 * Context: process context, sleeps.
 * Return: 0 or -ENOMEM, with nothing allocated.
 */
int dmastress_single_prepare(struct dmastress_op *op)
{
	return dmastress_single_alloc(op, false);
}

static int dmastress_page_prepare(struct dmastress_op *op)
{
	return dmastress_single_alloc(op, true);
}

/**
 * dmastress_single_describe() - the mapping as one segment, untimed
 * @op: a set-up single, page or phys op
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int dmastress_single_describe(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;

	if (dmastress_op_add_seg(op, s->dma, op->len, s->payload,
				 virt_to_phys(s->payload)))
		return -ENOMEM;
	return 0;
}

static void dmastress_single_unmap(struct dmastress_op *op,
				   struct dmastress_single *s)
{
	struct device *dev = op->dd->dev;
	enum dma_data_direction dir = op->dir;
	unsigned long attrs = s->attrs;
	dma_addr_t dma = s->dma;
	size_t len = op->len;
	u64 t;

	t = dmastress_op_call_begin(op);
	dma_unmap_single_attrs(dev, dma, len, dir, attrs);
	dmastress_op_call_end(op, t);
}

static void dmastress_page_unmap(struct dmastress_op *op,
				 struct dmastress_single *s)
{
	struct device *dev = op->dd->dev;
	enum dma_data_direction dir = op->dir;
	unsigned long attrs = s->attrs;
	dma_addr_t dma = s->dma;
	size_t len = op->len;
	u64 t;

	t = dmastress_op_call_begin(op);
	dma_unmap_page_attrs(dev, dma, len, dir, attrs);
	dmastress_op_call_end(op, t);
}

/* Undo the mapping through the path's own unmap call, once. */
static void dmastress_single_undo(struct dmastress_op *op,
				  struct dmastress_single *s)
{
	if (!s->mapped)
		return;
	s->unmap(op, s);
	s->mapped = false;
}

/**
 * dmastress_single_check_align() - does a mapping keep the min_align_mask bits?
 * @op: the op, counting a violation in @op->seg_violations
 * @dma: the mapping's DMA address
 * @phys: the physical address of the mapped buffer
 *
 * With DMASTRESS_ATTR_MIN_ALIGN the run set dma_set_min_align_mask(); a
 * bounced mapping (swiotlb) must then keep the address bits of the mask
 * from the original buffer, as NVMe's PRPs need. Untimed.
 * Context: process context.
 */
void dmastress_single_check_align(struct dmastress_op *op, dma_addr_t dma,
				  phys_addr_t phys)
{
	unsigned int mask = dma_get_min_align_mask(op->dd->dev);

	if (!(op->params->attrs & DMASTRESS_ATTR_MIN_ALIGN) ||
	    !((dma ^ phys) & mask))
		return;
	dev_err(op->dd->dev, "min_align_mask %#x: %pad does not keep the low bits of %pa\n",
		mask, &dma, &phys);
	op->seg_violations++;
}

static int dmastress_single_setup(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;
	unsigned long attrs;
	enum dma_data_direction dir;
	struct device *dev;
	dma_addr_t dma;
	void *payload;
	size_t len;
	int ret;
	u64 t;

	if (!s)
		return -ENOMEM;
	/* arguments first: KASAN instruments loads from op and s */
	dev = op->dd->dev;
	payload = s->payload;
	len = op->len;
	dir = op->dir;
	s->attrs = dmastress_dma_attrs(op->params->attrs);
	attrs = s->attrs;
	t = dmastress_op_call_begin(op);
	dma = dma_map_single_attrs(dev, payload, len, dir, attrs);
	ret = dma_mapping_error(dev, dma);
	dmastress_op_call_end(op, t);
	if (ret)
		return -EIO;
	dmastress_single_check_align(op, dma, virt_to_phys(payload));
	s->dma = dma;
	s->unmap = dmastress_single_unmap;
	s->mapped = true;
	return 0;
}

static int dmastress_page_setup(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;
	unsigned long attrs;
	enum dma_data_direction dir;
	struct device *dev;
	struct page *page;
	size_t head, len;
	dma_addr_t dma;
	int ret;
	u64 t;

	if (!s)
		return -ENOMEM;
	head = s->payload - s->buf;
	dev = op->dd->dev;
	page = dmastress_nth_page(s->page, head >> PAGE_SHIFT);
	len = op->len;
	dir = op->dir;
	s->attrs = dmastress_dma_attrs(op->params->attrs);
	attrs = s->attrs;
	t = dmastress_op_call_begin(op);
	dma = dma_map_page_attrs(dev, page, offset_in_page(head), len, dir,
				 attrs);
	ret = dma_mapping_error(dev, dma);
	dmastress_op_call_end(op, t);
	if (ret)
		return -EIO;
	dmastress_single_check_align(op, dma, virt_to_phys(s->payload));
	s->dma = dma;
	s->unmap = dmastress_page_unmap;
	s->mapped = true;
	return 0;
}

/**
 * dmastress_single_sync_for_device() - dma_sync_single_for_device() of the
 *	whole payload
 * @op: a single or phys op; nothing happens unless it is mapped
 *
 * Context: process context.
 */
void dmastress_single_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;

	if (s && s->mapped)
		dma_sync_single_for_device(op->dd->dev, s->dma, op->len,
					   op->dir);
}

/**
 * dmastress_single_sync_for_cpu() - dma_sync_single_for_cpu() of the payload
 * @op: a single or phys op; nothing happens unless it is mapped
 *
 * Context: process context.
 */
void dmastress_single_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;

	if (s && s->mapped)
		dma_sync_single_for_cpu(op->dd->dev, s->dma, op->len, op->dir);
}

/* The two halves the page path syncs separately: [0, h) and [h, len). */
static size_t dmastress_page_half(const struct dmastress_op *op)
{
	return op->len / 2;
}

static void dmastress_page_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;
	size_t h = dmastress_page_half(op);

	if (!s || !s->mapped)
		return;
	if (h)
		dma_sync_single_range_for_device(op->dd->dev, s->dma, 0, h,
						 op->dir);
	dma_sync_single_range_for_device(op->dd->dev, s->dma, h, op->len - h,
					 op->dir);
}

static void dmastress_page_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;
	size_t h = dmastress_page_half(op);

	if (!s || !s->mapped)
		return;
	if (h)
		dma_sync_single_range_for_cpu(op->dd->dev, s->dma, 0, h,
					      op->dir);
	dma_sync_single_range_for_cpu(op->dd->dev, s->dma, h, op->len - h,
				      op->dir);
}

/**
 * dmastress_single_teardown() - undo a single, page or phys mapping, once
 * @op: the op; nothing happens unless it is mapped
 *
 * Context: process context.
 */
void dmastress_single_teardown(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;

	if (s)
		dmastress_single_undo(op, s);
}

/**
 * dmastress_single_release() - unmap if still mapped, free the buffer
 * @op: a single, page or phys op; idempotent
 *
 * Context: process context.
 */
void dmastress_single_release(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;

	if (!s)
		return;
	dmastress_single_undo(op, s);
	if (s->page)
		__free_pages(s->page, s->order);
	else
		kfree(s->buf);
	kfree(s);
	op->priv = NULL;
	op->vaddr = NULL;
}

/**
 * DOC: dmastress_path_single - dma_map_single() of a kmalloc'd buffer
 *
 * The payload sits at DMASTRESS_GUARD_BYTES + offset_bytes in a kmalloc'd
 * buffer (a page block of at least 2 MiB with DMASTRESS_RUN_HUGE) with a
 * guard after it; without the guards when only the payload fits. Lengths
 * up to KMALLOC_MAX_SIZE (4 MiB on x86-64) minus the offset, and up to
 * dma_max_mapping_size(); longer runs are skipped with a reason. setup()
 * returns -EIO when dma_mapping_error() says so. Process context.
 */
const struct dmastress_path dmastress_path_single = {
	.id = DMASTRESS_PATH_SINGLE,
	.bounces = true,
	.attrs = DMASTRESS_ATTRS_STREAMING | DMASTRESS_ATTR_MIN_ALIGN,
	.usable = dmastress_single_usable,
	.prepare = dmastress_single_prepare,
	.setup = dmastress_single_setup,
	.describe = dmastress_single_describe,
	.sync_for_device = dmastress_single_sync_for_device,
	.sync_for_cpu = dmastress_single_sync_for_cpu,
	.teardown = dmastress_single_teardown,
	.release = dmastress_single_release,
};

/**
 * DOC: dmastress_path_page - dma_map_page() at a sub-page offset, across pages
 *
 * The payload starts at page offset offset_bytes in an order-N page block
 * (order >= 9 with DMASTRESS_RUN_HUGE) and may cross pages; syncs go in two
 * halves through dma_sync_single_range_for_{device,cpu}(). Blocks above
 * DMASTRESS_MAX_CONTIG_BYTES and lengths above dma_max_mapping_size() are
 * skipped with a reason. setup() returns -EIO on dma_mapping_error().
 * Process context.
 */
const struct dmastress_path dmastress_path_page = {
	.id = DMASTRESS_PATH_PAGE,
	.bounces = true,
	.attrs = DMASTRESS_ATTRS_STREAMING | DMASTRESS_ATTR_MIN_ALIGN,
	.usable = dmastress_page_usable,
	.prepare = dmastress_page_prepare,
	.setup = dmastress_page_setup,
	.describe = dmastress_single_describe,
	.sync_for_device = dmastress_page_sync_for_device,
	.sync_for_cpu = dmastress_page_sync_for_cpu,
	.teardown = dmastress_single_teardown,
	.release = dmastress_single_release,
};
