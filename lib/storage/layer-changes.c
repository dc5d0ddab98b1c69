/* SPDX-License-Identifier: Apache-2.0 */
/* layer_changes: what `cpod diff` lists, from an overlay upper dir and its lower dirs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/layer-diff.h"
#include "storage/layer-walk.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

struct change {
        char kind;
        char *path; /* "/a/b" */
};

struct changes {
        const int *lowers;
        size_t n_lower;
        char *opaque; /* the upper's opaque dir we are below, if any */
        struct change *v;
        size_t n;
};

enum lookup { LOOK_ABSENT, LOOK_FOUND, LOOK_HIDDEN };

static bool is_whiteout(const struct stat *st)
{
        return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static bool fd_is_opaque(int fd)
{
        char v[2];
        ssize_t n = fgetxattr(fd, "trusted.overlay.opaque", v, sizeof(v));

        if (n < 0)
                n = fgetxattr(fd, "user.overlay.opaque", v, sizeof(v));
        return n == 1 && v[0] == 'y';
}

/* One lower dir, as overlay sees it: ABSENT lets the next lower decide, HIDDEN ends the search. */
static enum lookup lookup_one(int lower, const char *path)
{
        _cleanup_free_ char *p = xstrdup(path);
        _cleanup_close_ int cur = openat(lower, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        bool opaque = false;
        char *save = NULL;

        for (char *c = strtok_r(p, "/", &save); c && cur >= 0; c = strtok_r(NULL, "/", &save)) {
                struct stat st;
                bool last = !save || !*save;
                int next;

                if (fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return opaque ? LOOK_HIDDEN : LOOK_ABSENT;
                if (is_whiteout(&st))
                        return LOOK_HIDDEN;
                if (last)
                        return LOOK_FOUND;
                if (!S_ISDIR(st.st_mode))
                        return LOOK_HIDDEN; /* a non-directory here hides everything below */
                next = openat(cur, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return LOOK_HIDDEN;
                opaque = opaque || fd_is_opaque(next);
                closep(&cur);
                cur = next;
        }
        return LOOK_ABSENT;
}

static bool in_lower(const struct changes *c, const char *path)
{
        for (size_t i = 0; i < c->n_lower; i++) {
                enum lookup l = lookup_one(c->lowers[i], path);
                if (l != LOOK_ABSENT)
                        return l == LOOK_FOUND;
        }
        return false;
}

static bool below(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static int collect(void *userdata, const struct walk_entry *we, cpod_error_t *err)
{
        struct changes *c = userdata;
        bool hidden_below;
        char kind;

        if (c->opaque && !below(we->path, c->opaque)) {
                free(c->opaque);
                c->opaque = NULL;
        }
        hidden_below = c->opaque != NULL; /* the lower content of an opaque dir is not there */
        if (is_whiteout(we->st))
                kind = 'D';
        else
                kind = !hidden_below && in_lower(c, we->path) ? 'C' : 'A';
        if (!c->opaque && S_ISDIR(we->st->st_mode)) {
                _cleanup_close_ int fd = openat(we->dirfd, we->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0 && fd_is_opaque(fd))
                        c->opaque = xstrdup(we->path);
        }
        (void)err;
        c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
        c->v[c->n++] = (struct change){ kind, xasprintf("/%s", we->path) };
        return 0;
}

static int cmp_change(const void *a, const void *b)
{
        return strcmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

int layer_changes(int upper_dirfd, const int *lower_dirfds, size_t n_lower,
                  int (*cb)(void *ud, char kind, const char *path), void *ud, cpod_error_t *err)
{
        struct changes c = { .lowers = lower_dirfds, .n_lower = n_lower };
        int r = layer_walk(upper_dirfd, collect, &c, err);

        if (r == 0 && c.n)
                qsort(c.v, c.n, sizeof(*c.v), cmp_change);
        for (size_t i = 0; i < c.n; i++) {
                if (r == 0)
                        r = cb(ud, c.v[i].kind, c.v[i].path);
                free(c.v[i].path);
        }
        free(c.v);
        free(c.opaque);
        return r;
}
