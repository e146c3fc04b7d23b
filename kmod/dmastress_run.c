// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_run.c - the run core: threads drive a path with an engine
 *
 * One operation (op) of a path, in order:
 *   prepare (streaming paths: CPU memory) -> fill the pattern for
 *   TO_DEVICE/BIDIRECTIONAL, or zeros for FROM_DEVICE -> setup (MAP) ->
 *   fill now if the path had no CPU view before mapping -> guards ->
 *   check every DMA segment against the mask, max segment size and
 *   boundary -> sync_for_device -> XFER (the engine reads the mapping into
 *   a device-side buffer and/or writes it back) -> sync_for_cpu -> verify
 *   the CPU view and the guards -> teardown (UNMAP: the DMA API's unmap,
 *   or free for the allocating paths) -> release (streaming paths: free
 *   the CPU memory, not a phase of its own).
 * E2E is the whole op without the pattern fills and checks. Every op gets
 * its own seed (run seed, thread, op number), so a stale buffer from an
 * earlier op does not pass.
 *
 * Threads are kthreads bound to CPUs round robin; each keeps its own
 * counters and histograms, merged when all have finished. A stress run
 * keeps up to @live ops of a random mix of paths, directions, sizes and
 * offsets alive per thread; the ops' two halves (up to XFER, then from
 * sync_for_cpu) interleave.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/dma-direct.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#include "dmastress.h"

/* Per-op nents drawn by stress when the run gives none. */
#define DMASTRESS_STRESS_NENTS	64
/* Distance past a mapping at which DMASTRESS_RUN_OOB_XFER aims, bytes. */
#define DMASTRESS_OOB_GAP	(16 * PAGE_SIZE)
/* Gaps DMASTRESS_RUN_OOB_XFER tries for an address nothing maps. */
#define DMASTRESS_OOB_TRIES	64

/* One run, shared read-mostly by its threads. */
struct dmastress_ctx {
	struct dmastress_dev *dd;
	const struct dmastress_run_params *p;
	const struct dmastress_engine *eng;
	u64 deadline_ns;
	u32 stress_paths;
	bool abort;
	atomic_t running;
	atomic_t logged;
	struct completion done;
};

/* One op in flight and what the core knows about it. */
struct dmastress_slot {
	struct dmastress_op op;
	struct dmastress_run_params params;
	const struct dmastress_path *path;
	u32 seed;
	u64 e2e_ns;
	bool active;
	bool oob;
};

struct dmastress_thread {
	struct dmastress_ctx *ctx;
	struct task_struct *task;
	unsigned int index;
	int status;
	bool stop;
	u64 iter;
	struct rnd_state rnd;
	void *devbuf;		/* in @devbuf_mem, see dmastress_devbuf_alloc() */
	void *devbuf_mem;
	struct dmastress_slot *slots;
	unsigned int nslots;
	struct dmastress_run_result res;
	struct dmastress_path_counts *counts;	/* stress: per path */
	struct dmastress_hist hists[DMASTRESS_NR_HISTS];
};

static const char *const dmastress_dir_names[] = {
	[DMA_BIDIRECTIONAL] = "bidirectional",
	[DMA_TO_DEVICE] = "to_device",
	[DMA_FROM_DEVICE] = "from_device",
};

static bool dmastress_mask_bits_ok(u32 bits)
{
	return !bits || (bits >= DMASTRESS_MIN_MASK_BITS &&
			 bits <= DMASTRESS_MAX_MASK_BITS);
}

/**
 * dmastress_validate_params() - range-check every field of a run
 * @p: the parameters
 *
 * Bounds: path, engine and dir in their enums; flags and attrs within their
 * *_ALL masks, attrs only for the coherent path or a stress mix; len_bytes
 * 1..DMASTRESS_MAX_LEN_BYTES; nents <= DMASTRESS_MAX_NENTS; offset_bytes <
 * PAGE_SIZE; masks 0 or 24..64 bits; threads 1..DMASTRESS_MAX_THREADS;
 * exactly one of seconds (<= DMASTRESS_MAX_SECONDS) and iterations (<=
 * DMASTRESS_MAX_ITERATIONS); batch <= DMASTRESS_MAX_BATCH and >= 1 with
 * DMASTRESS_RUN_BATCH; pool align and boundary 0 or powers of two, align <=
 * DMASTRESS_MAX_POOL_ALIGN (mm/dmapool.c rounds the block up to it: a 2 GiB
 * align made 2 GiB blocks, whose page set-up overflows its unsigned int
 * offset in 6.12); live <= DMASTRESS_MAX_LIVE and >= 1 with
 * DMASTRESS_RUN_STRESS; paths within the path ids; STRESS not combined with
 * BATCH or OOB_XFER; NO_XFER only with NO_VERIFY and without STRESS or
 * OOB_XFER; REUSE not with STRESS or BATCH; INLINE only with one thread;
 * threads x len_bytes x (batch, live or 1) <= DMASTRESS_MAX_RUN_BYTES;
 * reserved fields zero. Any context.
 *
 * Return: 0, or -EINVAL for the first field out of range.
 */
