// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_p2pdma.c - dma_map_sgtable() of P2PDMA pages
 *
 * The kernel's P2PDMA layer: a provider offers part of a BAR as memory
 * with struct pages (pci_p2pdma_add_resource(); here the upper half of an
 * NVMe controller's CMB, see dmastress_peer.c), a client takes some with
 * pci_alloc_p2pmem() and maps it like any sg_table with
 * dma_map_sgtable(), which asks pci_p2pdma_map_type() how: through the
 * host bridge (an IOVA under an IOMMU, else the CPU physical address), by
 * PCI bus address (a switch between the two, no IOMMU involved), or not at
 * all (-EREMOTEIO). The bus-master here is the client: edu or the other
 * NVMe controller. The CPU view is the P2PDMA memory itself (the kernel
 * maps it uncached), so the run core fills and verifies it in place.
 *
 * One sg entry per page of the allocation, so the mapping has nents to
 * merge or not. Syncs are dma_sync_sgtable_for_{device,cpu}() (no-ops for
 * P2P pages, called as a driver would).
 *
 * What cannot work, and is skipped with a reason by usable():
 *  - a kernel without CONFIG_PCI_P2PDMA (Debian's 6.1 and 6.12): no
 *    provider registers;
 *  - a topology the kernel refuses, pci_p2pdma_distance() < 0: devices on
 *    a host bridge that is neither on the kernel's allowlist nor behind an
 *    AMD Zen CPU (QEMU's q35 under its default CPU); the provider's first
 *    refusal logs which;
 *  - the cpu engine: P2P DMA is a device's;
 *  - more than the provider's P2PDMA memory.
 */
#include <linux/pci-p2pdma.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "dmastress.h"

/**
 * struct dmastress_p2pdma - private state of one p2pdma op
 * @piece: the P2PDMA memory
 * @sgt: its pages, one entry each
 * @mapped: dma_map_sgtable() succeeded and is not undone
 */
struct dmastress_p2pdma {
	struct dmastress_peer_piece piece;
	struct sg_table sgt;
	bool mapped;
};

static bool dmastress_p2pdma_usable(struct dmastress_dev *dd,
				    const struct dmastress_run_params *p,
				    const char **why)
{
	int distance;
	size_t window = dmastress_peer_p2p_window(dd, &distance);
	u64 live = p->flags & DMASTRESS_RUN_STRESS ? max_t(u32, p->live, 1) :
		   p->batch && !(p->flags & DMASTRESS_RUN_REUSE) ? p->batch : 1;

	if (!IS_ENABLED(CONFIG_PCI_P2PDMA)) {
		*why = "the kernel has no CONFIG_PCI_P2PDMA";
		return false;
	}
	if (!window) {
		*why = "no other device offers P2PDMA memory (an NVMe CMB)";
		return false;
	}
	if (distance < 0) {
		*why = "pci_p2pdma_distance() < 0: the kernel refuses this pair";
		return false;
	}
	if (p->engine == DMASTRESS_ENGINE_CPU) {
		*why = "only a device engine does peer-to-peer DMA";
		return false;
	}
	if (p->threads * live * PAGE_ALIGN(p->len_bytes) > window) {
		*why = "more than the provider's P2PDMA memory";
		return false;
	}
	return true;
}

static int dmastress_p2pdma_prepare(struct dmastress_op *op)
{
	unsigned int i, n = DIV_ROUND_UP(op->len, PAGE_SIZE);
	struct dmastress_p2pdma *m;
	struct scatterlist *sg;
	size_t left = op->len;
	int ret;

	m = kzalloc(sizeof(*m), DMASTRESS_GFP);
	if (!m)
		return -ENOMEM;
	ret = dmastress_peer_get_p2p(op->dd, op->len, &m->piece);
	if (ret)
		goto err_free;
	ret = sg_alloc_table(&m->sgt, n, DMASTRESS_GFP);
	if (ret)
		goto err_put;
	for_each_sgtable_sg(&m->sgt, sg, i) {
		size_t len = min_t(size_t, left, PAGE_SIZE);

		sg_set_page(sg, virt_to_page(m->piece.p2p_va + i * PAGE_SIZE),
			    len, 0);
		left -= len;
	}
	op->priv = m;
	op->vaddr = m->piece.p2p_va;
	op->nents_cpu = n;
	return 0;
err_put:
	dmastress_peer_put(&m->piece);
err_free:
	kfree(m);
	return ret;
}

static int dmastress_p2pdma_setup(struct dmastress_op *op)
{
	struct dmastress_p2pdma *m = op->priv;
	enum dma_data_direction dir = op->dir;
	struct device *dev = op->dd->dev;
	unsigned int first = op->nsegs;
	struct sg_table *sgt;
	int ret;
	u64 t;

	if (!m)
		return -ENOMEM;
	sgt = &m->sgt;
	t = dmastress_op_call_begin(op);
	ret = dma_map_sgtable(dev, sgt, dir, 0);
	dmastress_op_call_end(op, t);
	if (ret)
		return ret;
	m->mapped = true;
	ret = dmastress_op_add_sgtable(op, sgt, 0, op->len);
	if (ret == -EIO) {
		op->seg_violations++;
		ret = 0;
	}
	if (ret)
		return ret;	/* the core tears down */
	if (op->nsegs > first)
		op->segs[first].phys = sg_phys(sgt->sgl);
	return 0;
}

static void dmastress_p2pdma_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_p2pdma *m = op->priv;

	if (m && m->mapped)
		dma_sync_sgtable_for_device(op->dd->dev, &m->sgt, op->dir);
}

static void dmastress_p2pdma_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_p2pdma *m = op->priv;

	if (m && m->mapped)
		dma_sync_sgtable_for_cpu(op->dd->dev, &m->sgt, op->dir);
}

static void dmastress_p2pdma_teardown(struct dmastress_op *op)
{
	struct dmastress_p2pdma *m = op->priv;
	enum dma_data_direction dir = op->dir;
	struct device *dev = op->dd->dev;
	struct sg_table *sgt;
	u64 t;

	if (!m || !m->mapped)
		return;
	sgt = &m->sgt;
	t = dmastress_op_call_begin(op);
	dma_unmap_sgtable(dev, sgt, dir, 0);
	dmastress_op_call_end(op, t);
	m->mapped = false;
}

static void dmastress_p2pdma_release(struct dmastress_op *op)
{
	struct dmastress_p2pdma *m = op->priv;

	if (!m)
		return;
	dmastress_p2pdma_teardown(op);
	sg_free_table(&m->sgt);
	dmastress_peer_put(&m->piece);
	kfree(m);
	op->priv = NULL;
	op->vaddr = NULL;
}

/**
 * DOC: dmastress_path_p2pdma - dma_map_sgtable() of P2PDMA pages
 *
 * prepare() takes len bytes of another device's P2PDMA memory with
 * pci_alloc_p2pmem() (-ENODEV when none, -ENOMEM when it is used up) and
 * builds one sg entry per page; setup() maps them with dma_map_sgtable()
 * and returns its error as is (-EREMOTEIO where the kernel refuses the
 * P2P path, -EINVAL, -ENOMEM, -EIO); the syncs are the sgtable syncs;
 * teardown() unmaps; release() frees the table and the memory. Needs
 * CONFIG_PCI_P2PDMA (the API is 4.20's; Debian enables it from 7.3) and a
 * topology pci_p2pdma_distance() accepts. Process context.
 */
const struct dmastress_path dmastress_path_p2pdma = {
	.id = DMASTRESS_PATH_P2PDMA,
	.usable = dmastress_p2pdma_usable,
	.prepare = dmastress_p2pdma_prepare,
	.setup = dmastress_p2pdma_setup,
	.sync_for_device = dmastress_p2pdma_sync_for_device,
	.sync_for_cpu = dmastress_p2pdma_sync_for_cpu,
	.teardown = dmastress_p2pdma_teardown,
	.release = dmastress_p2pdma_release,
};
