/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress_run.h - the run core's own state, shared by its three files:
 * dmastress_run.c (entry, validation, masks, threads, the per-op and batch
 * loops), dmastress_op.c (one op's pipeline) and dmastress_stress.c (the
 * stress loop). Nothing outside them includes it.
 */
#ifndef _DMASTRESS_RUN_H
#define _DMASTRESS_RUN_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/prandom.h>
#include <linux/sched.h>

#include "dmastress.h"

/* Per-op nents drawn by stress when the run gives none. */
#define DMASTRESS_STRESS_NENTS	64

/* One run, shared read-mostly by its threads. */
struct dmastress_ctx {
	struct dmastress_dev *dd;
	const struct dmastress_run_params *p;
	const struct dmastress_engine *eng;
	u64 deadline_ns;
	u64 limit_ns;			/* start + max_run_seconds */
	struct mem_cgroup *memcg;	/* the caller's, charged by the threads */
	u32 stress_paths;
	bool abort;
	bool timed_out;
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
	struct page *canary;	/* DMASTRESS_RUN_OOB_XFER, device engines */
	dma_addr_t canary_dma;
	struct dmastress_slot *slots;
	unsigned int nslots;
	struct dmastress_run_result res;
	struct dmastress_path_counts *counts;	/* stress: per path */
	struct dmastress_hist hists[DMASTRESS_NR_HISTS];
};

/* dmastress_op.c: one op, in two halves or bare */
void dmastress_op_reset(struct dmastress_thread *t, struct dmastress_slot *s);
int dmastress_op_begin(struct dmastress_thread *t, struct dmastress_slot *s);
void dmastress_op_end(struct dmastress_thread *t, struct dmastress_slot *s);
int dmastress_op_bare(struct dmastress_thread *t, struct dmastress_slot *s);
void dmastress_count_error(struct dmastress_thread *t, int err, bool mapping);

/* dmastress_run.c */
bool dmastress_thread_more(struct dmastress_thread *t);
void dmastress_thread_error(struct dmastress_thread *t, int err);
bool dmastress_path_usable(struct dmastress_dev *dd,
			   const struct dmastress_path *path,
			   const struct dmastress_run_params *p,
			   const char **why);

/* dmastress_stress.c: the stress loop */
u32 dmastress_stress_paths(struct dmastress_dev *dd,
			   const struct dmastress_run_params *p);
void dmastress_thread_stress(struct dmastress_thread *t);

#endif /* _DMASTRESS_RUN_H */
