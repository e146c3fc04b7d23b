// SPDX-License-Identifier: GPL-2.0-only
/*
 * paths.c - every DMA API path through DMASTRESS_IOC_RUN, every byte
 * verified by the kernel, in every direction, at 1, 4096, 65536 and 1 MiB.
 *
 * Fixture paths: the cpu engine (memcpy speed, walks the device's
 * translation), variant = path x direction, one test per size.
 * Fixture paths_edu: a small set through QEMU's edu DMA engine (100 ms of
 * virtual time per 2 KiB transfer), bidirectional, 1 and 4096 bytes.
 * Fixture paths_nvme: every path and direction through the nvme engine on
 * the first device that has it (DMASTRESS_NVME_DEV, else the first of
 * /dev/dmastress0..7 whose engines include nvme; scripts/vm binds two
 * controllers): 1 byte (an SGL padded to a block), 4096 bytes and 1 MiB
 * (split at the controller's MDTS), the path's own segments as the
 * commands' data pointers.
 * Fixture resource, variant = engine x direction: dma_map_resource() (and
 * dma_map_phys(DMA_ATTR_MMIO)) of a peer's MMIO, which only a device
 * engine reaches (no struct page). With peer memory (an NVMe controller's
 * CMB: scripts/vm gives the engine controllers one) every byte is
 * verified through the CMB's BAR: peer-to-peer DMA from edu or the other
 * controller. Without it, edu's own 2048-byte window, which keeps no
 * data: unverified, the run proves the mapping and the transfers (a wrong
 * address faults in the IOMMU and in QEMU's log: scripts/vm fails).
 * Fixture p2pdma, variant = engine x direction: the kernel's P2PDMA layer,
 * pci_alloc_p2pmem() of the other controller's CMB mapped with
 * dma_map_sgtable(); skipped with the kernel's reason where it has no
 * CONFIG_PCI_P2PDMA or refuses the topology.
 * Fixture controls: negative controls that show verification can fail.
 */
#include "dmastress_utils.h"

/* Operations per run (the kernel verifies each). */
#define PATHS_ITERATIONS	1

FIXTURE(paths) {
	int fd;
};

FIXTURE_VARIANT(paths) {
	__u32 path;
	__u32 dir;
};

/* Every path once, as X(fixture, name, NAME): the fixtures' variants. */
#define PATHS_EACH(X, _f)						\
	X(_f, coherent, COHERENT);					\
	X(_f, pool, POOL);						\
	X(_f, single, SINGLE);						\
	X(_f, page, PAGE);						\
	X(_f, sg, SG);							\
	X(_f, sgtable, SGTABLE);					\
	X(_f, pages, PAGES);						\
	X(_f, noncoherent, NONCOHERENT);				\
	X(_f, noncontig, NONCONTIG);					\
	X(_f, phys, PHYS);						\
	X(_f, iova, IOVA)

#define PATHS_VARIANT(_f, _p, _P, _d, _D)				\
	FIXTURE_VARIANT_ADD(_f, _p##_##_d) {				\
		.path = DMASTRESS_PATH_##_P,				\
		.dir = DMASTRESS_DIR_##_D,				\
	}

#define PATHS_VARIANTS(_f, _p, _P)					\
	PATHS_VARIANT(_f, _p, _P, to_dev, TO_DEVICE);			\
	PATHS_VARIANT(_f, _p, _P, from_dev, FROM_DEVICE);		\
	PATHS_VARIANT(_f, _p, _P, bidi, BIDIRECTIONAL)

PATHS_EACH(PATHS_VARIANTS, paths);

FIXTURE_SETUP(paths)
{
	dmastress_open(&self->fd);
}

FIXTURE_TEARDOWN(paths)
{
	close(self->fd);
}

#define PATHS_SIZE_TEST(_name, _len)					\
	TEST_F_TIMEOUT(paths, _name, DMASTRESS_TEST_TIMEOUT) \
	{								\
		struct dmastress_run run;				\
									\
		dmastress_run_init(&run, variant->path,			\
				   DMASTRESS_ENGINE_CPU, variant->dir,	\
				   _len, PATHS_ITERATIONS,		\
				   0xd0a0 + variant->path);		\
		dmastress_run_verified(self->fd, &run);			\
		EXPECT_LE(PATHS_ITERATIONS * (__u64)(_len),		\
			  run.result.bytes);				\
	}

