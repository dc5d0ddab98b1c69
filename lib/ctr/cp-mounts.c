/* SPDX-License-Identifier: Apache-2.0 */
/* A stopped container's paths across its bind mounts (threat model in cp-mounts.h). */
#include "ctr/cp-mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "storage/safe-path.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_LINKS 40 /* the kernel's limit */

/* ---- the mount table ---- */

static bool has_option(json_t *m, const char *opt)
{
        size_t i;
        json_t *o;

        json_array_foreach(json_object_get(m, "options"), i, o)
                if (json_is_string(o) && strcmp(json_string_value(o), opt) == 0)
                        return true;
        return false;
}

/*
 * A bind source is the host path the user (or cpod) named, trusted as runc trusts it: its own
 * symlinks are followed.  A file source is kept as its parent directory and its name, so a copy
 * can replace it in place.
 */
static void open_source(struct cp_mount *mt, const char *source)
{
        _cleanup_close_ int fd = open(source, O_PATH | O_CLOEXEC);
        _cleanup_free_ char *real = NULL;
        struct stat st, again;
        char *slash;

        mt->base = xstrdup("");
        if (fd < 0 || fstat(fd, &st) < 0) {
                mt->fd = -errno;
                return;
        }
        if (S_ISDIR(st.st_mode)) {
                mt->fd = TAKE_FD(fd);
                return;
        }
        real = realpath(source, NULL);
        slash = real ? strrchr(real, '/') : NULL;
        if (!slash) {
                mt->fd = -ENOENT;
                return;
        }
        *slash = '\0';
        mt->fd = open(slash == real ? "/" : real, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (mt->fd < 0) {
                mt->fd = -errno;
                return;
        }
        free(mt->base);
        mt->base = xstrdup(slash + 1);
        /* The name found is the file opened, not something renamed in between. */
        if (fstatat(mt->fd, mt->base, &again, AT_SYMLINK_NOFOLLOW) < 0 || again.st_dev != st.st_dev ||
            again.st_ino != st.st_ino) {
                close(mt->fd);
                mt->fd = -EAGAIN;
        }
}

static void add_mount(struct cp_mounts *m, json_t *e)
{
        _cleanup_free_ char *dest = safe_path_clean(json_get_str(e, "destination"));
        const char *type = json_get_str(e, "type"), *source = json_get_str(e, "source");
        struct cp_mount *mt;

        if (!dest || !*dest || !type) /* nothing mounts over "/" itself */
                return;
        m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
        mt = &m->v[m->n++];
        *mt = (struct cp_mount){ .dest = TAKE_PTR(dest), .fd = -ENOENT, .ro = has_option(e, "ro") };
        mt->bind = strcmp(type, "bind") == 0 && source && *source;
        if (mt->bind)
                open_source(mt, source);
        else
                mt->base = xstrdup("");
}

/* The destinations of --mount type=image: their binds in config.json name a layer mount gone at stop. */
static bool image_dest(json_t *user, json_t *e)
{
        const char *dst = json_get_str(e, "destination");
        size_t i;
        json_t *u;

        json_array_foreach(user, i, u)
                if (strcmp(json_get_str(u, "type"), "image") == 0 && dst &&
                    strcmp(json_get_str(u, "destination"), dst) == 0)
                        return true;
        return false;
}

int cp_mounts_load(struct cpod_runtime *rt, const struct ctr *c, int rootfd, struct cp_mounts *ret, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = path_join(bundle, "config.json");
        _cleanup_json_ json_t *user = json_array(), *spec = NULL;
        cpod_error_t ignore = CPOD_ERROR_INIT;
        json_t *list, *e;
        size_t i;

        *ret = (struct cp_mounts){ .rootfd = rootfd };
        spec = path_exists(cfg) ? json_parse_file(cfg, &ignore) : NULL;
        cpod_error_clear(&ignore);
        list = spec ? json_object_get(spec, "mounts") : NULL;
        /* Before its first start a container has only the user's mounts, parsed as a start would. */
        if (spec_user_mounts(&c->cfg, user, list ? &ignore : err) < 0 && !list)
                return cpod_error_wrap(err, "mounts of container %s", c->name);
        spec_volume_binds(rt, &c->cfg, user);
        cpod_error_clear(&ignore);
        json_array_foreach(list ? list : user, i, e)
                if (!list || !image_dest(user, e))
                        add_mount(ret, e);
        return 0;
}

void cp_mounts_clear(struct cp_mounts *m)
{
        for (size_t i = 0; i < m->n; i++) {
                free(m->v[i].dest);
                free(m->v[i].base);
                if (m->v[i].fd >= 0)
                        close(m->v[i].fd);
        }
        free(m->v);
        *m = (struct cp_mounts){ .rootfd = -1 };
}

void cp_place_clear(struct cp_place *p)
{
        free(p->canon);
        free(p->path);
        p->canon = p->path = NULL;
}

/* ---- where a container path lives ---- */

/* The mount a canonical container path is on: the last in mount order at it or above it; NULL: the rootfs. */
static const struct cp_mount *covering(const struct cp_mounts *m, const char *path)
{
        for (size_t i = m->n; i-- > 0;) {
                size_t n = strlen(m->v[i].dest);
                if (strncmp(path, m->v[i].dest, n) == 0 && (path[n] == '\0' || path[n] == '/'))
                        return m->v[i].bind ? &m->v[i] : NULL;
        }
        return NULL;
}

/* The root fd and the path below it of a canonical container path. */
static int locate(const struct cp_mounts *m, const char *path, int *ret_fd, char **ret_rel, bool *ret_ro)
{
        const struct cp_mount *mt = covering(m, path);
        const char *rest;

        if (!mt) {
                *ret_fd = m->rootfd;
                *ret_rel = xstrdup(path);
                *ret_ro = false;
                return 0;
        }
        if (mt->fd < 0)
                return mt->fd;
        rest = path + strlen(mt->dest);
        rest += *rest == '/';
        if (*mt->base && *rest) /* below a file */
                return -ENOTDIR;
        *ret_fd = mt->fd;
        *ret_rel = xstrdup(*mt->base ? mt->base : rest);
        *ret_ro = mt->ro;
        return 0;
}

/* lstat of rel below rootfd, and its target when it is a symlink (*ret_target, caller frees). */
static int look(int rootfd, const char *rel, struct stat *st, char **ret_target)
{
        _cleanup_free_ char *split = xstrdup(rel);
        _cleanup_close_ int dirfd = -1;
        const char *dir, *base;
        char target[PATH_MAX];
        ssize_t n;

        if (!*rel)
                return fstat(rootfd, st) < 0 ? -errno : 0;
        base = safe_path_split(split, &dir);
        dirfd = safe_openat(rootfd, dir, O_PATH | O_DIRECTORY, 0);
        if (dirfd < 0)
                return dirfd;
        if (fstatat(dirfd, base, st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        if (!S_ISLNK(st->st_mode) || !ret_target)
                return 0;
        n = readlinkat(dirfd, base, target, sizeof(target) - 1);
        if (n < 0)
                return -errno;
        target[n] = '\0';
        *ret_target = xstrdup(target);
        return 0;
}

static int look_path(const struct cp_mounts *m, const char *path, struct stat *st, char **ret_target)
{
        _cleanup_free_ char *rel = NULL;
        bool ro;
        int fd, r = locate(m, path, &fd, &rel, &ro);

        return r < 0 ? r : look(fd, rel, st, ret_target);
}

/* ---- the walk ---- */

struct walk {
        const struct cp_mounts *m;
        struct strbuf cur; /* the canonical container path resolved so far */
        char *todo;        /* what is left to resolve */
        int links;
};

static void pop(struct strbuf *cur)
{
        char *slash = strrchr(cur->buf, '/');

        strbuf_setlen(cur, slash ? (size_t)(slash - cur->buf) : 0);
}

/* A symlink met at the current path: its target replaces it in what is left to resolve ("link/" keeps its '/'). */
static int follow(struct walk *w, const char *target, bool slash, const char *rest)
{
        char *todo;

        if (++w->links > MAX_LINKS)
                return -ELOOP;
        if (!*target)
                return -ENOENT;
        if (target[0] == '/')
                strbuf_setlen(&w->cur, 0);
        todo = slash ? xasprintf("%s/%s", target, rest) : xstrdup(target);
        free(w->todo);
        w->todo = todo;
        return 0;
}

/* Resolve one component of w->todo. */
static int step(struct walk *w)
{
        _cleanup_free_ char *name = NULL, *cand = NULL, *target = NULL, *rest = NULL;
        char *slash = strchr(w->todo, '/');
        struct stat st;
        int r;

        name = slash ? xstrndup(w->todo, (size_t)(slash - w->todo)) : xstrdup(w->todo);
        rest = xstrdup(slash ? slash + 1 : "");
        free(w->todo);
        w->todo = TAKE_PTR(rest);
        if (!*name || strcmp(name, ".") == 0)
                return 0;
        if (strcmp(name, "..") == 0) {
                pop(&w->cur);
                return 0;
        }
        cand = w->cur.len ? xasprintf("%s/%s", w->cur.buf, name) : xstrdup(name);
        if ((r = look_path(w->m, cand, &st, &target)) < 0)
                return r;
        if (S_ISLNK(st.st_mode))
                return follow(w, target, slash != NULL, w->todo);
        if (slash && !S_ISDIR(st.st_mode))
                return -ENOTDIR;
        strbuf_setlen(&w->cur, 0);
        strbuf_addstr(&w->cur, cand);
        return 0;
}

int cp_mounts_resolve(const struct cp_mounts *m, const char *path, struct cp_place *ret)
{
        struct walk w = { .m = m, .todo = xstrdup(path) };
        _cleanup_free_ char *rel = NULL;
        struct stat st;
        bool ro = false;
        int fd = -1, r = 0;

        strbuf_init(&w.cur, 0);
        while (r == 0 && *w.todo)
                r = step(&w);
        if (r == 0)
                r = locate(m, w.cur.buf, &fd, &rel, &ro);
        if (r == 0)
                r = look(fd, rel, &st, NULL);
        if (r == 0 && S_ISLNK(st.st_mode)) /* swapped since it was followed */
                r = -EAGAIN;
        if (r == 0) {
                *ret = (struct cp_place){ .rootfd = fd, .canon = TAKE_PTR(rel), .st = st, .ro = ro };
                ret->path = strbuf_detach(&w.cur, NULL);
        }
        strbuf_release(&w.cur);
        free(w.todo);
        return r;
}
