// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_view.c - /dev/dmastress<N>'s open files and their mmap views
 *
 * An open file owns up to DMASTRESS_MAX_VIEWS buffers made by the view
 * callbacks of a path (&struct dmastress_path.view_alloc: coherent, pages,
 * noncontig). The mmap offset of view @id is (2 * @id + wrong) *
 * DMASTRESS_MAX_VIEW_BYTES: wrong = 0 is the buffer through the path's
 * dma_mmap_*() helper; wrong = 1, only with pfn_pitfall=1, is
 * remap_pfn_range() of PHYS_PFN(dma_addr), the classic bug of taking a
 * dma_addr_t for a physical address, read-only, and only where /dev/mem
 * would map that range too (or it is the buffer's own). This file is
 * the one owner of that pitfall view. A view is freed when its file and its
 * last VMA are gone.
 *
 * Lifetime: the device state is reference counted by the binding, open
 * files and views (dmastress_dev_alloc(), dmastress_dev_put()); this file
 * is the one owner of those references. Unbind marks the device gone
 * (ioctls and new mmaps then fail with -ENODEV, running engines stop),
 * waits for the running ioctl and calls dmastress_revoke_views(): it waits
 * out any mmap() still linking a VMA in each address space that maps a
 * view, zaps every user mapping of the device node, and frees the buffers,
 * so that no DMA allocation outlives the binding. A later access to a
 * revoked mapping gets SIGBUS.
 *
 * Lock order: mmap_lock, then the device lock, then view_lock. mmap()
 * takes view_lock only (never the device lock, which a run holds for up to
 * max_run_seconds): view_lock guards an open file's view table, which
 * view_create and view_destroy change under both locks.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/security.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "dmastress.h"

/* Pages of mmap offset per view slot (right and wrong view of each id). */
#define DMASTRESS_VIEW_SLOT_PAGES (DMASTRESS_MAX_VIEW_BYTES >> PAGE_SHIFT)

/* A bound device and the references that keep its state alive. */
struct dmastress_ref {
	struct dmastress_dev dd;
	struct kref kref;
	struct mutex view_lock;		/* @views, views' @maps and buffers, files' @views */
	struct list_head views;
	u64 view_bytes;			/* of @views' buffers not yet freed */
};

static unsigned int max_view_mib = 1024;

static int dmastress_set_max_view_mib(const char *val,
				      const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 16384);
}

static const struct kernel_param_ops dmastress_max_view_mib_ops = {
	.set = dmastress_set_max_view_mib,
	.get = param_get_uint,
};
module_param_cb(max_view_mib, &dmastress_max_view_mib_ops, &max_view_mib,
		0644);
MODULE_PARM_DESC(max_view_mib,
		 "View buffers alive per device, all open files together, MiB (1..16384, default 1024)");

/* An address space that maps a view, and how many of its VMAs do. */
struct dmastress_view_map {
	struct list_head node;
	struct mm_struct *mm;		/* mmgrab()ed */
	struct address_space *mapping;	/* of the mapped file */
	unsigned int nr_vmas;
	bool revoked;			/* zapped by dmastress_revoke_views() */
};

/* An mmap view. */
struct dmastress_view_state {
	struct kref kref;
	struct dmastress_ref *ref;
	struct list_head node;		/* in ref->views */
	struct list_head maps;		/* struct dmastress_view_map */
	bool revoked;			/* buffer freed at unbind */
	atomic_t nr_vmas;
	const struct dmastress_path *path;
	struct dmastress_vbuf buf;
};

/* An open file. */
struct dmastress_file {
	struct dmastress_ref *ref;
	struct dmastress_view_state *views[DMASTRESS_MAX_VIEWS];
};

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

/**
 * dmastress_dev_alloc() - allocate the state of a bound device
 *
 * The state lives as long as the binding, its open files and its views:
 * drop the binding's reference with dmastress_dev_put(). The caller fills
 * the device fields. Process context.
 *
 * Return: the zeroed device state, or NULL.
 */
struct dmastress_dev *dmastress_dev_alloc(void)
{
	struct dmastress_ref *ref = kzalloc(sizeof(*ref), GFP_KERNEL);

	if (!ref)
		return NULL;
	kref_init(&ref->kref);
	mutex_init(&ref->view_lock);
	INIT_LIST_HEAD(&ref->views);
	return &ref->dd;
}

