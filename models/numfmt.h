/* numfmt: numbers and text for people (see numfmt.c). Writes into caller buffers; no
 * allocation, no state. */
#ifndef MODELS_NUMFMT_H
#define MODELS_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A number without an exponent where it matters: 1190, 553.1, 0.893; "n/a" for NaN. */
void numfmt_plain(char *buf, size_t size, double x);
/* "12.3 ± 0.45": the half-width to 2 significant digits, the mean to the same place;
 * the plain mean when there is no interval (NaN half-width) or no variation (0). */
void numfmt_ci(char *buf, size_t size, double mean, double hw);
/* The same for counts: whole numbers ("440 ± 33"). */
void numfmt_count(char *buf, size_t size, double mean, double hw);
/* Figures that count things (units items, persons; not time averages like queue_mean):
 * shown as whole numbers. */
bool numfmt_is_count(const char *fig, const char *units);
/* A figure's cell: "unlimited" for servers < 0, counts whole, others as numfmt_ci. */
void numfmt_figure(char *buf, size_t size, const char *fig, const char *units, double mean,
                   double hw);
/* "1 replication", "4 replications", "1 warm-up day"; returns buf. */
const char *numfmt_count_of(char *buf, size_t size, double n, const char *one, const char *many);
/* Hours as days: "4.1 days", "3 days", "1 day"; returns buf. */
const char *numfmt_days(char *buf, size_t size, double hours);
/* Display width of UTF-8 text (East Asian wide characters count 2). */
size_t numfmt_width(const char *s);
/* Writes s padded with spaces to `width` display columns (right-aligned or not). */
void numfmt_pad(FILE *out, const char *s, size_t width, bool right);

#endif
