/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmastress.h - internal interfaces of the dmastress driver
 *
 * Two small interfaces carry the design:
 *  - an engine (&struct dmastress_engine) moves bytes as the device would,
 *    between a DMA address and a device-side buffer;
 *  - a path (&struct dmastress_path) is one DMA API family: it allocates
 *    and/or maps a buffer, describes it as DMA segments, syncs it, and
 *    tears it down.
 * The run core (dmastress_run.c) drives a path with an engine, fills and
 * verifies the data (dmastress_pattern.c) and times every phase
 * (dmastress_stats.c). The ioctl, the KUnit suites and stress call the same
 * core.
 */
#ifndef _DMASTRESS_H
#define _DMASTRESS_H

#include <linux/dma-mapping.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "dmastress_compat.h"
#include "dmastress_uapi.h"

/* Bytes of guard pattern before and after every CPU buffer and segment. */
#define DMASTRESS_GUARD_BYTES		64
/* Mismatches printed per run before the log goes quiet. */
#define DMASTRESS_MAX_LOGGED		32
/* Largest edu transfer: QEMU 7.2's edu aborts on 4096 (an off-by-one). */
#define DMASTRESS_EDU_MAX_XFER		2048
/* edu completion timeout per transfer, ms (a transfer takes ~100 ms virtual). */
#define DMASTRESS_EDU_TIMEOUT_MS	5000
/* Largest physically contiguous block the page allocator hands out, bytes. */
#define DMASTRESS_MAX_CONTIG_BYTES	(PAGE_SIZE << DMASTRESS_MAX_ORDER)
/*
 * What a run's own allocations ask for: charged to the memory cgroup of the
 * caller (run kthreads adopt it, see dmastress_run_counts()), failing
 * rather than invoking the OOM killer, and quiet: a refused allocation is
 * counted as an alloc_error, not a warning.
 */
#define DMASTRESS_GFP	(GFP_KERNEL | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL | \
			 __GFP_NOWARN)

struct dmastress_dev;
struct dmastress_nvme;
struct dmastress_peer_piece;
struct file;

/**
 * enum dmastress_xfer_dir - which way an engine moves bytes
 * @DMASTRESS_MEM_TO_DEV: the device reads memory at a DMA address into its
 *	device-side buffer
 * @DMASTRESS_DEV_TO_MEM: the device writes its device-side buffer to memory
 *	at a DMA address
 */
enum dmastress_xfer_dir {
	DMASTRESS_MEM_TO_DEV,
	DMASTRESS_DEV_TO_MEM,
};

struct dmastress_seg;

/**
 * struct dmastress_engine - who moves the bytes as the device
 * @id: enum dmastress_engine_id; its name is dmastress_engine_name(@id)
 * @max_xfer: largest single transfer, bytes; dmastress_engine_xfer() splits
 * @usable: true when the engine can run on @dd; on false, sets *@why
 * @run_flags: optional; DMASTRESS_RESULT_* of how the engine moved a run's
 *	bytes (nvme: PRPs, SGLs). Called before the run with @state as the
 *	core set it (U64_MAX each), where it records its counters and returns
 *	0, and after the run, where it returns what grew since. Any context.
 * @xfer: move @len bytes (<= @max_xfer) between DMA address @dma and the
 *	kernel buffer @devbuf in direction @dir. Returns 0, -EFAULT when the
 *	address does not translate (a device fault, never dereferenced),
 *	-ETIMEDOUT when the device did not complete, -EIO on a device error.
 *	Process context, may sleep; the caller serialises per device as the
 *	engine requires (the edu engine takes its own lock).
 * @run_usable: optional; false (and *@why) when the engine cannot move
 *	the transfers of @p on @dd (an NVMe controller without SGLs and a
 *	length that is not whole blocks). Process context.
 * @dev_max_xfer: optional; the largest transfer on @dd, bytes, when the
 *	device tells it (nvme: Identify's MDTS), at most @max_xfer; 0 when
 *	the engine cannot run on @dd. Any context.
 * @xfer_segs: optional, a scatter-gather engine: move the @len bytes of
 *	the @nsegs DMA segments @segs (in order, covering @len) and @devbuf
 *	in as few device commands as the device allows (one per
 *	dev_max_xfer() bytes), the segments as the commands' own data
 *	pointers. Adds to *@cmd_ns the ns of the commands that moved the
 *	segments' bytes (not the engine's own staging). Errors as @xfer;
 *	-EOPNOTSUPP for segments the device cannot point at. Process
 *	context, may sleep.
 *
 * A third engine (a dmaengine memcpy channel, an NVMe queue) is one new file
 * kmod/dmastress_engine_<name>.c, one X() entry of DMASTRESS_ENGINES and one
 * line of dmastress_engines[] (dmastress_engine.c).
 */
