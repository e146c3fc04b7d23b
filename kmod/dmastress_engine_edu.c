// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_engine_edu.c - QEMU's edu device as the bus-master
 *
 * edu has one DMA descriptor (source, destination, count, command) and a
 * 4 KiB device buffer, addressed as 0x40000 in the descriptor and reachable
 * only by edu's own DMA (BAR0 reads there return ~0, writes are dropped).
 * A transfer completes after a 100 ms virtual timer and raises interrupt
 * status bit 0x100 (MSI, or INTx) when asked to. QEMU 7.2 aborts on a
 * 4096-byte transfer, so transfers are at most DMASTRESS_EDU_MAX_XFER
 * bytes. This is the only file that touches edu's registers.
 *
 * Moving bytes between a DMA address and the kernel therefore takes two edu
 * DMAs through a small coherent staging buffer allocated at init:
 *   MEM_TO_DEV: memory -> edu buffer -> staging -> devbuf (memcpy)
 *   DEV_TO_MEM: devbuf -> staging (memcpy) -> edu buffer -> memory
 * Without an IOMMU paging domain the staging buffer comes from below 16 MiB
 * (ZONE_DMA) when it can, so it stays reachable whatever dma_mask edu is
 * given. Behind an IOMMU it is allocated like any other buffer: a low IOVA
 * limit would move the IOVA allocator's 32-bit cache and with it every
 * later mapping below 16 MiB, hiding mask bugs. There the edu device needs
 * a dma_mask of at least 32 bits.
 *
 * edu silently ignores a DMA that does not translate (the IOMMU logs a
 * fault); such an error shows up as a data mismatch, not as -EFAULT.
 *
 * A transfer that does not end within edu_timeout_ms kills the engine
 * (dmastress_edu_kill()): the caller is about to unmap and free the memory
 * it targets, so bus mastering goes off first and stays off until the
 * device is bound again; the edu engine then refuses every run.
 */
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include "dmastress.h"

#define EDU_REG_ID		0x00
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_BUF_OFFSET		0x40000

#define EDU_ID_MAGIC		0xed		/* low byte of the id register */
#define EDU_CMD_START		BIT(0)
#define EDU_CMD_TO_RAM		BIT(1)		/* device buffer -> memory */
#define EDU_CMD_IRQ		BIT(2)
#define EDU_IRQ_DMA		0x100

/* Polling interval while waiting for the engine, us. */
#define EDU_POLL_US		1000
static unsigned int edu_timeout_ms = DMASTRESS_EDU_TIMEOUT_MS;

static int dmastress_set_edu_timeout(const char *val,
				     const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, DMASTRESS_EDU_TIMEOUT_MS);
}

static const struct kernel_param_ops dmastress_edu_timeout_ops = {
	.set = dmastress_set_edu_timeout,
	.get = param_get_uint,
};
module_param_cb(edu_timeout_ms, &dmastress_edu_timeout_ops, &edu_timeout_ms,
		0644);
MODULE_PARM_DESC(edu_timeout_ms,
		 "How long an edu transfer may take, ms (1..5000, default 5000; below edu's 100 ms only to test the timeout)");

/* Staging buffer masks tried, lowest first (0: the device's own). */
static const unsigned int dmastress_edu_staging_bits[] = {
	DMASTRESS_MIN_MASK_BITS, 28, 32, 0,
};

static bool dmastress_edu_usable(struct dmastress_dev *dd, const char **why)
{
	if (dd->is_edu && dd->bar && dd->edu_staging && !READ_ONCE(dd->edu_dead))
		return true;
	*why = READ_ONCE(dd->edu_dead) ?
	       "the edu engine timed out: bus mastering off until rebind" :
	       "the device is not QEMU's edu";
	return false;
}

