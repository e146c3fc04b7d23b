// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap.c - what user space sees through mmap() of a DMA buffer.
 *
 * view:      buffers mapped with dma_mmap_coherent(), dma_mmap_pages() and
 *            dma_mmap_noncontiguous(): the device writes, user space reads
 *            through the mapping; user space writes, the device reads back.
 *            Must hold in every IOMMU mode.
 * pitfall:   the PFN pitfall (module parameter pfn_pitfall=1): the read-only
 *            remap_pfn_range() of the dma_addr_t taken as a physical
 *            address, offered only where /dev/mem would map the range, agrees with the right view when the dma_addr_t is a
 *            physical address (no IOMMU, identity domain; swiotlb does not
 *            bounce coherent buffers) and differs from it behind a
 *            translating IOMMU (group type DMA, DMA-FQ), where the right view
 *            still holds the device's data.
 * bounds:    a length or offset beyond a view is refused; views are bounded
 *            per file (DMASTRESS_MAX_VIEWS) and per device (max_view_mib).
 * lifetime:  munmap() and close() in any order, with or without a run in
 *            progress, lose no data and leak no reference.
 * during_run: mmap() of a view and /proc/PID/maps do not wait for a run.
 * unbind:    a view fork() copied (MADV_DOFORK) is revoked in the child
 *            too when the device is unbound.
 * mm:        what the rest of the memory manager does with a view: splits
 *            by a partial munmap() or mprotect() keep it busy until its
 *            last piece goes; mremap() moves it (and the move is revoked
 *            at unbind) but cannot grow it; MADV_WIPEONFORK is refused and
 *            fork() does not copy it; a clone(CLONE_VM) child shares it;
 *            MADV_DONTNEED drops the user's pages but not the buffer's
 *            bytes; /proc/PID/mem, process_vm_readv() and O_DIRECT I/O
 *            through a block device either see the view's bytes or fail
 *            with the errno the mapping's kind gives (VM_IO, VM_PFNMAP).
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "dmastress_utils.h"

/* ---- view: the right mapping, in every mode ------------------------- */

FIXTURE(view) {
	int fd;
	struct dmastress_info info;
	struct dmastress_view v;
	__u8 *map;
};

FIXTURE_VARIANT(view) {
	__u32 path;
	__u32 engine;
	__u64 len;
	__u32 attrs;
};

/* edu: 4 transfers of 2 KiB each way; cpu: a larger buffer. */
#define VIEW_VARIANT(_p, _P, _e, _E, _len)				\
	FIXTURE_VARIANT_ADD(view, _p##_##_e) {				\
		.path = DMASTRESS_PATH_##_P,				\
		.engine = DMASTRESS_ENGINE_##_E,			\
		.len = (_len),						\
	}

VIEW_VARIANT(coherent, COHERENT, edu, EDU, 8192);
VIEW_VARIANT(pages, PAGES, edu, EDU, 8192);
VIEW_VARIANT(noncontig, NONCONTIG, edu, EDU, 8192);
VIEW_VARIANT(coherent, COHERENT, cpu, CPU, DMASTRESS_MIB);
VIEW_VARIANT(pages, PAGES, cpu, CPU, DMASTRESS_MIB);
VIEW_VARIANT(noncontig, NONCONTIG, cpu, CPU, DMASTRESS_MIB);

/* dma_alloc_wc() and dma_mmap_wc(): a write-combining coherent view. */
FIXTURE_VARIANT_ADD(view, coherent_wc_edu) {
	.path = DMASTRESS_PATH_COHERENT, .engine = DMASTRESS_ENGINE_EDU,
	.len = 8192, .attrs = DMASTRESS_ATTR_WRITE_COMBINE,
};

FIXTURE_VARIANT_ADD(view, coherent_wc_cpu) {
	.path = DMASTRESS_PATH_COHERENT, .engine = DMASTRESS_ENGINE_CPU,
	.len = DMASTRESS_MIB, .attrs = DMASTRESS_ATTR_WRITE_COMBINE,
};

FIXTURE_SETUP(view)
{
	void *p = NULL;

	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
	if (!(self->info.engines & (1U << variant->engine)))
		SKIP(return, "engine %u cannot run on this device",
		     variant->engine);
	if (!(self->info.flags & DMASTRESS_INFO_CAN_MMAP))
		SKIP(return, "dma_can_mmap() is false for this device");
	ASSERT_EQ(0, _dmastress_view_create_attrs(self->fd, variant->path,
						  variant->len, variant->attrs,
						  &self->v));
	dmastress_mmap(self->fd, self->v.mmap_offset, variant->len,
		       PROT_READ | PROT_WRITE, &p);
	self->map = p;
}

FIXTURE_TEARDOWN(view)
{
	if (self->map)
		munmap((void *)self->map, self->v.len_bytes);
	close(self->fd);
}

TEST_F_TIMEOUT(view, device_writes_user_reads, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_view_xfer x;
	size_t bad, first;

	/* Something that is not the pattern, so a no-op transfer fails. */
	memset((void *)self->map, 0, variant->len);
	dmastress_view_xfer(self->fd, self->v.id, DMASTRESS_VIEW_DEVICE_WRITE,
			    variant->engine, 0x5eed01, variant->len, &x);
	EXPECT_EQ(0, x.device_faults);
	bad = dmastress_pattern_check(self->map, variant->len, 0x5eed01, &first);
	EXPECT_EQ(0, bad)
		TH_LOG("%zu of %llu bytes differ, first at %zu: 0x%02x, expected 0x%02x",
		       bad, (unsigned long long)variant->len, first,
		       first < variant->len ? self->map[first] : 0,
		       dmastress_pattern(0x5eed01, first));
}

TEST_F_TIMEOUT(view, user_writes_device_reads, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_view_xfer x;

	dmastress_pattern_fill(self->map, variant->len, 0x5eed02);
	dmastress_view_xfer(self->fd, self->v.id, DMASTRESS_VIEW_DEVICE_READ,
			    variant->engine, 0x5eed02, variant->len, &x);
	EXPECT_EQ(0, x.device_faults);
	EXPECT_EQ(0, x.mismatches)
		TH_LOG("first mismatch at %llu: 0x%02x, expected 0x%02x",
		       (unsigned long long)x.first_mismatch_offset,
		       x.first_actual, x.first_expected);
}

/* The device's check is not vacuous: one changed byte is one mismatch. */
TEST_F_TIMEOUT(view, device_read_finds_one_changed_byte, DMASTRESS_TEST_TIMEOUT)
{
	size_t at = variant->len / 2 + 3;
	struct dmastress_view_xfer x;

	dmastress_pattern_fill(self->map, variant->len, 0x5eed03);
	self->map[at] ^= 0x01;
	dmastress_view_xfer(self->fd, self->v.id, DMASTRESS_VIEW_DEVICE_READ,
			    variant->engine, 0x5eed03, variant->len, &x);
	EXPECT_EQ(1, x.mismatches);
	EXPECT_EQ(at, x.first_mismatch_offset);
	EXPECT_EQ(dmastress_pattern(0x5eed03, at), x.first_expected);
	EXPECT_EQ(dmastress_pattern(0x5eed03, at) ^ 0x01, x.first_actual);
}

