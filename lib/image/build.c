/* SPDX-License-Identifier: Apache-2.0 */
/* image_build: one new layer, a config and a manifest, recorded as an image (commit, import). */
#include "image/build.h"

#include <archive.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cpod/info.h>

#include "image/image-internal.h"
#include "image/manifest.h"
#include "storage/layer-apply.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/shims.h"
#include "util/xalloc.h"

#define MT_DOCKER_LAYER_TAR "application/vnd.docker.image.rootfs.diff.tar"

static ssize_t read_layer(void *ud, void *buf, size_t len)
{
        for (;;) {
                ssize_t n = read(*(int *)ud, buf, len);
                if (n >= 0 || errno != EINTR)
                        return n < 0 ? -errno : n;
        }
}

/* Apply the new layer on top of `parent_top` (a layer ID, or NULL); ret_id is its ID (a chain ID). */
static int apply_layer(struct store *s, const struct image_build *b, const char *parent_top, char ret_id[65],
                       cpod_error_t *err)
{
        struct layer_apply_opts o = { .read = read_layer,
                                      .userdata = (void *)&b->layer_fd,
                                      .expect_diff_id = b->diff_id };

        if (lseek(b->layer_fd, 0, SEEK_SET) < 0)
                return cpod_error_sys(err, errno, "rewind the layer");
        layer_chain_id(parent_top, b->diff_id, ret_id);
        if (store_layer_apply(s, ret_id, parent_top, &o, NULL, err) < 0)
                return cpod_error_wrap(err, "layer %s", b->diff_id);
        return 0;
}

/* The image's layers, base first: diff IDs, manifest descriptors (uncompressed, as stored) and total size. */
static int describe_layers(struct store *s, const char *top, bool docker, json_t *diff_ids, json_t *descs,
                           int64_t *ret_size, cpod_error_t *err)
{
        _cleanup_strv_ char **chain = NULL;
        size_t n;

        *ret_size = 0;
        if (store_layer_chain(s, top, &chain, err) < 0)
                return cpod_error_rc(err, -EIO);
        n = strv_length(chain);
        for (size_t i = n; i-- > 0;) {
                struct layer l;
                if (store_layer_get(s, chain[i], &l, err) < 0)
                        return cpod_error_rc(err, -EIO);
                json_array_append_new(diff_ids, json_string(l.diff_id));
                json_array_append_new(descs, json_pack("{s:s, s:s, s:I}", "mediaType",
                                                       docker ? MT_DOCKER_LAYER_TAR : MT_OCI_LAYER, "digest", l.diff_id,
                                                       "size", (json_int_t)l.size));
                *ret_size += l.size;
                layer_clear(&l);
        }
        return 0;
}

static json_t *history_of(const struct image_build *b, json_t *parent_cfg, const char *created)
{
        json_t *h = json_array(), *e, *mine = json_pack("{s:s}", "created", created);
        size_t i;

        json_array_foreach(json_object_get(parent_cfg, "history"), i, e) {
                json_t *c = json_deep_copy(e);
                if (b->squash) /* its content is in the one new layer now */
                        json_object_set_new(c, "empty_layer", json_true());
                json_array_append_new(h, c);
        }
        if (b->history)
                json_object_update(mine, b->history);
        json_array_append_new(h, mine);
        return h;
}

static void set_platform(json_t *cfg, const struct image_build *b, json_t *parent_cfg)
{
        const char *arch = b->arch ? b->arch : json_get_str(parent_cfg, "architecture");
        const char *os = b->os ? b->os : json_get_str(parent_cfg, "os");
        const char *variant = b->variant ? b->variant : b->arch ? NULL : json_get_str(parent_cfg, "variant");

        json_object_set_new(cfg, "architecture", json_string(arch && *arch ? arch : cpod_goarch()));
        json_object_set_new(cfg, "os", json_string(os && *os ? os : "linux"));
        if (variant && *variant)
                json_object_set_new(cfg, "variant", json_string(variant));
}

/* The config document, keys in the order podman writes them. */
static json_t *make_config(const struct image_build *b, json_t *parent_cfg, const char *created, json_t *diff_ids)
{
        json_t *cfg = json_object();

        if (b->docker && b->comment && *b->comment)
                json_object_set_new(cfg, "comment", json_string(b->comment));
        json_object_set_new(cfg, "created", json_string(created));
        if (b->docker && b->container)
                json_object_set_new(cfg, "container", json_string(b->container));
        if (b->docker)
                json_object_set_new(cfg, "container_config", json_deep_copy(b->config));
        if (b->author && *b->author)
                json_object_set_new(cfg, "author", json_string(b->author));
        if (!b->docker)
                set_platform(cfg, b, parent_cfg);
        json_object_set_new(cfg, "config", json_deep_copy(b->config));
        if (b->docker) {
                set_platform(cfg, b, parent_cfg);
                if (b->parent_id && !b->squash)
                        json_object_set_new(cfg, "parent", json_sprintf("sha256:%s", b->parent_id));
        }
        json_object_set_new(cfg, "rootfs", json_pack("{s:s, s:O}", "type", "layers", "diff_ids", diff_ids));
        json_object_set_new(cfg, "history", history_of(b, parent_cfg, created));
        return cfg;
}

