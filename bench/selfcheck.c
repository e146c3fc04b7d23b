// SPDX-License-Identifier: GPL-2.0-only
/*
 * selfcheck.c - "dmastress selfcheck": every DMA API path x direction x size
 * (plus sg/sgtable nents variants) run with verification on one engine,
 * reported as KTAP: one "ok"/"not ok" line per case, "# SKIP <reason>" with
 * the kernel's skip_reason when a path or engine cannot run here, the
 * device's INFO as "# key=value" diagnostics at the top and a summary line
 * at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dmastress.h"

#define DMASTRESS_SELFCHECK_ITERATIONS	2
#define DMASTRESS_SELFCHECK_MAX_ITER	1000
#define DMASTRESS_SELFCHECK_MAX_CASES	512

/* Sizes every path is run at, bytes; the last only with the cpu engine. */
static const uint64_t dmastress_sc_sizes[] = {
	1, 2047, 4096, 65536, 1 << 20, 4 << 20,
};

static const uint64_t dmastress_sc_quick_sizes[] = { 1, 4096, 65536 };

#define DMASTRESS_SC_NENTS_SIZE		(1 << 20)
static const uint32_t dmastress_sc_nents[] = { 1, 16, 512 };

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct dmastress_sc_case {
	uint32_t path;
	uint32_t dir;
	uint64_t len_bytes;
	uint32_t nents;
	uint32_t piece_bytes;
	uint32_t offset_bytes;
	uint32_t flags;
	uint32_t attrs;
	bool quick;
};

#define SC_ATTR(a)	DMASTRESS_ATTR_##a

/*
 * The variants, after the default case of their path and size, in every
 * direction: iova with bigger pieces, a first piece at a sub-page offset
 * and the dynamic teardown; the attributes of every path; quick ones also
 * in the --quick matrix.
 */
static const struct dmastress_sc_case dmastress_sc_variants[] = {
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 1 << 20, .piece_bytes = 65536 },
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 1 << 20, .offset_bytes = 100 },
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 1 << 20, .piece_bytes = 65536,
	  .offset_bytes = 2048, .flags = DMASTRESS_RUN_IOVA_UNLINK },
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 1 << 20,
	  .attrs = SC_ATTR(SKIP_CPU_SYNC) },
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 4 << 20, .piece_bytes = 2 << 20 },
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 4 << 20, .piece_bytes = 2 << 20,
	  .flags = DMASTRESS_RUN_IOVA_UNLINK },
	{ .path = DMASTRESS_PATH_IOVA, .len_bytes = 65536,
	  .flags = DMASTRESS_RUN_IOVA_UNLINK, .quick = true },
	{ .path = DMASTRESS_PATH_SINGLE, .len_bytes = 65536,
	  .attrs = SC_ATTR(SKIP_CPU_SYNC), .quick = true },
	{ .path = DMASTRESS_PATH_SINGLE, .len_bytes = 65536, .offset_bytes = 100,
	  .attrs = SC_ATTR(MIN_ALIGN), .quick = true },
	{ .path = DMASTRESS_PATH_PAGE, .len_bytes = 4096, .offset_bytes = 100,
	  .attrs = SC_ATTR(MIN_ALIGN) | SC_ATTR(SKIP_CPU_SYNC) },
	{ .path = DMASTRESS_PATH_SG, .len_bytes = 1 << 20,
	  .attrs = SC_ATTR(SKIP_CPU_SYNC) },
	{ .path = DMASTRESS_PATH_SGTABLE, .len_bytes = 1 << 20,
	  .attrs = SC_ATTR(NO_WARN) | SC_ATTR(WEAK_ORDERING) },
	{ .path = DMASTRESS_PATH_PHYS, .len_bytes = 65536,
	  .attrs = SC_ATTR(SKIP_CPU_SYNC), .quick = true },
	{ .path = DMASTRESS_PATH_COHERENT, .len_bytes = 65536,
	  .attrs = SC_ATTR(NO_WARN) | SC_ATTR(WEAK_ORDERING) },
	{ .path = DMASTRESS_PATH_COHERENT, .len_bytes = 65536,
	  .attrs = SC_ATTR(MANAGED) | SC_ATTR(NO_WARN) },
	{ .path = DMASTRESS_PATH_POOL, .len_bytes = 4096,
	  .attrs = SC_ATTR(MANAGED), .quick = true },
	{ .path = DMASTRESS_PATH_POOL, .len_bytes = 4096, .attrs = SC_ATTR(NODE) },
	{ .path = DMASTRESS_PATH_NONCONTIG, .len_bytes = 1 << 20,
	  .attrs = SC_ATTR(ALLOC_SINGLE_PAGES) },
};

