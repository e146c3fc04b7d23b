// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu.c - what the IOMMU mode promises, shown by the device itself
 *
 * The cpu engine walks the kernel's translation in software: it never
 * meets the IOMMU's permission bits, and cannot tell whether QEMU really
 * translates a device. Here the nvme engine's controller (the first
 * device whose engines include nvme) does the accesses:
 *
 * Fixture translation: the controller reads and writes a canary page at
 * its physical address, which no IOVA of the device maps
 * (DMASTRESS_RUN_OOB_XFER). Under group type DMA or DMA-FQ nothing may
 * reach it; without translation (none, identity) all of it does. The cpu
 * engine's control (an address past the mapping) is refused without
 * translation: it would read a page nobody owns.
 *
 * Fixture permission, variant = path x direction: the controller writes
 * into a DMA_TO_DEVICE mapping, or reads a DMA_FROM_DEVICE one
 * (DMASTRESS_RUN_WRONG_DIR). Under translation a streaming mapping is
 * mapped with the direction's permission only: nothing may take effect.
 * Coherent memory, pool blocks and dma_alloc_noncontiguous() buffers have
 * no direction in the IOMMU (mapped read-write in every mode): the access
 * takes effect. Without translation the outcome
 * takes effect without swiotlb=force; under it the outcome is printed
 * for what it is (a write lands in the bounce slot and is dropped at the
 * unmap) and must be all of an op or none of it.
 *
 * Fixture window, variant = the delay: after each unmap of a TO_DEVICE
 * single mapping the controller reads the old IOVA once more, the delay
 * later (DMASTRESS_RUN_STALE_XFER), right after its own transfer filled
 * the IOMMU's IOTLB. Under group type DMA (strict) the unmap invalidates
 * the IOTLB before it returns: no read may get the buffer's bytes. Under
 * DMA-FQ (lazy) the invalidation waits for the flush queue: the reads that
 * still got through are printed (bench's window step measures the
 * histogram). Without translation the old address is the buffer's own:
 * every read gets it (swiotlb=force: a freed bounce slot, printed). Its
 * second test writes instead, into the page the path freed and the module
 * got back from the page allocator: the stale write in reused memory.
 *
 * Fixture dma32, variant = path: buffers above 4 GiB mapped for the
 * controller under a 32-bit mask: bounced without translation, an IOVA
 * below 4 GiB under it, verified either way.
 *
 * edu_timeout: an edu transfer that outlives the module's edu_timeout_ms
 * kills the engine before its buffer is freed: no IOMMU fault after,
 * refused until rebind.
 */
#include <sys/utsname.h>

#include "dmastress_utils.h"

/*
 * Linux's intel-iommu up to 6.12 (and 6.1) sets bit 0 of every PTE it
 * writes (drivers/iommu/intel/iommu.c __domain_mapping(): "attr |=
 * DMA_FL_PTE_PRESENT", the first-stage present bit, which is the
 * second-stage Read bit, iommu.h: both BIT_ULL(0)): a DMA_FROM_DEVICE
 * mapping is readable too. 7.3's second-stage table (generic_pt's vtdss)
 * sets Read only for IOMMU_READ. The releases between are not measured.
 */
#define KNOWN_VTD_READ							\
	"kernel: intel-iommu before 7.3 maps every IOVA readable (PTE bit 0: DMA_FL_PTE_PRESENT is the second-stage R bit)"

/* The device's IOMMU is Intel VT-d (its sysfs iommu link is a dmar unit). */
static bool iommu_is_vtd(__u32 bdf)
{
	char path[96], link[256], name[32];
	ssize_t n;

	dmastress_bdf_name(bdf, name, sizeof(name));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return strstr(link, "/dmar") != NULL;
}