int dmastress_validate_params(const struct dmastress_run_params *p)
{
	bool stress = p->flags & DMASTRESS_RUN_STRESS;
	bool batch = p->flags & DMASTRESS_RUN_BATCH;
	u64 alive = 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p->reserved); i++)
		if (p->reserved[i])
			return -EINVAL;
	if (p->path >= DMASTRESS_NR_PATHS ||
	    p->engine >= DMASTRESS_NR_ENGINES ||
	    p->dir > DMASTRESS_DIR_FROM_DEVICE ||
	    (p->flags & ~DMASTRESS_RUN_FLAGS_ALL))
		return -EINVAL;
	if (!p->len_bytes || p->len_bytes > DMASTRESS_MAX_LEN_BYTES ||
	    p->nents > DMASTRESS_MAX_NENTS || p->offset_bytes >= PAGE_SIZE)
		return -EINVAL;
	if (!dmastress_mask_bits_ok(p->mask_bits) ||
	    !dmastress_mask_bits_ok(p->coherent_mask_bits))
		return -EINVAL;
	if (!p->threads || p->threads > DMASTRESS_MAX_THREADS ||
	    p->seconds > DMASTRESS_MAX_SECONDS ||
	    p->iterations > DMASTRESS_MAX_ITERATIONS ||
	    !p->seconds == !p->iterations)
		return -EINVAL;
	if (p->batch > DMASTRESS_MAX_BATCH || (batch && !p->batch))
		return -EINVAL;
	if ((p->attrs & ~DMASTRESS_ATTRS_ALL) ||
	    (p->attrs && p->path != DMASTRESS_PATH_COHERENT && !stress))
		return -EINVAL;
	if ((p->pool_align && !is_power_of_2(p->pool_align)) ||
	    p->pool_align > DMASTRESS_MAX_POOL_ALIGN ||
	    (p->pool_boundary && !is_power_of_2(p->pool_boundary)))
		return -EINVAL;
	if (p->live > DMASTRESS_MAX_LIVE || (stress && !p->live) ||
	    (p->paths & ~GENMASK(DMASTRESS_NR_PATHS - 1, 0)))
		return -EINVAL;
	if (stress && (p->flags & (DMASTRESS_RUN_BATCH | DMASTRESS_RUN_OOB_XFER)))
		return -EINVAL;
	if ((p->flags & DMASTRESS_RUN_NO_XFER) &&
	    (!(p->flags & DMASTRESS_RUN_NO_VERIFY) ||
	     (p->flags & (DMASTRESS_RUN_STRESS | DMASTRESS_RUN_OOB_XFER))))
		return -EINVAL;
	if ((p->flags & DMASTRESS_RUN_REUSE) && stress)
		return -EINVAL;
	if ((p->flags & DMASTRESS_RUN_INLINE) &&
	    (p->threads != 1 || (p->flags & DMASTRESS_RUN_UNBOUND)))
		return -EINVAL;
	if (batch && !(p->flags & DMASTRESS_RUN_REUSE))
		alive = p->batch;
	else if (stress)
		alive = p->live;
	if (p->threads * p->len_bytes * alive > DMASTRESS_MAX_RUN_BYTES)
		return -EINVAL;
	return 0;
}

static bool dmastress_path_coherent_family(u32 id)
{
	switch (id) {
	case DMASTRESS_PATH_COHERENT:
	case DMASTRESS_PATH_POOL:
	case DMASTRESS_PATH_PAGES:
	case DMASTRESS_PATH_NONCOHERENT:
	case DMASTRESS_PATH_NONCONTIG:
		return true;
	default:
		return false;
	}
}

static bool dmastress_path_is_sg(u32 id)
{
	return id == DMASTRESS_PATH_SG || id == DMASTRESS_PATH_SGTABLE;
}

static u32 dmastress_op_seed(u32 seed, unsigned int thread, u64 iter)
{
	return dmastress_pattern_word(seed ^ (thread * 0x9e3779b1U), iter);
}

/*
 * Reset an op for reuse, keeping its segment array, and with
 * DMASTRESS_RUN_REUSE what prepare() allocated (the CPU buffer and its
 * guards), which the next op maps again.
 */
static void dmastress_op_reset(struct dmastress_thread *t,
			       struct dmastress_slot *s)
{
	struct dmastress_op *op = &s->op;
	struct dmastress_seg *segs = op->segs;
	unsigned int max_segs = op->max_segs;

	if ((s->params.flags & DMASTRESS_RUN_REUSE) && s->path->prepare &&
	    op->priv) {
		op->nsegs = 0;
		op->seg_violations = 0;
		op->mismatches = 0;
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
			    s->path->name, dmastress_dir_names[s->op.dir],
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
					    s->path->name,
					    dmastress_dir_names[op->dir], op->len,
					    bad, op->guards[i].len, i);
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
	bool coherent = dmastress_path_coherent_family(s->path->id);
	bool sg = dmastress_path_is_sg(s->path->id);
	u64 mask = coherent ? dev->coherent_dma_mask : dma_get_mask(dev);
	unsigned long boundary = dma_get_seg_boundary(dev);
	unsigned int max_seg = dma_get_max_seg_size(dev);
	size_t total = 0;
	unsigned int i;

