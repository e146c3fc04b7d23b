// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_run.c - the run core: entry, validation, masks, threads, loops
 *
 * dmastress_run() validates the parameters once, sets the run's DMA masks,
 * checks that the path and engine can run here, starts the threads and
 * merges their results. Each thread runs one loop: the per-op loop (one op
 * after the other through the pipeline of dmastress_op.c, or bare with
 * DMASTRESS_RUN_NO_XFER), after each op a batch with DMASTRESS_RUN_BATCH,
 * or the stress loop (dmastress_stress.c).
 *
 * Threads are kthreads bound to CPUs round robin (or unbound, or the
 * caller's own task with DMASTRESS_RUN_INLINE); each keeps its own counters
 * and histograms, merged when all have finished.
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
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/minmax.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#include "dmastress_run.h"

/* Tries at a canary page whose physical address no IOVA of @dev maps. */
#define DMASTRESS_CANARY_TRIES	8

static unsigned int max_run_seconds = DMASTRESS_MAX_SECONDS;

static int dmastress_set_max_run_seconds(const char *val,
					 const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, DMASTRESS_MAX_SECONDS);
}

static const struct kernel_param_ops dmastress_max_run_seconds_ops = {
	.set = dmastress_set_max_run_seconds,
	.get = param_get_uint,
};
module_param_cb(max_run_seconds, &dmastress_max_run_seconds_ops,
		&max_run_seconds, 0644);
MODULE_PARM_DESC(max_run_seconds,
		 "Wall time a run may take, s (1..3600, default 3600): a run past it stops with status -ETIMEDOUT");

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
 * *_ALL masks, attrs only those the path accepts (&struct
 * dmastress_path.attrs; a stress mix drops them per path); len_bytes
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
 * piece_bytes 0 or a power of two within DMASTRESS_{MIN,MAX}_PIECE_BYTES and
 * IOVA_UNLINK, both only for a path that takes pieces (&struct
 * dmastress_path.pieces; not in stress);
 * threads x len_bytes x (batch, live or 1) <= DMASTRESS_MAX_RUN_BYTES;
 * threads x iterations x (batch + 1) <= DMASTRESS_MAX_RUN_OPS; reserved
 * fields zero. What the run allocates is bounded later, when the paths
 * that can run here are known (dmastress_run_footprint()). Any context.
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
	    (!stress && (p->attrs & ~dmastress_paths[p->path]->attrs)))
		return -EINVAL;
	if ((p->pool_align && !is_power_of_2(p->pool_align)) ||
	    p->pool_align > DMASTRESS_MAX_POOL_ALIGN ||
	    (p->pool_boundary && !is_power_of_2(p->pool_boundary)))
		return -EINVAL;
	if (p->piece_bytes &&
	    (stress || !dmastress_paths[p->path]->pieces ||
	     !is_power_of_2(p->piece_bytes) ||
	     p->piece_bytes < DMASTRESS_MIN_PIECE_BYTES ||
	     p->piece_bytes > DMASTRESS_MAX_PIECE_BYTES))
		return -EINVAL;
	if ((p->flags & DMASTRESS_RUN_IOVA_UNLINK) &&
	    (stress || !dmastress_paths[p->path]->pieces))
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
	/* a device read after the unmap: a one-op run of a streaming path */
	if ((p->flags & DMASTRESS_RUN_STALE_XFER) ?
	    (stress || p->stale_delay_us > DMASTRESS_MAX_STALE_DELAY_US ||
	     (p->flags & (DMASTRESS_RUN_BATCH | DMASTRESS_RUN_REUSE |
			  DMASTRESS_RUN_NO_XFER | DMASTRESS_RUN_NO_VERIFY |
			  DMASTRESS_RUN_OOB_XFER | DMASTRESS_RUN_WRONG_DIR))) :
	    p->stale_delay_us)
		return -EINVAL;
	/* the write into the reused page: one thread, a writable mapping */
	if ((p->flags & DMASTRESS_RUN_STALE_WRITE) &&
	    (!(p->flags & DMASTRESS_RUN_STALE_XFER) || p->threads != 1 ||
	     p->dir == DMASTRESS_DIR_TO_DEVICE))
		return -EINVAL;
	/* a device access against a one-way mapping, nothing else */
	if ((p->flags & DMASTRESS_RUN_WRONG_DIR) &&
	    (stress || p->dir == DMASTRESS_DIR_BIDIRECTIONAL ||
	     (p->flags & (DMASTRESS_RUN_OOB_XFER | DMASTRESS_RUN_NO_XFER |
			  DMASTRESS_RUN_NO_VERIFY))))
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
	/* threads x iterations is at most 2^38: no overflow */
	if ((u64)p->threads * p->iterations >
	    div_u64(DMASTRESS_MAX_RUN_OPS, (batch ? p->batch : 0) + 1))
		return -EINVAL;
	return 0;
}