static irqreturn_t dmastress_edu_irq(int irq, void *data)
{
	struct dmastress_dev *dd = data;
	u32 status = readl(dd->bar + EDU_REG_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;
	writel(status, dd->bar + EDU_REG_IRQ_ACK);
	if (status & EDU_IRQ_DMA)
		complete(&dd->edu_done);
	return IRQ_HANDLED;
}

/* Wait up to @ms until the engine has no transfer running. */
static int dmastress_edu_wait_idle(struct dmastress_dev *dd, unsigned int ms)
{
	u32 cmd;

	return readl_poll_timeout(dd->bar + EDU_REG_DMA_CMD, cmd,
				  !(cmd & EDU_CMD_START), EDU_POLL_US,
				  ms * USEC_PER_MSEC);
}

/*
 * A transfer outlived its timeout, and the caller will unmap and free the
 * memory it targets: turn bus mastering off so that the device reaches no
 * memory any more, wait (bounded) for the engine to give up, and refuse
 * every later transfer until the device is bound again.
 */
static void dmastress_edu_kill(struct dmastress_dev *dd)
{
	WRITE_ONCE(dd->edu_dead, true);
	if (dd->pdev)
		pci_clear_master(dd->pdev);
	if (dmastress_edu_wait_idle(dd, DMASTRESS_EDU_TIMEOUT_MS))
		dev_err(dd->dev, "edu engine dead: still busy with bus mastering off\n");
	else
		dev_err(dd->dev, "edu engine dead: a transfer timed out, bus mastering off until rebind\n");
}

static int dmastress_edu_run(struct dmastress_dev *dd, u64 src, u64 dst,
			     size_t len, u32 cmd)
{
	unsigned int ms = READ_ONCE(edu_timeout_ms);
	int ret;

	if (READ_ONCE(dd->edu_dead))
		return -EIO;
	ret = dmastress_edu_wait_idle(dd, ms);
	if (ret) {
		dev_err_ratelimited(dd->dev, "edu DMA engine stuck busy\n");
		dmastress_edu_kill(dd);
		return ret;
	}
	if (dd->irq >= 0) {
		cmd |= EDU_CMD_IRQ;
		reinit_completion(&dd->edu_done);
	}
	writeq(src, dd->bar + EDU_REG_DMA_SRC);
	writeq(dst, dd->bar + EDU_REG_DMA_DST);
	writeq(len, dd->bar + EDU_REG_DMA_COUNT);
	writeq(cmd | EDU_CMD_START, dd->bar + EDU_REG_DMA_CMD);

	if (dd->irq >= 0 &&
	    !wait_for_completion_timeout(&dd->edu_done, msecs_to_jiffies(ms)))
		dev_warn_ratelimited(dd->dev, "edu DMA: no interrupt in %u ms\n",
				     ms);
	/*
	 * The command register is the truth: polling mode, a lost interrupt,
	 * or a late one from an earlier transfer completing edu_done early.
	 */
	ret = dmastress_edu_wait_idle(dd, ms);
	if (ret) {
		dev_err_ratelimited(dd->dev,
				    "edu DMA timed out (dma %#llx len %zu)\n",
				    (cmd & EDU_CMD_TO_RAM) ? dst : src, len);
		dmastress_edu_kill(dd);
		return -ETIMEDOUT;
	}
	return 0;
}

static int dmastress_edu_xfer(struct dmastress_dev *dd, dma_addr_t dma,
			      void *devbuf, size_t len,
			      enum dmastress_xfer_dir dir)
{
	int ret;

	if (!len)
		return 0;
	if (len > DMASTRESS_EDU_MAX_XFER)
		return -EINVAL;
	ret = mutex_lock_killable(&dd->edu_lock);
	if (ret)
		return ret;
	if (dir == DMASTRESS_MEM_TO_DEV) {
		ret = dmastress_edu_run(dd, dma, EDU_BUF_OFFSET, len, 0);
		if (!ret)
			ret = dmastress_edu_run(dd, EDU_BUF_OFFSET,
						dd->edu_staging_dma, len,
						EDU_CMD_TO_RAM);
		if (!ret)
			memcpy(devbuf, dd->edu_staging, len);
	} else {
		memcpy(dd->edu_staging, devbuf, len);
		ret = dmastress_edu_run(dd, dd->edu_staging_dma,
					EDU_BUF_OFFSET, len, 0);
		if (!ret)
			ret = dmastress_edu_run(dd, EDU_BUF_OFFSET, dma, len,
						EDU_CMD_TO_RAM);
	}
	mutex_unlock(&dd->edu_lock);
	return ret;
}

/*
 * The staging buffer. Without an IOMMU paging domain, as low as the
 * platform gives: edu's DMA mask may be narrower than the driver was told.
 */
static int dmastress_edu_alloc_staging(struct dmastress_dev *dd)
{
	u64 mask = dd->dev->coherent_dma_mask;
	unsigned int i = 0, bits;

	switch (dmastress_group_type(dd->dev)) {
	case DMASTRESS_GROUP_NONE:
	case DMASTRESS_GROUP_IDENTITY:
		break;
	default:
		i = ARRAY_SIZE(dmastress_edu_staging_bits) - 1;
		break;
	}
	for (; i < ARRAY_SIZE(dmastress_edu_staging_bits); i++) {
		bits = dmastress_edu_staging_bits[i];
		if (bits && dma_set_coherent_mask(dd->dev, DMA_BIT_MASK(bits)))
			continue;
		dd->edu_staging = dma_alloc_coherent(dd->dev,
						     DMASTRESS_EDU_MAX_XFER,
						     &dd->edu_staging_dma,
						     GFP_KERNEL | __GFP_NOWARN);
		if (bits)
			dma_set_coherent_mask(dd->dev, mask);
		if (dd->edu_staging)
			return 0;
	}
	return -ENOMEM;
}

/**
 * dmastress_edu_init() - set up the edu engine of a bound device
 * @dd: the device, with @dd->pdev enabled and @dd->bar mapping BAR0
 *
 * Checks the id register, allocates the staging buffer (undone by
 * dmastress_edu_exit()), then asks for one MSI (or INTx) vector; without
 * one the engine polls. Interrupt vector and handler are device-managed.
 * Process context (probe).
 *
 * Return: 0, -ENODEV when BAR0 does not look like edu, -ENOMEM.
 */
int dmastress_edu_init(struct dmastress_dev *dd)
{
	struct pci_dev *pdev = dd->pdev;
	u32 id = readl(dd->bar + EDU_REG_ID);
	int irq, ret;

	mutex_init(&dd->edu_lock);
	init_completion(&dd->edu_done);
	dd->irq = -1;
	if ((id & 0xff) != EDU_ID_MAGIC) {
		dev_err(dd->dev, "edu id register reads %#x\n", id);
		return -ENODEV;
	}
	ret = dmastress_edu_alloc_staging(dd);
	if (ret)
		return ret;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | DMASTRESS_PCI_IRQ_INTX);
	if (ret < 0) {
		dev_warn(dd->dev, "no interrupt (%d), polling\n", ret);
		return 0;
	}
	irq = pci_irq_vector(pdev, 0);
	ret = devm_request_irq(dd->dev, irq, dmastress_edu_irq, IRQF_SHARED,
			       dd->name, dd);
	if (ret) {
		dev_warn(dd->dev, "cannot request irq %d (%d), polling\n", irq,
			 ret);
		return 0;
	}
	dd->irq = irq;
	return 0;
}

