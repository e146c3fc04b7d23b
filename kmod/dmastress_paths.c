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
