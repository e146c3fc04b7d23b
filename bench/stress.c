// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress.c - "dmastress stress": a randomised mix of every DMA API path,
 * direction, size (1 byte to --max-size), nents, offset and DMA mask, with
 * several mappings alive at once per thread and every transfer verified.
 *
 * The run is a sequence of rounds, each one DMASTRESS_IOC_RUN with
 * DMASTRESS_RUN_STRESS: the kernel's threads draw path, direction, size,
 * offset and nents per operation; this program draws per round what is
 * device-wide (streaming and coherent mask, mappings alive per thread,
 * coherent attributes, dma_pool alignment) and the round's seed. Both draw
 * from the seed printed first, so the same seed replays the same sequence
 * (with --iterations exactly: the per-path digests then match).
 *
 * Output: the seed, one line per round, the per-path counts, KTAP lines (a
 * path passes when it completed operations with no mismatch, guard, source,
 * device-fault, mask or segment error, and, unless --expect-errors, no
 * mapping or allocation error) and "stress: N passed, M failed, K skipped".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dmastress.h"

#define DMASTRESS_STRESS_ROUND_SECONDS	5
#define DMASTRESS_STRESS_ROUNDS		4	/* with --iterations */
#define DMASTRESS_STRESS_MAX_ROUNDS	100000
#define DMASTRESS_STRESS_LIVE		8
#define DMASTRESS_STRESS_THREADS	2
#define DMASTRESS_STRESS_NENTS		64
#define DMASTRESS_STRESS_MAX_SIZE	(4ULL << 20)

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Masks a round may draw: 0 keeps the device's. Below 32 bits dma-direct
 * would WARN ("swiotlb addr overflow"): the IOVA tests choose those. */
static const uint32_t dmastress_stress_masks[] = { 0, 32, 36, 40, 48, 64 };
static const uint32_t dmastress_stress_cmasks[] = { 0, 32, 40, 64 };
static const uint32_t dmastress_stress_attrs[] = {
	0, 0, 0, DMASTRESS_ATTR_WRITE_COMBINE,
	DMASTRESS_ATTR_NO_KERNEL_MAPPING, DMASTRESS_ATTR_FORCE_CONTIGUOUS,
};
static const uint32_t dmastress_stress_aligns[] = { 0, 0, 64, 512, 4096 };

struct dmastress_stress_opts {
	const char *device;
	const char *json;
	uint32_t seconds;
	uint64_t iterations;
	uint32_t rounds;
	uint32_t round_seconds;
	uint32_t threads;
	uint32_t live;
	uint32_t seed;
	uint32_t paths;
	uint32_t engine;
	uint32_t nents;
	uint64_t max_size;
	uint32_t mask_bits;		/* 0: drawn */
	uint32_t coherent_mask_bits;	/* 0: drawn */
	bool have_seed, have_mask, have_cmask, expect_errors, quiet;
};

/* Totals of one path over all rounds. */
struct dmastress_stress_path {
	struct dmastress_path_counts c;
	char skip[64];
};