/* A dma_addr_t is the physical address exactly when nothing translates. */
TEST_F_TIMEOUT(view, dma_addr_is_phys_unless_translated, DMASTRESS_TEST_TIMEOUT)
{
	ksft_print_msg("dma_addr=0x%llx phys_addr=0x%llx group_type=%u\n",
		       (unsigned long long)self->v.dma_addr,
		       (unsigned long long)self->v.phys_addr,
		       self->info.group_type);
	if (dmastress_group_translates(self->info.group_type)) {
		EXPECT_NE(self->v.phys_addr, self->v.dma_addr);
	} else {
		EXPECT_EQ(self->v.phys_addr, self->v.dma_addr);
	}
	EXPECT_EQ(0, self->v.dma_addr & (dmastress_page_size() - 1));
}

/* ---- pitfall: the wrong view next to the right one ------------------ */

FIXTURE(pitfall) {
	int fd;
	int group;
	char group_name[32];
	struct dmastress_view v;
	__u32 seed;
	__u8 *right;
	const __u8 *wrong;
	int wrong_err;		/* the wrong view's mmap() refused: -errno */
};

FIXTURE_VARIANT(pitfall) {
	__u32 path;
};

FIXTURE_VARIANT_ADD(pitfall, coherent) {
	.path = DMASTRESS_PATH_COHERENT,
};

FIXTURE_VARIANT_ADD(pitfall, pages) {
	.path = DMASTRESS_PATH_PAGES,
};

FIXTURE_VARIANT_ADD(pitfall, noncontig) {
	.path = DMASTRESS_PATH_NONCONTIG,
};

/*
 * Two pages. Behind an IOMMU the wrong view maps whatever physical page has
 * the number of the IOVA (RAM of someone else, firmware, a hole): it is
 * read-only and only ever compared, never trusted.
 */
#define PITFALL_LEN	8192

FIXTURE_SETUP(pitfall)
{
	struct dmastress_view_xfer x;
	struct dmastress_info info;
	void *p = NULL;

	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &info);
	if (!(info.flags & DMASTRESS_INFO_PFN_PITFALL))
		SKIP(return, "module loaded without pfn_pitfall=1");
	if (!(info.engines & (1U << DMASTRESS_ENGINE_EDU)))
		SKIP(return, "the bound device is not QEMU's edu");
	self->group = dmastress_sysfs_group(info.bdf, self->group_name,
					    sizeof(self->group_name));
	ASSERT_LE(0, self->group);
	ASSERT_EQ(info.group_type, self->group);

	dmastress_view_create(self->fd, variant->path, PITFALL_LEN, &self->v);
	ASSERT_NE(0, self->v.flags & DMASTRESS_VIEW_WRONG_PFN);
	dmastress_mmap(self->fd, self->v.mmap_offset, PITFALL_LEN,
		       PROT_READ | PROT_WRITE, &p);
	self->right = p;
	/* refused where /dev/mem would refuse the range (wrong_view_as_dev_mem) */
	p = NULL;
	self->wrong_err = _dmastress_mmap(self->fd, self->v.wrong_mmap_offset,
					  PITFALL_LEN, PROT_READ, &p);
	self->wrong = self->wrong_err ? NULL : p;

	/*
	 * The device writes the pattern into the buffer. User space writes
	 * nothing through the views: a seed of its own per test tells this
	 * transfer's data from anything left in recycled memory.
	 */
	self->seed = dmastress_seed() | 1;
	dmastress_view_xfer(self->fd, self->v.id, DMASTRESS_VIEW_DEVICE_WRITE,
			    DMASTRESS_ENGINE_EDU, self->seed, PITFALL_LEN, &x);
	ASSERT_EQ(0, x.device_faults);
	ksft_print_msg("group=%s dma_addr=0x%llx phys_addr=0x%llx\n",
		       self->group_name, (unsigned long long)self->v.dma_addr,
		       (unsigned long long)self->v.phys_addr);
}

FIXTURE_TEARDOWN(pitfall)
{
	if (self->wrong)
		munmap((void *)self->wrong, PITFALL_LEN);
	if (self->right)
		munmap((void *)self->right, PITFALL_LEN);
	close(self->fd);
}

TEST_F_TIMEOUT(pitfall, right_view_holds_device_data, DMASTRESS_TEST_TIMEOUT)
{
	size_t first, bad;

	bad = dmastress_pattern_check(self->right, PITFALL_LEN, self->seed,
				      &first);
	EXPECT_EQ(0, bad)
		TH_LOG("right view: %zu bytes differ from what the device wrote, first at %zu",
		       bad, first);
}

/*
 * The wrong view is read only where the physical range is memory or
 * firmware: in a hole a read returns all-ones and QEMU logs it as an invalid
 * access, which scripts/vm rightly takes for a device fault.
 */
static bool wrong_view_readable(__u64 phys, char *what, size_t n)
{
	if (dmastress_iomem_covering(phys, PITFALL_LEN, what, n)) {
		snprintf(what, n, "a hole in the physical address space");
		return false;
	}
	return !strcmp(what, "System RAM") ||
	       (!strcmp(what, "Reserved") && phys >= 0xfff00000ULL &&
		phys + PITFALL_LEN <= 0x100000000ULL);
}

TEST_F_TIMEOUT(pitfall, wrong_view_agrees_only_without_translation, DMASTRESS_TEST_TIMEOUT)
{
	size_t i, differ = 0, first = PITFALL_LEN;
	char what[64];

	if (!self->wrong)
		SKIP(return, "the wrong view is refused here (%s): see wrong_view_as_dev_mem",
		     strerror(-self->wrong_err));
	if (!wrong_view_readable(self->v.dma_addr, what, sizeof(what))) {
		/*
		 * Only an IOVA can point outside memory: the buffer is RAM, so
		 * the wrong view cannot show it.
		 */
		ksft_print_msg("group=%s: wrong view maps 0x%llx, %s: not read (all-ones there)\n",
			       self->group_name,
			       (unsigned long long)self->v.dma_addr, what);
		EXPECT_TRUE(dmastress_group_translates(self->group));
		EXPECT_NE(self->v.phys_addr, self->v.dma_addr);
		return;
	}
	ksft_print_msg("group=%s: wrong view maps 0x%llx (%s)\n",
		       self->group_name, (unsigned long long)self->v.dma_addr,
		       what);

	for (i = 0; i < PITFALL_LEN; i++) {
		if (self->wrong[i] != self->right[i]) {
			if (!differ++)
				first = i;
		}
	}
	ksft_print_msg("group=%s: wrong view differs in %zu of %d bytes (first at %zu); wrong[0..3]=%02x%02x%02x%02x right[0..3]=%02x%02x%02x%02x\n",
		       self->group_name, differ, PITFALL_LEN, first,
		       self->wrong[0], self->wrong[1], self->wrong[2],
		       self->wrong[3], self->right[0], self->right[1],
		       self->right[2], self->right[3]);
	if (dmastress_group_translates(self->group)) {
		/* The IOVA is not where the data is: most bytes differ. */
		EXPECT_LT(PITFALL_LEN / 2, differ);
	} else {
		EXPECT_EQ(0, differ);
	}
}

