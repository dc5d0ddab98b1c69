/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cpod command-line framework: commands and their flags are declared
 * once, in tables, and that table drives parsing, --help, error messages
 * and shell completion.  A command's flags are stored into a per-command
 * options struct through offsetof(), so run() receives typed values.
 */
#ifndef CPOD_CLI_H
#define CPOD_CLI_H

#include <stdbool.h>

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

enum opt_type {
        OPT_BOOL,     /* bool; --x, --x=true|false */
        OPT_STRING,   /* const char *, borrowed from argv or the table */
        OPT_INT,      /* long */
        OPT_UINT,     /* unsigned long */
        OPT_STRARRAY, /* struct strv: each use appends one value (podman StringArray) */
        OPT_STRSLICE, /* struct strv: each use appends comma-separated values (podman StringSlice) */
        OPT_COUNT,    /* int incremented per use */
};

enum opt_flags {
        OPT_HIDDEN = 1 << 0,       /* accepted, not shown in --help */
        OPT_OPTIONAL_ARG = 1 << 1, /* string flag whose value must be attached with '=' (else `def`) */
        OPT_RUN_ONLY = 1 << 2,     /* a run flag that create does not take (-d, --sig-proxy, ...) */
};

struct cli_opt {
        const char *name; /* long name, without "--" */
        char shorthand;   /* 0 for none */
        enum opt_type type;
        size_t offset;       /* into the command's options struct */
        const char *argname; /* shown in --help after the flag ("string", "int", ...) */
        const char *help;
        const char *def; /* default value as text, applied before parsing; shown in help */
        unsigned flags;
};

/* A growable list of strings, NULL-terminated: borrowed (from argv or the table) or owned. */
struct strv {
        size_t n;
        const char **v;
        char **owned; /* what the list owns (its entries, or buffers they point into); freed with it */
};

/* clang-format off */
#define OPT(name, sh, type, st, field, argname, def, help)                                                             \
        { name, sh, type, offsetof(st, field), argname, help, def, 0 }
/* clang-format on */
#define OPT_B(name, sh, st, field, help) OPT(name, sh, OPT_BOOL, st, field, NULL, NULL, help)
#define OPT_S(name, sh, st, field, def, help) OPT(name, sh, OPT_STRING, st, field, "string", def, help)
#define OPT_I(name, sh, st, field, def, help) OPT(name, sh, OPT_INT, st, field, "int", def, help)
#define OPT_U(name, sh, st, field, def, help) OPT(name, sh, OPT_UINT, st, field, "uint", def, help)
#define OPT_A(name, sh, st, field, help) OPT(name, sh, OPT_STRARRAY, st, field, "stringArray", NULL, help)
#define OPT_L(name, sh, st, field, help) OPT(name, sh, OPT_STRSLICE, st, field, "strings", NULL, help)
/* clang-format off */
#define OPT_END { NULL, 0, 0, 0, NULL, NULL, NULL, 0 }
/* clang-format on */

struct cli_ctx;

struct cli_cmd {
        const char *name;
        const char *const *aliases; /* NULL-terminated, or NULL */
        const char *use;            /* usage after the command path: "[options] CONTAINER [CONTAINER...]" */
        const char *summary;        /* one line, shown in command lists */
        const char *description;    /* longer text for --help, or NULL to reuse summary */
        const char *example;        /* lines shown under Examples:, or NULL */
        const struct cli_opt *opts; /* OPT_END-terminated, or NULL */
        size_t opts_size;           /* sizeof the options struct */
        int (*run)(struct cli_ctx *ctx, void *opts, int argc, char **argv);
        const struct cli_cmd *const *subcmds; /* NULL-terminated, or NULL for leaf commands */
        int min_args, max_args;               /* positional argument bounds; max -1 = unlimited */
        bool no_interspersed;                 /* flags end at the first positional (run, exec) */
        bool hidden;
        /* Completion of positional arguments: "containers", "images", "pods", or NULL. */
        const char *complete_args;
        /* What --latest does with the positional arguments (see latest.c). */
        enum { CLI_LATEST_NONE, CLI_LATEST_REPLACES, CLI_LATEST_PREPENDS } latest;
};

