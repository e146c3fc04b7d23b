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
 * A path's transfer is split at the controller's MDTS (max_xfer, at most
 * DMASTRESS_NVME_MAX_XFER): each command's data pointer covers as many of
 * the path's DMA segments as fit, as PRPs (a pair or a list) where the
 * segments allow it (the first starts on a dword, the others on a page,
 * all but the last end on one; whole logical blocks), else as an SGL
 * where the controller supports SGLs: a data block descriptor per
 * segment, padded to whole blocks by a zero block (WRITE), or for a READ
 * by a bit bucket where the controller has them, else by a scratch block.
 * The engine's device-side buffer is the namespace's first blocks, a
 * region of max_xfer bytes per I/O queue; a transfer takes the queue of
 * the CPU it runs on (the run's kthreads are bound to CPUs round robin),
 * so threads on other CPUs run in parallel; moving bytes between a DMA
 * address and the kernel takes a second command through a coherent
 * staging buffer, as the edu engine does:
 *   MEM_TO_DEV: memory -(WRITE)-> LBAs -(READ)-> staging -> devbuf
 *   DEV_TO_MEM: devbuf -> staging -(WRITE)-> LBAs -(READ)-> memory
 * The data command alone is timed for DMASTRESS_PHASE_CMD.
 *
 * The engine destroys the data on the blocks it writes. Before it takes a
 * controller it reads the namespace's first MiB and refuses one with a
 * partition table or a filesystem signature there.
 *
 * A controller that sets CSTS.CFS, or a command that does not complete in
 * DMASTRESS_NVME_TIMEOUT_MS, stops the controller (a reset, bus mastering
 * off: dmastress_nvme_kill()) before the command's buffers are freed: every
 * later transfer fails with -EIO until the device is bound again. An unbind
 * lets the command in flight complete.
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
#define NVME_REG_CMBLOC		0x38
#define NVME_REG_CMBSZ		0x3c
#define NVME_REG_CMBMSC		0x50
#define NVME_REG_DBS		0x1000

#define NVME_CAP_CMBS(cap)	(((cap) >> 57) & 1)
#define NVME_CMB_BIR(loc)	((loc) & 0x7)
#define NVME_CMB_OFST(loc)	(((loc) >> 12) & 0xfffff)
#define NVME_CMBSZ_SZU_SHIFT	8
#define NVME_CMBSZ_SZU_MASK	0xf
#define NVME_CMBSZ_SZ_SHIFT	12
#define NVME_CMBSZ_SZ_MASK	0xfffff
#define NVME_CMBMSC_CRE		BIT(0)

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
/*
 * Largest command, bytes: the staging buffer's size and a queue's region
 * of the namespace (MDTS permitting). A PRP list of a command this size
 * (257 entries at 4 KiB pages) fits in the one list page.
 */
#define DMASTRESS_NVME_MAX_XFER	SZ_1M
/* SGL data block descriptors one command takes: the list page, less the pad. */
#define DMASTRESS_NVME_MAX_DESC	(PAGE_SIZE / 16 - 1)
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
 * @staging: coherent buffer of max_xfer bytes (admin: a page)
 * @staging_dma: its DMA address
 * @list: coherent page for a PRP list or an SGL segment (up to
 *	DMASTRESS_NVME_MAX_DESC data descriptors and a pad)
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
 * @dead: a fatal status or a timeout gave a command up and
 *	dmastress_nvme_kill() stopped the controller (until rebind)
 * @why: why the engine cannot run, or NULL
 * @prps: data commands that pointed at the data with PRPs
 * @sgls: data commands that pointed at the data with an SGL
 * @cmb: the controller memory buffer as peer memory for other devices,
 *	registered when the controller has one (dmastress_peer.c)
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
	struct dmastress_peer cmb;
};

/**
 * dmastress_nvme_allowed() - may the nvme engine take this controller?
 * @bdf: its PCI name, "0000:3b:00.0"
 *
 * Any context.
 *
 * Return: true when @bdf is in the comma list of the nvme_allow parameter.
 */
