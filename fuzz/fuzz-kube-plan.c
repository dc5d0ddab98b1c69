/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for kube play's planning: whatever documents the YAML
 * reader returns, turning them into a plan (kinds, pods, containers, env,
 * volumes, probes, replicas, resources) must succeed or fail with an
 * error, never crash or leak.  Nothing is created: planning only reads.
 * The runtime is a scratch store (its secret store empty), opened once.
 */
#include <ftw.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/runtime.h>

#include "kube/kube-internal.h"
#include "kube/yaml-read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(const char *msg, void *ud)
{
        (void)msg;
        (void)ud;
}

static struct cpod_runtime *rt;
static char dir[] = "/var/tmp/cpod-fuzz-kube.XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        (void)remove(path);
        return 0;
}

/* The scratch store goes when the fuzzer exits. */
static void cleanup(void)
{
        rt = cpod_runtime_unref(rt);
        (void)nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct cpod_runtime *scratch_runtime(void)
{
        if (!rt) {
                char root[64], run[64];
                struct cpod_runtime_opts o = { 0 };

                if (!mkdtemp(dir))
                        abort();
                snprintf(root, sizeof(root), "%s/root", dir);
                snprintf(run, sizeof(run), "%s/run", dir);
                o.root = root;
                o.runroot = run;
                if (cpod_runtime_open(&o, &rt, NULL) < 0)
                        abort();
                cpod_runtime_set_warning_handler(rt, quiet, NULL);
                atexit(cleanup);
        }
        return rt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const struct cpod_kube_play_opts opts = { .network = "none" };
        struct kube_ctx ctx = { .rt = scratch_runtime(), .opts = &opts };
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *docs = NULL, *plan = NULL;

        if (yaml_read_all((const char *)data, size, NULL, &docs, NULL) < 0)
                return 0;
        ctx.configmaps = json_object();
        ctx.secrets = json_object();
        ctx.images = json_array();
        if (kube_plan(&ctx, docs, &plan, &err) < 0) {
                if (!err.msg || !*err.msg)
                        abort();
                cpod_error_clear(&err);
        } else if (!json_is_object(plan)) {
                abort();
        }
        json_decref(plan);
        json_decref(ctx.configmaps);
        json_decref(ctx.secrets);
        json_decref(ctx.images);
        json_decref(docs);
        return 0;
}
