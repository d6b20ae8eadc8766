/* clock: frame pacing of the simulated clock (see clock.h). */
#include "viz/clock.h"

#include <math.h>
#include <stddef.h>

static const double ladder[] = {1,   2,    5,    10,   20,   30,   60,    120,  300,
                                600, 1000, 1800, 3600, 7200, 10000, 14400, 20000};
#define NLADDER (sizeof ladder / sizeof ladder[0])

void clock_init(view_clock *c, double speed, double now_min, double end_min) {
  c->speed = clock_clamp_speed(speed);
  c->paused = 0;
  c->target_min = now_min;
  c->jump_min = -1;
  c->end_min = end_min;
}

double clock_clamp_speed(double speed) {
  if (!(speed >= CLOCK_SPEED_MIN)) return CLOCK_SPEED_MIN; /* NaN too */
  return speed > CLOCK_SPEED_MAX ? CLOCK_SPEED_MAX : speed;
}

double clock_faster(double speed) {
  for (size_t i = 0; i < NLADDER; i++)
    if (ladder[i] > speed * 1.0001) return ladder[i];
  return CLOCK_SPEED_MAX;
}

double clock_slower(double speed) {
  for (size_t i = NLADDER; i-- > 0;)
    if (ladder[i] < speed * 0.9999) return ladder[i];
  return CLOCK_SPEED_MIN;
}

double clock_preset(int digit) {
  static const double preset[9] = {1, 10, 60, 300, 1000, 2000, 3600, 7200, 14400};
  return digit >= 1 && digit <= 9 ? preset[digit - 1] : 60;
}

static double fmin_end(const view_clock *c, double t) { return t > c->end_min ? c->end_min : t; }

double clock_tick(view_clock *c, double real_dt_s, double engine_now) {
  double dt = real_dt_s > 0 ? real_dt_s : 0;
  if (dt > CLOCK_MAX_FRAME_S) dt = CLOCK_MAX_FRAME_S;
  if (c->target_min < engine_now) c->target_min = engine_now;
  if (!c->paused) c->target_min += c->speed * dt / 60.0;
  /* the target may lead the engine by one clamped frame at most: what the engine could
   * not run last frame is dropped, not accumulated */
  double lead = c->speed * CLOCK_MAX_FRAME_S / 60.0;
  if (lead < CLOCK_STEP_MIN) lead = CLOCK_STEP_MIN;
  if (c->target_min > engine_now + lead) c->target_min = engine_now + lead;
  c->target_min = fmin_end(c, c->target_min);
  if (c->jump_min >= 0) {
    if (engine_now >= c->jump_min || engine_now >= c->end_min) {
      c->jump_min = -1;
    } else {
      if (c->target_min < c->jump_min) c->target_min = c->jump_min;
      return c->target_min;
    }
  }
  return c->target_min;
}

void clock_step(view_clock *c, double engine_now) {
  c->paused = 1;
  double base = c->target_min > engine_now ? c->target_min : engine_now;
  c->target_min = fmin_end(c, base + CLOCK_STEP_MIN);
}

void clock_jump(view_clock *c, double engine_now, double by_min) {
  double base = c->jump_min > engine_now ? c->jump_min : engine_now;
  c->jump_min = fmin_end(c, base + by_min);
  if (c->target_min < c->jump_min) c->target_min = c->jump_min;
}

int clock_jumping(const view_clock *c) { return c->jump_min >= 0; }

uint64_t clock_events_cap(double budget_s, double sec_per_event) {
  if (!(sec_per_event > 0) || !(budget_s > 0)) return 5000;
  double n = budget_s / sec_per_event;
  if (n < CLOCK_CAP_MIN) return CLOCK_CAP_MIN;
  if (n > CLOCK_CAP_MAX) return CLOCK_CAP_MAX;
  return (uint64_t)n;
}
