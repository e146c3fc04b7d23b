// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory.c - what a run may allocate, who pays for it, how long it may take
 *
 * Fixture footprint, variant = a run that the payload bound (threads x
 * len_bytes x alive <= DMASTRESS_MAX_RUN_BYTES) accepts but whose real
 * allocations do not fit: 2 MiB blocks for every op of a HUGE stress mix,
 * a page and its books for each of 4096 x 64 one-byte batch ops, three
 * blocks per pool op. Each must end with status -EINVAL (above
 * DMASTRESS_MAX_RUN_ALLOC_BYTES) or -ENOMEM (above half the RAM), with the
 * reason "allocates N B > ...", no op done, MemAvailable no lower after it
 * than by DMASTRESS_SLACK_BYTES, and no kernel warning or OOM kill.
 *
 * Fixture cgroup: a run in a child process placed in a memory cgroup of
 * its own. charged: a batch of 16 sg buffers of 4 MiB held at once by one
 * thread under memory.max 512 MiB; the cgroup's memory.peak must show the
 * 64 MiB (the run's kthread charges the caller's cgroup). limited: the same run under memory.max 32 MiB must end
 * with an allocation error (-ENOMEM), the memory.events oom_kill count
 * unchanged, and the child alive.
 *
 * wall_time: with the module's max_run_seconds at 2 an iteration run that
 * would take hours (2^31 ops) stops with status -ETIMEDOUT and its counters
 * filled: the run's elapsed_ns at least 2 s, and the ioctl back within
 * DMASTRESS_WALL_SLACK_S more (a shared host may stall a vCPU for seconds;
 * the ops themselves take microseconds).
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "dmastress_utils.h"

/* What MemAvailable may move by around a refused run, bytes. */
#define DMASTRESS_SLACK_BYTES	(64ULL * DMASTRESS_MIB)
#define CGROUP_ROOT		"/sys/fs/cgroup"
#define CGROUP_DIR		CGROUP_ROOT "/dmastress-memory"
#define MAX_RUN_SECONDS		DMASTRESS_SYSFS_MODULE "/parameters/max_run_seconds"
/* How long past max_run_seconds the ioctl may take to return, seconds. */
#define DMASTRESS_WALL_SLACK_S	10.0

static long long mem_available(void)
{
	char line[256];
	long long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lld kB", &kib) == 1)
			break;
	fclose(f);
	return kib < 0 ? -1 : kib * 1024;
}

/* ---- footprint -------------------------------------------------------- */

FIXTURE(footprint) {
	int fd;
	int kmsg;
};

FIXTURE_VARIANT(footprint) {
	__u32 path;
	__u32 flags;
	__u64 len;
	__u32 threads;
	__u32 batch;
	__u32 live;
	__u32 paths;
};

/* every op of the mix a 2 MiB block: ~8 GiB behind 16 MiB of payload */
FIXTURE_VARIANT_ADD(footprint, stress_huge) {
	.path = DMASTRESS_PATH_SINGLE,
	.flags = DMASTRESS_RUN_STRESS | DMASTRESS_RUN_HUGE,
	.len = 4096, .threads = 64, .live = 64,
	.paths = 1U << DMASTRESS_PATH_SINGLE | 1U << DMASTRESS_PATH_SG,
};

/* 262144 one-byte ops, each a page and its books */
FIXTURE_VARIANT_ADD(footprint, page_batch) {
	.path = DMASTRESS_PATH_PAGES,
	.flags = DMASTRESS_RUN_BATCH,
	.len = 1, .threads = 64, .batch = DMASTRESS_MAX_BATCH,
};

FIXTURE_VARIANT_ADD(footprint, single_batch) {
	.path = DMASTRESS_PATH_SINGLE,
	.flags = DMASTRESS_RUN_BATCH,
	.len = 1, .threads = 64, .batch = DMASTRESS_MAX_BATCH,
};

/* 1024 HUGE sg ops of 4 KiB: 2 GiB of blocks */
FIXTURE_VARIANT_ADD(footprint, sg_huge_batch) {
	.path = DMASTRESS_PATH_SG,
	.flags = DMASTRESS_RUN_BATCH | DMASTRESS_RUN_HUGE,
	.len = 4096, .threads = 64, .batch = 16,
};

