// SPDX-License-Identifier: GPL-2.0-only
/*
 * info.c - "dmastress info": what DMASTRESS_IOC_INFO reports about the
 * device, its IOMMU group, masks, limits, swiotlb and the engines, as text
 * (one "key value" line each) or as one JSON object with the same keys.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dmastress.h"

static void dmastress_info_usage(FILE *f)
{
	fprintf(f,
		"usage: dmastress info [--device PATH] [--format text|json]\n"
		"       dmastress info --devices all\n"
		"       dmastress info --list KIND\n"
		"\n"
		"Print what the kernel reports for a dmastress device (DMASTRESS_IOC_INFO):\n"
		"PCI BDF, IOMMU group type, DMA masks, mapping limits, segment limits,\n"
		"swiotlb state, engines and the timer overhead.\n"
		"\n"
		"  --device PATH     device node (default " DMASTRESS_DEFAULT_DEVICE ")\n"
		"  --format FMT      text (default) or json\n"
		"  --devices all     one line per /dev/dmastress<N>: its BDF, IOMMU group\n"
		"                    and group type, and the engines that can drive it\n"
		"  --list KIND       print the names of KIND in value order on one line,\n"
		"                    without opening the device; KIND is one of:\n"
		"                    paths engines dirs group-types attrs result-flags\n"
		"                    phases features\n"
		"  --help            this text\n"
		"\n"
		"Exit: 0 ok, 1 ioctl failed, 2 bad arguments, 4 no device.\n");
}

/*
 * "edu,cpu": the engines that can drive the device; with @max_xfer
 * "edu:2048,cpu:1048576": each with its largest transfer, bytes.
 */
static void dmastress_info_engines(const struct dmastress_info *info,
				   bool max_xfer, char *buf, size_t len)
{
	unsigned int e;
	size_t used = 0;

	buf[0] = '\0';
	for (e = 0; e < DMASTRESS_NR_ENGINES && used < len; e++) {
		if (!(info->engines & (1U << e)))
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "," : "", dmastress_engine_names[e]);
		if (max_xfer && used < len)
			used += snprintf(buf + used, len - used, ":%u",
					 info->engine_max_xfer[e]);
	}
}

#define DMASTRESS_FLAG(info, f)	(((info)->flags & DMASTRESS_INFO_##f) ? 1 : 0)

static void dmastress_info_text(const char *dev,
				const struct dmastress_info *info)
{
	char bdf[32], engines[64], max_xfer[96], features[128];

	dmastress_bdf_name(info->bdf, bdf, sizeof(bdf));
	dmastress_info_engines(info, false, engines, sizeof(engines));
	dmastress_info_engines(info, true, max_xfer, sizeof(max_xfer));
	dmastress_flags_str(dmastress_feature_names, DMASTRESS_NR_FEATURES,
			    (uint32_t)info->features, features, sizeof(features));
#define KV(k, fmt, ...)	printf("%-26s " fmt "\n", k, __VA_ARGS__)
	KV("device", "%s", dev);
	KV("bdf", "%s", bdf);
	KV("edu", "%d", DMASTRESS_FLAG(info, EDU));
	KV("msi", "%d", DMASTRESS_FLAG(info, MSI));
	KV("group_type", "%s", dmastress_group_name(info->group_type));
	KV("dma_mask", "0x%llx (%u bits)", (unsigned long long)info->dma_mask,
	   dmastress_mask_bits(info->dma_mask));
	KV("coherent_dma_mask", "0x%llx (%u bits)",
	   (unsigned long long)info->coherent_dma_mask,
	   dmastress_mask_bits(info->coherent_dma_mask));
	KV("required_mask", "0x%llx (%u bits)",
	   (unsigned long long)info->required_mask,
	   dmastress_mask_bits(info->required_mask));
	KV("addressing_limited", "%d", DMASTRESS_FLAG(info, ADDR_LIMITED));
	KV("max_mapping_size_bytes", "%llu",
	   (unsigned long long)info->max_mapping_size);
	KV("opt_mapping_size_bytes", "%llu",
	   (unsigned long long)info->opt_mapping_size);
	KV("merge_boundary", "0x%llx", (unsigned long long)info->merge_boundary);
	KV("seg_boundary", "0x%llx", (unsigned long long)info->seg_boundary);
	KV("max_seg_size_bytes", "%u", info->max_seg_size);
	KV("cache_alignment_bytes", "%u", info->cache_alignment);
	KV("iommu_granule_bytes", "%llu", (unsigned long long)info->iommu_granule);
	KV("swiotlb_active", "%d", DMASTRESS_FLAG(info, SWIOTLB_ACTIVE));
	KV("swiotlb_forced", "%d", DMASTRESS_FLAG(info, SWIOTLB_FORCE));
	KV("swiotlb_nslabs", "%llu", (unsigned long long)info->swiotlb_nslabs);
	KV("need_sync", "%d", DMASTRESS_FLAG(info, NEED_SYNC));
	KV("engines", "%s", engines[0] ? engines : "none");
	KV("engine_max_xfer_bytes", "%s", max_xfer[0] ? max_xfer : "none");
	KV("peer_window_bytes", "%llu", (unsigned long long)info->peer_window_bytes);
	KV("peer_window_phys", "0x%llx", (unsigned long long)info->peer_window_phys);
	KV("timer_overhead_ns", "%u", info->timer_overhead_ns);
	KV("timer_overhead_ps", "%llu", (unsigned long long)info->timer_overhead_ps);
	KV("dma_api_debug", "%d", DMASTRESS_FLAG(info, DMA_API_DEBUG));
	KV("pfn_pitfall", "%d", DMASTRESS_FLAG(info, PFN_PITFALL));
	KV("can_mmap", "%d", DMASTRESS_FLAG(info, CAN_MMAP));
	KV("features", "0x%llx (%s)", (unsigned long long)info->features,
	   features);
#undef KV
}

