#!/bin/sh
# 46-p11-kill.sh - 42-key-kill.sh with the signer's key in a PKCS#11 token
# (issue 19, SoftHSM2): the key process, which holds the token's session, is
# SIGKILLed twice mid-batch; the master restarts it, it logs in to the token
# again, and every document ends in done/ once, signed once, recorded once.
. "$(dirname "$0")/../lib/softhsm.sh"
if why=$(softhsm_skip); then echo "1..0 # SKIP $why"; exit 0; fi
KEYKILL_P11=1 exec sh "$(dirname "$0")/42-key-kill.sh"
