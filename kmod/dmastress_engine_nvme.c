// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_engine_nvme.c - an NVMe controller as the bus-master
 *
 * dmastress drives the controller itself: bound through driver_override
 * (never while the nvme driver owns it) and only when the module parameter
 * nvme_allow names its BDF, it resets the controller, creates the admin
 * queue and one I/O queue pair per CPU (up to DMASTRESS_NVME_MAX_IOQ, as
 * many as Set Features grants) in coherent memory, polls for completions
 * (every wait has a timeout) and moves a path's bytes with WRITE (the
 * device reads memory) and READ (the device writes memory) commands on
 * namespace 1, whose data pointers are the path's own DMA addresses.
 *
 * A data pointer is a PRP pair or list where the transfer allows it (a
 * dword-aligned start and whole logical blocks), else an SGL where the
 * controller supports SGLs: a data block descriptor for the path's bytes,
 * padded to whole blocks by a zero block (WRITE), or for a READ by a bit
 * bucket where the controller has them, else by a scratch block.
 * The engine's device-side buffer is the namespace's first blocks, a
 * region of DMASTRESS_NVME_MAX_XFER bytes per I/O queue; a transfer takes
 * the queue of the CPU it runs on (the run's kthreads are bound to CPUs
 * round robin), so threads on other CPUs run in parallel; moving
 * bytes between a DMA address and the kernel takes a second command
 * through a coherent staging buffer, as the edu engine does:
 *   MEM_TO_DEV: memory -(WRITE)-> LBAs -(READ)-> staging -> devbuf
 *   DEV_TO_MEM: devbuf -> staging -(WRITE)-> LBAs -(READ)-> memory
 *
 * The engine destroys the data on the blocks it writes. Before it takes a
 * controller it reads the namespace's first MiB and refuses one with a
 * partition table or a filesystem signature there.
 *
 * A controller that sets CSTS.CFS, or a command that does not complete in
 * DMASTRESS_NVME_TIMEOUT_MS, disables the controller: every later transfer
 * fails with -EIO, the status decoded in the log.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dmastress.h"

/* Controller registers (NVMe 1.4, 3.1). */
#define NVME_REG_CAP		0x00
#define NVME_REG_CC		0x14
#define NVME_REG_CSTS		0x1c
#define NVME_REG_AQA		0x24
#define NVME_REG_ASQ		0x28
#define NVME_REG_ACQ		0x30
#define NVME_REG_DBS		0x1000

#define NVME_CC_EN		BIT(0)
#define NVME_CC_IOSQES		(6 << 16)	/* 64-byte commands */
#define NVME_CC_IOCQES		(4 << 20)	/* 16-byte completions */
#define NVME_CSTS_RDY		BIT(0)
#define NVME_CSTS_CFS		BIT(1)

#define NVME_OP_ADMIN_DEL_SQ	0x00
#define NVME_OP_ADMIN_CREATE_SQ	0x01
#define NVME_OP_ADMIN_DEL_CQ	0x04
#define NVME_OP_ADMIN_CREATE_CQ	0x05
#define NVME_OP_ADMIN_IDENTIFY	0x06
#define NVME_OP_ADMIN_SET_FEAT	0x09
#define NVME_FEAT_NUM_QUEUES	0x07
#define NVME_OP_WRITE		0x01
#define NVME_OP_READ		0x02

#define NVME_PSDT_SGL		BIT(14)		/* CDW0: SGL, MPTR contiguous */
#define NVME_SGL_DATA		0x00
#define NVME_SGL_BIT_BUCKET	0x10
#define NVME_SGL_LAST_SEG	0x30

/* Queue entries: admin and each I/O pair. */
#define DMASTRESS_NVME_QDEPTH	16
/* Most I/O queue pairs, one per CPU. */
#define DMASTRESS_NVME_MAX_IOQ	8
/* Largest transfer, bytes: the staging buffer's size (MDTS permitting). */
#define DMASTRESS_NVME_MAX_XFER	SZ_64K
/* One command's wait, and the controller's enable and disable, ms. */
#define DMASTRESS_NVME_TIMEOUT_MS	5000
/* Bytes of the namespace checked for signatures before it is taken. */
#define DMASTRESS_NVME_CHECK_BYTES	SZ_1M

