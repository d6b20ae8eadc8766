/* item: names of the item enumerations (see item.h). */
#include "models/item.h"

#include <string.h>

static const char *const kind_names[KIND_N] = {
    "generic", "passengers_in", "passengers_out", "express",
    "mail",    "air_cargo",     "sea_containers", "exports"};

static const char *const contra_names[CONTRA_N] = {
    "none", "meth", "cocaine", "heroin", "cannabis", "currency", "gold", "firearm"};

const char *item_kind_name(int kind) {
  return kind >= 0 && kind < KIND_N ? kind_names[kind] : "?";
}

int item_kind_from_name(const char *name) {
  for (int k = 0; k < KIND_N; k++)
    if (!strcmp(kind_names[k], name)) return k;
  return -1;
}

const char *item_contraband_name(int c) {
  return c >= 0 && c < CONTRA_N ? contra_names[c] : "?";
}
