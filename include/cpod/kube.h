/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kubernetes YAML (lib/kube/): run the pods a file describes (kube play) and
 * remove them again (kube down).  Kinds: Pod, Deployment (a pod per replica),
 * PersistentVolumeClaim (a named volume), ConfigMap (env and volume data),
 * Secret (a cpod secret, and env and volume data).  A field cpod does not
 * implement is a warning (handed to the runtime's warning handler) or, when
 * ignoring it would change what runs, an error.  Everything is parsed and
 * checked before the first object is created; a failure while creating
 * removes what this call created.
 *
 * kube generate writes the YAML of existing containers, pods and volumes.
 */
#ifndef CPOD_KUBE_H
#define CPOD_KUBE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include <cpod/error.h>
#include <cpod/registry.h>
#include <cpod/runtime.h>

/* The largest YAML input read (bytes). */
#define CPOD_KUBE_MAX_SIZE (8 * 1024 * 1024)

struct cpod_kube_play_opts {
        bool no_start;             /* --start=false: create only */
        bool replace;              /* remove pods of the same names first */
        const char *network;       /* NULL: the default network; "none", "host", "bridge" or a network name */
        char *const *configmaps;   /* --configmap: files of ConfigMaps for env and volumes, NULL-terminated */
        bool no_hosts;             /* --no-hosts: no /etc/hosts from cpod (an error with hostAliases) */
        const json_t *log;         /* --log-driver, --log-opt: {"LogDriver", "LogPath", "LogTag", "LogSizeMax"} */
        const json_t *annotations; /* --annotation: {key: value} on every container */
        char *const *static_ips;   /* --ip: the address of the n-th pod (one bridge network) */
        char *const *static_macs;  /* --mac-address: the MAC of the n-th pod */
        /*
         * --build: an image with a directory of its name (the last path component, no tag) holding a
         * Containerfile or Dockerfile is built there: 0 when it is not stored yet (podman's default),
         * 1 always (--build), -1 never (--build=false).
         */
        int build;
        const char *context_dir;           /* where those directories are; NULL: the current directory */
        int build_out_fd;                  /* > 0: Buildah's output goes there; else it is discarded */
        const struct cpod_pull_opts *pull; /* how images are pulled (imagePullPolicy); NULL: defaults */
};

/*
 * GET an http:// or https:// URL (kube play URL): *ret gets the body (NUL-terminated, caller frees), at
 * most CPOD_KUBE_MAX_SIZE bytes; an HTTP error status is an error.
 */
CPOD_PUBLIC int cpod_kube_fetch(const char *url, char **ret, size_t *ret_len, cpod_error_t *err);

/*
 * Play the YAML in data (len bytes; name labels errors, e.g. the file name).
 * *ret: {"Pods": [{"ID", "Name", "Containers": [IDs], "InitContainers": [IDs]}],
 * "Volumes": [{"Name"}], "Secrets": [{"ID", "Name"}]}.  Errors of the YAML are
 * CPOD_E_INVALID with line and column.
 */
CPOD_PUBLIC int cpod_kube_play(struct cpod_runtime *rt, const char *data, size_t len, const char *name,
                               const struct cpod_kube_play_opts *o, json_t **ret, cpod_error_t *err);

/*
 * Remove what playing the same YAML created: its pods (a Deployment's NAME-pod-0 ... per replica) (stopped, then
 * removed with their containers) and secrets; with force its claims' volumes too.  Objects already gone are skipped.
 * *ret: {"StopReport": [pod IDs], "RmReport": [pod IDs], "SecretRmReport": [IDs], "VolumeRmReport": [names]}.
 */
CPOD_PUBLIC int cpod_kube_down(struct cpod_runtime *rt, const char *data, size_t len, const char *name, bool force,
                               json_t **ret, cpod_error_t *err);

struct cpod_kube_generate_opts {
        bool service; /* also a Service of type NodePort for each Pod */
};

/*
 * Kubernetes YAML for names (NULL-terminated; each a container, pod or volume
 * name or ID, looked up in that order), as podman 4.3.1 writes it: a
 * PersistentVolumeClaim per volume, a Service per pod when asked, one Pod
 * per pod and one Pod for all the standalone containers.  *ret: the text,
 * caller frees.  A name that is none of the three: CPOD_E_NO_SUCH_OBJECT,
 * "name or ID \"X\" not found"; a container of a pod: CPOD_E_INVALID.
 */
CPOD_PUBLIC int cpod_kube_generate(struct cpod_runtime *rt, char *const *names, const struct cpod_kube_generate_opts *o,
                                   char **ret, cpod_error_t *err);

#endif