static char *nvme_allow;
module_param(nvme_allow, charp, 0444);
MODULE_PARM_DESC(nvme_allow,
		 "Comma list of NVMe controller BDFs (0000:3b:00.0) the nvme engine may take: it overwrites their namespace 1's first blocks");

/**
 * struct dmastress_nvme_q - a submission and completion queue pair
 * @sq: submission entries, 64 bytes each, coherent
 * @cq: completion entries, 16 bytes each, coherent
 * @sq_dma: DMA address of @sq
 * @cq_dma: DMA address of @cq
 * @qid: queue id, 0 for admin
 * @tail: next submission slot
 * @head: next completion slot
 * @phase: the phase bit a new completion carries
 * @cid: the last command id
 * @lock: serialises the queue's commands and buffers
 * @staging: coherent buffer of DMASTRESS_NVME_MAX_XFER bytes
 * @staging_dma: its DMA address
 * @list: coherent page for a PRP list or an SGL segment
 * @list_dma: its DMA address
 * @slba: first block of the queue's region of the namespace
 */
struct dmastress_nvme_q {
	__le32 *sq;
	__le32 *cq;
	dma_addr_t sq_dma;
	dma_addr_t cq_dma;
	struct mutex lock;	/* the queue and its buffers */
	void *staging;
	dma_addr_t staging_dma;
	__le64 *list;
	dma_addr_t list_dma;
	u64 slba;
	u16 qid;
	u16 tail;
	u16 head;
	u16 phase;
	u16 cid;
};

/**
 * struct dmastress_nvme - one controller the engine drives
 * @regs: BAR0
 * @admin: the admin queue pair
 * @io: the I/O queue pairs
 * @nr_io: entries of @io in use
 * @pad: a coherent zero block, the padding of a partial-block WRITE
 * @pad_dma: its DMA address
 * @scratch: a coherent block that takes a partial-block READ's padding
 *	where the controller has no SGL bit bucket
 * @scratch_dma: its DMA address
 * @dstrd: doorbell stride, bytes
 * @lba_bytes: the namespace's logical block size
 * @nlbas: the namespace's size, blocks
 * @max_xfer: largest transfer, bytes (staging and MDTS)
 * @sgl: the controller supports SGLs (Identify SGLS)
 * @sgl_bitbucket: with bit bucket descriptors
 * @sgl_dword: SGL data blocks must start dword-aligned
 * @dead: a fatal status or a timeout disabled the controller
 * @why: why the engine cannot run, or NULL
 * @prps: transfers with PRPs
 * @sgls: transfers with SGLs
 */
struct dmastress_nvme {
	void __iomem *regs;
	struct dmastress_nvme_q admin;
	struct dmastress_nvme_q io[DMASTRESS_NVME_MAX_IOQ];
	unsigned int nr_io;
	void *pad;
	dma_addr_t pad_dma;
	void *scratch;
	dma_addr_t scratch_dma;
	unsigned int dstrd;
	u32 lba_bytes;
	u64 nlbas;
	size_t max_xfer;
	bool sgl;
	bool sgl_bitbucket;
	bool sgl_dword;
	bool dead;
	const char *why;
	atomic64_t prps;
	atomic64_t sgls;
};

