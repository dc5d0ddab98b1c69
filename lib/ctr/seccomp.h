/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seccomp profiles: turn a containers seccomp profile (the format of
 * /usr/share/containers/seccomp.json: archMap, per-rule includes/excludes
 * on caps, arches and minKernel) into the OCI runtime-spec linux.seccomp
 * object for one container, as podman does.
 *
 * A profile can come from any user (--security-opt seccomp=FILE), so it is
 * parsed once into typed structures with hard limits (size, rules, names,
 * args) and only known actions, operators, architectures and flags pass.
 * A profile already in OCI form ("architectures" instead of "archMap") is
 * accepted too and passes through after the same validation.
 *
 * Filtering, per rule: it is kept when all of its includes hold (every
 * listed cap is in the effective set, the architecture is listed, the
 * running kernel is >= minKernel) and none of its excludes does (no listed
 * cap is in the set, the architecture is not listed, the kernel is older
 * than minKernel).  Architectures: the host's SCMP_ARCH_* and the
 * subArchitectures of its archMap entry.  errnoRet comes from "errnoRet",
 * else from the "errno" name ("EPERM"); it is kept only for SCMP_ACT_ERRNO
 * and SCMP_ACT_TRACE, the only actions that use it.
 */
#ifndef CPOD_CTR_SECCOMP_H
#define CPOD_CTR_SECCOMP_H

#include <stddef.h>

#include <cpod/error.h>
#include "util/json.h"

/* Limits on untrusted profiles. */
#define SECCOMP_PROFILE_MAX_BYTES (4u << 20)
#define SECCOMP_PROFILE_MAX_RULES 10000
#define SECCOMP_PROFILE_MAX_NAMES 10000 /* syscall names over all rules */
#define SECCOMP_PROFILE_MAX_ARGS 6      /* per rule: a syscall has six arguments */

/*
 * Parse the profile at path and build linux.seccomp for the effective
 * capabilities caps ("CAP_XXX" names, NULL-terminated; NULL = none) on
 * arch, a Go architecture name ("amd64", "arm64", ...; libseccomp names
 * such as "x86" work too; NULL = this build's).  Returns a new reference.
 * Missing file: NULL with CPOD_E_NOT_SUPPORTED and code ENOENT.  Malformed
 * or over-limit profile: CPOD_E_INVALID, the message naming the file.
 * Unknown arch: CPOD_E_INVALID.
 */
json_t *seccomp_profile_for(const char *path, char *const *caps, const char *arch, cpod_error_t *err);

/* The same from a buffer; `what` names it in messages (a path, "default profile"). */
json_t *seccomp_profile_from_buf(const char *buf, size_t len, const char *what, char *const *caps, const char *arch,
                                 cpod_error_t *err);

/* Go name of the architecture this binary runs on ("amd64"), NULL if unknown to seccomp. */
const char *seccomp_host_arch(void);

#endif
