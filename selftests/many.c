// SPDX-License-Identifier: GPL-2.0-only
/*
 * many.c - many processes and threads on one device at once
 *
 * MANY_PROCS processes of MANY_THREADS threads each, for MANY_SECONDS
 * (DMASTRESS_MANY_SECONDS overrides: make soak asks for longer), draw
 * calls at random on one device: INFO; small verified runs of random paths
 * (some BATCH, some STRESS); view create, mmap, device write or read
 * checked through the mapping, munmap and destroy, with a view id that is
 * sometimes another thread's or none; open and close of files of their
 * own. Every call must succeed or fail with the errno its situation
 * gives: -EBUSY for another thread's mapped view, -EINVAL for no view,
 * -EOPNOTSUPP for a path that cannot run here. Afterwards the
 * module's reference count, dma-debug's entries in use and swiotlb's used
 * slots are where they were, and the kernel log has no bug report.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "dmastress_utils.h"

#define MANY_PROCS	8
#define MANY_THREADS	4
#define MANY_SECONDS	2
#define MANY_VIEW_BYTES	65536

/* What a process's threads share: its files and their views. */
struct many_proc {
	int fd;				/* the process's shared file */
	__u32 seed;
	double end;
	pthread_mutex_t lock;		/* @ids */
	__u32 ids[8];			/* views of @fd, ~0 for none */
};

struct many_thread {
	struct many_proc *proc;
	__u32 rnd;
	unsigned long calls, refused;
	char bad[200];
};

static int many_seconds(void)
{
	const char *env = getenv("DMASTRESS_MANY_SECONDS");
	int n = env ? atoi(env) : 0;

	return n > 0 && n <= 86400 ? n : MANY_SECONDS;
}

static void many_bad(struct many_thread *t, const char *what, int err)
{
	if (!t->bad[0])
		snprintf(t->bad, sizeof(t->bad), "%s: %s", what,
			 strerror(-err));
}

static void many_run(struct many_thread *t, int fd)
{
	static const __u32 paths[] = {
		DMASTRESS_PATH_SINGLE, DMASTRESS_PATH_PAGE, DMASTRESS_PATH_SG,
		DMASTRESS_PATH_SGTABLE, DMASTRESS_PATH_COHERENT,
		DMASTRESS_PATH_POOL, DMASTRESS_PATH_PAGES,
		DMASTRESS_PATH_NONCONTIG,
	};
	struct dmastress_run run;
	__u32 r = dmastress_rand(&t->rnd);
	int ret;

	dmastress_run_init(&run, paths[r % 8], DMASTRESS_ENGINE_CPU,
			   (r >> 3) % 3, 1 + dmastress_rand(&t->rnd) % 65536,
			   1 + (r >> 5) % 3, dmastress_rand(&t->rnd));
	if ((r >> 8) % 8 == 0) {
		run.params.flags = DMASTRESS_RUN_BATCH;
		run.params.batch = 1 + (r >> 11) % 8;
	} else if ((r >> 8) % 8 == 1) {
		run.params.flags = DMASTRESS_RUN_STRESS;
		run.params.live = 1 + (r >> 11) % 4;
	}
	ret = _dmastress_run(fd, &run);
	if (ret) {
		many_bad(t, "RUN", ret);
		return;
	}
	if (run.status == -EOPNOTSUPP) {
		t->refused++;
		return;
	}
	if (run.status || dmastress_run_errors(&run.result))
		many_bad(t, "RUN status or errors",
			 run.status ? run.status : -EIO);
}

/* A view of the shared file: made, mapped, moved, checked, dropped. */
static void many_view(struct many_thread *t)
{
	struct many_proc *p = t->proc;
	struct dmastress_view_xfer x;
	struct dmastress_view v;
	__u32 r = dmastress_rand(&t->rnd), slot = r % 8;
	static const __u32 paths[] = {
		DMASTRESS_PATH_COHERENT, DMASTRESS_PATH_PAGES,
		DMASTRESS_PATH_NONCONTIG,
	};
	void *map = NULL;
	size_t bad, first;
	int ret;

	ret = _dmastress_view_create(p->fd, paths[(r >> 3) % 3],
				     MANY_VIEW_BYTES, &v);
	if (ret == -ENOSPC) {		/* the file's 16 are taken */
		t->refused++;
		return;
	}
	if (ret) {
		many_bad(t, "VIEW_CREATE", ret);
		return;
	}
	ret = _dmastress_mmap(p->fd, v.mmap_offset, MANY_VIEW_BYTES,
			      PROT_READ | PROT_WRITE, &map);
	if (ret) {
		many_bad(t, "mmap", ret);
		goto destroy;
	}
	/* shown to the other threads only while mapped: theirs get -EBUSY */
	pthread_mutex_lock(&p->lock);
	p->ids[slot] = v.id;
	pthread_mutex_unlock(&p->lock);
	ret = _dmastress_view_xfer(p->fd, v.id, DMASTRESS_VIEW_DEVICE_WRITE,
				   DMASTRESS_ENGINE_CPU, r, MANY_VIEW_BYTES, &x);
	if (ret || x.device_faults) {
		many_bad(t, "VIEW_XFER", ret ? ret : -EIO);
	} else {
		bad = dmastress_pattern_check(map, MANY_VIEW_BYTES, r, &first);
		if (bad)
			many_bad(t, "view bytes differ", -EIO);
	}
	pthread_mutex_lock(&p->lock);
	if (p->ids[slot] == v.id)
		p->ids[slot] = ~0U;
	pthread_mutex_unlock(&p->lock);
	munmap(map, MANY_VIEW_BYTES);
destroy:
	ret = _dmastress_view_destroy(p->fd, v.id);
	if (ret)
		many_bad(t, "VIEW_DESTROY", ret);
}