/* Is @bdf in the comma list of nvme_allow? */
static bool dmastress_nvme_allowed(const char *bdf)
{
	const char *p = nvme_allow;
	size_t n = strlen(bdf);

	while (p && *p) {
		if (!strncmp(p, bdf, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static void __iomem *dmastress_nvme_db(struct dmastress_nvme *nv, u16 qid,
				       bool cq)
{
	return nv->regs + NVME_REG_DBS + (2 * qid + cq) * nv->dstrd;
}

/* Wait for CSTS.RDY to become @rdy; -ENODEV on a fatal status. */
static int dmastress_nvme_wait_ready(struct dmastress_nvme *nv, bool rdy)
{
	u32 csts;
	int ret;

	ret = readl_poll_timeout(nv->regs + NVME_REG_CSTS, csts,
				 (csts & NVME_CSTS_CFS) ||
				 !!(csts & NVME_CSTS_RDY) == rdy,
				 1000, DMASTRESS_NVME_TIMEOUT_MS * 1000);
	if (!ret && (csts & NVME_CSTS_CFS))
		return -ENODEV;
	return ret;
}

/*
 * Submit one command on @q and poll for its completion. Returns 0, -EIO
 * with the status decoded in the log, or -ETIMEDOUT (the controller is then
 * disabled: it may still own the buffers, which the caller must not reuse).
 */
static int dmastress_nvme_cmd(struct dmastress_dev *dd,
			      struct dmastress_nvme *nv,
			      struct dmastress_nvme_q *q, __le32 *cmd, u32 *dw0)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(DMASTRESS_NVME_TIMEOUT_MS);
	__le32 *cqe;
	u16 status;

	if (nv->dead)
		return -EIO;
	q->cid++;
	cmd[0] = cpu_to_le32(le32_to_cpu(cmd[0]) | ((u32)q->cid << 16));
	memcpy(&q->sq[q->tail * 16], cmd, 64);
	q->tail = (q->tail + 1) % DMASTRESS_NVME_QDEPTH;
	/* the entry is in coherent memory before the doorbell */
	wmb();
	writel(q->tail, dmastress_nvme_db(nv, q->qid, false));
	cqe = &q->cq[q->head * 4];
	while ((le32_to_cpu(READ_ONCE(cqe[3])) >> 16 & 1) != q->phase) {
		if (readl(nv->regs + NVME_REG_CSTS) & NVME_CSTS_CFS) {
			dev_err(dd->dev, "nvme: controller fatal status, disabled\n");
			nv->dead = true;
			return -EIO;
		}
		if (time_after(jiffies, deadline) || READ_ONCE(dd->gone)) {
			dev_err(dd->dev, "nvme: queue %u command %u timed out, controller disabled\n",
				q->qid, q->cid);
			nv->dead = true;
			return -ETIMEDOUT;
		}
		usleep_range(20, 100);
	}
	dma_rmb();
	status = le32_to_cpu(cqe[3]) >> 17;
	if (dw0)
		*dw0 = le32_to_cpu(cqe[0]);
	q->head = (q->head + 1) % DMASTRESS_NVME_QDEPTH;
	if (!q->head)
		q->phase ^= 1;
	writel(q->head, dmastress_nvme_db(nv, q->qid, true));
	if (status) {
		dev_err(dd->dev, "nvme: queue %u opcode %#x: status type %u code %#x%s\n",
			q->qid, le32_to_cpu(cmd[0]) & 0xff, (status >> 8) & 7,
			status & 0xff, status & BIT(14) ? " (do not retry)" : "");
		return -EIO;
	}
	return 0;
}

static int dmastress_nvme_q_alloc(struct dmastress_dev *dd,
				  struct dmastress_nvme_q *q, u16 qid)
{
	q->qid = qid;
	q->phase = 1;
	mutex_init(&q->lock);
	q->sq = dmam_alloc_coherent(dd->dev, DMASTRESS_NVME_QDEPTH * 64,
				    &q->sq_dma, GFP_KERNEL);
	q->cq = dmam_alloc_coherent(dd->dev, DMASTRESS_NVME_QDEPTH * 16,
				    &q->cq_dma, GFP_KERNEL);
	q->staging = dmam_alloc_coherent(dd->dev, DMASTRESS_NVME_MAX_XFER,
					 &q->staging_dma, GFP_KERNEL);
	q->list = dmam_alloc_coherent(dd->dev, PAGE_SIZE, &q->list_dma,
				      GFP_KERNEL);
	return q->sq && q->cq && q->staging && q->list ? 0 : -ENOMEM;
}

/* A command with PRP1 = @prp1 and the rest zero but @op and @nsid. */
static void dmastress_nvme_cmd_init(__le32 *cmd, u8 op, u32 nsid,
				    dma_addr_t prp1)
{
	memset(cmd, 0, 64);
	cmd[0] = cpu_to_le32(op);
	cmd[1] = cpu_to_le32(nsid);
	cmd[6] = cpu_to_le32(lower_32_bits(prp1));
	cmd[7] = cpu_to_le32(upper_32_bits(prp1));
}

/* Identify (CNS @cns, namespace @nsid) into the staging buffer. */
static int dmastress_nvme_identify(struct dmastress_dev *dd,
				   struct dmastress_nvme *nv, u32 nsid,
				   u32 cns)
{
	__le32 cmd[16];

	dmastress_nvme_cmd_init(cmd, NVME_OP_ADMIN_IDENTIFY, nsid,
				nv->admin.staging_dma);
	cmd[10] = cpu_to_le32(cns);
	return dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, NULL);
}

/* Ask for @want I/O queue pairs; the controller grants what it can. */
static int dmastress_nvme_set_queues(struct dmastress_dev *dd,
				     struct dmastress_nvme *nv,
				     unsigned int want)
{
	__le32 cmd[16];
	u32 dw0;
	int ret;

	dmastress_nvme_cmd_init(cmd, NVME_OP_ADMIN_SET_FEAT, 0, 0);
	cmd[10] = cpu_to_le32(NVME_FEAT_NUM_QUEUES);
	cmd[11] = cpu_to_le32((want - 1) << 16 | (want - 1));
	ret = dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, &dw0);
	if (ret)
		return ret;
	nv->nr_io = min3(want, (dw0 & 0xffff) + 1, (dw0 >> 16) + 1);
	return 0;
}

/* Create queue pair @q (id q->qid, its CQ of the same id). */
static int dmastress_nvme_create_io(struct dmastress_dev *dd,
				    struct dmastress_nvme *nv,
				    struct dmastress_nvme_q *q)
{
	u32 size = (DMASTRESS_NVME_QDEPTH - 1) << 16 | q->qid;
	__le32 cmd[16];
	int ret;

	dmastress_nvme_cmd_init(cmd, NVME_OP_ADMIN_CREATE_CQ, 0, q->cq_dma);
	cmd[10] = cpu_to_le32(size);
	cmd[11] = cpu_to_le32(1);	/* physically contiguous, no interrupt */
	ret = dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, NULL);
	if (ret)
		return ret;
	dmastress_nvme_cmd_init(cmd, NVME_OP_ADMIN_CREATE_SQ, 0, q->sq_dma);
	cmd[10] = cpu_to_le32(size);
	cmd[11] = cpu_to_le32((u32)q->qid << 16 | 1);	/* its CQ, contiguous */
	return dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, NULL);
}

