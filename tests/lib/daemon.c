/* daemon.c - start, stop and inspect a real vigild; run child processes (see daemon.h). */
#include "lib/daemon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define TD_MAX_ARGS 64

long long td_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void td_nap(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

const char *td_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        fail_msg("environment variable %s is not set (run through tests/run-all.sh, or export "
                 "VIGILD, VIGILCTL and VIGIL_WEB)",
                 name);
    return v;
}

/* Every directory and daemon the helpers made, so td_cleanup_all can remove what a failed
 * test (which cmocka leaves by longjmp) could not. Copies, not pointers: a failed test's
 * struct td_daemon may have lived on its stack. */
static struct {
    char dir[TD_PATH];
    pid_t pid;
} reg[64];

static void reg_add(const char *dir)
{
    for (size_t i = 0; i < sizeof reg / sizeof reg[0]; i++) {
        if (!reg[i].dir[0]) {
            snprintf(reg[i].dir, sizeof reg[i].dir, "%s", dir);
            reg[i].pid = 0;
            return;
        }
    }
}

static void reg_set_pid(const char *dir, pid_t pid)
{
    for (size_t i = 0; i < sizeof reg / sizeof reg[0]; i++)
        if (reg[i].dir[0] && strcmp(reg[i].dir, dir) == 0)
            reg[i].pid = pid;
}

static void reg_remove(const char *dir)
{
    for (size_t i = 0; i < sizeof reg / sizeof reg[0]; i++)
        if (reg[i].dir[0] && strcmp(reg[i].dir, dir) == 0)
            reg[i].dir[0] = '\0';
}

static int keep_dirs(void)
{
    const char *keep = getenv("VIGIL_TEST_KEEP");
    return keep && strcmp(keep, "1") == 0;
}

static int make_tmpdir(char *out, size_t n)
{
    const char *base = getenv("TMPDIR");
    int w = snprintf(out, n, "%s/vigil-it.XXXXXX", base && *base ? base : "/tmp");
    if (w < 0 || (size_t)w >= n)
        return -ENAMETOOLONG;
    return mkdtemp(out) ? 0 : -errno;
}

int td_tmpdir(char *out, size_t n)
{
    int rc = make_tmpdir(out, n);
    if (!rc)
        reg_add(out);
    return rc;
}

void td_cleanup_all(void)
{
    for (size_t i = 0; i < sizeof reg / sizeof reg[0]; i++) {
        if (!reg[i].dir[0])
            continue;
        if (reg[i].pid > 0) {
            kill(reg[i].pid, SIGKILL);
            waitpid(reg[i].pid, NULL, 0);
        }
        if (keep_dirs())
            print_message("kept %s (VIGIL_TEST_KEEP=1)\n", reg[i].dir);
        else
            td_rmtree(reg[i].dir);
        reg[i].dir[0] = '\0';
    }
}

void td_rmtree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[TD_PATH * 2];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        struct stat sb;
        if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
            td_rmtree(sub);
        else
            unlink(sub);
    }
    closedir(dir);
    rmdir(path);
}

int td_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    size_t n = strlen(text);
    int rc = fwrite(text, 1, n, f) == n ? 0 : -EIO;
    if (fclose(f) != 0 && !rc)
        rc = -errno;
    return rc;
}

