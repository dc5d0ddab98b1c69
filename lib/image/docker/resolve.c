/* SPDX-License-Identifier: Apache-2.0 */
/* Short-name resolution (see resolve.h), after containers/image pkg/shortnames. */
#include "image/docker/resolve.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/reference.h"
#include "util/cleanup.h"
#include "util/strv.h"
#include "util/xalloc.h"

void resolved_clear(struct resolved *r)
{
        strv_free(r->candidates);
        free(r->description);
        free(r->short_name);
        memset(r, 0, sizeof(*r));
}

/* "domain/path" + the user's tag/digest, normalised, with :latest when neither. */
static char *qualified(const char *domain, const char *path, const struct image_ref *user)
{
        struct image_ref q = { .domain = (char *)domain, .path = (char *)path };
        struct image_ref n = { 0 };
        char *s;

        s = image_ref_string(&q);
        if (image_ref_parse(s, &n, NULL) < 0) {
                free(s);
                return NULL;
        }
        free(s);
        n.tag = xstrdup(user->tag);
        n.digest = xstrdup(user->digest);
        image_ref_normalize_docker(&n);
        image_ref_default_tag(&n);
        s = image_ref_string(&n);
        image_ref_clear(&n);
        return s;
}

static int from_alias(const char *value, const char *origin, const struct image_ref *r, struct resolved *ret,
                      cpod_error_t *err)
{
        struct image_ref a;
        char *c;

        if (image_ref_parse(value, &a, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        c = qualified(a.domain, a.path, r);
        image_ref_clear(&a);
        if (!c)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid alias value \"%s\"", value);
        strv_take(&ret->candidates, c);
        ret->description = xasprintf("Resolved \"%s\" as an alias (%s)", ret->short_name, origin);
        return 0;
}

int shortname_resolve(const struct registries_conf *c, const char *name, choose_fn choose, void *ud,
                      struct resolved *ret, cpod_error_t *err)
{
        struct resolved res = { 0 };
        struct image_ref r;
        const char *alias, *origin = NULL;
        enum short_name_mode mode = c->mode;
        int rc = 0;

        if (image_ref_parse(name, &r, err) < 0)
                return cpod_error_wrap(err, "parsing reference \"%s\"", name);
        res.candidates = xnew0(char *, 1);
        if (r.domain) {
                image_ref_normalize_docker(&r);
                image_ref_default_tag(&r);
                strv_take(&res.candidates, image_ref_string(&r));
                goto done;
        }
        res.short_name = xstrdup(r.path);
        if ((alias = registries_alias(c, r.path, &origin))) {
                rc = from_alias(alias, origin, &r, &res, err);
                goto done;
        }
        if (!c->search || !c->search[0]) {
                rc = cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                    "short-name \"%s\" did not resolve to an alias and no unqualified-search "
                                    "registries are defined in \"%s\"",
                                    name, c->search_origin ? c->search_origin : c->sources);
                goto done;
        }
        for (char **reg = c->search; *reg; reg++) {
                char *q = qualified(*reg, r.path, &r);
                if (!q) {
                        rc = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                            "creating reference with unqualified-search registry \"%s\"", *reg);
                        goto done;
                }
                strv_take(&res.candidates, q);
        }
        res.description = xasprintf("Resolving \"%s\" using unqualified-search registries (%s)", res.short_name,
                                    c->search_origin ? c->search_origin : c->sources);
        if (mode == SHORT_NAME_DISABLED || strv_length(res.candidates) == 1)
                goto done;
        if (!choose) {
                if (mode == SHORT_NAME_ENFORCING)
                        rc = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                            "short-name resolution enforced but cannot prompt without a TTY "
                                            "(\"%s\" matches %zu unqualified-search registries: use a fully "
                                            "qualified name or an alias)",
                                            name, strv_length(res.candidates));
                goto done;
        }
        {
                int pick = choose(ud, name, res.candidates);
                char *keep;
                if (pick < 0 || (size_t)pick >= strv_length(res.candidates)) {
                        rc = cpod_error_set(err, ECANCELED, CPOD_E_INVALID, "short-name resolution of \"%s\" aborted",
                                            name);
                        goto done;
                }
                keep = xstrdup(res.candidates[pick]);
                strv_free(res.candidates);
                res.candidates = xnew0(char *, 1);
                strv_take(&res.candidates, keep);
                free(res.description);
                res.description = NULL;
        }
done:
        image_ref_clear(&r);
        if (rc < 0) {
                resolved_clear(&res);
                return rc;
        }
        *ret = res;
        return 0;
}
