/* bench_ct: placeholder until the ct kernel lands. */
#include <stdio.h>
int bench_kernel_ct(void);
int bench_kernel_ct(void) { printf("ct kernel: not built\n"); return 0; }