struct dmastress_engine {
	u32 id;
	size_t max_xfer;
	bool (*usable)(struct dmastress_dev *dd, const char **why);
	u32 (*run_flags)(struct dmastress_dev *dd, u64 state[2]);
	int (*xfer)(struct dmastress_dev *dd, dma_addr_t dma, void *devbuf,
		    size_t len, enum dmastress_xfer_dir dir);
	bool (*run_usable)(struct dmastress_dev *dd,
			   const struct dmastress_run_params *p,
			   const char **why);
	size_t (*dev_max_xfer)(struct dmastress_dev *dd);
	int (*xfer_segs)(struct dmastress_dev *dd,
			 const struct dmastress_seg *segs, unsigned int nsegs,
			 void *devbuf, size_t len,
			 enum dmastress_xfer_dir dir, u64 *cmd_ns);
};

/**
 * struct dmastress_seg - one DMA segment of a mapped buffer
 * @dma: DMA address as the device sees it
 * @len: bytes
 * @cpu: kernel virtual address of the same bytes, or NULL when the CPU view
 *	is not segment-wise (then the op's @vaddr covers the whole buffer)
 * @phys: physical address of the CPU memory behind @cpu (0 if unknown)
 */
struct dmastress_seg {
	dma_addr_t dma;
	size_t len;
	void *cpu;
	phys_addr_t phys;
};

/**
 * struct dmastress_op - one operation of a path: a buffer, its mapping, state
 * @dd: the device
 * @params: the run's parameters (read-only)
 * @dir: enum dma_data_direction of this op
 * @len: bytes the device moves (the payload, without guards)
 * @vaddr: contiguous kernel view of the payload (kmalloc, coherent, vmap),
 *	or NULL when only @segs[].cpu describe it
 * @segs: DMA segments covering the payload in order
 * @nsegs: number of entries used in @segs
 * @max_segs: capacity of @segs
 * @nents_cpu: CPU sg entries before mapping (sg paths), else 0
 * @priv: the path's private state (sg_table, pool, pages...)
 * @rng: per-op random state (stress)
 * @guards: guard regions registered with dmastress_op_add_guard(): first
 *	byte and length of each
 * @nguards: entries used in @guards
 * @seg_violations: violations the path found itself (a dma_pool block
 *	misaligned or crossing its boundary, dma_get_sgtable() pages not
 *	covering a coherent buffer); the run core adds them to the result's
 *	seg_violations
 * @mismatches: bytes the path found wrong itself (a dma_pool_zalloc()
 *	block not zeroed); the run core adds them to the result's mismatches
 * @stale_mappings: IOVA granules the path found still translating after
 *	it unlinked them; the core adds them to the result after teardown
 * @result_flags: DMASTRESS_RESULT_* the path sets (how it mapped); the
 *	core ors them into the result's path_flags
 * @call_ns: ns the path's DMA API calls of this @setup or @teardown took,
 *	summed by dmastress_op_call_end(); the run core zeroes it before each
 * @call_timed: the path timed its DMA API calls; the core then records
 *	@call_ns as the phase instead of the time around the whole callback
 * @untimed: the core times this op from outside (a batch):
 *	dmastress_op_call_begin() and _end() then read no clock
 *
 * Paths allocate room for DMASTRESS_GUARD_BYTES of guard before and after
 * every CPU buffer they own and expose the guards through
 * dmastress_op_add_guard(); the run core fills and checks them.
 */
struct dmastress_op {
	struct dmastress_dev *dd;
	const struct dmastress_run_params *params;
	enum dma_data_direction dir;
	size_t len;
	void *vaddr;
	struct dmastress_seg *segs;
	unsigned int nsegs;
	unsigned int max_segs;
	unsigned int nents_cpu;
	void *priv;
	u32 rng;
	unsigned int seg_violations;
	u64 mismatches;
	u64 stale_mappings;
	u32 result_flags;
	/* guard regions, filled and checked by the run core */
	struct {
		u8 *start;
		size_t len;
	} guards[2 * 8];
	unsigned int nguards;
	u64 call_ns;
	bool call_timed;
	bool untimed;
};

