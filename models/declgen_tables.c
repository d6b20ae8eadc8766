/* declgen_tables: the generator's constants per HS chapter and per kind of item, with
 * the figures' sources (models/SOURCES.md, "Declaration generator"). Read by declgen.c
 * only, through declgen_internal.h. */
#include "models/declgen_internal.h"

/* HS chapters: typical value and weight of one unit, MFN duty rate (representative
 * rate of the chapter's main lines, Customs Tariff Schedule of Japan; e.g. beef
 * 38.5%, cheese 29.8%, footwear up to 30%), and flags. Values and weights est. */
const dg_chapter dg_chapters[] = {
    {.ch = 2, .uv_jpy = 1200, .kg = 1.0f, .duty = .385f, .food = 1, .perish = 1},
    {.ch = 3, .uv_jpy = 1500, .kg = 1.0f, .duty = .035f, .food = 1, .perish = 1},
    {.ch = 4, .uv_jpy = 1000, .kg = 1.0f, .duty = .298f, .food = 1, .perish = 1},
    {.ch = 8, .uv_jpy = 500, .kg = 1.0f, .duty = .06f, .food = 1, .perish = 1},
    {.ch = 9, .uv_jpy = 2000, .kg = .5f, .duty = .03f, .food = 1},
    {.ch = 21, .uv_jpy = 2500, .kg = .4f, .duty = .12f, .food = 1},
    {.ch = 22, .uv_jpy = 1500, .kg = 1.2f, .duty = .15f, .food = 1},
    {.ch = 28, .uv_jpy = 1500, .kg = 1.0f, .duty = .03f, .dual = 1},
    {.ch = 29, .uv_jpy = 3000, .kg = 1.0f, .duty = .03f, .dual = 1},
    {.ch = 30, .uv_jpy = 5000, .kg = .2f, .duty = 0, .food = 1},
    {.ch = 33, .uv_jpy = 3000, .kg = .2f, .duty = .02f, .ipr = 1, .food = 1},
    {.ch = 39, .uv_jpy = 400, .kg = .3f, .duty = .039f},
    {.ch = 42, .uv_jpy = 8000, .kg = .8f, .duty = .10f, .ipr = 1},
    {.ch = 44, .uv_jpy = 300, .kg = 5.0f, .duty = .03f},
    {.ch = 49, .uv_jpy = 2000, .kg = .5f, .duty = 0},
    {.ch = 61, .uv_jpy = 2500, .kg = .3f, .duty = .109f, .ipr = 1},
    {.ch = 62, .uv_jpy = 4000, .kg = .4f, .duty = .091f, .ipr = 1},
    {.ch = 64, .uv_jpy = 6000, .kg = .9f, .duty = .30f, .ipr = 1},
    {.ch = 71, .uv_jpy = 30000, .kg = .05f, .duty = .05f, .ipr = 1},
    {.ch = 73, .uv_jpy = 300, .kg = 1.0f, .duty = .02f},
    {.ch = 84, .uv_jpy = 50000, .kg = 10.f, .duty = .01f, .dual = 1},
    {.ch = 85, .uv_jpy = 10000, .kg = .5f, .duty = .01f, .ipr = 1, .dual = 1},
    {.ch = 87, .uv_jpy = 20000, .kg = 5.0f, .duty = .01f},
    {.ch = 90, .uv_jpy = 30000, .kg = 1.0f, .duty = .01f, .dual = 1},
    {.ch = 91, .uv_jpy = 15000, .kg = .1f, .duty = .01f, .ipr = 1},
    {.ch = 94, .uv_jpy = 10000, .kg = 10.f, .duty = .02f},
    {.ch = 95, .uv_jpy = 3000, .kg = .4f, .duty = .039f, .ipr = 1},
};
_Static_assert(sizeof dg_chapters / sizeof dg_chapters[0] == DG_NCH, "DG_NCH: the chapter count");

/* Chapter mix per channel (rows follow item_kind; est. from the e-commerce goods
 * named in the Action Plan and Japan's import structure). */
const float dg_mix[KIND_N][DG_NCH] = {
    [KIND_EXPRESS] = {0, 0, 0, 0, 2, 8, 1, 0, 0, 4, 12, 6, 6, 0, 2, 10, 8, 6, 3, 2, 2, 14,
                      1, 3, 3, 2, 5},
    [KIND_MAIL] = {0, 0, 0, 0, 4, 10, 0, 0, 0, 5, 12, 5, 5, 0, 8, 12, 8, 5, 3, 2, 0, 10,
                   0, 1, 3, 0, 7},
    [KIND_AIR_CARGO] = {0, 5, 2, 3, 0, 3, 0, 3, 6, 10, 4, 3, 3, 0, 0, 4, 4, 2, 4, 0, 14,
                        18, 4, 10, 2, 0, 2},
    [KIND_SEA_CONTAINERS] = {5, 4, 3, 4, 3, 4, 3, 4, 5, 0, 2, 8, 2, 5, 0, 4, 4, 3, 0, 8,
                             10, 8, 6, 0, 0, 6, 3},
    [KIND_EXPORTS] = {0, 0, 0, 0, 0, 0, 0, 4, 8, 3, 5, 6, 0, 0, 0, 0, 0, 0, 0, 6, 22, 20,
                      18, 8, 0, 0, 0},
};

