/*
 * cfg_signers.c - signers: of sertel.yaml, the people whose keys sign (see
 * cfg.h struct cfg_signer and cfg_signers.h).
 *
 * Owns: a signer's keys, its NIP being unique among signers, and where its
 * passphrase comes from: a file or an environment variable, never the
 * configuration itself.  Its roles and active keys are policy.c's.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../spool/spool.h"
#include "cfg_signers.h"

#define NIP_MAX		TEXT_MAX	/* cfg_nip_check explains a wrong length better */
#define ENV_MAX		128

#define NO_PASS "passphrases and PINs are never stored in the configuration; " \
		"use passphrase_file or passphrase_env"

static const struct ykey signer_keys[] = {
	{ "nip", 1, NULL }, { "name", 1, NULL }, { "jabatan", 1, NULL }, { "pd", 1, NULL },
	{ "keystore", 1, NULL }, { "passphrase_file", 0, NULL }, { "passphrase_env", 0, NULL },
	{ "roles", 0, NULL }, { "active", 0, NULL },
	{ "pkcs11_module", 0, NULL }, { "certificate", 0, NULL },
	{ "passphrase", 0, NO_PASS }, { "pin", 0, NO_PASS }, { "password", 0, NO_PASS }, { NULL, 0, NULL },
};

/* env_name_ok - a portable environment variable name. */
static int
env_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && !(s[0] >= '0' && s[0] <= '9') &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* check_nip - the signer's NIP format, and that no earlier signer has it. */
static void
check_nip(struct cfg_part *L, const struct ynode *item, const char *path, size_t i)
{
	const struct cfg_signer *s = &L->c->signers[i];
	const struct ynode *at = ymap_get(item, "nip");
	char field[sizeof ((struct err *)0)->field], why[160];
	size_t j;

	ypath_key(field, sizeof field, path, "nip");
	if (cfg_nip_check(s->nip, why, sizeof why) < 0) {
		yerr(&L->x, L->x.codes->value, field, at, "%s '%s' %s", field, s->nip, why);
		return;
	}
	for (j = 0; j < i; j++)
		if (L->c->signers[j].nip && !strcmp(L->c->signers[j].nip, s->nip)) {
			yerr(&L->x, L->x.codes->value, field, at, "NIP %s is already used by "
			     "signers[%zu] (line %d); each signer must be listed once", s->nip, j,
			     L->c->signers[j].line);
			return;
		}
}

/* has_refused - item has a refused key, whose message already names the sources. */
static int
has_refused(const struct ynode *item)
{
	const struct ykey *k;

	for (k = signer_keys; k->name; k++)
		if (k->refuse && ymap_get(item, k->name))
			return 1;
	return 0;
}

/*
 * load_keystore - "keystore: [SCHEME:]WHERE".  Which schemes exist is
 * pki/keystore.c's business; which values are files is this file's: a PKCS#12
 * keystore (no scheme, or pkcs12:) is a path, resolved against the
 * configuration's folder; another scheme's WHERE (a PKCS#11 URI, say) is kept
 * as written.  An absolute path, or one whose ':' comes after a '/', has no scheme.
 */
static void
load_keystore(struct cfg_part *L, const struct ynode *item, const char *path,
	      struct cfg_signer *s)
{
	static const char scheme_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789+-.";
	char *v = NULL;
	size_t n;

	if (ymap_str(&L->x, item, path, "keystore", PATH_MAX - 1, &v) != 0)
		return;
	n = strspn(v, scheme_chars);
	if (n > 0 && v[n] == ':') {
		s->keystore_scheme = strndup(v, n);
		s->keystore = strdup(v + n + 1);
		free(v);
	} else {
		s->keystore_scheme = strdup("pkcs12");
		s->keystore = v;
	}
	if (s->keystore_scheme == NULL || s->keystore == NULL)
		yerr(&L->x, L->x.codes->value, "", NULL, "out of memory");
	else if (!strcmp(s->keystore_scheme, "pkcs12"))
		cfg_part_resolve(L, &s->keystore);
}