/**
 * dmastress_dev_put() - drop the binding's reference to a device's state
 * @dd: from dmastress_dev_alloc()
 *
 * The last reference (this one, an open file's or a view's) puts @dd->dev
 * and frees the state. Process context.
 */
void dmastress_dev_put(struct dmastress_dev *dd)
{
	struct dmastress_ref *ref = container_of(dd, struct dmastress_ref, dd);

	kref_put(&ref->kref, dmastress_ref_release);
}

static void dmastress_view_free_buf(struct dmastress_view_state *view)
{
	view->path->view_free(&view->buf);
}

static void dmastress_view_release(struct kref *kref)
{
	struct dmastress_view_state *view =
		container_of(kref, struct dmastress_view_state, kref);
	struct dmastress_ref *ref = view->ref;

	mutex_lock(&ref->view_lock);
	list_del(&view->node);
	if (!view->revoked) {
		dmastress_view_free_buf(view);
		ref->view_bytes -= view->buf.len;
	}
	mutex_unlock(&ref->view_lock);
	kfree(view);
	kref_put(&ref->kref, dmastress_ref_release);
}

/**
 * dmastress_view_create() - make an mmap view for an open file
 * @file: the open file
 * @v: in: path (one with view callbacks: coherent, pages, noncontig) and
 *	len_bytes (PAGE_SIZE multiple, <= DMASTRESS_MAX_VIEW_BYTES), checked
 *	by the caller (dmastress_view_check()); out: flags, id, mmap offsets,
 *	the buffer's DMA and physical address
 *
 * Process context; the caller holds the device's lock.
 *
 * Return: 0, -ENOSPC when the file has DMASTRESS_MAX_VIEWS views or the
 * device's views would pass the module's max_view_mib (all files
 * together), -ENOMEM.
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
	view->path = dmastress_paths[v->path];
	view->buf.dd = &f->ref->dd;
	view->buf.len = v->len_bytes;
	view->buf.attrs = v->attrs;
	if (!dma_can_mmap(view->buf.dd->dev)) {
		kfree(view);
		return -EOPNOTSUPP;
	}
	/* room in the device's bound, taken now, given back on failure */
	mutex_lock(&f->ref->view_lock);
	ret = f->ref->view_bytes + v->len_bytes >
	      (u64)READ_ONCE(max_view_mib) * SZ_1M ? -ENOSPC : 0;
	if (!ret)
		f->ref->view_bytes += v->len_bytes;
	mutex_unlock(&f->ref->view_lock);
	if (ret) {
		kfree(view);
		return ret;
	}
	ret = view->path->view_alloc(&view->buf);
	if (ret) {
		mutex_lock(&f->ref->view_lock);
		f->ref->view_bytes -= v->len_bytes;
		mutex_unlock(&f->ref->view_lock);
		kfree(view);
		return ret;
	}
	kref_get(&f->ref->kref);
	mutex_lock(&f->ref->view_lock);
	list_add(&view->node, &f->ref->views);
	f->views[id] = view;
	mutex_unlock(&f->ref->view_lock);

	v->flags = dmastress_pfn_pitfall_enabled() ? DMASTRESS_VIEW_WRONG_PFN : 0;
	v->id = id;
	v->mmap_offset = (u64)(2 * id) * DMASTRESS_MAX_VIEW_BYTES;
	v->wrong_mmap_offset = (u64)(2 * id + 1) * DMASTRESS_MAX_VIEW_BYTES;
	v->dma_addr = view->buf.dma;
	v->phys_addr = view->buf.phys;
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
	/* an mmap() counts its VMA under view_lock */
	mutex_lock(&f->ref->view_lock);
	if (atomic_read(&view->nr_vmas)) {
		mutex_unlock(&f->ref->view_lock);
		return -EBUSY;
	}
	f->views[id] = NULL;
	mutex_unlock(&f->ref->view_lock);
	kref_put(&view->kref, dmastress_view_release);
	return 0;
}

static void dmastress_view_sync(struct dmastress_view_state *view,
				bool for_device)
{
	if (view->path->view_sync)
		view->path->view_sync(&view->buf, for_device);
}

/* The engine over the first @len bytes of a view, segment by segment. */
static int dmastress_view_engine(struct dmastress_view_state *view,
				 const struct dmastress_engine *eng,
				 void *devbuf, size_t len,
				 enum dmastress_xfer_dir dir)
{
	struct dmastress_vbuf *b = &view->buf;
	struct scatterlist *sg;
	size_t off = 0;
	unsigned int i;
	int ret;

