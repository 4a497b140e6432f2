/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel charges a cgroup v2 for page tables (memory.stat).
 */
#ifndef MLPT_CGROUP_H
#define MLPT_CGROUP_H

#include "base/kstyle.h"

/*
 * The "pagetables" bytes of memory.stat of the cgroup at @path (as
 * /proc/<pid>/cgroup names it), under the first cgroup2 mount; 0, or -1
 * when there is no such file or line (no cgroup2 mount, no memory
 * controller in that cgroup).
 */
int mlpt_cgroup_pagetables(const char *path, u64 *bytes);

#endif
