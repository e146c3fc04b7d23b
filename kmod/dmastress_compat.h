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
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/string.h>

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

/*
 * DMASTRESS_HAVE_IOVA_API - the two-step IOVA API: dma_iova_try_alloc(),
 * dma_iova_link(), dma_iova_sync(), dma_iova_unlink(), dma_iova_destroy(),
 * dma_iova_free(), dma_use_iova() and dma_need_unmap() (6.16). Before,
 * the stubs below let the iova path build; its usable() refuses the run
 * with "needs Linux 6.16" and nothing calls them.
 */
#define DMASTRESS_HAVE_IOVA_API \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0))

/*
 * DMASTRESS_HAVE_MAP_PHYS - dma_map_phys()/dma_unmap_phys() and
 * DMA_ATTR_MMIO (6.18). Between 6.16 and 6.18 the IOVA API's fallback
 * maps page-backed memory with dma_map_page_attrs() of the same pages
 * (what dma_map_phys() does for memory); before 6.16 nothing calls it.
 */
#define DMASTRESS_HAVE_MAP_PHYS \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0))

#if !DMASTRESS_HAVE_IOVA_API
#define DMA_IOVA_USE_SWIOTLB	0

struct dma_iova_state {
	dma_addr_t addr;
	u64 __size;
};

static inline bool dma_use_iova(struct dma_iova_state *state)
{
	return false;
}

static inline bool dma_iova_try_alloc(struct device *dev,
				      struct dma_iova_state *state,
				      phys_addr_t phys, size_t size)
{
	memset(state, 0, sizeof(*state));
	return false;
}

static inline void dma_iova_free(struct device *dev,
				 struct dma_iova_state *state)
{
}

static inline void dma_iova_destroy(struct device *dev,
				    struct dma_iova_state *state,
				    size_t mapped_len,
				    enum dma_data_direction dir,
				    unsigned long attrs)
{
}

static inline int dma_iova_sync(struct device *dev,
				struct dma_iova_state *state, size_t offset,
				size_t size)
{
	return -EOPNOTSUPP;
}

static inline int dma_iova_link(struct device *dev,
				struct dma_iova_state *state,
				phys_addr_t phys, size_t offset, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	return -EOPNOTSUPP;
}

static inline void dma_iova_unlink(struct device *dev,
				   struct dma_iova_state *state,
				   size_t offset, size_t size,
				   enum dma_data_direction dir,
				   unsigned long attrs)
{
}

static inline bool dma_need_unmap(struct device *dev)
{
	return true;
}
#endif

#if !DMASTRESS_HAVE_MAP_PHYS
#define DMA_ATTR_MMIO	0

static inline dma_addr_t dma_map_phys(struct device *dev, phys_addr_t phys,
				      size_t size, enum dma_data_direction dir,
				      unsigned long attrs)
{
	return dma_map_page_attrs(dev, pfn_to_page(PHYS_PFN(phys)),
				  offset_in_page(phys), size, dir, attrs);
}

static inline void dma_unmap_phys(struct device *dev, dma_addr_t addr,
				  size_t size, enum dma_data_direction dir,
				  unsigned long attrs)
{
	dma_unmap_page_attrs(dev, addr, size, dir, attrs);
}
#endif

/*
 * DMASTRESS_HAVE_POOL_NODE - dma_pool_create_node() (Kbuild probe
 * DMASTRESS_HAVE_POOL_CREATE_NODE: Debian's 7.3 has it, 6.12 not). Before,
 * the stub lets the pool path build; its usable() refuses DMASTRESS_ATTR_NODE.
 */
#ifdef DMASTRESS_HAVE_POOL_CREATE_NODE
#define DMASTRESS_HAVE_POOL_NODE	1
#else
#define DMASTRESS_HAVE_POOL_NODE	0

static inline struct dma_pool *dma_pool_create_node(const char *name,
						    struct device *dev,
						    size_t size, size_t align,
						    size_t boundary, int node)
{
	return NULL;
}
#endif

/**
 * dmastress_set_min_align_mask() - dma_set_min_align_mask() of any kernel
 * @dev: the device, with dma_parms
 * @mask: the address bits swiotlb must keep, e.g. PAGE_SIZE - 1
 *
 * 6.1's returns -EIO without dma_parms; 6.12 made it void (and WARNs).
 * Context: process context.
 * Return: 0, or -EIO when @dev has no dma_parms.
 */
static inline int dmastress_set_min_align_mask(struct device *dev,
					       unsigned int mask)
{
	if (!dev->dma_parms)
		return -EIO;
	dma_set_min_align_mask(dev, mask);
	return 0;
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
