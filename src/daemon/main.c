/* main.c - vigild: arguments -> config -> store -> app -> hub -> HTTP -> wait for a signal ->
 * ordered shutdown that frees everything (so LeakSanitizer at exit means something). */
#include "app/app.h"
#include "app/auth.h"
#include "app/demo.h"
#include "app/equipment.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/hub.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "http/http.h"
#include "http/pump.h"
#include "proto/dc09/dc09_server.h"
#include "proto/webhook/webhook.h"
#include "proto/camera/camera_fetch.h"
#include "app/camera.h"
#include "app/checklist.h"
#include "app/response.h"
#include "app/retention.h"
#include <curl/curl.h>
#include <dirent.h>
#include "app/alarm.h"
#include "app/report.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

struct opts {
    const char *data;
    const char *http;
    const char *config;
    const char *ready_file;
    const char *web;
    const char *dc09;
    int demo;
    int check_config;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vigild [options]\n"
               "  --data DIR           data directory (default ./var)\n"
               "  --http HOST:PORT     console and API address (default 127.0.0.1:8080; port 0 = "
               "any free port)\n"
               "  --config FILE        configuration file (key = value; see "
               "--print-config-help)\n"
               "  --web DIR            web console directory (default: http.web_root, \"web\")\n"
               "  --dc09 HOST:PORT     SIA DC-09 alarm receiver, TCP and UDP (port 0 = any free "
               "port)\n"
               "  --demo               seed the demo community on first start\n"
               "  --ready-file FILE    write {\"http\": PORT} there once listening\n"
               "  --check-config       validate the configuration and exit\n"
               "  --print-config-help  list every configuration key with its default\n"
               "  --version, --help\n");
}

enum {
    OPT_DATA = 1,
    OPT_HTTP,
    OPT_CONFIG,
    OPT_READY,
    OPT_WEB,
    OPT_DEMO,
    OPT_CHECK,
    OPT_PHELP,
    OPT_DC09
};

static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, OPT_DATA},
        {"http", required_argument, NULL, OPT_HTTP},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"ready-file", required_argument, NULL, OPT_READY},
        {"web", required_argument, NULL, OPT_WEB},
        {"dc09", required_argument, NULL, OPT_DC09},
        {"demo", no_argument, NULL, OPT_DEMO},
        {"check-config", no_argument, NULL, OPT_CHECK},
        {"print-config-help", no_argument, NULL, OPT_PHELP},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DATA:
            o->data = optarg;
            break;
        case OPT_HTTP:
            o->http = optarg;
            break;
        case OPT_CONFIG:
            o->config = optarg;
            break;
        case OPT_READY:
            o->ready_file = optarg;
            break;
        case OPT_WEB:
            o->web = optarg;
            break;
        case OPT_DC09:
            o->dc09 = optarg;
            break;
        case OPT_DEMO:
            o->demo = 1;
            break;
        case OPT_CHECK:
            o->check_config = 1;
            break;
        case OPT_PHELP:
            conf_print_help(stdout);
            return 1;
        case 'V':
            printf("vigild %s\n", VIGIL_VERSION);
            return 1;
        case 'h':
            usage(stdout);
            return 1;
        default:
            usage(stderr);
            return -EINVAL;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "vigild: unexpected argument \"%s\"\n", argv[optind]);
        usage(stderr);
        return -EINVAL;
    }
    return 0;
}

static int load_conf(const struct opts *o, struct conf *cf)
{
    char err[512];
    conf_defaults(cf);
    if (o->config && conf_load_file(cf, o->config, err, sizeof err)) {
        fprintf(stderr, "vigild: config error: %s\n", err);
        return -EINVAL;
    }
    if (o->http && conf_set(cf, "http.listen", o->http, err, sizeof err)) {
        fprintf(stderr, "vigild: --http: %s\n", err);
        return -EINVAL;
    }
    if (o->web && conf_set(cf, "http.web_root", o->web, err, sizeof err)) {
        fprintf(stderr, "vigild: --web: %s\n", err);
        return -EINVAL;
    }
    if (o->dc09 && conf_set(cf, "dc09.listen", o->dc09, err, sizeof err)) {
        fprintf(stderr, "vigild: --dc09: %s\n", err);
        return -EINVAL;
    }
    for (int i = 0; i < cf->dc09_accounts.n; i++) {
        struct dc09_account acct;
        if (dc09_account_parse(cf->dc09_accounts.v[i], &acct, err, sizeof err)) {
            fprintf(stderr, "vigild: config error: dc09.account entry %d: %s\n", i + 1, err);
            return -EINVAL;
        }
    }
    enum log_level lvl;
    if (log_level_parse(cf->log_level, &lvl) == 0)
        log_set_level(lvl);
    return 0;
}