/**
 * dmastress_op_call_begin() - start timing a DMA API call of a phase
 * @op: the op being set up or torn down
 *
 * Paths bracket the DMA API call(s) of their @setup and @teardown with this
 * and dmastress_op_call_end(), so that MAP and UNMAP time the kernel's work
 * and neither the indirect call into the path (a retpoline) nor the path's
 * bookkeeping. Load the call's arguments into locals first: under KASAN
 * every load from the op inside the bracket is an instrumented access that
 * the kernel's dma_map_benchmark does not time. An @op->untimed op (a
 * batch, which one clock pair times whole) reads no clock. Any context.
 *
 * Return: ktime_get_ns() now, for dmastress_op_call_end(), or 0 when
 * @op->untimed.
 */
static inline u64 dmastress_op_call_begin(const struct dmastress_op *op)
{
	return op->untimed ? 0 : ktime_get_ns();
}

/**
 * dmastress_op_call_end() - stop timing a DMA API call of a phase
 * @op: the op being set up or torn down
 * @start: what dmastress_op_call_begin() returned
 *
 * Adds the ns since @start to @op->call_ns; a phase with several calls (a
 * pool's create and allocations) sums them. Does nothing when @start is 0
 * (an @op->untimed op). Any context; no locking (an op belongs to one
 * thread).
 */
static inline void dmastress_op_call_end(struct dmastress_op *op, u64 start)
{
	u64 ns;

	if (!start)
		return;
	ns = ktime_get_ns() - start;
	op->call_ns += ns;
	op->call_timed = true;
}

/**
 * enum dmastress_mask_kind - the DMA mask a path's DMA addresses must honour
 * @DMASTRESS_MASK_STREAMING: dma_get_mask(), the streaming mask (dma_map_*)
 * @DMASTRESS_MASK_COHERENT: the coherent mask (dma_alloc_attrs(), pools,
 *	dma_alloc_noncontiguous())
 * @DMASTRESS_MASK_EITHER: the wider of the two. dma_alloc_pages() and
 *	dma_alloc_noncoherent() promise memory "DMA addressable by the
 *	device" without naming a mask: dma-direct keeps to the coherent mask,
 *	iommu-dma maps with the streaming one (Linux 6.12; seen once a failed
 *	32-bit IOVA allocation had turned off iommu-dma's 32-bit-first
 *	workaround)
 */
enum dmastress_mask_kind {
	DMASTRESS_MASK_STREAMING,
	DMASTRESS_MASK_COHERENT,
	DMASTRESS_MASK_EITHER,
};

/**
 * struct dmastress_vbuf - the buffer behind an mmap view
 * @dd: the device
 * @len: bytes, a PAGE_SIZE multiple
 * @cpu: kernel address of the buffer, or NULL when the path has none
 * @page: first page, for the paths that allocate pages
 * @sgt: the DMA segments when the buffer is not one (else NULL: one
 *	segment at @dma)
 * @dma: DMA address of the first byte
 * @phys: physical address of the first page
 * @attrs: DMASTRESS_ATTR_* the view asked for (coherent: WRITE_COMBINE)
 * @priv: the path's own state
 */
struct dmastress_vbuf {
	struct dmastress_dev *dd;
	size_t len;
	void *cpu;
	struct page *page;
	struct sg_table *sgt;
	dma_addr_t dma;
	phys_addr_t phys;
	u32 attrs;
	void *priv;
};

