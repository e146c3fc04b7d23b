// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_names.c - the names of paths, engines, directions and group
 * types, from the lists of dmastress_uapi.h (written once there)
 */
#include "dmastress.h"

static const char *const dmastress_path_names[] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_PATHS)
};

static const char *const dmastress_engine_names[] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_ENGINES)
};

static const char *const dmastress_dir_names[] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_DIRS)
};

static const char *const dmastress_group_names[] = {
	DMASTRESS_NAME_TABLE(DMASTRESS_GROUP_TYPES)
};

/* &struct dmastress_info.engine_max_xfer has a slot per engine */
static_assert(DMASTRESS_NR_ENGINES <=
	      ARRAY_SIZE(((struct dmastress_info *)0)->engine_max_xfer));
static_assert((int)DMASTRESS_DIR_BIDIRECTIONAL == (int)DMA_BIDIRECTIONAL &&
	      (int)DMASTRESS_DIR_TO_DEVICE == (int)DMA_TO_DEVICE &&
	      (int)DMASTRESS_DIR_FROM_DEVICE == (int)DMA_FROM_DEVICE);

static const char *dmastress_name(const char *const *names, unsigned int nr,
				  u32 v)
{
	return v < nr ? names[v] : "unknown";
}

/**
 * dmastress_path_name() - the name of a path
 * @id: enum dmastress_path_id
 *
 * Any context.
 *
 * Return: its name in DMASTRESS_PATHS, or "unknown" past the list.
 */
const char *dmastress_path_name(u32 id)
{
	return dmastress_name(dmastress_path_names,
			      ARRAY_SIZE(dmastress_path_names), id);
}

/**
 * dmastress_engine_name() - the name of an engine
 * @id: enum dmastress_engine_id
 *
 * Any context.
 *
 * Return: its name in DMASTRESS_ENGINES, or "unknown" past the list.
 */
const char *dmastress_engine_name(u32 id)
{
	return dmastress_name(dmastress_engine_names,
			      ARRAY_SIZE(dmastress_engine_names), id);
}

/**
 * dmastress_dir_name() - the name of a direction
 * @dir: enum dma_data_direction (DMASTRESS_DIR_*)
 *
 * Any context.
 *
 * Return: "bidi", "to" or "from", or "unknown" for another value.
 */
const char *dmastress_dir_name(u32 dir)
{
	return dmastress_name(dmastress_dir_names,
			      ARRAY_SIZE(dmastress_dir_names), dir);
}

/**
 * dmastress_group_name() - the name of an IOMMU group type
 * @type: enum dmastress_group_type
 *
 * Any context.
 *
 * Return: the name as /sys/kernel/iommu_groups/N/type spells it ("identity",
 * "DMA", "DMA-FQ"), "none", "blocked", or "unknown" past the list.
 */
const char *dmastress_group_name(u32 type)
{
	return dmastress_name(dmastress_group_names,
			      ARRAY_SIZE(dmastress_group_names), type);
}
