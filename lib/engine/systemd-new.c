/* SPDX-License-Identifier: Apache-2.0 */
/*
 * generate systemd --new: the unit creates its container (or pod) from the
 * command line stored at create time, rewritten as podman 4.3.1 does:
 * `run --cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm`, --sdnotify=conmon
 * (the unit is Type=notify), -d, --replace for named containers, and the
 * flags that would fight the unit (--rm, --cgroups, --cidfile, --restart,
 * the pod's id file) dropped.  Which flags take a value is the command
 * line's knowledge, asked through o->takes_value, so that the image is found
 * where it is (podman guesses and takes `--privileged IMAGE` for a value).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/systemd-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* One flag of the stored command: argv[at .. at+nargs), its long or short name and value. */
struct occ {
        size_t at, nargs;
        char name[64];
        const char *value; /* NULL: none given */
};

struct scan {
        struct occ *v;
        size_t n, end; /* end: index of the first positional argument (the image) */
};

static void add_occ(struct scan *s, size_t at, size_t nargs, const char *name, size_t len, const char *value)
{
        struct occ *o;

        s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
        o = &s->v[s->n++];
        o->at = at;
        o->nargs = nargs;
        snprintf(o->name, sizeof(o->name), "%.*s", (int)(len < 63 ? len : 63), name);
        o->value = value;
}

/* A cluster of short flags, -dit or -eFOO or -e FOO: returns the arguments it uses. */
static size_t scan_short(struct scan *s, char **a, size_t i, const struct cpod_systemd_opts *o)
{
        for (const char *p = a[i] + 1; *p; p++) {
                char nm[2] = { *p, 0 };
                if (o->takes_value(nm, o->takes_value_data) != 1) {
                        add_occ(s, i, 1, nm, 1, p[1] == '=' ? p + 2 : NULL);
                        if (p[1] == '=')
                                return 1;
                        continue;
                }
                if (p[1]) {
                        add_occ(s, i, 1, nm, 1, p[1] == '=' ? p + 2 : p + 1);
                        return 1;
                }
                add_occ(s, i, a[i + 1] ? 2 : 1, nm, 1, a[i + 1]);
                return a[i + 1] ? 2 : 1;
        }
        return 1;
}

static void scan_flags(struct scan *s, char **a, const struct cpod_systemd_opts *o)
{
        size_t i = 0;

        while (a[i]) {
                if (a[i][0] != '-' || !a[i][1] || strcmp(a[i], "--") == 0)
                        break;
                if (a[i][1] != '-') {
                        i += scan_short(s, a, i, o);
                        continue;
                }
                const char *nm = a[i] + 2, *eq = strchr(nm, '=');
                size_t len = eq ? (size_t)(eq - nm) : strlen(nm);
                _cleanup_free_ char *key = xstrndup(nm, len);
                if (!eq && o->takes_value(key, o->takes_value_data) == 1 && a[i + 1]) {
                        add_occ(s, i, 2, nm, len, a[i + 1]);
                        i += 2;
                        continue;
                }
                add_occ(s, i, 1, nm, len, eq ? eq + 1 : NULL);
                i++;
        }
        s->end = i;
}

static bool is(const struct occ *x, const char *lng, const char *shrt)
{
        return strcmp(x->name, lng) == 0 || (shrt && strcmp(x->name, shrt) == 0);
}

/* A boolean flag's final value. */
static bool bool_flag(const struct scan *s, const char *lng, const char *shrt)
{
        bool v = false;

        for (size_t i = 0; i < s->n; i++)
                if (is(&s->v[i], lng, shrt))
                        v = !s->v[i].value || strcmp(s->v[i].value, "true") == 0;
        return v;
}

static const struct occ *last(const struct scan *s, const char *lng)
{
        const struct occ *r = NULL;

        for (size_t i = 0; i < s->n; i++)
                if (is(&s->v[i], lng, NULL))
                        r = &s->v[i];
        return r;
}

/* Is argument k part of a flag the unit drops? */
static bool dropped(const struct scan *s, char **a, size_t k, bool in_pod, bool drop_sdnotify)
{
        static const char *const common[] = { "rm", "cgroups", "cidfile", "restart", NULL };
        static const char *const pod[] = { "pod", "pod-id-file", "infra-conmon-pidfile", NULL };

        if (strcmp(a[k], "-d=false") == 0 || strcmp(a[k], "--detach=false") == 0 ||
            strcmp(a[k], "--replace=false") == 0)
                return true;
        for (size_t i = 0; i < s->n; i++) {
                const struct occ *x = &s->v[i];
                if (k < x->at || k >= x->at + x->nargs || a[x->at][1] != '-')
                        continue;
                if (strv_contains((char *const *)common, x->name) ||
                    (in_pod && strv_contains((char *const *)pod, x->name)) ||
                    (drop_sdnotify && strcmp(x->name, "sdnotify") == 0))
                        return true;
        }
        return false;
}

