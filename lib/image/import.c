/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod import: a rootfs tarball (file, stdin or http(s) URL; plain or
 * compressed) becomes a one-layer image.  The input is spooled
 * decompressed into an unnamed file of the store while it is digested,
 * then applied with the same confined extraction as pulled layers: a
 * hostile tarball can't write outside the new layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "image/build.h"
#include "image/changes.h"
#include "image/reference.h"
#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/url-get.h"
#include "util/xalloc.h"

struct download {
        int fd;
        int r;
};

static size_t on_data(char *buf, size_t size, size_t n, void *ud)
{
        struct download *d = ud;

        if (d->r == 0)
                d->r = write_all(d->fd, buf, size * n);
        return d->r < 0 ? 0 : size * n;
}

/* GET url into a temporary file of the store; returns its fd, rewound. */
static int download(struct store *s, const char *url, cpod_error_t *err)
{
        struct download d = { .fd = store_tmpfile(s, err) };
        long status = 0;
        int r;

        if (d.fd < 0)
                return d.fd;
        r = url_get(url, on_data, &d, "downloading", &status, err);
        if (r < 0 || status >= 400 || d.r < 0) {
                close(d.fd);
                if (d.r < 0) {
                        cpod_error_clear(err);
                        return cpod_error_sys(err, -d.r, "downloading \"%s\"", url);
                }
                if (r < 0)
                        return r;
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "downloading \"%s\": HTTP status %ld", url, status);
        }
        if (lseek(d.fd, 0, SEEK_SET) < 0) {
                close(d.fd);
                return cpod_error_sys(err, errno, "rewind \"%s\"", url);
        }
        return d.fd;
}

static int open_source(struct store *s, const char *src, cpod_error_t *err)
{
        int fd;

        if (strcmp(src, "-") == 0)
                fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
        else if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)
                return download(s, src, err);
        else
                fd = open(src, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return cpod_error_sys(err, errno, "opening \"%s\"", src);
        return fd;
}

int cpod_image_import(struct cpod_runtime *rt, const struct cpod_import_opts *o, char ret_id[65], cpod_error_t *err)
{
        _cleanup_json_ json_t *cfg = json_object(), *hist = NULL;
        _cleanup_free_ char *ref = NULL;
        _cleanup_close_ int in = -1;
        char *names[2] = { NULL, NULL };
        struct image_build b = { .layer_fd = -1, .arch = o->arch, .os = o->os, .variant = o->variant };
        struct store *s;
        int r;

        if (!o->source || !*o->source)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "a source tarball is required");
        if (o->reference && *o->reference && !(names[0] = ref = image_ref_normalize_local(o->reference, err)))
                return cpod_error_wrap(err, "invalid image name \"%s\"", o->reference);
        if (image_apply_changes(cfg, o->changes, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        json_object_del(cfg, "OnBuild"); /* an OCI config has none */
        if (rt_store(rt, &s, err) < 0 || (in = open_source(s, o->source, err)) < 0)
                return cpod_error_rc(err, -EIO);
        b.layer_fd = image_spool_tar(s, in, b.diff_id, err);
        if (b.layer_fd < 0)
                return cpod_error_wrap(err, "importing \"%s\"", o->source);
        hist = json_pack("{s:s, s:s}", "created_by", "", "comment",
                         o->message && *o->message ? o->message : "imported from tarball");
        json_object_set_new(hist, "created_by",
                            json_sprintf("/bin/sh -c #(nop) ADD file:%s in /", digest_hex(b.diff_id)));
        b.config = cfg;
        b.history = hist;
        b.names = ref ? names : NULL;
        r = image_build(s, &b, ret_id, err);
        close(b.layer_fd);
        if (r < 0)
                return cpod_error_wrap(err, "importing \"%s\"", o->source);
        if (ref) /* podman's import records the tag of the new name */
                rt_event_simple(rt, "image", "tag", ret_id, ref);
        return 0;
}
