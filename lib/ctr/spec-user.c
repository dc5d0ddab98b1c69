/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resolving --user inside the container: names are looked up in the
 * image's /etc/passwd and /etc/group, read with openat2(RESOLVE_IN_ROOT)
 * so a symlinked /etc/passwd in a hostile image can't make us read the
 * host's.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

char *spec_read_in_root(const char *rootfs, const char *path)
{
        struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        _cleanup_close_ int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int fd = -1;
        char *buf = NULL;
        size_t len;

        if (root < 0)
                return NULL;
        fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
        if (fd < 0 || read_fd(fd, &buf, &len, 4 << 20, NULL) < 0)
                return NULL;
        return buf;
}

static bool is_number(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char)*s))
                        return false;
        return true;
}

/* Find the passwd/group line whose field 0 (name) or field 2 (id) matches; fields split on ':'. */
static char **find_entry(const char *db, const char *key, bool by_id)
{
        _cleanup_free_ char *copy = xstrdup(db ? db : "");
        char *save = NULL;

        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char **f;
                if (line[0] == '#')
                        continue;
                f = strv_split_keep_empty(line, ':');
                if (strv_length(f) >= 3 && strcmp(f[by_id ? 2 : 0], key) == 0)
                        return f;
                strv_free(f);
        }
        return NULL;
}

static int unknown(cpod_error_t *err, const char *what, const char *name)
{
        return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "unable to find %s %s: no matching entries in %s file", what,
                              name, strcmp(what, "user") == 0 ? "passwd" : "group");
}

/* Supplementary groups: every /etc/group entry listing the user name. */
static json_t *supplementary(const char *group_db, const char *user, long gid)
{
        json_t *a = json_array();
        _cleanup_free_ char *copy = xstrdup(group_db ? group_db : "");
        char *save = NULL;

        for (char *line = strtok_r(copy, "\n", &save); user && line; line = strtok_r(NULL, "\n", &save)) {
                _cleanup_strv_ char **f = strv_split_keep_empty(line, ':');
                _cleanup_strv_ char **members = NULL;
                if (strv_length(f) < 4 || !is_number(f[2]) || atol(f[2]) == gid)
                        continue;
                members = strv_split(f[3], ",");
                if (strv_contains(members, user))
                        json_array_append_new(a, json_integer(atol(f[2])));
        }
        return a;
}

int spec_resolve_user(const char *rootfs, const char *user, json_t *process, char **ret_home, cpod_error_t *err)
{
        _cleanup_free_ char *passwd = spec_read_in_root(rootfs, "/etc/passwd");
        _cleanup_free_ char *group = spec_read_in_root(rootfs, "/etc/group");
        const char *colon = strchr(user, ':');
        _cleanup_free_ char *uname = colon ? xstrndup(user, (size_t)(colon - user)) : xstrdup(user);
        _cleanup_strv_ char **pw = NULL, **gr = NULL;
        long uid, gid = 0;

        pw = find_entry(passwd, uname, is_number(uname));
        if (is_number(uname))
                uid = atol(uname);
        else if (pw && is_number(pw[2]))
                uid = atol(pw[2]);
        else
                return unknown(err, "user", uname);
        if (pw && strv_length(pw) >= 4 && is_number(pw[3]))
                gid = atol(pw[3]);
        if (colon) {
                gr = find_entry(group, colon + 1, is_number(colon + 1));
                if (is_number(colon + 1))
                        gid = atol(colon + 1);
                else if (gr && is_number(gr[2]))
                        gid = atol(gr[2]);
                else
                        return unknown(err, "group", colon + 1);
        }
        json_object_set_new(process, "user",
                            json_pack("{s:I, s:I, s:o}", "uid", (json_int_t)uid, "gid", (json_int_t)gid,
                                      "additionalGids", supplementary(group, pw ? pw[0] : NULL, gid)));
        *ret_home = xstrdup(pw && strv_length(pw) >= 6 && *pw[5] ? pw[5] : "/");
        return 0;
}

int spec_groups_check(char *const *groups, cpod_error_t *err)
{
        if (strv_contains(groups, "keep-groups") && strv_length((char **)groups) > 1)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "the '--group-add keep-groups' option is not allowed with any other --group-add "
                                      "options");
        return 0;
}

/* keep-groups: the supplementary groups of the process starting the container (crun's annotation, done here). */
static void add_own_groups(json_t *gids)
{
        gid_t list[256];
        int n = getgroups(256, list);

        for (int i = 0; i < n; i++)
                json_array_append_new(gids, json_integer((json_int_t)list[i]));
}

