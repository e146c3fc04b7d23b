// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_iova.c - the two-step IOVA API (Linux 6.16)
 *
 * The buffer is npieces physically separate blocks of piece_bytes each
 * (4 KiB to 4 MiB, default 4 KiB), vmap()ed in order into one CPU view. The
 * payload starts at page offset offset_bytes of the first block and runs
 * on through the blocks: piece 0 is the first block from that offset, the
 * pieces after it are whole blocks, the last one may end anywhere.
 *
 * setup() asks dma_iova_try_alloc() for one IOVA range of len_bytes. Where
 * it succeeds (dma_use_iova(): an IOMMU DMA or DMA-FQ domain) every piece
 * is dma_iova_link()ed at its stream offset and the range is synced once
 * with dma_iova_sync(). Where it fails (no translation: dma-direct,
 * swiotlb, an identity domain) the path does what
 * Documentation/core-api/dma-api.rst tells a driver to do instead: map
 * each piece with dma_map_phys(), and unmap them only if dma_need_unmap()
 * says so. The result's path_flags say which (DMASTRESS_RESULT_*).
 *
 * The contract of "IOVA-based DMA mappings" is checked, not assumed: every
 * link after the first starts on the DMA merge boundary
 * (dma_get_merge_boundary(), the IOMMU granule minus one) in IOVA and in
 * physical memory, and every piece but the last ends on it. Only the first
 * piece may start at a sub-granule offset; a piece smaller than the
 * granule cannot keep the contract and the run is skipped.
 *
 * With verification and at least three pieces, setup() first links a
 * decoy block where the middle piece belongs, syncs, unlinks it and links
 * the real block into the hole (the dynamic user's unlink/relink). The
 * decoy is a guard region: a transfer that reaches it through the
 * unlinked IOVA changes it and is counted as a guard error.
 *
 * describe() checks that the range is one contiguous IOVA range: every
 * piece's first and last byte translate (iommu_iova_to_phys()) to that
 * piece's memory. The op is then one segment, the whole range, and the
 * engine moves it as one DMA stream. The fallback gives one segment per
 * piece.
 *
 * teardown() is the one-shot dma_iova_destroy(), or with
 * DMASTRESS_RUN_IOVA_UNLINK the dynamic user's dma_iova_unlink() of every
 * piece followed by dma_iova_free(). With verification it then walks
 * every granule of the range: one that still translates is a stale
 * mapping (counted in the result's stale_mappings). After
 * dma_iova_destroy() the IOVA may already be reused, so that walk runs
 * only in single-threaded runs, where nothing else maps for the device.
 *
 * Syncs: the linked range has no dma_sync_*() (dma-debug does not track
 * it); dma_iova_link() syncs for the device and dma_iova_unlink() for the
 * CPU. A state that bounced through swiotlb (an untrusted device) is
 * therefore unlinked in sync_for_cpu(), which copies the bounce back. The
 * fallback syncs each piece with dma_sync_single_for_{device,cpu}().
 */
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "dmastress.h"

/**
 * struct dmastress_iova - private state of one iova op
 * @blocks: first page of every block, in stream order
 * @decoy: the block linked into the hole first, or NULL
 * @pages: every page of @blocks, for vmap()
 * @view: vmap() of all blocks
 * @dma: fallback: the DMA address of every piece
 * @state: the IOVA state of dma_iova_try_alloc()
 * @piece: bytes per block
 * @start: payload offset in the first block, bytes
 * @npieces: blocks, and pieces
 * @order: page order of each block
 * @hole: the piece relinked through the decoy, 0 for none
 * @linked: pieces linked or mapped, in order from piece 0
 * @use_iova: dma_use_iova() after dma_iova_try_alloc()
 * @need_unmap: fallback: dma_need_unmap() after mapping
 * @hole_open: the hole is unlinked and not yet refilled
 * @unlinked: everything linked is unlinked, the IOVA still allocated
 */
struct dmastress_iova {
	struct page **blocks;
	struct page *decoy;
	struct page **pages;
	void *view;
	dma_addr_t *dma;
	struct dma_iova_state state;
	size_t piece;
	size_t start;
	unsigned int npieces;
	unsigned int order;
	unsigned int hole;
	unsigned int linked;
	bool use_iova;
	bool need_unmap;
	bool hole_open;
	bool unlinked;
};

static size_t dmastress_iova_piece_bytes(const struct dmastress_run_params *p)
{
	return p->piece_bytes ? p->piece_bytes : PAGE_SIZE;
}

/* Stream offset of piece @i, bytes. */
static size_t dmastress_iova_off(const struct dmastress_iova *v, unsigned int i)
{
	return i ? v->piece * i - v->start : 0;
}

/* Bytes of piece @i of an @len-byte payload. */
static size_t dmastress_iova_len(const struct dmastress_iova *v, size_t len,
				 unsigned int i)
{
	size_t off = dmastress_iova_off(v, i);

	return min(v->piece - (i ? 0 : v->start), len - off);
}

/* Physical address of the first byte of piece @i (@block replaces it). */
static phys_addr_t dmastress_iova_phys(const struct dmastress_iova *v,
				       struct page *block, unsigned int i)
{
	return page_to_phys(block) + (i ? 0 : v->start);
}

static bool dmastress_iova_usable(struct dmastress_dev *dd,
				  const struct dmastress_run_params *p,
				  const char **why)
{
	unsigned long boundary = dma_get_merge_boundary(dd->dev);

	if (!DMASTRESS_HAVE_IOVA_API) {
		*why = "the IOVA API needs Linux 6.16";
		return false;
	}
	if ((dmastress_iova_piece_bytes(p) & boundary) &&
	    p->offset_bytes + p->len_bytes > dmastress_iova_piece_bytes(p)) {
		*why = "piece_bytes below the merge boundary (IOMMU granule)";
		return false;
	}
	if (get_order(dmastress_iova_piece_bytes(p)) > DMASTRESS_MAX_ORDER) {
		*why = "piece_bytes above the page allocator's largest block";
		return false;
	}
	/* the fallback maps a piece at once: swiotlb bounces at most 256 KiB */
	if (min_t(u64, dmastress_iova_piece_bytes(p),
		  p->offset_bytes + p->len_bytes) > dma_max_mapping_size(dd->dev)) {
		*why = "piece_bytes above dma_max_mapping_size()";
		return false;
	}
	return true;
}

static void dmastress_iova_free_mem(struct dmastress_iova *v)
{
	unsigned int i;

	if (v->view)
		vunmap(v->view);
	for (i = 0; v->blocks && i < v->npieces; i++)
		if (v->blocks[i])
			__free_pages(v->blocks[i], v->order);
	if (v->decoy)
		__free_pages(v->decoy, v->order);
	kvfree(v->blocks);
	kvfree(v->pages);
	kvfree(v->dma);
	kfree(v);
}

static int dmastress_iova_prepare(struct dmastress_op *op)
{
	const struct dmastress_run_params *p = op->params;
	bool verify = !(p->flags & DMASTRESS_RUN_NO_VERIFY);
	unsigned int i, j, per;
	struct dmastress_iova *v;
	size_t tail;

	v = kzalloc(sizeof(*v), DMASTRESS_GFP);
	if (!v)
		return -ENOMEM;
	v->piece = dmastress_iova_piece_bytes(p);
	v->order = get_order(v->piece);
	v->start = p->offset_bytes;
	v->npieces = DIV_ROUND_UP(v->start + op->len, v->piece);
	per = 1U << v->order;
	v->blocks = kvcalloc(v->npieces, sizeof(*v->blocks), DMASTRESS_GFP);
	v->pages = kvcalloc((size_t)v->npieces * per, sizeof(*v->pages),
			    DMASTRESS_GFP);
	v->dma = kvcalloc(v->npieces, sizeof(*v->dma), DMASTRESS_GFP);
	if (!v->blocks || !v->pages || !v->dma)
		goto err;
	for (i = 0; i < v->npieces; i++) {
		v->blocks[i] = alloc_pages(DMASTRESS_GFP, v->order);
		if (!v->blocks[i])
			goto err;
		for (j = 0; j < per; j++)
			v->pages[i * per + j] = dmastress_nth_page(v->blocks[i], j);
	}
	if (verify && v->npieces >= 3) {
		v->decoy = alloc_pages(DMASTRESS_GFP, v->order);
		if (!v->decoy)
			goto err;
		v->hole = v->npieces / 2;
	}
	v->view = vmap(v->pages, v->npieces * per, VM_MAP, PAGE_KERNEL);
	if (!v->view)
		goto err;
	op->priv = v;
	op->vaddr = v->view + v->start;
	if (v->start >= DMASTRESS_GUARD_BYTES)
		dmastress_op_add_guard(op, op->vaddr - DMASTRESS_GUARD_BYTES,
				       DMASTRESS_GUARD_BYTES);
	tail = (size_t)v->npieces * v->piece - v->start - op->len;
	if (tail >= DMASTRESS_GUARD_BYTES)
		dmastress_op_add_guard(op, op->vaddr + op->len,
				       DMASTRESS_GUARD_BYTES);
	if (v->decoy)
		dmastress_op_add_guard(op, page_address(v->decoy), v->piece);
	return 0;
err:
	dmastress_iova_free_mem(v);
	return -ENOMEM;
}

/* Unlink what is linked (but the open hole) and free the IOVA range. */
static void dmastress_iova_unwind(struct dmastress_op *op,
				  struct dmastress_iova *v)
{
	struct device *dev = op->dd->dev;
	unsigned int i;

	for (i = 0; i < v->linked; i++) {
		if (v->hole_open && i == v->hole)
			continue;
		dma_iova_unlink(dev, &v->state, dmastress_iova_off(v, i),
				dmastress_iova_len(v, op->len, i), op->dir,
				dmastress_dma_attrs(op->params->attrs));
	}
	dma_iova_free(dev, &v->state);
	v->linked = 0;
	v->hole_open = false;
	v->use_iova = false;
}

/*
 * Link piece @i from @block, holding the contract: after the first link
 * both the IOVA and the memory start on the merge boundary, and every
 * piece but the last ends on it. -EINVAL when the layout breaks it (our
 * bug, logged), else dma_iova_link()'s error.
 */
static int dmastress_iova_link_piece(struct dmastress_op *op,
				     struct dmastress_iova *v,
				     struct page *block, unsigned int i,
				     unsigned long boundary)
{
	struct device *dev = op->dd->dev;
	size_t off = dmastress_iova_off(v, i);
	size_t len = dmastress_iova_len(v, op->len, i);
	phys_addr_t phys = dmastress_iova_phys(v, block, i);
	bool last = i == v->npieces - 1;

	if ((i && (((v->state.addr + off) & boundary) || (phys & boundary))) ||
	    (!last && ((phys + len) & boundary))) {
		dev_err(dev, "iova piece %u (offset %zu, %zu bytes) breaks the merge boundary %#lx\n",
			i, off, len, boundary);
		return -EINVAL;
	}
	return dma_iova_link(dev, &v->state, phys, off, len, op->dir,
			     dmastress_dma_attrs(op->params->attrs));
}

/* Link every piece (the decoy into the hole first), sync, refill the hole. */
static int dmastress_iova_link_all(struct dmastress_op *op,
				   struct dmastress_iova *v)
{
	struct device *dev = op->dd->dev;
	unsigned long boundary = dma_get_merge_boundary(dev);
	size_t hoff, hlen;
	unsigned int i;
	int ret;

	for (i = 0; i < v->npieces; i++) {
		struct page *b = v->hole && i == v->hole ? v->decoy : v->blocks[i];

		ret = dmastress_iova_link_piece(op, v, b, i, boundary);
		if (ret)
			return ret;
		v->linked = i + 1;
	}
	ret = dma_iova_sync(dev, &v->state, 0, op->len);
	if (ret || !v->hole)
		return ret;
	hoff = dmastress_iova_off(v, v->hole);
	hlen = dmastress_iova_len(v, op->len, v->hole);
	dma_iova_unlink(dev, &v->state, hoff, hlen, op->dir,
			dmastress_dma_attrs(op->params->attrs));
	v->hole_open = true;
	ret = dmastress_iova_link_piece(op, v, v->blocks[v->hole], v->hole,
					boundary);
	if (ret)
		return ret;
	v->hole_open = false;
	return dma_iova_sync(dev, &v->state, hoff, hlen);
}

static void dmastress_iova_unmap_pieces(struct dmastress_op *op,
					struct dmastress_iova *v)
{
	unsigned int i;

	for (i = 0; i < v->linked; i++)
		dma_unmap_phys(op->dd->dev, v->dma[i],
			       dmastress_iova_len(v, op->len, i), op->dir,
			       dmastress_dma_attrs(op->params->attrs));
	v->linked = 0;
}

/* The fallback: every piece through dma_map_phys(). */
static int dmastress_iova_map_pieces(struct dmastress_op *op,
				     struct dmastress_iova *v)
{
	struct device *dev = op->dd->dev;
	unsigned int i;

	for (i = 0; i < v->npieces; i++) {
		v->dma[i] = dma_map_phys(dev,
					 dmastress_iova_phys(v, v->blocks[i], i),
					 dmastress_iova_len(v, op->len, i),
					 op->dir,
					 dmastress_dma_attrs(op->params->attrs));
		if (dma_mapping_error(dev, v->dma[i]))
			return -EIO;
		v->linked = i + 1;
	}
	/* "after all mappings that might need to be unmapped" */
	v->need_unmap = dma_need_unmap(dev);
	return 0;
}

static int dmastress_iova_setup(struct dmastress_op *op)
{
	struct dmastress_iova *v = op->priv;
	struct device *dev;
	phys_addr_t phys;
	size_t len;
	int ret;
	u64 t;

	if (!v)
		return -ENOMEM;
	dev = op->dd->dev;
	len = op->len;
	phys = dmastress_iova_phys(v, v->blocks[0], 0);
	v->unlinked = false;
	t = dmastress_op_call_begin(op);
	v->use_iova = dma_iova_try_alloc(dev, &v->state, phys, len) &&
		      dma_use_iova(&v->state);
	if (v->use_iova)
		ret = dmastress_iova_link_all(op, v);
	else
		ret = dmastress_iova_map_pieces(op, v);
	dmastress_op_call_end(op, t);
	if (!ret) {
		if (!v->use_iova)
			op->result_flags |= DMASTRESS_RESULT_IOVA_FALLBACK |
				(v->need_unmap ? 0 : DMASTRESS_RESULT_NO_UNMAP);
		else if (v->state.__size & DMA_IOVA_USE_SWIOTLB)
			op->result_flags |= DMASTRESS_RESULT_IOVA_LINKED |
					    DMASTRESS_RESULT_IOVA_BOUNCED;
		else
			op->result_flags |= DMASTRESS_RESULT_IOVA_LINKED;
		return 0;
	}
	if (v->use_iova)
		dmastress_iova_unwind(op, v);
	else
		dmastress_iova_unmap_pieces(op, v);
	return ret == -ENOMEM ? -ENOMEM : -EIO;
}

/* Does every piece's first and last byte translate to its memory? */
static unsigned int dmastress_iova_check_range(struct dmastress_op *op,
					       struct dmastress_iova *v)
{
	struct device *dev = op->dd->dev;
	unsigned int i, bad = 0;

	for (i = 0; i < v->npieces; i++) {
		size_t off = dmastress_iova_off(v, i);
		size_t n = dmastress_iova_len(v, op->len, i);
		phys_addr_t phys = dmastress_iova_phys(v, v->blocks[i], i);
		dma_addr_t dma = v->state.addr + off;

		if (dmastress_translate(dev, dma, NULL) != phys ||
		    dmastress_translate(dev, dma + n - 1, NULL) != phys + n - 1) {
			if (!bad)
				dev_err(dev, "iova piece %u at %pad does not translate to its memory %pa\n",
					i, &dma, &phys);
			bad++;
		}
	}
	return bad;
}

static int dmastress_iova_describe(struct dmastress_op *op)
{
	struct dmastress_iova *v = op->priv;
	unsigned int i;
	int ret;

	if (v->use_iova) {
		/* a bounced piece translates to its bounce slot, not to it */
		if (!(v->state.__size & DMA_IOVA_USE_SWIOTLB))
			op->seg_violations += dmastress_iova_check_range(op, v);
		ret = dmastress_op_add_seg(op, v->state.addr, op->len, NULL,
					   dmastress_iova_phys(v, v->blocks[0], 0));
		return ret ? -ENOMEM : 0;
	}
	ret = dmastress_op_reserve_segs(op, v->npieces);
	for (i = 0; !ret && i < v->npieces; i++)
		ret = dmastress_op_add_seg(op, v->dma[i],
					   dmastress_iova_len(v, op->len, i),
					   op->vaddr + dmastress_iova_off(v, i),
					   dmastress_iova_phys(v, v->blocks[i], i));
	return ret ? -ENOMEM : 0;
}

static void dmastress_iova_sync_pieces(struct dmastress_op *op,
				       bool for_device)
{
	struct dmastress_iova *v = op->priv;
	unsigned int i;

	for (i = 0; i < v->linked; i++) {
		size_t n = dmastress_iova_len(v, op->len, i);

		if (for_device)
			dma_sync_single_for_device(op->dd->dev, v->dma[i], n,
						   op->dir);
		else
			dma_sync_single_for_cpu(op->dd->dev, v->dma[i], n,
						op->dir);
	}
}

static void dmastress_iova_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_iova *v = op->priv;

	/* a linked range was synced for the device by dma_iova_link() */
	if (v && !v->use_iova)
		dmastress_iova_sync_pieces(op, true);
}

static void dmastress_iova_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_iova *v = op->priv;

	if (!v)
		return;
	if (!v->use_iova) {
		dmastress_iova_sync_pieces(op, false);
		return;
	}
	/* only dma_iova_unlink() copies a bounce back to the CPU */
	if ((v->state.__size & DMA_IOVA_USE_SWIOTLB) && !v->unlinked) {
		dma_iova_unlink(op->dd->dev, &v->state, 0, op->len, op->dir,
				dmastress_dma_attrs(op->params->attrs));
		v->unlinked = true;
	}
}