PATHS_SIZE_TEST(sz1, 1)
PATHS_SIZE_TEST(sz4k, 4096)
PATHS_SIZE_TEST(sz64k, 65536)
PATHS_SIZE_TEST(sz1m, DMASTRESS_MIB)

/* ---- the edu set ---------------------------------------------------- */

FIXTURE(paths_edu) {
	int fd;
};

FIXTURE_VARIANT(paths_edu) {
	__u32 path;
};

#define PATHS_EDU_VARIANT(_p, _P)					\
	FIXTURE_VARIANT_ADD(paths_edu, _p##_bidi) {			\
		.path = DMASTRESS_PATH_##_P,				\
	}

PATHS_EDU_VARIANT(coherent, COHERENT);
PATHS_EDU_VARIANT(pool, POOL);
PATHS_EDU_VARIANT(single, SINGLE);
PATHS_EDU_VARIANT(page, PAGE);
PATHS_EDU_VARIANT(sg, SG);
PATHS_EDU_VARIANT(sgtable, SGTABLE);
PATHS_EDU_VARIANT(pages, PAGES);
PATHS_EDU_VARIANT(noncoherent, NONCOHERENT);
PATHS_EDU_VARIANT(noncontig, NONCONTIG);
PATHS_EDU_VARIANT(phys, PHYS);
PATHS_EDU_VARIANT(iova, IOVA);

FIXTURE_SETUP(paths_edu)
{
	struct dmastress_info info;

	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &info);
	if (!(info.engines & (1U << DMASTRESS_ENGINE_EDU)))
		SKIP(return, "the bound device is not QEMU's edu");
}

FIXTURE_TEARDOWN(paths_edu)
{
	close(self->fd);
}

#define PATHS_EDU_SIZE_TEST(_name, _len)				\
	TEST_F_TIMEOUT(paths_edu, _name, DMASTRESS_TEST_TIMEOUT) \
	{								\
		struct dmastress_run run;				\
									\
		dmastress_run_init(&run, variant->path,			\
				   DMASTRESS_ENGINE_EDU,		\
				   DMASTRESS_DIR_BIDIRECTIONAL, _len, 1, \
				   0xed0 + variant->path);		\
		dmastress_run_verified(self->fd, &run);			\
		EXPECT_LE((__u64)(_len), run.result.bytes);		\
	}

PATHS_EDU_SIZE_TEST(sz1, 1)
PATHS_EDU_SIZE_TEST(sz4k, 4096)

/* ---- the nvme set --------------------------------------------------- */

FIXTURE(paths_nvme) {
	int fd;
};

FIXTURE_VARIANT(paths_nvme) {
	__u32 path;
	__u32 dir;
};

PATHS_EACH(PATHS_VARIANTS, paths_nvme);

FIXTURE_SETUP(paths_nvme)
{
	self->fd = dmastress_engine_open(DMASTRESS_ENGINE_NVME);
	if (self->fd < 0)
		SKIP(return, "no device with the nvme engine (nvme_allow=)");
}

FIXTURE_TEARDOWN(paths_nvme)
{
	if (self->fd >= 0)
		close(self->fd);
}

#define PATHS_NVME_SIZE_TEST(_name, _len)				\
	TEST_F_TIMEOUT(paths_nvme, _name, DMASTRESS_TEST_TIMEOUT)	\
	{								\
		struct dmastress_run run;				\
									\
		dmastress_run_init(&run, variant->path,			\
				   DMASTRESS_ENGINE_NVME, variant->dir,	\
				   _len, 2, 0x4e0 + variant->path);	\
		dmastress_run_verified(self->fd, &run);			\
		EXPECT_LE(2 * (__u64)(_len), run.result.bytes);		\
		EXPECT_NE(0, run.result.path_flags &			\
			  (DMASTRESS_RESULT_NVME_PRP |			\
			   DMASTRESS_RESULT_NVME_SGL));			\
	}

PATHS_NVME_SIZE_TEST(sz1, 1)
PATHS_NVME_SIZE_TEST(sz4k, 4096)
PATHS_NVME_SIZE_TEST(sz1m, DMASTRESS_MIB)

/* ---- resource: a peer's MMIO ------------------------------------------ */

FIXTURE(resource) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(resource) {
	__u32 engine;
	__u32 dir;
};

#define RESOURCE_VARIANT(_e, _E, _d, _D)				\
	FIXTURE_VARIANT_ADD(resource, _e##_##_d) {			\
		.engine = DMASTRESS_ENGINE_##_E,			\
		.dir = DMASTRESS_DIR_##_D,				\
	}