/**
 * dmastress_block_bytes() - memory behind one buffer of a run's op
 * @p: the op's parameters (offset_bytes and DMASTRESS_RUN_HUGE count)
 * @len: the payload, bytes
 *
 * The payload, the offset and both guards, in pages; a power of two as
 * the page allocator and kmalloc() hand it out when that fits one block,
 * page by page beyond; a multiple of 2 MiB with DMASTRESS_RUN_HUGE. An
 * upper bound for the paths whose buffer is one such allocation. Any
 * context.
 *
 * Return: bytes.
 */
u64 dmastress_block_bytes(const struct dmastress_run_params *p, u64 len)
{
	u64 n = PAGE_ALIGN(p->offset_bytes + len + 2 * DMASTRESS_GUARD_BYTES);

	if (n <= DMASTRESS_MAX_CONTIG_BYTES)
		n = roundup_pow_of_two(n);
	if (p->flags & DMASTRESS_RUN_HUGE)
		n = round_up(n, SZ_2M);
	return n;
}

/* One op of @path at @p's largest size, with its segment and table arrays. */
static u64 dmastress_op_footprint(const struct dmastress_path *path,
				  const struct dmastress_run_params *p)
{
	u64 data = path->op_bytes ? path->op_bytes(p, p->len_bytes) :
				    dmastress_block_bytes(p, p->len_bytes);
	u64 entries = (data >> PAGE_SHIFT) + 2;

	return data + SZ_1K + entries * (sizeof(struct dmastress_seg) +
					 sizeof(struct scatterlist) +
					 2 * sizeof(struct page *));
}

/**
 * dmastress_run_footprint() - the most memory a run allocates at once
 * @p: its parameters, validated
 * @stress_paths: with DMASTRESS_RUN_STRESS the paths of the mix (each op
 *	counted as the dearest of them at len_bytes), else ignored
 *
 * Per thread: its state, one slot per op alive (batch, live or 1; one with
 * DMASTRESS_RUN_REUSE), each op's memory (&struct dmastress_path.op_bytes
 * and the arrays around it), the device buffer and the canary tries of the
 * out-of-bounds control; per run the histograms and the thread table.
 * What the DMA API allocates for itself (IOVA, swiotlb slots, page tables)
 * is not counted. Any context.
 *
 * Return: bytes, an upper bound.
 */
u64 dmastress_run_footprint(const struct dmastress_run_params *p,
			    u32 stress_paths)
{
	bool stress = p->flags & DMASTRESS_RUN_STRESS;
	unsigned long mix = stress_paths;
	u64 op = 0, slots = 1, thread;
	unsigned int id;

	if (stress) {
		struct dmastress_run_params q = *p;

		q.nents = p->nents ? p->nents : DMASTRESS_STRESS_NENTS;
		q.offset_bytes = PAGE_SIZE - 1;
		for_each_set_bit(id, &mix, DMASTRESS_NR_PATHS)
			op = max(op, dmastress_op_footprint(dmastress_paths[id],
							    &q));
		slots = p->live;
	} else {
		op = dmastress_op_footprint(dmastress_paths[p->path], p);
		if ((p->flags & DMASTRESS_RUN_BATCH) &&
		    !(p->flags & DMASTRESS_RUN_REUSE))
			slots = p->batch;
	}
	thread = dmastress_kvmalloc_bytes(sizeof(struct dmastress_thread)) +
		 dmastress_kvmalloc_bytes(slots * sizeof(struct dmastress_slot)) +
		 slots * op + dmastress_devbuf_bytes(p->len_bytes) +
		 DMASTRESS_NR_PATHS * sizeof(struct dmastress_path_counts) +
		 DMASTRESS_CANARY_TRIES * PAGE_SIZE;
	return p->threads * (thread + sizeof(struct dmastress_thread *)) +
	       2 * DMASTRESS_NR_HISTS * sizeof(struct dmastress_hist);
}

