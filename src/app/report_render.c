/* report_render.c - the report as CSV and as a printable HTML page with SVG charts. Both come
 * from one list of blocks (title, column heads, rows, optional chart) built from the JSON
 * report, so the two formats always hold the same figures. */
#include "app/report_render.h"

#include "core/buf.h"
#include "core/svg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_CAP (8u << 20)

struct label {
    const char *key, *zh, *en;
};

static const struct label labels[] = {
    {"kind.daily", "监控中心日报", "Monitoring center daily report"},
    {"kind.weekly", "监控中心周报", "Monitoring center weekly report"},
    {"kind.monthly", "监控中心月报", "Monitoring center monthly report"},
    {"type.fire", "火警", "Fire alarm"},
    {"type.smoke_heat", "烟感/温感报警", "Smoke / heat alarm"},
    {"type.intrusion", "红外报警", "Infrared (intrusion) alarm"},
    {"type.panic", "紧急求助", "Panic alarm"},
    {"type.elevator", "电梯困人", "Elevator entrapment"},
    {"type.trouble", "设备故障", "Equipment trouble"},
    {"type.tamper", "防拆报警", "Tamper alarm"},
    {"type.comm_failure", "通讯中断", "Communication failure"},
    {"type.other", "其他报警", "Other alarm"},
    {"dk.camera", "摄像机", "Camera"},
    {"dk.fire_panel", "火灾报警控制器", "Fire alarm panel"},
    {"dk.fire_detector", "火灾探测器", "Fire detector"},
    {"dk.infrared_detector", "红外探测器", "Infrared detector"},
    {"dk.elevator_controller", "电梯控制器", "Elevator controller"},
    {"dk.intercom", "可视对讲", "Video intercom"},
    {"dk.gate_terminal", "门岗终端", "Gate terminal"},
    {"dk.alarm_line", "报警专线", "Alarm line"},
    {"state.normal", "正常", "Normal"},
    {"state.fault", "故障", "Fault"},
    {"state.offline", "离线", "Offline"},
    {"state.maintenance", "维护中", "Maintenance"},
    {"state.disabled", "已停用", "Disabled"},
    {"cat.security", "治安安全", "Security"},
    {"cat.noise", "噪音扰民", "Noise"},
    {"cat.facilities", "设施报修", "Facilities"},
    {"cat.parking", "停车", "Parking"},
    {"cat.hygiene", "环境卫生", "Hygiene"},
    {"cat.neighbour", "邻里纠纷", "Neighbours"},
    {"cat.service", "服务态度", "Service"},
    {"cat.other", "其他", "Other"},
    {"bucket.lt_30s", "<30秒", "<30 s"},
    {"bucket.30s_1m", "30秒-1分", "30 s-1 min"},
    {"bucket.1m_2m", "1-2分", "1-2 min"},
    {"bucket.2m_5m", "2-5分", "2-5 min"},
    {"bucket.5m_15m", "5-15分", "5-15 min"},
    {"bucket.ge_15m", "≥15分", "≥15 min"},
    {"bucket.not_acknowledged", "未确认", "Not acknowledged"},
    {"stage.to_acknowledge", "报警到达→确认", "Arrival → acknowledged"},
    {"stage.to_dispatch", "报警到达→派警", "Arrival → dispatched"},
    {"stage.to_close", "报警到达→关闭", "Arrival → closed"},
    {"b.summary", "报告信息", "Report"},
    {"b.states", "设施状态（期末）", "Devices by state (end of period)"},
    {"b.downtime", "设备故障/离线时长（按设备状态）",
     "Fault/offline time per device (device status)"},
    {"b.tickets", "故障维修单", "Fault tickets"},
    {"b.checks", "检查完成率", "Check completion by sheet"},
    {"b.by_type", "报警按类型", "Alarms by type"},
    {"b.by_area", "报警按区域", "Alarms by area"},
    {"b.per_day", "每日报警数", "Alarms per day"},
    {"b.incidents", "事件与误报", "Incidents and false alarms"},
    {"b.response", "响应时间", "Response times"},
    {"b.ackdist", "确认用时分布", "Time to acknowledge"},
    {"b.complaints", "投诉与咨询", "Complaints and inquiries"},
    {"b.cp_cat", "投诉按类别", "Complaints by category"},
    {"b.satisfaction", "回访满意度", "Return-visit satisfaction"},
    {"b.duty", "值班情况", "Duty desk"},
    {"c.item", "项目", "Item"},
    {"c.value", "数值", "Value"},
    {"c.state", "状态", "State"},
    {"c.count", "数量", "Count"},
    {"c.device", "设备", "Device"},
    {"c.kind", "类型", "Kind"},
    {"c.area", "区域", "Area"},
    {"c.state_end", "期末状态", "State at end"},
    {"c.down_h", "故障/离线（小时）", "Fault/offline (h)"},
    {"c.maint_h", "维护（小时）", "Maintenance (h)"},
    {"c.type", "报警类型", "Alarm type"},
    {"c.alarms", "报警数", "Alarms"},
    {"c.date", "日期", "Date"},
    {"c.incidents", "事件数", "Incidents"},
    {"c.real", "真实", "Real"},
    {"c.false", "误报", "False"},
    {"c.test", "测试", "Test"},
    {"c.stage", "阶段", "Stage"},
    {"c.n", "事件数", "Incidents"},
    {"c.median_s", "中位数（秒）", "Median (s)"},
    {"c.p90_s", "P90（秒）", "P90 (s)"},
    {"c.max_s", "最长（秒）", "Max (s)"},
    {"c.bucket", "用时", "Time"},
    {"c.category", "类别", "Category"},
    {"c.total", "受理", "Received"},
    {"c.closed", "已办结", "Closed"},
    {"c.overdue", "逾期", "Overdue"},
    {"c.avg_h", "平均答复用时（小时）", "Avg. hours to result"},
    {"c.avg_sat", "平均满意度", "Avg. satisfaction"},
    {"c.score", "满意度", "Satisfaction"},
    {"r.kind", "报告类型", "Kind"},
    {"r.label", "报告期", "Period"},
    {"r.from", "起（当地时间）", "From (local time)"},
    {"r.to", "止（当地时间）", "To (local time)"},
    {"r.tz", "时区", "Time zone"},
    {"r.generated", "生成时间（UTC）", "Generated (UTC)"},
    {"r.site", "小区", "Site"},
    {"r.complete", "报告期已结束", "Period complete"},
    {"r.devices", "设备总数", "Devices"},
    {"r.down_total", "故障/离线合计（小时）", "Fault/offline total (h)"},
    {"r.alarms", "报警总数", "Alarms"},
    {"r.incidents", "事件总数", "Incidents"},
    {"r.verified", "已核实（真实+误报）", "Verified (real + false)"},
    {"r.false", "误报", "False alarms"},
    {"r.false_rate", "误报率", "False-alarm rate"},
    {"r.tests", "测试", "Tests"},
    {"r.received", "受理数", "Received"},
    {"r.closed", "办结数（回访完成）", "Closed (return visit done)"},
    {"r.overdue", "逾期未答复（期末）", "Overdue without result (end)"},
    {"r.close_median", "办结用时中位数（小时）", "Median hours to close"},
    {"r.close_p90", "办结用时P90（小时）", "P90 hours to close"},
    {"r.visits", "回访数", "Return visits"},
    {"r.avg_sat", "平均满意度（1-5）", "Average satisfaction (1-5)"},
    {"r.handovers", "交接班", "Handovers"},
    {"r.rs_entries", "运行状态记录", "Running-status entries"},
    {"r.rs_missed", "漏记运行状态（时段）", "Running-status periods missed"},
    {"r.ho_signed", "双方签字", "Signed by both"},
    {"r.ho_forced", "强制交接", "Forced"},
    {"r.ho_pending", "待签字", "Pending"},
    {"r.entries", "进入监控室登记", "Control-room entries"},
    {"r.entries_open", "期末仍在室内", "Still inside at end"},
    {"r.lines", "报警专线/消防电话使用", "Alarm-line / fire-phone uses"},
    {"r.lines_emerg", "紧急使用", "Emergency"},
    {"r.lines_non", "非紧急使用", "Non-emergency"},
    {"r.lines_unrev", "非紧急未复核", "Non-emergency not reviewed"},
    {"b.tk_down", "设备停用时长（按维修单：报修至验收）",
     "Downtime per device (tickets: reported to verified)"},
    {"c.tickets", "维修单数", "Tickets"},
    {"c.sheet", "检查表", "Check sheet"},
    {"c.clause", "条款", "Clause"},
    {"c.due", "应检", "Due"},
    {"c.done", "已检合格", "Done"},
    {"c.failed", "已检有故障", "Done, with failures"},
    {"c.missed", "漏检", "Missed"},
    {"c.rate", "完成率", "Completion"},
    {"c.rate_pct", "完成率（%）", "Completion (%)"},
    {"r.tk_opened", "新报修", "Reported"},
    {"r.tk_fault", "其中：故障报修", "of which: faults"},
    {"r.tk_check", "其中：检查发现", "of which: from check sheets"},
    {"r.tk_camera", "其中：摄像机自检", "of which: camera health"},
    {"r.tk_repaired", "已维修/更换", "Repaired or replaced"},
    {"r.tk_closed", "已关闭", "Closed"},
    {"r.tk_open", "期末未关闭", "Open at end"},
    {"r.tk_overdue", "期末逾期未修", "Overdue at end"},
    {"na", "暂无数据（待设备维护模块提供）", "Not available (comes with equipment maintenance)"},
    {"empty", "本期无数据", "Nothing in this period"},
    {"yes", "是", "yes"},
    {"no", "否", "no"},
    {"unmapped", "未映射", "Unmapped"},
    {"sign.made", "制表人：", "Prepared by:"},
    {"sign.checked", "审核人：", "Checked by:"},
    {"sign.date", "日期：", "Date:"},
};

