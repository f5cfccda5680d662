/*
 * log.c - stderr logging (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *prog = "sertel";
static int level = LOG_INFO_;
static enum { TO_TTY, TO_JOURNAL, TO_FILE } to = TO_TTY;
/* a progress line may be on the terminal: every line clears it first (also in
 * workers forked afterwards, which inherit it) */
static int progress_on;

/* "\r" back to the line's start, then CSI K (erase to its end) */
#define CLEAR_LINE "\r\033[K"

/*
 * on_journal - stderr is systemd's journal stream: JOURNAL_STREAM names its
 * device and inode ("dev:ino"), set by systemd for the service and
 * inherited by whatever it starts, so compare with stderr itself.
 */
static int
on_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *name, int verbose)
{
	prog = name;
	level = verbose ? LOG_DEBUG_ : LOG_INFO_;
	to = on_journal() ? TO_JOURNAL : isatty(STDERR_FILENO) ? TO_TTY : TO_FILE;
}

void
log_msg(int prio, const char *id, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (prio > level)
		return;
	if (to == TO_JOURNAL) {
		/* journald adds the identifier, PID and time itself */
		n = snprintf(line, sizeof line, "<%d>%s%s", prio, id ? id : "", id ? ": " : "");
	} else if (to == TO_FILE) {
		/* a file or pipe (cron, a redirect): when, and which process */
		char when[40] = "";
		time_t now = time(NULL);
		struct tm tm;
		if (localtime_r(&now, &tm))
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
		n = snprintf(line, sizeof line, "%s %s[%d]: %s%s", when, prog, (int)getpid(),
			     id ? id : "", id ? ": " : "");
	} else {
		n = snprintf(line, sizeof line, "%s%s: %s%s", progress_on ? CLEAR_LINE : "", prog,
			     id ? id : "", id ? ": " : "");
	}
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

int
log_progress_begin(void)
{
	progress_on = to == TO_TTY;
	return progress_on;
}

void
log_progress(int last, const char *fmt, ...)
{
	char line[512] = CLEAR_LINE;
	size_t n = strlen(line);
	va_list ap;

	if (!progress_on)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (last)
		line[n++] = '\n';
	/* one write(2): a worker's log line comes before or after it, never inside */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}
