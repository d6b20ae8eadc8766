/* ct_recon: the CT kernel's two images from their sinograms (see ct_internal.h):
 * filtered back projection (ct_fbp.c), pixel units to 1/cm, passes of a 3x3 mean. The
 * energies share nothing they write (each has its own reconstructor and buffers), so
 * with two threads a helper reconstructs the high energy while the caller does the low
 * one, and the images are the same bit for bit as one after the other. The helper
 * lives as long as the reconstructor and sleeps between scans; when it has not started
 * by the time the low energy is done (the machine is busy), the caller does the high
 * one too rather than wait for it to be scheduled. */
#include "models/kernels/ct.h"
#include "models/kernels/ct_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef double ct_v4d __attribute__((vector_size(32)));

/* One pass of a 3x3 mean of img into out (edge pixels average their in-image
 * neighbours). Interior pixels add their nine neighbours in the same order as the edge
 * loop, from 0, four pixels at a time. */
static void smooth3(const double *img, double *out, int n) {
  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) {
      if (i > 0 && j > 0 && i < n - 1 && j < n - 1) {
        const double *a = img + (size_t)(j - 1) * n + i, *b = a + n, *c = b + n;
        for (; i + 4 < n; i += 4, a += 4, b += 4, c += 4) { /* pixels i .. i + 3 < n - 1 */
          ct_v4d s = {0, 0, 0, 0}, v; /* unrolled, so s stays in registers */
#define CT_ADD4(p) (memcpy(&v, p, sizeof v), s += v)
          CT_ADD4(a - 1), CT_ADD4(a), CT_ADD4(a + 1), CT_ADD4(b - 1), CT_ADD4(b);
          CT_ADD4(b + 1), CT_ADD4(c - 1), CT_ADD4(c), CT_ADD4(c + 1);
#undef CT_ADD4
          s /= 9;
          memcpy(out + (size_t)j * n + i, &s, sizeof s);
        }
        if (i >= n - 1) { /* the row's last pixel is an edge pixel */
          i--;
          continue;
        }
        double s = 0.0 + a[-1];
        s += a[0], s += a[1], s += b[-1], s += b[0], s += b[1], s += c[-1], s += c[0], s += c[1];
        out[j * n + i] = s / 9;
        continue;
      }
      double s = 0;
      int c = 0;
      for (int dj = -1; dj <= 1; dj++)
        for (int di = -1; di <= 1; di++) {
          int y = j + dj, x = i + di;
          if (x >= 0 && y >= 0 && x < n && y < n) s += img[y * n + x], c++;
        }
      out[j * n + i] = s / c;
    }
}

/* v[i] /= dx (pixel units to 1/cm), four divisions at a time (each as the scalar one). */
static void per_cm(double *v, int n, double dx) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    ct_v4d a;
    memcpy(&a, v + i, sizeof a);
    a /= dx;
    memcpy(v + i, &a, sizeof a);
  }
  for (; i < n; i++) v[i] /= dx;
}

typedef struct energy {
  ct_fbp *fbp;
  const double *sino;
  double *img, *tmp; /* the image, and the other buffer of the smoothing passes */
  int rc;
} energy;

struct ct_recon {
  int n, smooth;
  double dx;
  energy e[2];
  int threaded; /* the helper runs */
  pthread_t th;
  pthread_mutex_t lock;
  pthread_cond_t cv;
  int job, done, quit; /* under lock: a run of e[1] asked for, finished; stop */
};

int ct_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}

static void recon_one(ct_recon *r, energy *e) {
  e->rc = ct_fbp_run(e->fbp, e->sino, e->img);
  if (e->rc) return;
  per_cm(e->img, r->n * r->n, r->dx);
  for (int s = 0; s < r->smooth; s++) { /* the passes alternate between two buffers */
    double *t = e->tmp;
    smooth3(e->img, t, r->n);
    e->tmp = e->img, e->img = t;
  }
}

static void *helper(void *arg) {
  ct_recon *r = arg;
  pthread_mutex_lock(&r->lock);
  for (;;) {
    while (!r->job && !r->quit) pthread_cond_wait(&r->cv, &r->lock);
    if (r->quit) break;
    r->job = 0;
    pthread_mutex_unlock(&r->lock);
    recon_one(r, &r->e[1]);
    pthread_mutex_lock(&r->lock);
    r->done = 1;
    pthread_cond_broadcast(&r->cv);
  }
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

int ct_recon_new(ct_recon **out, int n, int views, int filter, double dx, int threads,
                 sim_error *err) {
  *out = NULL;
  ct_recon *r = calloc(1, sizeof *r);
  if (!r) return sim_error_set(err, SIM_ENOMEM, "ct_recon: out of memory");
  r->n = n, r->dx = dx;
  size_t nn = (size_t)n * (size_t)n;
  int rc = 0;
  for (int e = 0; e < 2 && !rc; e++) {
    rc = ct_fbp_new(&r->e[e].fbp, n, views, filter, err);
    r->e[e].img = malloc(sizeof(double) * nn), r->e[e].tmp = malloc(sizeof(double) * nn);
    if (!rc && (!r->e[e].img || !r->e[e].tmp))
      rc = sim_error_set(err, SIM_ENOMEM, "ct_recon: out of memory");
  }
  if (!rc && threads > 1 && !pthread_mutex_init(&r->lock, NULL)) {
    if (pthread_cond_init(&r->cv, NULL)) pthread_mutex_destroy(&r->lock);
    else if (pthread_create(&r->th, NULL, helper, r))
      pthread_cond_destroy(&r->cv), pthread_mutex_destroy(&r->lock);
    else r->threaded = 1; /* otherwise both energies on the calling thread */
  }
  if (rc) return ct_recon_free(r), rc;
  *out = r;
  return 0;
}

void ct_recon_free(ct_recon *r) {
  if (!r) return;
  if (r->threaded) {
    pthread_mutex_lock(&r->lock);
    r->quit = 1;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->th, NULL);
    pthread_cond_destroy(&r->cv), pthread_mutex_destroy(&r->lock);
  }
  for (int e = 0; e < 2; e++) ct_fbp_free(r->e[e].fbp), free(r->e[e].img), free(r->e[e].tmp);
  free(r);
}

int ct_recon_run(ct_recon *r, const double *s0, const double *s1, int smooth) {
  r->e[0].sino = s0, r->e[1].sino = s1, r->smooth = smooth;
  if (!r->threaded) {
    recon_one(r, &r->e[0]), recon_one(r, &r->e[1]);
  } else {
    pthread_mutex_lock(&r->lock);
    r->job = 1, r->done = 0;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->lock);
    recon_one(r, &r->e[0]);
    pthread_mutex_lock(&r->lock);
    int mine = r->job; /* the helper has not started it (no free core): take it back */
    r->job = 0;
    while (!mine && !r->done) pthread_cond_wait(&r->cv, &r->lock);
    pthread_mutex_unlock(&r->lock);
    if (mine) recon_one(r, &r->e[1]);
  }
  return r->e[0].rc ? r->e[0].rc : r->e[1].rc;
}

const double *ct_recon_image(const ct_recon *r, int e) { return r->e[e ? 1 : 0].img; }
