/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ISA-L, loaded on first use (see dlshim.h): only gzip layers need it, and
 * linked directly it cost every cpod command ~10 page faults at startup.
 * Built only with CPOD_HAVE_ISAL (lib/meson.build).
 */
#include <isa-l/igzip_lib.h>

#include "util/dlshim.h"
#include "util/shims.h"

static struct dlshim libisal_shim = DLSHIM_INIT("libisal.so.2", "needed for gzip layers");

int isal_shim_open(cpod_error_t *err)
{
        return dlshim_open(&libisal_shim, err);
}

DLSHIM_FWD_VOID(libisal_shim, isal_inflate_init, (struct inflate_state * state), (state))
DLSHIM_FWD_VOID(libisal_shim, isal_inflate_reset, (struct inflate_state * state), (state))
DLSHIM_FWD(libisal_shim, int, isal_inflate, (struct inflate_state * state), (state), ISAL_INVALID_OPERATION)
