// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmastress.c - entry point of the dmastress command-line tool: the table of
 * subcommands and the top-level help. Each subcommand lives in its own file
 * (info.c, run.c, selfcheck.c, stress.c, misuse.c, failnth.c) and drives /dev/dmastress<N> through the
 * ioctls of kmod/dmastress_uapi.h.
 *
 * Exit codes: 0 ok, 1 failure found, 2 bad command line, 4 skipped (no
 * device, or the kernel cannot run the request here).
 */
#include <stdio.h>
#include <string.h>

#include "dmastress.h"

/* One line per subcommand, each in its own file, declared in dmastress.h. */
static const struct dmastress_cmd dmastress_cmds[] = {
	{ "info",	"show the device, IOMMU group, masks and limits",
	  dmastress_info_main },
	{ "run",	"run one DMA API path and report latency and errors",
	  dmastress_run_main },
	{ "selfcheck",	"verify every path, direction and size (KTAP)",
	  dmastress_selfcheck_main },
	{ "stress",	"randomised mix of every path, size and mask, verified",
	  dmastress_stress_main },
	{ "misuse",	"commit DMA API misuses; check DMA_API_DEBUG reports them",
	  dmastress_misuse_main },
	{ "failnth",	"fail the 1st, 2nd, ... allocation of a run (fail-nth)",
	  dmastress_failnth_main },
};

#define DMASTRESS_NR_CMDS	(sizeof(dmastress_cmds) / sizeof(dmastress_cmds[0]))

static void dmastress_usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: dmastress COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < DMASTRESS_NR_CMDS; i++)
		fprintf(f, "  %-12s %s\n", dmastress_cmds[i].name,
			dmastress_cmds[i].summary);
	fprintf(f,
		"\n'dmastress COMMAND --help' describes a command.\n"
		"Exit: 0 ok, 1 failure, 2 bad arguments, 4 skipped or no device.\n");
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		dmastress_usage(stderr);
		return DMASTRESS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		dmastress_usage(stdout);
		return DMASTRESS_EXIT_OK;
	}
	for (i = 0; i < DMASTRESS_NR_CMDS; i++)
		if (!strcmp(argv[1], dmastress_cmds[i].name))
			return dmastress_cmds[i].main(argc - 1, argv + 1);

	fprintf(stderr, "dmastress: unknown command '%s'\n\n", argv[1]);
	dmastress_usage(stderr);
	return DMASTRESS_EXIT_USAGE;
}
