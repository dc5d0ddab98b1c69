/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The images of a play, made available before anything is created, as
 * podman 4.3.1 does: an image with a directory of its name (the last path
 * component without tag or digest) under the context directory holding a
 * Containerfile or Dockerfile is built there (when not stored yet, or
 * always with --build); the others are pulled by their imagePullPolicy
 * (Always, IfNotPresent, Never; unset is podman's "newer", which keeps a
 * localhost/ image without asking a registry).  Images are not rolled back
 * when a later step fails (podman keeps them too).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/image.h>
#include <cpod/registry.h>

#include "kube/kube-internal.h"

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

int kube_image_need(struct kube_ctx *ctx, const char *ctr, const char *image, const char *policy, cpod_error_t *err)
{
        enum cpod_pull_policy pol = CPOD_PULL_NEWER;
        const json_t *x;
        size_t i;

        if (policy && (strcmp(policy, "true") == 0 || strcmp(policy, "false") == 0 ||
                       cpod_pull_policy_parse(policy, &pol, NULL) < 0))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: unsupported pull policy \"%s\"",
                                      ctr, policy);
        /* podman's "newer" takes a localhost/ image (built here) as it is */
        if (!policy && strncmp(image, "localhost/", 10) == 0)
                pol = CPOD_PULL_MISSING;
        json_array_foreach(ctx->images, i, x)
                if (strcmp(json_get_str(x, "Image"), image) == 0 && json_get_int(x, "Policy", -1) == (json_int_t)pol)
                        return 0;
        json_array_append_new(ctx->images, json_pack("{s:s, s:I}", "Image", image, "Policy", (json_int_t)pol));
        return 0;
}

/* CONTEXT/NAME/Containerfile or Dockerfile for image, or NULL. */
static char *build_file(const char *ctxdir, const char *image)
{
        _cleanup_free_ char *name = xstrdup(image), *dir = NULL;
        char *p, cwd[PATH_MAX];
        struct stat st;

        if ((p = strchr(name, ':')))
                *p = '\0';
        p = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        if (strchr(p, '@'))
                *strchr(p, '@') = '\0';
        if (!*p || strcmp(p, ".") == 0 || strcmp(p, "..") == 0)
                return NULL;
        if (!ctxdir && !(ctxdir = getcwd(cwd, sizeof(cwd))))
                return NULL;
        dir = path_join(ctxdir, p);
        for (const char *const *f = (const char *const[]){ "Containerfile", "Dockerfile", NULL }; *f; f++) {
                char *file = path_join(dir, *f);

                if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
                        return file;
                free(file);
        }
        return NULL;
}

static int build(struct cpod_runtime *rt, const struct cpod_kube_play_opts *o, const char *image, const char *file,
                 cpod_error_t *err)
{
        _cleanup_free_ char *dir = xstrdup(file);
        char *const files[] = { (char *)file, NULL }, *const tags[] = { (char *)image, NULL };
        struct cpod_build_opts b = { .files = files, .tags = tags };
        char id[65];

        *strrchr(dir, '/') = '\0';
        b.context = dir;
        b.out_fd = b.err_fd = o->build_out_fd > 0 ? o->build_out_fd : -2;
        if (cpod_image_build(rt, &b, id, err) < 0)
                return cpod_error_wrap(err, "kube: build %s", image), -EIO;
        return 0;
}

int kube_images(struct cpod_runtime *rt, const struct cpod_kube_play_opts *o, const json_t *images, cpod_error_t *err)
{
        const json_t *x;
        size_t i;

        json_array_foreach(images, i, x) {
                const char *image = json_get_str(x, "Image");
                _cleanup_free_ char *file = o->build >= 0 ? build_file(o->context_dir, image) : NULL;
                char id[65];
                int r;

                if (file && (o->build > 0 || cpod_image_lookup(rt, image, id, NULL) < 0))
                        r = build(rt, o, image, file, err);
                else
                        r = cpod_image_ensure(rt, image, (enum cpod_pull_policy)json_get_int(x, "Policy", 0), o->pull,
                                              id, err);
                if (r < 0)
                        return r;
        }
        return 0;
}