	/*
	 * dma_alloc_pages() and dma_alloc_noncoherent() promise memory "DMA
	 * addressable by the device" without naming a mask: dma-direct keeps
	 * to the coherent mask, iommu-dma maps with the streaming one (Linux
	 * 6.12; seen once a failed 32-bit IOVA allocation had turned off
	 * iommu-dma's 32-bit-first workaround). Either mask is accepted.
	 */
	if (s->path->id == DMASTRESS_PATH_PAGES ||
	    s->path->id == DMASTRESS_PATH_NONCOHERENT)
		mask = max_t(u64, mask, dma_get_mask(dev));

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
				    s->path->name, op->nsegs, op->len);
		return -EIO;
	}
	t->res.nents_mapped = op->nsegs;
	t->res.nents_cpu = op->nents_cpu;
	t->res.sample_dma_addr = op->segs[0].dma;
	t->res.sample_phys_addr = op->segs[0].phys;
	return 0;
}

/* Engine transfer over all segments of an op, in order. */
static int dmastress_xfer_segs(struct dmastress_thread *t,
			       struct dmastress_op *op, void *devbuf,
			       enum dmastress_xfer_dir dir, u64 *ns)
{
	struct dmastress_ctx *ctx = t->ctx;
	u64 t0 = ktime_get_ns();
	size_t off = 0;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < op->nsegs; i++) {
		struct dmastress_seg *seg = &op->segs[i];

		ret = dmastress_engine_xfer(ctx->dd, ctx->eng, seg->dma,
					    devbuf + off, seg->len, dir);
		if (ret)
			break;
		off += seg->len;
	}
	*ns += ktime_get_ns() - t0;
	return ret;
}

static void dmastress_count_error(struct dmastress_thread *t, int err,
				  bool mapping)
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
	u64 xfer_ns = 0, t0;
	int ret;

	/* As dma_map_benchmark with dma_trans_ns 0: the device does nothing. */
	if (s->params.flags & DMASTRESS_RUN_NO_XFER)
		return 0;
	if (s->oob) {
		ret = dmastress_oob_read(t, s, &xfer_ns);
		goto out;
	}
	if (op->dir != DMA_FROM_DEVICE) {
		ret = dmastress_xfer_segs(t, op, t->devbuf,
					  DMASTRESS_MEM_TO_DEV, &xfer_ns);
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
				  &xfer_ns);
out:
	if (ret && ret != -EINTR)
		t->res.device_faults++;
	if (!ret)
		dmastress_hist_add(&t->hists[DMASTRESS_PHASE_XFER], xfer_ns);
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

/*
 * First half of an op: from prepare to the device's transfer. On error the
 * op is torn down, released and the error returned (counted already).
 */
static int dmastress_op_begin(struct dmastress_thread *t,
			      struct dmastress_slot *s)
{
	const struct dmastress_path *path = s->path;
	struct dmastress_op *op = &s->op;
	bool verify = !(s->params.flags & DMASTRESS_RUN_NO_VERIFY);
	bool zero = op->dir == DMA_FROM_DEVICE;
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

/* Second half: sync_for_cpu, verify, teardown (timed), release. */
static void dmastress_op_end(struct dmastress_thread *t,
			     struct dmastress_slot *s)
{
	const struct dmastress_path *path = s->path;
	struct dmastress_op *op = &s->op;
	bool verify = !(s->params.flags & DMASTRESS_RUN_NO_VERIFY);
	struct dmastress_verify v = {};
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
		if (op->dir == DMA_TO_DEVICE ||
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

	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_UNMAP],
			   dmastress_op_teardown_timed(path, op));
	/* like prepare: no phase of its own, part of E2E */
	if (path->release && !(s->params.flags & DMASTRESS_RUN_REUSE))
		path->release(op);

	s->e2e_ns += ktime_get_ns() - start - excl;
	dmastress_hist_add(&t->hists[DMASTRESS_PHASE_E2E], s->e2e_ns);
	s->active = false;
	t->res.ops++;
	t->res.bytes += op->len;
}

/*
 * DMASTRESS_RUN_NO_XFER: dma_map_benchmark's loop. Map, unmap, nothing
 * between them (no segment description or check, no sync, no transfer),
 * so that MAP and UNMAP run in the same context as the kernel tool's: under
 * TCG the work between them made a strict 4 KiB map ~900 ns (~25%) slower
 * than the kernel tool's in the same boot (likely TCG's software TLB,
 * refilled). E2E is map plus unmap. prepare and release, when the path has
 * them, are untimed.
 */
static int dmastress_op_bare(struct dmastress_thread *t,
			     struct dmastress_slot *s)
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
	t->res.ops++;
	t->res.bytes += op->len;
	return 0;
}

