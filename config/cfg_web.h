/*
 * cfg_web.h - the web: part of sertel.yaml (`sertel serve`, the verification
 * page), for cfg_load.c, and the listen address rule `serve --listen` shares.
 */
#ifndef SERTEL_CFG_WEB_H
#define SERTEL_CFG_WEB_H

#include <sys/socket.h>

#include "cfg_part.h"

/*
 * cfg_web_load - web: into L->c->web, with the defaults when the section is
 * absent.  Runs after marks: (the page's path defaults to marks.url's).
 */
void cfg_web_load(struct cfg_part *L, const struct ynode *root);
void cfg_web_free(struct cfg_web *w);

/*
 * cfg_web_listen - "ADDR:PORT" (IPv4 dotted, or [IPv6]) into sa and *len:
 * NULL, or why it is not one (for the caller's message).
 */
const char *cfg_web_listen(const char *s, struct sockaddr_storage *sa, socklen_t *len);

#endif
