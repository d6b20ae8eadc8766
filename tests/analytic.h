/* analytic: textbook queueing formulas the validation tests compare against
 * (Gross and Harris, Fundamentals of Queueing Theory; Kleinrock, Queueing Systems). */
#ifndef TESTS_ANALYTIC_H
#define TESTS_ANALYTIC_H

#include <math.h>

/* Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda/mu. */
static inline double an_erlang_c(int c, double a) {
  double term = 1, sum = 1; /* sum_{k<c} a^k/k! */
  for (int k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  double top = term * a / c / (1 - a / c); /* a^c/c! * 1/(1-rho) */
  return top / (sum + top);
}

/* Mean wait in queue of M/M/c. */
static inline double an_mmc_wq(double lambda, double mu, int c) {
  return an_erlang_c(c, lambda / mu) / (c * mu - lambda);
}

/* Pollaczek-Khinchine mean wait of M/G/1 with service mean m and second moment m2. */
static inline double an_mg1_wq(double lambda, double m, double m2) {
  return lambda * m2 / (2 * (1 - lambda * m));
}

/* Blocking probability of M/M/c/K (K = most present). */
static inline double an_mmck_block(double lambda, double mu, int c, int K) {
  double a = lambda / mu, p[1024], sum = 0;
  p[0] = 1;
  for (int n = 1; n <= K; n++) p[n] = p[n - 1] * a / (n <= c ? n : c);
  for (int n = 0; n <= K; n++) sum += p[n];
  return p[K] / sum;
}

/* Mean time in system of the admitted customers of M/M/c/K (Little: L / lambda_eff). */
static inline double an_mmck_sojourn(double lambda, double mu, int c, int K) {
  double a = lambda / mu, p[1024], sum = 0, L = 0;
  p[0] = 1;
  for (int n = 1; n <= K; n++) p[n] = p[n - 1] * a / (n <= c ? n : c);
  for (int n = 0; n <= K; n++) sum += p[n], L += n * p[n];
  return L / sum / (lambda * (1 - p[K] / sum));
}

#endif
