/*
 * keystore_p11.c - the PKCS#11 keystore backend: a key that never leaves a
 * token or HSM (see keystore.h).
 *
 * Scheme "pkcs11", WHERE an RFC 7512 URI's path: token=, object=, id=,
 * serial=, manufacturer=, model=, type=private.  The module is the signer's
 * pkcs11_module (default p11-kit's proxy, which loads the modules p11-kit
 * is configured with).  libp11 does the PKCS#11 (slots, sessions, login,
 * and an EVP_PKEY whose RSA/EC methods sign on the token), so sertel has no
 * PKCS#11 client of its own.
 *
 * The PIN is the signer's passphrase (keystore.c reads and wipes it); it is
 * handed to C_Login once and never put in an error detail.  A login that
 * fails is never tried again in this process: a wrong PIN tried in a loop
 * locks a real token, and only the key's holder can unlock it.  Only the key
 * process opens tokens (keyproc.h), so no worker ever maps a module.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libp11.h>
#include <p11-kit/pkcs11.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "../base/hex.h"
#include "../config/cfg.h"
#include "../spool/fsutil.h"
#include "keystore.h"

#define P11_DEFAULT_MODULE "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so"
#define MODULES_MAX 8
#define LOGINS_MAX 32
#define ATTR_MAX 128

/* The URI's attributes sertel matches on; empty: any. */
struct p11_uri {
	char token[ATTR_MAX], object[ATTR_MAX], serial[ATTR_MAX];
	char manufacturer[ATTR_MAX], model[ATTR_MAX];
	unsigned char id[ATTR_MAX];
	size_t id_len;
	int has_id;
};

/* One loaded module, kept for the life of the process (its sessions too). */
struct p11_module {
	char *path;
	PKCS11_CTX *ctx;
	PKCS11_SLOT *slots;
	unsigned int nslots;
};

/*
 * The tokens this process logged in to, or failed to: a login is per token
 * (PKCS#11), so a second signer on a token shares it, but only with the PIN
 * that opened it (compared as a salted SHA-256), and a token whose login
 * failed is never tried again.
 */
struct p11_login {
	char token[2 * ATTR_MAX];	/* "module|serial" */
	int ok;
	int again;			/* ok, but the token went away: log in once more */
	unsigned char pin[SHA256_DIGEST_LENGTH];
};

static struct p11_module modules[MODULES_MAX];
/* STATE/tokens: the PINs tokens refused, kept across runs (keystore_p11_remember) */
static char refused_dir[4096];
static struct p11_login logins[LOGINS_MAX];
static size_t nlogins;
static unsigned char pin_salt[16];	/* of the in-memory PIN hashes */

/* unhex - one hex digit's value, or -1. */
static int
unhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* pct_decode - the percent-encoded v[0..n) into out (cap bytes); its length or -1. */
static long
pct_decode(const char *v, size_t n, unsigned char *out, size_t cap)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)v[i];

		if (c == '%') {
			if (i + 2 >= n || unhex(v[i + 1]) < 0 || unhex(v[i + 2]) < 0)
				return -1;
			c = unhex(v[i + 1]) * 16 + unhex(v[i + 2]);
			i += 2;
		}
		if (len + 1 >= cap)
			return -1;
		out[len++] = (unsigned char)c;
	}
	out[len] = '\0';
	return (long)len;
}