	if (!b->sgt)
		return dmastress_engine_xfer(b->dd, eng, b->dma, devbuf, len, dir);
	for_each_sgtable_dma_sg(b->sgt, sg, i) {
		size_t n = min_t(size_t, sg_dma_len(sg), len - off);

		ret = dmastress_engine_xfer(b->dd, eng, sg_dma_address(sg),
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
 * makes it read them and compares. The path's view_sync hands the buffer
 * to the device before and back to the CPU after (pages: the single
 * syncs; noncontig: the sgtable syncs and the kernel vmap's flush and
 * invalidate). Process context; the caller holds the device's lock.
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
	if (x->len_bytes > view->buf.len)
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
 * maps it already, or fork() into a new one. Fork does not copy a view
 * (VM_DONTCOPY) unless user space cleared that with madvise(MADV_DOFORK):
 * the child's address space is then remembered like any other, so that
 * the revocation at unbind zaps the child's copy too (its next access gets
 * SIGBUS) before the buffer is freed. vm_open cannot fail: the record is
 * a few bytes, allocated with __GFP_NOFAIL. Called with the mmap_lock of
 * @vma's mm held for writing.
 */
static void dmastress_vm_open(struct vm_area_struct *vma)
{
	struct dmastress_view_state *view = vma->vm_private_data;
	struct dmastress_view_map *map;

	kref_get(&view->kref);
	atomic_inc(&view->nr_vmas);
	mutex_lock(&view->ref->view_lock);
	map = dmastress_view_find_map(view, vma->vm_mm);
	if (!map) {
		map = kzalloc(sizeof(*map), GFP_KERNEL | __GFP_NOFAIL);
		mmgrab(vma->vm_mm);
		map->mm = vma->vm_mm;
		map->mapping = vma->vm_file->f_mapping;
		list_add(&map->node, &view->maps);
	}
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

/* walk_iomem_res_desc(): a busy range /dev/mem keeps for its driver */
static int dmastress_devmem_busy(struct resource *res, void *arg)
{
	return IS_ENABLED(CONFIG_IO_STRICT_DEVMEM) ||
	       (res->flags & IORESOURCE_EXCLUSIVE);
}

/*
 * Would /dev/mem let user space map [@phys, @phys + @len)? As x86's
 * devmem_is_allowed() decides under CONFIG_STRICT_DEVMEM: no RAM (but
 * below 1 MiB, where it shows zeros instead: refused here too), and with
 * CONFIG_IO_STRICT_DEVMEM no range a driver claimed (else only exclusive
 * ones), below 1 MiB excepted. Without STRICT_DEVMEM all of it. Sets
 * @ram when the range is RAM; a range that is part RAM is refused.
 */
static bool dmastress_devmem_allows(phys_addr_t phys, size_t len, bool *ram)
{
	int ri = region_intersects(phys, len, IORESOURCE_SYSTEM_RAM,
				   IORES_DESC_NONE);

	*ram = ri == REGION_INTERSECTS;
	if (ri == REGION_MIXED)
		return false;
	if (!IS_ENABLED(CONFIG_STRICT_DEVMEM))
		return true;
	if (*ram)
		return false;
	if (phys + len <= SZ_1M)
		return true;
	return walk_iomem_res_desc(IORES_DESC_NONE,
				   IORESOURCE_MEM | IORESOURCE_BUSY, phys,
				   phys + len - 1, NULL,
				   dmastress_devmem_busy) != 1;
}

/*
 * The pitfall: the dma_addr_t used as a physical address. Under an IOMMU
 * or with an offset it maps some other memory, so it is read-only, and
 * only where /dev/mem would map the same range (not under lockdown, not
 * RAM under STRICT_DEVMEM...), unless the range is the view's own buffer
 * (the dma_addr_t is its physical address and it is one block): mapping
 * it shows nothing the right view does not. RAM is mapped cached, as
 * /dev/mem maps it (an uncached alias would change the attributes of
 * pages someone else owns), anything else uncached.
 */
static int dmastress_mmap_wrong(struct dmastress_view_state *view,
				struct vm_area_struct *vma)
{
	struct dmastress_vbuf *b = &view->buf;
	unsigned long pfn = PHYS_PFN(b->dma) + vma->vm_pgoff;
	phys_addr_t phys = PFN_PHYS(pfn);
	size_t len = vma->vm_end - vma->vm_start;
	bool own = (phys_addr_t)b->dma == b->phys &&
		   (!b->sgt || b->sgt->orig_nents == 1);
	bool ram;

	if (!dmastress_pfn_pitfall_enabled() || !capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	if (!own && (security_locked_down(LOCKDOWN_DEV_MEM) ||
		     !dmastress_devmem_allows(phys, len, &ram)))
		return -EPERM;
	if (own)
		ram = true;
	dmastress_vma_clear(vma, VM_MAYWRITE);
	if (!ram)
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, pfn, len,
			       vma->vm_page_prot);
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
	if (mutex_lock_interruptible(&f->ref->view_lock))
		goto out_free;
	ret = -ENODEV;
	/* unbind sets gone before its revocation takes view_lock */
	if (READ_ONCE(dd->gone))
		goto out;
	view = f->views[slot / 2];
	if (view && view->revoked)
		goto out;
	ret = -EINVAL;
	if (!view || pgoff >= view->buf.len >> PAGE_SHIFT ||
	    npages > (view->buf.len >> PAGE_SHIFT) - pgoff)
		goto out;

	vma->vm_pgoff = pgoff;
	dmastress_vma_set(vma, VM_DONTCOPY | VM_DONTEXPAND);
	if (wrong)
		ret = dmastress_mmap_wrong(view, vma);
	else
		ret = view->path->view_mmap(&view->buf, vma);
	if (ret)
		goto out;
	vma->vm_private_data = view;
	vma->vm_ops = &dmastress_vm_ops;

	/* remember the address space for the revocation at unbind */
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
	kref_get(&view->kref);
	atomic_inc(&view->nr_vmas);
out:
	mutex_unlock(&f->ref->view_lock);
out_free:
	kfree(new_map);
	return ret;
}

/**
 * dmastress_revoke_views() - take every view's buffer back at unbind
 * @dd: the device, from dmastress_dev_alloc()
 *
 * The caller has set @dd->gone and waited for the device lock. Afterwards a
 * user access to a revoked mapping gets SIGBUS and no DMA allocation of a
 * view remains. No mmap() can start on a view any more; one that started
 * may still be linking its VMA under its mm's mmap_lock, which is waited
 * for before zapping. Allocates nothing, so it cannot fail. Process
 * context, sleeps; takes every mapping mm's mmap_lock once.
 */
void dmastress_revoke_views(struct dmastress_dev *dd)
{
	struct dmastress_ref *ref = container_of(dd, struct dmastress_ref, dd);
	struct dmastress_view_state *view;
	struct dmastress_view_map *map;

	/*
	 * One address space at a time, nothing allocated: a fork() meanwhile
	 * (MADV_DOFORK) adds a map record not yet revoked, taken next.
	 */
	for (;;) {
		struct mm_struct *mm = NULL;
		struct inode *inode = NULL;

		mutex_lock(&ref->view_lock);
		list_for_each_entry(view, &ref->views, node) {
			list_for_each_entry(map, &view->maps, node) {
				if (map->revoked)
					continue;
				map->revoked = true;
				mmgrab(map->mm);
				mm = map->mm;
				/* a VMA of this map holds the file, hence the inode */
				inode = igrab(map->mapping->host);
				break;
			}
			if (mm)
				break;
		}
		mutex_unlock(&ref->view_lock);
		if (!mm)
			break;
		mmap_read_lock(mm);	/* a racing mmap() has linked */
		mmap_read_unlock(mm);
		mmdrop(mm);
		if (inode) {
			unmap_mapping_range(inode->i_mapping, 0, 0, 1);
			iput(inode);
		}
	}

	mutex_lock(&ref->view_lock);
	list_for_each_entry(view, &ref->views, node) {
		if (!view->revoked) {
			dmastress_view_free_buf(view);
			ref->view_bytes -= view->buf.len;
		}
		view->revoked = true;
	}
	mutex_unlock(&ref->view_lock);
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

const struct file_operations dmastress_fops = {
	.owner = THIS_MODULE,
	.open = dmastress_open,
	.release = dmastress_release,
	.unlocked_ioctl = dmastress_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = dmastress_mmap,
	.llseek = noop_llseek,
};
