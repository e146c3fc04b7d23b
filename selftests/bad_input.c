// SPDX-License-Identifier: GPL-2.0-only
/*
 * bad_input.c - every ioctl refuses what it must and changes nothing.
 *
 * bad_run:   one variant per DMASTRESS_IOC_RUN field out of range, or
 *            reserved or output-only field set: -EINVAL, nothing written
 *            back, and the device's masks unchanged.
 * good_run:  the bases the bad_run variants start from do run.
 * bad_ioctl: the same for INFO and the VIEW ioctls (their output-only
 *            fields among them), a wrong size field,
 *            unknown ioctls (-ENOTTY), NULL, unmapped and read-only user
 *            pointers (-EFAULT), and opening without CAP_SYS_RAWIO (-EPERM).
 * threads:   two threads issuing ioctls at once on one device.
 */
#include <grp.h>
#include <pthread.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "dmastress_utils.h"

/* Little-endian store of @width bytes of @value at @off into @base. */
static void poke(void *base, unsigned int off, unsigned int width, __u64 value)
{
	memcpy((char *)base + off, &value, width);
}

#define FIELD(type, f)	offsetof(type, f), sizeof(((type *)0)->f)

/* ---- bad_run -------------------------------------------------------- */

FIXTURE(bad_run) {
	int fd;
	struct dmastress_info info;
	struct dmastress_hist *hists;
	struct dmastress_path_counts counts[DMASTRESS_NR_PATHS];
	struct dmastress_run run;
};

/*
 * A base run (path, default coherent; flags and the fields those need) and
 * up to two stores that make it invalid.
 */
FIXTURE_VARIANT(bad_run) {
	__u32 path;
	__u32 flags;
	bool hist;
	bool counts;
	unsigned int off, width;
	__u64 value;
	unsigned int off2, width2;
	__u64 value2;
};

#define BAD_RUN(_name, _field, _value, ...)				\
	FIXTURE_VARIANT_ADD(bad_run, _name) {				\
		__VA_ARGS__						\
		.off = offsetof(struct dmastress_run, _field),		\
		.width = sizeof(((struct dmastress_run *)0)->_field),	\
		.value = (_value),					\
	}

#define AND(_field, _value)						\
	.off2 = offsetof(struct dmastress_run, _field),			\
	.width2 = sizeof(((struct dmastress_run *)0)->_field),		\
	.value2 = (_value),

#define HIST	.hist = true,
#define COUNTS	.counts = true,
#define STRESS	.flags = DMASTRESS_RUN_STRESS,
#define BATCH	.flags = DMASTRESS_RUN_BATCH,
#define PATH(p)	.path = DMASTRESS_PATH_##p,

BAD_RUN(size_short, size, sizeof(struct dmastress_run) - 1);
BAD_RUN(size_long, size, sizeof(struct dmastress_run) + 1);
BAD_RUN(size_zero, size, 0);
BAD_RUN(counts_size_without_ptr, counts_size,
	sizeof(struct dmastress_path_counts));
BAD_RUN(counts_size_wrong, counts_size,
	sizeof(struct dmastress_path_counts) + 8, COUNTS);
BAD_RUN(counts_ptr_without_size, counts_size, 0, COUNTS);
BAD_RUN(hist_size_without_ptr, hist_size, sizeof(struct dmastress_hist));
BAD_RUN(hist_size_wrong, hist_size, sizeof(struct dmastress_hist) - 8, HIST);
BAD_RUN(hist_ptr_without_size, hist_size, 0, HIST);
BAD_RUN(path_out_of_range, params.path, DMASTRESS_NR_PATHS);
BAD_RUN(path_all_ones, params.path, 0xffffffffU);
BAD_RUN(engine_out_of_range, params.engine, DMASTRESS_NR_ENGINES);
BAD_RUN(engine_all_ones, params.engine, 0xffffffffU);
BAD_RUN(dir_none, params.dir, 3);
BAD_RUN(dir_all_ones, params.dir, 0xffffffffU);
BAD_RUN(flags_unknown, params.flags, DMASTRESS_RUN_FLAGS_ALL + 1);
BAD_RUN(flags_top_bit, params.flags, 1U << 31);
BAD_RUN(flags_inline_unbound, params.flags,
	DMASTRESS_RUN_INLINE | DMASTRESS_RUN_UNBOUND);
BAD_RUN(len_zero, params.len_bytes, 0);
BAD_RUN(len_too_big, params.len_bytes, DMASTRESS_MAX_LEN_BYTES + 1);
BAD_RUN(len_all_ones, params.len_bytes, ~0ULL);
BAD_RUN(nents_too_many, params.nents, DMASTRESS_MAX_NENTS + 1, PATH(SG));
BAD_RUN(offset_a_page, params.offset_bytes, 4096);
BAD_RUN(offset_all_ones, params.offset_bytes, 0xffffffffU);
BAD_RUN(mask_bits_too_few, params.mask_bits, DMASTRESS_MIN_MASK_BITS - 1);
BAD_RUN(mask_bits_too_many, params.mask_bits, DMASTRESS_MAX_MASK_BITS + 1);
BAD_RUN(coherent_mask_bits_too_few, params.coherent_mask_bits,
	DMASTRESS_MIN_MASK_BITS - 1);
