// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_path_phys.c - dma_map_phys() and dma_unmap_phys() (Linux 6.18)
 *
 * dma_map_phys() maps a physical range without a struct page. Of memory,
 * it is the single path's buffer (kmalloc'd, guards around the payload at
 * offset_bytes, odd lengths) mapped by its physical address, with the
 * single path's syncs and checks. With DMASTRESS_ATTR_MMIO it maps MMIO
 * with DMA_ATTR_MMIO: the resource path's target (another device's peer
 * memory, else edu's own window), and maps the same window with
 * dma_map_resource() next to it. The two must
 * reach the same bytes: equal DMA addresses without translation; under an
 * IOMMU two IOVAs that iommu_iova_to_phys() takes to the window's physical
 * address. A disagreement is counted as a segment violation and logged.
 * Both mappings are undone by teardown().
 *
 * The MMIO runs share the resource path's limits and its CPU view (see
 * dmastress_path_resource.c): a shadow buffer, copied to and from peer
 * memory through its BAR by the syncs, verified as any buffer is.
 */
#include <linux/iommu.h>
#include <linux/slab.h>

#include "dmastress.h"

/**
 * struct dmastress_phys_mmio - private state of one MMIO op
 * @shadow: CPU view, @len bytes
 * @piece: the peer memory mapped, or none (edu's own window)
 * @phys: the window's physical address
 * @dma: dma_map_phys(DMA_ATTR_MMIO) of the window while @mapped
 * @res_dma: dma_map_resource() of the same window while @mapped
 * @mapped: both mappings succeeded and are not undone
 */
struct dmastress_phys_mmio {
	void *shadow;
	struct dmastress_peer_piece piece;
	phys_addr_t phys;
	dma_addr_t dma;
	dma_addr_t res_dma;
	bool mapped;
};

static bool dmastress_phys_mmio_run(const struct dmastress_run_params *p)
{
	return p->attrs & DMASTRESS_ATTR_MMIO;
}

static bool dmastress_phys_usable(struct dmastress_dev *dd,
				  const struct dmastress_run_params *p,
				  const char **why)
{
	if (!DMASTRESS_HAVE_MAP_PHYS) {
		*why = "dma_map_phys() needs Linux 6.18";
		return false;
	}
	if (dmastress_phys_mmio_run(p))
		return dmastress_resource_usable(dd, p, why);
	return dmastress_single_usable(dd, p, why);
}

static int dmastress_phys_prepare(struct dmastress_op *op)
{
	struct dmastress_phys_mmio *m;
	int ret;

	if (!dmastress_phys_mmio_run(op->params))
		return dmastress_single_prepare(op);
	m = kzalloc(sizeof(*m), DMASTRESS_GFP);
	if (!m)
		return -ENOMEM;
	m->shadow = kzalloc(op->len, DMASTRESS_GFP);
	if (!m->shadow) {
		kfree(m);
		return -ENOMEM;
	}
	m->phys = dmastress_resource_target(op, &m->piece, &ret);
	if (ret) {
		kfree(m->shadow);
		kfree(m);
		return ret;
	}
	op->priv = m;
	op->vaddr = m->shadow;
	return 0;
}

static void dmastress_phys_unmap(struct dmastress_op *op,
				 struct dmastress_single *s)
{
	struct device *dev = op->dd->dev;
	enum dma_data_direction dir = op->dir;
	unsigned long attrs = s->attrs;
	dma_addr_t dma = s->dma;
	size_t len = op->len;
	u64 t;

	t = dmastress_op_call_begin(op);
	dma_unmap_phys(dev, dma, len, dir, attrs);
	dmastress_op_call_end(op, t);
}

static int dmastress_phys_setup_mem(struct dmastress_op *op)
{
	struct dmastress_single *s = op->priv;
	enum dma_data_direction dir;
	unsigned long attrs;
	struct device *dev;
	phys_addr_t phys;
	dma_addr_t dma;
	size_t len;
	int ret;
	u64 t;

	if (!s)
		return -ENOMEM;
	dev = op->dd->dev;
	phys = virt_to_phys(s->payload);
	len = op->len;
	dir = op->dir;
	s->attrs = dmastress_dma_attrs(op->params->attrs);
	attrs = s->attrs;
	t = dmastress_op_call_begin(op);
	dma = dma_map_phys(dev, phys, len, dir, attrs);
	ret = dma_mapping_error(dev, dma);
	dmastress_op_call_end(op, t);
	if (ret)
		return -EIO;
	s->dma = dma;
	s->unmap = dmastress_phys_unmap;
	s->mapped = true;
	return 0;
}

/*
 * Do both mappings of the window reach it? Without a paging domain the
 * DMA API returns the bus address for both; with one, each mapping has its
 * own IOVA and both must translate to the window.
 */
static bool dmastress_phys_mmio_agree(struct device *dev, dma_addr_t a,
				      dma_addr_t b, phys_addr_t phys)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING))
		return a == b;
	return dmastress_translate(dev, a, NULL) == phys &&
	       dmastress_translate(dev, b, NULL) == phys;
}