TEST_F_TIMEOUT(pitfall, wrong_view_is_read_only, DMASTRESS_TEST_TIMEOUT)
{
	void *p = NULL;
	int ret;

	ret = _dmastress_mmap(self->fd, self->v.wrong_mmap_offset, PITFALL_LEN,
			      PROT_READ | PROT_WRITE, &p);
	EXPECT_NE(0, ret);
	if (!ret) {
		munmap(p, PITFALL_LEN);
	} else {
		EXPECT_TRUE(ret == -EPERM || ret == -EACCES)
			TH_LOG("writable mmap of the wrong view: %d", ret);
	}
	/* Nor can the read-only mapping be made writable afterwards. */
	if (self->wrong)
		EXPECT_ERRNO(EACCES, mprotect((void *)self->wrong, PITFALL_LEN,
					      PROT_READ | PROT_WRITE));
}

/*
 * The wrong view maps the range only where /dev/mem maps it too (lockdown,
 * STRICT_DEVMEM's refusal of RAM and IO_STRICT_DEVMEM's of claimed ranges
 * hold), or where the range is the buffer's own (the dma_addr_t is its
 * physical address). Where both map a readable range, they show the same
 * bytes.
 */
TEST_F_TIMEOUT(pitfall, wrong_view_as_dev_mem, DMASTRESS_TEST_TIMEOUT)
{
	bool own = self->v.dma_addr == self->v.phys_addr;
	void *dm = MAP_FAILED;
	char what[64] = "";
	int memfd, dm_err = 0;

	memfd = open("/dev/mem", O_RDONLY | O_CLOEXEC);
	if (memfd < 0 && errno == ENOENT)
		SKIP(return, "no /dev/mem (CONFIG_DEVMEM)");
	if (memfd < 0) {
		dm_err = -errno;
	} else {
		dm = mmap(NULL, PITFALL_LEN, PROT_READ, MAP_SHARED, memfd,
			  (off_t)self->v.dma_addr);
		if (dm == MAP_FAILED)
			dm_err = -errno;
		close(memfd);
	}
	dmastress_iomem_covering(self->v.dma_addr, PITFALL_LEN, what,
				 sizeof(what));
	ksft_print_msg("group=%s: 0x%llx (%s): /dev/mem %s, wrong view %s%s\n",
		       self->group_name, (unsigned long long)self->v.dma_addr,
		       what[0] ? what : "a hole",
		       dm_err ? strerror(-dm_err) : "maps",
		       self->wrong_err ? strerror(-self->wrong_err) : "maps",
		       own ? " (the buffer's own pages)" : "");
	if (own) {
		EXPECT_EQ(0, self->wrong_err);
	} else {
		EXPECT_EQ(!dm_err, !self->wrong_err);
	}
	if (self->wrong_err) {
		EXPECT_EQ(-EPERM, self->wrong_err);
	}
	if (!dm_err && self->wrong &&
	    wrong_view_readable(self->v.dma_addr, what, sizeof(what))) {
		EXPECT_EQ(0, memcmp(dm, (const void *)self->wrong, PITFALL_LEN));
	}
	if (dm != MAP_FAILED)
		munmap(dm, PITFALL_LEN);
}

/* ---- bounds --------------------------------------------------------- */

FIXTURE(bounds) {
	int fd;
	size_t page;
	struct dmastress_view v;
};

#define BOUNDS_PAGES	2

FIXTURE_SETUP(bounds)
{
	dmastress_open(&self->fd);
	self->page = dmastress_page_size();
	dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT,
			      BOUNDS_PAGES * self->page, &self->v);
}

FIXTURE_TEARDOWN(bounds)
{
	close(self->fd);
}

TEST_F_TIMEOUT(bounds, whole_view_maps, DMASTRESS_TEST_TIMEOUT)
{
	void *p = NULL;

	dmastress_mmap(self->fd, self->v.mmap_offset, BOUNDS_PAGES * self->page,
		       PROT_READ | PROT_WRITE, &p);
	EXPECT_EQ(0, munmap(p, BOUNDS_PAGES * self->page));
}

TEST_F_TIMEOUT(bounds, length_beyond_view_refused, DMASTRESS_TEST_TIMEOUT)
{
	void *p = NULL;

	dmastress_err_mmap(EINVAL, self->fd, self->v.mmap_offset,
			   (BOUNDS_PAGES + 1) * self->page,
			   PROT_READ | PROT_WRITE, &p);
	dmastress_err_mmap(EINVAL, self->fd, self->v.mmap_offset,
			   64 * DMASTRESS_MIB, PROT_READ, &p);
}

TEST_F_TIMEOUT(bounds, offset_beyond_view_refused, DMASTRESS_TEST_TIMEOUT)
{
	void *p = NULL;

	dmastress_err_mmap(EINVAL, self->fd,
			   self->v.mmap_offset + BOUNDS_PAGES * self->page,
			   self->page, PROT_READ, &p);
	dmastress_err_mmap(EINVAL, self->fd,
			   self->v.mmap_offset + self->page,
			   BOUNDS_PAGES * self->page, PROT_READ, &p);
}

TEST_F_TIMEOUT(bounds, offset_of_no_view_refused, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_view other;
	void *p = NULL;

	/* The view that would come next does not exist yet. */
	dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, self->page,
			      &other);
	dmastress_view_destroy(self->fd, other.id);
	dmastress_err_mmap(EINVAL, self->fd, other.mmap_offset, self->page,
			   PROT_READ, &p);
	dmastress_err_mmap(EINVAL, self->fd, 1ULL << 40, self->page,
			   PROT_READ, &p);
}

TEST_F_TIMEOUT(bounds, wrong_view_refused_or_bounded, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info info;
	void *p = NULL;

	dmastress_get_info(self->fd, &info);
	if (info.flags & DMASTRESS_INFO_PFN_PITFALL) {
		dmastress_err_mmap(EINVAL, self->fd, self->v.wrong_mmap_offset,
				   (BOUNDS_PAGES + 1) * self->page, PROT_READ,
				   &p);
	} else {
		EXPECT_EQ(0, self->v.flags & DMASTRESS_VIEW_WRONG_PFN);
		dmastress_err_mmap(EPERM, self->fd, self->v.wrong_mmap_offset,
				   self->page, PROT_READ, &p);
	}
}

TEST_F_TIMEOUT(bounds, destroy_while_mapped_is_busy, DMASTRESS_TEST_TIMEOUT)
{
	void *p = NULL;

	dmastress_mmap(self->fd, self->v.mmap_offset, self->page, PROT_READ,
		       &p);
	dmastress_err_view_destroy(EBUSY, self->fd, self->v.id);
	ASSERT_EQ(0, munmap(p, self->page));
	dmastress_view_destroy(self->fd, self->v.id);
	dmastress_err_mmap(EINVAL, self->fd, self->v.mmap_offset, self->page,
			   PROT_READ, &p);
}