static uint64_t dmastress_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void dmastress_stress_usage(FILE *f)
{
	char engines[64];

	dmastress_names_join(engines, sizeof(engines), dmastress_engine_names,
			     DMASTRESS_NR_ENGINES, ", ", 25);
	fprintf(f,
		"usage: dmastress stress --seconds S [options]\n"
		"       dmastress stress --iterations N [--rounds R] [options]\n"
		"\n"
		"A randomised mix of every path, direction, size, nents, offset and mask,\n"
		"several mappings alive per thread, every transfer verified. The seed is\n"
		"printed first; the same seed replays the same sequence.\n"
		"\n"
		"  --seconds S            run for S seconds, 1..%u, in rounds of\n"
		"                         --round-seconds (default %u)\n"
		"  --iterations N         instead: N operations per thread and round\n"
		"  --rounds R             rounds with --iterations (default %u)\n"
		"  --threads T            kernel threads, 1..%u (default %u)\n"
		"  --live N               most mappings alive per thread, 1..%u (default %u);\n"
		"                         each round draws 1..N\n"
		"  --seed X               0..0xffffffff (default: random)\n"
		"  --paths LIST           comma-separated paths to mix (default: all)\n"
		"  --engine E             %s (default %s)\n"
		"  --max-size BYTES       largest operation, 1..1G (default 4M)\n"
		"  --nents N              most sg entries per operation, 0..%u (default %u)\n"
		"  --mask-bits B          fix the streaming mask, %u..%u (default: drawn)\n"
		"  --coherent-mask-bits B fix the coherent mask (default: drawn)\n"
		"  --expect-errors        mapping and allocation errors are expected (fault\n"
		"                         injection, exhaustion): counted, not failures\n"
		"  --json FILE            also write the results as JSON to FILE\n"
		"  --quiet                no per-round lines\n"
		"  --device PATH          device node (default " DMASTRESS_DEFAULT_DEVICE ")\n"
		"\n"
		"Exit: 0 when no path failed, 1 on a failure, 2 bad arguments, 4 no device\n"
		"or nothing could run.\n",
		DMASTRESS_MAX_SECONDS, DMASTRESS_STRESS_ROUND_SECONDS,
		DMASTRESS_STRESS_ROUNDS, DMASTRESS_MAX_THREADS,
		DMASTRESS_STRESS_THREADS, DMASTRESS_MAX_LIVE,
		DMASTRESS_STRESS_LIVE, engines,
		dmastress_engine_names[DMASTRESS_ENGINE_CPU],
		DMASTRESS_MAX_NENTS, DMASTRESS_STRESS_NENTS,
		DMASTRESS_MIN_MASK_BITS, DMASTRESS_MAX_MASK_BITS);
}

static int dmastress_parse_paths(const char *s, uint32_t *paths)
{
	char buf[256], *tok, *save = NULL;
	uint32_t id;

	if (strlen(s) >= sizeof(buf)) {
		dmastress_usage_error("stress", "--paths: too long");
		return -1;
	}
	strcpy(buf, s);
	*paths = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (dmastress_parse_name("--paths", tok, dmastress_path_names,
					 DMASTRESS_NR_PATHS, &id))
			return -1;
		*paths |= 1U << id;
	}
	if (!*paths) {
		dmastress_usage_error("stress", "--paths: empty list");
		return -1;
	}
	return 0;
}

enum {
	OPT_SECONDS = 256, OPT_ITERATIONS, OPT_ROUNDS, OPT_ROUND_SECONDS,
	OPT_THREADS, OPT_LIVE, OPT_SEED, OPT_PATHS, OPT_ENGINE, OPT_MAX_SIZE,
	OPT_NENTS, OPT_MASK, OPT_CMASK, OPT_EXPECT, OPT_JSON, OPT_QUIET,
	OPT_DEVICE,
};

