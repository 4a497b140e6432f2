// SPDX-License-Identifier: GPL-2.0
/*
 * Outputs to files and to standard output, with their errors said.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"

int mlpt_write_file(const char *path, const struct buf *b,
		    struct mlpt_err *e)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) + 1 : 0;
	char *tmp;
	int fd, ret = 0;

	/* a dot file beside the target: textfile collectors read only *.prom */
	if (asprintf(&tmp, "%.*s.%s.XXXXXX", dir_len, path,
		     path + dir_len) < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, path, "out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, path, "%s",
				strerror(errno));
		free(tmp);
		return ret;
	}
	/* mkstemp's 0600 would hide the file from a collector run as another user */
	if (fchmod(fd, 0644) || buf_write(b, fd))
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, path, "write: %s",
				strerror(errno));
	if (close(fd) && !ret)
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, path, "close: %s",
				strerror(errno));
	if (!ret && rename(tmp, path))
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, path, "rename: %s",
				strerror(errno));
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

int mlpt_write_stdout(const struct buf *b, struct mlpt_err *e)
{
	if (buf_write(b, STDOUT_FILENO))
		return mlpt_fail(e, MLPT_EXIT_FAIL, "stdout", "write: %s",
				 strerror(errno));
	return 0;
}
