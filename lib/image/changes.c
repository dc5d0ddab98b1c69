/* SPDX-License-Identifier: Apache-2.0 */
/* Dockerfile instructions of --change applied to an image config. */
#include "image/changes.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cleanup.h"
#include "util/json.h"
#include "util/signals.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int bad(cpod_error_t *err, const char *change, const char *why)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid change \"%s\" - %s", change, why);
}

/* Words as a shell splits them: whitespace separates, quotes group, backslash escapes. NULL: unterminated quote. */
static char **split_words(const char *s)
{
        struct strbuf w = STRBUF_INIT;
        char **v = xnew0(char *, 1);
        bool in_word = false;

        for (const char *p = s;; p++) {
                if (!*p || isspace((unsigned char)*p)) {
                        if (in_word)
                                strv_add(&v, w.buf);
                        strbuf_reset(&w);
                        in_word = false;
                        if (!*p)
                                break;
                        continue;
                }
                in_word = true;
                if (*p == '\\' && p[1]) {
                        strbuf_addch(&w, *++p);
                } else if (*p == '"' || *p == '\'') {
                        char q = *p;
                        const char *end = p + 1;
                        while (*end && *end != q) {
                                if (q == '"' && *end == '\\' && end[1])
                                        end++;
                                strbuf_addch(&w, *end++);
                        }
                        if (!*end) {
                                strbuf_release(&w);
                                strv_free(v);
                                return NULL;
                        }
                        p = end;
                } else {
                        strbuf_addch(&w, *p);
                }
        }
        strbuf_release(&w);
        return v;
}

/* ["a", "b"] (JSON form) or NULL when the text isn't a JSON array of strings. */
static json_t *json_form(const char *rest)
{
        json_t *j = *rest == '[' ? json_loads(rest, 0, NULL) : NULL;
        json_t *e;
        size_t i;

        if (!json_is_array(j)) {
                json_decref(j);
                return NULL;
        }
        json_array_foreach(j, i, e)
                if (!json_is_string(e)) {
                        json_decref(j);
                        return NULL;
                }
        return j;
}

static json_t *command_form(const char *rest)
{
        json_t *j = json_form(rest);

        return j ? j : json_pack("[s, s, s]", "/bin/sh", "-c", rest);
}

static json_t *member(json_t *config, const char *key, json_t *(*make)(void))
{
        json_t *m = json_object_get(config, key);

        if (!m || json_is_null(m)) {
                m = make();
                json_object_set_new(config, key, m);
        }
        return m;
}

static void env_set(json_t *config, const char *key, const char *value)
{
        json_t *env = member(config, "Env", json_array), *e;
        _cleanup_free_ char *kv = xasprintf("%s=%s", key, value);
        size_t klen = strlen(key), i;

        json_array_foreach(env, i, e) {
                const char *s = json_string_value(e);
                if (s && strncmp(s, key, klen) == 0 && s[klen] == '=') {
                        json_array_set_new(env, i, json_string(kv));
                        return;
                }
        }
        json_array_append_new(env, json_string(kv));
}

static void label_set(json_t *config, const char *key, const char *value)
{
        json_object_set_new(member(config, "Labels", json_object), key, json_string(value));
}

/* ENV and LABEL: "K=V K2=V2" (quotes allowed), or the legacy "K the rest". */
static int key_values(json_t *config, const char *change, const char *rest, bool env, cpod_error_t *err)
{
        _cleanup_strv_ char **w = split_words(rest);
        const char *sp;

        if (!w)
                return bad(err, change, "unterminated quote");
        if (!w[0])
                return bad(err, change,
                           env ? "ENV requires at least one argument" : "LABEL requires at least one argument");
        if (!strchr(w[0], '=')) {
                _cleanup_free_ char *key = NULL;
                sp = rest + strcspn(rest, " \t");
                key = xstrndup(rest, (size_t)(sp - rest));
                sp += strspn(sp, " \t");
                if (!*sp)
                        return bad(err, change, "must be of the form KEY=VALUE or KEY VALUE");
                if (env)
                        env_set(config, key, sp);
                else
                        label_set(config, key, sp);
                return 0;
        }
        for (char **p = w; *p; p++) {
                char *eq = strchr(*p, '=');
                if (!eq || eq == *p)
                        return bad(err, change, "must be of the form KEY=VALUE");
                *eq = '\0';
                if (env)
                        env_set(config, *p, eq + 1);
                else
                        label_set(config, *p, eq + 1);
        }
        return 0;
}

