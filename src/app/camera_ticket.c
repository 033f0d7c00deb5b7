/* camera_ticket.c - INTEGRATION POINT: camera-health problems as fault tickets.
 * Until the maint branch's app/ticket.h is merged, no ticket is opened (ticket id 0) and the
 * incident, duty log and audit trail carry the problem alone. */
#include "app/camera_ticket.h"

int camera_ticket_open(struct store_conn *c, int64_t device_id, const char *title,
                       const char *detail, int64_t incident_id, int64_t now, int64_t *ticket_id,
                       int *created)
{
    (void)c;
    (void)device_id;
    (void)title;
    (void)detail;
    (void)incident_id;
    (void)now;
    *ticket_id = 0;
    *created = 0;
    return 0;
}

int camera_ticket_note(struct store_conn *c, int64_t ticket_id, const char *note, int64_t now)
{
    (void)c;
    (void)ticket_id;
    (void)note;
    (void)now;
    return 0;
}
