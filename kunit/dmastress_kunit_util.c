// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress_kunit_util.c - devices, runs and DMA-debug checks shared by the
 * dmastress_<family> KUnit suites
 *
 * The edu device is taken by a PCI driver registered from the suites'
 * suite_init and unregistered from their suite_exit, so that probing goes
 * through dma_configure() (with virtio-iommu an IOMMU group only appears
 * once a driver binds) and the device's resources are managed. It is only
 * registered while a suite runs: a kernel booted with kunit.enable=0 leaves
 * edu to dmastress.ko.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/dcache.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#include "dmastress.h"
#include "dmastress_kunit_util.h"

#define DMASTRESS_KUNIT_NAME	"dmastress_kunit"
#define PCI_VENDOR_ID_QEMU_EDU	0x1234
#define PCI_DEVICE_ID_QEMU_EDU	0x11e8

static char *dmastress_kunit_mode_param = "";
module_param_named(mode, dmastress_kunit_mode_param, charp, 0444);
MODULE_PARM_DESC(mode, "name of the IOMMU mode the kernel was booted in (logged)");

static char *dmastress_kunit_group_param = "";
module_param_named(group, dmastress_kunit_group_param, charp, 0444);
MODULE_PARM_DESC(group,
		 "group type the edu device must show: none, identity, DMA, DMA-FQ");

static bool dmastress_kunit_swiotlb_param;
module_param_named(swiotlb, dmastress_kunit_swiotlb_param, bool, 0444);
MODULE_PARM_DESC(swiotlb, "the kernel was booted with swiotlb=force");

static uint dmastress_kunit_seed_param;
module_param_named(seed, dmastress_kunit_seed_param, uint, 0444);
MODULE_PARM_DESC(seed, "data pattern seed (0: draw one and log it)");

/*
 * The edu device: the PCI driver below fills it in probe. Suites run one
 * after another, but probe and remove run in the driver core's context.
 */
static DEFINE_MUTEX(dmastress_kunit_edu_lock);
static unsigned int dmastress_kunit_edu_users;
static struct dmastress_dev *dmastress_kunit_edu_dd;
static const char *dmastress_kunit_edu_why = "no edu device (1234:11e8) found";
/* The NVMe controller of the nvme engine, under the same lock. */
static struct dmastress_dev *dmastress_kunit_nvme_dd;

/**
 * dmastress_kunit_expected_group() - the group type the boot asked for
 *
 * Return: enum dmastress_group_type from dmastress_kunit.group=, or -1 when
 * the parameter is missing or unknown.
 */
int dmastress_kunit_expected_group(void)
{
	int i;

	for (i = 0; i < DMASTRESS_NR_GROUP_TYPES; i++)
		if (!strcmp(dmastress_kunit_group_param,
			    dmastress_group_name(i)))
			return i;
	return -1;
}

/**
 * dmastress_kunit_group_name() - a group type for messages
 * @group: enum dmastress_group_type
 *
 * Return: "none", "identity", "DMA", "DMA-FQ", "blocked" or "unknown".
 */
const char *dmastress_kunit_group_name(u32 group)
{
	return dmastress_group_name(group);
}

/**
 * dmastress_kunit_mode_name() - the mode name from dmastress_kunit.mode=
 *
 * Return: the name, or "unknown".
 */
const char *dmastress_kunit_mode_name(void)
{
	return *dmastress_kunit_mode_param ? dmastress_kunit_mode_param :
					     "unknown";
}

/**
 * dmastress_kunit_mode() - the platform class the properties are checked for
 * @test: the test, for the log
 *
 * Taken from the boot command line (dmastress_kunit.group= and
 * dmastress_kunit.swiotlb=), which scripts/kunit derives from the modes
 * table. Without it, the class is read from the edu device and logged as
 * such: the check then only proves self-consistency.
 *
 * Return: enum dmastress_kunit_mode; UNKNOWN when neither source answers.
 */