/* The running kernel is older than @major.@minor. */
static bool kernel_before(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

#define IOMMU_ITERATIONS	2
#define IOMMU_LEN		4096

FIXTURE(translation) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_SETUP(translation)
{
	self->fd = dmastress_engine_open(DMASTRESS_ENGINE_NVME);
	if (self->fd < 0)
		SKIP(return, "no device with the nvme engine (nvme_allow=)");
	dmastress_get_info(self->fd, &self->info);
}

FIXTURE_TEARDOWN(translation)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The cpu engine's out-of-bounds control reads past the mapping through
 * the device's translation: without one that is a physical page nobody
 * gave the run, so the kernel refuses it (-EOPNOTSUPP with the reason);
 * under DMA or DMA-FQ every read is a device fault.
 */
TEST_F_TIMEOUT(translation, cpu_engine_oob, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;

	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_TO_DEVICE, 8192, 16, 0x7a6);
	run.params.flags = DMASTRESS_RUN_OOB_XFER;
	dmastress_run(self->fd, &run);
	ksft_print_msg("group %s: status %d, %llu device faults of 16: %.64s\n",
		       dmastress_group_name(self->info.group_type), run.status,
		       (unsigned long long)run.result.device_faults,
		       run.result.skip_reason);
	if (dmastress_group_translates(self->info.group_type)) {
		ASSERT_EQ(0, run.status);
		EXPECT_EQ(16, run.result.device_faults);
	} else {
		EXPECT_EQ(-EOPNOTSUPP, run.status);
		EXPECT_EQ(0, run.result.ops);
	}
}

/* A read and a write of IOMMU_LEN bytes at the canary, per iteration. */
TEST_F_TIMEOUT(translation, unmapped_iova, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;
	__u64 all = 2ULL * IOMMU_ITERATIONS * IOMMU_LEN;

	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_NVME,
			   DMASTRESS_DIR_BIDIRECTIONAL, IOMMU_LEN,
			   IOMMU_ITERATIONS, 0x7a5);
	run.params.flags = DMASTRESS_RUN_OOB_XFER;
	dmastress_run(self->fd, &run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	ASSERT_EQ(0, run.status);
	ksft_print_msg("group %s: %llu of %llu bytes reached the canary, %llu device faults\n",
		       dmastress_group_name(self->info.group_type),
		       (unsigned long long)run.result.oob_landed,
		       (unsigned long long)all,
		       (unsigned long long)run.result.device_faults);
	if (dmastress_group_translates(self->info.group_type)) {
		EXPECT_EQ(0, run.result.oob_landed);
	} else {
		EXPECT_EQ(all, run.result.oob_landed);
	}
}

FIXTURE(permission) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(permission) {
	__u32 path;
	__u32 dir;
	bool directed;	/* the mapping carries the direction */
};

#define PERM_VARIANT(_p, _P, _d, _D, _directed)				\
	FIXTURE_VARIANT_ADD(permission, _p##_##_d) {			\
		.path = DMASTRESS_PATH_##_P,				\
		.dir = DMASTRESS_DIR_##_D,				\
		.directed = _directed,					\
	}

#define PERM_VARIANTS(_p, _P, _directed)				\
	PERM_VARIANT(_p, _P, write_to_dev, TO_DEVICE, _directed);	\
	PERM_VARIANT(_p, _P, read_from_dev, FROM_DEVICE, _directed)

PERM_VARIANTS(coherent, COHERENT, false);
PERM_VARIANTS(pool, POOL, false);
PERM_VARIANTS(single, SINGLE, true);
PERM_VARIANTS(page, PAGE, true);
PERM_VARIANTS(sg, SG, true);
PERM_VARIANTS(sgtable, SGTABLE, true);
PERM_VARIANTS(pages, PAGES, true);
PERM_VARIANTS(noncoherent, NONCOHERENT, true);
/*
 * dma_alloc_noncontiguous() takes a direction but iommu-dma maps it
 * read-write (dma-iommu.c __iommu_dma_alloc_noncontiguous():
 * dma_info_to_prot(DMA_BIDIRECTIONAL, ...), 6.12 and 7.3): no direction.
 */
PERM_VARIANTS(noncontig, NONCONTIG, false);
PERM_VARIANTS(phys, PHYS, true);
PERM_VARIANTS(iova, IOVA, true);
/* a peer's MMIO (the other controller's CMB), read back through its BAR */
PERM_VARIANTS(resource, RESOURCE, true);

FIXTURE_SETUP(permission)
{
	self->fd = dmastress_engine_open(DMASTRESS_ENGINE_NVME);
	if (self->fd < 0)
		SKIP(return, "no device with the nvme engine (nvme_allow=)");
	dmastress_get_info(self->fd, &self->info);
}