/* The label of key in the language, or NULL when there is none. */
static const char *label_find(int en, const char *key)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return en ? labels[i].en : labels[i].zh;
    return NULL;
}

static const char *L(int en, const char *key)
{
    const char *l = label_find(en, key);
    return l ? l : key;
}

/* The label of value v of an enumeration (prefix "type", "state" ...), or v itself. */
static const char *Lv(int en, const char *prefix, const char *v)
{
    char key[64];
    snprintf(key, sizeof key, "%s.%s", prefix, v ? v : "");
    const char *l = label_find(en, key);
    return l ? l : (v ? v : "");
}

static const char *js(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_t *jget(const json_t *o, const char *path)
{
    /* "a.b": nested lookup. */
    char key[64];
    const char *dot = strchr(path, '.');
    if (!dot)
        return json_object_get(o, path);
    snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
    return jget(json_object_get(o, key), dot + 1);
}

/* A value cell: a copy of the value at path, or null. */
static json_t *jv(const json_t *o, const char *path)
{
    json_t *v = jget(o, path);
    return v ? json_incref(v) : json_null();
}

/* ---- blocks: {"title", "cols": [..], "rows": [[..]], "chart"?: {"kind", "items": [[label,
 * value]]}} ---- */

static json_t *block(json_t *blocks, int en, const char *title, int ncols, const char *const *cols)
{
    json_t *c = json_array();
    for (int i = 0; i < ncols; i++)
        json_array_append_new(c, json_string(L(en, cols[i])));
    json_t *b = json_pack("{ss so s[]}", "title", L(en, title), "cols", c, "rows");
    json_array_append_new(blocks, b);
    return b;
}

static void row(json_t *b, json_t *cells)
{
    json_array_append_new(json_object_get(b, "rows"), cells);
}

/* A two-column (item, value) row. */
static void kv(json_t *b, int en, const char *label, json_t *v)
{
    row(b, json_pack("[so]", L(en, label), v ? v : json_null()));
}

/* Sets the block's chart, drawn from column vcol of its rows with labels from column lcol. */
static void chart(json_t *b, const char *kind, int lcol, int vcol)
{
    json_t *items = json_array();
    size_t i;
    json_t *r;
    json_array_foreach (json_object_get(b, "rows"), i, r) {
        json_t *v = json_array_get(r, (size_t)vcol);
        json_array_append_new(items, json_pack("[O?f]", json_array_get(r, (size_t)lcol),
                                               json_is_number(v) ? json_number_value(v) : 0.0));
    }
    json_object_set_new(b, "chart", json_pack("{ss so}", "kind", kind, "items", items));
}

static const char *const C_KV[] = {"c.item", "c.value"};

static void blocks_summary(json_t *bl, const json_t *r, int en)
{
    json_t *b = block(bl, en, "b.summary", 2, C_KV);
    kv(b, en, "r.kind", json_string(Lv(en, "kind", js(r, "kind"))));
    kv(b, en, "r.label", jv(r, "label"));
    kv(b, en, "r.site", jv(r, "site"));
    kv(b, en, "r.from", jv(r, "period.from_local"));
    kv(b, en, "r.to", jv(r, "period.to_local"));
    kv(b, en, "r.tz", jv(r, "period.timezone"));
    kv(b, en, "r.generated", jv(r, "generated_at"));
    kv(b, en, "r.complete", json_string(L(en, json_is_true(jget(r, "complete")) ? "yes" : "no")));
}

static json_t *percent(const json_t *v);

static void blocks_tickets(json_t *bl, const json_t *r, int en)
{
    static const char *const cd[] = {"c.device", "c.area", "c.tickets", "c.down_h"};
    const json_t *tk = jget(r, "facility.tickets");
    json_t *b = block(bl, en, "b.tickets", 2, C_KV);
    if (!json_is_object(tk)) {
        json_object_set_new(b, "na", json_string(L(en, "na")));
        return;
    }
    kv(b, en, "r.tk_opened", jv(tk, "opened"));
    kv(b, en, "r.tk_fault", jv(tk, "fault"));
    kv(b, en, "r.tk_check", jv(tk, "check_failure"));
    kv(b, en, "r.tk_camera", jv(tk, "camera_health"));
    kv(b, en, "r.tk_repaired", jv(tk, "repaired"));
    kv(b, en, "r.tk_closed", jv(tk, "closed"));
    kv(b, en, "r.tk_open", jv(tk, "open_at_end"));
    kv(b, en, "r.tk_overdue", jv(tk, "overdue_at_end"));
    json_t *d = block(bl, en, "b.tk_down", 4, cd);
    size_t i;
    json_t *x;
    json_array_foreach (json_object_get(tk, "downtime"), i, x) {
        row(d, json_pack("[ssO?O?]", js(x, "name"), js(x, "area"), json_object_get(x, "tickets"),
                         json_object_get(x, "down_hours")));
    }
    chart(d, "hbar", 0, 3);
}

static void blocks_checks(json_t *bl, const json_t *r, int en)
{
    static const char *const cc[] = {"c.sheet",  "c.clause", "c.due",  "c.done",
                                     "c.failed", "c.missed", "c.rate", "c.rate_pct"};
    const json_t *ck = json_object_get(r, "checks");
    if (!json_is_object(ck)) {
        json_t *b = block(bl, en, "b.checks", 2, C_KV);
        json_object_set_new(b, "na", json_string(L(en, "na")));
        return;
    }
    json_t *b = block(bl, en, "b.checks", 8, cc);
    size_t i;
    json_t *x;
    json_array_foreach (json_object_get(ck, "by_sheet"), i, x) {
        const json_t *rate = json_object_get(x, "completion_rate");
        row(b, json_pack(
                   "[ssO?O?O?O?oo]", js(x, en ? "name_en" : "name_zh"), js(x, "clause"),
                   json_object_get(x, "due"), json_object_get(x, "done"),
                   json_object_get(x, "failed"), json_object_get(x, "missed"), percent(rate),
                   json_is_number(rate)
                       ? json_real((double)(int64_t)(json_number_value(rate) * 1000.0 + 0.5) / 10.0)
                       : json_null()));
    }
    chart(b, "hbar", 0, 7);
}

static void blocks_facility(json_t *bl, const json_t *r, int en)
{
    static const char *const cs[] = {"c.state", "c.count"};
    static const char *const cd[] = {"c.device",    "c.kind",   "c.area",
                                     "c.state_end", "c.down_h", "c.maint_h"};
    static const char *const states[] = {"normal", "fault", "offline", "maintenance", "disabled"};
    json_t *b = block(bl, en, "b.states", 2, cs);
    for (int i = 0; i < 5; i++) {
        char path[48];
        snprintf(path, sizeof path, "facility.by_state.%s", states[i]);
        row(b, json_pack("[so]", Lv(en, "state", states[i]), jv(r, path)));
    }
    kv(b, en, "r.devices", jv(r, "facility.devices"));
    kv(b, en, "r.down_total", jv(r, "facility.down_hours_total"));
    json_t *d = block(bl, en, "b.downtime", 6, cd);
    size_t i;
    json_t *x;
    json_array_foreach (jget(r, "facility.downtime"), i, x) {
        row(d, json_pack("[ssssO?O?]", js(x, "name"), Lv(en, "dk", js(x, "kind")), js(x, "area"),
                         Lv(en, "state", js(x, "state_at_end")), json_object_get(x, "down_hours"),
                         json_object_get(x, "maintenance_hours")));
    }
    chart(d, "hbar", 0, 4);
    blocks_tickets(bl, r, en);
    blocks_checks(bl, r, en);
}

static void blocks_alarms(json_t *bl, const json_t *r, int en)
{
    static const char *const ct[] = {"c.type", "c.alarms"};
    static const char *const ca[] = {"c.area", "c.alarms"};
    static const char *const cday[] = {"c.date", "c.alarms"};
    json_t *b = block(bl, en, "b.by_type", 2, ct);
    size_t i;
    json_t *x;
    json_array_foreach (jget(r, "alarms.by_type"), i, x)
        row(b, json_pack("[sO?]", Lv(en, "type", js(x, "type")), json_object_get(x, "alarms")));
    chart(b, "hbar", 0, 1);
    b = block(bl, en, "b.by_area", 2, ca);
    json_array_foreach (jget(r, "alarms.by_area"), i, x) {
        const char *area = js(x, "area");
        row(b, json_pack("[sO?]", *area ? area : L(en, "unmapped"), json_object_get(x, "alarms")));
    }
    chart(b, "hbar", 0, 1);
    b = block(bl, en, "b.per_day", 2, cday);
    json_array_foreach (jget(r, "alarms.per_day"), i, x)
        row(b, json_pack("[sO?]", js(x, "date"), json_object_get(x, "alarms")));
    chart(b, "columns", 0, 1);
    kv(b, en, "r.alarms", jv(r, "alarms.total"));
}

static json_t *percent(const json_t *v)
{
    char s[32];
    if (!json_is_number(v))
        return json_null();
    snprintf(s, sizeof s, "%.1f%%", json_number_value(v) * 100.0);
    return json_string(s);
}

static void blocks_incidents(json_t *bl, const json_t *r, int en)
{
    static const char *const ci[] = {"c.type", "c.incidents", "c.real", "c.false", "c.test"};
    json_t *b = block(bl, en, "b.incidents", 5, ci);
    size_t i;
    json_t *x;
    json_array_foreach (jget(r, "incidents.by_type"), i, x) {
        row(b, json_pack("[sO?O?O?O?]", Lv(en, "type", js(x, "type")),
                         json_object_get(x, "incidents"), json_object_get(x, "real"),
                         json_object_get(x, "false_alarms"), json_object_get(x, "tests")));
    }
    json_t *s = block(bl, en, "r.false_rate", 2, C_KV);
    kv(s, en, "r.incidents", jv(r, "incidents.total"));
    kv(s, en, "r.verified", jv(r, "incidents.verified"));
    kv(s, en, "r.false", jv(r, "incidents.false_alarms"));
    kv(s, en, "r.tests", jv(r, "incidents.tests"));
    kv(s, en, "r.false_rate", percent(jget(r, "incidents.false_alarm_rate")));
}

static void blocks_response(json_t *bl, const json_t *r, int en)
{
    static const char *const cr[] = {"c.stage", "c.n", "c.median_s", "c.p90_s", "c.max_s"};
    static const char *const cb[] = {"c.bucket", "c.count"};
    static const char *const stages[] = {"to_acknowledge", "to_dispatch", "to_close"};
    json_t *b = block(bl, en, "b.response", 5, cr);
    for (int i = 0; i < 3; i++) {
        const json_t *d = json_object_get(json_object_get(r, "response"), stages[i]);
        row(b, json_pack("[sO?O?O?O?]", Lv(en, "stage", stages[i]), json_object_get(d, "n"),
                         json_object_get(d, "median_s"), json_object_get(d, "p90_s"),
                         json_object_get(d, "max_s")));
    }
    b = block(bl, en, "b.ackdist", 2, cb);
    size_t i;
    json_t *x;
    json_array_foreach (jget(r, "response.acknowledge_distribution"), i, x)
        row(b, json_pack("[sO?]", Lv(en, "bucket", js(x, "bucket")), json_object_get(x, "count")));
    chart(b, "columns", 0, 1);
}

static void blocks_complaints(json_t *bl, const json_t *r, int en)
{
    static const char *const cc[] = {"c.category", "c.total", "c.closed",
                                     "c.overdue",  "c.avg_h", "c.avg_sat"};
    static const char *const cs[] = {"c.score", "c.count"};
    json_t *b = block(bl, en, "b.complaints", 2, C_KV);
    kv(b, en, "r.received", jv(r, "complaints.received"));
    kv(b, en, "r.closed", jv(r, "complaints.closed"));
    kv(b, en, "r.overdue", jv(r, "complaints.overdue"));
    kv(b, en, "r.close_median", jv(r, "complaints.time_to_close.median_h"));
    kv(b, en, "r.close_p90", jv(r, "complaints.time_to_close.p90_h"));
    kv(b, en, "r.visits", jv(r, "complaints.satisfaction.visits"));
    kv(b, en, "r.avg_sat", jv(r, "complaints.satisfaction.average"));
    b = block(bl, en, "b.cp_cat", 6, cc);
    size_t i;
    json_t *x;
    json_array_foreach (jget(r, "complaints.by_category"), i, x) {
        row(b, json_pack("[sO?O?O?O?O?]", Lv(en, "cat", js(x, "category")),
                         json_object_get(x, "total"), json_object_get(x, "closed"),
                         json_object_get(x, "overdue"), json_object_get(x, "avg_hours_to_result"),
                         json_object_get(x, "avg_satisfaction")));
    }
    b = block(bl, en, "b.satisfaction", 2, cs);
    json_array_foreach (jget(r, "complaints.satisfaction.by_score"), i, x) {
        char s[24];
        snprintf(s, sizeof s, "%zu", i + 1);
        row(b, json_pack("[sO?]", s, x));
    }
    chart(b, "columns", 0, 1);
}

static void blocks_duty(json_t *bl, const json_t *r, int en)
{
    json_t *b = block(bl, en, "b.duty", 2, C_KV);
    kv(b, en, "r.handovers", jv(r, "duty.handovers.total"));
    kv(b, en, "r.ho_signed", jv(r, "duty.handovers.signed"));
    kv(b, en, "r.ho_forced", jv(r, "duty.handovers.forced"));
    kv(b, en, "r.ho_pending", jv(r, "duty.handovers.pending"));
    kv(b, en, "r.entries", jv(r, "duty.room_entries.total"));
    kv(b, en, "r.entries_open", jv(r, "duty.room_entries.open_at_end"));
    kv(b, en, "r.lines", jv(r, "duty.line_uses.total"));
    kv(b, en, "r.lines_emerg", jv(r, "duty.line_uses.emergency"));
    kv(b, en, "r.lines_non", jv(r, "duty.line_uses.non_emergency"));
    kv(b, en, "r.lines_unrev", jv(r, "duty.line_uses.non_emergency_unreviewed"));
    kv(b, en, "r.rs_entries", jv(r, "duty.running_status.entries"));
    kv(b, en, "r.rs_missed", jv(r, "duty.running_status.missed"));
}

static json_t *blocks_of(const json_t *r, int en)
{
    json_t *bl = json_array();
    blocks_summary(bl, r, en);
    blocks_facility(bl, r, en);
    blocks_alarms(bl, r, en);
    blocks_incidents(bl, r, en);
    blocks_response(bl, r, en);
    blocks_complaints(bl, r, en);
    blocks_duty(bl, r, en);
    return bl;
}

/* ---- cells ---- */

/* The text of a cell: numbers as written in the JSON, null as empty (CSV) or "—" (HTML). */
static const char *cell_text(const json_t *v, int html, char *tmp, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(tmp, n, "%lld", (long long)json_integer_value(v));
        return tmp;
    }
    if (json_is_real(v)) {
        snprintf(tmp, n, "%g", json_real_value(v));
        return tmp;
    }
    return html ? "—" : "";
}

