/* recorder_coords: makes every group of the file self-describing for netCDF readers.
 * xarray (and netCDF) open one group at a time and see only the coordinates stored in
 * that group, while a series belongs to the shared axis of its parent group
 * (/series/queue/x -> /series/time). A series is therefore not attached when it is
 * written: the recorder notes it (rec_note_series), and at close each group whose series
 * use scales of another group gets copies of those scales (values and attributes, under
 * the same names), and its series are attached to the copies. A group that already holds
 * something under a scale's name (an entity called `time`) keeps its series attached to
 * the shared scales: it still opens, with named dimensions but without coordinate values.
 *
 * Attaching once, at the end, keeps the close linear in the number of series: moving an
 * attachment from a shared scale to a copy costs a pass over every user of the shared
 * scale, which made the close quadratic. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "sim/recorder_internal.h"

enum { MAX_SCALES = 16 };

struct rec_pending {
  char *dset, *axis, *rep; /* the series, its axis (dimension 1), its replications (0) */
};

/* The scales one group's series use from other groups, and their copies. */
typedef struct remote {
  const char *path[MAX_SCALES];
  hid_t local[MAX_SCALES];
  size_t n;
  bool too_many;
} remote;

static const char *base_of(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* The length of the group part of path: "/series/time" -> 7, "/x" -> 1 (the root). */
static size_t dir_len(const char *path) {
  size_t n = (size_t)(base_of(path) - path);
  return n > 1 ? n - 1 : 1;
}

static bool same_dir(const char *a, const char *b) {
  size_t n = dir_len(a);
  return n == dir_len(b) && strncmp(a, b, n) == 0;
}

int rec_note_series(recorder *r, const char *dset, const char *axis, const char *rep) {
  if (r->npend == r->cappend) {
    size_t cap = r->cappend ? 2 * r->cappend : 32;
    rec_pending *v = realloc(r->pend, cap * sizeof *v);
    if (!v) return -1;
    r->pend = v, r->cappend = cap;
  }
  rec_pending *p = &r->pend[r->npend];
  p->dset = rec_dup(dset), p->axis = rec_dup(axis), p->rep = rec_dup(rep);
  if (!p->dset || !p->axis || !p->rep) {
    free(p->dset), free(p->axis), free(p->rep);
    return -1;
  }
  r->npend++;
  return 0;
}

void rec_pending_free(recorder *r) {
  for (size_t i = 0; i < r->npend; i++)
    free(r->pend[i].dset), free(r->pend[i].axis), free(r->pend[i].rep);
  free(r->pend);
  r->pend = NULL;
  r->npend = r->cappend = 0;
}

static void note_remote(remote *rm, const char *scale, const char *dset) {
  if (same_dir(scale, dset)) return;
  for (size_t i = 0; i < rm->n; i++)
    if (strcmp(rm->path[i], scale) == 0) return;
  if (rm->n == MAX_SCALES) rm->too_many = true;
  else rm->path[rm->n++] = scale;
}

/* Whether the group can take copies of every remote scale under its own name: no
 * object there already, and no two scales of the same name. */
static bool names_free(hid_t g, const remote *rm) {
  if (rm->too_many) return false;
  for (size_t i = 0; i < rm->n; i++) {
    if (H5Lexists(g, base_of(rm->path[i]), H5P_DEFAULT) != 0) return false;
    for (size_t k = 0; k < i; k++)
      if (strcmp(base_of(rm->path[i]), base_of(rm->path[k])) == 0) return false;
  }
  return true;
}

/* The copy of a scale: its values and attributes, without the list of who uses it. */
static hid_t copy_scale(hid_t file, hid_t g, const char *src) {
  hid_t ocpy = H5Pcreate(H5P_OBJECT_COPY), lcpl = H5Pcreate(H5P_LINK_CREATE), d = -1;
  if (ocpy >= 0 && lcpl >= 0 && H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) >= 0 &&
      H5Ocopy(file, src, g, base_of(src), ocpy, lcpl) >= 0)
    d = H5Dopen2(g, base_of(src), H5P_DEFAULT);
  if (d >= 0 && H5Aexists(d, "REFERENCE_LIST") > 0 && H5Adelete(d, "REFERENCE_LIST") < 0)
    H5Dclose(d), d = -1;
  if (ocpy >= 0) H5Pclose(ocpy);
  if (lcpl >= 0) H5Pclose(lcpl);
  return d;
}

/* Attaches dimension dim of d to the group's copy of scale if it has one, else to the
 * scale itself. */
static herr_t attach_dim(hid_t file, hid_t d, unsigned dim, const char *scale, const remote *rm,
                         size_t made) {
  for (size_t i = 0; i < made; i++)
    if (strcmp(rm->path[i], scale) == 0) return H5DSattach_scale(d, rm->local[i], dim);
  hid_t s = H5Dopen2(file, scale, H5P_DEFAULT);
  herr_t rc = s < 0 ? -1 : H5DSattach_scale(d, s, dim);
  if (s >= 0) H5Dclose(s);
  return rc;
}

/* Attaches the series pend[from, to) (one group, the first one's) to their scales. */
static herr_t attach_group(hid_t file, const rec_pending *pend, size_t from, size_t to) {
  const char *first = pend[from].dset;
  size_t glen = dir_len(first);
  char gpath[2048];
  if (glen >= sizeof gpath) return -1;
  memcpy(gpath, first, glen), gpath[glen] = '\0';
  hid_t g = H5Gopen2(file, gpath, H5P_DEFAULT);
  if (g < 0) return -1;
  remote rm = {{NULL}, {0}, 0, false};
  for (size_t i = from; i < to; i++) {
    note_remote(&rm, pend[i].rep, pend[i].dset);
    note_remote(&rm, pend[i].axis, pend[i].dset);
  }
  herr_t rc = 0;
  size_t made = 0;
  if (names_free(g, &rm))
    while (rc >= 0 && made < rm.n) {
      rm.local[made] = copy_scale(file, g, rm.path[made]);
      rc = rm.local[made] < 0 ? -1 : 0;
      made += rc >= 0;
    }
  for (size_t i = from; rc >= 0 && i < to; i++) {
    hid_t d = H5Dopen2(file, pend[i].dset, H5P_DEFAULT);
    rc = d < 0 || attach_dim(file, d, 0, pend[i].rep, &rm, made) < 0 ||
                 attach_dim(file, d, 1, pend[i].axis, &rm, made) < 0
             ? -1
             : 0;
    if (d >= 0) H5Dclose(d);
  }
  for (size_t i = 0; i < made; i++) H5Dclose(rm.local[i]);
  H5Gclose(g);
  return rc;
}

/* By group, then by name within it. */
static int by_dset(const void *a, const void *b) {
  const rec_pending *x = a, *y = b;
  size_t nx = dir_len(x->dset), ny = dir_len(y->dset), n = nx < ny ? nx : ny;
  int c = strncmp(x->dset, y->dset, n);
  if (c == 0 && nx != ny) c = nx < ny ? -1 : 1;
  return c ? c : strcmp(x->dset, y->dset);
}

int rec_attach_series(recorder *r) {
  if (r->npend > 1) qsort(r->pend, r->npend, sizeof *r->pend, by_dset);
  herr_t rc = 0;
  for (size_t i = 0, j; rc >= 0 && i < r->npend; i = j) {
    for (j = i + 1; j < r->npend && same_dir(r->pend[j].dset, r->pend[i].dset);) j++;
    rc = attach_group(r->file, r->pend, i, j);
  }
  rec_pending_free(r);
  return rc < 0 ? -1 : 0;
}
