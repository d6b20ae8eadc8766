/* clock: how far the engine should run each frame. The presenter sets a speed (simulated
 * seconds per real second); each frame the target time moves by speed times the real
 * time elapsed, clamped so one slow frame (a window drag, a page fault) cannot ask for a
 * huge leap, and the target never leads the engine by more than one clamped frame, so an
 * engine that cannot keep up slows the show down instead of spiralling. Jumps (an hour,
 * a day) are spread over frames under the same per-frame event cap. Pure. */
#ifndef VIZ_CLOCK_H
#define VIZ_CLOCK_H

#include <stdint.h>

#define CLOCK_MAX_FRAME_S 0.25  /* real time credited to one frame at most */
#define CLOCK_SPEED_MIN 1.0     /* real time */
#define CLOCK_SPEED_MAX 20000.0 /* about 5.5 simulated hours per real second */
#define CLOCK_STEP_MIN 1.0      /* 's' while paused */
#define CLOCK_CAP_MIN 200       /* events per frame, bounds of the adaptive cap */
#define CLOCK_CAP_MAX 400000

typedef struct view_clock {
  double speed;      /* simulated seconds per real second */
  int paused;
  double target_min; /* where the engine should be after this frame */
  double jump_min;   /* a pending jump's destination, or < 0 */
  double end_min;    /* the run's end; the target never passes it */
} view_clock;

void clock_init(view_clock *c, double speed, double now_min, double end_min);
double clock_clamp_speed(double speed);
/* The speed ladder behind +/- and the digit keys 1..9. */
double clock_faster(double speed);
double clock_slower(double speed);
double clock_preset(int digit); /* 1..9; anything else gives the 60x default */

/* Moves the target by the frame's real time and returns the time to run the engine to.
 * engine_now: where the engine is (it may lag the previous target). */
double clock_tick(view_clock *c, double real_dt_s, double engine_now);
/* Pauses and moves the target one simulated minute on. */
void clock_step(view_clock *c, double engine_now);
/* Asks to be by_min further on than the engine (or a pending jump) is. */
void clock_jump(view_clock *c, double engine_now, double by_min);
int clock_jumping(const view_clock *c);

/* Events one frame may run: the real-time budget over the measured cost of one event
 * (seconds, <= 0: not measured yet), within [CLOCK_CAP_MIN, CLOCK_CAP_MAX]. */
uint64_t clock_events_cap(double budget_s, double sec_per_event);

#endif