static const struct option dmastress_stress_longopts[] = {
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "rounds", required_argument, NULL, OPT_ROUNDS },
	{ "round-seconds", required_argument, NULL, OPT_ROUND_SECONDS },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "live", required_argument, NULL, OPT_LIVE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "paths", required_argument, NULL, OPT_PATHS },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "nents", required_argument, NULL, OPT_NENTS },
	{ "mask-bits", required_argument, NULL, OPT_MASK },
	{ "coherent-mask-bits", required_argument, NULL, OPT_CMASK },
	{ "expect-errors", no_argument, NULL, OPT_EXPECT },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int dmastress_stress_opt(struct dmastress_stress_opts *o, int c)
{
	const char *arg = optarg;

	switch (c) {
	case OPT_SECONDS:
		return dmastress_parse_u32("--seconds", arg, 1,
					   DMASTRESS_MAX_SECONDS, &o->seconds);
	case OPT_ITERATIONS:
		return dmastress_parse_u64("--iterations", arg, 1,
					   DMASTRESS_MAX_ITERATIONS,
					   &o->iterations);
	case OPT_ROUNDS:
		return dmastress_parse_u32("--rounds", arg, 1,
					   DMASTRESS_STRESS_MAX_ROUNDS,
					   &o->rounds);
	case OPT_ROUND_SECONDS:
		return dmastress_parse_u32("--round-seconds", arg, 1,
					   DMASTRESS_MAX_SECONDS,
					   &o->round_seconds);
	case OPT_THREADS:
		return dmastress_parse_u32("--threads", arg, 1,
					   DMASTRESS_MAX_THREADS, &o->threads);
	case OPT_LIVE:
		return dmastress_parse_u32("--live", arg, 1, DMASTRESS_MAX_LIVE,
					   &o->live);
	case OPT_SEED:
		o->have_seed = true;
		return dmastress_parse_u32("--seed", arg, 0, UINT32_MAX,
					   &o->seed);
	case OPT_PATHS:
		return dmastress_parse_paths(arg, &o->paths);
	case OPT_ENGINE:
		return dmastress_parse_name("--engine", arg,
					    dmastress_engine_names,
					    DMASTRESS_NR_ENGINES, &o->engine);
	case OPT_MAX_SIZE:
		return dmastress_parse_size("--max-size", arg, 1,
					    DMASTRESS_MAX_LEN_BYTES,
					    &o->max_size);
	case OPT_NENTS:
		return dmastress_parse_u32("--nents", arg, 0,
					   DMASTRESS_MAX_NENTS, &o->nents);
	case OPT_MASK:
		o->have_mask = true;
		return dmastress_parse_u32("--mask-bits", arg,
					   DMASTRESS_MIN_MASK_BITS,
					   DMASTRESS_MAX_MASK_BITS,
					   &o->mask_bits);
	case OPT_CMASK:
		o->have_cmask = true;
		return dmastress_parse_u32("--coherent-mask-bits", arg,
					   DMASTRESS_MIN_MASK_BITS,
					   DMASTRESS_MAX_MASK_BITS,
					   &o->coherent_mask_bits);
	case OPT_EXPECT:
		o->expect_errors = true;
		return 0;
	case OPT_JSON:
		o->json = arg;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_DEVICE:
		o->device = arg;
		return dmastress_valid_device("stress", arg);
	case 'h':
		return 1;
	default:
		dmastress_usage_error("stress", "bad option");
		return -1;
	}
}

static int dmastress_stress_check(struct dmastress_stress_opts *o)
{
	if (!o->seconds == !o->iterations) {
		dmastress_usage_error("stress", "exactly one of --seconds and --iterations");
		return -1;
	}
	if (o->rounds && !o->iterations) {
		dmastress_usage_error("stress", "--rounds applies to --iterations");
		return -1;
	}
	if (!o->rounds)
		o->rounds = DMASTRESS_STRESS_ROUNDS;
	if (!o->round_seconds)
		o->round_seconds = DMASTRESS_STRESS_ROUND_SECONDS;
	if ((double)o->threads * (double)o->max_size * o->live >
	    (double)DMASTRESS_MAX_RUN_BYTES) {
		dmastress_usage_error("stress", "--threads x --max-size x --live is over %llu bytes alive",
				      (unsigned long long)DMASTRESS_MAX_RUN_BYTES);
		return -1;
	}
	if (!o->have_seed)
		o->seed = dmastress_random_seed();
	return 0;
}

/* The round's device-wide shape, drawn from the run's generator. */
static void dmastress_stress_round(const struct dmastress_stress_opts *o,
				   uint64_t *rng, unsigned int round,
				   uint32_t seconds,
				   struct dmastress_run_params *p)
{
	uint64_t r = dmastress_splitmix(rng);