/*
 * Fill @cmd's data pointer for @len bytes at @dma and return the blocks
 * it covers: PRPs when @dma is dword-aligned and @len whole blocks, else
 * an SGL (data block, then a pad: the zero block for a WRITE, a bit bucket
 * for a READ). 0 when neither fits (no SGL support).
 */
static u32 dmastress_nvme_dptr(struct dmastress_nvme *nv,
			       struct dmastress_nvme_q *q, __le32 *cmd,
			       dma_addr_t dma, size_t len, bool write)
{
	u32 nlb = DIV_ROUND_UP(len, nv->lba_bytes);
	size_t pad = (size_t)nlb * nv->lba_bytes - len;
	__le64 *d = q->list;

	if (!pad && IS_ALIGNED(dma, 4)) {
		dma_addr_t first = ALIGN_DOWN(dma, PAGE_SIZE);
		size_t pages = DIV_ROUND_UP(dma + len - first, PAGE_SIZE);
		dma_addr_t prp2 = 0;
		size_t i;

		if (pages == 2) {
			prp2 = first + PAGE_SIZE;
		} else if (pages > 2) {
			for (i = 1; i < pages; i++)
				d[i - 1] = cpu_to_le64(first + i * PAGE_SIZE);
			prp2 = q->list_dma;
		}
		cmd[6] = cpu_to_le32(lower_32_bits(dma));
		cmd[7] = cpu_to_le32(upper_32_bits(dma));
		cmd[8] = cpu_to_le32(lower_32_bits(prp2));
		cmd[9] = cpu_to_le32(upper_32_bits(prp2));
		atomic64_inc(&nv->prps);
		return nlb;
	}
	if (!nv->sgl || (nv->sgl_dword && !IS_ALIGNED(dma, 4)))
		return 0;
	/* the segment: data, and the pad when the length is not whole blocks */
	d[0] = cpu_to_le64(dma);
	d[1] = cpu_to_le64((u64)len | (u64)NVME_SGL_DATA << 56);
	if (pad && !write && nv->sgl_bitbucket) {
		d[2] = 0;
		d[3] = cpu_to_le64((u64)pad | (u64)NVME_SGL_BIT_BUCKET << 56);
	} else if (pad) {
		d[2] = cpu_to_le64(write ? nv->pad_dma : nv->scratch_dma);
		d[3] = cpu_to_le64((u64)pad | (u64)NVME_SGL_DATA << 56);
	}
	cmd[0] = cpu_to_le32(le32_to_cpu(cmd[0]) | NVME_PSDT_SGL);
	cmd[6] = cpu_to_le32(lower_32_bits(q->list_dma));
	cmd[7] = cpu_to_le32(upper_32_bits(q->list_dma));
	cmd[8] = cpu_to_le32(pad ? 32 : 16);
	cmd[9] = cpu_to_le32((u32)NVME_SGL_LAST_SEG << 24);
	atomic64_inc(&nv->sgls);
	return nlb;
}

