/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmastress_uapi.h - user-space interface of /dev/dmastress<N>
 *
 * Every structure starts with a __u32 size field that user space sets to
 * sizeof() the structure it was compiled with; the kernel refuses any other
 * size with -EINVAL. Reserved fields must be zero (-EINVAL otherwise). Only
 * fixed-width types are used; pointers would travel as __u64.
 *
 * Opening the device requires CAP_SYS_RAWIO. Control ioctls on one device are
 * serialised by a per-device mutex. An unknown ioctl returns -ENOTTY. A field
 * out of range returns -EINVAL and changes no state. A run that fails midway
 * unmaps and frees everything it made before returning.
 *
 * Kernel virtual addresses never reach user space. DMA and physical addresses
 * are reported only where a check needs them (&struct dmastress_view), and
 * physical ones (and MISUSE, and the pitfall view) only to a caller that has
 * CAP_SYS_RAWIO at the time: a file passed to another process gets 0.
 */
#ifndef _UAPI_DMASTRESS_H
#define _UAPI_DMASTRESS_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/const.h>

#define DMASTRESS_IOC_MAGIC		0xDB

/* Bounds on every user input. */
#define DMASTRESS_MAX_LEN_BYTES		_BITULL(30)	/* one operation, bytes */
#define DMASTRESS_MAX_NENTS		4096		/* sg entries */
#define DMASTRESS_MAX_THREADS		64
#define DMASTRESS_MAX_SECONDS		3600
#define DMASTRESS_MAX_ITERATIONS	_BITULL(32)
#define DMASTRESS_MAX_BATCH		4096		/* ops timed together */
#define DMASTRESS_MAX_VIEWS		16		/* mmap views per open file */
#define DMASTRESS_MAX_VIEW_BYTES	(64ULL << 20)	/* one view, bytes */
#define DMASTRESS_MIN_MASK_BITS		24
#define DMASTRESS_MAX_MASK_BITS		64
#define DMASTRESS_MAX_LIVE		64		/* stress: mappings alive per thread */
#define DMASTRESS_MAX_POOL_ALIGN	65536		/* dma_pool align, bytes */
#define DMASTRESS_MIN_PIECE_BYTES	4096		/* iova piece, bytes */
#define DMASTRESS_MAX_PIECE_BYTES	(4U << 20)	/* iova piece, bytes */
#define DMASTRESS_MAX_HELD		64		/* HELD_AT_UNBIND mappings alive */
/* Buffers alive at once in a run: threads x len_bytes x (batch, live or 1). */
#define DMASTRESS_MAX_RUN_BYTES		_BITULL(30)
/*
 * Memory a run allocates at once, bytes: every op's buffer as the page
 * allocator hands it out (a power of two up to its largest block, 2 MiB
 * blocks with DMASTRESS_RUN_HUGE, three blocks for a pool op), guards,
 * shadows, tables and segment arrays, the slots and each thread's device
 * buffer. A run above it ends with status -EINVAL, one above half the RAM
 * with -ENOMEM, before anything is allocated.
 */
#define DMASTRESS_MAX_RUN_ALLOC_BYTES	(3ULL << 29)
/* Ops a run may ask for: threads x iterations x (batch + 1). */
#define DMASTRESS_MAX_RUN_OPS		_BITULL(32)

/*
 * The name lists. Each is written once, here: an X(ID, name) entry gives the
 * suffix of the constant (DMASTRESS_PATH_<ID>...) and the name that the
 * kernel log, the CLI, the CSV files and the plots use; the order of the
 * entries gives the values. kmod/, kunit/, bench/ and selftests/ build
 * their enums and name tables from them (DMASTRESS_NAME_TABLE()); shell
 * scripts and gnuplot read them from the CLI (dmastress info --list paths).
 *
 * DMASTRESS_PATHS - the DMA API families (enum dmastress_path_id):
 *  coherent: dma_alloc_attrs()/dma_free_attrs(); attrs from
 *	&struct dmastress_run_params.attrs
 *  pool: dma_pool_create()/dma_pool_alloc()/dma_pool_zalloc()/
 *	dma_pool_free()/dma_pool_destroy(), align and boundary from the params
 *  single: dma_map_single() on kmalloc'd (or vmalloc'd pages for large)
 *	buffers, odd lengths included
 *  page: dma_map_page() at a sub-page offset, crossing pages
 *  sg: dma_map_sg() with nents entries, chained if large
 *  sgtable: dma_map_sgtable() and the sgtable syncs
 *  resource: dma_map_resource() of a peer's MMIO: another device's NVMe CMB
 *	(verified through its BAR), else edu's own window (unverified)
 *  pages: dma_alloc_pages()/dma_free_pages() with explicit syncs
 *  noncoherent: dma_alloc_noncoherent()/dma_free_noncoherent()
 *  noncontig: dma_alloc_noncontiguous() with dma_vmap_noncontiguous() and
 *	the vmap range flush/invalidate
 *  phys: dma_map_phys()/dma_unmap_phys() of memory, or with DMASTRESS_ATTR_MMIO
 *	of the resource path's target with DMA_ATTR_MMIO next to
 *	dma_map_resource() (Linux 6.18)
 *  iova: the two-step IOVA API, dma_iova_try_alloc()/link()/sync()/
 *	unlink()/destroy()/free(), piece by piece into one IOVA range, or
 *	per-piece dma_map_phys() where dma_use_iova() is false (Linux 6.16)
 *  p2pdma: pci_alloc_p2pmem() of another device's P2PDMA memory (an NVMe
 *	CMB) mapped with dma_map_sgtable() (CONFIG_PCI_P2PDMA, and a
 *	topology pci_p2pdma_distance() accepts)
 */
#define DMASTRESS_PATHS(X)			\
	X(COHERENT, "coherent")			\
	X(POOL, "pool")				\
	X(SINGLE, "single")			\
	X(PAGE, "page")				\
	X(SG, "sg")				\
	X(SGTABLE, "sgtable")			\
	X(RESOURCE, "resource")			\
	X(PAGES, "pages")			\
	X(NONCOHERENT, "noncoherent")		\
	X(NONCONTIG, "noncontig")		\
	X(PHYS, "phys")				\
	X(IOVA, "iova")				\
	X(P2PDMA, "p2pdma")

/*
 * DMASTRESS_ENGINES - who moves the bytes as the device (enum
 * dmastress_engine_id):
 *  edu: QEMU's edu DMA engine, <= 2048 bytes per transfer, MSI completion
 *	with a timeout
 *  cpu: software bus-master walking the device's translation
 *	(iommu_iova_to_phys() or dma_to_phys())
 *  nvme: an NVMe controller taken with the module parameter nvme_allow=,
 *	READ and WRITE commands with PRPs or SGLs, polled with a timeout
 */
#define DMASTRESS_ENGINES(X)			\
	X(EDU, "edu")				\
	X(CPU, "cpu")				\
	X(NVME, "nvme")

