/* station: what each station type does to an item: whether it applies to the item
 * (or sends it to a fallback), how long the service takes (the type's service-time
 * model), and the decision it makes (a kernel's alarm, a risk selection, a physical
 * inspection that finds, seizes or assesses duty). The station types and their
 * defaults are in one table (station.c) that the scenario validator also uses. */
#ifndef MODELS_STATION_H
#define MODELS_STATION_H

typedef enum {
  ST_QUEUE = 0,       /* generic queue: service only */
  ST_DELAY,           /* a waiting time, no servers (e.g. broker preparing a declaration) */
  ST_COUNTER,         /* manned passenger counter, with cash or cashless duty payment */
  ST_EGATE,           /* electronic declaration gate for eligible passengers */
  ST_RISK,            /* risk screening: scores every declaration, selects by policy */
  ST_DOCUMENTS,       /* document review */
  ST_DOGS,            /* detection-dog teams */
  ST_XRAY,            /* conveyor X-ray (parcels, mail, baggage) */
  ST_CONTAINER_XRAY,  /* large container X-ray */
  ST_CT,              /* X-ray CT */
  ST_NQR,             /* NQR body scan */
  ST_SECONDARY,       /* secondary inspection of passengers (open bag) */
  ST_EXAM,            /* physical examination (opening, devanning) */
  ST_SMARTGLASS,      /* on-site officer assisted by a remote expert */
  ST_IPR_HOLD,        /* IPR certification procedure */
  ST_BONDED,          /* bonded storage: dwell with a holding capacity */
  ST_PAYMENT,         /* duty payment */
  ST_RELEASE,         /* release (permit and exit) */
  ST_HULL,            /* underwater drone searching a vessel's hull for attached cargo */
  ST_NTYPES
} station_type;

/* Which items a station applies to; the others skip it (or go to its fallback). */
typedef enum {
  AP_ALL = 0,
  AP_SELECTED,   /* chosen by risk targeting */
  AP_ALARMED,    /* a detector (X-ray, CT, NQR, dog) alarmed */
  AP_SUSPECT,    /* selected or alarmed */
  AP_CLEAR,      /* neither */
  AP_EGATE,      /* passengers eligible for the E-gate */
  AP_DUTIABLE,   /* duty to pay */
  AP_IPR,        /* an inspection found suspected IPR infringement */
  AP_AEO,
  AP_NON_AEO,
  AP_OTHER_AGENCY, /* goods also under other agencies' laws (food, plants, animals) */
  AP_PERISHABLE,
  AP_N
} station_applies;

typedef struct station_type_info {
  const char *name;
  int applies;     /* default station_applies */
  int stage;       /* Time Release Study stage: 1 arrival..declaration, 2 declaration..permit,
                      3 permit..exit */
  int unlimited;   /* default: no servers, every item served at once */
  int inspects;    /* a physical inspection: can find, seize and assess */
  const char *kernel; /* default decision kernel, or NULL */
  const char *help;
} station_type_info;

const station_type_info *station_type_of(int type);
int station_type_from_name(const char *name);     /* -1 if unknown */
int station_applies_from_name(const char *name);  /* -1 if unknown */
const char *station_applies_name(int a);
/* The name of type i and of applies-to value i, NULL past the last: the allowed values
 * of stations.*.type and stations.*.applies_to (schema.h) come from this file. */
const char *station_type_name_at(int i);
const char *station_applies_name_at(int i);

#endif