/* Rates per declaration (or passenger; sources: models/SOURCES.md, "Declaration generator"):
 * - IPR: 33,019 cases in 2024, 87.7% by post: ~29,000 over ~140 M mail items = 2.1e-4;
 *   the rest over ~190 M import permits = 2.1e-5.
 * - drugs: mail ~544 cases a year (272 in H1 2024) over 140 M items = 3.9e-6; arriving
 *   passengers 6.6 per million (est.); air cargo 577 cases 2018-22 over
 *   est. 10 M declarations a year = 1.2e-5; sea cargo 62 cases in 5 years over est.
 *   5 M containers a year = 2.5e-6; express est. 1e-6. These are detected cases, a
 *   lower bound on the true rate.
 * - undervaluation, misclassification, gold, cash, tax-free resale, dual-use exports:
 *   no published per-declaration rate; est.
 * Drug amounts (median kg; lognormal, sd of log 1): meth 2024 by route, sea cargo
 * 1,015 kg, air cargo 394, air passengers 311, mail 41, over tens to hundreds of
 * cases, hence est. 80, 3, 1.5 and 0.3 kg a case. */
const dg_kind dg_kinds[KIND_N] = {
    [KIND_PASSENGERS_IN] =
        {.q_med = 1, .q_sd = 0, .freight = 0, .pack_kg = 0, .drug_kg = 1.5,
         .importers = 0, .declarants = 0, .origins = 60, .offices = 6,
         .advance = 0, .edocs = 0, .aeo = 0,
         .rate = {[DECLGEN_UNDERVALUED] = .01, [DECLGEN_MISCLASSIFIED] = 0,
                  [DECLGEN_IPR] = 1e-4, [DECLGEN_DRUGS] = 6.6e-6, [DECLGEN_SMUGGLED] = 3e-6}},
    [KIND_PASSENGERS_OUT] =
        {.q_med = 1, .q_sd = 0, .freight = 0, .pack_kg = 0, .drug_kg = 0,
         .importers = 0, .declarants = 0, .origins = 60, .offices = 6,
         .advance = 0, .edocs = 0, .aeo = 0,
         .rate = {[DECLGEN_UNDERVALUED] = .002, [DECLGEN_MISCLASSIFIED] = 0,
                  [DECLGEN_IPR] = 0, [DECLGEN_DRUGS] = 0, [DECLGEN_SMUGGLED] = 1e-5}},
    [KIND_EXPRESS] =
        {.q_med = 1.5, .q_sd = .7, .freight = .10, .pack_kg = .2, .drug_kg = .5,
         .importers = 100000, .declarants = 200, .origins = 40, .offices = 8,
         .advance = .6, .edocs = .9, .aeo = .1,
         .rate = {[DECLGEN_UNDERVALUED] = .02, [DECLGEN_MISCLASSIFIED] = .005,
                  [DECLGEN_IPR] = 2.1e-5, [DECLGEN_DRUGS] = 1e-6, [DECLGEN_SMUGGLED] = 0}},
    [KIND_MAIL] =
        {.q_med = 1, .q_sd = .5, .freight = .05, .pack_kg = .1, .drug_kg = .3,
         .importers = 200000, .declarants = 1, .origins = 60, .offices = 6,
         .advance = .3, .edocs = .3, .aeo = 0,
         .rate = {[DECLGEN_UNDERVALUED] = .01, [DECLGEN_MISCLASSIFIED] = .002,
                  [DECLGEN_IPR] = 2.1e-4, [DECLGEN_DRUGS] = 3.9e-6, [DECLGEN_SMUGGLED] = 0}},
    [KIND_AIR_CARGO] =
        {.q_med = 60, .q_sd = 1.5, .freight = .08, .pack_kg = 5, .drug_kg = 3,
         .importers = 20000, .declarants = 500, .origins = 60, .offices = 10,
         .advance = .9, .edocs = .85, .aeo = .25,
         .rate = {[DECLGEN_UNDERVALUED] = .01, [DECLGEN_MISCLASSIFIED] = .005,
                  [DECLGEN_IPR] = 2.1e-5, [DECLGEN_DRUGS] = 1.2e-5, [DECLGEN_SMUGGLED] = 0}},
    [KIND_SEA_CONTAINERS] =
        {.q_med = 2000, .q_sd = 1.5, .freight = .05, .pack_kg = 50, .drug_kg = 80,
         .importers = 20000, .declarants = 500, .origins = 60, .offices = 12,
         .advance = .98, .edocs = .9, .aeo = .3,
         .rate = {[DECLGEN_UNDERVALUED] = .01, [DECLGEN_MISCLASSIFIED] = .005,
                  [DECLGEN_IPR] = 2.1e-5, [DECLGEN_DRUGS] = 2.5e-6, [DECLGEN_SMUGGLED] = 0}},
    [KIND_EXPORTS] =
        {.q_med = 100, .q_sd = 1.5, .freight = .05, .pack_kg = 20, .drug_kg = 0,
         .importers = 10000, .declarants = 300, .origins = 80, .offices = 12,
         .advance = .95, .edocs = .9, .aeo = .3,
         .rate = {[DECLGEN_UNDERVALUED] = 0, [DECLGEN_MISCLASSIFIED] = 0,
                  [DECLGEN_IPR] = 0, [DECLGEN_DRUGS] = 0, [DECLGEN_SMUGGLED] = 1e-4}},
};
