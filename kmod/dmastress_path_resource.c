// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_resource.c - dma_map_resource() of the device's own BAR
 *
 * The target is MMIO, not memory: the upper half of edu's 4 KiB buffer
 * window, BAR0 + 0x40800 (the lower half is the edu engine's own device
 * buffer), at most 2048 bytes. dma_map_resource() maps it for the device
 * as a peer would be mapped: dma-direct returns the physical address,
 * iommu-dma an IOVA with IOMMU_MMIO. The op's segment records the DMA
 * address next to the BAR's physical address, which the run reports as
 * sample_dma_addr and sample_phys_addr.
 *
 * The DMA API has no syncs for a resource and no CPU view of it. The CPU
 * view here is a kernel shadow buffer that never touches the BAR (see the
 * empty sync hooks below).
 *
 * What cannot work, and is skipped with a reason by usable():
 *  - a device other than edu: its BAR layout is unknown, and a DMA write
 *    could land in its registers;
 *  - the cpu engine: it copies through struct pages, and MMIO has none
 *    (pfn_valid() is false), so every access would be a fault;
 *  - a device swiotlb bounces everything for (swiotlb=force) since 6.18:
 *    dma_map_resource() became dma_map_phys() with DMA_ATTR_MMIO, and
 *    dma-direct refuses to bounce MMIO (DMA_MAPPING_ERROR; 6.12 returned
 *    the bus address as it is);
 *  - verifying data with the edu engine: edu's BAR is register space. It
 *    does not expose its buffer: reads of BAR0 + 0x40800 return all-ones
 *    and writes are dropped, by the CPU and by edu's own DMA (QEMU 7.2
 *    routes a device's DMA to its own BAR through the memory API). So the
 *    path runs only with DMASTRESS_RUN_NO_VERIFY, which times the mapping
 *    and the peer transfers; a translation fault then still shows up in
 *    QEMU's log and the IOMMU's fault reporting.
 */
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/string.h>

#include "dmastress.h"

/* The peer window: upper half of edu's buffer at BAR0 + 0x40000. */
#define DMASTRESS_RESOURCE_OFFSET	0x40800
#define DMASTRESS_RESOURCE_MAX_BYTES	2048

/**
 * struct dmastress_resource - private state of one resource op
 * @shadow: CPU view of the window, @len bytes
 * @dma: what dma_map_resource() returned, while @mapped
 * @mapped: the mapping succeeded and is not undone
 */
struct dmastress_resource {
	void *shadow;
	dma_addr_t dma;
	bool mapped;
};

/**
 * dmastress_resource_usable() - can a run map edu's peer window?
 * @dd: the device
 * @p: the run's parameters
 * @why: out, the reason when not
 *
 * The resource path's limits, shared by the phys path's MMIO runs: edu's
 * BAR, at most 2048 bytes, 4-byte multiples, the edu engine, no-verify,
 * and no forced swiotlb since 6.18 (see the file comment).
 *
 * Context: any.
 * Return: true when it can.
 */
bool dmastress_resource_usable(struct dmastress_dev *dd,
			       const struct dmastress_run_params *p,
			       const char **why)
{
	if (!dd->is_edu || !dd->bar ||
	    dd->bar_len < DMASTRESS_RESOURCE_OFFSET + DMASTRESS_RESOURCE_MAX_BYTES) {
		*why = "needs edu's BAR0 as the peer target";
		return false;
	}
	if (p->len_bytes > DMASTRESS_RESOURCE_MAX_BYTES) {
		*why = "the peer window is 2048 bytes";
		return false;
	}
	if (p->engine != DMASTRESS_ENGINE_EDU) {
		*why = "only the edu engine reaches MMIO";
		return false;
	}
	/* edu's MMIO takes 4- and 8-byte accesses only; QEMU rejects others. */
	if (!IS_ALIGNED(p->len_bytes, 4)) {
		*why = "the peer window takes 4- and 8-byte accesses only";
		return false;
	}
	if (!(p->flags & DMASTRESS_RUN_NO_VERIFY)) {
		*why = "edu's BAR drops writes, reads ~0: needs no-verify";
		return false;
	}
	if (DMASTRESS_RESOURCE_IS_MMIO_PHYS && is_swiotlb_force_bounce(dd->dev)) {
		*why = "swiotlb=force: dma_map_resource() is dma_map_phys(MMIO) since 6.18";
		return false;
	}
	return true;
}

