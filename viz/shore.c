/* shore: GSHHG binned shorelines, read and rasterised (see shore.h). */
#include "viz/shore.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/report/report.h"

#define COAST_MAX_POINTS 20000000 /* a file claiming more is not the one we know */

struct shore {
  int bin_min, nx;           /* bin size (minutes of arc); bins around a parallel */
  size_t nbins, nseg, npts;
  int32_t *first_seg, *first_pt, *seg_info;
  int16_t *nseg_bin, *node;
  int16_t *dx, *dy; /* unsigned offsets stored in signed 16 bits */
};

void shore_free(shore *c) {
  if (!c) return;
  free(c->first_seg);
  free(c->first_pt);
  free(c->seg_info);
  free(c->nseg_bin);
  free(c->node);
  free(c->dx);
  free(c->dy);
  free(c);
}

/* A whole 1-D dataset of n integers of `size` bytes; *n from the file when *n is 0. */
static void *read_1d(const report_file *f, const char *name, size_t size, size_t *n) {
  void *buf = NULL;
  size_t len = 0;
  if (report_ints(f, name, size, COAST_MAX_POINTS, &buf, &len, NULL)) return NULL;
  if (*n && len != *n) {
    free(buf);
    return NULL;
  }
  *n = len;
  return buf;
}

static int read_int(const report_file *f, const char *name, int *out) {
  size_t n = 1;
  int32_t *v = read_1d(f, name, sizeof *v, &n);
  if (!v) return -1;
  *out = v[0];
  free(v);
  return 0;
}

int shore_open(shore **out, const char *path, sim_error *err) {
  *out = NULL;
  if (access(path, R_OK))
    return sim_error_set(err, SIM_EIO, "no coastline file %s (install gmt-gshhg-low)", path);
  report_quiet();
  report_file *f = NULL;
  if (report_open_hdf5(&f, path, NULL))
    return sim_error_set(err, SIM_EIO, "cannot read the coastline file %s", path);
  shore *c = calloc(1, sizeof *c);
  int ok = c && !read_int(f, "Bin_size_in_minutes", &c->bin_min) &&
           !read_int(f, "N_bins_in_360_longitude_range", &c->nx) && c->bin_min > 0 && c->nx > 0;
  if (ok) {
    size_t nb = 0, ns = 0, np = 0, nb2, nb3, ns2, np2;
    c->first_seg = read_1d(f, "Id_of_first_segment_in_a_bin", 4, &nb);
    nb2 = nb, nb3 = nb;
    c->nseg_bin = read_1d(f, "N_segments_in_a_bin", 2, &nb2);
    c->node = read_1d(f, "Embedded_node_levels_in_a_bin", 2, &nb3);
    c->seg_info = read_1d(f, "Embedded_npts_levels_exit_entry_for_a_segment", 4, &ns);
    ns2 = ns;
    c->first_pt = read_1d(f, "Id_of_first_point_in_a_segment", 4, &ns2);
    /* stored as signed 16-bit, meant as unsigned: read the bits, not converted values */
    c->dx = read_1d(f, "Relative_longitude_from_SW_corner_of_bin", 2, &np);
    np2 = np;
    c->dy = read_1d(f, "Relative_latitude_from_SW_corner_of_bin", 2, &np2);
    c->nbins = nb;
    c->nseg = ns;
    c->npts = np;
    ok = c->first_seg && c->nseg_bin && c->node && c->seg_info && c->first_pt && c->dx && c->dy;
  }
  report_close(f);
  if (!ok) {
    shore_free(c);
    return sim_error_set(err, SIM_EIO, "%s is not a GSHHG binned coastline file", path);
  }
  *out = c;
  return 0;
}

void shore_project(const shore_view *v, double lat, double lon, double *x, double *y) {
  *x = (lon - v->lon0) / (v->lon1 - v->lon0) * v->w;
  *y = (v->lat1 - lat) / (v->lat1 - v->lat0) * v->h;
}

/* Bresenham: 8-connected lines, which a 4-connected flood cannot leak through. */
static void line(uint8_t *m, int w, int h, int x0, int y0, int x1, int y1) {
  int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1, dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1,
      e = dx + dy;
  for (int guard = 0; guard < 4 * (w + h) + 8; guard++) {
    if (x0 >= 0 && x0 < w && y0 >= 0 && y0 < h) m[(size_t)y0 * w + x0] = SHORE_SHORE;
    if (x0 == x1 && y0 == y1) break;
    int e2 = 2 * e;
    if (e2 >= dy) e += dy, x0 += sx;
    if (e2 <= dx) e += dx, y0 += sy;
  }
}

