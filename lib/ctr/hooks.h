/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI hooks configured in hooks.d directories (oci-hooks(5)): JSON files of
 * version 1.0.0 (hook, when, stages) or the older 0.1.0 (hook, arguments,
 * stage(s), cmd(s), annotation(s), hasbindmounts), matched against a
 * container's final spec.  Matched hooks of the runtime's stages go into
 * config.json; poststop hooks are run by cpod when it cleans the container
 * up (after an exit, a crash or rm -f), as podman does, with the container's
 * state on their standard input.
 */
#ifndef CPOD_CTR_HOOKS_H
#define CPOD_CTR_HOOKS_H

#include <stdbool.h>

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;
struct hook_set;

/*
 * Read every *.json of dirs, in order: a file overrides one of the same name in an earlier
 * directory.  A file that is not a valid hook is reported through warn (with its name and why) and
 * skipped; a directory that does not exist is fine.  Never fails.
 */
struct hook_set *hooks_load(char *const *dirs, void (*warn)(void *ud, const char *msg), void *ud);
void hooks_free(struct hook_set *h);
/* How many hooks were loaded (valid ones). */
size_t hooks_count(const struct hook_set *h);

/*
 * The hooks that match spec (its annotations and process.args[0]; has_bind: the user asked for
 * bind mounts), in file-name order, added to spec.hooks for the runtime's stages; poststop hooks
 * are returned in *ret_poststop (a JSON array of runtime-spec hooks, maybe empty) for cpod to run.
 */
void hooks_apply(const struct hook_set *h, json_t *spec, bool has_bind, json_t **ret_poststop);

/* Match one hook file's JSON against a spec (for unit tests); < 0 with err when it is invalid. */
int hooks_match_file(const char *json_text, json_t *spec, bool has_bind, bool *ret_match, cpod_error_t *err);

/* The container's hooks: inject them into spec at start and save its poststop hooks in the bundle. */
int ctr_hooks_inject(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, cpod_error_t *err);
/* Run (once) the poststop hooks saved at start, with the state of the stopped container on stdin. */
void ctr_hooks_poststop(struct cpod_runtime *rt, const struct ctr *c);

#endif
