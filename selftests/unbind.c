// SPDX-License-Identifier: GPL-2.0-only
/*
 * unbind.c - the device goes away under load
 *
 * Fixture under_run, variant = path x engine (every path with the cpu
 * engine, a stress mix of all of them, the nvme engine's paths, edu): a run
 * (UNBIND_SECONDS, two threads; one for edu) on the second nvme engine
 * controller (/dev/dmastress2, which nothing else uses; for edu the edu
 * device, /dev/dmastress0), and the device taken away 300 ms in: unbound
 * from dmastress, or (the _removed variants) removed from the PCI bus and
 * found again by a rescan, which gives it back to dmastress. The run must
 * end soon with status -ENODEV (its counters up to then free of data
 * errors), the unbind or remove must return, and once the device is back
 * dma-debug's entries in use and swiotlb's used slots are where they were,
 * the device runs verified again and the kernel log has no bug report.
 *
 * under_view: a view mapped, VIEW_XFERs in a loop on it from a thread,
 * and the controller unbound: the loop's next call fails with -ENODEV, the
 * next read of the mapping gets SIGBUS.
 *
 * Built as TEST_GEN_PROGS_EXTENDED: make soak runs it (part classes), not
 * the kselftest runner, since it unbinds a device for each variant.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>

#include "dmastress_utils.h"

#define UNBIND_DEV	"/dev/dmastress2"
#define UNBIND_SECONDS	20
#define UNBIND_BOUND_S	10.0

struct unbind_ctx {
	int fd;
	const char *dev;
	char bdf[32];
	struct dmastress_run run;
	int ret;
	double ended;
};

static void *unbind_run_fn(void *arg)
{
	struct unbind_ctx *c = arg;

	c->ret = _dmastress_run(c->fd, &c->run);
	c->ended = dmastress_now_s();
	return NULL;
}

/* Open c->dev and learn its address; false: not here, or no @engine. */
static bool unbind_open(struct unbind_ctx *c, __u32 engine)
{
	struct dmastress_info info;

	if (!c->dev)
		c->dev = UNBIND_DEV;
	c->fd = dmastress_dev_open(c->dev);
	if (c->fd < 0)
		return false;
	if (dmastress_dev_info(c->fd, &info) ||
	    !(info.engines & (1U << engine))) {
		close(c->fd);
		return false;
	}
	dmastress_bdf_name(info.bdf, c->bdf, sizeof(c->bdf));
	return true;
}

/* Wait up to 10 s for the node @dev to open; 0 or -1. */
static int wait_node(const char *dev)
{
	int i, fd;

	for (i = 0; i < 100; i++) {
		fd = dmastress_dev_open(dev);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		usleep(100000);
	}
	return -1;
}

/* Bind @bdf to dmastress again and wait for @dev; 0 or -1. */
static int rebind(const char *bdf, const char *dev)
{
	if (dmastress_write_file("/sys/bus/pci/drivers/dmastress/bind", bdf))
		return -1;
	return wait_node(dev);
}

/*
 * After a remove: rescan the bus and give @bdf back to dmastress (the
 * kernel's nvme driver may take a controller first, as at boot, and its
 * probe runs asynchronously: scripts/guest-init), then wait for @dev; 0, or
 * -1 when that has not happened within 10 s.
 */
static int rescan(const char *bdf, const char *dev)
{
	char path[200], drv[160], link[160];
	ssize_t n;
	int i;

	if (dmastress_write_file("/sys/bus/pci/rescan", "1"))
		return -1;
	snprintf(drv, sizeof(drv), "/sys/bus/pci/devices/%s/driver", bdf);
	for (i = 0; i < 100; i++, usleep(100000)) {
		n = readlink(drv, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			if (strstr(link, "/dmastress") && !access(dev, F_OK))
				return wait_node(dev);
			if (!strstr(link, "/dmastress")) {
				snprintf(path, sizeof(path), "%s/unbind", drv);
				dmastress_write_file(path, bdf);
			}
			continue;
		}
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver_override", bdf);
		if (dmastress_write_file(path, "dmastress"))
			continue;	/* not found again yet */
		dmastress_write_file("/sys/bus/pci/drivers/dmastress/bind", bdf);
	}
	return -1;
}

FIXTURE(under_run) {
	int kmsg;
};

