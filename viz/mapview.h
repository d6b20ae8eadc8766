/* mapview: the map view for scenarios with ports at known places: the coastline (shore.h)
 * as land and sea, each port at its coordinates with its state (closed, its grade, items
 * in port and waiting), diversions between ports as moving dots, and a storm's track
 * with its radius at the current time when the scenario gives one. A click on a port
 * opens it (mapview_hit). The land is drawn once per window size into a texture.
 *
 * Ownership: mapview_new returns a map owned by the caller (mapview_free), which must be
 * freed before its renderer. */
#ifndef VIZ_MAPVIEW_H
#define VIZ_MAPVIEW_H

#include "viz/draw.h"

typedef struct mapview mapview;

/* Without the coastline file the map still draws (sea only); err says why. */
int mapview_new(mapview **out, sim_error *err);
void mapview_free(mapview *m);
/* 1 if the snapshot has a port with a location. */
int mapview_available(const snapshot *s);
/* Draws into v->lay->map. Returns 0 or -1 (out of memory: nothing drawn). */
int mapview_draw(mapview *m, const view_ctx *v);
/* The port drawn at (x, y) in the last frame, or -1. */
int mapview_hit(const mapview *m, int x, int y);
/* Share of land pixels in the last raster (tests: a map of Japan has land and sea). */
double mapview_land_share(const mapview *m);

#endif
