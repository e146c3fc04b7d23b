// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_op.c - one operation (op) of a path: what the paths are written
 * against, and the pipeline the run core drives an op through
 *
 * Paths describe their buffers with dmastress_op_add_seg(),
 * dmastress_op_add_sgtable() and dmastress_op_add_guard(), and bracket
 * their DMA API calls with dmastress_op_call_begin()/_end() (dmastress.h).
 *
 * One op, in order:
 *   prepare (streaming paths: CPU memory) -> fill the pattern for
 *   TO_DEVICE/BIDIRECTIONAL, or zeros for FROM_DEVICE -> setup (MAP) ->
 *   fill now if the path had no CPU view before mapping -> guards ->
 *   check every DMA segment against the mask, max segment size and
 *   boundary -> sync_for_device -> XFER (the engine reads the mapping into
 *   a device-side buffer and/or writes it back) -> sync_for_cpu -> verify
 *   the CPU view and the guards -> teardown (UNMAP: the DMA API's unmap,
 *   or free for the allocating paths) -> release (streaming paths: free
 *   the CPU memory, not a phase of its own).
 * dmastress_op_begin() runs it up to XFER, dmastress_op_end() from
 * sync_for_cpu on (a stress run interleaves the halves of several ops);
 * dmastress_op_bare() is dma_map_benchmark's map and unmap alone. E2E is
 * the whole op without the pattern fills and checks. Every op gets its own
 * seed (run seed, thread, op number), so a stale buffer from an earlier op
 * does not pass. The out-of-bounds control (DMASTRESS_RUN_OOB_XFER) aims
 * the engine past the mapping instead of at it.
 */
#include <linux/delay.h>
#include <linux/dma-direct.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmastress_run.h"

/* Distance past a mapping at which DMASTRESS_RUN_OOB_XFER aims, bytes. */
#define DMASTRESS_OOB_GAP	(16 * PAGE_SIZE)
/* Gaps DMASTRESS_RUN_OOB_XFER tries for an address nothing maps. */
#define DMASTRESS_OOB_TRIES	64
/*
 * The most segments one op may describe: one per page of the largest
 * buffer plus one per sg entry, plus a partial page at each end.
 */
#define DMASTRESS_MAX_OP_SEGS \
	(DMASTRESS_MAX_LEN_BYTES / PAGE_SIZE + DMASTRESS_MAX_NENTS + 2)

/**
 * dmastress_op_add_seg() - append a DMA segment to an op
 * @op: the op; @op->segs grows as needed (the run core frees it)
 * @dma: DMA address of the segment
 * @len: bytes, > 0
 * @cpu: kernel virtual address of the same bytes, or NULL
 * @phys: physical address behind @cpu, or 0
 *
 * Segments must be added in buffer order. Process context, may sleep when
 * the array grows (DMASTRESS_GFP).
 *
 * Return: 0, -ENOMEM, or -E2BIG past DMASTRESS_MAX_OP_SEGS segments.
 */
int dmastress_op_add_seg(struct dmastress_op *op, dma_addr_t dma, size_t len,
			 void *cpu, phys_addr_t phys)
{
	struct dmastress_seg *seg;
	int ret;

	if (op->nsegs == op->max_segs) {
		if (op->nsegs >= DMASTRESS_MAX_OP_SEGS)
			return -E2BIG;
		/* double the array, 16 at first */
		ret = dmastress_op_reserve_segs(op, min_t(unsigned int,
							  max(16U, op->max_segs),
							  DMASTRESS_MAX_OP_SEGS - op->nsegs));
		if (ret)
			return ret;
	}
	seg = &op->segs[op->nsegs++];
	seg->dma = dma;
	seg->len = len;
	seg->cpu = cpu;
	seg->phys = phys;
	return 0;
}

/**
 * dmastress_op_reserve_segs() - make room for @n more segments of an op
 * @op: the op
 * @n: segments
 *
 * A path that knows its segment count calls it before setup() (timed), so
 * that dmastress_op_add_seg() does not grow the array there; the run core
 * owns and frees @op->segs (kvfree). Process context, may sleep.
 *
 * Return: 0, -E2BIG when the op would pass DMASTRESS_MAX_OP_SEGS segments,
 * or -ENOMEM.
 */
int dmastress_op_reserve_segs(struct dmastress_op *op, unsigned int n)
{
	struct dmastress_seg *segs;
	unsigned int cap;

	if (op->max_segs - op->nsegs >= n)
		return 0;
	if (n > DMASTRESS_MAX_OP_SEGS - op->nsegs)
		return -E2BIG;
	cap = op->nsegs + n;
	segs = kvmalloc_array(cap, sizeof(*segs), DMASTRESS_GFP);
	if (!segs)
		return -ENOMEM;
	if (op->nsegs)
		memcpy(segs, op->segs, op->nsegs * sizeof(*segs));
	kvfree(op->segs);
	op->segs = segs;
	op->max_segs = cap;
	return 0;
}

