/* SPDX-License-Identifier: Apache-2.0 */
/* Container filters (ps --filter, the REST API's filters): see include/cpod/engine.h. */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/network.h>
#include <cpod/image.h>
#include <cpod/pod.h>
#include <cpod/volume.h>

#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct fent {
        char *key, *value;
        regex_t re; /* id, name */
        bool has_re;
        int64_t created; /* before, since: the named container's creation time (ns) */
        char id[65];     /* pod: the pod's ID ("" when there is no such pod); ancestor: the image's ID */
        long code;       /* exited */
        char **users;    /* volume: the containers using the volume named; restart-policy: those with it */
};

struct cpod_ctr_filter {
        size_t n;
        struct fent *e;
};

static const char *const keys[] = { "id",    "name", "label",   "exited", "status", "ancestor",       "before",
                                    "since", "pod",  "network", "volume", "health", "restart-policy", NULL };
/* podman's keys cpod cannot answer yet: an error, not a filter that quietly matches nothing. */
static const char *const later[] = { "until", NULL };
/* health=: a healthcheck's status, or none for containers without one. */
static const char *const healths[] = { "starting", "healthy", "unhealthy", "none", NULL };
static const char *const states[] = { "created", "configured", "running", "stopped", "paused",
                                      "exited",  "removing",   "unknown", NULL };

/* Creation time in nanoseconds: containers made in the same second still have an order. */
static int64_t created_of(json_t *c)
{
        int64_t t = 0;
        long ns = 0;

        (void)time_parse_rfc3339(json_get_str(c, "Created"), &t, &ns);
        return t * 1000000000LL + ns;
}

/* before=/since=: the container named, from the list. */
static int find_ctr(struct cpod_runtime *rt, json_t *all, struct fent *e, cpod_error_t *err)
{
        char id[65];
        size_t i;
        json_t *c;

        if (cpod_ctr_lookup(rt, e->value, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        json_array_foreach(all, i, c)
                if (strcmp(json_get_str(c, "Id"), id) == 0)
                        e->created = created_of(c);
        return 0;
}

/* volume=NAME, volume=/DEST or volume=NAME:/DEST: the users of the volume NAME, when there is one. */
static int volume_users(struct cpod_runtime *rt, struct fent *e)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *name = xstrdup(e->value);
        char *colon = strchr(name, ':');

        if (colon)
                *colon = '\0';
        if (name[0] != '/' && cpod_volume_containers(rt, name, &e->users, &err) < 0)
                e->users = NULL; /* no such volume: it matches by destination only */
        cpod_error_clear(&err);
        return 0;
}

/* restart-policy=: podman's values; "none" is a container created without --restart. */
static int restart_users(struct cpod_runtime *rt, json_t *all, struct fent *e, cpod_error_t *err)
{
        static const char *const policies[] = { "none", "no", "always", "on-failure", "unless-stopped", NULL };
        size_t i;
        json_t *c;

        if (!strv_contains((char *const *)policies, e->value))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s invalid restart policy", e->value);
        e->users = xnew0(char *, 1);
        json_array_foreach(all, i, c) {
                _cleanup_json_ json_t *ins = NULL;
                const char *p;
                if (cpod_ctr_inspect(rt, json_get_str(c, "Id"), false, &ins, NULL) < 0)
                        continue; /* removed meanwhile */
                p = json_string_value(json_path(ins, "HostConfig.RestartPolicy.Name"));
                p = p ? p : "";
                if (strcmp(p, e->value) == 0 || (strcmp(e->value, "none") == 0 && !*p))
                        strv_add(&e->users, json_get_str(c, "Id"));
        }
        return 0;
}

static int parse_one(struct cpod_runtime *rt, json_t *all, struct fent *e, cpod_error_t *err)
{
        cpod_error_t e2 = CPOD_ERROR_INIT;
        char *end;

        if (strv_contains((char *const *)later, e->key))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "the %s filter is not supported by cpod yet",
                                      e->key);
        if (!strv_contains((char *const *)keys, e->key))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s is an invalid filter", e->key);
        if (strcmp(e->key, "id") == 0 || strcmp(e->key, "name") == 0) {
                if (regcomp(&e->re, e->value, REG_EXTENDED | REG_NOSUB) != 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid %s filter: bad regular expression \"%s\"", e->key, e->value);
                e->has_re = true;
        } else if (strcmp(e->key, "status") == 0 && !strv_contains((char *const *)states, e->value)) {
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unknown container state: %s: invalid argument",
                                      e->value);
        } else if (strcmp(e->key, "health") == 0 && !strv_contains((char *const *)healths, e->value)) {
                return cpod_error_set(
                        err, EINVAL, CPOD_E_INVALID,
                        "invalid health filter value \"%s\": must be starting, healthy, unhealthy or none", e->value);
        } else if (strcmp(e->key, "exited") == 0) {
                e->code = strtol(e->value, &end, 10);
                if (!*e->value || *end || e->code < -2147483648L || e->code > 2147483647L)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "exited code out of range \"%s\"", e->value);
        } else if (strcmp(e->key, "before") == 0 || strcmp(e->key, "since") == 0) {
                return find_ctr(rt, all, e, err);
        } else if (strcmp(e->key, "pod") == 0) {
                if (cpod_pod_lookup(rt, e->value, e->id, &e2) < 0)
                        e->id[0] = '\0'; /* as podman: a pod that does not exist matches nothing */
                cpod_error_clear(&e2);
        } else if (strcmp(e->key, "network") == 0) {
                /* by name or ID: the containers list names, so an ID becomes the network's name */
                _cleanup_json_ json_t *n = NULL;
                if (cpod_network_inspect(rt, e->value, &n, &e2) == 0) {
                        free(e->value);
                        e->value = xstrdup(json_get_str(n, "name"));
                }
                cpod_error_clear(&e2);
        } else if (strcmp(e->key, "volume") == 0) {
                return volume_users(rt, e);
        } else if (strcmp(e->key, "restart-policy") == 0) {
                return restart_users(rt, all, e, err);
        } else if (strcmp(e->key, "ancestor") == 0) {
                if (cpod_image_lookup(rt, e->value, e->id, &e2) < 0)
                        e->id[0] = '\0';
                cpod_error_clear(&e2);
        }
        return 0;
}

