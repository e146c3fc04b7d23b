// SPDX-License-Identifier: GPL-2.0-only
/*
 * util.c - helpers shared by the dmastress subcommands: bounded number and
 * size parsing, name tables in help texts, opening the device and the INFO
 * ioctl with messages (over libdmastress.c), JSON string output and the
 * bandwidth.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dmastress.h"

/**
 * dmastress_names_join() - a name table as text, for help texts
 * @buf: filled with the names in table order, NUL-terminated
 * @len: size of @buf, bytes; the text is cut short to fit
 * @names: table
 * @nr: entries in @names
 * @sep: between two names, e.g. " " or ","
 * @col: column where the text starts; a name that would pass column 79
 *	starts a new line indented to @col instead (0: never wrap)
 *
 * Return: @buf.
 */
const char *dmastress_names_join(char *buf, size_t len,
				 const char *const *names, unsigned int nr,
				 const char *sep, unsigned int col)
{
	size_t used = 0, at = col;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		size_t w = strlen(names[i]), s = i ? strlen(sep) : 0;
		int n;

		if (i && col && at + s + w > 79) {
			/* a blank separator ends the line, another stays */
			n = snprintf(buf + used, len - used, "%s\n%*s%s",
				     strcmp(sep, " ") ? sep : "", (int)col, "",
				     names[i]);
			at = col + w;
		} else {
			n = snprintf(buf + used, len - used, "%s%s",
				     i ? sep : "", names[i]);
			at += s + w;
		}
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

/**
 * dmastress_usage_error() - report a command-line error
 * @cmd: subcommand name, for the hint
 * @fmt: message
 */
void dmastress_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dmastress %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(try 'dmastress %s --help')\n", cmd);
}

/*
 * Decimal, or hexadecimal with 0x; never octal (a leading zero is decimal).
 * Sets *end to the first character not parsed. Returns -1 on no digits or
 * overflow.
 */
static int dmastress_strtou64(const char *s, uint64_t *out, const char **end)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = s;
	int digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (;; p++, digits++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (!digits)
		return -1;
	*out = v;
	*end = p;
	return 0;
}

/**
 * dmastress_parse_u64() - parse a bounded unsigned number
 * @opt: option name, for the message
 * @s: text (decimal, or hex with 0x)
 * @min: smallest accepted value
 * @max: largest accepted value
 * @out: the value
 *
 * Return: 0, or -1 after printing why @s was refused.
 */
int dmastress_parse_u64(const char *opt, const char *s, uint64_t min,
			uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (dmastress_strtou64(s, &v, &end) || *end) {
		fprintf(stderr, "dmastress: %s: '%s' is not a number\n", opt, s);
		return -1;
	}
	if (v < min || v > max) {
		fprintf(stderr, "dmastress: %s: %s is out of range %llu..%llu\n",
			opt, s, (unsigned long long)min,
			(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int dmastress_parse_u32(const char *opt, const char *s, uint32_t min,
			uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (dmastress_parse_u64(opt, s, min, max, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/**
 * dmastress_parse_size() - parse a bounded byte count
 * @opt: option name, for the message
 * @s: number with an optional binary suffix K, M or G (4K = 4096),
 *	also accepted as KiB/MiB/GiB
 * @min: smallest accepted value, bytes
 * @max: largest accepted value, bytes
 * @out: the value, bytes
 *
 * Return: 0, or -1 after printing why @s was refused.
 */
int dmastress_parse_size(const char *opt, const char *s, uint64_t min,
			 uint64_t max, uint64_t *out)
{
	unsigned int shift = 0;
	const char *end;
	uint64_t v;

	if (dmastress_strtou64(s, &v, &end))
		goto bad;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		goto bad;
	}
	if (shift) {
		end++;
		if (*end && strcmp(end, "iB"))
			goto bad;
	}
	if (v > (UINT64_MAX >> shift)) {
		fprintf(stderr, "dmastress: %s: %s is too large\n", opt, s);
		return -1;
	}
	v <<= shift;
	if (v < min || v > max) {
		fprintf(stderr, "dmastress: %s: %s (%llu bytes) is out of range %llu..%llu bytes\n",
			opt, s, (unsigned long long)v, (unsigned long long)min,
			(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
bad:
	fprintf(stderr, "dmastress: %s: '%s' is not a size (bytes, or with K, M, G: 4K = 4096)\n",
		opt, s);
	return -1;
}

/**
 * dmastress_parse_name() - look a name up in a table
 * @opt: option name, for the message
 * @s: text
 * @names: table of names
 * @nr: entries in @names
 * @out: index of the name
 *
 * Return: 0, or -1 after printing the accepted names.
 */
int dmastress_parse_name(const char *opt, const char *s,
			 const char *const *names, unsigned int nr,
			 uint32_t *out)
{
	int idx = dmastress_name_index(names, nr, s);
	unsigned int i;

	if (idx >= 0) {
		*out = (uint32_t)idx;
		return 0;
	}
	fprintf(stderr, "dmastress: %s: unknown '%s'; one of:", opt, s);
	for (i = 0; i < nr; i++)
		if (names[i])
			fprintf(stderr, " %s", names[i]);
	fprintf(stderr, "\n");
	return -1;
}

/**
 * dmastress_valid_device() - check a --device argument
 * @cmd: subcommand, for the message
 * @path: the argument
 *
 * Return: 0 if @path is a plausible path, -1 after printing why not.
 */
int dmastress_valid_device(const char *cmd, const char *path)
{
	if (!*path || strnlen(path, PATH_MAX) >= PATH_MAX) {
		dmastress_usage_error(cmd, "--device: empty or too long");
		return -1;
	}
	return 0;
}

/**
 * dmastress_open() - open a dmastress device
 * @path: device node
 *
 * Return: file descriptor, or -1 after printing the reason (the caller
 * exits with DMASTRESS_EXIT_SKIP: no usable device).
 */
int dmastress_open(const char *path)
{
	int fd = dmastress_dev_open(path);
	const char *why;
	char buf[128];

	if (fd >= 0)
		return fd;
	why = dmastress_dev_why(-fd, buf, sizeof(buf));
	fprintf(stderr, "dmastress: cannot open %s: %s%s%s%s\n", path,
		strerror(-fd), why ? " (" : "", why ? why : "", why ? ")" : "");
	return -1;
}

/**
 * dmastress_get_info() - DMASTRESS_IOC_INFO
 * @fd: open device
 * @path: its name, for the message
 * @info: filled by the kernel
 *
 * Return: 0, or -1 after printing the error.
 */
int dmastress_get_info(int fd, const char *path, struct dmastress_info *info)
{
	int ret = dmastress_dev_info(fd, info);

	if (ret)
		fprintf(stderr, "dmastress: %s: DMASTRESS_IOC_INFO: %s\n", path,
			strerror(-ret));
	return ret ? -1 : 0;
}

/**
 * dmastress_json_str() - print a JSON string literal
 * @f: stream
 * @s: NUL-terminated text, escaped as JSON requires
 */
void dmastress_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/**
 * dmastress_mib_s() - bandwidth
 * @bytes: bytes moved
 * @ns: over this many ns
 *
 * bw_mib_s is this of a run's bytes and its wall time (elapsed_ns).
 *
 * Return: MiB/s (2^20 bytes per second), 0 when @ns is 0.
 */
double dmastress_mib_s(uint64_t bytes, double ns)
{
	if (ns <= 0)
		return 0;
	return (double)bytes / (1024.0 * 1024.0) / (ns / 1e9);
}