static void dmastress_info_json(const char *dev,
				const struct dmastress_info *info)
{
	char bdf[32];
	unsigned int e;
	int first = 1;

	dmastress_bdf_name(info->bdf, bdf, sizeof(bdf));
	printf("{\"device\": ");
	dmastress_json_str(stdout, dev);
	printf(", \"bdf\": \"%s\"", bdf);
	printf(", \"edu\": %s", DMASTRESS_FLAG(info, EDU) ? "true" : "false");
	printf(", \"msi\": %s", DMASTRESS_FLAG(info, MSI) ? "true" : "false");
	printf(", \"group_type\": \"%s\"", dmastress_group_name(info->group_type));
	printf(", \"dma_mask\": \"0x%llx\", \"dma_mask_bits\": %u",
	       (unsigned long long)info->dma_mask,
	       dmastress_mask_bits(info->dma_mask));
	printf(", \"coherent_dma_mask\": \"0x%llx\", \"coherent_dma_mask_bits\": %u",
	       (unsigned long long)info->coherent_dma_mask,
	       dmastress_mask_bits(info->coherent_dma_mask));
	printf(", \"required_mask\": \"0x%llx\", \"required_mask_bits\": %u",
	       (unsigned long long)info->required_mask,
	       dmastress_mask_bits(info->required_mask));
	printf(", \"addressing_limited\": %s",
	       DMASTRESS_FLAG(info, ADDR_LIMITED) ? "true" : "false");
	printf(", \"max_mapping_size_bytes\": %llu",
	       (unsigned long long)info->max_mapping_size);
	printf(", \"opt_mapping_size_bytes\": %llu",
	       (unsigned long long)info->opt_mapping_size);
	printf(", \"merge_boundary\": \"0x%llx\"",
	       (unsigned long long)info->merge_boundary);
	printf(", \"seg_boundary\": \"0x%llx\"",
	       (unsigned long long)info->seg_boundary);
	printf(", \"max_seg_size_bytes\": %u", info->max_seg_size);
	printf(", \"cache_alignment_bytes\": %u", info->cache_alignment);
	printf(", \"iommu_granule_bytes\": %llu",
	       (unsigned long long)info->iommu_granule);
	printf(", \"swiotlb_active\": %s",
	       DMASTRESS_FLAG(info, SWIOTLB_ACTIVE) ? "true" : "false");
	printf(", \"swiotlb_forced\": %s",
	       DMASTRESS_FLAG(info, SWIOTLB_FORCE) ? "true" : "false");
	printf(", \"swiotlb_nslabs\": %llu",
	       (unsigned long long)info->swiotlb_nslabs);
	printf(", \"need_sync\": %s",
	       DMASTRESS_FLAG(info, NEED_SYNC) ? "true" : "false");
	printf(", \"engines\": [");
	for (e = 0; e < DMASTRESS_NR_ENGINES; e++) {
		if (!(info->engines & (1U << e)))
			continue;
		printf("%s\"%s\"", first ? "" : ", ", dmastress_engine_names[e]);
		first = 0;
	}
	printf("], \"engine_max_xfer_bytes\": {");
	for (e = 0, first = 1; e < DMASTRESS_NR_ENGINES; e++) {
		if (!(info->engines & (1U << e)))
			continue;
		printf("%s\"%s\": %u", first ? "" : ", ",
		       dmastress_engine_names[e], info->engine_max_xfer[e]);
		first = 0;
	}
	printf("}");
	printf(", \"peer_window_bytes\": %llu",
	       (unsigned long long)info->peer_window_bytes);
	printf(", \"peer_window_phys\": %llu",
	       (unsigned long long)info->peer_window_phys);
	printf(", \"timer_overhead_ns\": %u", info->timer_overhead_ns);
	printf(", \"timer_overhead_ps\": %llu",
	       (unsigned long long)info->timer_overhead_ps);
	printf(", \"dma_api_debug\": %s",
	       DMASTRESS_FLAG(info, DMA_API_DEBUG) ? "true" : "false");
	printf(", \"pfn_pitfall\": %s",
	       DMASTRESS_FLAG(info, PFN_PITFALL) ? "true" : "false");
	printf(", \"can_mmap\": %s",
	       DMASTRESS_FLAG(info, CAN_MMAP) ? "true" : "false");
	printf(", \"features\": [");
	for (e = 0, first = 1; e < DMASTRESS_NR_FEATURES; e++) {
		if (!(info->features & (1ULL << e)))
			continue;
		printf("%s\"%s\"", first ? "" : ", ", dmastress_feature_names[e]);
		first = 0;
	}
	printf("], \"flags\": \"0x%x\"}\n", info->flags);
}

