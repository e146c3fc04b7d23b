// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_sg.c - dma_map_sg() and dma_map_sgtable()
 *
 * The CPU side of an op is a run of physically contiguous chunks (order-0
 * pages, 2 MiB blocks with DMASTRESS_RUN_HUGE, or larger orders when the
 * requested nents cannot cover the length otherwise), vmap()ed in order
 * into one view. The payload starts at page offset offset_bytes (in the
 * second page when the leading guard does not fit in front of it) and is
 * cut into nents CPU entries laid back to back in the view, so that the
 * concatenation of the entries is the view. Each entry stays inside one
 * chunk and within dma_get_max_seg_size() and dma_max_mapping_size().
 *
 * With nents > 0 the entry lengths vary, seeded by the op's rng and the
 * run's seed, and are at least DMASTRESS_SG_MIN_ENTRY bytes apart when two
 * share a page, so no two entries start in one cache line (dma-debug
 * tracks mappings by their first cache line). With nents == 0 there is one
 * entry per page (per chunk, capped by the segment limits, with HUGE).
 * More than SG_MAX_SINGLE_ALLOC entries make sg_alloc_table() chain.
 *
 * After mapping, every DMA segment (after merging) becomes one op segment
 * whose CPU address is the view at the same stream offset: the device
 * sees the concatenation of the DMA segments, the CPU the concatenation of
 * the entries, and the DMA API promises they are the same bytes.
 */
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/vmalloc.h>

#include "dmastress.h"

/* Shortest entry sharing a page with the next one, bytes (a cache line). */
#define DMASTRESS_SG_MIN_ENTRY	64

/**
 * struct dmastress_sg_plan - how an op's payload is cut into entries
 * @order: page order of each chunk
 * @chunk: bytes per chunk, PAGE_SIZE << @order
 * @start: payload offset in the view, bytes
 * @maxent: longest entry, bytes
 * @first: index of the chunk holding the first payload byte
 * @pieces: chunks the payload touches
 * @nchunks: chunks in the view (payload and guards)
 * @nents: CPU entries
 */
struct dmastress_sg_plan {
	unsigned int order;
	size_t chunk;
	size_t start;
	size_t maxent;
	unsigned int first;
	unsigned int pieces;
	unsigned int nchunks;
	unsigned int nents;
};

/**
 * struct dmastress_sg - private state of one sg or sgtable op
 * @plan: the layout
 * @chunks: first page of every chunk
 * @view: vmap() of all chunks, in order
 * @sgt: the CPU entries; @sgt.nents is the mapped count while @mapped
 * @table_api: dma_map_sgtable() and the sgtable syncs (else dma_map_sg())
 * @mapped: the mapping succeeded and is not undone
 */
struct dmastress_sg {
	struct dmastress_sg_plan plan;
	struct page **chunks;
	void *view;
	struct sg_table sgt;
	bool table_api;
	bool mapped;
};

/* Bytes of piece @j (the part of the payload inside chunk first + j). */
static size_t dmastress_sg_piece_len(const struct dmastress_sg_plan *pl,
				     size_t len, unsigned int j)
{
	size_t lo = max_t(size_t, pl->start, (size_t)(pl->first + j) * pl->chunk);
	size_t hi = min_t(size_t, pl->start + len,
			  (size_t)(pl->first + j + 1) * pl->chunk);

	return hi - lo;
}

/* Fewest entries a piece of @l bytes needs. */
static size_t dmastress_sg_need(const struct dmastress_sg_plan *pl, size_t l)
{
	return DIV_ROUND_UP(l, pl->maxent);
}

/* Most entries it can hold: a lone entry may be shorter than the minimum. */
static size_t dmastress_sg_cap(size_t l)
{
	return max_t(size_t, 1, l / DMASTRESS_SG_MIN_ENTRY);
}