#define MAX_VIEW_MIB	DMASTRESS_SYSFS_MODULE "/parameters/max_view_mib"

/*
 * With max_view_mib at 8 a device holds 8 MiB of views, all files
 * together: 2 MiB views from two files, the fifth is -ENOSPC (a page too);
 * destroying one makes room, and closing a file gives all of its back.
 */
TEST_F_TIMEOUT(bounds, views_per_device_are_bounded, DMASTRESS_TEST_TIMEOUT)
{
	const __u64 len = 2 << 20;
	struct dmastress_view v[5];
	char old[16];
	int fd2, i;

	if (dmastress_read_str_file(MAX_VIEW_MIB, old, sizeof(old)))
		SKIP(return, "no max_view_mib parameter");
	EXPECT_NE(0, dmastress_write_file(MAX_VIEW_MIB, "0"));
	/* setup's view: drop it, the device's count starts at 0 */
	dmastress_view_destroy(self->fd, self->v.id);
	ASSERT_EQ(0, dmastress_write_file(MAX_VIEW_MIB, "8"));
	dmastress_open(&fd2);
	for (i = 0; i < 4; i++)
		dmastress_view_create(i & 1 ? fd2 : self->fd,
				      DMASTRESS_PATH_PAGES, len, &v[i]);
	EXPECT_EQ(-ENOSPC, _dmastress_view_create(self->fd, DMASTRESS_PATH_PAGES,
						  len, &v[4]));
	EXPECT_EQ(-ENOSPC, _dmastress_view_create(fd2, DMASTRESS_PATH_PAGES,
						  self->page, &v[4]));
	dmastress_view_destroy(self->fd, v[2].id);
	EXPECT_EQ(0, _dmastress_view_create(fd2, DMASTRESS_PATH_PAGES, len,
					    &v[4]));
	close(fd2);	/* gives back v[1], v[3] and v[4]: 6 MiB */
	for (i = 1; i < 4; i++)
		EXPECT_EQ(0, _dmastress_view_create(self->fd,
						    DMASTRESS_PATH_PAGES, len,
						    &v[i]));
	EXPECT_EQ(-ENOSPC, _dmastress_view_create(self->fd, DMASTRESS_PATH_PAGES,
						  len, &v[4]));
	dmastress_write_file(MAX_VIEW_MIB, old);
}

TEST_F_TIMEOUT(bounds, views_per_file_are_bounded, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_view v;
	int i, ret = 0;

	/* One exists already (setup). */
	for (i = 1; i < DMASTRESS_MAX_VIEWS; i++) {
		dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT,
				      self->page, &v);
	}
	ret = _dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT,
				     self->page, &v);
	EXPECT_TRUE(ret == -ENOSPC || ret == -EBUSY)
		TH_LOG("view %d of %d: %d", DMASTRESS_MAX_VIEWS + 1,
		       DMASTRESS_MAX_VIEWS, ret);
	/* Destroying one makes room again. */
	dmastress_view_destroy(self->fd, v.id);
	dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, self->page,
			      &v);
}

/* ---- lifetime ------------------------------------------------------- */

FIXTURE(lifetime) {
	int fd;
	long long refcnt;
	__u8 *map;
	struct dmastress_view v;
	pthread_t runner;
	bool running;
	struct dmastress_run run;
	int run_ret;
	int run_fd;		/* the runner's own descriptor of the file */
	double run_entered, run_returned;
};

FIXTURE_VARIANT(lifetime) {
	bool close_first;
	bool run_active;
};

FIXTURE_VARIANT_ADD(lifetime, unmap_then_close) {
	.close_first = false,
};

FIXTURE_VARIANT_ADD(lifetime, close_then_unmap) {
	.close_first = true,
};

FIXTURE_VARIANT_ADD(lifetime, unmap_then_close_during_run) {
	.close_first = false,
	.run_active = true,
};

FIXTURE_VARIANT_ADD(lifetime, close_then_unmap_during_run) {
	.close_first = true,
	.run_active = true,
};

#define LIFETIME_LEN	(256 * 1024)
#define LIFETIME_SEED	0x11fe

/*
 * The run, on a descriptor of its own: an ioctl in progress holds the file
 * as its caller's close() leaves it, but a close() before the thread has
 * entered the ioctl would take the descriptor away (-EBADF, seen under
 * load in make check).
 */
static void *lifetime_run(void *arg)
{
	FIXTURE_DATA(lifetime) *self = arg;

	self->run_entered = dmastress_now_s();
	self->run_ret = _dmastress_run(self->run_fd, &self->run);
	self->run_returned = dmastress_now_s();
	close(self->run_fd);
	return NULL;
}

FIXTURE_SETUP(lifetime)
{
	struct dmastress_view_xfer x;
	void *p = NULL;

	self->refcnt = dmastress_module_refcnt();
	dmastress_open(&self->fd);
	dmastress_view_create(self->fd, DMASTRESS_PATH_COHERENT, LIFETIME_LEN,
			      &self->v);
	dmastress_mmap(self->fd, self->v.mmap_offset, LIFETIME_LEN,
		       PROT_READ | PROT_WRITE, &p);
	self->map = p;
	dmastress_view_xfer(self->fd, self->v.id, DMASTRESS_VIEW_DEVICE_WRITE,
			    DMASTRESS_ENGINE_CPU, LIFETIME_SEED, LIFETIME_LEN,
			    &x);
	ASSERT_EQ(0, x.device_faults);
}

