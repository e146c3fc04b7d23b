// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_stress.c - what the stress mix adds to the run core
 *
 * The run core (dmastress_run.c) draws the randomised operations of a
 * DMASTRESS_RUN_STRESS run; this file keeps their per-path books
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
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "dmastress.h"

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