/**
 * dmastress_op_add_guard() - register a guard region of an op
 * @op: the op
 * @start: first guard byte (CPU memory the path owns, outside the payload)
 * @len: bytes
 *
 * The run core fills the region right after the path's prepare (regions
 * added there) or setup (regions added there) and checks it before
 * teardown. Regions past ARRAY_SIZE(@op->guards) are not guarded. Any
 * context.
 */
void dmastress_op_add_guard(struct dmastress_op *op, void *start, size_t len)
{
	if (!len || op->nguards >= ARRAY_SIZE(op->guards))
		return;
	op->guards[op->nguards].start = start;
	op->guards[op->nguards].len = len;
	op->nguards++;
}

/**
 * dmastress_op_add_sgtable() - describe a mapped sg_table as op segments
 * @op: the op; @op->vaddr is the CPU view of byte @skip of the DMA stream
 * @sgt: the mapped table (@sgt->nents DMA segments)
 * @skip: bytes of the DMA stream before the payload (guards)
 * @len: payload bytes
 *
 * Adds one segment per DMA segment (or part of one) inside [@skip,
 * @skip + @len) of the concatenated DMA segments, with the CPU address of
 * the same stream offset in @op->vaddr. Process context.
 *
 * Return: 0, -ENOMEM, or -EIO when the DMA segments are shorter than
 * @skip + @len.
 */
int dmastress_op_add_sgtable(struct dmastress_op *op, struct sg_table *sgt,
			     size_t skip, size_t len)
{
	struct scatterlist *sg;
	size_t pos = 0, done = 0;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		size_t l = sg_dma_len(sg), in = 0;
		int ret;

		if (pos + l <= skip) {
			pos += l;
			continue;
		}
		if (pos < skip)
			in = skip - pos;
		l = min(l - in, len - done);
		ret = dmastress_op_add_seg(op, sg_dma_address(sg) + in, l,
					   op->vaddr + done, 0);
		if (ret)
			return -ENOMEM;
		pos += in + l;
		done += l;
		if (done == len)
			return 0;
	}
	return -EIO;
}

static u32 dmastress_op_seed(u32 seed, unsigned int thread, u64 iter)
{
	return dmastress_pattern_word(seed ^ (thread * 0x9e3779b1U), iter);
}

/**
 * dmastress_op_reset() - make a slot's op ready for its next use
 * @t: the thread
 * @s: the slot; @s->params and @s->path are the op's
 *
 * Keeps the op's segment array, and with DMASTRESS_RUN_REUSE what prepare()
 * allocated (the CPU buffer and its guards), which the next op maps again.
 * Draws the op's random state from @t. Any context.
 */
void dmastress_op_reset(struct dmastress_thread *t, struct dmastress_slot *s)
{
	struct dmastress_op *op = &s->op;
	struct dmastress_seg *segs = op->segs;
	unsigned int max_segs = op->max_segs;

	if ((s->params.flags & DMASTRESS_RUN_REUSE) && s->path->prepare &&
	    op->priv) {
		op->nsegs = 0;
		op->seg_violations = 0;
		op->mismatches = 0;
		op->stale_mappings = 0;
		op->result_flags = 0;
		op->rng = prandom_u32_state(&t->rnd);
		return;
	}
	memset(op, 0, sizeof(*op));
	op->segs = segs;
	op->max_segs = max_segs;
	op->dd = t->ctx->dd;
	op->params = &s->params;
	op->dir = s->params.dir;
	op->len = s->params.len_bytes;
	op->rng = prandom_u32_state(&t->rnd);
}

static void dmastress_log(struct dmastress_thread *t, struct dmastress_slot *s,
			  const char *what, const struct dmastress_verify *v)
{
	struct dmastress_ctx *ctx = t->ctx;

	if (atomic_inc_return(&ctx->logged) > DMASTRESS_MAX_LOGGED)
		return;
	dev_err_ratelimited(ctx->dd->dev,
			    "%s %s %zu bytes: %llu %s, first at offset %llu: expected %#04x, got %#04x\n",
			    dmastress_path_name(s->path->id),
			    dmastress_dir_name(s->op.dir),
			    s->op.len, v->mismatches, what, v->first_offset,
			    v->first_expected, v->first_actual);
}

static void dmastress_note_mismatches(struct dmastress_thread *t,
				      struct dmastress_slot *s,
				      const struct dmastress_verify *v)
{
	struct dmastress_run_result *r = &t->res;

	if (!v->mismatches)
		return;
	if (!r->mismatches) {
		r->first_mismatch_offset = v->first_offset;
		r->first_expected = v->first_expected;
		r->first_actual = v->first_actual;
	}
	r->mismatches += v->mismatches;
	dmastress_log(t, s, "bytes differ", v);
}