static int dmastress_phys_setup_mmio(struct dmastress_op *op)
{
	struct dmastress_phys_mmio *m = op->priv;
	enum dma_data_direction dir = op->dir;
	struct device *dev = op->dd->dev;
	size_t len = op->len;
	phys_addr_t phys;
	dma_addr_t dma;
	int ret;
	u64 t;

	if (!m)
		return -ENOMEM;
	phys = m->phys;
	t = dmastress_op_call_begin(op);
	dma = dma_map_phys(dev, phys, len, dir,
			   dmastress_dma_attrs(op->params->attrs));
	ret = dma_mapping_error(dev, dma);
	dmastress_op_call_end(op, t);
	if (ret)
		return -EIO;
	/* the reference mapping, untimed */
	m->res_dma = dma_map_resource(dev, phys, len, dir, 0);
	if (dma_mapping_error(dev, m->res_dma)) {
		dma_unmap_phys(dev, dma, len, dir, DMA_ATTR_MMIO);
		return -EIO;
	}
	m->dma = dma;
	m->mapped = true;
	if (!dmastress_phys_mmio_agree(dev, dma, m->res_dma, phys)) {
		dev_err(dev, "dma_map_phys(MMIO) %pad and dma_map_resource() %pad do not reach the same window %pa\n",
			&dma, &m->res_dma, &phys);
		op->seg_violations++;
	}
	if (dmastress_op_add_seg(op, dma, len, m->shadow, phys))
		return -ENOMEM;	/* the core tears down */
	return 0;
}

static int dmastress_phys_setup(struct dmastress_op *op)
{
	if (dmastress_phys_mmio_run(op->params))
		return dmastress_phys_setup_mmio(op);
	return dmastress_phys_setup_mem(op);
}

static int dmastress_phys_describe(struct dmastress_op *op)
{
	if (dmastress_phys_mmio_run(op->params))
		return 0;	/* setup() described the window */
	return dmastress_single_describe(op);
}

/*
 * MMIO has no DMA API syncs (DMA_ATTR_MMIO skips the CPU caches): the CPU
 * copies the shadow to and from peer memory through the BAR instead.
 */
static void dmastress_phys_sync_for_device(struct dmastress_op *op)
{
	struct dmastress_phys_mmio *m = op->priv;

	if (!dmastress_phys_mmio_run(op->params))
		dmastress_single_sync_for_device(op);
	else
		dmastress_peer_write(&m->piece, m->shadow, op->len);
}

static void dmastress_phys_sync_for_cpu(struct dmastress_op *op)
{
	struct dmastress_phys_mmio *m = op->priv;

	if (!dmastress_phys_mmio_run(op->params))
		dmastress_single_sync_for_cpu(op);
	else
		dmastress_peer_read(&m->piece, m->shadow, op->len);
}

static void dmastress_phys_teardown(struct dmastress_op *op)
{
	struct dmastress_phys_mmio *m = op->priv;
	enum dma_data_direction dir = op->dir;
	struct device *dev = op->dd->dev;
	size_t len = op->len;
	dma_addr_t dma;
	u64 t;

	if (!op->priv)
		return;
	if (!dmastress_phys_mmio_run(op->params)) {
		dmastress_single_teardown(op);
		return;
	}
	if (!m->mapped)
		return;
	dma = m->dma;
	t = dmastress_op_call_begin(op);
	dma_unmap_phys(dev, dma, len, dir, dmastress_dma_attrs(op->params->attrs));
	dmastress_op_call_end(op, t);
	dma_unmap_resource(dev, m->res_dma, len, dir, 0);
	m->mapped = false;
}

static void dmastress_phys_release(struct dmastress_op *op)
{
	struct dmastress_phys_mmio *m = op->priv;

	if (!m)
		return;
	if (!dmastress_phys_mmio_run(op->params)) {
		dmastress_single_release(op);
		return;
	}
	dmastress_phys_teardown(op);
	dmastress_peer_put(&m->piece);
	kfree(m->shadow);
	kfree(m);
	op->priv = NULL;
	op->vaddr = NULL;
}

/**
 * DOC: dmastress_path_phys - dma_map_phys() of memory, or of MMIO
 *
 * Needs Linux 6.18 (skipped with that reason before). Memory: the single
 * path's kmalloc'd buffer, up to KMALLOC_MAX_SIZE and
 * dma_max_mapping_size(), mapped by physical address; syncs with
 * dma_sync_single_for_{device,cpu}(). With DMASTRESS_ATTR_MMIO: the
 * resource path's target (peer memory, verified; else edu's window of
 * <= 2048 bytes, no-verify) with DMA_ATTR_MMIO, checked against
 * dma_map_resource() of the same window. setup() returns -EIO on
 * dma_mapping_error(), -ENOMEM when out of memory. Process context.
 */
/* The single path's buffer and a shadow of the payload. */
static u64 dmastress_phys_op_bytes(const struct dmastress_run_params *p, u64 len)
{
	return 2 * dmastress_block_bytes(p, len);
}

const struct dmastress_path dmastress_path_phys = {
	.id = DMASTRESS_PATH_PHYS,
	.bounces = true,
	.attrs = DMASTRESS_ATTR_MMIO | DMASTRESS_ATTRS_STREAMING,
	.usable = dmastress_phys_usable,
	.prepare = dmastress_phys_prepare,
	.setup = dmastress_phys_setup,
	.describe = dmastress_phys_describe,
	.sync_for_device = dmastress_phys_sync_for_device,
	.sync_for_cpu = dmastress_phys_sync_for_cpu,
	.teardown = dmastress_phys_teardown,
	.release = dmastress_phys_release,
	.op_bytes = dmastress_phys_op_bytes,
};