/* three blocks per pool op */
FIXTURE_VARIANT_ADD(footprint, pool_batch) {
	.path = DMASTRESS_PATH_POOL,
	.flags = DMASTRESS_RUN_BATCH,
	.len = 2048, .threads = 64, .batch = DMASTRESS_MAX_BATCH,
};

FIXTURE_SETUP(footprint)
{
	dmastress_open(&self->fd);
	self->kmsg = dmastress_kmsg_open();
}

FIXTURE_TEARDOWN(footprint)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	close(self->fd);
}

TEST_F_TIMEOUT(footprint, refused_before_allocating, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_run run;
	long long before, after;
	char first[256];

	dmastress_run_init(&run, variant->path, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 1, 0x3e3);
	run.params.flags = variant->flags | DMASTRESS_RUN_NO_VERIFY;
	run.params.threads = variant->threads;
	run.params.batch = variant->batch;
	run.params.live = variant->live;
	run.params.paths = variant->paths;
	/* the payload bound this run passes */
	ASSERT_LE((__u64)variant->threads * variant->len *
		  (variant->batch ?: variant->live ?: 1),
		  DMASTRESS_MAX_RUN_BYTES);

	before = mem_available();
	ASSERT_LT(0, before);
	dmastress_run(self->fd, &run);
	after = mem_available();
	dmastress_run_log(&run);
	ksft_print_msg("MemAvailable %lld -> %lld B\n", before, after);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	EXPECT_TRUE(run.status == -EINVAL || run.status == -ENOMEM);
	EXPECT_EQ(0, strncmp(run.result.skip_reason, "allocates ", 10));
	EXPECT_EQ(0, run.result.ops);
	EXPECT_EQ(0, run.result.alloc_errors);
	EXPECT_GT(before, after - (long long)DMASTRESS_SLACK_BYTES);
	EXPECT_LT(before - after, (long long)DMASTRESS_SLACK_BYTES);
	if (self->kmsg >= 0)
		EXPECT_EQ(0, dmastress_kmsg_bad(self->kmsg, first,
						 sizeof(first)))
			TH_LOG("kernel log: %s", first);
}

/* ---- cgroup ------------------------------------------------------------- */

FIXTURE(cgroup) {
	bool made;
};

FIXTURE_VARIANT(cgroup) {
	const char *max;
	bool limited;
};

FIXTURE_VARIANT_ADD(cgroup, charged) {
	.max = "536870912",
};

FIXTURE_VARIANT_ADD(cgroup, limited) {
	.max = "33554432",
	.limited = true,
};

static bool has_memory_controller(void)
{
	char buf[512];

	if (dmastress_read_str_file(CGROUP_ROOT "/cgroup.controllers", buf,
				    sizeof(buf)))
		return false;
	return strstr(buf, "memory");
}

FIXTURE_SETUP(cgroup)
{
	char buf[512];

	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK))
		mount("none", CGROUP_ROOT, "cgroup2", 0, NULL);
	if (!has_memory_controller())
		SKIP(return, "no cgroup2 memory controller (CONFIG_MEMCG)");
	if (dmastress_read_str_file(CGROUP_ROOT "/cgroup.subtree_control", buf,
				    sizeof(buf)) || !strstr(buf, "memory"))
		ASSERT_EQ(0, dmastress_write_file(CGROUP_ROOT "/cgroup.subtree_control",
						  "+memory"));
	rmdir(CGROUP_DIR);
	ASSERT_EQ(0, mkdir(CGROUP_DIR, 0755));
	self->made = true;
	ASSERT_EQ(0, dmastress_write_file(CGROUP_DIR "/memory.max",
					  variant->max));
}

FIXTURE_TEARDOWN(cgroup)
{
	if (self->made)
		rmdir(CGROUP_DIR);
}

static long long events_count(const char *key)
{
	char buf[1024], *p;
	size_t n = strlen(key), got;
	FILE *f = fopen(CGROUP_DIR "/memory.events", "r");

	if (!f)
		return -1;
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == ' ')
			return atoll(p + n + 1);
	return -1;
}

/*
 * In the child: join the cgroup, run one thread's BATCH of 16 sg buffers
 * of 4 MiB (64 MiB allocated before the first is mapped, so at once
 * whatever the scheduling), twice; write the run to @out.
 */