/**
 * struct dmastress_path - one DMA API family
 * @id: enum dmastress_path_id; its name is dmastress_path_name(@id)
 * @mask: which DMA mask its DMA addresses must honour (the run core counts
 *	mask_violations against it)
 * @sg_limits: its DMA segments must keep to the device's max segment size
 *	and segment boundary (the scatterlist families); counted as
 *	seg_violations
 * @bounces: dma-direct may bounce it through swiotlb (the streaming
 *	families): the run is skipped when the swiotlb pool lies beyond the
 *	DMA mask
 * @wide_seg: the run widens the device's max segment size first (see
 *	dmastress_widen_max_seg_size())
 * @pieces: the path takes &struct dmastress_run_params.piece_bytes and
 *	DMASTRESS_RUN_IOVA_UNLINK (others refuse them with -EINVAL)
 * @attrs: the DMASTRESS_ATTR_* a run of this path may set; others are
 *	-EINVAL (a stress mix drops them for this path)
 * @usable: optional; false (with *@why) when the path cannot run with
 *	@params on @dd (an attribute the platform lacks, an engine that cannot
 *	reach the buffer); the run then reports -EOPNOTSUPP and the reason
 * @setup: allocate and map the buffer for @op->len bytes, fill @op->segs.
 *	For TO_DEVICE/BIDIRECTIONAL streaming maps the run core has already
 *	called @fill before mapping (see @prepare). Returns 0, -ENOMEM on an
 *	allocation failure, -EIO on a mapping error (dma_mapping_error()) or
 *	the dma_map_sgtable() error. On failure nothing is left allocated.
 *	Timed as DMASTRESS_PHASE_MAP: the DMA API calls it brackets with
 *	dmastress_op_call_begin()/_end(), else the whole callback.
 * @describe: optional; fill @op->segs after @setup, untimed, so that MAP
 *	times the DMA API call and not our bookkeeping (~250 ns under TCG
 *	with KASAN, a third of a passthrough map). Returns 0 or -ENOMEM; on
 *	failure the core calls @teardown and @release.
 * @prepare: optional; allocate the CPU-side memory of a streaming path
 *	before @setup maps it (not timed as a phase). Returns 0, -ENOMEM, or
 *	-EINTR when the run is being stopped meanwhile (a fatal signal,
 *	kthread_stop(), an unbind); on failure nothing is left allocated.
 * @sync_for_device: hand the buffer to the device (dma_sync_*_for_device,
 *	flush_kernel_vmap_range...). Timed as SYNC_FOR_DEVICE.
 * @sync_for_cpu: hand it back (dma_sync_*_for_cpu, invalidate...). Timed as
 *	SYNC_FOR_CPU. Skipped by the core with DMASTRESS_RUN_SKIP_SYNC_FOR_CPU.
 * @teardown: undo what @setup made: a streaming path's dma_unmap_*() only,
 *	an allocating path's unmap and/or free (its free is the DMA API call).
 *	Timed as UNMAP, like @setup. Must be safe after a failed or skipped
 *	@setup.
 * @release: optional; free what @prepare allocated (not timed as a phase,
 *	counted in E2E like @prepare). Called after @teardown, also after a
 *	failed @setup; must be idempotent.
 * @view_alloc: optional, with @view_free and @view_mmap: the path offers
 *	mmap views (DMASTRESS_IOC_VIEW_CREATE). Allocate @b->len bytes
 *	DMA_BIDIRECTIONAL and fill @b's addresses. Returns 0 or -ENOMEM, with
 *	nothing left allocated on failure. Process context, the device lock
 *	held.
 * @view_free: free what @view_alloc made. Process context.
 * @view_mmap: map the buffer into @vma through the DMA API's own mmap
 *	helper; @vma->vm_pgoff is the page offset into the buffer. Returns 0
 *	or its error.
 * @view_sync: optional; hand a view's buffer to the device (@for_device)
 *	or back to the CPU around a device access. Process context.
 * @op_bytes: optional; the most memory one op of @len bytes with these
 *	parameters allocates, bytes: its buffers as the allocator rounds them,
 *	shadows and guards. NULL: one buffer of dmastress_block_bytes(). The
 *	run core adds the segment and table arrays (dmastress_run_footprint()).
 *
 * A new family is one new file kmod/dmastress_path_<name>.c, one X() entry
 * of DMASTRESS_PATHS (dmastress_uapi.h) and one line of dmastress_paths[]
 * (dmastress_paths.c): nothing else switches on a path.
 */