/* Fill the chunk geometry of @pl for @order; false if it cannot hold @len. */
static bool dmastress_sg_geometry(struct dmastress_sg_plan *pl, size_t len,
				  size_t maxseg, unsigned int order)
{
	size_t view = pl->start + len + DMASTRESS_GUARD_BYTES;

	pl->order = order;
	pl->chunk = PAGE_SIZE << order;
	pl->maxent = min(maxseg, pl->chunk);
	pl->first = pl->start / pl->chunk;
	pl->pieces = (pl->start + len - 1) / pl->chunk - pl->first + 1;
	pl->nchunks = DIV_ROUND_UP(view, pl->chunk);
	return pl->maxent >= DMASTRESS_SG_MIN_ENTRY;
}

/*
 * Sum of need (or cap) over all pieces, in closed form: the first and
 * last piece may be partial, the ones between are whole chunks.
 */
static u64 dmastress_sg_sum(const struct dmastress_sg_plan *pl, size_t len,
			    bool cap)
{
	unsigned int last = pl->pieces - 1;
	size_t l0 = dmastress_sg_piece_len(pl, len, 0);
	u64 sum;

	sum = cap ? dmastress_sg_cap(l0) : dmastress_sg_need(pl, l0);
	if (!last)
		return sum;
	if (last > 1)
		sum += (u64)(last - 1) * (cap ? dmastress_sg_cap(pl->chunk) :
					  dmastress_sg_need(pl, pl->chunk));
	l0 = dmastress_sg_piece_len(pl, len, last);
	return sum + (cap ? dmastress_sg_cap(l0) : dmastress_sg_need(pl, l0));
}

/* Entries of the nents == 0 layout: one per unit-aligned block touched. */
static size_t dmastress_sg_unit(const struct dmastress_sg_plan *pl)
{
	return min_t(size_t, pl->chunk, rounddown_pow_of_two(pl->maxent));
}

/**
 * dmastress_sg_layout() - lay out a payload as CPU entries
 * @dev: the device (segment limits)
 * @p: the run's parameters (nents, offset_bytes, flags)
 * @len: payload bytes
 * @pl: out, the layout
 * @why: out, the reason when there is none
 *
 * Return: true when a layout exists.
 */
static bool dmastress_sg_layout(struct device *dev,
				const struct dmastress_run_params *p,
				size_t len, struct dmastress_sg_plan *pl,
				const char **why)
{
	unsigned int base = p->flags & DMASTRESS_RUN_HUGE ? get_order(SZ_2M) : 0;
	size_t maxseg = min_t(size_t, dma_get_max_seg_size(dev),
			      dma_max_mapping_size(dev));
	unsigned int order;
	u64 n;

	memset(pl, 0, sizeof(*pl));
	pl->start = p->offset_bytes;
	if (pl->start < DMASTRESS_GUARD_BYTES)
		pl->start += PAGE_SIZE;
	if (!len) {
		*why = "zero length";
		return false;
	}
	if (!p->nents) {
		size_t unit;

		if (!dmastress_sg_geometry(pl, len, maxseg, base)) {
			*why = "dma_get_max_seg_size() below 64 bytes";
			return false;
		}
		unit = dmastress_sg_unit(pl);
		n = (pl->start + len - 1) / unit - pl->start / unit + 1;
		if (n > DMASTRESS_MAX_LEN_BYTES / PAGE_SIZE + 2) {
			*why = "nents 0: more entries than DMASTRESS_MAX_LEN_BYTES pages";
			return false;
		}
		pl->nents = n;
		return true;
	}
	if (len < (u64)p->nents * DMASTRESS_SG_MIN_ENTRY) {
		*why = "len_bytes below 64 bytes per sg entry";
		return false;
	}
	for (order = base; order <= DMASTRESS_MAX_ORDER; order++) {
		if (!dmastress_sg_geometry(pl, len, maxseg, order))
			break;
		if (dmastress_sg_sum(pl, len, false) > p->nents ||
		    dmastress_sg_sum(pl, len, true) < p->nents)
			continue;
		pl->nents = p->nents;
		return true;
	}
	*why = "len_bytes / nents above max_seg_size, max mapping or 4 MiB";
	return false;
}

