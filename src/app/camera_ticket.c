/* camera_ticket.c - camera-health problems as fault tickets (kind "camera_health"), through the
 * tickets module (app/ticket.h): opened in the same transaction as the incident, noted on
 * recovery; closing it is the operator's verification (the ticket lifecycle). */
#include "app/camera_ticket.h"

#include "app/ticket.h"

#include <errno.h>

int camera_ticket_open(struct store_conn *c, int64_t device_id, const char *title,
                       const char *detail, int64_t incident_id, int64_t now, int64_t *ticket_id,
                       int *created)
{
    struct ticket_spec t = {.device_id = device_id,
                            .kind = "camera_health",
                            .title = title,
                            .detail = detail,
                            .incident_id = incident_id};
    return app_ticket_open_in(c, "system", &t, now, ticket_id, created);
}

int camera_ticket_note(struct store_conn *c, int64_t ticket_id, const char *note, int64_t now)
{
    int rc = app_ticket_note_in(c, "system", ticket_id, note, now);
    /* A ticket already closed (verified while the camera was still failing) takes no notes:
     * the recovery is on the incident, duty log and audit trail all the same. */
    return rc == -EINVAL || rc == -ENOENT ? 0 : rc;
}
