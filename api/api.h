/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The REST service (`cpod system service`): Docker Engine API v1.41 over a
 * unix socket (or a loopback TCP port), served by libmicrohttpd with one
 * thread per connection.  Handlers call the same include/cpod/ operations as
 * the CLI, each request on its own runtime handle.
 */
#ifndef CPOD_API_H
#define CPOD_API_H

#include <cpod/error.h>
#include <cpod/runtime.h>

struct api_service_opts {
        const struct cpod_runtime_opts *rt_opts; /* how each request opens its runtime handle */
        const char *uri;                         /* unix:///path, tcp:HOST:PORT, or NULL for the default */
        int idle_secs;                           /* exit after this long without connections; 0: never */
        void (*warn)(const char *msg);           /* the service's own warnings (the CLI prints them) */
};

#define API_DEFAULT_URI "unix:///run/cpod/cpod.sock"

/* Serve until idle (or SIGTERM/SIGINT).  Returns 0, or < 0 with err when it cannot listen. */
int api_service_run(const struct api_service_opts *o, cpod_error_t *err);

#endif
