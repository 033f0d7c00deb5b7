/* daemon.h - integration-test helpers: the real vigild on an ephemeral loopback port over a
 * temporary data directory, and a runner for child processes (vigilctl, vigild --help).
 *
 * The binaries come from the environment that tests/run-all.sh exports: VIGILD and VIGILCTL
 * (absolute paths of the variant's binaries) and VIGIL_WEB (the repository's web/ directory).
 * Every wait is bounded (TD_TIMEOUT_MS); nothing sleeps for timing. Functions that "assert"
 * fail the running cmocka test. */
#ifndef VIGIL_TEST_DAEMON_H
#define VIGIL_TEST_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

#define TD_PATH 512
#define TD_TIMEOUT_MS 20000

struct td_opts {
    int demo;                 /* pass --demo (the demo community; password "vigil-demo") */
    const char *config_extra; /* more "key = value" lines for the config file, or NULL */
    const char *http;         /* --http value; NULL: "127.0.0.1:0" (a free port) */
    int dc09;                 /* pass --dc09 127.0.0.1:0 (the SIA DC-09 receiver, TCP and UDP) */
};

struct td_daemon {
    pid_t pid;         /* 0 when not running */
    int port;          /* from the ready file */
    int dc09_port;     /* from the ready file when opts.dc09 is set, else 0 */
    int exit_status;   /* of the last run: exit code, 128+signal, or -1 (killed on timeout) */
    char dir[TD_PATH]; /* the temporary data directory; td_daemon_cleanup removes it */
    char ready[TD_PATH + 32]; /* DIR/ready.json */
    char log[TD_PATH + 32];   /* DIR/vigild.log: stderr of every run, appended */
    char conf[TD_PATH + 32];  /* DIR/vigil.conf: fast argon2 settings plus opts.config_extra */
    struct td_opts opts;
};

/* Value of an environment variable the suite needs; fails the test when it is unset. */
const char *td_env(const char *name);

/* Creates a fresh temporary directory into out (n bytes). Returns 0 or a negative errno.
 * td_cleanup_all removes it if the test does not. */
int td_tmpdir(char *out, size_t n);
/* Kills every vigild the helpers started and removes every directory they made (kept when
 * VIGIL_TEST_KEEP=1). For group teardowns: it also cleans up after tests that failed midway. */
void td_cleanup_all(void);
/* Removes path and everything under it (best effort). */
void td_rmtree(const char *path);

/* Writes the config file (d->conf) for o. Called by td_daemon_start; also usable before a
 * vigilctl-only test. d->dir must be set. Returns 0 or a negative errno. */
int td_write_config(struct td_daemon *d, const struct td_opts *o);

/* Makes a new data directory and starts vigild on it with --data DIR --http 127.0.0.1:0
 * --ready-file DIR/ready.json --web $VIGIL_WEB --config DIR/vigil.conf [--demo]
 * [--dc09 127.0.0.1:0], then waits (at most TD_TIMEOUT_MS) for the ready file. If d->dir is
 * already set (td_daemon_init_dir) that directory is used. Returns 0 with d->port (and
 * d->dc09_port) set; -ECHILD when vigild exited before it was ready (d->exit_status says how);
 * -ETIMEDOUT; or another negative errno. */
int td_daemon_start(struct td_daemon *d, const struct td_opts *o);
/* Sets up d (directory, paths, config) without starting vigild. Returns 0 or -errno. */
int td_daemon_init_dir(struct td_daemon *d, const struct td_opts *o);
/* Starts vigild again on the same directory with the same options (after td_daemon_stop). */
int td_daemon_restart(struct td_daemon *d);
/* Sends SIGTERM and waits (at most TD_TIMEOUT_MS, then SIGKILL). Returns the exit status:
 * the exit code, 128+signal, or -1 when it had to be killed. */
int td_daemon_stop(struct td_daemon *d);
/* Sends sig (e.g. SIGKILL) and waits (at most TD_TIMEOUT_MS) for vigild to end. Returns the
 * exit status as td_daemon_stop does; td_daemon_restart may follow. */
int td_daemon_kill(struct td_daemon *d, int sig);
/* Asserts that td_daemon_stop returns 0 and the daemon's stderr holds no sanitizer report. */
void td_daemon_stop_ok(struct td_daemon *d);
/* Kills vigild if it still runs and removes the directory (kept, and named on stdout, when
 * VIGIL_TEST_KEEP=1, for a look at the database and vigild.log). NULL-safe. */
void td_daemon_cleanup(struct td_daemon *d);

/* The daemon's stderr so far (caller frees); "" when there is none. */
char *td_daemon_log(const struct td_daemon *d);
/* 1 when text holds a sanitizer report (AddressSanitizer, LeakSanitizer, runtime error:). */
int td_has_sanitizer_report(const char *text);

struct td_proc {
    int status; /* exit code, 128+signal, or -1 when killed after TD_TIMEOUT_MS */
    char *out;  /* everything written to stdout (NUL-terminated; caller frees via td_proc_free) */
    char *err;  /* everything written to stderr */
};

/* Runs argv (argv[0] is a path) with stdin_text (NULL: empty) on standard input, collecting
 * stdout and stderr. Asserts that the child printed no sanitizer report. Returns p->status. */
int td_run(const char *const argv[], const char *stdin_text, struct td_proc *p);
/* Runs $VIGILCTL --data d->dir --config d->conf ARGS... (NULL-terminated). */
int td_vigilctl(const struct td_daemon *d, const char *stdin_text, struct td_proc *p, ...);
void td_proc_free(struct td_proc *p);

/* Milliseconds on the monotonic clock. */
long long td_now_ms(void);
/* Sleeps ms milliseconds (only for bounded polling loops). */
void td_nap(int ms);
/* Writes text to path. Returns 0 or a negative errno. */
int td_write_file(const char *path, const char *text);

#endif