/*
 * DMASTRESS_DIRS - directions, in the values of enum dma_data_direction:
 * 0 BIDIRECTIONAL (memory -> device -> memory), 1 TO_DEVICE, 2 FROM_DEVICE
 * (DMASTRESS_DIR_<ID>).
 */
#define DMASTRESS_DIRS(X)			\
	X(BIDIRECTIONAL, "bidi")		\
	X(TO_DEVICE, "to")			\
	X(FROM_DEVICE, "from")

/*
 * DMASTRESS_GROUP_TYPES - the device's IOMMU default domain type, by the
 * names of /sys/kernel/iommu_groups/N/type (enum dmastress_group_type):
 *  none: no IOMMU group (dma-direct, maybe swiotlb)
 *  identity: passthrough
 *  DMA: strict invalidation
 *  DMA-FQ: lazy, flush queue
 *  blocked: blocked or unmanaged domain
 */
#define DMASTRESS_GROUP_TYPES(X)		\
	X(NONE, "none")				\
	X(IDENTITY, "identity")			\
	X(DMA, "DMA")				\
	X(DMA_FQ, "DMA-FQ")			\
	X(BLOCKED, "blocked")

/*
 * DMASTRESS_ATTRS - DMA attributes of a run (&struct
 * dmastress_run_params.attrs, bit n for entry n, DMASTRESS_ATTR_<ID>):
 *  wc: DMA_ATTR_WRITE_COMBINE
 *  nokmap: DMA_ATTR_NO_KERNEL_MAPPING
 *  contig: DMA_ATTR_FORCE_CONTIGUOUS
 *  managed: dmam_alloc_attrs() instead of dma_alloc_attrs() (coherent),
 *	dmam_pool_create() instead of dma_pool_create() (pool)
 *  mmio: DMA_ATTR_MMIO, the phys path's MMIO target (Linux 6.18)
 *  skipsync: DMA_ATTR_SKIP_CPU_SYNC on the map and unmap of a streaming
 *	path (single, page, sg, sgtable, phys, iova), which then relies on its
 *	explicit dma_sync_*() calls alone
 *  single-pages: DMA_ATTR_ALLOC_SINGLE_PAGES (noncontig)
 *  nowarn: DMA_ATTR_NO_WARN (coherent and the streaming paths)
 *  weak: DMA_ATTR_WEAK_ORDERING (coherent and the streaming paths)
 *  minalign: dma_set_min_align_mask(PAGE_SIZE - 1) for the run (single,
 *	page): swiotlb keeps the low 12 address bits in its bounce slots
 *  node: dma_pool_create_node() with the device's NUMA node (pool; a
 *	kernel that has it)
 * Which a path accepts is its own (&struct dmastress_path.attrs).
 */
#define DMASTRESS_ATTRS(X)			\
	X(WRITE_COMBINE, "wc")			\
	X(NO_KERNEL_MAPPING, "nokmap")		\
	X(FORCE_CONTIGUOUS, "contig")		\
	X(MANAGED, "managed")			\
	X(MMIO, "mmio")				\
	X(SKIP_CPU_SYNC, "skipsync")		\
	X(ALLOC_SINGLE_PAGES, "single-pages")	\
	X(NO_WARN, "nowarn")			\
	X(WEAK_ORDERING, "weak")		\
	X(MIN_ALIGN, "minalign")		\
	X(NODE, "node")

/*
 * DMASTRESS_FEATURES - what this build of the module offers (&struct
 * dmastress_info.features, bit n for entry n, DMASTRESS_FEATURE_<ID>), so
 * that user space asks instead of guessing from an error:
 *  out-zero: the output-only fields of every ioctl structure must be zero
 *	on input (-EINVAL otherwise, nothing done)
 *  views: DMASTRESS_IOC_VIEW_CREATE, _VIEW_XFER, _VIEW_DESTROY and mmap()
 *	of views
 *  iova-api: the iova path runs the two-step IOVA API (dma_iova_try_alloc(),
 *	dma_iova_link(): Linux 6.16); without it the path's runs are skipped
 *  map-phys: the phys path runs dma_map_phys() and DMA_ATTR_MMIO (Linux
 *	6.18)
 *  run-limits: a run's allocations (DMASTRESS_MAX_RUN_ALLOC_BYTES), ops
 *	(DMASTRESS_MAX_RUN_OPS) and wall time (the module's max_run_seconds,
 *	-ETIMEDOUT) are bounded
 */
#define DMASTRESS_FEATURES(X)			\
	X(OUT_ZERO, "out-zero")			\
	X(VIEWS, "views")			\
	X(IOVA_API, "iova-api")			\
	X(MAP_PHYS, "map-phys")			\
	X(RUN_LIMITS, "run-limits")

/*
 * DMASTRESS_PHASES - timed phases of one operation (enum dmastress_phase):
 *  map: allocate and/or map (dma_alloc_*, dma_map_*)
 *  sync_for_device: dma_sync_*_for_device (or flush)
 *  xfer: the engine's transfer(s)
 *  sync_for_cpu: dma_sync_*_for_cpu (or invalidate)
 *  unmap: unmap and/or free
 *  e2e: the whole operation, excluding pattern fill/verify
 *  cmd: the device commands of the xfer phase that moved the mapping's own
 *	bytes: for an engine that stages through a buffer of its own (nvme:
 *	a second command per transfer) the data commands alone, submission
 *	to completion; for the others the whole xfer phase
 */
#define DMASTRESS_PHASES(X)			\
	X(MAP, "map")				\
	X(SYNC_FOR_DEVICE, "sync_for_device")	\
	X(XFER, "xfer")				\
	X(SYNC_FOR_CPU, "sync_for_cpu")		\
	X(UNMAP, "unmap")			\
	X(E2E, "e2e")				\
	X(CMD, "cmd")

/*
 * DMASTRESS_NAME_TABLE() - the names of a list as a table indexed by value:
 * static const char *const names[] = { DMASTRESS_NAME_TABLE(DMASTRESS_PATHS) };
 */
#define DMASTRESS_X_NAME(id, name)	name,
#define DMASTRESS_NAME_TABLE(list)	list(DMASTRESS_X_NAME)

#define DMASTRESS_X_PATH(id, name)	DMASTRESS_PATH_##id,
#define DMASTRESS_X_ENGINE(id, name)	DMASTRESS_ENGINE_##id,
#define DMASTRESS_X_DIR(id, name)	DMASTRESS_DIR_##id,
#define DMASTRESS_X_GROUP(id, name)	DMASTRESS_GROUP_##id,
#define DMASTRESS_X_ATTR(id, name)	DMASTRESS_ATTR_BIT_##id,
#define DMASTRESS_X_PHASE(id, name)	DMASTRESS_PHASE_##id,
#define DMASTRESS_X_FEATURE(id, name)	DMASTRESS_FEATURE_BIT_##id,

