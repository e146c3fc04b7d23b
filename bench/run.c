// SPDX-License-Identifier: GPL-2.0-only
/*
 * run.c - "dmastress run": one DMASTRESS_IOC_RUN with the latency histograms
 * requested, reported per phase (count, mean, p50/p90/p99/p99.9, min, max)
 * with throughput and every error counter, as a table, CSV rows or one JSON
 * object. Also the helper selfcheck.c shares: listing the error counters.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dmastress.h"

/* A macro's value as a string literal. */
#define DMASTRESS_STR(x)	#x
#define DMASTRESS_XSTR(x)	DMASTRESS_STR(x)

#define DMASTRESS_MAX_LABELS		16
#define DMASTRESS_LABEL_KEY_LEN		32
#define DMASTRESS_LABEL_VAL_LEN		128
#define DMASTRESS_DEFAULT_ITERATIONS	100
#define DMASTRESS_DEFAULT_BATCH		64

/**
 * dmastress_run_print_errors() - list the nonzero error counters
 * @f: stream
 * @prefix: printed before the list (e.g. "# ")
 * @r: result
 *
 * Prints "key=value" pairs, then the first mismatch if any; nothing when
 * all counters are zero.
 */
void dmastress_run_print_errors(FILE *f, const char *prefix,
				const struct dmastress_run_result *r)
{
	char buf[512];

	if (*dmastress_run_errors_str(r, buf, sizeof(buf)))
		fprintf(f, "%s%s\n", prefix, buf);
}

struct dmastress_label {
	char key[DMASTRESS_LABEL_KEY_LEN];
	char val[DMASTRESS_LABEL_VAL_LEN];
};

enum dmastress_run_format {
	DMASTRESS_FMT_TABLE,
	DMASTRESS_FMT_CSV,
	DMASTRESS_FMT_JSON,
};

static const char *const dmastress_run_formats[] = {
	[DMASTRESS_FMT_TABLE]	= "table",
	[DMASTRESS_FMT_CSV]	= "csv",
	[DMASTRESS_FMT_JSON]	= "json",
};

/* Devices one run may take at once (--device repeated, --devices all). */
#define DMASTRESS_MAX_RUN_DEVICES	8

/* Everything the command line asked for. */
struct dmastress_run_opts {
	const char *device;
	const char *devices[DMASTRESS_MAX_RUN_DEVICES];
	char all_devices[DMASTRESS_MAX_RUN_DEVICES][32];
	unsigned int nr_devices;
	struct dmastress_run_params p;
	bool have_path, have_engine, have_dir, have_size, have_seed;
	bool have_iterations, have_seconds, have_nents, have_pool_align;
	bool have_pool_boundary, have_piece, auto_engine;
	uint32_t format;
	bool header;
	unsigned int nr_labels;
	struct dmastress_label labels[DMASTRESS_MAX_LABELS];
};

/* What the run returned, with the derived numbers. */
struct dmastress_run_out {
	struct dmastress_info info;
	struct dmastress_run run;
	struct dmastress_hist *hists;
	struct dmastress_stats stats[DMASTRESS_NR_HISTS];
	unsigned int nr_phases;
	double bw_mib_s;	/* bytes / elapsed_ns: wall time, all threads */
	double xfer_bw_mib_s;	/* bytes / the sum of the xfer samples */
};