/* uri_attr - one "name=value" of the URI's path into u; -1 with e. */
static int
uri_attr(const char *a, size_t n, struct p11_uri *u, const char *where, struct err *e)
{
	static const struct { const char *name; size_t off; } text[] = {
		{ "token", offsetof(struct p11_uri, token) },
		{ "object", offsetof(struct p11_uri, object) },
		{ "serial", offsetof(struct p11_uri, serial) },
		{ "manufacturer", offsetof(struct p11_uri, manufacturer) },
		{ "model", offsetof(struct p11_uri, model) },
	};
	const char *eq = memchr(a, '=', n);
	size_t k, nlen;

	if (eq == NULL)
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:%s: '%.*s' is not name=value",
			       where, (int)(n > 40 ? 40 : n), a);
	nlen = (size_t)(eq - a);
	for (k = 0; k < sizeof text / sizeof text[0]; k++)
		if (strlen(text[k].name) == nlen && !strncmp(a, text[k].name, nlen)) {
			if (pct_decode(eq + 1, n - nlen - 1, (unsigned char *)u + text[k].off,
				       ATTR_MAX) < 0)
				break;
			return 0;
		}
	if (k < sizeof text / sizeof text[0])
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:%s: bad %.*s value", where,
			       (int)nlen, a);
	if (nlen == 2 && !strncmp(a, "id", 2)) {
		long len = pct_decode(eq + 1, n - 3, u->id, sizeof u->id);

		if (len <= 0)
			return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:%s: bad id value",
				       where);
		u->id_len = (size_t)len;
		u->has_id = 1;
		return 0;
	}
	if (nlen == 4 && !strncmp(a, "type", 4)) {
		if (n - 5 == 7 && !strncmp(eq + 1, "private", 7))
			return 0;
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:%s: type must be private "
			       "(the signing key)", where);
	}
	return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:...: unknown attribute '%.*s' "
		       "(known: token, object, id, serial, manufacturer, model, type)",
		       (int)(nlen > 32 ? 32 : nlen), a);
}

/* uri_parse - the path of a pkcs11: URI (where, without "pkcs11:") into u. */
static int
uri_parse(const char *where, struct p11_uri *u, struct err *e)
{
	const char *p = where;

	memset(u, 0, sizeof *u);
	/* before anything names where in an error detail */
	if (strstr(where, "pin-"))
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:... holds a PIN attribute; "
			       "the PIN is never stored in the configuration: use passphrase_file "
			       "or passphrase_env");
	if (strchr(where, '?'))
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:...: query attributes "
			       "(module, PIN) are not read from the URI: name the module with "
			       "pkcs11_module and the PIN with passphrase_file or passphrase_env");
	while (*p) {
		size_t n = strcspn(p, ";");

		if (n > 0 && uri_attr(p, n, u, where, e) < 0)
			return -1;
		p += n;
		if (*p == ';')
			p++;
	}
	if (!u->token[0] && !u->serial[0])
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:%s names no token (token= "
			       "or serial=)", where);
	if (!u->object[0] && !u->has_id)
		return err_set(e, "signer.keystore", "PKCS#11 URI pkcs11:%s names no key (object= "
			       "or id=)", where);
	return 0;
}

/* ckr_reason - the PKCS#11 return value behind the last libp11 error, or 0. */
static unsigned long
ckr_reason(void)
{
	unsigned long code, ckr = 0;

	while ((code = ERR_get_error()) != 0)
		if (ERR_GET_LIB(code) == ERR_get_CKR_code())
			ckr = ERR_GET_REASON(code);
	return ckr;
}

/* ckr_gone - whether ckr says the token or its session went away (it may come back). */
static int
ckr_gone(unsigned long ckr)
{
	switch (ckr) {
	case CKR_SLOT_ID_INVALID: case CKR_DEVICE_ERROR: case CKR_DEVICE_REMOVED:
	case CKR_KEY_HANDLE_INVALID: case CKR_OBJECT_HANDLE_INVALID: case CKR_SESSION_CLOSED:
	case CKR_SESSION_HANDLE_INVALID: case CKR_TOKEN_NOT_PRESENT:
	case CKR_TOKEN_NOT_RECOGNIZED: case CKR_USER_NOT_LOGGED_IN:
		return 1;
	}
	return 0;
}

int
keystore_token_gone(void)
{
	return ckr_gone(ckr_reason());
}

void
keystore_p11_reconnect(void)
{
	size_t i;

	/*
	 * The module finalized and loaded again: a token that went away may
	 * leave the module's own state behind (SoftHSM's does).  The old
	 * context, slots and keys are abandoned, never freed: freeing a key
	 * would call into the unloaded module (keyproc.c never uses them again).
	 */
	for (i = 0; i < MODULES_MAX; i++)
		if (modules[i].ctx) {
			PKCS11_CTX_unload(modules[i].ctx);
			modules[i].ctx = NULL;
			modules[i].slots = NULL;
		}
	for (i = 0; i < nlogins; i++)
		if (logins[i].ok)
			logins[i].again = 1;
}

