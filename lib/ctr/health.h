/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Healthchecks: the config at create (health-config.c), a check and its log (health.c), and the
 * timer that runs the checks while the container runs (health-timer.c).
 */
#ifndef CPOD_CTR_HEALTH_H
#define CPOD_CTR_HEALTH_H

#include <jansson.h>
#include <stdbool.h>

#include "ctr/ctr.h"

/* Does the config define a healthcheck that runs (a command, not ["NONE"])? */
bool ctr_health_defined(const struct ctr_config *cfg);
/* At create: the client's members over the image's HEALTHCHECK, defaults, podman's checks. */
int ctr_health_resolve(struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err);
/* inspect's Config.Healthcheck ({Test, StartPeriod, Interval, Timeout, Retries}), or NULL when none. */
json_t *ctr_health_config_json(const struct ctr_config *cfg);

/* inspect's State.Health: {Status, FailingStreak, Log} from <run dir>/healthcheck.log (empty when none). */
json_t *ctr_health_state_json(struct cpod_runtime *rt, const char *id);
/* The health status ("starting", "healthy", "unhealthy"), or NULL when the container has none.  Caller frees. */
char *ctr_health_status(struct cpod_runtime *rt, const char *id);

/* At start: the status turns "starting" (the failing streak starts again). */
void ctr_health_starting(struct cpod_runtime *rt, const struct ctr *c);
/*
 * At start: the status turns "starting" and, with an interval, a timer process runs the checks
 * until the container's process or its monitor exits.  Caller holds the container's lock.
 */
void ctr_health_started(struct cpod_runtime *rt, const struct ctr *c);
/* When the container stops or is removed: kill its timer (not the calling process itself). */
void ctr_health_timer_stop(struct cpod_runtime *rt, const char *id);
/* The unhealthy container's restart (--health-on-failure=restart), counted in RestartCount (ops.c). */
int ctr_restart_unhealthy(struct cpod_runtime *rt, const char *id, cpod_error_t *err);

#endif
