/* demo.c - the demo community: 3 residential buildings around a garden, an underground
 * garage, two gates and the control room. All names and numbers are fictitious. */
#include "app/demo.h"

#include "app/audit.h"
#include "app/recording.h"
#include "app/auth.h"
#include "app/equipment.h"
#include "core/clock.h"
#include "store/store_auth.h"
#include "store/store_model.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUILDINGS 3
#define NFLOORS 6

static const char *const demo_roles[][2] = {
    {"admin", "系统管理员"},          {"operator", "值班员 王静"},    {"shift_leader", "班长 李强"},
    {"supervisor", "保安主管 赵刚"},  {"manager", "管理处经理 陈敏"}, {"engineer", "工程 孙伟"},
    {"elevator_tech", "电梯工 周涛"}, {"guard", "保安 吴磊"},         {"auditor", "审计 郑芳"},
};
#define NDEMO_USERS (sizeof demo_roles / sizeof demo_roles[0])

struct demo_job {
    struct app *a;
    char *hashes[NDEMO_USERS];
    int64_t now;
    int existed;
};

static int add_area(struct store_conn *c, int64_t site, int64_t parent, const char *kind,
                    const char *name, const char *code, const char *bld, int64_t floor,
                    const char *elev, int64_t now, int64_t *id)
{
    struct store_area ar = {.parent_id = parent,
                            .kind = kind,
                            .name = name,
                            .code = code,
                            .building = bld,
                            .floor = floor,
                            .elevator_no = elev};
    return store_area_insert(c, site, &ar, now, id);
}

static int add_dev(struct store_conn *c, int64_t area, const char *kind, const char *name,
                   const char *code, const char *status, int64_t now)
{
    struct store_device d = {
        .area_id = area, .kind = kind, .name = name, .code = code, .status = status};
    int64_t id;
    return store_device_insert(c, &d, now, &id);
}

static int seed_building(struct store_conn *c, int64_t site, int b, int64_t now)
{
    /* Sized for any int: gcc's -Wformat-truncation cannot see that b <= NBUILDINGS once
     * the sanitizers are on. */
    char name[96], code[48], bld[12], elev[24];
    int64_t bid, fid, lid, eid;
    snprintf(bld, sizeof bld, "%d", b);
    snprintf(name, sizeof name, "%d号楼", b);
    snprintf(code, sizeof code, "B%d", b);
    int rc = add_area(c, site, 0, "building", name, code, bld, INT64_MIN, NULL, now, &bid);
    snprintf(name, sizeof name, "%d号楼大堂", b);
    snprintf(code, sizeof code, "B%d-LOBBY", b);
    if (!rc)
        rc = add_area(c, site, bid, "lobby", name, code, bld, 1, NULL, now, &lid);
    snprintf(name, sizeof name, "%d号楼大堂摄像机", b);
    snprintf(code, sizeof code, "CAM-B%d-LOBBY", b);
    if (!rc)
        rc = add_dev(c, lid, "camera", name, code, NULL, now);
    snprintf(code, sizeof code, "ICM-B%d", b);
    snprintf(name, sizeof name, "%d号楼单元门可视对讲", b);
    if (!rc)
        rc = add_dev(c, lid, "intercom", name, code, NULL, now);
    for (int e = 1; e <= 2 && !rc; e++) {
        snprintf(elev, sizeof elev, "%d-%d", b, e);
        snprintf(name, sizeof name, "%d号楼%d号电梯", b, e);
        snprintf(code, sizeof code, "B%d-EL%d", b, e);
        rc = add_area(c, site, bid, "elevator", name, code, bld, INT64_MIN, elev, now, &eid);
        snprintf(name, sizeof name, "%s号电梯轿厢摄像机", elev);
        snprintf(code, sizeof code, "CAM-EL%s", elev);
        if (!rc)
            rc = add_dev(c, eid, "camera", name, code, NULL, now);
        snprintf(name, sizeof name, "%s号电梯监控终端", elev);
        snprintf(code, sizeof code, "ELC-%s", elev);
        if (!rc)
            rc = add_dev(c, eid, "elevator_controller", name, code, NULL, now);
    }
    for (int f = 1; f <= NFLOORS && !rc; f++) {
        snprintf(name, sizeof name, "%d号楼%d层", b, f);
        snprintf(code, sizeof code, "B%d-F%d", b, f);
        rc = add_area(c, site, bid, "floor", name, code, bld, f, NULL, now, &fid);
        snprintf(name, sizeof name, "%d号楼%d层烟感", b, f);
        snprintf(code, sizeof code, "SD-B%d-F%d", b, f);
        /* One detector in maintenance so the console shows more than one state. */
        if (!rc)
            rc = add_dev(c, fid, "fire_detector", name, code,
                         (b == 2 && f == 4) ? "maintenance" : NULL, now);
    }
    return rc;
}

