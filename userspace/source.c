// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /proc/mlpt/<pid>, and saying why it could not be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "source.h"
#include "survey.h"

#define READ_CHUNK 65536

/* the whole of @fd into a malloc'd buffer; -1 with errno on failure */
static ssize_t read_all(int fd, char **out)
{
	size_t len = 0, cap = 0;
	char *s = NULL, *t;
	ssize_t n;

	for (;;) {
		if (cap - len < READ_CHUNK) {
			cap += READ_CHUNK * 4;
			t = realloc(s, cap);
			if (!t)
				goto fail;
			s = t;
		}
		n = read(fd, s + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (!n)
			break;
		len += n;
	}
	*out = s;
	return len;
fail:
	free(s);
	return -1;
}

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

/*
 * @fd's report into @r.  Read from /proc/mlpt (@live), no bytes mean the
 * process exited after open; from a file they mean it is no report.
 */
static int load_fd(int fd, const char *what, bool live,
		   struct mlpt_report *r, struct mlpt_err *e)
{
	char *text = NULL;
	ssize_t len;
	int ret;

	len = read_all(fd, &text);
	if (len < 0)
		return mlpt_fail(e, errno == ESRCH ? MLPT_EXIT_NOPROC :
				 MLPT_EXIT_FAIL, what, "read: %s",
				 strerror(errno));
	if (!len && live)
		ret = mlpt_fail(e, MLPT_EXIT_NOPROC, what,
				"empty report: the process has exited");
	else
		ret = mlpt_parse(text, len, what, r, e);
	free(text);
	return ret;
}

static int load_module(int pid, struct mlpt_report *r, struct mlpt_err *e)
{
	char path[64], what[32];
	int fd, ret;

	snprintf(path, sizeof(path), MLPT_PROC "/%d", pid);
	snprintf(what, sizeof(what), "%d", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mlpt_proc_error(pid, errno, path, e);
	ret = load_fd(fd, what, true, r, e);
	close(fd);
	r->source = MLPT_SRC_MODULE;
	return ret;
}

int mlpt_load(int pid, enum mlpt_source src, bool want_vmas,
	      struct mlpt_report *r, struct mlpt_err *e)
{
	int ret;

	/*
	 * Callers hand in whatever their stack held: every path below, the
	 * failed ones too, ends in mlpt_report_free(), which must find
	 * pointers it may free.
	 */
	memset(r, 0, sizeof(*r));
	if (src == MLPT_SRC_PAGEMAP)
		return mlpt_pagemap_estimate(pid, r, e);
	ret = load_module(pid, r, e);
	if (!ret && want_vmas)
		ret = mlpt_read_maps(pid, r, e);
	if (ret)
		mlpt_report_free(r);
	return ret;
}

int mlpt_command(int pid, const char *cmd, char **text, size_t *len,
		 struct mlpt_err *e)
{
	char path[64], what[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MLPT_PROC "/%d", pid);
	snprintf(what, sizeof(what), "%d", pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return mlpt_proc_error(pid, errno, path, e);
	/* docs/format.md, Commands: the write replaces what this fd reads next */
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		n = errno;
		close(fd);
		return mlpt_fail(e, n == EINVAL ? MLPT_EXIT_USAGE :
				 MLPT_EXIT_FAIL, what, "\"%s\": %s", cmd,
				 strerror(n));
	}
	n = read_all(fd, text);
	close(fd);
	if (n < 0)
		return mlpt_fail(e, errno == ESRCH ? MLPT_EXIT_NOPROC :
				 MLPT_EXIT_FAIL, what, "read: %s",
				 strerror(errno));
	if (!n) {
		free(*text);
		return mlpt_fail(e, MLPT_EXIT_NOPROC, what,
				 "empty report: the process has exited");
	}
	*len = n;
	return 0;
}

int mlpt_load_file(const char *path, struct mlpt_report *r,
		   struct mlpt_err *e)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	int ret;

	memset(r, 0, sizeof(*r));	/* as in mlpt_load() */
	if (fd < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, path, "%s",
				 strerror(errno));
	ret = load_fd(fd, path, false, r, e);
	if (fd)
		close(fd);
	r->source = MLPT_SRC_FILE;
	return ret;
}