BAD_RUN(coherent_mask_bits_too_many, params.coherent_mask_bits,
	DMASTRESS_MAX_MASK_BITS + 1);
BAD_RUN(threads_zero, params.threads, 0);
BAD_RUN(threads_too_many, params.threads, DMASTRESS_MAX_THREADS + 1);
BAD_RUN(seconds_too_many, params.seconds, DMASTRESS_MAX_SECONDS + 1,
	AND(params.iterations, 0));
BAD_RUN(iterations_too_many, params.iterations,
	DMASTRESS_MAX_ITERATIONS + 1);
BAD_RUN(neither_seconds_nor_iterations, params.iterations, 0);
BAD_RUN(both_seconds_and_iterations, params.seconds, 1);
BAD_RUN(batch_zero, params.batch, 0, BATCH);
BAD_RUN(batch_too_big, params.batch, DMASTRESS_MAX_BATCH + 1, BATCH);
BAD_RUN(batch_bytes_too_big, params.batch, DMASTRESS_MAX_BATCH, BATCH
	AND(params.len_bytes, DMASTRESS_MIB));
/* threads x iterations x (batch + 1) above DMASTRESS_MAX_RUN_OPS */
BAD_RUN(ops_too_many, params.threads, 2,
	AND(params.iterations, DMASTRESS_MAX_ITERATIONS));
BAD_RUN(batch_ops_too_many, params.batch, DMASTRESS_MAX_BATCH, BATCH
	AND(params.iterations, DMASTRESS_MAX_RUN_OPS / DMASTRESS_MAX_BATCH));
BAD_RUN(attrs_unknown, params.attrs, DMASTRESS_ATTRS_ALL + 1, PATH(COHERENT));
BAD_RUN(pool_align_not_pow2, params.pool_align, 3, PATH(POOL));
BAD_RUN(pool_align_too_big, params.pool_align, DMASTRESS_MAX_POOL_ALIGN * 2,
	PATH(POOL));
BAD_RUN(pool_boundary_not_pow2, params.pool_boundary, 4097, PATH(POOL));
BAD_RUN(piece_not_pow2, params.piece_bytes, 12288, PATH(IOVA));
BAD_RUN(piece_too_small, params.piece_bytes, DMASTRESS_MIN_PIECE_BYTES / 2,
	PATH(IOVA));
BAD_RUN(piece_too_big, params.piece_bytes, DMASTRESS_MAX_PIECE_BYTES * 2,
	PATH(IOVA));
BAD_RUN(piece_on_coherent, params.piece_bytes, 65536);
BAD_RUN(iova_unlink_on_coherent, params.flags, DMASTRESS_RUN_IOVA_UNLINK);
BAD_RUN(iova_unlink_in_stress, params.flags,
	DMASTRESS_RUN_IOVA_UNLINK | DMASTRESS_RUN_STRESS, AND(params.live, 1));
BAD_RUN(wrong_dir_bidi, params.flags, DMASTRESS_RUN_WRONG_DIR,
	AND(params.dir, DMASTRESS_DIR_BIDIRECTIONAL));
BAD_RUN(wrong_dir_with_oob, params.flags,
	DMASTRESS_RUN_WRONG_DIR | DMASTRESS_RUN_OOB_XFER,
	AND(params.dir, DMASTRESS_DIR_TO_DEVICE));
BAD_RUN(wrong_dir_in_stress, params.flags,
	DMASTRESS_RUN_WRONG_DIR | DMASTRESS_RUN_STRESS, AND(params.live, 1));
BAD_RUN(mmio_on_single, params.attrs, DMASTRESS_ATTR_MMIO, PATH(SINGLE));
BAD_RUN(mmio_on_iova, params.attrs, DMASTRESS_ATTR_MMIO, PATH(IOVA));
BAD_RUN(live_zero, params.live, 0, STRESS);
BAD_RUN(live_too_many, params.live, DMASTRESS_MAX_LIVE + 1, STRESS);
BAD_RUN(paths_unknown, params.paths, 1U << DMASTRESS_NR_PATHS, STRESS);
BAD_RUN(reserved0, params.reserved[0], 1);
BAD_RUN(reserved1, params.reserved[1], 1);
BAD_RUN(reserved2, params.reserved[2], 1);
BAD_RUN(reserved3, params.reserved[3], 1);
BAD_RUN(reserved4, params.reserved[4], 0x80000000U);
BAD_RUN(stale_delay_without_flag, params.stale_delay_us, 10);
BAD_RUN(stale_delay_too_long, params.stale_delay_us,
	DMASTRESS_MAX_STALE_DELAY_US + 1,
	AND(params.flags, DMASTRESS_RUN_STALE_XFER));
