// SPDX-License-Identifier: GPL-2.0-only
/*
 * info.c - DMASTRESS_IOC_INFO is sane and agrees with what sysfs, procfs and
 * the guest's configured mode say about the same device, and its feature
 * word with what the module does.
 */
#include "dmastress_utils.h"

/* Written by scripts/vm into every guest: the group type the mode must show. */
#define DMASTRESS_GUEST_GROUP	"/etc/dmastress/group"

FIXTURE(info) {
	int fd;
	struct dmastress_info info;
	char sysfs[256];
};

FIXTURE_SETUP(info)
{
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
	dmastress_sysfs_dev(self->info.bdf, NULL, self->sysfs,
			    sizeof(self->sysfs));
}

FIXTURE_TEARDOWN(info)
{
	close(self->fd);
}

static bool is_pow2(__u64 v)
{
	return v && !(v & (v - 1));
}

/* A mask is 2^n - 1 (n >= 1). */
static bool is_mask(__u64 v)
{
	return v && !(v & (v + 1));
}

TEST_F_TIMEOUT(info, reply_is_complete, DMASTRESS_TEST_TIMEOUT)
{
	unsigned int i;

	EXPECT_EQ(sizeof(self->info), self->info.size);
	for (i = 0; i < ARRAY_SIZE(self->info.reserved); i++) {
		EXPECT_EQ(0, self->info.reserved[i]);
	}
	EXPECT_NE(0, self->info.engines & (1U << DMASTRESS_ENGINE_CPU));
	EXPECT_EQ(!!(self->info.flags & DMASTRESS_INFO_EDU),
		  !!(self->info.engines & (1U << DMASTRESS_ENGINE_EDU)));
	EXPECT_EQ(0, self->info.engines & ~((1U << DMASTRESS_NR_ENGINES) - 1));
	EXPECT_GE(DMASTRESS_GROUP_BLOCKED, self->info.group_type);
}

TEST_F_TIMEOUT(info, device_is_bound_in_sysfs, DMASTRESS_TEST_TIMEOUT)
{
	char path[300], link[256], val[32];
	bool edu;
	ssize_t n;

	ASSERT_EQ(0, access(self->sysfs, F_OK))
		TH_LOG("bdf 0x%x: no %s", self->info.bdf, self->sysfs);
	snprintf(path, sizeof(path), "%s/driver", self->sysfs);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	EXPECT_STREQ("dmastress", strrchr(link, '/') + 1);

	snprintf(path, sizeof(path), "%s/vendor", self->sysfs);
	ASSERT_EQ(0, dmastress_read_str_file(path, val, sizeof(val)));
	edu = !strcmp(val, "0x1234");
	snprintf(path, sizeof(path), "%s/device", self->sysfs);
	ASSERT_EQ(0, dmastress_read_str_file(path, val, sizeof(val)));
	edu = edu && !strcmp(val, "0x11e8");
	EXPECT_EQ(edu, !!(self->info.flags & DMASTRESS_INFO_EDU));
}

TEST_F_TIMEOUT(info, group_type_matches_sysfs, DMASTRESS_TEST_TIMEOUT)
{
	char name[32];
	int group = dmastress_sysfs_group(self->info.bdf, name, sizeof(name));

	ASSERT_LE(0, group);
	EXPECT_EQ(group, self->info.group_type)
		TH_LOG("sysfs group type '%s', info says %u", name,
		       self->info.group_type);
}

TEST_F_TIMEOUT(info, group_type_matches_mode, DMASTRESS_TEST_TIMEOUT)
{
	char want[32], name[32];

	if (dmastress_read_str_file(DMASTRESS_GUEST_GROUP, want, sizeof(want)))
		SKIP(return, "not a scripts/vm guest (no %s)",
		     DMASTRESS_GUEST_GROUP);
	ASSERT_LE(0, dmastress_sysfs_group(self->info.bdf, name, sizeof(name)));
	EXPECT_STREQ(want, name);
}

