/* rng: random streams. xoshiro256** registered as a gsl_rng_type, so every GSL
 * distribution (gsl_ran_*) can draw from it, and a derivation of independent streams
 * from (seed, replication, source name): each random source of a model has its own
 * stream, so adding a source does not change what any other source draws (common
 * random numbers that survive model edits).
 *
 * Ownership: rng_stream_new returns a gsl_rng owned by the caller (gsl_rng_free). */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

extern const gsl_rng_type *const rng_xoshiro256ss;

/* A new stream for the source `name` of replication `rep` under `seed`. */
gsl_rng *rng_stream_new(uint64_t seed, uint32_t rep, const char *name);
/* Re-seeds an existing xoshiro stream in place (same derivation). */
void rng_stream_reset(gsl_rng *r, uint64_t seed, uint32_t rep, const char *name);

/* 64-bit FNV-1a hash of a string (stable across platforms and runs). */
uint64_t rng_hash(const char *s);
/* The splitmix64 finaliser: a bijective 64-bit mixer. */
uint64_t rng_mix64(uint64_t x);

/* Fast uniform in (0,1) straight from the xoshiro state (no GSL indirection). */
double rng_uniform_pos(gsl_rng *r);
/* Exponential with the given mean, through rng_uniform_pos. */
double rng_exponential(gsl_rng *r, double mean);

#endif