BAD_RUN(stale_with_batch, params.flags,
	DMASTRESS_RUN_STALE_XFER | DMASTRESS_RUN_BATCH, AND(params.batch, 2));
BAD_RUN(stale_write_without_stale, params.flags, DMASTRESS_RUN_STALE_WRITE);
BAD_RUN(stale_write_threads, params.flags,
	DMASTRESS_RUN_STALE_XFER | DMASTRESS_RUN_STALE_WRITE,
	AND(params.threads, 2));
BAD_RUN(stale_write_to_device, params.flags,
	DMASTRESS_RUN_STALE_XFER | DMASTRESS_RUN_STALE_WRITE,
	AND(params.dir, DMASTRESS_DIR_TO_DEVICE));
/* output only: zero on input (DMASTRESS_FEATURE(OUT_ZERO)) */
BAD_RUN(out_status, status, 1);
BAD_RUN(out_status_negative, status, -EINVAL);
BAD_RUN(out_ops, result.ops, 1);
BAD_RUN(out_elapsed, result.elapsed_ns, 1ULL << 40);
BAD_RUN(out_phase, result.phase[DMASTRESS_NR_PHASES - 1].max_ns, 1);
BAD_RUN(out_skip_reason, result.skip_reason[0], 'x');
BAD_RUN(out_path_flags, result.path_flags, 1);
BAD_RUN(out_reserved, result.reserved, 1ULL << 63);

/* The valid run every bad_run variant starts from. */
static void base_run(struct dmastress_run *run, __u32 path, __u32 flags,
		     struct dmastress_hist *hists,
		     struct dmastress_path_counts *counts)
{
	dmastress_run_init(run, path, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 1, 0xbad);
	run->params.flags = flags;
	if (flags & DMASTRESS_RUN_BATCH)
		run->params.batch = 1;
	if (flags & DMASTRESS_RUN_STRESS)
		run->params.live = 1;
	if (hists) {
		run->hist_ptr = (__u64)(uintptr_t)hists;
		run->hist_size = sizeof(*hists);
	}
	if (counts) {
		run->counts_ptr = (__u64)(uintptr_t)counts;
		run->counts_size = sizeof(*counts);
	}
}

FIXTURE_SETUP(bad_run)
{
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
	self->hists = calloc(DMASTRESS_NR_HISTS, sizeof(*self->hists));
	ASSERT_TRUE(self->hists != NULL);
}

FIXTURE_TEARDOWN(bad_run)
{
	free(self->hists);
	close(self->fd);
}

TEST_F_TIMEOUT(bad_run, einval_and_no_change, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info after;
	struct dmastress_run before;

	base_run(&self->run, variant->path, variant->flags,
		 variant->hist ? self->hists : NULL,
		 variant->counts ? self->counts : NULL);
	poke(&self->run, variant->off, variant->width, variant->value);
	if (variant->width2)
		poke(&self->run, variant->off2, variant->width2,
		     variant->value2);
	before = self->run;
	/* not _dmastress_run(), which clears the output fields */
	EXPECT_EQ(-EINVAL, _dmastress_ioctl(self->fd, DMASTRESS_IOC_RUN,
					    &self->run));
	/* Nothing ran: nothing was written back. */
	EXPECT_EQ(0, memcmp(&before, &self->run, sizeof(before)));

	dmastress_get_info(self->fd, &after);
	EXPECT_EQ(self->info.dma_mask, after.dma_mask);
	EXPECT_EQ(self->info.coherent_dma_mask, after.coherent_dma_mask);
}

/* ---- good_run: the bases are valid ----------------------------------- */

FIXTURE(good_run) {
	int fd;
};

FIXTURE_VARIANT(good_run) {
	__u32 path;
	__u32 flags;
	bool hist;
	bool counts;
};

FIXTURE_VARIANT_ADD(good_run, plain) {
	.path = DMASTRESS_PATH_SINGLE,
};

FIXTURE_VARIANT_ADD(good_run, hist) {
	.path = DMASTRESS_PATH_SINGLE,
	.hist = true,
};

FIXTURE_VARIANT_ADD(good_run, counts) {
	.path = DMASTRESS_PATH_SINGLE,
	.counts = true,
};

FIXTURE_VARIANT_ADD(good_run, stress_counts) {
	.path = DMASTRESS_PATH_SINGLE,
	.flags = DMASTRESS_RUN_STRESS,
	.counts = true,
};

FIXTURE_VARIANT_ADD(good_run, batch) {
	.path = DMASTRESS_PATH_SINGLE,
	.flags = DMASTRESS_RUN_BATCH,
};

FIXTURE_VARIANT_ADD(good_run, stress) {
	.path = DMASTRESS_PATH_SINGLE,
	.flags = DMASTRESS_RUN_STRESS,
};