FIXTURE_TEARDOWN(permission)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F_TIMEOUT(permission, against_direction, DMASTRESS_TEST_TIMEOUT)
{
	bool translated = dmastress_group_translates(self->info.group_type);
	__u64 all = (__u64)IOMMU_ITERATIONS * IOMMU_LEN;
	struct dmastress_run run;
	__u64 landed;

	dmastress_run_init(&run, variant->path, DMASTRESS_ENGINE_NVME,
			   variant->dir, IOMMU_LEN, IOMMU_ITERATIONS,
			   0x9e3 + variant->path);
	run.params.flags = DMASTRESS_RUN_WRONG_DIR;
	dmastress_run(self->fd, &run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	ASSERT_EQ(0, run.status);
	landed = run.result.perm_landed;
	ksft_print_msg("group %s%s: %s %llu of %llu bytes took effect, %llu device faults\n",
		       dmastress_group_name(self->info.group_type),
		       self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE ?
		       " swiotlb=force" : "",
		       variant->dir == DMASTRESS_DIR_TO_DEVICE ?
		       "a write into the TO_DEVICE mapping:" :
		       "a read of the FROM_DEVICE mapping:",
		       (unsigned long long)landed, (unsigned long long)all,
		       (unsigned long long)run.result.device_faults);
	EXPECT_EQ(0, run.result.src_errors);
	if (translated && variant->directed &&
	    variant->dir == DMASTRESS_DIR_FROM_DEVICE && landed == all &&
	    iommu_is_vtd(self->info.bdf) && kernel_before(7, 3))
		DMASTRESS_XFAIL(return, KNOWN_VTD_READ);
	if (translated && variant->directed) {
		EXPECT_EQ(0, landed);
	} else if (translated || !variant->directed ||
		   !(self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE)) {
		EXPECT_EQ(all, landed);
	} else {
		EXPECT_TRUE(landed == 0 || landed == all);
	}
}

#define WINDOW_ITERATIONS	16

FIXTURE(window) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(window) {
	__u32 delay_us;
};

FIXTURE_VARIANT_ADD(window, at_once) { .delay_us = 0 };
FIXTURE_VARIANT_ADD(window, after_1ms) { .delay_us = 1000 };
FIXTURE_VARIANT_ADD(window, after_20ms) { .delay_us = 20000 };

FIXTURE_SETUP(window)
{
	self->fd = dmastress_engine_open(DMASTRESS_ENGINE_NVME);
	if (self->fd < 0)
		SKIP(return, "no device with the nvme engine (nvme_allow=)");
	dmastress_get_info(self->fd, &self->info);
}

FIXTURE_TEARDOWN(window)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F_TIMEOUT(window, read_after_unmap, DMASTRESS_TEST_TIMEOUT)
{
	__u32 group = self->info.group_type;
	struct dmastress_run run;

	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_NVME,
			   DMASTRESS_DIR_TO_DEVICE, IOMMU_LEN,
			   WINDOW_ITERATIONS, 0x3d0 + variant->delay_us);
	run.params.flags = DMASTRESS_RUN_STALE_XFER;
	run.params.stale_delay_us = variant->delay_us;
	dmastress_run_verified(self->fd, &run);
	ksft_print_msg("group %s%s: %llu of %u reads %u us after the unmap got the buffer's bytes\n",
		       dmastress_group_name(group),
		       self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE ?
		       " swiotlb=force" : "",
		       (unsigned long long)run.result.stale_reached,
		       WINDOW_ITERATIONS, variant->delay_us);
	if (group == DMASTRESS_GROUP_DMA) {
		EXPECT_EQ(0, run.result.stale_reached);
	} else if (!dmastress_group_translates(group) &&
		   !(self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE)) {
		EXPECT_EQ(WINDOW_ITERATIONS, run.result.stale_reached);
	}
}

/*
 * The consequence: after the unmap the page path frees its buffer, the
 * module gets the page back from the page allocator (stale_reused: the
 * writes attempted, only into memory it owns again), and the controller
 * writes the old IOVA: under DMA-FQ the write lands in the reused page
 * while the IOTLB holds the entry, under DMA it faults, without
 * translation it always lands. A FROM_DEVICE mapping, so that the IOTLB
 * entry the controller's own transfer cached is writable.
 */
