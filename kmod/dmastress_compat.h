/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress_compat.h - every difference between the kernels dmastress
 * builds on, in one place
 *
 * dmastress builds against Linux 6.1 and later (Debian's 6.1, 6.12 and 7.3
 * are tested; see README's kernel section). Code elsewhere uses the names
 * below and never tests a kernel version itself. Each entry names the
 * release that changed the kernel's interface. Where a symbol is a macro
 * its presence is the test (a feature probe); otherwise LINUX_VERSION_CODE.
 */
#ifndef _DMASTRESS_COMPAT_H
#define _DMASTRESS_COMPAT_H

#include <linux/version.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/swiotlb.h>
#include <linux/dma-map-ops.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "dmastress needs Linux 6.1 or later (this tree is older)"
#endif

/*
 * DMASTRESS_MAX_ORDER - the largest order the page allocator hands out.
 * 6.4 made MAX_ORDER inclusive (it was one past the largest order), 6.8
 * renamed it MAX_PAGE_ORDER.
 */
#if defined(MAX_PAGE_ORDER)
#define DMASTRESS_MAX_ORDER	MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define DMASTRESS_MAX_ORDER	MAX_ORDER
#else
#define DMASTRESS_MAX_ORDER	(MAX_ORDER - 1)
#endif

/* PCI_IRQ_INTX: 6.8 renamed PCI_IRQ_LEGACY. */
#if defined(PCI_IRQ_INTX)
#define DMASTRESS_PCI_IRQ_INTX	PCI_IRQ_INTX
#else
#define DMASTRESS_PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * dmastress_nth_page() - the @n-th page after @page in one allocation.
 * 6.18 removed nth_page() (a macro): the memmap of one allocation is
 * contiguous, so page arithmetic is right there.
 */
#if defined(nth_page)
#define dmastress_nth_page(page, n)	nth_page(page, n)
#else
#define dmastress_nth_page(page, n)	((page) + (n))
#endif

/*
 * DMASTRESS_DEBUG_SG - true when dma-debug checks every mapped segment
 * against the device's max_seg_size and segment boundary. Through 6.12 the
 * option CONFIG_DMA_API_DEBUG_SG; by 7.3 the option is gone and
 * CONFIG_DMA_API_DEBUG always checks. The release between that dropped it
 * is not known here: 6.13 is assumed (6.12 and 7.3 are the tested ends).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define DMASTRESS_DEBUG_SG	IS_ENABLED(CONFIG_DMA_API_DEBUG)
#else
#define DMASTRESS_DEBUG_SG	IS_ENABLED(CONFIG_DMA_API_DEBUG_SG)
#endif

/**
 * dmastress_have_cma() - can @dev get contiguous blocks past the page
 *	allocator's largest order (a CMA area)?
 * @dev: the device
 *
 * A kernel with CONFIG_DMA_CMA may still have no area (Debian's 7.3 sets
 * CMA_SIZE_MBYTES=0). Kernels that export dev_get_cma_area() (7.3; found
 * by the Kbuild probe DMASTRESS_HAVE_DEV_GET_CMA_AREA) tell; before, it
 * was inline over an unexported variable and only the option can be read.
 *
 * Context: any.
 * Return: true when a CMA area serves @dev (or may, see above).
 */
static inline bool dmastress_have_cma(struct device *dev)
{
#if !IS_ENABLED(CONFIG_DMA_CMA)
	return false;
#elif defined(DMASTRESS_HAVE_DEV_GET_CMA_AREA)
	return dev_get_cma_area(dev);
#else
	return true;
#endif
}

/*
 * DMASTRESS_RESOURCE_IS_MMIO_PHYS - dma_map_resource() is
 * dma_map_phys(..., DMA_ATTR_MMIO) (6.18, with dma_map_phys()): under
 * forced swiotlb bouncing it fails instead of returning the bus address.
 */
#define DMASTRESS_RESOURCE_IS_MMIO_PHYS \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0))

/*
 * DMASTRESS_POOL_BOUNDARY_UNCLAMPED - dma_pool_create() keeps a boundary
 * above its allocation and lays blocks past the allocation's end (see
 * dmastress_path_pool.c). Present in 6.1, fixed by 6.12 (mm/dmapool.c:
 * "boundary = min(boundary, allocation)"); 6.4's dmapool rework is
 * taken as the fix (the releases between are not tested here).
 */
#define DMASTRESS_POOL_BOUNDARY_UNCLAMPED \
	(LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0))

/*
 * hex_asc[]: declared by <linux/kernel.h> in 6.1; later in <linux/hex.h>,
 * which 7.3's <linux/kernel.h> no longer includes (Kbuild probe
 * DMASTRESS_HAVE_HEX_H).
 */
#ifdef DMASTRESS_HAVE_HEX_H
#include <linux/hex.h>
#endif

/**
 * dmastress_vma_clear() - clear flags of a VMA being set up by ->mmap
 * @vma: the VMA
 * @flags: VM_* flags to clear
 *
 * vm_flags became read-only with its setters in 6.3.
 * Context: the ->mmap handler (mmap lock held for writing).
 */
static inline void dmastress_vma_clear(struct vm_area_struct *vma,
				       unsigned long flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/**
 * dmastress_vma_set() - set flags of a VMA being set up by ->mmap
 * @vma: the VMA
 * @flags: VM_* flags to set
 *
 * Context: the ->mmap handler (mmap lock held for writing).
 */
static inline void dmastress_vma_set(struct vm_area_struct *vma,
				     unsigned long flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/**
 * dmastress_pcim_iomap_bar() - request and map one BAR, device-managed
 * @pdev: the PCI device, enabled with pcim_enable_device()
 * @bar: the BAR number
 * @name: the owner's name for the region
 *
 * pcim_iomap_region() is 6.11; earlier kernels request with
 * pcim_iomap_regions() and read the mapping from pcim_iomap_table().
 *
 * Context: process context (probe).
 * Return: the mapping, or ERR_PTR(-EBUSY) when the region is taken,
 * ERR_PTR(-ENOMEM) when it cannot be mapped.
 */
static inline void __iomem *dmastress_pcim_iomap_bar(struct pci_dev *pdev,
						     int bar, const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return pcim_iomap_region(pdev, bar, name);
#else
	void __iomem * const *table;
	int ret;

	ret = pcim_iomap_regions(pdev, BIT(bar), name);
	if (ret)
		return IOMEM_ERR_PTR(ret);
	table = pcim_iomap_table(pdev);
	if (!table || !table[bar])
		return IOMEM_ERR_PTR(-ENOMEM);
	return table[bar];
#endif
}

#ifdef CONFIG_SWIOTLB
/**
 * dmastress_swiotlb_end() - physical end of a device's default swiotlb pool
 * @mem: the device's dev->dma_io_tlb_mem, not NULL
 *
 * 6.6 moved the default pool's bounds into mem->defpool (swiotlb grew
 * dynamic pools).
 *
 * Return: the first physical address past the pool, bytes.
 */
static inline phys_addr_t dmastress_swiotlb_end(struct io_tlb_mem *mem)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return mem->defpool.end;
#else
	return mem->end;
#endif
}
#endif

#endif /* _DMASTRESS_COMPAT_H */