FIXTURE_VARIANT_ADD(good_run, pool) {
	.path = DMASTRESS_PATH_POOL,
};

FIXTURE_VARIANT_ADD(good_run, sg) {
	.path = DMASTRESS_PATH_SG,
};

FIXTURE_SETUP(good_run)
{
	dmastress_open(&self->fd);
}

FIXTURE_TEARDOWN(good_run)
{
	close(self->fd);
}

TEST_F_TIMEOUT(good_run, runs, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_path_counts counts[DMASTRESS_NR_PATHS];
	struct dmastress_hist *hists = NULL;
	struct dmastress_run run;
	__u64 ops = 0, bytes = 0, started = 0;
	int i;

	if (variant->hist) {
		hists = calloc(DMASTRESS_NR_HISTS, sizeof(*hists));
		ASSERT_TRUE(hists != NULL);
	}
	memset(counts, 0xa5, sizeof(counts));
	base_run(&run, variant->path, variant->flags, hists,
		 variant->counts ? counts : NULL);
	if (variant->flags & DMASTRESS_RUN_STRESS) {
		/* Every path the cpu engine reaches: all but MMIO. */
		run.params.iterations = 16;
		run.params.paths = ((1U << DMASTRESS_NR_PATHS) - 1) &
				   ~(1U << DMASTRESS_PATH_RESOURCE);
	}
	if (variant->flags & DMASTRESS_RUN_STRESS) {
		/* A draw the path cannot do here is passed over. */
		dmastress_run(self->fd, &run);
		if (run.status || dmastress_run_errors(&run.result))
			dmastress_run_log(&run);
		ASSERT_EQ(0, run.status);
		EXPECT_EQ(0, dmastress_run_errors(&run.result));
		EXPECT_LT(0, run.result.ops);
		EXPECT_GE(run.params.iterations, run.result.ops);
	} else {
		dmastress_run_verified(self->fd, &run);
	}
	if (hists) {
		EXPECT_EQ(run.result.phase[DMASTRESS_PHASE_E2E].count,
			  hists[DMASTRESS_PHASE_E2E].count);
		free(hists);
	}
	if (!variant->counts)
		return;
	/* The per-path books add up to the run's totals. */
	for (i = 0; i < DMASTRESS_NR_PATHS; i++) {
		ops += counts[i].ops;
		bytes += counts[i].bytes;
		started += counts[i].started;
		EXPECT_EQ(0, counts[i].mismatches);
		if (!(variant->flags & DMASTRESS_RUN_STRESS) &&
		    i != variant->path) {
			EXPECT_EQ(0, counts[i].ops);
		}
	}
	EXPECT_EQ(run.result.ops, ops);
	EXPECT_EQ(run.result.bytes, bytes);
	/* Nothing failed: every operation begun was completed. */
	if (variant->flags & DMASTRESS_RUN_STRESS) {
		EXPECT_EQ(ops, started);
	}
}

/* ---- bad_ioctl -------------------------------------------------------- */

struct field_case {
	const char *name;
	unsigned int off, width;
	__u64 value;
};

/*
 * Every case applied alone to a copy of @good must fail with -EINVAL.
 * Returns the number of cases that did not.
 */
static int einval_cases(int fd, unsigned long cmd, const void *good,
			size_t size, const struct field_case *cases,
			size_t ncases)
{
	char buf[1024];
	int bad = 0, ret;
	size_t i;

	for (i = 0; i < ncases; i++) {
		memcpy(buf, good, size);
		poke(buf, cases[i].off, cases[i].width, cases[i].value);
		ret = _dmastress_ioctl(fd, cmd, buf);
		if (ret != -EINVAL) {
			ksft_print_msg("%s: got %d, expected %d\n",
				       cases[i].name, ret, -EINVAL);
			bad++;
		}
	}
	return bad;
}

#define CASE(type, f, v)	{ #f "=" #v, FIELD(type, f), (v) }

FIXTURE(bad_ioctl) {
	int fd;
	size_t page;
};

FIXTURE_SETUP(bad_ioctl)
{
	dmastress_open(&self->fd);
	self->page = dmastress_page_size();
}

FIXTURE_TEARDOWN(bad_ioctl)
{
	close(self->fd);
}

TEST_F_TIMEOUT(bad_ioctl, info_fields, DMASTRESS_TEST_TIMEOUT)
{
#define I(f, v)	CASE(struct dmastress_info, f, v)
	static const struct field_case cases[] = {
		I(size, sizeof(struct dmastress_info) - 1),
		I(size, sizeof(struct dmastress_info) + 1),
		I(size, 0),
		I(reserved[0], 1), I(reserved[1], 1),
		I(reserved[2], 1ULL << 63),
		/* output only */
		I(flags, 1), I(bdf, 1), I(group_type, 1), I(dma_mask, ~0ULL),
		I(max_seg_size, 1), I(engines, 1), I(engine_max_xfer[3], 1),
		I(peer_window_phys, 1), I(features, 1),
	};
#undef I
	struct dmastress_info good = { .size = sizeof(good) };

	EXPECT_EQ(0, einval_cases(self->fd, DMASTRESS_IOC_INFO, &good,
				  sizeof(good), cases, ARRAY_SIZE(cases)));
}