FIXTURE_VARIANT(under_run) {
	__u32 path;
	__u32 engine;
	__u64 len;
	__u32 flags;
	__u32 live;		/* STRESS: mappings alive per thread */
	const char *dev;	/* NULL: UNBIND_DEV */
	bool remove;		/* remove from the bus and rescan, not unbind */
};

#define UNDER_RUN(_p, _P, _e, _E, _len, ...)				\
	FIXTURE_VARIANT_ADD(under_run, _p##_##_e) {			\
		.path = DMASTRESS_PATH_##_P,				\
		.engine = DMASTRESS_ENGINE_##_E, .len = (_len),		\
		__VA_ARGS__						\
	}

UNDER_RUN(coherent, COHERENT, cpu, CPU, 65536);
UNDER_RUN(pool, POOL, cpu, CPU, 4096);
UNDER_RUN(single, SINGLE, cpu, CPU, 65536);
UNDER_RUN(page, PAGE, cpu, CPU, 65536);
UNDER_RUN(sg, SG, cpu, CPU, 1 << 20);
UNDER_RUN(sgtable, SGTABLE, cpu, CPU, 1 << 20);
UNDER_RUN(resource, RESOURCE, cpu, CPU, 65536);
UNDER_RUN(pages, PAGES, cpu, CPU, 65536);
UNDER_RUN(noncoherent, NONCOHERENT, cpu, CPU, 65536);
UNDER_RUN(noncontig, NONCONTIG, cpu, CPU, 65536);
UNDER_RUN(phys, PHYS, cpu, CPU, 65536);
UNDER_RUN(iova, IOVA, cpu, CPU, 1 << 20);
UNDER_RUN(p2pdma, P2PDMA, cpu, CPU, 65536);
UNDER_RUN(stress, SINGLE, cpu, CPU, 65536, .flags = DMASTRESS_RUN_STRESS,
	  .live = 4,);
UNDER_RUN(single, SINGLE, nvme, NVME, 65536);
UNDER_RUN(page, PAGE, nvme, NVME, 65536);
UNDER_RUN(sg, SG, nvme, NVME, 1 << 20);
UNDER_RUN(sgtable, SGTABLE, nvme, NVME, 1 << 20);
UNDER_RUN(coherent, COHERENT, nvme, NVME, 65536);
UNDER_RUN(pool, POOL, nvme, NVME, 4096);
UNDER_RUN(resource, RESOURCE, nvme, NVME, 65536);
UNDER_RUN(noncontig, NONCONTIG, nvme, NVME, 65536);
UNDER_RUN(single, SINGLE, edu, EDU, 2048, .dev = "/dev/dmastress0",);
UNDER_RUN(coherent, COHERENT, edu, EDU, 2048, .dev = "/dev/dmastress0",);
UNDER_RUN(single_removed, SINGLE, cpu, CPU, 65536, .remove = true,);
UNDER_RUN(sg_removed, SG, nvme, NVME, 1 << 20, .remove = true,);
UNDER_RUN(stress_removed, SINGLE, cpu, CPU, 65536,
	  .flags = DMASTRESS_RUN_STRESS, .live = 4, .remove = true,);

FIXTURE_SETUP(under_run)
{
	self->kmsg = dmastress_kmsg_open();
}

