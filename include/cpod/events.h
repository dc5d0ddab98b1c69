/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event log: what commands did to containers, images, pods, volumes, networks and secrets, as
 * podman's events (JSON objects with ID, Name, Image, Status, Time, Type, Attributes, ...).
 */
#ifndef CPOD_EVENTS_H
#define CPOD_EVENTS_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>

struct cpod_runtime;

struct cpod_events_opts {
        /*
         * "KEY=VALUE" filters, NULL-terminated: container, image, pod, volume, network (name or ID
         * prefix), type, event (or status), label (KEY=VALUE).  Values of one key are alternatives;
         * different keys must all match.
         */
        const char *const *filters;
        const char *since, *until; /* podman's time forms (timestamp, Unix time, duration), or NULL */
        bool stream;               /* follow the log after reaching its end (until `until` passes) */
        /*
         * Following: also stop when this fd reports an error or a hang-up, as the pipe or socket to
         * a client that went away does (the REST API's stream).  0 or less: none.
         */
        int watch_fd;
};

/*
 * Called for each event that matches: line is the log's JSON text, ev the parsed object (both
 * borrowed).  Return non-zero to stop reading (cpod_events then returns 0).
 */
typedef int (*cpod_event_fn)(const char *line, json_t *ev, void *userdata);

/*
 * Read the log: from its start with since/until or without stream, else only the events that come
 * after the call.  Following waits on inotify and survives the log's rotation.
 */
CPOD_PUBLIC int cpod_events_read(struct cpod_runtime *rt, const struct cpod_events_opts *o, cpod_event_fn fn,
                                 void *userdata, cpod_error_t *err);

/* podman's human-readable line for an event: "TIME TYPE STATUS ID (image=..., name=...)".  Caller frees. */
CPOD_PUBLIC char *cpod_event_human(const json_t *ev);
/* The event's time as Go's time.Time prints it ("2024-01-01 10:00:00.5 +0000 UTC"); caller frees. */
CPOD_PUBLIC char *cpod_event_time_string(const json_t *ev);

#endif
