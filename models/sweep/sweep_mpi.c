/* sweep_mpi: the MPI task farm of customs-sweep-mpi (see sweep.h). Every rank parses
 * the same command line; rank 0 checks the plan, runs the sweep or the optimizer and
 * writes the file, handing (variant, replication) tasks to the other ranks while its
 * own threads (-j) take tasks too. A worker runs one replication per task and sends
 * its flat figures back, so rank 0 assembles them in (variant, replication) order
 * whichever rank ran them. Only the main thread of a rank calls MPI (FUNNELED).
 *
 * Messages (all with rank 0): TASK int32[3] {task, variant, replication}; STOP, empty;
 * RESULT double[2 + nval] {task, status, figures...} (figures only when status is 0);
 * TEXT char[], the error message after a RESULT whose status is not 0.
 * Waiting ranks poll with short sleeps rather than spin, so an idle rank leaves its
 * core to the ranks (or rank 0's threads) that compute.
 *
 * Built without CUSTOMS_MPI, the functions are stubs for a single rank. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/sweep/sweep.h"

#ifdef CUSTOMS_MPI
#include <mpi.h>

enum { TAG_TASK = 1, TAG_STOP, TAG_RESULT, TAG_TEXT };

#define GRACE_S 2.0 /* after an interrupt, how long rank 0 waits for tasks still out */

static void nap(void) {
  struct timespec ts = {0, 300000}; /* 0.3 ms */
  nanosleep(&ts, NULL);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int sweep_mpi_init(int *argc, char ***argv, int *rank, int *size) {
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return SIM_ERUN;
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  return provided >= MPI_THREAD_FUNNELED ? 0 : SIM_ERUN;
}

void sweep_mpi_finalize(void) { MPI_Finalize(); }

int sweep_mpi_share_status(int status) {
  MPI_Request rq;
  int flag = 0;
  if (MPI_Ibcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD, &rq) != MPI_SUCCESS) return 1;
  while (MPI_Test(&rq, &flag, MPI_STATUS_IGNORE) == MPI_SUCCESS && !flag) nap();
  return status;
}

/* Waits for a message from rank 0; returns its tag. */
static int wait_message(MPI_Status *st) {
  int flag = 0;
  while (!flag) {
    if (MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, st) != MPI_SUCCESS) return -1;
    if (!flag) nap();
  }
  return st->MPI_TAG;
}