static bool dmastress_thread_more(struct dmastress_thread *t)
{
	struct dmastress_ctx *ctx = t->ctx;

	if (t->stop || READ_ONCE(ctx->abort) || READ_ONCE(ctx->dd->gone))
		return false;
	if (current->flags & PF_KTHREAD ? kthread_should_stop() :
					  fatal_signal_pending(current))
		return false;
	if (ctx->deadline_ns)
		return ktime_get_ns() < ctx->deadline_ns;
	return t->iter < ctx->p->iterations;
}

/* An op failed: stress goes on, a normal run stops with the first error. */
static void dmastress_thread_error(struct dmastress_thread *t, int err)
{
	if (err == -EINTR) {
		t->stop = true;
		return;
	}
	if (t->ctx->p->flags & DMASTRESS_RUN_STRESS)
		return;
	if (!t->status)
		t->status = err;
	t->stop = true;
	WRITE_ONCE(t->ctx->abort, true);
}

/*
 * DMASTRESS_RUN_BATCH: prepare @batch ops untimed, then time setting each
 * up and tearing it down in turn, one op alive at a time as in the per-op
 * loop; one sample of total / batch. Releasing them is not timed, and the
 * ops are untimed inside (their paths read no clock around the DMA API
 * calls): the work is the per-op loop's and only the clock reads differ.
 * With all @batch ops mapped at once (measured in strict under TCG) a
 * batched op cost 25-45% more than a lone map+unmap, and the per-op op
 * right after such a batch 1.5-2.5x a lone one: two workloads compared,
 * not two timings. With DMASTRESS_RUN_REUSE there is one op, slot 0's,
 * which the per-op op of this iteration prepared: the batch sets it up and
 * tears it down @batch times on that one buffer, as the per-op loop does,
 * and leaves its buffer to the thread.
 */
static int dmastress_batch(struct dmastress_thread *t)
{
	const struct dmastress_path *path = t->slots[0].path;
	bool reuse = t->ctx->p->flags & DMASTRESS_RUN_REUSE;
	unsigned int n = t->ctx->p->batch, prepared = 0, mapped = 0, i;
	struct dmastress_op *op;
	u64 t0, t1;
	int ret = 0;

	for (i = 0; !reuse && i < n; i++) {
		struct dmastress_slot *s = &t->slots[i];

		dmastress_op_reset(t, s);
		if (path->prepare) {
			ret = path->prepare(&s->op);
			if (ret) {
				dmastress_count_error(t, ret, false);
				break;
			}
		}
		prepared++;
	}
	if (ret)
		goto out;
	for (i = 0; i < (reuse ? 1 : n); i++)
		t->slots[i].op.untimed = true;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		op = &t->slots[reuse ? 0 : i].op;
		op->nsegs = 0;
		ret = path->setup(op);
		if (ret) {
			dmastress_count_error(t, ret, true);
			break;
		}
		path->teardown(op);
		mapped++;
	}
	t1 = ktime_get_ns();
	for (i = 0; i < (reuse ? 1 : mapped); i++) {
		t->res.seg_violations += t->slots[i].op.seg_violations;
		t->res.mismatches += t->slots[i].op.mismatches;
	}
	if (!ret)
		dmastress_hist_add(&t->hists[DMASTRESS_HIST_BATCH],
				   div_u64(t1 - t0, n));
	if (reuse) {
		/* the op whose setup failed; the buffer stays the thread's */
		if (ret)
			path->teardown(&t->slots[0].op);
		t->slots[0].op.untimed = false;
		return ret;
	}
out:
	/*
	 * The ops before @mapped are torn down already. Tear down the op
	 * whose setup failed, and the ops only prepared.
	 * Ops of a path without prepare that were never set up hold
	 * nothing. Then release every prepared op: all hold prepare's
	 * memory.
	 */
	if (mapped < prepared)
		path->teardown(&t->slots[mapped].op);
	if (path->prepare)
		for (i = mapped + 1; i < prepared; i++)
			path->teardown(&t->slots[i].op);
	if (path->release)
		for (i = 0; i < prepared; i++)
			path->release(&t->slots[i].op);
	return ret;
}

static void dmastress_thread_ops(struct dmastress_thread *t)
{
	struct dmastress_slot *s = &t->slots[0];
	bool batch = t->ctx->p->flags & DMASTRESS_RUN_BATCH;
	bool bare = t->ctx->p->flags & DMASTRESS_RUN_NO_XFER;
	int ret;

	while (dmastress_thread_more(t)) {
		dmastress_op_reset(t, s);
		if (bare) {
			ret = dmastress_op_bare(t, s);
		} else {
			ret = dmastress_op_begin(t, s);
			if (!ret)
				dmastress_op_end(t, s);
		}
		if (!ret && batch)
			ret = dmastress_batch(t);
		t->iter++;
		if (ret)
			dmastress_thread_error(t, ret);
		cond_resched();
	}
}