RESOURCE_VARIANT(edu, EDU, to_dev, TO_DEVICE);
RESOURCE_VARIANT(edu, EDU, from_dev, FROM_DEVICE);
RESOURCE_VARIANT(edu, EDU, bidi, BIDIRECTIONAL);
RESOURCE_VARIANT(nvme, NVME, to_dev, TO_DEVICE);
RESOURCE_VARIANT(nvme, NVME, from_dev, FROM_DEVICE);
RESOURCE_VARIANT(nvme, NVME, bidi, BIDIRECTIONAL);

FIXTURE_SETUP(resource)
{
	self->fd = dmastress_engine_open(variant->engine);
	if (self->fd < 0)
		SKIP(return, "no device with the variant's engine");
	dmastress_get_info(self->fd, &self->info);
	if (variant->engine != DMASTRESS_ENGINE_EDU &&
	    !self->info.peer_window_bytes)
		SKIP(return, "no peer memory (an NVMe CMB: scripts/vm gives the engine controllers one)");
}

FIXTURE_TEARDOWN(resource)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The address the run mapped: under translation an IOVA, else the bus
 * address, which is the window's physical address; with peer memory that
 * lies inside the window INFO reports.
 */
static void resource_check_addr(struct __test_metadata *_metadata,
				const struct dmastress_info *info,
				const struct dmastress_run *run)
{
	__u64 phys = run->result.sample_phys_addr;

	ksft_print_msg("dma_addr=0x%llx phys=0x%llx peer window %llu bytes at 0x%llx\n",
		       (unsigned long long)run->result.sample_dma_addr,
		       (unsigned long long)phys,
		       (unsigned long long)info->peer_window_bytes,
		       (unsigned long long)info->peer_window_phys);
	if (dmastress_group_translates(info->group_type)) {
		EXPECT_NE(phys, run->result.sample_dma_addr);
	} else {
		EXPECT_EQ(phys, run->result.sample_dma_addr);
	}
	EXPECT_NE(0, phys);
	if (info->peer_window_bytes) {
		EXPECT_LE(info->peer_window_phys, phys);
		EXPECT_GT(info->peer_window_phys + info->peer_window_bytes, phys);
	}
}

/*
 * With peer memory every byte is verified through the window's BAR; edu's
 * own window (no peer memory) keeps nothing and runs unverified.
 */
#define RESOURCE_SIZE_TEST(_name, _len)					\
	TEST_F_TIMEOUT(resource, _name, DMASTRESS_TEST_TIMEOUT)		\
	{								\
		struct dmastress_run run;				\
		__u64 len = _len;					\
									\
		if (variant->engine == DMASTRESS_ENGINE_EDU && len > 2048) \
			SKIP(return, "edu moves 2 KiB per 100 ms: the nvme variant covers this size"); \
		dmastress_run_init(&run, DMASTRESS_PATH_RESOURCE,	\
				   variant->engine, variant->dir,	\
				   len, 2, 0x7e5);			\
		if (!self->info.peer_window_bytes)			\
			run.params.flags = DMASTRESS_RUN_NO_VERIFY;	\
		dmastress_run_verified(self->fd, &run);			\
		if (self->info.peer_window_bytes)			\
			EXPECT_LE(2 * len, run.result.bytes);		\
		resource_check_addr(_metadata, &self->info, &run);	\
	}

RESOURCE_SIZE_TEST(sz1, 1)
RESOURCE_SIZE_TEST(sz2k, 2048)
RESOURCE_SIZE_TEST(sz64k, 65536)
RESOURCE_SIZE_TEST(sz1m, DMASTRESS_MIB)

/*
 * dma_map_phys(DMA_ATTR_MMIO) of the same window (Linux 6.18): the kernel
 * maps it with dma_map_resource() too and counts a segment violation
 * unless both reach the window; the address is the IOVA or the BAR.
 */
TEST_F_TIMEOUT(resource, phys_mmio, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;

	dmastress_run_init(&run, DMASTRESS_PATH_PHYS, variant->engine,
			   variant->dir, 2048, 2, 0x7e6);
	if (!self->info.peer_window_bytes)
		run.params.flags = DMASTRESS_RUN_NO_VERIFY;
	run.params.attrs = DMASTRESS_ATTR_MMIO;
	dmastress_run_verified(self->fd, &run);
	resource_check_addr(_metadata, &self->info, &run);
}