/*
 * With swiotlb forced every entry is bounced: a payload larger than the
 * whole (fixed-size) pool cannot be mapped at all.
 */
static bool dmastress_sg_fits_swiotlb(struct device *dev, u64 len)
{
#ifdef CONFIG_SWIOTLB
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;

	if (!mem || !is_swiotlb_force_bounce(dev))
		return true;
#ifdef CONFIG_SWIOTLB_DYNAMIC
	if (mem->can_grow)
		return true;
#endif
	return len <= (u64)mem->nslabs << IO_TLB_SHIFT;
#else
	return true;
#endif
}

static bool dmastress_sg_usable(struct dmastress_dev *dd,
				const struct dmastress_run_params *p,
				const char **why)
{
	struct dmastress_sg_plan pl;

	if (!dmastress_sg_fits_swiotlb(dd->dev, p->len_bytes)) {
		*why = "len_bytes above the whole forced swiotlb pool";
		return false;
	}
	return dmastress_sg_layout(dd->dev, p, p->len_bytes, &pl, why);
}

static u32 dmastress_sg_rand(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * Length of the next of @r entries sharing @rem bytes, each between
 * DMASTRESS_SG_MIN_ENTRY and @maxent (a lone entry may be shorter): around
 * the mean, up to half of it either way.
 */
static size_t dmastress_sg_next_len(size_t rem, size_t r, size_t maxent,
				    u32 *rng)
{
	size_t lo, hi, avg, want;

	if (r == 1)
		return rem;
	lo = DMASTRESS_SG_MIN_ENTRY;
	if (rem > (r - 1) * maxent)
		lo = max(lo, rem - (r - 1) * maxent);
	hi = min(maxent, rem - (r - 1) * DMASTRESS_SG_MIN_ENTRY);
	avg = rem / r;
	want = avg / 2 + dmastress_sg_rand(rng) % (avg + 1);
	return clamp(want, lo, hi);
}

/* Entries per piece for nents > 0: need, then extra by length, capped. */
static int dmastress_sg_counts(const struct dmastress_sg_plan *pl, size_t len,
			       unsigned int **out)
{
	unsigned int *k, j;
	u64 extra, left;

	k = kcalloc(pl->pieces, sizeof(*k), DMASTRESS_GFP);
	if (!k)
		return -ENOMEM;
	left = pl->nents;
	for (j = 0; j < pl->pieces; j++) {
		k[j] = dmastress_sg_need(pl, dmastress_sg_piece_len(pl, len, j));
		left -= k[j];
	}
	extra = left;
	for (j = 0; j < pl->pieces && left; j++) {
		size_t l = dmastress_sg_piece_len(pl, len, j);
		u64 add = div64_u64(extra * l, len);

		add = min3(add, left, (u64)(dmastress_sg_cap(l) - k[j]));
		k[j] += add;
		left -= add;
	}
	while (left) {
		u64 before = left;

		for (j = 0; j < pl->pieces && left; j++) {
			if (k[j] < dmastress_sg_cap(dmastress_sg_piece_len(pl, len, j))) {
				k[j]++;
				left--;
			}
		}
		if (WARN_ON_ONCE(left == before)) {
			/* dmastress_sg_layout() promised room for them */
			kfree(k);
			return -EINVAL;
		}
	}
	*out = k;
	return 0;
}

/* Point @sg at @l bytes of the view at offset @off. */
static void dmastress_sg_set(struct dmastress_sg *s, struct scatterlist *sg,
			     size_t off, size_t l)
{
	struct page *chunk = s->chunks[off / s->plan.chunk];
	size_t in = off % s->plan.chunk;

	sg_set_page(sg, dmastress_nth_page(chunk, in >> PAGE_SHIFT), l, offset_in_page(in));
}

/* Cut the payload into the table's entries. */
static int dmastress_sg_fill(struct dmastress_op *op, struct dmastress_sg *s)
{
	const struct dmastress_sg_plan *pl = &s->plan;
	struct scatterlist *sg = s->sgt.sgl;
	size_t off = pl->start, end = pl->start + op->len;
	u32 rng = op->rng ^ op->params->seed ^ 0x9e3779b9;
	unsigned int *k, j, i;
	int ret;

	if (!op->params->nents) {
		size_t unit = dmastress_sg_unit(pl);

		while (off < end) {
			size_t l = min(end, round_down(off, unit) + unit) - off;

			dmastress_sg_set(s, sg, off, l);
			off += l;
			sg = sg_next(sg);
		}
		return 0;
	}
	if (!rng)
		rng = 1;
	ret = dmastress_sg_counts(pl, op->len, &k);
	if (ret)
		return ret;
	for (j = 0; j < pl->pieces; j++) {
		size_t rem = dmastress_sg_piece_len(pl, op->len, j);

		for (i = 0; i < k[j]; i++) {
			size_t l = dmastress_sg_next_len(rem, k[j] - i,
							 pl->maxent, &rng);

			dmastress_sg_set(s, sg, off, l);
			off += l;
			rem -= l;
			sg = sg_next(sg);
		}
	}
	kfree(k);
	return 0;
}

static void dmastress_sg_free_chunks(struct dmastress_sg *s)
{
	unsigned int i;

	if (s->view)
		vunmap(s->view);
	s->view = NULL;
	if (!s->chunks)
		return;
	for (i = 0; i < s->plan.nchunks; i++)
		if (s->chunks[i])
			__free_pages(s->chunks[i], s->plan.order);
	kvfree(s->chunks);
	s->chunks = NULL;
}

/* Allocate the chunks and vmap() them in order; -EINTR when stopped. */
static int dmastress_sg_alloc_chunks(struct dmastress_sg *s,
				     struct dmastress_dev *dd)
{
	unsigned int per = 1U << s->plan.order, i, j;
	size_t npages = (size_t)s->plan.nchunks << s->plan.order;
	struct page **pages;

	s->chunks = kvcalloc(s->plan.nchunks, sizeof(*s->chunks), DMASTRESS_GFP);
	if (!s->chunks)
		return -ENOMEM;
	for (i = 0; i < s->plan.nchunks; i++) {
		s->chunks[i] = alloc_pages(DMASTRESS_GFP,
					   s->plan.order);
		if (!s->chunks[i])
			return -ENOMEM;
		if (dmastress_engine_interrupted(dd))
			return -EINTR;
		cond_resched();
	}
	pages = kvmalloc_array(npages, sizeof(*pages), DMASTRESS_GFP);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < s->plan.nchunks; i++)
		for (j = 0; j < per; j++)
			pages[(size_t)i * per + j] = dmastress_nth_page(s->chunks[i], j);
	s->view = vmap(pages, npages, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return s->view ? 0 : -ENOMEM;
}

static void dmastress_sg_free(struct dmastress_op *op)
{
	struct dmastress_sg *s = op->priv;

	if (!s)
		return;
	sg_free_table(&s->sgt);
	dmastress_sg_free_chunks(s);
	kfree(s);
	op->priv = NULL;
	op->vaddr = NULL;
}

static int dmastress_sg_prepare_common(struct dmastress_op *op, bool table)
{
	struct dmastress_sg *s;
	const char *why;
	int ret;

	s = kzalloc(sizeof(*s), DMASTRESS_GFP);
	if (!s)
		return -ENOMEM;
	op->priv = s;
	s->table_api = table;
	if (!dmastress_sg_layout(op->dd->dev, op->params, op->len, &s->plan,
				 &why)) {
		ret = -ENOMEM;
		goto err;
	}
	ret = dmastress_sg_alloc_chunks(s, op->dd);
	if (ret)
		goto err;
	ret = sg_alloc_table(&s->sgt, s->plan.nents, DMASTRESS_GFP);
	if (ret)
		goto err;
	/* sg_alloc_table() chains past one page of entries; make sure. */
	if (s->plan.nents > SG_MAX_SINGLE_ALLOC)
		WARN_ON_ONCE(!sg_is_chain(&s->sgt.sgl[SG_MAX_SINGLE_ALLOC - 1]));
	ret = dmastress_sg_fill(op, s);
	if (ret)
		goto err;
	ret = dmastress_op_reserve_segs(op, s->plan.nents);
	if (ret)
		goto err;
	op->nents_cpu = s->plan.nents;
	op->vaddr = s->view + s->plan.start;
	dmastress_op_add_guard(op, op->vaddr - DMASTRESS_GUARD_BYTES,
			       DMASTRESS_GUARD_BYTES);
	dmastress_op_add_guard(op, op->vaddr + op->len, DMASTRESS_GUARD_BYTES);
	return 0;

err:
	dmastress_sg_free(op);
	/* stopped (a fatal signal, kthread_stop(), an unbind) or out of memory */
	return ret == -EINTR ? -EINTR : -ENOMEM;
}

static int dmastress_sg_prepare(struct dmastress_op *op)
{
	return dmastress_sg_prepare_common(op, false);
}

static int dmastress_sgtable_prepare(struct dmastress_op *op)
{
	return dmastress_sg_prepare_common(op, true);
}

static void dmastress_sg_unmap(struct dmastress_op *op)
{
	struct dmastress_sg *s = op->priv;
	unsigned long attrs;
	u64 t;

	if (!s || !s->mapped)
		return;
	attrs = dmastress_dma_attrs(op->params->attrs);
	t = dmastress_op_call_begin(op);
	if (s->table_api)
		dma_unmap_sgtable(op->dd->dev, &s->sgt, op->dir, attrs);
	else
		dma_unmap_sg_attrs(op->dd->dev, s->sgt.sgl, s->sgt.orig_nents,
				   op->dir, attrs);
	dmastress_op_call_end(op, t);
	s->sgt.nents = 0;
	s->mapped = false;
}

static int dmastress_sg_setup(struct dmastress_op *op)
{
	unsigned long attrs = dmastress_dma_attrs(op->params->attrs);
	struct dmastress_sg *s = op->priv;
	unsigned int first = op->nsegs;
	int ret;
	u64 t;

	if (!s)
		return -ENOMEM;
	if (s->table_api) {
		t = dmastress_op_call_begin(op);
		ret = dma_map_sgtable(op->dd->dev, &s->sgt, op->dir, attrs);
		dmastress_op_call_end(op, t);
		if (ret)
			return ret;
	} else {
		t = dmastress_op_call_begin(op);
		ret = dma_map_sg_attrs(op->dd->dev, s->sgt.sgl,
				       s->sgt.orig_nents, op->dir, attrs);
		dmastress_op_call_end(op, t);
		if (!ret)
			return -EIO;
		s->sgt.nents = ret;
	}
	s->mapped = true;
	ret = dmastress_op_add_sgtable(op, &s->sgt, 0, op->len);
	if (ret == -EIO) {
		/* the DMA segments do not add up to the CPU entries */
		op->seg_violations++;
		ret = 0;
	}
	if (ret) {
		op->nsegs = first;
		dmastress_sg_unmap(op);
		return ret;
	}
	if (op->nsegs > first)
		op->segs[first].phys = sg_phys(s->sgt.sgl);
	return 0;
}

static void dmastress_sg_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_sg *s = op->priv;

	if (!s || !s->mapped)
		return;
	if (s->table_api)
		dma_sync_sgtable_for_device(op->dd->dev, &s->sgt, op->dir);
	else
		dma_sync_sg_for_device(op->dd->dev, s->sgt.sgl,
				       s->sgt.orig_nents, op->dir);
}