/* The variants of one path and size into @cases (at most @max). */
static unsigned int dmastress_sc_add_variants(uint32_t path, uint32_t dir,
					      uint64_t len, bool quick,
					      struct dmastress_sc_case *cases,
					      unsigned int max)
{
	unsigned int n = 0, k;

	for (k = 0; k < ARRAY_LEN(dmastress_sc_variants) && n < max; k++) {
		const struct dmastress_sc_case *v = &dmastress_sc_variants[k];

		if (v->path != path || v->len_bytes != len || (quick && !v->quick))
			continue;
		cases[n] = *v;
		cases[n].dir = dir;
		n++;
	}
	return n;
}

/*
 * The case matrix, in output order: path, then direction, then size, the
 * nents variants right after the default sg/sgtable case of their size.
 */
static unsigned int dmastress_sc_cases(uint32_t engine, bool quick,
				       struct dmastress_sc_case *cases,
				       unsigned int max)
{
	const uint64_t *sizes = quick ? dmastress_sc_quick_sizes :
					dmastress_sc_sizes;
	unsigned int nr_sizes = quick ? ARRAY_LEN(dmastress_sc_quick_sizes) :
					ARRAY_LEN(dmastress_sc_sizes);
	unsigned int n = 0, s, k;
	uint32_t path, dir;

	for (path = 0; path < DMASTRESS_NR_PATHS; path++) {
		bool sg = path == DMASTRESS_PATH_SG ||
			  path == DMASTRESS_PATH_SGTABLE;
		/* dir in output order to, from, bidi */
		static const uint32_t dirs[] = {
			DMASTRESS_DIR_TO_DEVICE, DMASTRESS_DIR_FROM_DEVICE,
			DMASTRESS_DIR_BIDIRECTIONAL,
		};

		for (dir = 0; dir < ARRAY_LEN(dirs); dir++) {
			for (s = 0; s < nr_sizes; s++) {
				/* edu: 100 ms of virtual time per 2 KiB */
				if (sizes[s] > (1 << 20) &&
				    engine == DMASTRESS_ENGINE_EDU)
					continue;
				if (n == max)
					return n;
				cases[n++] = (struct dmastress_sc_case){
					.path = path, .dir = dirs[dir],
					.len_bytes = sizes[s] };
				n += dmastress_sc_add_variants(path, dirs[dir],
							       sizes[s], quick,
							       cases + n, max - n);
				if (!sg || quick ||
				    sizes[s] != DMASTRESS_SC_NENTS_SIZE)
					continue;
				for (k = 0; k < ARRAY_LEN(dmastress_sc_nents); k++) {
					if (dmastress_sc_nents[k] > sizes[s] ||
					    n == max)
						continue;
					cases[n++] = (struct dmastress_sc_case){
						.path = path, .dir = dirs[dir],
						.len_bytes = sizes[s],
						.nents = dmastress_sc_nents[k] };
				}
			}
		}
	}
	return n;
}

static void dmastress_sc_name(const struct dmastress_sc_case *c, char *buf,
			      size_t len)
{
	int used = snprintf(buf, len, "%s %s %llu",
			    dmastress_path_names[c->path],
			    dmastress_dir_names[c->dir],
			    (unsigned long long)c->len_bytes);

	if (c->nents && used > 0 && (size_t)used < len)
		used += snprintf(buf + used, len - used, " nents=%u", c->nents);
	if (c->piece_bytes && used > 0 && (size_t)used < len)
		used += snprintf(buf + used, len - used, " piece=%u",
				 c->piece_bytes);
	if (c->offset_bytes && used > 0 && (size_t)used < len)
		used += snprintf(buf + used, len - used, " offset=%u",
				 c->offset_bytes);
	if ((c->flags & DMASTRESS_RUN_IOVA_UNLINK) && used > 0 &&
	    (size_t)used < len)
		used += snprintf(buf + used, len - used, " unlink");
	if (c->attrs && used > 0 && (size_t)used < len) {
		char attrs[128];

		snprintf(buf + used, len - used, " attrs=%s",
			 dmastress_flags_str(dmastress_attr_names,
					     DMASTRESS_NR_ATTRS, c->attrs, attrs,
					     sizeof(attrs)));
	}
}