static char *make_manifest(const struct image_build *b, const char *config, json_t *descs)
{
        char cd[DIGEST_STR_MAX];
        _cleanup_json_ json_t *m = NULL;

        digest_buf(config, strlen(config), cd);
        m = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:O}", "schemaVersion", 2, "mediaType",
                      b->docker ? MT_DOCKER_MANIFEST : MT_OCI_MANIFEST, "config", "mediaType",
                      b->docker ? MT_DOCKER_CONFIG : MT_OCI_CONFIG, "digest", cd, "size", (json_int_t)strlen(config),
                      "layers", descs);
        return json_dump_compact(m);
}

static int record(struct store *s, const struct image_build *b, const char *top, const char *config,
                  const char *manifest, json_t *cfg, int64_t sec, int64_t size, char ret_id[65], cpod_error_t *err)
{
        char cd[DIGEST_STR_MAX], md[DIGEST_STR_MAX];
        struct bigdata bd[2] = { { "manifest", manifest, strlen(manifest) }, { "config", config, strlen(config) } };
        struct image_new n = { 0 };

        digest_buf(config, strlen(config), cd);
        digest_buf(manifest, strlen(manifest), md);
        n.id = digest_hex(cd);
        n.top_layer = top;
        n.names = b->names;
        n.digest = md;
        n.created = sec;
        n.size = size;
        n.manifest_type = b->docker ? MT_DOCKER_MANIFEST : MT_OCI_MANIFEST;
        n.arch = json_get_str(cfg, "architecture");
        n.os = json_get_str(cfg, "os");
        n.bigdata = bd;
        n.n_bigdata = 2;
        if (store_image_create(s, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        snprintf(ret_id, 65, "%s", n.id);
        return 0;
}

int image_build(struct store *s, const struct image_build *b, char ret_id[65], cpod_error_t *err)
{
        _cleanup_json_ json_t *parent_cfg = NULL, *diff_ids = json_array(), *descs = json_array(), *cfg = NULL;
        _cleanup_free_ char *created = NULL, *config = NULL, *manifest = NULL;
        struct image_rec parent = { 0 };
        struct timespec now;
        char top[65];
        int64_t size;
        int r;

        if (b->parent_id) {
                if (store_image_get(s, b->parent_id, &parent, err) < 0 ||
                    !(parent_cfg = image_load_config(s, b->parent_id, err))) {
                        image_rec_clear(&parent);
                        return cpod_error_rc(err, -ENOENT);
                }
        }
        r = apply_layer(s, b, b->squash ? NULL : parent.top_layer, top, err);
        image_rec_clear(&parent);
        if (r < 0 || describe_layers(s, top, b->docker, diff_ids, descs, &size, err) < 0)
                return cpod_error_rc(err, -EIO);
        clock_gettime(CLOCK_REALTIME, &now);
        created = time_rfc3339nano(now.tv_sec, now.tv_nsec, 1);
        cfg = make_config(b, parent_cfg, created, diff_ids);
        config = json_dump_compact(cfg);
        manifest = make_manifest(b, config, descs);
        return record(s, b, top, config, manifest, cfg, now.tv_sec, size, ret_id, err);
}

int image_spool_tar(struct store *s, int fd, char ret_digest[DIGEST_STR_MAX], cpod_error_t *err)
{
        struct archive *a;
        struct archive_entry *e;
        struct digester *d;
        _cleanup_close_ int out = -1;
        char buf[64 * 1024];
        int r;

        if (archive_shim_open(err) < 0 || crypto_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        a = archive_read_new();
        d = digester_new();
        out = store_tmpfile(s, err);
        r = out < 0 ? out : 0;

        archive_read_support_filter_all(a);
        archive_read_support_format_raw(a);
        if (r == 0 &&
            (archive_read_open_fd(a, fd, sizeof(buf)) != ARCHIVE_OK || archive_read_next_header(a, &e) != ARCHIVE_OK))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "reading the tarball: %s",
                                   archive_error_string(a) ? archive_error_string(a) : "empty input");
        while (r == 0) {
                la_ssize_t n = archive_read_data(a, buf, sizeof(buf));
                if (n == 0)
                        break;
                if (n < 0) {
                        r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "reading the tarball: %s",
                                           archive_error_string(a));
                        break;
                }
                digester_update(d, buf, (size_t)n);
                if ((r = write_all(out, buf, (size_t)n)) < 0)
                        r = cpod_error_sys(err, -r, "write a temporary file");
        }
        archive_read_free(a);
        digester_final(d, ret_digest);
        digester_free(d);
        if (r < 0)
                return r;
        return TAKE_FD(out);
}