bool dmastress_nvme_allowed(const char *bdf)
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
 * A command is given up (a timeout, a fatal status, or another queue's
 * command given up): the caller is about to unmap and free what it
 * targets, so the controller must own nothing first. Clearing CC.EN resets
 * it, which aborts every command (CSTS.RDY falls, waited for up to
 * DMASTRESS_NVME_TIMEOUT_MS); bus mastering goes off as well, in case it
 * does not. The engine refuses every run until the device is bound again.
 * Process context, sleeps; @why names the cause in the log.
 */
static void dmastress_nvme_kill(struct dmastress_dev *dd,
				struct dmastress_nvme *nv,
				struct dmastress_nvme_q *q, const char *why)
{
	bool first = !xchg(&nv->dead, true);

	writel(0, nv->regs + NVME_REG_CC);
	if (dmastress_nvme_wait_ready(nv, false) == -ETIMEDOUT)
		dev_err(dd->dev, "nvme: the controller is still ready after the reset\n");
	if (dd->pdev)
		pci_clear_master(dd->pdev);
	if (first)
		dev_err(dd->dev, "nvme: queue %u command %u given up (%s): controller reset, bus mastering off until rebind\n",
			q->qid, q->cid, why);
}

/*
 * Submit one command on @q and poll for its completion; *@ns (if set) gets
 * the ns from the doorbell to the completion seen. Returns 0, -EIO with
 * the status decoded in the log (or after a fatal status or another
 * queue's command was given up), or -ETIMEDOUT; on the last two the
 * controller was stopped (dmastress_nvme_kill()) before the return, so the
 * caller may unmap and free the command's buffers. An unbind does not give
 * a command up: it completes (within the timeout) and the run stops at the
 * next op. (Giving it up and resetting the controller under it crashed
 * QEMU 7.2's NVMe model: FINDINGS.)
 *
 * The completion entry is polled in coherent memory with the CPU spinning:
 * a sleep between polls costs more than a command (under TCG a 128 KiB
 * READ completes in ~100 us; usleep_range(20, 100) took ~0.5 ms a command).
 * Once a jiffy the poll reads CSTS (an MMIO read, which under TCG waits for
 * the emulation's lock), checks the timeout and gives up the CPU to whoever
 * needs it.
 */
