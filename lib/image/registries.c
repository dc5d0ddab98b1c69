/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registries.conf v1/v2 reader (see registries.h).  Each file is parsed
 * into a partial configuration, validated, and merged over what came
 * before it.
 */
#include "image/registries.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/reference.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/toml.h"
#include "util/xalloc.h"

#define SYSTEM_CONF "/etc/containers/registries.conf"
#define SYSTEM_CONF_DIR "/etc/containers/registries.conf.d"

static void entry_clear(struct reg_entry *e)
{
        free(e->prefix);
        free(e->location);
        free(e->origin);
        for (size_t i = 0; i < e->n_mirrors; i++)
                free(e->mirrors[i].location);
        free(e->mirrors);
        memset(e, 0, sizeof(*e));
}

struct registries_conf *registries_conf_free(struct registries_conf *c)
{
        if (!c)
                return NULL;
        strv_free(c->search);
        free(c->search_origin);
        for (size_t i = 0; i < c->n_aliases; i++) {
                free(c->aliases[i].name);
                free(c->aliases[i].value);
                free(c->aliases[i].origin);
        }
        free(c->aliases);
        for (size_t i = 0; i < c->n_regs; i++)
                entry_clear(&c->regs[i]);
        free(c->regs);
        free(c->sources);
        free(c);
        return NULL;
}

static int invalid(cpod_error_t *err, const char *origin, const char *fmt, const char *what)
{
        _cleanup_free_ char *m = xasprintf(fmt, what);
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "loading registries configuration \"%s\": %s", origin, m);
}

static int get_bool(json_t *t, const char *key, bool *ret, const char *origin, cpod_error_t *err)
{
        json_t *v = json_object_get(t, key);

        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return invalid(err, origin, "%s must be a boolean", key);
        *ret = json_is_true(v);
        return 0;
}

static int get_str(json_t *t, const char *key, char **ret, const char *origin, cpod_error_t *err)
{
        json_t *v = json_object_get(t, key);

        if (!v)
                return 0;
        if (!json_is_string(v))
                return invalid(err, origin, "%s must be a string", key);
        free(*ret);
        *ret = xstrdup(json_string_value(v));
        return 0;
}

static int str_array(json_t *v, char ***ret, const char *key, const char *origin, cpod_error_t *err)
{
        size_t i;
        json_t *e;

        if (!json_is_array(v))
                return invalid(err, origin, "%s must be an array of strings", key);
        *ret = strv_free(*ret);
        *ret = xnew0(char *, 1);
        json_array_foreach(v, i, e) {
                if (!json_is_string(e))
                        return invalid(err, origin, "%s must be an array of strings", key);
                strv_add(ret, json_string_value(e));
        }
        return 0;
}

/* A location or prefix: host[:port][/path], no scheme, no tag or digest. */
static int check_location(const char *loc, const char *what, const char *origin, cpod_error_t *err)
{
        if (strstr(loc, "://"))
                return invalid(err, origin, "invalid %s: must not contain a URI scheme", what);
        if (strchr(loc, '@') || (strrchr(loc, ':') && !strchr(strrchr(loc, ':'), '/') && strchr(loc, '/')))
                return invalid(err, origin, "invalid %s: must not contain a tag or digest", what);
        return 0;
}

