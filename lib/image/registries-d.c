/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers-registries.d(5): where a registry's signatures are kept
 * ("lookaside" storage, once called "sigstore").  The files are YAML of
 * nested mappings of scalars; this reads exactly that subset (block
 * mappings, plain or quoted scalars, comments) and refuses the rest
 * (sequences, flow collections, anchors, tabs) with the file and line, so
 * a file it does not understand is never half-applied.
 */
#include "image/registries-d.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define MAX_DEPTH 8

static int yaml_error(const char *file, int line, const char *what, cpod_error_t *err)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s:%d: %s", file, line, what);
}

/* A scalar: plain (trailing spaces trimmed), "double" (\" \\ escapes) or 'single' ('' escape). */
static char *scalar(const char *s, const char **bad)
{
        size_t n = strlen(s);

        while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
                n--;
        if (n && (s[0] == '"' || s[0] == '\'')) {
                char q = s[0], *out = xmalloc(n + 1), *o = out;
                size_t i = 1;
                for (; i < n; i++) {
                        if (s[i] == q && !(q == '\'' && i + 1 < n && s[i + 1] == '\''))
                                break; /* the closing quote ('' inside single quotes is one ') */
                        if ((q == '"' && s[i] == '\\' && i + 1 < n) || (q == '\'' && s[i] == '\''))
                                i++;
                        *o++ = s[i];
                }
                *o = '\0';
                if (i != n - 1) {
                        *bad = "unterminated or trailing text after a quoted scalar";
                        free(out);
                        return NULL;
                }
                return out;
        }
        if (n && strchr("[{&*!|>%@`", s[0])) {
                *bad = "unsupported YAML (flow collections, anchors, tags and block scalars are not read)";
                return NULL;
        }
        return xstrndup(s, n);
}

/* Cut a line's comment: a '#' at its start or after a space, outside quotes. */
static void cut_comment(char *line)
{
        char q = 0;

        for (char *p = line; *p; p++) {
                if (q) {
                        if (*p == q)
                                q = 0;
                } else if (*p == '"' || *p == '\'') {
                        q = *p;
                } else if (*p == '#' && (p == line || p[-1] == ' ')) {
                        *p = '\0';
                        return;
                }
        }
}

int yaml_mapping_parse(const char *text, const char *file, json_t **ret, cpod_error_t *err)
{
        _cleanup_strv_ char **lines = strv_split(text, "\n");
        json_t *root = json_object(), *stack[MAX_DEPTH + 1] = { root };
        int indent[MAX_DEPTH + 1] = { -1 }, depth = 0, lineno = 0;
        bool want_child = false;

        for (char **l = lines; *l; l++) {
                char *line = *l, *colon, *key_end;
                const char *bad = NULL;
                _cleanup_free_ char *key = NULL, *val = NULL;
                int ind = 0;

                lineno++;
                cut_comment(line);
                while (line[ind] == ' ')
                        ind++;
                if (line[ind] == '\t')
                        return json_decref(root), yaml_error(file, lineno, "tabs are not allowed for indentation", err);
                if (!line[ind] || line[ind] == '\r' || strncmp(line + ind, "---", 3) == 0)
                        continue;
                if (line[ind] == '-')
                        return json_decref(root), yaml_error(file, lineno, "sequences are not supported here", err);
                if (want_child) { /* the previous key opened a mapping: this line must be inside it */
                        if (ind <= indent[depth])
                                return json_decref(root), yaml_error(file, lineno, "empty mapping", err);
                        indent[++depth] = ind;
                        want_child = false;
                }
                while (depth > 0 && ind < indent[depth])
                        depth--;
                if (ind != indent[depth] && !(depth == 0 && indent[0] < 0))
                        return json_decref(root), yaml_error(file, lineno, "inconsistent indentation", err);
                if (depth == 0)
                        indent[0] = ind;
                colon = strstr(line + ind, ": ");
                if (!colon && (key_end = strrchr(line + ind, ':')) && key_end[1] == '\0')
                        colon = key_end;
                if (!colon && (key_end = strrchr(line + ind, ':')) && key_end[1] == '\r')
                        colon = key_end;
                if (!colon)
                        return json_decref(root), yaml_error(file, lineno, "expected \"key: value\"", err);
                *colon = '\0';
                key = scalar(line + ind, &bad);
                if (!key || !*key)
                        return json_decref(root), yaml_error(file, lineno, bad ? bad : "empty key", err);
                if (json_object_get(stack[depth], key))
                        return json_decref(root), yaml_error(file, lineno, "duplicate key", err);
                {
                        const char *v = colon + 1;
                        while (*v == ' ')
                                v++;
                        if (!*v || *v == '\r') {
                                if (depth == MAX_DEPTH)
                                        return json_decref(root), yaml_error(file, lineno, "nested too deeply", err);
                                stack[depth + 1] = json_object();
                                json_object_set_new(stack[depth], key, stack[depth + 1]);
                                want_child = true;
                                continue;
                        }
                        if (!(val = scalar(v, &bad)))
                                return json_decref(root), yaml_error(file, lineno, bad, err);
                        json_object_set_new(stack[depth], key, json_string(val));
                }
        }
        *ret = root;
        return 0;
}

