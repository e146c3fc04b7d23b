// SPDX-License-Identifier: GPL-2.0-only
/*
 * scatterlist_kunit.c - KUnit suite dmastress_scatterlist: the
 * scatterlist helpers the sg paths stand on
 *
 * sg_alloc_table_from_pages_segment() coalescing, sg_nents_for_len(),
 * sg_pcopy_{from,to}_buffer(), sg_miter_skip() and chained tables. No
 * device is involved. Expected values in the tables are worked out by hand
 * from the functions' kernel-doc, as noted per table.
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

/* Page indices a layout can name: two order-3 blocks, 0-7 and 8-15. */
#define SCATTERLIST_BLOCK_ORDER	3
#define SCATTERLIST_BLOCK_PAGES	BIT(SCATTERLIST_BLOCK_ORDER)
#define SCATTERLIST_MAX_LAYOUT	12

/**
 * struct scatterlist_pages_case - a page array for
 *	sg_alloc_table_from_pages_segment()
 * @desc: case name
 * @layout: page indices: 0-7 are one physically contiguous block, 8-15
 *	another (never adjacent to the first: both are order-3 aligned, and
 *	no layout puts 7 before 8 or 15 before 0)
 * @npages: entries used in @layout
 * @offset: offset into the first page, bytes
 * @size: bytes described (offset + size fills the last page partly or
 *	wholly)
 * @max_segment: longest entry, bytes (rounded down to pages by the kernel)
 * @nents: entries expected: a new one starts at every page that does not
 *	follow its predecessor physically, and after every
 *	max_segment / PAGE_SIZE pages
 */
struct scatterlist_pages_case {
	const char *desc;
	int layout[SCATTERLIST_MAX_LAYOUT];
	unsigned int npages;
	unsigned int offset;
	unsigned long size;
	unsigned int max_segment;
	unsigned int nents;
};

static const struct scatterlist_pages_case scatterlist_pages_cases[] = {
	{ .desc = "1 page, 1 byte", .layout = { 0 }, .npages = 1, .size = 1,
	  .max_segment = UINT_MAX, .nents = 1 },
	{ .desc = "4 contiguous pages coalesce", .layout = { 0, 1, 2, 3 },
	  .npages = 4, .size = 4 * PAGE_SIZE, .max_segment = UINT_MAX,
	  .nents = 1 },
	{ .desc = "4 contiguous pages, max_segment 2 pages",
	  .layout = { 0, 1, 2, 3 }, .npages = 4, .size = 4 * PAGE_SIZE,
	  .max_segment = 2 * PAGE_SIZE, .nents = 2 },
	{ .desc = "8 contiguous pages, max_segment 3 pages",
	  .layout = { 0, 1, 2, 3, 4, 5, 6, 7 }, .npages = 8,
	  .size = 8 * PAGE_SIZE, .max_segment = 3 * PAGE_SIZE, .nents = 3 },
	{ .desc = "3 contiguous pages, max_segment PAGE_SIZE + 1",
	  .layout = { 0, 1, 2 }, .npages = 3, .size = 3 * PAGE_SIZE,
	  .max_segment = PAGE_SIZE + 1, .nents = 3 },
	{ .desc = "two runs of 2 pages", .layout = { 0, 1, 8, 9 },
	  .npages = 4, .size = 4 * PAGE_SIZE, .max_segment = UINT_MAX,
	  .nents = 2 },
	{ .desc = "every other page", .layout = { 0, 2, 4, 6 }, .npages = 4,
	  .size = 4 * PAGE_SIZE, .max_segment = UINT_MAX, .nents = 4 },
	{ .desc = "descending pages do not coalesce",
	  .layout = { 3, 2, 1, 0 }, .npages = 4, .size = 4 * PAGE_SIZE,
	  .max_segment = UINT_MAX, .nents = 4 },
	{ .desc = "offset 100, size 4 pages - 150", .layout = { 0, 1, 2, 3 },
	  .npages = 4, .offset = 100, .size = 4 * PAGE_SIZE - 150,
	  .max_segment = UINT_MAX, .nents = 1 },
	{ .desc = "offset PAGE_SIZE - 1, runs 2+2+2+1, max_segment 2 pages",
	  .layout = { 0, 1, 2, 3, 8, 9, 10 }, .npages = 7,
	  .offset = PAGE_SIZE - 1, .size = 6 * PAGE_SIZE + 1,
	  .max_segment = 2 * PAGE_SIZE, .nents = 4 },
};

