/* bench_risk: placeholder until the risk kernel lands. */
#include <stdio.h>
#include "tests/bench/bench.h"
int bench_risk(int argc, char **argv) { (void)argc; (void)argv; printf("risk kernel: not built\n"); return 0; }
