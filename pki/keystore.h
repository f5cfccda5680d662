/*
 * keystore.h - a signer's private key and certificate chain, loaded once.
 *
 * A keystore is chosen by the scheme of the signer's keystore: value, from a
 * small table of backends (OpenSMTPD's table_backend is the model): a plain
 * path, or "pkcs12:PATH", is a PKCS#12 file (keystore_p12.c), "pkcs11:URI"
 * a key in a token or HSM (keystore_p11.c); any other scheme is refused,
 * naming the ones that exist.  The passphrase (a token's PIN) is read
 * from a file or an environment variable (never argv) and wiped as soon as
 * the backend has opened the keystore (the variable too, once every signer
 * is loaded: keystore_forget_env); the key stays in memory for the life
 * of the process.
 */
#ifndef SERTEL_KEYSTORE_H
#define SERTEL_KEYSTORE_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "../base/err.h"

struct cfg_signer;

struct signer_key {
	EVP_PKEY *pkey;
	X509 *cert;			/* the signer's certificate */
	STACK_OF(X509) *chain;		/* intermediates/roots from the keystore, may be empty */
	char serial[80];		/* cert serial, upper-case hex */
};

/*
 * One kind of keystore.  open reads the key, its certificate and any chain
 * at where (the keystore: value without "name:") into out, which is zeroed;
 * s is the signer (its other keys: pkcs11_module), NULL for a bare file;
 * on success pkey and cert are set.  On failure -1 with e ("signer.keystore",
 * never the passphrase) and whatever it set left for the caller to free.
 * The checks every signing key must pass are keystore.c's, not the backend's.
 */
struct keystore_backend {
	const char *name;		/* the scheme, e.g. "pkcs12" */
	int (*open)(const struct cfg_signer *s, const char *where, const char *pass,
		    struct signer_key *out, struct err *e);
};

extern const struct keystore_backend keystore_backend_p12;	/* keystore_p12.c */
extern const struct keystore_backend keystore_backend_p11;	/* keystore_p11.c */

/*
 * keystore_load - read s's passphrase from its source and open s->keystore
 * through its backend.  On failure: code "signer.keystore", detail names the
 * keystore and the cause (never the passphrase).
 */
int keystore_load(const struct cfg_signer *s, struct signer_key *out, struct err *e);
/*
 * keystore_open_p12 - a PKCS#12 file with the passphrase given (wiped by the
 * caller), with OpenSSL 3's legacy provider as a fallback for old RC2/3DES
 * files; the same checks as keystore_load.
 */
int keystore_open_p12(const char *path, const char *pass, struct signer_key *out, struct err *e);
/*
 * keystore_forget_env - remove the passphrase variable name from the
 * environment and wipe its bytes where the kernel shows them
 * (/proc/PID/environ), so neither this process nor the workers it forks
 * (which parse untrusted PDFs) nor anything they run can read it.  Call it
 * once every signer that uses it is loaded.
 */
void keystore_forget_env(const char *name);
/*
 * keystore_token_gone - whether the signing that just failed failed because
 * the key's token or its session went away (PKCS#11: removed, session or
 * handle invalid): a temporary condition.  Reads OpenSSL's error queue.
 */
int keystore_token_gone(void);
/*
 * keystore_p11_reconnect - every PKCS#11 module finalized and loaded again:
 * the next keystore_load of a pkcs11: keystore lists the slots again and
 * logs in again (with the PIN that worked before; a failure is still never
 * retried).  Every pkcs11: key opened before is dead: never use nor free it.
 */
void keystore_p11_reconnect(void);
/*
 * keystore_p11_remember - keep the PINs tokens refuse under STATE/tokens
 * (salted PBKDF2, never the PIN): a PIN a token refused is not tried again
 * in a later run either (a timer's `run --once` would lock the token in a
 * few runs); another PIN is.  Without it, only within the process.
 */
void keystore_p11_remember(const char *state_dir);
/*
 * keystore_p11_generate - a new RSA-2048 key pair generated inside the token
 * where ("token=...;object=LABEL[;id=...]", without "pkcs11:") names, through
 * module (NULL: p11-kit's proxy), logged in with pin: the private key
 * sensitive and not extractable, never out of the token.  *key signs on the
 * token (its public half is the request's).  -1 with e (cert.key, or
 * signer.keystore for the token and PIN); a key of that label is never replaced.
 */
int keystore_p11_generate(const char *where, const char *module, const char *pin, EVP_PKEY **key,
			  struct err *e);
void keystore_free(struct signer_key *k);
/*
 * keystore_adopt - a signer_key without its private key, for processes that
 * never sign themselves (keyclient.h): cert and chain (both taken over, also
 * on failure), pkey the certificate's public key, serial set.
 */
int keystore_adopt(struct signer_key *k, X509 *cert, STACK_OF(X509) *chain, struct err *e);
/*
 * keystore_load_pass - keystore_load with the passphrase given (pass, which
 * the caller wipes) instead of read from its source; pass NULL: keystore_load.
 */
int keystore_load_pass(const struct cfg_signer *s, const char *pass, struct signer_key *out,
		       struct err *e);

/*
 * keystore_read_pass_file - the first line of path (without \r\n) into buf,
 * read with read(2) only (no stdio buffer keeps a copy); -1 with e
 * (signer.keystore) when it cannot be read or is cap - 2 bytes or longer.
 */
int keystore_read_pass_file(const char *path, char *buf, size_t cap, struct err *e);

#endif