/* -e KEY without a value: the value the container got from the creating shell goes into the unit. */
static void extra_env(struct sd_unit *u, const struct scan *s)
{
        for (size_t i = 0; i < s->n; i++) {
                const char *k = s->v[i].value;
                size_t j, kl;
                json_t *e;
                if (!is(&s->v[i], "env", "e") || !k || strchr(k, '='))
                        continue;
                kl = strlen(k);
                json_array_foreach(u->ctr_env, j, e) {
                        const char *kv = json_string_value(e);
                        if (kv && strncmp(kv, k, kl) == 0 && kv[kl] == '=')
                                strv_take(&u->extra_env, sd_escape(kv));
                }
        }
}

static void restart_from(struct sd_unit *u, const struct scan *s, const struct cpod_systemd_opts *o)
{
        const struct occ *r = last(s, "restart");

        if (o->restart_policy || !r || !r->value || !*r->value)
                return;
        free(u->restart);
        if (strncmp(r->value, "on-failure:", 11) == 0) {
                u->restart = xstrdup("on-failure");
                u->start_limit_burst = xstrdup(r->value + 11);
        } else {
                u->restart = xstrdup(strcmp(r->value, "unless-stopped") == 0 ? "always" : r->value);
        }
}

/* --template: the name gets the instance, "--name=SERVICE-%i" when there was none. */
static void template_name(struct sd_unit *u, char ***cmd)
{
        char **v = *cmd;

        for (size_t i = 0; v[i]; i++) {
                if (strcmp(v[i], "--name") == 0 && v[i + 1]) {
                        char *n = xasprintf("%s-%%i", v[i + 1]);
                        free(v[i + 1]);
                        v[i + 1] = n;
                        return;
                }
                if (strncmp(v[i], "--name=", 7) == 0) {
                        char *n = xasprintf("%s-%%i", v[i]);
                        free(v[i]);
                        v[i] = n;
                        return;
                }
        }
        for (size_t i = 0; v[i]; i++)
                if (strcmp(v[i], "run") == 0) {
                        size_t n = strv_length(v);
                        v = xrealloc(v, (n + 2) * sizeof(*v));
                        memmove(&v[i + 2], &v[i + 1], (n - i) * sizeof(*v));
                        v[i + 1] = xasprintf("--name=%s-%%i", u->service);
                        break;
                }
        *cmd = v;
}

static int bad_command(const char *what, char **cc, cpod_error_t *err)
{
        _cleanup_free_ char *j = strv_join(cc, " ");

        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: [%s]", what, j);
}

static size_t find_run(char **cc)
{
        for (size_t i = 1; cc[i]; i++)
                if (strcmp(cc[i], "run") == 0 || strcmp(cc[i], "create") == 0)
                        return i + 1;
        return 0;
}

static void set_ctr_execs(struct sd_unit *u, const struct cpod_systemd_opts *o, char **cmd, const char *root)
{
        u->exec_start_pre[0] = xstrdup("/bin/rm \\\n\t-f %t/%n.ctr-id");
        u->exec_start = sd_format_args(cmd);
        u->exec_stop = xasprintf("%s%s stop \\\n\t--ignore -t %lld \\\n\t--cidfile=%%t/%%n.ctr-id", o->executable, root,
                                 (long long)u->stop_timeout);
        u->exec_stop_post = xasprintf("%s%s rm \\\n\t-f \\\n\t--ignore -t %lld \\\n\t--cidfile=%%t/%%n.ctr-id",
                                      o->executable, root, (long long)u->stop_timeout);
        free(u->pidfile);
        u->pidfile = NULL;
        u->notify = true;
}

int sd_new_ctr(struct sd_unit *u, const struct cpod_systemd_opts *o, cpod_error_t *err)
{
        char **cc = u->create_command, **rest, **cmd = NULL, **root = NULL;
        size_t idx = cc && cc[0] ? find_run(cc) : 0;
        struct scan s = { 0 };
        bool detach, named, replace, drop_sdnotify;
        const struct occ *sdn;
        _cleanup_free_ char *rootflags = NULL;

        if (idx == 0)
                return bad_command("container's create command is too short or invalid", cc, err);
        rest = cc + idx;
        scan_flags(&s, rest, o);
        detach = bool_flag(&s, "detach", "d");
        named = last(&s, "name") != NULL;
        replace = bool_flag(&s, "replace", NULL);
        sdn = last(&s, "sdnotify");
        drop_sdnotify = sdn && sdn->value && strcmp(sdn->value, "ignore") == 0;

        strv_take(&cmd, sd_escape(o->executable));
        for (size_t i = 1; i + 1 < idx; i++)
                strv_take(&root, sd_escape(cc[i]));
        for (char **r = root; r && *r; r++)
                strv_add(&cmd, *r);
        strv_add(&cmd, "run");
        strv_add(&cmd, "--cidfile=%t/%n.ctr-id");
        strv_add(&cmd, "--cgroups=no-conmon");
        strv_add(&cmd, "--rm");
        if (u->pod_id_file) {
                strv_add(&cmd, "--pod-id-file");
                strv_add(&cmd, u->pod_id_file);
        }
        if (!sdn || drop_sdnotify)
                strv_add(&cmd, "--sdnotify=conmon"); /* the unit is Type=notify: someone must say READY */
        if (!detach)
                strv_add(&cmd, "-d");
        if (named && !replace)
                strv_add(&cmd, "--replace");
        for (size_t k = 0; rest[k]; k++)
                if (k >= s.end || !dropped(&s, rest, k, u->pod_id_file != NULL, drop_sdnotify))
                        strv_take(&cmd, sd_escape(rest[k]));
        restart_from(u, &s, o);
        extra_env(u, &s);
        if (o->template_unit) {
                u->identify = true;
                template_name(u, &cmd);
        }
        rootflags = sd_inline_flags(root);
        set_ctr_execs(u, o, cmd, rootflags);
        strv_free(cmd);
        strv_free(root);
        free(s.v);
        return 0;
}