TEST_F_TIMEOUT(bad_ioctl, view_create_fields, DMASTRESS_TEST_TIMEOUT)
{
#define V(f, v)	CASE(struct dmastress_view, f, v)
	static const struct field_case cases[] = {
		V(size, sizeof(struct dmastress_view) - 1),
		V(size, sizeof(struct dmastress_view) + 1),
		V(size, 0),
		V(path, DMASTRESS_PATH_SINGLE),
		V(path, DMASTRESS_PATH_SG),
		V(path, DMASTRESS_NR_PATHS),
		V(path, 0xffffffffU),
		V(len_bytes, 0),
		V(len_bytes, 4095),
		V(len_bytes, 4097),
		V(len_bytes, 64 * DMASTRESS_MIB + 4096),
		V(len_bytes, ~0ULL & ~4095ULL),
		V(reserved[0], 1), V(reserved[1], 1), V(reserved[2], 1),
		V(pad, 1), V(attrs, DMASTRESS_ATTR_NO_WARN),
		/* output only */
		V(flags, DMASTRESS_VIEW_WRONG_PFN), V(id, 1),
		V(mmap_offset, 4096), V(wrong_mmap_offset, 1),
		V(dma_addr, 1), V(phys_addr, 1ULL << 32),
	};
#undef V
	struct dmastress_view good = {
		.size = sizeof(good),
		.path = DMASTRESS_PATH_COHERENT,
		.len_bytes = 4096,
	};
	struct dmastress_view v;
	int i;

	EXPECT_EQ(0, einval_cases(self->fd, DMASTRESS_IOC_VIEW_CREATE, &good,
				  sizeof(good), cases, ARRAY_SIZE(cases)));
	/* Nothing was made: every view slot is still free. */
	for (i = 0; i < DMASTRESS_MAX_VIEWS; i++) {
		dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, 4096,
				      &v);
	}
}

TEST_F_TIMEOUT(bad_ioctl, view_xfer_fields, DMASTRESS_TEST_TIMEOUT)
{
#define X(f, v)	CASE(struct dmastress_view_xfer, f, v)
	static const struct field_case cases[] = {
		X(size, sizeof(struct dmastress_view_xfer) - 1),
		X(size, sizeof(struct dmastress_view_xfer) + 1),
		X(size, 0),
		X(id, DMASTRESS_MAX_VIEWS),
		X(id, 0xffffffffU),
		X(op, 2),
		X(op, 0xffffffffU),
		X(engine, DMASTRESS_NR_ENGINES),
		X(len_bytes, 0),
		X(len_bytes, 8192 + 1),
		X(len_bytes, ~0ULL),
		X(pad, 1),
		X(reserved[0], 1), X(reserved[1], 1), X(reserved[2], 1),
		X(reserved[3], 1),
		/* output only */
		X(mismatches, 1), X(first_mismatch_offset, 1),
		X(first_expected, 1), X(first_actual, 0xff),
		X(device_faults, 1),
	};
#undef X
	struct dmastress_view_xfer good = { .size = sizeof(good) };
	struct dmastress_view_xfer x;
	struct dmastress_view v;
	size_t first;
	void *p = NULL;

	dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, 8192, &v);
	dmastress_mmap(self->fd, v.mmap_offset, 8192, PROT_READ | PROT_WRITE,
		       &p);
	dmastress_pattern_fill(p, 8192, 0xaaaa);
	good.id = v.id;
	good.op = DMASTRESS_VIEW_DEVICE_WRITE;
	good.engine = DMASTRESS_ENGINE_CPU;
	good.seed = 0xbbbb;
	good.len_bytes = 8192;
	EXPECT_EQ(0, einval_cases(self->fd, DMASTRESS_IOC_VIEW_XFER, &good,
				  sizeof(good), cases, ARRAY_SIZE(cases)));
	/* A view that was never created. */
	dmastress_err_view_xfer(ENOENT, self->fd, v.id + 1,
				DMASTRESS_VIEW_DEVICE_WRITE,
				DMASTRESS_ENGINE_CPU, 0xbbbb, 4096, &x);
	/* None of them wrote: the buffer still holds what user space put. */
	EXPECT_EQ(0, dmastress_pattern_check(p, 8192, 0xaaaa, &first));
	/* The good one does. */
	dmastress_view_xfer(self->fd, v.id, DMASTRESS_VIEW_DEVICE_WRITE,
			    DMASTRESS_ENGINE_CPU, 0xbbbb, 8192, &x);
	EXPECT_EQ(0, dmastress_pattern_check(p, 8192, 0xbbbb, &first));
	munmap(p, 8192);
}