/* enum dmastress_path_id - DMASTRESS_PATH_<ID> of DMASTRESS_PATHS */
enum dmastress_path_id {
	DMASTRESS_PATHS(DMASTRESS_X_PATH)
	DMASTRESS_NR_PATHS,
};

/* enum dmastress_engine_id - DMASTRESS_ENGINE_<ID> of DMASTRESS_ENGINES */
enum dmastress_engine_id {
	DMASTRESS_ENGINES(DMASTRESS_X_ENGINE)
	DMASTRESS_NR_ENGINES,
};

/* enum dmastress_dir - DMASTRESS_DIR_<ID> of DMASTRESS_DIRS */
enum dmastress_dir {
	DMASTRESS_DIRS(DMASTRESS_X_DIR)
	DMASTRESS_NR_DIRS,
};

/* enum dmastress_phase - DMASTRESS_PHASE_<ID> of DMASTRESS_PHASES */
enum dmastress_phase {
	DMASTRESS_PHASES(DMASTRESS_X_PHASE)
	DMASTRESS_NR_PHASES,
};

/* enum dmastress_group_type - DMASTRESS_GROUP_<ID> of DMASTRESS_GROUP_TYPES */
enum dmastress_group_type {
	DMASTRESS_GROUP_TYPES(DMASTRESS_X_GROUP)
	DMASTRESS_NR_GROUP_TYPES,
};

/* &struct dmastress_info.features: bit DMASTRESS_FEATURE_BIT_<ID> */
enum dmastress_feature_bit {
	DMASTRESS_FEATURES(DMASTRESS_X_FEATURE)
	DMASTRESS_NR_FEATURES,
};

#define DMASTRESS_FEATURE(id)		_BITULL(DMASTRESS_FEATURE_BIT_##id)
#define DMASTRESS_FEATURES_ALL		(_BITULL(DMASTRESS_NR_FEATURES) - 1)

/* &struct dmastress_info.flags */
#define DMASTRESS_INFO_SWIOTLB_ACTIVE	_BITUL(0) /* swiotlb pool exists */
#define DMASTRESS_INFO_SWIOTLB_FORCE	_BITUL(1) /* swiotlb=force for this device */
#define DMASTRESS_INFO_ADDR_LIMITED	_BITUL(2) /* dma_addressing_limited() */
#define DMASTRESS_INFO_NEED_SYNC	_BITUL(3) /* dma_need_sync() of a sample map */
#define DMASTRESS_INFO_EDU		_BITUL(4) /* the device is QEMU's edu */
#define DMASTRESS_INFO_MSI		_BITUL(5) /* edu completion by MSI */
#define DMASTRESS_INFO_DMA_API_DEBUG	_BITUL(6) /* CONFIG_DMA_API_DEBUG */
#define DMASTRESS_INFO_PFN_PITFALL	_BITUL(7) /* pfn_pitfall=1: wrong view offered */
#define DMASTRESS_INFO_CAN_MMAP		_BITUL(8) /* dma_can_mmap(): views can be mapped */

/**
 * struct dmastress_info - DMASTRESS_IOC_INFO: what the device and kernel offer
 * @size: sizeof(struct dmastress_info), set by user space
 * @flags: out, DMASTRESS_INFO_*
 * @bdf: out, PCI domain << 16 | bus << 8 | devfn
 * @group_type: out, enum dmastress_group_type
 * @dma_mask: out, the streaming DMA mask saved at bind time
 * @coherent_dma_mask: out, the coherent DMA mask saved at bind time
 * @required_mask: out, dma_get_required_mask()
 * @max_mapping_size: out, dma_max_mapping_size(), bytes
 * @opt_mapping_size: out, dma_opt_mapping_size(), bytes
 * @merge_boundary: out, dma_get_merge_boundary() (0: no merging)
 * @seg_boundary: out, dma_get_seg_boundary()
 * @max_seg_size: out, dma_get_max_seg_size(), bytes
 * @cache_alignment: out, dma_get_cache_alignment(), bytes
 * @iommu_granule: out, smallest IOMMU page size of the domain, bytes (0: none)
 * @engines: out, bit n set when engine n can run on this device
 * @timer_overhead_ns: out, mean cost of one ktime_get_ns() measured at load, ns
 * @timer_overhead_ps: out, the same in picoseconds
 * @swiotlb_nslabs: out, swiotlb slabs (2 KiB each), 0 if unknown
 * @engine_max_xfer: out, per enum dmastress_engine_id: the largest transfer
 *	the engine does in one go on this device, bytes, as the device reports
 *	it (an NVMe controller's MDTS) or the engine's own limit (edu 2048);
 *	longer transfers are split. 0 when the engine cannot run here
 * @peer_window_bytes: out, bytes of the peer memory this device's resource
 *	and phys (MMIO) runs map and verify: another device's NVMe CMB, whole
 *	pages (0: none, those runs target edu's own window, unverified)
 * @peer_window_phys: out, that window's CPU physical address (0: none)
 * @features: out, DMASTRESS_FEATURE_* of DMASTRESS_FEATURES (since the
 *	field exists: a module before it leaves it 0, as a reserved field)
 * @reserved: must be zero
 *
 * Every field but @size and @reserved is output only, and must be zero on
 * input (DMASTRESS_FEATURE(OUT_ZERO)).
 */
struct dmastress_info {
	__u32 size;
	__u32 flags;
	__u32 bdf;
	__u32 group_type;
	__u64 dma_mask;
	__u64 coherent_dma_mask;
	__u64 required_mask;
	__u64 max_mapping_size;
	__u64 opt_mapping_size;
	__u64 merge_boundary;
	__u64 seg_boundary;
	__u32 max_seg_size;
	__u32 cache_alignment;
	__u64 iommu_granule;
	__u32 engines;
	__u32 timer_overhead_ns;
	__u64 timer_overhead_ps;
	__u64 swiotlb_nslabs;
	__u32 engine_max_xfer[4];
	__u64 peer_window_bytes;
	__u64 peer_window_phys;
	__u64 features;
	__u64 reserved[3];
};

/* &struct dmastress_run_params.flags */
#define DMASTRESS_RUN_BATCH		_BITUL(0) /* time @batch ops together */
#define DMASTRESS_RUN_NO_VERIFY		_BITUL(1) /* skip data checks (bench only) */
#define DMASTRESS_RUN_HUGE		_BITUL(2) /* back sg/single with 2 MiB pages */
#define DMASTRESS_RUN_STRESS		_BITUL(3) /* randomised mix, see stress */
#define DMASTRESS_RUN_SKIP_SYNC_FOR_CPU	_BITUL(4) /* negative control: omit it */
#define DMASTRESS_RUN_OOB_XFER		_BITUL(5) /* negative control: aim outside the mapping */
#define DMASTRESS_RUN_INLINE		_BITUL(6) /* threads == 1: run in the caller */
#define DMASTRESS_RUN_NO_XFER		_BITUL(7) /* no transfer: map/unmap only, needs NO_VERIFY */
#define DMASTRESS_RUN_REUSE		_BITUL(8) /* one buffer per thread, mapped each op */
#define DMASTRESS_RUN_UNBOUND		_BITUL(9) /* kthreads not bound to CPUs */
#define DMASTRESS_RUN_IOVA_UNLINK	_BITUL(10) /* iova: unlink + free, not destroy */
#define DMASTRESS_RUN_WRONG_DIR		_BITUL(11) /* negative control: against the direction */
#define DMASTRESS_RUN_STALE_XFER	_BITUL(12) /* device reads the IOVA after the unmap */
#define DMASTRESS_RUN_STALE_WRITE	_BITUL(13) /* STALE_XFER: write it into the reused page */
#define DMASTRESS_RUN_FLAGS_ALL		0x3fff