static void dmastress_run_usage(FILE *f)
{
	char paths[256], engines[64], dirs[64], phases[128];

	dmastress_names_join(paths, sizeof(paths), dmastress_path_names,
			     DMASTRESS_NR_PATHS, " ", 25);
	dmastress_names_join(engines, sizeof(engines), dmastress_engine_names,
			     DMASTRESS_NR_ENGINES, ", ", 25);
	dmastress_names_join(dirs, sizeof(dirs), dmastress_dir_names,
			     DMASTRESS_NR_DIRS, ", ", 25);
	dmastress_names_join(phases, sizeof(phases), dmastress_phase_names,
			     DMASTRESS_NR_HISTS, " ", 0);
	fprintf(f,
		"usage: dmastress run --path P --engine E --dir D --size BYTES [options]\n"
		"\n"
		"Run one DMA API path on the device (DMASTRESS_IOC_RUN), verify every byte,\n"
		"and report per-phase latency from the kernel's histograms.\n"
		"\n"
		"  --path P               %s\n"
		"  --engine E             %s, or auto: each device's own bus-master\n"
		"                         (nvme, else edu, else cpu)\n"
		"  --dir D                %s\n"
		"  --size BYTES           bytes per operation, 1..1G (suffixes K M G: 4K = 4096)\n"
		"  --nents N              sg/sgtable/noncontig entries, 0..%u (default 0: one per\n"
		"                         page), at most BYTES\n"
		"  --offset BYTES         offset into the first page, below the page size\n"
		"  --mask-bits B          streaming DMA mask for the run, %u..%u\n"
		"  --coherent-mask-bits B coherent DMA mask for the run, %u..%u\n"
		"  --iterations N         operations per thread, 1..%llu (default %u)\n"
		"  --seconds S            run for S seconds instead, 1..%u\n"
		"  --threads T            kernel threads, 1..%u (default 1)\n"
		"  --batch[=N]            also time batches of N map+unmap pairs, 1..%u\n"
		"                         (default %u)\n"
		"  --seed X               pattern seed, 0..0xffffffff (default: random, printed)\n"
		"  --attrs LIST           comma list of attributes, by path: coherent wc,\n"
		"                         nokmap,contig,managed,nowarn,weak; pool managed,\n"
		"                         node; single, page skipsync,nowarn,weak,minalign;\n"
		"                         sg, sgtable, iova skipsync,nowarn,weak; phys mmio,\n"
		"                         skipsync,nowarn,weak; noncontig single-pages\n"

		"  --pool-align A         pool only: alignment, bytes, power of two <= 64K\n"
		"  --pool-boundary B      pool only: boundary, bytes, power of two or 0\n"
		"  --piece BYTES          iova only: bytes per linked piece, power of two,\n"
		"                         4K..4M (default 4K)\n"
		"  --iova-unlink          iova only: tear down with dma_iova_unlink() of\n"
		"                         every piece and dma_iova_free() (default: the\n"
		"                         one-shot dma_iova_destroy())\n"
		"  --huge                 single/sg/sgtable: back buffers with 2 MiB pages\n"
		"  --no-verify            skip the data checks (benchmark only)\n"
		"  --oob-xfer             negative control: the engine aims outside the\n"
		"                         mapping: cpu past its end (a fault expected\n"
		"                         under translation), edu and nvme at a canary\n"
		"                         page by its physical address, unmapped in the\n"
		"                         IOMMU: oob_landed is the bytes that reached it\n"
		"                         (0 when the IOMMU translates the device)\n"
		"  --wrong-dir            negative control (edu, nvme; --dir to or from):\n"
		"                         the device writes into a TO_DEVICE mapping or\n"
		"                         reads a FROM_DEVICE one; perm_landed is the\n"
		"                         bytes that took effect (0 where the IOMMU\n"
		"                         enforces the direction)\n"
		"  --stale-xfer           edu or nvme; streaming paths: after each\n"
		"                         unmap the device reads the old DMA address;\n"
		"                         stale_reached is the ops where it still got\n"
		"                         the buffer's bytes (the lazy window)\n"
		"  --stale-delay-us US    wait between the unmap and that read, 0.."
		DMASTRESS_XSTR(DMASTRESS_MAX_STALE_DELAY_US) "\n"
		"  --stale-write          with --stale-xfer, --threads 1, --dir from or\n"
		"                         bidi: after the path freed the buffer, the\n"
		"                         module takes its page back from the page\n"
		"                         allocator (stale_reused) and the device writes\n"
		"                         the old DMA address instead; stale_reached is\n"
		"                         the writes that changed the reused page\n"
		"  --no-xfer              map and unmap only, nothing between (no sync,\n"
		"                         no transfer), as dma_map_benchmark -d 0\n"
		"                         (implies --no-verify)\n"
		"  --reuse                single/page/sg/sgtable/resource: one CPU buffer\n"
		"                         per thread, mapped again by every op, as\n"
		"                         dma_map_benchmark; with --batch the batch\n"
		"                         maps that buffer too\n"
		"  --unbound              leave the kernel threads to the scheduler, as\n"
		"                         dma_map_benchmark's (default: bound to CPUs\n"
		"                         round robin)\n"
		"  --format F             table (default), csv or json\n"
		"  --header               csv: print the header row first\n"
		"  --label k=v[,k=v...]   csv/json: extra columns/keys (repeatable, up to %u)\n"
		"  --device PATH          device node (default " DMASTRESS_DEFAULT_DEVICE "); more than\n"
		"                         one (up to 8): the same run on each at once, one\n"
		"                         process and thread set per device, results per\n"
		"                         device (a device column in CSV and JSON labels)\n"
		"  --devices all          every /dev/dmastress<N>\n"
		"  --help                 this text\n"
		"\n"
		"Phases, in ns: %s (batch with --batch).\n"
		"CSV columns: [labels,]path,engine,dir,size_bytes,nents,threads,phase,count,\n"
		"mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,min_ns,max_ns,ops,bytes,elapsed_ns,\n"
		"bw_mib_s,mismatches,device_faults,map_errors,mb_mean_ns (the mean in\n"
		"dma_map_benchmark's arithmetic: samples and mean truncated to 100 ns),\n"
		"mapped_by (iova, phys: how the path mapped, names of result-flags\n"
		"joined by +, or none)\n"
		"\n"
		"Bandwidth, MiB/s: bw_mib_s is bytes / elapsed_ns, the bytes of the run\n"
		"over its wall time, all threads together (the one meaning of bw_mib_s in\n"
		"every CSV of dmastress); xfer_bw_mib_s (table, JSON) is bytes / the sum of\n"
		"the xfer phase's samples.\n"
		"\n"
		"Exit: 0 when the run completed with every error counter at 0, 1 on any\n"
		"failure, 2 bad arguments, 4 no device or skipped (\"skip: <reason>\").\n",
		paths, engines, dirs, DMASTRESS_MAX_NENTS,
		DMASTRESS_MIN_MASK_BITS, DMASTRESS_MAX_MASK_BITS,
		DMASTRESS_MIN_MASK_BITS, DMASTRESS_MAX_MASK_BITS,
		(unsigned long long)DMASTRESS_MAX_ITERATIONS,
		DMASTRESS_DEFAULT_ITERATIONS, DMASTRESS_MAX_SECONDS,
		DMASTRESS_MAX_THREADS, DMASTRESS_MAX_BATCH,
		DMASTRESS_DEFAULT_BATCH,
		DMASTRESS_MAX_LABELS, phases);
}

/* Name n of dmastress_attr_names is bit n of the attrs (DMASTRESS_ATTRS). */
static int dmastress_parse_attrs(const char *s, uint32_t *attrs)
{
	char buf[128], *tok, *save = NULL;
	uint32_t idx;

	if (strlen(s) >= sizeof(buf)) {
		dmastress_usage_error("run", "--attrs: too long");
		return -1;
	}
	strcpy(buf, s);
	*attrs = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (dmastress_parse_name("--attrs", tok, dmastress_attr_names,
					 DMASTRESS_NR_ATTRS, &idx))
			return -1;
		*attrs |= 1U << idx;
	}
	if (!*attrs) {
		dmastress_usage_error("run", "--attrs: empty list");
		return -1;
	}
	return 0;
}

/* Column names a label may not take (they are already columns). */
static const char *const dmastress_csv_cols[] = {
	"path", "engine", "dir", "size_bytes", "nents", "threads", "phase",
	"count", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "min_ns",
	"max_ns", "ops", "bytes", "elapsed_ns", "bw_mib_s", "mismatches",
	"device_faults", "map_errors", "mb_mean_ns", "mapped_by",
};

#define DMASTRESS_NR_CSV_COLS \
	(sizeof(dmastress_csv_cols) / sizeof(dmastress_csv_cols[0]))

