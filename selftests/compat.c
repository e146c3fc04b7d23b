// SPDX-License-Identifier: GPL-2.0-only
/*
 * compat.c - the UAPI's layout is the same for 64- and 32-bit callers
 *
 * Built like every program here, and with -m32 too (OUTPUT/dmastress32/,
 * where all the programs run as 32-bit processes against the 64-bit
 * kernel through compat_ptr_ioctl()). Its static_asserts
 * (dmastress_uapi_abi.h, the same the module asserts) pin every
 * structure's size and member offsets: a layout that differs in 32 bits
 * fails the build. At run time each ioctl's structure, sized as this
 * build lays it out, is accepted by the kernel and comes back filled.
 */
#include <assert.h>

#include "dmastress_utils.h"
#include "dmastress_uapi_abi.h"

TEST(info_run_view_accept_this_layout)
{
	struct dmastress_view_xfer x;
	struct dmastress_info info;
	struct dmastress_view v;
	struct dmastress_run run;
	int fd;

	ksft_print_msg("%zu-bit build: info %zu, run %zu, view %zu, view_xfer %zu bytes\n",
		       sizeof(void *) * 8, sizeof(info), sizeof(run),
		       sizeof(v), sizeof(x));
	dmastress_open(&fd);
	dmastress_get_info(fd, &info);
	EXPECT_NE(0, info.dma_mask);
	EXPECT_NE(0, info.engines & (1U << DMASTRESS_ENGINE_CPU));
	dmastress_run_init(&run, DMASTRESS_PATH_SG, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 65536, 3, 0xc0);
	dmastress_run_verified(fd, &run);
	EXPECT_EQ(3 * 65536, run.result.bytes);
	dmastress_view_create(fd, DMASTRESS_PATH_COHERENT, 8192, &v);
	EXPECT_NE(0, v.dma_addr);
	dmastress_view_xfer(fd, v.id, DMASTRESS_VIEW_DEVICE_WRITE,
			    DMASTRESS_ENGINE_CPU, 0xc1, 8192, &x);
	EXPECT_EQ(0, x.device_faults);
	dmastress_view_destroy(fd, v.id);
	close(fd);
}

DMASTRESS_HARNESS_MAIN
