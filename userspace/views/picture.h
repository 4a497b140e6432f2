/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Saving a picture: the SVG as it is, and PNG through rsvg-convert.
 */
#ifndef MLPT_PICTURE_H
#define MLPT_PICTURE_H

#include "base/buf.h"
#include "base/err.h"

/*
 * Write @svg to @svg_path and/or convert it to @png_path (either may be
 * NULL); the names written go to @b
 */
int mlpt_picture_save(const char *svg_path, const char *png_path,
		      const struct buf *svg, struct buf *b,
		      struct mlpt_err *e);

#endif
