// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_info.c - what the device and the kernel offer; DMA masks
 *
 * Everything here is a query of the DMA API or the IOMMU core for the bound
 * device, reported as it is. The masks a run sets are undone by
 * dmastress_restore_masks() after every run.
 */
#include <linux/bitops.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

#include "dmastress.h"

/* Bytes of the sample mapping used to ask dma_need_sync(). */
#define DMASTRESS_SAMPLE_BYTES	64

/**
 * dmastress_group_type() - the device's IOMMU domain type
 * @dev: the device
 *
 * Process context.
 *
 * Return: enum dmastress_group_type: NONE without a domain (dma-direct,
 * maybe swiotlb), IDENTITY, DMA, DMA_FQ, or BLOCKED for a blocked or
 * unmanaged (or any other) domain.
 */
u32 dmastress_group_type(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain)
		return DMASTRESS_GROUP_NONE;
	switch (domain->type) {
	case IOMMU_DOMAIN_IDENTITY:
		return DMASTRESS_GROUP_IDENTITY;
	case IOMMU_DOMAIN_DMA:
		return DMASTRESS_GROUP_DMA;
	case IOMMU_DOMAIN_DMA_FQ:
		return DMASTRESS_GROUP_DMA_FQ;
	default:
		return DMASTRESS_GROUP_BLOCKED;
	}
}

static u64 dmastress_iommu_granule(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING) ||
	    !domain->pgsize_bitmap)
		return 0;
	return 1ULL << __ffs(domain->pgsize_bitmap);
}

/**
 * dmastress_translate() - where a DMA address of @dev lands
 * @dev: the device
 * @dma: a DMA address (an IOVA under a paging domain)
 * @unit: out, optional: bytes from @dma on that share the translation (the
 *	rest of the IOMMU granule, else of the CPU page)
 *
 * The platform's translation for @dev: iommu_iova_to_phys() under a DMA,
 * DMA-FQ or unmanaged domain, dma_to_phys() without a domain or under an
 * identity one (under swiotlb that is the bounce slot). MMIO translates
 * like memory; the caller decides whether a struct page must be behind it.
 *
 * Context: any; the IOMMU page table walk takes no sleeping lock.
 * Return: the physical address, or 0 when @dma does not translate (no
 * IOMMU mapping, a blocked domain, an address dma_to_phys() refuses).
 */
phys_addr_t dmastress_translate(struct device *dev, dma_addr_t dma,
				size_t *unit)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	size_t u = PAGE_SIZE;
	phys_addr_t phys;

	if (domain && (domain->type & __IOMMU_DOMAIN_PAGING)) {
		if (domain->pgsize_bitmap)
			u = min_t(size_t, u, 1UL << __ffs(domain->pgsize_bitmap));
		phys = iommu_iova_to_phys(domain, dma);
	} else if (!domain || domain->type == IOMMU_DOMAIN_IDENTITY) {
		phys = dma_to_phys(dev, dma);
		if (phys == (phys_addr_t)-1)
			phys = 0;
	} else {
		phys = 0;	/* blocked: nothing translates */
	}
	if (unit)
		*unit = u - (dma & (u - 1));
	return phys;
}

/* dma_need_sync() of a kmalloc'd sample mapping; false if it cannot map. */
static bool dmastress_sample_need_sync(struct device *dev)
{
	dma_addr_t dma;
	bool need;
	void *buf;

	buf = kmalloc(DMASTRESS_SAMPLE_BYTES, GFP_KERNEL);
	if (!buf)
		return false;
	dma = dma_map_single(dev, buf, DMASTRESS_SAMPLE_BYTES, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, dma)) {
		kfree(buf);
		return false;
	}
	need = dma_need_sync(dev, dma);
	dma_unmap_single(dev, dma, DMASTRESS_SAMPLE_BYTES, DMA_TO_DEVICE);
	kfree(buf);
	return need;
}

