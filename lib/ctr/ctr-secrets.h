/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's secrets (--secret).  At create, each Secrets entry is parsed
 * (podman's syntax and errors) and its secret looked up; SecretRefs keeps
 * what was resolved: the secret's name and ID, how it is given and to
 * whom, never its data.  At start, spec-secrets.c reads the data: a
 * "mount" secret becomes a file in the container's run dir bound at
 * /run/secrets/NAME (or its target), an "env" secret a variable of the
 * process.  That variable is in the bundle's config.json only; inspect
 * leaves it out of Config.Env.
 */
#ifndef CPOD_CTR_CTR_SECRETS_H
#define CPOD_CTR_CTR_SECRETS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;
struct ctr_config;

struct ctr_secret {
        char *source; /* the secret's name or ID as given */
        char *target; /* mount: path (relative: under /run/secrets); env: variable; NULL: the source */
        bool env;
        uint32_t uid, gid, mode; /* of the mounted file; mode 0444 unless given */
};

/* One --secret value; clear *ret with ctr_secret_clear also after an error. */
int ctr_secret_parse(const char *spec, struct ctr_secret *ret, cpod_error_t *err);
void ctr_secret_clear(struct ctr_secret *s);

/* At create: parse cfg->secrets and resolve them into cfg->secret_refs (podman's "no such secret"). */
int ctr_secrets_resolve(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err);

/* Is a SecretRefs entry of this type ("mount", "env")? */
bool ctr_secret_ref_is(const json_t *ref, const char *type);
/* inspect's Config.Secrets: the mounted secrets, [{Name, ID, UID, GID, Mode}]; NULL when none. */
json_t *ctr_secrets_inspect(const struct ctr_config *cfg);
/* A copy of env (an array of "K=V") without the variables env secrets set. */
json_t *ctr_secrets_env_filter(const struct ctr_config *cfg, const json_t *env);

/* At start (spec-secrets.c): write the mounted files and add their mounts and the env secrets to spec. */
int spec_add_secrets(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, cpod_error_t *err);

#endif
