/* SPDX-License-Identifier: Apache-2.0 */
/*
 * generate systemd (lib/engine/systemd-*.c): the systemd units that start,
 * stop and (with new_ctr) create a container, or a pod and its members, in
 * podman 4.3.1's unit layout.  Built on the public inspect API; the unit text
 * is the caller's to print or write.
 */
#ifndef CPOD_SYSTEMD_H
#define CPOD_SYSTEMD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/*
 * The create command's grammar, which only the command line knows: does the
 * run/create flag NAME (long without dashes, or a single short letter) take a
 * value?  1 yes, 0 no (a boolean), -1 not a flag of run.
 */
typedef int (*cpod_flag_takes_value_fn)(const char *name, void *data);

struct cpod_systemd_opts {
        const char *executable;     /* absolute path of cpod, for Exec*= */
        char *const *global_flags;  /* store flags repeated in units without new_ctr (NULL: none) */
        bool use_name;              /* --name: names, not IDs */
        bool new_ctr;               /* --new: create from the stored create command */
        bool no_header;             /* --no-header */
        bool template_unit;         /* --template: container@.service with %i */
        const char *restart_policy; /* NULL: on-failure, or the container's --restart with new_ctr */
        int64_t restart_sec;        /* -1: none */
        int64_t start_timeout;      /* -1: none */
        int64_t stop_timeout;       /* -1: the container's */
        const char *ctr_prefix, *pod_prefix, *separator;
        char *const *wants, *const *after, *const *requires;
        char *const *env;                     /* --env KEY=VALUE for the units' Environment= */
        cpod_flag_takes_value_fn takes_value; /* required with new_ctr */
        void *takes_value_data;
};

/* The systemd restart policies --restart-policy accepts. */
CPOD_PUBLIC bool cpod_systemd_restart_policy_valid(const char *policy);

/*
 * Units for the container or pod NAME: *ret is an object {"UNIT-NAME": "unit text"}, the pod's unit first,
 * then its members' in name order.
 */
CPOD_PUBLIC int cpod_generate_systemd(struct cpod_runtime *rt, const char *name, const struct cpod_systemd_opts *o,
                                      json_t **ret, cpod_error_t *err);

#endif
