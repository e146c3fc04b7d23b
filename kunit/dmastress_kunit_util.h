/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress_kunit_util.h - what the dmastress_<family> KUnit suites share
 *
 * The suites drive the module's own engines and paths through
 * dmastress_run(). A device for them comes from one of two places:
 *  - QEMU's edu device (1234:11e8), taken by a small PCI driver the suites
 *    register around themselves (dmastress.ko is not loaded in a KUnit run);
 *    it is a real bus-master behind whatever IOMMU the mode gives, with
 *    independent streaming and coherent masks;
 *  - an NVMe controller named in dmastress_kunit.nvme_allow=, taken by a
 *    second small PCI driver: the nvme engine's bus-master;
 *  - a kunit_device_register() device: dma-direct only, aliased masks, cpu
 *    engine only.
 *
 * The boot command line tells the suites what the platform should be
 * (dmastress_kunit.mode=, dmastress_kunit.group=; scripts/kunit sets both),
 * so a property such as "dma_need_sync() is true" is checked against the
 * mode asked for, not against what the kernel reports about itself.
 */
#ifndef _DMASTRESS_KUNIT_UTIL_H
#define _DMASTRESS_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/types.h>

#include "dmastress.h"

/* Lengths resolved against the device at run time (table sentinels). */
#define DMASTRESS_KUNIT_LEN_MAX_SEG		((u64)-1)	/* dma_get_max_seg_size() */
#define DMASTRESS_KUNIT_LEN_MAX_SEG_PLUS_1	((u64)-2)	/* one byte more */

/* Largest buffer a case moves with the edu engine, bytes (time budget). */
#define DMASTRESS_KUNIT_EDU_MAX_LEN		SZ_128K

/**
 * struct dmastress_kunit_xfer - one verified transfer case of a path family
 * @desc: the case's name in the KTAP output
 * @len: bytes, or DMASTRESS_KUNIT_LEN_MAX_SEG(_PLUS_1)
 * @dir: DMASTRESS_DIR_*
 * @engine: enum dmastress_engine_id
 * @path: enum dmastress_path_id
 * @nents: sg entries (sg, sgtable, noncontig), 0: one per page
 * @offset: offset into the first page, bytes
 * @piece: iova: bytes per linked piece (0: 4096)
 * @flags: DMASTRESS_RUN_* added to the run's (iova: IOVA_UNLINK)
 */
struct dmastress_kunit_xfer {
	const char *desc;
	u64 len;
	u32 dir;
	u32 engine;
	u32 path;
	u32 nents;
	u32 offset;
	u32 piece;
	u32 flags;
};

/*
 * A row of a struct dmastress_kunit_xfer table, named after its values,
 * e.g. DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE + 1, FROM_DEVICE, CPU)
 * is the case "single PAGE_SIZE + 1 FROM_DEVICE CPU".
 */
#define DMASTRESS_KUNIT_XFER(_path, _len, _dir, _engine)		\
	{								\
		.desc = #_path " " #_len " " #_dir " " #_engine,	\
		.path = DMASTRESS_PATH_##_path,				\
		.len = (_len),						\
		.dir = DMASTRESS_DIR_##_dir,				\
		.engine = DMASTRESS_ENGINE_##_engine,			\
	}

/* The same, with sg entries (0: one per page). */
#define DMASTRESS_KUNIT_SG(_path, _len, _nents, _dir, _engine)		\
	{								\
		.desc = #_path " " #_len " nents " #_nents " " #_dir	\
			" " #_engine,					\
		.path = DMASTRESS_PATH_##_path,				\
		.len = (_len),						\
		.nents = (_nents),					\
		.dir = DMASTRESS_DIR_##_dir,				\
		.engine = DMASTRESS_ENGINE_##_engine,			\
	}

/* The same, starting @_off bytes into the first page. */
#define DMASTRESS_KUNIT_AT(_path, _len, _off, _dir, _engine)		\
	{								\
		.desc = #_path " " #_len " at " #_off " " #_dir " "	\
			#_engine,					\
		.path = DMASTRESS_PATH_##_path,				\
		.len = (_len),						\
		.offset = (_off),					\
		.dir = DMASTRESS_DIR_##_dir,				\
		.engine = DMASTRESS_ENGINE_##_engine,			\
	}