enum dmastress_kunit_mode dmastress_kunit_mode(struct kunit *test)
{
	int group = dmastress_kunit_expected_group();
	bool swiotlb = dmastress_kunit_swiotlb_param;

	if (group < 0) {
		struct dmastress_dev *dd;

		mutex_lock(&dmastress_kunit_edu_lock);
		dd = dmastress_kunit_edu_dd;
		if (dd) {
			group = dmastress_group_type(dd->dev);
			swiotlb = is_swiotlb_force_bounce(dd->dev);
		}
		mutex_unlock(&dmastress_kunit_edu_lock);
		if (group < 0)
			return DMASTRESS_KUNIT_MODE_UNKNOWN;
		kunit_info(test,
			   "no dmastress_kunit.group=: mode read from the running kernel\n");
	}
	switch (group) {
	case DMASTRESS_GROUP_NONE:
		return swiotlb ? DMASTRESS_KUNIT_MODE_SWIOTLB :
				 DMASTRESS_KUNIT_MODE_DIRECT;
	case DMASTRESS_GROUP_IDENTITY:
		return DMASTRESS_KUNIT_MODE_IDENTITY;
	case DMASTRESS_GROUP_DMA:
	case DMASTRESS_GROUP_DMA_FQ:
		return DMASTRESS_KUNIT_MODE_TRANSLATED;
	default:
		return DMASTRESS_KUNIT_MODE_UNKNOWN;
	}
}

/*
 * The start of a probe of the suites' PCI drivers: -EBUSY when *@slot (the
 * edu or the NVMe device) is taken already (one is enough), else a zeroed
 * device on an enabled @pdev in *@ddp.
 */
static int dmastress_kunit_take(struct pci_dev *pdev,
				struct dmastress_dev *const *slot,
				struct dmastress_dev **ddp)
{
	struct dmastress_dev *dd;
	int ret;

	mutex_lock(&dmastress_kunit_edu_lock);
	ret = *slot ? -EBUSY : 0;
	mutex_unlock(&dmastress_kunit_edu_lock);
	if (ret)
		return ret;
	dd = devm_kzalloc(&pdev->dev, sizeof(*dd), GFP_KERNEL);
	if (!dd)
		return -ENOMEM;
	dd->pdev = pdev;
	dd->dev = &pdev->dev;
	mutex_init(&dd->lock);
	strscpy(dd->name, DMASTRESS_KUNIT_NAME, sizeof(dd->name));
	*ddp = dd;
	return pcim_enable_device(pdev);
}

/* The end of such a probe: save the masks the engine set, publish @dd. */
static void dmastress_kunit_publish(struct dmastress_dev **slot,
				    struct dmastress_dev *dd)
{
	dd->saved_dma_mask = dma_get_mask(dd->dev);
	dd->saved_coherent_mask = dd->dev->coherent_dma_mask;
	dd->saved_max_seg_size = dma_get_max_seg_size(dd->dev);
	pci_set_drvdata(dd->pdev, dd);
	mutex_lock(&dmastress_kunit_edu_lock);
	*slot = dd;
	mutex_unlock(&dmastress_kunit_edu_lock);
}

/* A remove: @dd no longer handed out. */
static void dmastress_kunit_unpublish(struct dmastress_dev **slot,
				      struct dmastress_dev *dd)
{
	mutex_lock(&dmastress_kunit_edu_lock);
	if (*slot == dd)
		*slot = NULL;
	mutex_unlock(&dmastress_kunit_edu_lock);
}

static int dmastress_kunit_edu_probe(struct pci_dev *pdev,
				     const struct pci_device_id *id)
{
	struct dmastress_dev *dd;
	int ret;

	ret = dmastress_kunit_take(pdev, &dmastress_kunit_edu_dd, &dd);
	if (ret)
		return ret;
	dd->bar = pcim_iomap_region(pdev, 0, DMASTRESS_KUNIT_NAME);
	if (IS_ERR(dd->bar))
		return PTR_ERR(dd->bar);
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dd->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	dd->is_edu = true;
	dd->bar_phys = pci_resource_start(pdev, 0);
	dd->bar_len = pci_resource_len(pdev, 0);
	ret = dmastress_edu_init(dd);
	if (ret)
		return ret;
	dmastress_kunit_publish(&dmastress_kunit_edu_dd, dd);
	return 0;
}