static bool has_prefix_arg(char **v, const char *flag)
{
        size_t n = strlen(flag);

        for (; v && *v; v++)
                if (strncmp(*v, flag, n) == 0 && ((*v)[n] == '\0' || (*v)[n] == '='))
                        return true;
        return false;
}

/* pod create's own flags, less the ones the unit sets; --replace for a named pod. */
static char **pod_args(char **a)
{
        static const char *const drop[] = { "--pod", "--pod-id-file", "--infra-conmon-pidfile", NULL };
        bool named = false, replace = false;
        char **v = NULL;

        for (size_t i = 0; a[i]; i++) {
                bool d = false;
                for (size_t j = 0; drop[j]; j++) {
                        size_t n = strlen(drop[j]);
                        if (strcmp(a[i], drop[j]) == 0 && a[i + 1])
                                i++, d = true;
                        else if (strncmp(a[i], drop[j], n) == 0 && a[i][n] == '=')
                                d = true;
                }
                if (d)
                        continue;
                named |= strcmp(a[i], "--name") == 0 || strncmp(a[i], "--name=", 7) == 0;
                if (strcmp(a[i], "--replace") == 0 || strcmp(a[i], "--replace=true") == 0)
                        replace = true;
                if (strcmp(a[i], "--replace=false") == 0 && named)
                        continue;
                strv_add(&v, a[i]);
        }
        if (named && !replace)
                strv_add(&v, "--replace");
        return v;
}

int sd_new_pod(struct sd_unit *u, const struct cpod_systemd_opts *o, cpod_error_t *err)
{
        char **cc = u->create_command, **cmd = NULL, **root = NULL, **args;
        size_t idx = 0, n = strv_length(cc);
        _cleanup_free_ char *pidf = xasprintf("%%t/%s.pid", u->service), *idf = xasprintf("%%t/%s.pod-id", u->service);
        _cleanup_free_ char *r = NULL, *rs = NULL;

        for (size_t i = 1; n >= 3 && cc[i]; i++)
                if (strcmp(cc[i - 1], "pod") == 0 && strcmp(cc[i], "create") == 0) {
                        idx = i;
                        break;
                }
        if (idx == 0)
                return bad_command("pod does not appear to be created via `cpod pod create`", cc, err);
        args = pod_args(cc + idx + 1);
        strv_take(&cmd, sd_escape(o->executable));
        for (size_t i = 1; i + 1 < idx; i++)
                strv_take(&root, sd_escape(cc[i]));
        for (char **x = root; x && *x; x++)
                strv_add(&cmd, *x);
        strv_add(&cmd, "pod");
        strv_add(&cmd, "create");
        strv_add(&cmd, "--infra-conmon-pidfile");
        strv_add(&cmd, pidf);
        strv_add(&cmd, "--pod-id-file");
        strv_add(&cmd, idf);
        if (!has_prefix_arg(args, "--exit-policy"))
                strv_add(&cmd, "--exit-policy=stop");
        for (char **x = args; x && *x; x++)
                strv_take(&cmd, sd_escape(*x));
        strv_free(args);
        r = root ? strv_join(root, " ") : xstrdup("");
        rs = *r ? xasprintf("%s ", r) : xstrdup("");
        u->exec_start_pre[0] = xasprintf("/bin/rm \\\n\t-f %s %s", pidf, idf);
        u->exec_start_pre[1] = sd_format_args(cmd);
        u->exec_start = xasprintf("%s %spod start \\\n\t--pod-id-file %s", o->executable, rs, idf);
        u->exec_stop = xasprintf("%s %spod stop \\\n\t--ignore \\\n\t--pod-id-file %s  \\\n\t-t %lld", o->executable,
                                 rs, idf, (long long)u->stop_timeout);
        u->exec_stop_post =
                xasprintf("%s %spod rm \\\n\t--ignore \\\n\t-f \\\n\t--pod-id-file %s", o->executable, rs, idf);
        free(u->pidfile);
        u->pidfile = xstrdup(pidf);
        free(u->pod_id_file);
        u->pod_id_file = xstrdup(idf);
        strv_free(cmd);
        strv_free(root);
        return 0;
}
