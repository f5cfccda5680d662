/*
 * mail.h - one e-mail message with attachments, sent through an SMTP server
 * (libcurl's SMTP client: STARTTLS, AUTH, timeouts), for `sertel notify`.
 */
#ifndef SERTEL_MAIL_H
#define SERTEL_MAIL_H

#include <stddef.h>

#include "../base/err.h"

struct cfg_notify;
struct cfg_strs;

struct mail_attachment {
	const char *name;	/* the file name the reader sees */
	const char *type;	/* e.g. "text/plain; charset=UTF-8" */
	const void *data;
	size_t len;
};

struct mail {
	const char *subject;	/* UTF-8 */
	const char *body;	/* UTF-8 text, lines ending in \n */
	const struct mail_attachment *att;
	size_t natt;
};

/*
 * mail_send - m from n->from to every address of to, through n->smtp; 0
 * when the server accepted it, -1 with e (ERR_RETRY: the server could not
 * be reached or refused for now; anything else: the configuration).
 */
int mail_send(const struct cfg_notify *n, const struct cfg_strs *to, const struct mail *m,
	      struct err *e);

#endif
