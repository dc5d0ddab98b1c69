/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod save: images from storage to docker-archive, oci-archive, an OCI
 * layout directory, or a `dir:` directory.  Layers are written
 * uncompressed, rebuilt byte for byte from tar-split, so their digests are
 * the config's diff IDs and the image ID (config digest) is unchanged.
 * Archives go to a temporary file renamed into place only when complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/image.h>

#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/save-dest.h"
#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct saved_image {
        char id[65];
        char *config;
        size_t config_len;
        char **layers;   /* layer IDs, base first */
        char **diff_ids; /* "sha256:..." per layer */
        int64_t *sizes;
        char **names;
};

static void saved_image_clear(struct saved_image *im)
{
        free(im->config);
        strv_free(im->layers);
        strv_free(im->diff_ids);
        free(im->sizes);
        strv_free(im->names);
        memset(im, 0, sizeof(*im));
}

/*
 * As podman: the archive names the image by the name it was asked for (resolved: "busybox" is saved
 * as localhost/busybox:latest); asked for by ID or digest, it carries no name.
 */
static int collect(struct store *s, const char *name, struct saved_image *im, cpod_error_t *err)
{
        struct image_rec r;
        _cleanup_strv_ char **chain = NULL;
        _cleanup_free_ char *matched = NULL;
        size_t n;

        if (image_lookup_store_name(s, name, im->id, &matched, err) < 0 || image_refuse_list(s, im->id, err) < 0 ||
            store_image_get(s, im->id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        im->names = xnew0(char *, 1);
        if (matched)
                strv_add(&im->names, matched);
        if (r.top_layer && store_layer_chain(s, r.top_layer, &chain, err) < 0) {
                image_rec_clear(&r);
                return cpod_error_rc(err, -EIO);
        }
        image_rec_clear(&r);
        if (store_image_bigdata(s, im->id, "config", &im->config, &im->config_len, err) < 0)
                return cpod_error_rc(err, -EIO);
        n = strv_length(chain);
        im->layers = xnew0(char *, n + 1);
        im->diff_ids = xnew0(char *, n + 1);
        im->sizes = xnew0(int64_t, n + 1);
        for (size_t i = 0; i < n; i++) {
                struct layer l;
                if (store_layer_get(s, chain[n - 1 - i], &l, err) < 0)
                        return cpod_error_rc(err, -EIO);
                im->layers[i] = xstrdup(l.id);
                im->diff_ids[i] = xstrdup(l.diff_id);
                im->sizes[i] = l.size;
                layer_clear(&l);
        }
        return 0;
}

/* A second name of an image already collected: its name joins the first entry's. */
static bool is_duplicate(struct saved_image *ims, size_t k)
{
        for (size_t i = 0; i < k; i++)
                if (strcmp(ims[i].id, ims[k].id) == 0) {
                        for (char **nm = ims[k].names; nm && *nm; nm++)
                                if (!strv_contains(ims[i].names, *nm))
                                        strv_add(&ims[i].names, *nm);
                        return true;
                }
        return false;
}

static int put_layer_cb(void *ud, const void *buf, size_t len)
{
        return dest_write(ud, buf, len);
}

static int put_layer(struct store *s, struct dest *d, const char *name, const struct saved_image *im, size_t i,
                     cpod_error_t *err)
{
        if (dest_begin(d, name, (uint64_t)im->sizes[i], err) < 0)
                return cpod_error_rc(err, -EIO);
        if (store_layer_tar(s, im->layers[i], put_layer_cb, d, err) < 0)
                return cpod_error_rc(err, -EIO);
        return dest_end(d, err);
}

static int put_bytes(struct dest *d, const char *name, const void *data, size_t len, cpod_error_t *err)
{
        if (dest_begin(d, name, len, err) < 0 || dest_write(d, data, len) < 0)
                return dest_error(d, err);
        return dest_end(d, err);
}

static json_t *layer_descs(const struct saved_image *im, const char *mt)
{
        json_t *a = json_array();

        for (size_t i = 0; im->diff_ids[i]; i++)
                json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "mediaType", mt, "size", (json_int_t)im->sizes[i],
                                                   "digest", im->diff_ids[i]));
        return a;
}