struct dmastress_path {
	u32 id;
	enum dmastress_mask_kind mask;
	bool sg_limits;
	bool bounces;
	bool wide_seg;
	bool pieces;
	u32 attrs;
	bool (*usable)(struct dmastress_dev *dd,
		       const struct dmastress_run_params *params,
		       const char **why);
	int (*prepare)(struct dmastress_op *op);
	int (*setup)(struct dmastress_op *op);
	int (*describe)(struct dmastress_op *op);
	void (*sync_for_device)(struct dmastress_op *op);
	void (*sync_for_cpu)(struct dmastress_op *op);
	void (*teardown)(struct dmastress_op *op);
	void (*release)(struct dmastress_op *op);
	int (*view_alloc)(struct dmastress_vbuf *b);
	void (*view_free)(struct dmastress_vbuf *b);
	int (*view_mmap)(struct dmastress_vbuf *b, struct vm_area_struct *vma);
	void (*view_sync)(struct dmastress_vbuf *b, bool for_device);
	u64 (*op_bytes)(const struct dmastress_run_params *p, u64 len);
};

/**
 * struct dmastress_dev - one bound PCI device
 * @pdev: the PCI device
 * @dev: &pdev->dev, the device every DMA API call uses
 * @misc: /dev/dmastress<N>
 * @index: N
 * @lock: serialises control ioctls (runs, views)
 * @edu_lock: serialises use of the edu DMA engine
 * @bar: BAR0 mapping (edu registers; its 4 KiB buffer is not MMIO), or NULL
 * @bar_phys: BAR0 physical address (for dma_map_resource())
 * @bar_len: BAR0 length, bytes
 * @is_edu: the device is QEMU's edu (1234:11e8)
 * @irq: edu MSI vector, or -1 when polling
 * @edu_done: completed by the edu interrupt
 * @edu_staging: coherent buffer through which the edu engine moves bytes
 *	between its device buffer (reachable only by its own DMA) and the
 *	kernel, DMASTRESS_EDU_MAX_XFER bytes
 * @edu_staging_dma: its DMA address
 * @edu_dead: a transfer did not end in time: bus mastering is off and the
 *	edu engine refuses to run until the device is bound again
 * @saved_dma_mask: streaming mask at bind time, restored after every run
 * @saved_coherent_mask: coherent mask at bind time, restored after every run
 * @saved_max_seg_size: max segment size at bind time (bytes), restored after
 *	every run; never a value a run or view widened it to
 * @saved_min_align_mask: dma_get_min_align_mask() at bind time, restored
 *	after every run (DMASTRESS_ATTR_MIN_ALIGN sets it)
 * @nvme: the nvme engine's controller state, or NULL (not an NVMe
 *	controller; see dmastress_engine_nvme.c)
 * @gone: the device is being unbound: engines stop, then ioctls taking
 *	@lock fail with -ENODEV
 * @name: "dmastress<N>"
 *
 * dmastress_run() needs only @dev, @lock held by the caller, the edu fields
 * (set by dmastress_edu_init()) for the edu engine, and the saved masks
 * (taken from @dev on the first run when zero): a KUnit suite may build one
 * around any device with @pdev NULL and use the cpu engine.
 */
struct dmastress_dev {
	struct pci_dev *pdev;
	struct device *dev;
	struct miscdevice misc;
	int index;
	struct mutex lock;		/* control ioctls */
	struct mutex edu_lock;		/* the edu DMA engine */
	void __iomem *bar;
	resource_size_t bar_phys;
	resource_size_t bar_len;
	bool is_edu;
	int irq;
	struct completion edu_done;
	void *edu_staging;
	dma_addr_t edu_staging_dma;
	bool edu_dead;
	u64 saved_dma_mask;
	u64 saved_coherent_mask;
	unsigned int saved_max_seg_size;
	unsigned int saved_min_align_mask;
	struct dmastress_nvme *nvme;
	bool gone;
	char name[16];
};

/**
 * struct dmastress_single - a linear buffer mapped by one call: the single,
 *	page and phys paths
 * @buf: start of the CPU buffer (kmalloc'd, or page_address(@page))
 * @page: the page block, or NULL when @buf is kmalloc'd
 * @order: order of @page
 * @payload: first payload byte, @buf + the leading guard and offset
 * @dma: DMA address of @payload while @mapped
 * @unmap: the path's unmap call (dma_unmap_single(), _page(), _phys()),
 *	set by its setup(), timed with dmastress_op_call_begin()/_end()
 * @attrs: DMA_ATTR_* of the map, passed to the unmap too
 * @mapped: the mapping succeeded and is not undone
 */