/**
 * dmastress_edu_exit() - quiesce the edu engine and free its staging buffer
 * @dd: the device, after a successful dmastress_edu_init()
 *
 * Waits (bounded by DMASTRESS_EDU_TIMEOUT_MS) for a running transfer to end
 * so that no DMA targets memory about to be freed; if it does not end, the
 * staging buffer is leaked rather than freed under the device. Process
 * context.
 */
void dmastress_edu_exit(struct dmastress_dev *dd)
{
	int ret;

	mutex_lock(&dd->edu_lock);
	ret = dmastress_edu_wait_idle(dd, DMASTRESS_EDU_TIMEOUT_MS);
	if (ret)
		dev_err(dd->dev, "edu DMA still running at unbind\n");
	else if (dd->edu_staging)
		dma_free_coherent(dd->dev, DMASTRESS_EDU_MAX_XFER,
				  dd->edu_staging, dd->edu_staging_dma);
	dd->edu_staging = NULL;
	mutex_unlock(&dd->edu_lock);
}

const struct dmastress_engine dmastress_engine_edu = {
	.id = DMASTRESS_ENGINE_EDU,
	.max_xfer = DMASTRESS_EDU_MAX_XFER,
	.usable = dmastress_edu_usable,
	.xfer = dmastress_edu_xfer,
};
