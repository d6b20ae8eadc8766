/* kpi_table: the KPI table customs-sim prints at the end of a run (means and, with
 * several replications, 95% confidence half-widths). */
#ifndef MODELS_CLI_KPI_TABLE_H
#define MODELS_CLI_KPI_TABLE_H

#include <stdio.h>

#include "models/kpi.h"
#include "models/scenario/spec.h"

void kpi_table_print(FILE *f, const spec *sp, const kpi_run *runs, int nrep);

#endif
