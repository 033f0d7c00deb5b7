/* svg.h - a small SVG chart writer for the printable reports: horizontal bar charts and column
 * charts, drawn by Vigil itself (no external library, no script). Every text is escaped for
 * XML; labels longer than SVG_LABEL_CHARS characters are cut (on a UTF-8 character boundary)
 * and end in "…". The output is one self-contained <svg> element with a <title>, suitable
 * inline in HTML; bars carry class="bar", their values class="value". */
#ifndef VIGIL_SVG_H
#define VIGIL_SVG_H

#include "core/buf.h"

#include <stddef.h>

#define SVG_LABEL_CHARS 18

struct svg_item {
    const char *label; /* UTF-8 text */
    double value;      /* >= 0; negative values are drawn as 0 */
};

/* Appends XML-escaped s to out (& < > " ' escaped; control bytes other than tab/newline
 * dropped). Returns 0 or -E2BIG from the buffer's cap. */
int svg_escape(struct buf *out, const char *s);

/* One horizontal bar per item, the label at the left and the value at the bar's end; when n is
 * 0 the chart says empty_text instead. Returns 0 or -E2BIG. */
int svg_hbar(struct buf *out, const char *title, const struct svg_item *items, size_t n,
             const char *empty_text);
/* One column per item (days of a period, buckets of a distribution), the labels under the
 * columns (every k-th label when there are many), the values above them. Returns 0 or -E2BIG. */
int svg_columns(struct buf *out, const char *title, const struct svg_item *items, size_t n,
                const char *empty_text);

#endif