TEST_F_TIMEOUT(window, write_into_reused_page, DMASTRESS_TEST_TIMEOUT)
{
	__u32 group = self->info.group_type;
	struct dmastress_run run;
	__u64 reused, landed;

	dmastress_run_init(&run, DMASTRESS_PATH_PAGE, DMASTRESS_ENGINE_NVME,
			   DMASTRESS_DIR_FROM_DEVICE, IOMMU_LEN,
			   WINDOW_ITERATIONS, 0x3e0 + variant->delay_us);
	run.params.flags = DMASTRESS_RUN_STALE_XFER | DMASTRESS_RUN_STALE_WRITE;
	run.params.stale_delay_us = variant->delay_us;
	dmastress_run_verified(self->fd, &run);
	reused = run.result.stale_reused;
	landed = run.result.stale_reached;
	ksft_print_msg("group %s%s: %llu of %u pages came back to a new allocation, the write %u us after the unmap landed in %llu\n",
		       dmastress_group_name(group),
		       self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE ?
		       " swiotlb=force" : "",
		       (unsigned long long)reused, WINDOW_ITERATIONS,
		       variant->delay_us, (unsigned long long)landed);
	EXPECT_LE(landed, reused);
	if (self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE) {
		/* the old address is a bounce slot: never written */
		EXPECT_EQ(0, reused);
		return;
	}
	/* the per-CPU page lists hand the block just freed out first */
	EXPECT_LT(0, reused);
	if (group == DMASTRESS_GROUP_DMA) {
		EXPECT_EQ(0, landed);
	} else if (!dmastress_group_translates(group)) {
		EXPECT_EQ(reused, landed);
	}
}

/* ---- dma32: buffers above 4 GiB, a device limited to 32 bits ---------- */

#define DMA32_LIMIT	(1ULL << 32)

FIXTURE(dma32) {
	int fd;
	struct dmastress_info info;
};

FIXTURE_VARIANT(dma32) {
	__u32 path;
};

FIXTURE_VARIANT_ADD(dma32, single) { .path = DMASTRESS_PATH_SINGLE };
FIXTURE_VARIANT_ADD(dma32, page) { .path = DMASTRESS_PATH_PAGE };
FIXTURE_VARIANT_ADD(dma32, sg) { .path = DMASTRESS_PATH_SG };

/* The guest has memory above 4 GiB: /proc/zoneinfo shows a Normal zone
 * with pages (x86-64: ZONE_NORMAL starts at 4 GiB). */
static bool memory_above_4g(void)
{
	char line[256];
	bool normal = false, found = false;
	unsigned long long present;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, ", zone"))
			normal = strstr(line, "zone   Normal") != NULL;
		if (normal && sscanf(line, " present %llu", &present) == 1 &&
		    present)
			found = true;
	}
	fclose(f);
	return found;
}

FIXTURE_SETUP(dma32)
{
	self->fd = dmastress_engine_open(DMASTRESS_ENGINE_NVME);
	if (self->fd < 0)
		SKIP(return, "no device with the nvme engine (nvme_allow=)");
	dmastress_get_info(self->fd, &self->info);
	if (!memory_above_4g())
		SKIP(return, "the guest has no memory above 4 GiB (scripts/vm --mem 4G or more)");
}