static u64 dmastress_rand64(struct dmastress_thread *t)
{
	return (u64)prandom_u32_state(&t->rnd) << 32 |
	       prandom_u32_state(&t->rnd);
}

/* Draw the shape of one stress op; false when its path cannot take it. */
static bool dmastress_stress_draw(struct dmastress_thread *t,
				  struct dmastress_slot *s)
{
	const struct dmastress_run_params *p = t->ctx->p;
	struct dmastress_run_params *q = &s->params;
	unsigned long paths = t->ctx->stress_paths;
	unsigned int k = prandom_u32_state(&t->rnd) % hweight_long(paths);
	unsigned int order = prandom_u32_state(&t->rnd) % fls64(p->len_bytes);
	u64 max_len = min_t(u64, p->len_bytes, (2ULL << order) - 1);
	u32 max_nents = p->nents ? p->nents : DMASTRESS_STRESS_NENTS;
	const char *why = NULL;
	unsigned int id;

	*q = *p;
	for_each_set_bit(id, &paths, DMASTRESS_NR_PATHS)
		if (!k--)
			break;
	q->path = id;
	q->flags &= ~DMASTRESS_RUN_STRESS;
	q->dir = prandom_u32_state(&t->rnd) % 3;
	q->len_bytes = 1 + dmastress_rand64(t) % max_len;
	q->offset_bytes = prandom_u32_state(&t->rnd) % PAGE_SIZE;
	q->nents = prandom_u32_state(&t->rnd) % (max_nents + 1);
	if (q->path != DMASTRESS_PATH_COHERENT)
		q->attrs = 0;
	s->path = dmastress_paths[id];
	return !s->path->usable || s->path->usable(t->ctx->dd, q, &why);
}

static void dmastress_thread_stress(struct dmastress_thread *t)
{
	struct dmastress_path_counts snap, *pc;
	unsigned int live = 0, i, k;
	int ret;

	for (;;) {
		bool more = dmastress_thread_more(t);
		struct dmastress_slot *s = NULL;

		if (!more && !live)
			break;
		if (more && live < t->nslots &&
		    (!live || (prandom_u32_state(&t->rnd) & 1))) {
			for (i = 0; i < t->nslots; i++)
				if (!t->slots[i].active)
					break;
			s = &t->slots[i];
			if (dmastress_stress_draw(t, s)) {
				pc = &t->counts[s->path->id];
				dmastress_counts_draw(pc, &s->params, t->index,
						      t->iter);
				dmastress_counts_snap(&snap, &t->res);
				dmastress_op_reset(t, s);
				ret = dmastress_op_begin(t, s);
				dmastress_counts_account(pc, &snap, &t->res);
				if (ret)
					dmastress_thread_error(t, ret);
				else
					live++;
			}
			t->iter++;
		} else {
			k = prandom_u32_state(&t->rnd) % live;
			for (i = 0; i < t->nslots; i++)
				if (t->slots[i].active && !k--)
					break;
			s = &t->slots[i];
			dmastress_counts_snap(&snap, &t->res);
			dmastress_op_end(t, s);
			dmastress_counts_account(&t->counts[s->path->id], &snap,
						 &t->res);
			live--;
		}
		cond_resched();
	}
}

static int dmastress_thread_fn(void *data)
{
	struct dmastress_thread *t = data;
	struct dmastress_ctx *ctx = t->ctx;

	dmastress_stress_thread_start();
	if (ctx->p->flags & DMASTRESS_RUN_STRESS)
		dmastress_thread_stress(t);
	else
		dmastress_thread_ops(t);
	if (atomic_dec_and_test(&ctx->running))
		complete(&ctx->done);
	return 0;
}

static void dmastress_thread_free(struct dmastress_thread *t)
{
	unsigned int i;

	if (!t)
		return;
	if (t->slots)
		for (i = 0; i < t->nslots; i++) {
			struct dmastress_slot *s = &t->slots[i];

			/* DMASTRESS_RUN_REUSE: the buffer the ops shared */
			if ((s->params.flags & DMASTRESS_RUN_REUSE) &&
			    s->path && s->path->prepare && s->op.priv)
				s->path->release(&s->op);
			kvfree(s->op.segs);
		}
	kvfree(t->slots);
	kvfree(t->counts);
	dmastress_devbuf_free(t->devbuf_mem);
	kvfree(t);
}

