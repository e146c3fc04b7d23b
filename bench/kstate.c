// SPDX-License-Identifier: GPL-2.0-only
/*
 * kstate.c - small readers and writers of kernel state for the reliability
 * commands (stress, misuse, failnth): debugfs and sysfs numbers, the
 * kernel log through /dev/kmsg, and fail-nth of the calling thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dmastress.h"

/**
 * dmastress_read_u64_file() - read one number from a file
 * @path: e.g. /sys/kernel/debug/dma-api/error_count
 * @out: the value (decimal, or hexadecimal with 0x)
 *
 * Return: 0, or -errno (-EINVAL when the file holds no number).
 */
int dmastress_read_u64_file(const char *path, uint64_t *out)
{
	char buf[64], *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

/**
 * dmastress_read_str_file() - read the first line of a file
 * @path: file
 * @buf: filled with the line, without its newline
 * @len: size of @buf
 *
 * Return: 0, or -errno.
 */
int dmastress_read_str_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/**
 * dmastress_write_file() - write a string to a file
 * @path: e.g. /sys/kernel/debug/dma-api/all_errors
 * @s: what to write
 *
 * Return: 0, or -errno.
 */
int dmastress_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/**
 * dmastress_kmsg_open() - follow the kernel log from now on
 *
 * Return: a non-blocking /dev/kmsg descriptor positioned at the end, or
 * -errno.
 */
int dmastress_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/**
 * dmastress_kmsg_read() - the kernel log records since the last call
 * @fd: from dmastress_kmsg_open()
 * @buf: filled with the messages, one per line (the record headers and
 *	continuation lines dropped), NUL-terminated; truncated at @len
 * @len: size of @buf
 *
 * Return: bytes stored, not counting the NUL.
 */
size_t dmastress_kmsg_read(int fd, char *buf, size_t len)
{
	char rec[8192];
	size_t used = 0;

	buf[0] = '\0';
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *msg, *nl;
		size_t mlen;

		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: go on */
				continue;
			break;			/* EAGAIN: nothing more */
		}
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		mlen = strlen(msg);
		if (used + mlen + 2 > len)
			continue;
		memcpy(buf + used, msg, mlen);
		used += mlen;
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return used;
}

/**
 * dmastress_fail_nth_open() - the fail-nth file of the calling thread
 *
 * Return: a read-write descriptor of /proc/thread-self/fail-nth, or -errno
 * (-ENOENT without CONFIG_FAULT_INJECTION).
 */
int dmastress_fail_nth_open(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * dmastress_fail_nth_set() - make the calling thread's @nth fault site fail
 * @fd: from dmastress_fail_nth_open(), opened by this thread
 * @nth: 1 for the next one, 0 to disarm
 *
 * Return: 0, or -errno.
 */
int dmastress_fail_nth_set(int fd, unsigned int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", nth);

	if (pwrite(fd, buf, len, 0) != len)
		return -errno;
	return 0;
}

/**
 * dmastress_fail_nth_get() - fault sites still to pass before the failure
 * @fd: from dmastress_fail_nth_open()
 * @left: 0 once the armed failure has happened (or none was armed)
 *
 * Return: 0, or -errno.
 */
int dmastress_fail_nth_get(int fd, unsigned int *left)
{
	char buf[16];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*left = (unsigned int)strtoul(buf, NULL, 10);
	return 0;
}

/**
 * dmastress_run_ioctl_counts() - DMASTRESS_IOC_RUN with per-path counts
 * @fd: open device
 * @params: what to run
 * @counts: DMASTRESS_NR_PATHS counts, filled by the kernel
 * @run: filled: params in, status and result out
 *
 * @counts is written before the ioctl so that its pages are present (a
 * page fault in copy_to_user() would be one more fault site for fail-nth).
 *
 * Return: 0 when the kernel carried the run out (check @run->status), else
 * -errno of the ioctl.
 */
int dmastress_run_ioctl_counts(int fd, const struct dmastress_run_params *params,
			       struct dmastress_path_counts *counts,
			       struct dmastress_run *run)
{
	memset(run, 0, sizeof(*run));
	memset(counts, 0, sizeof(*counts) * DMASTRESS_NR_PATHS);
	run->size = sizeof(*run);
	run->params = *params;
	run->counts_size = sizeof(*counts);
	run->counts_ptr = (uint64_t)(uintptr_t)counts;
	if (ioctl(fd, DMASTRESS_IOC_RUN, run))
		return -errno;
	run->result.skip_reason[sizeof(run->result.skip_reason) - 1] = '\0';
	return 0;
}