/* Longest wait of DMASTRESS_RUN_STALE_XFER between unmap and access, us. */
#define DMASTRESS_MAX_STALE_DELAY_US	100000

/* &struct dmastress_run_params.attrs: bit DMASTRESS_ATTR_BIT_<ID> of DMASTRESS_ATTRS */
enum dmastress_attr_bit {
	DMASTRESS_ATTRS(DMASTRESS_X_ATTR)
	DMASTRESS_NR_ATTRS,
};

#define DMASTRESS_ATTR_WRITE_COMBINE	_BITUL(DMASTRESS_ATTR_BIT_WRITE_COMBINE)
#define DMASTRESS_ATTR_NO_KERNEL_MAPPING _BITUL(DMASTRESS_ATTR_BIT_NO_KERNEL_MAPPING)
#define DMASTRESS_ATTR_FORCE_CONTIGUOUS	_BITUL(DMASTRESS_ATTR_BIT_FORCE_CONTIGUOUS)
#define DMASTRESS_ATTR_MANAGED		_BITUL(DMASTRESS_ATTR_BIT_MANAGED)
#define DMASTRESS_ATTR_MMIO		_BITUL(DMASTRESS_ATTR_BIT_MMIO)
#define DMASTRESS_ATTR_SKIP_CPU_SYNC	_BITUL(DMASTRESS_ATTR_BIT_SKIP_CPU_SYNC)
#define DMASTRESS_ATTR_ALLOC_SINGLE_PAGES _BITUL(DMASTRESS_ATTR_BIT_ALLOC_SINGLE_PAGES)
#define DMASTRESS_ATTR_NO_WARN		_BITUL(DMASTRESS_ATTR_BIT_NO_WARN)
#define DMASTRESS_ATTR_WEAK_ORDERING	_BITUL(DMASTRESS_ATTR_BIT_WEAK_ORDERING)
#define DMASTRESS_ATTR_MIN_ALIGN	_BITUL(DMASTRESS_ATTR_BIT_MIN_ALIGN)
#define DMASTRESS_ATTR_NODE		_BITUL(DMASTRESS_ATTR_BIT_NODE)
/* The attributes every streaming path takes. */
#define DMASTRESS_ATTRS_STREAMING	(DMASTRESS_ATTR_SKIP_CPU_SYNC | \
					 DMASTRESS_ATTR_NO_WARN | \
					 DMASTRESS_ATTR_WEAK_ORDERING)
#define DMASTRESS_ATTRS_ALL		(_BITUL(DMASTRESS_NR_ATTRS) - 1)

/**
 * struct dmastress_run_params - what one run does
 * @path: enum dmastress_path_id
 * @engine: enum dmastress_engine_id
 * @dir: DMASTRESS_DIR_*
 * @flags: DMASTRESS_RUN_*; DMASTRESS_RUN_INLINE (with @threads 1) runs the
 *	operations in the ioctl's own task instead of a kthread, so that
 *	per-task fault injection (/proc/<pid>/task/<tid>/fail-nth) reaches
 *	every allocation of the run. DMASTRESS_RUN_NO_XFER (with NO_VERIFY,
 *	not with STRESS or OOB_XFER) runs dma_map_benchmark's loop with
 *	dma_trans_ns 0: map, unmap, nothing between them (no sync, no
 *	transfer): MAP, UNMAP and E2E samples only.
 *	DMASTRESS_RUN_REUSE (not with STRESS) prepares one CPU buffer
 *	per thread for the paths that have one (single, page, sg, sgtable,
 *	resource) and maps it again in every op; it is freed when the thread
 *	ends. With BATCH the batch sets up and tears down that one op
 *	@batch times, so that both timings do the same work.
 *	DMASTRESS_RUN_OOB_XFER with the cpu engine needs group type DMA or
 *	DMA-FQ (-EOPNOTSUPP otherwise: past the mapping is a physical page
 *	nobody gave the run); a device engine aims at its own canary page.
 *	DMASTRESS_RUN_STALE_WRITE (with STALE_XFER, @threads 1, not
 *	TO_DEVICE) writes the old DMA address into the page the path freed,
 *	once the module owns that page again.
 *	DMASTRESS_RUN_UNBOUND (not with INLINE) leaves the kthreads to the
 *	scheduler instead of binding them round robin, as
 *	dma_map_benchmark's are without a NUMA node.
 *	DMASTRESS_RUN_IOVA_UNLINK (iova path only) tears the range down as
 *	the API's dynamic user does, dma_iova_unlink() of every piece and
 *	dma_iova_free(), instead of the one-shot dma_iova_destroy(). Other
 *	combinations of these flags are -EINVAL
 * @len_bytes: bytes per operation, 1..DMASTRESS_MAX_LEN_BYTES
 * @nents: sg entries for sg/sgtable/noncontig (0: one per page), <= MAX_NENTS
 * @offset_bytes: offset into the first page, < PAGE_SIZE
 * @mask_bits: streaming mask for the run, 24..64, 0 = keep the device's
 * @coherent_mask_bits: coherent mask for the run, 24..64, 0 = keep
 * @threads: kthreads, 1..DMASTRESS_MAX_THREADS, bound to CPUs round robin
 *	unless DMASTRESS_RUN_UNBOUND
 * @seconds: run length in seconds, 0..DMASTRESS_MAX_SECONDS
 * @iterations: operations per thread, 0..DMASTRESS_MAX_ITERATIONS;
 *	exactly one of @seconds and @iterations is nonzero
 * @batch: ops per batch sample with DMASTRESS_RUN_BATCH, 1..MAX_BATCH,
 *	their buffers allocated at once unless DMASTRESS_RUN_REUSE (each op
 *	is mapped and unmapped in turn): @threads x @len_bytes x (@batch
 *	with BATCH and not REUSE, @live with STRESS, else 1) must not
 *	exceed DMASTRESS_MAX_RUN_BYTES
 * @seed: pattern and randomisation seed
 * @attrs: DMASTRESS_ATTR_*, only those the path accepts (coherent: all)
 * @pool_align: dma_pool align in bytes, power of two up to
 *	DMASTRESS_MAX_POOL_ALIGN, 0 = default
 * @pool_boundary: dma_pool boundary in bytes, power of two or 0
 * @live: stress only: mappings alive per thread, 1..DMASTRESS_MAX_LIVE
 * @paths: stress only: bitmask of paths to mix (0: all)
 * @piece_bytes: iova path only: bytes per linked piece (each its own
 *	physically contiguous block), a power of two from
 *	DMASTRESS_MIN_PIECE_BYTES to DMASTRESS_MAX_PIECE_BYTES; 0 = 4096;
 *	other paths and stress: 0
 * @stale_delay_us: DMASTRESS_RUN_STALE_XFER: us between the unmap and the
 *	device's access to the old IOVA, 0..DMASTRESS_MAX_STALE_DELAY_US;
 *	else 0
 * @reserved: must be zero
 */
