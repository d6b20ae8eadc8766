/* coastview: the coastline panel for scenarios with a `coast` (models/coast.h): each
 * zone as a square of its area on the shoreline map (or in a row when the scenario
 * gives no positions), coloured by the share of attempts seen; the attempts at sea and
 * those seen; drones and patrol boats moving where their state puts them (searching
 * the zone, going out or back, on their way to a detection, at base, grounded);
 * radars with their range and satellites; detections, interdictions and landings
 * glowing where they happened; a typhoon over a zone; and a table of each zone's
 * figures below. Everything drawn comes from the snapshot (and the spec's static
 * facts), and motion is a function of the simulated time, so a replay moves as the
 * live view did.
 *
 * Ownership: coastview_new returns a panel owned by the caller (coastview_free), freed
 * before its renderer. */
#ifndef VIZ_COASTVIEW_H
#define VIZ_COASTVIEW_H

#include "viz/draw.h"

typedef struct coastview coastview;

/* Without the coastline file the panel still draws (sea only); err says why. */
int coastview_new(coastview **out, sim_error *err);
void coastview_free(coastview *c);
/* 1 if the snapshot has coast zones. */
int coastview_available(const snapshot *s);
/* Draws into v->lay->map. Returns 0 or -1 (out of memory: nothing drawn). */
int coastview_draw(coastview *c, const view_ctx *v);
/* Where zone z was drawn in the last frame (tests), or an empty rectangle. */
SDL_Rect coastview_zone_rect(const coastview *c, int z);

#endif
