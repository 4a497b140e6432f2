// SPDX-License-Identifier: GPL-2.0
/*
 * memory.stat of a cgroup v2, found under the cgroup2 mount that
 * /proc/self/mountinfo lists first (/sys/fs/cgroup on most systems).
 */
#include <stdio.h>
#include <string.h>

#include "sources/cgroup.h"

/* the cgroup2 mount point into @dir; -1 if there is none */
static int cgroup2_mount(char *dir, size_t len)
{
	char line[4096], mnt[4096], *dash;
	int found = -1;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return -1;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS... - FSTYPE SOURCE ..." */
	while (found && fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - cgroup2 ");
		if (dash && sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 &&
		    strlen(mnt) < len) {
			snprintf(dir, len, "%s", mnt);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

int mlpt_cgroup_pagetables(const char *path, u64 *bytes)
{
	char dir[2048], file[6144], line[256];
	unsigned long long v;
	int found = -1;
	FILE *f;

	if (cgroup2_mount(dir, sizeof(dir)))
		return -1;
	snprintf(file, sizeof(file), "%s%s/memory.stat", dir,
		 strcmp(path, "/") ? path : "");
	f = fopen(file, "re");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "pagetables %llu", &v) == 1) {
			*bytes = v;
			found = 0;
		}
	}
	fclose(f);
	return found;
}