/* READ or WRITE @len bytes at @dma from or to @q's region of namespace 1. */
static int dmastress_nvme_rw(struct dmastress_dev *dd,
			     struct dmastress_nvme *nv,
			     struct dmastress_nvme_q *q, dma_addr_t dma,
			     size_t len, bool write)
{
	__le32 cmd[16];
	u32 nlb;

	dmastress_nvme_cmd_init(cmd, write ? NVME_OP_WRITE : NVME_OP_READ, 1, 0);
	nlb = dmastress_nvme_dptr(nv, q, cmd, dma, len, write);
	if (!nlb)
		return -EOPNOTSUPP;
	cmd[10] = cpu_to_le32(lower_32_bits(q->slba));
	cmd[11] = cpu_to_le32(upper_32_bits(q->slba));
	cmd[12] = cpu_to_le32(nlb - 1);
	return dmastress_nvme_cmd(dd, nv, q, cmd, NULL);
}

static bool dmastress_nvme_usable(struct dmastress_dev *dd, const char **why)
{
	struct dmastress_nvme *nv = dd->nvme;

	if (!nv) {
		*why = "not an NVMe controller taken by dmastress (nvme_allow=)";
		return false;
	}
	if (nv->why) {
		*why = nv->why;
		return false;
	}
	if (nv->dead) {
		*why = "the NVMe controller was disabled after an error";
		return false;
	}
	return true;
}

static int dmastress_nvme_xfer(struct dmastress_dev *dd, dma_addr_t dma,
			       void *devbuf, size_t len,
			       enum dmastress_xfer_dir dir)
{
	struct dmastress_nvme *nv = dd->nvme;
	struct dmastress_nvme_q *q;
	int ret;

