/* item: names of the item enumerations, the one list of each (see item.h). */
#include "models/item.h"

#include <string.h>

const char *const item_kind_names[KIND_N] = {
    [KIND_GENERIC] = "generic",
    [KIND_PASSENGERS_IN] = "passengers_in",
    [KIND_PASSENGERS_OUT] = "passengers_out",
    [KIND_EXPRESS] = "express",
    [KIND_MAIL] = "mail",
    [KIND_AIR_CARGO] = "air_cargo",
    [KIND_SEA_CONTAINERS] = "sea_containers",
    [KIND_EXPORTS] = "exports",
};

const char *const item_contraband_names[CONTRA_N] = {
    [CONTRA_NONE] = "none",         [CONTRA_METH] = "meth",
    [CONTRA_COCAINE] = "cocaine",   [CONTRA_HEROIN] = "heroin",
    [CONTRA_CANNABIS] = "cannabis", [CONTRA_CURRENCY] = "currency",
    [CONTRA_GOLD] = "gold",         [CONTRA_FIREARM] = "firearm",
};

const char *item_kind_name(int kind) {
  return kind >= 0 && kind < KIND_N ? item_kind_names[kind] : "?";
}

const char *item_kind_name_at(int i) { return i >= 0 && i < KIND_N ? item_kind_names[i] : NULL; }

int item_kind_from_name(const char *name) {
  for (int k = 0; k < KIND_N; k++)
    if (!strcmp(item_kind_names[k], name)) return k;
  return -1;
}

const char *item_contraband_name(int c) {
  return c >= 0 && c < CONTRA_N ? item_contraband_names[c] : "?";
}
