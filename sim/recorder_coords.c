/* recorder_coords: makes every group of the file self-describing for netCDF readers.
 * xarray (and netCDF) open one group at a time and see only the coordinates stored in
 * that group, while a series is attached to the shared axis of its parent group
 * (/series/queue/x -> /series/time). At close, each group whose datasets use dimension
 * scales of another group gets copies of those scales (values and attributes, under the
 * same names), and its datasets are attached to the copies. A group that already holds
 * something under a scale's name (an entity called `time`) is left as it is: it still
 * opens, with named dimensions but without coordinate values. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "sim/recorder_internal.h"

enum { MAX_SCALES = 16 };

typedef struct remote {
  char *path[MAX_SCALES]; /* scales outside the group, in order of first use */
  hid_t local[MAX_SCALES];
  size_t n;
  bool too_many;
} remote;

typedef struct found {
  const char *group;
  remote *rm;
} found;

static const char *base_of(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static bool outside(const char *scale, const char *group) {
  size_t n = (size_t)(base_of(scale) - scale);
  size_t dir = n > 1 ? n - 1 : 1; /* "/series/time" -> "/series", "/x" -> "/" */
  return strlen(group) != dir || strncmp(scale, group, dir) != 0;
}

static char *name_of(hid_t obj) {
  ssize_t n = H5Iget_name(obj, NULL, 0);
  char *s = n > 0 ? malloc((size_t)n + 1) : NULL;
  if (s && H5Iget_name(obj, s, (size_t)n + 1) < 0) free(s), s = NULL;
  return s;
}

static herr_t note_scale(hid_t did, unsigned dim, hid_t dsid, void *data) {
  (void)did, (void)dim;
  found *fd = data;
  remote *rm = fd->rm;
  char *path = name_of(dsid);
  if (!path) return -1;
  bool known = !outside(path, fd->group);
  for (size_t i = 0; !known && i < rm->n; i++) known = strcmp(rm->path[i], path) == 0;
  if (known)
    free(path);
  else if (rm->n == MAX_SCALES)
    free(path), rm->too_many = true;
  else
    rm->path[rm->n++] = path;
  return 0;
}

static int rank_of(hid_t d) {
  hid_t sp = H5Dget_space(d);
  int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
  if (sp >= 0) H5Sclose(sp);
  return rank;
}

/* Calls fn on every dataset of g that is not itself a scale. */
/* Calls fn on every object linked (hard links) from group g, in name order, open. */
static herr_t each_child(hid_t g, herr_t (*fn)(hid_t o, const char *name, void *data),
                         void *data) {
  H5G_info_t info;
  if (H5Gget_info(g, &info) < 0) return -1;
  herr_t rc = 0;
  for (hsize_t i = 0; rc >= 0 && i < info.nlinks; i++) {
    char name[1024];
    H5L_info_t li;
    if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) <
            0 ||
        H5Lget_info(g, name, &li, H5P_DEFAULT) < 0)
      return -1;
    if (li.type != H5L_TYPE_HARD) continue;
    hid_t o = H5Oopen(g, name, H5P_DEFAULT);
    if (o < 0) return -1;
    rc = fn(o, name, data);
    H5Oclose(o);
  }
  return rc;
}

typedef struct on_dataset {
  herr_t (*fn)(hid_t d, void *data);
  void *data;
} on_dataset;

static herr_t if_dataset(hid_t o, const char *name, void *data) {
  (void)name;
  const on_dataset *od = data;
  return H5Iget_type(o) == H5I_DATASET && H5DSis_scale(o) <= 0 ? od->fn(o, od->data) : 0;
}

/* Calls fn on every dataset of group g that is not a dimension scale, in name order. */
static herr_t each_dataset(hid_t g, herr_t (*fn)(hid_t d, void *data), void *data) {
  on_dataset od = {fn, data};
  return each_child(g, if_dataset, &od);
}

static herr_t collect(hid_t d, void *data) {
  int rank = rank_of(d);
  for (int k = 0; k < rank; k++)
    if (H5DSget_num_scales(d, (unsigned)k) > 0 &&
        H5DSiterate_scales(d, (unsigned)k, NULL, note_scale, data) < 0)
      return -1;
  return 0;
}

typedef struct swap {
  remote *rm;
  hid_t file;
} swap;

/* Re-attaches each dimension of d from a remote scale to its local copy. */
static herr_t reattach(hid_t d, void *data) {
  swap *sw = data;
  int rank = rank_of(d);
  for (size_t i = 0; i < sw->rm->n; i++) {
    hid_t src = H5Dopen2(sw->file, sw->rm->path[i], H5P_DEFAULT);
    if (src < 0) return -1;
    herr_t rc = 0;
    for (int k = 0; rc >= 0 && k < rank; k++)
      if (H5DSis_attached(d, src, (unsigned)k) > 0)
        rc = H5DSdetach_scale(d, src, (unsigned)k) < 0
                 ? -1
                 : H5DSattach_scale(d, sw->rm->local[i], (unsigned)k);
    H5Dclose(src);
    if (rc < 0) return -1;
  }
  return 0;
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

static herr_t localize(hid_t file, hid_t g, const char *gpath) {
  remote rm = {{NULL}, {0}, 0, false};
  found fd = {gpath, &rm};
  herr_t rc = each_dataset(g, collect, &fd);
  bool free_names = rc >= 0 && !rm.too_many;
  for (size_t i = 0; free_names && i < rm.n; i++)
    free_names = H5Lexists(g, base_of(rm.path[i]), H5P_DEFAULT) == 0;
  size_t made = 0;
  if (free_names && rm.n > 0) {
    while (rc >= 0 && made < rm.n) {
      rm.local[made] = copy_scale(file, g, rm.path[made]);
      rc = rm.local[made] < 0 ? -1 : 0;
      made += rc >= 0;
    }
    swap sw = {&rm, file};
    if (rc >= 0) rc = each_dataset(g, reattach, &sw);
  }
  for (size_t i = 0; i < made; i++) H5Dclose(rm.local[i]);
  for (size_t i = 0; i < rm.n; i++) free(rm.path[i]);
  return rc;
}

static herr_t walk(hid_t file, hid_t g, const char *gpath);

typedef struct walk_at {
  hid_t file;
  const char *gpath;
} walk_at;

static herr_t if_group(hid_t o, const char *name, void *data) {
  const walk_at *w = data;
  if (H5Iget_type(o) != H5I_GROUP) return 0;
  char sub[2048];
  snprintf(sub, sizeof sub, "%s/%s", strcmp(w->gpath, "/") == 0 ? "" : w->gpath, name);
  return walk(w->file, o, sub);
}

/* Depth first over the groups, in name order. */
static herr_t walk(hid_t file, hid_t g, const char *gpath) {
  walk_at w = {file, gpath};
  herr_t rc = localize(file, g, gpath);
  return rc < 0 ? rc : each_child(g, if_group, &w);
}

int rec_local_scales(hid_t file) {
  hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
  if (root < 0) return -1;
  herr_t rc = walk(file, root, "/");
  H5Gclose(root);
  return rc < 0 ? -1 : 0;
}
