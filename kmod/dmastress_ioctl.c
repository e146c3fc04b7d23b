// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_ioctl.c - ioctl dispatch and validation of /dev/dmastress<N>
 *
 * Every structure is copied in whole, its size field must equal sizeof()
 * and its reserved and output-only fields must be zero; every input is
 * range-checked before anything happens (-EINVAL changes nothing). The device mutex is
 * taken interruptibly around the work and never held across user memory
 * access, so mmap (which takes it under mmap_lock) cannot deadlock with us.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmastress.h"
#include "dmastress_uapi_abi.h"

static bool dmastress_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* Are the bytes of @s from offset @from up to (not including) @to zero? */
static bool dmastress_zero_range(const void *s, size_t from, size_t to)
{
	return dmastress_zero((const char *)s + from, to - from);
}

static int dmastress_lock(struct dmastress_dev *dd)
{
	if (mutex_lock_interruptible(&dd->lock))
		return -EINTR;
	if (dd->gone) {
		mutex_unlock(&dd->lock);
		return -ENODEV;
	}
	return 0;
}

/*
 * CAP_SYS_RAWIO is checked at open(), and again when a command hands out a
 * physical address or misuses the DMA API: a file passed to a process
 * without it gets neither (the addresses read 0, MISUSE is -EPERM).
 */
static bool dmastress_rawio(void)
{
	return capable(CAP_SYS_RAWIO);
}

static int dmastress_ioc_info(struct file *file, void __user *arg)
{
	struct dmastress_dev *dd = dmastress_file_dev(file);
	struct dmastress_info info;
	int ret;

	if (copy_from_user(&info, arg, sizeof(info)))
		return -EFAULT;
	if (info.size != sizeof(info) ||
	    !dmastress_zero_range(&info, offsetof(struct dmastress_info, flags),
				  offsetof(struct dmastress_info, reserved)) ||
	    !dmastress_zero(info.reserved, sizeof(info.reserved)))
		return -EINVAL;
	ret = dmastress_lock(dd);
	if (ret)
		return ret;
	dmastress_fill_info(dd, &info);
	mutex_unlock(&dd->lock);
	if (dmastress_pfn_pitfall_enabled())
		info.flags |= DMASTRESS_INFO_PFN_PITFALL;
	if (!dmastress_rawio())
		info.peer_window_phys = 0;
	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int dmastress_ioc_run(struct file *file, void __user *arg)
{
	struct dmastress_dev *dd = dmastress_file_dev(file);
	struct dmastress_path_counts *counts = NULL;
	struct dmastress_hist *hists = NULL;
	struct dmastress_run *run;
	int ret, status;

	run = kmalloc(sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(run, arg, sizeof(*run)))
		goto out;
	ret = -EINVAL;
	if (run->size != sizeof(*run) || run->status ||
	    !dmastress_zero(&run->result, sizeof(run->result)) ||
	    (run->hist_ptr ? run->hist_size != sizeof(*hists) :
			     run->hist_size) ||
	    (run->counts_ptr ? run->counts_size != sizeof(*counts) :
			       run->counts_size))
		goto out;
	ret = dmastress_validate_params(&run->params);
	if (ret)
		goto out;
	if (run->hist_ptr) {
		ret = -ENOMEM;
		hists = kvcalloc(DMASTRESS_NR_HISTS, sizeof(*hists),
				 GFP_KERNEL);
		if (!hists)
			goto out;
	}
	if (run->counts_ptr) {
		ret = -ENOMEM;
		counts = kcalloc(DMASTRESS_NR_PATHS, sizeof(*counts),
				 GFP_KERNEL);
		if (!counts)
			goto out;
	}

	ret = dmastress_lock(dd);
	if (ret)
		goto out;
	status = dmastress_run_counts(dd, &run->params, &run->result, hists,
				      counts);
	mutex_unlock(&dd->lock);
	if (status == -EINTR) {
		ret = -EINTR;
		goto out;
	}

	run->status = status;
	if (!dmastress_rawio())
		run->result.sample_phys_addr = 0;
	ret = -EFAULT;
	if (copy_to_user(arg, run, sizeof(*run)))
		goto out;
	if (hists && copy_to_user(u64_to_user_ptr(run->hist_ptr), hists,
				  DMASTRESS_NR_HISTS * sizeof(*hists)))
		goto out;
	if (counts && copy_to_user(u64_to_user_ptr(run->counts_ptr), counts,
				   DMASTRESS_NR_PATHS * sizeof(*counts)))
		goto out;
	ret = 0;
out:
	kfree(counts);
	kvfree(hists);
	kfree(run);
	return ret;
}

static int dmastress_ioc_view_create(struct file *file, void __user *arg)
{
	struct dmastress_dev *dd = dmastress_file_dev(file);
	struct dmastress_view v;
	int ret;

	if (copy_from_user(&v, arg, sizeof(v)))
		return -EFAULT;
	if (v.size != sizeof(v) || v.pad ||
	    !dmastress_zero_range(&v, offsetof(struct dmastress_view, flags),
				  offsetof(struct dmastress_view, attrs)) ||
	    !dmastress_zero(v.reserved, sizeof(v.reserved)))
		return -EINVAL;
	/* only a path with view callbacks (coherent, pages, noncontig) */
	if (v.path >= DMASTRESS_NR_PATHS || !dmastress_paths[v.path]->view_alloc)
		return -EINVAL;
	if (v.attrs && (v.path != DMASTRESS_PATH_COHERENT ||
			v.attrs != DMASTRESS_ATTR_WRITE_COMBINE))
		return -EINVAL;
	if (!v.len_bytes || v.len_bytes > DMASTRESS_MAX_VIEW_BYTES ||
	    !PAGE_ALIGNED(v.len_bytes))
		return -EINVAL;

	ret = dmastress_lock(dd);
	if (ret)
		return ret;
	ret = dmastress_view_create(file, &v);
	mutex_unlock(&dd->lock);
	if (ret)
		return ret;
	if (!dmastress_rawio())
		v.phys_addr = 0;
	if (!copy_to_user(arg, &v, sizeof(v)))
		return 0;
	/* user space cannot learn the id: do not leave the view behind */
	mutex_lock(&dd->lock);
	dmastress_view_destroy(file, v.id);
	mutex_unlock(&dd->lock);
	return -EFAULT;
}

static int dmastress_ioc_view_xfer(struct file *file, void __user *arg)
{
	struct dmastress_dev *dd = dmastress_file_dev(file);
	struct dmastress_view_xfer x;
	int ret;

	if (copy_from_user(&x, arg, sizeof(x)))
		return -EFAULT;
	if (x.size != sizeof(x) || x.pad ||
	    !dmastress_zero_range(&x, offsetof(struct dmastress_view_xfer, mismatches),
				  offsetof(struct dmastress_view_xfer, reserved)) ||
	    !dmastress_zero(x.reserved, sizeof(x.reserved)))
		return -EINVAL;
	if (x.id >= DMASTRESS_MAX_VIEWS || x.engine >= DMASTRESS_NR_ENGINES ||
	    (x.op != DMASTRESS_VIEW_DEVICE_WRITE &&
	     x.op != DMASTRESS_VIEW_DEVICE_READ) ||
	    !x.len_bytes || x.len_bytes > DMASTRESS_MAX_VIEW_BYTES)
		return -EINVAL;

	ret = dmastress_lock(dd);
	if (ret)
		return ret;
	ret = dmastress_view_xfer(file, &x);
	mutex_unlock(&dd->lock);
	if (ret)
		return ret;
	if (copy_to_user(arg, &x, sizeof(x)))
		return -EFAULT;
	return 0;
}

static int dmastress_ioc_view_destroy(struct file *file, void __user *arg)
{
	struct dmastress_dev *dd = dmastress_file_dev(file);
	struct dmastress_view_destroy d;
	int ret;

	if (copy_from_user(&d, arg, sizeof(d)))
		return -EFAULT;
	if (d.size != sizeof(d) || d.id >= DMASTRESS_MAX_VIEWS ||
	    !dmastress_zero(d.reserved, sizeof(d.reserved)))
		return -EINVAL;

	ret = dmastress_lock(dd);
	if (ret)
		return ret;
	ret = dmastress_view_destroy(file, d.id);
	mutex_unlock(&dd->lock);
	return ret;
}

static int dmastress_ioc_misuse(struct file *file, void __user *arg)
{
	struct dmastress_dev *dd = dmastress_file_dev(file);
	struct dmastress_misuse m;
	int ret;

	if (!dmastress_misuse_allowed() || !dmastress_rawio())
		return -EPERM;
	if (!IS_ENABLED(CONFIG_DMA_API_DEBUG))
		return -EOPNOTSUPP;
	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.size != sizeof(m) || m.pad || m.class_id >= DMASTRESS_NR_MISUSE ||
	    !dmastress_zero_range(&m, offsetof(struct dmastress_misuse, status),
				  offsetof(struct dmastress_misuse, reserved)) ||
	    !dmastress_zero(m.reserved, sizeof(m.reserved)))
		return -EINVAL;

	ret = dmastress_lock(dd);
	if (ret)
		return ret;
	m.status = dmastress_misuse(dd, &m);
	mutex_unlock(&dd->lock);
	if (copy_to_user(arg, &m, sizeof(m)))
		return -EFAULT;
	return 0;
}

