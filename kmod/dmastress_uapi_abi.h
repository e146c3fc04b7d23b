/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dmastress_uapi_abi.h - the UAPI's layout, pinned
 *
 * Every structure of dmastress_uapi.h, its size and each member's offset in
 * bytes, as x86_64 lays them out. The kernel module asserts them
 * (dmastress_ioctl.c), and so does user space built for 64 and for 32 bits
 * (selftests/compat.c, built with -m32 too): a 32-bit process passes the
 * same structures through compat_ptr_ioctl(), so any padding that differs
 * fails the build. A UAPI change that moves a member must change this file
 * too, on purpose. The includer defines nothing: it provides
 * static_assert() and offsetof() (<linux/build_bug.h> and <linux/stddef.h>
 * in the kernel, <assert.h> and <stddef.h> in user space).
 */
#ifndef _DMASTRESS_UAPI_ABI_H
#define _DMASTRESS_UAPI_ABI_H

#include "dmastress_uapi.h"

#define DMASTRESS_ABI_SIZE(s, n) \
	static_assert(sizeof(struct s) == (n), #s " is " #n " bytes")
#define DMASTRESS_ABI_OFF(s, m, n) \
	static_assert(offsetof(struct s, m) == (n), #s "." #m " at " #n)

DMASTRESS_ABI_SIZE(dmastress_info, 176);
DMASTRESS_ABI_OFF(dmastress_info, size, 0);
DMASTRESS_ABI_OFF(dmastress_info, flags, 4);
DMASTRESS_ABI_OFF(dmastress_info, bdf, 8);
DMASTRESS_ABI_OFF(dmastress_info, group_type, 12);
DMASTRESS_ABI_OFF(dmastress_info, dma_mask, 16);
DMASTRESS_ABI_OFF(dmastress_info, coherent_dma_mask, 24);
DMASTRESS_ABI_OFF(dmastress_info, required_mask, 32);
DMASTRESS_ABI_OFF(dmastress_info, max_mapping_size, 40);
DMASTRESS_ABI_OFF(dmastress_info, opt_mapping_size, 48);
DMASTRESS_ABI_OFF(dmastress_info, merge_boundary, 56);
DMASTRESS_ABI_OFF(dmastress_info, seg_boundary, 64);
DMASTRESS_ABI_OFF(dmastress_info, max_seg_size, 72);
DMASTRESS_ABI_OFF(dmastress_info, cache_alignment, 76);
DMASTRESS_ABI_OFF(dmastress_info, iommu_granule, 80);
DMASTRESS_ABI_OFF(dmastress_info, engines, 88);
DMASTRESS_ABI_OFF(dmastress_info, timer_overhead_ns, 92);
DMASTRESS_ABI_OFF(dmastress_info, timer_overhead_ps, 96);
DMASTRESS_ABI_OFF(dmastress_info, swiotlb_nslabs, 104);
DMASTRESS_ABI_OFF(dmastress_info, engine_max_xfer, 112);
DMASTRESS_ABI_OFF(dmastress_info, peer_window_bytes, 128);
DMASTRESS_ABI_OFF(dmastress_info, peer_window_phys, 136);
DMASTRESS_ABI_OFF(dmastress_info, features, 144);
DMASTRESS_ABI_OFF(dmastress_info, reserved, 152);

DMASTRESS_ABI_SIZE(dmastress_run_params, 112);
DMASTRESS_ABI_OFF(dmastress_run_params, path, 0);
DMASTRESS_ABI_OFF(dmastress_run_params, engine, 4);
DMASTRESS_ABI_OFF(dmastress_run_params, dir, 8);
DMASTRESS_ABI_OFF(dmastress_run_params, flags, 12);
DMASTRESS_ABI_OFF(dmastress_run_params, len_bytes, 16);
DMASTRESS_ABI_OFF(dmastress_run_params, nents, 24);
DMASTRESS_ABI_OFF(dmastress_run_params, offset_bytes, 28);
DMASTRESS_ABI_OFF(dmastress_run_params, mask_bits, 32);
DMASTRESS_ABI_OFF(dmastress_run_params, coherent_mask_bits, 36);
DMASTRESS_ABI_OFF(dmastress_run_params, threads, 40);
DMASTRESS_ABI_OFF(dmastress_run_params, seconds, 44);
DMASTRESS_ABI_OFF(dmastress_run_params, iterations, 48);
DMASTRESS_ABI_OFF(dmastress_run_params, batch, 56);
DMASTRESS_ABI_OFF(dmastress_run_params, seed, 60);
DMASTRESS_ABI_OFF(dmastress_run_params, attrs, 64);
DMASTRESS_ABI_OFF(dmastress_run_params, pool_align, 68);
DMASTRESS_ABI_OFF(dmastress_run_params, pool_boundary, 72);
DMASTRESS_ABI_OFF(dmastress_run_params, live, 76);
DMASTRESS_ABI_OFF(dmastress_run_params, paths, 80);
DMASTRESS_ABI_OFF(dmastress_run_params, piece_bytes, 84);
DMASTRESS_ABI_OFF(dmastress_run_params, stale_delay_us, 88);
DMASTRESS_ABI_OFF(dmastress_run_params, reserved, 92);

DMASTRESS_ABI_SIZE(dmastress_hist, 4136);
DMASTRESS_ABI_OFF(dmastress_hist, count, 0);
DMASTRESS_ABI_OFF(dmastress_hist, sum_ns, 8);
DMASTRESS_ABI_OFF(dmastress_hist, min_ns, 16);
DMASTRESS_ABI_OFF(dmastress_hist, max_ns, 24);
DMASTRESS_ABI_OFF(dmastress_hist, sum_100ns, 32);
DMASTRESS_ABI_OFF(dmastress_hist, buckets, 40);

DMASTRESS_ABI_SIZE(dmastress_phase_sum, 32);
DMASTRESS_ABI_OFF(dmastress_phase_sum, count, 0);
DMASTRESS_ABI_OFF(dmastress_phase_sum, sum_ns, 8);
DMASTRESS_ABI_OFF(dmastress_phase_sum, min_ns, 16);
DMASTRESS_ABI_OFF(dmastress_phase_sum, max_ns, 24);

DMASTRESS_ABI_SIZE(dmastress_run_result, 504);
DMASTRESS_ABI_OFF(dmastress_run_result, ops, 0);
DMASTRESS_ABI_OFF(dmastress_run_result, bytes, 8);
DMASTRESS_ABI_OFF(dmastress_run_result, elapsed_ns, 16);
DMASTRESS_ABI_OFF(dmastress_run_result, mismatches, 24);
DMASTRESS_ABI_OFF(dmastress_run_result, guard_errors, 32);
DMASTRESS_ABI_OFF(dmastress_run_result, src_errors, 40);
DMASTRESS_ABI_OFF(dmastress_run_result, device_faults, 48);
DMASTRESS_ABI_OFF(dmastress_run_result, map_errors, 56);
DMASTRESS_ABI_OFF(dmastress_run_result, alloc_errors, 64);
DMASTRESS_ABI_OFF(dmastress_run_result, mask_violations, 72);
DMASTRESS_ABI_OFF(dmastress_run_result, seg_violations, 80);
DMASTRESS_ABI_OFF(dmastress_run_result, first_mismatch_offset, 88);
DMASTRESS_ABI_OFF(dmastress_run_result, first_expected, 96);
DMASTRESS_ABI_OFF(dmastress_run_result, first_actual, 100);
DMASTRESS_ABI_OFF(dmastress_run_result, nents_mapped, 104);
DMASTRESS_ABI_OFF(dmastress_run_result, nents_cpu, 108);
DMASTRESS_ABI_OFF(dmastress_run_result, sample_dma_addr, 112);
DMASTRESS_ABI_OFF(dmastress_run_result, sample_phys_addr, 120);
DMASTRESS_ABI_OFF(dmastress_run_result, phase, 128);
DMASTRESS_ABI_OFF(dmastress_run_result, batch, 352);
DMASTRESS_ABI_OFF(dmastress_run_result, skip_reason, 384);
DMASTRESS_ABI_OFF(dmastress_run_result, stale_mappings, 448);
DMASTRESS_ABI_OFF(dmastress_run_result, path_flags, 456);
DMASTRESS_ABI_OFF(dmastress_run_result, pad, 460);
DMASTRESS_ABI_OFF(dmastress_run_result, oob_landed, 464);
DMASTRESS_ABI_OFF(dmastress_run_result, perm_landed, 472);
DMASTRESS_ABI_OFF(dmastress_run_result, stale_reached, 480);
DMASTRESS_ABI_OFF(dmastress_run_result, stale_reused, 488);
DMASTRESS_ABI_OFF(dmastress_run_result, reserved, 496);

DMASTRESS_ABI_SIZE(dmastress_path_counts, 128);
DMASTRESS_ABI_OFF(dmastress_path_counts, ops, 0);
DMASTRESS_ABI_OFF(dmastress_path_counts, bytes, 8);
DMASTRESS_ABI_OFF(dmastress_path_counts, started, 16);
DMASTRESS_ABI_OFF(dmastress_path_counts, mismatches, 24);
DMASTRESS_ABI_OFF(dmastress_path_counts, guard_errors, 32);
DMASTRESS_ABI_OFF(dmastress_path_counts, src_errors, 40);
DMASTRESS_ABI_OFF(dmastress_path_counts, device_faults, 48);
DMASTRESS_ABI_OFF(dmastress_path_counts, map_errors, 56);
DMASTRESS_ABI_OFF(dmastress_path_counts, alloc_errors, 64);
DMASTRESS_ABI_OFF(dmastress_path_counts, mask_violations, 72);
DMASTRESS_ABI_OFF(dmastress_path_counts, seg_violations, 80);
DMASTRESS_ABI_OFF(dmastress_path_counts, digest, 88);
DMASTRESS_ABI_OFF(dmastress_path_counts, reserved, 96);

DMASTRESS_ABI_SIZE(dmastress_run, 648);
DMASTRESS_ABI_OFF(dmastress_run, size, 0);
DMASTRESS_ABI_OFF(dmastress_run, status, 4);
DMASTRESS_ABI_OFF(dmastress_run, hist_size, 8);
DMASTRESS_ABI_OFF(dmastress_run, counts_size, 12);
DMASTRESS_ABI_OFF(dmastress_run, hist_ptr, 16);
DMASTRESS_ABI_OFF(dmastress_run, counts_ptr, 24);
DMASTRESS_ABI_OFF(dmastress_run, params, 32);
DMASTRESS_ABI_OFF(dmastress_run, result, 144);

DMASTRESS_ABI_SIZE(dmastress_view, 88);
DMASTRESS_ABI_OFF(dmastress_view, size, 0);
DMASTRESS_ABI_OFF(dmastress_view, path, 4);
DMASTRESS_ABI_OFF(dmastress_view, len_bytes, 8);
DMASTRESS_ABI_OFF(dmastress_view, flags, 16);
DMASTRESS_ABI_OFF(dmastress_view, id, 20);
DMASTRESS_ABI_OFF(dmastress_view, mmap_offset, 24);
DMASTRESS_ABI_OFF(dmastress_view, wrong_mmap_offset, 32);
DMASTRESS_ABI_OFF(dmastress_view, dma_addr, 40);
DMASTRESS_ABI_OFF(dmastress_view, phys_addr, 48);
DMASTRESS_ABI_OFF(dmastress_view, attrs, 56);
DMASTRESS_ABI_OFF(dmastress_view, pad, 60);
DMASTRESS_ABI_OFF(dmastress_view, reserved, 64);

DMASTRESS_ABI_SIZE(dmastress_view_xfer, 96);
DMASTRESS_ABI_OFF(dmastress_view_xfer, size, 0);
DMASTRESS_ABI_OFF(dmastress_view_xfer, id, 4);
DMASTRESS_ABI_OFF(dmastress_view_xfer, op, 8);
DMASTRESS_ABI_OFF(dmastress_view_xfer, engine, 12);
DMASTRESS_ABI_OFF(dmastress_view_xfer, seed, 16);
DMASTRESS_ABI_OFF(dmastress_view_xfer, pad, 20);
DMASTRESS_ABI_OFF(dmastress_view_xfer, len_bytes, 24);
DMASTRESS_ABI_OFF(dmastress_view_xfer, mismatches, 32);
DMASTRESS_ABI_OFF(dmastress_view_xfer, first_mismatch_offset, 40);
DMASTRESS_ABI_OFF(dmastress_view_xfer, first_expected, 48);
DMASTRESS_ABI_OFF(dmastress_view_xfer, first_actual, 52);
DMASTRESS_ABI_OFF(dmastress_view_xfer, device_faults, 56);
DMASTRESS_ABI_OFF(dmastress_view_xfer, reserved, 64);

DMASTRESS_ABI_SIZE(dmastress_view_destroy, 24);
DMASTRESS_ABI_OFF(dmastress_view_destroy, size, 0);
DMASTRESS_ABI_OFF(dmastress_view_destroy, id, 4);
DMASTRESS_ABI_OFF(dmastress_view_destroy, reserved, 8);

DMASTRESS_ABI_SIZE(dmastress_misuse, 144);
DMASTRESS_ABI_OFF(dmastress_misuse, size, 0);
DMASTRESS_ABI_OFF(dmastress_misuse, class_id, 4);
DMASTRESS_ABI_OFF(dmastress_misuse, status, 8);
DMASTRESS_ABI_OFF(dmastress_misuse, pad, 12);
DMASTRESS_ABI_OFF(dmastress_misuse, name, 16);
DMASTRESS_ABI_OFF(dmastress_misuse, reason, 48);
DMASTRESS_ABI_OFF(dmastress_misuse, reserved, 112);

#endif /* _DMASTRESS_UAPI_ABI_H */