static void dmastress_sg_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_sg *s = op->priv;

	if (!s || !s->mapped)
		return;
	if (s->table_api)
		dma_sync_sgtable_for_cpu(op->dd->dev, &s->sgt, op->dir);
	else
		dma_sync_sg_for_cpu(op->dd->dev, s->sgt.sgl, s->sgt.orig_nents,
				    op->dir);
}

static void dmastress_sg_teardown(struct dmastress_op *op)
{
	dmastress_sg_unmap(op);
}

static void dmastress_sg_release(struct dmastress_op *op)
{
	dmastress_sg_unmap(op);
	dmastress_sg_free(op);
}

/**
 * DOC: dmastress_path_sg - dma_map_sg() of nents entries
 *
 * prepare() builds nents CPU entries (see the file comment) in a table
 * that chains past SG_MAX_SINGLE_ALLOC; setup() maps them with
 * dma_map_sg() (-EIO when it returns 0) and describes every DMA segment;
 * op->nents_cpu is the CPU count, op->nsegs the mapped count, fewer when
 * the DMA layer merged entries. Syncs are dma_sync_sg_for_{device,cpu}()
 * with the original nents. Layouts that cannot exist (under 64 bytes per
 * entry, or entries over the segment limits) are skipped with a reason.
 * Process context.
 */