/*
 * Another thread's mapped view: destroying it is -EBUSY (its owner cannot
 * unmap it meanwhile: it takes the lock first); no view shown: an id out
 * of range, -EINVAL.
 */
static void many_destroy_other(struct many_thread *t)
{
	struct many_proc *p = t->proc;
	int ret, want;
	__u32 id;

	pthread_mutex_lock(&p->lock);
	id = p->ids[dmastress_rand(&t->rnd) % 8];
	want = id == ~0U ? -EINVAL : -EBUSY;
	if (id == ~0U)
		id = DMASTRESS_MAX_VIEWS;
	ret = _dmastress_view_destroy(p->fd, id);
	pthread_mutex_unlock(&p->lock);
	if (ret != want)
		many_bad(t, "VIEW_DESTROY of another's id", ret ? ret : -EEXIST);
}

static void *many_thread_fn(void *arg)
{
	struct many_thread *t = arg;
	struct dmastress_info info;
	int fd, ret;

	while (dmastress_now_s() < t->proc->end && !t->bad[0]) {
		t->calls++;
		switch (dmastress_rand(&t->rnd) % 8) {
		case 0:
			ret = dmastress_dev_info(t->proc->fd, &info);
			if (ret)
				many_bad(t, "INFO", ret);
			break;
		case 1:
			/* a file of its own, a run on it, closed */
			if (_dmastress_open(&fd)) {
				many_bad(t, "open", -errno);
				break;
			}
			many_run(t, fd);
			close(fd);
			break;
		case 2:
		case 3:
			many_run(t, t->proc->fd);
			break;
		case 4:
			many_destroy_other(t);
			break;
		default:
			many_view(t);
			break;
		}
	}
	return NULL;
}

/* One process: its threads on a shared file; exits 0, or 1 with a line. */
static int many_proc_main(int index, double end, __u32 seed)
{
	struct many_thread t[MANY_THREADS];
	pthread_t tid[MANY_THREADS];
	struct many_proc p = { .end = end, .seed = seed };
	unsigned long calls = 0, refused = 0;
	int i, bad = 0;

	if (_dmastress_open(&p.fd))
		return 2;
	pthread_mutex_init(&p.lock, NULL);
	memset(p.ids, 0xff, sizeof(p.ids));
	for (i = 0; i < MANY_THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].proc = &p;
		t[i].rnd = seed ^ (index * 0x9e3779b1U) ^ (i * 0x85ebca6bU);
		if (pthread_create(&tid[i], NULL, many_thread_fn, &t[i]))
			return 3;
	}
	for (i = 0; i < MANY_THREADS; i++) {
		pthread_join(tid[i], NULL);
		calls += t[i].calls;
		refused += t[i].refused;
		if (t[i].bad[0]) {
			printf("# process %d thread %d: %s\n", index, i, t[i].bad);
			bad = 1;
		}
	}
	printf("# process %d: %lu calls, %lu refused as allowed\n", index,
	       calls, refused);
	fflush(stdout);
	close(p.fd);
	return bad;
}

FIXTURE(many) {
	int unused;
};

FIXTURE_SETUP(many)
{
}

FIXTURE_TEARDOWN(many)
{
}

TEST_F_TIMEOUT(many, procs_threads_mixed, DMASTRESS_TEST_TIMEOUT)
{
	struct dmastress_dma_footprint fp0, fp1;
	long long refcnt = dmastress_module_refcnt();
	__u32 seed = dmastress_seed();
	double end = dmastress_now_s() + many_seconds();
	char first[256];
	pid_t pids[MANY_PROCS];
	int i, status, kmsg = dmastress_kmsg_open();

	dmastress_dma_footprint(&fp0);
	ksft_print_msg("%d processes x %d threads for %d s, seed 0x%x\n",
		       MANY_PROCS, MANY_THREADS, many_seconds(), seed);
	fflush(stdout);
	for (i = 0; i < MANY_PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(many_proc_main(i, end, seed));
	}
	for (i = 0; i < MANY_PROCS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("process %d: status %#x", i, status);
	}
	dmastress_dma_footprint(&fp1);
	dmastress_expect_footprint(&fp0, &fp1);
	if (refcnt >= 0)
		EXPECT_EQ(refcnt, dmastress_module_refcnt());
	if (kmsg >= 0) {
		EXPECT_EQ(0, dmastress_kmsg_bad(kmsg, first, sizeof(first)))
			TH_LOG("kernel log: %s", first);
		close(kmsg);
	}
}

DMASTRESS_HARNESS_MAIN