static int dmastress_label_key_ok(const char *k, size_t len)
{
	size_t i;

	if (!len || len >= DMASTRESS_LABEL_KEY_LEN)
		return 0;
	for (i = 0; i < len; i++) {
		char c = k[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

static int dmastress_label_val_ok(const char *v, size_t len)
{
	size_t i;

	if (len >= DMASTRESS_LABEL_VAL_LEN)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = v[i];

		/* CSV-safe without quoting: printable, no comma or quote. */
		if (c < 0x20 || c >= 0x7f || c == '"' || c == ',')
			return 0;
	}
	return 1;
}

static int dmastress_parse_labels(struct dmastress_run_opts *o, const char *s)
{
	const char *p = s;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		struct dmastress_label *l;
		size_t klen, vlen;
		unsigned int i;

		if (!eq) {
			dmastress_usage_error("run", "--label: '%.*s' is not key=value",
					      (int)len, p);
			return -1;
		}
		klen = eq - p;
		vlen = len - klen - 1;
		if (!dmastress_label_key_ok(p, klen)) {
			dmastress_usage_error("run", "--label: key '%.*s' must be 1..%u characters of [A-Za-z0-9_]",
					      (int)klen, p,
					      DMASTRESS_LABEL_KEY_LEN - 1);
			return -1;
		}
		if (!dmastress_label_val_ok(eq + 1, vlen)) {
			dmastress_usage_error("run", "--label: value of '%.*s' must be under %u printable characters without , or \"",
					      (int)klen, p, DMASTRESS_LABEL_VAL_LEN);
			return -1;
		}
		for (i = 0; i < DMASTRESS_NR_CSV_COLS; i++) {
			if (strlen(dmastress_csv_cols[i]) == klen &&
			    !strncmp(dmastress_csv_cols[i], p, klen)) {
				dmastress_usage_error("run", "--label: '%s' is already a column",
						      dmastress_csv_cols[i]);
				return -1;
			}
		}
		for (i = 0; i < o->nr_labels; i++) {
			if (strlen(o->labels[i].key) == klen &&
			    !strncmp(o->labels[i].key, p, klen)) {
				dmastress_usage_error("run", "--label: '%.*s' given twice",
						      (int)klen, p);
				return -1;
			}
		}
		if (o->nr_labels == DMASTRESS_MAX_LABELS) {
			dmastress_usage_error("run", "--label: more than %u labels",
					      DMASTRESS_MAX_LABELS);
			return -1;
		}
		l = &o->labels[o->nr_labels++];
		memcpy(l->key, p, klen);
		l->key[klen] = '\0';
		memcpy(l->val, eq + 1, vlen);
		l->val[vlen] = '\0';
		p += len;
		if (*p == ',')
			p++;
	}
	if (!o->nr_labels) {
		dmastress_usage_error("run", "--label: empty");
		return -1;
	}
	return 0;
}

static int dmastress_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

enum {
	DMASTRESS_OPT_PATH = 256,
	DMASTRESS_OPT_ENGINE,
	DMASTRESS_OPT_DIR,
	DMASTRESS_OPT_SIZE,
	DMASTRESS_OPT_NENTS,
	DMASTRESS_OPT_OFFSET,
	DMASTRESS_OPT_MASK_BITS,
	DMASTRESS_OPT_COHERENT_MASK_BITS,
	DMASTRESS_OPT_ITERATIONS,
	DMASTRESS_OPT_SECONDS,
	DMASTRESS_OPT_THREADS,
	DMASTRESS_OPT_BATCH,
	DMASTRESS_OPT_SEED,
	DMASTRESS_OPT_ATTRS,
	DMASTRESS_OPT_POOL_ALIGN,
	DMASTRESS_OPT_POOL_BOUNDARY,
	DMASTRESS_OPT_PIECE,
	DMASTRESS_OPT_IOVA_UNLINK,
	DMASTRESS_OPT_HUGE,
	DMASTRESS_OPT_NO_VERIFY,
	DMASTRESS_OPT_NO_XFER,
	DMASTRESS_OPT_OOB_XFER,
	DMASTRESS_OPT_WRONG_DIR,
	DMASTRESS_OPT_STALE_XFER,
	DMASTRESS_OPT_STALE_DELAY,
	DMASTRESS_OPT_STALE_WRITE,
	DMASTRESS_OPT_REUSE,
	DMASTRESS_OPT_UNBOUND,
	DMASTRESS_OPT_FORMAT,
	DMASTRESS_OPT_HEADER,
	DMASTRESS_OPT_LABEL,
	DMASTRESS_OPT_DEVICE,
	DMASTRESS_OPT_DEVICES,
};

static const struct option dmastress_run_longopts[] = {
	{ "path", required_argument, NULL, DMASTRESS_OPT_PATH },
	{ "engine", required_argument, NULL, DMASTRESS_OPT_ENGINE },
	{ "dir", required_argument, NULL, DMASTRESS_OPT_DIR },
	{ "size", required_argument, NULL, DMASTRESS_OPT_SIZE },
	{ "nents", required_argument, NULL, DMASTRESS_OPT_NENTS },
	{ "offset", required_argument, NULL, DMASTRESS_OPT_OFFSET },
	{ "mask-bits", required_argument, NULL, DMASTRESS_OPT_MASK_BITS },
	{ "coherent-mask-bits", required_argument, NULL,
	  DMASTRESS_OPT_COHERENT_MASK_BITS },
	{ "iterations", required_argument, NULL, DMASTRESS_OPT_ITERATIONS },
	{ "seconds", required_argument, NULL, DMASTRESS_OPT_SECONDS },
	{ "threads", required_argument, NULL, DMASTRESS_OPT_THREADS },
	{ "batch", optional_argument, NULL, DMASTRESS_OPT_BATCH },
	{ "seed", required_argument, NULL, DMASTRESS_OPT_SEED },
	{ "attrs", required_argument, NULL, DMASTRESS_OPT_ATTRS },
	{ "pool-align", required_argument, NULL, DMASTRESS_OPT_POOL_ALIGN },
	{ "pool-boundary", required_argument, NULL, DMASTRESS_OPT_POOL_BOUNDARY },
	{ "piece", required_argument, NULL, DMASTRESS_OPT_PIECE },
	{ "iova-unlink", no_argument, NULL, DMASTRESS_OPT_IOVA_UNLINK },
	{ "huge", no_argument, NULL, DMASTRESS_OPT_HUGE },
	{ "no-verify", no_argument, NULL, DMASTRESS_OPT_NO_VERIFY },
	{ "no-xfer", no_argument, NULL, DMASTRESS_OPT_NO_XFER },
	{ "oob-xfer", no_argument, NULL, DMASTRESS_OPT_OOB_XFER },
	{ "wrong-dir", no_argument, NULL, DMASTRESS_OPT_WRONG_DIR },
	{ "stale-xfer", no_argument, NULL, DMASTRESS_OPT_STALE_XFER },
	{ "stale-delay-us", required_argument, NULL, DMASTRESS_OPT_STALE_DELAY },
	{ "stale-write", no_argument, NULL, DMASTRESS_OPT_STALE_WRITE },
	{ "reuse", no_argument, NULL, DMASTRESS_OPT_REUSE },
	{ "unbound", no_argument, NULL, DMASTRESS_OPT_UNBOUND },
	{ "format", required_argument, NULL, DMASTRESS_OPT_FORMAT },
	{ "header", no_argument, NULL, DMASTRESS_OPT_HEADER },
	{ "label", required_argument, NULL, DMASTRESS_OPT_LABEL },
	{ "device", required_argument, NULL, DMASTRESS_OPT_DEVICE },
	{ "devices", required_argument, NULL, DMASTRESS_OPT_DEVICES },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --devices all: every /dev/dmastress<N>, in order of N. */
static int dmastress_run_all_devices(struct dmastress_run_opts *o)
{
	unsigned int n;

	o->nr_devices = 0;
	for (n = 0; n < 64 && o->nr_devices < DMASTRESS_MAX_RUN_DEVICES; n++) {
		char *path = o->all_devices[o->nr_devices];

		snprintf(path, sizeof(o->all_devices[0]), "/dev/dmastress%u", n);
		if (access(path, F_OK))
			continue;
		o->devices[o->nr_devices++] = path;
	}
	if (!o->nr_devices) {
		dmastress_usage_error("run", "--devices all: no /dev/dmastress<N>");
		return -1;
	}
	o->device = o->devices[0];
	return 0;
}

/* Parse one option; 1 = --help given, 0 = ok, -1 = bad. */
static int dmastress_run_opt(struct dmastress_run_opts *o, int c, int argc,
			     char **argv)
{
	struct dmastress_run_params *p = &o->p;
	long page = sysconf(_SC_PAGESIZE);
	const char *arg = optarg;
	uint64_t v;

	if (page <= 0)
		page = 4096;
	switch (c) {
	case DMASTRESS_OPT_PATH:
		o->have_path = true;
		return dmastress_parse_name("--path", arg, dmastress_path_names,
					    DMASTRESS_NR_PATHS, &p->path);
	case DMASTRESS_OPT_ENGINE:
		o->have_engine = true;
		o->auto_engine = !strcmp(arg, "auto");
		if (o->auto_engine)
			return 0;
		return dmastress_parse_name("--engine", arg,
					    dmastress_engine_names,
					    DMASTRESS_NR_ENGINES, &p->engine);
	case DMASTRESS_OPT_DIR:
		o->have_dir = true;
		return dmastress_parse_name("--dir", arg, dmastress_dir_names,
					    3, &p->dir);
	case DMASTRESS_OPT_SIZE:
		o->have_size = true;
		if (dmastress_parse_size("--size", arg, 1,
					 DMASTRESS_MAX_LEN_BYTES, &v))
			return -1;
		p->len_bytes = v;
		return 0;
	case DMASTRESS_OPT_NENTS:
		o->have_nents = true;
		return dmastress_parse_u32("--nents", arg, 0,
					   DMASTRESS_MAX_NENTS, &p->nents);
	case DMASTRESS_OPT_OFFSET:
		if (dmastress_parse_size("--offset", arg, 0, page - 1, &v))
			return -1;
		p->offset_bytes = (uint32_t)v;
		return 0;
	case DMASTRESS_OPT_MASK_BITS:
		return dmastress_parse_u32("--mask-bits", arg,
					   DMASTRESS_MIN_MASK_BITS,
					   DMASTRESS_MAX_MASK_BITS,
					   &p->mask_bits);
	case DMASTRESS_OPT_COHERENT_MASK_BITS:
		return dmastress_parse_u32("--coherent-mask-bits", arg,
					   DMASTRESS_MIN_MASK_BITS,
					   DMASTRESS_MAX_MASK_BITS,
					   &p->coherent_mask_bits);
	case DMASTRESS_OPT_ITERATIONS:
		o->have_iterations = true;
		if (dmastress_parse_u64("--iterations", arg, 1,
					DMASTRESS_MAX_ITERATIONS, &v))
			return -1;
		p->iterations = v;
		return 0;
	case DMASTRESS_OPT_SECONDS:
		o->have_seconds = true;
		return dmastress_parse_u32("--seconds", arg, 1,
					   DMASTRESS_MAX_SECONDS, &p->seconds);
	case DMASTRESS_OPT_THREADS:
		return dmastress_parse_u32("--threads", arg, 1,
					   DMASTRESS_MAX_THREADS, &p->threads);
	case DMASTRESS_OPT_BATCH:
		/* "--batch N" as well as "--batch=N" and a bare "--batch". */
		if (!arg && optind < argc && argv[optind][0] >= '0' &&
		    argv[optind][0] <= '9')
			arg = argv[optind++];
		p->flags |= DMASTRESS_RUN_BATCH;
		p->batch = DMASTRESS_DEFAULT_BATCH;
		if (!arg)
			return 0;
		return dmastress_parse_u32("--batch", arg, 1,
					   DMASTRESS_MAX_BATCH, &p->batch);
	case DMASTRESS_OPT_SEED:
		o->have_seed = true;
		return dmastress_parse_u32("--seed", arg, 0, UINT32_MAX,
					   &p->seed);
	case DMASTRESS_OPT_ATTRS:
		return dmastress_parse_attrs(arg, &p->attrs);
	case DMASTRESS_OPT_POOL_ALIGN:
		o->have_pool_align = true;
		if (dmastress_parse_size("--pool-align", arg, 1,
					 DMASTRESS_MAX_POOL_ALIGN, &v))
			return -1;
		if (!dmastress_is_pow2(v)) {
			dmastress_usage_error("run", "--pool-align: %s is not a power of two",
					      arg);
			return -1;
		}
		p->pool_align = (uint32_t)v;
		return 0;
	case DMASTRESS_OPT_POOL_BOUNDARY:
		o->have_pool_boundary = true;
		if (dmastress_parse_size("--pool-boundary", arg, 0, 1U << 31, &v))
			return -1;
		if (v && !dmastress_is_pow2(v)) {
			dmastress_usage_error("run", "--pool-boundary: %s is not a power of two or 0",
					      arg);
			return -1;
		}
		p->pool_boundary = (uint32_t)v;
		return 0;
	case DMASTRESS_OPT_PIECE:
		o->have_piece = true;
		if (dmastress_parse_size("--piece", arg, DMASTRESS_MIN_PIECE_BYTES,
					 DMASTRESS_MAX_PIECE_BYTES, &v))
			return -1;
		if (!dmastress_is_pow2(v)) {
			dmastress_usage_error("run", "--piece: %s is not a power of two",
					      arg);
			return -1;
		}
		p->piece_bytes = (uint32_t)v;
		return 0;
	case DMASTRESS_OPT_IOVA_UNLINK:
		p->flags |= DMASTRESS_RUN_IOVA_UNLINK;
		return 0;
	case DMASTRESS_OPT_HUGE:
		p->flags |= DMASTRESS_RUN_HUGE;
		return 0;
	case DMASTRESS_OPT_NO_VERIFY:
		p->flags |= DMASTRESS_RUN_NO_VERIFY;
		return 0;
	case DMASTRESS_OPT_NO_XFER:
		p->flags |= DMASTRESS_RUN_NO_VERIFY | DMASTRESS_RUN_NO_XFER;
		return 0;
	case DMASTRESS_OPT_OOB_XFER:
		p->flags |= DMASTRESS_RUN_OOB_XFER;
		return 0;
	case DMASTRESS_OPT_WRONG_DIR:
		p->flags |= DMASTRESS_RUN_WRONG_DIR;
		return 0;
	case DMASTRESS_OPT_STALE_XFER:
		p->flags |= DMASTRESS_RUN_STALE_XFER;
		return 0;
	case DMASTRESS_OPT_STALE_WRITE:
		p->flags |= DMASTRESS_RUN_STALE_WRITE;
		return 0;
	case DMASTRESS_OPT_STALE_DELAY:
		return dmastress_parse_u32("--stale-delay-us", arg, 0,
					   DMASTRESS_MAX_STALE_DELAY_US,
					   &p->stale_delay_us);
	case DMASTRESS_OPT_REUSE:
		p->flags |= DMASTRESS_RUN_REUSE;
		return 0;
	case DMASTRESS_OPT_UNBOUND:
		p->flags |= DMASTRESS_RUN_UNBOUND;
		return 0;
	case DMASTRESS_OPT_FORMAT:
		return dmastress_parse_name("--format", arg, dmastress_run_formats,
					    3, &o->format);
	case DMASTRESS_OPT_HEADER:
		o->header = true;
		return 0;
	case DMASTRESS_OPT_LABEL:
		return dmastress_parse_labels(o, arg);
	case DMASTRESS_OPT_DEVICE:
		if (o->nr_devices == DMASTRESS_MAX_RUN_DEVICES) {
			dmastress_usage_error("run", "--device: at most %u devices",
					      DMASTRESS_MAX_RUN_DEVICES);
			return -1;
		}
		o->device = arg;
		o->devices[o->nr_devices++] = arg;
		return dmastress_valid_device("run", arg);
	case DMASTRESS_OPT_DEVICES:
		if (strcmp(arg, "all")) {
			dmastress_usage_error("run", "--devices takes 'all'");
			return -1;
		}
		return dmastress_run_all_devices(o);
	case 'h':
		return 1;
	default:
		dmastress_usage_error("run", "bad option");
		return -1;
	}
}

/* Cross-option checks once everything is parsed. */
static int dmastress_run_check(struct dmastress_run_opts *o)
{
	struct dmastress_run_params *p = &o->p;
	uint32_t path = p->path;
	double alive;

	if (!o->have_path || !o->have_engine || !o->have_dir || !o->have_size) {
		dmastress_usage_error("run", "--path, --engine, --dir and --size are required");
		return -1;
	}
	if (o->have_iterations && o->have_seconds) {
		dmastress_usage_error("run", "--iterations and --seconds exclude each other");
		return -1;
	}
	if (!o->have_iterations && !o->have_seconds)
		p->iterations = DMASTRESS_DEFAULT_ITERATIONS;
	if (o->have_nents) {
		if (path != DMASTRESS_PATH_SG && path != DMASTRESS_PATH_SGTABLE &&
		    path != DMASTRESS_PATH_NONCONTIG) {
			dmastress_usage_error("run", "--nents applies to sg, sgtable and noncontig");
			return -1;
		}
		if (p->nents > p->len_bytes) {
			dmastress_usage_error("run", "--nents %u is more than --size %llu bytes",
					      p->nents,
					      (unsigned long long)p->len_bytes);
			return -1;
		}
	}
	if ((o->have_piece || (p->flags & DMASTRESS_RUN_IOVA_UNLINK)) &&
	    path != DMASTRESS_PATH_IOVA) {
		dmastress_usage_error("run", "--piece and --iova-unlink apply to the iova path");
		return -1;
	}
	if ((o->have_pool_align || o->have_pool_boundary) &&
	    path != DMASTRESS_PATH_POOL) {
		dmastress_usage_error("run", "--pool-align and --pool-boundary apply to the pool path");
		return -1;
	}
	if ((p->flags & DMASTRESS_RUN_HUGE) && path != DMASTRESS_PATH_SINGLE &&
	    path != DMASTRESS_PATH_SG && path != DMASTRESS_PATH_SGTABLE) {
		dmastress_usage_error("run", "--huge applies to single, sg and sgtable");
		return -1;
	}
	if (o->header && o->format != DMASTRESS_FMT_CSV) {
		dmastress_usage_error("run", "--header applies to --format csv");
		return -1;
	}
	if (o->nr_labels && o->format == DMASTRESS_FMT_TABLE) {
		dmastress_usage_error("run", "--label applies to --format csv and json");
		return -1;
	}
	if (!p->threads)
		p->threads = 1;
	/* Buffers alive at once; each factor is bounded, so no overflow. */
	alive = (double)p->threads * (double)p->len_bytes *
		((p->flags & DMASTRESS_RUN_BATCH) ? p->batch : 1);
	if (alive > (double)DMASTRESS_MAX_RUN_BYTES) {
		dmastress_usage_error("run", "--threads x --size x --batch is %.0f bytes alive at once, over %llu",
				      alive,
				      (unsigned long long)DMASTRESS_MAX_RUN_BYTES);
		return -1;
	}
	/* Ops asked for: each factor is bounded, so no overflow either. */
	if ((double)p->threads * (double)p->iterations *
	    ((p->flags & DMASTRESS_RUN_BATCH) ? p->batch + 1 : 1) >
	    (double)DMASTRESS_MAX_RUN_OPS) {
		dmastress_usage_error("run", "--threads x --iterations x (--batch + 1) is over %llu ops",
				      (unsigned long long)DMASTRESS_MAX_RUN_OPS);
		return -1;
	}
	if (!o->have_seed)
		p->seed = dmastress_random_seed();
	return 0;
}

static void dmastress_print_bdf(FILE *f, uint32_t bdf)
{
	fprintf(f, "%04x:%02x:%02x.%u", bdf >> 16, (bdf >> 8) & 0xff,
		(bdf >> 3) & 0x1f, bdf & 7);
}

static void dmastress_run_table(const struct dmastress_run_opts *o,
				const struct dmastress_run_out *out)
{
	const struct dmastress_run_params *p = &o->p;
	const struct dmastress_run_result *r = &out->run.result;
	char flags[128];
	unsigned int i;

	printf("# path=%s engine=%s dir=%s size_bytes=%llu nents=%u offset_bytes=%u threads=%u",
	       dmastress_path_names[p->path], dmastress_engine_names[p->engine],
	       dmastress_dir_names[p->dir], (unsigned long long)p->len_bytes,
	       p->nents, p->offset_bytes, p->threads);
	if (p->seconds)
		printf(" seconds=%u", p->seconds);
	else
		printf(" iterations=%llu", (unsigned long long)p->iterations);
	if (p->flags & DMASTRESS_RUN_BATCH)
		printf(" batch=%u", p->batch);
	printf(" seed=0x%08x verify=%d\n", p->seed,
	       !(p->flags & DMASTRESS_RUN_NO_VERIFY));
	printf("# device=%s bdf=", o->device);
	dmastress_print_bdf(stdout, out->info.bdf);
	printf(" group_type=%s timer_overhead_ns=%u timer_overhead_ps=%llu\n",
	       dmastress_group_name(out->info.group_type),
	       out->info.timer_overhead_ns,
	       (unsigned long long)out->info.timer_overhead_ps);

	printf("%-16s %10s %12s %12s %12s %12s %12s %12s %12s\n", "phase",
	       "count", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns",
	       "min_ns", "max_ns");
	for (i = 0; i < out->nr_phases; i++) {
		const struct dmastress_stats *s = &out->stats[i];

		printf("%-16s %10llu %12.1f %12.1f %12.1f %12.1f %12.1f %12llu %12llu\n",
		       dmastress_phase_names[i], (unsigned long long)s->count,
		       s->mean_ns, s->p50_ns, s->p90_ns, s->p99_ns, s->p999_ns,
		       (unsigned long long)s->min_ns,
		       (unsigned long long)s->max_ns);
	}
	printf("\n");
#define KV(k, fmt, ...)	printf("%-22s " fmt "\n", k, __VA_ARGS__)
	KV("status", "%d%s%s%s%s", out->run.status,
	   out->run.status ? " " : "",
	   out->run.status ? strerror(-out->run.status) : "",
	   r->skip_reason[0] ? ": " : "", r->skip_reason);
	KV("ops", "%llu", (unsigned long long)r->ops);
	KV("bytes", "%llu", (unsigned long long)r->bytes);
	KV("elapsed_ns", "%llu", (unsigned long long)r->elapsed_ns);
	KV("bw_mib_s", "%.3f", out->bw_mib_s);
	KV("xfer_bw_mib_s", "%.3f", out->xfer_bw_mib_s);
	for (i = 0; i < DMASTRESS_NR_RUN_ERRORS; i++)
		KV(dmastress_run_error_names[i], "%llu",
		   (unsigned long long)dmastress_run_error(r, i));
	if (r->mismatches)
		KV("first_mismatch", "offset_bytes=%llu expected=0x%02x actual=0x%02x",
		   (unsigned long long)r->first_mismatch_offset,
		   r->first_expected, r->first_actual);
	else
		KV("first_mismatch", "%s", "none");
	KV("nents_cpu", "%u", r->nents_cpu);
	KV("nents_mapped", "%u", r->nents_mapped);
	KV("sample_dma_addr", "0x%llx", (unsigned long long)r->sample_dma_addr);
	KV("sample_phys_addr", "0x%llx", (unsigned long long)r->sample_phys_addr);
	KV("mapped_by", "%s", dmastress_flags_str(dmastress_result_flag_names,
						  DMASTRESS_NR_RESULT_FLAGS,
						  r->path_flags, flags,
						  sizeof(flags)));
	if (o->p.flags & DMASTRESS_RUN_OOB_XFER)
		KV("oob_landed", "%llu", (unsigned long long)r->oob_landed);
	if (o->p.flags & DMASTRESS_RUN_WRONG_DIR)
		KV("perm_landed", "%llu", (unsigned long long)r->perm_landed);
	if (o->p.flags & DMASTRESS_RUN_STALE_XFER)
		KV("stale_reached", "%llu", (unsigned long long)r->stale_reached);
	if (o->p.flags & DMASTRESS_RUN_STALE_WRITE)
		KV("stale_reused", "%llu", (unsigned long long)r->stale_reused);
#undef KV
}

static void dmastress_run_csv(const struct dmastress_run_opts *o,
			      const struct dmastress_run_out *out)
{
	const struct dmastress_run_params *p = &o->p;
	const struct dmastress_run_result *r = &out->run.result;
	unsigned int i, l;
	char flags[128];

	dmastress_flags_str(dmastress_result_flag_names,
			    DMASTRESS_NR_RESULT_FLAGS, r->path_flags, flags,
			    sizeof(flags));
	if (o->header) {
		for (l = 0; l < o->nr_labels; l++)
			printf("%s,", o->labels[l].key);
		for (i = 0; i < DMASTRESS_NR_CSV_COLS; i++)
			printf("%s%s", dmastress_csv_cols[i],
			       i + 1 < DMASTRESS_NR_CSV_COLS ? "," : "\n");
	}
	for (i = 0; i < out->nr_phases; i++) {
		const struct dmastress_stats *s = &out->stats[i];

		for (l = 0; l < o->nr_labels; l++)
			printf("%s,", o->labels[l].val);
		printf("%s,%s,%s,%llu,%u,%u,%s,",
		       dmastress_path_names[p->path],
		       dmastress_engine_names[p->engine],
		       dmastress_dir_names[p->dir],
		       (unsigned long long)p->len_bytes, p->nents, p->threads,
		       dmastress_phase_names[i]);
		printf("%llu,%.1f,%.1f,%.1f,%.1f,%.1f,%llu,%llu,",
		       (unsigned long long)s->count, s->mean_ns, s->p50_ns,
		       s->p90_ns, s->p99_ns, s->p999_ns,
		       (unsigned long long)s->min_ns,
		       (unsigned long long)s->max_ns);
		printf("%llu,%llu,%llu,%.3f,%llu,%llu,%llu,%.0f,%s\n",
		       (unsigned long long)r->ops, (unsigned long long)r->bytes,
		       (unsigned long long)r->elapsed_ns, out->bw_mib_s,
		       (unsigned long long)r->mismatches,
		       (unsigned long long)r->device_faults,
		       (unsigned long long)r->map_errors, s->mb_mean_ns, flags);
	}
}

static void dmastress_run_json(const struct dmastress_run_opts *o,
			       const struct dmastress_run_out *out)
{
	const struct dmastress_run_params *p = &o->p;
	const struct dmastress_run_result *r = &out->run.result;
	char flags[128];
	unsigned int i;
	int first;

	printf("{\"device\": ");
	dmastress_json_str(stdout, o->device);
	printf(", \"bdf\": \"");
	dmastress_print_bdf(stdout, out->info.bdf);
	printf("\", \"group_type\": \"%s\"",
	       dmastress_group_name(out->info.group_type));
	printf(", \"labels\": {");
	for (i = 0; i < o->nr_labels; i++) {
		printf("%s", i ? ", " : "");
		dmastress_json_str(stdout, o->labels[i].key);
		printf(": ");
		dmastress_json_str(stdout, o->labels[i].val);
	}
	printf("}");

	printf(", \"params\": {\"path\": \"%s\", \"engine\": \"%s\", \"dir\": \"%s\"",
	       dmastress_path_names[p->path], dmastress_engine_names[p->engine],
	       dmastress_dir_names[p->dir]);
	printf(", \"size_bytes\": %llu, \"nents\": %u, \"offset_bytes\": %u",
	       (unsigned long long)p->len_bytes, p->nents, p->offset_bytes);
	printf(", \"mask_bits\": %u, \"coherent_mask_bits\": %u, \"threads\": %u",
	       p->mask_bits, p->coherent_mask_bits, p->threads);
	printf(", \"iterations\": %llu, \"seconds\": %u, \"batch\": %u",
	       (unsigned long long)p->iterations, p->seconds,
	       (p->flags & DMASTRESS_RUN_BATCH) ? p->batch : 0);
	printf(", \"seed\": %u, \"attrs\": [", p->seed);
	for (i = 0, first = 1; i < DMASTRESS_NR_ATTRS; i++) {
		if (!(p->attrs & (1U << i)))
			continue;
		printf("%s\"%s\"", first ? "" : ", ", dmastress_attr_names[i]);
		first = 0;
	}
	printf("], \"pool_align_bytes\": %u, \"pool_boundary_bytes\": %u",
	       p->pool_align, p->pool_boundary);
	printf(", \"piece_bytes\": %u, \"iova_unlink\": %s", p->piece_bytes,
	       (p->flags & DMASTRESS_RUN_IOVA_UNLINK) ? "true" : "false");
	printf(", \"huge\": %s, \"verify\": %s}",
	       (p->flags & DMASTRESS_RUN_HUGE) ? "true" : "false",
	       (p->flags & DMASTRESS_RUN_NO_VERIFY) ? "false" : "true");

	printf(", \"status\": %d, \"status_reason\": ", out->run.status);
	dmastress_json_str(stdout, r->skip_reason);
	printf(", \"ops\": %llu, \"bytes\": %llu, \"elapsed_ns\": %llu",
	       (unsigned long long)r->ops, (unsigned long long)r->bytes,
	       (unsigned long long)r->elapsed_ns);
	printf(", \"bw_mib_s\": %.3f, \"xfer_bw_mib_s\": %.3f",
	       out->bw_mib_s, out->xfer_bw_mib_s);
	for (i = 0; i < DMASTRESS_NR_RUN_ERRORS; i++)
		printf(", \"%s\": %llu", dmastress_run_error_names[i],
		       (unsigned long long)dmastress_run_error(r, i));
	if (r->mismatches)
		printf(", \"first_mismatch\": {\"offset_bytes\": %llu, \"expected\": %u, \"actual\": %u}",
		       (unsigned long long)r->first_mismatch_offset,
		       r->first_expected, r->first_actual);
	else
		printf(", \"first_mismatch\": null");
	printf(", \"nents_cpu\": %u, \"nents_mapped\": %u",
	       r->nents_cpu, r->nents_mapped);
	printf(", \"sample_dma_addr\": \"0x%llx\", \"sample_phys_addr\": \"0x%llx\"",
	       (unsigned long long)r->sample_dma_addr,
	       (unsigned long long)r->sample_phys_addr);
	printf(", \"mapped_by\": \"%s\"",
	       dmastress_flags_str(dmastress_result_flag_names,
				   DMASTRESS_NR_RESULT_FLAGS, r->path_flags,
				   flags, sizeof(flags)));
	if (o->p.flags & DMASTRESS_RUN_OOB_XFER)
		printf(", \"oob_landed\": %llu",
		       (unsigned long long)r->oob_landed);
	if (o->p.flags & DMASTRESS_RUN_WRONG_DIR)
		printf(", \"perm_landed\": %llu",
		       (unsigned long long)r->perm_landed);
	if (o->p.flags & DMASTRESS_RUN_STALE_XFER)
		printf(", \"stale_reached\": %llu, \"stale_delay_us\": %u",
		       (unsigned long long)r->stale_reached,
		       o->p.stale_delay_us);
	if (o->p.flags & DMASTRESS_RUN_STALE_WRITE)
		printf(", \"stale_reused\": %llu",
		       (unsigned long long)r->stale_reused);
	printf(", \"timer_overhead_ns\": %u, \"timer_overhead_ps\": %llu",
	       out->info.timer_overhead_ns,
	       (unsigned long long)out->info.timer_overhead_ps);

	printf(", \"phases\": {");
	for (i = 0; i < out->nr_phases; i++) {
		const struct dmastress_stats *s = &out->stats[i];

		printf("%s\"%s\": {\"count\": %llu, \"mean_ns\": %.1f",
		       i ? ", " : "", dmastress_phase_names[i],
		       (unsigned long long)s->count, s->mean_ns);
		printf(", \"p50_ns\": %.1f, \"p90_ns\": %.1f, \"p99_ns\": %.1f, \"p999_ns\": %.1f",
		       s->p50_ns, s->p90_ns, s->p99_ns, s->p999_ns);
		printf(", \"min_ns\": %llu, \"max_ns\": %llu, \"mb_mean_ns\": %.0f}",
		       (unsigned long long)s->min_ns,
		       (unsigned long long)s->max_ns, s->mb_mean_ns);
	}
	printf("}}\n");
}

/*
 * Derive the printed numbers and check the histograms against the
 * per-phase sums. Returns the number of inconsistencies found.
 */
static int dmastress_run_derive(const struct dmastress_run_opts *o,
				struct dmastress_run_out *out)
{
	const struct dmastress_run_result *r = &out->run.result;
	const struct dmastress_phase_sum *sum;
	const struct dmastress_hist *xfer;
	unsigned int i;
	int bad = 0;

	out->nr_phases = (o->p.flags & DMASTRESS_RUN_BATCH) ?
			 DMASTRESS_NR_HISTS : DMASTRESS_NR_PHASES;
	for (i = 0; i < out->nr_phases; i++) {
		const struct dmastress_hist *h = &out->hists[i];

		dmastress_hist_stats(h, &out->stats[i]);
		sum = i == DMASTRESS_HIST_BATCH ? &r->batch : &r->phase[i];
		if (dmastress_hist_check(h)) {
			fprintf(stderr, "dmastress: run: histogram of phase %s is inconsistent (above)\n",
				dmastress_phase_names[i]);
			bad++;
		} else if (h->count != sum->count || h->sum_ns != sum->sum_ns ||
			   h->min_ns != sum->min_ns || h->max_ns != sum->max_ns) {
			fprintf(stderr, "dmastress: run: histogram of phase %s disagrees with its summary (count %llu/%llu, sum_ns %llu/%llu)\n",
				dmastress_phase_names[i],
				(unsigned long long)h->count,
				(unsigned long long)sum->count,
				(unsigned long long)h->sum_ns,
				(unsigned long long)sum->sum_ns);
			bad++;
		}
	}
	xfer = &out->hists[DMASTRESS_PHASE_XFER];
	out->bw_mib_s = dmastress_mib_s(r->bytes, (double)r->elapsed_ns);
	out->xfer_bw_mib_s = dmastress_mib_s(r->bytes, (double)xfer->sum_ns);
	return bad;
}

/* One run on o->device into @out, printed; returns the exit code. */
static int dmastress_run_one(struct dmastress_run_opts *o,
			     struct dmastress_run_out *out)
{
	int fd, ret, exit_code = DMASTRESS_EXIT_FAIL;

	fd = dmastress_open(o->device);
	if (fd < 0) {
		exit_code = DMASTRESS_EXIT_SKIP;
		return exit_code;
	}
	if (dmastress_get_info(fd, o->device, &out->info)) {
		close(fd);
		return exit_code;
	}
	if (o->auto_engine) {
		/* the device's own bus-master: nvme, else edu, else cpu */
		static const uint32_t pref[] = {
			DMASTRESS_ENGINE_NVME, DMASTRESS_ENGINE_EDU,
		};
		unsigned int i;

		o->p.engine = DMASTRESS_ENGINE_CPU;
		for (i = 0; i < sizeof(pref) / sizeof(pref[0]); i++)
			if (out->info.engines & (1U << pref[i])) {
				o->p.engine = pref[i];
				break;
			}
	}
	ret = dmastress_run_ioctl(fd, &o->p, out->hists, NULL, &out->run);
	close(fd);
	if (ret == -EOPNOTSUPP) {
		printf("skip: %s\n", strerror(-ret));
		exit_code = DMASTRESS_EXIT_SKIP;
		return exit_code;
	}
	if (ret) {
		fprintf(stderr, "dmastress: run: DMASTRESS_IOC_RUN: %s%s\n",
			strerror(-ret), ret != -EINVAL ? "" : o->p.attrs ?
			" (the kernel refused the parameters: does --path take every --attrs? see --help)" :
			" (the kernel refused the parameters; see dmesg)");
		exit_code = ret == -EINVAL ? DMASTRESS_EXIT_USAGE :
					     DMASTRESS_EXIT_FAIL;
		return exit_code;
	}
	if (out->run.status == -EOPNOTSUPP) {
		printf("skip: %s\n", out->run.result.skip_reason[0] ?
		       out->run.result.skip_reason : "(no reason given)");
		exit_code = DMASTRESS_EXIT_SKIP;
		return exit_code;
	}

	ret = dmastress_run_derive(o, out);
	switch (o->format) {
	case DMASTRESS_FMT_TABLE:
		dmastress_run_table(o, out);
		break;
	case DMASTRESS_FMT_CSV:
		dmastress_run_csv(o, out);
		break;
	default:
		dmastress_run_json(o, out);
		break;
	}
	if (fflush(stdout)) {
		perror("dmastress: stdout");
		return exit_code;
	}

	if (out->run.status) {
		fprintf(stderr, "dmastress: run: failed with status %d (%s)%s%s\n",
			out->run.status, strerror(-out->run.status),
			out->run.result.skip_reason[0] ? ": " : "",
			out->run.result.skip_reason);
	} else if (dmastress_run_errors(&out->run.result)) {
		dmastress_run_print_errors(stderr, "dmastress: run: errors: ",
					   &out->run.result);
	} else if (!out->run.result.ops) {
		fprintf(stderr, "dmastress: run: no operation completed\n");
	} else if (!ret) {
		exit_code = DMASTRESS_EXIT_OK;
	}
	return exit_code;
}

/*
 * The same run on every device of o->devices at once: a child process per
 * device (each ioctl runs its own threads), its output kept apart and
 * printed in device order, labelled device=<node>; CSV's header once.
 * Returns the worst exit code: a failure, then a usage error, then a skip
 * (only when every device skipped).
 */
static int dmastress_run_devices(struct dmastress_run_opts *o)
{
	FILE *outs[DMASTRESS_MAX_RUN_DEVICES] = { 0 };
	pid_t pids[DMASTRESS_MAX_RUN_DEVICES];
	int codes[DMASTRESS_MAX_RUN_DEVICES];
	unsigned int i, skips = 0;
	int worst = DMASTRESS_EXIT_OK;
	char buf[4096];
	size_t n;

	if (o->nr_labels == DMASTRESS_MAX_LABELS) {
		dmastress_usage_error("run", "more than one device needs a free --label slot");
		return DMASTRESS_EXIT_USAGE;
	}
	fflush(stdout);
	for (i = 0; i < o->nr_devices; i++) {
		codes[i] = DMASTRESS_EXIT_FAIL;
		outs[i] = tmpfile();
		pids[i] = outs[i] ? fork() : -1;
		if (pids[i] < 0) {
			perror("dmastress: run");
			continue;
		}
		if (!pids[i]) {
			struct dmastress_run_out *out = calloc(1, sizeof(*out));
			struct dmastress_label *l = &o->labels[o->nr_labels++];
			const char *base = strrchr(o->devices[i], '/');

			if (dup2(fileno(outs[i]), STDOUT_FILENO) < 0 || !out)
				_exit(DMASTRESS_EXIT_FAIL);
			out->hists = calloc(DMASTRESS_NR_HISTS, sizeof(*out->hists));
			if (!out->hists)
				_exit(DMASTRESS_EXIT_FAIL);
			o->device = o->devices[i];
			o->header = o->header && !i;
			snprintf(l->key, sizeof(l->key), "device");
			snprintf(l->val, sizeof(l->val), "%s",
				 base ? base + 1 : o->devices[i]);
			n = dmastress_run_one(o, out);
			fflush(stdout);
			_exit((int)n);
		}
	}
	for (i = 0; i < o->nr_devices; i++) {
		int st;

		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] &&
		    WIFEXITED(st))
			codes[i] = WEXITSTATUS(st);
		if (outs[i]) {
			rewind(outs[i]);
			while ((n = fread(buf, 1, sizeof(buf), outs[i])) > 0)
				fwrite(buf, 1, n, stdout);
			fclose(outs[i]);
		}
		if (codes[i] == DMASTRESS_EXIT_FAIL)
			worst = DMASTRESS_EXIT_FAIL;
		else if (codes[i] == DMASTRESS_EXIT_USAGE &&
			 worst != DMASTRESS_EXIT_FAIL)
			worst = DMASTRESS_EXIT_USAGE;
		else if (codes[i] == DMASTRESS_EXIT_SKIP)
			skips++;
	}
	if (worst == DMASTRESS_EXIT_OK && skips == o->nr_devices)
		worst = DMASTRESS_EXIT_SKIP;
	fflush(stdout);
	return worst;
}