/*
 * Fill the CPU view of an op: the pattern, or zeros with @zero (never a
 * pattern byte). Returns false when the op has no CPU view yet.
 */
static bool dmastress_cpu_fill(struct dmastress_op *op, u32 seed, bool zero)
{
	size_t off = 0;
	unsigned int i;

	if (op->vaddr) {
		if (zero)
			memset(op->vaddr, 0, op->len);
		else
			dmastress_pattern_fill(op->vaddr, op->len, seed, 0);
		return true;
	}
	if (!op->nsegs)
		return false;
	for (i = 0; i < op->nsegs; i++)
		if (!op->segs[i].cpu)
			return false;
	for (i = 0; i < op->nsegs; i++) {
		struct dmastress_seg *seg = &op->segs[i];

		if (zero)
			memset(seg->cpu, 0, seg->len);
		else
			dmastress_pattern_fill(seg->cpu, seg->len, seed, off);
		off += seg->len;
	}
	return true;
}

/* Compare the CPU view of an op with pattern(@seed); false: no CPU view. */
static bool dmastress_cpu_check(struct dmastress_op *op, u32 seed,
				struct dmastress_verify *v)
{
	size_t off = 0;
	unsigned int i;

	if (op->vaddr) {
		dmastress_pattern_check(op->vaddr, op->len, seed, 0, v);
		return true;
	}
	for (i = 0; i < op->nsegs; i++)
		if (!op->segs[i].cpu)
			return false;
	for (i = 0; i < op->nsegs; i++) {
		struct dmastress_seg *seg = &op->segs[i];

		dmastress_pattern_check(seg->cpu, seg->len, seed, off, v);
		off += seg->len;
	}
	return true;
}

static void dmastress_guards_fill(struct dmastress_op *op, unsigned int from)
{
	unsigned int i;

	for (i = from; i < op->nguards; i++)
		dmastress_guard_fill(op->guards[i].start, op->guards[i].len);
}

static void dmastress_guards_check(struct dmastress_thread *t,
				   struct dmastress_slot *s)
{
	struct dmastress_op *op = &s->op;
	unsigned int i;

	for (i = 0; i < op->nguards; i++) {
		u64 bad = dmastress_guard_check(op->guards[i].start,
						op->guards[i].len);

		if (!bad)
			continue;
		t->res.guard_errors += bad;
		if (atomic_inc_return(&t->ctx->logged) <= DMASTRESS_MAX_LOGGED)
			dev_err_ratelimited(t->ctx->dd->dev,
					    "%s %s %zu bytes: %llu of %zu guard bytes changed (guard %u)\n",
					    dmastress_path_name(s->path->id),
					    dmastress_dir_name(op->dir), op->len,
					    bad, op->guards[i].len, i);
	}
}

/* The mask a path's DMA addresses must honour (&struct dmastress_path.mask). */
static u64 dmastress_path_mask(struct device *dev,
			       const struct dmastress_path *path)
{
	switch (path->mask) {
	case DMASTRESS_MASK_COHERENT:
		return dev->coherent_dma_mask;
	case DMASTRESS_MASK_EITHER:
		return max_t(u64, dev->coherent_dma_mask, dma_get_mask(dev));
	default:
		return dma_get_mask(dev);
	}
}

/*
 * Check what the path handed out: segments cover exactly the payload
 * (else -EIO: a path bug, the engine would overrun the device buffer),
 * addresses within the run's mask, sg segments within the device's max
 * segment size and boundary.
 */
static int dmastress_check_segs(struct dmastress_thread *t,
				struct dmastress_slot *s)
{
	struct device *dev = t->ctx->dd->dev;
	struct dmastress_op *op = &s->op;
	bool sg = s->path->sg_limits;
	u64 mask = dmastress_path_mask(dev, s->path);
	unsigned long boundary = dma_get_seg_boundary(dev);
	unsigned int max_seg = dma_get_max_seg_size(dev);
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < op->nsegs; i++) {
		const struct dmastress_seg *seg = &op->segs[i];
		dma_addr_t end = seg->dma + seg->len - 1;

		if (!seg->len || seg->len > op->len - total)
			break;
		total += seg->len;
		if (end < seg->dma || end > mask)
			t->res.mask_violations++;
		if (sg && (seg->len > max_seg || ((seg->dma ^ end) & ~boundary)))
			t->res.seg_violations++;
	}
	if (i < op->nsegs || total != op->len) {
		dev_err_ratelimited(dev, "path %s: %u segments do not cover %zu bytes\n",
				    dmastress_path_name(s->path->id), op->nsegs,
				    op->len);
		return -EIO;
	}
	t->res.nents_mapped = op->nsegs;
	t->res.nents_cpu = op->nents_cpu;
	t->res.sample_dma_addr = op->segs[0].dma;
	t->res.sample_phys_addr = op->segs[0].phys;
	return 0;
}

