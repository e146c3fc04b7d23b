// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme_kunit.c - KUnit suite dmastress_nvme: every path through the nvme
 * engine
 *
 * An NVMe controller (scripts/kunit attaches one, named in
 * dmastress_kunit.nvme_allow=) is the bus-master: each path's own DMA
 * segments are the data pointers of WRITE and READ commands, every byte
 * verified. 1 byte is an SGL padded to a block, PAGE_SIZE one PRP,
 * SZ_1M + 1 more than QEMU's MDTS (512 KiB): the engine must split it, as
 * the controller refuses a longer command (Invalid Field). Without a
 * controller the cases skip with the reason.
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

static const struct dmastress_kunit_xfer nvme_xfer_cases[] = {
	/* every path: 1 byte, a page, more than MDTS */
	DMASTRESS_KUNIT_XFER(COHERENT, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(COHERENT, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(COHERENT, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(POOL, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(POOL, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(POOL, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(SINGLE, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(SINGLE, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(SINGLE, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(PAGE, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(PAGE, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(PAGE, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(SG, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(SG, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(SG, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(SGTABLE, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(SGTABLE, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(SGTABLE, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(PAGES, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(PAGES, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(PAGES, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(NONCOHERENT, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(NONCONTIG, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(NONCONTIG, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(NONCONTIG, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(PHYS, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(PHYS, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(PHYS, SZ_1M + 1, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_XFER(IOVA, 1, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(IOVA, PAGE_SIZE, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_XFER(IOVA, SZ_1M + 1, BIDIRECTIONAL, NVME),
	/* many segments in one command; an odd start of the first */
	DMASTRESS_KUNIT_SG(SG, SZ_64K, 16, TO_DEVICE, NVME),
	DMASTRESS_KUNIT_SG(SG, SZ_1M, 256, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_AT(SINGLE, 3 * PAGE_SIZE, 3, FROM_DEVICE, NVME),
	DMASTRESS_KUNIT_AT(SG, SZ_64K + 5, 100, BIDIRECTIONAL, NVME),
	DMASTRESS_KUNIT_IOVA(SZ_1M, SZ_4K, 0, UNLINK, FROM_DEVICE, NVME),
};

KUNIT_ARRAY_PARAM_DESC(nvme_xfer, nvme_xfer_cases, desc);

/**
 * struct nvme_dptr_case - a single mapping and the data pointer it needs
 * @desc: case name
 * @len: bytes of the mapping
 * @offset: bytes into its first page (of the CPU buffer: swiotlb=force
 *	hands the device a bounce slot's address, 2 KiB-aligned, instead)
 */
struct nvme_dptr_case {
	const char *desc;
	u64 len;
	u32 offset;
};

static const struct nvme_dptr_case nvme_dptr_cases[] = {
	{ "PAGE_SIZE at 0: PRP1 alone", PAGE_SIZE, 0 },
	{ "16 pages at 0: a PRP list", 16 * PAGE_SIZE, 0 },
	{ "512 bytes at 4: PRP1 at a dword", 512, 4 },
	{ "1 byte: an SGL padded to a block", 1, 0 },
	{ "512 bytes at 1: an SGL where the DMA address is not a dword's", 512,
	  1 },
};

KUNIT_ARRAY_PARAM_DESC(nvme_dptr, nvme_dptr_cases, desc);

/*
 * The controller gets PRPs where they can describe the data (a DMA address
 * on a dword, whole 512-byte blocks: QEMU's namespace) and an SGL
 * otherwise: the run's path_flags name the one the data commands used, and
 * only that one. The rule is applied to the DMA address the mapping gave
 * (the result's sample), which under swiotlb=force is a bounce slot's.
 */
static void nvme_test_dptr(struct kunit *test)
{
	const struct nvme_dptr_case *c = test->param_value;
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd;
	u32 kinds = DMASTRESS_RESULT_NVME_PRP | DMASTRESS_RESULT_NVME_SGL;
	u32 want;

	dd = dmastress_kunit_nvme(test);
	dmastress_kunit_params(&p, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_NVME,
			       DMASTRESS_DIR_BIDIRECTIONAL, c->len);
	p.offset_bytes = c->offset;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
	want = (res.sample_dma_addr & 3) || c->len % 512 ?
	       DMASTRESS_RESULT_NVME_SGL : DMASTRESS_RESULT_NVME_PRP;
	KUNIT_EXPECT_EQ_MSG(test, res.path_flags & kinds, want,
			    "dma 0x%llx, path_flags 0x%x", res.sample_dma_addr,
			    res.path_flags);
}

static struct kunit_case nvme_test_cases[] = {
	KUNIT_CASE_PARAM(dmastress_kunit_xfer_test, nvme_xfer_gen_params),
	KUNIT_CASE_PARAM(nvme_test_dptr, nvme_dptr_gen_params),
	{}
};

static struct kunit_suite nvme_test_suite = {
	.name = "dmastress_nvme",
	.suite_init = dmastress_kunit_suite_init,
	.suite_exit = dmastress_kunit_suite_exit,
	.init = dmastress_kunit_case_init,
	.test_cases = nvme_test_cases,
};

kunit_test_suite(nvme_test_suite);
