// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_misuse.c - DMASTRESS_IOC_MISUSE: commit one DMA API misuse on
 * purpose, so that user space can check that CONFIG_DMA_API_DEBUG counts
 * it (dma-api/error_count) and names it in the kernel log.
 *
 * Every class is chosen so that the real DMA layer underneath does no harm:
 * sizes that differ keep the same page count (the IOMMU unmaps exactly
 * what it mapped, swiotlb frees by its own recorded size); wrong
 * directions only bounce a copy that equals its original; out-of-range
 * syncs go to a dma_map_resource() mapping of the edu BAR, which nothing
 * bounces; unmapping an address that was never mapped is done only with
 * dma-direct, where it is a no-op (an IOMMU DMA domain would WARN and
 * unmap nothing); lowered segment limits are restored before return.
 * Everything mapped is unmapped before return, with one exception:
 * HELD_AT_UNBIND keeps its mapping until the next probe or module unload,
 * so that unbinding the device shows dma-debug's leak report.
 *
 * Only with the module parameter allow_misuse=1 (dmastress_main.c) and
 * CONFIG_DMA_API_DEBUG; the ioctl checks both.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#include "dmastress.h"

/* Order of the buffer each class works on: four pages. */
#define DMASTRESS_MISUSE_ORDER		2
/* sg entries of the SYNC_SG_NENTS class: mapped with all, synced with one less. */
#define DMASTRESS_MISUSE_SG_NENTS	4
/* Bytes unmapped short by UNMAP_SIZE: less than a page, so the same pages. */
#define DMASTRESS_MISUSE_SHORT		96

/* A mapping kept by HELD_AT_UNBIND until the next probe or unload. */
struct dmastress_held {
	struct list_head node;
	struct device *dev;
	void *buf;
	dma_addr_t dma;
};

static LIST_HEAD(dmastress_held_list);
static unsigned int dmastress_nr_held;
static DEFINE_MUTEX(dmastress_held_lock);

/* One misuse being committed. */
struct dmastress_misuse_ctx {
	struct dmastress_dev *dd;
	struct device *dev;
	struct dmastress_misuse *m;
	void *buf;
};

static int dmastress_misuse_skip(struct dmastress_misuse_ctx *c,
				 const char *why)
{
	strscpy(c->m->reason, why, sizeof(c->m->reason));
	return -EOPNOTSUPP;
}

#define DMASTRESS_WHY_IOMMU	"IOMMU DMA domain: iommu_dma_unmap_page() would WARN"
#define DMASTRESS_WHY_BOUNDARY	"swiotlb=force keeps bounce slots within the boundary"
#define DMASTRESS_WHY_VMAP	"CONFIG_VMAP_STACK: dma_map_single() refuses it, WARN"
#define DMASTRESS_WHY_IOVA_API	"the IOVA API needs Linux 6.16"
#define DMASTRESS_WHY_NO_IOVA	"dma_iova_try_alloc() false: no translating domain"
#define DMASTRESS_WHY_PAST_END	"not caught, not committed: link does not check the size"
#define DMASTRESS_WHY_TWICE	"not caught, not committed: the IOVA is freed twice"

/* dma-direct (no IOMMU DMA domain): unmapping a stray address is a no-op. */
static bool dmastress_misuse_direct(struct dmastress_dev *dd)
{
	u32 type = dmastress_group_type(dd->dev);

	return type == DMASTRESS_GROUP_NONE || type == DMASTRESS_GROUP_IDENTITY;
}

/* A correct dma_map_single() of the first @len bytes of the buffer. */
static int dmastress_misuse_map(struct dmastress_misuse_ctx *c, size_t len,
				enum dma_data_direction dir, dma_addr_t *dma)
{
	*dma = dma_map_single(c->dev, c->buf, len, dir);
	if (dma_mapping_error(c->dev, *dma))
		return -EIO;
	return 0;
}

/* A correct dma_map_resource() of the first page of BAR0. */
static int dmastress_misuse_map_bar(struct dmastress_misuse_ctx *c,
				    dma_addr_t *dma)
{
	if (!c->dd->bar_phys || c->dd->bar_len < PAGE_SIZE)
		return dmastress_misuse_skip(c, "no memory BAR to map as a resource");
	*dma = dma_map_resource(c->dev, c->dd->bar_phys, PAGE_SIZE,
				DMA_BIDIRECTIONAL, 0);
	if (dma_mapping_error(c->dev, *dma))
		return dmastress_misuse_skip(c, "dma_map_resource() refused the BAR");
	return 0;
}