static int write_ready(const char *path, int port, int dc09_port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -errno;
    if (dc09_port > 0)
        fprintf(f, "{\"http\": %d, \"dc09\": %d}\n", port, dc09_port);
    else
        fprintf(f, "{\"http\": %d}\n", port);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        return -errno;
    return 0;
}

/* Loads every TYPE.json of the checklist directory; each incident type must have one. */
static int load_checklists(struct app *a, const char *dir)
{
    char err[512];
    DIR *d = opendir(dir);
    if (!d) {
        log_error("daemon", "checklists_missing dir=\"%s\" err=\"%s\"", dir, strerror(errno));
        return -ENOENT;
    }
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        json_error_t jerr;
        json_t *cl = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
        if (!cl) {
            log_error("daemon", "checklist_invalid file=\"%s\" line=%d err=\"%s\"", path, jerr.line,
                      jerr.text);
            rc = -EINVAL;
        } else if ((rc = app_checklist_add(a, cl, err, sizeof err)) != 0) {
            log_error("daemon", "checklist_invalid file=\"%s\" err=\"%s\"", path, err);
        }
        json_decref(cl);
        free(path);
    }
    closedir(d);
    if (!rc && (rc = app_checklists_complete(a, err, sizeof err)) != 0)
        log_error("daemon", "checklists_incomplete dir=\"%s\" err=\"%s\"", dir, err);
    return rc;
}

/* Waits for SIGTERM/SIGINT. Every 5 s: account supervision and escalations; once a minute:
 * housekeeping. */
static void wait_for_signal(struct app *a, const sigset_t *set, struct webhook *wh)
{
    int64_t last_house = clock_mono_ms();
    struct escalation_rules rules;
    escalation_rules_from_conf(a->conf, &rules);
    for (;;) {
        struct timespec ts = {.tv_sec = 5};
        int sig = sigtimedwait(set, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT) {
            log_info("daemon", "stopping signal=%s", sig == SIGTERM ? "TERM" : "INT");
            return;
        }
        int rc = app_alarm_supervise(a, a->conf->alarm_supervision_grace * 1000);
        if (rc > 0)
            log_warn("daemon", "accounts_missing opened=%d", rc);
        else if (rc < 0)
            log_warn("daemon", "supervision_failed rc=%d", rc);
        rc = app_escalation_check(a, &rules);
        if (rc > 0) {
            log_warn("daemon", "escalated count=%d", rc);
            webhook_kick(wh);
        } else if (rc < 0) {
            log_warn("daemon", "escalation_failed rc=%d", rc);
        }
        rc = app_equipment_tick(a);
        if (rc > 0) {
            log_warn("daemon", "tickets_escalated count=%d", rc);
            webhook_kick(wh);
        } else if (rc < 0) {
            log_warn("daemon", "equipment_tick_failed rc=%d", rc);
        }
        if (clock_mono_ms() - last_house >= 60000) {
            last_house = clock_mono_ms();
            rc = app_auth_housekeeping(a);
            if (rc)
                log_warn("daemon", "housekeeping_failed rc=%d", rc);
            rc = app_retention_tick(a);
            if (rc)
                log_msg(rc > 0 ? LOG_LVL_INFO : LOG_LVL_WARN, "daemon", "retention_run rc=%d", rc);
            rc = app_report_schedule_run(a, clock_now_ms());
            if (rc > 0)
                log_info("daemon", "reports_stored count=%d", rc);
            else if (rc < 0)
                log_warn("daemon", "reports_failed rc=%d", rc);
        }
    }
}

