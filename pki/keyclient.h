/*
 * keyclient.h - talking to the key process (keyproc.h): the one process that
 * holds private keys (OpenSMTPD's ca process is the model).
 *
 * A worker never holds a private key: it builds the CMS with the signer's
 * certificate and public key, and sends the DER of the signed attributes here
 * to be signed by signer N.  The key process answers with the signature value.
 * The master reads, once, what the key process loaded: each signer's
 * certificate and chain, or why it could not be loaded.
 *
 * The wire format (SOCK_SEQPACKET, one message each way, host byte order:
 * both ends are the same binary on the same machine) is below; the key
 * process checks every field of a request before it signs anything.
 */
#ifndef SERTEL_KEYCLIENT_H
#define SERTEL_KEYCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "../base/err.h"

struct cfg;
struct signer_set;
struct signer_key;

#define KEY_MAGIC	0x3159454bu	/* "KEY1" */
#define KEY_TBS_MAX	16384		/* signed attributes: a few hundred bytes in practice */
#define KEY_SIG_MAX	1024		/* RSA-8192; DER ECDSA P-521 is 139 */
#define KEY_CERTS_MAX	(60 * 1024)	/* a certificate and its chain, DER */

/* worker -> key process: sign len bytes (following) with signer's key */
struct key_req {
	uint32_t magic, seq;
	uint32_t signer;		/* index into the configuration's signers */
	int32_t md_nid;			/* NID_sha256, NID_sha384 or NID_sha512 */
	uint32_t pss;			/* RSA: RSASSA-PSS (salt = digest length) */
	uint32_t len;
};

/* key process -> worker: status 0 and len signature bytes (following), or why not:
 * KEY_REFUSED, or KEY_LATER when the signer's token is away (the document waits) */
#define KEY_REFUSED	(-1)
#define KEY_LATER	1
struct key_resp {
	uint32_t magic, seq;
	int32_t status;
	uint32_t len;
	char detail[200];
};

/* key process -> master, one per signer at start: DER certificate, then its chain */
struct key_cert {
	uint32_t magic, index;
	int32_t ok;
	uint32_t len;
	char code[48];
	char detail[400];
};

/* master -> key process: the first message (the passphrase vault), then channels */
struct key_ctl {
	uint32_t magic;
	uint32_t kind;			/* KEY_CTL_VAULT (bytes follow) or KEY_CTL_CHANNEL (an fd) */
};
#define KEY_CTL_VAULT	1
#define KEY_CTL_CHANNEL	2

/* A worker's connection; lost once the key process went away (the worker then ends). */
struct keyclient {
	int fd;
	uint32_t seq;
	int lost;
};

/*
 * keyclient_sign - the key process's signature over tbs by signer, with md
 * (and RSASSA-PSS when pss), in *sig (OPENSSL_malloc) of *siglen bytes.  -1
 * with e: ERR_RETRY (and kc->lost) when the key process is gone or silent,
 * so the document waits; ERR_RETRY also (not lost) when the signer's token
 * is away; sign.failed when it refused the request.
 */
int keyclient_sign(struct keyclient *kc, int signer, const EVP_MD *md, int pss,
		   const unsigned char *tbs, size_t tbslen, unsigned char **sig, size_t *siglen,
		   struct err *e);

/*
 * keyclient_certs - the master's side of the start: one key_cert per signer
 * of c read from ctl into s (certificate, chain, public key and serial; the
 * error of those that failed), then s->anchors.  -1 with e (io.error) when
 * the key process ended or said something malformed.
 */
/*
 * keyclient_certs_der - k's certificate then its chain, DER, into buf (what
 * the key process tells the master, and a worker its deletion job); the
 * length, or 0 when it does not fit in cap.
 */
size_t keyclient_certs_der(const struct signer_key *k, unsigned char *buf, size_t cap);
/*
 * keyclient_adopt - what keyclient_certs_der wrote (len bytes of der) into
 * k: certificate, chain, public key, serial; -1 with e (signer.keystore).
 */
int keyclient_adopt(const unsigned char *der, size_t len, struct signer_key *k, struct err *e);

int keyclient_certs(int ctl, const struct cfg *c, struct signer_set *s, struct err *e);

#endif
