/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The netavark backend: `netavark setup|teardown NETNS` with the
 * container's networks, their definitions and its ports as JSON on stdin
 * (podman 4's format), aardvark-dns for names.  netavark and aardvark-dns
 * are looked for in containers.conf helper_binaries_dir, then where podman
 * keeps them, then in $PATH; netavark's own state (aardvark's files) lives
 * in <runroot>/networks.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/config.h>

#include "net/net.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/shims.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *run_dir(struct cpod_runtime *rt)
{
        return path_join(rt->runroot, "networks");
}

char *net_helper(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        static const char *const dflt[] = { "/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman",
                                            "/usr/lib/podman", NULL };
        char *const *dirs = rt->config->helper_binaries_dir ? rt->config->helper_binaries_dir : (char *const *)dflt;
        char *p;

        for (char *const *d = dirs; *d; d++) {
                p = path_join(*d, name);
                if (access(p, X_OK) == 0)
                        return p;
                free(p);
        }
        if ((p = find_executable(name, NULL)))
                return p;
        cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED,
                       "%s not found in helper_binaries_dir or $PATH: install it (Debian: apt-get install %s)", name,
                       strcmp(name, "aardvark-dns") == 0 ? "aardvark-dns" : "netavark");
        return NULL;
}

/* netavark's error: {"error": "..."} on stdout, else whatever it printed on stderr. */
static int netavark_error(const char *cmd, struct strbuf *out, struct strbuf *errb, int rc, cpod_error_t *err)
{
        _cleanup_json_ json_t *j = out->len ? json_parse_buf(out->buf, out->len, "netavark", NULL) : NULL;
        const char *msg = json_get_str(j, "error");

        if (!msg) {
                while (errb->len && (errb->buf[errb->len - 1] == '\n'))
                        strbuf_setlen(errb, errb->len - 1);
                msg = errb->len ? errb->buf : "no message";
        }
        return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "netavark %s failed (exit %d): %s", cmd, rc, msg);
}

/* netavark gets each network under net_backend_name; the result comes back under cpod's names. */
static json_t *to_netavark(const json_t *input)
{
        json_t *in = json_deep_copy(input), *nets = json_object(), *info = json_object(), *def;
        const char *name;

        json_object_foreach(json_object_get(input, "network_info"), name, def) {
                char *nv = net_backend_name(def);
                json_t *d = json_deep_copy(def);
                json_object_set_new(d, "name", json_string(nv));
                json_object_set_new(info, nv, d);
                json_object_set(nets, nv, json_object_get(json_object_get(input, "networks"), name));
                free(nv);
        }
        json_object_set_new(in, "networks", nets);
        json_object_set_new(in, "network_info", info);
        return in;
}

static json_t *from_netavark(const json_t *input, json_t *result)
{
        json_t *out = json_object(), *def;
        const char *name;

        json_object_foreach(json_object_get(input, "network_info"), name, def) {
                char *nv = net_backend_name(def);
                if (json_object_get(result, nv))
                        json_object_set(out, name, json_object_get(result, nv));
                free(nv);
        }
        json_decref(result);
        return out;
}

static int netavark(struct cpod_runtime *rt, const char *cmd, const char *netns, const json_t *input, json_t **ret,
                    cpod_error_t *err)
{
        _cleanup_free_ char *nv = net_helper(rt, "netavark", err), *aa = NULL, *cfg = run_dir(rt), *in = NULL;
        struct strbuf out = STRBUF_INIT, errb = STRBUF_INIT;
        int rc;

        if (!nv)
                return -ENOENT;
        aa = net_helper(rt, "aardvark-dns", NULL);
        if (mkdir_p(cfg, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        {
                const char *argv[] = { nv,
                                       "--config",
                                       cfg,
                                       "--rootless",
                                       "false",
                                       "--aardvark-binary",
                                       aa ? aa : "/usr/lib/podman/aardvark-dns",
                                       cmd,
                                       netns,
                                       NULL };
                _cleanup_json_ json_t *nvin = to_netavark(input);
                in = json_dump_compact(nvin);
                rc = run_capture_input(argv, NULL, in, &out, &errb, err);
        }
        if (rc > 0)
                rc = netavark_error(cmd, &out, &errb, rc, err);
        else if (rc == 0 && ret && !(*ret = json_parse_buf(out.buf, out.len, "netavark's result", err)))
                rc = -EIO;
        else if (rc == 0 && ret)
                *ret = from_netavark(input, *ret);
        strbuf_release(&out);
        strbuf_release(&errb);
        return rc;
}

/*
 * netavark 1.4 leaves a network's port-forwarding chain (NETAVARK-DN-<hash>) behind, empty,
 * unless the network's last teardown had port mappings.  Once nothing holds the network, cpod
 * removes it; the name is netavark's: 13 upper-case hex digits of the sha512 of the network name.
 */
static void drop_port_chain(struct cpod_runtime *rt, const json_t *def)
{
        _cleanup_free_ char *nv = net_backend_name(def), *chain = NULL;
        char hex[129];
        struct strbuf out = STRBUF_INIT, errb = STRBUF_INIT;

        (void)rt;
        if (crypto_shim_open(NULL) < 0)
                return;
        digest_sha512_hex(nv, strlen(nv), hex);
        if (strlen(hex) < 13)
                return;
        for (int i = 0; i < 13; i++)
                hex[i] = (char)toupper((unsigned char)hex[i]);
        chain = xasprintf("NETAVARK-DN-%.13s", hex);
        {
                const char *argv[] = { "iptables", "-t", "nat", "-X", chain, "--wait", NULL };
                (void)run_capture(argv, NULL, &out, &errb, NULL); /* absent or still used: left alone */
        }
        strbuf_release(&out);
        strbuf_release(&errb);
}

static int nv_setup(struct cpod_runtime *rt, const char *netns, const json_t *input, json_t **ret, cpod_error_t *err)
{
        return netavark(rt, "setup", netns, input, ret, err);
}

static int nv_teardown(struct cpod_runtime *rt, const char *netns, const json_t *input, const json_t *result,
                       cpod_error_t *err)
{
        (void)result;
        return netavark(rt, "teardown", netns, input, NULL, err);
}

const struct net_backend net_backend_netavark = {
        .name = "netavark",
        .anchors = true,
        .setup = nv_setup,
        .teardown = nv_teardown,
        .network_gone = drop_port_chain,
};