	if (!nv || nv->why || !nv->nr_io || len > nv->max_xfer)
		return -EIO;
	/* the queue of this CPU; another thread may share it: the lock */
	q = &nv->io[raw_smp_processor_id() % nv->nr_io];
	mutex_lock(&q->lock);
	if (dir == DMASTRESS_MEM_TO_DEV) {
		ret = dmastress_nvme_rw(dd, nv, q, dma, len, true);
		if (!ret)
			ret = dmastress_nvme_rw(dd, nv, q, q->staging_dma, len,
						false);
		if (!ret)
			memcpy(devbuf, q->staging, len);
	} else {
		memcpy(q->staging, devbuf, len);
		ret = dmastress_nvme_rw(dd, nv, q, q->staging_dma, len, true);
		if (!ret)
			ret = dmastress_nvme_rw(dd, nv, q, dma, len, false);
	}
	mutex_unlock(&q->lock);
	return ret;
}

/* Signatures at a byte offset of a namespace's first MiB. */
static const struct {
	unsigned int off;
	const char *magic;
	unsigned int len;
	const char *what;
} dmastress_nvme_sigs[] = {
	{ 510, "\x55\xaa", 2, "an MBR or boot sector" },
	{ 512, "EFI PART", 8, "a GPT" },
	{ 1080, "\x53\xef", 2, "an ext2/3/4 superblock" },
	{ 0, "XFSB", 4, "an XFS superblock" },
	{ 65600, "_BHRfS_M", 8, "a btrfs superblock" },
	{ 0, "LUKS\xba\xbe", 6, "a LUKS header" },
	{ 4086, "SWAPSPACE2", 10, "a swap signature" },
};

/*
 * Read the first MiB of namespace 1 and name the first signature found,
 * or NULL. -errno in *@err when the reads fail.
 */
static const char *dmastress_nvme_signature(struct dmastress_dev *dd,
					    struct dmastress_nvme *nv, int *err)
{
	struct dmastress_nvme_q *q = &nv->admin;
	size_t off, i;

	for (off = 0; off < DMASTRESS_NVME_CHECK_BYTES; off += nv->max_xfer) {
		__le32 cmd[16];
		u32 nlb = nv->max_xfer / nv->lba_bytes;

		if (off / nv->lba_bytes + nlb > nv->nlbas)
			break;
		dmastress_nvme_cmd_init(cmd, NVME_OP_READ, 1, 0);
		dmastress_nvme_dptr(nv, &nv->io[0], cmd, q->staging_dma,
				    nv->max_xfer, false);
		cmd[10] = cpu_to_le32(lower_32_bits(off / nv->lba_bytes));
		cmd[11] = cpu_to_le32(upper_32_bits(off / nv->lba_bytes));
		cmd[12] = cpu_to_le32(nlb - 1);
		*err = dmastress_nvme_cmd(dd, nv, &nv->io[0], cmd, NULL);
		if (*err)
			return NULL;
		for (i = 0; i < ARRAY_SIZE(dmastress_nvme_sigs); i++) {
			size_t o = dmastress_nvme_sigs[i].off;

			if (o < off || o + dmastress_nvme_sigs[i].len > off + nv->max_xfer)
				continue;
			if (!memcmp(q->staging + o - off, dmastress_nvme_sigs[i].magic,
				    dmastress_nvme_sigs[i].len))
				return dmastress_nvme_sigs[i].what;
		}
	}
	return NULL;
}

/* Reset, admin queue, Identify, I/O queue pair. */
static int dmastress_nvme_start(struct dmastress_dev *dd,
				struct dmastress_nvme *nv)
{
	u64 cap = lo_hi_readq(nv->regs + NVME_REG_CAP);
	unsigned int mps_min = 12 + ((cap >> 48) & 0xf);
	const u8 *id;
	unsigned int i;
	u32 cc, sgls;
	u8 mdts, flbas;
	int ret;