/* Granules of the range that still translate after it was unlinked. */
static u64 dmastress_iova_stale(struct dmastress_op *op,
				struct dmastress_iova *v)
{
	struct device *dev = op->dd->dev;
	dma_addr_t dma = v->state.addr;
	dma_addr_t end = dma + op->len;
	u64 stale = 0;
	size_t unit;

	while (dma < end) {
		if (dmastress_translate(dev, dma, &unit))
			stale++;
		dma += unit;
	}
	return stale;
}

static void dmastress_iova_teardown(struct dmastress_op *op)
{
	struct dmastress_iova *v = op->priv;
	const struct dmastress_run_params *p = op->params;
	bool verify = !(p->flags & DMASTRESS_RUN_NO_VERIFY);
	bool dynamic = p->flags & DMASTRESS_RUN_IOVA_UNLINK;
	unsigned long attrs = dmastress_dma_attrs(p->attrs);
	enum dma_data_direction dir = op->dir;
	struct device *dev = op->dd->dev;
	size_t len = op->len;
	unsigned int i;
	u64 t;

	if (!v || !v->linked)
		return;
	if (!v->use_iova) {
		t = dmastress_op_call_begin(op);
		if (v->need_unmap)
			dmastress_iova_unmap_pieces(op, v);
		dmastress_op_call_end(op, t);
		v->linked = 0;
		return;
	}
	t = dmastress_op_call_begin(op);
	if (dynamic) {
		for (i = 0; !v->unlinked && i < v->npieces; i++)
			dma_iova_unlink(dev, &v->state, dmastress_iova_off(v, i),
					dmastress_iova_len(v, len, i), dir, attrs);
	} else if (!v->unlinked) {
		dma_iova_destroy(dev, &v->state, len, dir, attrs);
	}
	dmastress_op_call_end(op, t);
	/* dynamic: before the IOVA is freed, nothing can have reused it */
	if (verify && dynamic)
		op->stale_mappings += dmastress_iova_stale(op, v);
	if (dynamic || v->unlinked) {
		t = dmastress_op_call_begin(op);
		dma_iova_free(dev, &v->state);
		dmastress_op_call_end(op, t);
	}
	if (verify && !dynamic && p->threads == 1 &&
	    !(p->flags & DMASTRESS_RUN_STRESS))
		op->stale_mappings += dmastress_iova_stale(op, v);
	v->linked = 0;
	v->use_iova = false;
}

