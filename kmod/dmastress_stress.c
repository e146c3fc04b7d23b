// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_stress.c - the stress loop and what it adds to the run core
 *
 * A DMASTRESS_RUN_STRESS run's threads draw randomised operations from the
 * paths that can run here and keep up to @live of them alive, their halves
 * interleaved (dmastress_thread_stress()). This file keeps their per-path
 * books
 * (&struct dmastress_path_counts: a snapshot of the thread's counters
 * before an operation's half, the difference after it goes to the
 * operation's path) and the digest of the drawn sequence that shows a
 * replay drew the same operations. It also marks the run's kthreads for
 * task-filtered fault injection when the fault_threads parameter is set:
 * with failslab and fail_page_alloc in task-filter mode, only the
 * allocations made by a run's own threads (and what the DMA API allocates
 * on their behalf) then fail.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "dmastress_run.h"

static bool fault_threads;
module_param(fault_threads, bool, 0644);
MODULE_PARM_DESC(fault_threads,
		 "Mark run kthreads make-it-fail, for task-filtered failslab/fail_page_alloc (test rigs only)");

/**
 * dmastress_stress_thread_start() - called first by each run thread
 *
 * With fault_threads set and CONFIG_FAULT_INJECTION, a kthread marks itself
 * make-it-fail, as writing 1 to /proc/<pid>/make-it-fail would. A run in
 * the caller's task (DMASTRESS_RUN_INLINE) is left alone: it is the
 * caller's to mark. Thread context.
 */
void dmastress_stress_thread_start(void)
{
#ifdef CONFIG_FAULT_INJECTION
	if (READ_ONCE(fault_threads) && (current->flags & PF_KTHREAD))
		current->make_it_fail = 1;
#endif
}

/**
 * dmastress_counts_snap() - take the error and progress counters of a result
 * @snap: filled with the counters of @r (started and digest zero)
 * @r: a thread's running result
 *
 * Any context.
 */
void dmastress_counts_snap(struct dmastress_path_counts *snap,
			   const struct dmastress_run_result *r)
{
	memset(snap, 0, sizeof(*snap));
	snap->ops = r->ops;
	snap->bytes = r->bytes;
	snap->mismatches = r->mismatches;
	snap->guard_errors = r->guard_errors;
	snap->src_errors = r->src_errors;
	snap->device_faults = r->device_faults;
	snap->map_errors = r->map_errors;
	snap->alloc_errors = r->alloc_errors;
	snap->mask_violations = r->mask_violations;
	snap->seg_violations = r->seg_violations;
}

/**
 * dmastress_counts_account() - credit what a result gained since a snapshot
 * @pc: the counts of the operation's path
 * @snap: dmastress_counts_snap() taken before the operation's half
 * @r: the same result after it
 *
 * Any context; @pc, @snap and @r belong to one thread.
 */
void dmastress_counts_account(struct dmastress_path_counts *pc,
			      const struct dmastress_path_counts *snap,
			      const struct dmastress_run_result *r)
{
	pc->ops += r->ops - snap->ops;
	pc->bytes += r->bytes - snap->bytes;
	pc->mismatches += r->mismatches - snap->mismatches;
	pc->guard_errors += r->guard_errors - snap->guard_errors;
	pc->src_errors += r->src_errors - snap->src_errors;
	pc->device_faults += r->device_faults - snap->device_faults;
	pc->map_errors += r->map_errors - snap->map_errors;
	pc->alloc_errors += r->alloc_errors - snap->alloc_errors;
	pc->mask_violations += r->mask_violations - snap->mask_violations;
	pc->seg_violations += r->seg_violations - snap->seg_violations;
}

/**
 * dmastress_counts_draw() - book one drawn operation
 * @pc: the counts of its path
 * @q: its parameters as drawn
 * @thread: the thread index
 * @iter: the thread's operation number
 *
 * Counts it as started and adds a hash of its shape to the digest; the sum
 * does not depend on how the threads interleave. Any context.
 */
void dmastress_counts_draw(struct dmastress_path_counts *pc,
			   const struct dmastress_run_params *q,
			   unsigned int thread, u64 iter)
{
	u32 h;

	h = dmastress_pattern_word(q->path * 0x01000193U ^ q->dir, q->len_bytes);
	h = dmastress_pattern_word(h ^ q->offset_bytes, q->nents);
	h = dmastress_pattern_word(h ^ q->attrs ^ thread, iter);
	pc->started++;
	pc->digest += h;
}

/**
 * dmastress_counts_merge() - add one thread's per-path counts to the run's
 * @dst: DMASTRESS_NR_PATHS counts of the run
 * @src: DMASTRESS_NR_PATHS counts of a thread
 *
 * Any context.
 */
void dmastress_counts_merge(struct dmastress_path_counts *dst,
			    const struct dmastress_path_counts *src)
{
	unsigned int i;

	for (i = 0; i < DMASTRESS_NR_PATHS; i++) {
		dst[i].ops += src[i].ops;
		dst[i].bytes += src[i].bytes;
		dst[i].started += src[i].started;
		dst[i].mismatches += src[i].mismatches;
		dst[i].guard_errors += src[i].guard_errors;
		dst[i].src_errors += src[i].src_errors;
		dst[i].device_faults += src[i].device_faults;
		dst[i].map_errors += src[i].map_errors;
		dst[i].alloc_errors += src[i].alloc_errors;
		dst[i].mask_violations += src[i].mask_violations;
		dst[i].seg_violations += src[i].seg_violations;
		dst[i].digest += src[i].digest;
	}
}

/**
 * dmastress_counts_from_result() - per-path counts of a single-path run
 * @pc: the counts of the run's path
 * @r: the run's merged result
 *
 * A run without DMASTRESS_RUN_STRESS books everything on its one path;
 * started is the number of completed plus failed operations. Any context.
 */
void dmastress_counts_from_result(struct dmastress_path_counts *pc,
				  const struct dmastress_run_result *r)
{
	dmastress_counts_snap(pc, r);
	pc->started = r->ops + r->map_errors + r->alloc_errors;
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
	s->path = dmastress_paths[id];
	q->attrs &= s->path->attrs;
	return !s->path->usable || s->path->usable(t->ctx->dd, q, &why);
}

/**
 * dmastress_thread_stress() - a stress run's thread loop
 * @t: the thread
 *
 * Keeps up to @t->nslots ops of a random mix of paths, directions, sizes
 * and offsets alive, starting a new one or ending a live one at random,
 * so that the ops' two halves interleave; keeps the per-path books in
 * @t->counts. An op's error is counted and the loop goes on. Process
 * context, sleeps.
 */
void dmastress_thread_stress(struct dmastress_thread *t)
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

/**
 * dmastress_stress_paths() - which paths a stress run mixes
 * @dd: the device, its masks set for the run
 * @p: the run's parameters
 *
 * The requested ones that can run here at a page or less. len_bytes is
 * only the largest size drawn; each drawn operation is checked again at its
 * own size (dmastress_stress_draw()). Process context.
 *
 * Return: a bitmask of path ids, 0 when none can run.
 */
u32 dmastress_stress_paths(struct dmastress_dev *dd,
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

		if (!(want & BIT(id)))
			continue;
		q.path = id;
		q.flags &= ~DMASTRESS_RUN_STRESS;
		q.attrs = p->attrs & path->attrs;
		if (dmastress_path_usable(dd, path, &q, &why))
			ok |= BIT(id);
	}
	return ok;
}