	memset(p, 0, sizeof(*p));
	p->flags = DMASTRESS_RUN_STRESS;
	p->engine = o->engine;
	p->path = DMASTRESS_PATH_SINGLE;	/* unused with STRESS */
	p->len_bytes = o->max_size;
	p->nents = o->nents;
	p->threads = o->threads;
	p->seconds = seconds;
	p->iterations = seconds ? 0 : o->iterations;
	p->paths = o->paths;
	p->seed = (uint32_t)(r >> 32) ^ round;
	p->live = 1 + (uint32_t)(r % o->live);
	r = dmastress_splitmix(rng);
	p->mask_bits = o->have_mask ? o->mask_bits :
		dmastress_stress_masks[r % ARRAY_LEN(dmastress_stress_masks)];
	r >>= 8;
	p->coherent_mask_bits = o->have_cmask ? o->coherent_mask_bits :
		dmastress_stress_cmasks[r % ARRAY_LEN(dmastress_stress_cmasks)];
	r >>= 8;
	p->attrs = dmastress_stress_attrs[r % ARRAY_LEN(dmastress_stress_attrs)];
	r >>= 8;
	p->pool_align = dmastress_stress_aligns[r % ARRAY_LEN(dmastress_stress_aligns)];
}

static void dmastress_counts_add(struct dmastress_path_counts *d,
				 const struct dmastress_path_counts *s)
{
	d->ops += s->ops;
	d->bytes += s->bytes;
	d->started += s->started;
	d->mismatches += s->mismatches;
	d->guard_errors += s->guard_errors;
	d->src_errors += s->src_errors;
	d->device_faults += s->device_faults;
	d->map_errors += s->map_errors;
	d->alloc_errors += s->alloc_errors;
	d->mask_violations += s->mask_violations;
	d->seg_violations += s->seg_violations;
	d->digest += s->digest;
}

/* Errors that fail a path whatever was expected. */
static uint64_t dmastress_counts_bad(const struct dmastress_path_counts *c)
{
	return c->mismatches + c->guard_errors + c->src_errors +
	       c->device_faults + c->mask_violations + c->seg_violations;
}

/*
 * Why a path drew nothing: one plain operation of it, to get the kernel's
 * reason. The path, not the round's shape, decides (resource needs the edu
 * engine without verification, for example).
 */
static void dmastress_stress_why(int fd, const struct dmastress_stress_opts *o,
				 uint32_t path, char *why, size_t len)
{
	struct dmastress_run_params p = {
		.path = path,
		.engine = o->engine,
		.dir = DMASTRESS_DIR_BIDIRECTIONAL,
		.len_bytes = 4096,
		.threads = 1,
		.iterations = 1,
		.seed = o->seed,
	};
	struct dmastress_run run;
	int ret;

	if (o->paths && !(o->paths & (1U << path))) {
		snprintf(why, len, "not in --paths");
		return;
	}
	ret = dmastress_run_ioctl(fd, &p, NULL, NULL, &run);
	if (ret)
		snprintf(why, len, "probe run failed: %s", strerror(-ret));
	else if (run.status == -EOPNOTSUPP && run.result.skip_reason[0])
		snprintf(why, len, "%s", run.result.skip_reason);
	else
		snprintf(why, len, "no operation drawn (a plain run: status %d)",
			 run.status);
}