TEST_F_TIMEOUT(bad_ioctl, view_destroy_fields, DMASTRESS_TEST_TIMEOUT)
{
#define D(f, v)	CASE(struct dmastress_view_destroy, f, v)
	static const struct field_case cases[] = {
		D(size, sizeof(struct dmastress_view_destroy) - 1),
		D(size, sizeof(struct dmastress_view_destroy) + 1),
		D(size, 0),
		D(id, DMASTRESS_MAX_VIEWS),
		D(id, 0xffffffffU),
		D(reserved[0], 1), D(reserved[1], 1),
	};
#undef D
	struct dmastress_view_destroy good = { .size = sizeof(good) };
	struct dmastress_view v;

	dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, 4096, &v);
	good.id = v.id;
	EXPECT_EQ(0, einval_cases(self->fd, DMASTRESS_IOC_VIEW_DESTROY, &good,
				  sizeof(good), cases, ARRAY_SIZE(cases)));
	dmastress_err_view_destroy(ENOENT, self->fd, v.id + 1);
	/* The view survived all of that. */
	dmastress_view_destroy(self->fd, v.id);
	dmastress_err_view_destroy(ENOENT, self->fd, v.id);
}

TEST_F_TIMEOUT(bad_ioctl, unknown_ioctl_is_enotty, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info info;
	static const unsigned long cmds[] = {
		_IOWR(DMASTRESS_IOC_MAGIC, 0x05, struct dmastress_info),
		_IOWR(DMASTRESS_IOC_MAGIC, 0xff, struct dmastress_info),
		_IO(DMASTRESS_IOC_MAGIC, 0x00),
		_IOR(DMASTRESS_IOC_MAGIC, 0x00, struct dmastress_info),
		_IOW(DMASTRESS_IOC_MAGIC, 0x00, struct dmastress_info),
		_IOWR(DMASTRESS_IOC_MAGIC, 0x00, __u64),
		_IOWR(DMASTRESS_IOC_MAGIC, 0x01, struct dmastress_info),
		_IOWR('x', 0x00, struct dmastress_info),
		0,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		EXPECT_EQ(-ENOTTY, _dmastress_ioctl(self->fd, cmds[i], &info))
			TH_LOG("cmd 0x%lx", cmds[i]);
	}
}

static const unsigned long all_cmds[] = {
	DMASTRESS_IOC_INFO, DMASTRESS_IOC_RUN, DMASTRESS_IOC_VIEW_CREATE,
	DMASTRESS_IOC_VIEW_XFER, DMASTRESS_IOC_VIEW_DESTROY,
};

TEST_F_TIMEOUT(bad_ioctl, null_pointer_is_efault, DMASTRESS_TEST_TIMEOUT)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(all_cmds); i++) {
		EXPECT_EQ(-EFAULT, _dmastress_ioctl(self->fd, all_cmds[i], NULL))
			TH_LOG("cmd 0x%lx", all_cmds[i]);
	}
}

TEST_F_TIMEOUT(bad_ioctl, unmapped_pointer_is_efault, DMASTRESS_TEST_TIMEOUT)
{
	char *p = mmap(NULL, 2 * self->page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(0, munmap(p + self->page, self->page));
	for (i = 0; i < ARRAY_SIZE(all_cmds); i++) {
		/* Entirely unmapped. */
		EXPECT_EQ(-EFAULT, _dmastress_ioctl(self->fd, all_cmds[i],
						    p + self->page))
			TH_LOG("cmd 0x%lx", all_cmds[i]);
		/* A valid size field, the rest of the struct unmapped. */
		*(__u32 *)(p + self->page - 8) = _IOC_SIZE(all_cmds[i]);
		EXPECT_EQ(-EFAULT, _dmastress_ioctl(self->fd, all_cmds[i],
						    p + self->page - 8))
			TH_LOG("straddling, cmd 0x%lx", all_cmds[i]);
	}
	munmap(p, self->page);
}

TEST_F_TIMEOUT(bad_ioctl, read_only_pointer_is_efault, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info *info = mmap(NULL, self->page,
					   PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(info != MAP_FAILED);
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	ASSERT_EQ(0, mprotect(info, self->page, PROT_READ));
	EXPECT_EQ(-EFAULT, _dmastress_ioctl(self->fd, DMASTRESS_IOC_INFO, info));
	munmap(info, self->page);
}

TEST_F_TIMEOUT(bad_ioctl, bad_hist_ptr_is_efault, DMASTRESS_TEST_TIMEOUT)
{
	size_t len = DMASTRESS_NR_HISTS * sizeof(struct dmastress_hist);
	struct dmastress_run run;
	void *p = mmap(NULL, len, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	/* Read-only. */
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_TO_DEVICE, 64, 1, 1);
	run.hist_ptr = (__u64)(uintptr_t)p;
	run.hist_size = sizeof(struct dmastress_hist);
	dmastress_err_run(EFAULT, self->fd, &run);
	/* Unmapped. */
	ASSERT_EQ(0, munmap(p, len));
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_TO_DEVICE, 64, 1, 1);
	run.hist_ptr = (__u64)(uintptr_t)p;
	run.hist_size = sizeof(struct dmastress_hist);
	dmastress_err_run(EFAULT, self->fd, &run);
	/* A kernel address. */
	run.hist_ptr = 0xffffffff81000000ULL;
	dmastress_err_run(EFAULT, self->fd, &run);
	/* The per-path counts, the same. */
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_TO_DEVICE, 64, 1, 1);
	run.counts_ptr = (__u64)(uintptr_t)p;
	run.counts_size = sizeof(struct dmastress_path_counts);
	dmastress_err_run(EFAULT, self->fd, &run);
}

