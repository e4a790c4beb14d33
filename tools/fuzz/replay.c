// SPDX-License-Identifier: GPL-2.0
/*
 * Without libFuzzer: run a fuzz target once over every file named, and every
 * file in every folder named (not recursive). For `make check`, which
 * replays the seeds and the regression inputs with gcc.
 * Prints "TARGET: N inputs"; a crash or a sanitizer report is the failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned int runs;

static void run_file(const char *path)
{
	size_t len = 0, cap = 0, got;
	uint8_t *buf = NULL;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		exit(1);
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	runs++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	struct dirent **names;
	char path[4096];
	struct stat st;
	int i, j, n;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st))
			continue;		/* a target may have no regression inputs yet */
		if (!S_ISDIR(st.st_mode)) {
			run_file(argv[i]);
			continue;
		}
		n = scandir(argv[i], &names, NULL, by_name);
		for (j = 0; j < n; j++) {
			snprintf(path, sizeof(path), "%s/%s", argv[i], names[j]->d_name);
			if (!stat(path, &st) && S_ISREG(st.st_mode))
				run_file(path);
			free(names[j]);
		}
		if (n >= 0)
			free(names);
	}
	printf("%s: %u inputs\n", argv[0], runs);
	return 0;
}