static void dmastress_stress_json(const struct dmastress_stress_opts *o,
				  const struct dmastress_info *info,
				  const struct dmastress_stress_path *paths,
				  unsigned int rounds, unsigned int bad_rounds,
				  double elapsed, int passed, int failed,
				  int skipped)
{
	FILE *f = fopen(o->json, "w");
	unsigned int i;

	if (!f) {
		fprintf(stderr, "dmastress: stress: %s: %s\n", o->json,
			strerror(errno));
		return;
	}
	fprintf(f, "{\"seed\": %u, \"engine\": \"%s\", \"threads\": %u",
		o->seed, dmastress_engine_names[o->engine], o->threads);
	fprintf(f, ", \"seconds\": %u, \"iterations\": %llu, \"rounds\": %u",
		o->seconds, (unsigned long long)o->iterations, rounds);
	fprintf(f, ", \"failed_rounds\": %u, \"elapsed_s\": %.3f", bad_rounds,
		elapsed);
	fprintf(f, ", \"group_type\": \"%s\", \"expect_errors\": %s",
		dmastress_group_name(info->group_type),
		o->expect_errors ? "true" : "false");
	fprintf(f, ", \"paths\": {");
	for (i = 0; i < DMASTRESS_NR_PATHS; i++) {
		const struct dmastress_path_counts *c = &paths[i].c;

		fprintf(f, "%s\"%s\": {\"started\": %llu, \"ops\": %llu, \"bytes\": %llu",
			i ? ", " : "", dmastress_path_names[i],
			(unsigned long long)c->started,
			(unsigned long long)c->ops,
			(unsigned long long)c->bytes);
		fprintf(f, ", \"mismatches\": %llu, \"guard_errors\": %llu, \"src_errors\": %llu",
			(unsigned long long)c->mismatches,
			(unsigned long long)c->guard_errors,
			(unsigned long long)c->src_errors);
		fprintf(f, ", \"device_faults\": %llu, \"map_errors\": %llu, \"alloc_errors\": %llu",
			(unsigned long long)c->device_faults,
			(unsigned long long)c->map_errors,
			(unsigned long long)c->alloc_errors);
		fprintf(f, ", \"mask_violations\": %llu, \"seg_violations\": %llu, \"digest\": \"0x%016llx\", \"skip\": ",
			(unsigned long long)c->mask_violations,
			(unsigned long long)c->seg_violations,
			(unsigned long long)c->digest);
		if (paths[i].skip[0])
			dmastress_json_str(f, paths[i].skip);
		else
			fprintf(f, "null");
		fprintf(f, "}");
	}
	fprintf(f, "}, \"passed\": %d, \"failed\": %d, \"skipped\": %d}\n",
		passed, failed, skipped);
	fclose(f);
}

static double dmastress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The rounds. Returns the number of rounds that failed (a status other
 * than 0 or a skip); *ran counts those carried out, *skipped_rounds those
 * the kernel skipped (a mask it refused, nothing of the mix runnable).
 */
static int dmastress_stress_rounds(int fd, const struct dmastress_stress_opts *o,
				   struct dmastress_stress_path *paths,
				   unsigned int *ran, unsigned int *skipped_rounds,
				   bool *interrupted)
{
	struct dmastress_path_counts counts[DMASTRESS_NR_PATHS];
	double start = dmastress_now(), end = start + o->seconds;
	uint64_t rng = o->seed;
	unsigned int round, i, nr = o->seconds ? DMASTRESS_STRESS_MAX_ROUNDS :
						 o->rounds;
	struct dmastress_run_params p;
	struct dmastress_run run;
	int bad = 0, ret;

	for (round = 0; round < nr; round++) {
		uint32_t secs = 0;

		if (o->seconds) {
			double left = end - dmastress_now();

			if (left < 0.5)
				break;
			secs = left > o->round_seconds ? o->round_seconds :
							 (uint32_t)(left + 0.5);
			if (!secs)
				secs = 1;
		}
		dmastress_stress_round(o, &rng, round, secs, &p);
		memset(counts, 0, sizeof(counts));
		ret = dmastress_run_ioctl(fd, &p, NULL, counts, &run);
		if (ret == -EINTR) {
			*interrupted = true;
			break;
		}
		if (!o->quiet)
			printf("# round %u: t=%.1fs seed=0x%08x live=%u mask_bits=%u coherent_mask_bits=%u attrs=0x%x pool_align=%u status=%d ops=%llu mismatches=%llu map_errors=%llu alloc_errors=%llu%s%s\n",
			       round, dmastress_now() - start, p.seed, p.live,
			       p.mask_bits, p.coherent_mask_bits, p.attrs,
			       p.pool_align, ret ? ret : run.status,
			       (unsigned long long)run.result.ops,
			       (unsigned long long)run.result.mismatches,
			       (unsigned long long)run.result.map_errors,
			       (unsigned long long)run.result.alloc_errors,
			       run.result.skip_reason[0] ? " reason=" : "",
			       run.result.skip_reason);
		if (ret) {
			fprintf(stderr, "dmastress: stress: round %u: DMASTRESS_IOC_RUN: %s\n",
				round, strerror(-ret));
			/* an allocation the ioctl itself could not make */
			if (!(ret == -ENOMEM && o->expect_errors))
				bad++;
			continue;
		}
		(*ran)++;
		if (run.status == -EOPNOTSUPP ||
		    (run.status == -EIO && run.result.skip_reason[0])) {
			(*skipped_rounds)++;
			continue;
		}
		for (i = 0; i < DMASTRESS_NR_PATHS; i++)
			dmastress_counts_add(&paths[i].c, &counts[i]);
		if (run.status && !(o->expect_errors && run.status == -ENOMEM)) {
			fprintf(stderr, "dmastress: stress: round %u: status %d (%s)\n",
				round, run.status, strerror(-run.status));
			bad++;
		}
		fflush(stdout);
	}
	return bad;
}