static int expose(json_t *config, const char *change, const char *rest, cpod_error_t *err)
{
        _cleanup_strv_ char **w = split_words(rest);
        json_t *ports;

        if (!w || !w[0])
                return bad(err, change, "EXPOSE requires at least one argument");
        ports = member(config, "ExposedPorts", json_object);
        for (char **p = w; *p; p++) {
                char *slash = strchr(*p, '/');
                const char *proto = slash ? slash + 1 : "tcp";
                _cleanup_free_ char *port = slash ? xstrndup(*p, (size_t)(slash - *p)) : xstrdup(*p);
                _cleanup_free_ char *key = NULL, *lproto = xstrdup(proto);

                for (char *c = lproto; *c; c++)
                        *c = (char)tolower((unsigned char)*c);
                if (!*port || strspn(port, "0123456789-") != strlen(port) || port[0] == '-' ||
                    (strcmp(lproto, "tcp") != 0 && strcmp(lproto, "udp") != 0 && strcmp(lproto, "sctp") != 0))
                        return bad(err, change, "invalid port");
                key = xasprintf("%s/%s", port, lproto);
                json_object_set_new(ports, key, json_object());
        }
        return 0;
}

static int volume(json_t *config, const char *change, const char *rest, cpod_error_t *err)
{
        _cleanup_json_ json_t *list = json_form(rest);
        _cleanup_strv_ char **w = list ? json_to_strv(list) : split_words(rest);
        json_t *vols;

        if (!w || !w[0])
                return bad(err, change, "VOLUME requires at least one argument");
        vols = member(config, "Volumes", json_object);
        for (char **p = w; *p; p++)
                json_object_set_new(vols, *p, json_object());
        return 0;
}

static int workdir(json_t *config, const char *rest)
{
        const char *cur = json_get_str(config, "WorkingDir");
        _cleanup_free_ char *wd = NULL;

        if (rest[0] == '/' || !cur || !*cur)
                wd = xasprintf("%s%s", rest[0] == '/' ? "" : "/", rest);
        else
                wd = xasprintf("%s%s%s", cur, cur[strlen(cur) - 1] == '/' ? "" : "/", rest);
        json_object_set_new(config, "WorkingDir", json_string(wd));
        return 0;
}

int image_apply_change(json_t *config, const char *change, cpod_error_t *err)
{
        const char *p = change + strspn(change, " \t");
        size_t n = strcspn(p, " \t");
        _cleanup_free_ char *instr = xstrndup(p, n);
        const char *rest = p + n;
        int sig;

        rest += strspn(rest, " \t");
        if (strcasecmp(instr, "CMD") == 0) {
                json_object_set_new(config, "Cmd", command_form(rest));
        } else if (strcasecmp(instr, "ENTRYPOINT") == 0) {
                json_object_set_new(config, "Entrypoint", command_form(rest));
        } else if (strcasecmp(instr, "ENV") == 0 || strcasecmp(instr, "LABEL") == 0) {
                return key_values(config, change, rest, strcasecmp(instr, "ENV") == 0, err);
        } else if (strcasecmp(instr, "EXPOSE") == 0) {
                return expose(config, change, rest, err);
        } else if (strcasecmp(instr, "ONBUILD") == 0) {
                if (!*rest)
                        return bad(err, change, "ONBUILD requires at least one argument");
                json_array_append_new(member(config, "OnBuild", json_array), json_string(rest));
        } else if (strcasecmp(instr, "STOPSIGNAL") == 0) {
                if ((sig = signal_number(rest)) <= 0)
                        return bad(err, change, "invalid signal");
                json_object_set_new(config, "StopSignal", json_sprintf("%d", sig));
        } else if (strcasecmp(instr, "USER") == 0) {
                if (!*rest)
                        return bad(err, change, "USER requires exactly one argument");
                json_object_set_new(config, "User", json_string(rest));
        } else if (strcasecmp(instr, "VOLUME") == 0) {
                return volume(config, change, rest, err);
        } else if (strcasecmp(instr, "WORKDIR") == 0) {
                if (!*rest)
                        return bad(err, change, "WORKDIR requires exactly one argument");
                return workdir(config, rest);
        } else {
                _cleanup_free_ char *why = xasprintf("invalid instruction %s", instr);
                return bad(err, change, why);
        }
        return 0;
}

int image_apply_changes(json_t *config, char *const *changes, cpod_error_t *err)
{
        for (char *const *c = changes; c && *c; c++)
                if (image_apply_change(config, *c, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
        return 0;
}
