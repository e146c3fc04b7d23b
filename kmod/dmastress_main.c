// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_main.c - module, module parameters, PCI binding
 *
 * The driver binds QEMU's edu device (1234:11e8) by ID and any other PCI
 * device only through driver_override; the latter can run the cpu engine
 * only, and the driver never touches its registers or bus mastering. Each
 * bound device gets /dev/dmastress<N> (mode 0600, opening it needs
 * CAP_SYS_RAWIO; its files and mmap views are dmastress_view.c's), its own
 * mutex for the control ioctls, and device-managed PCI resources. Unbind
 * marks the device gone, waits for the running ioctl and revokes the views.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "dmastress.h"

#define DMASTRESS_DRV_NAME	"dmastress"
#define DMASTRESS_EDU_VENDOR	0x1234
#define DMASTRESS_EDU_DEVICE	0x11e8

static bool pfn_pitfall;
module_param(pfn_pitfall, bool, 0444);
MODULE_PARM_DESC(pfn_pitfall,
		 "Offer the read-only wrong-PFN mmap view (dma_addr_t taken as a physical address)");

static bool allow_misuse;
module_param(allow_misuse, bool, 0444);
MODULE_PARM_DESC(allow_misuse,
		 "Allow DMASTRESS_IOC_MISUSE: commit DMA API misuses for CONFIG_DMA_API_DEBUG to catch (test kernels only)");

static DEFINE_IDA(dmastress_ida);

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

/* edu: map BAR0, 64-bit masks (scripts/vm gives edu dma_mask=64 bits). */
static int dmastress_probe_edu(struct dmastress_dev *dd)
{
	struct pci_dev *pdev = dd->pdev;
	int ret;

	dd->bar = dmastress_pcim_iomap_bar(pdev, 0, DMASTRESS_DRV_NAME);
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
static void dmastress_dev_put_action(void *data)
{
	dmastress_dev_put(data);
}

static void dmastress_ida_free(void *data)
{
	struct dmastress_dev *dd = data;

	ida_free(&dmastress_ida, dd->index);
}

static int dmastress_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dmastress_dev *dd;
	int ret;

	/* mappings a misuse kept for the leak report at the last unbind */
	dmastress_misuse_release_all();
	dd = dmastress_dev_alloc();
	if (!dd)
		return -ENOMEM;
	dd->pdev = pdev;
	dd->dev = get_device(&pdev->dev);
	dd->irq = -1;
	mutex_init(&dd->lock);
	mutex_init(&dd->edu_lock);
	init_completion(&dd->edu_done);
	dd->is_edu = pdev->vendor == DMASTRESS_EDU_VENDOR &&
		     pdev->device == DMASTRESS_EDU_DEVICE;
	/* the probe's reference goes after every later devres (irq, BAR) */
	ret = devm_add_action_or_reset(dd->dev, dmastress_dev_put_action, dd);
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
	if (dd->is_edu)
		ret = dmastress_probe_edu(dd);
	else
		ret = dmastress_nvme_init(dd);
	if (ret)
		return ret;
	dd->saved_dma_mask = dd->dev->dma_mask ? *dd->dev->dma_mask : 0;
	dd->saved_coherent_mask = dd->dev->coherent_dma_mask;
	dd->saved_max_seg_size = dma_get_max_seg_size(dd->dev);

	dd->misc.minor = MISC_DYNAMIC_MINOR;
	dd->misc.name = dd->name;
	dd->misc.fops = &dmastress_fops;
	dd->misc.parent = dd->dev;
	dd->misc.mode = 0600;
	pci_set_drvdata(pdev, dd);
	ret = misc_register(&dd->misc);
	if (ret) {
		if (dd->is_edu)
			dmastress_edu_exit(dd);
		dmastress_nvme_exit(dd);
		return ret;
	}

	dev_info(dd->dev, "/dev/%s: %s, group type %s, mask %#llx, coherent %#llx%s\n",
		 dd->name, dd->is_edu ? "edu" :
		 dd->nvme ? "NVMe (nvme engine when allowed)" : "cpu engine only",
		 dmastress_group_name(dmastress_group_type(dd->dev)),
		 dd->saved_dma_mask, dd->saved_coherent_mask,
		 dd->is_edu && dd->irq < 0 ? ", polling" : "");
	return 0;
}

static void dmastress_remove(struct pci_dev *pdev)
{
	struct dmastress_dev *dd = pci_get_drvdata(pdev);

	misc_deregister(&dd->misc);
	/* stop running engines, then wait for the ioctl holding the lock */
	WRITE_ONCE(dd->gone, true);
	mutex_lock(&dd->lock);
	mutex_unlock(&dd->lock);
	dmastress_revoke_views(dd);
	if (dd->is_edu)
		dmastress_edu_exit(dd);
	dmastress_nvme_exit(dd);
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
