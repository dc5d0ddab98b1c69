/* SPDX-License-Identifier: Apache-2.0 */
/* Completion of object names: containers, images and pods of the store the words name (or the default). */
#include "cli/complete-names.h"

#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>
#include <cpod/network.h>
#include <cpod/volume.h>
#include <cpod/pod.h>
#include <cpod/secret.h>

#include "util/cleanup.h"
#include "util/json.h"

static void put(FILE *out, const char *name, const char *prefix)
{
        if (name && strncmp(name, prefix, strlen(prefix)) == 0)
                fprintf(out, "%s\n", name);
}

/*
 * As podman's completion: each entry's names (an image name also as its shorter path suffixes,
 * "busybox:latest" for "localhost/busybox:latest", once something is typed), and the 12-character
 * IDs a prefix of two characters or more matches.
 */
static void put_entries(FILE *out, json_t *list, const char *key, bool suffixes, const char *prefix)
{
        size_t i, k;
        json_t *e, *n;

        json_array_foreach(list, i, e) {
                const char *id = json_get_str(e, "Id");
                json_t *names = json_object_get(e, key);
                if (strlen(prefix) > 1 && id && strncmp(id, prefix, strlen(prefix)) == 0)
                        fprintf(out, "%.12s\n", id);
                if (json_is_string(names))
                        put(out, json_string_value(names), prefix);
                json_array_foreach(names, k, n) {
                        const char *nm = json_string_value(n);
                        put(out, nm, prefix);
                        for (const char *p = nm ? strchr(nm, '/') : NULL; suffixes && *prefix && p;
                             p = strchr(p + 1, '/'))
                                put(out, p + 1, prefix);
                }
        }
}

/* Secrets by name (podman completes their names). */
static void put_secrets(FILE *out, json_t *list, const char *prefix)
{
        size_t i;
        json_t *e;

        json_array_foreach(list, i, e)
                put(out, json_get_str(json_object_get(e, "Spec"), "Name"), prefix);
}

void cli_complete_names(struct cli_ctx *ctx, const char *kind, const char *prefix, FILE *out)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *list = NULL;
        int r = -1;

        if (!cli_runtime(ctx, &err)) {
                cpod_error_clear(&err);
                return;
        }
        if (strcmp(kind, "containers") == 0 && (r = cpod_ctr_list(ctx->rt, true, &list, &err)) == 0)
                put_entries(out, list, "Names", false, prefix);
        else if (strcmp(kind, "images") == 0 && (r = cpod_image_list(ctx->rt, &list, &err)) == 0)
                put_entries(out, list, "Names", true, prefix);
        else if (strcmp(kind, "pods") == 0 && (r = cpod_pod_list(ctx->rt, &list, &err)) == 0)
                put_entries(out, list, "Name", false, prefix);
        else if (strcmp(kind, "networks") == 0 && (r = cpod_network_list(ctx->rt, &list, &err)) == 0)
                put_entries(out, list, "name", false, prefix);
        else if (strcmp(kind, "volumes") == 0 && (r = cpod_volume_list(ctx->rt, NULL, &list, &err)) == 0)
                put_entries(out, list, "Name", false, prefix);
        else if (strcmp(kind, "secrets") == 0 && (r = cpod_secret_list(ctx->rt, &list, &err)) == 0)
                put_secrets(out, list, prefix);
        cpod_error_clear(&err);
        (void)r;
}