static int seed_grounds(struct store_conn *c, int64_t site, int64_t now)
{
    int64_t id;
    int rc = add_area(c, site, 0, "garage", "地下车库B1", "GARAGE-B1", NULL, -1, NULL, now, &id);
    for (int i = 1; i <= 4 && !rc; i++) {
        char name[64], code[32];
        snprintf(name, sizeof name, "地库摄像机%02d", i);
        snprintf(code, sizeof code, "CAM-G%02d", i);
        rc = add_dev(c, id, "camera", name, code, i == 3 ? "fault" : NULL, now);
    }
    if (!rc)
        rc = add_dev(c, id, "infrared_detector", "地库入口红外对射", "IR-G01", NULL, now);
    if (!rc)
        rc = add_area(c, site, 0, "gate", "东门门岗", "GATE-E", NULL, INT64_MIN, NULL, now, &id);
    if (!rc)
        rc = add_dev(c, id, "camera", "东门摄像机", "CAM-GATE-E", NULL, now);
    if (!rc)
        rc = add_dev(c, id, "gate_terminal", "东门门岗终端", "GT-E", NULL, now);
    if (!rc)
        rc = add_dev(c, id, "intercom", "东门访客对讲", "ICM-GATE-E", NULL, now);
    if (!rc)
        rc = add_area(c, site, 0, "gate", "南门门岗", "GATE-S", NULL, INT64_MIN, NULL, now, &id);
    if (!rc)
        rc = add_dev(c, id, "camera", "南门摄像机", "CAM-GATE-S", "offline", now);
    if (!rc)
        rc = add_dev(c, id, "gate_terminal", "南门门岗终端", "GT-S", NULL, now);
    if (!rc)
        rc =
            add_area(c, site, 0, "perimeter", "小区周界", "PERIM", NULL, INT64_MIN, NULL, now, &id);
    for (int i = 1; i <= 4 && !rc; i++) {
        char name[64], code[32];
        snprintf(name, sizeof name, "周界红外对射%d区", i);
        snprintf(code, sizeof code, "IR-P%d", i);
        rc = add_dev(c, id, "infrared_detector", name, code, NULL, now);
    }
    if (!rc)
        rc = add_area(c, site, 0, "public", "中心花园", "GARDEN", NULL, INT64_MIN, NULL, now, &id);
    if (!rc)
        rc = add_dev(c, id, "camera", "中心花园球机", "CAM-GARDEN", NULL, now);
    if (!rc)
        rc = add_area(c, site, 0, "control_room", "监控中心", "CTRL", NULL, 1, NULL, now, &id);
    if (!rc)
        rc = add_dev(c, id, "fire_panel", "火灾报警控制器", "FACP-1", NULL, now);
    if (!rc)
        rc = add_dev(c, id, "alarm_line", "消防报警专线", "LINE-119", NULL, now);
    if (!rc)
        rc = add_dev(c, id, "camera", "监控中心摄像机", "CAM-CTRL", NULL, now);
    return rc;
}

