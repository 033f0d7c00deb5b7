/* svg.c - the SVG chart writer of the printable reports (see svg.h). */
#include "core/svg.h"

#include <errno.h>
#include <string.h>

int svg_escape(struct buf *out, const char *s)
{
    int rc = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !rc; p++) {
        switch (*p) {
        case '&':
            rc = buf_append_str(out, "&amp;");
            break;
        case '<':
            rc = buf_append_str(out, "&lt;");
            break;
        case '>':
            rc = buf_append_str(out, "&gt;");
            break;
        case '"':
            rc = buf_append_str(out, "&quot;");
            break;
        case '\'':
            rc = buf_append_str(out, "&#39;");
            break;
        default:
            if (*p >= 0x20 || *p == '\t' || *p == '\n')
                rc = buf_append(out, p, 1);
        }
    }
    return rc;
}

/* Escapes at most max UTF-8 characters of s, then "…" when s was longer. */
static int escape_label(struct buf *out, const char *s, size_t max)
{
    s = s ? s : "";
    size_t chars = 0, i = 0;
    while (s[i] && chars < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    char tmp[256];
    size_t n = i < sizeof tmp - 1 ? i : 0;
    if (i >= sizeof tmp - 1) /* cannot happen for max <= 60; be safe */
        return svg_escape(out, "…");
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int rc = svg_escape(out, tmp);
    if (!rc && s[i])
        rc = buf_append_str(out, "…");
    return rc;
}

static double max_value(const struct svg_item *items, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].value > m)
            m = items[i].value;
    return m;
}

static int open_svg(struct buf *out, const char *cls, int w, int h, const char *title)
{
    int rc = buf_printf(out,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\" "
                        "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                        "aria-label=\"",
                        cls, w, h, w, h);
    if (!rc)
        rc = svg_escape(out, title);
    if (!rc)
        rc = buf_append_str(out, "\"><title>");
    if (!rc)
        rc = svg_escape(out, title);
    if (!rc)
        rc = buf_append_str(out, "</title>");
    return rc;
}

static int empty_chart(struct buf *out, const char *cls, const char *title, const char *text)
{
    int rc = open_svg(out, cls, 480, 40, title);
    if (!rc)
        rc = buf_append_str(out, "<text class=\"empty\" x=\"8\" y=\"24\" font-size=\"13\">");
    if (!rc)
        rc = svg_escape(out, text);
    if (!rc)
        rc = buf_append_str(out, "</text></svg>");
    return rc;
}

#define HB_W 640
#define HB_LABEL 170
#define HB_ROW 22
#define HB_BAR_MAX (HB_W - HB_LABEL - 60)

int svg_hbar(struct buf *out, const char *title, const struct svg_item *items, size_t n,
             const char *empty_text)
{
    if (n == 0)
        return empty_chart(out, "hbar", title, empty_text);
    double max = max_value(items, n);
    int rc = open_svg(out, "hbar", HB_W, (int)n * HB_ROW + 8, title);
    for (size_t i = 0; i < n && !rc; i++) {
        double v = items[i].value > 0 ? items[i].value : 0;
        double w = max > 0 ? v / max * HB_BAR_MAX : 0;
        int y = (int)i * HB_ROW + 4;
        rc = buf_printf(out,
                        "<g><text class=\"label\" x=\"%d\" y=\"%d\" font-size=\"12\" "
                        "text-anchor=\"end\">",
                        HB_LABEL - 6, y + 14);
        if (!rc)
            rc = escape_label(out, items[i].label, SVG_LABEL_CHARS);
        if (!rc)
            rc = buf_printf(out,
                            "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                            "height=\"%d\" fill=\"#3b6ea5\"/><text class=\"value\" x=\"%.1f\" "
                            "y=\"%d\" font-size=\"12\">%g</text></g>",
                            HB_LABEL, y + 2, w, HB_ROW - 6, HB_LABEL + w + 4, y + 14, v);
    }
    if (!rc)
        rc = buf_append_str(out, "</svg>");
    return rc;
}

#define COL_H 200
#define COL_TOP 18
#define COL_BASE 160
#define COL_MIN_W 16

int svg_columns(struct buf *out, const char *title, const struct svg_item *items, size_t n,
                const char *empty_text)
{
    if (n == 0)
        return empty_chart(out, "columns", title, empty_text);
    double max = max_value(items, n);
    int cw = n > 20 ? COL_MIN_W + 4 : 64;
    int width = (int)n * cw + 16;
    size_t every = n > 20 ? 5 : 1; /* label every k-th column when they are many */
    int rc = open_svg(out, "columns", width < 240 ? 240 : width, COL_H, title);
    if (!rc)
        rc = buf_printf(out,
                        "<line class=\"axis\" x1=\"8\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                        "stroke=\"#888\"/>",
                        COL_BASE, width - 8, COL_BASE);
    for (size_t i = 0; i < n && !rc; i++) {
        double v = items[i].value > 0 ? items[i].value : 0;
        double h = max > 0 ? v / max * (COL_BASE - COL_TOP) : 0;
        int x = 8 + (int)i * cw;
        rc = buf_printf(out,
                        "<g><rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                        "fill=\"#3b6ea5\"/><text class=\"value\" x=\"%d\" y=\"%.1f\" "
                        "font-size=\"11\" text-anchor=\"middle\">%g</text>",
                        x + 2, COL_BASE - h, cw - 4, h, x + cw / 2, COL_BASE - h - 3, v);
        if (!rc && (i % every == 0 || i + 1 == n)) {
            rc = buf_printf(out,
                            "<text class=\"label\" x=\"%d\" y=\"%d\" font-size=\"10\" "
                            "text-anchor=\"middle\">",
                            x + cw / 2, COL_BASE + 14);
            if (!rc)
                rc = escape_label(out, items[i].label, n > 20 ? 5 : 9);
            if (!rc)
                rc = buf_append_str(out, "</text>");
        }
        if (!rc)
            rc = buf_append_str(out, "</g>");
    }
    if (!rc)
        rc = buf_append_str(out, "</svg>");
    return rc;
}
