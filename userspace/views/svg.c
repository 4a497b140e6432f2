// SPDX-License-Identifier: GPL-2.0
/*
 * SVG primitives: the document, escaped text, rectangles.
 */
#include "views/svg.h"

void svg_begin(struct buf *b, unsigned int w, unsigned int h)
{
	buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">\n"
		   "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		   w, h, w, h);
}

void svg_end(struct buf *b)
{
	buf_printf(b, "</svg>\n");
}

void svg_text(struct buf *b, double x, double y, const char *attrs,
	      const char *s)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
	for (; *s; s++) {
		switch (*s) {
		case '<':
			buf_printf(b, "&lt;");
			break;
		case '>':
			buf_printf(b, "&gt;");
			break;
		case '&':
			buf_printf(b, "&amp;");
			break;
		case '"':
			buf_printf(b, "&quot;");
			break;
		default:
			/* control bytes are not XML 1.0, other bytes maybe not UTF-8 */
			buf_printf(b, "%c", (unsigned char)*s < 0x20 ||
				   (unsigned char)*s >= 0x7f ? '?' : *s);
		}
	}
	buf_printf(b, "</text>\n");
}

void svg_rect(struct buf *b, double x, double y, double w, double h,
	      const char *fill, double opacity, const char *stroke)
{
	buf_printf(b,
		   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"",
		   x, y, w, h, fill, opacity);
	if (stroke)
		buf_printf(b, " stroke=\"%s\"", stroke);
	buf_printf(b, "/>\n");
}