int sweep_mpi_worker(const sweep_plan *pl, const char *why,
                     const volatile sig_atomic_t *interrupt) {
  sweep_cache *c = NULL;
  sim_error e = {0};
  size_t nval = pl ? pl->nval : 0;
  double *buf = malloc((2 + nval) * sizeof *buf);
  if (!buf || (pl && sweep_cache_new(&c, pl, 2, &e))) {
    free(buf);
    return SIM_ENOMEM; /* rank 0 waits for this rank's answers: MPI ends the job */
  }
  int rc = 0;
  for (;;) {
    MPI_Status st;
    int tag = wait_message(&st);
    if (tag == TAG_STOP) {
      MPI_Recv(NULL, 0, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      break;
    }
    int32_t msg[3];
    if (tag != TAG_TASK || MPI_Recv(msg, 3, MPI_INT32_T, 0, TAG_TASK, MPI_COMM_WORLD,
                                    MPI_STATUS_IGNORE) != MPI_SUCCESS) {
      rc = SIM_ERUN;
      break;
    }
    sim_error_clear(&e);
    int trc = pl ? sweep_run_one(c, (sweep_task){msg[1], msg[2]}, interrupt, buf + 2, &e)
                 : sim_error_set(&e, SIM_EINVAL, "%s", why ? why : "this rank could not set up");
    buf[0] = msg[0];
    buf[1] = trc;
    MPI_Send(buf, trc ? 2 : (int)(2 + nval), MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
    if (trc) MPI_Send(e.msg, (int)strlen(e.msg) + 1, MPI_CHAR, 0, TAG_TEXT, MPI_COMM_WORLD);
  }
  sweep_cache_free(c);
  free(buf);
  return rc;
}

/* Stores one RESULT (and its TEXT) from rank src. */
static void take_result(sweep_batch *b, long *held, double *buf, int src) {
  size_t nval = b->x->store->nval;
  MPI_Status st;
  int count = 0;
  MPI_Recv(buf, (int)(2 + nval), MPI_DOUBLE, src, TAG_RESULT, MPI_COMM_WORLD, &st);
  MPI_Get_count(&st, MPI_DOUBLE, &count);
  long i = held[src];
  int rc = (int)buf[1];
  sim_error e = {0};
  if (rc) {
    MPI_Recv(e.msg, (int)sizeof e.msg, MPI_CHAR, src, TAG_TEXT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    e.msg[sizeof e.msg - 1] = '\0';
    e.code = rc;
  } else if ((long)buf[0] != i || (size_t)count != 2 + nval) {
    rc = sim_error_set(&e, SIM_ERUN,
                       "rank %d answered task %ld with %d values (expected task %ld, %zu values)",
                       src, (long)buf[0], count - 2, i, nval);
  } else {
    sweep_task t = b->tasks[i];
    memcpy(b->x->store->vals[t.variant] + (size_t)t.rep * nval, buf + 2, nval * sizeof *buf);
  }
  held[src] = -1;
  sweep_batch_finish(b, (size_t)i, rc, &e, src);
}

int sweep_mpi_coordinate(sweep_batch *b) {
  int ranks = b->x->ranks;
  long *held = malloc((size_t)ranks * sizeof *held);
  double *buf = malloc((2 + b->x->store->nval) * sizeof *buf);
  if (!held || !buf) {
    free(held);
    free(buf);
    atomic_store(&b->stop, 2);
    sim_error_set(&b->err, SIM_ENOMEM, "out of memory");
    return SIM_ENOMEM;
  }
  for (int r = 0; r < ranks; r++) held[r] = -1;
  int out = 0;
  double deadline = -1;
  const volatile sig_atomic_t *in = b->x->interrupt;
  for (;;) {
    for (int r = 1; r < ranks; r++) {
      if (held[r] >= 0) continue;
      long i = sweep_batch_claim(b);
      if (i < 0) break;
      int32_t msg[3] = {(int32_t)i, b->tasks[i].variant, b->tasks[i].rep};
      MPI_Send(msg, 3, MPI_INT32_T, r, TAG_TASK, MPI_COMM_WORLD);
      held[r] = i;
      out++;
    }
    if (out == 0) break;
    MPI_Status st;
    int flag = 0;
    MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
    if (flag) {
      take_result(b, held, buf, st.MPI_SOURCE);
      out--;
      continue;
    }
    if (in && *in && deadline < 0) deadline = now_s() + GRACE_S;
    if (deadline >= 0 && now_s() > deadline) { /* workers did not get the signal: stop waiting */
      b->x->workers_busy = 1;
      break;
    }
    nap();
  }
  free(held);
  free(buf);
  return 0;
}

void sweep_mpi_stop_workers(int ranks) {
  for (int r = 1; r < ranks; r++) MPI_Send(NULL, 0, MPI_INT, r, TAG_STOP, MPI_COMM_WORLD);
}

void sweep_mpi_abort(int status) { MPI_Abort(MPI_COMM_WORLD, status); }

#else /* one rank, no MPI */

int sweep_mpi_init(int *argc, char ***argv, int *rank, int *size) {
  (void)argc, (void)argv;
  *rank = 0;
  *size = 1;
  return 0;
}

void sweep_mpi_finalize(void) {}

int sweep_mpi_share_status(int status) { return status; }

int sweep_mpi_worker(const sweep_plan *pl, const char *why,
                     const volatile sig_atomic_t *interrupt) {
  (void)pl, (void)why, (void)interrupt;
  return SIM_ERUN;
}

int sweep_mpi_coordinate(sweep_batch *b) {
  (void)b;
  return SIM_ERUN;
}

void sweep_mpi_stop_workers(int ranks) { (void)ranks; }

void sweep_mpi_abort(int status) { (void)status; }

#endif