/* ---- p2pdma: the kernel's P2PDMA layer ---------------------------------- */

FIXTURE(p2pdma) {
	int fd;
};

FIXTURE_VARIANT(p2pdma) {
	__u32 engine;
	__u32 dir;
};

#define P2PDMA_VARIANT(_e, _E, _d, _D)					\
	FIXTURE_VARIANT_ADD(p2pdma, _e##_##_d) {			\
		.engine = DMASTRESS_ENGINE_##_E,			\
		.dir = DMASTRESS_DIR_##_D,				\
	}

P2PDMA_VARIANT(edu, EDU, to_dev, TO_DEVICE);
P2PDMA_VARIANT(edu, EDU, from_dev, FROM_DEVICE);
P2PDMA_VARIANT(nvme, NVME, to_dev, TO_DEVICE);
P2PDMA_VARIANT(nvme, NVME, from_dev, FROM_DEVICE);
P2PDMA_VARIANT(nvme, NVME, bidi, BIDIRECTIONAL);

FIXTURE_SETUP(p2pdma)
{
	self->fd = dmastress_engine_open(variant->engine);
	if (self->fd < 0)
		SKIP(return, "no device with the variant's engine");
}

FIXTURE_TEARDOWN(p2pdma)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * pci_alloc_p2pmem() of the other controller's CMB, dma_map_sgtable(),
 * every byte verified in the P2PDMA memory itself. Skipped with the
 * kernel's reason where there is no CONFIG_PCI_P2PDMA or
 * pci_p2pdma_distance() refuses the two devices.
 */
#define P2PDMA_SIZE_TEST(_name, _len)					\
	TEST_F_TIMEOUT(p2pdma, _name, DMASTRESS_TEST_TIMEOUT)		\
	{								\
		struct dmastress_run run;				\
		__u64 len = _len;					\
									\
		if (variant->engine == DMASTRESS_ENGINE_EDU && len > 4096) \
			SKIP(return, "edu moves 2 KiB per 100 ms: the nvme variant covers this size"); \
		dmastress_run_init(&run, DMASTRESS_PATH_P2PDMA,	\
				   variant->engine, variant->dir,	\
				   len, 2, 0x9d0);			\
		dmastress_run_verified(self->fd, &run);			\
		EXPECT_LE(2 * len, run.result.bytes);			\
		ksft_print_msg("dma_addr=0x%llx phys=0x%llx nents %u -> %u\n", \
			       (unsigned long long)run.result.sample_dma_addr, \
			       (unsigned long long)run.result.sample_phys_addr, \
			       run.result.nents_cpu, run.result.nents_mapped); \
	}

P2PDMA_SIZE_TEST(sz1, 1)
P2PDMA_SIZE_TEST(sz4k, 4096)
P2PDMA_SIZE_TEST(sz1m, DMASTRESS_MIB)

/* ---- iova: the two-step IOVA API (Linux 6.16) --------------------------- */

FIXTURE(iova) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(iova) {
	__u64 len;
	__u32 piece;
	__u32 offset;
	__u32 flags;
};

FIXTURE_VARIANT_ADD(iova, piece4k_at100) {
	.len = DMASTRESS_MIB, .piece = 4096, .offset = 100,
};

FIXTURE_VARIANT_ADD(iova, piece64k_unlink) {
	.len = DMASTRESS_MIB, .piece = 65536,
	.flags = DMASTRESS_RUN_IOVA_UNLINK,
};

FIXTURE_VARIANT_ADD(iova, piece2m) {
	.len = 4 * DMASTRESS_MIB + 1, .piece = 2 * DMASTRESS_MIB,
};

FIXTURE_VARIANT_ADD(iova, piece2m_unlink_at2048) {
	.len = 4 * DMASTRESS_MIB, .piece = 2 * DMASTRESS_MIB, .offset = 2048,
	.flags = DMASTRESS_RUN_IOVA_UNLINK,
};

FIXTURE_SETUP(iova)
{
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
}

FIXTURE_TEARDOWN(iova)
{
	close(self->fd);
}

/*
 * Every byte through the pieces, nothing stale after the teardown, and
 * the mapping the group type promises: one linked IOVA range under DMA
 * and DMA-FQ, per-piece dma_map_phys() elsewhere.
 */