static void dmastress_kunit_edu_remove(struct pci_dev *pdev)
{
	struct dmastress_dev *dd = pci_get_drvdata(pdev);

	dmastress_kunit_unpublish(&dmastress_kunit_edu_dd, dd);
	dmastress_edu_exit(dd);
}

static const struct pci_device_id dmastress_kunit_edu_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_QEMU_EDU, PCI_DEVICE_ID_QEMU_EDU) },
	{ }
};

static struct pci_driver dmastress_kunit_edu_driver = {
	.name = DMASTRESS_KUNIT_NAME,
	.id_table = dmastress_kunit_edu_ids,
	.probe = dmastress_kunit_edu_probe,
	.remove = dmastress_kunit_edu_remove,
};

/*
 * An NVMe controller named in dmastress_kunit.nvme_allow= (scripts/kunit
 * attaches one at 0000:00:10.0 and keeps the kernel's nvme driver off it
 * with initcall_blacklist=nvme_init): the nvme engine's bus-master.
 */
static int dmastress_kunit_nvme_probe(struct pci_dev *pdev,
				      const struct pci_device_id *id)
{
	struct dmastress_dev *dd;
	int ret;

	if (!dmastress_nvme_allowed(pci_name(pdev)))
		return -ENODEV;
	ret = dmastress_kunit_take(pdev, &dmastress_kunit_nvme_dd, &dd);
	if (ret)
		return ret;
	dd->irq = -1;
	mutex_init(&dd->edu_lock);
	init_completion(&dd->edu_done);
	ret = dmastress_nvme_init(dd);
	if (ret)
		return ret;
	dmastress_kunit_publish(&dmastress_kunit_nvme_dd, dd);
	return 0;
}

static void dmastress_kunit_nvme_remove(struct pci_dev *pdev)
{
	struct dmastress_dev *dd = pci_get_drvdata(pdev);

	dmastress_kunit_unpublish(&dmastress_kunit_nvme_dd, dd);
	dmastress_nvme_exit(dd);
}

static const struct pci_device_id dmastress_kunit_nvme_ids[] = {
	{ PCI_DEVICE_CLASS(PCI_CLASS_STORAGE_EXPRESS, 0xffffff) },
	{ }
};

static struct pci_driver dmastress_kunit_nvme_driver = {
	.name = DMASTRESS_KUNIT_NAME "_nvme",
	.id_table = dmastress_kunit_nvme_ids,
	.probe = dmastress_kunit_nvme_probe,
	.remove = dmastress_kunit_nvme_remove,
};

/* Why no edu device was bound, for the skip message. */
static void dmastress_kunit_edu_explain(void)
{
	struct pci_dev *pdev;

	pdev = pci_get_device(PCI_VENDOR_ID_QEMU_EDU, PCI_DEVICE_ID_QEMU_EDU,
			      NULL);
	if (!pdev)
		dmastress_kunit_edu_why = "no edu device (1234:11e8) found";
	else if (pdev->dev.driver &&
		 pdev->dev.driver != &dmastress_kunit_edu_driver.driver)
		dmastress_kunit_edu_why = "edu is bound to another driver";
	else
		dmastress_kunit_edu_why = "edu did not probe (see the log)";
	pci_dev_put(pdev);
}

/**
 * dmastress_kunit_suite_init() - .suite_init of every dmastress suite
 * @suite: the suite
 *
 * Registers the edu PCI driver and the NVMe one for the suite's duration
 * (probing edu, and an NVMe controller named in nvme_allow=, if present)
 * and, on the first call, draws the pattern seed and logs the
 * mode. Process context.
 *
 * Return: 0, or the pci_register_driver() error.
 */