/**
 * dmastress_thread_more() - should a thread start another op?
 * @t: the thread
 *
 * Not after an error stopped it or the run, an unbind, kthread_stop() or
 * a fatal signal; else until the run's deadline or iteration count, and
 * never past the module's max_run_seconds (the run then ends with
 * -ETIMEDOUT). Any context.
 *
 * Return: true to go on.
 */
bool dmastress_thread_more(struct dmastress_thread *t)
{
	struct dmastress_ctx *ctx = t->ctx;
	u64 now;

	if (t->stop || READ_ONCE(ctx->abort) || READ_ONCE(ctx->dd->gone))
		return false;
	if (dmastress_stopping())
		return false;
	if (!ctx->deadline_ns && t->iter >= ctx->p->iterations)
		return false;
	now = ktime_get_ns();
	if (ctx->deadline_ns && now >= ctx->deadline_ns)
		return false;
	if (now >= ctx->limit_ns) {
		WRITE_ONCE(ctx->timed_out, true);
		return false;
	}
	return true;
}

/**
 * dmastress_thread_error() - an op of a thread failed
 * @t: the thread
 * @err: the op's error
 *
 * A stress run goes on; another run stops with its first error, which
 * becomes the thread's status. -EINTR stops the thread only. Any context.
 */
void dmastress_thread_error(struct dmastress_thread *t, int err)
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
	if (reuse) {
		/* the per-op op counted what slot 0's op found: not again */
		op = &t->slots[0].op;
		op->seg_violations = 0;
		op->mismatches = 0;
		op->stale_mappings = 0;
		op->result_flags = 0;
	}

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
		t->res.stale_mappings += t->slots[i].op.stale_mappings;
		t->res.path_flags |= t->slots[i].op.result_flags;
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

static int dmastress_thread_fn(void *data)
{
	struct dmastress_thread *t = data;
	struct dmastress_ctx *ctx = t->ctx;
	struct mem_cgroup *old;

	/* a kthread charges __GFP_ACCOUNT to the caller's memory cgroup */
	old = set_active_memcg(ctx->memcg);
	dmastress_stress_thread_start();
	if (ctx->p->flags & DMASTRESS_RUN_STRESS)
		dmastress_thread_stress(t);
	else
		dmastress_thread_ops(t);
	set_active_memcg(old);
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
	if (t->canary)
		__free_page(t->canary);
	kvfree(t);
}

/*
 * The canary of a device engine's out-of-bounds control: a page of the
 * thread's own, aimed at by its physical address. Under a paging domain
 * that address must not be mapped as an IOVA (then only a device whose DMA
 * bypasses the IOMMU reaches the page); without one the address is the
 * page's own bus address (dma-direct, identity), which the device reaches.
 */
static int dmastress_canary_alloc(struct dmastress_thread *t)
{
	struct device *dev = t->ctx->dd->dev;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	struct page *tried[DMASTRESS_CANARY_TRIES];
	unsigned int n = 0, i;
	int ret = -EBUSY;

	while (n < DMASTRESS_CANARY_TRIES) {
		struct page *pg = alloc_page(DMASTRESS_GFP);
		phys_addr_t phys;

		if (!pg) {
			ret = -ENOMEM;
			break;
		}
		phys = page_to_phys(pg);
		if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING) ||
		    !iommu_iova_to_phys(domain, phys)) {
			t->canary = pg;
			t->canary_dma = phys_to_dma(dev, phys);
			ret = 0;
			break;
		}
		tried[n++] = pg;
	}
	for (i = 0; i < n; i++)
		__free_page(tried[i]);
	return ret;
}