static struct dmastress_thread *
dmastress_thread_alloc(struct dmastress_ctx *ctx, unsigned int index)
{
	const struct dmastress_run_params *p = ctx->p;
	struct dmastress_thread *t;
	unsigned int i;

	t = kvzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->ctx = ctx;
	t->index = index;
	prandom_seed_state(&t->rnd, (u64)p->seed << 32 | index);
	if ((p->flags & DMASTRESS_RUN_BATCH) &&
	    !(p->flags & DMASTRESS_RUN_REUSE))
		t->nslots = p->batch;
	else if (p->flags & DMASTRESS_RUN_STRESS)
		t->nslots = p->live;
	else
		t->nslots = 1;
	t->slots = kvcalloc(t->nslots, sizeof(*t->slots), GFP_KERNEL);
	t->devbuf = dmastress_devbuf_alloc(p->len_bytes, &t->devbuf_mem);
	if (p->flags & DMASTRESS_RUN_STRESS)
		t->counts = kvcalloc(DMASTRESS_NR_PATHS, sizeof(*t->counts),
				     GFP_KERNEL);
	if (!t->slots || !t->devbuf ||
	    (!t->counts && (p->flags & DMASTRESS_RUN_STRESS))) {
		dmastress_thread_free(t);
		return NULL;
	}
	for (i = 0; i < t->nslots; i++) {
		t->slots[i].params = *p;
		t->slots[i].path = dmastress_paths[p->path];
		t->slots[i].oob = p->flags & DMASTRESS_RUN_OOB_XFER;
	}
	for (i = 0; i < DMASTRESS_NR_HISTS; i++)
		dmastress_hist_init(&t->hists[i]);
	return t;
}

static void dmastress_merge(struct dmastress_thread **threads,
			    unsigned int n, struct dmastress_run_result *res,
			    struct dmastress_hist *hists,
			    struct dmastress_path_counts *counts, int *status)
{
	unsigned int i, h;

	for (i = 0; i < n; i++) {
		const struct dmastress_run_result *r = &threads[i]->res;

		if (counts && threads[i]->counts)
			dmastress_counts_merge(counts, threads[i]->counts);

		if (!*status)
			*status = threads[i]->status;
		if (r->mismatches && !res->mismatches) {
			res->first_mismatch_offset = r->first_mismatch_offset;
			res->first_expected = r->first_expected;
			res->first_actual = r->first_actual;
		}
		if (!i || (!res->sample_dma_addr && r->sample_dma_addr)) {
			res->nents_mapped = r->nents_mapped;
			res->nents_cpu = r->nents_cpu;
			res->sample_dma_addr = r->sample_dma_addr;
			res->sample_phys_addr = r->sample_phys_addr;
		}
		res->ops += r->ops;
		res->bytes += r->bytes;
		res->mismatches += r->mismatches;
		res->guard_errors += r->guard_errors;
		res->src_errors += r->src_errors;
		res->device_faults += r->device_faults;
		res->map_errors += r->map_errors;
		res->alloc_errors += r->alloc_errors;
		res->mask_violations += r->mask_violations;
		res->seg_violations += r->seg_violations;
		for (h = 0; h < DMASTRESS_NR_HISTS; h++)
			dmastress_hist_merge(&hists[h], &threads[i]->hists[h]);
	}
	for (h = 0; h < DMASTRESS_NR_PHASES; h++) {
		res->phase[h].count = hists[h].count;
		res->phase[h].sum_ns = hists[h].sum_ns;
		res->phase[h].min_ns = hists[h].min_ns;
		res->phase[h].max_ns = hists[h].max_ns;
	}
	res->batch.count = hists[DMASTRESS_HIST_BATCH].count;
	res->batch.sum_ns = hists[DMASTRESS_HIST_BATCH].sum_ns;
	res->batch.min_ns = hists[DMASTRESS_HIST_BATCH].min_ns;
	res->batch.max_ns = hists[DMASTRESS_HIST_BATCH].max_ns;
}

/* Start the threads, wait for them; -EINTR on a fatal signal. */
static int dmastress_run_threads(struct dmastress_ctx *ctx,
				 struct dmastress_thread **threads,
				 unsigned int n, u64 *elapsed)
{
	unsigned int i, created = 0, ncpus = num_online_cpus();
	u64 start;
	int ret = 0;

	if (ctx->p->flags & DMASTRESS_RUN_INLINE) {
		/* one thread, in the caller: fail-nth reaches its allocations */
		atomic_set(&ctx->running, 1);
		start = ktime_get_ns();
		if (ctx->p->seconds)
			ctx->deadline_ns = start +
					   (u64)ctx->p->seconds * NSEC_PER_SEC;
		dmastress_thread_fn(threads[0]);
		*elapsed = ktime_get_ns() - start;
		return fatal_signal_pending(current) ? -EINTR : 0;
	}

	for (i = 0; i < n; i++) {
		unsigned int cpu = cpumask_nth(i % ncpus, cpu_online_mask);
		struct task_struct *task;

		task = kthread_create(dmastress_thread_fn, threads[i],
				      "dmastress%d/%u", ctx->dd->index, i);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			break;
		}
		if (cpu < nr_cpu_ids && !(ctx->p->flags & DMASTRESS_RUN_UNBOUND))
			kthread_bind(task, cpu);
		get_task_struct(task);
		threads[i]->task = task;
		created++;
	}
	if (!ret) {
		atomic_set(&ctx->running, n);
		start = ktime_get_ns();
		if (ctx->p->seconds)
			ctx->deadline_ns = start +
					   (u64)ctx->p->seconds * NSEC_PER_SEC;
		for (i = 0; i < n; i++)
			wake_up_process(threads[i]->task);
		if (wait_for_completion_killable(&ctx->done)) {
			WRITE_ONCE(ctx->abort, true);
			ret = -EINTR;
		}
		*elapsed = ktime_get_ns() - start;
	}
	/* a thread never woken returns -EINTR from kthread_stop() unrun */
	for (i = 0; i < created; i++) {
		kthread_stop(threads[i]->task);
		put_task_struct(threads[i]->task);
	}
	if (ret == -EINTR)
		*elapsed = 0;
	return ret;
}

