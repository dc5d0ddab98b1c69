/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod build: Buildah builds, cpod keeps the result.
 *
 * Buildah (the `buildah` program) runs with a private store: --root <root>/buildah/storage,
 * --runroot <runroot>/buildah, cpod's storage driver, cpod's OCI runtime and cgroup manager,
 * and --isolation oci (a real runtime container per RUN step: chroot isolation refuses any
 * --network but host, and needs no less privilege here).  The steps:
 *
 *  1. Take <root>/buildah/lock (flock).  The lock fd is inherited by the `buildah build`
 *     child, so a cpod killed mid-build keeps the lock until its orphaned Buildah ends too.
 *     Under the lock, what an earlier killed build left is removed: `buildah rm --all` (its
 *     working containers and their mounts) and <root>/buildah/tmp.  Builds of one root run
 *     one at a time.
 *  2. Every FROM image cpod's store has is exported (cpod's own save, an OCI layout) and
 *     pulled into Buildah's store unless Buildah has that image ID already, then tagged there
 *     with the name cpod resolved: FROM never reaches a registry for an image cpod has.
 *  3. `buildah build` with the user's flags, stdout and stderr passed through as it prints
 *     them; its final "Error: ..." line becomes the error message.  --force-rm: a failing step
 *     removes its container too.  On failure `buildah rm --all` once more.
 *  4. `buildah push` of the result (by ID) to an OCI layout (a dir: copy for --format docker:
 *     an OCI layout would convert the manifest and change the image ID), uncompressed, then
 *     cpod's own loader copies it in.  The loader skips every layer whose chain ID (diff IDs)
 *     the store has, so only the new layers are written.  Then the -t names are added.
 *
 * Consistency: Buildah's store is a cache that cpod never reads but through an export, so
 * whatever a kill leaves there (a container, a tag moved to a new image) is at worst work
 * repeated.  cpod's store changes only in step 4, through the same all-or-nothing copy a pull
 * uses; a kill between the copy and the tags leaves an untagged image that prune removes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cpod/image.h>

#include "image/image-internal.h"
#include "image/reference.h"
#include "image/transports.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct bctx {
        struct cpod_runtime *rt;
        char *dir;     /* <root>/buildah */
        char *tmp;     /* <root>/buildah/tmp: exports and the result's layout */
        char **global; /* buildah's global flags */
        int lock_fd;
};

static void bctx_release(struct bctx *b)
{
        free(b->dir);
        free(b->tmp);
        strv_free(b->global);
        if (b->lock_fd >= 0)
                close(b->lock_fd);
}

/* The message of Buildah's stderr: its last "Error: " line without the prefix, else all of it. */
static char *buildah_message(const char *stderr_text)
{
        const char *last = NULL, *p = stderr_text;
        struct strbuf sb = STRBUF_INIT;

        for (const char *q; p && (q = strstr(p, "Error: ")); p = q + 7)
                if (q == stderr_text || q[-1] == '\n')
                        last = q + 7;
        strbuf_addstr(&sb, last ? last : stderr_text ? stderr_text : "");
        strbuf_trim(&sb);
        return strbuf_detach(&sb, NULL);
}

/* argv = buildah, the global flags, then args. */
static const char **buildah_argv(const struct bctx *b, char *const *args)
{
        size_t ng = strv_length(b->global), na = strv_length(args);
        const char **v = xnew0(const char *, ng + na + 2);

        v[0] = "buildah";
        for (size_t i = 0; i < ng; i++)
                v[1 + i] = b->global[i];
        for (size_t i = 0; i < na; i++)
                v[1 + ng + i] = args[i];
        return v;
}

/* Run a short buildah command in dir (or NULL), its output captured; ret_out (may be NULL) gets stdout. */
static int buildah_run_in(const struct bctx *b, const char *dir, char *const *args, char **ret_out, cpod_error_t *err)
{
        _cleanup_free_ const char **argv = buildah_argv(b, args);
        struct strbuf out = STRBUF_INIT, errs = STRBUF_INIT;
        int r = run_capture_in(argv, NULL, dir, &out, &errs, err);

        if (r > 0) {
                _cleanup_free_ char *msg = buildah_message(errs.buf);
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "buildah %s: %s", args[0], msg);
        }
        if (r == 0 && ret_out)
                *ret_out = strbuf_detach(&out, NULL);
        strbuf_release(&out);
        strbuf_release(&errs);
        return r < 0 ? r : 0;
}

