/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --sdnotify (podman's semantics), when the creating command had NOTIFY_SOCKET:
 * container (the default): the socket is proxied into the container by conmon
 * (--sdnotify-socket, <bundle>/notify mounted at /run/notify) and cpod says
 * MAINPID=conmon; conmon: cpod says MAINPID=conmon and READY=1 once the
 * container runs, the container never sees the socket; ignore: nothing.
 */
#ifndef CPOD_CTR_SDNOTIFY_H
#define CPOD_CTR_SDNOTIFY_H

#include <stdbool.h>

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;
struct ctr_config;

int ctr_sdnotify_check(const struct ctr_config *cfg, cpod_error_t *err);
/* Does the container get the socket (container mode with a socket)? */
bool ctr_sdnotify_proxied(const struct ctr *c);
/* container mode: the /run/notify mount (its directory made in the bundle) into the spec's mounts m. */
int ctr_sdnotify_mount(struct cpod_runtime *rt, const struct ctr *c, json_t *m, cpod_error_t *err);
/* After the container started: MAINPID (and READY=1 in conmon mode); a failure is a warning. */
void ctr_sdnotify_started(struct cpod_runtime *rt, const struct ctr *c);

#endif
