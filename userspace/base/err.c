// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting: one line on stderr, one exit code.
 */
#include <stdarg.h>
#include <stdio.h>

#include "base/err.h"

int mlpt_fail(struct mlpt_err *e, enum mlpt_exit code, const char *what,
	      const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	snprintf(e->what, sizeof(e->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
	return code;
}

void mlpt_err_print(const struct mlpt_err *e)
{
	fprintf(stderr, "mlpt: %s: %s\n", e->what, e->why);
}
