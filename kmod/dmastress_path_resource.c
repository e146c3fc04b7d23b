// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_resource.c - dma_map_resource() of a peer's MMIO
 *
 * The target is MMIO, not memory, mapped for the device as a peer would be
 * mapped: dma-direct returns the physical address (the bus address), and
 * iommu-dma an IOVA with IOMMU_MMIO. The op's segment records the DMA
 * address next to the window's physical address, which the run reports as
 * sample_dma_addr and sample_phys_addr. The DMA API has no syncs for a
 * resource and no CPU view of it; the CPU view here is a kernel shadow
 * buffer.
 *
 * Two targets, the first that applies:
 *  - peer memory (dmastress_peer.c): whole pages of another device's
 *    window, an NVMe controller's CMB. The CPU reaches it through the BAR,
 *    so the run verifies every byte: sync_for_device copies the shadow
 *    into the window (memcpy_toio()), sync_for_cpu copies the window back
 *    (memcpy_fromio()) whatever the direction, so a TO_DEVICE window the
 *    device wrote into fails the check. These copies are the CPU's access
 *    to the peer, not DMA API work, and are what the resource path's
 *    SYNC_FOR_DEVICE and SYNC_FOR_CPU phases time. Any device engine;
 *  - without peer memory, edu's own BAR: the upper half of its 4 KiB
 *    buffer window, BAR0 + 0x40800 (the lower half is the edu engine's own
 *    device buffer), at most 2048 bytes. edu's BAR is register space: it
 *    does not expose its buffer (reads of BAR0 + 0x40800 return all-ones,
 *    writes by the CPU and by edu's own DMA are dropped; QEMU 7.2 routes a
 *    device's DMA to its own BAR through the memory API), so this target
 *    runs only with DMASTRESS_RUN_NO_VERIFY and the edu engine, which
 *    times the mapping and the peer transfers; a translation fault then
 *    still shows up in QEMU's log and the IOMMU's fault reporting.
 *
 * What cannot work, and is skipped with a reason by usable():
 *  - the cpu engine: it copies through struct pages, and MMIO has none
 *    (pfn_valid() is false), so every access would be a fault;
 *  - a window above the device's DMA mask without translation (edu's 28
 *    bits against a BAR the firmware put higher): dma-direct refuses to
 *    map it (dma_capable());
 *  - a device swiotlb bounces everything for (swiotlb=force) since 6.18:
 *    dma_map_resource() became dma_map_phys() with DMA_ATTR_MMIO, and
 *    dma-direct refuses to bounce MMIO (DMA_MAPPING_ERROR; 6.12 returned
 *    the bus address as it is);
 *  - more live ops than the peer window holds pages for.
 */
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/string.h>

#include "dmastress.h"

/* edu's own window: upper half of edu's buffer at BAR0 + 0x40000. */
#define DMASTRESS_RESOURCE_OFFSET	0x40800
#define DMASTRESS_RESOURCE_MAX_BYTES	2048

/**
 * struct dmastress_resource - private state of one resource op
 * @shadow: CPU view of the window, @len bytes
 * @piece: the peer memory the op maps, or none (edu's own window)
 * @phys: the window's physical address, what setup() maps
 * @dma: what dma_map_resource() returned, while @mapped
 * @mapped: the mapping succeeded and is not undone
 */
struct dmastress_resource {
	void *shadow;
	struct dmastress_peer_piece piece;
	phys_addr_t phys;
	dma_addr_t dma;
	bool mapped;
};

/* Ops alive at once per thread: what validation bounds memory by. */
static u64 dmastress_resource_alive(const struct dmastress_run_params *p)
{
	if (p->flags & DMASTRESS_RUN_STRESS)
		return max_t(u32, p->live, 1);
	if (p->batch && !(p->flags & DMASTRESS_RUN_REUSE))
		return p->batch;
	return 1;
}

static bool dmastress_resource_peer_usable(struct dmastress_dev *dd,
					   const struct dmastress_run_params *p,
					   size_t window, phys_addr_t phys,
					   const char **why)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dd->dev);
	u64 mask = p->mask_bits ? DMA_BIT_MASK(p->mask_bits) :
				  dma_get_mask(dd->dev);
	u64 need = p->threads * dmastress_resource_alive(p) *
		   PAGE_ALIGN(p->len_bytes);

	if (p->engine == DMASTRESS_ENGINE_CPU) {
		*why = "only a device engine reaches MMIO";
		return false;
	}
	if (need > window) {
		*why = "the peer window holds fewer pages than the run's live ops";
		return false;
	}
	if ((!domain || !(domain->type & __IOMMU_DOMAIN_PAGING)) &&
	    phys + window - 1 > mask) {
		*why = "the peer window is above the DMA mask and nothing translates";
		return false;
	}
	return true;
}

/**
 * dmastress_resource_usable() - can a run map a peer's MMIO?
 * @dd: the device
 * @p: the run's parameters
 * @why: out, the reason when not
 *
 * The resource path's limits, shared by the phys path's MMIO runs: with
 * another device's peer memory, a device engine, the window's pages and
 * the DMA mask (see the file comment); else edu's own BAR, at most 2048
 * bytes, 4-byte multiples, the edu engine and no-verify. Never a forced
 * swiotlb since 6.18.
 *
 * Context: process (takes the peer lock).
 * Return: true when it can.
 */
