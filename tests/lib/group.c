/* group.c - the integration tests' group fixture (see group.h). */
#include "lib/group.h"

#include "lib/http.h"

int tg_start(struct td_daemon *d, const struct td_opts *o, const struct tg_login *logins)
{
    struct td_opts demo = {.demo = 1};
    int rc = td_daemon_start(d, o ? o : &demo);
    if (rc)
        return rc;
    for (const struct tg_login *l = logins; l && l->user; l++)
        th_login_ok(d->port, l->user, "vigil-demo", l->token, TG_TOKEN);
    return 0;
}

int tg_stop(struct td_daemon *d)
{
    td_daemon_cleanup(d);
    td_cleanup_all();
    return 0;
}