/**
 * dmastress_run_main() - "dmastress run"
 * @argc: argument count, argv[0] is "run"
 * @argv: arguments
 *
 * Return: exit code, DMASTRESS_EXIT_*.
 */
int dmastress_run_main(int argc, char **argv)
{
	struct dmastress_run_opts *o;
	struct dmastress_run_out *out;
	int c, ret, exit_code = DMASTRESS_EXIT_FAIL;

	o = calloc(1, sizeof(*o));
	out = calloc(1, sizeof(*out));
	if (out)
		out->hists = calloc(DMASTRESS_NR_HISTS, sizeof(*out->hists));
	if (!o || !out || !out->hists) {
		perror("dmastress: run");
		goto free;
	}
	o->device = DMASTRESS_DEFAULT_DEVICE;

	while ((c = getopt_long(argc, argv, "+h", dmastress_run_longopts,
				NULL)) != -1) {
		ret = dmastress_run_opt(o, c, argc, argv);
		if (ret > 0) {
			dmastress_run_usage(stdout);
			exit_code = DMASTRESS_EXIT_OK;
			goto free;
		}
		if (ret < 0) {
			exit_code = DMASTRESS_EXIT_USAGE;
			goto free;
		}
	}
	if (optind != argc) {
		dmastress_usage_error("run", "unexpected argument '%s'",
				      argv[optind]);
		exit_code = DMASTRESS_EXIT_USAGE;
		goto free;
	}
	if (dmastress_run_check(o)) {
		exit_code = DMASTRESS_EXIT_USAGE;
		goto free;
	}

	if (o->nr_devices > 1)
		exit_code = dmastress_run_devices(o);
	else
		exit_code = dmastress_run_one(o, out);
free:
	if (out)
		free(out->hists);
	free(out);
	free(o);
	return exit_code;
}
