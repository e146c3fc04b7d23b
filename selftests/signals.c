// SPDX-License-Identifier: GPL-2.0-only
/*
 * signals.c - a run stops for a fatal signal, soon, and leaves nothing
 *
 * Fixture kill, variant = what the child is doing: a run of kthreads (per
 * path and with a stress mix), a run in its own task (DMASTRESS_RUN_INLINE),
 * a loop of VIEW_XFERs, or a batch run. The parent SIGKILLs it at a random
 * point, KILL_ROUNDS times (DMASTRESS_KILL_ROUNDS); the child must be gone
 * within KILL_BOUND_MS each time (KILL_BOUND_DEBUG_MS on a kernel with
 * kmemleak, where it runs only when DMASTRESS_KILL_ROUNDS asks: make soak),
 * and afterwards the device runs a verified op, the module's
 * reference count is what it was, and the kernel log has no bug report.
 * A death that takes more than a second prints the kernel stacks of the
 * child and of the run's kthreads, then every 5 s.
 *
 * stop_cont: six SIGSTOP and SIGCONT pairs during a 2 s run do not end it:
 * it completes with status 0 and every op verified.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include "dmastress_utils.h"

/*
 * Rounds of kill per variant (DMASTRESS_KILL_ROUNDS overrides: make soak
 * asks for more), and how long a killed child may take.
 */
#define KILL_ROUNDS	2
#define KILL_BOUND_MS	2000
/*
 * On a debug kernel (KASAN, KMEMLEAK: the test kernels, under -icount)
 * deaths of 8-18 s were seen in variants whose ops take milliseconds, and
 * 34-36 s for a stress mix: not explained yet (FINDINGS.md).
 */
#define KILL_BOUND_DEBUG_MS	60000

/* How long a killed child may take; DMASTRESS_KILL_BOUND_MS overrides. */
static double kill_bound_ms(void)
{
	const char *env = getenv("DMASTRESS_KILL_BOUND_MS");
	int n = env ? atoi(env) : 0;

	if (n > 0)
		return n;
	return access("/sys/kernel/debug/kmemleak", F_OK) ? KILL_BOUND_MS :
							     KILL_BOUND_DEBUG_MS;
}

static int kill_rounds(void)
{
	const char *env = getenv("DMASTRESS_KILL_ROUNDS");
	int n = env ? atoi(env) : 0;

	return n > 0 && n <= 1000 ? n : KILL_ROUNDS;
}

FIXTURE(kill) {
	int kmsg;
	long long refcnt;
};

FIXTURE_VARIANT(kill) {
	__u32 path;
	__u32 flags;
	__u32 threads;
	__u64 len;
	bool view_xfer;
};

FIXTURE_VARIANT_ADD(kill, single_kthreads) {
	.path = DMASTRESS_PATH_SINGLE, .threads = 2, .len = 65536,
};

/*
 * ops of 64 MiB: their allocation, pattern fill and check take seconds
 * under TCG (a 256 MiB op took 5.4-6.2 s to die before they gave up when
 * stopped)
 */
FIXTURE_VARIANT_ADD(kill, sg_huge_op) {
	.path = DMASTRESS_PATH_SG, .threads = 2, .len = 64 << 20,
};

FIXTURE_VARIANT_ADD(kill, coherent_inline) {
	.path = DMASTRESS_PATH_COHERENT, .threads = 1, .len = 65536,
	.flags = DMASTRESS_RUN_INLINE,
};

FIXTURE_VARIANT_ADD(kill, page_batch) {
	.path = DMASTRESS_PATH_PAGE, .threads = 2, .len = 4096,
	.flags = DMASTRESS_RUN_BATCH,
};

FIXTURE_VARIANT_ADD(kill, stress) {
	.path = DMASTRESS_PATH_SINGLE, .threads = 2, .len = 65536,
	.flags = DMASTRESS_RUN_STRESS,
};

FIXTURE_VARIANT_ADD(kill, view_xfer) {
	.view_xfer = true, .len = 1 << 20,
};

FIXTURE_SETUP(kill)
{
	self->refcnt = dmastress_module_refcnt();
	self->kmsg = dmastress_kmsg_open();
}

FIXTURE_TEARDOWN(kill)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/* Print the kernel stack of task @tid (/proc/PID/stack, root only). */
static void print_stack(const char *who, const char *tid)
{
	char path[64], line[160];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stack", tid);
	f = fopen(path, "re");
	if (!f)
		return;
	ksft_print_msg("  %s %s:\n", who, tid);
	while (fgets(line, sizeof(line), f))
		ksft_print_msg("    %s", line);
	fclose(f);
}

/*
 * A death that takes long: where the dying child and the run's kthreads
 * ("dmastress<N>/<i>") are in the kernel, @ms after the SIGKILL.
 */
static void print_dying(pid_t pid, double ms)
{
	char path[300], comm[64], tid[32];
	struct dirent *de;
	FILE *f;
	DIR *d;

	ksft_print_msg("still dying %.0f ms after the SIGKILL:\n", ms);
	snprintf(tid, sizeof(tid), "%d", pid);
	print_stack("child", tid);
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "dmastress", 9)) {
			comm[strcspn(comm, "\n")] = '\0';
			print_stack(comm, de->d_name);
		}
		fclose(f);
	}
	if (d)
		closedir(d);
}

/*
 * Wait for the SIGKILLed @pid; its wait status in *@status, and in *@took
 * the ms from @t0_ms (the SIGKILL) to the wait's return, not counting the
 * printing. A death that takes more than a second is shown where it is,
 * then every 5 s.
 */