static void dmastress_fill_swiotlb(struct device *dev,
				   struct dmastress_info *info)
{
#ifdef CONFIG_SWIOTLB
	struct io_tlb_mem *mem = dev->dma_io_tlb_mem;

	if (mem && mem->nslabs) {
		info->flags |= DMASTRESS_INFO_SWIOTLB_ACTIVE;
		info->swiotlb_nslabs = mem->nslabs;
	}
	if (is_swiotlb_force_bounce(dev))
		info->flags |= DMASTRESS_INFO_SWIOTLB_FORCE;
#endif
}

/**
 * dmastress_alloc_needs_contig() - whether a buffer of @dev must be contiguous
 * @dev: the device
 * @force: the caller asks for contiguous memory anyway
 *
 * Without a DMA or DMA-FQ domain (dma-direct, swiotlb, identity) the DMA
 * allocators hand out physically contiguous memory; iommu-dma gathers
 * single pages behind one IOVA range. Process context.
 *
 * Return: true when the allocation is limited to contiguous memory.
 */
bool dmastress_alloc_needs_contig(struct device *dev, bool force)
{
	u32 type = dmastress_group_type(dev);

	return force || (type != DMASTRESS_GROUP_DMA &&
			 type != DMASTRESS_GROUP_DMA_FQ);
}

/**
 * dmastress_fill_info() - answer DMASTRESS_IOC_INFO
 * @dd: the device
 * @info: filled; every field is written (@info->size becomes sizeof)
 *
 * The masks reported are the ones saved at bind time. Maps and unmaps one
 * 64-byte sample buffer to ask dma_need_sync(). The caller adds
 * DMASTRESS_INFO_PFN_PITFALL (a module parameter). Process context, may
 * sleep; the caller holds @dd->lock so no run changes the masks meanwhile.
 */
void dmastress_fill_info(struct dmastress_dev *dd, struct dmastress_info *info)
{
	struct device *dev = dd->dev;
	u64 ps = dmastress_timer_overhead_ps();
	phys_addr_t peer = 0;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (dd->pdev)
		info->bdf = pci_domain_nr(dd->pdev->bus) << 16 |
			    pci_dev_id(dd->pdev);
	info->group_type = dmastress_group_type(dev);
	info->dma_mask = dd->saved_dma_mask;
	info->coherent_dma_mask = dd->saved_coherent_mask;
	info->required_mask = dma_get_required_mask(dev);
	info->max_mapping_size = dma_max_mapping_size(dev);
	info->opt_mapping_size = dma_opt_mapping_size(dev);
	info->merge_boundary = dma_get_merge_boundary(dev);
	info->seg_boundary = dma_get_seg_boundary(dev);
	info->max_seg_size = dma_get_max_seg_size(dev);
	info->cache_alignment = dma_get_cache_alignment();
	info->iommu_granule = dmastress_iommu_granule(dev);
	info->timer_overhead_ps = ps;
	info->timer_overhead_ns = div_u64(ps + 500, 1000);

	if (dma_addressing_limited(dev))
		info->flags |= DMASTRESS_INFO_ADDR_LIMITED;
	if (dmastress_sample_need_sync(dev))
		info->flags |= DMASTRESS_INFO_NEED_SYNC;
	if (dd->is_edu)
		info->flags |= DMASTRESS_INFO_EDU;
	if (dd->is_edu && dd->irq >= 0 && dd->pdev && dd->pdev->msi_enabled)
		info->flags |= DMASTRESS_INFO_MSI;
	if (IS_ENABLED(CONFIG_DMA_API_DEBUG))
		info->flags |= DMASTRESS_INFO_DMA_API_DEBUG;
	if (dma_can_mmap(dev))
		info->flags |= DMASTRESS_INFO_CAN_MMAP;
	info->features = DMASTRESS_FEATURE(OUT_ZERO) | DMASTRESS_FEATURE(VIEWS) |
			 DMASTRESS_FEATURE(RUN_LIMITS);
	if (DMASTRESS_HAVE_IOVA_API)
		info->features |= DMASTRESS_FEATURE(IOVA_API);
	if (DMASTRESS_HAVE_MAP_PHYS)
		info->features |= DMASTRESS_FEATURE(MAP_PHYS);
	dmastress_fill_swiotlb(dev, info);
	info->peer_window_bytes = dmastress_peer_window(dd, &peer, NULL);
	if (info->peer_window_bytes)
		info->peer_window_phys = peer;
	for (i = 0; i < DMASTRESS_NR_ENGINES; i++) {
		const char *why = NULL;

		if (!dmastress_engines[i]->usable(dd, &why))
			continue;
		info->engines |= 1U << i;
		info->engine_max_xfer[i] =
			dmastress_engine_max_xfer(dd, dmastress_engines[i]);
	}
}

