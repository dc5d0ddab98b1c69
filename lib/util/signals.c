/* SPDX-License-Identifier: Apache-2.0 */
#include "util/signals.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
        const char *name;
        int sig;
} table[] = {
        { "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "BUS", SIGBUS },       { "CHLD", SIGCHLD },
        { "CLD", SIGCHLD },  { "CONT", SIGCONT }, { "FPE", SIGFPE },       { "HUP", SIGHUP },
        { "ILL", SIGILL },   { "INT", SIGINT },   { "IO", SIGIO },         { "IOT", SIGIOT },
        { "KILL", SIGKILL }, { "PIPE", SIGPIPE }, { "POLL", SIGPOLL },     { "PROF", SIGPROF },
        { "PWR", SIGPWR },   { "QUIT", SIGQUIT }, { "SEGV", SIGSEGV },     { "STKFLT", SIGSTKFLT },
        { "STOP", SIGSTOP }, { "SYS", SIGSYS },   { "TERM", SIGTERM },     { "TRAP", SIGTRAP },
        { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },     { "URG", SIGURG },
        { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "VTALRM", SIGVTALRM }, { "WINCH", SIGWINCH },
        { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
};

static int parse_num(const char *s)
{
        char *end;
        long v = strtol(s, &end, 10);

        return *s && !*end && v > 0 && v <= SIGRTMAX ? (int)v : -1;
}

int signal_number(const char *s)
{
        const char *n = s;
        int v;

        if (!s || !*s)
                return -1;
        /* kill(1)'s form: -9, -KILL */
        if (s[0] == '-' && s[1])
                n = ++s;
        if (isdigit((unsigned char)*s))
                return parse_num(s);
        if (strncasecmp(n, "SIG", 3) == 0)
                n += 3;
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
                if (strcasecmp(n, table[i].name) == 0)
                        return table[i].sig;
        if (strncasecmp(n, "RTMIN", 5) == 0) {
                v = n[5] == '+' ? parse_num(n + 6) : n[5] ? -1 : 0;
                return v >= 0 && SIGRTMIN + v <= SIGRTMAX ? SIGRTMIN + v : -1;
        }
        if (strncasecmp(n, "RTMAX", 5) == 0) {
                v = n[5] == '-' ? parse_num(n + 6) : n[5] ? -1 : 0;
                return v >= 0 && SIGRTMAX - v >= SIGRTMIN ? SIGRTMAX - v : -1;
        }
        return -1;
}

const char *signal_name(int sig)
{
        static const char *const names[] = {
                [SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",   [SIGQUIT] = "SIGQUIT", [SIGKILL] = "SIGKILL",
                [SIGTERM] = "SIGTERM", [SIGUSR1] = "SIGUSR1", [SIGUSR2] = "SIGUSR2", [SIGSTOP] = "SIGSTOP"
        };

        return sig > 0 && (size_t)sig < sizeof(names) / sizeof(names[0]) ? names[sig] : NULL;
}