struct dmastress_run_params {
	__u32 path;
	__u32 engine;
	__u32 dir;
	__u32 flags;
	__u64 len_bytes;
	__u32 nents;
	__u32 offset_bytes;
	__u32 mask_bits;
	__u32 coherent_mask_bits;
	__u32 threads;
	__u32 seconds;
	__u64 iterations;
	__u32 batch;
	__u32 seed;
	__u32 attrs;
	__u32 pool_align;
	__u32 pool_boundary;
	__u32 live;
	__u32 paths;
	__u32 piece_bytes;
	__u32 stale_delay_us;
	__u32 reserved[5];
};

#define DMASTRESS_HIST_SUB_BITS		3	/* 8 sub-buckets per power of two */
#define DMASTRESS_HIST_BUCKETS		512

/**
 * struct dmastress_hist - latency distribution of one phase, in ns
 * @count: samples
 * @sum_ns: sum of samples, ns
 * @min_ns: smallest sample, ns (0 when @count is 0)
 * @max_ns: largest sample, ns
 * @sum_100ns: sum of samples each truncated to a multiple of 100 ns, in
 *	units of 100 ns: dma_map_benchmark's arithmetic (kernel/dma/
 *	map_benchmark.c), so that its mean can be compared like for like
 * @buckets: log2 histogram with 8 linear sub-buckets per power of two:
 *	values 0..7 have their own bucket; a value v >= 8 with most
 *	significant bit m goes to bucket (m - 2) * 8 + ((v >> (m - 3)) & 7).
 *	Bucket b covers [lo(b), lo(b + 1)) ns.
 */
struct dmastress_hist {
	__u64 count;
	__u64 sum_ns;
	__u64 min_ns;
	__u64 max_ns;
	__u64 sum_100ns;
	__u64 buckets[DMASTRESS_HIST_BUCKETS];
};

/*
 * DMASTRESS_RESULT_FLAGS - how a path mapped (&struct
 * dmastress_run_result.path_flags, bit n for entry n, DMASTRESS_RESULT_<ID>):
 *  iova-linked: dma_use_iova(), one IOVA range linked piece by piece
 *  phys-fallback: no IOVA API for the device: per-piece dma_map_phys()
 *  no-unmap: dma_need_unmap() was false, so the unmaps were skipped
 *  bounced: a dma_iova_link() went through swiotlb (an untrusted device)
 *  nvme-prp: the nvme engine pointed a command at the data with PRPs
 *  nvme-sgl: ... with an SGL (an unaligned start or a partial block)
 */
#define DMASTRESS_RESULT_FLAGS(X)		\
	X(IOVA_LINKED, "iova-linked")		\
	X(IOVA_FALLBACK, "phys-fallback")	\
	X(NO_UNMAP, "no-unmap")			\
	X(IOVA_BOUNCED, "bounced")		\
	X(NVME_PRP, "nvme-prp")			\
	X(NVME_SGL, "nvme-sgl")

#define DMASTRESS_X_RESULT(id, name)	DMASTRESS_RESULT_BIT_##id,

/* enum dmastress_result_bit - DMASTRESS_RESULT_BIT_<ID> of DMASTRESS_RESULT_FLAGS */
enum dmastress_result_bit {
	DMASTRESS_RESULT_FLAGS(DMASTRESS_X_RESULT)
	DMASTRESS_NR_RESULT_FLAGS,
};

#define DMASTRESS_RESULT_IOVA_LINKED	_BITUL(DMASTRESS_RESULT_BIT_IOVA_LINKED)
#define DMASTRESS_RESULT_IOVA_FALLBACK	_BITUL(DMASTRESS_RESULT_BIT_IOVA_FALLBACK)
#define DMASTRESS_RESULT_NO_UNMAP	_BITUL(DMASTRESS_RESULT_BIT_NO_UNMAP)
#define DMASTRESS_RESULT_IOVA_BOUNCED	_BITUL(DMASTRESS_RESULT_BIT_IOVA_BOUNCED)
#define DMASTRESS_RESULT_NVME_PRP	_BITUL(DMASTRESS_RESULT_BIT_NVME_PRP)
#define DMASTRESS_RESULT_NVME_SGL	_BITUL(DMASTRESS_RESULT_BIT_NVME_SGL)

/* Histograms a run can return: one per phase, then the batch one. */
#define DMASTRESS_HIST_BATCH		DMASTRESS_NR_PHASES
#define DMASTRESS_NR_HISTS		(DMASTRESS_NR_PHASES + 1)

/**
 * struct dmastress_phase_sum - summary of one phase, in ns
 * @count: samples
 * @sum_ns: sum of samples, ns
 * @min_ns: smallest sample, ns (0 when @count is 0)
 * @max_ns: largest sample, ns
 */
struct dmastress_phase_sum {
	__u64 count;
	__u64 sum_ns;
	__u64 min_ns;
	__u64 max_ns;
};