	if (mps_min > PAGE_SHIFT) {
		nv->why = "the controller's smallest memory page is above PAGE_SIZE";
		return 0;
	}
	nv->dstrd = 4 << ((cap >> 32) & 0xf);
	writel(0, nv->regs + NVME_REG_CC);
	ret = dmastress_nvme_wait_ready(nv, false);
	if (ret)
		return ret;
	ret = dmastress_nvme_q_alloc(dd, &nv->admin, 0);
	if (ret)
		return ret;
	writel((DMASTRESS_NVME_QDEPTH - 1) << 16 | (DMASTRESS_NVME_QDEPTH - 1),
	       nv->regs + NVME_REG_AQA);
	lo_hi_writeq(nv->admin.sq_dma, nv->regs + NVME_REG_ASQ);
	lo_hi_writeq(nv->admin.cq_dma, nv->regs + NVME_REG_ACQ);
	cc = NVME_CC_EN | NVME_CC_IOSQES | NVME_CC_IOCQES |
	     (PAGE_SHIFT - 12) << 7;
	writel(cc, nv->regs + NVME_REG_CC);
	ret = dmastress_nvme_wait_ready(nv, true);
	if (ret)
		return ret;

	ret = dmastress_nvme_identify(dd, nv, 0, 1);	/* the controller */
	if (ret)
		return ret;
	id = nv->admin.staging;
	mdts = id[77];
	sgls = le32_to_cpu(*(const __le32 *)(id + 536));
	nv->sgl = sgls & 3;
	nv->sgl_dword = (sgls & 3) == 2;
	nv->sgl_bitbucket = sgls & BIT(16);
	nv->max_xfer = DMASTRESS_NVME_MAX_XFER;
	if (mdts && mdts + mps_min < 31)
		nv->max_xfer = min_t(size_t, nv->max_xfer, 1UL << (mdts + mps_min));
	ret = dmastress_nvme_identify(dd, nv, 1, 0);	/* namespace 1 */
	if (ret)
		return ret;
	nv->nlbas = le64_to_cpu(*(const __le64 *)id);
	flbas = id[26] & 0xf;
	nv->lba_bytes = 1U << id[128 + 4 * flbas + 2];
	if (!nv->nlbas || nv->lba_bytes < 512 || nv->lba_bytes > PAGE_SIZE ||
	    nv->max_xfer < PAGE_SIZE ||
	    (u64)nv->max_xfer / nv->lba_bytes > nv->nlbas) {
		nv->why = "namespace 1 is missing or smaller than one transfer";
		return 0;
	}
	ret = dmastress_nvme_set_queues(dd, nv,
					min_t(unsigned int, num_online_cpus(),
					      DMASTRESS_NVME_MAX_IOQ));
	if (ret)
		return ret;
	/* a region of the namespace per queue, as far as it goes */
	nv->nr_io = min_t(u64, nv->nr_io,
			  div64_u64(nv->nlbas * nv->lba_bytes,
				    DMASTRESS_NVME_MAX_XFER));
	for (i = 0; i < nv->nr_io; i++) {
		struct dmastress_nvme_q *q = &nv->io[i];

		ret = dmastress_nvme_q_alloc(dd, q, i + 1);
		if (!ret)
			ret = dmastress_nvme_create_io(dd, nv, q);
		if (ret)
			return ret;
		q->slba = (u64)i * (DMASTRESS_NVME_MAX_XFER / nv->lba_bytes);
	}
	return 0;
}

/**
 * dmastress_nvme_init() - take an NVMe controller for the nvme engine
 * @dd: the device, bound to dmastress and enabled
 *
 * Only a controller named in nvme_allow (a driver_override bind); its
 * namespace 1 must carry no partition table or filesystem signature in its
 * first MiB. Otherwise the engine stays unusable with the reason, and the
 * device still serves the cpu engine. Process context (probe).
 *
 * Return: 0 (also when the engine refused the controller), -ENOMEM, or the
 * error of mapping BAR0; a controller that does not come ready logs why.
 */