int cpod_ctr_filter_new(struct cpod_runtime *rt, const char *const *filters, size_t n, struct cpod_ctr_filter **ret,
                        cpod_error_t *err)
{
        _cleanup_json_ json_t *all = NULL;
        struct cpod_ctr_filter *f;
        int r = 0;

        *ret = NULL;
        if (n == 0)
                return 0;
        f = xzalloc(sizeof(*f));
        f->e = xnew0(struct fent, n);
        for (size_t i = 0; i < n && r == 0; i++) {
                const char *eq = strchr(filters[i], '=');
                if (!eq) {
                        r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid filter \"%s\"", filters[i]);
                        break;
                }
                f->e[i].key = xstrndup(filters[i], (size_t)(eq - filters[i]));
                f->e[i].value = xstrdup(eq + 1);
                f->n++;
                if (!all &&
                    (strcmp(f->e[i].key, "before") == 0 || strcmp(f->e[i].key, "since") == 0 ||
                     strcmp(f->e[i].key, "restart-policy") == 0) &&
                    (r = cpod_ctr_list(rt, true, &all, err)) < 0)
                        break;
                r = parse_one(rt, all, &f->e[i], err);
        }
        if (r < 0) {
                cpod_ctr_filter_free(f);
                return r;
        }
        *ret = f;
        return 0;
}

static bool label_match(json_t *c, const char *v)
{
        const char *eq = strchr(v, '=');
        _cleanup_free_ char *k = eq ? xstrndup(v, (size_t)(eq - v)) : xstrdup(v);
        json_t *l = json_object_get(json_object_get(c, "Labels"), k);

        return l && (!eq || strcmp(json_string_value(l) ? json_string_value(l) : "", eq + 1) == 0);
}

static bool status_match(json_t *c, const char *v)
{
        const char *s = json_get_str(c, "State");

        if (strcmp(v, "stopped") == 0)
                v = "exited";
        if (strcmp(s, "configured") == 0)
                s = "created";
        else if (strcmp(s, "stopped") == 0)
                s = "exited";
        return strcmp(s, v) == 0;
}