struct dmastress_single {
	void *buf;
	struct page *page;
	unsigned int order;
	void *payload;
	dma_addr_t dma;
	unsigned long attrs;
	void (*unmap)(struct dmastress_op *op, struct dmastress_single *s);
	bool mapped;
};

/* dmastress_path_single.c: the linear buffer, shared with the phys path */
bool dmastress_single_usable(struct dmastress_dev *dd,
			     const struct dmastress_run_params *p,
			     const char **why);
int dmastress_single_prepare(struct dmastress_op *op);
int dmastress_single_describe(struct dmastress_op *op);
void dmastress_single_sync_for_device(struct dmastress_op *op);
void dmastress_single_sync_for_cpu(struct dmastress_op *op);
void dmastress_single_teardown(struct dmastress_op *op);
void dmastress_single_release(struct dmastress_op *op);
void dmastress_single_check_align(struct dmastress_op *op, dma_addr_t dma,
				  phys_addr_t phys);

/* dmastress_path_resource.c: the MMIO target, shared with phys (MMIO) */
bool dmastress_resource_usable(struct dmastress_dev *dd,
			       const struct dmastress_run_params *p,
			       const char **why);
phys_addr_t dmastress_resource_target(struct dmastress_op *op,
				      struct dmastress_peer_piece *piece,
				      int *err);

/* The largest peer window dmastress_peer_add() registers, bytes. */
#define DMASTRESS_PEER_MAX_BYTES	SZ_64M

/**
 * struct dmastress_peer - a peer memory window (see dmastress_peer.c)
 * @node: in the list of windows, under the peer lock
 * @owner: the device whose BAR it is
 * @va: the window through the BAR, ioremapped by @owner
 * @phys: its CPU physical address, page aligned
 * @len: bytes, whole pages
 * @pages: @len in pages
 * @map: pages taken by pieces, under the peer lock
 * @users: pieces out
 * @idle: woken when @users drops to zero
 * @p2p: the provider when part of the BAR is P2PDMA memory too
 *	(pci_p2pdma_add_resource()), else NULL
 * @p2p_len: bytes of it
 * @p2p_logged: pci_p2pdma_distance() told its reason in the log once
 */
struct dmastress_peer {
	struct list_head node;
	struct dmastress_dev *owner;
	void __iomem *va;
	phys_addr_t phys;
	size_t len;
	unsigned long pages;
	unsigned long *map;
	atomic_t users;
	wait_queue_head_t idle;
	struct pci_dev *p2p;
	size_t p2p_len;
	bool p2p_logged;
};

/**
 * struct dmastress_peer_piece - whole pages of a peer window held by an op
 * @peer: the window, NULL when none is held
 * @first: first page in the window
 * @pages: pages held
 * @va: the piece through the BAR
 * @phys: its CPU physical address, what a DMA mapping of it maps
 * @p2p_va: P2PDMA memory from pci_alloc_p2pmem() instead, or NULL
 * @p2p_len: its bytes
 */
struct dmastress_peer_piece {
	struct dmastress_peer *peer;
	unsigned long first;
	unsigned long pages;
	void __iomem *va;
	phys_addr_t phys;
	void *p2p_va;
	size_t p2p_len;
};

/* dmastress_peer.c: peer memory windows (NVMe CMBs) */
int dmastress_peer_add(struct dmastress_dev *owner, struct dmastress_peer *peer,
		       void __iomem *va, phys_addr_t phys, size_t len);
void dmastress_peer_remove(struct dmastress_peer *peer);
size_t dmastress_peer_window(struct dmastress_dev *dd, phys_addr_t *phys,
			     const char **name);
int dmastress_peer_get(struct dmastress_dev *dd, size_t len,
		       struct dmastress_peer_piece *piece);
void dmastress_peer_put(struct dmastress_peer_piece *piece);
void dmastress_peer_write(struct dmastress_peer_piece *piece, const void *src,
			  size_t len);
void dmastress_peer_read(struct dmastress_peer_piece *piece, void *dst,
			 size_t len);
void dmastress_peer_add_p2p(struct dmastress_peer *peer, struct pci_dev *pdev,
			    int bar, u64 offset, size_t len);