/**
 * dmastress_resource_phys() - physical address of edu's peer window
 * @dd: the device, edu with its BAR0 mapped
 *
 * Return: BAR0 + 0x40800, the upper half of edu's buffer window.
 */
phys_addr_t dmastress_resource_phys(struct dmastress_dev *dd)
{
	return dd->bar_phys + DMASTRESS_RESOURCE_OFFSET;
}

static int dmastress_resource_prepare(struct dmastress_op *op)
{
	struct dmastress_resource *r;

	if (op->len > DMASTRESS_RESOURCE_MAX_BYTES || !op->dd->bar)
		return -ENOMEM;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->shadow = kzalloc(op->len, GFP_KERNEL);
	if (!r->shadow) {
		kfree(r);
		return -ENOMEM;
	}
	op->priv = r;
	op->vaddr = r->shadow;
	return 0;
}

static int dmastress_resource_setup(struct dmastress_op *op)
{
	u64 t;
	struct dmastress_resource *r = op->priv;
	struct device *dev = op->dd->dev;
	phys_addr_t phys = dmastress_resource_phys(op->dd);
	int ret;

	if (!r)
		return -ENOMEM;
	t = dmastress_op_call_begin(op);
	r->dma = dma_map_resource(dev, phys, op->len, op->dir, 0);
	ret = dma_mapping_error(dev, r->dma);
	dmastress_op_call_end(op, t);
	if (ret)
		return -EIO;
	r->mapped = true;
	if (dmastress_op_add_seg(op, r->dma, op->len, r->shadow, phys)) {
		dma_unmap_resource(dev, r->dma, op->len, op->dir, 0);
		r->mapped = false;
		return -ENOMEM;
	}
	return 0;
}

/*
 * No CPU access to the BAR: edu drops CPU writes to its buffer window and
 * QEMU rejects the byte-wide accesses memcpy_toio()/memcpy_fromio() make
 * ("invalid size (min:4 max:8)"), which scripts/vm rightly reports as a
 * faulting access. The DMA API has no syncs for a resource, so these are
 * empty; the shadow buffer only gives the run core its CPU view.
 */
static void dmastress_resource_sync_for_device(struct dmastress_op *op)
{
}

static void dmastress_resource_sync_for_cpu(struct dmastress_op *op)
{
}

static void dmastress_resource_teardown(struct dmastress_op *op)
{
	u64 t;
	struct dmastress_resource *r = op->priv;

	if (!r || !r->mapped)
		return;
	t = dmastress_op_call_begin(op);
	dma_unmap_resource(op->dd->dev, r->dma, op->len, op->dir, 0);
	dmastress_op_call_end(op, t);
	r->mapped = false;
}

static void dmastress_resource_release(struct dmastress_op *op)
{
	struct dmastress_resource *r = op->priv;

	if (!r)
		return;
	dmastress_resource_teardown(op);
	kfree(r->shadow);
	kfree(r);
	op->priv = NULL;
	op->vaddr = NULL;
}

/**
 * DOC: dmastress_path_resource - dma_map_resource() of edu's BAR
 *
 * prepare() allocates the shadow CPU view; setup() maps BAR0 + 0x40800
 * for len (<= 2048) bytes with dma_map_resource(), -EIO when
 * dma_mapping_error() says so (some IOMMU setups refuse MMIO); the syncs
 * copy the shadow to and from the BAR; teardown() unmaps; release() frees
 * the shadow. usable() limits it to edu, the edu engine and no-verify runs
 * (see the file comment).
 * Process context.
 */
const struct dmastress_path dmastress_path_resource = {
	.id = DMASTRESS_PATH_RESOURCE,
	.usable = dmastress_resource_usable,
	.prepare = dmastress_resource_prepare,
	.setup = dmastress_resource_setup,
	.sync_for_device = dmastress_resource_sync_for_device,
	.sync_for_cpu = dmastress_resource_sync_for_cpu,
	.teardown = dmastress_resource_teardown,
	.release = dmastress_resource_release,
};