KUNIT_ARRAY_PARAM_DESC(scatterlist_pages, scatterlist_pages_cases, desc);

/**
 * struct scatterlist_blocks - the two page blocks a layout points into
 * @block: first page of each order-3 block
 */
struct scatterlist_blocks {
	struct page *block[2];
};

static void scatterlist_blocks_free(void *data)
{
	struct scatterlist_blocks *b = data;

	if (b->block[0])
		__free_pages(b->block[0], SCATTERLIST_BLOCK_ORDER);
	if (b->block[1])
		__free_pages(b->block[1], SCATTERLIST_BLOCK_ORDER);
}

KUNIT_DEFINE_ACTION_WRAPPER(scatterlist_sg_free_table, sg_free_table,
			    struct sg_table *);

/*
 * sg_alloc_table_from_pages_segment() coalesces physically consecutive
 * pages, splits at max_segment, and describes exactly offset..offset+size:
 * the entry count is as expected, each entry is within max_segment and
 * within its run of pages, and the entries add up to size starting at
 * offset in the first page.
 */
static void scatterlist_test_from_pages_segment(struct kunit *test)
{
	const struct scatterlist_pages_case *c = test->param_value;
	unsigned long max = ALIGN_DOWN(c->max_segment, PAGE_SIZE);
	struct scatterlist_blocks *b;
	struct scatterlist *sg;
	struct page **pages;
	struct sg_table *sgt;
	unsigned long total = 0;
	unsigned int i, page = 0;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->block[0] = alloc_pages(GFP_KERNEL, SCATTERLIST_BLOCK_ORDER);
	b->block[1] = alloc_pages(GFP_KERNEL, SCATTERLIST_BLOCK_ORDER);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							scatterlist_blocks_free,
							b), 0);
	KUNIT_ASSERT_NOT_NULL(test, b->block[0]);
	KUNIT_ASSERT_NOT_NULL(test, b->block[1]);

	pages = kunit_kcalloc(test, c->npages, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < c->npages; i++) {
		unsigned int n = c->layout[i];

		pages[i] = dmastress_nth_page(b->block[n / SCATTERLIST_BLOCK_PAGES],
					      n % SCATTERLIST_BLOCK_PAGES);
	}

	sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages_segment(sgt, pages,
								c->npages,
								c->offset,
								c->size,
								c->max_segment,
								GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							scatterlist_sg_free_table,
							sgt), 0);

	KUNIT_EXPECT_EQ(test, sgt->orig_nents, c->nents);
	for_each_sgtable_sg(sgt, sg, i) {
		unsigned int span = DIV_ROUND_UP(sg->offset + sg->length,
						 PAGE_SIZE);
		unsigned int k;

		KUNIT_EXPECT_LE_MSG(test, sg->length, max, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, sg->offset, i ? 0 : c->offset,
				    "entry %u", i);
		KUNIT_ASSERT_LE_MSG(test, page + span, c->npages,
				    "entry %u runs past the pages", i);
		KUNIT_EXPECT_PTR_EQ_MSG(test, sg_page(sg), pages[page],
					"entry %u", i);
		for (k = 1; k < span; k++)
			KUNIT_EXPECT_EQ_MSG(test, page_to_pfn(pages[page + k]),
					    page_to_pfn(pages[page]) + k,
					    "entry %u coalesced page %u", i, k);
		page += span;
		total += sg->length;
	}
	KUNIT_EXPECT_EQ(test, total, c->size);
}

/* Entry lengths of the fixed table used by the cases below. */
static const unsigned int scatterlist_lengths[] = { 100, PAGE_SIZE, 1, 3000 };
#define SCATTERLIST_NENTS	ARRAY_SIZE(scatterlist_lengths)
#define SCATTERLIST_TOTAL	(100 + PAGE_SIZE + 1 + 3000)

/**
 * struct scatterlist_table - the fixed four-entry table, one page each
 * @sg: the entries
 * @pages: their pages
 */
struct scatterlist_table {
	struct scatterlist sg[SCATTERLIST_NENTS];
	struct page *pages[SCATTERLIST_NENTS];
};

static void scatterlist_table_free(void *data)
{
	struct scatterlist_table *t = data;
	unsigned int i;

	for (i = 0; i < SCATTERLIST_NENTS; i++)
		if (t->pages[i])
			__free_page(t->pages[i]);
}

