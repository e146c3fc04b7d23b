// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_engine_cpu.c - a software bus-master
 *
 * The CPU plays the device: for every page of a transfer it translates the
 * DMA address the way the platform would for this device, then copies to
 * or from that physical page. With an IOMMU paging domain (DMA, DMA-FQ or
 * unmanaged) the translation is iommu_iova_to_phys(); without one, or with
 * an identity domain, it is dma_to_phys(), which under swiotlb lands in the
 * bounce slot exactly as a real device's access would. An address that does
 * not translate, beyond the device's masks, or onto memory without a struct
 * page is a device fault (-EFAULT) and is never dereferenced.
 *
 * Unlike hardware it cannot reach MMIO, and the IOMMU's permission bits are
 * not checked: a write through a read-only (TO_DEVICE) IOVA succeeds here.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "dmastress.h"

/* Largest transfer between checks for a stop request, bytes. */
#define DMASTRESS_CPU_MAX_XFER	SZ_1M

static bool dmastress_cpu_usable(struct dmastress_dev *dd, const char **why)
{
	return true;
}

static int dmastress_cpu_xfer(struct dmastress_dev *dd, dma_addr_t dma,
			      void *devbuf, size_t len,
			      enum dmastress_xfer_dir dir)
{
	struct device *dev = dd->dev;
	u64 limit = max(dma_get_mask(dev), dev->coherent_dma_mask);
	size_t done = 0;

	if (!len)
		return 0;
	if (dma + len - 1 < dma || dma + len - 1 > limit)
		return -EFAULT;	/* the device cannot emit this address */

	while (done < len) {
		size_t step, n;
		phys_addr_t phys;
		void *va;

		phys = dmastress_translate(dev, dma + done, &step);
		if (!phys || !pfn_valid(PHYS_PFN(phys)))
			return -EFAULT;	/* unmapped, or MMIO without a page */
		n = min3(len - done, step, PAGE_SIZE - offset_in_page(phys));
		va = kmap_local_pfn(PHYS_PFN(phys)) + offset_in_page(phys);
		if (dir == DMASTRESS_MEM_TO_DEV)
			memcpy(devbuf + done, va, n);
		else
			memcpy(va, devbuf + done, n);
		kunmap_local(va);
		done += n;
	}
	return 0;
}

const struct dmastress_engine dmastress_engine_cpu = {
	.id = DMASTRESS_ENGINE_CPU,
	.max_xfer = DMASTRESS_CPU_MAX_XFER,
	.usable = dmastress_cpu_usable,
	.xfer = dmastress_cpu_xfer,
};