/**
 * struct dmastress_run_result - what one run measured and found
 * @ops: operations completed (all threads)
 * @bytes: bytes moved by the engine and verified
 * @elapsed_ns: wall time of the run, ns
 * @mismatches: bytes that did not match the expected pattern
 * @guard_errors: guard bytes around buffers/segments found changed
 * @src_errors: source bytes changed by a transfer
 * @device_faults: engine transfers that faulted (no translation, timeout,
 *	out of mask)
 * @map_errors: dma_mapping_error()/dma_map_sg*() failures
 * @alloc_errors: allocation failures (-ENOMEM)
 * @mask_violations: DMA addresses with addr + len - 1 > mask
 * @seg_violations: DMA segments over max_seg_size or crossing seg boundary
 * @first_mismatch_offset: byte offset of the first mismatch in the buffer
 * @first_expected: the byte expected there
 * @first_actual: the byte found there
 * @nents_mapped: DMA segments of the last sg mapping (after merging)
 * @nents_cpu: CPU segments of the last sg mapping
 * @sample_dma_addr: a DMA address of the last op (first segment; the
 *	canary's with DMASTRESS_RUN_OOB_XFER and a device engine)
 * @sample_phys_addr: the physical address of that segment's CPU memory
 *	(0 when not meaningful, e.g. vmalloc'd coherent memory)
 * @phase: per-phase summaries, enum dmastress_phase
 * @batch: DMASTRESS_RUN_BATCH: one sample per batch of @batch map+unmap
 *	pairs done one after the other with no clock read between them, the
 *	batch's time divided by @batch, ns per op
 * @skip_reason: NUL-terminated reason when the run was skipped (-EOPNOTSUPP)
 * @stale_mappings: IOVA granules that still translated (iommu_iova_to_phys())
 *	after the path unlinked or destroyed them (iova path)
 * @path_flags: DMASTRESS_RESULT_*, or'ed over the run's ops
 * @pad: zero
 * @oob_landed: DMASTRESS_RUN_OOB_XFER with a device engine (edu, nvme):
 *	bytes of the module's canary page that the device's accesses reached,
 *	at a DMA address no mapping of the device covers (the canary's
 *	physical address, checked unmapped in the IOMMU domain): 0 when the
 *	IOMMU translates the device's DMA, the access's length per op when
 *	nothing translates it (no IOMMU, identity, or a device that bypasses
 *	its IOMMU)
 * @perm_landed: DMASTRESS_RUN_WRONG_DIR: bytes of device accesses against
 *	the mapping's direction that took effect: a device write into a
 *	DMA_TO_DEVICE mapping that changed the CPU's buffer (counted after
 *	the unmap), a device read of a DMA_FROM_DEVICE mapping that brought
 *	back the buffer's bytes (a whole op's length, or 0). 0 where the
 *	IOMMU enforces the direction (its read/write permission bits)
 * @stale_reached: DMASTRESS_RUN_STALE_XFER: ops whose device read of the
 *	old DMA address, stale_delay_us after the unmap, brought back the
 *	buffer's bytes (the IOMMU still translated it: under DMA-FQ until the
 *	flush queue invalidates the IOTLB; under DMA never). With
 *	DMASTRESS_RUN_STALE_WRITE: ops whose device write to the old DMA
 *	address changed the page that had been freed and allocated again
 * @stale_reused: DMASTRESS_RUN_STALE_WRITE: ops whose page, freed by the
 *	path after the unmap, came straight back from the page allocator to
 *	a new allocation of the module (the writes attempted: the module
 *	aims the device only at memory it owns again)
 * @reserved: zero
 */
struct dmastress_run_result {
	__u64 ops;
	__u64 bytes;
	__u64 elapsed_ns;
	__u64 mismatches;
	__u64 guard_errors;
	__u64 src_errors;
	__u64 device_faults;
	__u64 map_errors;
	__u64 alloc_errors;
	__u64 mask_violations;
	__u64 seg_violations;
	__u64 first_mismatch_offset;
	__u32 first_expected;
	__u32 first_actual;
	__u32 nents_mapped;
	__u32 nents_cpu;
	__u64 sample_dma_addr;
	__u64 sample_phys_addr;
	struct dmastress_phase_sum phase[DMASTRESS_NR_PHASES];
	struct dmastress_phase_sum batch;
	char skip_reason[64];
	__u64 stale_mappings;
	__u32 path_flags;
	__u32 pad;
	__u64 oob_landed;
	__u64 perm_landed;
	__u64 stale_reached;
	__u64 stale_reused;
	__u64 reserved;
};

/**
 * struct dmastress_path_counts - what one path did in a run (stress mixes)
 * @ops: operations of this path completed and verified
 * @bytes: bytes moved by the engine and verified
 * @started: operations drawn for this path and begun (completed or failed)
 * @mismatches: bytes that did not match the expected pattern
 * @guard_errors: guard bytes found changed
 * @src_errors: source bytes changed by a transfer
 * @device_faults: engine transfers that faulted or timed out
 * @map_errors: dma_mapping_error()/dma_map_sg*() failures
 * @alloc_errors: allocation failures (-ENOMEM)
 * @mask_violations: DMA addresses beyond the mask
 * @seg_violations: DMA segments over the max size or crossing the boundary
 * @digest: sum over the drawn operations of a hash of their shape (path,
 *	direction, length, offset, nents, seed): equal for two runs with the
 *	same parameters and seed that drew the same operations
 * @reserved: zero
 */
struct dmastress_path_counts {
	__u64 ops;
	__u64 bytes;
	__u64 started;
	__u64 mismatches;
	__u64 guard_errors;
	__u64 src_errors;
	__u64 device_faults;
	__u64 map_errors;
	__u64 alloc_errors;
	__u64 mask_violations;
	__u64 seg_violations;
	__u64 digest;
	__u64 reserved[4];
};

/**
 * struct dmastress_run - DMASTRESS_IOC_RUN: parameters in, results out
 * @size: sizeof(struct dmastress_run)
 * @status: out, 0, or the -errno that ended the run after cleanup
 *	(-EOPNOTSUPP with @result.skip_reason set when the path or engine cannot
 *	run here; -EINVAL or -ENOMEM with @result.skip_reason "allocates N B >
 *	..." when the run would allocate more than
 *	DMASTRESS_MAX_RUN_ALLOC_BYTES or half the RAM, nothing allocated;
 *	-ETIMEDOUT when the run passed the module's max_run_seconds, 3600 s
 *	unless set lower, its counters filled up to then)
 * @hist_size: sizeof(struct dmastress_hist) when @hist_ptr is set, else 0
 * @counts_size: sizeof(struct dmastress_path_counts) when @counts_ptr is
 *	set, else 0
 * @hist_ptr: user pointer to struct dmastress_hist[DMASTRESS_NR_HISTS]
 *	filled on return (-EFAULT if unwritable), or 0 for none
 * @counts_ptr: user pointer to struct
 *	dmastress_path_counts[DMASTRESS_NR_PATHS] filled on return, or 0
 * @params: in
 * @result: out
 *
 * @status and @result are output only: zero on input
 * (DMASTRESS_FEATURE(OUT_ZERO)), or the ioctl returns -EINVAL.
 *
 * The ioctl returns 0 when the run was carried out or refused (check
 * @status and the error counters), -EINVAL for a bad field (threads x
 * iterations x (batch + 1) above DMASTRESS_MAX_RUN_OPS among them), -EINTR
 * when a signal stopped it.
 * It sleeps: process context, takes the device mutex.
 */
struct dmastress_run {
	__u32 size;
	__s32 status;
	__u32 hist_size;
	__u32 counts_size;
	__u64 hist_ptr;
	__u64 counts_ptr;
	struct dmastress_run_params params;
	struct dmastress_run_result result;
};

/* &struct dmastress_view.flags */
#define DMASTRESS_VIEW_WRONG_PFN	_BITUL(0) /* out: pitfall view available */

/* &struct dmastress_view_xfer.op */
#define DMASTRESS_VIEW_DEVICE_WRITE	0 /* device writes pattern(seed) into the buffer */
#define DMASTRESS_VIEW_DEVICE_READ	1 /* device reads buffer, checks pattern(seed) */

