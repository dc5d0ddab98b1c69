/* SPDX-License-Identifier: Apache-2.0 */
/* The healthcheck flags of run and create, parsed as podman parses them, into the container config. */
#include <string.h>
#include <strings.h>

#include "cli/ctr-params.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/*
 * podman's --health-cmd: a JSON array or a string.  "CMD ..."/"NONE" split on blanks, "CMD-SHELL X"
 * keeps X whole, an array of several words runs as CMD, anything else as CMD-SHELL.
 */
static json_t *health_test(const char *in)
{
        json_t *arr = json_loads(in, JSON_DECODE_ANY, NULL), *t;
        bool is_arr = json_is_array(arr) && json_array_size(arr) > 0;
        const char *first = is_arr ? json_string_value(json_array_get(arr, 0)) : NULL;
        _cleanup_free_ char *word = xstrndup(in, strcspn(in, " "));

        if (!is_arr)
                first = word;
        if (first && (strcasecmp(first, "NONE") == 0)) {
                t = json_pack("[s]", "NONE");
        } else if (first && strcasecmp(first, "CMD") == 0) {
                if (is_arr) {
                        t = json_incref(arr);
                } else {
                        _cleanup_strv_ char **w = strv_split(in, " \t\n");
                        t = json_strv(w, -1);
                }
        } else if (first && strcasecmp(first, "CMD-SHELL") == 0) {
                t = is_arr ? json_incref(arr)
                           : json_pack("[s,s]", first, in + strlen(word) + (in[strlen(word)] ? 1 : 0));
        } else if (is_arr && json_array_size(arr) > 1) {
                t = json_pack("[s]", "CMD");
                json_array_extend(t, arr);
        } else {
                t = json_pack("[s,s]", "CMD-SHELL", is_arr ? first : in);
        }
        json_decref(arr);
        return t;
}

static int duration(struct cli_ctx *ctx, json_t *p, const char *flag, const char *key, const char *v)
{
        int64_t ns;

        if (!cli_changed(ctx, flag))
                return 0;
        if (strcmp(flag, "health-interval") == 0 && strcmp(v, "disable") == 0)
                v = "0";
        if (parse_duration_ns(v, &ns) < 0)
                return cli_errorf("invalid healthcheck-%s: time: invalid duration \"%s\"", flag + 7, v);
        json_object_set_new(p, key, json_integer(ns));
        return 0;
}

int cli_health_params(struct cli_ctx *ctx, const struct cli_health_opts *h, json_t *p)
{
        int r;

        if (cli_changed(ctx, "health-cmd")) {
                if (!h->cmd || !*h->cmd)
                        return cli_errorf("must define a healthcheck command for all healthchecks");
                json_object_set_new(p, "HealthCmd", health_test(h->cmd));
        }
        if (h->none)
                json_object_set_new(p, "NoHealthcheck", json_true());
        if ((r = duration(ctx, p, "health-interval", "HealthInterval", h->interval)) ||
            (r = duration(ctx, p, "health-timeout", "HealthTimeout", h->timeout)) ||
            (r = duration(ctx, p, "health-start-period", "HealthStartPeriod", h->start_period)))
                return r;
        if (cli_changed(ctx, "health-retries"))
                json_object_set_new(p, "HealthRetries", json_integer((json_int_t)h->retries));
        if (cli_changed(ctx, "health-on-failure"))
                json_object_set_new(p, "HealthOnFailure", json_string(h->on_failure));
        return 0;
}