/* The user's directory when it exists, else the system's (containers-registries.d(5)). */
static char *default_dir(void)
{
        const char *home = getenv("HOME");

        if (home && *home) {
                _cleanup_free_ char *user = path_join(home, ".config/containers/registries.d");
                if (is_dir(user))
                        return TAKE_PTR(user);
        }
        return xstrdup("/etc/containers/registries.d");
}

/* Merge one file: a second default-docker or the same docker scope twice is an error. */
static int merge(json_t *all, json_t *doc, const char *file, cpod_error_t *err)
{
        json_t *dd = json_object_get(doc, "default-docker"), *docker = json_object_get(doc, "docker"), *v;
        const char *k;

        if (dd) {
                if (json_object_get(all, "default-docker"))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "%s: default-docker is already set in another registries.d file", file);
                json_object_set(all, "default-docker", dd);
        }
        json_object_foreach(docker, k, v) {
                if (json_object_get(json_object_get(all, "docker"), k))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "%s: docker scope \"%s\" is already set in another registries.d file",
                                              file, k);
                json_object_set(json_object_get(all, "docker"), k, v);
        }
        return 0;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int registries_d_load(const char *dir, json_t **ret, cpod_error_t *err)
{
        _cleanup_free_ char *d = dir ? xstrdup(dir) : default_dir();
        _cleanup_strv_ char **names = NULL;
        json_t *all = json_pack("{s:{}}", "docker");
        DIR *dh = opendir(d);
        struct dirent *de;

        while (dh && (de = readdir(dh))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] != '.' && l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0)
                        strv_add(&names, de->d_name);
        }
        if (dh)
                closedir(dh);
        if (names)
                qsort(names, strv_length(names), sizeof(char *), cmp_str);
        for (char **n = names; n && *n; n++) {
                _cleanup_free_ char *path = path_join(d, *n), *text = NULL;
                _cleanup_json_ json_t *doc = NULL;
                size_t len;
                if (read_file(path, &text, &len, 1 << 20, err) < 0 || yaml_mapping_parse(text, path, &doc, err) < 0 ||
                    merge(all, doc, path, err) < 0) {
                        json_decref(all);
                        return cpod_error_rc(err, -EINVAL);
                }
        }
        *ret = all;
        return 0;
}

const json_t *registries_d_for(const json_t *conf, const char *repo)
{
        json_t *docker = json_object_get(conf, "docker"), *e;
        _cleanup_free_ char *s = xstrdup(repo);
        char *cut;

        for (;;) {
                if ((e = json_object_get(docker, s)))
                        return e;
                if (!(cut = strrchr(s, '/')))
                        break;
                *cut = '\0';
        }
        return json_object_get(conf, "default-docker");
}