/* ---- CSV ---- */

static int is_number(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    (void)strtod(s, &end);
    return *end == '\0';
}

static int csv_field(struct buf *b, const char *s, int last)
{
    /* A text starting with = + - @ is kept from being read as a spreadsheet formula. */
    int formula = *s && strchr("=+-@", *s) && !is_number(s);
    int rc = 0;
    if (formula || strpbrk(s, ",\"\r\n")) {
        rc = buf_append_str(b, formula ? "\"'" : "\"");
        for (const char *p = s; !rc && *p; p++)
            rc = *p == '"' ? buf_append_str(b, "\"\"") : buf_append(b, p, 1);
        if (!rc)
            rc = buf_append_str(b, "\"");
    } else {
        rc = buf_append_str(b, s);
    }
    if (!rc)
        rc = buf_append_str(b, last ? "\r\n" : ",");
    return rc;
}

static int csv_row(struct buf *b, const json_t *cells)
{
    int rc = 0;
    size_t i, n = json_array_size(cells);
    json_t *v;
    json_array_foreach (cells, i, v) {
        char tmp[40];
        if (!rc)
            rc = csv_field(b, cell_text(v, 0, tmp, sizeof tmp), i + 1 == n);
    }
    return rc;
}

int report_render_csv(const json_t *rep, int en, char **out)
{
    json_t *bl = blocks_of(rep, en);
    struct buf b;
    buf_init(&b, RENDER_CAP);
    int rc = buf_append_str(&b, "\xEF\xBB\xBF");
    size_t i;
    json_t *blk;
    json_array_foreach (bl, i, blk) {
        if (!rc)
            rc = csv_field(&b, js(blk, "title"), 1);
        if (!rc)
            rc = csv_row(&b, json_object_get(blk, "cols"));
        size_t j;
        json_t *r;
        json_array_foreach (json_object_get(blk, "rows"), j, r)
            if (!rc)
                rc = csv_row(&b, r);
        if (!rc && json_object_get(blk, "na"))
            rc = csv_field(&b, js(blk, "na"), 1);
        if (!rc)
            rc = buf_append_str(&b, "\r\n");
    }
    json_decref(bl);
    if (rc) {
        buf_cleanup(&b);
        return rc;
    }
    *out = buf_take(&b);
    return 0;
}