int spec_add_groups(const char *rootfs, char *const *groups, json_t *process, cpod_error_t *err)
{
        _cleanup_free_ char *db = NULL;
        json_t *gids = json_object_get(json_object_get(process, "user"), "additionalGids");

        for (char *const *gp = groups; gp && *gp; gp++) {
                const char *g = *gp;
                _cleanup_strv_ char **gr = NULL;
                json_int_t gid;
                if (g && strcmp(g, "keep-groups") == 0) {
                        add_own_groups(gids);
                        continue;
                }
                if (!g || !*g)
                        return unknown(err, "group", "\"\"");
                if (is_number(g)) {
                        gid = atoll(g);
                } else {
                        if (!db)
                                db = spec_read_in_root(rootfs, "/etc/group");
                        gr = find_entry(db, g, false);
                        if (!gr || strv_length(gr) < 3 || !is_number(gr[2]))
                                return unknown(err, "group", g);
                        gid = atoll(gr[2]);
                }
                json_array_append_new(gids, json_integer(gid));
        }
        return 0;
}

static bool executable_in_root(int root, const char *path, int *ret_errno)
{
        struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        _cleanup_close_ int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
        struct stat st;

        if (fd < 0 || fstat(fd, &st) < 0) {
                *ret_errno = ENOENT;
                return false;
        }
        if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
                *ret_errno = EACCES;
                return false;
        }
        return true;
}

/* PATH from the process env, or the default. */
static const char *env_path(json_t *process)
{
        size_t i;
        json_t *e;

        json_array_foreach(json_object_get(process, "env"), i, e) {
                const char *s = json_string_value(e);
                if (s && strncmp(s, "PATH=", 5) == 0)
                        return s + 5;
        }
        return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

int spec_check_exec(const char *rootfs, json_t *process, const char *what, cpod_error_t *err)
{
        json_t *args = json_object_get(process, "args");
        const char *cmd = json_string_value(json_array_get(args, 0));
        _cleanup_close_ int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int e = ENOENT;

        /* With --init the command follows catatonit's "--" (catatonit is bound in, not in the image). */
        if (cmd && strcmp(cmd, "/run/podman-init") == 0)
                cmd = json_string_value(json_array_get(args, 2));
        if (!cmd || root < 0)
                return 0; /* let the runtime report it */
        if (strchr(cmd, '/')) {
                _cleanup_free_ char *p =
                        cmd[0] == '/' ? xstrdup(cmd) : xasprintf("%s/%s", json_get_str(process, "cwd"), cmd);
                if (executable_in_root(root, p, &e))
                        return 0;
                return cpod_error_set(err, e, e == EACCES ? CPOD_E_CMD_PERM : CPOD_E_CMD_NOT_FOUND,
                                      "%s: unable to start container process: exec: \"%s\": %s", what, cmd,
                                      e == EACCES ? "permission denied" : "stat: no such file or directory");
        }
        {
                _cleanup_strv_ char **dirs = strv_split(env_path(process), ":");
                for (char **d = dirs; *d; d++) {
                        _cleanup_free_ char *p = xasprintf("%s/%s", *d, cmd);
                        int e2;
                        if (executable_in_root(root, p, &e2))
                                return 0;
                }
        }
        return cpod_error_set(err, ENOENT, CPOD_E_CMD_NOT_FOUND,
                              "%s: unable to start container process: exec: \"%s\": executable file not "
                              "found in $PATH",
                              what, cmd);
}

/* Is path the destination of one of the spec's mounts, or below one? */
static bool under_mount(json_t *spec, const char *path)
{
        size_t i;
        json_t *m;

        json_array_foreach(json_object_get(spec, "mounts"), i, m) {
                const char *d = json_get_str(m, "destination");
                size_t n = d ? strlen(d) : 0;
                while (n > 1 && d[n - 1] == '/')
                        n--;
                if (n && strncmp(path, d, n) == 0 && (path[n] == '\0' || path[n] == '/' || n == 1))
                        return true;
        }
        return false;
}

int spec_check_workdir(const char *rootfs, json_t *spec, const char *id, cpod_error_t *err)
{
        struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        const char *wd = json_get_str(json_object_get(spec, "process"), "cwd");
        _cleanup_close_ int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
        struct stat st;

        if (!wd || root < 0 || under_mount(spec, wd))
                return 0; /* a mount provides it, or the runtime will report it */
        fd = (int)syscall(SYS_openat2, root, wd, &how, sizeof(how));
        if (fd < 0 && errno == ENOENT)
                return cpod_error_set(err, ENOENT, CPOD_E_CMD_PERM, "workdir \"%s\" does not exist on container %s", wd,
                                      id);
        if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
                return cpod_error_set(err, ENOTDIR, CPOD_E_CMD_PERM,
                                      "workdir \"%s\" exists on container %s, but is not a directory", wd, id);
        return 0;
}
