/* item: what flows through a customs port: a passenger, a parcel, a consignment, a
 * container or an export declaration. The observable part (declaration or passenger
 * record) is what officers and kernels may look at; the truth part is hidden and is
 * used only to make physical observations (images, echoes) and to score outcomes.
 * Items are plain values owned by the port model; kernels receive const pointers. */
#ifndef MODELS_ITEM_H
#define MODELS_ITEM_H

#include <stdint.h>

/* Channel kinds (the scenario key channels.*.kind, scenarios/README.md). */
typedef enum {
  KIND_GENERIC = 0,
  KIND_PASSENGERS_IN,
  KIND_PASSENGERS_OUT,
  KIND_EXPRESS,
  KIND_MAIL,
  KIND_AIR_CARGO,
  KIND_SEA_CONTAINERS,
  KIND_EXPORTS,
  KIND_N
} item_kind;

/* What is hidden in or about an item. Drugs are physical (they attenuate X-rays and
 * give NQR echoes); the others are declaration frauds or objects. */
typedef enum {
  CONTRA_NONE = 0,
  CONTRA_METH,        /* methamphetamine hydrochloride */
  CONTRA_COCAINE,     /* cocaine hydrochloride */
  CONTRA_HEROIN,
  CONTRA_CANNABIS,
  CONTRA_CURRENCY,    /* undeclared cash over the threshold (departing passengers) */
  CONTRA_GOLD,
  CONTRA_FIREARM,
  CONTRA_N
} item_contraband;

/* How the contraband is hidden: harder concealment lowers every detector's odds. */
typedef enum {
  CONCEAL_NONE = 0,   /* loose in the bag or box */
  CONCEAL_MIXED,      /* among similar-looking goods */
  CONCEAL_SHIELDED,   /* behind metal or dense goods */
  CONCEAL_BODY,       /* on the body (passengers) */
  CONCEAL_N
} item_concealment;

/* Goods declaration (express, mail, air cargo, sea containers, exports). Values in yen. */
typedef struct item_declaration {
  int32_t hs6;            /* HS code, 6 digits (chapter = hs6 / 10000) */
  int32_t origin;         /* origin country code (index into the generator's table) */
  int32_t office;         /* customs office code */
  int32_t importer;       /* importer (or exporter) id */
  int32_t declarant;      /* declarant (broker) id */
  int32_t quantity;
  double gross_kg;
  double fob_jpy;         /* declared free-on-board value */
  double cif_jpy;         /* declared cost-insurance-freight value */
  double taxes_jpy;       /* duty and consumption tax as declared */
  uint8_t aeo;            /* importer or declarant is an Authorized Economic Operator */
  uint8_t advance_data;   /* data arrived before the goods (platform, manifest) */
  uint8_t electronic_docs;/* documents and certificates arrived as data */
  uint8_t other_agency;   /* also under other agencies' laws (food, plant, animal) */
  uint8_t perishable;
  uint8_t category;       /* 1 immediate permit, 2 document examination, 3 inspection */
} item_declaration;

/* Passenger record: never nationality. */
typedef struct item_passenger {
  int32_t route;          /* origin airport or route code */
  int16_t trips_12m;      /* trips in the last 12 months */
  int16_t bags;
  double baggage_kg;
  double taxfree_jpy;     /* tax-free purchases (departing) */
  uint8_t egate_eligible; /* IC passport, nothing to declare, registered */
  uint8_t cashless;       /* pays duty by card or smartphone */
  uint8_t has_dutiable;   /* carries goods over the allowance */
} item_passenger;

/* The hidden truth. */
typedef struct item_truth {
  uint8_t contraband;     /* item_contraband */
  uint8_t concealment;    /* item_concealment */
  uint8_t undervalued;    /* declared value below the true value */
  uint8_t misclassified;  /* HS code chosen to lower the duty */
  uint8_t ipr;            /* counterfeit or otherwise IPR-infringing */
  uint8_t prohibited_export; /* dual-use goods without a licence */
  double contraband_kg;
  double evaded_jpy;      /* tax that the declaration evades */
} item_truth;

typedef struct item {
  uint64_t id;
  uint8_t kind;           /* item_kind */
  double arrival_min;     /* simulated minutes since the run start */
  double mass_kg;         /* what a scanner sees: the whole bag, parcel or container */
  item_declaration decl;
  item_passenger pax;
  item_truth truth;
} item;

/* Whether the truth makes the item illicit (anything an inspection should stop). */
static inline int item_is_illicit(const item *it) {
  return it->truth.contraband != CONTRA_NONE || it->truth.undervalued ||
         it->truth.misclassified || it->truth.ipr || it->truth.prohibited_export;
}

/* The names of the kinds and of the contraband, by value: the one list of each, which
 * the scenario keys (channels.*.kind) and the result file's labels read. */
extern const char *const item_kind_names[KIND_N];
extern const char *const item_contraband_names[CONTRA_N];

const char *item_kind_name(int kind);      /* "?" if out of range */
int item_kind_from_name(const char *name); /* -1 if unknown */
const char *item_contraband_name(int c);   /* "?" if out of range */
/* The name of kind i, NULL past the last (a key's allowed values, schema.h). */
const char *item_kind_name_at(int i);

#endif
