/* bench_xray: placeholder until the xray kernel lands. */
#include <stdio.h>
int bench_kernel_xray(void);
int bench_kernel_xray(void) { printf("xray kernel: not built\n"); return 0; }
