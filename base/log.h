/*
 * log.h - one line per event on stderr, the job id first (grep shows a job's life).
 *
 * Three forms, by where stderr goes: to systemd's journal (JOURNAL_STREAM),
 * "<N>" (the priority prefix journald reads) and the line, as journald adds
 * identifier, PID and time; to a file or pipe (cron, a redirect), the local
 * time, "sertel[PID]:" and the line; to a terminal, "sertel:" and the line.
 * On a terminal a run may keep one progress line updated at the bottom:
 * each log line then clears it first and the next update draws it again.
 * Never log a passphrase or key material.
 */
#ifndef SERTEL_LOG_H
#define SERTEL_LOG_H

enum { LOG_ERR_ = 3, LOG_WARN_ = 4, LOG_INFO_ = 6, LOG_DEBUG_ = 7 };

void log_init(const char *prog, int verbose);
void log_msg(int prio, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * log_progress_begin - a progress line will be drawn (only when stderr is a
 * terminal, never to the journal or a file): 1 if so.  Call it before
 * forking, so workers' lines clear it too.
 */
int log_progress_begin(void);
/* log_progress - draw the progress line over the last one; last: end it with a newline. */
void log_progress(int last, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(id, ...)   log_msg(LOG_ERR_, id, __VA_ARGS__)
#define log_warn(id, ...)  log_msg(LOG_WARN_, id, __VA_ARGS__)
#define log_info(id, ...)  log_msg(LOG_INFO_, id, __VA_ARGS__)
#define log_debug(id, ...) log_msg(LOG_DEBUG_, id, __VA_ARGS__)

#endif