/* module_get - the module at path, loaded once; NULL with e. */
static struct p11_module *
module_get(const char *path, struct err *e)
{
	struct p11_module *m;
	size_t i;

	for (i = 0; i < MODULES_MAX && modules[i].path; i++)
		if (!strcmp(modules[i].path, path))
			break;
	if (i == MODULES_MAX) {
		err_set(e, "signer.keystore", "more than %d PKCS#11 modules", MODULES_MAX);
		return NULL;
	}
	m = &modules[i];
	if (m->ctx)
		return m;
	if (!(m->ctx = PKCS11_CTX_new()) || PKCS11_CTX_load(m->ctx, path) < 0) {
		/* one that loaded before (keystore_p11_reconnect) may again: temporary */
		err_set(e, m->path ? ERR_RETRY : "signer.keystore", "cannot load the PKCS#11 "
			"module %s (pkcs11_module)", path);
		if (m->ctx)
			PKCS11_CTX_free(m->ctx);
		m->ctx = NULL;
		return NULL;
	}
	if (!m->path && !(m->path = strdup(path))) {
		PKCS11_CTX_unload(m->ctx);
		PKCS11_CTX_free(m->ctx);
		m->ctx = NULL;
		err_set(e, "signer.keystore", "out of memory");
		return NULL;
	}
	return m;
}

/*
 * slots_get - m's slots, enumerated once (and again after
 * keystore_p11_reconnect).  Never released: the keys opened through them
 * live in the slots' memory.
 */
static int
slots_get(struct p11_module *m, struct err *e)
{
	if (m->slots)
		return 0;
	if (PKCS11_enumerate_slots(m->ctx, &m->slots, &m->nslots) < 0)	/* may come back */
		return err_set(e, ERR_RETRY, "the PKCS#11 module %s lists no slots", m->path);
	return 0;
}

/* token_matches - whether t is the token u names. */
static int
token_matches(const PKCS11_TOKEN *t, const struct p11_uri *u)
{
	return t && (!u->token[0] || !strcmp(t->label, u->token)) &&
	       (!u->serial[0] || !strcmp(t->serialnr, u->serial)) &&
	       (!u->manufacturer[0] || !strcmp(t->manufacturer, u->manufacturer)) &&
	       (!u->model[0] || !strcmp(t->model, u->model));
}

/* find_slot - the slot holding u's token; NULL with e. */
static PKCS11_SLOT *
find_slot(struct p11_module *m, const struct p11_uri *u, const char *where, struct err *e)
{
	unsigned int i;

	for (i = 0; i < m->nslots; i++)
		if (token_matches(m->slots[i].token, u))
			return &m->slots[i];
	/* temporary: the documents wait for the token (ERR_RETRY) */
	err_set(e, ERR_RETRY, "PKCS#11 token pkcs11:%s is not present in %s (plug it in, "
		"or check token= with: pkcs11-tool --list-token-slots)", where, m->path);
	return NULL;
}

/* pin_hash - salted SHA-256 of pin into out (the salt drawn once per process). */
static void
pin_hash(const char *pin, unsigned char *out)
{
	static int salted;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!salted)
		salted = RAND_bytes(pin_salt, sizeof pin_salt) == 1;
	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(c, pin_salt, sizeof pin_salt) || !EVP_DigestUpdate(c, pin, strlen(pin)) ||
	    !EVP_DigestFinal_ex(c, out, NULL))
		memset(out, 0, SHA256_DIGEST_LENGTH);	/* matches only another failure */
	EVP_MD_CTX_free(c);
}

void
keystore_p11_remember(const char *state_dir)
{
	if (state_dir == NULL ||
	    snprintf(refused_dir, sizeof refused_dir, "%s/tokens", state_dir) >= (int)sizeof refused_dir)
		refused_dir[0] = '\0';
}

#define REFUSED_ITER 100000	/* PBKDF2 rounds: a refused PIN kept on disk is not a PIN given away */