/* Committing a DMA API misuse needs allow_misuse=1: refused by default. */
TEST_F_TIMEOUT(bad_ioctl, misuse_refused_by_default, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_misuse m = {
		.size = sizeof(m),
		.class_id = DMASTRESS_MISUSE_UNMAP_SIZE,
	};
	char val[16];

	if (!dmastress_read_str_file(DMASTRESS_SYSFS_MODULE "/parameters/allow_misuse",
				     val, sizeof(val)) &&
	    (val[0] == 'Y' || val[0] == '1'))
		SKIP(return, "module loaded with allow_misuse=1");
	EXPECT_EQ(-EPERM, _dmastress_ioctl(self->fd, DMASTRESS_IOC_MISUSE, &m));
	EXPECT_EQ(-EPERM, _dmastress_ioctl(self->fd, DMASTRESS_IOC_MISUSE, NULL));
}

TEST_F_TIMEOUT(bad_ioctl, device_node_is_root_only, DMASTRESS_TEST_TIMEOUT)
{
	struct stat st;

	ASSERT_EQ(0, stat(dmastress_dev_path(), &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

/* Runs @fn in a child; returns the child's exit status (errno of open). */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int open_errno(void)
{
	int fd;

	if (_dmastress_open(&fd))
		return errno;
	close(fd);
	return 0;
}

/* Drop CAP_SYS_RAWIO from this process: 0, or 200/201. */
static int drop_rawio(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int i = CAP_TO_INDEX(CAP_SYS_RAWIO);
	__u32 bit = CAP_TO_MASK(CAP_SYS_RAWIO);

	if (syscall(SYS_capget, &hdr, data))
		return 200;
	data[i].effective &= ~bit;
	data[i].permitted &= ~bit;
	data[i].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return 201;
	return 0;
}

/* Root, with CAP_SYS_RAWIO dropped: the driver itself must refuse. */
static int open_without_rawio(void)
{
	int ret = drop_rawio();

	return ret ? ret : open_errno();
}

/*
 * A file opened with CAP_SYS_RAWIO, used after dropping it (as a process
 * the file was passed to would): runs and views work, but physical
 * addresses read 0, and MISUSE and the pitfall view are -EPERM. Returns 0,
 * or which check failed (10..).
 */
static int passed_fd_without_rawio(void)
{
	struct dmastress_info info;
	struct dmastress_view v;
	struct dmastress_run run;
	struct dmastress_misuse m = {
		.size = sizeof(m),
		.class_id = DMASTRESS_MISUSE_UNMAP_SIZE,
	};
	void *p = NULL;
	int fd, ret;

	if (_dmastress_open(&fd))
		return 203;
	ret = drop_rawio();
	if (ret)
		return ret;
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 2, 0xcab);
	if (_dmastress_run(fd, &run) || run.status || !run.result.ops)
		return 10;
	if (!run.result.sample_dma_addr || run.result.sample_phys_addr)
		return 11;
	if (_dmastress_view_create(fd, DMASTRESS_PATH_COHERENT, 4096, &v))
		return 12;
	if (!v.dma_addr || v.phys_addr)
		return 13;
	if (dmastress_dev_info(fd, &info) || info.peer_window_phys)
		return 14;
	if (_dmastress_ioctl(fd, DMASTRESS_IOC_MISUSE, &m) != -EPERM)
		return 15;
	if ((v.flags & DMASTRESS_VIEW_WRONG_PFN) &&
	    _dmastress_mmap(fd, v.wrong_mmap_offset, 4096, PROT_READ, &p) != -EPERM)
		return 16;
	close(fd);
	return 0;
}

/* An ordinary user: permissions (0600 root) or the driver refuse. */
static int open_as_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return 202;
	return open_errno();
}

TEST_F_TIMEOUT(bad_ioctl, open_without_cap_sys_rawio_is_eperm, DMASTRESS_TEST_TIMEOUT)
{
	int ret = in_child(open_without_rawio);

	ASSERT_GT(200, ret) TH_LOG("could not drop CAP_SYS_RAWIO (%d)", ret);
	EXPECT_EQ(EPERM, ret);
}

TEST_F_TIMEOUT(bad_ioctl, passed_fd_gets_no_phys_addr_nor_misuse, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;
	int ret;

	/* the control: with CAP_SYS_RAWIO the run reports the address */
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 2, 0xcab);
	dmastress_run(self->fd, &run);
	ASSERT_EQ(0, run.status);
	EXPECT_NE(0, run.result.sample_phys_addr);
	ret = in_child(passed_fd_without_rawio);
	ASSERT_GT(200, ret) TH_LOG("could not drop CAP_SYS_RAWIO (%d)", ret);
	EXPECT_EQ(0, ret) TH_LOG("check %d failed without CAP_SYS_RAWIO", ret);
}

