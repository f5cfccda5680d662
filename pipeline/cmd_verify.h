/* cmd_verify.h - `sertel verify FILE.pdf [--json] [--trust CA.pem]... [--config FILE]`. */
#ifndef SERTEL_CMD_VERIFY_H
#define SERTEL_CMD_VERIFY_H

/*
 * cmd_verify - argv[0] is "verify".  Needs no configuration; with one
 * (--config, else $SERTEL_CONFIG, else /etc/sertel/sertel.yaml if it exists)
 * its trust anchors join --trust and the ID TTE is looked up in its database.
 * Exit: 0 intact and trusted, 1 tampered, 3 intact but not trusted, 2 could
 * not decide (not a PDF, no signature, unreadable file), 64 usage, 78 a
 * configuration named explicitly that cannot be loaded.
 *
 * A document whose ID row says status 'deleted' keeps exit 0 (or whatever its
 * signatures earn) with a DELETED line: deletion is archive housekeeping (the
 * row carries no reason or date, and the same document may be signed again),
 * not a statement that the signature or the signer is no longer trusted.  A
 * certificate that a registry marks revoked (verify_lookup_result.revocation)
 * or that a CRL among the anchors lists does give 3.
 */
int cmd_verify(int argc, char **argv);

#endif
