/*
 * keyvault.h - the passphrases that came from the environment, kept by the
 * master so that a key process it restarts (or starts after a reload) can
 * open those keystores again: the variable is gone from the environment
 * after the first start (keystore_forget_env).
 *
 * The vault is one anonymous mapping that the kernel zeroes in every child
 * (MADV_WIPEONFORK: workers forked by the master never see it), leaves out
 * of core dumps (MADV_DONTDUMP) and keeps out of swap (mlock, when allowed).
 * The master hands its bytes to the key process over their socket.  An
 * entry is bound to the signer's NIP, keystore and variable, so a reload that
 * changes the keystore cannot reuse the passphrase (as before the vault, when
 * a reload kept the key itself).
 * No private key is ever in it.
 */
#ifndef SERTEL_KEYVAULT_H
#define SERTEL_KEYVAULT_H

#include <stddef.h>

struct cfg;
struct cfg_signer;

struct keyvault {
	char *p;		/* the mapping, KEYVAULT_SIZE bytes */
	size_t len;		/* bytes used: records of five NUL-terminated strings */
};

#define KEYVAULT_SIZE (64 * 1024)

/* keyvault_open - an empty vault; -1 (errno) when the mapping fails. */
int keyvault_open(struct keyvault *v);
/*
 * keyvault_take - every passphrase_env signer of c whose variable is set: its
 * passphrase into v, then the variable out of the environment (and wiped).
 */
void keyvault_take(struct keyvault *v, const struct cfg *c);
/* keyvault_pass - s's passphrase when v has it for s's NIP, keystore and variable, else NULL. */
const char *keyvault_pass(const struct keyvault *v, const struct cfg_signer *s);
/* keyvault_set - v's contents replaced by len bytes of a vault (the key process's copy). */
int keyvault_set(struct keyvault *v, const void *bytes, size_t len);
/* keyvault_close - wipe and unmap (safe on a zeroed vault). */
void keyvault_close(struct keyvault *v);

#endif