TEST_F_TIMEOUT(info, masks_match_sysfs, DMASTRESS_TEST_TIMEOUT)
{
	char path[300];
	uint64_t bits;

	snprintf(path, sizeof(path), "%s/dma_mask_bits", self->sysfs);
	ASSERT_EQ(0, dmastress_read_u64_file(path, &bits));
	EXPECT_EQ(dmastress_mask_of_bits(bits), self->info.dma_mask);
	snprintf(path, sizeof(path), "%s/consistent_dma_mask_bits", self->sysfs);
	ASSERT_EQ(0, dmastress_read_u64_file(path, &bits));
	EXPECT_EQ(dmastress_mask_of_bits(bits), self->info.coherent_dma_mask);
	EXPECT_TRUE(is_mask(self->info.dma_mask));
	EXPECT_TRUE(is_mask(self->info.coherent_dma_mask));
}

TEST_F_TIMEOUT(info, masks_survive_a_run_with_other_masks, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info after;
	struct dmastress_run run;
	char path[300];
	uint64_t bits;

	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 1, 0x1f0);
	run.params.mask_bits = 32;
	run.params.coherent_mask_bits = 32;
	dmastress_run_verified(self->fd, &run);

	dmastress_get_info(self->fd, &after);
	EXPECT_EQ(self->info.dma_mask, after.dma_mask);
	EXPECT_EQ(self->info.coherent_dma_mask, after.coherent_dma_mask);
	snprintf(path, sizeof(path), "%s/dma_mask_bits", self->sysfs);
	ASSERT_EQ(0, dmastress_read_u64_file(path, &bits));
	EXPECT_EQ(dmastress_mask_of_bits(bits), self->info.dma_mask);
	snprintf(path, sizeof(path), "%s/consistent_dma_mask_bits", self->sysfs);
	ASSERT_EQ(0, dmastress_read_u64_file(path, &bits));
	EXPECT_EQ(dmastress_mask_of_bits(bits), self->info.coherent_dma_mask);
}

TEST_F_TIMEOUT(info, queries_are_sane, DMASTRESS_TEST_TIMEOUT)
{
	const struct dmastress_info *i = &self->info;

	EXPECT_TRUE(is_mask(i->required_mask));
	EXPECT_TRUE(is_mask(i->seg_boundary));
	EXPECT_LT(0, i->max_seg_size);
	EXPECT_TRUE(is_pow2(i->cache_alignment));
	EXPECT_LT(0, i->max_mapping_size);
	EXPECT_LT(0, i->opt_mapping_size);
	EXPECT_LE(i->opt_mapping_size, i->max_mapping_size);
	if (dmastress_group_translates(i->group_type)) {
		/* dma-iommu merges segments on IOMMU granule boundaries. */
		EXPECT_TRUE(is_pow2(i->iommu_granule));
		EXPECT_EQ(i->iommu_granule - 1, i->merge_boundary);
	} else {
		/* dma-direct (also for identity domains) never merges. */
		EXPECT_EQ(0, i->merge_boundary);
	}
	if (i->group_type == DMASTRESS_GROUP_NONE) {
		EXPECT_EQ(0, i->iommu_granule);
	}
}

TEST_F_TIMEOUT(info, swiotlb_matches_cmdline, DMASTRESS_TEST_TIMEOUT)
{
	char cmdline[4096];
	bool forced;

	ASSERT_EQ(0, dmastress_read_str_file("/proc/cmdline", cmdline,
					     sizeof(cmdline)));
	forced = strstr(cmdline, "swiotlb=force") &&
		 !dmastress_group_translates(self->info.group_type);
	EXPECT_EQ(forced, !!(self->info.flags & DMASTRESS_INFO_SWIOTLB_FORCE));
	if (forced) {
		/* Every streaming mapping bounces: at most one slot segment. */
		EXPECT_NE(0, self->info.flags & DMASTRESS_INFO_SWIOTLB_ACTIVE);
		EXPECT_LT(0, self->info.swiotlb_nslabs);
		EXPECT_GE(256 * 1024, self->info.max_mapping_size);
		EXPECT_NE(0, self->info.flags & DMASTRESS_INFO_NEED_SYNC);
	}
}

/* debugfs is mounted at /sys/kernel/debug (per /proc/mounts). */
static bool debugfs_mounted(void)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/mounts", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !!strstr(line, " /sys/kernel/debug debugfs ");
	fclose(f);
	return found;
}

TEST_F_TIMEOUT(info, dma_api_debug_matches_debugfs, DMASTRESS_TEST_TIMEOUT)
{
	if (!debugfs_mounted())
		SKIP(return, "debugfs is not mounted at /sys/kernel/debug");
	EXPECT_EQ(access("/sys/kernel/debug/dma-api", F_OK) == 0,
		  !!(self->info.flags & DMASTRESS_INFO_DMA_API_DEBUG));
}