/*
 * Engine transfer over all segments of an op: *@ns gets the transfer's
 * ns, *@cmd_ns the ns of its data commands (see DMASTRESS_PHASE_CMD).
 */
static int dmastress_xfer_segs(struct dmastress_thread *t,
			       struct dmastress_op *op, void *devbuf,
			       enum dmastress_xfer_dir dir, u64 *ns,
			       u64 *cmd_ns)
{
	struct dmastress_ctx *ctx = t->ctx;
	u64 t0 = ktime_get_ns();
	int ret;

	ret = dmastress_engine_xfer_segs(ctx->dd, ctx->eng, op->segs,
					 op->nsegs, devbuf, op->len, dir,
					 cmd_ns);
	*ns += ktime_get_ns() - t0;
	return ret;
}

/**
 * dmastress_count_error() - count a failed allocation or mapping
 * @t: the thread whose result counts it
 * @err: the error: -ENOMEM counts as alloc_errors
 * @mapping: another error of a mapping call counts as map_errors
 *
 * Any context.
 */
void dmastress_count_error(struct dmastress_thread *t, int err, bool mapping)
{
	if (err == -ENOMEM)
		t->res.alloc_errors++;
	else if (mapping)
		t->res.map_errors++;
}

/*
 * Where the negative control aims: DMASTRESS_OOB_GAP past the mapping's
 * end @end, or under a paging domain the first further multiple of the gap
 * at which the domain maps none of the @n bytes. Other live mappings can
 * sit right above an op's: the edu engine's staging buffer, mapped first
 * at the top of the IOVA space, and the IOVAs the rcache hands out again
 * anywhere below it; a read that lands in one sees no fault, and the
 * control would fail for a reason that is not the engine's.
 * After DMASTRESS_OOB_TRIES mapped candidates the last is returned: the
 * control then fails, as it should when nothing is left unmapped.
 */
static dma_addr_t dmastress_oob_target(struct device *dev, dma_addr_t end,
				       size_t n)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	dma_addr_t dma = end + DMASTRESS_OOB_GAP;
	unsigned int i;

	if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING))
		return dma;
	for (i = 1; i < DMASTRESS_OOB_TRIES; i++, dma += DMASTRESS_OOB_GAP) {
		if (!iommu_iova_to_phys(domain, dma) &&
		    !iommu_iova_to_phys(domain, dma + n - 1))
			break;
	}
	return dma;
}

/*
 * The negative control: aim the engine past the mapping, read only. A
 * fault is the expected outcome and is counted, not an error.
 */
static int dmastress_oob_read(struct dmastress_thread *t,
			      struct dmastress_slot *s, u64 *ns)
{
	struct dmastress_ctx *ctx = t->ctx;
	struct dmastress_op *op = &s->op;
	size_t n = min_t(size_t, op->len, PAGE_SIZE);
	dma_addr_t dma = dmastress_oob_target(ctx->dd->dev,
					      op->segs[0].dma + op->segs[0].len,
					      n);
	u64 t0 = ktime_get_ns();
	int ret;

	ret = dmastress_engine_xfer(ctx->dd, ctx->eng, dma, t->devbuf, n,
				    DMASTRESS_MEM_TO_DEV);
	*ns += ktime_get_ns() - t0;
	if (ret == -EFAULT) {
		t->res.device_faults++;
		return 0;
	}
	return ret;
}

/*
 * The negative control with a device engine (edu, nvme): the device reads
 * (TO_DEVICE, BIDIRECTIONAL) and writes (FROM_DEVICE, BIDIRECTIONAL) up
 * to a page at the thread's canary, whose physical address no mapping of
 * the device covers (see dmastress_canary_alloc()). A read landed when it
 * brought back the canary's bytes, a write when it changed them (it writes
 * their complement, so every byte it reaches changes): bytes in
 * res.oob_landed. Under translation the IOMMU blocks both: the device may
 * see an error (counted in device_faults, not a failure) or data that is
 * not the canary's.
 */
static int dmastress_oob_device(struct dmastress_thread *t,
				struct dmastress_slot *s, u64 *ns)
{
	struct dmastress_ctx *ctx = t->ctx;
	size_t n = min_t(size_t, s->op.len, PAGE_SIZE);
	u32 seed = s->seed ^ 0xca9a4;
	u8 *canary = page_address(t->canary);
	struct dmastress_verify v = {};
	u64 t0 = ktime_get_ns();
	int ret = 0;
	size_t i;

