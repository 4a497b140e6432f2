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

#include "sources/maps.h"
#include "sources/pagemap.h"
#include "sources/parse.h"
#include "sources/proc.h"
#include "sources/source.h"

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