static void dmastress_iova_release(struct dmastress_op *op)
{
	struct dmastress_iova *v = op->priv;

	if (!v)
		return;
	dmastress_iova_teardown(op);
	dmastress_iova_free_mem(v);
	op->priv = NULL;
	op->vaddr = NULL;
}

/**
 * DOC: dmastress_path_iova - dma_iova_try_alloc(), link, sync, destroy
 *
 * Needs Linux 6.16 (skipped with that reason before). Lengths up to
 * DMASTRESS_MAX_LEN_BYTES in blocks of piece_bytes (4 KiB default, to
 * 4 MiB), the first at offset_bytes. Under an IOMMU DMA or DMA-FQ domain
 * one IOVA range, linked piece by piece; elsewhere per-piece
 * dma_map_phys() (see the file comment). setup() returns -ENOMEM when out
 * of memory, -EIO when a link, sync or map fails, with everything undone.
 * With verification MAP includes the decoy's unlink and relink. Process
 * context.
 */
/* The pieces, each a block of the piece's order, and the decoy piece. */
static u64 dmastress_iova_op_bytes(const struct dmastress_run_params *p, u64 len)
{
	size_t piece = dmastress_iova_piece_bytes(p);

	return (DIV_ROUND_UP(p->offset_bytes + len, piece) + 1) *
	       (PAGE_SIZE << get_order(piece));
}

const struct dmastress_path dmastress_path_iova = {
	.id = DMASTRESS_PATH_IOVA,
	.bounces = true,
	.pieces = true,
	.attrs = DMASTRESS_ATTRS_STREAMING,
	.usable = dmastress_iova_usable,
	.prepare = dmastress_iova_prepare,
	.setup = dmastress_iova_setup,
	.describe = dmastress_iova_describe,
	.sync_for_device = dmastress_iova_sync_for_device,
	.sync_for_cpu = dmastress_iova_sync_for_cpu,
	.teardown = dmastress_iova_teardown,
	.release = dmastress_iova_release,
	.op_bytes = dmastress_iova_op_bytes,
};
