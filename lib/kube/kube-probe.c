/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A livenessProbe as the container's healthcheck, the way podman 4.3.1 turns
 * one into a command: exec runs "CMD || exit 1", httpGet "curl -f
 * SCHEME://HOST:PORT/PATH || exit 1", tcpSocket "nc -z -v HOST PORT || exit 1",
 * each a CMD-SHELL split on single spaces (so inspect shows what podman's
 * does).  periodSeconds is the interval (10s when unset), failureThreshold
 * the retries (3), timeoutSeconds the timeout (1s), initialDelaySeconds the
 * start period.  With restartPolicy Always an unhealthy container restarts
 * (--health-on-failure=restart).  Readiness and startup probes have no
 * counterpart: they are warnings, as every unknown field.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kube/kube-internal.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define SEC 1000000000LL

static const char *const probe_known[] = {
        "exec", "httpGet", "tcpSocket", "periodSeconds", "failureThreshold", "timeoutSeconds", "initialDelaySeconds",
        NULL
};

static int bad(const char *ctr, const char *what, cpod_error_t *err)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: livenessProbe.%s", ctr, what);
}

/* A port: a number, or a string of digits; a named port has nothing to resolve it here. */
static int probe_port(const char *ctr, const json_t *v, const char *where, json_int_t *ret, cpod_error_t *err)
{
        const char *s = json_string_value(v);
        char *end;

        if (json_is_integer(v))
                *ret = json_integer_value(v);
        else if (s && *s && (*ret = strtoll(s, &end, 10), *end == '\0'))
                ;
        else
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: livenessProbe.%s.port must be a port number (named ports "
                                      "are not supported)",
                                      ctr, where);
        if (*ret < 1 || *ret > 65535)
                return bad(ctr, "port is out of range", err);
        return 0;
}

static int exec_cmd(const char *ctr, const json_t *ex, struct strbuf *sb, cpod_error_t *err)
{
        const json_t *cmd = json_object_get(ex, "command"), *a;
        size_t i;

        if (!json_is_array(cmd) || !json_array_size(cmd))
                return bad(ctr, "exec.command must be a non-empty list of strings", err);
        json_array_foreach(cmd, i, a) {
                if (!json_is_string(a))
                        return bad(ctr, "exec.command must be a non-empty list of strings", err);
                strbuf_addf(sb, "%s%s", i ? " " : "", json_string_value(a));
        }
        return 0;
}

static int http_cmd(struct kube_ctx *ctx, const char *ctr, const json_t *h, struct strbuf *sb, cpod_error_t *err)
{
        const char *scheme = json_get_str(h, "scheme"), *host = json_get_str(h, "host"),
                   *path = json_get_str(h, "path");
        json_int_t port;
        int r;

        if ((r = probe_port(ctr, json_object_get(h, "port"), "httpGet", &port, err)) < 0)
                return r;
        if (json_object_get(h, "httpHeaders"))
                rt_warn(ctx->rt, "kube: container %s: livenessProbe.httpGet.httpHeaders is not supported, ignoring",
                        ctr);
        /* Kubernetes' defaults, as podman fills them: http, localhost (one node), "/" */
        strbuf_addf(sb, "curl -f %s://%s:%" JSON_INTEGER_FORMAT "%s", scheme && *scheme ? scheme : "http",
                    host && *host ? host : "localhost", port, path && *path ? path : "/");
        return 0;
}

static int probe_command(struct kube_ctx *ctx, const char *ctr, const json_t *pr, struct strbuf *sb, cpod_error_t *err)
{
        const json_t *x;
        json_int_t port;
        int r;

        if ((x = json_object_get(pr, "exec")))
                r = exec_cmd(ctr, x, sb, err);
        else if ((x = json_object_get(pr, "httpGet")))
                r = http_cmd(ctx, ctr, x, sb, err);
        else if ((x = json_object_get(pr, "tcpSocket"))) {
                if ((r = probe_port(ctr, json_object_get(x, "port"), "tcpSocket", &port, err)) == 0)
                        strbuf_addf(sb, "nc -z -v %s %" JSON_INTEGER_FORMAT,
                                    json_get_str(x, "host") ? json_get_str(x, "host") : "", port);
        } else
                return 0; /* no handler: no healthcheck, as podman */
        if (r == 0)
                strbuf_addstr(sb, " || exit 1");
        return r;
}

/* A whole number of seconds, def when unset or below min (Kubernetes' defaults, as podman applies them). */
static int seconds(const char *ctr, const json_t *pr, const char *key, json_int_t min, json_int_t def, json_int_t *ret,
                   cpod_error_t *err)
{
        const json_t *v = json_object_get(pr, key);

        if (v && !json_is_integer(v))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "kube: container %s: livenessProbe.%s must be an integer", ctr, key);
        *ret = v ? json_integer_value(v) : def;
        if (*ret < min)
                *ret = def;
        if (*ret > 1000000000)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: container %s: livenessProbe.%s is too large",
                                      ctr, key);
        return 0;
}

static void set_health_cmd(const char *cmd, json_t *p)
{
        json_t *test = json_pack("[s]", "CMD-SHELL");
        const char *s = cmd, *sp;

        /* podman splits on every single space: an empty host stays an empty word */
        while ((sp = strchr(s, ' '))) {
                json_array_append_new(test, json_stringn(s, (size_t)(sp - s)));
                s = sp + 1;
        }
        json_array_append_new(test, json_string(s));
        json_object_set_new(p, "HealthCmd", test);
}

int kube_ctr_probe(struct kube_ctx *ctx, const char *ctr, const json_t *c, json_t *p, cpod_error_t *err)
{
        const json_t *pr = json_object_get(c, "livenessProbe");
        _cleanup_free_ char *where = NULL;
        struct strbuf sb = STRBUF_INIT;
        json_int_t period, retries, timeout, delay;
        int r;

        if (!pr || json_is_null(pr))
                return 0;
        if (!json_is_object(pr))
                return bad(ctr, "must be a mapping", err);
        where = xasprintf("container %s.livenessProbe", ctr);
        kube_warn_unknown(ctx, pr, where, probe_known);
        if ((r = seconds(ctr, pr, "periodSeconds", 1, 10, &period, err)) < 0 ||
            (r = seconds(ctr, pr, "failureThreshold", 1, 3, &retries, err)) < 0 ||
            (r = seconds(ctr, pr, "timeoutSeconds", 1, 1, &timeout, err)) < 0 ||
            (r = seconds(ctr, pr, "initialDelaySeconds", 0, 0, &delay, err)) < 0 ||
            (r = probe_command(ctx, ctr, pr, &sb, err)) < 0 || !sb.len) {
                strbuf_release(&sb);
                return r;
        }
        set_health_cmd(sb.buf, p);
        strbuf_release(&sb);
        json_object_set_new(p, "HealthInterval", json_integer(period * SEC));
        json_object_set_new(p, "HealthRetries", json_integer(retries));
        json_object_set_new(p, "HealthTimeout", json_integer(timeout * SEC));
        json_object_set_new(p, "HealthStartPeriod", json_integer(delay * SEC));
        if (strcmp(json_get_str(p, "RestartPolicy"), "always") == 0)
                json_object_set_new(p, "HealthOnFailure", json_string("restart"));
        return 0;
}