/* The iova teardowns: the one-shot dma_iova_destroy(), or unlink + free. */
#define DMASTRESS_KUNIT_IOVA_DESTROY	0
#define DMASTRESS_KUNIT_IOVA_UNLINK	DMASTRESS_RUN_IOVA_UNLINK

/* An iova case: @_piece-byte pieces from @_off, torn down by @_teardown. */
#define DMASTRESS_KUNIT_IOVA(_len, _piece, _off, _teardown, _dir, _engine) \
	{								\
		.desc = "iova " #_len " piece " #_piece " at " #_off	\
			" " #_teardown " " #_dir " " #_engine,		\
		.path = DMASTRESS_PATH_IOVA,				\
		.len = (_len),						\
		.piece = (_piece),					\
		.offset = (_off),					\
		.flags = DMASTRESS_KUNIT_IOVA_##_teardown,		\
		.dir = DMASTRESS_DIR_##_dir,				\
		.engine = DMASTRESS_ENGINE_##_engine,			\
	}

/* Table sentinels for the length: see dmastress_kunit_resolve_len(). */
#define MAX_SEG		DMASTRESS_KUNIT_LEN_MAX_SEG
#define MAX_SEG_PLUS_1	DMASTRESS_KUNIT_LEN_MAX_SEG_PLUS_1

/**
 * enum dmastress_kunit_mode - the platform the boot command line asked for
 * @DMASTRESS_KUNIT_MODE_UNKNOWN: dmastress_kunit.mode= not given
 * @DMASTRESS_KUNIT_MODE_DIRECT: dma-direct without forced bouncing (nommu)
 * @DMASTRESS_KUNIT_MODE_SWIOTLB: dma-direct with swiotlb=force
 * @DMASTRESS_KUNIT_MODE_IDENTITY: an IOMMU with group type identity (pt)
 * @DMASTRESS_KUNIT_MODE_TRANSLATED: an IOMMU with group type DMA or DMA-FQ
 */
enum dmastress_kunit_mode {
	DMASTRESS_KUNIT_MODE_UNKNOWN,
	DMASTRESS_KUNIT_MODE_DIRECT,
	DMASTRESS_KUNIT_MODE_SWIOTLB,
	DMASTRESS_KUNIT_MODE_IDENTITY,
	DMASTRESS_KUNIT_MODE_TRANSLATED,
};

enum dmastress_kunit_mode dmastress_kunit_mode(struct kunit *test);
const char *dmastress_kunit_mode_name(void);
const char *dmastress_kunit_group_name(u32 group);
int dmastress_kunit_expected_group(void);

int dmastress_kunit_suite_init(struct kunit_suite *suite);
void dmastress_kunit_suite_exit(struct kunit_suite *suite);
int dmastress_kunit_case_init(struct kunit *test);

struct dmastress_dev *dmastress_kunit_edu(struct kunit *test);
struct dmastress_dev *dmastress_kunit_nvme(struct kunit *test);
struct dmastress_dev *dmastress_kunit_plain(struct kunit *test);
struct dmastress_dev *dmastress_kunit_dev_for(struct kunit *test, u32 engine);

u64 dmastress_kunit_resolve_len(struct dmastress_dev *dd, u64 len);
void dmastress_kunit_params(struct dmastress_run_params *p, u32 path,
			    u32 engine, u32 dir, u64 len);
void dmastress_kunit_xfer_test(struct kunit *test);
void dmastress_kunit_expect_translation(struct kunit *test,
					enum dmastress_kunit_mode mode,
					bool bounced, dma_addr_t dma,
					phys_addr_t phys);
void dmastress_kunit_run(struct kunit *test, struct dmastress_dev *dd,
			 const struct dmastress_run_params *p,
			 struct dmastress_run_result *res);
void dmastress_kunit_expect_intact(struct kunit *test,
				   const struct dmastress_run_params *p,
				   const struct dmastress_run_result *res);
int dmastress_kunit_set_masks(struct kunit *test, struct dmastress_dev *dd,
			      u64 dma_mask, u64 coherent_mask);
int dmastress_kunit_set_seg_limits(struct kunit *test, struct device *dev,
				   unsigned int max_seg_size,
				   unsigned long seg_boundary);

const char *dmastress_kunit_dir_name(u32 dir);
const char *dmastress_kunit_engine_name(u32 engine);

#endif /* _DMASTRESS_KUNIT_UTIL_H */