	dmastress_pattern_fill(canary, PAGE_SIZE, seed, 0);
	t->res.sample_dma_addr = t->canary_dma;
	t->res.sample_phys_addr = page_to_phys(t->canary);
	if (s->op.dir != DMA_FROM_DEVICE) {
		memset(t->devbuf, 0, n);
		ret = dmastress_engine_xfer(ctx->dd, ctx->eng, t->canary_dma,
					    t->devbuf, n, DMASTRESS_MEM_TO_DEV);
		if (!ret && !memcmp(t->devbuf, canary, n))
			t->res.oob_landed += n;
	}
	if (!ret && s->op.dir != DMA_TO_DEVICE) {
		for (i = 0; i < n; i++)
			((u8 *)t->devbuf)[i] = ~canary[i];
		ret = dmastress_engine_xfer(ctx->dd, ctx->eng, t->canary_dma,
					    t->devbuf, n, DMASTRESS_DEV_TO_MEM);
		dmastress_pattern_check(canary, n, seed, 0, &v);
		t->res.oob_landed += v.mismatches;
	}
	*ns += ktime_get_ns() - t0;
	if (ret && ret != -EINTR) {
		t->res.device_faults++;
		return 0;
	}
	return ret;
}

/*
 * The negative control of the IOMMU's permission bits: the device writes
 * the complement of the pattern into a DMA_TO_DEVICE mapping (what landed
 * is counted after the unmap, dmastress_op_end()), or reads a
 * DMA_FROM_DEVICE mapping that holds the pattern and compares what it
 * got. An engine error is the IOMMU or the device refusing: counted in
 * device_faults, not a failure.
 */
static int dmastress_wrong_dir(struct dmastress_thread *t,
			       struct dmastress_slot *s, u64 *ns)
{
	struct dmastress_op *op = &s->op;
	struct dmastress_verify v = {};
	u64 cmd_ns = 0;
	u8 *b = t->devbuf;
	size_t i;
	int ret;

	if (op->dir == DMA_TO_DEVICE) {
		dmastress_pattern_fill(b, op->len, s->seed, 0);
		for (i = 0; i < op->len; i++)
			b[i] = ~b[i];
		ret = dmastress_xfer_segs(t, op, b, DMASTRESS_DEV_TO_MEM, ns,
					  &cmd_ns);
	} else {
		memset(b, 0, op->len);
		ret = dmastress_xfer_segs(t, op, b, DMASTRESS_MEM_TO_DEV, ns,
					  &cmd_ns);
		dmastress_pattern_check(b, op->len, s->seed, 0, &v);
		if (!ret && !v.mismatches)
			t->res.perm_landed += op->len;
	}
	if (ret && ret != -EINTR) {
		t->res.device_faults++;
		return 0;
	}
	return ret;
}

/*
 * The device's part of an op. TO_DEVICE: read the mapping and check what
 * arrived. FROM_DEVICE: write the pattern into the mapping. BIDIRECTIONAL:
 * read and check, then write pattern(seed + 1) back.
 */
static int dmastress_op_device(struct dmastress_thread *t,
			       struct dmastress_slot *s, bool verify,
			       u64 *excl)
{
	struct dmastress_op *op = &s->op;
	struct dmastress_verify v = {};
	u64 xfer_ns = 0, cmd_ns = 0, t0;
	int ret;

	/* As dma_map_benchmark with dma_trans_ns 0: the device does nothing. */
	if (s->params.flags & DMASTRESS_RUN_NO_XFER)
		return 0;
	if (s->params.flags & DMASTRESS_RUN_WRONG_DIR) {
		ret = dmastress_wrong_dir(t, s, &xfer_ns);
		goto out;
	}
	if (s->oob) {
		if (t->canary)
			ret = dmastress_oob_device(t, s, &xfer_ns);
		else
			ret = dmastress_oob_read(t, s, &xfer_ns);
		goto out;
	}
	if (op->dir != DMA_FROM_DEVICE) {
		ret = dmastress_xfer_segs(t, op, t->devbuf,
					  DMASTRESS_MEM_TO_DEV, &xfer_ns, &cmd_ns);
		if (ret)
			goto out;
		t0 = ktime_get_ns();
		if (verify) {
			dmastress_pattern_check(t->devbuf, op->len, s->seed, 0,
						&v);
			dmastress_note_mismatches(t, s, &v);
			if (op->dir == DMA_BIDIRECTIONAL)
				dmastress_pattern_fill(t->devbuf, op->len,
						       s->seed + 1, 0);
		}
		*excl += ktime_get_ns() - t0;
		if (op->dir == DMA_TO_DEVICE)
			goto out;
	} else if (verify) {
		t0 = ktime_get_ns();
		dmastress_pattern_fill(t->devbuf, op->len, s->seed, 0);
		*excl += ktime_get_ns() - t0;
	}
	ret = dmastress_xfer_segs(t, op, t->devbuf, DMASTRESS_DEV_TO_MEM,
				  &xfer_ns, &cmd_ns);
out:
	if (ret && ret != -EINTR)
		t->res.device_faults++;
	if (!ret) {
		dmastress_hist_add(&t->hists[DMASTRESS_PHASE_XFER], xfer_ns);
		if (!s->oob)
			dmastress_hist_add(&t->hists[DMASTRESS_PHASE_CMD],
					   cmd_ns);
	}
	return ret;
}