bool dmastress_resource_usable(struct dmastress_dev *dd,
			       const struct dmastress_run_params *p,
			       const char **why)
{
	phys_addr_t phys;
	size_t window = dmastress_peer_window(dd, &phys, NULL);

	if (DMASTRESS_RESOURCE_IS_MMIO_PHYS && is_swiotlb_force_bounce(dd->dev)) {
		*why = "swiotlb=force: 6.18's dma_map_resource() does not bounce MMIO";
		return false;
	}
	if (window)
		return dmastress_resource_peer_usable(dd, p, window, phys, why);
	if (!dd->is_edu || !dd->bar ||
	    dd->bar_len < DMASTRESS_RESOURCE_OFFSET + DMASTRESS_RESOURCE_MAX_BYTES) {
		*why = "needs peer memory (an NVMe CMB) or edu's BAR0 as the target";
		return false;
	}
	if (p->len_bytes > DMASTRESS_RESOURCE_MAX_BYTES) {
		*why = "edu's window is 2048 bytes";
		return false;
	}
	if (p->engine != DMASTRESS_ENGINE_EDU) {
		*why = "only the edu engine reaches edu's window";
		return false;
	}
	/* edu's MMIO takes 4- and 8-byte accesses only; QEMU rejects others. */
	if (!IS_ALIGNED(p->len_bytes, 4)) {
		*why = "edu's window takes 4- and 8-byte accesses only";
		return false;
	}
	if (!(p->flags & DMASTRESS_RUN_NO_VERIFY)) {
		*why = "edu's BAR keeps no data: needs no-verify or peer memory";
		return false;
	}
	return true;
}

/**
 * dmastress_resource_target() - take the MMIO an op maps
 * @op: the op, of @op->len bytes
 * @piece: out, the peer memory taken, or zeroed for edu's own window
 * @err: out, 0, or why nothing was taken
 *
 * Peer memory where another device provides it, else edu's BAR0 + 0x40800.
 * Give a piece back with dmastress_peer_put(). Process context.
 *
 * Return: the physical address to map; 0 with nothing taken and @err
 * -ENOMEM when the peer's window is full, -ENODEV when it is going away.
 */
phys_addr_t dmastress_resource_target(struct dmastress_op *op,
				      struct dmastress_peer_piece *piece,
				      int *err)
{
	struct dmastress_dev *dd = op->dd;

	*err = 0;
	memset(piece, 0, sizeof(*piece));
	if (dmastress_peer_window(dd, NULL, NULL)) {
		*err = dmastress_peer_get(dd, op->len, piece);
		return *err ? 0 : piece->phys;
	}
	if (op->len > DMASTRESS_RESOURCE_MAX_BYTES || !dd->bar) {
		*err = -ENOMEM;
		return 0;
	}
	return dd->bar_phys + DMASTRESS_RESOURCE_OFFSET;
}

static int dmastress_resource_prepare(struct dmastress_op *op)
{
	struct dmastress_resource *r;
	int ret;

	r = kzalloc(sizeof(*r), DMASTRESS_GFP);
	if (!r)
		return -ENOMEM;
	r->shadow = kzalloc(op->len, DMASTRESS_GFP);
	if (!r->shadow) {
		kfree(r);
		return -ENOMEM;
	}
	r->phys = dmastress_resource_target(op, &r->piece, &ret);
	if (ret) {
		kfree(r->shadow);
		kfree(r);
		return ret;
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
	phys_addr_t phys;
	int ret;

	if (!r)
		return -ENOMEM;
	phys = r->phys;
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
 * The DMA API has no syncs for a resource: these are the CPU's own access
 * to peer memory through its BAR (see dmastress_peer_write()). edu's own
 * window gets none: edu drops CPU writes to it and QEMU rejects the
 * byte-wide accesses memcpy_toio()/memcpy_fromio() make ("invalid size
 * (min:4 max:8)"), which scripts/vm rightly reports as a faulting access.
 */
static void dmastress_resource_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_resource *r = op->priv;

	dmastress_peer_write(&r->piece, r->shadow, op->len);
}

static void dmastress_resource_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_resource *r = op->priv;

	dmastress_peer_read(&r->piece, r->shadow, op->len);
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
	dmastress_peer_put(&r->piece);
	kfree(r->shadow);
	kfree(r);
	op->priv = NULL;
	op->vaddr = NULL;
}

/**
 * DOC: dmastress_path_resource - dma_map_resource() of a peer's MMIO
 *
 * prepare() allocates the shadow CPU view and takes the target: whole
 * pages of another device's peer memory (-ENOMEM when its window is full,
 * -ENODEV when it is going away), else edu's BAR0 + 0x40800 (<= 2048
 * bytes); setup() maps it for len bytes with dma_map_resource(), -EIO
 * when dma_mapping_error() says so (some IOMMU setups refuse MMIO); the
 * syncs copy the shadow to and from peer memory through its BAR;
 * teardown() unmaps; release() gives the pages back and frees the shadow.
 * usable() says which runs can (see the file comment). Process context.
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