static struct dmastress_thread *
dmastress_thread_alloc(struct dmastress_ctx *ctx, unsigned int index)
{
	const struct dmastress_run_params *p = ctx->p;
	struct dmastress_thread *t;
	unsigned int i;

	t = kvzalloc(sizeof(*t), DMASTRESS_GFP);
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
	t->slots = kvcalloc(t->nslots, sizeof(*t->slots), DMASTRESS_GFP);
	t->devbuf = dmastress_devbuf_alloc(p->len_bytes, &t->devbuf_mem);
	if (p->flags & DMASTRESS_RUN_STRESS)
		t->counts = kvcalloc(DMASTRESS_NR_PATHS, sizeof(*t->counts),
				     DMASTRESS_GFP);
	if (!t->slots || !t->devbuf ||
	    (!t->counts && (p->flags & DMASTRESS_RUN_STRESS)) ||
	    ((p->flags & DMASTRESS_RUN_OOB_XFER) &&
	     p->engine != DMASTRESS_ENGINE_CPU && dmastress_canary_alloc(t))) {
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
		res->stale_mappings += r->stale_mappings;
		res->oob_landed += r->oob_landed;
		res->perm_landed += r->perm_landed;
		res->stale_reached += r->stale_reached;
		res->stale_reused += r->stale_reused;
		res->path_flags |= r->path_flags;
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
	u64 limit = (u64)READ_ONCE(max_run_seconds) * NSEC_PER_SEC;
	u64 start;
	int ret = 0;

	if (ctx->p->flags & DMASTRESS_RUN_INLINE) {
		/* one thread, in the caller: fail-nth reaches its allocations */
		atomic_set(&ctx->running, 1);
		start = ktime_get_ns();
		ctx->limit_ns = start + limit;
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
		ctx->limit_ns = start + limit;
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
static bool dmastress_bounce_reachable(struct dmastress_dev *dd,
				       const struct dmastress_path *path,
				       const char **why)
{
#ifdef CONFIG_SWIOTLB
	struct device *dev = dd->dev;
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;
	u64 limit;

	if (!path->bounces)
		return true;
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
	if (phys_to_dma_unencrypted(dev, dmastress_swiotlb_end(mem) - 1) <= limit)
		return true;
	*why = "the swiotlb pool lies beyond the DMA mask";
	return false;
#else
	return true;
#endif
}

/**
 * dmastress_path_usable() - can a path run here with these parameters?
 * @dd: the device, its masks set for the run
 * @path: the path
 * @p: the parameters of one op of it
 * @why: set to the reason when not
 *
 * Asks swiotlb's reach for the paths that bounce, then the path itself.
 * Process context.
 *
 * Return: true when it can.
 */
bool dmastress_path_usable(struct dmastress_dev *dd,
			   const struct dmastress_path *path,
			   const struct dmastress_run_params *p,
			   const char **why)
{
	if (!dmastress_bounce_reachable(dd, path, why))
		return false;
	return !path->usable || path->usable(dd, p, why);
}

/* Checks that can skip the run; 0 or -EOPNOTSUPP with the reason set. */
static int dmastress_run_usable(struct dmastress_ctx *ctx,
				struct dmastress_run_result *res)
{
	const struct dmastress_run_params *p = ctx->p;
	const struct dmastress_path *path = dmastress_paths[p->path];
	const char *why = "unsupported here";
	u32 group;

	if (!ctx->eng->usable(ctx->dd, &why))
		return dmastress_skip(res, why);
	if (ctx->eng->run_usable && !(p->flags & DMASTRESS_RUN_NO_XFER) &&
	    !ctx->eng->run_usable(ctx->dd, p, &why))
		return dmastress_skip(res, why);
	if ((p->flags & DMASTRESS_RUN_STALE_XFER) &&
	    (p->engine == DMASTRESS_ENGINE_CPU ||
	     !dmastress_paths[p->path]->release))
		return dmastress_skip(res, "stale_xfer: edu or nvme on a path freeing after unmap");
	if ((p->flags & DMASTRESS_RUN_WRONG_DIR) &&
	    p->engine == DMASTRESS_ENGINE_CPU)
		return dmastress_skip(res, "wrong_dir needs edu or nvme: cpu sees no permission");
	if ((p->flags & DMASTRESS_RUN_OOB_XFER) &&
	    p->engine != DMASTRESS_ENGINE_CPU && p->len_bytes < 4)
		return dmastress_skip(res, "oob_xfer with a device engine needs 4 bytes or more");
	/*
	 * The cpu engine's control reads whatever sits past the mapping:
	 * without translation that is a physical page nobody gave the run
	 * (a device engine aims at its own canary page instead).
	 */
	group = dmastress_group_type(ctx->dd->dev);
	if ((p->flags & DMASTRESS_RUN_OOB_XFER) &&
	    p->engine == DMASTRESS_ENGINE_CPU &&
	    group != DMASTRESS_GROUP_DMA && group != DMASTRESS_GROUP_DMA_FQ)
		return dmastress_skip(res, "oob_xfer, cpu engine: only under DMA or DMA-FQ");
	if (p->flags & DMASTRESS_RUN_STRESS) {
		ctx->stress_paths = dmastress_stress_paths(ctx->dd, p);
		if (!ctx->stress_paths)
			return dmastress_skip(res, "no path of the mix can run here");
		return 0;
	}
	if (!dmastress_path_usable(ctx->dd, path, p, &why))
		return dmastress_skip(res, why);
	return 0;
}

/*
 * Set the run's masks (saving @dd's first if none were saved at bind) and
 * widen the max segment size where the path needs it; -EIO with the reason
 * when the kernel refuses a mask. The caller restores them.
 */
static int dmastress_run_masks(struct dmastress_dev *dd,
			       const struct dmastress_run_params *p,
			       struct dmastress_run_result *res)
{
	if (!dd->saved_dma_mask && dd->dev->dma_mask)
		dd->saved_dma_mask = *dd->dev->dma_mask;
	if (!dd->saved_coherent_mask)
		dd->saved_coherent_mask = dd->dev->coherent_dma_mask;
	if (!dd->saved_max_seg_size)
		dd->saved_max_seg_size = dma_get_max_seg_size(dd->dev);
	if (!dd->saved_min_align_mask)
		dd->saved_min_align_mask = dma_get_min_align_mask(dd->dev);
	if ((p->attrs & DMASTRESS_ATTR_MIN_ALIGN) &&
	    dmastress_set_min_align_mask(dd->dev, PAGE_SIZE - 1)) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "min_align_mask needs dma_parms");
		return -EIO;
	}
	if (dmastress_set_masks(dd, p->mask_bits, 0)) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "mask %u bits refused", p->mask_bits);
		return -EIO;
	}
	if (dmastress_set_masks(dd, 0, p->coherent_mask_bits)) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "coherent mask %u bits refused", p->coherent_mask_bits);
		return -EIO;
	}
	if (dmastress_paths[p->path]->wide_seg || (p->flags & DMASTRESS_RUN_STRESS))
		dmastress_widen_max_seg_size(dd);
	return 0;
}

