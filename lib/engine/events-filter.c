/* SPDX-License-Identifier: Apache-2.0 */
/* Event filters and podman's human-readable event lines (events.c reads the log). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpod/events.h>

#include "engine/events-internal.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const keys[] = { "container", "image", "pod", "volume", "network", "type", "event", "label", NULL };

static int key_index(const char *k, size_t n)
{
        _cleanup_free_ char *key = xstrndup(k, n);

        if (strcasecmp(key, "status") == 0)
                return 6;
        for (int i = 0; keys[i]; i++)
                if (strcasecmp(keys[i], key) == 0)
                        return i;
        return -1;
}

int ev_filters_parse(const char *const *filters, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *f = json_array();

        for (int i = 0; keys[i]; i++)
                json_array_append_new(f, json_array());
        for (const char *const *p = filters; p && *p; p++) {
                const char *eq = strchr(*p, '=');
                int k = eq ? key_index(*p, (size_t)(eq - *p)) : -1;
                if (!eq)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "failed to parse event filters: %s is an invalid filter", *p);
                if (k < 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "failed to parse event filters: %.*s is an invalid filter",
                                              (int)(eq - *p), *p);
                json_array_append_new(json_array_get(f, (size_t)k), json_string(eq + 1));
        }
        *ret = TAKE_PTR(f);
        return 0;
}

static bool str_is(const json_t *ev, const char *key, const char *v)
{
        const char *s = json_get_str(ev, key);

        return s && strcmp(s, v) == 0;
}

/* An object of the filter's type, by name or ID prefix (podman's rule; volumes by name too). */
static bool object_is(const json_t *ev, const char *type, const char *v)
{
        const char *id = json_get_str(ev, "ID");

        if (!str_is(ev, "Type", type))
                return false;
        if (str_is(ev, "Name", v) || (id && strncmp(id, v, strlen(v)) == 0))
                return true;
        return strcmp(type, "network") == 0 && str_is(ev, "network", v);
}

static bool label_is(const json_t *ev, const char *v)
{
        const char *eq = strchr(v, '=');
        json_t *attrs = json_object_get(ev, "Attributes");
        _cleanup_free_ char *k = NULL;

        if (!eq || !json_is_object(attrs))
                return false;
        k = xstrndup(v, (size_t)(eq - v));
        return str_is(attrs, k, eq + 1);
}

static bool one_matches(int key, const json_t *ev, const char *v)
{
        switch (key) {
        case 5:
                return str_is(ev, "Type", v);
        case 6:
                return str_is(ev, "Status", v);
        case 7:
                return label_is(ev, v);
        default:
                return object_is(ev, keys[key], v);
        }
}

bool ev_filters_match(const json_t *filters, const json_t *ev)
{
        json_t *vals, *v;
        size_t i, j;

        json_array_foreach(filters, i, vals) {
                bool any = json_array_size(vals) == 0;
                json_array_foreach(vals, j, v)
                        any = any || one_matches((int)i, ev, json_string_value(v));
                if (!any)
                        return false;
        }
        return true;
}

int64_t ev_time_ns(const json_t *ev)
{
        const char *t = json_get_str(ev, "Time");
        int64_t sec;
        long nsec;

        if (!t || time_parse_rfc3339(t, &sec, &nsec) < 0)
                return 0;
        return sec * 1000000000 + nsec;
}

char *cpod_event_time_string(const json_t *ev)
{
        int64_t t = ev_time_ns(ev);

        return time_go_string(t / 1000000000, t % 1000000000);
}

static const char *s_of(const json_t *ev, const char *key)
{
        const char *s = json_get_str(ev, key);

        return s ? s : "";
}

static void add_attributes(struct strbuf *sb, const json_t *ev)
{
        json_t *attrs = json_object_get(ev, "Attributes"), *v;
        const char *k;

        if (!json_is_object(attrs))
                return;
        json_object_foreach(attrs, k, v)
                strbuf_addf(sb, ", %s=%s", k, json_is_string(v) ? json_string_value(v) : "");
}

char *cpod_event_human(const json_t *ev)
{
        struct strbuf sb = STRBUF_INIT;
        _cleanup_free_ char *t = cpod_event_time_string(ev);
        const char *type = s_of(ev, "Type"), *status = s_of(ev, "Status"), *id = s_of(ev, "ID");
        const char *name = s_of(ev, "Name");

        strbuf_addf(&sb, "%s %s %s", t, type, status);
        if (strcmp(type, "container") == 0 || strcmp(type, "pod") == 0) {
                strbuf_addf(&sb, " %s (image=%s, name=%s", id, s_of(ev, "Image"), name);
                if (*s_of(ev, "PodID"))
                        strbuf_addf(&sb, ", pod_id=%s", s_of(ev, "PodID"));
                if (*s_of(ev, "health_status"))
                        strbuf_addf(&sb, ", health_status=%s", s_of(ev, "health_status"));
                add_attributes(&sb, ev);
                strbuf_addch(&sb, ')');
        } else if (strcmp(type, "network") == 0) {
                strbuf_addf(&sb, " %s (container=%s, name=%s)", id, id, s_of(ev, "network"));
        } else if (strcmp(type, "image") == 0) {
                strbuf_addf(&sb, " %s %s", id, name);
        } else if (*name) {
                strbuf_addf(&sb, " %s", name);
        }
        return strbuf_detach(&sb, NULL);
}