FIXTURE_TEARDOWN(lifetime)
{
	if (self->running)
		pthread_join(self->runner, NULL);
	if (self->map)
		munmap((void *)self->map, LIFETIME_LEN);
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F_TIMEOUT(lifetime, loses_nothing_leaks_nothing, DMASTRESS_TEST_TIMEOUT)
{
	size_t first, bad;
	long long now;

	if (variant->run_active) {
		/* A one-second sg run that holds the device while we go. */
		dmastress_run_init(&self->run, DMASTRESS_PATH_SG,
				   DMASTRESS_ENGINE_CPU,
				   DMASTRESS_DIR_BIDIRECTIONAL, 65536, 0, 0x11);
		self->run.params.seconds = 1;
		self->run_fd = dup(self->fd);
		ASSERT_LE(0, self->run_fd);
		ASSERT_EQ(0, pthread_create(&self->runner, NULL, lifetime_run,
					    self));
		self->running = true;
		usleep(200 * 1000);
	}
	if (variant->close_first) {
		ASSERT_EQ(0, close(self->fd));
		self->fd = -1;
	}
	/* The mapping still shows what the device wrote. */
	bad = dmastress_pattern_check(self->map, LIFETIME_LEN, LIFETIME_SEED,
				      &first);
	EXPECT_EQ(0, bad) TH_LOG("%zu bytes lost, first at %zu", bad, first);
	ASSERT_EQ(0, munmap((void *)self->map, LIFETIME_LEN));
	self->map = NULL;
	if (!variant->close_first) {
		ASSERT_EQ(0, close(self->fd));
		self->fd = -1;
	}
	if (variant->run_active) {
		double closed = dmastress_now_s();

		ASSERT_EQ(0, pthread_join(self->runner, NULL));
		self->running = false;
		ASSERT_EQ(0, self->run_ret);
		/*
		 * The last munmap() frees the view, which waits for the
		 * device lock the run holds: it returns with the run (open,
		 * FINDINGS), so only the times are shown.
		 */
		ksft_print_msg("run entered %.3f s before the close, returned %.3f s after\n",
			       closed - self->run_entered,
			       self->run_returned - closed);
		if (self->run.status || dmastress_run_errors(&self->run.result))
			dmastress_run_log(&self->run);
		EXPECT_EQ(0, self->run.status);
		EXPECT_LT(0, self->run.result.ops);
		EXPECT_EQ(0, dmastress_run_errors(&self->run.result));
	}
	/* Every reference taken by the file and the mapping is gone. */
	now = dmastress_module_refcnt();
	if (self->refcnt >= 0) {
		EXPECT_EQ(self->refcnt, now);
	}
}

/* ---- during_run: mmap() does not wait for a run ----------------------- */

#define DURING_RUN_SECONDS	3

struct during_run {
	int fd;
	struct dmastress_run run;
	int ret;
};

static void *during_run_fn(void *arg)
{
	struct during_run *d = arg;

	d->ret = _dmastress_run(d->fd, &d->run);
	return NULL;
}

/*
 * A run holds the device for DURING_RUN_SECONDS. mmap() of a view made
 * before it must not wait for it (it would hold the caller's mmap_lock all
 * the while), and another process reading /proc/PID/maps, which takes that
 * mmap_lock, must not wait either: both in under a second.
 */
TEST(mmap_during_run)
{
	struct dmastress_view v;
	struct during_run d;
	double t0, t_mmap, t_maps;
	pthread_t runner;
	int pipefd[2], status;
	void *p = NULL;
	pid_t pid;

	dmastress_open(&d.fd);
	dmastress_view_create(d.fd, DMASTRESS_PATH_COHERENT, 65536, &v);
	dmastress_run_init(&d.run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 0, 0xd7);
	d.run.params.seconds = DURING_RUN_SECONDS;
	ASSERT_EQ(0, pthread_create(&runner, NULL, during_run_fn, &d));
	usleep(300 * 1000);

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char path[64], buf[4096];
		double t;
		int fd;

		/* read the parent's maps while its mmap() is under way */
		usleep(100 * 1000);
		snprintf(path, sizeof(path), "/proc/%d/maps", getppid());
		t = dmastress_now_s();
		fd = open(path, O_RDONLY);
		while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
			;
		t = dmastress_now_s() - t;
		if (write(pipefd[1], &t, sizeof(t)) != sizeof(t))
			_exit(2);
		_exit(fd < 0);
	}
	t0 = dmastress_now_s();
	dmastress_mmap(d.fd, v.mmap_offset, 65536, PROT_READ | PROT_WRITE, &p);
	t_mmap = dmastress_now_s() - t0;
	ASSERT_EQ(sizeof(t_maps), read(pipefd[0], &t_maps, sizeof(t_maps)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ksft_print_msg("mmap() %.3f s, /proc/PID/maps %.3f s, during a %d s run\n",
		       t_mmap, t_maps, DURING_RUN_SECONDS);
	EXPECT_GT(1.0, t_mmap);
	EXPECT_GT(1.0, t_maps);
	ASSERT_EQ(0, pthread_join(runner, NULL));
	ASSERT_EQ(0, d.ret);
	EXPECT_EQ(0, d.run.status);
	EXPECT_LT(0, d.run.result.ops);
	munmap(p, 65536);
	close(d.fd);
}

/* ---- unbind: a view forked with MADV_DOFORK, then the device unbound ---- */

/* Write @val to the sysfs file @path; 0 or -errno. */
static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -errno;
}

/*
 * The child first checks its copy (when fork() made one) and says so on
 * @ready, then reads the view's first byte when told (a byte on @go): it
 * exits 0 if the read returned; a revoked mapping kills it with SIGBUS.
 */
static void forked_reader(volatile const __u8 *map, bool copied, int ready,
			  int go)
{
	char c = 'r';

	if (copied && map[100] != 0x5a)
		_exit(3);
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(2);
	(void)map[0];
	_exit(0);
}

/*
 * madvise(MADV_DOFORK) lifts a view's VM_DONTCOPY, and fork() copies it into
 * the child. Once the parent has unmapped it and closed the file, unbinding
 * the device must still take the buffer back from the child: its next read
 * gets SIGBUS, and no WARN fires (scripts/vm fails the guest on one). Where
 * the view is VM_IO, madvise() refuses (EINVAL) and the child never maps
 * it (SIGSEGV). The device is the second nvme engine controller, rebound
 * afterwards.
 */
FIXTURE(unbind) {
	int unused;
};

FIXTURE_SETUP(unbind)
{
}

FIXTURE_TEARDOWN(unbind)
{
}

TEST_F_TIMEOUT(unbind, forked_view_revoked, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info info;
	struct dmastress_view v;
	char bdf[32], path[128];
	int fd, go[2], ready[2], status;
	void *map = NULL;
	bool dofork;
	char c;
	pid_t pid;

	fd = dmastress_dev_open("/dev/dmastress2");
	if (fd < 0)
		SKIP(return, "no /dev/dmastress2 (the second nvme engine controller)");
	ASSERT_EQ(0, dmastress_dev_info(fd, &info));
	if (!(info.flags & DMASTRESS_INFO_CAN_MMAP))
		SKIP(return, "dma_can_mmap() is false for this device");
	dmastress_bdf_name(info.bdf, bdf, sizeof(bdf));
	ASSERT_EQ(0, _dmastress_view_create_attrs(fd, DMASTRESS_PATH_COHERENT,
						  65536, 0, &v));
	dmastress_mmap(fd, v.mmap_offset, 65536, PROT_READ | PROT_WRITE, &map);
	/*
	 * A view remap_pfn_range() made (dma-direct's dma_mmap_coherent())
	 * is VM_IO, which madvise() refuses to let fork() copy: the child
	 * never has it (SIGSEGV). vm_map_pages() views (iommu-dma) are not.
	 */
	dofork = !madvise(map, 65536, MADV_DOFORK);
	if (!dofork)
		ASSERT_EQ(EINVAL, errno);
	memset(map, 0x5a, 65536);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		forked_reader(map, dofork, ready[1], go[0]);
	}
	close(go[0]);
	close(ready[1]);
	/* the child has checked its copy before anything is taken away */
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	munmap(map, 65536);
	close(fd);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	ASSERT_EQ(0, sysfs_write(path, bdf));
	signal(SIGPIPE, SIG_IGN);	/* a child already dead: EPIPE, not death */
	EXPECT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	close(go[1]);
	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/dmastress/bind", bdf));
	ksft_print_msg("MADV_DOFORK %s; the child's read after the unbind: %s %d\n",
		       dofork ? "taken" : "refused (VM_IO)",
		       WIFSIGNALED(status) ? "signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	EXPECT_TRUE(WIFSIGNALED(status) &&
		    WTERMSIG(status) == (dofork ? SIGBUS : SIGSEGV));
}