/*
 * The name lists of the UAPI (util.c), for --list: scripts and gnuplot
 * read them from here instead of keeping their own copies.
 */
static const struct {
	const char *kind;
	const char *const *names;
	unsigned int nr;
} dmastress_info_lists[] = {
	{ "paths", dmastress_path_names, DMASTRESS_NR_PATHS },
	{ "engines", dmastress_engine_names, DMASTRESS_NR_ENGINES },
	{ "dirs", dmastress_dir_names, DMASTRESS_NR_DIRS },
	{ "group-types", dmastress_group_names, DMASTRESS_NR_GROUP_TYPES },
	{ "attrs", dmastress_attr_names, DMASTRESS_NR_ATTRS },
	{ "result-flags", dmastress_result_flag_names, DMASTRESS_NR_RESULT_FLAGS },
	{ "phases", dmastress_phase_names, DMASTRESS_NR_PHASES },
	{ "features", dmastress_feature_names, DMASTRESS_NR_FEATURES },
};

#define DMASTRESS_NR_INFO_LISTS \
	(sizeof(dmastress_info_lists) / sizeof(dmastress_info_lists[0]))

/*
 * "dmastress info --list KIND": the names of one UAPI list, in value
 * order, space-separated on one line. Never opens the device.
 */
static int dmastress_info_list(const char *kind)
{
	unsigned int l, i;

	for (l = 0; l < DMASTRESS_NR_INFO_LISTS; l++)
		if (!strcmp(kind, dmastress_info_lists[l].kind))
			break;
	if (l == DMASTRESS_NR_INFO_LISTS) {
		fprintf(stderr, "dmastress info: --list: unknown kind '%s'; one of:",
			kind);
		for (l = 0; l < DMASTRESS_NR_INFO_LISTS; l++)
			fprintf(stderr, " %s", dmastress_info_lists[l].kind);
		fprintf(stderr, "\n");
		return DMASTRESS_EXIT_USAGE;
	}
	for (i = 0; i < dmastress_info_lists[l].nr; i++)
		printf("%s%s", i ? " " : "", dmastress_info_lists[l].names[i]);
	printf("\n");
	if (fflush(stdout)) {
		perror("dmastress: stdout");
		return DMASTRESS_EXIT_FAIL;
	}
	return DMASTRESS_EXIT_OK;
}

enum {
	DMASTRESS_INFO_OPT_DEVICE = 256,
	DMASTRESS_INFO_OPT_FORMAT,
	DMASTRESS_INFO_OPT_LIST,
	DMASTRESS_INFO_OPT_DEVICES,
};

