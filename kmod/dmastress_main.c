// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_main.c - module, PCI binding, /dev/dmastress<N>, mmap views
 *
 * The driver binds QEMU's edu device (1234:11e8) by ID and any other PCI
 * device only through driver_override; the latter can run the cpu engine
 * only, and the driver never touches its registers or bus mastering. Each
 * bound device gets /dev/dmastress<N> (mode 0600, opening it needs
 * CAP_SYS_RAWIO), its own mutex for the control ioctls, and device-managed
 * PCI resources.
 *
 * mmap views: an open file owns up to DMASTRESS_MAX_VIEWS buffers made with
 * dma_alloc_coherent(), dma_alloc_pages() or dma_alloc_noncontiguous().
 * The mmap offset of view @id is (2 * @id + wrong) * DMASTRESS_MAX_VIEW_BYTES:
 * wrong = 0 is the buffer through dma_mmap_*(); wrong = 1, only with
 * pfn_pitfall=1, is remap_pfn_range() of PHYS_PFN(dma_addr), the classic
 * bug of taking a dma_addr_t for a physical address, read-only and
 * uncached. A view is freed when its file and its last VMA are gone.
 *
 * Lifetime: the device state is reference counted by open files and views.
 * Unbind marks it gone (ioctls and new mmaps then fail with -ENODEV, running
 * engines stop) and waits for the running ioctl. It then revokes the views:
 * it waits out any mmap() still linking a VMA in each address space that
 * maps a view (taking that mm's mmap_lock once), zaps every user mapping of
 * the device node, and frees the buffers, so that no DMA allocation
 * outlives the binding. A later access to a revoked mapping gets SIGBUS.
 *
 * Lock order: mmap_lock, then the device lock, then view_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cacheflush.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/mmap_lock.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "dmastress.h"

#define DMASTRESS_DRV_NAME	"dmastress"
#define DMASTRESS_EDU_VENDOR	0x1234
#define DMASTRESS_EDU_DEVICE	0x11e8
/* Pages of mmap offset per view slot (right and wrong view of each id). */
#define DMASTRESS_VIEW_SLOT_PAGES (DMASTRESS_MAX_VIEW_BYTES >> PAGE_SHIFT)

static bool pfn_pitfall;
module_param(pfn_pitfall, bool, 0444);
MODULE_PARM_DESC(pfn_pitfall,
		 "Offer the read-only wrong-PFN mmap view (dma_addr_t taken as a physical address)");

static bool allow_misuse;
module_param(allow_misuse, bool, 0444);
MODULE_PARM_DESC(allow_misuse,
		 "Allow DMASTRESS_IOC_MISUSE: commit DMA API misuses for CONFIG_DMA_API_DEBUG to catch (test kernels only)");

static DEFINE_IDA(dmastress_ida);

/* A bound device and the references that keep its state alive. */
struct dmastress_ref {
	struct dmastress_dev dd;
	struct kref kref;
	struct mutex view_lock;		/* @views, views' @maps and buffers */
	struct list_head views;
};

/* An address space that maps a view, and how many of its VMAs do. */
struct dmastress_view_map {
	struct list_head node;
	struct mm_struct *mm;		/* mmgrab()ed */
	struct address_space *mapping;	/* of the mapped file */
	unsigned int nr_vmas;
};

/* An mmap view. */
struct dmastress_view_state {
	struct kref kref;
	struct dmastress_ref *ref;
	struct list_head node;		/* in ref->views */
	struct list_head maps;		/* struct dmastress_view_map */
	bool revoked;			/* buffer freed at unbind */
	atomic_t nr_vmas;
	u32 path;
	size_t len;
	void *cpu;		/* coherent address, or the noncontig vmap */
	struct page *page;	/* pages */
	struct sg_table *sgt;	/* noncontig */
	dma_addr_t dma;
	phys_addr_t phys;
};

/* An open file. */
struct dmastress_file {
	struct dmastress_ref *ref;
	struct dmastress_view_state *views[DMASTRESS_MAX_VIEWS];
};

/**
 * dmastress_pfn_pitfall_enabled() - is the wrong-PFN view offered?
 *
 * Any context.
 *
 * Return: the pfn_pitfall module parameter.
 */
bool dmastress_pfn_pitfall_enabled(void)
{
	return pfn_pitfall;
}

/**
 * dmastress_misuse_allowed() - may DMASTRESS_IOC_MISUSE run?
 *
 * Any context.
 *
 * Return: the allow_misuse module parameter.
 */
bool dmastress_misuse_allowed(void)
{
	return allow_misuse;
}

/**
 * dmastress_file_dev() - the device of an open /dev/dmastress<N>
 * @file: the open file
 *
 * Any context; valid while @file is open.
 *
 * Return: the device.
 */
struct dmastress_dev *dmastress_file_dev(struct file *file)
{
	struct dmastress_file *f = file->private_data;

	return &f->ref->dd;
}

static void dmastress_ref_release(struct kref *kref)
{
	struct dmastress_ref *ref = container_of(kref, struct dmastress_ref,
						 kref);

	put_device(ref->dd.dev);
	kfree(ref);
}

static void dmastress_view_free_buf(struct dmastress_view_state *view)
{
	struct device *dev = view->ref->dd.dev;

	switch (view->path) {
	case DMASTRESS_PATH_COHERENT:
		dma_free_coherent(dev, view->len, view->cpu, view->dma);
		break;
	case DMASTRESS_PATH_PAGES:
		dma_free_pages(dev, view->len, view->page, view->dma,
			       DMA_BIDIRECTIONAL);
		break;
	case DMASTRESS_PATH_NONCONTIG:
		dma_vunmap_noncontiguous(dev, view->cpu);
		dma_free_noncontiguous(dev, view->len, view->sgt,
				       DMA_BIDIRECTIONAL);
		break;
	}
}

static void dmastress_view_release(struct kref *kref)
{
	struct dmastress_view_state *view =
		container_of(kref, struct dmastress_view_state, kref);
	struct dmastress_ref *ref = view->ref;

	mutex_lock(&ref->view_lock);
	list_del(&view->node);
	if (!view->revoked)
		dmastress_view_free_buf(view);
	mutex_unlock(&ref->view_lock);
	kfree(view);
	kref_put(&ref->kref, dmastress_ref_release);
}

static phys_addr_t dmastress_virt_phys(void *cpu)
{
	if (is_vmalloc_addr(cpu))
		return page_to_phys(vmalloc_to_page(cpu));
	return virt_to_phys(cpu);
}

static int dmastress_view_alloc_buf(struct dmastress_view_state *view)
{
	struct device *dev = view->ref->dd.dev;

	switch (view->path) {
	case DMASTRESS_PATH_COHERENT:
		view->cpu = dma_alloc_coherent(dev, view->len, &view->dma,
					       GFP_KERNEL | __GFP_NOWARN);
		if (!view->cpu)
			return -ENOMEM;
		view->phys = dmastress_virt_phys(view->cpu);
		return 0;
	case DMASTRESS_PATH_PAGES:
		view->page = dma_alloc_pages(dev, view->len, &view->dma,
					     DMA_BIDIRECTIONAL,
					     GFP_KERNEL | __GFP_NOWARN);
		if (!view->page)
			return -ENOMEM;
		view->phys = page_to_phys(view->page);
		return 0;
	case DMASTRESS_PATH_NONCONTIG:
		/* One IOVA segment as long as the view: see dmastress_widen_max_seg_size(). */
		dmastress_widen_max_seg_size(&view->ref->dd);
		view->sgt = dma_alloc_noncontiguous(dev, view->len,
						    DMA_BIDIRECTIONAL,
						    GFP_KERNEL | __GFP_NOWARN, 0);
		dmastress_restore_masks(&view->ref->dd);
		if (!view->sgt)
			return -ENOMEM;
		view->cpu = dma_vmap_noncontiguous(dev, view->len, view->sgt);
		if (!view->cpu) {
			dma_free_noncontiguous(dev, view->len, view->sgt,
					       DMA_BIDIRECTIONAL);
			return -ENOMEM;
		}
		view->dma = sg_dma_address(view->sgt->sgl);
		view->phys = page_to_phys(sg_page(view->sgt->sgl));
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * dmastress_view_create() - make an mmap view for an open file
 * @file: the open file
 * @v: in: path (COHERENT, PAGES or NONCONTIG) and len_bytes (PAGE_SIZE
 *	multiple, <= DMASTRESS_MAX_VIEW_BYTES), checked by the caller; out:
 *	flags, id, mmap offsets, the buffer's DMA and physical address
 *
 * Process context; the caller holds the device's lock.
 *
 * Return: 0, -ENOSPC when the file has DMASTRESS_MAX_VIEWS views, -ENOMEM,
 * -EINVAL for another path.
 */
int dmastress_view_create(struct file *file, struct dmastress_view *v)
{
	struct dmastress_file *f = file->private_data;
	struct dmastress_view_state *view;
	unsigned int id;
	int ret;

	for (id = 0; id < DMASTRESS_MAX_VIEWS; id++)
		if (!f->views[id])
			break;
	if (id == DMASTRESS_MAX_VIEWS)
		return -ENOSPC;

	view = kzalloc(sizeof(*view), GFP_KERNEL);
	if (!view)
		return -ENOMEM;
	kref_init(&view->kref);
	INIT_LIST_HEAD(&view->maps);
	atomic_set(&view->nr_vmas, 0);
	view->ref = f->ref;
	view->path = v->path;
	view->len = v->len_bytes;
	ret = dmastress_view_alloc_buf(view);
	if (ret) {
		kfree(view);
		return ret;
	}
	kref_get(&f->ref->kref);
	mutex_lock(&f->ref->view_lock);
	list_add(&view->node, &f->ref->views);
	mutex_unlock(&f->ref->view_lock);
	f->views[id] = view;

	v->flags = pfn_pitfall ? DMASTRESS_VIEW_WRONG_PFN : 0;
	v->id = id;
	v->mmap_offset = (u64)(2 * id) * DMASTRESS_MAX_VIEW_BYTES;
	v->wrong_mmap_offset = (u64)(2 * id + 1) * DMASTRESS_MAX_VIEW_BYTES;
	v->dma_addr = view->dma;
	v->phys_addr = view->phys;
	return 0;
}

/**
 * dmastress_view_destroy() - drop a view of an open file
 * @file: the open file
 * @id: the view id, < DMASTRESS_MAX_VIEWS (checked by the caller)
 *
 * Process context; the caller holds the device's lock.
 *
 * Return: 0, -ENOENT when there is no such view, -EBUSY while it is mapped.
 */
int dmastress_view_destroy(struct file *file, u32 id)
{
	struct dmastress_file *f = file->private_data;
	struct dmastress_view_state *view = f->views[id];

	if (!view)
		return -ENOENT;
	if (atomic_read(&view->nr_vmas))
		return -EBUSY;
	f->views[id] = NULL;
	kref_put(&view->kref, dmastress_view_release);
	return 0;
}

static void dmastress_view_sync(struct dmastress_view_state *view,
				bool for_device)
{
	struct device *dev = view->ref->dd.dev;

	switch (view->path) {
	case DMASTRESS_PATH_PAGES:
		if (for_device)
			dma_sync_single_for_device(dev, view->dma, view->len,
						   DMA_BIDIRECTIONAL);
		else
			dma_sync_single_for_cpu(dev, view->dma, view->len,
						DMA_BIDIRECTIONAL);
		break;
	case DMASTRESS_PATH_NONCONTIG:
		if (for_device) {
			flush_kernel_vmap_range(view->cpu, view->len);
			dma_sync_sgtable_for_device(dev, view->sgt,
						    DMA_BIDIRECTIONAL);
		} else {
			dma_sync_sgtable_for_cpu(dev, view->sgt,
						 DMA_BIDIRECTIONAL);
			invalidate_kernel_vmap_range(view->cpu, view->len);
		}
		break;
	}
}

/* The engine over the first @len bytes of a view, segment by segment. */
static int dmastress_view_engine(struct dmastress_view_state *view,
				 const struct dmastress_engine *eng,
				 void *devbuf, size_t len,
				 enum dmastress_xfer_dir dir)
{
	struct dmastress_dev *dd = &view->ref->dd;
	struct scatterlist *sg;
	size_t off = 0;
	unsigned int i;
	int ret;

	if (view->path != DMASTRESS_PATH_NONCONTIG)
		return dmastress_engine_xfer(dd, eng, view->dma, devbuf, len,
					     dir);
	for_each_sgtable_dma_sg(view->sgt, sg, i) {
		size_t n = min_t(size_t, sg_dma_len(sg), len - off);

		ret = dmastress_engine_xfer(dd, eng, sg_dma_address(sg),
					    devbuf + off, n, dir);
		if (ret)
			return ret;
		off += n;
		if (off == len)
			break;
	}
	return off == len ? 0 : -EIO;
}

/**
 * dmastress_view_xfer() - the device reads or writes a view
 * @file: the open file
 * @x: in: id, op, engine, seed, len_bytes (checked by the caller but for
 *	the view's length); out: mismatches and the first one (DEVICE_READ:
 *	the bytes compared with dmastress_pattern(seed, offset)), and
 *	device_faults (1 when the engine faulted, timed out or failed)
 *
 * DEVICE_WRITE makes the device write the pattern into the first len_bytes
 * of the buffer; user space checks it through the mapping. DEVICE_READ
 * makes it read them and compares. PAGES and NONCONTIG views are synced
 * for the device before and for the CPU after (NONCONTIG also flushes and
 * invalidates the kernel vmap). Process context; the caller holds the
 * device's lock.
 *
 * Return: 0 (check the out fields), -ENOENT for no such view, -EINVAL when
 * len_bytes exceeds the view, -EOPNOTSUPP when the engine cannot run on
 * this device, -ENOMEM, -EINTR on a fatal signal.
 */
int dmastress_view_xfer(struct file *file, struct dmastress_view_xfer *x)
{
	struct dmastress_file *f = file->private_data;
	struct dmastress_view_state *view = f->views[x->id];
	const struct dmastress_engine *eng = dmastress_engines[x->engine];
	struct dmastress_verify v = {};
	const char *why = NULL;
	void *devbuf, *mem;
	int ret;

	if (!view)
		return -ENOENT;
	if (x->len_bytes > view->len)
		return -EINVAL;
	if (!eng->usable(&f->ref->dd, &why))
		return -EOPNOTSUPP;
	devbuf = dmastress_devbuf_alloc(x->len_bytes, &mem);
	if (!devbuf)
		return -ENOMEM;

	if (x->op == DMASTRESS_VIEW_DEVICE_WRITE)
		dmastress_pattern_fill(devbuf, x->len_bytes, x->seed, 0);
	dmastress_view_sync(view, true);
	ret = dmastress_view_engine(view, eng, devbuf, x->len_bytes,
				    x->op == DMASTRESS_VIEW_DEVICE_WRITE ?
				    DMASTRESS_DEV_TO_MEM : DMASTRESS_MEM_TO_DEV);
	dmastress_view_sync(view, false);

	x->mismatches = 0;
	x->first_mismatch_offset = 0;
	x->first_expected = 0;
	x->first_actual = 0;
	x->device_faults = ret && ret != -EINTR;
	if (!ret && x->op == DMASTRESS_VIEW_DEVICE_READ) {
		dmastress_pattern_check(devbuf, x->len_bytes, x->seed, 0, &v);
		x->mismatches = v.mismatches;
		x->first_mismatch_offset = v.first_offset;
		x->first_expected = v.first_expected;
		x->first_actual = v.first_actual;
	}
	dmastress_devbuf_free(mem);
	return ret == -EINTR ? -EINTR : 0;
}

static struct dmastress_view_map *
dmastress_view_find_map(struct dmastress_view_state *view,
			struct mm_struct *mm)
{
	struct dmastress_view_map *map;

	list_for_each_entry(map, &view->maps, node)
		if (map->mm == mm)
			return map;
	return NULL;
}

/*
 * A VMA of a view appears: a split or mremap() in an address space that
 * maps it already (fork does not copy it: VM_DONTCOPY).
 */
static void dmastress_vm_open(struct vm_area_struct *vma)
{
	struct dmastress_view_state *view = vma->vm_private_data;
	struct dmastress_view_map *map;

	kref_get(&view->kref);
	atomic_inc(&view->nr_vmas);
	mutex_lock(&view->ref->view_lock);
	map = dmastress_view_find_map(view, vma->vm_mm);
	if (!WARN_ON_ONCE(!map))
		map->nr_vmas++;
	mutex_unlock(&view->ref->view_lock);
}

static void dmastress_vm_close(struct vm_area_struct *vma)
{
	struct dmastress_view_state *view = vma->vm_private_data;
	struct dmastress_view_map *map;

	mutex_lock(&view->ref->view_lock);
	map = dmastress_view_find_map(view, vma->vm_mm);
	if (map && !--map->nr_vmas) {
		list_del(&map->node);
		mmdrop(map->mm);
		kfree(map);
	}
	mutex_unlock(&view->ref->view_lock);
	atomic_dec(&view->nr_vmas);
	kref_put(&view->kref, dmastress_view_release);
}

static const struct vm_operations_struct dmastress_vm_ops = {
	.open = dmastress_vm_open,
	.close = dmastress_vm_close,
};

/* The buffer as the DMA API maps it for user space; vm_pgoff is in-view. */
static int dmastress_mmap_right(struct dmastress_view_state *view,
				struct vm_area_struct *vma)
{
	struct device *dev = view->ref->dd.dev;

	switch (view->path) {
	case DMASTRESS_PATH_COHERENT:
		return dma_mmap_coherent(dev, vma, view->cpu, view->dma,
					 view->len);
	case DMASTRESS_PATH_PAGES:
		return dma_mmap_pages(dev, vma, view->len, view->page);
	case DMASTRESS_PATH_NONCONTIG:
		return dma_mmap_noncontiguous(dev, vma, view->len, view->sgt);
	default:
		return -EINVAL;
	}
}

/*
 * The pitfall: the dma_addr_t used as a physical address. Under an IOMMU
 * or with an offset it maps some other memory, so it is read-only.
 */
static int dmastress_mmap_wrong(struct dmastress_view_state *view,
				struct vm_area_struct *vma)
{
	unsigned long pfn = PHYS_PFN(view->dma) + vma->vm_pgoff;

	if (!pfn_pitfall)
		return -EPERM;
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	vm_flags_clear(vma, VM_MAYWRITE);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static int dmastress_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dmastress_file *f = file->private_data;
	struct dmastress_dev *dd = &f->ref->dd;
	unsigned long slot = vma->vm_pgoff / DMASTRESS_VIEW_SLOT_PAGES;
	unsigned long pgoff = vma->vm_pgoff % DMASTRESS_VIEW_SLOT_PAGES;
	unsigned long npages = vma_pages(vma);
	struct dmastress_view_map *map, *new_map;
	struct dmastress_view_state *view;
	bool wrong = slot & 1;
	int ret;

	if (slot >= 2 * DMASTRESS_MAX_VIEWS)
		return -EINVAL;
	new_map = kzalloc(sizeof(*new_map), GFP_KERNEL);
	if (!new_map)
		return -ENOMEM;
	ret = -EINTR;
	if (mutex_lock_interruptible(&dd->lock))
		goto out_free;
	ret = -ENODEV;
	if (dd->gone)
		goto out;
	view = f->views[slot / 2];
	ret = -EINVAL;
	if (!view || pgoff >= view->len >> PAGE_SHIFT ||
	    npages > (view->len >> PAGE_SHIFT) - pgoff)
		goto out;

	vma->vm_pgoff = pgoff;
	vm_flags_set(vma, VM_DONTCOPY | VM_DONTEXPAND);
	if (wrong)
		ret = dmastress_mmap_wrong(view, vma);
	else
		ret = dmastress_mmap_right(view, vma);
	if (ret)
		goto out;
	vma->vm_private_data = view;
	vma->vm_ops = &dmastress_vm_ops;

	/* remember the address space for the revocation at unbind */
	mutex_lock(&f->ref->view_lock);
	map = dmastress_view_find_map(view, vma->vm_mm);
	if (!map) {
		map = new_map;
		new_map = NULL;
		mmgrab(vma->vm_mm);
		map->mm = vma->vm_mm;
		map->mapping = file->f_mapping;
		list_add(&map->node, &view->maps);
	}
	map->nr_vmas++;
	mutex_unlock(&f->ref->view_lock);
	kref_get(&view->kref);
	atomic_inc(&view->nr_vmas);
out:
	mutex_unlock(&dd->lock);
out_free:
	kfree(new_map);
	return ret;
}

/*
 * Unbind: take every view's buffer back from user space and free it. The
 * caller has set @dd->gone and waited for the device lock, so no mmap() can
 * start on a view any more; one that started may still be linking its VMA
 * under its mm's mmap_lock, which we wait for before zapping.
 */
static void dmastress_revoke_views(struct dmastress_ref *ref)
{
	struct dmastress_view_state *view;
	struct dmastress_view_map *map;
	struct mm_struct **mms = NULL;
	struct inode **inodes = NULL;
	unsigned int n = 0, i;

	mutex_lock(&ref->view_lock);
	list_for_each_entry(view, &ref->views, node)
		list_for_each_entry(map, &view->maps, node)
			n++;
	if (n) {
		mms = kcalloc(n, sizeof(*mms), GFP_KERNEL);
		inodes = kcalloc(n, sizeof(*inodes), GFP_KERNEL);
	}
	if (n && (!mms || !inodes)) {
		/* cannot revoke safely: leave the buffers to their users */
		mutex_unlock(&ref->view_lock);
		dev_warn(ref->dd.dev, "views stay allocated until unmapped\n");
		kfree(mms);
		kfree(inodes);
		return;
	}
	i = 0;
	list_for_each_entry(view, &ref->views, node) {
		list_for_each_entry(map, &view->maps, node) {
			mmgrab(map->mm);
			mms[i] = map->mm;
			/* a VMA of this map holds the file, hence the inode */
			inodes[i++] = igrab(map->mapping->host);
		}
	}
	mutex_unlock(&ref->view_lock);

	for (i = 0; i < n; i++) {
		mmap_read_lock(mms[i]);		/* a racing mmap() has linked */
		mmap_read_unlock(mms[i]);
		mmdrop(mms[i]);
	}
	for (i = 0; i < n; i++) {
		if (!inodes[i])
			continue;
		unmap_mapping_range(inodes[i]->i_mapping, 0, 0, 1);
		iput(inodes[i]);
	}

	mutex_lock(&ref->view_lock);
	list_for_each_entry(view, &ref->views, node) {
		if (!view->revoked)
			dmastress_view_free_buf(view);
		view->revoked = true;
	}
	mutex_unlock(&ref->view_lock);
	kfree(mms);
	kfree(inodes);
}

static int dmastress_open(struct inode *inode, struct file *file)
{
	struct miscdevice *misc = file->private_data;
	struct dmastress_ref *ref = container_of(misc, struct dmastress_ref,
						 dd.misc);
	struct dmastress_file *f;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	kref_get(&ref->kref);
	f->ref = ref;
	file->private_data = f;
	return 0;
}

static int dmastress_release(struct inode *inode, struct file *file)
{
	struct dmastress_file *f = file->private_data;
	unsigned int i;

	for (i = 0; i < DMASTRESS_MAX_VIEWS; i++)
		if (f->views[i])
			kref_put(&f->views[i]->kref, dmastress_view_release);
	kref_put(&f->ref->kref, dmastress_ref_release);
	kfree(f);
	return 0;
}

static const struct file_operations dmastress_fops = {
	.owner = THIS_MODULE,
	.open = dmastress_open,
	.release = dmastress_release,
	.unlocked_ioctl = dmastress_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = dmastress_mmap,
	.llseek = noop_llseek,
};

static const char *const dmastress_group_names[] = {
	[DMASTRESS_GROUP_NONE] = "none",
	[DMASTRESS_GROUP_IDENTITY] = "identity",
	[DMASTRESS_GROUP_DMA] = "DMA",
	[DMASTRESS_GROUP_DMA_FQ] = "DMA-FQ",
	[DMASTRESS_GROUP_BLOCKED] = "blocked",
};

/* edu: map BAR0, 64-bit masks (scripts/vm gives edu dma_mask=64 bits). */
static int dmastress_probe_edu(struct dmastress_dev *dd)
{
	struct pci_dev *pdev = dd->pdev;
	int ret;

	dd->bar = pcim_iomap_region(pdev, 0, DMASTRESS_DRV_NAME);
	if (IS_ERR(dd->bar)) {
		ret = PTR_ERR(dd->bar);
		dd->bar = NULL;
		return ret;
	}
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dd->dev, DMA_BIT_MASK(64));
	if (ret)
		ret = dma_set_mask_and_coherent(dd->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	return dmastress_edu_init(dd);
}

/* devres actions: run after remove(), or when probe fails */
static void dmastress_ref_put(void *data)
{
	struct dmastress_ref *ref = data;

	kref_put(&ref->kref, dmastress_ref_release);
}

static void dmastress_ida_free(void *data)
{
	struct dmastress_dev *dd = data;

	ida_free(&dmastress_ida, dd->index);
}

static int dmastress_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dmastress_ref *ref;
	struct dmastress_dev *dd;
	int ret;

	/* mappings a misuse kept for the leak report at the last unbind */
	dmastress_misuse_release_all();
	ref = kzalloc(sizeof(*ref), GFP_KERNEL);
	if (!ref)
		return -ENOMEM;
	kref_init(&ref->kref);
	mutex_init(&ref->view_lock);
	INIT_LIST_HEAD(&ref->views);
	dd = &ref->dd;
	dd->pdev = pdev;
	dd->dev = get_device(&pdev->dev);
	dd->irq = -1;
	mutex_init(&dd->lock);
	mutex_init(&dd->edu_lock);
	init_completion(&dd->edu_done);
	dd->is_edu = pdev->vendor == DMASTRESS_EDU_VENDOR &&
		     pdev->device == DMASTRESS_EDU_DEVICE;
	/* the probe's reference goes after every later devres (irq, BAR) */
	ret = devm_add_action_or_reset(dd->dev, dmastress_ref_put, ref);
	if (ret)
		return ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	if (pci_resource_flags(pdev, 0) & IORESOURCE_MEM) {
		dd->bar_phys = pci_resource_start(pdev, 0);
		dd->bar_len = pci_resource_len(pdev, 0);
	}
	ret = ida_alloc(&dmastress_ida, GFP_KERNEL);
	if (ret < 0)
		return ret;
	dd->index = ret;
	ret = devm_add_action_or_reset(dd->dev, dmastress_ida_free, dd);
	if (ret)
		return ret;
	snprintf(dd->name, sizeof(dd->name), DMASTRESS_DRV_NAME "%d",
		 dd->index);
	if (dd->is_edu) {
		ret = dmastress_probe_edu(dd);
		if (ret)
			return ret;
	}
	dd->saved_dma_mask = dd->dev->dma_mask ? *dd->dev->dma_mask : 0;
	dd->saved_coherent_mask = dd->dev->coherent_dma_mask;
	dd->saved_max_seg_size = dma_get_max_seg_size(dd->dev);

	dd->misc.minor = MISC_DYNAMIC_MINOR;
	dd->misc.name = dd->name;
	dd->misc.fops = &dmastress_fops;
	dd->misc.parent = dd->dev;
	dd->misc.mode = 0600;
	pci_set_drvdata(pdev, ref);
	ret = misc_register(&dd->misc);
	if (ret) {
		if (dd->is_edu)
			dmastress_edu_exit(dd);
		return ret;
	}

	dev_info(dd->dev, "/dev/%s: %s, group type %s, mask %#llx, coherent %#llx%s\n",
		 dd->name, dd->is_edu ? "edu" : "cpu engine only",
		 dmastress_group_names[dmastress_group_type(dd->dev)],
		 dd->saved_dma_mask, dd->saved_coherent_mask,
		 dd->is_edu && dd->irq < 0 ? ", polling" : "");
	return 0;
}

static void dmastress_remove(struct pci_dev *pdev)
{
	struct dmastress_ref *ref = pci_get_drvdata(pdev);
	struct dmastress_dev *dd = &ref->dd;

	misc_deregister(&dd->misc);
	/* stop running engines, then wait for the ioctl holding the lock */
	WRITE_ONCE(dd->gone, true);
	mutex_lock(&dd->lock);
	mutex_unlock(&dd->lock);
	dmastress_revoke_views(ref);
	if (dd->is_edu)
		dmastress_edu_exit(dd);
}

/* edu by ID; any other device only through driver_override. */
static const struct pci_device_id dmastress_ids[] = {
	{ PCI_DEVICE(DMASTRESS_EDU_VENDOR, DMASTRESS_EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, dmastress_ids);

static struct pci_driver dmastress_driver = {
	.name = DMASTRESS_DRV_NAME,
	.id_table = dmastress_ids,
	.probe = dmastress_probe,
	.remove = dmastress_remove,
};

static int __init dmastress_init(void)
{
	dmastress_timer_calibrate();
	pr_info("timer overhead %llu ps per timed region\n",
		dmastress_timer_overhead_ps());
	return pci_register_driver(&dmastress_driver);
}
module_init(dmastress_init);

static void __exit dmastress_exit(void)
{
	pci_unregister_driver(&dmastress_driver);
	dmastress_misuse_release_all();
	ida_destroy(&dmastress_ida);
}
module_exit(dmastress_exit);

MODULE_DESCRIPTION("DMA API stress and benchmark driver for QEMU edu and driver_override devices");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