/**
 * dmastress_run() - carry out one run
 * @dd: the device; @dd->dev is used for every DMA API call, @dd->pdev may
 *	be NULL (then only the cpu engine can run)
 * @p: the parameters; checked with dmastress_validate_params() first
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
 * Threads charge what they allocate (DMASTRESS_GFP) to the caller's
 * memory cgroup.
 *
 * Return: the run's status: 0 (check the error counters in @res), -EINVAL
 * for bad parameters or a run allocating more than
 * DMASTRESS_MAX_RUN_ALLOC_BYTES, -ENOMEM for one allocating more than half
 * the RAM (both with @res->skip_reason "allocates N B > ...", before any
 * allocation), -EOPNOTSUPP with @res->skip_reason when the path or
 * engine cannot run here, -EIO when the kernel refuses a mask (reason
 * "mask N bits refused"), -ENOMEM, -ETIMEDOUT when the run passed the
 * module's max_run_seconds (counters up to then), the first op error of a
 * run without DMASTRESS_RUN_STRESS, -ENODEV when the device was unbound meanwhile (the
 * counters hold what was done until then), or -EINTR when a fatal signal
 * stopped it.
 */
int dmastress_run(struct dmastress_dev *dd, const struct dmastress_run_params *p,
		  struct dmastress_run_result *res, struct dmastress_hist *hists)
{
	int ret = dmastress_validate_params(p);