/* ---- HTML ---- */

static int html_text(struct buf *b, const char *s)
{
    return svg_escape(b, s);
}

/* The chart of a block, if it has one and any value to show. */
static int html_chart(struct buf *b, const json_t *blk, int en)
{
    const json_t *ch = json_object_get(blk, "chart");
    if (!ch)
        return 0;
    const json_t *items = json_object_get(ch, "items");
    size_t n = json_array_size(items), i, shown = 0;
    struct svg_item *it = calloc(n + 1, sizeof *it);
    if (!it)
        abort();
    json_t *x;
    json_array_foreach (items, i, x) {
        const char *l = json_string_value(json_array_get(x, 0));
        double v = json_number_value(json_array_get(x, 1));
        /* Dates under columns: "11-27" is enough. */
        if (l && strlen(l) == 10 && l[4] == '-')
            l += 5;
        it[shown].label = l ? l : "";
        it[shown].value = v;
        /* Bars for zero add nothing to a bar chart; columns keep every day. */
        if (v > 0 || strcmp(js(ch, "kind"), "columns") == 0)
            shown++;
    }
    int hbar = strcmp(js(ch, "kind"), "hbar") == 0;
    if (hbar && shown > 15)
        shown = 15; /* the table lists them all */
    int rc = buf_append_str(b, "<div class=\"chart\">");
    if (!rc)
        rc = (hbar ? svg_hbar : svg_columns)(b, js(blk, "title"), it, shown, L(en, "empty"));
    if (!rc)
        rc = buf_append_str(b, "</div>");
    free(it);
    return rc;
}