static void dmastress_sc_info(const char *dev, const struct dmastress_info *i)
{
	printf("# device=%s\n", dev);
	printf("# bdf=%04x:%02x:%02x.%u\n", i->bdf >> 16, (i->bdf >> 8) & 0xff,
	       (i->bdf >> 3) & 0x1f, i->bdf & 7);
	printf("# group_type=%s\n", dmastress_group_name(i->group_type));
	printf("# dma_mask=0x%llx\n", (unsigned long long)i->dma_mask);
	printf("# coherent_dma_mask=0x%llx\n",
	       (unsigned long long)i->coherent_dma_mask);
	printf("# required_mask=0x%llx\n", (unsigned long long)i->required_mask);
	printf("# addressing_limited=%d\n",
	       !!(i->flags & DMASTRESS_INFO_ADDR_LIMITED));
	printf("# swiotlb_active=%d\n",
	       !!(i->flags & DMASTRESS_INFO_SWIOTLB_ACTIVE));
	printf("# swiotlb_forced=%d\n",
	       !!(i->flags & DMASTRESS_INFO_SWIOTLB_FORCE));
	printf("# swiotlb_nslabs=%llu\n", (unsigned long long)i->swiotlb_nslabs);
	printf("# iommu_granule_bytes=%llu\n",
	       (unsigned long long)i->iommu_granule);
	printf("# max_seg_size_bytes=%u\n", i->max_seg_size);
	printf("# dma_api_debug=%d\n",
	       !!(i->flags & DMASTRESS_INFO_DMA_API_DEBUG));
}

enum dmastress_sc_verdict { DMASTRESS_SC_PASS, DMASTRESS_SC_FAIL, DMASTRESS_SC_SKIP };

/*
 * Run one case and print its KTAP line, with "# " diagnostics before a
 * failure and the kernel's skip_reason on a skip.
 */
static enum dmastress_sc_verdict
dmastress_sc_run(int fd, const struct dmastress_run_params *p, unsigned int n,
		 const char *name)
{
	const struct dmastress_run_result *r;
	struct dmastress_run run;
	uint64_t want_bytes;
	char prefix[176];
	int ret;

	snprintf(prefix, sizeof(prefix), "# %s: ", name);
	ret = dmastress_run_ioctl(fd, p, NULL, NULL, &run);
	r = &run.result;
	if (ret) {
		printf("# %s: DMASTRESS_IOC_RUN: %s\n", name, strerror(-ret));
		goto fail;
	}
	if (run.status == -EOPNOTSUPP) {
		if (!r->skip_reason[0]) {
			printf("# %s: skipped without a skip_reason\n", name);
			goto fail;
		}
		printf("ok %u - %s # SKIP %s\n", n, name, r->skip_reason);
		return DMASTRESS_SC_SKIP;
	}
	if (run.status) {
		printf("# %s: status=%d (%s)%s%s\n", name, run.status,
		       strerror(-run.status), r->skip_reason[0] ? ": " : "",
		       r->skip_reason);
		dmastress_run_print_errors(stdout, prefix, r);
		goto fail;
	}
	if (dmastress_run_errors(r)) {
		dmastress_run_print_errors(stdout, prefix, r);
		goto fail;
	}
	if (r->ops != p->iterations) {
		printf("# %s: ops=%llu, expected %llu\n", name,
		       (unsigned long long)r->ops,
		       (unsigned long long)p->iterations);
		goto fail;
	}
	want_bytes = p->len_bytes * p->iterations;
	if (r->bytes < want_bytes) {
		printf("# %s: bytes=%llu, expected at least %llu\n", name,
		       (unsigned long long)r->bytes,
		       (unsigned long long)want_bytes);
		goto fail;
	}
	if (r->path_flags) {
		char flags[128];

		printf("# %s: mapped_by=%s\n", name,
		       dmastress_flags_str(dmastress_result_flag_names,
					   DMASTRESS_NR_RESULT_FLAGS,
					   r->path_flags, flags, sizeof(flags)));
	}
	printf("ok %u - %s\n", n, name);
	return DMASTRESS_SC_PASS;
fail:
	printf("not ok %u - %s\n", n, name);
	return DMASTRESS_SC_FAIL;
}