/* The whole file as a NUL-terminated heap string ("" when it cannot be read). */
static char *read_file(const char *path)
{
    size_t len = 0, cap = 4096;
    char *s = malloc(cap);
    assert_non_null(s);
    FILE *f = fopen(path, "rb");
    size_t got;
    while (f && (got = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    if (f)
        fclose(f);
    s[len] = '\0';
    return s;
}

int td_has_sanitizer_report(const char *text)
{
    return text && (strstr(text, "AddressSanitizer") || strstr(text, "LeakSanitizer") ||
                    strstr(text, "runtime error:"));
}

char *td_daemon_log(const struct td_daemon *d)
{
    return read_file(d->log);
}

int td_write_config(struct td_daemon *d, const struct td_opts *o)
{
    char text[4096];
    /* The smallest argon2id cost vigild accepts: logins stay fast under ASan. */
    int n = snprintf(text, sizeof text,
                     "# written by tests/lib/daemon.c\n"
                     "auth.argon2_memlimit_kib = 8192\n"
                     "auth.argon2_opslimit = 1\n"
                     "%s%s",
                     o && o->config_extra ? o->config_extra : "", o && o->config_extra ? "\n" : "");
    if (n < 0 || (size_t)n >= sizeof text)
        return -E2BIG;
    return td_write_file(d->conf, text);
}

int td_daemon_init_dir(struct td_daemon *d, const struct td_opts *o)
{
    struct td_opts none = {0};
    memset(d, 0, sizeof *d);
    d->opts = o ? *o : none;
    int rc = td_tmpdir(d->dir, sizeof d->dir);
    if (rc)
        return rc;
    snprintf(d->ready, sizeof d->ready, "%s/ready.json", d->dir);
    snprintf(d->log, sizeof d->log, "%s/vigild.log", d->dir);
    snprintf(d->conf, sizeof d->conf, "%s/vigil.conf", d->dir);
    return td_write_config(d, &d->opts);
}

static int port_of(const json_t *p)
{
    return json_is_integer(p) && json_integer_value(p) > 0 && json_integer_value(p) < 65536
               ? (int)json_integer_value(p)
               : 0;
}

/* Reads the ports from the ready file: 1 when it is there and complete, else 0. The "dc09"
 * port is required when dc09_port is non-NULL. */
static int read_ready(const char *path, int *port, int *dc09_port)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    int http = port_of(json_object_get(j, "http"));
    int dc09 = port_of(json_object_get(j, "dc09"));
    int ok = http && (!dc09_port || dc09);
    if (ok) {
        *port = http;
        if (dc09_port)
            *dc09_port = dc09;
    }
    json_decref(j);
    return ok;
}

static int decode_status(int ws)
{
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    if (WIFSIGNALED(ws))
        return 128 + WTERMSIG(ws);
    return -1;
}

/* Waits up to ms for pid; returns its decoded status, or -ETIMEDOUT. */
static int wait_child(pid_t pid, int ms)
{
    long long deadline = td_now_ms() + ms;
    for (;;) {
        int ws;
        pid_t r = waitpid(pid, &ws, WNOHANG);
        if (r == pid)
            return decode_status(ws);
        if (r < 0 && errno != EINTR)
            return -1;
        if (td_now_ms() > deadline)
            return -ETIMEDOUT;
        td_nap(5);
    }
}

static void print_log_tail(const struct td_daemon *d)
{
    char *log = td_daemon_log(d);
    size_t n = strlen(log);
    print_error("---- vigild stderr (%s) ----\n%s\n----\n", d->log,
                n > 4000 ? log + n - 4000 : log);
    free(log);
}

/* execv() takes char *const[] for historical reasons and never writes through it. */
static char *const *argv_mut(const char *const *argv)
{
    union {
        const char *const *c;
        char *const *m;
    } u = {.c = argv};
    return u.m;
}

static int spawn_daemon(struct td_daemon *d)
{
    const char *vigild = td_env("VIGILD"), *web = td_env("VIGIL_WEB");
    const char *argv[24];
    int k = 0;
    /* make valgrind: the daemon runs under valgrind too; a leak or error makes it exit 99,
     * which td_daemon_stop_ok reports. */
    if (getenv("VIGIL_DAEMON_VALGRIND")) {
        argv[k++] = "/usr/bin/valgrind";
        argv[k++] = "--quiet";
        argv[k++] = "--error-exitcode=99";
        argv[k++] = "--leak-check=full";
        argv[k++] = "--errors-for-leak-kinds=definite,indirect";
    }
    const char *exe = k ? argv[0] : vigild;
    argv[k++] = vigild;
    argv[k++] = "--data";
    argv[k++] = d->dir;
    argv[k++] = "--http";
    argv[k++] = d->opts.http ? d->opts.http : "127.0.0.1:0";
    argv[k++] = "--ready-file";
    argv[k++] = d->ready;
    argv[k++] = "--web";
    argv[k++] = web;
    argv[k++] = "--config";
    argv[k++] = d->conf;
    if (d->opts.demo)
        argv[k++] = "--demo";
    if (d->opts.dc09) {
        argv[k++] = "--dc09";
        argv[k++] = "127.0.0.1:0";
    }
    argv[k] = NULL;

    unlink(d->ready);
    int logfd = open(d->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (logfd < 0 || nullfd < 0) {
        int e = errno;
        if (logfd >= 0)
            close(logfd);
        if (nullfd >= 0)
            close(nullfd);
        return -e;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* Only async-signal-safe calls between fork and exec. A test binary that crashes
         * takes its daemon with it rather than leaving it running. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(nullfd, STDIN_FILENO);
        dup2(logfd, STDOUT_FILENO);
        dup2(logfd, STDERR_FILENO);
        execv(exe, argv_mut(argv));
        _exit(127);
    }
    int e = errno;
    close(logfd);
    close(nullfd);
    if (pid < 0)
        return -e;
    d->pid = pid;
    reg_set_pid(d->dir, pid);
    d->port = 0;
    d->dc09_port = 0;
    d->exit_status = -1;

    long long deadline = td_now_ms() + TD_TIMEOUT_MS;
    while (td_now_ms() < deadline) {
        if (read_ready(d->ready, &d->port, d->opts.dc09 ? &d->dc09_port : NULL))
            return 0;
        int ws;
        if (waitpid(pid, &ws, WNOHANG) == pid) {
            d->pid = 0;
            reg_set_pid(d->dir, 0);
            d->exit_status = decode_status(ws);
            return -ECHILD;
        }
        td_nap(10);
    }
    print_error("vigild did not become ready within %d ms\n", TD_TIMEOUT_MS);
    print_log_tail(d);
    td_daemon_stop(d);
    return -ETIMEDOUT;
}

int td_daemon_start(struct td_daemon *d, const struct td_opts *o)
{
    if (!d->dir[0]) {
        int rc = td_daemon_init_dir(d, o);
        if (rc)
            return rc;
    }
    return spawn_daemon(d);
}

int td_daemon_restart(struct td_daemon *d)
{
    if (d->pid)
        return -EBUSY;
    return spawn_daemon(d);
}

int td_daemon_stop(struct td_daemon *d)
{
    if (!d->pid)
        return d->exit_status;
    kill(d->pid, SIGTERM);
    int st = wait_child(d->pid, TD_TIMEOUT_MS);
    if (st == -ETIMEDOUT) {
        print_error("vigild (pid %d) ignored SIGTERM for %d ms; killing it\n", (int)d->pid,
                    TD_TIMEOUT_MS);
        kill(d->pid, SIGKILL);
        waitpid(d->pid, NULL, 0);
        st = -1;
    }
    d->pid = 0;
    reg_set_pid(d->dir, 0);
    d->exit_status = st;
    return st;
}

int td_daemon_kill(struct td_daemon *d, int sig)
{
    if (!d->pid)
        return d->exit_status;
    kill(d->pid, sig);
    int st = wait_child(d->pid, TD_TIMEOUT_MS);
    if (st == -ETIMEDOUT) {
        kill(d->pid, SIGKILL);
        waitpid(d->pid, NULL, 0);
        st = -1;
    }
    d->pid = 0;
    reg_set_pid(d->dir, 0);
    d->exit_status = st;
    return st;
}

void td_daemon_stop_ok(struct td_daemon *d)
{
    int st = td_daemon_stop(d);
    char *log = td_daemon_log(d);
    int dirty = td_has_sanitizer_report(log);
    free(log);
    if (st != 0 || dirty)
        print_log_tail(d);
    assert_int_equal(st, 0);
    assert_false(dirty);
}

void td_daemon_cleanup(struct td_daemon *d)
{
    if (!d)
        return;
    if (d->pid) {
        kill(d->pid, SIGKILL);
        waitpid(d->pid, NULL, 0);
        d->pid = 0;
    }
    if (d->dir[0] && keep_dirs())
        print_message("kept %s (VIGIL_TEST_KEEP=1)\n", d->dir);
    else if (d->dir[0])
        td_rmtree(d->dir);
    reg_remove(d->dir);
    d->dir[0] = '\0';
}

/* ---- child processes ---- */

int td_run(const char *const argv[], const char *stdin_text, struct td_proc *p)
{
    char dir[TD_PATH], in[TD_PATH + 16], out[TD_PATH + 16], err[TD_PATH + 16];
    memset(p, 0, sizeof *p);
    p->status = -1;
    assert_int_equal(make_tmpdir(dir, sizeof dir), 0);
    snprintf(in, sizeof in, "%s/stdin", dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    assert_int_equal(td_write_file(in, stdin_text ? stdin_text : ""), 0);
    int fin = open(in, O_RDONLY | O_CLOEXEC);
    int fout = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int ferr = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fin >= 0 && fout >= 0 && ferr >= 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(fin, STDIN_FILENO);
        dup2(fout, STDOUT_FILENO);
        dup2(ferr, STDERR_FILENO);
        execv(argv[0], argv_mut(argv));
        _exit(127);
    }
    close(fin);
    close(fout);
    close(ferr);
    assert_true(pid > 0);
    p->status = wait_child(pid, TD_TIMEOUT_MS);
    if (p->status == -ETIMEDOUT) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        p->status = -1;
    }
    p->out = read_file(out);
    p->err = read_file(err);
    td_rmtree(dir);
    if (td_has_sanitizer_report(p->err) || p->status == -1)
        print_error("---- %s exited %d; stderr ----\n%s\n----\n", argv[0], p->status, p->err);
    assert_false(td_has_sanitizer_report(p->err));
    return p->status;
}

int td_vigilctl(const struct td_daemon *d, const char *stdin_text, struct td_proc *p, ...)
{
    const char *argv[TD_MAX_ARGS];
    int k = 0;
    argv[k++] = td_env("VIGILCTL");
    argv[k++] = "--data";
    argv[k++] = d->dir;
    argv[k++] = "--config";
    argv[k++] = d->conf;
    va_list ap;
    va_start(ap, p);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && k < TD_MAX_ARGS - 1)
        argv[k++] = a;
    va_end(ap);
    argv[k] = NULL;
    return td_run(argv, stdin_text, p);
}

void td_proc_free(struct td_proc *p)
{
    if (!p)
        return;
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
}