static const struct option dmastress_info_opts[] = {
	{ "device", required_argument, NULL, DMASTRESS_INFO_OPT_DEVICE },
	{ "format", required_argument, NULL, DMASTRESS_INFO_OPT_FORMAT },
	{ "list", required_argument, NULL, DMASTRESS_INFO_OPT_LIST },
	{ "devices", required_argument, NULL, DMASTRESS_INFO_OPT_DEVICES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const dmastress_info_formats[] = { "text", "json" };

/**
 * dmastress_info_main() - "dmastress info"
 * @argc: argument count, argv[0] is "info"
 * @argv: arguments
 *
 * Return: exit code, DMASTRESS_EXIT_*.
 */
/*
 * "dmastress info --devices all": every bound device, one line each:
 * node, BDF, IOMMU group number (sysfs) and type, engines. Exit 4 when
 * there is none.
 */
static int dmastress_info_devices(void)
{
	unsigned int n, found = 0;

	for (n = 0; n < 64; n++) {
		char dev[32], bdf[16], link[128], grp[160], engines[64];
		struct dmastress_info info;
		const char *g = "none";
		ssize_t len;
		int fd;

		snprintf(dev, sizeof(dev), "/dev/dmastress%u", n);
		if (access(dev, F_OK))
			continue;
		fd = dmastress_open(dev);
		if (fd < 0)
			continue;
		if (dmastress_get_info(fd, dev, &info)) {
			close(fd);
			continue;
		}
		close(fd);
		dmastress_bdf_name(info.bdf, bdf, sizeof(bdf));
		snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group",
			 bdf);
		len = readlink(link, grp, sizeof(grp) - 1);
		if (len > 0) {
			grp[len] = '\0';
			g = strrchr(grp, '/') ? strrchr(grp, '/') + 1 : grp;
		}
		dmastress_info_engines(&info, false, engines, sizeof(engines));
		printf("%s bdf=%s iommu_group=%s group_type=%s engines=%s\n",
		       dev, bdf, g, dmastress_group_name(info.group_type),
		       engines[0] ? engines : "none");
		found++;
	}
	if (!found)
		printf("skip: no /dev/dmastress<N>\n");
	return found ? DMASTRESS_EXIT_OK : DMASTRESS_EXIT_SKIP;
}

int dmastress_info_main(int argc, char **argv)
{
	const char *dev = DMASTRESS_DEFAULT_DEVICE;
	const char *list = NULL;
	struct dmastress_info info;
	uint32_t format = 0;
	int c, fd, ret;

	while ((c = getopt_long(argc, argv, "h", dmastress_info_opts,
				NULL)) != -1) {
		switch (c) {
		case DMASTRESS_INFO_OPT_DEVICE:
			dev = optarg;
			if (dmastress_valid_device("info", dev))
				return DMASTRESS_EXIT_USAGE;
			break;
		case DMASTRESS_INFO_OPT_FORMAT:
			if (dmastress_parse_name("--format", optarg,
						 dmastress_info_formats, 2,
						 &format))
				return DMASTRESS_EXIT_USAGE;
			break;
		case DMASTRESS_INFO_OPT_LIST:
			list = optarg;
			break;
		case DMASTRESS_INFO_OPT_DEVICES:
			if (strcmp(optarg, "all")) {
				dmastress_usage_error("info", "--devices takes 'all'");
				return DMASTRESS_EXIT_USAGE;
			}
			return dmastress_info_devices();
		case 'h':
			dmastress_info_usage(stdout);
			return DMASTRESS_EXIT_OK;
		default:
			dmastress_usage_error("info", "bad option");
			return DMASTRESS_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		dmastress_usage_error("info", "unexpected argument '%s'",
				      argv[optind]);
		return DMASTRESS_EXIT_USAGE;
	}
	if (list)
		return dmastress_info_list(list);

	fd = dmastress_open(dev);
	if (fd < 0)
		return DMASTRESS_EXIT_SKIP;
	ret = dmastress_get_info(fd, dev, &info);
	close(fd);
	if (ret)
		return DMASTRESS_EXIT_FAIL;

	if (format == 0)
		dmastress_info_text(dev, &info);
	else
		dmastress_info_json(dev, &info);
	if (fflush(stdout)) {
		perror("dmastress: stdout");
		return DMASTRESS_EXIT_FAIL;
	}
	return DMASTRESS_EXIT_OK;
}