/**
 * struct dmastress_view - DMASTRESS_IOC_VIEW_CREATE: a buffer to mmap
 *
 * Views belong to the open file: closing it destroys them once the last
 * mapping is gone. A file holds at most DMASTRESS_MAX_VIEWS, and a device's
 * views of all files together at most the module's max_view_mib MiB
 * (default 1024): beyond either the ioctl returns -ENOSPC.
 *
 * @size: sizeof(struct dmastress_view)
 * @path: DMASTRESS_PATH_COHERENT (dma_mmap_coherent), _PAGES
 *	(dma_mmap_pages) or _NONCONTIG (dma_mmap_noncontiguous)
 * @len_bytes: buffer length, PAGE_SIZE multiple, <= DMASTRESS_MAX_VIEW_BYTES
 * @flags: out, DMASTRESS_VIEW_*
 * @id: out, view id, 0..DMASTRESS_MAX_VIEWS-1
 * @mmap_offset: out, offset to pass to mmap() for the right view
 * @wrong_mmap_offset: out, offset of the read-only remap_pfn_range() of the
 *	dma_addr_t taken as a physical address (mmap() of it fails with
 *	-EPERM unless pfn_pitfall=1)
 * @dma_addr: out, the buffer's dma_addr_t
 * @phys_addr: out, physical address of the buffer's first page
 * @attrs: in, DMASTRESS_ATTR_WRITE_COMBINE for a coherent view:
 *	dma_alloc_wc() and dma_mmap_wc() instead of dma_alloc_coherent() and
 *	dma_mmap_coherent(); 0 otherwise (-EINVAL)
 * @pad: must be zero
 * @reserved: must be zero
 *
 * -EOPNOTSUPP when dma_can_mmap() says the device's DMA memory cannot be
 * mapped to user space. @flags, @id, @mmap_offset, @wrong_mmap_offset,
 * @dma_addr and @phys_addr are output only: zero on input
 * (DMASTRESS_FEATURE(OUT_ZERO)), or the ioctl returns -EINVAL and makes no
 * view.
 */
struct dmastress_view {
	__u32 size;
	__u32 path;
	__u64 len_bytes;
	__u32 flags;
	__u32 id;
	__u64 mmap_offset;
	__u64 wrong_mmap_offset;
	__u64 dma_addr;
	__u64 phys_addr;
	__u32 attrs;
	__u32 pad;
	__u64 reserved[3];
};

/**
 * dmastress_pattern_word() - hash of one 4-byte word of the data pattern
 * @seed: pattern seed
 * @word: byte offset / 4
 *
 * Return: the raw hash; dmastress_pattern() takes its bytes.
 */