static int dmastress_nvme_cmd(struct dmastress_dev *dd,
			      struct dmastress_nvme *nv,
			      struct dmastress_nvme_q *q, __le32 *cmd, u32 *dw0,
			      u64 *ns)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(DMASTRESS_NVME_TIMEOUT_MS);
	unsigned long check = jiffies + 1;
	__le32 *cqe;
	u32 csts;
	u16 status;
	u64 t0;

	if (READ_ONCE(nv->dead))
		return -EIO;
	q->cid++;
	cmd[0] = cpu_to_le32(le32_to_cpu(cmd[0]) | ((u32)q->cid << 16));
	memcpy(&q->sq[q->tail * 16], cmd, 64);
	q->tail = (q->tail + 1) % DMASTRESS_NVME_QDEPTH;
	/* the entry is in coherent memory before the doorbell */
	wmb();
	t0 = ktime_get_ns();
	writel(q->tail, dmastress_nvme_db(nv, q->qid, false));
	cqe = &q->cq[q->head * 4];
	while ((le32_to_cpu(READ_ONCE(cqe[3])) >> 16 & 1) != q->phase) {
		if (time_before(jiffies, check)) {
			cpu_relax();
			continue;
		}
		csts = readl(nv->regs + NVME_REG_CSTS);
		if (csts & NVME_CSTS_CFS) {
			dev_err(dd->dev, "nvme: controller fatal status (CSTS %#x: CFS%s) on queue %u command %u\n",
				csts, csts & NVME_CSTS_RDY ? ", RDY" : "",
				q->qid, q->cid);
			dmastress_nvme_kill(dd, nv, q, "fatal status");
			return -EIO;
		}
		if (READ_ONCE(nv->dead)) {
			dmastress_nvme_kill(dd, nv, q, "another queue's command given up");
			return -EIO;
		}
		if (time_after(jiffies, deadline)) {
			dmastress_nvme_kill(dd, nv, q, "timed out");
			return -ETIMEDOUT;
		}
		cond_resched();
		check = jiffies + 1;
	}
	if (ns)
		*ns += ktime_get_ns() - t0;
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
				  struct dmastress_nvme_q *q, u16 qid,
				  size_t staging)
{
	q->qid = qid;
	q->phase = 1;
	mutex_init(&q->lock);
	q->sq = dmam_alloc_coherent(dd->dev, DMASTRESS_NVME_QDEPTH * 64,
				    &q->sq_dma, GFP_KERNEL);
	q->cq = dmam_alloc_coherent(dd->dev, DMASTRESS_NVME_QDEPTH * 16,
				    &q->cq_dma, GFP_KERNEL);
	q->staging = dmam_alloc_coherent(dd->dev, staging, &q->staging_dma,
					 GFP_KERNEL);
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
	return dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, NULL, NULL);
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
	ret = dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, &dw0, NULL);
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
	ret = dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, NULL, NULL);
	if (ret)
		return ret;
	dmastress_nvme_cmd_init(cmd, NVME_OP_ADMIN_CREATE_SQ, 0, q->sq_dma);
	cmd[10] = cpu_to_le32(size);
	cmd[11] = cpu_to_le32((u32)q->qid << 16 | 1);	/* its CQ, contiguous */
	return dmastress_nvme_cmd(dd, nv, &nv->admin, cmd, NULL, NULL);
}

/**
 * struct dmastress_nvme_span - one command's share of a segment list
 * @segs: the segment the span starts in
 * @nsegs: segments from @segs on (the span ends inside the last, or at
 *	its end)
 * @skip: bytes of @segs[0] before the span
 * @len: bytes of the span
 */
struct dmastress_nvme_span {
	const struct dmastress_seg *segs;
	unsigned int nsegs;
	size_t skip;
	size_t len;
};

/* Piece @i of @sp: its DMA address and length, bytes. */
static dma_addr_t dmastress_nvme_piece(const struct dmastress_nvme_span *sp,
				       unsigned int i, size_t *done,
				       size_t *n)
{
	size_t skip = i ? 0 : sp->skip;

	*n = min(sp->segs[i].len - skip, sp->len - *done);
	*done += *n;
	return sp->segs[i].dma + skip;
}

/*
 * Can PRPs describe @sp? The first piece starts dword-aligned, every other
 * on a page, and every piece but the last ends on a page (NVMe 1.4 4.3).
 */
static bool dmastress_nvme_prp_ok(const struct dmastress_nvme_span *sp)
{
	size_t done = 0, n;
	unsigned int i;

	for (i = 0; i < sp->nsegs; i++) {
		dma_addr_t dma = dmastress_nvme_piece(sp, i, &done, &n);

		if (!i && !IS_ALIGNED(dma, 4))
			return false;
		if (i && !PAGE_ALIGNED(dma))
			return false;
		if (i + 1 < sp->nsegs && !PAGE_ALIGNED(dma + n))
			return false;
	}
	return true;
}

/*
 * Fill @cmd's data pointer for @sp and return the blocks it covers: PRPs
 * when they can describe it and it is whole blocks, else an SGL segment in
 * @q's list page (a data block per piece, then a pad: the zero block for a
 * WRITE, a bit bucket or the scratch block for a READ). 0 when neither
 * fits (no SGL support, or SGL data blocks must start on a dword).
 */
