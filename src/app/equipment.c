/* equipment.c - the hooks into equipment care. */
#include "app/equipment.h"

#include "app/checks.h"
#include "app/ticket.h"

#include <stdio.h>

int app_equipment_start(struct app *a, char *err, size_t errsz)
{
    app_ticket_configure(a->conf);
    char dir[CONF_STR_MAX + 32];
    if (a->conf->check_sheet_dir[0])
        snprintf(dir, sizeof dir, "%s", a->conf->check_sheet_dir);
    else
        snprintf(dir, sizeof dir, "%s/../data/checksheets", a->conf->http_web_root);
    return app_check_import(a, dir, err, errsz);
}

int app_equipment_tick(struct app *a)
{
    return app_ticket_escalate(a);
}

int app_equipment_handover_facts(struct store_conn *c, int64_t now, json_t *summary)
{
    int rc = app_ticket_handover_facts(c, now, summary);
    return rc ? rc : app_check_handover_facts(c, now, summary);
}

int app_equipment_demo_in(struct store_conn *c, int64_t now)
{
    int rc = app_ticket_demo_in(c, now);
    return rc ? rc : app_check_demo_in(c, "operator", now);
}
