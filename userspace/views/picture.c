// SPDX-License-Identifier: GPL-2.0
/*
 * Saving a picture: the SVG as it is, and PNG through rsvg-convert
 * (Debian package librsvg2-bin) when it is installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/outfile.h"
#include "views/picture.h"

#define RSVG "rsvg-convert"

/* rsvg-convert -o PNG SVG; 127 from the child: not installed */
static int to_png(const char *svg, const char *png, struct mlpt_err *e)
{
	int st, null;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "--png", "fork: %s",
				 strerror(errno));
	if (!pid) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execlp(RSVG, RSVG, "-o", png, svg, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "--png", "waitpid: %s",
				 strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return mlpt_fail(e, MLPT_EXIT_FAIL, "--png",
				 "rsvg-convert not found: install librsvg2-bin, or use --svg FILE");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return mlpt_fail(e, MLPT_EXIT_FAIL, png, RSVG " failed");
	return 0;
}

static int save_all(const char *svg_path, const char *png_path,
		    const struct buf *svg, struct mlpt_err *e)
{
	char tmp[] = "/tmp/mlpt-XXXXXX.svg";
	int fd, ret;

	if (svg_path) {
		ret = mlpt_write_file(svg_path, svg, e);
		return ret || !png_path ? ret : to_png(svg_path, png_path, e);
	}
	fd = mkstemps(tmp, 4);
	if (fd < 0)
		return mlpt_fail(e, MLPT_EXIT_FAIL, tmp, "%s", strerror(errno));
	close(fd);
	ret = mlpt_write_file(tmp, svg, e);
	if (!ret)
		ret = to_png(tmp, png_path, e);
	unlink(tmp);
	return ret;
}

int mlpt_picture_save(const char *svg_path, const char *png_path,
		      const struct buf *svg, struct buf *b,
		      struct mlpt_err *e)
{
	int ret = save_all(svg_path, png_path, svg, e);

	if (!ret)
		buf_printf(b, "%s%s%s\n", svg_path ? svg_path : "",
			   svg_path && png_path ? " " : "",
			   png_path ? png_path : "");
	return ret;
}