/* refused_path - STATE/tokens/refused-HASH of token key (module|serial) into buf. */
static int
refused_path(const char *key, char *buf, size_t cap)
{
	unsigned char h[SHA256_DIGEST_LENGTH];
	char hex[2 * 8 + 1];

	if (!refused_dir[0] || !EVP_Digest(key, strlen(key), h, NULL, EVP_sha256(), NULL))
		return -1;
	hex_encode(h, 8, hex);
	return snprintf(buf, cap, "%s/refused-%s", refused_dir, hex) < (int)cap ? 0 : -1;
}

/* pin_kdf - PBKDF2-SHA256 of pin with salt into out (32 bytes). */
static int
pin_kdf(const char *pin, const unsigned char *salt, size_t saltlen, unsigned char *out)
{
	return PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), salt, (int)saltlen, REFUSED_ITER,
				 EVP_sha256(), 32, out) == 1 ? 0 : -1;
}

/*
 * refused_before - whether the token (key) refused pin in an earlier run:
 * the file refused_path names holds "SALT KDF" in hex.  Another PIN is a
 * new attempt (the operator changed it); the same one is never tried again.
 */
static int
refused_before(const char *key, const char *pin, char *path, size_t cap)
{
	unsigned char salt[16], kdf[32], mine[32];
	char line[200] = "";
	ssize_t n = -1;
	int fd, same;

	if (refused_path(key, path, cap) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, line, sizeof line - 1);
	close(fd);
	if (n != 2 * 16 + 1 + 2 * 32 || hex_decode(line, 16, salt) < 0 ||
	    hex_decode(line + 33, 32, kdf) < 0 || pin_kdf(pin, salt, sizeof salt, mine) < 0)
		return 0;
	same = CRYPTO_memcmp(kdf, mine, sizeof kdf) == 0;
	OPENSSL_cleanse(mine, sizeof mine);
	return same;
}