static pid_t wait_dying(pid_t pid, int *status, double t0_ms, double *took)
{
	double next = 1000, shown = 0, t1;
	pid_t r;

	while (!(r = waitpid(pid, status, WNOHANG))) {
		double ms = 1e3 * dmastress_now_s() - t0_ms;

		if (ms >= next) {
			print_dying(pid, ms);
			shown += 1e3 * dmastress_now_s() - t0_ms - ms;
			next += 5000;
		}
		usleep(10000);
	}
	t1 = 1e3 * dmastress_now_s();
	*took = t1 - t0_ms - shown;
	return r;
}

/* The child: until killed, the variant's work. */
static void kill_child(const FIXTURE_VARIANT(kill) *variant, int ready)
{
	struct dmastress_view_xfer x;
	struct dmastress_run run;
	struct dmastress_view v;
	int fd;

	if (_dmastress_open(&fd))
		_exit(2);
	if (variant->view_xfer) {
		if (_dmastress_view_create(fd, DMASTRESS_PATH_COHERENT,
					   variant->len, &v))
			_exit(3);
		if (write(ready, "r", 1) != 1)
			_exit(4);
		for (;;)
			_dmastress_view_xfer(fd, v.id, DMASTRESS_VIEW_DEVICE_WRITE,
					     DMASTRESS_ENGINE_CPU, 1, variant->len,
					     &x);
	}
	dmastress_run_init(&run, variant->path, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, variant->len, 0, 0x51);
	run.params.seconds = 60;
	run.params.threads = variant->threads;
	run.params.flags = variant->flags;
	if (variant->flags & DMASTRESS_RUN_BATCH)
		run.params.batch = 64;
	if (variant->flags & DMASTRESS_RUN_STRESS)
		run.params.live = 8;
	if (write(ready, "r", 1) != 1)
		_exit(4);
	/* again and again: where a mode refuses the run, its set-up is hit */
	for (;;)
		_dmastress_run(fd, &run);
}

TEST_F_TIMEOUT(kill, dies_soon_leaves_nothing, DMASTRESS_TEST_TIMEOUT)
{
	__u32 rnd = dmastress_seed();
	double worst = 0, t0, took;
	struct dmastress_run run;
	char first[256], c;
	int i, fd, pipefd[2], status;
	pid_t pid;

	int rounds = kill_rounds();
	double bound = kill_bound_ms();

	/*
	 * On a debug kernel under -icount the fixture costs minutes of guest
	 * time per mode (deaths of 9-36 s, FINDINGS.md): make soak runs it
	 * there, asking for its rounds.
	 */
	if (bound == KILL_BOUND_DEBUG_MS && !getenv("DMASTRESS_KILL_ROUNDS"))
		SKIP(return, "debug kernel: make soak runs this (DMASTRESS_KILL_ROUNDS)");

	for (i = 0; i < rounds; i++) {
		ASSERT_EQ(0, pipe(pipefd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			close(pipefd[0]);
			kill_child(variant, pipefd[1]);
		}
		close(pipefd[1]);
		ASSERT_EQ(1, read(pipefd[0], &c, 1));
		close(pipefd[0]);
		/* somewhere in set-up, the loop or a long op */
		usleep(20000 + dmastress_rand(&rnd) % 200000);
		t0 = 1e3 * dmastress_now_s();
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, wait_dying(pid, &status, t0, &took));
		if (took > worst)
			worst = took;
		ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			TH_LOG("round %d: the child ended by itself (status %#x)",
			       i, status);
		EXPECT_GT(bound, took) TH_LOG("round %d: %.0f ms to die, bound %.0f",
					      i, took, bound);
	}
	ksft_print_msg("%d SIGKILLs, the slowest death %.1f ms (bound %.0f ms)\n",
		       rounds, worst, bound);

	/* the device still works, and nothing is left behind */
	dmastress_open(&fd);
	dmastress_run_init(&run, DMASTRESS_PATH_SG, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 65536, 4, 0x52);
	dmastress_run_verified(fd, &run);
	close(fd);
	if (self->refcnt >= 0)
		EXPECT_EQ(self->refcnt, dmastress_module_refcnt());
	if (self->kmsg >= 0)
		EXPECT_EQ(0, dmastress_kmsg_bad(self->kmsg, first, sizeof(first)))
			TH_LOG("kernel log: %s", first);
}

/* ---- stop_cont ------------------------------------------------------- */

TEST(stop_cont)
{
	struct dmastress_run *run;
	int i, status;
	pid_t pid;

	run = mmap(NULL, sizeof(*run), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(run != MAP_FAILED);
	dmastress_run_init(run, DMASTRESS_PATH_SG, DMASTRESS_ENGINE_CPU,
			   DMASTRESS_DIR_BIDIRECTIONAL, 65536, 0, 0x53);
	run->params.seconds = 2;
	run->params.threads = 2;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (_dmastress_open(&fd))
			_exit(2);
		_exit(_dmastress_run(fd, run) ? 3 : 0);
	}
	for (i = 0; i < 6; i++) {
		usleep(100000);
		ASSERT_EQ(0, kill(pid, SIGSTOP));
		usleep(100000);
		ASSERT_EQ(0, kill(pid, SIGCONT));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	dmastress_run_log(run);
	EXPECT_EQ(0, run->status);
	EXPECT_LT(0, run->result.ops);
	EXPECT_EQ(0, dmastress_run_errors(&run->result));
	munmap(run, sizeof(*run));
}

DMASTRESS_HARNESS_MAIN
