/*
 * log.c - stderr logging (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *prog = "sertel";
static int level = LOG_INFO_;
static int journal;	/* prefix "<N>" for journald */

void
log_init(const char *name, int verbose)
{
	prog = name;
	level = verbose ? LOG_DEBUG_ : LOG_INFO_;
	journal = !isatty(STDERR_FILENO);
}

void
log_msg(int prio, const char *id, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (prio > level)
		return;
	if (journal)
		n = snprintf(line, sizeof line, "<%d>%s[%d]: %s%s", prio, prog, (int)getpid(),
			     id ? id : "", id ? ": " : "");
	else
		n = snprintf(line, sizeof line, "%s: %s%s", prog, id ? id : "", id ? ": " : "");
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write(2) per line so lines from several workers never interleave. */
	n = (int)strlen(line);
	if (n >= (int)sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;	/* nowhere left to report it */
}
