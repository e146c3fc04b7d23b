// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_paths.c - the path table: every DMA API family by its id
 *
 * A path is one file, kmod/dmastress_path_<name>.c, that describes itself
 * in its &struct dmastress_path; this table is the only place that names
 * them all. Its ids and names come from DMASTRESS_PATHS in
 * dmastress_uapi.h.
 */
#include "dmastress.h"

/**
 * dmastress_dma_attrs() - the DMA_ATTR_* of a run's attributes
 * @attrs: DMASTRESS_ATTR_* of &struct dmastress_run_params.attrs
 *
 * The attributes that are the DMA API's own; MANAGED, MIN_ALIGN and NODE
 * choose a call or a device setting instead and have no DMA_ATTR_. A path
 * passes the result to its map, unmap, alloc and free calls alike.
 * DMA_ATTR_MMIO is 0 before Linux 6.18 (the phys path refuses it there).
 *
 * Context: any.
 * Return: the DMA_ATTR_* mask.
 */
unsigned long dmastress_dma_attrs(u32 attrs)
{
	unsigned long a = 0;

	if (attrs & DMASTRESS_ATTR_WRITE_COMBINE)
		a |= DMA_ATTR_WRITE_COMBINE;
	if (attrs & DMASTRESS_ATTR_NO_KERNEL_MAPPING)
		a |= DMA_ATTR_NO_KERNEL_MAPPING;
	if (attrs & DMASTRESS_ATTR_FORCE_CONTIGUOUS)
		a |= DMA_ATTR_FORCE_CONTIGUOUS;
	if (attrs & DMASTRESS_ATTR_MMIO)
		a |= DMA_ATTR_MMIO;
	if (attrs & DMASTRESS_ATTR_SKIP_CPU_SYNC)
		a |= DMA_ATTR_SKIP_CPU_SYNC;
	if (attrs & DMASTRESS_ATTR_ALLOC_SINGLE_PAGES)
		a |= DMA_ATTR_ALLOC_SINGLE_PAGES;
	if (attrs & DMASTRESS_ATTR_NO_WARN)
		a |= DMA_ATTR_NO_WARN;
	if (attrs & DMASTRESS_ATTR_WEAK_ORDERING)
		a |= DMA_ATTR_WEAK_ORDERING;
	return a;
}

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
	[DMASTRESS_PATH_PHYS] = &dmastress_path_phys,
	[DMASTRESS_PATH_IOVA] = &dmastress_path_iova,
	[DMASTRESS_PATH_P2PDMA] = &dmastress_path_p2pdma,
};