/* ---- mm: the view under the rest of the memory manager ----------------- */

#define MM_LEN		(16 * 4096UL)
#define MM_SEED		0x3e3e01

FIXTURE(mm) {
	int fd;
	struct dmastress_info info;
	struct dmastress_view v;
	__u8 *map;
	size_t page;
};

FIXTURE_VARIANT(mm) {
	__u32 path;
};

FIXTURE_VARIANT_ADD(mm, coherent) {
	.path = DMASTRESS_PATH_COHERENT,
};

FIXTURE_VARIANT_ADD(mm, pages) {
	.path = DMASTRESS_PATH_PAGES,
};

FIXTURE_VARIANT_ADD(mm, noncontig) {
	.path = DMASTRESS_PATH_NONCONTIG,
};

/* The device writes pattern(@seed) into the view; its bytes are then known. */
static int mm_device_write(int fd, __u32 id, __u32 seed)
{
	struct dmastress_view_xfer x;

	return _dmastress_view_xfer(fd, id, DMASTRESS_VIEW_DEVICE_WRITE,
				    DMASTRESS_ENGINE_CPU, seed, MM_LEN, &x);
}

/* The device reads the view back: its mismatches against pattern(@seed). */
static long long mm_device_mismatches(int fd, __u32 id, __u32 seed)
{
	struct dmastress_view_xfer x;
	int ret = _dmastress_view_xfer(fd, id, DMASTRESS_VIEW_DEVICE_READ,
				       DMASTRESS_ENGINE_CPU, seed, MM_LEN, &x);

	return ret ? ret : (long long)x.mismatches;
}

FIXTURE_SETUP(mm)
{
	void *p = NULL;

	self->page = dmastress_page_size();
	dmastress_open(&self->fd);
	dmastress_get_info(self->fd, &self->info);
	if (!(self->info.flags & DMASTRESS_INFO_CAN_MMAP))
		SKIP(return, "dma_can_mmap() is false for this device");
	ASSERT_EQ(0, _dmastress_view_create(self->fd, variant->path, MM_LEN,
					    &self->v));
	dmastress_mmap(self->fd, self->v.mmap_offset, MM_LEN,
		       PROT_READ | PROT_WRITE, &p);
	self->map = p;
	ASSERT_EQ(0, mm_device_write(self->fd, self->v.id, MM_SEED));
}

FIXTURE_TEARDOWN(mm)
{
	if (self->map)
		munmap(self->map, MM_LEN);
	close(self->fd);
}

struct mm_reader {
	const __u8 *p;
	size_t len;
	__u32 seed;
};

static int mm_reader_fn(void *arg)
{
	const struct mm_reader *r = arg;
	size_t i;

	for (i = 0; i < r->len; i++)
		if (((volatile const __u8 *)r->p)[i] != dmastress_pattern(r->seed, i))
			return 3;
	return 0;
}

/*
 * Run @fn(@arg) in a child made by clone(@flags | SIGCHLD), a copy of the
 * address space without CLONE_VM, and wait for it: its wait status, or -1
 * if no child ran.
 */