/* refused_now - the token (key) refused pin: remembered for the next runs. */
static void
refused_now(const char *key, const char *pin)
{
	unsigned char salt[16], kdf[32];
	char path[4200], line[2 * 16 + 1 + 2 * 32 + 1];
	int fd;

	if (refused_path(key, path, sizeof path) < 0 || RAND_bytes(salt, sizeof salt) != 1 ||
	    pin_kdf(pin, salt, sizeof salt, kdf) < 0 || fs_mkdirs(refused_dir, 0700) < 0 ||
	    (fd = open(refused_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	hex_encode(salt, sizeof salt, line);
	line[32] = ' ';
	hex_encode(kdf, sizeof kdf, line + 33);
	(void)fs_write_atomic(fd, strrchr(path, '/') + 1, line, sizeof line - 1, 1);
	close(fd);
}

/*
 * login - the user logged in on slot's token with pin: C_Login at most once
 * per token and process (struct p11_login).
 */
static int
login(struct p11_module *m, PKCS11_SLOT *slot, const char *pin, const char *where,
      struct err *e)
{
	unsigned char h[SHA256_DIGEST_LENGTH];
	struct p11_login *l = NULL;
	char key[2 * ATTR_MAX], path[4200];
	unsigned long ckr;
	size_t i;

	snprintf(key, sizeof key, "%.*s|%s", ATTR_MAX, m->path, slot->token->serialnr);
	pin_hash(pin, h);
	for (i = 0; i < nlogins && !l; i++)
		if (!strcmp(logins[i].token, key))
			l = &logins[i];
	if (l && !l->ok)
		return err_set(e, "signer.keystore", "PKCS#11 token '%s' (pkcs11:%s): its login "
			       "failed once already and is not tried again (a token locks after a "
			       "few wrong PINs); correct the PIN and restart sertel",
			       slot->token->label, where);
	if (l && CRYPTO_memcmp(l->pin, h, sizeof h) == 0 && l->again) {
		l->again = 0;	/* the PIN that worked: once more, on the token that came back */
		goto log_in;
	}
	if (l)
		return CRYPTO_memcmp(l->pin, h, sizeof h) == 0 ? 0 :
		       err_set(e, "signer.keystore", "PKCS#11 token '%s' (pkcs11:%s) is open "
			       "with another signer's PIN and this signer's differs: give both the "
			       "same passphrase_file or passphrase_env", slot->token->label, where);
	if (nlogins == LOGINS_MAX)
		return err_set(e, "signer.keystore", "more than %d PKCS#11 tokens", LOGINS_MAX);
	l = &logins[nlogins++];
	snprintf(l->token, sizeof l->token, "%s", key);
	memcpy(l->pin, h, sizeof h);
log_in:
	if (refused_before(key, pin, path, sizeof path)) {
		l->ok = 0;
		return err_set(e, "signer.keystore", "PKCS#11 token '%s' (pkcs11:%s) refused this "
			       "PIN in an earlier run, and sertel does not try it again (a token "
			       "locks after a few wrong PINs): put the right PIN in this signer's "
			       "passphrase_file or passphrase_env", slot->token->label, where);
	}
	ERR_clear_error();
	if (PKCS11_login(slot, 0, pin) == 0) {
		if (refused_path(key, path, sizeof path) == 0)
			unlink(path);	/* the right PIN now: forget the wrong one */
		return l->ok = 1, 0;
	}
	l->ok = 0;
	ckr = ckr_reason();
	if (ckr == CKR_USER_ALREADY_LOGGED_IN)	/* another application of this token's */
		return l->ok = 1, 0;
	if (ckr == CKR_PIN_INCORRECT)
		refused_now(key, pin);
	if (ckr_gone(ckr))
		return l->ok = 1, l->again = 1, err_set(e, ERR_RETRY, "PKCS#11 token '%s' "
			"(pkcs11:%s) went away while logging in", slot->token->label, where);
	if (ckr == CKR_PIN_INCORRECT || ckr == CKR_PIN_LEN_RANGE)
		return err_set(e, "signer.keystore", "wrong PIN for PKCS#11 token '%s' (pkcs11:%s): "
			       "sertel tried it once and will not try again, so the token is not "
			       "locked; put the right PIN in this signer's passphrase_file or "
			       "passphrase_env and restart sertel", slot->token->label, where);
	if (ckr == CKR_PIN_LOCKED)
		return err_set(e, "signer.keystore", "PKCS#11 token '%s' (pkcs11:%s) is locked (too "
			       "many wrong PINs): its holder must unlock it with the SO PIN",
			       slot->token->label, where);
	return err_set(e, "signer.keystore", "cannot log in to PKCS#11 token '%s' (pkcs11:%s): "
		       "CKR 0x%lx; sertel will not try again until restarted", slot->token->label,
		       where, ckr);
}

/* key_matches - whether k is the object u names. */
static int
key_matches(const PKCS11_KEY *k, const struct p11_uri *u)
{
	return (!u->object[0] || (k->label && !strcmp(k->label, u->object))) &&
	       (!u->has_id || (k->id_len == u->id_len && !memcmp(k->id, u->id, u->id_len)));
}

/* token_chain - the token's other certificates (its CA certificates) into out->chain. */
static void
token_chain(PKCS11_TOKEN *t, const PKCS11_CERT *mine, struct signer_key *out)
{
	PKCS11_CERT *certs = NULL;
	unsigned int n = 0, i;

	if (PKCS11_enumerate_certs(t, &certs, &n) < 0 || !(out->chain = sk_X509_new_null()))
		return;
	for (i = 0; i < n; i++)
		if (&certs[i] != mine && certs[i].x509 && X509_up_ref(certs[i].x509) &&
		    !sk_X509_push(out->chain, certs[i].x509))
			X509_free(certs[i].x509);
}

/* p11_open - a keystore_backend open: the key (and certificate) u names on its token. */
static int
p11_open(const struct cfg_signer *s, const char *where, const char *pin,
	 struct signer_key *out, struct err *e)
{
	const char *mpath = s && s->p11_module ? s->p11_module : P11_DEFAULT_MODULE;
	struct p11_module *m;
	PKCS11_SLOT *slot;
	PKCS11_KEY *keys = NULL, *k = NULL;
	PKCS11_CERT *c;
	unsigned int n = 0, i;
	struct p11_uri u;

	if (uri_parse(where, &u, e) < 0 || !(m = module_get(mpath, e)) ||
	    slots_get(m, e) < 0 || !(slot = find_slot(m, &u, where, e)) ||
	    login(m, slot, pin ? pin : "", where, e) < 0)
		return -1;
	if (PKCS11_enumerate_keys(slot->token, &keys, &n) < 0)
		return err_set(e, "signer.keystore", "cannot list the keys of PKCS#11 token '%s'",
			       slot->token->label);
	for (i = 0; i < n && !k; i++)
		if (key_matches(&keys[i], &u))
			k = &keys[i];
	if (k == NULL)
		return err_set(e, "signer.keystore", "PKCS#11 token '%s' holds no private key "
			       "pkcs11:%s (list them with: p11tool --list-privkeys --login)",
			       slot->token->label, where);
	if (!(out->pkey = PKCS11_get_private_key(k)))
		return err_set(e, "signer.keystore", "cannot use the key pkcs11:%s", where);
	if (s && s->certificate)	/* keystore.c reads it */
		return 0;
	c = PKCS11_find_certificate(k);
	if (c == NULL || c->x509 == NULL || !X509_up_ref(c->x509))
		return err_set(e, "signer.keystore", "PKCS#11 token '%s' holds no certificate with "
			       "the id of pkcs11:%s; store it on the token or name it with "
			       "certificate:", slot->token->label, where);
	out->cert = c->x509;
	token_chain(slot->token, c, out);
	return 0;
}

/* gen_key - PKCS11_generate_key, deprecated in libp11 but its only key generation. */
static int
gen_key(PKCS11_TOKEN *t, char *label, unsigned char *id, size_t id_len)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	return PKCS11_generate_key(t, 0, 2048, label, id, id_len);
#pragma GCC diagnostic pop
}

int
keystore_p11_generate(const char *where, const char *module, const char *pin, EVP_PKEY **key,
		      struct err *e)
{
	struct p11_module *m;
	PKCS11_SLOT *slot;
	PKCS11_KEY *keys = NULL;
	unsigned int n = 0, i;
	struct p11_uri u;

	*key = NULL;
	if (uri_parse(where, &u, e) < 0 || !(m = module_get(module ? module : P11_DEFAULT_MODULE,
							    e)) ||
	    slots_get(m, e) < 0 || !(slot = find_slot(m, &u, where, e)))
		return -1;
	if (!u.object[0])
		return err_set(e, "cert.key", "pkcs11:%s: name the new key with object=", where);
	if (!u.has_id) {	/* the certificate finds its key by id */
		u.id_len = 8;
		u.has_id = RAND_bytes(u.id, (int)u.id_len) == 1;
	}
	if (PKCS11_open_session(slot, 1) < 0 || login(m, slot, pin, where, e) < 0) {
		if (!e->code)
			err_set(e, "cert.key", "cannot open a session on token '%s'",
				slot->token->label);
		return -1;
	}
	if (PKCS11_enumerate_keys(slot->token, &keys, &n) < 0)
		return err_set(e, "cert.key", "cannot list the keys of token '%s'", slot->token->label);
	for (i = 0; i < n; i++)
		if (keys[i].label && !strcmp(keys[i].label, u.object))
			return err_set(e, "cert.key", "token '%s' already holds a key '%s': choose "
				       "another object= (sertel never replaces a key)",
				       slot->token->label, u.object);
	/* libp11 makes it CKA_SENSITIVE, never CKA_EXTRACTABLE: it cannot leave the token */
	if (gen_key(slot->token, u.object, u.id, u.id_len) < 0)
		return err_set(e, "cert.key", "token '%s' could not generate an RSA-2048 key pair",
			       slot->token->label);
	keys = NULL;
	n = 0;
	if (PKCS11_enumerate_keys(slot->token, &keys, &n) == 0)
		for (i = 0; i < n && !*key; i++)
			if (keys[i].label && !strcmp(keys[i].label, u.object))
				*key = PKCS11_get_private_key(&keys[i]);
	if (*key == NULL)
		return err_set(e, "cert.key", "the key generated on token '%s' cannot be used",
			       slot->token->label);
	return 0;
}

const struct keystore_backend keystore_backend_p11 = { "pkcs11", p11_open };
