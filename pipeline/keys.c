/*
 * keys.c - starting, feeding and restarting the key process (see keys.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "../base/log.h"
#include "../config/cfg.h"
#include "../pki/keyclient.h"
#include "../pki/keyproc.h"
#include "../pki/keyvault.h"
#include "../pki/signers.h"
#include "keys.h"

/* send_vault - the first message: the passphrases only the master kept. */
static int
send_vault(int ctl, const struct keyvault *v)
{
	size_t len = sizeof(struct key_ctl) + v->len;
	unsigned char *buf = malloc(len);
	struct key_ctl m = { KEY_MAGIC, KEY_CTL_VAULT };
	int ok;

	if (buf == NULL)
		return -1;
	memcpy(buf, &m, sizeof m);
	if (v->len)
		memcpy(buf + sizeof m, v->p, v->len);
	ok = send(ctl, buf, len, MSG_NOSIGNAL) == (ssize_t)len;
	OPENSSL_cleanse(buf, len);
	free(buf);
	return ok ? 0 : -1;
}

/* spawn - fork the key process and read what it loaded into s. */
static int
spawn(struct keys *k, struct signer_set *s, struct err *e)
{
	struct timeval tv = { 120, 0 };	/* opening keystores, not signing */
	int sv[2], big = sizeof(struct key_cert) + KEY_CERTS_MAX + 4096;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return err_set(e, "io.error", "key process socket: %s", strerror(errno));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	big = sizeof(struct key_ctl) + KEYVAULT_SIZE + 4096;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if ((pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return err_set(e, "io.error", "cannot start the key process: %s", strerror(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		keyproc_main(sv[1], k->cfg);
	}
	close(sv[1]);
	k->pid = pid;
	k->ctl = sv[0];
	setsockopt(k->ctl, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (send_vault(k->ctl, k->vault) < 0 || keyclient_certs(k->ctl, k->cfg, s, e) < 0) {
		if (!e->code)
			err_set(e, "io.error", "the key process ended while loading the keys");
		keys_stop(k);
		return -1;
	}
	return 0;
}

int
keys_start(struct keys *k, const struct cfg *c, struct keyvault *v, struct signer_set *s,
	   struct err *e)
{
	memset(k, 0, sizeof *k);
	k->ctl = -1;
	k->cfg = c;
	k->vault = v;
	err_clear(e);
	keyvault_take(v, c);
	return spawn(k, s, e);
}

int
keys_channel(void *arg)
{
	struct keys *k = arg;
	struct key_ctl m = { KEY_MAGIC, KEY_CTL_CHANNEL };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &m, sizeof m };
	struct msghdr mh;
	struct cmsghdr *cm;
	int sv[2];

	if (k->ctl < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	memset(&mh, 0, sizeof mh);
	memset(cbuf, 0, sizeof cbuf);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof cbuf;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &sv[0], sizeof(int));
	if (sendmsg(k->ctl, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof m) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[0]);	/* the key process's end now */
	return sv[1];
}

/* describe - how the key process ended, for the log. */
static void
describe(int status, char *buf, size_t cap)
{
	if (WIFSIGNALED(status))
		snprintf(buf, cap, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, cap, "exited with status %d", WEXITSTATUS(status));
}

/* stop - close its control socket (it exits on EOF) and reap it; its wait status. */
static int
stop(struct keys *k)
{
	int status = 0;

	if (k->ctl >= 0)
		close(k->ctl);
	k->ctl = -1;
	while (k->pid > 0 && waitpid(k->pid, &status, 0) < 0 && errno == EINTR)
		;
	k->pid = 0;
	return status;
}

int
keys_lost(struct keys *k, struct err *e)
{
	struct signer_set again;
	char how[96];
	int rc;

	describe(stop(k), how, sizeof how);
	if (++k->restarts > KEYS_MAX_RESTARTS)
		return err_set(e, ERR_RETRY, "the key process %s, %d restarts in this run: documents "
			       "wait for the next run", how, k->restarts - 1);
	log_warn(NULL, "the key process %s; restarting it (documents in flight are tried again)",
		 how);
	memset(&again, 0, sizeof again);
	rc = spawn(k, &again, e);
	signers_free(&again);
	return rc;
}

void
keys_stop(struct keys *k)
{
	(void)stop(k);
}

int
keys_certs(const struct cfg *c, struct signer_set *s, struct err *e)
{
	struct keyvault v;
	struct keys k;
	int rc;

	memset(s, 0, sizeof *s);
	if (keyvault_open(&v) < 0)
		return err_set(e, "io.error", "no memory for the passphrase vault: %s",
			       strerror(errno));
	rc = keys_start(&k, c, &v, s, e);
	keys_stop(&k);
	keyvault_close(&v);
	return rc;
}
