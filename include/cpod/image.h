/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local images: lookup, listing, inspection, names, removal, and the local
 * transports (load, save, import).  Reports are JSON values with podman's
 * field names; the caller owns every json_t handed out.
 */
#ifndef CPOD_IMAGE_H
#define CPOD_IMAGE_H

#include <jansson.h>
#include <stdbool.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/*
 * Resolve NAME (full or short name, name@digest, full or partial ID,
 * "sha256:ID") to an image ID.  Error kind CPOD_E_NO_SUCH_IMAGE with
 * podman's "NAME: image not known".
 */
CPOD_PUBLIC int cpod_image_lookup(struct cpod_runtime *rt, const char *name, char ret_id[65], cpod_error_t *err);

/*
 * All images as podman's `images --format json` objects (Id, ParentId,
 * RepoTags, RepoDigests, Size, SharedSize, VirtualSize, Labels, Containers,
 * Names, Digest, History, Created, CreatedAt), plus "Dangling",
 * "ReadOnly" and, for templates, nothing else: the CLI adds its columns.
 */
CPOD_PUBLIC int cpod_image_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);

/* podman's `image inspect` object for one image. */
CPOD_PUBLIC int cpod_image_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);

/* The image's config (OCI/Docker image config JSON) and manifest, parsed. */
CPOD_PUBLIC int cpod_image_config(struct cpod_runtime *rt, const char *id, json_t **ret, cpod_error_t *err);

/* Add NEWNAME (normalised like podman: short names get localhost/, :latest) to NAME. */
CPOD_PUBLIC int cpod_image_tag(struct cpod_runtime *rt, const char *name, const char *newname, cpod_error_t *err);
/* Remove TAG from NAME, or every name when tag is NULL. */
CPOD_PUBLIC int cpod_image_untag(struct cpod_runtime *rt, const char *name, const char *tag, cpod_error_t *err);

struct cpod_rmi_opts {
        bool force;  /* remove containers using it; untag-and-remove an image with several names */
        bool ignore; /* no error for missing images */
};
/*
 * Remove one image (lib/engine/image-remove.c).  Like podman: an image with
 * several names referenced by NAME loses only that name ("Untagged: NAME")
 * unless it's referenced by ID; an image containers use is refused
 * (CPOD_E_IN_USE) unless force, which removes them first (a pod's infra
 * container: with its pod).  untagged and deleted (JSON arrays) receive the
 * names untagged and the image IDs removed.
 */
CPOD_PUBLIC int cpod_image_remove(struct cpod_runtime *rt, const char *name, const struct cpod_rmi_opts *o,
                                  json_t *untagged, json_t *deleted, cpod_error_t *err);

/* `image history` rows: id, created, CreatedBy, size, comment, tags. */
CPOD_PUBLIC int cpod_image_history(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);

/*
 * Disk usage of the images (system df): {"Shared": {image ID: bytes of its
 * layers other images use too}, "Total": bytes of all image layers counted
 * once, "Reclaimable": bytes of the layers no image in in_use (an object
 * keyed by image ID) needs}.
 */
CPOD_PUBLIC int cpod_image_disk_usage(struct cpod_runtime *rt, const json_t *in_use, json_t **ret, cpod_error_t *err);

/* Mount an image's layers read-only; returns the path (caller frees). */
CPOD_PUBLIC int cpod_image_mount(struct cpod_runtime *rt, const char *name, char **ret_path, cpod_error_t *err);
CPOD_PUBLIC int cpod_image_unmount(struct cpod_runtime *rt, const char *name, bool force, cpod_error_t *err);
/* Mounted images: [{"id":..., "Repositories": [...], "path": ...}]. */
CPOD_PUBLIC int cpod_image_mounted(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);

/* Load images from an archive (docker-archive, oci-archive, OCI layout dir, dir:); *ret = names loaded. */
CPOD_PUBLIC int cpod_image_load(struct cpod_runtime *rt, const char *path, json_t **ret, cpod_error_t *err);

enum cpod_save_format {
        CPOD_SAVE_DOCKER_ARCHIVE,
        CPOD_SAVE_OCI_ARCHIVE,
        CPOD_SAVE_OCI_DIR,
        CPOD_SAVE_DOCKER_DIR,
};
/* Save images (several only with docker-archive, as podman's -m) to path ("-" = stdout for archives). */
CPOD_PUBLIC int cpod_image_save(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt,
                                const char *path, cpod_error_t *err);
