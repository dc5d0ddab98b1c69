/* SPDX-License-Identifier: Apache-2.0 */
/* The service's shared state: what every request needs, and the activity the idle timer reads. */
#ifndef CPOD_API_SERVER_H
#define CPOD_API_SERVER_H

#include <stdatomic.h>
#include <time.h>

#include "api/api.h"
#include "api/exec-table.h"

struct api_server {
        const struct api_service_opts *opts;
        atomic_int active;        /* open connections and running stream threads */
        atomic_llong last_active; /* CLOCK_MONOTONIC seconds of the last change of `active` */
        struct api_execs execs;   /* Docker's exec sessions */
};

/* A stream thread (attach, follow) or connection starts or ends: the idle timer waits for it. */
void api_server_hold(struct api_server *s);
void api_server_release(struct api_server *s);

#endif
