// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc files every source reads (status, comm, the process state),
 * and what a failed open of one means: no process, no permission, no
 * module.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/libproc2.h"
#include "sources/proc.h"

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * /proc/mlpt is missing or not mounted: say how to get it and, where the
 * caller can do without it, @alternative.
 */
static int module_missing(struct mlpt_err *e, const char *needed_by,
			  const char *alternative)
{
	if (!exists(MLPT_PROC))
		return mlpt_fail(e, MLPT_EXIT_NOMOD, MLPT_PROC,
				 "module not loaded%s: run \"make load\" (or \"modprobe mlpt && mount -t mlpt none /proc/mlpt\")%s",
				 needed_by, alternative);
	return mlpt_fail(e, MLPT_EXIT_NOMOD, MLPT_PROC,
			 "module loaded but not mounted%s: run \"mount -t mlpt none /proc/mlpt\" (or \"make load\")%s",
			 needed_by, alternative);
}

#define PAGEMAP_HINT ", or use --source pagemap for an estimate without it"

int mlpt_need_module(const char *cmd, bool pagemap_will_do,
		     struct mlpt_err *e)
{
	char needed_by[64];

	if (exists(MLPT_PROC "/version"))
		return 0;
	snprintf(needed_by, sizeof(needed_by), " (mlpt %s needs it)", cmd);
	return module_missing(e, needed_by,
			      pagemap_will_do ? PAGEMAP_HINT : "");
}

/* one "Key:" line of /proc/<pid>/status, which anyone may read */
static int status_line(int pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, strlen(key)))
			continue;
		snprintf(val, len, "%s", line + strlen(key));
		found = 0;
	}
	fclose(f);
	return found;
}

int mlpt_status_bytes(int pid, const char *key, u64 *bytes,
		      struct mlpt_err *e)
{
	unsigned long long kib;
	char val[128], what[32];

	snprintf(what, sizeof(what), "%d", pid);
	if (status_line(pid, key, val, sizeof(val)))
		return mlpt_fail(e, MLPT_EXIT_NOPROC, what,
				 "no such process (or no %s line)", key);
	if (sscanf(val, "%llu kB", &kib) != 1)
		return mlpt_fail(e, MLPT_EXIT_FORMAT, what,
				 "/proc/%d/status: bad %s line", pid, key);
	*bytes = kib * 1024;
	return 0;
}

/*
 * docs/format.md, Access: the /proc/<pid>/smaps rule, said for this case.  A
 * process that is not dumpable has its /proc/<pid> owned by root, so the
 * owner of that directory tells the two halves of the rule apart.
 */
static int access_error(int pid, struct mlpt_err *e, const char *what)
{
	unsigned int ruid, euid, suid, fsuid, me = geteuid();
	char val[128], dir[32];
	struct stat st;

	snprintf(dir, sizeof(dir), "/proc/%d", pid);
	if (status_line(pid, "Uid:", val, sizeof(val)) ||
	    sscanf(val, "%u %u %u %u", &ruid, &euid, &suid, &fsuid) != 4 ||
	    stat(dir, &st))
		return mlpt_fail(e, MLPT_EXIT_PERM, what,
				 "permission denied: only the process's own user (while it is dumpable) or CAP_SYS_PTRACE may read it, as for /proc/PID/smaps");
	if (ruid != me || euid != me || suid != me)
		return mlpt_fail(e, MLPT_EXIT_PERM, what,
				 "permission denied: the process runs as uid %u and you are uid %u; only the same user or CAP_SYS_PTRACE may read it, as for /proc/PID/smaps",
				 euid, me);
	if (st.st_uid != me)
		return mlpt_fail(e, MLPT_EXIT_PERM, what,
				 "permission denied: the process is yours but not dumpable (a setuid or file-capability program, or prctl(PR_SET_DUMPABLE, 0)); only CAP_SYS_PTRACE may read it, as for /proc/PID/smaps");
	return mlpt_fail(e, MLPT_EXIT_PERM, what,
			 "permission denied: its owner is not yours in your user namespace (both show as uid %u), or a security module refused; only the same user or CAP_SYS_PTRACE over its user namespace may read it, as for /proc/PID/smaps",
			 me);
}

int mlpt_proc_error(int pid, int err, const char *path, struct mlpt_err *e)
{
	char what[32], proc[32];

	snprintf(what, sizeof(what), "%d", pid);
	snprintf(proc, sizeof(proc), "/proc/%d", pid);
	if (err == EACCES || err == EPERM)
		return access_error(pid, e, what);
	if (err == ENOENT || err == ESRCH) {
		if (!strncmp(path, MLPT_PROC "/", strlen(MLPT_PROC "/")) &&
		    !exists(MLPT_PROC "/version"))
			return module_missing(e, "", PAGEMAP_HINT);
		if (mlpt_proc_state(pid) == 'Z')
			return mlpt_fail(e, MLPT_EXIT_NOPROC, what,
					 "a zombie: it has exited and has no address space (its parent has not reaped it yet)");
		if (exists(proc))
			return mlpt_fail(e, MLPT_EXIT_NOPROC, what,
					 "no user address space (a kernel thread, or exiting)");
		return mlpt_fail(e, MLPT_EXIT_NOPROC, what, "no such process");
	}
	return mlpt_fail(e, MLPT_EXIT_FAIL, what, "%s: %s", path,
			 strerror(err));
}

void mlpt_read_comm(int pid, struct mlpt_report *r)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (f && fgets(r->comm, sizeof(r->comm), f))
		r->comm[strcspn(r->comm, "\n")] = '\0';
	if (f)
		fclose(f);
}

char mlpt_proc_state(int pid)
{
	enum pids_item item = PIDS_STATE;
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	unsigned int which = pid;
	char state = 0;

	if (procps_pids_new(&info, &item, 1) < 0)
		return 0;
	f = procps_pids_select(info, &which, 1, PIDS_SELECT_PID);
	if (f && f->counts->total == 1)
		state = MLPT_PIDS_VAL(0, s_ch, f->stacks[0]);
	procps_pids_unref(&info);
	return state;
}