static int flood(uint8_t *m, int w, int h, int x, int y) {
  if (x < 0 || x >= w || y < 0 || y >= h || m[(size_t)y * w + x] != SHORE_LAND) return 0;
  size_t cap = 4096, n = 0;
  int32_t *st = malloc(cap * sizeof *st * 2);
  if (!st) return -1;
  st[n * 2] = x, st[n * 2 + 1] = y, n++;
  m[(size_t)y * w + x] = SHORE_SEA;
  while (n) {
    n--;
    int cx = st[n * 2], cy = st[n * 2 + 1];
    static const int d[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    for (int k = 0; k < 4; k++) {
      int nx = cx + d[k][0], ny = cy + d[k][1];
      if (nx < 0 || nx >= w || ny < 0 || ny >= h || m[(size_t)ny * w + nx] != SHORE_LAND) continue;
      m[(size_t)ny * w + nx] = SHORE_SEA;
      if (n == cap) {
        int32_t *ns = realloc(st, cap * 4 * sizeof *st);
        if (!ns) {
          free(st);
          return -1;
        }
        st = ns;
        cap *= 2;
      }
      st[n * 2] = nx, st[n * 2 + 1] = ny, n++;
    }
  }
  free(st);
  return 0;
}

/* The window-relative south-west corner of bin b, or -1 when the bin is not in view. */
static int bin_corner(const shore *c, const shore_view *v, size_t b, double *lon_sw,
                      double *lat_sw) {
  double bin = c->bin_min / 60.0;
  if ((long)(b / (size_t)c->nx) >= lround(180 / bin)) return -1;
  *lon_sw = (double)(b % (size_t)c->nx) * bin;
  *lat_sw = 90 - (double)(b / (size_t)c->nx + 1) * bin;
  /* a bin may show in the window at its longitude, or 360 degrees off */
  *lon_sw += *lon_sw + bin < v->lon0 ? 360 : *lon_sw > v->lon1 ? -360 : 0;
  return *lon_sw > v->lon1 || *lon_sw + bin < v->lon0 || *lat_sw > v->lat1 ||
                 *lat_sw + bin < v->lat0
             ? -1
             : 0;
}

int shore_raster(const shore *c, const shore_view *v, uint8_t *m) {
  int w = v->w, h = v->h;
  memset(m, SHORE_LAND, (size_t)w * h); /* land until the sea floods in */
  double bin = c->bin_min / 60.0, lon_sw, lat_sw;
  for (size_t b = 0; b < c->nbins; b++) { /* every shoreline first, so the flood cannot leak */
    if (bin_corner(c, v, b, &lon_sw, &lat_sw)) continue;
    for (int32_t s = c->first_seg[b];
         s >= 0 && s < c->first_seg[b] + c->nseg_bin[b] && (size_t)s < c->nseg; s++) {
      uint32_t info = (uint32_t)c->seg_info[s];
      size_t n = info >> 9, p0 = (size_t)c->first_pt[s];
      if (p0 + n > c->npts) continue;
      double px = 0, py = 0;
      for (size_t i = 0; i < n; i++) {
        double lon = lon_sw + (uint16_t)c->dx[p0 + i] * bin / 65535.0,
               lat = lat_sw + (uint16_t)c->dy[p0 + i] * bin / 65535.0, x, y;
        shore_project(v, lat, lon, &x, &y);
        if (i) line(m, w, h, (int)floor(px), (int)floor(py), (int)floor(x), (int)floor(y));
        px = x, py = y;
      }
    }
  }
  for (size_t b = 0; b < c->nbins; b++) { /* then the corners the file marks as sea (level 0) */
    if (bin_corner(c, v, b, &lon_sw, &lat_sw)) continue;
    int lv = (uint16_t)c->node[b];
    const double cl[4][2] = {{lat_sw, lon_sw},
                             {lat_sw, lon_sw + bin},
                             {lat_sw + bin, lon_sw + bin},
                             {lat_sw + bin, lon_sw}};
    const int sh[4] = {9, 6, 3, 0}; /* SW, SE, NE, NW */
    for (int k = 0; k < 4; k++) {
      if ((lv >> sh[k]) & 7) continue;
      double x, y;
      shore_project(v, cl[k][0], cl[k][1], &x, &y);
      if (flood(m, w, h, (int)floor(x), (int)floor(y))) return SIM_ENOMEM;
    }
  }
  return 0;
}

#define ZOOM_PX_PER_DEG 40.0 /* the coarse raster: 400 pixels a 10-degree bin */
#define ZOOM_SEED_STEP 4     /* window pixels between seed candidates */

static int coarse_sea(const uint8_t *m, int w, int h, int x, int y) {
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++) {
      int cx = x + dx, cy = y + dy;
      if (cx < 0 || cx >= w || cy < 0 || cy >= h || m[(size_t)cy * w + cx] != SHORE_SEA) return 0;
    }
  return 1;
}

int shore_raster_zoomed(const shore *c, const shore_view *v, uint8_t *m) {
  int rc = shore_raster(c, v, m);
  if (rc) return rc;
  double bin = c->bin_min / 60.0, pad = 2 / ZOOM_PX_PER_DEG;
  shore_view cv = {floor(v->lon0 / bin) * bin - pad, ceil(v->lon1 / bin) * bin + pad,
                   floor(v->lat0 / bin) * bin - pad, ceil(v->lat1 / bin) * bin + pad, 0, 0};
  cv.w = (int)((cv.lon1 - cv.lon0) * ZOOM_PX_PER_DEG);
  cv.h = (int)((cv.lat1 - cv.lat0) * ZOOM_PX_PER_DEG);
  if (cv.w < 1 || cv.h < 1 || (double)cv.w * cv.h > 16e6) return 0; /* a huge window: as it is */
  uint8_t *cm = malloc((size_t)cv.w * cv.h);
  if (!cm) return SIM_ENOMEM;
  rc = shore_raster(c, &cv, cm);
  for (int y = ZOOM_SEED_STEP / 2; !rc && y < v->h; y += ZOOM_SEED_STEP)
    for (int x = ZOOM_SEED_STEP / 2; !rc && x < v->w; x += ZOOM_SEED_STEP) {
      if (m[(size_t)y * v->w + x] != SHORE_LAND) continue;
      double lon = v->lon0 + (x + 0.5) / v->w * (v->lon1 - v->lon0);
      double lat = v->lat1 - (y + 0.5) / v->h * (v->lat1 - v->lat0), fx, fy;
      shore_project(&cv, lat, lon, &fx, &fy);
      if (coarse_sea(cm, cv.w, cv.h, (int)floor(fx), (int)floor(fy)))
        rc = flood(m, v->w, v->h, x, y);
    }
  free(cm);
  return rc ? SIM_ENOMEM : 0;
}