/* /metrics lines of the DC-09 receiver. */
static void dc09_metrics(void *ctx, struct buf *out)
{
    struct dc09_stats st;
    dc09_server_stats(ctx, &st);
    buf_printf(out,
               "# HELP vigil_dc09_frames_total DC-09 frames received.\n"
               "# TYPE vigil_dc09_frames_total counter\nvigil_dc09_frames_total %llu\n"
               "# HELP vigil_dc09_replies_total DC-09 replies by kind.\n"
               "# TYPE vigil_dc09_replies_total counter\n"
               "vigil_dc09_replies_total{reply=\"ACK\"} %llu\n"
               "vigil_dc09_replies_total{reply=\"NAK\"} %llu\n"
               "vigil_dc09_replies_total{reply=\"DUH\"} %llu\n"
               "# HELP vigil_dc09_crc_errors_total Frames dropped for a bad CRC (no reply).\n"
               "# TYPE vigil_dc09_crc_errors_total counter\nvigil_dc09_crc_errors_total %llu\n"
               "# HELP vigil_dc09_store_failures_total Frames left unanswered because the store "
               "could not commit.\n"
               "# TYPE vigil_dc09_store_failures_total counter\n"
               "vigil_dc09_store_failures_total %llu\n"
               "# HELP vigil_dc09_connections_total TCP connections accepted.\n"
               "# TYPE vigil_dc09_connections_total counter\n"
               "vigil_dc09_connections_total %llu\n",
               (unsigned long long)st.frames, (unsigned long long)st.acks,
               (unsigned long long)st.naks, (unsigned long long)st.duhs,
               (unsigned long long)st.crc_errors, (unsigned long long)st.store_failures,
               (unsigned long long)st.connections);
}

/* Declares the configured accounts in the store and starts the receiver. */
static int start_dc09(const struct conf *cf, struct app *a, struct dc09_server **out)
{
    char err[512];
    int n = cf->dc09_accounts.n, rc = 0;
    struct dc09_account *accts = xcalloc(n ? (size_t)n : 1, sizeof *accts);
    for (int i = 0; i < n && !rc; i++) {
        rc = dc09_account_parse(cf->dc09_accounts.v[i], &accts[i], err, sizeof err);
        if (!rc)
            rc = app_alarm_account_set(a, accts[i].acct, accts[i].name, accts[i].heartbeat_s);
    }
    struct dc09_opts o = {.listen = cf->dc09_listen,
                          .window_past_ms = cf->dc09_window_past * 1000,
                          .window_future_ms = cf->dc09_window_future * 1000,
                          .max_connections = (int)cf->dc09_max_connections,
                          .idle_timeout_ms = (int)cf->dc09_idle_timeout * 1000,
                          .accounts = accts,
                          .naccounts = (size_t)n};
    if (!rc)
        rc = dc09_server_start(out, &o, a, err, sizeof err);
    if (rc)
        log_error("daemon", "dc09_start_failed err=\"%s\"", err);
    free(accts);
    return rc;
}

/* The camera fetcher's source: due checks and results go through app/camera.c. */
static int camera_due(void *ctx, int64_t now, const int64_t *busy, size_t nbusy, size_t max,
                      struct camera_job **jobs, size_t *n)
{
    return app_camera_due(ctx, now, busy, nbusy, max, jobs, n);
}

static int camera_record(void *ctx, struct camera_result *res, size_t n)
{
    return app_camera_record(ctx, res, n);
}

/* Points the demo cameras at this daemon's own snapshots, then starts the fetcher. */
static int start_camera(const struct conf *cf, struct app *a, int demo, int port,
                        struct camera_fetch **out)
{
    int sealed = app_camera_seal_passwords(a); /* before any check reads them */
    if (sealed)
        log_warn("daemon", "camera_seal_failed rc=%d", sealed);
    if (!cf->camera_enabled)
        return 0;
    if (demo) {
        int rc = app_camera_demo(a, port);
        if (rc)
            log_warn("daemon", "camera_demo_failed rc=%d", rc);
    }
    struct camera_fetch_opts co = {.max_in_flight = (int)cf->camera_max_in_flight,
                                   .max_bytes = (size_t)cf->camera_max_snapshot_bytes,
                                   .workers = (int)cf->camera_workers,
                                   .poll_ms = 500};
    struct camera_fetch_ops ops = {.due = camera_due, .record = camera_record, .ctx = a};
    int rc = camera_fetch_start(out, &co, &ops);
    if (rc)
        log_error("daemon", "camera_start_failed rc=%d", rc);
    return rc;
}