static int dmastress_skip(struct dmastress_run_result *res, const char *why)
{
	strscpy(res->skip_reason, why, sizeof(res->skip_reason));
	return -EOPNOTSUPP;
}

/*
 * dma-direct bounces a streaming mapping beyond the mask through swiotlb.
 * When the pool itself lies beyond the mask, swiotlb_map() WARNs and fails
 * every such mapping: a limit of the platform, not a bug of the path, so
 * the run is skipped. Behind an IOMMU the IOVA honours the mask.
 */
static bool dmastress_bounce_reachable(struct dmastress_dev *dd, u32 path_id,
				       const char **why)
{
#ifdef CONFIG_SWIOTLB
	struct device *dev = dd->dev;
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;
	u64 limit;

	switch (path_id) {
	case DMASTRESS_PATH_SINGLE:
	case DMASTRESS_PATH_PAGE:
	case DMASTRESS_PATH_SG:
	case DMASTRESS_PATH_SGTABLE:
		break;
	default:
		return true;
	}
	if (!mem || !mem->nslabs || !dev->dma_mask)
		return true;
	switch (dmastress_group_type(dev)) {
	case DMASTRESS_GROUP_NONE:
	case DMASTRESS_GROUP_IDENTITY:
		break;
	default:
		return true;
	}
	limit = min_not_zero(*dev->dma_mask, dev->bus_dma_limit);
	if (phys_to_dma_unencrypted(dev, mem->defpool.end - 1) <= limit)
		return true;
	*why = "the swiotlb pool lies beyond the DMA mask";
	return false;
#else
	return true;
#endif
}

/*
 * Which paths a stress run mixes: the requested ones that can run here at
 * a page or less. len_bytes is only the largest size drawn; each drawn
 * operation is checked again at its own size (dmastress_stress_draw()).
 */
static u32 dmastress_stress_paths(struct dmastress_dev *dd,
				  const struct dmastress_run_params *p)
{
	u32 want = p->paths ? p->paths : GENMASK(DMASTRESS_NR_PATHS - 1, 0);
	struct dmastress_run_params q = *p;
	u32 ok = 0;
	unsigned int id;

	q.len_bytes = min_t(u64, p->len_bytes, PAGE_SIZE);
	q.nents = 0;
	q.offset_bytes = 0;

	for (id = 0; id < DMASTRESS_NR_PATHS; id++) {
		const struct dmastress_path *path = dmastress_paths[id];
		const char *why = NULL;

		if (!(want & BIT(id)) || !dmastress_bounce_reachable(dd, id, &why))
			continue;
		q.path = id;
		q.flags &= ~DMASTRESS_RUN_STRESS;
		if (id != DMASTRESS_PATH_COHERENT)
			q.attrs = 0;
		if (!path->usable || path->usable(dd, &q, &why))
			ok |= BIT(id);
	}
	return ok;
}

/* Checks that can skip the run; 0 or -EOPNOTSUPP with the reason set. */
static int dmastress_run_usable(struct dmastress_ctx *ctx,
				struct dmastress_run_result *res)
{
	const struct dmastress_run_params *p = ctx->p;
	const struct dmastress_path *path = dmastress_paths[p->path];
	const char *why = "unsupported here";

	if (!ctx->eng->usable(ctx->dd, &why))
		return dmastress_skip(res, why);
	if ((p->flags & DMASTRESS_RUN_OOB_XFER) &&
	    p->engine != DMASTRESS_ENGINE_CPU)
		return dmastress_skip(res, "oob_xfer needs the cpu engine");
	if (p->flags & DMASTRESS_RUN_STRESS) {
		ctx->stress_paths = dmastress_stress_paths(ctx->dd, p);
		if (!ctx->stress_paths)
			return dmastress_skip(res, "no path of the mix can run here");
		return 0;
	}
	if (!dmastress_bounce_reachable(ctx->dd, p->path, &why))
		return dmastress_skip(res, why);
	if (path->usable && !path->usable(ctx->dd, p, &why))
		return dmastress_skip(res, why);
	return 0;
}

