/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --change for commit and import: Dockerfile instructions applied to an
 * image config's "config" object (Go-style keys: Cmd, Entrypoint, Env,
 * ExposedPorts, Labels, OnBuild, StopSignal, User, Volumes, WorkingDir).
 */
#ifndef CPOD_IMAGE_CHANGES_H
#define CPOD_IMAGE_CHANGES_H

#include <jansson.h>

#include <cpod/error.h>

/*
 * Apply one instruction, e.g. "CMD [\"/bin/true\"]", "ENV A=1 B=\"x y\"",
 * "EXPOSE 80 53/udp", "STOPSIGNAL SIGINT" (stored as a number, as podman
 * does).  CMD and ENTRYPOINT in shell form become ["/bin/sh", "-c", ...].
 * Error kind CPOD_E_INVALID with podman's `invalid change "X" - ...`.
 */
int image_apply_change(json_t *config, const char *change, cpod_error_t *err);

/* Apply a NULL-terminated list (may be NULL). */
int image_apply_changes(json_t *config, char *const *changes, cpod_error_t *err);

#endif
