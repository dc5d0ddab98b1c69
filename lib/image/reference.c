/* SPDX-License-Identifier: Apache-2.0 */
#include "image/reference.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/digest.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define NAME_MAX_LEN 255

void image_ref_clear(struct image_ref *r)
{
        free(r->domain);
        free(r->path);
        free(r->tag);
        free(r->digest);
        memset(r, 0, sizeof(*r));
}

/* path-component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static bool valid_component(const char *s, size_t n)
{
        size_t i = 0;

        if (n == 0 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
                return false;
        while (i < n) {
                if (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i])) {
                        i++;
                        continue;
                }
                if (s[i] == '.' || s[i] == '_') {
                        size_t k = 1;
                        if (s[i] == '_' && i + 1 < n && s[i + 1] == '_')
                                k = 2;
                        i += k;
                } else if (s[i] == '-') {
                        while (i < n && s[i] == '-')
                                i++;
                } else {
                        return false;
                }
                if (i >= n || !(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i])))
                        return false;
        }
        return true;
}

/*
 * domain-component: [A-Za-z0-9] | [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9].  No empty component: a
 * host "." or ".." would name a directory above certs.d/ when looking for its certificates.
 */
static bool valid_host(const char *s, size_t n)
{
        size_t start = 0;

        for (size_t i = 0; i <= n; i++) {
                if (i < n && s[i] != '.') {
                        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
                                return false;
                        continue;
                }
                if (i == start || s[start] == '-' || s[i - 1] == '-')
                        return false;
                start = i + 1;
        }
        return true;
}

/* domain: host components joined by dots, optional :port; or an IPv6 literal in brackets. */
static bool valid_domain(const char *s, size_t n)
{
        const char *colon = memchr(s, ':', n);
        size_t host = colon ? (size_t)(colon - s) : n;

        if (host == 0)
                return false;
        if (s[0] == '[') {
                const char *close = memchr(s, ']', n);
                if (!close)
                        return false;
                for (const char *p = s + 1; p < close; p++)
                        if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                                return false;
                colon = close + 1 < s + n ? close + 1 : NULL;
                if (colon && *colon != ':')
                        return false;
        } else if (!valid_host(s, host)) {
                return false;
        }
        if (colon) {
                if (colon + 1 == s + n)
                        return false;
                for (const char *p = colon + 1; p < s + n; p++)
                        if (!isdigit((unsigned char)*p))
                                return false;
        }
        return true;
}

static bool valid_tag(const char *t)
{
        size_t n = strlen(t);

        if (n == 0 || n > 128 || !(isalnum((unsigned char)t[0]) || t[0] == '_'))
                return false;
        for (size_t i = 1; i < n; i++)
                if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '.' && t[i] != '-')
                        return false;
        return true;
}

static bool looks_like_domain(const char *s, size_t n)
{
        return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && memcmp(s, "localhost", 9) == 0) ||
               (n > 0 && s[0] == '[');
}

static int bad(cpod_error_t *err, const char *s, const char *why)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid reference format \"%s\": %s", s, why);
}

static int parse_name(const char *s, const char *name, size_t n, struct image_ref *r, cpod_error_t *err)
{
        const char *slash = memchr(name, '/', n);
        const char *path = name;
        size_t plen = n;

        if (slash && looks_like_domain(name, (size_t)(slash - name))) {
                if (!valid_domain(name, (size_t)(slash - name)))
                        return bad(err, s, "invalid domain");
                r->domain = xstrndup(name, (size_t)(slash - name));
                path = slash + 1;
                plen = n - (size_t)(path - name);
        }
        for (size_t i = 0; i <= plen;) {
                const char *p = memchr(path + i, '/', plen - i);
                size_t cl = p ? (size_t)(p - (path + i)) : plen - i;
                if (!valid_component(path + i, cl))
                        return bad(err, s, "repository name must be lowercase");
                i += cl + 1;
        }
        r->path = xstrndup(path, plen);
        return 0;
}

int image_ref_parse(const char *s, struct image_ref *ret, cpod_error_t *err)
{
        struct image_ref r = { 0 };
        const char *at = strchr(s, '@'), *end = at ? at : s + strlen(s);
        const char *last_slash, *colon;
        size_t n;

        if (!*s || strlen(s) > 4096)
                return bad(err, s, "empty or too long");
        if (at) {
                if (!digest_valid_any(at + 1))
                        return bad(err, s, "invalid digest");
                r.digest = xstrdup(at + 1);
        }
        last_slash = memrchr(s, '/', (size_t)(end - s));
        colon = memrchr(last_slash ? last_slash : s, ':', (size_t)(end - (last_slash ? last_slash : s)));
        n = (size_t)((colon ? colon : end) - s);
        if (colon) {
                r.tag = xstrndup(colon + 1, (size_t)(end - colon - 1));
                if (!valid_tag(r.tag)) {
                        image_ref_clear(&r);
                        return bad(err, s, "invalid tag");
                }
        }
        if (n == 0 || n > NAME_MAX_LEN || parse_name(s, s, n, &r, err) < 0) {
                int rr = n == 0 || n > NAME_MAX_LEN ? bad(err, s, "invalid name") : -EINVAL;
                image_ref_clear(&r);
                return rr;
        }
        *ret = r;
        return 0;
}

char *image_ref_repo(const struct image_ref *r)
{
        return r->domain ? xasprintf("%s/%s", r->domain, r->path) : xstrdup(r->path);
}

char *image_ref_string(const struct image_ref *r)
{
        struct strbuf sb = STRBUF_INIT;

        if (r->domain)
                strbuf_addf(&sb, "%s/", r->domain);
        strbuf_addstr(&sb, r->path);
        if (r->tag)
                strbuf_addf(&sb, ":%s", r->tag);
        if (r->digest)
                strbuf_addf(&sb, "@%s", r->digest);
        return strbuf_detach(&sb, NULL);
}

void image_ref_normalize_docker(struct image_ref *r)
{
        if (!r->domain)
                return;
        if (strcmp(r->domain, "index.docker.io") == 0 || strcmp(r->domain, "registry-1.docker.io") == 0) {
                free(r->domain);
                r->domain = xstrdup("docker.io");
        }
        if (strcmp(r->domain, "docker.io") == 0 && !strchr(r->path, '/')) {
                char *p = xasprintf("library/%s", r->path);
                free(r->path);
                r->path = p;
        }
}

void image_ref_default_tag(struct image_ref *r)
{
        if (!r->tag && !r->digest)
                r->tag = xstrdup("latest");
}

void image_ref_qualify(struct image_ref *r, const char *domain)
{
        if (!r->domain)
                r->domain = xstrdup(domain);
        image_ref_normalize_docker(r);
        image_ref_default_tag(r);
}

bool image_ref_too_long(const struct image_ref *r)
{
        return (r->domain ? strlen(r->domain) + 1 : 0) + strlen(r->path) > NAME_MAX_LEN;
}

char *image_ref_normalize_local(const char *s, cpod_error_t *err)
{
        struct image_ref r;
        char *out;

        if (image_ref_parse(s, &r, err) < 0)
                return NULL;
        image_ref_qualify(&r, "localhost");
        if (image_ref_too_long(&r)) {
                image_ref_clear(&r);
                cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                               "invalid reference format \"%s\": repository name must not be more than %d characters",
                               s, NAME_MAX_LEN);
                return NULL;
        }
        out = image_ref_string(&r);
        image_ref_clear(&r);
        return out;
}