TEST_F_TIMEOUT(iova, bidi, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;

	dmastress_run_init(&run, DMASTRESS_PATH_IOVA, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 2, 0x10a);
	run.params.piece_bytes = variant->piece;
	run.params.offset_bytes = variant->offset;
	run.params.flags = variant->flags;
	dmastress_run_verified(self->fd, &run);
	ksft_print_msg("group %u: path_flags 0x%x\n", self->info.group_type,
		       run.result.path_flags);
	if (dmastress_group_translates(self->info.group_type)) {
		EXPECT_EQ(DMASTRESS_RESULT_IOVA_LINKED, run.result.path_flags);
	} else {
		EXPECT_TRUE(run.result.path_flags &
			    DMASTRESS_RESULT_IOVA_FALLBACK);
	}
}

/* ---- attrs: the DMA attributes of every path ------------------------- */

FIXTURE(attrs) {
	int fd;
};

FIXTURE_VARIANT(attrs) {
	__u32 path;
	__u32 attrs;
	__u32 offset;
	__u64 len;
};

#define ATTRS_VARIANT(_name, _P, _attrs, _off, _len)			\
	FIXTURE_VARIANT_ADD(attrs, _name) {				\
		.path = DMASTRESS_PATH_##_P,				\
		.attrs = (_attrs),					\
		.offset = (_off),					\
		.len = (_len),						\
	}

#define A(x)	DMASTRESS_ATTR_##x
ATTRS_VARIANT(single_skipsync, SINGLE, A(SKIP_CPU_SYNC), 0, 65536);
ATTRS_VARIANT(single_minalign_at100, SINGLE, A(MIN_ALIGN), 100, 65536);
ATTRS_VARIANT(page_skipsync_minalign, PAGE, A(SKIP_CPU_SYNC) | A(MIN_ALIGN),
	      100, 8192);
ATTRS_VARIANT(sg_skipsync_weak, SG, A(SKIP_CPU_SYNC) | A(WEAK_ORDERING), 0,
	      DMASTRESS_MIB);
ATTRS_VARIANT(sgtable_nowarn, SGTABLE, A(NO_WARN), 0, DMASTRESS_MIB);
ATTRS_VARIANT(phys_skipsync, PHYS, A(SKIP_CPU_SYNC), 0, 65536);
ATTRS_VARIANT(iova_skipsync, IOVA, A(SKIP_CPU_SYNC), 0, DMASTRESS_MIB);
ATTRS_VARIANT(coherent_nowarn_weak, COHERENT, A(NO_WARN) | A(WEAK_ORDERING),
	      0, 65536);
ATTRS_VARIANT(coherent_managed_nowarn, COHERENT, A(MANAGED) | A(NO_WARN), 0,
	      65536);
ATTRS_VARIANT(pool_managed, POOL, A(MANAGED), 0, 4096);
ATTRS_VARIANT(pool_node, POOL, A(NODE), 0, 4096);
ATTRS_VARIANT(noncontig_single_pages, NONCONTIG, A(ALLOC_SINGLE_PAGES), 0,
	      DMASTRESS_MIB);
#undef A

FIXTURE_SETUP(attrs)
{
	dmastress_open(&self->fd);
}

FIXTURE_TEARDOWN(attrs)
{
	close(self->fd);
}

/* Every byte through the path with the attributes, in both directions. */
TEST_F_TIMEOUT(attrs, bidi, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;

	dmastress_run_init(&run, variant->path, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 2, 0xa77);
	run.params.attrs = variant->attrs;
	run.params.offset_bytes = variant->offset;
	dmastress_run_verified(self->fd, &run);
	if (variant->attrs & DMASTRESS_ATTR_MIN_ALIGN) {
		EXPECT_EQ(0, (run.result.sample_dma_addr ^
			      run.result.sample_phys_addr) & 4095);
	}
}

/* ---- masks: every DMA address within the mask that governs it -------- */

FIXTURE(masks) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(masks) {
	__u32 path;
};

#define MASKS_VARIANT(_p, _P)						\
	FIXTURE_VARIANT_ADD(masks, _p) {				\
		.path = DMASTRESS_PATH_##_P,				\
	}

MASKS_VARIANT(coherent, COHERENT);
MASKS_VARIANT(pool, POOL);
MASKS_VARIANT(single, SINGLE);
MASKS_VARIANT(page, PAGE);
MASKS_VARIANT(sg, SG);
MASKS_VARIANT(sgtable, SGTABLE);
MASKS_VARIANT(pages, PAGES);
MASKS_VARIANT(noncoherent, NONCOHERENT);
MASKS_VARIANT(noncontig, NONCONTIG);
MASKS_VARIANT(phys, PHYS);
MASKS_VARIANT(iova, IOVA);

