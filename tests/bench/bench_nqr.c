/* bench_nqr: placeholder until the nqr kernel lands. */
#include <stdio.h>
int bench_kernel_nqr(void);
int bench_kernel_nqr(void) { printf("nqr kernel: not built\n"); return 0; }