size_t dmastress_peer_p2p_window(struct dmastress_dev *dd, int *distance);
int dmastress_peer_get_p2p(struct dmastress_dev *dd, size_t len,
			   struct dmastress_peer_piece *piece);

/* dmastress_engine.c */
extern const struct dmastress_engine *const dmastress_engines[DMASTRESS_NR_ENGINES];
bool dmastress_stopping(void);
bool dmastress_engine_interrupted(struct dmastress_dev *dd);
size_t dmastress_engine_max_xfer(struct dmastress_dev *dd,
				 const struct dmastress_engine *eng);
int dmastress_engine_xfer_segs(struct dmastress_dev *dd,
			       const struct dmastress_engine *eng,
			       const struct dmastress_seg *segs,
			       unsigned int nsegs, void *devbuf, size_t len,
			       enum dmastress_xfer_dir dir, u64 *cmd_ns);
int dmastress_engine_xfer(struct dmastress_dev *dd,
			  const struct dmastress_engine *eng, dma_addr_t dma,
			  void *devbuf, size_t len, enum dmastress_xfer_dir dir);
/**
 * dmastress_kvmalloc_bytes() - memory a kvmalloc() of @n bytes takes
 * @n: bytes asked for
 *
 * kmalloc() and the page allocator round up to a power of two up to their
 * largest block; beyond it vmalloc() takes pages one by one and an array
 * of their pointers. Any context.
 *
 * Return: bytes, at most.
 */
static inline u64 dmastress_kvmalloc_bytes(u64 n)
{
	if (n <= DMASTRESS_MAX_CONTIG_BYTES)
		return roundup_pow_of_two(n);
	n = PAGE_ALIGN(n);
	return n + (n >> PAGE_SHIFT) * sizeof(struct page *);
}

void *dmastress_devbuf_alloc(size_t len, void **mem);
u64 dmastress_devbuf_bytes(u64 len);
u64 dmastress_block_bytes(const struct dmastress_run_params *p, u64 len);
u64 dmastress_run_footprint(const struct dmastress_run_params *p,
			    u32 stress_paths);
void dmastress_devbuf_free(void *mem);
extern const struct dmastress_engine dmastress_engine_edu;
extern const struct dmastress_engine dmastress_engine_cpu;
extern const struct dmastress_engine dmastress_engine_nvme;

/* dmastress_engine_nvme.c: used by probe/remove and info */
bool dmastress_nvme_allowed(const char *bdf);
int dmastress_nvme_init(struct dmastress_dev *dd);
void dmastress_nvme_exit(struct dmastress_dev *dd);

/* dmastress_engine_edu.c: used by probe/remove */
int dmastress_edu_init(struct dmastress_dev *dd);
void dmastress_edu_exit(struct dmastress_dev *dd);

/* dmastress_paths.c: the path table; the paths, one file per family */
extern const struct dmastress_path *const dmastress_paths[DMASTRESS_NR_PATHS];
extern const struct dmastress_path dmastress_path_coherent;
extern const struct dmastress_path dmastress_path_pool;
extern const struct dmastress_path dmastress_path_single;
extern const struct dmastress_path dmastress_path_page;
extern const struct dmastress_path dmastress_path_sg;
extern const struct dmastress_path dmastress_path_sgtable;
extern const struct dmastress_path dmastress_path_resource;
extern const struct dmastress_path dmastress_path_pages;
extern const struct dmastress_path dmastress_path_p2pdma;
extern const struct dmastress_path dmastress_path_noncoherent;
extern const struct dmastress_path dmastress_path_noncontig;
extern const struct dmastress_path dmastress_path_phys;
extern const struct dmastress_path dmastress_path_iova;

unsigned long dmastress_dma_attrs(u32 attrs);

/* dmastress_names.c: the names of the UAPI lists */
const char *dmastress_path_name(u32 id);
const char *dmastress_engine_name(u32 id);
const char *dmastress_dir_name(u32 dir);
const char *dmastress_group_name(u32 type);

/* dmastress_op.c: what paths describe their buffers with */
int dmastress_op_reserve_segs(struct dmastress_op *op, unsigned int n);
int dmastress_op_add_seg(struct dmastress_op *op, dma_addr_t dma, size_t len,
			 void *cpu, phys_addr_t phys);
int dmastress_op_add_sgtable(struct dmastress_op *op, struct sg_table *sgt,
			     size_t skip, size_t len);