/**
 * dmastress_stress_main() - "dmastress stress"
 * @argc: argument count, argv[0] is "stress"
 * @argv: arguments
 *
 * Return: exit code, DMASTRESS_EXIT_*.
 */
int dmastress_stress_main(int argc, char **argv)
{
	struct dmastress_stress_path paths[DMASTRESS_NR_PATHS];
	struct dmastress_stress_opts o = {
		.device = DMASTRESS_DEFAULT_DEVICE,
		.threads = DMASTRESS_STRESS_THREADS,
		.live = DMASTRESS_STRESS_LIVE,
		.engine = DMASTRESS_ENGINE_CPU,
		.nents = DMASTRESS_STRESS_NENTS,
		.max_size = DMASTRESS_STRESS_MAX_SIZE,
	};
	unsigned int ran = 0, skipped_rounds = 0, i, n = 0;
	int c, fd, ret, bad_rounds, passed = 0, failed = 0, skipped = 0;
	uint64_t total_ops = 0, total_bytes = 0, digest = 0;
	struct dmastress_info info;
	bool interrupted = false;
	double start;

	while ((c = getopt_long(argc, argv, "+h", dmastress_stress_longopts,
				NULL)) != -1) {
		ret = dmastress_stress_opt(&o, c);
		if (ret > 0) {
			dmastress_stress_usage(stdout);
			return DMASTRESS_EXIT_OK;
		}
		if (ret < 0)
			return DMASTRESS_EXIT_USAGE;
	}
	if (optind != argc) {
		dmastress_usage_error("stress", "unexpected argument '%s'",
				      argv[optind]);
		return DMASTRESS_EXIT_USAGE;
	}
	if (dmastress_stress_check(&o))
		return DMASTRESS_EXIT_USAGE;

	/* the seed first: whatever happens next, the run can be replayed */
	printf("# stress seed=0x%08x engine=%s threads=%u live=%u max_size_bytes=%llu nents=%u",
	       o.seed, dmastress_engine_names[o.engine], o.threads, o.live,
	       (unsigned long long)o.max_size, o.nents);
	if (o.seconds)
		printf(" seconds=%u round_seconds=%u\n", o.seconds,
		       o.round_seconds);
	else
		printf(" iterations=%llu rounds=%u\n",
		       (unsigned long long)o.iterations, o.rounds);
	fflush(stdout);

	fd = dmastress_open(o.device);
	if (fd < 0)
		return DMASTRESS_EXIT_SKIP;
	if (dmastress_get_info(fd, o.device, &info)) {
		close(fd);
		return DMASTRESS_EXIT_FAIL;
	}
	printf("# device=%s group_type=%s dma_mask=0x%llx swiotlb_forced=%d\n",
	       o.device, dmastress_group_name(info.group_type),
	       (unsigned long long)info.dma_mask,
	       !!(info.flags & DMASTRESS_INFO_SWIOTLB_FORCE));

	memset(paths, 0, sizeof(paths));
	start = dmastress_now();
	bad_rounds = dmastress_stress_rounds(fd, &o, paths, &ran,
					     &skipped_rounds, &interrupted);
	for (i = 0; i < DMASTRESS_NR_PATHS; i++)
		if (!paths[i].c.started)
			dmastress_stress_why(fd, &o, i, paths[i].skip,
					     sizeof(paths[i].skip));
	close(fd);

	printf("%-12s %10s %10s %14s %10s %8s %8s %10s %10s %10s %8s %8s %18s\n",
	       "path", "started", "ops", "bytes", "mismatch", "guard", "src",
	       "dev_fault", "map_err", "alloc_err", "mask", "seg", "digest");
	for (i = 0; i < DMASTRESS_NR_PATHS; i++) {
		const struct dmastress_path_counts *pc = &paths[i].c;

		printf("%-12s %10llu %10llu %14llu %10llu %8llu %8llu %10llu %10llu %10llu %8llu %8llu 0x%016llx\n",
		       dmastress_path_names[i],
		       (unsigned long long)pc->started,
		       (unsigned long long)pc->ops,
		       (unsigned long long)pc->bytes,
		       (unsigned long long)pc->mismatches,
		       (unsigned long long)pc->guard_errors,
		       (unsigned long long)pc->src_errors,
		       (unsigned long long)pc->device_faults,
		       (unsigned long long)pc->map_errors,
		       (unsigned long long)pc->alloc_errors,
		       (unsigned long long)pc->mask_violations,
		       (unsigned long long)pc->seg_violations,
		       (unsigned long long)pc->digest);
		total_ops += pc->ops;
		total_bytes += pc->bytes;
		digest += pc->digest;
	}
	printf("# rounds=%u skipped_rounds=%u failed_rounds=%d ops=%llu bytes=%llu digest=0x%016llx elapsed_s=%.1f\n",
	       ran, skipped_rounds, bad_rounds, (unsigned long long)total_ops,
	       (unsigned long long)total_bytes, (unsigned long long)digest,
	       dmastress_now() - start);

	printf("KTAP version 1\n1..%u\n", DMASTRESS_NR_PATHS + 1);
	for (i = 0; i < DMASTRESS_NR_PATHS; i++) {
		const struct dmastress_path_counts *pc = &paths[i].c;
		uint64_t handled = pc->map_errors + pc->alloc_errors;
		const char *why = NULL;

		n++;
		if (!pc->started) {
			printf("ok %u %s # SKIP %s\n", n,
			       dmastress_path_names[i], paths[i].skip);
			skipped++;
			continue;
		}
		if (dmastress_counts_bad(pc))
			why = "data, device-fault, mask or segment errors";
		else if (!pc->ops)
			why = "no operation completed";
		else if (handled && !o.expect_errors)
			why = "mapping or allocation errors";
		if (why) {
			printf("not ok %u %s # %s\n", n, dmastress_path_names[i],
			       why);
			failed++;
		} else {
			printf("ok %u %s\n", n, dmastress_path_names[i]);
			passed++;
		}
	}
	n++;
	if (bad_rounds || interrupted || !ran || ran == skipped_rounds) {
		printf("not ok %u rounds # %d failed%s%s\n", n, bad_rounds,
		       interrupted ? ", interrupted" : "",
		       !ran || ran == skipped_rounds ? ", none carried out" : "");
		failed++;
	} else {
		printf("ok %u rounds\n", n);
		passed++;
	}
	printf("stress: %d passed, %d failed, %d skipped\n", passed, failed,
	       skipped);
	if (o.json)
		dmastress_stress_json(&o, &info, paths, ran, bad_rounds,
				      dmastress_now() - start, passed, failed,
				      skipped);
	if (fflush(stdout))
		return DMASTRESS_EXIT_FAIL;
	if (failed)
		return DMASTRESS_EXIT_FAIL;
	return passed > 1 ? DMASTRESS_EXIT_OK : DMASTRESS_EXIT_SKIP;
}
