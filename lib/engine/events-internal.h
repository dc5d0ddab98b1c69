/* SPDX-License-Identifier: Apache-2.0 */
/* Event filters (events-filter.c), used by the log reader (events.c). */
#ifndef CPOD_ENGINE_EVENTS_INTERNAL_H
#define CPOD_ENGINE_EVENTS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>

/* "KEY=VALUE" filters into one array of values per key (an opaque value for ev_filters_match). */
int ev_filters_parse(const char *const *filters, json_t **ret, cpod_error_t *err);
bool ev_filters_match(const json_t *filters, const json_t *ev);
/* The event's Time in ns since the epoch (0 when missing or bad). */
int64_t ev_time_ns(const json_t *ev);

#endif