static inline __u32 dmastress_pattern_word(__u32 seed, __u64 word)
{
	__u32 x = seed ^ ((__u32)word * 0x9e3779b1U) ^
		  ((__u32)(word >> 32) * 0x85ebca77U);

	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/**
 * dmastress_pattern_wbyte() - one byte of a word hash
 * @x: dmastress_pattern_word()
 * @i: byte 0..3 (byte offset & 3)
 *
 * Return: the pattern byte, never 0x00 or 0xff.
 */
static inline __u8 dmastress_pattern_wbyte(__u32 x, unsigned int i)
{
	__u8 b = (__u8)(x >> (i * 8));

	if (b == 0x00 || b == 0xff)
		b ^= 0x5a;
	return b;
}

/**
 * dmastress_pattern() - the data pattern, shared by the kernel and user space
 * @seed: pattern seed (&struct dmastress_view_xfer.seed for views)
 * @off: byte offset from the start of the buffer
 *
 * Every 4-byte word of the buffer gets a hash of (@seed, word index); a byte
 * is one of its four bytes. A copy shifted by any number of bytes, a stale
 * copy made with another seed, and a buffer of zeros or of 0xff do not
 * match: the pattern never contains 0x00 or 0xff.
 *
 * Return: the byte expected at @off.
 */
static inline __u8 dmastress_pattern(__u32 seed, __u64 off)
{
	return dmastress_pattern_wbyte(dmastress_pattern_word(seed, off >> 2),
				       off & 3);
}

/**
 * struct dmastress_view_xfer - DMASTRESS_IOC_VIEW_XFER: device access to a view
 * @size: sizeof(struct dmastress_view_xfer)
 * @id: view id
 * @op: DMASTRESS_VIEW_DEVICE_WRITE or DMASTRESS_VIEW_DEVICE_READ
 * @engine: enum dmastress_engine_id
 * @seed: pattern seed
 * @pad: must be zero
 * @len_bytes: bytes from the start of the view, 1..view length
 * @mismatches: out, bytes that differed (DEVICE_READ)
 * @first_mismatch_offset: out
 * @first_expected: out
 * @first_actual: out
 * @device_faults: out
 * @reserved: must be zero
 *
 * The out fields are zero on input (DMASTRESS_FEATURE(OUT_ZERO)), or the
 * ioctl returns -EINVAL and the device does not touch the view.
 */
struct dmastress_view_xfer {
	__u32 size;
	__u32 id;
	__u32 op;
	__u32 engine;
	__u32 seed;
	__u32 pad;
	__u64 len_bytes;
	__u64 mismatches;
	__u64 first_mismatch_offset;
	__u32 first_expected;
	__u32 first_actual;
	__u64 device_faults;
	__u64 reserved[4];
};

/**
 * struct dmastress_view_destroy - DMASTRESS_IOC_VIEW_DESTROY
 * @size: sizeof(struct dmastress_view_destroy)
 * @id: view id; -EBUSY while user space still maps it
 * @reserved: must be zero
 */
struct dmastress_view_destroy {
	__u32 size;
	__u32 id;
	__u64 reserved[2];
};

/**
 * enum dmastress_misuse_class - one deliberate DMA API misuse
 * @DMASTRESS_MISUSE_UNMAP_SIZE: dma_unmap_single() with another size
 *	(same page count)
 * @DMASTRESS_MISUSE_UNMAP_DIR: dma_unmap_single() with another direction
 * @DMASTRESS_MISUSE_UNMAP_WRONG_FUNC: dma_map_resource() undone with
 *	dma_unmap_page()
 * @DMASTRESS_MISUSE_UNMAP_NEVER_MAPPED: dma_unmap_page() of an address
 *	never mapped (dma-direct only: an IOMMU driver would WARN itself)
 * @DMASTRESS_MISUSE_UNMAP_INVALID: dma_unmap_page() of DMA_MAPPING_ERROR
 *	(dma-direct only)
 * @DMASTRESS_MISUSE_NO_ERROR_CHECK: dma_map_single() without
 *	dma_mapping_error(), then unmapped
 * @DMASTRESS_MISUSE_SYNC_OUTSIDE: dma_sync_single_for_cpu() past the end of
 *	a mapping (a dma_map_resource() one, which nothing bounces)
 * @DMASTRESS_MISUSE_SYNC_NEVER_MAPPED: dma_sync_single_for_cpu() of an
 *	address never mapped
 * @DMASTRESS_MISUSE_SYNC_DIR: dma_sync_single_for_device() with another
 *	direction
 * @DMASTRESS_MISUSE_SYNC_RO_FOR_CPU: a DMA_TO_DEVICE mapping synced for the
 *	CPU as DMA_FROM_DEVICE
 * @DMASTRESS_MISUSE_SYNC_WO_FOR_DEVICE: a DMA_FROM_DEVICE mapping synced for
 *	the device as DMA_TO_DEVICE
 * @DMASTRESS_MISUSE_SYNC_SG_NENTS: dma_sync_sg_for_cpu() with another nents
 * @DMASTRESS_MISUSE_SG_TOO_LONG: an sg segment longer than the device's
 *	max segment size (lowered for the call)
 * @DMASTRESS_MISUSE_SG_BOUNDARY: an sg segment across the device's segment
 *	boundary (lowered for the call)
 * @DMASTRESS_MISUSE_OVERLAP: one buffer mapped twice DMA_BIDIRECTIONAL
 * @DMASTRESS_MISUSE_MAP_RODATA: kernel rodata mapped (DMA_TO_DEVICE)
 * @DMASTRESS_MISUSE_MAP_STACK: stack memory mapped (DMA_TO_DEVICE; skipped
 *	with CONFIG_VMAP_STACK, where the DMA API refuses it with a WARN)
 * @DMASTRESS_MISUSE_HELD_AT_UNBIND: a mapping left alive; user space then
 *	unbinds the device and the driver unmaps it at the next bind or unload.
 *	At most DMASTRESS_MAX_HELD are alive at once: one more has status
 *	-ENOSPC
 * @DMASTRESS_MISUSE_IOVA_UNLINK_UNLINKED: dma_iova_unlink() of a range of
 *	which only the first page was linked (Linux 6.16, a translating
 *	domain; dma_iova_unlink() WARNs when it unmaps less than asked)
 * @DMASTRESS_MISUSE_IOVA_LINK_UNALIGNED: a dma_iova_link() after the first
 *	at a sub-granule physical offset (WARN_ON_ONCE in dma_iova_link(),
 *	which returns -EIO: once per boot)
 * @DMASTRESS_MISUSE_IOVA_SYNC_UNLINKED: dma_iova_sync() of a range already
 *	unlinked (committed; nothing checks it)
 * @DMASTRESS_MISUSE_IOVA_LINK_PAST_END: dma_iova_link() past the size given
 *	to dma_iova_try_alloc(): never committed (nothing checks it, and the
 *	IOVA past the end may belong to another mapping)
 * @DMASTRESS_MISUSE_IOVA_DESTROY_TWICE: dma_iova_destroy() twice: never
 *	committed (the second frees the IOVA range again, unchecked)
 * @DMASTRESS_NR_MISUSE: number of classes
 */
enum dmastress_misuse_class {
	DMASTRESS_MISUSE_UNMAP_SIZE,
	DMASTRESS_MISUSE_UNMAP_DIR,
	DMASTRESS_MISUSE_UNMAP_WRONG_FUNC,
	DMASTRESS_MISUSE_UNMAP_NEVER_MAPPED,
	DMASTRESS_MISUSE_UNMAP_INVALID,
	DMASTRESS_MISUSE_NO_ERROR_CHECK,
	DMASTRESS_MISUSE_SYNC_OUTSIDE,
	DMASTRESS_MISUSE_SYNC_NEVER_MAPPED,
	DMASTRESS_MISUSE_SYNC_DIR,
	DMASTRESS_MISUSE_SYNC_RO_FOR_CPU,
	DMASTRESS_MISUSE_SYNC_WO_FOR_DEVICE,
	DMASTRESS_MISUSE_SYNC_SG_NENTS,
	DMASTRESS_MISUSE_SG_TOO_LONG,
	DMASTRESS_MISUSE_SG_BOUNDARY,
	DMASTRESS_MISUSE_OVERLAP,
	DMASTRESS_MISUSE_MAP_RODATA,
	DMASTRESS_MISUSE_MAP_STACK,
	DMASTRESS_MISUSE_HELD_AT_UNBIND,
	DMASTRESS_MISUSE_IOVA_UNLINK_UNLINKED,
	DMASTRESS_MISUSE_IOVA_LINK_UNALIGNED,
	DMASTRESS_MISUSE_IOVA_SYNC_UNLINKED,
	DMASTRESS_MISUSE_IOVA_LINK_PAST_END,
	DMASTRESS_MISUSE_IOVA_DESTROY_TWICE,
	DMASTRESS_NR_MISUSE,
};

/**
 * struct dmastress_misuse - DMASTRESS_IOC_MISUSE: commit one misuse
 *
 * Refused with -EPERM unless the module was loaded with allow_misuse=1, and
 * with -EOPNOTSUPP on a kernel without CONFIG_DMA_API_DEBUG. The misuse is
 * chosen so that the memory stays intact and everything is undone before
 * return (but for HELD_AT_UNBIND, see there); the kernel's DMA-API checker
 * is expected to count and report it.
 *
 * @size: sizeof(struct dmastress_misuse)
 * @class_id: enum dmastress_misuse_class
 * @status: out, 0 when committed, -EOPNOTSUPP with @reason when the class
 *	cannot be committed safely here, or the -errno of a failed setup
 * @pad: must be zero
 * @name: out, the class name, NUL-terminated
 * @reason: out, why it was not committed, NUL-terminated
 * @reserved: must be zero
 *
 * @status, @name and @reason are zero on input (DMASTRESS_FEATURE(OUT_ZERO)),
 * or the ioctl returns -EINVAL and commits nothing.
 */
struct dmastress_misuse {
	__u32 size;
	__u32 class_id;
	__s32 status;
	__u32 pad;
	char name[32];
	char reason[64];
	__u64 reserved[4];
};

#define DMASTRESS_IOC_INFO		_IOWR(DMASTRESS_IOC_MAGIC, 0x00, struct dmastress_info)
#define DMASTRESS_IOC_RUN		_IOWR(DMASTRESS_IOC_MAGIC, 0x01, struct dmastress_run)
#define DMASTRESS_IOC_VIEW_CREATE	_IOWR(DMASTRESS_IOC_MAGIC, 0x02, struct dmastress_view)
#define DMASTRESS_IOC_VIEW_XFER		_IOWR(DMASTRESS_IOC_MAGIC, 0x03, struct dmastress_view_xfer)
#define DMASTRESS_IOC_VIEW_DESTROY \
	_IOWR(DMASTRESS_IOC_MAGIC, 0x04, struct dmastress_view_destroy)
#define DMASTRESS_IOC_MISUSE		_IOWR(DMASTRESS_IOC_MAGIC, 0x05, struct dmastress_misuse)

#endif /* _UAPI_DMASTRESS_H */