int dmastress_kunit_suite_init(struct kunit_suite *suite)
{
	int ret = 0;

	mutex_lock(&dmastress_kunit_edu_lock);
	if (!dmastress_kunit_seed_param) {
		while (!dmastress_kunit_seed_param)
			dmastress_kunit_seed_param = get_random_u32();
		pr_info("dmastress_kunit: seed=0x%x mode=%s group=%s swiotlb=%d (replay: dmastress_kunit.seed=0x%x)\n",
			dmastress_kunit_seed_param, dmastress_kunit_mode_name(),
			*dmastress_kunit_group_param ?
				dmastress_kunit_group_param : "unknown",
			dmastress_kunit_swiotlb_param,
			dmastress_kunit_seed_param);
	}
	if (dmastress_kunit_edu_users++) {
		mutex_unlock(&dmastress_kunit_edu_lock);
		return 0;
	}
	mutex_unlock(&dmastress_kunit_edu_lock);

	ret = pci_register_driver(&dmastress_kunit_edu_driver);
	if (!ret) {
		ret = pci_register_driver(&dmastress_kunit_nvme_driver);
		if (ret)
			pci_unregister_driver(&dmastress_kunit_edu_driver);
	}
	mutex_lock(&dmastress_kunit_edu_lock);
	if (ret)
		dmastress_kunit_edu_users--;
	mutex_unlock(&dmastress_kunit_edu_lock);
	if (!ret && !dmastress_kunit_edu_dd)
		dmastress_kunit_edu_explain();
	return ret;
}

/**
 * dmastress_kunit_suite_exit() - .suite_exit of every dmastress suite
 * @suite: the suite
 *
 * Unregisters the drivers when the last suite using them ends. Process
 * context.
 */
void dmastress_kunit_suite_exit(struct kunit_suite *suite)
{
	bool last;

	mutex_lock(&dmastress_kunit_edu_lock);
	last = dmastress_kunit_edu_users && !--dmastress_kunit_edu_users;
	mutex_unlock(&dmastress_kunit_edu_lock);
	if (last) {
		pci_unregister_driver(&dmastress_kunit_nvme_driver);
		pci_unregister_driver(&dmastress_kunit_edu_driver);
	}
}

/*
 * DMA-debug: kernel/dma/debug.c counts every error it reports in a static
 * error_count that it exports only as debugfs dma-api/error_count. KUnit
 * runs before user space could mount debugfs, so the counter is reached
 * through the debugfs dentry: debugfs_create_u32() keeps the address of the
 * u32 in the inode's i_private, and the variable lives as long as the
 * kernel. The same holds for the "disabled" bool.
 */
struct dmastress_kunit_dma_debug {
	struct kunit *test;
	const u32 *error_count;
	const bool *disabled;
	u32 start;
};

static const void *dmastress_kunit_debugfs_data(struct dentry *dir,
						const char *name)
{
	struct dentry *d = debugfs_lookup(name, dir);
	const void *data = NULL;

	if (!IS_ERR_OR_NULL(d)) {
		if (d_inode(d))
			data = d_inode(d)->i_private;
		dput(d);
	}
	return data;
}

static void dmastress_kunit_check_dma_debug(void *data)
{
	struct dmastress_kunit_dma_debug *w = data;
	struct kunit *test = w->test;
	u32 now = READ_ONCE(*w->error_count);

	KUNIT_EXPECT_EQ_MSG(test, now, w->start,
			    "DMA-API debug reported %u error(s) during the case (see the log)",
			    now - w->start);
	if (w->disabled)
		KUNIT_EXPECT_FALSE_MSG(test, READ_ONCE(*w->disabled),
				       "DMA-API debug disabled itself: error_count no longer counts");
}

/**
 * dmastress_kunit_case_init() - .init of every dmastress suite
 * @test: the test
 *
 * Registers, as the case's first cleanup action (so it runs last, after
 * every unmap and free), a check that DMA-API debug's error_count did not
 * rise during the case. With CONFIG_DMA_API_DEBUG the counter must be
 * found. Process context.
 *
 * Return: 0, or -ENOMEM / -ENOENT.
 */