static u32 dmastress_nvme_dptr(struct dmastress_nvme *nv,
			       struct dmastress_nvme_q *q, __le32 *cmd,
			       const struct dmastress_nvme_span *sp, bool write)
{
	u32 nlb = DIV_ROUND_UP(sp->len, nv->lba_bytes);
	size_t pad = (size_t)nlb * nv->lba_bytes - sp->len;
	dma_addr_t dma, prp1 = 0, prp2 = 0;
	size_t done = 0, n;
	__le64 *d = q->list;
	unsigned int i, k = 0;

	if (!pad && dmastress_nvme_prp_ok(sp)) {
		for (i = 0; i < sp->nsegs; i++) {
			dma_addr_t a;

			dma = dmastress_nvme_piece(sp, i, &done, &n);
			a = ALIGN_DOWN(dma, PAGE_SIZE);
			if (!i) {
				prp1 = dma;
				a += PAGE_SIZE;
			}
			for (; a < dma + n; a += PAGE_SIZE)
				d[k++] = cpu_to_le64(a);
		}
		if (k == 1)
			prp2 = le64_to_cpu(d[0]);
		else if (k > 1)
			prp2 = q->list_dma;
		cmd[6] = cpu_to_le32(lower_32_bits(prp1));
		cmd[7] = cpu_to_le32(upper_32_bits(prp1));
		cmd[8] = cpu_to_le32(lower_32_bits(prp2));
		cmd[9] = cpu_to_le32(upper_32_bits(prp2));
		return nlb;
	}
	if (!nv->sgl)
		return 0;
	for (i = 0; i < sp->nsegs; i++) {
		dma = dmastress_nvme_piece(sp, i, &done, &n);
		if (nv->sgl_dword && !IS_ALIGNED(dma, 4))
			return 0;
		d[k++] = cpu_to_le64(dma);
		d[k++] = cpu_to_le64((u64)n | (u64)NVME_SGL_DATA << 56);
	}
	if (pad && !write && nv->sgl_bitbucket) {
		d[k++] = 0;
		d[k++] = cpu_to_le64((u64)pad | (u64)NVME_SGL_BIT_BUCKET << 56);
	} else if (pad) {
		d[k++] = cpu_to_le64(write ? nv->pad_dma : nv->scratch_dma);
		d[k++] = cpu_to_le64((u64)pad | (u64)NVME_SGL_DATA << 56);
	}
	cmd[0] = cpu_to_le32(le32_to_cpu(cmd[0]) | NVME_PSDT_SGL);
	cmd[6] = cpu_to_le32(lower_32_bits(q->list_dma));
	cmd[7] = cpu_to_le32(upper_32_bits(q->list_dma));
	cmd[8] = cpu_to_le32(k * 8);
	cmd[9] = cpu_to_le32((u32)NVME_SGL_LAST_SEG << 24);
	return nlb;
}

/*
 * READ or WRITE @sp from or to namespace 1 at block @slba. A data command
 * (@ns set: it gets the command's ns) counts in the controller's PRP or
 * SGL tally; the engine's own staging commands do not.
 */
static int dmastress_nvme_rw(struct dmastress_dev *dd,
			     struct dmastress_nvme *nv,
			     struct dmastress_nvme_q *q,
			     const struct dmastress_nvme_span *sp, u64 slba,
			     bool write, u64 *ns)
{
	__le32 cmd[16];
	u32 nlb;
	int ret;

	dmastress_nvme_cmd_init(cmd, write ? NVME_OP_WRITE : NVME_OP_READ, 1, 0);
	nlb = dmastress_nvme_dptr(nv, q, cmd, sp, write);
	if (!nlb)
		return -EOPNOTSUPP;
	cmd[10] = cpu_to_le32(lower_32_bits(slba));
	cmd[11] = cpu_to_le32(upper_32_bits(slba));
	cmd[12] = cpu_to_le32(nlb - 1);
	ret = dmastress_nvme_cmd(dd, nv, q, cmd, NULL, ns);
	if (!ret && ns)
		atomic64_inc(le32_to_cpu(cmd[0]) & NVME_PSDT_SGL ? &nv->sgls :
								 &nv->prps);
	return ret;
}