/**
 * dmastress_ioctl() - unlocked_ioctl of /dev/dmastress<N>
 * @file: the open file
 * @cmd: DMASTRESS_IOC_*
 * @arg: user pointer to the command's structure
 *
 * Process context; sleeps (a run lasts as long as its parameters say).
 *
 * Return: 0, -ENOTTY for an unknown command, -EFAULT for unreadable or
 * unwritable user memory, -EINVAL for a bad size, reserved field or value,
 * -EINTR when a signal interrupted the wait for the device or a fatal
 * signal stopped a run, -ENODEV after unbind, -EPERM for MISUSE without
 * allow_misuse=1 or by a caller without CAP_SYS_RAWIO, -EOPNOTSUPP for
 * MISUSE without CONFIG_DMA_API_DEBUG, or the command's error.
 */
long dmastress_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case DMASTRESS_IOC_INFO:
		return dmastress_ioc_info(file, uarg);
	case DMASTRESS_IOC_RUN:
		return dmastress_ioc_run(file, uarg);
	case DMASTRESS_IOC_VIEW_CREATE:
		return dmastress_ioc_view_create(file, uarg);
	case DMASTRESS_IOC_VIEW_XFER:
		return dmastress_ioc_view_xfer(file, uarg);
	case DMASTRESS_IOC_VIEW_DESTROY:
		return dmastress_ioc_view_destroy(file, uarg);
	case DMASTRESS_IOC_MISUSE:
		return dmastress_ioc_misuse(file, uarg);
	default:
		return -ENOTTY;
	}
}