static const char *const family[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"};
static const char *const given[] = {"建国", "秀英", "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳"};

static int seed_people(struct store_conn *c, int64_t site, int64_t now)
{
    int rc = 0, k = 0;
    for (int b = 1; b <= NBUILDINGS && !rc; b++) {
        for (int f = 1; f <= NFLOORS && !rc; f++) {
            for (int u = 1; u <= 2 && !rc; u++, k++) {
                char unit[36], name[32], phone[16];
                int64_t id;
                snprintf(unit, sizeof unit, "%d-%d%02d", b, f, u);
                snprintf(name, sizeof name, "%s%s", family[k % 10], given[(k * 7 + 3) % 10]);
                /* 139-0000-xxxx is not a real subscriber range in this demo. */
                snprintf(phone, sizeof phone, "1390000%04d", 1000 + k * 37 % 9000);
                rc = store_resident_insert(c, site, unit, name, phone, NULL, NULL, now, &id);
            }
        }
    }
    static const char *const contacts[][4] = {
        {"internal", "shift_leader", "班长 李强", "13900001001"},
        {"internal", "supervisor", "保安主管 赵刚", "13900001002"},
        {"internal", "manager", "管理处经理 陈敏", "13900001003"},
        {"internal", "engineering", "工程维修班", "13900001004"},
        {"internal", "elevator_company", "电梯维保公司（24小时）", "4000001234"},
        {"external", "fire", "火警", "119"},
        {"external", "police", "报警", "110"},
        {"external", "ambulance", "急救", "120"},
    };
    for (size_t i = 0; i < sizeof contacts / sizeof contacts[0] && !rc; i++) {
        int64_t id;
        rc = store_contact_insert(c, site, contacts[i][0], contacts[i][1], contacts[i][2],
                                  contacts[i][3], NULL, now, &id);
    }
    return rc;
}

static int demo_job(struct store_conn *c, void *arg)
{
    struct demo_job *j = arg;
    int64_t site;
    if (store_site_id(c, &site) == 0) {
        j->existed = 1;
        return 0;
    }
    int rc = store_site_insert(c, "翠湖苑（演示社区）", "示范市滨湖区翠湖路88号",
                               j->a->conf->site_timezone, j->now, &site);
    for (int b = 1; b <= NBUILDINGS && !rc; b++)
        rc = seed_building(c, site, b, j->now);
    if (!rc)
        rc = seed_grounds(c, site, j->now);
    if (!rc)
        rc = seed_people(c, site, j->now);
    for (size_t i = 0; i < NDEMO_USERS && !rc; i++) {
        int64_t id;
        rc = store_user_insert(c, demo_roles[i][0], demo_roles[i][1], demo_roles[i][0],
                               j->hashes[i], j->now, &id);
        if (rc == -EEXIST) /* an account made by `vigilctl user add` before the demo */
            rc = 0;
    }
    if (!rc)
        rc = app_equipment_demo_in(c, j->now);
    if (!rc)
        rc = app_recording_demo_in(c, j->now);
    struct actor who;
    app_actor_system(&who, "system");
    if (!rc)
        rc = audit_append(c, &who, "demo.seed", "site:1", "demo community created");
    return rc;
}

int app_demo_seed(struct app *a)
{
    struct demo_job j = {.a = a, .now = clock_now_ms()};
    int rc = 0;
    for (size_t i = 0; i < NDEMO_USERS && !rc; i++)
        rc = auth_password_hash(a->conf, DEMO_PASSWORD, &j.hashes[i]);
    if (!rc)
        rc = store_write(a->st, demo_job, &j);
    for (size_t i = 0; i < NDEMO_USERS; i++)
        free(j.hashes[i]);
    if (rc)
        return rc;
    return j.existed;
}

struct init_job {
    struct app *a;
    const struct actor *who;
    const char *name;
    int existed;
};

static int init_job(struct store_conn *c, void *arg)
{
    struct init_job *j = arg;
    int64_t site;
    if (store_site_id(c, &site) == 0) {
        j->existed = 1;
        return 0;
    }
    int rc = store_site_insert(c, j->name, "", j->a->conf->site_timezone, clock_now_ms(), &site);
    return rc ? rc : audit_append(c, j->who, "site.create", "site:1", "site %s created", j->name);
}

int app_site_init(struct app *a, const struct actor *who, const char *name)
{
    struct init_job j = {.a = a, .who = who, .name = name};
    int rc = store_write(a->st, init_job, &j);
    return rc ? rc : j.existed;
}