TEST_F_TIMEOUT(bad_ioctl, open_as_nobody_is_refused, DMASTRESS_TEST_TIMEOUT)
{
	int ret = in_child(open_as_nobody);

	ASSERT_GT(200, ret) TH_LOG("could not become nobody (%d)", ret);
	EXPECT_TRUE(ret == EACCES || ret == EPERM) TH_LOG("open: %d", ret);
}

/* ---- threads ---------------------------------------------------------- */

#define THREADS_ROUNDS	50

struct thread_ctx {
	int fd;
	__u32 seed;
	struct dmastress_info info;
	int failures;
	char first[160];
};

static void thread_fail(struct thread_ctx *t, const char *what, long v)
{
	if (!t->failures++)
		snprintf(t->first, sizeof(t->first), "seed 0x%x: %s: %ld",
			 t->seed, what, v);
}

static void *thread_main(void *arg)
{
	struct thread_ctx *t = arg;
	struct dmastress_view_xfer x;
	struct dmastress_info info;
	struct dmastress_run run;
	struct dmastress_view v;
	size_t first;
	void *p = NULL;
	int i, ret;

	for (i = 0; i < THREADS_ROUNDS; i++) {
		ret = dmastress_dev_info(t->fd, &info);
		if (ret || info.dma_mask != t->info.dma_mask ||
		    info.group_type != t->info.group_type)
			thread_fail(t, "info", ret);

		dmastress_run_init(&run, i % DMASTRESS_NR_PATHS,
				   DMASTRESS_ENGINE_CPU, i % 3,
				   4096 + i, 1, t->seed + i);
		ret = _dmastress_run(t->fd, &run);
		if (ret)
			thread_fail(t, "run", ret);
		else if (run.status == -EOPNOTSUPP)
			;
		else if (run.status || dmastress_run_errors(&run.result))
			thread_fail(t, "run status/errors", run.status);

		ret = _dmastress_view_create(t->fd, DMASTRESS_PATH_COHERENT,
					     8192, &v);
		if (ret) {
			thread_fail(t, "view_create", ret);
			continue;
		}
		ret = _dmastress_mmap(t->fd, v.mmap_offset, 8192,
				      PROT_READ | PROT_WRITE, &p);
		if (ret) {
			thread_fail(t, "mmap", ret);
		} else {
			ret = _dmastress_view_xfer(t->fd, v.id,
						   DMASTRESS_VIEW_DEVICE_WRITE,
						   DMASTRESS_ENGINE_CPU,
						   t->seed + i, 8192, &x);
			if (ret)
				thread_fail(t, "view_xfer", ret);
			else if (dmastress_pattern_check(p, 8192, t->seed + i,
							 &first))
				thread_fail(t, "view data at", first);
			munmap(p, 8192);
		}
		ret = _dmastress_view_destroy(t->fd, v.id);
		if (ret)
			thread_fail(t, "view_destroy", ret);
	}
	return NULL;
}

FIXTURE(threads) {
	struct thread_ctx t[2];
};

FIXTURE_VARIANT(threads) {
	bool shared_fd;
};

FIXTURE_VARIANT_ADD(threads, one_fd) {
	.shared_fd = true,
};

FIXTURE_VARIANT_ADD(threads, fd_each) {
	.shared_fd = false,
};

FIXTURE_SETUP(threads)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (i == 1 && variant->shared_fd) {
			self->t[1].fd = self->t[0].fd;
		} else {
			dmastress_open(&self->t[i].fd);
		}
		dmastress_get_info(self->t[i].fd, &self->t[i].info);
		self->t[i].seed = 0x7100 * (i + 1);
	}
}

FIXTURE_TEARDOWN(threads)
{
	close(self->t[0].fd);
	if (!variant->shared_fd)
		close(self->t[1].fd);
}

TEST_F_TIMEOUT(threads, mixed_ioctls_at_once, 300)
{
	pthread_t tid[2];
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, thread_main,
					    &self->t[i]));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(tid[i], NULL));
	}
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, self->t[i].failures)
			TH_LOG("thread %d: %d failures, first: %s", i,
			       self->t[i].failures, self->t[i].first);
	}
}

DMASTRESS_HARNESS_MAIN
