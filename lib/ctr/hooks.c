/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks from hooks.d directories: reading, checking, matching (see hooks.h). */
#include "ctr/hooks.h"

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static const char *const stage_names[] = { "prestart",       "createRuntime", "createContainer",
                                           "startContainer", "poststart",     "poststop" };
#define N_STAGES (sizeof(stage_names) / sizeof(stage_names[0]))
#define POSTSTOP (1u << 5)

struct hook {
        char *name;      /* the file's name: order within a stage, and messages */
        json_t *hook;    /* the runtime-spec hook: path, args, env, timeout */
        unsigned stages; /* one bit per stage_names entry */
        bool any;        /* 0.1.0: one condition matching is enough (1.0.0: all must) */
        int always;      /* -1 not given, else the value */
        int has_bind;    /* -1 not given, else the value */
        regex_t *akeys, *avals;
        size_t nann;
        regex_t *cmds;
        size_t ncmds;
};

struct hook_set {
        struct hook *v;
        size_t n;
};

static void hook_clear(struct hook *h)
{
        for (size_t i = 0; i < h->nann; i++) {
                regfree(&h->akeys[i]);
                regfree(&h->avals[i]);
        }
        for (size_t i = 0; i < h->ncmds; i++)
                regfree(&h->cmds[i]);
        free(h->akeys);
        free(h->avals);
        free(h->cmds);
        free(h->name);
        json_decref(h->hook);
        memset(h, 0, sizeof(*h));
}

static int bad(cpod_error_t *err, const char *fmt, const char *what)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, fmt, what);
}