static int html_row(struct buf *b, const json_t *cells, const char *tag)
{
    int rc = buf_append_str(b, "<tr>");
    size_t i;
    json_t *v;
    json_array_foreach (cells, i, v) {
        char tmp[40];
        if (!rc)
            rc = buf_printf(b, "<%s%s>", tag, json_is_number(v) ? " class=\"num\"" : "");
        if (!rc)
            rc = html_text(b, cell_text(v, 1, tmp, sizeof tmp));
        if (!rc)
            rc = buf_printf(b, "</%s>", tag);
    }
    if (!rc)
        rc = buf_append_str(b, "</tr>");
    return rc;
}

static int html_block(struct buf *b, const json_t *blk, int en)
{
    int rc = buf_append_str(b, "<section class=\"block\"><h2>");
    if (!rc)
        rc = html_text(b, js(blk, "title"));
    if (!rc)
        rc = buf_append_str(b, "</h2>");
    if (!rc && json_object_get(blk, "na")) {
        rc = buf_append_str(b, "<p class=\"na\">");
        if (!rc)
            rc = html_text(b, js(blk, "na"));
        if (!rc)
            rc = buf_append_str(b, "</p></section>");
        return rc;
    }
    if (!rc)
        rc = html_chart(b, blk, en);
    if (!rc)
        rc = buf_append_str(b, "<table><thead>");
    if (!rc)
        rc = html_row(b, json_object_get(blk, "cols"), "th");
    if (!rc)
        rc = buf_append_str(b, "</thead><tbody>");
    size_t i;
    json_t *r;
    json_array_foreach (json_object_get(blk, "rows"), i, r)
        if (!rc)
            rc = html_row(b, r, "td");
    if (!rc && json_array_size(json_object_get(blk, "rows")) == 0) {
        rc = buf_printf(b, "<tr><td class=\"empty\" colspan=\"%zu\">",
                        json_array_size(json_object_get(blk, "cols")));
        if (!rc)
            rc = html_text(b, L(en, "empty"));
        if (!rc)
            rc = buf_append_str(b, "</td></tr>");
    }
    if (!rc)
        rc = buf_append_str(b, "</tbody></table></section>");
    return rc;
}