static void dmastress_sc_usage(FILE *f)
{
	char engines[64];

	dmastress_names_join(engines, sizeof(engines), dmastress_engine_names,
			     DMASTRESS_NR_ENGINES, ", ", 18);
	fprintf(f,
		"usage: dmastress selfcheck [--engine E] [--device PATH] [--quick]\n"
		"                           [--iterations N] [--seed X]\n"
		"\n"
		"Run every DMA API path in every direction at sizes 1, 2047, 4096, 65536\n"
		"and 1 MiB bytes (and 4 MiB but with edu), plus sg and sgtable with\n"
		"nents 1, 16 and 512 at 1 MiB, iova with 64 KiB and 2 MiB pieces, a\n"
		"sub-page first piece and the unlink teardown, and the DMA attributes\n"
		"of every path, verifying every byte. Output is KTAP; a case\n"
		"the kernel cannot run here is a SKIP carrying the kernel's reason.\n"
		"\n"
		"  --engine E      %s (default %s)\n"
		"  --device PATH   device node (default " DMASTRESS_DEFAULT_DEVICE ")\n"
		"  --quick         sizes 1, 4096 and 65536 only, no nents variants,\n"
		"                  1 iteration per case\n"
		"  --iterations N  operations per case, 1..%u (default %u)\n"
		"  --seed X        pattern seed (default: random, printed)\n"
		"  --help          this text\n"
		"\n"
		"Exit: 0 nothing failed, 1 a case failed, 2 bad arguments,\n"
		"4 no device or every case skipped.\n",
		engines, dmastress_engine_names[DMASTRESS_ENGINE_CPU],
		DMASTRESS_SELFCHECK_MAX_ITER, DMASTRESS_SELFCHECK_ITERATIONS);
}

enum {
	DMASTRESS_SC_OPT_ENGINE = 256,
	DMASTRESS_SC_OPT_DEVICE,
	DMASTRESS_SC_OPT_QUICK,
	DMASTRESS_SC_OPT_ITERATIONS,
	DMASTRESS_SC_OPT_SEED,
};