FIXTURE_SETUP(masks)
{
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
}

FIXTURE_TEARDOWN(masks)
{
	close(self->fd);
}

/*
 * A 28-bit coherent mask with the streaming mask left wide, then a 32-bit
 * streaming mask with the coherent one left wide: the kernel checks every
 * DMA address of every op against the mask its API family answers to.
 */
static void masks_run(struct __test_metadata *_metadata, int fd, __u32 path,
		      __u32 mask_bits, __u32 coherent_mask_bits,
		      struct dmastress_run *run)
{
	dmastress_run_init(run, path, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 65536, 4, 0x3a5);
	run->params.mask_bits = mask_bits;
	run->params.coherent_mask_bits = coherent_mask_bits;
	dmastress_run(fd, run);
	ksft_print_msg("path %u mask %u coherent %u: status %d dma 0x%llx mask_violations %llu\n",
		       path, mask_bits, coherent_mask_bits, run->status,
		       (unsigned long long)run->result.sample_dma_addr,
		       (unsigned long long)run->result.mask_violations);
}

TEST_F_TIMEOUT(masks, coherent_28_bits, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;

	masks_run(_metadata, self->fd, variant->path, 0, 28, &run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	ASSERT_EQ(0, run.status);
	EXPECT_EQ(0, run.result.mismatches);
	if (run.result.mask_violations &&
	    dmastress_group_translates(self->info.group_type) &&
	    dmastress_path_is_pages(variant->path))
		DMASTRESS_XFAIL(return, DMASTRESS_KNOWN_PAGES_MASK);
	EXPECT_EQ(0, run.result.mask_violations);
}

TEST_F_TIMEOUT(masks, streaming_32_bits, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;

	masks_run(_metadata, self->fd, variant->path, 32, 0, &run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	ASSERT_EQ(0, run.status);
	EXPECT_EQ(0, run.result.mismatches);
	EXPECT_EQ(0, run.result.mask_violations);
}

/* ---- negative controls ---------------------------------------------- */

FIXTURE(controls) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_SETUP(controls)
{
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
}

FIXTURE_TEARDOWN(controls)
{
	close(self->fd);
}

/*
 * Leaving out dma_sync_single_for_cpu() loses the device's data exactly
 * when the mapping bounces (swiotlb=force): the bytes stay in the bounce
 * slot. Elsewhere on x86 (cache-coherent DMA) nothing is lost. So the
 * verification reports mismatches in one mode and none in the others.
 */
TEST_F_TIMEOUT(controls, skipped_sync_for_cpu_is_caught_when_bouncing, DMASTRESS_TEST_TIMEOUT)
{
	bool bounce = self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE;
	struct dmastress_run run;

	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_FROM_DEVICE, 4096, 1, 0xc0);
	run.params.flags = DMASTRESS_RUN_SKIP_SYNC_FOR_CPU;
	dmastress_run(self->fd, &run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	ASSERT_EQ(0, run.status);
	dmastress_run_log(&run);
	if (bounce) {
		EXPECT_LT(0, run.result.mismatches);
	} else {
		EXPECT_EQ(0, run.result.mismatches);
	}
}

/*
 * DMA_ATTR_SKIP_CPU_SYNC leaves the explicit syncs as the only copy to and
 * from a bounce slot: without dma_sync_single_for_cpu() the device's bytes
 * stay there under swiotlb=force, and nothing is lost elsewhere.
 */
TEST_F_TIMEOUT(controls, skipsync_without_sync_for_cpu_is_caught_when_bouncing, DMASTRESS_TEST_TIMEOUT)
{
	bool bounce = self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE;
	struct dmastress_run run;

	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_FROM_DEVICE, 4096, 1, 0xc1);
	run.params.flags = DMASTRESS_RUN_SKIP_SYNC_FOR_CPU;
	run.params.attrs = DMASTRESS_ATTR_SKIP_CPU_SYNC;
	dmastress_run(self->fd, &run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	ASSERT_EQ(0, run.status);
	dmastress_run_log(&run);
	if (bounce) {
		EXPECT_LT(0, run.result.mismatches);
	} else {
		EXPECT_EQ(0, run.result.mismatches);
	}
}

DMASTRESS_HARNESS_MAIN