/* READ or WRITE the first @len bytes of @q's staging buffer, whole blocks. */
static int dmastress_nvme_rw_staging(struct dmastress_dev *dd,
				     struct dmastress_nvme *nv,
				     struct dmastress_nvme_q *q, u64 slba,
				     size_t len, bool write)
{
	struct dmastress_seg seg = {
		.dma = q->staging_dma,
		.len = ALIGN(len, nv->lba_bytes),
	};
	struct dmastress_nvme_span sp = { .segs = &seg, .nsegs = 1,
					  .len = seg.len };

	return dmastress_nvme_rw(dd, nv, q, &sp, slba, write, NULL);
}

/*
 * The next command's span of @segs from segment *@i, byte *@off on (both
 * advanced past it): up to max_xfer bytes and DMASTRESS_NVME_MAX_DESC
 * pieces; a span that stops for the piece limit ends on a whole block.
 * -EOPNOTSUPP when not one block fits in the piece limit, -EIO when the
 * segments end early.
 */
static int dmastress_nvme_next_span(struct dmastress_nvme *nv,
				    const struct dmastress_seg *segs,
				    unsigned int nsegs, size_t left,
				    unsigned int *i, size_t *off,
				    struct dmastress_nvme_span *sp)
{
	size_t want = min(left, nv->max_xfer), got = 0, o = *off;
	unsigned int j = *i, n = 0;

	while (got < want && j < nsegs && n < DMASTRESS_NVME_MAX_DESC) {
		got += min(segs[j].len - o, want - got);
		n++;
		j++;
		o = 0;
	}
	if (got < want && n == DMASTRESS_NVME_MAX_DESC)
		got = ALIGN_DOWN(got, nv->lba_bytes);
	else if (got < want)
		return -EIO;
	if (!got)
		return -EOPNOTSUPP;
	sp->segs = &segs[*i];
	sp->skip = *off;
	sp->len = got;
	/* advance: the pieces the span touches, and where it stopped */
	for (n = 0, o = *off; got; n++) {
		size_t take = min(segs[*i].len - o, got);

		got -= take;
		o += take;
		if (o == segs[*i].len) {
			(*i)++;
			o = 0;
		}
	}
	sp->nsegs = n;
	*off = o;
	return 0;
}

/*
 * Move @len bytes of @segs in commands of up to max_xfer bytes on the
 * queue of this CPU (another thread may share it: its lock). Each span
 * is one data command on the segments and one on the staging buffer,
 * both on the queue's region of the namespace:
 *   MEM_TO_DEV: segments -(WRITE)-> LBAs -(READ)-> staging -> devbuf
 *   DEV_TO_MEM: devbuf -> staging -(WRITE)-> LBAs -(READ)-> segments
 */
static int dmastress_nvme_xfer_segs(struct dmastress_dev *dd,
				    const struct dmastress_seg *segs,
				    unsigned int nsegs, void *devbuf,
				    size_t len, enum dmastress_xfer_dir dir,
				    u64 *cmd_ns)
{
	struct dmastress_nvme *nv = dd->nvme;
	struct dmastress_nvme_span sp;
	struct dmastress_nvme_q *q;
	size_t done = 0, off = 0;
	unsigned int i = 0;
	int ret = 0;

	if (!nv || nv->why || !nv->nr_io)
		return -EIO;
	q = &nv->io[raw_smp_processor_id() % nv->nr_io];
	mutex_lock(&q->lock);
	while (done < len && !ret) {
		ret = dmastress_nvme_next_span(nv, segs, nsegs, len - done, &i,
					       &off, &sp);
		if (ret)
			break;
		if (dir == DMASTRESS_MEM_TO_DEV) {
			ret = dmastress_nvme_rw(dd, nv, q, &sp, q->slba, true,
						cmd_ns);
			if (!ret)
				ret = dmastress_nvme_rw_staging(dd, nv, q, q->slba,
								sp.len, false);
			if (!ret)
				memcpy(devbuf + done, q->staging, sp.len);
		} else {
			memcpy(q->staging, devbuf + done, sp.len);
			ret = dmastress_nvme_rw_staging(dd, nv, q, q->slba,
							sp.len, true);
			if (!ret)
				ret = dmastress_nvme_rw(dd, nv, q, &sp, q->slba,
							false, cmd_ns);
		}
		done += sp.len;
		if (!ret && done < len && dmastress_engine_interrupted(dd))
			ret = -EINTR;
	}
	mutex_unlock(&q->lock);
	return ret;
}