/* Undo an op untimed: teardown, then free what prepare allocated. */
static void dmastress_op_undo(const struct dmastress_path *path,
			      struct dmastress_op *op)
{
	path->teardown(op);
	if (path->release)
		path->release(op);
}

/*
 * Set the op up, timed: the path's bracketed DMA API calls when it brackets
 * them, else the whole callback, in *@ns. On error the error is counted,
 * the op undone and the error returned.
 */
static int dmastress_op_setup_timed(struct dmastress_thread *t,
				    const struct dmastress_path *path,
				    struct dmastress_op *op, u64 *ns)
{
	u64 t0, t1;
	int ret;

	op->call_ns = 0;
	op->call_timed = false;
	t0 = ktime_get_ns();
	ret = path->setup(op);
	t1 = ktime_get_ns();
	if (ret) {
		dmastress_count_error(t, ret, true);
		dmastress_op_undo(path, op);
		return ret;
	}
	*ns = op->call_timed ? op->call_ns : t1 - t0;
	return 0;
}

/* Tear the op down, timed as dmastress_op_setup_timed(); returns ns. */
static u64 dmastress_op_teardown_timed(const struct dmastress_path *path,
				       struct dmastress_op *op)
{
	u64 t0, t1;

	op->call_ns = 0;
	op->call_timed = false;
	t0 = ktime_get_ns();
	path->teardown(op);
	t1 = ktime_get_ns();
	return op->call_timed ? op->call_ns : t1 - t0;
}

/**
 * dmastress_op_begin() - first half of an op: prepare to the transfer
 * @t: the thread
 * @s: the slot, reset with dmastress_op_reset()
 *
 * Times MAP, SYNC_FOR_DEVICE and XFER into @t's histograms (ns) and counts
 * what the path and the segment checks found. Process context, sleeps.
 *
 * Return: 0 with @s active, or the error (-ENOMEM, -EIO, the engine's
 * -EFAULT/-ETIMEDOUT, -EINTR), counted already, with the op torn down and
 * released.
 */
int dmastress_op_begin(struct dmastress_thread *t, struct dmastress_slot *s)
{
	const struct dmastress_path *path = s->path;
	struct dmastress_op *op = &s->op;
	bool verify = !(s->params.flags & DMASTRESS_RUN_NO_VERIFY);
	/* the wrong-direction control reads a FROM_DEVICE buffer's pattern */
	bool zero = op->dir == DMA_FROM_DEVICE &&
		    !(s->params.flags & DMASTRESS_RUN_WRONG_DIR);
	unsigned int nguards = 0;
	bool filled = !verify;
	u64 start, excl = 0, t0, map_ns;
	int ret;

	s->seed = dmastress_op_seed(t->ctx->p->seed, t->index, t->iter);
	s->e2e_ns = 0;
	start = ktime_get_ns();
	if (path->prepare) {
		/* with DMASTRESS_RUN_REUSE only the first op prepares */
		ret = 0;
		if (!op->priv)
			ret = path->prepare(op);
		if (ret) {
			dmastress_count_error(t, ret, false);
			return ret;
		}
		t0 = ktime_get_ns();
		dmastress_guards_fill(op, 0);
		nguards = op->nguards;
		if (!filled)
			filled = dmastress_cpu_fill(op, s->seed, zero);
		excl += ktime_get_ns() - t0;
	}

	ret = dmastress_op_setup_timed(t, path, op, &map_ns);
	if (ret)
		return ret;
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_MAP], map_ns);
	if (path->describe) {
		t0 = ktime_get_ns();
		ret = path->describe(op);
		excl += ktime_get_ns() - t0;
		if (ret) {
			dmastress_count_error(t, ret, false);
			dmastress_op_undo(path, op);
			return ret;
		}
	}
	/* what the path's setup found wrong by itself (pool, coherent, sg) */
	t->res.seg_violations += op->seg_violations;
	t->res.mismatches += op->mismatches;
	t->res.path_flags |= op->result_flags;

	t0 = ktime_get_ns();
	dmastress_guards_fill(op, nguards);
	ret = dmastress_check_segs(t, s);
	if (!ret && !filled)
		dmastress_cpu_fill(op, s->seed, zero);
	excl += ktime_get_ns() - t0;
	if (ret)
		goto err;

	if (path->sync_for_device) {
		t0 = ktime_get_ns();
		path->sync_for_device(op);
		dmastress_hist_add(&t->hists[DMASTRESS_PHASE_SYNC_FOR_DEVICE],
				   ktime_get_ns() - t0);
	}

	ret = dmastress_op_device(t, s, verify, &excl);
	if (ret)
		goto err;
	s->e2e_ns = ktime_get_ns() - start - excl;
	s->active = true;
	return 0;
err:
	dmastress_op_undo(path, op);
	return ret;
}

