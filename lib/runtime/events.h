/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event log (podman's "file" events logger): every layer records what a command did as one JSON
 * line in <runroot>/events/events.log (containers.conf events_logfile_path), in podman's Event shape.
 * The file is rotated when it would pass events_logfile_max_size: its newer half is kept, followed by
 * a system "log-rotation" event.  Writing never fails the command: a failure is a warning.
 */
#ifndef CPOD_RUNTIME_EVENTS_H
#define CPOD_RUNTIME_EVENTS_H

#include <jansson.h>
#include <stdbool.h>

struct cpod_runtime;

struct rt_event {
        const char *type;   /* "container", "image", "pod", "volume", "network", "secret", "system" */
        const char *status; /* "create", "start", "died", ... */
        const char *id, *name, *image, *network, *pod_id, *health_status;
        int exit_code;            /* written when non-zero, as podman's ContainerExitCode */
        const json_t *attributes; /* object of strings (a container's labels), or NULL */
};

void rt_event(struct cpod_runtime *rt, const struct rt_event *ev);
/* Shorthands for the objects identified by ID and name only (image, pod, volume, secret). */
void rt_event_simple(struct cpod_runtime *rt, const char *type, const char *status, const char *id, const char *name);

/* The log's path (caller frees), and whether events are recorded at all ("none"). */
char *rt_events_path(struct cpod_runtime *rt);
bool rt_events_enabled(struct cpod_runtime *rt);
/* Warn (once per handle) when the configured logger is one cpod replaces by the file logger. */
void rt_events_check(struct cpod_runtime *rt);

/* The event as podman writes it (one line of the log, without the newline); caller frees. */
char *rt_event_json(const struct rt_event *ev, int64_t time_ns);

#endif