static int dmastress_misuse_unmap_size(struct dmastress_misuse_ctx *c)
{
	dma_addr_t dma;
	int ret;

	ret = dmastress_misuse_map(c, PAGE_SIZE, DMA_TO_DEVICE, &dma);
	if (ret)
		return ret;
	dma_unmap_single(c->dev, dma, PAGE_SIZE - DMASTRESS_MISUSE_SHORT,
			 DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_unmap_dir(struct dmastress_misuse_ctx *c)
{
	dma_addr_t dma;
	int ret;

	ret = dmastress_misuse_map(c, PAGE_SIZE, DMA_BIDIRECTIONAL, &dma);
	if (ret)
		return ret;
	dma_unmap_single(c->dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_wrong_func(struct dmastress_misuse_ctx *c)
{
	dma_addr_t dma;
	int ret;

	ret = dmastress_misuse_map_bar(c, &dma);
	if (ret)
		return ret;
	/* nothing bounced a resource: dma_unmap_page() finds no swiotlb slot */
	dma_unmap_page(c->dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	return 0;
}

static int dmastress_misuse_never_mapped(struct dmastress_misuse_ctx *c)
{
	if (!dmastress_misuse_direct(c->dd))
		return dmastress_misuse_skip(c, DMASTRESS_WHY_IOMMU);
	dma_unmap_page(c->dev, phys_to_dma(c->dev, virt_to_phys(c->buf)),
		       PAGE_SIZE, DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_invalid(struct dmastress_misuse_ctx *c)
{
	if (!dmastress_misuse_direct(c->dd))
		return dmastress_misuse_skip(c, DMASTRESS_WHY_IOMMU);
	dma_unmap_page(c->dev, DMA_MAPPING_ERROR, PAGE_SIZE, DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_no_check(struct dmastress_misuse_ctx *c)
{
	dma_addr_t dma;

	dma = dma_map_single(c->dev, c->buf, PAGE_SIZE, DMA_TO_DEVICE);
	/* the misuse: compared by hand, never dma_mapping_error() */
	if (dma == DMA_MAPPING_ERROR)
		return -EIO;
	dma_unmap_single(c->dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_sync_outside(struct dmastress_misuse_ctx *c)
{
	dma_addr_t dma;
	int ret;

	ret = dmastress_misuse_map_bar(c, &dma);
	if (ret)
		return ret;
	dma_sync_single_for_cpu(c->dev, dma, 2 * PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_unmap_resource(c->dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL, 0);
	return 0;
}

static int dmastress_misuse_sync_never_mapped(struct dmastress_misuse_ctx *c)
{
	dma_addr_t dma;
	int ret;

	/* an address of this device that was mapped, and is no more */
	ret = dmastress_misuse_map(c, PAGE_SIZE, DMA_TO_DEVICE, &dma);
	if (ret)
		return ret;
	dma_unmap_single(c->dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	/* TO_DEVICE for the CPU: swiotlb copies nothing back */
	dma_sync_single_for_cpu(c->dev, dma, PAGE_SIZE, DMA_TO_DEVICE);
	return 0;
}

/* Map with @map_dir, sync once with @sync_dir, unmap correctly. */
static int dmastress_misuse_sync(struct dmastress_misuse_ctx *c,
				 enum dma_data_direction map_dir,
				 enum dma_data_direction sync_dir, bool for_cpu)
{
	dma_addr_t dma;
	int ret;

	ret = dmastress_misuse_map(c, PAGE_SIZE, map_dir, &dma);
	if (ret)
		return ret;
	/* the buffer is untouched: any bounce copies equal bytes */
	if (for_cpu)
		dma_sync_single_for_cpu(c->dev, dma, PAGE_SIZE, sync_dir);
	else
		dma_sync_single_for_device(c->dev, dma, PAGE_SIZE, sync_dir);
	dma_unmap_single(c->dev, dma, PAGE_SIZE, map_dir);
	return 0;
}

static int dmastress_misuse_sync_sg_nents(struct dmastress_misuse_ctx *c)
{
	struct scatterlist sgl[DMASTRESS_MISUSE_SG_NENTS];
	unsigned int i;
	int n;

	sg_init_table(sgl, DMASTRESS_MISUSE_SG_NENTS);
	for (i = 0; i < DMASTRESS_MISUSE_SG_NENTS; i++)
		sg_set_buf(&sgl[i], c->buf + i * PAGE_SIZE, PAGE_SIZE);
	n = dma_map_sg(c->dev, sgl, DMASTRESS_MISUSE_SG_NENTS, DMA_TO_DEVICE);
	if (!n)
		return -EIO;
	dma_sync_sg_for_cpu(c->dev, sgl, DMASTRESS_MISUSE_SG_NENTS - 1,
			    DMA_TO_DEVICE);
	dma_unmap_sg(c->dev, sgl, DMASTRESS_MISUSE_SG_NENTS, DMA_TO_DEVICE);
	return 0;
}

/*
 * One sg entry of two pages while the device's max segment size (@seg) or
 * segment boundary (@boundary) is lowered to a page; restored at once.
 */
static int dmastress_misuse_sg_limits(struct dmastress_misuse_ctx *c,
				      bool seg, bool boundary)
{
	struct device *dev = c->dev;
	unsigned int old_seg;
	unsigned long old_boundary;
	struct scatterlist sg;
	int n;

	if (!dev->dma_parms)
		return dmastress_misuse_skip(c, "the device has no dma_parms to lower");
	if (boundary && is_swiotlb_force_bounce(dev))
		return dmastress_misuse_skip(c, DMASTRESS_WHY_BOUNDARY);
	old_seg = dma_get_max_seg_size(dev);
	old_boundary = dma_get_seg_boundary(dev);
	sg_init_table(&sg, 1);
	sg_set_buf(&sg, c->buf, 2 * PAGE_SIZE);

	if (seg)
		dma_set_max_seg_size(dev, PAGE_SIZE);
	if (boundary)
		dma_set_seg_boundary(dev, PAGE_SIZE - 1);
	n = dma_map_sg(dev, &sg, 1, DMA_TO_DEVICE);
	dma_set_max_seg_size(dev, old_seg);
	dma_set_seg_boundary(dev, old_boundary);
	if (!n)
		return -EIO;
	dma_unmap_sg(dev, &sg, 1, DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_overlap(struct dmastress_misuse_ctx *c)
{
	dma_addr_t a, b;
	int ret;

	ret = dmastress_misuse_map(c, PAGE_SIZE, DMA_BIDIRECTIONAL, &a);
	if (ret)
		return ret;
	ret = dmastress_misuse_map(c, PAGE_SIZE, DMA_BIDIRECTIONAL, &b);
	if (!ret)
		dma_unmap_single(c->dev, b, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_unmap_single(c->dev, a, PAGE_SIZE, DMA_BIDIRECTIONAL);
	return ret;
}

static int dmastress_misuse_rodata(struct dmastress_misuse_ctx *c)
{
	/* hex_asc[] is 16 bytes of the kernel image's rodata; read only */
	void *ro = (void *)hex_asc;
	dma_addr_t dma;

	dma = dma_map_single(c->dev, ro, 16, DMA_TO_DEVICE);
	if (dma_mapping_error(c->dev, dma))
		return -EIO;
	dma_unmap_single(c->dev, dma, 16, DMA_TO_DEVICE);
	return 0;
}

static noinline int dmastress_misuse_stack(struct dmastress_misuse_ctx *c)
{
	u8 on_stack[64] __aligned(64);
	dma_addr_t dma;

	if (IS_ENABLED(CONFIG_VMAP_STACK))
		return dmastress_misuse_skip(c, DMASTRESS_WHY_VMAP);
	memset(on_stack, 0x5a, sizeof(on_stack));
	dma = dma_map_single(c->dev, on_stack, sizeof(on_stack), DMA_TO_DEVICE);
	if (dma_mapping_error(c->dev, dma))
		return -EIO;
	dma_unmap_single(c->dev, dma, sizeof(on_stack), DMA_TO_DEVICE);
	return 0;
}

static int dmastress_misuse_hold(struct dmastress_misuse_ctx *c)
{
	struct dmastress_held *h;
	int ret;

	mutex_lock(&dmastress_held_lock);
	ret = dmastress_nr_held >= DMASTRESS_MAX_HELD ? -ENOSPC : 0;
	mutex_unlock(&dmastress_held_lock);
	if (ret) {
		snprintf(c->m->reason, sizeof(c->m->reason),
			 "%u mappings held already", DMASTRESS_MAX_HELD);
		return ret;
	}
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!h->buf) {
		kfree(h);
		return -ENOMEM;
	}
	h->dma = dma_map_single(c->dev, h->buf, PAGE_SIZE, DMA_TO_DEVICE);
	ret = dma_mapping_error(c->dev, h->dma);
	if (ret) {
		kfree(h->buf);
		kfree(h);
		return -EIO;
	}
	h->dev = get_device(c->dev);
	mutex_lock(&dmastress_held_lock);
	list_add_tail(&h->node, &dmastress_held_list);
	dmastress_nr_held++;
	mutex_unlock(&dmastress_held_lock);
	return 0;
}

/*
 * The IOVA API's misuses: a range of two pages of the buffer, allocated
 * with dma_iova_try_alloc() and its first page linked; only where it
 * succeeds (a DMA or DMA-FQ domain). Each undoes exactly what it linked
 * and frees the range.
 */
static int dmastress_misuse_iova_begin(struct dmastress_misuse_ctx *c,
				       struct dma_iova_state *state)
{
	int ret;

	if (!DMASTRESS_HAVE_IOVA_API)
		return dmastress_misuse_skip(c, DMASTRESS_WHY_IOVA_API);
	if (!dma_iova_try_alloc(c->dev, state, 0, 2 * PAGE_SIZE))
		return dmastress_misuse_skip(c, DMASTRESS_WHY_NO_IOVA);
	/* the first page linked, correctly */
	ret = dma_iova_link(c->dev, state, virt_to_phys(c->buf), 0, PAGE_SIZE,
			    DMA_TO_DEVICE, 0);
	if (ret)
		dma_iova_free(c->dev, state);
	return ret ? -EIO : 0;
}

/* Unlink two pages of which one is linked: iommu_unmap_fast() does one. */
static int dmastress_misuse_iova_unlink(struct dmastress_misuse_ctx *c)
{
	struct dma_iova_state state;
	int ret;

	ret = dmastress_misuse_iova_begin(c, &state);
	if (ret)
		return ret;
	dma_iova_sync(c->dev, &state, 0, PAGE_SIZE);
	dma_iova_unlink(c->dev, &state, 0, 2 * PAGE_SIZE, DMA_TO_DEVICE, 0);
	dma_iova_free(c->dev, &state);
	return 0;
}

/* A second link that starts inside a granule: refused with a WARN. */
static int dmastress_misuse_iova_unaligned(struct dmastress_misuse_ctx *c)
{
	struct dma_iova_state state;
	int ret;

	ret = dmastress_misuse_iova_begin(c, &state);
	if (ret)
		return ret;
	ret = dma_iova_link(c->dev, &state,
			    virt_to_phys(c->buf) + PAGE_SIZE + 64, PAGE_SIZE,
			    PAGE_SIZE - 64, DMA_TO_DEVICE, 0);
	if (!ret)	/* accepted after all: undo it too */
		dma_iova_unlink(c->dev, &state, PAGE_SIZE, PAGE_SIZE - 64,
				DMA_TO_DEVICE, 0);
	dma_iova_unlink(c->dev, &state, 0, PAGE_SIZE, DMA_TO_DEVICE, 0);
	dma_iova_free(c->dev, &state);
	return 0;
}

/* Sync a range that is no longer linked: a flush of nothing. */
static int dmastress_misuse_iova_sync(struct dmastress_misuse_ctx *c)
{
	struct dma_iova_state state;
	int ret;

	ret = dmastress_misuse_iova_begin(c, &state);
	if (ret)
		return ret;
	dma_iova_unlink(c->dev, &state, 0, PAGE_SIZE, DMA_TO_DEVICE, 0);
	dma_iova_sync(c->dev, &state, 0, PAGE_SIZE);
	dma_iova_free(c->dev, &state);
	return 0;
}

/**
 * dmastress_misuse_release_all() - undo every HELD_AT_UNBIND mapping
 *
 * Unmaps and frees the mappings kept alive for dma-debug's leak report at
 * unbind, whether or not their device is still bound. Called at probe and
 * at module unload. Process context, sleeps.
 */
void dmastress_misuse_release_all(void)
{
	struct dmastress_held *h, *tmp;

	mutex_lock(&dmastress_held_lock);
	list_for_each_entry_safe(h, tmp, &dmastress_held_list, node) {
		dma_unmap_single(h->dev, h->dma, PAGE_SIZE, DMA_TO_DEVICE);
		put_device(h->dev);
		list_del(&h->node);
		kfree(h->buf);
		kfree(h);
	}
	dmastress_nr_held = 0;
	mutex_unlock(&dmastress_held_lock);
}

static const char *const dmastress_misuse_names[DMASTRESS_NR_MISUSE] = {
	[DMASTRESS_MISUSE_UNMAP_SIZE] = "unmap_size",
	[DMASTRESS_MISUSE_UNMAP_DIR] = "unmap_dir",
	[DMASTRESS_MISUSE_UNMAP_WRONG_FUNC] = "unmap_wrong_func",
	[DMASTRESS_MISUSE_UNMAP_NEVER_MAPPED] = "unmap_never_mapped",
	[DMASTRESS_MISUSE_UNMAP_INVALID] = "unmap_invalid",
	[DMASTRESS_MISUSE_NO_ERROR_CHECK] = "no_error_check",
	[DMASTRESS_MISUSE_SYNC_OUTSIDE] = "sync_outside",
	[DMASTRESS_MISUSE_SYNC_NEVER_MAPPED] = "sync_never_mapped",
	[DMASTRESS_MISUSE_SYNC_DIR] = "sync_dir",
	[DMASTRESS_MISUSE_SYNC_RO_FOR_CPU] = "sync_ro_for_cpu",
	[DMASTRESS_MISUSE_SYNC_WO_FOR_DEVICE] = "sync_wo_for_device",
	[DMASTRESS_MISUSE_SYNC_SG_NENTS] = "sync_sg_nents",
	[DMASTRESS_MISUSE_SG_TOO_LONG] = "sg_too_long",
	[DMASTRESS_MISUSE_SG_BOUNDARY] = "sg_boundary",
	[DMASTRESS_MISUSE_OVERLAP] = "overlap",
	[DMASTRESS_MISUSE_MAP_RODATA] = "map_rodata",
	[DMASTRESS_MISUSE_MAP_STACK] = "map_stack",
	[DMASTRESS_MISUSE_HELD_AT_UNBIND] = "held_at_unbind",
	[DMASTRESS_MISUSE_IOVA_UNLINK_UNLINKED] = "iova_unlink_unlinked",
	[DMASTRESS_MISUSE_IOVA_LINK_UNALIGNED] = "iova_link_unaligned",
	[DMASTRESS_MISUSE_IOVA_SYNC_UNLINKED] = "iova_sync_unlinked",
	[DMASTRESS_MISUSE_IOVA_LINK_PAST_END] = "iova_link_past_end",
	[DMASTRESS_MISUSE_IOVA_DESTROY_TWICE] = "iova_destroy_twice",
};

static int dmastress_misuse_commit(struct dmastress_misuse_ctx *c)
{
	switch (c->m->class_id) {
	case DMASTRESS_MISUSE_UNMAP_SIZE:
		return dmastress_misuse_unmap_size(c);
	case DMASTRESS_MISUSE_UNMAP_DIR:
		return dmastress_misuse_unmap_dir(c);
	case DMASTRESS_MISUSE_UNMAP_WRONG_FUNC:
		return dmastress_misuse_wrong_func(c);
	case DMASTRESS_MISUSE_UNMAP_NEVER_MAPPED:
		return dmastress_misuse_never_mapped(c);
	case DMASTRESS_MISUSE_UNMAP_INVALID:
		return dmastress_misuse_invalid(c);
	case DMASTRESS_MISUSE_NO_ERROR_CHECK:
		return dmastress_misuse_no_check(c);
	case DMASTRESS_MISUSE_SYNC_OUTSIDE:
		return dmastress_misuse_sync_outside(c);
	case DMASTRESS_MISUSE_SYNC_NEVER_MAPPED:
		return dmastress_misuse_sync_never_mapped(c);
	case DMASTRESS_MISUSE_SYNC_DIR:
		return dmastress_misuse_sync(c, DMA_TO_DEVICE,
					     DMA_BIDIRECTIONAL, false);
	case DMASTRESS_MISUSE_SYNC_RO_FOR_CPU:
		return dmastress_misuse_sync(c, DMA_TO_DEVICE,
					     DMA_FROM_DEVICE, true);
	case DMASTRESS_MISUSE_SYNC_WO_FOR_DEVICE:
		return dmastress_misuse_sync(c, DMA_FROM_DEVICE,
					     DMA_TO_DEVICE, false);
	case DMASTRESS_MISUSE_SYNC_SG_NENTS:
		return dmastress_misuse_sync_sg_nents(c);
	case DMASTRESS_MISUSE_SG_TOO_LONG:
		return dmastress_misuse_sg_limits(c, true, false);
	case DMASTRESS_MISUSE_SG_BOUNDARY:
		return dmastress_misuse_sg_limits(c, false, true);
	case DMASTRESS_MISUSE_OVERLAP:
		return dmastress_misuse_overlap(c);
	case DMASTRESS_MISUSE_MAP_RODATA:
		return dmastress_misuse_rodata(c);
	case DMASTRESS_MISUSE_MAP_STACK:
		return dmastress_misuse_stack(c);
	case DMASTRESS_MISUSE_HELD_AT_UNBIND:
		return dmastress_misuse_hold(c);
	case DMASTRESS_MISUSE_IOVA_UNLINK_UNLINKED:
		return dmastress_misuse_iova_unlink(c);
	case DMASTRESS_MISUSE_IOVA_LINK_UNALIGNED:
		return dmastress_misuse_iova_unaligned(c);
	case DMASTRESS_MISUSE_IOVA_SYNC_UNLINKED:
		return dmastress_misuse_iova_sync(c);
	case DMASTRESS_MISUSE_IOVA_LINK_PAST_END:
		return dmastress_misuse_skip(c, DMASTRESS_WHY_PAST_END);
	case DMASTRESS_MISUSE_IOVA_DESTROY_TWICE:
		return dmastress_misuse_skip(c, DMASTRESS_WHY_TWICE);
	default:
		return -EINVAL;
	}
}

/**
 * dmastress_misuse() - commit the misuse @m->class_id on a device
 * @dd: the device
 * @m: in: class_id (checked by the caller); out: name, reason
 *
 * Logs a line naming the class first, so that the WARN dma-debug prints
 * next reads as intended. Process context, sleeps; the caller holds
 * @dd->lock and has checked allow_misuse and CONFIG_DMA_API_DEBUG.
 *
 * Return: 0 when committed, -EOPNOTSUPP with @m->reason when the class
 * cannot be committed safely here, -ENOSPC with @m->reason for a
 * HELD_AT_UNBIND past DMASTRESS_MAX_HELD, -ENOMEM, or -EIO when the
 * correct mapping the class starts from failed.
 */
int dmastress_misuse(struct dmastress_dev *dd, struct dmastress_misuse *m)
{
	struct dmastress_misuse_ctx c = {
		.dd = dd,
		.dev = dd->dev,
		.m = m,
	};
	int ret;

	memset(m->name, 0, sizeof(m->name));
	memset(m->reason, 0, sizeof(m->reason));
	strscpy(m->name, dmastress_misuse_names[m->class_id], sizeof(m->name));
	c.buf = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					 DMASTRESS_MISUSE_ORDER);
	if (!c.buf)
		return -ENOMEM;
	dev_info(dd->dev, "misuse %s: committing a DMA API misuse on purpose\n",
		 m->name);
	ret = dmastress_misuse_commit(&c);
	free_pages((unsigned long)c.buf, DMASTRESS_MISUSE_ORDER);
	if (ret == -EOPNOTSUPP)
		dev_info(dd->dev, "misuse %s: skipped: %s\n", m->name,
			 m->reason);
	return ret;
}