/*
 * DMASTRESS_RUN_STALE_XFER: stale_delay_us after the unmap, the device reads
 * up to a page at the old DMA address of the first segment @seg (its CPU
 * buffer is still the op's: the path frees it in release) and compares it
 * with the buffer. The device touched the mapping moments before (the op's
 * own transfer), so an IOMMU that caches translations holds this one until
 * it is invalidated: at once under DMA (strict), when the flush queue runs
 * under DMA-FQ (lazy). A read that got the buffer's bytes counts in
 * stale_reached; an engine error is the IOMMU refusing, not a failure.
 * Only a read: the old IOVA may map another buffer by now.
 */
static void dmastress_stale_read(struct dmastress_thread *t,
				 struct dmastress_slot *s,
				 const struct dmastress_seg *seg)
{
	struct dmastress_ctx *ctx = t->ctx;
	size_t n = min_t(size_t, seg->len, PAGE_SIZE);
	const void *cpu = seg->cpu ? seg->cpu : s->op.vaddr;

	if (!cpu || !n)
		return;
	if (s->params.stale_delay_us)
		fsleep(s->params.stale_delay_us);
	memset(t->devbuf, 0, n);
	if (!dmastress_engine_xfer(ctx->dd, ctx->eng, seg->dma, t->devbuf, n,
				   DMASTRESS_MEM_TO_DEV) &&
	    !memcmp(t->devbuf, cpu, n))
		t->res.stale_reached++;
}

/* Largest block order DMASTRESS_RUN_STALE_WRITE asks back for. */
#define DMASTRESS_STALE_MAX_ORDER	PAGE_ALLOC_COSTLY_ORDER
/* What the device writes into the reused page: never a fill's zeros. */
#define DMASTRESS_STALE_BYTE		0xd5

/*
 * DMASTRESS_RUN_STALE_WRITE, after release() freed the op's memory: the
 * consequence of a device write after the unmap. The page behind the old
 * DMA address of the first segment @seg went back to the page allocator;
 * ask it for a block of each order up to DMASTRESS_STALE_MAX_ORDER on this
 * CPU (its per-CPU lists hand the block just freed out first) and keep the
 * one holding that page, zeroed as a new owner gets it. Only then, owning
 * the page again, the device writes DMASTRESS_STALE_BYTE to the old DMA
 * address, stale_delay_us after the unmap, at most to the page's end;
 * stale_reused counts those attempts, stale_reached the writes that
 * changed the page (under DMA-FQ while the IOTLB still held the entry,
 * under DMA never, without translation always). A bounced mapping's old
 * address is a swiotlb slot, not the page: no write. One thread, so no
 * other mapping of the device can take the old IOVA meanwhile.
 */
static void dmastress_stale_write(struct dmastress_thread *t,
				  struct dmastress_slot *s,
				  const struct dmastress_seg *seg)
{
	struct dmastress_ctx *ctx = t->ctx;
	struct device *dev = ctx->dd->dev;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	unsigned long pfn = PHYS_PFN(seg->phys);
	size_t off = offset_in_page(seg->phys);
	size_t n = min_t(size_t, seg->len, PAGE_SIZE - off);
	struct page *page = NULL, *p;
	unsigned int order;
	u8 *va;

	if (!seg->phys || !n)
		return;
	if ((!domain || !(domain->type & __IOMMU_DOMAIN_PAGING)) &&
	    seg->dma != phys_to_dma(dev, seg->phys))
		return;
	for (order = 0; order <= DMASTRESS_STALE_MAX_ORDER && !page; order++) {
		p = alloc_pages(DMASTRESS_GFP, order);
		if (!p)
			continue;
		if (page_to_pfn(p) <= pfn && pfn < page_to_pfn(p) + (1UL << order))
			page = p;
		else
			__free_pages(p, order);
	}
	if (!page)
		return;
	order--;
	va = page_address(page) + ((pfn - page_to_pfn(page)) << PAGE_SHIFT);
	memset(va, 0, PAGE_SIZE);
	t->res.stale_reused++;
	if (s->params.stale_delay_us)
		fsleep(s->params.stale_delay_us);
	memset(t->devbuf, DMASTRESS_STALE_BYTE, n);
	if (!dmastress_engine_xfer(ctx->dd, ctx->eng, seg->dma, t->devbuf, n,
				   DMASTRESS_DEV_TO_MEM) &&
	    memchr_inv(va + off, 0, n))
		t->res.stale_reached++;
	__free_pages(page, order);
}

/**
 * dmastress_op_end() - second half of an op: sync for the CPU to release
 * @t: the thread
 * @s: a slot dmastress_op_begin() made active
 *
 * Times SYNC_FOR_CPU, UNMAP and E2E (ns), verifies the CPU view and the
 * guards and counts the op and its bytes. Process context, sleeps.
 */