	if (ret) {
		memset(res, 0, sizeof(*res));
		return ret;
	}
	return dmastress_run_counts(dd, p, res, hists, NULL);
}

/**
 * dmastress_run_counts() - dmastress_run() with per-path counts
 * @dd: the device, as for dmastress_run()
 * @p: the parameters, validated by the caller with
 *	dmastress_validate_params() (the ioctl, which returns -EINVAL itself)
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
	u64 eng_state[2] = { U64_MAX, U64_MAX };
	struct dmastress_hist *own_hists = NULL;
	struct dmastress_thread **threads;
	struct dmastress_ctx ctx = {
		.dd = dd,
		.p = p,
		.limit_ns = U64_MAX,
	};
	unsigned int i, n = p->threads;
	int ret, status = 0;
	u64 elapsed = 0, bytes;

	memset(res, 0, sizeof(*res));
	if (counts)
		memset(counts, 0, DMASTRESS_NR_PATHS * sizeof(*counts));
	if (!hists) {
		own_hists = kvcalloc(DMASTRESS_NR_HISTS, sizeof(*hists),
				     DMASTRESS_GFP);
		if (!own_hists)
			return -ENOMEM;
		hists = own_hists;
	}
	for (i = 0; i < DMASTRESS_NR_HISTS; i++)
		dmastress_hist_init(&hists[i]);
	ctx.eng = dmastress_engines[p->engine];
	atomic_set(&ctx.logged, 0);
	init_completion(&ctx.done);

	ret = dmastress_run_masks(dd, p, res);
	if (!ret)
		ret = dmastress_run_usable(&ctx, res);
	if (ret)
		goto out_masks;
	bytes = dmastress_run_footprint(p, ctx.stress_paths);
	if (bytes > DMASTRESS_MAX_RUN_ALLOC_BYTES)
		ret = -EINVAL;
	else if (bytes > (u64)totalram_pages() << (PAGE_SHIFT - 1))
		ret = -ENOMEM;
	if (ret) {
		snprintf(res->skip_reason, sizeof(res->skip_reason),
			 "allocates %llu B > %s", bytes,
			 ret == -EINVAL ? "MAX_RUN_ALLOC_BYTES" : "half the RAM");
		goto out_masks;
	}
	ctx.memcg = get_mem_cgroup_from_mm(current->mm);

	threads = kcalloc(n, sizeof(*threads), DMASTRESS_GFP);
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

	if (ctx.eng->run_flags)
		ctx.eng->run_flags(dd, eng_state);
	ret = dmastress_run_threads(&ctx, threads, n, &elapsed);
	if (!ret) {
		dmastress_merge(threads, n, res, hists, counts, &status);
		if (ctx.eng->run_flags)
			res->path_flags |= ctx.eng->run_flags(dd, eng_state);
		if (counts && !(p->flags & DMASTRESS_RUN_STRESS))
			dmastress_counts_from_result(&counts[p->path], res);
		res->elapsed_ns = elapsed;
		ret = status;
		if (!ret && READ_ONCE(dd->gone))
			ret = -ENODEV;
		if (!ret && READ_ONCE(ctx.timed_out))
			ret = -ETIMEDOUT;
	}
out_threads:
	for (i = 0; i < n; i++)
		dmastress_thread_free(threads[i]);
	kfree(threads);
	mem_cgroup_put(ctx.memcg);
out_masks:
	dmastress_restore_masks(dd);
	kvfree(own_hists);
	return ret;
}
