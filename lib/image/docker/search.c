/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod search against registries that serve /v2/_catalog (docker-registry,
 * most private registries).  A catalog has no descriptions, stars or
 * official flags: those fields are empty, as with podman.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/registry.h>

#include "image/docker/docker.h"
#include "image/registries.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define SEARCH_DEFAULT_LIMIT 25

/* "host/rest" when the first component is a host ("." or ":" in it, or localhost). */
static bool split_host(const char *term, char **host, char **rest)
{
        const char *slash = strchr(term, '/');
        size_t n = slash ? (size_t)(slash - term) : strlen(term);

        if (!slash)
                return false;
        if (!memchr(term, '.', n) && !memchr(term, ':', n) && !(n == 9 && strncmp(term, "localhost", 9) == 0))
                return false;
        *host = xstrndup(term, n);
        *rest = xstrdup(slash + 1);
        return true;
}

static int client(const struct registries_conf *conf, const char *host, const struct cpod_search_opts *o,
                  struct reg_client **ret, cpod_error_t *err)
{
        struct reg_opts ro;

        reg_opts_from(&o->reg, &ro);
        return reg_client_new(host, registries_insecure(conf, host), &ro, ret, err);
}

static int list_tags(const struct registries_conf *conf, const char *host, const char *repo,
                     const struct cpod_search_opts *o, json_t *out, cpod_error_t *err)
{
        struct reg_client *c = NULL;
        _cleanup_strv_ char **tags = NULL;
        json_t *arr;
        int limit = o->limit > 0 ? o->limit : 0;

        if (!*repo || strchr(repo, ':') || strchr(repo, '@'))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "reference \"%s/%s\" must be a repository without tag or digest for --list-tags",
                                      host, repo);
        if (client(conf, host, o, &c, err) < 0 || reg_list_tags(c, repo, &tags, err) < 0) {
                reg_client_free(c);
                return cpod_error_rc(err, -EIO);
        }
        reg_client_free(c);
        arr = json_array();
        for (size_t i = 0; tags[i] && (limit == 0 || (int)i < limit); i++)
                json_array_append_new(arr, json_string(tags[i]));
        json_array_append_new(out, json_pack("{s:s++, s:o}", "Name", host, "/", repo, "Tags", arr));
        return 0;
}

static int search_one(const struct registries_conf *conf, const char *host, const char *query,
                      const struct cpod_search_opts *o, json_t *out, cpod_error_t *err)
{
        struct reg_client *c = NULL;
        _cleanup_strv_ char **repos = NULL;
        int limit = o->limit > 0 ? o->limit : SEARCH_DEFAULT_LIMIT, n = 0;

        if (client(conf, host, o, &c, err) < 0 || reg_catalog(c, 0, &repos, err) < 0) {
                reg_client_free(c);
                return cpod_error_rc(err, -EIO);
        }
        reg_client_free(c);
        for (char **r = repos; *r && n < limit; r++) {
                if (*query && !strstr(*r, query))
                        continue;
                json_array_append_new(out, json_pack("{s:s, s:s++, s:s, s:i, s:s, s:s, s:s}", "Index", host, "Name",
                                                     host, "/", *r, "Description", "", "Stars", 0, "Official", "",
                                                     "Automated", "", "Tag", ""));
                n++;
        }
        return 0;
}

int cpod_registry_search(const char *term, const struct cpod_search_opts *o, json_t **ret, cpod_error_t *err)
{
        struct registries_conf *conf = NULL;
        _cleanup_free_ char *host = NULL, *rest = NULL;
        json_t *out = json_array();
        int r = 0;

        if (strncmp(term, "docker://", 9) == 0)
                term += 9;
        if (registries_conf_load(&conf, err) < 0) {
                json_decref(out);
                return cpod_error_rc(err, -EINVAL);
        }
        if (split_host(term, &host, &rest)) {
                r = o->list_tags ? list_tags(conf, host, rest, o, out, err) : search_one(conf, host, rest, o, out, err);
        } else if (o->list_tags) {
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                   "reference \"%s\" must be fully qualified (host/repository) for --list-tags", term);
        } else if (!conf->search || !conf->search[0]) {
                r = cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                   "no unqualified-search registries are defined in \"%s\": use HOST/TERM",
                                   conf->sources);
        } else {
                /* Every search registry; errors only matter when none answered. */
                cpod_error_t first = CPOD_ERROR_INIT;
                bool any = false;
                for (char **reg = conf->search; *reg; reg++) {
                        cpod_error_t e = CPOD_ERROR_INIT;
                        if (search_one(conf, *reg, term, o, out, &e) == 0)
                                any = true;
                        else if (!first.msg)
                                cpod_error_move(&first, &e);
                        cpod_error_clear(&e);
                }
                if (!any) {
                        cpod_error_move(err, &first);
                        r = -EIO;
                }
                cpod_error_clear(&first);
        }
        registries_conf_free(conf);
        if (r < 0) {
                json_decref(out);
                return cpod_error_wrap(err, "searching \"%s\"", term);
        }
        *ret = out;
        return 0;
}