static int parse_mirror(json_t *m, struct reg_mirror *ret, const char *origin, cpod_error_t *err)
{
        _cleanup_free_ char *pfm = NULL;

        if (!json_is_object(m))
                return invalid(err, origin, "%s must be a table", "registry.mirror");
        if (get_str(m, "location", &ret->location, origin, err) < 0 ||
            get_bool(m, "insecure", &ret->insecure, origin, err) < 0 ||
            get_str(m, "pull-from-mirror", &pfm, origin, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!ret->location || !*ret->location)
                return invalid(err, origin, "%s", "a registry mirror needs a location");
        if (check_location(ret->location, "mirror location", origin, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!pfm || !*pfm || strcmp(pfm, "all") == 0)
                ret->pull_from = PULL_FROM_MIRROR_ALL;
        else if (strcmp(pfm, "digest-only") == 0)
                ret->pull_from = PULL_FROM_MIRROR_DIGEST_ONLY;
        else if (strcmp(pfm, "tag-only") == 0)
                ret->pull_from = PULL_FROM_MIRROR_TAG_ONLY;
        else
                return invalid(err, origin, "unsupported pull-from-mirror value \"%s\"", pfm);
        return 0;
}

static int parse_registry(json_t *t, struct reg_entry *e, const char *origin, cpod_error_t *err)
{
        json_t *mirrors, *m;
        size_t i;

        if (!json_is_object(t))
                return invalid(err, origin, "%s must be an array of tables", "registry");
        e->origin = xstrdup(origin);
        if (get_str(t, "prefix", &e->prefix, origin, err) < 0 ||
            get_str(t, "location", &e->location, origin, err) < 0 ||
            get_bool(t, "insecure", &e->insecure, origin, err) < 0 ||
            get_bool(t, "blocked", &e->blocked, origin, err) < 0 ||
            get_bool(t, "mirror-by-digest-only", &e->mirror_by_digest_only, origin, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!e->location)
                e->location = xstrdup("");
        if (!e->prefix || !*e->prefix) {
                if (!*e->location)
                        return invalid(err, origin, "%s", "a [[registry]] needs a prefix or a location");
                free(e->prefix);
                e->prefix = xstrdup(e->location);
        }
        if (strncmp(e->prefix, "*.", 2) == 0) {
                if (strchr(e->prefix, '/'))
                        return invalid(err, origin, "invalid prefix \"%s\": a wildcard prefix names hosts only",
                                       e->prefix);
                if (*e->location)
                        return invalid(err, origin, "prefix \"%s\": a wildcard prefix cannot have a location",
                                       e->prefix);
        } else if (strchr(e->prefix, '*')) {
                return invalid(err, origin, "invalid prefix \"%s\": wildcards only as a leading \"*.\"", e->prefix);
        }
        if (check_location(e->prefix, "prefix", origin, err) < 0 ||
            (*e->location && check_location(e->location, "location", origin, err) < 0))
                return cpod_error_rc(err, -EINVAL);
        mirrors = json_object_get(t, "mirror");
        if (mirrors && !json_is_array(mirrors))
                return invalid(err, origin, "%s must be an array of tables", "registry.mirror");
        e->mirrors = xnew0(struct reg_mirror, json_array_size(mirrors) + 1);
        json_array_foreach(mirrors, i, m) {
                if (parse_mirror(m, &e->mirrors[e->n_mirrors++], origin, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
        }
        return 0;
}

static void add_entry(struct registries_conf *c, struct reg_entry *e)
{
        for (size_t i = 0; i < c->n_regs; i++)
                if (strcmp(c->regs[i].prefix, e->prefix) == 0) {
                        entry_clear(&c->regs[i]);
                        c->regs[i] = *e;
                        return;
                }
        c->regs = xreallocarray(c->regs, c->n_regs + 1, sizeof(*c->regs));
        c->regs[c->n_regs++] = *e;
}

static void set_alias(struct registries_conf *c, const char *name, const char *value, const char *origin)
{
        for (size_t i = 0; i < c->n_aliases; i++)
                if (strcmp(c->aliases[i].name, name) == 0) {
                        free(c->aliases[i].value);
                        free(c->aliases[i].origin);
                        c->aliases[i].value = xstrdup(value);
                        c->aliases[i].origin = xstrdup(origin);
                        return;
                }
        c->aliases = xreallocarray(c->aliases, c->n_aliases + 1, sizeof(*c->aliases));
        c->aliases[c->n_aliases++] = (struct reg_alias){ xstrdup(name), xstrdup(value), xstrdup(origin) };
}

/* An alias maps a short name to a fully qualified name, neither with tag or digest. */
static int check_alias(const char *name, const char *value, const char *origin, cpod_error_t *err)
{
        struct image_ref r;
        int bad;

        if (image_ref_parse(name, &r, NULL) < 0)
                return invalid(err, origin, "invalid short-name alias \"%s\"", name);
        bad = r.domain || r.tag || r.digest;
        image_ref_clear(&r);
        if (bad)
                return invalid(err, origin, "short-name alias \"%s\" must be a short name without tag or digest", name);
        if (!*value)
                return 0;
        if (image_ref_parse(value, &r, NULL) < 0)
                return invalid(err, origin, "invalid alias value \"%s\"", value);
        bad = !r.domain || r.tag || r.digest;
        image_ref_clear(&r);
        if (bad)
                return invalid(err, origin, "alias value \"%s\" must be a fully qualified name without tag or digest",
                               value);
        return 0;
}

static int parse_aliases(json_t *a, struct registries_conf *c, const char *origin, cpod_error_t *err)
{
        const char *k;
        json_t *v;

        if (!json_is_object(a))
                return invalid(err, origin, "%s must be a table", "aliases");
        json_object_foreach(a, k, v) {
                if (!json_is_string(v))
                        return invalid(err, origin, "alias \"%s\" must be a string", k);
                if (check_alias(k, json_string_value(v), origin, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                set_alias(c, k, json_string_value(v), origin);
        }
        return 0;
}

static int parse_mode(json_t *v, enum short_name_mode *ret, const char *origin, cpod_error_t *err)
{
        const char *s = json_string_value(v);

        if (!s)
                return invalid(err, origin, "%s must be a string", "short-name-mode");
        if (!*s)
                *ret = SHORT_NAME_UNSET;
        else if (strcmp(s, "enforcing") == 0)
                *ret = SHORT_NAME_ENFORCING;
        else if (strcmp(s, "permissive") == 0)
                *ret = SHORT_NAME_PERMISSIVE;
        else if (strcmp(s, "disabled") == 0)
                *ret = SHORT_NAME_DISABLED;
        else
                return invalid(err, origin, "invalid short-name mode \"%s\"", s);
        return 0;
}

/* Version 1: [registries.search|insecure|block] registries = [...]. */
static int parse_v1(json_t *v1, struct registries_conf *c, const char *origin, cpod_error_t *err)
{
        static const char *const kinds[] = { "search", "insecure", "block" };

        if (!json_is_object(v1))
                return invalid(err, origin, "%s must be a table", "registries");
        for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
                json_t *t = json_object_get(v1, kinds[k]), *list = json_object_get(t, "registries");
                _cleanup_strv_ char **regs = NULL;
                if (!list)
                        continue;
                if (str_array(list, &regs, "registries", origin, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                if (k == 0) {
                        strv_free(c->search);
                        c->search = TAKE_PTR(regs);
                        free(c->search_origin);
                        c->search_origin = xstrdup(origin);
                        continue;
                }
                for (char **r = regs; *r; r++) {
                        struct reg_entry e = { 0 };
                        const struct reg_entry *have = registries_find(c, *r);
                        if (have && strcmp(have->prefix, *r) == 0) {
                                struct reg_entry *w = (struct reg_entry *)have;
                                w->insecure |= k == 1;
                                w->blocked |= k == 2;
                                continue;
                        }
                        e.prefix = xstrdup(*r);
                        e.location = xstrdup(*r);
                        e.origin = xstrdup(origin);
                        e.insecure = k == 1;
                        e.blocked = k == 2;
                        e.mirrors = xnew0(struct reg_mirror, 1);
                        add_entry(c, &e);
                }
        }
        return 0;
}

static int parse_doc(json_t *doc, struct registries_conf *c, const char *origin, cpod_error_t *err)
{
        json_t *v1 = json_object_get(doc, "registries"), *v, *t;
        size_t i;

        if (v1 && (json_object_get(doc, "registry") || json_object_get(doc, "unqualified-search-registries")))
                return invalid(err, origin, "%s", "mixing sysregistry v1/v2 is not supported");
        if (v1)
                return parse_v1(v1, c, origin, err);
        if ((v = json_object_get(doc, "unqualified-search-registries"))) {
                if (str_array(v, &c->search, "unqualified-search-registries", origin, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                free(c->search_origin);
                c->search_origin = xstrdup(origin);
        }
        if ((v = json_object_get(doc, "short-name-mode")) && parse_mode(v, &c->mode, origin, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if ((v = json_object_get(doc, "aliases")) && parse_aliases(v, c, origin, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        v = json_object_get(doc, "registry");
        if (v && !json_is_array(v))
                return invalid(err, origin, "%s must be an array of tables", "registry");
        json_array_foreach(v, i, t) {
                struct reg_entry e = { 0 };
                if (parse_registry(t, &e, origin, err) < 0) {
                        entry_clear(&e);
                        return cpod_error_rc(err, -EINVAL);
                }
                add_entry(c, &e);
        }
        return 0;
}

static int merge_file(struct registries_conf *c, const char *path, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = cpod_toml_parse_file(path, err);

        if (!doc)
                return cpod_error_wrap(err, "loading registries configuration \"%s\"", path);
        return parse_doc(doc, c, path, err);
}

static int cmp_entry(const void *a, const void *b)
{
        return strcmp(((const struct reg_entry *)a)->prefix, ((const struct reg_entry *)b)->prefix);
}

static void finish(struct registries_conf *c)
{
        if (c->n_regs)
                qsort(c->regs, c->n_regs, sizeof(*c->regs), cmp_entry);
}

int registries_conf_parse(const char *buf, size_t len, const char *origin, struct registries_conf **ret,
                          cpod_error_t *err)
{
        struct registries_conf *c = xzalloc(sizeof(*c));
        _cleanup_json_ json_t *doc = cpod_toml_parse(buf, len, origin, err);

        if (!doc || parse_doc(doc, c, origin, err) < 0) {
                registries_conf_free(c);
                return cpod_error_rc(err, -EINVAL);
        }
        finish(c);
        c->sources = xstrdup(origin);
        *ret = c;
        return 0;
}

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **dropins(const char *dir)
{
        char **v = NULL;
        DIR *d = opendir(dir);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] != '.' && l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0)
                        strv_take(&v, path_join(dir, de->d_name));
        }
        if (d)
                closedir(d);
        if (v)
                qsort(v, strv_length(v), sizeof(char *), cmpstr);
        return v;
}

int registries_conf_load_paths(const char *main, char *const *dirs, struct registries_conf **ret, cpod_error_t *err)
{
        struct registries_conf *c = xzalloc(sizeof(*c));
        struct strbuf src = STRBUF_INIT;

        strbuf_addstr(&src, main);
        if (path_exists(main) && merge_file(c, main, err) < 0)
                goto fail;
        for (size_t i = 0; dirs && dirs[i]; i++) {
                _cleanup_strv_ char **files = dropins(dirs[i]);
                strbuf_addf(&src, ", %s", dirs[i]);
                for (char **f = files; f && *f; f++)
                        if (merge_file(c, *f, err) < 0)
                                goto fail;
        }
        finish(c);
        c->sources = strbuf_detach(&src, NULL);
        *ret = c;
        return 0;
fail:
        strbuf_release(&src);
        registries_conf_free(c);
        return cpod_error_rc(err, -EINVAL);
}

int registries_conf_load(struct registries_conf **ret, cpod_error_t *err)
{
        const char *env = getenv("CONTAINERS_REGISTRIES_CONF"), *envdir = getenv("CONTAINERS_REGISTRIES_CONF_DIR");
        const char *home = getenv("HOME");
        _cleanup_free_ char *user = home && *home ? path_join(home, ".config/containers/registries.conf") : NULL;
        _cleanup_free_ char *userdir = home && *home ? path_join(home, ".config/containers/registries.conf.d") : NULL;
        _cleanup_strv_ char **dirs = xnew0(char *, 1);
        const char *main = SYSTEM_CONF;
        bool user_main = false;

        if (env && *env) {
                main = env;
        } else if (user && path_exists(user)) {
                main = user;
                user_main = true;
        }
        if (envdir && *envdir) {
                strv_add(&dirs, envdir);
        } else {
                if (!user_main)
                        strv_add(&dirs, SYSTEM_CONF_DIR);
                if (userdir)
                        strv_add(&dirs, userdir);
        }
        return registries_conf_load_paths(main, dirs, ret, err);
}

/* containers/image's refMatchingPrefix: length of the match, or -1. */
static ssize_t match_prefix(const char *ref, const char *prefix)
{
        size_t rl = strlen(ref), pl = strlen(prefix);

        if (strncmp(prefix, "*.", 2) == 0) {
                const char *dom = prefix + 1, *at = strstr(ref, dom);
                size_t end;
                if (!at || memchr(ref, '/', (size_t)(at - ref)))
                        return -1;
                end = (size_t)(at - ref) + strlen(dom);
                if (end == rl || ref[end] == ':' || ref[end] == '/' || ref[end] == '@')
                        return (ssize_t)end;
                return -1;
        }
        if (rl < pl || strncmp(ref, prefix, pl) != 0)
                return -1;
        if (rl == pl || ref[pl] == ':' || ref[pl] == '/' || ref[pl] == '@')
                return (ssize_t)pl;
        return -1;
}

const struct reg_entry *registries_find(const struct registries_conf *c, const char *ref)
{
        const struct reg_entry *best = NULL;
        size_t best_len = 0;

        for (size_t i = 0; c && i < c->n_regs; i++) {
                size_t pl = strlen(c->regs[i].prefix);
                if (match_prefix(ref, c->regs[i].prefix) >= 0 && (!best || pl > best_len)) {
                        best = &c->regs[i];
                        best_len = pl;
                }
        }
        return best;
}

const char *registries_alias(const struct registries_conf *c, const char *name, const char **origin)
{
        for (size_t i = 0; c && i < c->n_aliases; i++)
                if (strcmp(c->aliases[i].name, name) == 0 && *c->aliases[i].value) {
                        if (origin)
                                *origin = c->aliases[i].origin;
                        return c->aliases[i].value;
                }
        return NULL;
}

void pull_sources_free(struct pull_source *v, size_t n)
{
        for (size_t i = 0; v && i < n; i++)
                free(v[i].ref);
        free(v);
}

/* Replace the matched prefix with location ("" keeps the reference: wildcard prefixes). */
static char *rewrite(const char *ref, const struct reg_entry *e, const char *location)
{
        ssize_t m = match_prefix(ref, e->prefix);

        if (!*location || m < 0)
                return xstrdup(ref);
        return xasprintf("%s%s", location, ref + m);
}

int registries_pull_sources(const struct registries_conf *c, const char *ref, struct pull_source **ret, size_t *ret_n,
                            cpod_error_t *err)
{
        const struct reg_entry *e = registries_find(c, ref);
        bool digested = strchr(ref, '@') != NULL;
        struct pull_source *v;
        size_t n = 0;

        if (!e) {
                v = xnew0(struct pull_source, 1);
                v[0].ref = xstrdup(ref);
                *ret = v;
                *ret_n = 1;
                return 0;
        }
        if (e->blocked)
                return cpod_error_set(err, EACCES, CPOD_E_DENIED, "registry %s is blocked in %s", e->prefix, e->origin);
        v = xnew0(struct pull_source, e->n_mirrors + 1);
        for (size_t i = 0; i < e->n_mirrors; i++) {
                const struct reg_mirror *m = &e->mirrors[i];
                if (e->mirror_by_digest_only ? !digested
                                             : (m->pull_from == PULL_FROM_MIRROR_DIGEST_ONLY && !digested) ||
                                                       (m->pull_from == PULL_FROM_MIRROR_TAG_ONLY && digested))
                        continue;
                v[n].ref = rewrite(ref, e, m->location);
                v[n].insecure = m->insecure;
                v[n++].mirror = true;
        }
        v[n].ref = rewrite(ref, e, e->location);
        v[n++].insecure = e->insecure;
        *ret = v;
        *ret_n = n;
        return 0;
}

bool registries_insecure(const struct registries_conf *c, const char *host)
{
        const struct reg_entry *e = registries_find(c, host);

        return e && e->insecure;
}

int registries_search(char ***ret, cpod_error_t *err)
{
        struct registries_conf *c = NULL;

        if (registries_conf_load(&c, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        *ret = c->search ? strv_copy(c->search) : xnew0(char *, 1);
        registries_conf_free(c);
        return 0;
}
