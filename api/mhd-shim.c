/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmicrohttpd, loaded on first use (util/dlshim.h).  Linked directly it brought GnuTLS,
 * p11-kit, nettle, gmp and six more libraries into every cpod command, whose constructors ran at
 * each start (~1 ms of `run`'s own time); only `system service` needs it.  The two variadic
 * functions are forwarded through their fixed-argument forms: MHD_start_daemon through
 * MHD_start_daemon_va, and MHD_upgrade_action with the actions cpod uses, which take no
 * arguments after the action.
 */
#include <stdarg.h>

#include <microhttpd.h>

#include "api/mhd-shim.h"
#include "util/dlshim.h"

static struct dlshim mhd_shim = DLSHIM_INIT("libmicrohttpd.so.12", "needed by `system service`");

int mhd_shim_open(cpod_error_t *err)
{
        return dlshim_open(&mhd_shim, err);
}

DLSHIM_FWD(mhd_shim, enum MHD_Result, MHD_add_response_header,
           (struct MHD_Response * r, const char *header, const char *content), (r, header, content), MHD_NO)
DLSHIM_FWD(mhd_shim, struct MHD_Response *, MHD_create_response_for_upgrade, (MHD_UpgradeHandler h, void *cls),
           (h, cls), NULL)
DLSHIM_FWD(mhd_shim, struct MHD_Response *, MHD_create_response_from_buffer,
           (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode), NULL)
DLSHIM_FWD(mhd_shim, struct MHD_Response *, MHD_create_response_from_pipe, (int fd), (fd), NULL)
DLSHIM_FWD_VOID(mhd_shim, MHD_destroy_response, (struct MHD_Response * r), (r))
DLSHIM_FWD(mhd_shim, const char *, MHD_lookup_connection_value,
           (struct MHD_Connection * c, enum MHD_ValueKind kind, const char *key), (c, kind, key), NULL)
DLSHIM_FWD(mhd_shim, enum MHD_Result, MHD_queue_response,
           (struct MHD_Connection * c, unsigned int status, struct MHD_Response *r), (c, status, r), MHD_NO)
DLSHIM_FWD(mhd_shim, int, MHD_get_connection_values,
           (struct MHD_Connection * c, enum MHD_ValueKind kind, MHD_KeyValueIterator it, void *cls), (c, kind, it, cls),
           0)
DLSHIM_FWD(mhd_shim, MHD_socket, MHD_quiesce_daemon, (struct MHD_Daemon * d), (d), MHD_INVALID_SOCKET)
DLSHIM_FWD_VOID(mhd_shim, MHD_stop_daemon, (struct MHD_Daemon * d), (d))
DLSHIM_FWD(mhd_shim, struct MHD_Daemon *, MHD_start_daemon_va,
           (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
            MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap),
           (flags, port, apc, apc_cls, dh, dh_cls, ap), NULL)

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
                                    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
        struct MHD_Daemon *d;
        va_list ap;

        va_start(ap, dh_cls);
        d = MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
        va_end(ap);
        return d;
}

enum MHD_Result MHD_upgrade_action(struct MHD_UpgradeResponseHandle *urh, enum MHD_UpgradeAction action, ...)
{
        typedef enum MHD_Result (*fn)(struct MHD_UpgradeResponseHandle *, enum MHD_UpgradeAction, ...);
        static fn real;
        fn f = __atomic_load_n(&real, __ATOMIC_ACQUIRE);

        if (!f) {
                f = (fn)dlshim_sym(&mhd_shim, "MHD_upgrade_action");
                if (!f)
                        return MHD_NO;
                __atomic_store_n(&real, f, __ATOMIC_RELEASE);
        }
        return f(urh, action);
}
