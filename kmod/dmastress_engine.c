// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_engine.c - the engine table, the device-side buffer of a
 * transfer, and transfers split to what an engine can do
 */
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmastress.h"

const struct dmastress_engine *const dmastress_engines[DMASTRESS_NR_ENGINES] = {
	[DMASTRESS_ENGINE_EDU] = &dmastress_engine_edu,
	[DMASTRESS_ENGINE_CPU] = &dmastress_engine_cpu,
	[DMASTRESS_ENGINE_NVME] = &dmastress_engine_nvme,
};

/**
 * dmastress_stopping() - is the calling task asked to stop?
 *
 * Process context.
 *
 * Return: true when a run's kthread is asked to stop (kthread_stop(): the
 * run ends, by a fatal signal or an unbind), or a user task (an INLINE run,
 * a view transfer) got a fatal signal.
 */
bool dmastress_stopping(void)
{
	if (current->flags & PF_KTHREAD)
		return kthread_should_stop();
	return fatal_signal_pending(current);
}

/**
 * dmastress_engine_interrupted() - should a long transfer stop?
 * @dd: the device
 *
 * Process context.
 *
 * Return: true when the device is being unbound or dmastress_stopping().
 */
bool dmastress_engine_interrupted(struct dmastress_dev *dd)
{
	return READ_ONCE(dd->gone) || dmastress_stopping();
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
	p = kvzalloc(len + DMASTRESS_DEVBUF_SKEW_SPAN * PAGE_SIZE, DMASTRESS_GFP);
	*mem = p;
	if (!p)
		return NULL;
	skew = (DMASTRESS_DEVBUF_SKEW - ((unsigned long)p >> PAGE_SHIFT)) %
	       DMASTRESS_DEVBUF_SKEW_SPAN;
	return p + skew * PAGE_SIZE;
}

/**
 * dmastress_devbuf_bytes() - memory dmastress_devbuf_alloc() takes
 * @len: its @len, bytes
 *
 * Any context.
 *
 * Return: bytes, at most.
 */
u64 dmastress_devbuf_bytes(u64 len)
{
	return dmastress_kvmalloc_bytes(len + DMASTRESS_DEVBUF_SKEW_SPAN *
					PAGE_SIZE);
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
 * dmastress_engine_max_xfer() - the largest transfer of an engine on a device
 * @dd: the device
 * @eng: the engine
 *
 * Any context.
 *
 * Return: bytes: what the device reports (&struct dmastress_engine
 * dev_max_xfer, e.g. an NVMe controller's MDTS), else the engine's own
 * @eng->max_xfer; 0 when the engine cannot run on @dd.
 */
size_t dmastress_engine_max_xfer(struct dmastress_dev *dd,
				 const struct dmastress_engine *eng)
{
	return eng->dev_max_xfer ? eng->dev_max_xfer(dd) : eng->max_xfer;
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
 * Splits the range into transfers of at most dmastress_engine_max_xfer()
 * bytes and stops at the first error. Between transfers it gives up the
 * CPU and checks for an unbind (@dd->gone), kthread_stop() (a run's
 * thread) or a fatal signal (a user task). Process context, may sleep.
 *
 * Return: 0, -EINTR when stopped, or the engine's error (-EFAULT for an
 * address that does not translate, -ETIMEDOUT, -EIO).
 */
int dmastress_engine_xfer(struct dmastress_dev *dd,
			  const struct dmastress_engine *eng, dma_addr_t dma,
			  void *devbuf, size_t len, enum dmastress_xfer_dir dir)
{
	size_t max = dmastress_engine_max_xfer(dd, eng);
	size_t done = 0;
	int ret;

	if (!max)
		return -EIO;
	while (done < len) {
		size_t n = min(len - done, max);

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
 * dmastress_engine_xfer_segs() - move a segment list's bytes
 * @dd: the device
 * @eng: the engine
 * @segs: DMA segments, in order
 * @nsegs: entries of @segs
 * @devbuf: device-side buffer of @len bytes
 * @len: bytes, the sum of the segments' lengths
 * @dir: DMASTRESS_MEM_TO_DEV or DMASTRESS_DEV_TO_MEM
 * @cmd_ns: out, added to: ns of the device commands that moved the
 *	segments' bytes, where the engine tells them apart (nvme), else the
 *	whole transfer's
 *
 * A scatter-gather engine (&struct dmastress_engine xfer_segs) takes the
 * whole list, its commands pointing at several segments each; any other
 * moves segment after segment with dmastress_engine_xfer(). Process
 * context, may sleep.
 *
 * Return: as dmastress_engine_xfer(); -EOPNOTSUPP when the device cannot
 * point at these segments.
 */
int dmastress_engine_xfer_segs(struct dmastress_dev *dd,
			       const struct dmastress_engine *eng,
			       const struct dmastress_seg *segs,
			       unsigned int nsegs, void *devbuf, size_t len,
			       enum dmastress_xfer_dir dir, u64 *cmd_ns)
{
	u64 t0 = ktime_get_ns();
	size_t off = 0;
	unsigned int i;
	int ret = 0;

	if (eng->xfer_segs)
		return eng->xfer_segs(dd, segs, nsegs, devbuf, len, dir,
				      cmd_ns);
	for (i = 0; i < nsegs && !ret; i++) {
		ret = dmastress_engine_xfer(dd, eng, segs[i].dma, devbuf + off,
					    segs[i].len, dir);
		off += segs[i].len;
	}
	*cmd_ns += ktime_get_ns() - t0;
	return ret;
}