int dmastress_kunit_case_init(struct kunit *test)
{
	struct dmastress_kunit_dma_debug *w;
	struct dentry *dir;

	if (!IS_ENABLED(CONFIG_DMA_API_DEBUG))
		return 0;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	dir = debugfs_lookup("dma-api", NULL);
	if (IS_ERR_OR_NULL(dir)) {
		kunit_err(test, "CONFIG_DMA_API_DEBUG but no debugfs dma-api/\n");
		return -ENOENT;
	}
	w->test = test;
	w->error_count = dmastress_kunit_debugfs_data(dir, "error_count");
	w->disabled = dmastress_kunit_debugfs_data(dir, "disabled");
	dput(dir);
	if (!w->error_count) {
		kunit_err(test, "no debugfs dma-api/error_count\n");
		return -ENOENT;
	}
	w->start = READ_ONCE(*w->error_count);
	return kunit_add_action_or_reset(test, dmastress_kunit_check_dma_debug,
					 w);
}

static void dmastress_kunit_restore_masks(void *data)
{
	struct dmastress_dev *dd = data;

	mutex_lock(&dd->lock);
	dmastress_restore_masks(dd);
	mutex_unlock(&dd->lock);
}

/**
 * dmastress_kunit_edu() - the edu device for this case, or skip
 * @test: the test
 *
 * The device's masks are put back to the ones saved at probe when the case
 * ends. Process context.
 *
 * Return: the device; skips the case (does not return) without one.
 */
struct dmastress_dev *dmastress_kunit_edu(struct kunit *test)
{
	struct dmastress_dev *dd;
	int ret;

	mutex_lock(&dmastress_kunit_edu_lock);
	dd = dmastress_kunit_edu_dd;
	mutex_unlock(&dmastress_kunit_edu_lock);
	if (!dd)
		kunit_skip(test, "needs QEMU's edu device: %s",
			   dmastress_kunit_edu_why);
	ret = kunit_add_action_or_reset(test, dmastress_kunit_restore_masks,
					dd);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return dd;
}

/**
 * dmastress_kunit_nvme() - the NVMe controller for this case, or skip
 * @test: the test
 *
 * The controller the nvme engine drives (dmastress_kunit.nvme_allow=),
 * its masks put back when the case ends. Process context.
 *
 * Return: the device; skips the case (does not return) without one, or
 * when the engine refused it (the reason of the engine).
 */
struct dmastress_dev *dmastress_kunit_nvme(struct kunit *test)
{
	const char *why = NULL;
	struct dmastress_dev *dd;
	int ret;

	mutex_lock(&dmastress_kunit_edu_lock);
	dd = dmastress_kunit_nvme_dd;
	mutex_unlock(&dmastress_kunit_edu_lock);
	if (!dd)
		kunit_skip(test, "needs an NVMe controller in %s",
			   "dmastress_kunit.nvme_allow= (scripts/kunit attaches one)");
	if (!dmastress_engine_nvme.usable(dd, &why))
		kunit_skip(test, "nvme engine: %s", why);
	ret = kunit_add_action_or_reset(test, dmastress_kunit_restore_masks,
					dd);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return dd;
}

/**
 * dmastress_kunit_plain() - a kunit_device_register() device for this case
 * @test: the test
 *
 * A dma-direct device without a bus-master: the cpu engine only. Its masks
 * are aliased (dma_mask points at coherent_dma_mask) and set to 64 bits;
 * it has dma_parms (default segment limits) as a bus device would.
 * Unregistered when the case ends. Process context.
 *
 * Return: the device; the case fails (does not return) on an error.
 */
struct dmastress_dev *dmastress_kunit_plain(struct kunit *test)
{
	struct device_dma_parameters *parms;
	struct dmastress_dev *dd;
	struct device *dev;

