/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's healthcheck at create: the client's members over the image's HEALTHCHECK (Docker's
 * config.Healthcheck: Test, Interval, Timeout, StartPeriod, Retries in nanoseconds), with podman's
 * defaults and checks.  The record then holds the healthcheck that runs.
 */
#include "ctr/health.h"

#include <errno.h>
#include <string.h>

#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define SEC 1000000000LL

static const char *const actions[] = { "none", "kill", "restart", "stop", NULL };

bool ctr_health_defined(const struct ctr_config *cfg)
{
        return cfg->health_cmd && cfg->health_cmd[0] && strcmp(cfg->health_cmd[0], "NONE") != 0;
}

static bool client_set_timing(const struct ctr_config *cfg)
{
        return cfg->has_health_interval || cfg->has_health_timeout || cfg->has_health_start_period ||
               cfg->has_health_retries;
}

/* What the client left unset comes from the image (when the command does too), else podman's defaults. */
static void fill(int64_t *v, bool *has, const json_t *img, const char *key, int64_t def)
{
        if (*has)
                return;
        *v = json_integer_value(json_object_get(img, key));
        if (*v <= 0)
                *v = def;
        *has = true;
}

static int check_values(const struct ctr_config *cfg, cpod_error_t *err)
{
        if (cfg->health_interval < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "healthcheck-interval must be 0 or greater");
        if (cfg->health_retries < 1)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "healthcheck-retries must be greater than 0");
        if (cfg->health_timeout < SEC)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "healthcheck-timeout must be at least 1 second");
        if (cfg->health_start_period < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "healthcheck-start-period must be 0 seconds or greater");
        return 0;
}

static int check_action(const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *a = cfg->health_on_failure;

        if (!a || !*a || strv_contains((char *const *)actions, a))
                return 0;
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "invalid on-failure action \"%s\" for health check: supported actions are "
                              "none,kill,restart,stop",
                              a);
}

int ctr_health_resolve(struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err)
{
        const json_t *img = json_object_get(imgcfg, "Healthcheck");
        int r;

        if ((r = check_action(cfg, err)) < 0)
                return r;
        if (cfg->no_healthcheck && cfg->health_cmd && cfg->health_cmd[0])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cannot specify both --no-healthcheck and --health-cmd");
        if (cfg->health_cmd && !cfg->health_cmd[0])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "must define a healthcheck command for all healthchecks");
        if (!cfg->no_healthcheck && !cfg->health_cmd) {
                _cleanup_strv_ char **test = json_to_strv(json_object_get(img, "Test"));
                if (test && test[0] && strcmp(test[0], "NONE") != 0) {
                        cfg->health_cmd = TAKE_PTR(test);
                        fill(&cfg->health_interval, &cfg->has_health_interval, img, "Interval", 30 * SEC);
                        fill(&cfg->health_timeout, &cfg->has_health_timeout, img, "Timeout", 30 * SEC);
                        fill(&cfg->health_start_period, &cfg->has_health_start_period, img, "StartPeriod", 0);
                        fill(&cfg->health_retries, &cfg->has_health_retries, img, "Retries", 3);
                }
        }
        if (!ctr_health_defined(cfg)) {
                /* Nothing silently ignored: timings or an action need a healthcheck to apply to. */
                if (client_set_timing(cfg) ||
                    (cfg->health_on_failure && *cfg->health_on_failure && strcmp(cfg->health_on_failure, "none") != 0))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "healthcheck options need a healthcheck: --health-cmd or the image's "
                                              "HEALTHCHECK");
                return 0;
        }
        fill(&cfg->health_interval, &cfg->has_health_interval, NULL, NULL, 30 * SEC);
        fill(&cfg->health_timeout, &cfg->has_health_timeout, NULL, NULL, 30 * SEC);
        fill(&cfg->health_start_period, &cfg->has_health_start_period, NULL, NULL, 0);
        fill(&cfg->health_retries, &cfg->has_health_retries, NULL, NULL, 3);
        return check_values(cfg, err);
}

json_t *ctr_health_config_json(const struct ctr_config *cfg)
{
        if (!cfg->no_healthcheck && (!cfg->health_cmd || !cfg->health_cmd[0]))
                return NULL;
        if (!ctr_health_defined(cfg))
                return json_pack("{s:[s]}", "Test", "NONE");
        return json_pack("{s:o,s:I,s:I,s:I,s:I}", "Test", json_strv(cfg->health_cmd, -1), "StartPeriod",
                         (json_int_t)cfg->health_start_period, "Interval", (json_int_t)cfg->health_interval, "Timeout",
                         (json_int_t)cfg->health_timeout, "Retries", (json_int_t)cfg->health_retries);
}