/* "翠湖苑 日报" / "翠湖苑 Daily report": the page's title and heading both start with it. */
static int site_and_kind(struct buf *b, const json_t *rep, int en)
{
    int rc = html_text(b, js(rep, "site"));
    if (!rc)
        rc = buf_append_str(b, " ");
    if (!rc)
        rc = html_text(b, Lv(en, "kind", js(rep, "kind")));
    return rc;
}

static int html_head(struct buf *b, const json_t *rep, int en)
{
    int rc = buf_printf(b,
                        "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"/>"
                        "<meta name=\"viewport\" content=\"width=device-width\"/>"
                        "<link rel=\"stylesheet\" href=\"/css/report-print.css\"/><title>",
                        en ? "en" : "zh-CN");
    if (!rc)
        rc = site_and_kind(b, rep, en);
    if (!rc)
        rc = buf_append_str(b, " ");
    if (!rc)
        rc = html_text(b, js(rep, "label"));
    if (!rc)
        rc = buf_append_str(b, "</title></head><body class=\"report\"><header><h1>");
    if (!rc)
        rc = site_and_kind(b, rep, en);
    if (!rc)
        rc = buf_append_str(b, "</h1><p class=\"period\">");
    if (!rc)
        rc = html_text(b, js(rep, "label"));
    if (!rc)
        rc = buf_append_str(b, "</p></header><main>");
    return rc;
}

int report_render_html(const json_t *rep, int en, char **out)
{
    json_t *bl = blocks_of(rep, en);
    struct buf b;
    buf_init(&b, RENDER_CAP);
    int rc = html_head(&b, rep, en);
    size_t i;
    json_t *blk;
    json_array_foreach (bl, i, blk)
        if (!rc)
            rc = html_block(&b, blk, en);
    if (!rc)
        rc = buf_printf(&b,
                        "</main><footer class=\"signatures\"><span>%s</span><span>%s</span>"
                        "<span>%s</span></footer></body></html>\n",
                        L(en, "sign.made"), L(en, "sign.checked"), L(en, "sign.date"));
    json_decref(bl);
    if (rc) {
        buf_cleanup(&b);
        return rc;
    }
    *out = buf_take(&b);
    return 0;
}