static int mm_clone(int (*fn)(void *), void *arg, int flags)
{
	size_t stack_len = 256 * 1024;
	char *stack = mmap(NULL, stack_len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	int status = -1;
	pid_t pid;

	if (stack == MAP_FAILED)
		return -1;
	pid = clone(fn, stack + stack_len, flags | SIGCHLD, arg);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		status = -1;
	munmap(stack, stack_len);
	return status;
}

/*
 * In a child, with a copy of the address space (@flags 0) or sharing it
 * (CLONE_VM): read @len bytes at @p and compare them with pattern(@seed).
 * The wait status: exit 0 when they match, 3 when not, or the signal that
 * stopped the read; -1 if no child ran.
 */
static int mm_child_reads(const __u8 *p, size_t len, __u32 seed, int flags)
{
	struct mm_reader r = { .p = p, .len = len, .seed = seed };

	return mm_clone(mm_reader_fn, &r, flags);
}

static const char *mm_status_name(int status, char *buf, size_t n)
{
	if (WIFSIGNALED(status))
		snprintf(buf, n, "signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, n, "exit %d", WEXITSTATUS(status));
	return buf;
}

/* A split keeps the view busy until its last piece is unmapped. */
TEST_F_TIMEOUT(mm, splits_keep_the_view_busy, DMASTRESS_TEST_TIMEOUT)
{
	size_t pg = self->page, left = MM_LEN - 3 * pg, i, bad = 0;

	/* three VMAs: [0, 1) read-only, [1, 2) gone, [2, 16) as it was */
	ASSERT_EQ(0, mprotect(self->map, pg, PROT_READ));
	ASSERT_EQ(0, munmap(self->map + pg, pg));
	EXPECT_EQ(-EBUSY, _dmastress_view_destroy(self->fd, self->v.id));
	for (i = 2 * pg; i < MM_LEN; i++)
		bad += self->map[i] != dmastress_pattern(MM_SEED, i);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(dmastress_pattern(MM_SEED, 0), self->map[0]);
	ASSERT_EQ(0, munmap(self->map, pg));
	ASSERT_EQ(0, munmap(self->map + 2 * pg, pg));
	EXPECT_EQ(-EBUSY, _dmastress_view_destroy(self->fd, self->v.id));
	ASSERT_EQ(0, munmap(self->map + 3 * pg, left));
	self->map = NULL;
	EXPECT_EQ(0, _dmastress_view_destroy(self->fd, self->v.id));
}

/* mremap() moves a view, with its bytes and its device; it cannot grow it. */
TEST_F_TIMEOUT(mm, mremap_moves_but_does_not_grow, DMASTRESS_TEST_TIMEOUT)
{
	__u8 *to, *grown;
	size_t i, bad = 0;

	grown = mremap(self->map, MM_LEN, 2 * MM_LEN, MREMAP_MAYMOVE);
	EXPECT_TRUE(grown == MAP_FAILED) TH_LOG("a view grew to %lu bytes", 2 * MM_LEN);
	if (grown != MAP_FAILED) {
		self->map = grown;
		return;
	}
	ksft_print_msg("growing: %s\n", strerror(errno));
	/* a free place to move to */
	to = mmap(NULL, MM_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(to != MAP_FAILED);
	grown = mremap(self->map, MM_LEN, MM_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	ASSERT_TRUE(to == grown) TH_LOG("mremap: %s", strerror(errno));
	self->map = to;
	for (i = 0; i < MM_LEN; i++)
		bad += to[i] != dmastress_pattern(MM_SEED, i);
	EXPECT_EQ(0, bad);
	/* the device and the moved mapping still see the same buffer */
	ASSERT_EQ(0, mm_device_write(self->fd, self->v.id, MM_SEED + 1));
	EXPECT_EQ(dmastress_pattern(MM_SEED + 1, MM_LEN - 1), to[MM_LEN - 1]);
	to[7] ^= 0xff;
	EXPECT_EQ(1, mm_device_mismatches(self->fd, self->v.id, MM_SEED + 1));
	EXPECT_EQ(-EBUSY, _dmastress_view_destroy(self->fd, self->v.id));
	ASSERT_EQ(0, munmap(to, MM_LEN));
	self->map = NULL;
	EXPECT_EQ(0, _dmastress_view_destroy(self->fd, self->v.id));
}

/* MADV_WIPEONFORK is for private anonymous memory; fork() leaves the view. */
TEST_F_TIMEOUT(mm, wipeonfork_refused_fork_does_not_copy, DMASTRESS_TEST_TIMEOUT)
{
	char how[64];
	int status;

	EXPECT_ERRNO(EINVAL, madvise(self->map, MM_LEN, MADV_WIPEONFORK));
	status = mm_child_reads(self->map, 1, MM_SEED, 0);
	ASSERT_LE(0, status);
	ksft_print_msg("the child's read: %s\n", mm_status_name(status, how, sizeof(how)));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	/* the parent's is untouched */
	EXPECT_EQ(dmastress_pattern(MM_SEED, 0), self->map[0]);
}

struct mm_sharer {
	int fd;
	__u32 id;
	const __u8 *map;
	int ret;
};

static int mm_sharer_fn(void *arg)
{
	struct mm_sharer *c = arg;

	/* same address space, a copy of the file table: the same file */
	if (c->map[0] != dmastress_pattern(MM_SEED, 0))
		return 3;
	c->ret = mm_device_write(c->fd, c->id, MM_SEED + 2);
	close(c->fd);
	return 0;
}

/* A clone(CLONE_VM) child shares the mapping and, through its copy of the
 * file table, the file: its device write is what the parent reads. */
TEST_F_TIMEOUT(mm, clone_vm_child_shares_the_view, DMASTRESS_TEST_TIMEOUT)
{
	struct mm_sharer c = { .fd = self->fd, .id = self->v.id, .map = self->map };
	int status;

	c.ret = -1;
	status = mm_clone(mm_sharer_fn, &c, CLONE_VM);
	ASSERT_LE(0, status);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, c.ret);
	/* the child closed its copy of the fd: the parent's file lives on */
	EXPECT_EQ(dmastress_pattern(MM_SEED + 2, MM_LEN - 1), self->map[MM_LEN - 1]);
	EXPECT_EQ(0, mm_device_mismatches(self->fd, self->v.id, MM_SEED + 2));
}

/*
 * MADV_DONTNEED zaps the user's page table entries: a view has no fault
 * handler to fill them again, so the next touch gets SIGBUS where the
 * kernel takes the advice (vm_map_pages() views), and the advice is
 * refused (EINVAL) on a VM_PFNMAP view, whose bytes stay readable. Either
 * way the buffer keeps its bytes: the device reads them back unchanged. The
 * touch is a CLONE_VM child's, which a SIGBUS ends alone.
 */
TEST_F_TIMEOUT(mm, dontneed_loses_no_bytes, DMASTRESS_TEST_TIMEOUT)
{
	int ret = madvise(self->map, MM_LEN, MADV_DONTNEED), err = errno;
	char how[64];
	int status;

	if (ret) {
		EXPECT_EQ(EINVAL, err);
	}
	status = mm_child_reads(self->map, MM_LEN, MM_SEED, CLONE_VM);
	ASSERT_LE(0, status);
	ksft_print_msg("MADV_DONTNEED: %s; the next touch: %s\n",
		       ret ? strerror(err) : "taken",
		       mm_status_name(status, how, sizeof(how)));
	if (ret) {
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	} else {
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	}
	EXPECT_EQ(0, mm_device_mismatches(self->fd, self->v.id, MM_SEED));
	/* the view is still the device's: destroy waits for the munmap */
	EXPECT_EQ(-EBUSY, _dmastress_view_destroy(self->fd, self->v.id));
}

/*
 * Another process's view of the mapping: /proc/PID/mem and
 * process_vm_readv() go through get_user_pages(), which a VM_IO or
 * VM_PFNMAP mapping refuses (EIO, EFAULT) and a vm_map_pages() one allows.
 * What they read must then be the view's bytes.
 */
TEST_F_TIMEOUT(mm, remote_reads_see_the_view_or_fail, DMASTRESS_TEST_TIMEOUT)
{
	__u8 *buf = malloc(MM_LEN);
	struct iovec local, remote;
	ssize_t n_mem, n_vm;
	int memfd, err_mem = 0, err_vm = 0;
	size_t i, bad_mem = 0, bad_vm = 0;

	ASSERT_TRUE(buf != NULL);
	memfd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, memfd);
	memset(buf, 0, MM_LEN);
	n_mem = pread(memfd, buf, MM_LEN, (off_t)(uintptr_t)self->map);
	if (n_mem < 0)
		err_mem = errno;
	for (i = 0; n_mem == (ssize_t)MM_LEN && i < MM_LEN; i++)
		bad_mem += buf[i] != dmastress_pattern(MM_SEED, i);
	close(memfd);
	memset(buf, 0, MM_LEN);
	local = (struct iovec){ .iov_base = buf, .iov_len = MM_LEN };
	remote = (struct iovec){ .iov_base = self->map, .iov_len = MM_LEN };
	n_vm = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n_vm < 0)
		err_vm = errno;
	for (i = 0; n_vm == (ssize_t)MM_LEN && i < MM_LEN; i++)
		bad_vm += buf[i] != dmastress_pattern(MM_SEED, i);
	free(buf);
	ksft_print_msg("/proc/self/mem: %zd (%s); process_vm_readv: %zd (%s)\n",
		       n_mem, err_mem ? strerror(err_mem) : "read",
		       n_vm, err_vm ? strerror(err_vm) : "read");
	EXPECT_TRUE(n_mem == (ssize_t)MM_LEN || err_mem == EIO)
		TH_LOG("/proc/self/mem: %zd, %s", n_mem, strerror(err_mem));
	EXPECT_TRUE(n_vm == (ssize_t)MM_LEN || err_vm == EFAULT)
		TH_LOG("process_vm_readv: %zd, %s", n_vm, strerror(err_vm));
	EXPECT_EQ(0, bad_mem);
	EXPECT_EQ(0, bad_vm);
	/* both or neither: the same get_user_pages() decides */
	EXPECT_EQ(n_mem < 0, n_vm < 0);
}

/*
 * The scratch block device the O_DIRECT test may write: DMASTRESS_SCRATCH_DEV
 * if set, else the namespace of QEMU's NVMe controller whose serial is
 * "dmastress0" (scripts/vm's null-co drive, which keeps nothing); NULL when
 * there is none. Never another disk: the test writes its first 64 KiB.
 */
static const char *mm_block_device(void)
{
	static char path[64];
	const char *env = getenv("DMASTRESS_SCRATCH_DEV");
	char serial[64];
	int i;

	if (env && *env)
		return env;
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "/sys/class/nvme/nvme%d/serial", i);
		if (dmastress_read_str_file(path, serial, sizeof(serial)) ||
		    strncmp(serial, "dmastress0", 10) ||
		    (serial[10] && serial[10] != ' ' && serial[10] != '\n'))
			continue;
		snprintf(path, sizeof(path), "/dev/nvme%dn1", i);
		if (!access(path, F_OK))
			return path;
	}
	return NULL;
}

