/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libyaml, loaded on first use (dlshim.h): only `kube play` reads YAML, and no
 * other command should map it at startup.
 */
#include <yaml.h>

#include "util/dlshim.h"
#include "util/shims.h"

static struct dlshim libyaml_shim = DLSHIM_INIT("libyaml-0.so.2", "needed to read Kubernetes YAML");

int yaml_shim_open(cpod_error_t *err)
{
        return dlshim_open(&libyaml_shim, err);
}

DLSHIM_FWD(libyaml_shim, int, yaml_parser_initialize, (yaml_parser_t * p), (p), 0)
DLSHIM_FWD_VOID(libyaml_shim, yaml_parser_delete, (yaml_parser_t * p), (p))
DLSHIM_FWD_VOID(libyaml_shim, yaml_parser_set_input_string, (yaml_parser_t * p, const unsigned char *in, size_t n),
                (p, in, n))
DLSHIM_FWD(libyaml_shim, int, yaml_parser_parse, (yaml_parser_t * p, yaml_event_t *ev), (p, ev), 0)
DLSHIM_FWD_VOID(libyaml_shim, yaml_event_delete, (yaml_event_t * ev), (ev))
