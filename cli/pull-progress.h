/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pull progress on stderr: podman's lines on a non-terminal ("Trying to
 * pull ...", "Getting image source signatures", "Copying blob ...",
 * "Copying config ...", "Writing manifest to image destination", "Storing
 * signatures"), and live per-layer bars on a terminal.  Also the
 * short-name prompt, and the registry flags shared by pull, run, create,
 * login and search.
 */
#ifndef CPOD_CLI_PULL_PROGRESS_H
#define CPOD_CLI_PULL_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <cpod/registry.h>

#include "cli/cli.h"

struct pull_progress {
        FILE *out;
        bool quiet, tty;
        pthread_mutex_t lock;
        struct bar *bars;
        size_t n_bars;
        int drawn;           /* lines of bars on screen */
        long long last_draw; /* ms */
};

void pull_progress_init(struct pull_progress *p, bool quiet);
void pull_progress_release(struct pull_progress *p);
/* Install into pull options: events, and the short-name prompt when stdin and stdout are terminals. */
void pull_progress_attach(struct pull_progress *p, struct cpod_pull_opts *o);

/* Registry flags of a command, as stored by its flag table. */
struct registry_flags {
        const char *authfile, *creds, *cert_dir, *retry_delay;
        bool tls_verify;
        unsigned long retry;
};
/*
 * Fill cpod_registry_opts from the flags (tls-verify and retry only when
 * given).  Returns 0, or an exit code after printing an error.
 */
int registry_flags_apply(struct cli_ctx *ctx, const struct registry_flags *f, struct cpod_registry_opts *o);

#endif