/*
 * Entries of scatterlist_lengths[] bytes at offsets 0, 0, PAGE_SIZE - 1
 * and 7 of their own zeroed pages (offset + length fits in each page).
 */
static struct scatterlist_table *scatterlist_table_make(struct kunit *test)
{
	static const unsigned int offsets[] = { 0, 0, PAGE_SIZE - 1, 7 };
	struct scatterlist_table *t;
	unsigned int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							scatterlist_table_free,
							t), 0);
	sg_init_table(t->sg, SCATTERLIST_NENTS);
	for (i = 0; i < SCATTERLIST_NENTS; i++) {
		t->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, t->pages[i]);
		sg_set_page(&t->sg[i], t->pages[i], scatterlist_lengths[i],
			    offsets[i]);
	}
	return t;
}

/**
 * struct scatterlist_len_case - a length asked of sg_nents_for_len()
 * @desc: case name
 * @len: bytes
 * @nents: expected: entries whose lengths first add up to @len, 0 for
 *	@len 0, -EINVAL past the table
 */
struct scatterlist_len_case {
	const char *desc;
	u64 len;
	int nents;
};

static const struct scatterlist_len_case scatterlist_len_cases[] = {
	{ .desc = "0 bytes", .len = 0, .nents = 0 },
	{ .desc = "1 byte", .len = 1, .nents = 1 },
	{ .desc = "first entry", .len = 100, .nents = 1 },
	{ .desc = "first entry + 1", .len = 101, .nents = 2 },
	{ .desc = "two entries", .len = 100 + PAGE_SIZE, .nents = 2 },
	{ .desc = "two entries + 1", .len = 101 + PAGE_SIZE, .nents = 3 },
	{ .desc = "three entries + 1", .len = 102 + PAGE_SIZE, .nents = 4 },
	{ .desc = "whole table", .len = SCATTERLIST_TOTAL,
	  .nents = SCATTERLIST_NENTS },
	{ .desc = "whole table + 1", .len = SCATTERLIST_TOTAL + 1,
	  .nents = -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(scatterlist_len, scatterlist_len_cases, desc);

/* sg_nents_for_len() counts the entries a length needs, or -EINVAL. */
static void scatterlist_test_nents_for_len(struct kunit *test)
{
	const struct scatterlist_len_case *c = test->param_value;
	struct scatterlist_table *t = scatterlist_table_make(test);

	KUNIT_EXPECT_EQ(test, sg_nents_for_len(t->sg, c->len), c->nents);
}

/**
 * struct scatterlist_copy_case - a window of the fixed table
 * @desc: case name
 * @skip: bytes skipped from the table's start
 * @len: bytes asked for; what is copied is min(@len, total - @skip)
 */
struct scatterlist_copy_case {
	const char *desc;
	size_t skip;
	size_t len;
};

static const struct scatterlist_copy_case scatterlist_copy_cases[] = {
	{ .desc = "first byte", .skip = 0, .len = 1 },
	{ .desc = "across entries 0 and 1", .skip = 99, .len = 2 },
	{ .desc = "across the 1-byte entry", .skip = 99 + PAGE_SIZE,
	  .len = 3 },
	{ .desc = "whole table", .skip = 0, .len = SCATTERLIST_TOTAL },
	{ .desc = "inside the last entry", .skip = 102 + PAGE_SIZE,
	  .len = 2000 },
	{ .desc = "past the end, clipped", .skip = SCATTERLIST_TOTAL - 1,
	  .len = 5 },
	{ .desc = "at the end, nothing", .skip = SCATTERLIST_TOTAL, .len = 1 },
};

KUNIT_ARRAY_PARAM_DESC(scatterlist_copy, scatterlist_copy_cases, desc);

/*
 * sg_pcopy_from_buffer() writes exactly bytes skip..skip+n of the table
 * (n clipped at its end) and sg_pcopy_to_buffer() reads the same bytes
 * back; the rest of the table stays zero.
 */
static void scatterlist_test_pcopy(struct kunit *test)
{
	const struct scatterlist_copy_case *c = test->param_value;
	struct scatterlist_table *t = scatterlist_table_make(test);
	size_t want = c->skip < SCATTERLIST_TOTAL ?
		      min(c->len, SCATTERLIST_TOTAL - c->skip) : 0;
	struct dmastress_verify v = {};
	u8 *src, *all, *back;
	size_t n;

	src = kunit_kzalloc(test, c->len, GFP_KERNEL);
	all = kunit_kzalloc(test, SCATTERLIST_TOTAL, GFP_KERNEL);
	back = kunit_kzalloc(test, c->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, all);
	KUNIT_ASSERT_NOT_NULL(test, back);
	dmastress_pattern_fill(src, c->len, 0x5c, c->skip);

	n = sg_pcopy_from_buffer(t->sg, SCATTERLIST_NENTS, src, c->len,
				 c->skip);
	KUNIT_EXPECT_EQ(test, n, want);
	n = sg_copy_to_buffer(t->sg, SCATTERLIST_NENTS, all,
			      SCATTERLIST_TOTAL);
	KUNIT_ASSERT_EQ(test, n, SCATTERLIST_TOTAL);
	KUNIT_EXPECT_NULL(test, memchr_inv(all, 0, min(c->skip,
						       SCATTERLIST_TOTAL)));
	dmastress_pattern_check(all + c->skip, want, 0x5c, c->skip, &v);
	KUNIT_EXPECT_EQ_MSG(test, v.mismatches, 0, "at offset %llu",
			    v.first_offset);
	if (c->skip + want < SCATTERLIST_TOTAL)
		KUNIT_EXPECT_NULL(test,
				  memchr_inv(all + c->skip + want, 0,
					     SCATTERLIST_TOTAL - c->skip - want));

	n = sg_pcopy_to_buffer(t->sg, SCATTERLIST_NENTS, back, c->len,
			       c->skip);
	KUNIT_EXPECT_EQ(test, n, want);
	KUNIT_EXPECT_EQ(test, memcmp(back, src, want), 0);
}

/**
 * struct scatterlist_skip_case - an offset for sg_miter_skip()
 * @desc: case name
 * @skip: bytes
 * @valid: sg_miter_next() finds a byte there (inside the table)
 */
struct scatterlist_skip_case {
	const char *desc;
	size_t skip;
	bool valid;
};

static const struct scatterlist_skip_case scatterlist_skip_cases[] = {
	{ .desc = "0", .skip = 0, .valid = true },
	{ .desc = "last byte of entry 0", .skip = 99, .valid = true },
	{ .desc = "start of entry 1", .skip = 100, .valid = true },
	{ .desc = "the 1-byte entry", .skip = 100 + PAGE_SIZE, .valid = true },
	{ .desc = "last byte", .skip = SCATTERLIST_TOTAL - 1, .valid = true },
	{ .desc = "the end", .skip = SCATTERLIST_TOTAL },
};

KUNIT_ARRAY_PARAM_DESC(scatterlist_skip, scatterlist_skip_cases, desc);

/*
 * After sg_miter_skip(skip), sg_miter_next() maps the table's byte at
 * skip (the table holds a pattern by stream offset) with the rest of its
 * entry, or reports the end.
 */
static void scatterlist_test_miter_skip(struct kunit *test)
{
	const struct scatterlist_skip_case *c = test->param_value;
	struct scatterlist_table *t = scatterlist_table_make(test);
	struct sg_mapping_iter miter;
	size_t left = 0, n = 0;
	unsigned int i;
	u8 *src;
	bool more;

	src = kunit_kzalloc(test, SCATTERLIST_TOTAL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	dmastress_pattern_fill(src, SCATTERLIST_TOTAL, 0x77, 0);
	KUNIT_ASSERT_EQ(test, sg_copy_from_buffer(t->sg, SCATTERLIST_NENTS, src,
						  SCATTERLIST_TOTAL),
			SCATTERLIST_TOTAL);
	for (i = 0; i < SCATTERLIST_NENTS && n <= c->skip; i++) {
		n += scatterlist_lengths[i];
		left = n - c->skip;
	}

	sg_miter_start(&miter, t->sg, SCATTERLIST_NENTS, SG_MITER_FROM_SG);
	more = sg_miter_skip(&miter, c->skip) && sg_miter_next(&miter);
	KUNIT_EXPECT_EQ(test, more, c->valid);
	if (more && c->valid) {
		KUNIT_EXPECT_EQ(test, *(u8 *)miter.addr,
				dmastress_pattern_byte(0x77, c->skip));
		KUNIT_EXPECT_EQ(test, miter.length, left);
	}
	sg_miter_stop(&miter);
}

/**
 * struct scatterlist_chain_case - a table of n entries
 * @desc: case name
 * @nents: entries; more than SG_MAX_SINGLE_ALLOC chains
 */
struct scatterlist_chain_case {
	const char *desc;
	unsigned int nents;
};

static const struct scatterlist_chain_case scatterlist_chain_cases[] = {
	{ .desc = "1 entry", .nents = 1 },
	{ .desc = "SG_MAX_SINGLE_ALLOC entries", .nents = SG_MAX_SINGLE_ALLOC },
	{ .desc = "SG_MAX_SINGLE_ALLOC + 1 entries, chained",
	  .nents = SG_MAX_SINGLE_ALLOC + 1 },
	{ .desc = "1000 entries, chained", .nents = 1000 },
};

KUNIT_ARRAY_PARAM_DESC(scatterlist_chain, scatterlist_chain_cases, desc);

/*
 * sg_alloc_table() chains past SG_MAX_SINGLE_ALLOC entries: walking the
 * table visits every entry once, in order, sg_nents() counts them and
 * sg_last() is the last one walked.
 */
static void scatterlist_test_chain(struct kunit *test)
{
	const struct scatterlist_chain_case *c = test->param_value;
	struct scatterlist *sg, *last = NULL;
	struct sg_table *sgt;
	unsigned int i, seen = 0;

	sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table(sgt, c->nents, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							scatterlist_sg_free_table,
							sgt), 0);

	for_each_sgtable_sg(sgt, sg, i) {
		sg->length = i + 1;	/* the walk order, read back below */
		last = sg;
	}
	KUNIT_EXPECT_EQ(test, sgt->orig_nents, c->nents);
	KUNIT_EXPECT_EQ(test, sg_nents(sgt->sgl), c->nents);
	KUNIT_EXPECT_PTR_EQ(test, sg_last(sgt->sgl, sgt->orig_nents), last);
	for (sg = sgt->sgl; sg; sg = sg_next(sg))
		KUNIT_EXPECT_EQ(test, sg->length, ++seen);
	KUNIT_EXPECT_EQ(test, seen, c->nents);
	KUNIT_EXPECT_TRUE(test, sg_is_last(last));
}

/*
 * Two arrays joined by hand with sg_chain(): the chain entry is skipped by
 * the walk, which goes on into the second array and ends at its marked
 * last entry.
 */
static void scatterlist_test_manual_chain(struct kunit *test)
{
	struct scatterlist *a, *b, *sg;
	unsigned int i, seen = 0;

	a = kunit_kcalloc(test, 4, sizeof(*a), GFP_KERNEL);
	b = kunit_kcalloc(test, 3, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	sg_init_table(a, 4);
	sg_init_table(b, 3);
	sg_chain(a, 4, b);
	for (i = 0; i < 3; i++)
		a[i].length = i + 1;
	for (i = 0; i < 3; i++)
		b[i].length = i + 4;

	KUNIT_EXPECT_TRUE(test, sg_is_chain(&a[3]));
	KUNIT_EXPECT_EQ(test, sg_nents(a), 6);
	for (sg = a; sg; sg = sg_next(sg))
		KUNIT_EXPECT_EQ(test, sg->length, ++seen);
	KUNIT_EXPECT_EQ(test, seen, 6);
	KUNIT_EXPECT_PTR_EQ(test, sg_last(a, 6), &b[2]);
	KUNIT_EXPECT_EQ(test, sg_nents_for_len(a, 1 + 2 + 3 + 4), 4);
}

static struct kunit_case scatterlist_test_cases[] = {
	KUNIT_CASE_PARAM(scatterlist_test_from_pages_segment,
			 scatterlist_pages_gen_params),
	KUNIT_CASE_PARAM(scatterlist_test_nents_for_len,
			 scatterlist_len_gen_params),
	KUNIT_CASE_PARAM(scatterlist_test_pcopy, scatterlist_copy_gen_params),
	KUNIT_CASE_PARAM(scatterlist_test_miter_skip,
			 scatterlist_skip_gen_params),
	KUNIT_CASE_PARAM(scatterlist_test_chain, scatterlist_chain_gen_params),
	KUNIT_CASE(scatterlist_test_manual_chain),
	{}
};

static struct kunit_suite scatterlist_test_suite = {
	.name = "dmastress_scatterlist",
	.init = dmastress_kunit_case_init,
	.test_cases = scatterlist_test_cases,
};

kunit_test_suite(scatterlist_test_suite);