static int run(const struct opts *o, const struct conf *cf)
{
    char err[512];
    int rc = 0;
    struct store *st = NULL;
    struct app a = {0};
    struct hub *hub = NULL;
    struct http_server *srv = NULL;
    struct dc09_server *dc09 = NULL;
    struct webhook *wh = NULL;
    struct camera_fetch *cam = NULL;
    struct event_pump *pump = NULL;
    char *dbpath = xasprintf("%s/vigil.db", o->data);

    /* Block the stop signals in every thread; main waits for them with sigtimedwait. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (mkdir(o->data, 0700) != 0 && errno != EEXIST) {
        log_error("daemon", "cannot_create_data_dir path=\"%s\" err=\"%s\"", o->data,
                  strerror(errno));
        rc = -errno;
        goto out;
    }
    struct store_opts so = {.busy_timeout_ms = (int)cf->store_busy_timeout_ms,
                            .readers = (int)cf->store_readers};
    rc = store_open(&st, dbpath, &so, err, sizeof err);
    if (rc) {
        log_error("daemon", "store_open_failed path=\"%s\" err=\"%s\"", dbpath, err);
        goto out;
    }
    hub = hub_new((size_t)cf->sse_ring_size);
    pump = event_pump_new(hub);
    store_set_event_sink(st, event_pump_sink, pump);
    rc = app_init(&a, st, cf);
    a.data_dir = o->data; /* the audit signing key (app/audit.h) */
    if (rc) {
        log_error("daemon", "app_init_failed rc=%d", rc);
        goto out;
    }
    char *cldir = cf->alarm_checklist_dir[0]
                      ? xstrdup(cf->alarm_checklist_dir)
                      : xasprintf("%s/../data/checklists", cf->http_web_root);
    rc = load_checklists(&a, cldir);
    free(cldir);
    if (rc)
        goto out;
    if ((rc = app_equipment_start(&a, err, sizeof err)) < 0) {
        log_error("daemon", "equipment_start_failed err=\"%s\"", err);
        goto out;
    }
    log_info("daemon", "checksheets new_versions=%d", rc);
    rc = 0;
    if (cf->escalation_webhook_url[0] &&
        (rc = webhook_start(&wh, &a, cf->escalation_webhook_url, cf->escalation_webhook_timeout)) !=
            0) {
        log_error("daemon", "webhook_start_failed url_invalid=1 rc=%d", rc);
        goto out;
    }
    if (o->demo) {
        rc = app_demo_seed(&a);
        if (rc < 0) {
            log_error("daemon", "demo_seed_failed rc=%d", rc);
            goto out;
        }
        log_info("daemon", "demo %s", rc == 0 ? "seeded" : "already_present");
        rc = 0;
    }
    struct http_opts ho = {.listen = cf->http_listen, .web_root = cf->http_web_root};
    rc = http_server_start(&srv, &ho, &a, hub, err, sizeof err);
    if (rc) {
        log_error("daemon", "http_start_failed err=\"%s\"", err);
        goto out;
    }
    if (cf->dc09_listen[0] && (rc = start_dc09(cf, &a, &dc09)) != 0)
        goto out;
    if (dc09)
        http_server_set_metrics_hook(srv, dc09_metrics, dc09);
    if ((rc = start_camera(cf, &a, o->demo, http_server_port(srv), &cam)) != 0)
        goto out;
    log_info("daemon", "listening http=%s port=%d dc09_port=%d data=\"%s\" version=%s",
             cf->http_listen, http_server_port(srv), dc09 ? dc09_server_port(dc09) : 0, o->data,
             VIGIL_VERSION);
    if (o->ready_file && (rc = write_ready(o->ready_file, http_server_port(srv),
                                           dc09 ? dc09_server_port(dc09) : 0)) != 0) {
        log_error("daemon", "ready_file_failed path=\"%s\" err=\"%s\"", o->ready_file,
                  strerror(-rc));
        goto out;
    }
    wait_for_signal(&a, &set, wh);
out:
    /* HTTP first (its /metrics reads the receiver's counters), then the receiver, which answers
     * every frame already submitted, then the camera fetcher and the webhook worker; the store
     * closes last. */
    if (hub)
        hub_shutdown(hub);
    http_server_stop(srv);
    camera_fetch_stop(cam); /* records the analyses in progress: before the store closes */
    dc09_server_stop(dc09);
    webhook_stop(wh);
    store_close(st);
    event_pump_free(pump); /* after the store: no event can arrive any more */
    hub_free(hub);
    app_cleanup(&a);
    free(dbpath);
    if (rc == 0)
        log_info("daemon", "stopped");
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o = {.data = "./var"};
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc > 0 ? 0 : 2;
    struct conf cf;
    if (load_conf(&o, &cf))
        return 2;
    /* Times are stored in UTC; local renderings (the duty log's CSV) use the site's zone. Set
     * once, before any thread starts, so localtime_r is safe. */
    setenv("TZ", cf.site_timezone, 1);
    tzset();
    if (o.check_config) {
        printf("configuration ok\n");
        return 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = run(&o, &cf) ? 1 : 0;
    curl_global_cleanup();
    return rc;
}
