// SPDX-License-Identifier: GPL-2.0-only
/*
 * paths.c - every DMA API path through DMASTRESS_IOC_RUN, every byte
 * verified by the kernel, in every direction, at 1, 4096, 65536 and 1 MiB.
 *
 * Fixture paths: the cpu engine (memcpy speed, walks the device's
 * translation), variant = path x direction, one test per size.
 * Fixture paths_edu: a small set through QEMU's edu DMA engine (100 ms of
 * virtual time per 2 KiB transfer), bidirectional, 1 and 4096 bytes.
 * Fixture resource: dma_map_resource() of edu's own BAR as a peer target.
 * MMIO has no struct page, so only the edu engine reaches it; the window is
 * 2048 bytes and edu's BAR does not keep data (the module runs it only
 * unverified), so the run proves the mapping and the peer transfers: a
 * wrong address faults in the IOMMU and in QEMU's log (scripts/vm fails).
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

#define PATHS_VARIANT(_p, _P, _d, _D)					\
	FIXTURE_VARIANT_ADD(paths, _p##_##_d) {				\
		.path = DMASTRESS_PATH_##_P,				\
		.dir = DMASTRESS_DIR_##_D,				\
	}

#define PATHS_VARIANTS(_p, _P)						\
	PATHS_VARIANT(_p, _P, to_dev, TO_DEVICE);			\
	PATHS_VARIANT(_p, _P, from_dev, FROM_DEVICE);			\
	PATHS_VARIANT(_p, _P, bidi, BIDIRECTIONAL)

PATHS_VARIANTS(coherent, COHERENT);
PATHS_VARIANTS(pool, POOL);
PATHS_VARIANTS(single, SINGLE);
PATHS_VARIANTS(page, PAGE);
PATHS_VARIANTS(sg, SG);
PATHS_VARIANTS(sgtable, SGTABLE);
PATHS_VARIANTS(pages, PAGES);
PATHS_VARIANTS(noncoherent, NONCOHERENT);
PATHS_VARIANTS(noncontig, NONCONTIG);

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

/* ---- resource: a peer's MMIO ------------------------------------------ */

FIXTURE(resource) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(resource) {
	__u32 dir;
};

FIXTURE_VARIANT_ADD(resource, to_dev) {
	.dir = DMASTRESS_DIR_TO_DEVICE,
};

FIXTURE_VARIANT_ADD(resource, from_dev) {
	.dir = DMASTRESS_DIR_FROM_DEVICE,
};

FIXTURE_VARIANT_ADD(resource, bidi) {
	.dir = DMASTRESS_DIR_BIDIRECTIONAL,
};

FIXTURE_SETUP(resource)
{
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
	if (!(self->info.engines & (1U << DMASTRESS_ENGINE_EDU)))
		SKIP(return, "the bound device is not QEMU's edu");
}

FIXTURE_TEARDOWN(resource)
{
	close(self->fd);
}

#define RESOURCE_SIZE_TEST(_name, _len)					\
	TEST_F_TIMEOUT(resource, _name, DMASTRESS_TEST_TIMEOUT) \
	{								\
		struct dmastress_run run;				\
									\
		dmastress_run_init(&run, DMASTRESS_PATH_RESOURCE,	\
				   DMASTRESS_ENGINE_EDU, variant->dir,	\
				   _len, 1, 0x7e5);			\
		run.params.flags = DMASTRESS_RUN_NO_VERIFY;		\
		dmastress_run_verified(self->fd, &run);			\
		ksft_print_msg("dma_addr=0x%llx bar_phys=0x%llx\n",	\
			       (unsigned long long)run.result.sample_dma_addr, \
			       (unsigned long long)run.result.sample_phys_addr); \
		/* A peer's MMIO: the IOVA, or the BAR itself. */	\
		if (dmastress_group_translates(self->info.group_type)) { \
			EXPECT_NE(run.result.sample_phys_addr,		\
				  run.result.sample_dma_addr);		\
		} else {						\
			EXPECT_EQ(run.result.sample_phys_addr,		\
				  run.result.sample_dma_addr);		\
		}							\
		EXPECT_NE(0, run.result.sample_phys_addr);		\
	}

RESOURCE_SIZE_TEST(sz1, 1)
RESOURCE_SIZE_TEST(sz2k, 2048)

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

DMASTRESS_HARNESS_MAIN