int dmastress_nvme_init(struct dmastress_dev *dd)
{
	struct pci_dev *pdev = dd->pdev;
	struct dmastress_nvme *nv;
	const char *sig;
	int ret, err = 0;

	if (!pdev || pdev->class != PCI_CLASS_STORAGE_EXPRESS)
		return 0;
	nv = devm_kzalloc(dd->dev, sizeof(*nv), GFP_KERNEL);
	if (!nv)
		return -ENOMEM;
	dd->nvme = nv;
	if (!dmastress_nvme_allowed(pci_name(pdev))) {
		nv->why = "the controller is not named in nvme_allow=";
		dev_info(dd->dev, "nvme engine: %s is not in nvme_allow=: not touched\n",
			 pci_name(pdev));
		return 0;
	}
	nv->regs = dmastress_pcim_iomap_bar(pdev, 0, "dmastress-nvme");
	if (IS_ERR(nv->regs)) {
		ret = PTR_ERR(nv->regs);
		nv->regs = NULL;
		return ret;
	}
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dd->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	nv->pad = dmam_alloc_coherent(dd->dev, PAGE_SIZE, &nv->pad_dma,
				      GFP_KERNEL);
	nv->scratch = dmam_alloc_coherent(dd->dev, PAGE_SIZE, &nv->scratch_dma,
					  GFP_KERNEL);
	if (!nv->pad || !nv->scratch)
		return -ENOMEM;
	ret = dmastress_nvme_start(dd, nv);
	if (ret) {
		dev_err(dd->dev, "nvme engine: the controller did not start (%d)\n",
			ret);
		nv->why = "the NVMe controller did not start";
		return 0;
	}
	if (nv->why)
		return 0;
	sig = dmastress_nvme_signature(dd, nv, &err);
	if (err || sig) {
		nv->why = err ? "reading the namespace failed" :
			  "namespace 1 holds a partition table or filesystem";
		dev_warn(dd->dev, "nvme engine: refused: namespace 1 %s%s: nothing written\n",
			 err ? "could not be read" : "carries ", err ? "" : sig);
		return 0;
	}
	dev_info(dd->dev, "nvme engine: %llu blocks of %u bytes, %u I/O queue pairs, transfers up to %zu bytes, SGLs %s%s%s\n",
		 nv->nlbas, nv->lba_bytes, nv->nr_io, nv->max_xfer,
		 nv->sgl ? "yes" : "no", nv->sgl_dword ? ", dword-aligned" : "",
		 nv->sgl_bitbucket ? ", bit bucket" : "");
	return 0;
}

/**
 * dmastress_nvme_exit() - disable the controller before its memory goes
 * @dd: the device
 *
 * Clears CC.EN (the controller stops fetching) and bus mastering; the
 * coherent queues and buffers are devres-managed. Process context.
 */
void dmastress_nvme_exit(struct dmastress_dev *dd)
{
	struct dmastress_nvme *nv = dd->nvme;

	if (!nv || !nv->regs)
		return;
	writel(0, nv->regs + NVME_REG_CC);
	dmastress_nvme_wait_ready(nv, false);
	pci_clear_master(dd->pdev);
}

/* PRPs and SGLs used since the call before (see &struct dmastress_engine). */
static u32 dmastress_nvme_run_flags(struct dmastress_dev *dd, u64 state[2])
{
	struct dmastress_nvme *nv = dd->nvme;
	u64 prps, sgls;
	u32 flags = 0;

	if (!nv)
		return 0;
	prps = atomic64_read(&nv->prps);
	sgls = atomic64_read(&nv->sgls);
	if (state[0] != U64_MAX && prps > state[0])
		flags |= DMASTRESS_RESULT_NVME_PRP;
	if (state[1] != U64_MAX && sgls > state[1])
		flags |= DMASTRESS_RESULT_NVME_SGL;
	state[0] = prps;
	state[1] = sgls;
	return flags;
}

const struct dmastress_engine dmastress_engine_nvme = {
	.id = DMASTRESS_ENGINE_NVME,
	.max_xfer = DMASTRESS_NVME_MAX_XFER,
	.usable = dmastress_nvme_usable,
	.run_flags = dmastress_nvme_run_flags,
	.xfer = dmastress_nvme_xfer,
};