static int child_run(int out)
{
	struct dmastress_run run;
	char pid[32];
	int fd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (dmastress_write_file(CGROUP_DIR "/cgroup.procs", pid))
		return 2;
	if (_dmastress_open(&fd))
		return 3;
	dmastress_run_init(&run, DMASTRESS_PATH_SG, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4 * DMASTRESS_MIB, 2,
			   0xc9);
	/* what is allocated counts here, not the bytes: no copy, no pattern */
	run.params.flags = DMASTRESS_RUN_BATCH | DMASTRESS_RUN_NO_XFER |
			   DMASTRESS_RUN_NO_VERIFY;
	run.params.batch = 16;
	run.params.threads = 1;
	if (_dmastress_run(fd, &run))
		return 4;
	if (write(out, &run, sizeof(run)) != sizeof(run))
		return 5;
	close(fd);
	return 0;
}

TEST_F_TIMEOUT(cgroup, run_in_cgroup, DMASTRESS_TEST_TIMEOUT)
{
	long long ooms = events_count("oom_kill"), peak_bytes;
	struct dmastress_run run;
	char peak[64];
	int pipefd[2], status;
	pid_t pid;

	ASSERT_LE(0, ooms);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		_exit(child_run(pipefd[1]));
	}
	close(pipefd[1]);
	memset(&run, 0, sizeof(run));
	ASSERT_EQ(sizeof(run), read(pipefd[0], &run, sizeof(run)));
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("child killed by signal %d",
					     WTERMSIG(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	dmastress_run_log(&run);
	if (run.status == -EOPNOTSUPP)
		SKIP(return, "%.64s", run.result.skip_reason);
	EXPECT_EQ(ooms, events_count("oom_kill"));
	ksft_print_msg("memory.events max %lld oom %lld oom_kill %lld\n",
		       events_count("max"), events_count("oom"),
		       events_count("oom_kill"));
	if (!dmastress_read_str_file(CGROUP_DIR "/memory.peak", peak,
				     sizeof(peak))) {
		peak_bytes = atoll(peak);
		ksft_print_msg("memory.peak %lld B\n", peak_bytes);
		if (!variant->limited)
			EXPECT_LE(64LL * DMASTRESS_MIB, peak_bytes);
	}
	if (variant->limited) {
		EXPECT_EQ(-ENOMEM, run.status);
		EXPECT_LT(0, run.result.alloc_errors);
		EXPECT_LT(0, events_count("max"));
	} else {
		EXPECT_EQ(0, run.status);
		EXPECT_EQ(0, dmastress_run_errors(&run.result));
		EXPECT_EQ(2, run.result.ops);
	}
}

/* ---- wall time ------------------------------------------------------------ */

TEST(wall_time)
{
	struct dmastress_run run;
	char old[32];
	double t0, took;
	int fd, ret;

	if (dmastress_read_str_file(MAX_RUN_SECONDS, old, sizeof(old)))
		SKIP(return, "no max_run_seconds parameter");
	EXPECT_NE(0, dmastress_write_file(MAX_RUN_SECONDS, "0"));
	EXPECT_NE(0, dmastress_write_file(MAX_RUN_SECONDS, "3601"));
	ASSERT_EQ(0, dmastress_write_file(MAX_RUN_SECONDS, "2"));
	dmastress_open(&fd);
	dmastress_run_init(&run, DMASTRESS_PATH_SINGLE, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 4096, 1ULL << 31, 0x77);
	t0 = dmastress_now_s();
	ret = _dmastress_run(fd, &run);
	took = dmastress_now_s() - t0;
	dmastress_write_file(MAX_RUN_SECONDS, old);
	close(fd);
	ASSERT_EQ(0, ret);
	dmastress_run_log(&run);
	ksft_print_msg("stopped after %.3f s (run %.3f s), %llu ops\n", took,
		       run.result.elapsed_ns / 1e9,
		       (unsigned long long)run.result.ops);
	EXPECT_EQ(-ETIMEDOUT, run.status);
	EXPECT_LT(0, run.result.ops);
	EXPECT_EQ(0, dmastress_run_errors(&run.result));
	EXPECT_LE(2 * 1000000000ULL, run.result.elapsed_ns);
	EXPECT_LE(2.0, took);
	EXPECT_GT(2.0 + DMASTRESS_WALL_SLACK_S, took);
}

DMASTRESS_HARNESS_MAIN