/*
 * O_DIRECT I/O with a view as the user buffer: the block layer pins the
 * view's pages (get_user_pages() again) and another device, the nvme
 * controller, DMAs to and from them through its own mappings. A write from
 * the view and a read into it each move the whole length or fail with
 * EFAULT (a VM_IO or VM_PFNMAP view); the kernel log stays clean. The
 * namespace is QEMU's null-co drive, which keeps nothing, so what the read
 * brings is not checked; after the write, the view's bytes are.
 *
 * Under CONFIG_DMA_API_DEBUG the read into a view GUP allowed is not done:
 * dma-debug tracks the cachelines of the view's own DMA mapping
 * (bidirectional, for our device), and the nvme's FROM_DEVICE mapping of
 * the same pages is an overlap it reports ("cacheline tracking EEXIST,
 * overlapping mappings aren't supported", a WARN; FINDINGS). A write
 * (TO_DEVICE) it lets pass.
 */
TEST_F_TIMEOUT(mm, o_direct_through_the_view, DMASTRESS_TEST_TIMEOUT)
{
	const char *dev = mm_block_device();
	ssize_t nw, nr;
	int bfd, err_w = 0, err_r = 0, kmsg;
	char bad[256];

	if (!dev)
		SKIP(return, "no scratch block device (QEMU's NVMe serial dmastress0, or DMASTRESS_SCRATCH_DEV)");
	bfd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd) TH_LOG("%s: %s", dev, strerror(errno));
	kmsg = dmastress_kmsg_open();
	nw = pwrite(bfd, self->map, MM_LEN, 0);
	if (nw < 0)
		err_w = errno;
	EXPECT_EQ(0, mm_device_mismatches(self->fd, self->v.id, MM_SEED));
	EXPECT_TRUE(nw == (ssize_t)MM_LEN || err_w == EFAULT)
		TH_LOG("write: %zd, %s", nw, strerror(err_w));
	if (nw > 0 && (self->info.flags & DMASTRESS_INFO_DMA_API_DEBUG)) {
		close(bfd);
		if (kmsg >= 0) {
			EXPECT_EQ(0, dmastress_kmsg_bad(kmsg, bad, sizeof(bad)))
				TH_LOG("kernel log: %s", bad);
			close(kmsg);
		}
		SKIP(return, "%s O_DIRECT write from the view %zd; no read into it under DMA-API debug: it reports the nvme's mapping as an overlap",
		     dev, nw);
	}
	nr = pread(bfd, self->map, MM_LEN, 0);
	if (nr < 0)
		err_r = errno;
	close(bfd);
	ksft_print_msg("%s O_DIRECT: write from the view %zd (%s), read into it %zd (%s)\n",
		       dev, nw, err_w ? strerror(err_w) : "moved",
		       nr, err_r ? strerror(err_r) : "moved");
	EXPECT_TRUE(nr == (ssize_t)MM_LEN || err_r == EFAULT)
		TH_LOG("read: %zd, %s", nr, strerror(err_r));
	EXPECT_EQ(nw < 0, nr < 0);
	/* the view still works both ways */
	ASSERT_EQ(0, mm_device_write(self->fd, self->v.id, MM_SEED + 3));
	EXPECT_EQ(dmastress_pattern(MM_SEED + 3, 5), self->map[5]);
	if (kmsg >= 0) {
		EXPECT_EQ(0, dmastress_kmsg_bad(kmsg, bad, sizeof(bad)))
			TH_LOG("kernel log: %s", bad);
		close(kmsg);
	}
}

/*
 * A view moved by mremap() and split by mprotect(), then the device
 * unbound: both pieces are revoked (a touch of either gets SIGBUS where it
 * read the view's bytes before, each in a CLONE_VM child that the signal
 * ends alone), and the device binds again. The device is the second nvme
 * engine controller, as for unbind.
 */
TEST_F_TIMEOUT(mm, moved_and_split_view_revoked_at_unbind, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_info info;
	struct dmastress_view v;
	char bdf[32], path[128], how[2][64];
	void *map = NULL;
	__u8 *to;
	int fd, st[2];

	fd = dmastress_dev_open("/dev/dmastress2");
	if (fd < 0)
		SKIP(return, "no /dev/dmastress2 (the second nvme engine controller)");
	ASSERT_EQ(0, dmastress_dev_info(fd, &info));
	if (!(info.flags & DMASTRESS_INFO_CAN_MMAP)) {
		close(fd);
		SKIP(return, "dma_can_mmap() is false for /dev/dmastress2");
	}
	dmastress_bdf_name(info.bdf, bdf, sizeof(bdf));
	ASSERT_EQ(0, _dmastress_view_create(fd, variant->path, MM_LEN, &v));
	dmastress_mmap(fd, v.mmap_offset, MM_LEN, PROT_READ | PROT_WRITE, &map);
	ASSERT_EQ(0, mm_device_write(fd, v.id, MM_SEED));
	to = mmap(NULL, MM_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(to != MAP_FAILED);
	ASSERT_TRUE(mremap(map, MM_LEN, MM_LEN, MREMAP_MAYMOVE | MREMAP_FIXED,
			   to) == to);
	ASSERT_EQ(0, mprotect(to, self->page, PROT_READ));
	ASSERT_EQ(0, mm_child_reads(to, MM_LEN, MM_SEED, CLONE_VM));
	close(fd);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	ASSERT_EQ(0, sysfs_write(path, bdf));
	st[0] = mm_child_reads(to, 1, MM_SEED, CLONE_VM);
	st[1] = mm_child_reads(to + self->page, 1, MM_SEED, CLONE_VM);
	munmap(to, MM_LEN);
	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers/dmastress/bind", bdf));
	ksft_print_msg("after the unbind: the read-only piece %s, the rest %s\n",
		       mm_status_name(st[0], how[0], sizeof(how[0])),
		       mm_status_name(st[1], how[1], sizeof(how[1])));
	EXPECT_TRUE(WIFSIGNALED(st[0]) && WTERMSIG(st[0]) == SIGBUS);
	EXPECT_TRUE(WIFSIGNALED(st[1]) && WTERMSIG(st[1]) == SIGBUS);
}

DMASTRESS_HARNESS_MAIN