static char *make_manifest(const struct saved_image *im, bool oci)
{
        char cd[DIGEST_STR_MAX];
        json_t *m;
        char *s;

        digest_buf(im->config, im->config_len, cd);
        m = json_pack("{s:i, s:s, s:{s:s, s:I, s:s}, s:o}", "schemaVersion", 2, "mediaType",
                      oci ? MT_OCI_MANIFEST : MT_DOCKER_MANIFEST, "config", "mediaType",
                      oci ? MT_OCI_CONFIG : MT_DOCKER_CONFIG, "size", (json_int_t)im->config_len, "digest", cd,
                      "layers", layer_descs(im, oci ? MT_OCI_LAYER : "application/vnd.docker.image.rootfs.diff.tar"));
        s = json_dump_compact(m);
        json_decref(m);
        return s;
}

/* OCI layout: blobs/sha256/<hex> for layers, config and manifest; the caller writes index.json. */
static int save_oci_image(struct store *s, struct dest *d, const struct saved_image *im, json_t *index,
                          cpod_error_t *err)
{
        _cleanup_free_ char *manifest = make_manifest(im, true), *cpath = NULL, *mpath = NULL;
        char md[DIGEST_STR_MAX], cd[DIGEST_STR_MAX];
        json_t *desc;

        for (size_t i = 0; im->layers[i]; i++) {
                _cleanup_free_ char *p = xasprintf("blobs/sha256/%s", digest_hex(im->diff_ids[i]));
                if (!dest_has(d, p) && put_layer(s, d, p, im, i, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        digest_buf(im->config, im->config_len, cd);
        digest_buf(manifest, strlen(manifest), md);
        cpath = xasprintf("blobs/sha256/%s", digest_hex(cd));
        mpath = xasprintf("blobs/sha256/%s", digest_hex(md));
        if (put_bytes(d, cpath, im->config, im->config_len, err) < 0 ||
            put_bytes(d, mpath, manifest, strlen(manifest), err) < 0)
                return cpod_error_rc(err, -EIO);
        desc = json_pack("{s:s, s:s, s:I}", "mediaType", MT_OCI_MANIFEST, "digest", md, "size",
                         (json_int_t)strlen(manifest));
        if (im->names && im->names[0])
                json_object_set_new(desc, "annotations",
                                    json_pack("{s:s}", "org.opencontainers.image.ref.name", im->names[0]));
        json_array_append_new(json_object_get(index, "manifests"), desc);
        return 0;
}

static int save_oci(struct store *s, struct dest *d, struct saved_image *ims, size_t n, cpod_error_t *err)
{
        static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
        _cleanup_json_ json_t *index = json_pack("{s:i, s:[]}", "schemaVersion", 2, "manifests");
        _cleanup_free_ char *idx = NULL;

        if (put_bytes(d, "oci-layout", layout, strlen(layout), err) < 0 || dest_dir(d, "blobs/", err) < 0 ||
            dest_dir(d, "blobs/sha256/", err) < 0)
                return cpod_error_rc(err, -EIO);
        for (size_t i = 0; i < n; i++)
                if (save_oci_image(s, d, &ims[i], index, err) < 0)
                        return cpod_error_rc(err, -EIO);
        idx = json_dump_compact(index);
        return put_bytes(d, "index.json", idx, strlen(idx), err);
}

static int save_docker_image(struct store *s, struct dest *d, const struct saved_image *im, json_t *manifest,
                             json_t *repos, cpod_error_t *err)
{
        json_t *layers = json_array();
        _cleanup_free_ char *cfg = xasprintf("%s.json", im->id);

        json_array_append_new(manifest, json_pack("{s:s, s:o, s:o}", "Config", cfg, "RepoTags",
                                                  json_strv(im->names, -1), "Layers", layers));
        for (size_t i = 0; im->layers[i]; i++) {
                _cleanup_free_ char *p = xasprintf("%s.tar", digest_hex(im->diff_ids[i]));
                json_array_append_new(layers, json_string(p));
                if (!dest_has(d, p) && put_layer(s, d, p, im, i, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        for (char **nm = im->names; nm && *nm; nm++) {
                const char *colon = strrchr(*nm, ':');
                _cleanup_free_ char *repo = colon ? xstrndup(*nm, (size_t)(colon - *nm)) : xstrdup(*nm);
                json_t *tags = json_object_get(repos, repo);
                if (!tags)
                        json_object_set_new(repos, repo, tags = json_object());
                json_object_set_new(tags, colon ? colon + 1 : "latest", json_string(im->id));
        }
        return put_bytes(d, cfg, im->config, im->config_len, err);
}

static int save_docker_archive(struct store *s, struct dest *d, struct saved_image *ims, size_t n, cpod_error_t *err)
{
        _cleanup_json_ json_t *manifest = json_array(), *repos = json_object();
        _cleanup_free_ char *m = NULL, *r = NULL;

        for (size_t i = 0; i < n; i++)
                if (save_docker_image(s, d, &ims[i], manifest, repos, err) < 0)
                        return cpod_error_rc(err, -EIO);
        m = json_dump_compact(manifest);
        r = json_dump_compact(repos);
        if (put_bytes(d, "manifest.json", m, strlen(m), err) < 0)
                return cpod_error_rc(err, -EIO);
        return put_bytes(d, "repositories", r, strlen(r), err);
}

static int save_docker_dir(struct store *s, struct dest *d, const struct saved_image *im, cpod_error_t *err)
{
        static const char version[] = "Directory Transport Version: 1.1\n";
        _cleanup_free_ char *manifest = make_manifest(im, false);
        char cd[DIGEST_STR_MAX];

        for (size_t i = 0; im->layers[i]; i++)
                if (put_layer(s, d, digest_hex(im->diff_ids[i]), im, i, err) < 0)
                        return cpod_error_rc(err, -EIO);
        digest_buf(im->config, im->config_len, cd);
        if (put_bytes(d, digest_hex(cd), im->config, im->config_len, err) < 0 ||
            put_bytes(d, "manifest.json", manifest, strlen(manifest), err) < 0)
                return cpod_error_rc(err, -EIO);
        return put_bytes(d, "version", version, strlen(version), err);
}

static int save_all(struct store *s, enum cpod_save_format fmt, struct dest *d, struct saved_image *ims, size_t n,
                    cpod_error_t *err)
{
        switch (fmt) {
        case CPOD_SAVE_DOCKER_ARCHIVE:
                return save_docker_archive(s, d, ims, n, err);
        case CPOD_SAVE_DOCKER_DIR:
                return save_docker_dir(s, d, &ims[0], err);
        default:
                return save_oci(s, d, ims, n, err);
        }
}

/* To path, or to fd when path is NULL; refname, when not NULL, is the only name the result carries. */
static int save(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt, const char *path, int fd,
                const char *refname, bool events, cpod_error_t *err)
{
        struct store *s;
        size_t n = strv_length(names);
        struct saved_image *ims = xnew0(struct saved_image, n + 1);
        struct dest *d = NULL;
        size_t k = 0; /* distinct images */
        int r = 0;

        if (rt_store(rt, &s, err) < 0)
                r = -EIO;
        for (size_t i = 0; r == 0 && i < n; i++) {
                r = collect(s, names[i], &ims[k], err);
                if (r == 0 && refname) { /* the destination names the image (push oci:PATH:REF) */
                        ims[k].names = strv_free(ims[k].names);
                        strv_add(&ims[k].names, refname);
                }
                if (r == 0 && is_duplicate(ims, k)) /* two names of one image: one entry carries its names */
                        saved_image_clear(&ims[k]);
                else
                        k++;
        }
        if (r == 0 && path)
                r = dest_open(path, fmt == CPOD_SAVE_OCI_DIR || fmt == CPOD_SAVE_DOCKER_DIR, &d, err);
        else if (r == 0)
                d = dest_open_fd(fd);
        if (r == 0)
                r = save_all(s, fmt, d, ims, k, err);
        if (d)
                r = dest_close(d, r == 0, r == 0 ? err : NULL) < 0 && r == 0 ? -EIO : r;
        for (size_t i = 0; r == 0 && events && i < k; i++)
                rt_event_simple(rt, "image", "save", ims[i].id, path ? path : "");
        for (size_t i = 0; i < n; i++)
                saved_image_clear(&ims[i]);
        free(ims);
        return r;
}

int cpod_image_save(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt, const char *path,
                    cpod_error_t *err)
{
        return save(rt, names, fmt, path, -1, NULL, true, err);
}

int image_save(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt, const char *path, bool events,
               cpod_error_t *err)
{
        return save(rt, names, fmt, path, -1, NULL, events, err);
}

int image_save_as(struct cpod_runtime *rt, const char *name, enum cpod_save_format fmt, const char *path,
                  const char *refname, cpod_error_t *err)
{
        char *names[] = { (char *)name, NULL };

        return save(rt, names, fmt, path, -1, refname, false, err); /* push records its own event */
}

int cpod_image_save_fd(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt, int fd,
                       cpod_error_t *err)
{
        if (fmt != CPOD_SAVE_DOCKER_ARCHIVE && fmt != CPOD_SAVE_OCI_ARCHIVE)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "only archives can be written to a stream");
        return save(rt, names, fmt, NULL, fd, NULL, true, err);
}