	/*
	 * A kunit device has no bus to give it dma_parms (PCI and platform
	 * devices get theirs from the bus): without them its segment limits
	 * cannot be set. Zeroed parms mean the defaults (64 KiB segments).
	 * Allocated first, so freed after the device is unregistered.
	 */
	parms = kunit_kzalloc(test, sizeof(*parms), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, parms);
	dev = kunit_device_register(test, DMASTRESS_KUNIT_NAME);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	if (!dev->dma_parms)
		dev->dma_parms = parms;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)),
			0);

	dd = kunit_kzalloc(test, sizeof(*dd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dd);
	dd->dev = dev;
	dd->irq = -1;
	dd->saved_dma_mask = dma_get_mask(dev);
	dd->saved_coherent_mask = dev->coherent_dma_mask;
	dd->saved_max_seg_size = dma_get_max_seg_size(dev);
	mutex_init(&dd->lock);
	mutex_init(&dd->edu_lock);
	init_completion(&dd->edu_done);
	strscpy(dd->name, DMASTRESS_KUNIT_NAME, sizeof(dd->name));
	return dd;
}

/**
 * dmastress_kunit_dev_for() - the device a case with @engine runs on
 * @test: the test
 * @engine: enum dmastress_engine_id
 *
 * The NVMe controller for the nvme engine (dmastress_kunit_nvme()); else
 * edu when present, for both other engines, so that the cpu engine walks
 * the same translation (IOMMU or not) as the device would. Without edu the edu
 * engine skips and the cpu engine falls back to a kunit device
 * (dma-direct), which is logged. Process context.
 *
 * Return: the device.
 */
struct dmastress_dev *dmastress_kunit_dev_for(struct kunit *test, u32 engine)
{
	bool have_edu;

	if (engine == DMASTRESS_ENGINE_NVME)
		return dmastress_kunit_nvme(test);
	mutex_lock(&dmastress_kunit_edu_lock);
	have_edu = dmastress_kunit_edu_dd;
	mutex_unlock(&dmastress_kunit_edu_lock);
	if (have_edu || engine == DMASTRESS_ENGINE_EDU)
		return dmastress_kunit_edu(test);
	kunit_info(test, "%s: cpu engine on a kunit device (dma-direct)\n",
		   dmastress_kunit_edu_why);
	return dmastress_kunit_plain(test);
}

/**
 * dmastress_kunit_resolve_len() - a table length for a device
 * @dd: the device
 * @len: bytes, or DMASTRESS_KUNIT_LEN_MAX_SEG(_PLUS_1)
 *
 * Return: bytes.
 */
u64 dmastress_kunit_resolve_len(struct dmastress_dev *dd, u64 len)
{
	if (len == DMASTRESS_KUNIT_LEN_MAX_SEG)
		return dma_get_max_seg_size(dd->dev);
	if (len == DMASTRESS_KUNIT_LEN_MAX_SEG_PLUS_1)
		return (u64)dma_get_max_seg_size(dd->dev) + 1;
	return len;
}

/**
 * dmastress_kunit_params() - parameters of a one-op verified run
 * @p: filled: one thread, one iteration, the suites' seed
 * @path: enum dmastress_path_id
 * @engine: enum dmastress_engine_id
 * @dir: DMASTRESS_DIR_*
 * @len: bytes
 */
void dmastress_kunit_params(struct dmastress_run_params *p, u32 path,
			    u32 engine, u32 dir, u64 len)
{
	memset(p, 0, sizeof(*p));
	p->path = path;
	p->engine = engine;
	p->dir = dir;
	p->len_bytes = len;
	p->threads = 1;
	p->iterations = 1;
	p->seed = dmastress_kunit_seed_param;
}

/**
 * dmastress_kunit_xfer_test() - run a struct dmastress_kunit_xfer case
 * @test: the test; its param_value is a const struct dmastress_kunit_xfer
 *
 * One op of the case's path and engine on dmastress_kunit_dev_for(), every
 * byte verified: see dmastress_kunit_expect_intact().
 */