FIXTURE_TEARDOWN(dma32)
{
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * The run gives the controller a 32-bit streaming mask; its buffers come
 * from ZONE_NORMAL, above 4 GiB (GFP_KERNEL takes Normal before DMA32).
 * The controller moves and the kernel verifies every byte; every DMA
 * address is below 4 GiB (the run counts mask violations). Without
 * translation dma-direct must bounce (the address is a swiotlb slot, not
 * the buffer); under translation the IOVA is below 4 GiB, the buffer not
 * bounced.
 */
TEST_F_TIMEOUT(dma32, above_4g_buffer, DMASTRESS_TEST_TIMEOUT)
{
	bool translated = dmastress_group_translates(self->info.group_type);
	struct dmastress_run run;
	__u64 dma, phys;

	dmastress_run_init(&run, variant->path, DMASTRESS_ENGINE_NVME,
			   DMASTRESS_DIR_BIDIRECTIONAL, 65536, 4,
			   0x320 + variant->path);
	run.params.mask_bits = 32;
	dmastress_run_verified(self->fd, &run);
	dma = run.result.sample_dma_addr;
	phys = run.result.sample_phys_addr;
	ksft_print_msg("group %s: buffer at 0x%llx, DMA address 0x%llx (%s)\n",
		       dmastress_group_name(self->info.group_type),
		       (unsigned long long)phys, (unsigned long long)dma,
		       translated ? "IOVA" : dma == phys ? "direct" : "bounced");
	EXPECT_LE(DMA32_LIMIT, phys);
	EXPECT_GT(DMA32_LIMIT, dma + 65536);
	EXPECT_NE(phys, dma);
}

/* ---- edu_timeout: a transfer that outlives its timeout ------------------ */

#define EDU_TIMEOUT_PARAM	DMASTRESS_SYSFS_MODULE "/parameters/edu_timeout_ms"

/* An IOMMU's report of a DMA it refused: Intel, AMD, virtio-iommu. */
static int iommu_fault_one(const char *msg, void *arg)
{
	static const char *const faults[] = {
		"DMAR: [DMA", "IO_PAGE_FAULT", "fault from EP",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(faults); i++)
		if (strstr(msg, faults[i])) {
			if (!(*(int *)arg)++)
				ksft_print_msg("kernel: %s\n", msg);
			break;
		}
	return 0;
}

/*
 * edu_timeout_ms at 20, below edu's 100 ms per transfer: the run's one
 * edu transfer times out while the device still owns the buffer, which the
 * run then unmaps and frees. The module must turn bus mastering off first:
 * no IOMMU fault at the freed IOVA once edu's timer fires, the engine
 * refused from then on (-EOPNOTSUPP, "timed out"), and a rebind of the
 * device makes it work again.
 */
TEST(edu_timeout)
{
	struct dmastress_info info;
	struct dmastress_run run;
	char bdf[32], path[128], old[16];
	int fd, kmsg, faults = 0;

	fd = dmastress_engine_open(DMASTRESS_ENGINE_EDU);
	if (fd < 0)
		SKIP(return, "no device with the edu engine");
	if (dmastress_read_str_file(EDU_TIMEOUT_PARAM, old, sizeof(old)))
		SKIP(return, "no edu_timeout_ms parameter");
	ASSERT_EQ(0, dmastress_dev_info(fd, &info));
	dmastress_bdf_name(info.bdf, bdf, sizeof(bdf));
	EXPECT_NE(0, dmastress_write_file(EDU_TIMEOUT_PARAM, "0"));
	EXPECT_NE(0, dmastress_write_file(EDU_TIMEOUT_PARAM, "5001"));
	kmsg = dmastress_kmsg_open();
	ASSERT_LE(0, kmsg);

	ASSERT_EQ(0, dmastress_write_file(EDU_TIMEOUT_PARAM, "20"));
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_EDU,
			   DMASTRESS_DIR_TO_DEVICE, 2048, 1, 0xed0);
	ASSERT_EQ(0, _dmastress_run(fd, &run));
	dmastress_write_file(EDU_TIMEOUT_PARAM, old);
	dmastress_run_log(&run);
	EXPECT_NE(0, run.status);
	/* edu's 100 ms timer fires meanwhile, into whatever it still reaches */
	usleep(500 * 1000);
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_EDU,
			   DMASTRESS_DIR_TO_DEVICE, 2048, 1, 0xed1);
	ASSERT_EQ(0, _dmastress_run(fd, &run));
	dmastress_run_log(&run);
	EXPECT_EQ(-EOPNOTSUPP, run.status);
	EXPECT_TRUE(strstr(run.result.skip_reason, "timed out") != NULL);
	dmastress_kmsg_each(kmsg, iommu_fault_one, &faults);
	close(kmsg);
	EXPECT_EQ(0, faults);
	close(fd);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	ASSERT_EQ(0, dmastress_write_file(path, bdf));
	ASSERT_EQ(0, dmastress_write_file("/sys/bus/pci/drivers/dmastress/bind", bdf));
	fd = dmastress_engine_open(DMASTRESS_ENGINE_EDU);
	ASSERT_LE(0, fd);
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_EDU,
			   DMASTRESS_DIR_TO_DEVICE, 2048, 1, 0xed2);
	dmastress_run_verified(fd, &run);
	close(fd);
}

DMASTRESS_HARNESS_MAIN
