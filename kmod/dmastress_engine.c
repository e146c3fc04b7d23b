// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_engine.c - the engine and path tables, chunked transfers, and
 * the segment/guard bookkeeping paths use to describe their buffers
 */
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmastress.h"

/*
 * The most segments one op may describe: one per page of the largest
 * buffer plus one per sg entry, plus a partial page at each end.
 */
#define DMASTRESS_MAX_OP_SEGS \
	(DMASTRESS_MAX_LEN_BYTES / PAGE_SIZE + DMASTRESS_MAX_NENTS + 2)

const struct dmastress_engine *const dmastress_engines[DMASTRESS_NR_ENGINES] = {
	[DMASTRESS_ENGINE_EDU] = &dmastress_engine_edu,
	[DMASTRESS_ENGINE_CPU] = &dmastress_engine_cpu,
};

const struct dmastress_path *const dmastress_paths[DMASTRESS_NR_PATHS] = {
	[DMASTRESS_PATH_COHERENT] = &dmastress_path_coherent,
	[DMASTRESS_PATH_POOL] = &dmastress_path_pool,
	[DMASTRESS_PATH_SINGLE] = &dmastress_path_single,
	[DMASTRESS_PATH_PAGE] = &dmastress_path_page,
	[DMASTRESS_PATH_SG] = &dmastress_path_sg,
	[DMASTRESS_PATH_SGTABLE] = &dmastress_path_sgtable,
	[DMASTRESS_PATH_RESOURCE] = &dmastress_path_resource,
	[DMASTRESS_PATH_PAGES] = &dmastress_path_pages,
	[DMASTRESS_PATH_NONCOHERENT] = &dmastress_path_noncoherent,
	[DMASTRESS_PATH_NONCONTIG] = &dmastress_path_noncontig,
};

/*
 * The device is being unbound, a run's kthread is asked to stop, or a user
 * task got a fatal signal.
 */
static bool dmastress_engine_interrupted(struct dmastress_dev *dd)
{
	if (READ_ONCE(dd->gone))
		return true;
	if (current->flags & PF_KTHREAD)
		return kthread_should_stop();
	return fatal_signal_pending(current);
}

/*
 * Where a devbuf starts, in pages, relative to a multiple of
 * DMASTRESS_DEVBUF_SKEW_SPAN pages. See dmastress_devbuf_alloc().
 */
#define DMASTRESS_DEVBUF_SKEW		4
#define DMASTRESS_DEVBUF_SKEW_SPAN	8

/**
 * dmastress_devbuf_alloc() - allocate the device-side stand-in of a transfer
 * @len: bytes the devbuf must hold, > 0
 * @mem: set to the allocation, for dmastress_devbuf_free()
 *
 * The devbuf plays the device's own memory: engines copy between it and the
 * DMA buffer. Under TCG the CPU's copy looks both pages up in QEMU's
 * softmmu TLB, a direct-mapped table of a power-of-two size that QEMU
 * resizes as it goes; when the two buffers' virtual page numbers differ by
 * a multiple of its size, every load and store of the copy misses it (the
 * two pages evict each other) and the copy runs ~9x slower (measured: a
 * 1 MiB single transfer 4.3-4.7 ms against 0.4-0.7 ms, both buffers from
 * the page allocator, aligned to their size). Large DMA buffers start on
 * a multiple of DMASTRESS_DEVBUF_SKEW_SPAN pages, so the devbuf starts
 * DMASTRESS_DEVBUF_SKEW pages past one: the page differences are then 4 or
 * 5 modulo 8, never a multiple of a TLB size. The placement costs nothing
 * on hardware. Zeroed. Process context, may sleep.
 *
 * Return: the devbuf, or NULL (*@mem NULL) when out of memory.
 */
void *dmastress_devbuf_alloc(size_t len, void **mem)
{
	unsigned long skew;
	void *p;

	/* len + the span is a page or more: kvzalloc() aligns it to a page */
	p = kvzalloc(len + DMASTRESS_DEVBUF_SKEW_SPAN * PAGE_SIZE, GFP_KERNEL);
	*mem = p;
	if (!p)
		return NULL;
	skew = (DMASTRESS_DEVBUF_SKEW - ((unsigned long)p >> PAGE_SHIFT)) %
	       DMASTRESS_DEVBUF_SKEW_SPAN;
	return p + skew * PAGE_SIZE;
}

/**
 * dmastress_devbuf_free() - free what dmastress_devbuf_alloc() allocated
 * @mem: its *@mem, or NULL
 *
 * Process context, may sleep.
 */
void dmastress_devbuf_free(void *mem)
{
	kvfree(mem);
}

/**
 * dmastress_engine_xfer() - move bytes in transfers the engine can do
 * @dd: the device
 * @eng: the engine
 * @dma: first DMA address; the range must be one DMA segment
 * @devbuf: device-side buffer of @len bytes
 * @len: bytes
 * @dir: DMASTRESS_MEM_TO_DEV or DMASTRESS_DEV_TO_MEM
 *
 * Splits the range into transfers of at most @eng->max_xfer bytes and stops
 * at the first error. Between transfers it gives up the CPU and checks for
 * an unbind (@dd->gone), kthread_stop() (a run's thread) or a fatal signal
 * (a user task). Process context, may sleep.
 *
 * Return: 0, -EINTR when stopped, or the engine's error (-EFAULT for an
 * address that does not translate, -ETIMEDOUT, -EIO).
 */
int dmastress_engine_xfer(struct dmastress_dev *dd,
			  const struct dmastress_engine *eng, dma_addr_t dma,
			  void *devbuf, size_t len, enum dmastress_xfer_dir dir)
{
	size_t done = 0;
	int ret;

	while (done < len) {
		size_t n = min(len - done, eng->max_xfer);

		if (done) {
			cond_resched();
			if (dmastress_engine_interrupted(dd))
				return -EINTR;
		}
		ret = eng->xfer(dd, dma + done, devbuf + done, n, dir);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

/**
 * dmastress_op_add_seg() - append a DMA segment to an op
 * @op: the op; @op->segs grows as needed (the run core frees it)
 * @dma: DMA address of the segment
 * @len: bytes, > 0
 * @cpu: kernel virtual address of the same bytes, or NULL
 * @phys: physical address behind @cpu, or 0
 *
 * Segments must be added in buffer order. Process context, may sleep when
 * the array grows (GFP_KERNEL).
 *
 * Return: 0, -ENOMEM, or -E2BIG past DMASTRESS_MAX_OP_SEGS segments.
 */
int dmastress_op_add_seg(struct dmastress_op *op, dma_addr_t dma, size_t len,
			 void *cpu, phys_addr_t phys)
{
	struct dmastress_seg *seg;

	if (op->nsegs == op->max_segs) {
		unsigned int cap = max(16U, op->max_segs * 2);
		struct dmastress_seg *segs;

		if (op->max_segs >= DMASTRESS_MAX_OP_SEGS)
			return -E2BIG;
		cap = min_t(unsigned int, cap, DMASTRESS_MAX_OP_SEGS);
		segs = kvmalloc_array(cap, sizeof(*segs), GFP_KERNEL);
		if (!segs)
			return -ENOMEM;
		if (op->nsegs)
			memcpy(segs, op->segs, op->nsegs * sizeof(*segs));
		kvfree(op->segs);
		op->segs = segs;
		op->max_segs = cap;
	}
	seg = &op->segs[op->nsegs++];
	seg->dma = dma;
	seg->len = len;
	seg->cpu = cpu;
	seg->phys = phys;
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