void dmastress_kunit_xfer_test(struct kunit *test)
{
	const struct dmastress_kunit_xfer *c = test->param_value;
	struct dmastress_run_params p;
	struct dmastress_run_result res;
	struct dmastress_dev *dd;

	dd = dmastress_kunit_dev_for(test, c->engine);
	dmastress_kunit_params(&p, c->path, c->engine, c->dir,
			       dmastress_kunit_resolve_len(dd, c->len));
	p.nents = c->nents;
	p.offset_bytes = c->offset;
	p.piece_bytes = c->piece;
	p.flags |= c->flags;
	dmastress_kunit_run(test, dd, &p, &res);
	dmastress_kunit_expect_intact(test, &p, &res);
}

/**
 * dmastress_kunit_expect_translation() - a DMA address against its memory
 * @test: the test
 * @mode: dmastress_kunit_mode(); UNKNOWN skips the case
 * @bounced: the mapping bounces under swiotlb=force (a streaming map)
 * @dma: the DMA address the DMA API returned
 * @phys: the physical address of the CPU memory behind it
 *
 * Under translation (group type DMA or DMA-FQ) the device sees an IOVA,
 * not the physical address; under a bounced mapping it sees the swiotlb
 * slot; otherwise (dma-direct, identity) x86 hands the device the
 * physical address itself.
 */
void dmastress_kunit_expect_translation(struct kunit *test,
					enum dmastress_kunit_mode mode,
					bool bounced, dma_addr_t dma,
					phys_addr_t phys)
{
	switch (mode) {
	case DMASTRESS_KUNIT_MODE_TRANSLATED:
		KUNIT_EXPECT_NE_MSG(test, (u64)dma, (u64)phys,
				    "group type DMA/DMA-FQ: the IOVA equals the physical address");
		break;
	case DMASTRESS_KUNIT_MODE_SWIOTLB:
		if (bounced) {
			KUNIT_EXPECT_NE_MSG(test, (u64)dma, (u64)phys,
					    "swiotlb=force: a streaming map is not bounced");
			break;
		}
		fallthrough;
	case DMASTRESS_KUNIT_MODE_DIRECT:
	case DMASTRESS_KUNIT_MODE_IDENTITY:
		KUNIT_EXPECT_EQ_MSG(test, (u64)dma, (u64)phys,
				    "no translation: the DMA address is not the physical address");
		break;
	default:
		kunit_skip(test, "mode unknown: boot with dmastress_kunit.group=");
	}
}

/**
 * dmastress_kunit_run() - one dmastress_run() under the device lock
 * @test: the test
 * @dd: the device
 * @p: validated here (the case fails on -EINVAL)
 * @res: the result
 *
 * A run that reports -EOPNOTSUPP (the path or engine cannot run here)
 * skips the case with the core's reason; any other error fails it. Process
 * context, may sleep.
 */
void dmastress_kunit_run(struct kunit *test, struct dmastress_dev *dd,
			 const struct dmastress_run_params *p,
			 struct dmastress_run_result *res)
{
	int ret;

	KUNIT_ASSERT_EQ_MSG(test, dmastress_validate_params(p), 0,
			    "the case's parameters are invalid");
	mutex_lock(&dd->lock);
	ret = dmastress_run(dd, p, res, NULL);
	mutex_unlock(&dd->lock);

	if (ret == -EOPNOTSUPP)
		kunit_skip(test, "%.*s", (int)sizeof(res->skip_reason),
			   res->skip_reason);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0,
			    "dmastress_run() failed (%.*s): map_errors %llu alloc_errors %llu device_faults %llu",
			    (int)sizeof(res->skip_reason), res->skip_reason,
			    res->map_errors, res->alloc_errors,
			    res->device_faults);
}

/**
 * dmastress_kunit_expect_intact() - the properties of a clean run
 * @test: the test
 * @p: the run's parameters
 * @res: its result
 *
 * Every byte arrived, nothing around the buffers changed, every address
 * was within the mask and every segment within max_seg_size and the
 * segment boundary, and the device did not fault.
 */