/**
 * dmastress_set_masks() - set the DMA masks of a run
 * @dd: the device
 * @mask_bits: streaming mask width, 24..64, or 0 to keep it
 * @coherent_mask_bits: coherent mask width, 24..64, or 0 to keep it
 *
 * Process context; the caller holds @dd->lock and calls
 * dmastress_restore_masks() afterwards, also after an error.
 *
 * Return: 0, or -EIO when the kernel refuses a mask (dma_set_mask() or
 * dma_set_coherent_mask() failed; a mask set before the failure stays set).
 */
int dmastress_set_masks(struct dmastress_dev *dd, u32 mask_bits,
			u32 coherent_mask_bits)
{
	if (mask_bits && dma_set_mask(dd->dev, DMA_BIT_MASK(mask_bits)))
		return -EIO;
	if (coherent_mask_bits &&
	    dma_set_coherent_mask(dd->dev, DMA_BIT_MASK(coherent_mask_bits)))
		return -EIO;
	return 0;
}

/**
 * dmastress_widen_max_seg_size() - let one DMA segment be as long as needed
 * @dd: the device
 *
 * Under an IOMMU, dma_alloc_noncontiguous() returns one IOVA segment as long
 * as the buffer, and DMA-API debug checks it against the device's max segment
 * size (64 KiB by default for PCI). Drivers that use it (uvcvideo, hda) raise
 * the limit first; a noncontig run does the same, and
 * dmastress_restore_masks() puts the old value back. Devices without
 * dma_parms are left alone.
 *
 * Process context; the caller holds @dd->lock.
 */
void dmastress_widen_max_seg_size(struct dmastress_dev *dd)
{
	if (!dd->dev->dma_parms)
		return;
	dma_set_max_seg_size(dd->dev, UINT_MAX);
}

/**
 * dmastress_restore_masks() - put back the masks saved at bind time
 * @dd: the device; a saved mask of 0 is left alone
 *
 * Also puts back the max segment size dmastress_widen_max_seg_size() saved
 * and the min_align_mask a DMASTRESS_ATTR_MIN_ALIGN run set.
 * Process context; the caller holds @dd->lock.
 */
void dmastress_restore_masks(struct dmastress_dev *dd)
{
	if (dd->saved_max_seg_size && dd->dev->dma_parms)
		dma_set_max_seg_size(dd->dev, dd->saved_max_seg_size);
	if (dd->dev->dma_parms &&
	    dma_get_min_align_mask(dd->dev) != dd->saved_min_align_mask)
		dmastress_set_min_align_mask(dd->dev, dd->saved_min_align_mask);
	if (dd->saved_dma_mask && dma_set_mask(dd->dev, dd->saved_dma_mask))
		dev_warn(dd->dev, "cannot restore DMA mask %#llx\n",
			 dd->saved_dma_mask);
	if (dd->saved_coherent_mask &&
	    dma_set_coherent_mask(dd->dev, dd->saved_coherent_mask))
		dev_warn(dd->dev, "cannot restore coherent DMA mask %#llx\n",
			 dd->saved_coherent_mask);
}