static int compile(regex_t *re, const char *pattern, const char *what, cpod_error_t *err)
{
        if (regcomp(re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid %s regular expression \"%s\"", what,
                                      pattern);
        return 0;
}

/* The stages named, each known. */
static int parse_stages(struct hook *h, json_t *stages, cpod_error_t *err)
{
        size_t i, k;
        json_t *s;

        if (!json_is_array(stages) || json_array_size(stages) == 0)
                return bad(err, "missing required property: %s", "stages");
        json_array_foreach(stages, i, s) {
                for (k = 0; k < N_STAGES; k++)
                        if (json_is_string(s) && strcmp(json_string_value(s), stage_names[k]) == 0)
                                break;
                if (k == N_STAGES)
                        return bad(err, "unknown stage \"%s\"", json_is_string(s) ? json_string_value(s) : "?");
                h->stages |= 1u << k;
        }
        return 0;
}

static int parse_commands(struct hook *h, json_t *cmds, cpod_error_t *err)
{
        size_t i;
        json_t *c;

        if (!cmds)
                return 0;
        if (!json_is_array(cmds))
                return bad(err, "%s must be an array of regular expressions", "commands");
        h->cmds = xnew0(regex_t, json_array_size(cmds) + 1);
        json_array_foreach(cmds, i, c) {
                if (!json_is_string(c) || compile(&h->cmds[h->ncmds], json_string_value(c), "command", err) < 0)
                        return json_is_string(c) ? -EINVAL : bad(err, "%s must be an array of strings", "commands");
                h->ncmds++;
        }
        return 0;
}

static int add_annotation(struct hook *h, const char *key, const char *val, cpod_error_t *err)
{
        if (compile(&h->akeys[h->nann], key, "annotation key", err) < 0)
                return -EINVAL;
        if (compile(&h->avals[h->nann], val, "annotation value", err) < 0) {
                regfree(&h->akeys[h->nann]);
                return -EINVAL;
        }
        h->nann++;
        return 0;
}

/* The runtime-spec hook: an absolute path to a program that exists, args, env, timeout. */
static int check_hook(json_t *hook, cpod_error_t *err)
{
        const char *path = json_get_str(hook, "path");
        json_t *t = json_object_get(hook, "timeout");
        struct stat st;

        if (!path || !*path)
                return bad(err, "missing required property: %s", "hook.path");
        if (path[0] != '/')
                return bad(err, "hook.path \"%s\" is not absolute", path);
        if (stat(path, &st) < 0)
                return cpod_error_sys(err, errno, "hook.path \"%s\"", path);
        if ((json_object_get(hook, "args") && !json_is_array(json_object_get(hook, "args"))) ||
            (json_object_get(hook, "env") && !json_is_array(json_object_get(hook, "env"))))
                return bad(err, "%s must be arrays of strings", "hook.args and hook.env");
        if (t && (!json_is_integer(t) || json_integer_value(t) <= 0))
                return bad(err, "%s must be a positive integer", "hook.timeout");
        return 0;
}

static int tri(json_t *v, const char *what, int *ret, cpod_error_t *err)
{
        *ret = -1;
        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return bad(err, "%s must be a boolean", what);
        *ret = json_is_true(v);
        return 0;
}

static int parse_v1(struct hook *h, json_t *j, cpod_error_t *err)
{
        json_t *when = json_object_get(j, "when"), *ann = json_object_get(when, "annotations"), *v;
        const char *k;
        int r;

        h->hook = json_incref(json_object_get(j, "hook"));
        if (!json_is_object(h->hook))
                return bad(err, "missing required property: %s", "hook");
        if ((r = check_hook(h->hook, err)) < 0 || (r = parse_stages(h, json_object_get(j, "stages"), err)) < 0)
                return r;
        if (when && !json_is_object(when))
                return bad(err, "%s must be an object", "when");
        if ((r = tri(json_object_get(when, "always"), "when.always", &h->always, err)) < 0 ||
            (r = tri(json_object_get(when, "hasBindMounts"), "when.hasBindMounts", &h->has_bind, err)) < 0 ||
            (r = parse_commands(h, json_object_get(when, "commands"), err)) < 0)
                return r;
        if (ann && !json_is_object(ann))
                return bad(err, "%s must be an object of regular expressions", "when.annotations");
        h->akeys = xnew0(regex_t, json_object_size(ann) + 1);
        h->avals = xnew0(regex_t, json_object_size(ann) + 1);
        json_object_foreach(ann, k, v) {
                if (!json_is_string(v))
                        return bad(err, "when.annotations[\"%s\"] must be a string", k);
                if ((r = add_annotation(h, k, json_string_value(v), err)) < 0)
                        return r;
        }
        return 0;
}

/* One of two spellings (stage/stages, cmd/cmds, annotation/annotations), not both. */
static int either(json_t *j, const char *a, const char *b, json_t **ret, cpod_error_t *err)
{
        json_t *x = json_object_get(j, a), *y = json_object_get(j, b);

        if (x && y)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot set both '%s' and '%s'", a, b);
        *ret = x ? x : y;
        return 0;
}

/* 0.1.0: "hook" is the path, "arguments" follow it; any condition matching injects. */
static int parse_v0(struct hook *h, json_t *j, cpod_error_t *err)
{
        json_t *path = json_object_get(j, "hook"), *args = json_object_get(j, "arguments"), *stages, *cmds, *ann, *a;
        _cleanup_free_ char *joined = NULL;
        size_t i;
        int r;

        if (!json_is_string(path))
                return bad(err, "missing required property: %s", "hook");
        h->any = true;
        h->hook = json_pack("{s:O}", "path", path);
        if (args) {
                json_t *all = json_pack("[O]", path);
                if (!json_is_array(args)) {
                        json_decref(all);
                        return bad(err, "%s must be an array of strings", "arguments");
                }
                json_array_extend(all, args);
                json_object_set_new(h->hook, "args", all);
        }
        if ((r = check_hook(h->hook, err)) < 0 || (r = either(j, "stage", "stages", &stages, err)) < 0 ||
            (r = parse_stages(h, stages, err)) < 0 || (r = either(j, "cmd", "cmds", &cmds, err)) < 0 ||
            (r = parse_commands(h, cmds, err)) < 0 || (r = either(j, "annotation", "annotations", &ann, err)) < 0 ||
            (r = tri(json_object_get(j, "hasbindmounts"), "hasbindmounts", &h->has_bind, err)) < 0)
                return r;
        if (ann && !json_is_array(ann))
                return bad(err, "%s must be an array of regular expressions", "annotations");
        /* values matched whatever their key: one alternation, as podman reads 0.1.0 */
        json_array_foreach(ann, i, a) {
                char *next;
                if (!json_is_string(a))
                        return bad(err, "%s must be an array of strings", "annotations");
                next = joined ? xasprintf("%s|%s", joined, json_string_value(a)) : xstrdup(json_string_value(a));
                free(joined);
                joined = next;
        }
        h->akeys = xnew0(regex_t, 2);
        h->avals = xnew0(regex_t, 2);
        return joined ? add_annotation(h, ".*", joined, err) : 0;
}

/* Parse one hook file's JSON text into *h; < 0 with err when it is not a valid hook. */
static int parse_hook(const char *text, struct hook *h, cpod_error_t *err)
{
        _cleanup_json_ json_t *j = json_loads(text, 0, NULL);
        const char *version;

        memset(h, 0, sizeof(*h));
        h->always = h->has_bind = -1;
        if (!json_is_object(j))
                return bad(err, "%s", "not a JSON object");
        version = json_get_str(j, "version");
        if (json_object_get(j, "version") && !version)
                return bad(err, "%s", "version must be a string");
        if (version && strcmp(version, "1.0.0") == 0)
                return parse_v1(h, j, err);
        if (!version || !*version || strcmp(version, "0.1.0") == 0)
                return parse_v0(h, j, err);
        return bad(err, "unrecognized hook version: \"%s\"", version);
}

static int cmp_name(const void *a, const void *b)
{
        return strcmp(((const struct hook *)a)->name, ((const struct hook *)b)->name);
}

/* Read one file into the set, replacing a hook of the same name from an earlier directory. */
static void load_file(struct hook_set *set, const char *dir, const char *name, void (*warn)(void *ud, const char *msg),
                      void *ud)
{
        _cleanup_free_ char *path = path_join(dir, name), *text = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct hook h;
        size_t len;
        int r;

        for (size_t i = 0; i < set->n; i++)
                if (strcmp(set->v[i].name, name) == 0) {
                        hook_clear(&set->v[i]);
                        set->v[i] = set->v[--set->n];
                        break;
                }
        r = read_file(path, &text, &len, 1 << 20, &err);
        if (r == 0 && strlen(text) != len)
                r = bad(&err, "%s", "it holds a NUL byte");
        if (r == 0 && (r = parse_hook(text, &h, &err)) < 0)
                hook_clear(&h);
        if (r < 0) {
                _cleanup_free_ char *msg = xasprintf("hook %s is invalid and ignored: %s", path, cpod_error_msg(&err));
                if (warn)
                        warn(ud, msg);
                cpod_error_clear(&err);
                return;
        }
        h.name = xstrdup(name);
        set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
        set->v[set->n++] = h;
}

struct hook_set *hooks_load(char *const *dirs, void (*warn)(void *ud, const char *msg), void *ud)
{
        struct hook_set *set = xzalloc(sizeof(*set));

        for (char *const *d = dirs; d && *d; d++) {
                DIR *dir = opendir(*d);
                struct dirent *de;
                if (!dir)
                        continue; /* a directory that does not exist has no hooks */
                while ((de = readdir(dir))) {
                        size_t l = strlen(de->d_name);
                        if (de->d_name[0] != '.' && l > 5 && strcmp(de->d_name + l - 5, ".json") == 0)
                                load_file(set, *d, de->d_name, warn, ud);
                }
                closedir(dir);
        }
        if (set->n)
                qsort(set->v, set->n, sizeof(*set->v), cmp_name);
        return set;
}

void hooks_free(struct hook_set *h)
{
        if (!h)
                return;
        for (size_t i = 0; i < h->n; i++)
                hook_clear(&h->v[i]);
        free(h->v);
        free(h);
}

size_t hooks_count(const struct hook_set *h)
{
        return h ? h->n : 0;
}

static bool rx_match(const regex_t *re, const char *s)
{
        return regexec(re, s ? s : "", 0, NULL, 0) == 0;
}

static bool annotation_matches(const struct hook *h, size_t i, json_t *annotations)
{
        const char *k;
        json_t *v;

        json_object_foreach(annotations, k, v)
                if (rx_match(&h->akeys[i], k) && rx_match(&h->avals[i], json_string_value(v)))
                        return true;
        return false;
}

/*
 * oci-hooks(5): with 1.0.0 every condition given must hold (and at least one be given); with 0.1.0
 * one is enough.  commands, when given, decide last: the process's path must match one of them.
 */
static bool hook_matches(const struct hook *h, json_t *spec, bool has_bind)
{
        json_t *annotations = json_object_get(spec, "annotations");
        int matches = 0;

#define CONDITION(ok)                                                                                                  \
        do {                                                                                                           \
                if (ok) {                                                                                              \
                        if (h->any)                                                                                    \
                                return true;                                                                           \
                        matches++;                                                                                     \
                } else if (!h->any) {                                                                                  \
                        return false;                                                                                  \
                }                                                                                                      \
        } while (0)

        if (h->always >= 0)
                CONDITION(h->always == 1);
        if (h->has_bind >= 0)
                CONDITION(h->has_bind == 1 && has_bind);
        for (size_t i = 0; i < h->nann; i++)
                CONDITION(annotation_matches(h, i, annotations));
#undef CONDITION
        if (h->ncmds) {
                const char *cmd =
                        json_string_value(json_array_get(json_object_get(json_object_get(spec, "process"), "args"), 0));
                for (size_t i = 0; cmd && i < h->ncmds; i++)
                        if (rx_match(&h->cmds[i], cmd))
                                return true;
                return false;
        }
        return matches > 0;
}

void hooks_apply(const struct hook_set *set, json_t *spec, bool has_bind, json_t **ret_poststop)
{
        json_t *hooks = json_object_get(spec, "hooks");

        *ret_poststop = json_array();
        for (size_t i = 0; set && i < set->n; i++) {
                const struct hook *h = &set->v[i];
                if (!hook_matches(h, spec, has_bind))
                        continue;
                for (size_t k = 0; k < N_STAGES; k++) {
                        json_t *list;
                        if (!(h->stages & (1u << k)))
                                continue;
                        if ((1u << k) == POSTSTOP) {
                                json_array_append(*ret_poststop, h->hook);
                                continue;
                        }
                        if (!hooks)
                                json_object_set_new(spec, "hooks", hooks = json_object());
                        if (!(list = json_object_get(hooks, stage_names[k])))
                                json_object_set_new(hooks, stage_names[k], list = json_array());
                        json_array_append(list, h->hook);
                }
        }
}

int hooks_match_file(const char *json_text, json_t *spec, bool has_bind, bool *ret_match, cpod_error_t *err)
{
        struct hook h;
        int r = parse_hook(json_text, &h, err);

        if (r == 0)
                *ret_match = hook_matches(&h, spec, has_bind);
        hook_clear(&h);
        return r;
}