/*
 * Chunks of one page, 2 MiB with DMASTRESS_RUN_HUGE, or (nents given) of
 * the order that makes nents, at most a power of two of the span.
 */
static u64 dmastress_sg_op_bytes(const struct dmastress_run_params *p, u64 len)
{
	u64 n = PAGE_ALIGN(p->offset_bytes + PAGE_SIZE + len +
			   DMASTRESS_GUARD_BYTES);

	if (p->flags & DMASTRESS_RUN_HUGE)
		return round_up(n, SZ_2M);
	if (p->nents)
		return n <= DMASTRESS_MAX_CONTIG_BYTES ? roundup_pow_of_two(n) :
			round_up(n, DMASTRESS_MAX_CONTIG_BYTES);
	return n;
}

const struct dmastress_path dmastress_path_sg = {
	.id = DMASTRESS_PATH_SG,
	.sg_limits = true,
	.bounces = true,
	.attrs = DMASTRESS_ATTRS_STREAMING,
	.usable = dmastress_sg_usable,
	.prepare = dmastress_sg_prepare,
	.setup = dmastress_sg_setup,
	.sync_for_device = dmastress_sg_sync_for_device,
	.sync_for_cpu = dmastress_sg_sync_for_cpu,
	.teardown = dmastress_sg_teardown,
	.release = dmastress_sg_release,
	.op_bytes = dmastress_sg_op_bytes,
};

/**
 * DOC: dmastress_path_sgtable - dma_map_sgtable() and the sgtable syncs
 *
 * The same entries as the sg path, mapped with dma_map_sgtable(); setup()
 * returns its error as is (-EINVAL, -ENOMEM, -EIO, -EREMOTEIO). Syncs are
 * dma_sync_sgtable_for_{device,cpu}(), unmapping dma_unmap_sgtable().
 * Process context.
 */
const struct dmastress_path dmastress_path_sgtable = {
	.id = DMASTRESS_PATH_SGTABLE,
	.sg_limits = true,
	.bounces = true,
	.attrs = DMASTRESS_ATTRS_STREAMING,
	.usable = dmastress_sg_usable,
	.prepare = dmastress_sgtable_prepare,
	.setup = dmastress_sg_setup,
	.sync_for_device = dmastress_sg_sync_for_device,
	.sync_for_cpu = dmastress_sg_sync_for_cpu,
	.teardown = dmastress_sg_teardown,
	.release = dmastress_sg_release,
	.op_bytes = dmastress_sg_op_bytes,
};