static bool ancestor_match(json_t *c, const struct fent *e)
{
        const char *img = json_get_str(c, "Image");
        size_t n = strlen(e->value);

        if (strcmp(img, e->value) == 0 || (*e->id && strcmp(json_get_str(c, "ImageID"), e->id) == 0))
                return true;
        /* NAME matches NAME:latest */
        return strncmp(img, e->value, n) == 0 && strcmp(img + n, ":latest") == 0;
}

static bool volume_match(json_t *c, const struct fent *e)
{
        const char *colon = strchr(e->value, ':'), *dest = colon ? colon + 1 : e->value;
        bool user = e->users && strv_contains(e->users, json_get_str(c, "Id"));
        bool at = false;
        json_t *m;
        size_t i;

        json_array_foreach(json_object_get(c, "Mounts"), i, m)
                at |= strcmp(json_string_value(m), dest) == 0;
        if (colon)
                return user && at;
        return user || (e->value[0] == '/' && at);
}

static bool one(json_t *c, const struct fent *e)
{
        const char *k = e->key;

        if (strcmp(k, "id") == 0)
                return regexec(&e->re, json_get_str(c, "Id"), 0, NULL, 0) == 0;
        if (strcmp(k, "name") == 0) {
                const char *n = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
                return n && regexec(&e->re, n, 0, NULL, 0) == 0;
        }
        if (strcmp(k, "label") == 0)
                return label_match(c, e->value);
        if (strcmp(k, "status") == 0)
                return status_match(c, e->value);
        if (strcmp(k, "health") == 0) { /* the listing's Status is the health status, "" without a healthcheck */
                const char *h = json_get_str(c, "Status");
                return strcmp(h && *h ? h : "none", e->value) == 0;
        }
        if (strcmp(k, "exited") == 0)
                return json_is_true(json_object_get(c, "Exited")) && json_get_int(c, "ExitCode", -1) == e->code;
        if (strcmp(k, "ancestor") == 0)
                return ancestor_match(c, e);
        if (strcmp(k, "before") == 0)
                return created_of(c) < e->created;
        if (strcmp(k, "since") == 0)
                return created_of(c) > e->created;
        if (strcmp(k, "pod") == 0)
                return *e->id && strcmp(json_get_str(c, "Pod"), e->id) == 0;
        if (strcmp(k, "volume") == 0)
                return volume_match(c, e);
        if (strcmp(k, "restart-policy") == 0)
                return strv_contains(e->users, json_get_str(c, "Id"));
        if (strcmp(k, "network") == 0) {
                json_t *n;
                size_t i;
                json_array_foreach(json_object_get(c, "Networks"), i, n)
                        if (strcmp(json_string_value(n), e->value) == 0)
                                return true;
        }
        return false;
}

bool cpod_ctr_filter_match(const struct cpod_ctr_filter *f, json_t *c)
{
        if (!f)
                return true;
        for (size_t i = 0; i < f->n; i++) {
                bool label = strcmp(f->e[i].key, "label") == 0, any = false;
                /* Each key once: its values are OR'ed (AND'ed for label). */
                for (size_t j = 0; j < i; j++)
                        if (strcmp(f->e[j].key, f->e[i].key) == 0)
                                goto next;
                for (size_t j = i; j < f->n; j++) {
                        if (strcmp(f->e[j].key, f->e[i].key) != 0)
                                continue;
                        bool m = one(c, &f->e[j]);
                        if (label && !m)
                                return false;
                        any = any || m;
                }
                if (!any)
                        return false;
        next:;
        }
        return true;
}

bool cpod_ctr_filter_has(const struct cpod_ctr_filter *f, const char *key)
{
        for (size_t i = 0; f && i < f->n; i++)
                if (strcmp(f->e[i].key, key) == 0)
                        return true;
        return false;
}

void cpod_ctr_filter_free(struct cpod_ctr_filter *f)
{
        if (!f)
                return;
        for (size_t i = 0; i < f->n; i++) {
                free(f->e[i].key);
                free(f->e[i].value);
                if (f->e[i].has_re)
                        regfree(&f->e[i].re);
                strv_free(f->e[i].users);
        }
        free(f->e);
        free(f);
}
