/* shore: coastlines for the map view, from the GSHHG shorelines that Debian's
 * gmt-gshhg-low package installs (binned netCDF-4, an HDF5 file, read through the reader
 * of result files, models/report/report.h). Each 10-degree bin holds pieces of
 * shoreline as points relative to its south-west corner, and the level (sea 0, land 1,
 * ...) of its four corners. shore_raster draws the
 * shorelines of a lat/lon window into a land/sea mask: lines first, then the sea
 * flooded from every bin corner the file marks as sea.
 *
 * Ownership: shore_open returns a shore owned by the caller (shore_free). */
#ifndef VIZ_SHORE_H
#define VIZ_SHORE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

#define SHORE_FILE "/usr/share/gmt-gshhg/binned_GSHHS_l.nc"

typedef struct shore shore;

/* Returns 0, or SIM_EIO with a one-line message (missing package, unreadable file). */
int shore_open(shore **out, const char *path, sim_error *err);
void shore_free(shore *c);

/* An equirectangular window: lon0..lon1 east, lat0..lat1 north, onto w x h pixels. */
typedef struct shore_view {
  double lon0, lon1, lat0, lat1;
  int w, h;
} shore_view;

enum { SHORE_SEA = 0, SHORE_LAND = 1, SHORE_SHORE = 2 };
/* Fills mask[w * h] (row 0 at the top) with SHORE_SEA, SHORE_LAND or SHORE_SHORE.
 * Returns 0 or SIM_ENOMEM. */
int shore_raster(const shore *c, const shore_view *v, uint8_t *mask);
/* As shore_raster for a window smaller than the file's bins (a few islands), whose bin
 * corners may lie outside it: the sea is flooded in as well from the points a coarse
 * raster of the bins around the window shows as open sea. Returns 0 or SIM_ENOMEM. */
int shore_raster_zoomed(const shore *c, const shore_view *v, uint8_t *mask);
/* Pixel of a point (may lie outside the window). */
void shore_project(const shore_view *v, double lat, double lon, double *x, double *y);

#endif
