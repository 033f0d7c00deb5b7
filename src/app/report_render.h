/* report_render.h - the report (app/report.h, JSON, the canonical form) as CSV and as a
 * printable HTML page with SVG charts (core/svg.h). Pure formatting: no store access. Texts are
 * zh-CN, or English when en is set. */
#ifndef VIGIL_REPORT_RENDER_H
#define VIGIL_REPORT_RENDER_H

#include <jansson.h>

/* CSV: UTF-8 with a byte-order mark (so Excel reads Chinese correctly), CRLF line ends, one
 * section per block: a title line, a header line, the rows, an empty line. OUT *out (caller
 * frees). Returns 0 or -E2BIG when the report is larger than the renderer's cap. */
int report_render_csv(const json_t *rep, int en, char **out);
/* A complete HTML document for A4 printing (stylesheet /css/report-print.css of the console),
 * charts inline as SVG. OUT *out (caller frees). Returns 0 or -E2BIG. */
int report_render_html(const json_t *rep, int en, char **out);

#endif