void dmastress_op_end(struct dmastress_thread *t, struct dmastress_slot *s)
{
	const struct dmastress_path *path = s->path;
	struct dmastress_op *op = &s->op;
	bool verify = !(s->params.flags & DMASTRESS_RUN_NO_VERIFY);
	struct dmastress_verify v = {};
	struct dmastress_seg stale = {};
	u64 start, excl, t0;

	start = ktime_get_ns();
	if (path->sync_for_cpu &&
	    !(s->params.flags & DMASTRESS_RUN_SKIP_SYNC_FOR_CPU)) {
		path->sync_for_cpu(op);
		dmastress_hist_add(&t->hists[DMASTRESS_PHASE_SYNC_FOR_CPU],
				   ktime_get_ns() - start);
	}

	t0 = ktime_get_ns();
	if (verify) {
		if (s->params.flags & DMASTRESS_RUN_WRONG_DIR) {
			/* the device's write, where it took effect */
			if (dmastress_cpu_check(op, s->seed, &v)) {
				if (op->dir == DMA_TO_DEVICE)
					t->res.perm_landed += v.mismatches;
				else if (v.mismatches)
					t->res.src_errors += v.mismatches;
			}
		} else if (op->dir == DMA_TO_DEVICE ||
		    (s->oob && op->dir == DMA_BIDIRECTIONAL)) {
			/* the source must be untouched */
			if (dmastress_cpu_check(op, s->seed, &v) &&
			    v.mismatches) {
				t->res.src_errors += v.mismatches;
				dmastress_log(t, s, "source bytes changed", &v);
			}
		} else if (!s->oob) {
			u32 seed = s->seed + (op->dir == DMA_BIDIRECTIONAL);

			if (dmastress_cpu_check(op, seed, &v))
				dmastress_note_mismatches(t, s, &v);
		}
		dmastress_guards_check(t, s);
	}
	excl = ktime_get_ns() - t0;

	if (s->params.flags & DMASTRESS_RUN_STALE_XFER)
		stale = op->segs[0];
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_UNMAP],
			   dmastress_op_teardown_timed(path, op));
	t->res.stale_mappings += op->stale_mappings;
	op->stale_mappings = 0;
	if ((s->params.flags & DMASTRESS_RUN_STALE_XFER) &&
	    !(s->params.flags & DMASTRESS_RUN_STALE_WRITE)) {
		t0 = ktime_get_ns();
		dmastress_stale_read(t, s, &stale);
		excl += ktime_get_ns() - t0;
	}
	/* like prepare: no phase of its own, part of E2E */
	if (path->release && !(s->params.flags & DMASTRESS_RUN_REUSE))
		path->release(op);
	if (s->params.flags & DMASTRESS_RUN_STALE_WRITE) {
		t0 = ktime_get_ns();
		dmastress_stale_write(t, s, &stale);
		excl += ktime_get_ns() - t0;
	}

	s->e2e_ns += ktime_get_ns() - start - excl;
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_E2E], s->e2e_ns);
	s->active = false;
	t->res.ops++;
	t->res.bytes += op->len;
}

/**
 * dmastress_op_bare() - one op of dma_map_benchmark's loop
 * @t: the thread
 * @s: the slot, reset with dmastress_op_reset()
 *
 * DMASTRESS_RUN_NO_XFER: dma_map_benchmark's loop. Map, unmap, nothing
 * between them (no segment description or check, no sync, no transfer),
 * so that MAP and UNMAP run in the same context as the kernel tool's: under
 * TCG the work between them made a strict 4 KiB map ~900 ns (~25%) slower
 * than the kernel tool's in the same boot (likely TCG's software TLB,
 * refilled). E2E is map plus unmap. prepare and release, when the path has
 * them, are untimed. Process context, sleeps.
 *
 * Return: 0, or the counted error of prepare or setup (-ENOMEM, -EIO).
 */
int dmastress_op_bare(struct dmastress_thread *t, struct dmastress_slot *s)
{
	const struct dmastress_path *path = s->path;
	struct dmastress_op *op = &s->op;
	u64 map_ns, unmap_ns;
	int ret;

	if (path->prepare && !op->priv) {
		ret = path->prepare(op);
		if (ret) {
			dmastress_count_error(t, ret, false);
			return ret;
		}
	}
	ret = dmastress_op_setup_timed(t, path, op, &map_ns);
	if (ret)
		return ret;
	unmap_ns = dmastress_op_teardown_timed(path, op);
	if (path->release && !(s->params.flags & DMASTRESS_RUN_REUSE))
		path->release(op);
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_MAP], map_ns);
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_UNMAP], unmap_ns);
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_E2E], map_ns + unmap_ns);
	t->res.seg_violations += op->seg_violations;
	t->res.mismatches += op->mismatches;
	t->res.stale_mappings += op->stale_mappings;
	t->res.path_flags |= op->result_flags;
	t->res.ops++;
	t->res.bytes += op->len;
	return 0;
}