/* load_signer - one entry of signers:. */
static void
load_signer(struct cfg_part *L, const struct ynode *item, size_t i)
{
	struct cfg_signer *s = &L->c->signers[i];
	char path[32], field[sizeof ((struct err *)0)->field];

	ypath_index(path, sizeof path, "signers", i);
	s->line = item->line;
	s->col = item->col;
	if (ymap_check(&L->x, item, path, signer_keys) < 0)
		return;
	if (ymap_str(&L->x, item, path, "nip", NIP_MAX, &s->nip) == 0)
		check_nip(L, item, path, i);
	ymap_str(&L->x, item, path, "name", TEXT_MAX, &s->name);
	ymap_str(&L->x, item, path, "jabatan", TEXT_MAX, &s->jabatan);
	if (ymap_str(&L->x, item, path, "pd", TEXT_MAX, &s->pd) == 0 && !spool_pd_valid(s->pd)) {
		ypath_key(field, sizeof field, path, "pd");
		yerr(&L->x, L->x.codes->value, field, ymap_get(item, "pd"), "%s '%s' must be 1-63 "
		     "characters of a-z, 0-9, '_' and '-' (it names the PD's spool folder)", field, s->pd);
	}
	load_keystore(L, item, path, s);
	cfg_part_path(L, item, path, "certificate", &s->certificate);
	cfg_part_path(L, item, path, "pkcs11_module", &s->p11_module);
	if (s->p11_module && s->keystore_scheme && strcmp(s->keystore_scheme, "pkcs11")) {
		ypath_key(field, sizeof field, path, "pkcs11_module");
		yerr(&L->x, L->x.codes->value, field, ymap_get(item, "pkcs11_module"),
		     "%s is only for a keystore: \"pkcs11:...\" (a token)", field);
	}
	cfg_part_path(L, item, path, "passphrase_file", &s->pass_file);
	if (ymap_str(&L->x, item, path, "passphrase_env", ENV_MAX, &s->pass_env) == 0 &&
	    !env_name_ok(s->pass_env)) {
		ypath_key(field, sizeof field, path, "passphrase_env");
		yerr(&L->x, L->x.codes->value, field, ymap_get(item, "passphrase_env"),
		     "%s '%s' is not an environment variable name (letters, digits, '_')", field,
		     s->pass_env);
	}
	if (ymap_get(item, "passphrase_file") && ymap_get(item, "passphrase_env"))
		yerr(&L->x, L->x.codes->value, path, item, "%s has both passphrase_file and "
		     "passphrase_env; give exactly one", path);
	else if (!ymap_get(item, "passphrase_file") && !ymap_get(item, "passphrase_env") &&
		 !has_refused(item))
		yerr(&L->x, L->x.codes->value, path, item, "%s has no passphrase source; add "
		     "passphrase_file or passphrase_env", path);
}

void
cfg_signers_load(struct cfg_part *L, const struct ynode *root)
{
	const struct ynode *seq;
	size_t i;

	if (ymap_kind(&L->x, root, "", "signers", Y_SEQ, &seq) != 0)
		return;
	if (seq->n == 0) {
		yerr(&L->x, L->x.codes->value, "signers", seq, "signers is empty; list at least "
		     "one signer");
		return;
	}
	if (!(L->c->signers = calloc(seq->n, sizeof *L->c->signers)))
		return;
	L->c->nsigners = seq->n;
	for (i = 0; i < seq->n; i++)
		load_signer(L, seq->item[i], i);
}

/* signer_free - the strings of one signer. */
static void
signer_free(struct cfg_signer *s)
{
	free(s->nip);
	free(s->name);
	free(s->jabatan);
	free(s->pd);
	free(s->keystore_scheme);
	free(s->keystore);
	free(s->pass_file);
	free(s->pass_env);
	free(s->p11_module);
	free(s->certificate);
}

void
cfg_signers_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->nsigners; i++)
		signer_free(&c->signers[i]);
	free(c->signers);
}