void dmastress_op_add_guard(struct dmastress_op *op, void *start, size_t len);

/* dmastress_pattern.c */
u8 dmastress_pattern_byte(u32 seed, u64 offset);
void dmastress_pattern_fill(void *buf, size_t len, u32 seed, u64 offset);
/**
 * struct dmastress_verify - result of comparing a buffer to the pattern
 * @mismatches: bytes that differ
 * @first_offset: offset of the first difference
 * @first_expected: byte expected there
 * @first_actual: byte found there
 */
struct dmastress_verify {
	u64 mismatches;
	u64 first_offset;
	u8 first_expected;
	u8 first_actual;
};

void dmastress_pattern_check(const void *buf, size_t len, u32 seed, u64 offset,
			     struct dmastress_verify *v);
void dmastress_guard_fill(void *buf, size_t len);
u64 dmastress_guard_check(const void *buf, size_t len);

/* dmastress_stats.c */
unsigned int dmastress_hist_bucket(u64 ns);
void dmastress_hist_add(struct dmastress_hist *h, u64 ns);
void dmastress_hist_merge(struct dmastress_hist *dst,
			  const struct dmastress_hist *src);
void dmastress_hist_init(struct dmastress_hist *h);
void dmastress_timer_calibrate(void);
u64 dmastress_timer_overhead_ps(void);

/* dmastress_info.c */
u32 dmastress_group_type(struct device *dev);
phys_addr_t dmastress_translate(struct device *dev, dma_addr_t dma,
				size_t *unit);
bool dmastress_alloc_needs_contig(struct device *dev, bool force);
void dmastress_fill_info(struct dmastress_dev *dd, struct dmastress_info *info);
int dmastress_set_masks(struct dmastress_dev *dd, u32 mask_bits,
			u32 coherent_mask_bits);
void dmastress_restore_masks(struct dmastress_dev *dd);
void dmastress_widen_max_seg_size(struct dmastress_dev *dd);

/* dmastress_view.c: the open file and its mmap views */
extern const struct file_operations dmastress_fops;
struct dmastress_dev *dmastress_dev_alloc(void);
void dmastress_dev_put(struct dmastress_dev *dd);
void dmastress_revoke_views(struct dmastress_dev *dd);
int dmastress_view_create(struct file *file, struct dmastress_view *v);
int dmastress_view_xfer(struct file *file, struct dmastress_view_xfer *x);
int dmastress_view_destroy(struct file *file, u32 id);
struct dmastress_dev *dmastress_file_dev(struct file *file);

/* dmastress_main.c: module parameters */
bool dmastress_pfn_pitfall_enabled(void);

/* dmastress_ioctl.c */
long dmastress_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* dmastress_run.c */
int dmastress_validate_params(const struct dmastress_run_params *p);
int dmastress_run(struct dmastress_dev *dd, const struct dmastress_run_params *p,
		  struct dmastress_run_result *res, struct dmastress_hist *hists);
int dmastress_run_counts(struct dmastress_dev *dd,
			 const struct dmastress_run_params *p,
			 struct dmastress_run_result *res,
			 struct dmastress_hist *hists,
			 struct dmastress_path_counts *counts);

/* dmastress_stress.c: per-path books of a run, fault-injection marking */
void dmastress_stress_thread_start(void);
void dmastress_counts_snap(struct dmastress_path_counts *snap,
			   const struct dmastress_run_result *r);
void dmastress_counts_account(struct dmastress_path_counts *pc,
			      const struct dmastress_path_counts *snap,
			      const struct dmastress_run_result *r);
void dmastress_counts_draw(struct dmastress_path_counts *pc,
			   const struct dmastress_run_params *q,
			   unsigned int thread, u64 iter);
void dmastress_counts_merge(struct dmastress_path_counts *dst,
			    const struct dmastress_path_counts *src);
void dmastress_counts_from_result(struct dmastress_path_counts *pc,
				  const struct dmastress_run_result *r);

/* dmastress_misuse.c: DMASTRESS_IOC_MISUSE and its cleanup at unbind */
int dmastress_misuse(struct dmastress_dev *dd, struct dmastress_misuse *m);
void dmastress_misuse_release_all(void);
bool dmastress_misuse_allowed(void);

#endif /* _DMASTRESS_H */
