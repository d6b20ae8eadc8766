/* panel: the KPI panel on the right: per channel its grade (green, amber, red against
 * its target), arrivals and releases, inspections and seizures, and two sparklines over
 * the last hours (its queues, and its p95 waiting or release time with the target as a
 * dashed line); below, the disruption in force against its recovery time objective and
 * the drills requested. The panel samples each snapshot into its own ring buffer.
 *
 * Ownership: panel_new returns a panel owned by the caller (panel_free). */
#ifndef VIZ_PANEL_H
#define VIZ_PANEL_H

#include "viz/controls.h"
#include "viz/draw.h"

#define PANEL_SAMPLE_MIN 5.0    /* simulated minutes between samples */
#define PANEL_WINDOW_MIN 720.0  /* the sparklines' span */

typedef struct panel panel;

int panel_new(panel **out, size_t nch);
void panel_free(panel *p);
/* Records s if a sample period has passed since the last one. */
void panel_sample(panel *p, const snapshot *s, const view_hints *hints);
/* The items waiting in channel c's stations (its route and the stations attached to it). */
long panel_channel_queue(const snapshot *s, const view_hints *hints, size_t c);
void panel_draw(const panel *p, const view_ctx *v, const view_drills *drills);

#endif