FIXTURE_TEARDOWN(under_run)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F_TIMEOUT(under_run, ends_with_enodev_leaves_nothing, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_dma_footprint fp0, fp1;
	struct dmastress_run check;
	struct unbind_ctx c = { .dev = variant->dev };
	char path[128], first[256];
	double t0, t1;
	pthread_t tid;
	int fd;

	if (!unbind_open(&c, variant->engine))
		SKIP(return, "no %s with this engine", c.dev);
	/* warm-up: what a first run sets up for good is not a leak */
	dmastress_run_init(&check, variant->path, variant->engine,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 2, 0x0b);
	check.params.flags = variant->flags;
	check.params.live = variant->live;
	dmastress_run(c.fd, &check);
	if (check.status == -EOPNOTSUPP) {
		close(c.fd);
		SKIP(return, "%.64s", check.result.skip_reason);
	}
	dmastress_dma_footprint(&fp0);
	dmastress_run_init(&c.run, variant->path, variant->engine,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 0, 0x0c);
	c.run.params.seconds = UNBIND_SECONDS;
	c.run.params.flags = variant->flags;
	c.run.params.live = variant->live;
	/* edu is one DMA engine: two threads would only queue on it */
	c.run.params.threads = variant->engine == DMASTRESS_ENGINE_EDU ? 1 : 2;
	ASSERT_EQ(0, pthread_create(&tid, NULL, unbind_run_fn, &c));
	usleep(300000);
	if (variant->remove)
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove",
			 c.bdf);
	else
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/driver/unbind", c.bdf);
	t0 = dmastress_now_s();
	ASSERT_EQ(0, dmastress_write_file(path, variant->remove ? "1" : c.bdf));
	t1 = dmastress_now_s();
	ASSERT_EQ(0, pthread_join(tid, NULL));
	close(c.fd);
	ksft_print_msg("%s took %.3f s, the run ended %.3f s after it began: ioctl %d status %d, %llu ops\n",
		       variant->remove ? "remove" : "unbind", t1 - t0,
		       c.ended - t0, c.ret, c.run.status,
		       (unsigned long long)c.run.result.ops);
	EXPECT_GT(UNBIND_BOUND_S, t1 - t0);
	EXPECT_EQ(0, c.ret);
	EXPECT_EQ(-ENODEV, c.run.status);
	EXPECT_EQ(0, c.run.result.mismatches + c.run.result.guard_errors +
		     c.run.result.src_errors);
	ASSERT_EQ(0, variant->remove ? rescan(c.bdf, c.dev) :
				       rebind(c.bdf, c.dev));
	dmastress_dma_footprint(&fp1);
	EXPECT_EQ(fp0.swiotlb_used, fp1.swiotlb_used);
	fd = dmastress_dev_open(c.dev);
	ASSERT_LE(0, fd);
	dmastress_run_init(&check, variant->path, variant->engine,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 2, 0x0d);
	check.params.flags = variant->flags;
	check.params.live = variant->live;
	dmastress_run_verified(fd, &check);
	close(fd);
	/* the rebound device's own set-up is back too */
	dmastress_dma_footprint(&fp1);
	dmastress_expect_footprint(&fp0, &fp1);
	if (self->kmsg >= 0)
		EXPECT_EQ(0, dmastress_kmsg_bad(self->kmsg, first, sizeof(first)))
			TH_LOG("kernel log: %s", first);
}

/* ---- under_view ------------------------------------------------------- */

struct view_loop {
	int fd;
	__u32 id;
	int last;
	unsigned long calls;
};

static void *view_loop_fn(void *arg)
{
	struct view_loop *l = arg;
	struct dmastress_view_xfer x;

	do {
		l->last = _dmastress_view_xfer(l->fd, l->id,
					       DMASTRESS_VIEW_DEVICE_WRITE,
					       DMASTRESS_ENGINE_CPU, 7, 65536,
					       &x);
		l->calls++;
	} while (!l->last);
	return NULL;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

TEST(under_view)
{
	struct unbind_ctx c = { 0 };
	struct dmastress_view v;
	struct view_loop l = { 0 };
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile bool bus = false;
	char path[128];
	void *map = NULL;
	pthread_t tid;

	if (!unbind_open(&c, DMASTRESS_ENGINE_CPU))
		SKIP(return, "no %s", UNBIND_DEV);
	ASSERT_EQ(0, _dmastress_view_create(c.fd, DMASTRESS_PATH_COHERENT,
					    65536, &v));
	dmastress_mmap(c.fd, v.mmap_offset, 65536, PROT_READ | PROT_WRITE,
		       &map);
	l.fd = c.fd;
	l.id = v.id;
	ASSERT_EQ(0, pthread_create(&tid, NULL, view_loop_fn, &l));
	usleep(300000);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 c.bdf);
	ASSERT_EQ(0, dmastress_write_file(path, c.bdf));
	ASSERT_EQ(0, pthread_join(tid, NULL));
	/* the mapping is revoked: a read gets SIGBUS */
	ASSERT_EQ(0, sigaction(SIGBUS, &sa, &old));
	if (!sigsetjmp(bus_jmp, 1))
		(void)((volatile __u8 *)map)[0];
	else
		bus = true;
	sigaction(SIGBUS, &old, NULL);
	ksft_print_msg("%lu VIEW_XFERs, then %d; the read after the unbind: %s\n",
		       l.calls, l.last, bus ? "SIGBUS" : "returned");
	EXPECT_EQ(-ENODEV, l.last);
	EXPECT_TRUE(bus);
	munmap(map, 65536);
	close(c.fd);
	ASSERT_EQ(0, rebind(c.bdf, c.dev));
}

DMASTRESS_HARNESS_MAIN