static int buildah_run(const struct bctx *b, char *const *args, char **ret_out, cpod_error_t *err)
{
        return buildah_run_in(b, NULL, args, ret_out, err);
}

/* Remove every working container of Buildah's store (and so its mounts); errors ignored. */
static void buildah_rm_all(const struct bctx *b)
{
        char *args[] = { "rm", "--all", NULL };
        cpod_error_t e = CPOD_ERROR_INIT;

        if (buildah_run(b, args, NULL, &e) < 0)
                log_debug("buildah rm --all: %s, ignoring", e.msg);
        cpod_error_clear(&e);
}

static int bctx_open(struct cpod_runtime *rt, struct bctx *b, cpod_error_t *err)
{
        const struct cpod_oci_runtime *oci;
        _cleanup_free_ char *lock = NULL, *runroot = NULL;

        *b = (struct bctx){ .rt = rt, .lock_fd = -1 };
        if (cpod_runtime_oci(rt, &oci, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        b->dir = path_join(rt->root, "buildah");
        b->tmp = path_join(b->dir, "tmp");
        runroot = path_join(rt->runroot, "buildah");
        if (mkdir_p(b->dir, 0700, err) < 0 || mkdir_p(runroot, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        lock = path_join(b->dir, "lock");
        b->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (b->lock_fd < 0)
                return cpod_error_set(err, errno, CPOD_E_INTERNAL, "open %s", lock);
        while (flock(b->lock_fd, LOCK_EX) < 0)
                if (errno != EINTR)
                        return cpod_error_set(err, errno, CPOD_E_INTERNAL, "lock %s", lock);
        strv_take(&b->global, xasprintf("--root=%s/storage", b->dir));
        strv_take(&b->global, xasprintf("--runroot=%s", runroot));
        strv_take(&b->global, xasprintf("--storage-driver=%s", rt->storage_driver));
        strv_take(&b->global, xasprintf("--cgroup-manager=%s", cpod_runtime_cgroup_manager(rt)));
        /* What a killed build left: its containers (and their mounts), its temporary files. */
        buildah_rm_all(b);
        if (rm_rf(b->tmp, err) < 0 || mkdir_p(b->tmp, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        return 0;
}

/* ---- FROM images ---- */

/* $NAME and ${NAME} from vars ("NAME=VALUE", later entries win); NULL if one is unknown. */
static char *expand(const char *s, char *const *vars)
{
        struct strbuf sb = STRBUF_INIT;

        for (const char *p = s; *p;) {
                const char *name, *val = NULL;
                size_t len;

                if (*p != '$') {
                        strbuf_addch(&sb, *p++);
                        continue;
                }
                name = p[1] == '{' ? p + 2 : p + 1;
                len = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
                for (size_t i = strv_length(vars); i-- > 0 && !val;)
                        if (len && strncmp(vars[i], name, len) == 0 && vars[i][len] == '=')
                                val = vars[i] + len + 1;
                if (!val || (p[1] == '{' && name[len] != '}')) {
                        strbuf_release(&sb);
                        return NULL;
                }
                strbuf_addstr(&sb, val);
                p = name + len + (p[1] == '{');
        }
        return strbuf_detach(&sb, NULL);
}

/*
 * The base images of a Containerfile: FROM's image unless it is "scratch" or an earlier stage,
 * with ARGs before the first FROM (overridden by --build-arg) expanded.  Best effort: what it
 * cannot read is left to Buildah.
 */
static char **from_images(const char *text, char *const *build_args)
{
        _cleanup_strv_ char **lines = strv_split_keep_empty(text, '\n');
        _cleanup_strv_ char **vars = NULL, **stages = NULL;
        char **images = NULL;
        bool seen_from = false;

        for (char **l = lines; l && *l; l++) {
                _cleanup_strv_ char **w = strv_split(*l, " \t\r");
                char **t = w;

                if (!w || !w[0] || w[0][0] == '#')
                        continue;
                if (!seen_from && strcasecmp(w[0], "ARG") == 0 && w[1] && strchr(w[1], '='))
                        strv_add(&vars, w[1]);
                if (strcasecmp(w[0], "FROM") != 0)
                        continue;
                if (!seen_from) {
                        seen_from = true;
                        for (char *const *a = build_args; a && *a; a++)
                                strv_add(&vars, *a);
                }
                for (t = w + 1; *t && strncmp(*t, "--", 2) == 0; t++)
                        ;
                if (!*t)
                        continue;
                _cleanup_free_ char *img = expand(*t, vars);
                if (img && strcmp(img, "scratch") != 0 && !strv_contains(stages, img) && !strv_contains(images, img))
                        strv_add(&images, img);
                if (t[1] && strcasecmp(t[1], "AS") == 0 && t[2])
                        strv_add(&stages, t[2]);
        }
        return images;
}

static char *containerfile_path(const struct cpod_build_opts *o, const char *ctx)
{
        static const char *const names[] = { "Containerfile", "Dockerfile" };

        if (o->files && o->files[0])
                return strcmp(o->files[0], "-") == 0 || strstr(o->files[0], "://") ? NULL : xstrdup(o->files[0]);
        for (size_t i = 0; i < 2; i++) {
                char *p = path_join(ctx, names[i]);
                if (path_exists(p))
                        return p;
                free(p);
        }
        return NULL;
}

/*
 * Export one image of cpod's store into Buildah's unless it has it, named there as cpod names it.
 * Buildah names an image pulled from oci:DIR after DIR, which must be a valid image name: so DIR
 * is a relative path ("base-0", in the temporary directory), and the image is tagged right after.
 */
static int export_base(struct bctx *b, struct store *s, const char *ref, char *const *have, int n, cpod_error_t *err)
{
        _cleanup_free_ char *name = NULL, *id_str = NULL, *dir = NULL, *src = NULL, *tmpname = NULL;
        char id[65];

        if (image_lookup_store_name(s, ref, id, &name, NULL) < 0 || !name)
                return 0; /* not here (or only by ID): Buildah pulls it, or says why not */
        id_str = xasprintf("sha256:%s", id);
        if (strv_contains(have, id) || strv_contains(have, id_str)) {
                char *tag[] = { "tag", id, name, NULL };
                return buildah_run(b, tag, NULL, err);
        }
        char *save[] = { name, NULL };
        dir = xasprintf("%s/base-%d", b->tmp, n);
        src = xasprintf("oci:base-%d", n);
        tmpname = xasprintf("localhost/base-%d", n);
        /* handing the base image to Buildah is no save of the user's: no event */
        if (image_save(b->rt, save, CPOD_SAVE_OCI_DIR, dir, false, err) < 0)
                return cpod_error_wrap(err, "export base image %s", ref);
        char *pull[] = { "pull", "--quiet", src, NULL };
        char *tag[] = { "tag", tmpname, name, NULL };
        char *untag[] = { "rmi", tmpname, NULL }; /* with two names: removes only that one */
        if (buildah_run_in(b, b->tmp, pull, NULL, err) < 0 || buildah_run(b, tag, NULL, err) < 0 ||
            buildah_run(b, untag, NULL, err) < 0)
                return cpod_error_rc(err, -EIO);
        (void)rm_rf(dir, NULL);
        return 0;
}

static int export_bases(struct bctx *b, const struct cpod_build_opts *o, const char *ctx, cpod_error_t *err)
{
        _cleanup_free_ char *path = containerfile_path(o, ctx), *text = NULL, *ids = NULL;
        _cleanup_strv_ char **images = NULL, **have = NULL;
        char *list[] = { "images", "--all", "--quiet", "--no-trunc", NULL };
        struct store *s;
        int n = 0;

        if (!path || read_file(path, &text, NULL, 1 << 20, NULL) < 0)
                return 0; /* Buildah reports a missing or unreadable file */
        images = from_images(text, o->build_args);
        if (!images)
                return 0;
        if (rt_store(b->rt, &s, err) < 0 || buildah_run(b, list, &ids, err) < 0)
                return cpod_error_rc(err, -EIO);
        have = strv_split(ids, "\n");
        for (char **i = images; *i; i++)
                if (export_base(b, s, *i, have, n++, err) < 0)
                        return cpod_error_rc(err, -EIO);
        return 0;
}

/* ---- the build ---- */

static void add_each(char ***v, const char *flag, char *const *vals)
{
        for (char *const *p = vals; p && *p; p++)
                strv_take(v, xasprintf("--%s=%s", flag, *p));
}

static char **build_args(const struct cpod_build_opts *o, const char *oci_path, char *const *secret_args)
{
        char **v = NULL;

        strv_add(&v, "build");
        strv_add(&v, "--isolation=oci");
        strv_take(&v, xasprintf("--runtime=%s", oci_path));
        strv_add(&v, "--force-rm");
        strv_take(&v, xasprintf("--layers=%s", o->no_layers ? "false" : "true"));
        strv_take(&v, xasprintf("--pull=%s", o->pull ? o->pull : "missing"));
        strv_take(&v, xasprintf("--format=%s", o->format ? o->format : "oci"));
        if (o->no_cache)
                strv_add(&v, "--no-cache");
        if (o->squash)
                strv_add(&v, "--squash");
        if (o->quiet)
                strv_add(&v, "--quiet");
        if (o->target)
                strv_take(&v, xasprintf("--target=%s", o->target));
        if (o->network)
                strv_take(&v, xasprintf("--network=%s", o->network));
        if (o->platform)
                strv_take(&v, xasprintf("--platform=%s", o->platform));
        add_each(&v, "file", o->files);
        add_each(&v, "tag", o->tags);
        add_each(&v, "build-arg", o->build_args);
        add_each(&v, "label", o->labels);
        add_each(&v, "annotation", o->annotations);
        add_each(&v, "volume", o->volumes);
        for (char *const *p = secret_args; p && *p; p++)
                strv_add(&v, *p);
        for (char *const *p = o->extra; p && *p; p++)
                strv_add(&v, *p);
        strv_add(&v, o->context ? o->context : ".");
        return v;
}

/*
 * Buildah's output as it prints it, line by line: stdout to o->out_fd, stderr to o->err_fd (-1:
 * this process's, -2: dropped).  Its "Error: " lines are kept in errs instead (they become the
 * error's message) and the last line of stdout that is an image ID in ret_iid.
 */
struct stream {
        int from, to;
        bool is_err;
        struct strbuf line;
};

static void stream_line(struct stream *st, struct strbuf *errs, char ret_iid[65])
{
        const char *l = st->line.buf;
        size_t n = st->line.len;

        if (st->is_err && strncmp(l, "Error: ", 7) == 0)
                strbuf_addstr(errs, l);
        else if (st->to >= 0)
                (void)write_all(st->to, l, n);
        if (!st->is_err && n >= 64 && strspn(l, "0123456789abcdef") == 64 && (n == 64 || l[64] == '\n')) {
                memcpy(ret_iid, l, 64);
                ret_iid[64] = '\0';
        }
        strbuf_reset(&st->line);
}

static void relay(struct stream *st, size_t n, struct strbuf *errs, char ret_iid[65])
{
        struct pollfd pfd[2];
        char buf[4096];
        size_t open = n;

        while (open > 0) {
                for (size_t i = 0; i < n; i++)
                        pfd[i] = (struct pollfd){ .fd = st[i].from, .events = POLLIN };
                if (poll(pfd, n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                for (size_t i = 0; i < n; i++) {
                        ssize_t r;
                        if (st[i].from < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                                continue;
                        r = read(st[i].from, buf, sizeof(buf));
                        if (r < 0 && errno == EINTR)
                                continue;
                        if (r <= 0) {
                                if (st[i].line.len)
                                        stream_line(&st[i], errs, ret_iid);
                                st[i].from = -1;
                                open--;
                                continue;
                        }
                        for (ssize_t k = 0; k < r; k++) {
                                strbuf_addch(&st[i].line, buf[k]);
                                if (buf[k] == '\n')
                                        stream_line(&st[i], errs, ret_iid);
                        }
                }
        }
}

static int run_build(struct bctx *b, const struct cpod_build_opts *o, char *const *secret_args, char ret_iid[65],
                     cpod_error_t *err)
{
        const struct cpod_oci_runtime *oci;
        _cleanup_strv_ char **args = NULL;
        _cleanup_free_ const char **argv = NULL;
        struct child_process cp = CHILD_PROCESS_INIT;
        struct strbuf errs = STRBUF_INIT;
        struct stream st[2];
        int outp[2], errp[2], r;

        if (cpod_runtime_oci(b->rt, &oci, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        args = build_args(o, oci->path, secret_args);
        argv = buildah_argv(b, args);
        if (pipe2(outp, O_CLOEXEC) < 0)
                return cpod_error_set(err, errno, CPOD_E_INTERNAL, "pipe");
        if (pipe2(errp, O_CLOEXEC) < 0) {
                close(outp[0]);
                close(outp[1]);
                return cpod_error_set(err, errno, CPOD_E_INTERNAL, "pipe");
        }
        cp.argv = argv;
        cp.out = outp[1];
        cp.err = errp[1];
        cp.keep_fds = &b->lock_fd; /* the lock lives as long as Buildah does */
        cp.n_keep_fds = 1;
        r = child_start(&cp, err);
        close(outp[1]);
        close(errp[1]);
        st[0] = (struct stream){ .from = outp[0], .to = o->out_fd == -1 ? STDOUT_FILENO : o->out_fd };
        st[1] = (struct stream){ .from = errp[0], .to = o->err_fd == -1 ? STDERR_FILENO : o->err_fd, .is_err = true };
        strbuf_init(&st[0].line, 0);
        strbuf_init(&st[1].line, 0);
        ret_iid[0] = '\0';
        if (r == 0)
                relay(st, 2, &errs, ret_iid);
        close(outp[0]);
        close(errp[0]);
        strbuf_release(&st[0].line);
        strbuf_release(&st[1].line);
        if (r < 0) {
                strbuf_release(&errs);
                return cpod_error_wrap(err, "run buildah");
        }
        r = child_finish(&cp, err);
        if (r > 0) {
                _cleanup_free_ char *msg = buildah_message(errs.buf);
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s", *msg ? msg : "buildah failed");
        } else if (r == 0 && !ret_iid[0])
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "buildah printed no image ID");
        strbuf_release(&errs);
        return r < 0 ? r : 0;
}

/* Move Buildah's image iid into cpod's store; ret_id its ID there. */
static int move_result(struct bctx *b, const struct cpod_build_opts *o, const char *iid, char ret_id[65],
                       cpod_error_t *err)
{
        bool docker = o->format && strcmp(o->format, "docker") == 0;
        _cleanup_free_ char *dir = path_join(b->tmp, "result");
        _cleanup_free_ char *dest = xasprintf("%s:%s", docker ? "dir" : "oci", dir);
        _cleanup_json_ json_t *ids = NULL;
        char *push[] = { "push", "--quiet", "--disable-compression", (char *)iid, dest, NULL };
        const char *id;

        if (buildah_run(b, push, NULL, err) < 0 || image_pull_local(b->rt, dest, false, &ids, err) < 0)
                return cpod_error_wrap(err, "copy the built image into storage");
        id = json_string_value(json_array_get(ids, 0));
        if (!id || strlen(id) != 64)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "copy the built image into storage: no image");
        memcpy(ret_id, id, 65);
        if (strcmp(iid + (strncmp(iid, "sha256:", 7) == 0 ? 7 : 0), id) != 0)
                log_debug("build: Buildah's image %s is %s in cpod's store", iid, id);
        return 0;
}

/* Add the -t names; on failure remove those added, leaving the image untagged (prunable). */
static int tag_result(struct cpod_runtime *rt, const char *id, char *const *tags, cpod_error_t *err)
{
        size_t i;

        for (i = 0; tags && tags[i]; i++)
                if (cpod_image_tag(rt, id, tags[i], err) < 0)
                        break;
        if (!tags || !tags[i])
                return 0;
        while (i-- > 0)
                (void)cpod_image_untag(rt, id, tags[i], NULL);
        return cpod_error_rc(err, -EIO);
}

int cpod_image_build(struct cpod_runtime *rt, const struct cpod_build_opts *o, char ret_id[65], cpod_error_t *err)
{
        _cleanup_(bctx_release) struct bctx b = { .lock_fd = -1 };
        _cleanup_strv_ char **secret_args = NULL;
        char iid[65];
        const char *ctx = o->context ? o->context : ".";
        char id[65];
        int r;

        /* A bad name fails before any work, as podman's does. */
        for (char *const *t = o->tags; t && *t; t++) {
                _cleanup_free_ char *n = image_ref_normalize_local(*t, err);
                if (!n)
                        return cpod_error_rc(err, -EINVAL);
        }
        if (o->format && strcmp(o->format, "oci") != 0 && strcmp(o->format, "docker") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unrecognized image type \"%s\"", o->format);
        if (build_secret_args(o->secrets, &secret_args, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (bctx_open(rt, &b, err) < 0)
                return cpod_error_rc(err, -EIO);
        r = export_bases(&b, o, ctx, err);
        if (r == 0)
                r = run_build(&b, o, secret_args, iid, err);
        if (r == 0)
                r = move_result(&b, o, iid, id, err);
        if (r == 0)
                r = tag_result(rt, id, o->tags, err);
        if (r < 0)
                buildah_rm_all(&b);
        (void)rm_rf(b.tmp, NULL);
        if (r == 0)
                memcpy(ret_id, id, 65);
        return r;
}