/* The same as an archive written to fd (not closed): docker-archive or oci-archive. */
CPOD_PUBLIC int cpod_image_save_fd(struct cpod_runtime *rt, char *const *names, enum cpod_save_format fmt, int fd,
                                   cpod_error_t *err);

/*
 * build: a Containerfile built by Buildah (the `buildah` program) in a private store under
 * <root>/buildah, the result moved into cpod's store through an OCI layout (a `dir:` copy for
 * --format docker, which an OCI layout cannot hold unchanged), layers cpod already has
 * skipped.  Base images FROM names that cpod's store has are exported into Buildah's store
 * first, so they are not pulled.  Buildah's output goes to out_fd and err_fd as it prints it
 * (its final "Error: ..." line becomes the error's message instead).  One build at a time per
 * root; a failed or interrupted build leaves no Buildah container or mount, and no cpod image.
 */
struct cpod_build_opts {
        const char *context;      /* directory; NULL: "." */
        char *const *files;       /* -f, or NULL: CONTEXT/Containerfile or Dockerfile */
        char *const *tags;        /* names for the result (normalised like tag) */
        char *const *build_args;  /* KEY=VALUE */
        char *const *labels;      /* KEY=VALUE */
        char *const *annotations; /* KEY=VALUE */
        char *const *volumes;     /* -v for RUN steps */
        char *const *secrets;     /* --secret "id=NAME,src=FILE" or "id=NAME,env=VAR", for RUN --mount=type=secret */
        char *const *extra;       /* further "--flag=value" arguments for buildah, as given */
        const char *target;       /* stage to stop at, or NULL */
        const char *format;       /* "oci" (default) or "docker" */
        const char *network;      /* RUN steps' network mode, or NULL for Buildah's default */
        const char *pull;         /* "missing" (NULL), "always"/"true", "never", "newer", "false" */
        const char *platform;     /* or NULL */
        bool no_cache, squash, quiet;
        bool no_layers;     /* --layers=false: no intermediate images (cache) */
        int out_fd, err_fd; /* Buildah's stdout and stderr: -1 inherits, -2 discards */
};
/* Run the build; ret_id receives the image's ID in cpod's store. */
CPOD_PUBLIC int cpod_image_build(struct cpod_runtime *rt, const struct cpod_build_opts *o, char ret_id[65],
                                 cpod_error_t *err);

struct cpod_import_opts {
        const char *source;    /* tarball path, "-" for stdin, or http(s) URL */
        const char *reference; /* optional name */
        const char *message;   /* commit message (history comment) */
        char *const *changes;  /* Dockerfile instructions: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR */
        const char *arch, *os, *variant;
};
/* Import a rootfs tarball as a one-layer image; ret_id receives the new image ID. */
CPOD_PUBLIC int cpod_image_import(struct cpod_runtime *rt, const struct cpod_import_opts *o, char ret_id[65],
                                  cpod_error_t *err);

/*
 * The image's top layer against the layers below it: [{"Path": "/bin", "Kind": 1}]
 * with podman's Kind (0 changed, 1 added, 2 deleted), sorted by path.
 */
CPOD_PUBLIC int cpod_image_diff(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err);

/*
 * image trust show: one row per requirement of the signature policy (policy: a file, or NULL for
 * the one pulls use), as podman's --json prints them: {transport, name, repo_name, type ("accept",
 * "reject", "signed", "sigstoreSigned"), gpg_id (the keys' e-mail addresses), sigstore (the
 * scope's signature storage from registries.d: registries_d, or NULL for the default directory)}.
 */
CPOD_PUBLIC int cpod_trust_show(struct cpod_runtime *rt, const char *policy, const char *registries_d, json_t **ret,
                                cpod_error_t *err);
/*
 * image trust set: scope ("default", or a registry[/repository]) gets type "accept", "reject",
 * "signedBy" or "sigstoreSigned" (one requirement per key file, absolute paths).
 */
/* The signature policy file pulls use (--signature-policy, ~/.config/containers/policy.json, /etc's); free it. */
CPOD_PUBLIC char *cpod_trust_policy_path(struct cpod_runtime *rt);
CPOD_PUBLIC int cpod_trust_set(struct cpod_runtime *rt, const char *policy, const char *scope, const char *type,
                               char *const *keys, cpod_error_t *err);

#endif