static const struct option dmastress_sc_opts[] = {
	{ "engine", required_argument, NULL, DMASTRESS_SC_OPT_ENGINE },
	{ "device", required_argument, NULL, DMASTRESS_SC_OPT_DEVICE },
	{ "quick", no_argument, NULL, DMASTRESS_SC_OPT_QUICK },
	{ "iterations", required_argument, NULL, DMASTRESS_SC_OPT_ITERATIONS },
	{ "seed", required_argument, NULL, DMASTRESS_SC_OPT_SEED },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/**
 * dmastress_selfcheck_main() - "dmastress selfcheck"
 * @argc: argument count, argv[0] is "selfcheck"
 * @argv: arguments
 *
 * Return: exit code, DMASTRESS_EXIT_*.
 */
int dmastress_selfcheck_main(int argc, char **argv)
{
	const char *dev = DMASTRESS_DEFAULT_DEVICE;
	unsigned int passed = 0, failed = 0, skipped = 0, nr, i;
	struct dmastress_run_params p = { 0 };
	struct dmastress_sc_case *cases;
	struct dmastress_info info;
	uint32_t engine = DMASTRESS_ENGINE_CPU, seed = 0, iterations = 0;
	bool quick = false, have_seed = false;
	int c, fd, exit_code;
	char name[160];

	while ((c = getopt_long(argc, argv, "+h", dmastress_sc_opts,
				NULL)) != -1) {
		switch (c) {
		case DMASTRESS_SC_OPT_ENGINE:
			if (dmastress_parse_name("--engine", optarg,
						 dmastress_engine_names,
						 DMASTRESS_NR_ENGINES, &engine))
				return DMASTRESS_EXIT_USAGE;
			break;
		case DMASTRESS_SC_OPT_DEVICE:
			dev = optarg;
			if (dmastress_valid_device("selfcheck", dev))
				return DMASTRESS_EXIT_USAGE;
			break;
		case DMASTRESS_SC_OPT_QUICK:
			quick = true;
			break;
		case DMASTRESS_SC_OPT_ITERATIONS:
			if (dmastress_parse_u32("--iterations", optarg, 1,
						DMASTRESS_SELFCHECK_MAX_ITER,
						&iterations))
				return DMASTRESS_EXIT_USAGE;
			break;
		case DMASTRESS_SC_OPT_SEED:
			if (dmastress_parse_u32("--seed", optarg, 0, UINT32_MAX,
						&seed))
				return DMASTRESS_EXIT_USAGE;
			have_seed = true;
			break;
		case 'h':
			dmastress_sc_usage(stdout);
			return DMASTRESS_EXIT_OK;
		default:
			dmastress_usage_error("selfcheck", "bad option");
			return DMASTRESS_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		dmastress_usage_error("selfcheck", "unexpected argument '%s'",
				      argv[optind]);
		return DMASTRESS_EXIT_USAGE;
	}
	if (!iterations)
		iterations = quick ? 1 : DMASTRESS_SELFCHECK_ITERATIONS;
	if (!have_seed)
		seed = dmastress_random_seed();

	printf("KTAP version 1\n");
	fd = dmastress_open(dev);
	if (fd < 0) {
		printf("1..0 # SKIP cannot open %s\n", dev);
		return DMASTRESS_EXIT_SKIP;
	}
	if (dmastress_get_info(fd, dev, &info)) {
		printf("Bail out! DMASTRESS_IOC_INFO failed on %s\n", dev);
		close(fd);
		return DMASTRESS_EXIT_FAIL;
	}
	cases = calloc(DMASTRESS_SELFCHECK_MAX_CASES, sizeof(*cases));
	if (!cases) {
		perror("dmastress: selfcheck");
		close(fd);
		return DMASTRESS_EXIT_FAIL;
	}
	nr = dmastress_sc_cases(engine, quick, cases,
				DMASTRESS_SELFCHECK_MAX_CASES);

	printf("1..%u\n", nr);
	dmastress_sc_info(dev, &info);
	printf("# engine=%s\n# iterations=%u\n# seed=0x%08x\n",
	       dmastress_engine_names[engine], iterations, seed);
	fflush(stdout);

	p.engine = engine;
	p.threads = 1;
	p.iterations = iterations;
	p.seed = seed;
	for (i = 0; i < nr; i++) {
		p.path = cases[i].path;
		p.dir = cases[i].dir;
		p.len_bytes = cases[i].len_bytes;
		p.nents = cases[i].nents;
		p.piece_bytes = cases[i].piece_bytes;
		p.offset_bytes = cases[i].offset_bytes;
		p.flags = cases[i].flags;
		p.attrs = cases[i].attrs;
		dmastress_sc_name(&cases[i], name, sizeof(name));
		switch (dmastress_sc_run(fd, &p, i + 1, name)) {
		case DMASTRESS_SC_PASS:
			passed++;
			break;
		case DMASTRESS_SC_SKIP:
			skipped++;
			break;
		default:
			failed++;
			break;
		}
		fflush(stdout);
	}
	close(fd);
	free(cases);

	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
	       passed, failed, skipped);
	printf("selfcheck: %u passed, %u failed, %u skipped\n", passed, failed,
	       skipped);
	if (failed)
		exit_code = DMASTRESS_EXIT_FAIL;
	else if (!passed)
		exit_code = DMASTRESS_EXIT_SKIP;
	else
		exit_code = DMASTRESS_EXIT_OK;
	if (fflush(stdout)) {
		perror("dmastress: stdout");
		return DMASTRESS_EXIT_FAIL;
	}
	return exit_code;
}
