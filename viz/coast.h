/* coast: coastlines for the map view, from the GSHHG shorelines that Debian's
 * gmt-gshhg-low package installs (binned netCDF-4, read with the HDF5 library). Each
 * 10-degree bin holds pieces of shoreline as points relative to its south-west corner,
 * and the level (sea 0, land 1, ...) of its four corners. coast_raster draws the
 * shorelines of a lat/lon window into a land/sea mask: lines first, then the sea
 * flooded from every bin corner the file marks as sea.
 *
 * Ownership: coast_open returns a coast owned by the caller (coast_free). */
#ifndef VIZ_COAST_H
#define VIZ_COAST_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

#define COAST_FILE "/usr/share/gmt-gshhg/binned_GSHHS_l.nc"

typedef struct coast coast;

/* Returns 0, or SIM_EIO with a one-line message (missing package, unreadable file). */
int coast_open(coast **out, const char *path, sim_error *err);
void coast_free(coast *c);

/* An equirectangular window: lon0..lon1 east, lat0..lat1 north, onto w x h pixels. */
typedef struct coast_view {
  double lon0, lon1, lat0, lat1;
  int w, h;
} coast_view;

enum { COAST_SEA = 0, COAST_LAND = 1, COAST_SHORE = 2 };
/* Fills mask[w * h] (row 0 at the top) with COAST_SEA, COAST_LAND or COAST_SHORE.
 * Returns 0 or SIM_ENOMEM. */
int coast_raster(const coast *c, const coast_view *v, uint8_t *mask);
/* Pixel of a point (may lie outside the window). */
void coast_project(const coast_view *v, double lat, double lon, double *x, double *y);

#endif
