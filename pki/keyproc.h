/*
 * keyproc.h - the key process: the only process that opens keystores and
 * holds private keys (OpenSMTPD's ca process, smtpd/ca.c, is the model).
 *
 * The master forks it before any worker.  It reads the passphrase vault
 * (keyvault.h) from its control socket, opens every signer's keystore,
 * tells the master each signer's certificate and chain (or why it failed,
 * keyclient.h's key_cert), and from then on only signs: over the channel
 * the master hands it for each worker, "these bytes with signer N" in, the
 * signature out.  It parses no document, checks every request (signer
 * index, digest, sizes), runs without core dumps, not dumpable (no
 * ptrace or /proc/PID/mem for its own user) and with its address space
 * limited.  It ends when the master closes the control socket; when it dies
 * otherwise, the master starts another (pipeline/keys.c).
 */
#ifndef SERTEL_KEYPROC_H
#define SERTEL_KEYPROC_H

struct cfg;

/* keyproc_main - the key process on ctl; never returns. */
void keyproc_main(int ctl, const struct cfg *c) __attribute__((noreturn));

#endif