/* Global flags (podman's persistent flags), accepted before or after the subcommand. */
struct global_opts {
        const char *root;
        const char *runroot;
        const char *storage_driver;
        struct strv storage_opts;
        const char *runtime;
        const char *cgroup_manager;
        const char *conmon;
        const char *config;
        const char *log_level;
        const char *tmpdir;
        const char *network_backend;
        const char *network_config_dir;
        const char *events_backend;
        const char *network_cmd_path;
        const char *connection, *url, *identity, *volumepath;
        struct strv runtime_flags, hooks_dirs;
        bool help;
        bool version;
        bool syslog;
        bool noout;
        bool remote;
};

struct cli_ctx {
        struct global_opts g;
        const struct cli_cmd *cmd; /* the command being run */
        char path[256];            /* "cpod container ls" */
        int argc;                  /* the command line, for CreateCommand */
        char **argv;
        struct cpod_runtime *rt;            /* opened on first use by cli_runtime() */
        const struct cli_opt *changed[128]; /* flags given on the command line */
        size_t n_changed;
        char *latest_id; /* --latest's container, put among the positional arguments */
};

extern const struct cli_cmd cli_root;
extern const struct cli_opt cli_global_opts[];

/* Parse argv, run the command, return the process exit code. */
int cli_main(int argc, char **argv);

/* The whole command line as a JSON array (podman's CreateCommand). */
json_t *cli_create_command(const struct cli_ctx *ctx);

/* The runtime options the global flags give (pointing into ctx). */
void cli_runtime_opts(const struct cli_ctx *ctx, struct cpod_runtime_opts *ret);
/* The runtime handle, opened on first use with the global flags. NULL + err on failure. */
struct cpod_runtime *cli_runtime(struct cli_ctx *ctx, cpod_error_t *err);

/* Append a borrowed string (argv, a table, or something the list owns) to a flag list. */
void cli_strv_push(struct strv *sv, const char *s);
/* Append a string the list then owns. */
void cli_strv_push_owned(struct strv *sv, char *s);
/* Free the list's array and what it owns; it is empty again. */
void cli_strv_release(struct strv *sv);
/*
 * --platform OS/ARCH[/VARIANT] (NULL or "": nothing to do) into *os, *arch
 * and *variant, which must not be set by --os/--arch already; store[3]
 * gets the strings, for the caller to free.  Prints errors, returns an exit code or 0.
 */
int cli_platform_split(const char *platform, const char **os, const char **arch, const char **variant, char *store[3]);
/* The values as a JSON array of strings. */
json_t *cli_strv_json(const struct strv *sv);

/*
 * With --latest, put the newest container's ID first among the positional
 * arguments: in place of the container (REPLACES: naming one too is an
 * error) or before the other arguments (PREPENDS: exec's command, port's port).
 * pos must have room for one more.  0 or an exit code (error printed).
 */
int cli_apply_latest(struct cli_ctx *ctx, const struct cli_cmd *cmd, const void *opts, char **pos, int *npos);

/* Was the flag named `name` given on the command line? */
bool cli_changed(const struct cli_ctx *ctx, const char *name);

/* Print "Error: msg" to stderr and return podman's exit code for the error's kind. */
int cli_error(const cpod_error_t *err);
/* Print err like cli_error, clear it, and return the exit code. */
int cli_fail(cpod_error_t *err);
/* The exit code of an "exists" command from its lookup's result r: 0 found, 1 when err is of kind missing. */
int cli_exists_rc(int r, cpod_error_t *err, enum cpod_error_kind missing);
/* The runtime's warning handler: "WARN[0000] msg" on stderr (unless --log-level is above warn). */
void cli_warn(const char *msg, void *userdata);
/* Print "Error: <fmt>" and return 125. */
int cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exit code for an error kind: 125, or 126/127 for command errors. */
int cli_exit_code(const cpod_error_t *err);

void cli_print_help(FILE *out, const struct cli_cmd *cmd, const char *path);
int cli_completion_script(const char *shell, FILE *out);
/* Print completion candidates for the words after the program name (last one is being typed). */
int cli_complete(struct cli_ctx *ctx, int argc, char **argv, bool desc, FILE *out);

/* Helpers for command tables. */
#define CMD_ALIASES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define CMD_LIST(...) ((const struct cli_cmd *const[]){ __VA_ARGS__, NULL })

#endif