void dmastress_kunit_expect_intact(struct kunit *test,
				   const struct dmastress_run_params *p,
				   const struct dmastress_run_result *res)
{
	KUNIT_EXPECT_EQ(test, res->ops, p->iterations * p->threads);
	KUNIT_EXPECT_EQ(test, res->bytes, res->ops * p->len_bytes);
	KUNIT_EXPECT_EQ_MSG(test, res->mismatches, 0,
			    "first at offset %llu: expected 0x%02x, found 0x%02x",
			    res->first_mismatch_offset, res->first_expected,
			    res->first_actual);
	KUNIT_EXPECT_EQ(test, res->guard_errors, 0);
	KUNIT_EXPECT_EQ(test, res->src_errors, 0);
	KUNIT_EXPECT_EQ(test, res->device_faults, 0);
	KUNIT_EXPECT_EQ(test, res->map_errors, 0);
	KUNIT_EXPECT_EQ(test, res->alloc_errors, 0);
	KUNIT_EXPECT_EQ(test, res->mask_violations, 0);
	KUNIT_EXPECT_EQ(test, res->seg_violations, 0);
	KUNIT_EXPECT_EQ(test, res->stale_mappings, 0);
}

/**
 * dmastress_kunit_set_masks() - set a device's masks for this case
 * @test: the test
 * @dd: the device, from dmastress_kunit_edu() (its masks are put back when
 *	the case ends)
 * @dma_mask: streaming mask
 * @coherent_mask: coherent mask
 *
 * Return: 0, or the dma_set_mask()/dma_set_coherent_mask() error.
 */
int dmastress_kunit_set_masks(struct kunit *test, struct dmastress_dev *dd,
			      u64 dma_mask, u64 coherent_mask)
{
	int ret;

	ret = dma_set_mask(dd->dev, dma_mask);
	if (ret)
		return ret;
	return dma_set_coherent_mask(dd->dev, coherent_mask);
}

struct dmastress_kunit_seg_limits {
	struct device *dev;
	unsigned int max_seg_size;
	unsigned long seg_boundary;
};

static void dmastress_kunit_restore_seg_limits(void *data)
{
	struct dmastress_kunit_seg_limits *s = data;

	dma_set_max_seg_size(s->dev, s->max_seg_size);
	dma_set_seg_boundary(s->dev, s->seg_boundary);
}

/**
 * dmastress_kunit_set_seg_limits() - narrow a device's segment limits
 * @test: the test
 * @dev: a device with dma_parms (a PCI device, dmastress_kunit_plain()'s)
 * @max_seg_size: bytes
 * @seg_boundary: segment boundary mask (a power of two minus one)
 *
 * The previous limits are put back when the case ends.
 *
 * Return: 0, -EINVAL without dma_parms, or -ENOMEM.
 */
int dmastress_kunit_set_seg_limits(struct kunit *test, struct device *dev,
				   unsigned int max_seg_size,
				   unsigned long seg_boundary)
{
	struct dmastress_kunit_seg_limits *s;
	int ret;

	if (!dev->dma_parms)
		return -EINVAL;
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->dev = dev;
	s->max_seg_size = dma_get_max_seg_size(dev);
	s->seg_boundary = dma_get_seg_boundary(dev);
	ret = kunit_add_action_or_reset(test,
					dmastress_kunit_restore_seg_limits, s);
	if (ret)
		return ret;
	dma_set_max_seg_size(dev, max_seg_size);
	dma_set_seg_boundary(dev, seg_boundary);
	return 0;
}

/**
 * dmastress_kunit_dir_name() - a direction for descriptions
 * @dir: DMASTRESS_DIR_*
 *
 * Return: "bidi", "to", "from" (DMASTRESS_DIRS) or "unknown".
 */
const char *dmastress_kunit_dir_name(u32 dir)
{
	return dmastress_dir_name(dir);
}

/**
 * dmastress_kunit_engine_name() - an engine for descriptions
 * @engine: enum dmastress_engine_id
 *
 * Return: the engine's name, or "unknown".
 */
const char *dmastress_kunit_engine_name(u32 engine)
{
	return dmastress_engine_name(engine);
}
