/* camera_img.c - synthetic camera pictures encoded with libturbojpeg. */
#include "lib/camera_img.h"

#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void fill_rect(uint8_t *p, int w, int h, int x0, int y0, int x1, int y1, int r, int g, int b)
{
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++) {
            uint8_t *q = p + ((size_t)y * (size_t)w + (size_t)x) * 3;
            q[0] = (uint8_t)r;
            q[1] = (uint8_t)g;
            q[2] = (uint8_t)b;
        }
}

/* The scene layout depends on seed / 100 only (seeds 1..99 are frames of one scene). */
static void scene(uint8_t *p, int w, int h, unsigned seed)
{
    for (int y = 0; y < h; y++) /* sky gradient, then asphalt */
        fill_rect(p, w, h, 0, y, w, y + 1, y < h / 2 ? 120 + y * 80 / h : 70,
                  y < h / 2 ? 160 + y * 60 / h : 72, y < h / 2 ? 220 : 75);
    unsigned s = 7 + seed / 100;
    for (int b = 0; b < 9; b++) { /* buildings with lit and unlit windows */
        int bx = b * w / 9, bw = w / 10, bh = h / 4 + (int)(rnd(&s) % (unsigned)(h / 4));
        int shade = 90 + (int)(rnd(&s) % 80);
        fill_rect(p, w, h, bx, h / 2 - bh, bx + bw, h / 2, shade, shade - 10, shade - 20);
        for (int wy = h / 2 - bh + h / 60; wy < h / 2 - h / 40; wy += h / 30)
            for (int wx = bx + w / 200; wx < bx + bw - w / 120; wx += w / 90) {
                int lit = rnd(&s) % 3 == 0;
                fill_rect(p, w, h, wx, wy, wx + w / 160, wy + h / 60, lit ? 250 : 30,
                          lit ? 230 : 40, lit ? 150 : 60);
            }
    }
    for (int x = 0; x < w; x += w / 16) /* lane markings */
        fill_rect(p, w, h, x, h * 3 / 4, x + w / 32, h * 3 / 4 + h / 90, 240, 240, 240);
    for (int t = 0; t < 12; t++) { /* trees */
        int tx = (int)(rnd(&s) % (unsigned)w), ty = h / 2 + (int)(rnd(&s) % (unsigned)(h / 8));
        fill_rect(p, w, h, tx, ty - h / 12, tx + w / 60, ty, 30, 110 + t * 5, 40);
        fill_rect(p, w, h, tx + w / 150, ty, tx + w / 100, ty + h / 20, 90, 60, 30);
    }
}

static void box_blur(uint8_t *p, int w, int h, int r)
{
    uint8_t *tmp = malloc((size_t)w * (size_t)h * 3);
    for (int pass = 0; pass < 2; pass++) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) {
                    int sum = 0, n = 0;
                    for (int k = -r; k <= r; k++) {
                        int xx = pass == 0 ? x + k : x, yy = pass == 0 ? y : y + k;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                            continue;
                        sum += p[((size_t)yy * (size_t)w + (size_t)xx) * 3 + (size_t)c];
                        n++;
                    }
                    tmp[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] = (uint8_t)(sum / n);
                }
        memcpy(p, tmp, (size_t)w * (size_t)h * 3);
    }
    free(tmp);
}

static int clamp(int v)
{
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

static void finish(uint8_t *p, int w, int h, enum cimg_kind kind, unsigned seed)
{
    unsigned s = seed * 2654435761u + 1;
    for (size_t i = 0; i < (size_t)w * (size_t)h * 3; i++) {
        int v = p[i];
        if (kind == CIMG_DARK)
            v = v / 5;
        else if (kind == CIMG_BRIGHT)
            v = v * 3 + 90;
        else if (kind == CIMG_COVERED)
            v = 24;
        int noise = (int)(rnd(&s) % 13) - 6; /* sensor noise, +-6 */
        p[i] = (uint8_t)clamp(v + noise);
    }
}

int cimg_make(enum cimg_kind kind, int w, int h, unsigned seed, int quality, uint8_t **jpeg,
              size_t *len)
{
    if (w < 64 || h < 64)
        return -1;
    uint8_t *rgb = calloc((size_t)w * (size_t)h, 3);
    if (!rgb)
        return -1;
    scene(rgb, w, h, seed);
    if (kind == CIMG_BLURRED)
        box_blur(rgb, w, h, w / 80 > 2 ? w / 80 : 2);
    finish(rgb, w, h, kind, seed);
    tjhandle t = tjInitCompress();
    unsigned char *out = NULL;
    unsigned long n = 0;
    int rc = t ? tjCompress2(t, rgb, w, 0, h, TJPF_RGB, &out, &n, TJSAMP_420, quality, 0) : -1;
    if (rc == 0) {
        *jpeg = malloc(n);
        memcpy(*jpeg, out, n);
        *len = n;
    }
    tjFree(out);
    if (t)
        tjDestroy(t);
    free(rgb);
    return rc == 0 ? 0 : -1;
}