/**
 * dmastress_run() - carry out one run
 * @dd: the device; @dd->dev is used for every DMA API call, @dd->pdev may
 *	be NULL (then only the cpu engine can run)
 * @p: the parameters; checked with dmastress_validate_params()
 * @res: the results, zeroed first
 * @hists: NULL, or DMASTRESS_NR_HISTS histograms filled on return (ns)
 *
 * Sets the run's DMA masks (saving @dd's current masks first if none were
 * saved at bind), starts @p->threads kthreads bound to CPUs round robin,
 * waits for them, merges their counters and restores the masks, also on
 * error. Every mapping and allocation is undone before return. Process
 * context, sleeps; the caller holds @dd->lock. A fatal signal stops the
 * threads.
 *
 * Return: the run's status: 0 (check the error counters in @res), -EINVAL
 * for bad parameters, -EOPNOTSUPP with @res->skip_reason when the path or
 * engine cannot run here, -EIO when the kernel refuses a mask (reason
 * "mask N bits refused"), -ENOMEM, the first op error of a run without
 * DMASTRESS_RUN_STRESS, -ENODEV when the device was unbound meanwhile (the
 * counters hold what was done until then), or -EINTR when a fatal signal
 * stopped it.
 */
int dmastress_run(struct dmastress_dev *dd, const struct dmastress_run_params *p,
		  struct dmastress_run_result *res, struct dmastress_hist *hists)
{
	return dmastress_run_counts(dd, p, res, hists, NULL);
}

/**
 * dmastress_run_counts() - dmastress_run() with per-path counts
 * @dd: the device, as for dmastress_run()
 * @p: the parameters
 * @res: the results, zeroed first
 * @hists: NULL, or DMASTRESS_NR_HISTS histograms filled on return (ns)
 * @counts: NULL, or DMASTRESS_NR_PATHS &struct dmastress_path_counts,
 *	zeroed first and filled when the threads ran: what each path of a
 *	stress mix did, or the one path of another run
 *
 * Context and locking as for dmastress_run().
 *
 * Return: as dmastress_run().
 */
int dmastress_run_counts(struct dmastress_dev *dd,
			 const struct dmastress_run_params *p,
			 struct dmastress_run_result *res,
			 struct dmastress_hist *hists,
			 struct dmastress_path_counts *counts)
{
	struct dmastress_hist *own_hists = NULL;
	struct dmastress_thread **threads;
	struct dmastress_ctx ctx = {
		.dd = dd,
		.p = p,
	};
	unsigned int i, n = p->threads;
	int ret, status = 0;
	u64 elapsed = 0;

	memset(res, 0, sizeof(*res));
	if (counts)
		memset(counts, 0, DMASTRESS_NR_PATHS * sizeof(*counts));
	ret = dmastress_validate_params(p);
	if (ret)
		return ret;
	if (!hists) {
		own_hists = kvcalloc(DMASTRESS_NR_HISTS, sizeof(*hists),
				     GFP_KERNEL);
		if (!own_hists)
			return -ENOMEM;
		hists = own_hists;
	}
	for (i = 0; i < DMASTRESS_NR_HISTS; i++)
		dmastress_hist_init(&hists[i]);
	ctx.eng = dmastress_engines[p->engine];
	atomic_set(&ctx.logged, 0);
	init_completion(&ctx.done);

	if (!dd->saved_dma_mask && dd->dev->dma_mask)
		dd->saved_dma_mask = *dd->dev->dma_mask;
	if (!dd->saved_coherent_mask)
		dd->saved_coherent_mask = dd->dev->coherent_dma_mask;
	if (!dd->saved_max_seg_size)
		dd->saved_max_seg_size = dma_get_max_seg_size(dd->dev);
	ret = dmastress_set_masks(dd, p->mask_bits, 0);
	if (ret) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "mask %u bits refused", p->mask_bits);
		goto out_masks;
	}
	ret = dmastress_set_masks(dd, 0, p->coherent_mask_bits);
	if (ret) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "coherent mask %u bits refused", p->coherent_mask_bits);
		goto out_masks;
	}
	if (p->path == DMASTRESS_PATH_NONCONTIG || (p->flags & DMASTRESS_RUN_STRESS))
		dmastress_widen_max_seg_size(dd);
	ret = dmastress_run_usable(&ctx, res);
	if (ret)
		goto out_masks;

	threads = kcalloc(n, sizeof(*threads), GFP_KERNEL);
	if (!threads) {
		ret = -ENOMEM;
		goto out_masks;
	}
	for (i = 0; i < n; i++) {
		threads[i] = dmastress_thread_alloc(&ctx, i);
		if (!threads[i]) {
			res->alloc_errors++;
			ret = -ENOMEM;
			goto out_threads;
		}
	}

	ret = dmastress_run_threads(&ctx, threads, n, &elapsed);
	if (!ret) {
		dmastress_merge(threads, n, res, hists, counts, &status);
		if (counts && !(p->flags & DMASTRESS_RUN_STRESS))
			dmastress_counts_from_result(&counts[p->path], res);
		res->elapsed_ns = elapsed;
		ret = status;
		if (!ret && READ_ONCE(dd->gone))
			ret = -ENODEV;
	}
out_threads:
	for (i = 0; i < n; i++)
		dmastress_thread_free(threads[i]);
	kfree(threads);
out_masks:
	dmastress_restore_masks(dd);
	kvfree(own_hists);
	return ret;
}