static int dmastress_nvme_xfer(struct dmastress_dev *dd, dma_addr_t dma,
			       void *devbuf, size_t len,
			       enum dmastress_xfer_dir dir)
{
	struct dmastress_seg seg = { .dma = dma, .len = len };
	u64 ns = 0;

	return dmastress_nvme_xfer_segs(dd, &seg, 1, devbuf, len, dir, &ns);
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
	if (READ_ONCE(nv->dead)) {
		*why = "the NVMe controller was stopped after a command was given up";
		return false;
	}
	return true;
}

/*
 * Without SGLs only PRPs point at data: whole blocks from a dword-aligned
 * start (a stress mix draws lengths and offsets of its own: refused too).
 */
static bool dmastress_nvme_run_usable(struct dmastress_dev *dd,
				      const struct dmastress_run_params *p,
				      const char **why)
{
	const struct dmastress_nvme *nv = dd->nvme;

	if (nv->sgl)
		return true;
	if ((p->flags & DMASTRESS_RUN_STRESS) || p->len_bytes % nv->lba_bytes ||
	    p->offset_bytes % 4) {
		*why = "no SGLs: the controller takes whole blocks at dword offsets";
		return false;
	}
	return true;
}

/* The controller's largest command, bytes (MDTS), 0 when it cannot run. */
static size_t dmastress_nvme_dev_max_xfer(struct dmastress_dev *dd)
{
	const struct dmastress_nvme *nv = dd->nvme;

	return nv && !nv->why && !READ_ONCE(nv->dead) ? nv->max_xfer : 0;
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
	struct dmastress_nvme_q *q = &nv->io[0];
	size_t off, i;

	for (off = 0; off < DMASTRESS_NVME_CHECK_BYTES; off += nv->max_xfer) {
		if ((off + nv->max_xfer) / nv->lba_bytes > nv->nlbas)
			break;
		*err = dmastress_nvme_rw_staging(dd, nv, q, off / nv->lba_bytes,
						 nv->max_xfer, false);
		if (*err)
			return NULL;
		for (i = 0; i < ARRAY_SIZE(dmastress_nvme_sigs); i++) {
			size_t o = dmastress_nvme_sigs[i].off;

			if (o < off ||
			    o + dmastress_nvme_sigs[i].len > off + nv->max_xfer)
				continue;
			if (!memcmp(q->staging + o - off,
				    dmastress_nvme_sigs[i].magic,
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
	ret = dmastress_nvme_q_alloc(dd, &nv->admin, 0, PAGE_SIZE);
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
			  div64_u64(nv->nlbas * nv->lba_bytes, nv->max_xfer));
	for (i = 0; i < nv->nr_io; i++) {
		struct dmastress_nvme_q *q = &nv->io[i];

		ret = dmastress_nvme_q_alloc(dd, q, i + 1, nv->max_xfer);
		if (!ret)
			ret = dmastress_nvme_create_io(dd, nv, q);
		if (ret)
			return ret;
		q->slba = (u64)i * (nv->max_xfer / nv->lba_bytes);
	}
	return 0;
}

/*
 * The controller memory buffer, where the controller has one, as peer
 * memory for the other devices' resource and phys (MMIO) runs: CMBMSC.CRE
 * makes CMBLOC and CMBSZ readable (as the nvme driver's nvme_map_cmb()
 * does); the controller itself never uses it (CMSE stays clear, no queue
 * or data pointer of this engine points there). QEMU: -device
 * nvme,cmb_size_mb=N puts it at BAR2 offset 0. With CONFIG_PCI_P2PDMA
 * its upper half is P2PDMA memory for the p2pdma path instead.
 */
static void dmastress_nvme_cmb(struct dmastress_dev *dd,
			       struct dmastress_nvme *nv)
{
	struct pci_dev *pdev = dd->pdev;
	u64 unit, size, off, p2p = 0;
	unsigned int szu;
	void __iomem *va;
	u32 sz, loc;
	int bir, ret;

	if (!NVME_CAP_CMBS(lo_hi_readq(nv->regs + NVME_REG_CAP)))
		return;
	writel(NVME_CMBMSC_CRE, nv->regs + NVME_REG_CMBMSC);
	sz = readl(nv->regs + NVME_REG_CMBSZ);
	loc = readl(nv->regs + NVME_REG_CMBLOC);
	szu = (sz >> NVME_CMBSZ_SZU_SHIFT) & NVME_CMBSZ_SZU_MASK;
	if (!sz || szu > 6)	/* 4 KiB .. 64 GiB units; the rest is reserved */
		return;
	unit = (u64)SZ_4K << (4 * szu);
	size = unit * ((sz >> NVME_CMBSZ_SZ_SHIFT) & NVME_CMBSZ_SZ_MASK);
	off = unit * NVME_CMB_OFST(loc);
	bir = NVME_CMB_BIR(loc);
	if (!bir || bir >= PCI_STD_NUM_BARS ||
	    !(pci_resource_flags(pdev, bir) & IORESOURCE_MEM) ||
	    off >= pci_resource_len(pdev, bir)) {
		dev_info(dd->dev, "nvme engine: CMB in BAR%d at offset %llu: not usable as peer memory\n",
			 bir, off);
		return;
	}
	size = min_t(u64, size, pci_resource_len(pdev, bir) - off);
	va = dmastress_pcim_iomap_bar(pdev, bir, "dmastress-cmb");
	if (IS_ERR(va)) {
		dev_info(dd->dev, "nvme engine: CMB BAR%d not mapped (%ld)\n",
			 bir, PTR_ERR(va));
		return;
	}
	/*
	 * With P2PDMA, the upper half (whole 2 MiB subsections, which
	 * memremap_pages() needs) is P2PDMA memory, the lower half the
	 * resource path's window.
	 */
	if (IS_ENABLED(CONFIG_PCI_P2PDMA) && size >= 2 * SZ_2M)
		p2p = ALIGN_DOWN(size / 2, SZ_2M);
	ret = dmastress_peer_add(dd, &nv->cmb, va + off,
				 pci_resource_start(pdev, bir) + off, size - p2p);
	if (ret) {
		dev_info(dd->dev, "nvme engine: CMB of %llu bytes refused as peer memory (%d)\n",
			 size, ret);
		return;
	}
	if (p2p)
		dmastress_peer_add_p2p(&nv->cmb, pdev, bir, off + size - p2p, p2p);
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
	dmastress_nvme_cmb(dd, nv);
	return 0;
}

/**
 * dmastress_nvme_exit() - disable the controller before its memory goes
 * @dd: the device
 *
 * Withdraws the CMB's peer window (waiting until other devices' runs
 * give their pieces of it back), clears CC.EN (the controller stops
 * fetching) and bus mastering; the coherent queues and buffers are
 * devres-managed. Process context, sleeps.
 */
void dmastress_nvme_exit(struct dmastress_dev *dd)
{
	struct dmastress_nvme *nv = dd->nvme;

	if (!nv || !nv->regs)
		return;
	dmastress_peer_remove(&nv->cmb);
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
	.run_usable = dmastress_nvme_run_usable,
	.dev_max_xfer = dmastress_nvme_dev_max_xfer,
	.xfer_segs = dmastress_nvme_xfer_segs,
};
