/* SPDX-License-Identifier: Apache-2.0 */
/* generate systemd: one unit's fields (systemd-gen.c fills them, systemd-unit.c renders them). */
#ifndef CPOD_ENGINE_SYSTEMD_INTERNAL_H
#define CPOD_ENGINE_SYSTEMD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include <cpod/systemd.h>

struct sd_unit {
        char *service;    /* unit name without ".service" */
        char *name_or_id; /* what Exec*= name */
        bool is_pod;
        bool notify;    /* Type=notify with NotifyAccess=all (--new containers), else forking */
        bool identify;  /* --template: "@" in the name, %i/%I */
        char *pidfile;  /* PIDFile=, NULL for none */
        char *runroot;  /* RequiresMountsFor= */
        char **bound;   /* BindsTo=/After= services: a member's pod */
        char **members; /* Wants=/Before= services: a pod's members */
        char *restart;  /* Restart= */
        char *start_limit_burst;
        int64_t stop_timeout;
        char **extra_env; /* Environment= of -e KEY taken from the host when created */
        char *exec_start_pre[2], *exec_start, *exec_stop, *exec_stop_post;
        /* Only for --new: */
        char **create_command; /* the stored command line */
        json_t *ctr_env;       /* the container's environment, for -e KEY */
        char *pod_id_file;     /* a member of a pod: the pod's --pod-id-file */
};

void sd_unit_clear(struct sd_unit *u);

/* The unit's text. */
char *sd_unit_render(const struct sd_unit *u, const struct cpod_systemd_opts *o);

/* podman's systemd escaping of one argument: $ and % doubled, quoted when it has blanks or quotes. */
char *sd_escape(const char *arg);
/* The arguments on one line each when they start with "-", as podman lays them out. */
char *sd_format_args(char *const *argv);
/* The global flags (already escaped) as " --root X ..." or "". */
char *sd_inline_flags(char *const *flags);

/* Fill exec_* (and pidfile, notify, restart...) of a unit made with --new from its create command. */
int sd_new_ctr(struct sd_unit *u, const struct cpod_systemd_opts *o, cpod_error_t *err);
int sd_new_pod(struct sd_unit *u, const struct cpod_systemd_opts *o, cpod_error_t *err);

#endif
