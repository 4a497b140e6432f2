// SPDX-License-Identifier: GPL-2.0
/*
 * Enumerate processes with libproc2.
 */
#include <stddef.h>
#include <string.h>

#include <libproc2/meminfo.h>

#include "sources/libproc2.h"
#include "sources/procs.h"

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h */

enum { ITEM_PID, ITEM_USER, ITEM_FLAGS, ITEM_STATE, ITEM_CGROUP };

/* the v2 path of /proc/<pid>/cgroup's lines: the one "0::PATH" */
static const char *cgroup_v2(char **lines)
{
	for (; lines && *lines; lines++)
		if (!strncmp(*lines, "0::", 3))
			return *lines + 3;
	return NULL;
}

int mlpt_procs_each(int (*fn)(void *arg, const struct mlpt_proc *p),
		    void *arg, bool cgroups, struct mlpt_err *e)
{
	enum pids_item items[] = {
		[ITEM_PID] = PIDS_ID_PID,
		[ITEM_USER] = PIDS_ID_EUSER,
		[ITEM_FLAGS] = PIDS_FLAGS,
		[ITEM_STATE] = PIDS_STATE,
		[ITEM_CGROUP] = PIDS_CGROUP_V,
	};
	struct pids_info *info = NULL;
	struct pids_stack *st;
	struct mlpt_proc p;
	int ret = 0;

	if (procps_pids_new(&info, items, ARRAY_SIZE(items) - !cgroups) < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "survey",
				 "libproc2 cannot list processes (is /proc mounted?)");
	while (!ret && (st = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
		p.pid = MLPT_PIDS_VAL(ITEM_PID, s_int, st);
		p.user = MLPT_PIDS_VAL(ITEM_USER, str, st);
		p.kthread = MLPT_PIDS_VAL(ITEM_FLAGS, ul_int, st) & PF_KTHREAD;
		p.state = MLPT_PIDS_VAL(ITEM_STATE, s_ch, st);
		p.cgroup = cgroups ?
			cgroup_v2(MLPT_PIDS_VAL(ITEM_CGROUP, strv, st)) : NULL;
		ret = fn(arg, &p);
	}
	procps_pids_unref(&info);
	return ret;
}

unsigned long long mlpt_ram_bytes(void)
{
	struct meminfo_info *info = NULL;
	unsigned long long kib;

	if (procps_meminfo_new(&info) < 0)
		return 0;
	kib = MEMINFO_GET(info, MEMINFO_MEM_TOTAL, ul_int);
	procps_meminfo_unref(&info);
	return kib * 1024;
}