TEST_F_TIMEOUT(info, pfn_pitfall_matches_parameter, DMASTRESS_TEST_TIMEOUT)
{
	char val[16];

	if (dmastress_read_str_file(DMASTRESS_SYSFS_MODULE "/parameters/pfn_pitfall",
				    val, sizeof(val)))
		SKIP(return, "pfn_pitfall parameter not readable in sysfs");
	EXPECT_EQ(val[0] == 'Y' || val[0] == '1',
		  !!(self->info.flags & DMASTRESS_INFO_PFN_PITFALL));
}

TEST_F_TIMEOUT(info, repeated_queries_agree, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info again;

	dmastress_get_info(self->fd, &again);
	EXPECT_EQ(self->info.bdf, again.bdf);
	EXPECT_EQ(self->info.group_type, again.group_type);
	EXPECT_EQ(self->info.dma_mask, again.dma_mask);
	EXPECT_EQ(self->info.coherent_dma_mask, again.coherent_dma_mask);
	EXPECT_EQ(self->info.max_mapping_size, again.max_mapping_size);
	EXPECT_EQ(self->info.merge_boundary, again.merge_boundary);
	EXPECT_EQ(self->info.flags, again.flags);
}

/*
 * A run of @path on the cpu engine: is it skipped for the kernel's
 * version, with a reason naming @needs ("needs Linux 6.16")?
 */
static bool skipped_for_kernel(int fd, __u32 path, const char *needs)
{
	struct dmastress_run run;

	dmastress_run_init(&run, path, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 1, 0xfea7);
	if (_dmastress_run(fd, &run))
		return false;
	return run.status == -EOPNOTSUPP &&
	       strstr(run.result.skip_reason, needs);
}

/*
 * The feature word names no bit past DMASTRESS_FEATURES, and every bit,
 * set or clear, agrees with the behaviour it names: out-zero with an INFO
 * whose output field is set, views with a VIEW_CREATE, iova-api and
 * map-phys with the skip reason of a run of their path, run-limits with
 * the max_run_seconds parameter.
 */
TEST_F_TIMEOUT(info, features_match_behaviour, DMASTRESS_TEST_TIMEOUT)
{
	__u64 f = self->info.features;
	struct dmastress_info probe;
	struct dmastress_view v;
	char names[128];
	int ret;

	dmastress_flags_str(dmastress_feature_names, DMASTRESS_NR_FEATURES,
			    (uint32_t)f, names, sizeof(names));
	ksft_print_msg("features 0x%llx (%s)\n", (unsigned long long)f, names);
	EXPECT_EQ(0, f & ~DMASTRESS_FEATURES_ALL);

	memset(&probe, 0, sizeof(probe));
	probe.size = sizeof(probe);
	probe.engines = 1;
	EXPECT_EQ(f & DMASTRESS_FEATURE(OUT_ZERO) ? -EINVAL : 0,
		  _dmastress_ioctl(self->fd, DMASTRESS_IOC_INFO, &probe));

	ret = _dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, 4096, &v);
	if (!(f & DMASTRESS_FEATURE(VIEWS))) {
		EXPECT_NE(0, ret);
	} else if (self->info.flags & DMASTRESS_INFO_CAN_MMAP) {
		ASSERT_EQ(0, ret);
		dmastress_view_destroy(self->fd, v.id);
	} else {
		EXPECT_EQ(-EOPNOTSUPP, ret);
	}

	EXPECT_EQ(!(f & DMASTRESS_FEATURE(IOVA_API)),
		  skipped_for_kernel(self->fd, DMASTRESS_PATH_IOVA,
				     "needs Linux 6.16"));
	EXPECT_EQ(!(f & DMASTRESS_FEATURE(MAP_PHYS)),
		  skipped_for_kernel(self->fd, DMASTRESS_PATH_PHYS,
				     "needs Linux 6.18"));
	EXPECT_EQ(!!(f & DMASTRESS_FEATURE(RUN_LIMITS)),
		  !access(DMASTRESS_SYSFS_MODULE "/parameters/max_run_seconds",
			  F_OK));
}

DMASTRESS_HARNESS_MAIN
