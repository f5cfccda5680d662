#!/bin/sh
# 01-layers.sh - the layering rule (README, "Layers: where code lives") holds
# on this tree, and tests/layers.py catches each way of breaking it, naming
# the file and line.
. "$(dirname "$0")/../lib/e2e.sh"
python3 "$ROOT/tests/layers.py" > "$T/tree.txt" 2>&1
ok $? "the tree keeps the layering rule"
grep '^#' "$T/tree.txt"

# a small tree that breaks every rule once
B="$T/bad"
mkdir -p "$B/base" "$B/config" "$B/spool" "$B/stages" "$B/pipeline" "$B/extra"
printf '#include "../pipeline/run.h"\n' > "$B/base/err.c"
printf '#include "../spool/a.h"\n' > "$B/config/a.c"
printf '#include "../config/b.h"\n' > "$B/spool/b.c"
printf '#include "y.h"\n' > "$B/stages/x.h"
printf '#include "x.h"\n' > "$B/stages/y.c"
: > "$B/stages/y.h"
: > "$B/pipeline/run.h"
: > "$B/extra/z.c"
awk 'BEGIN { for (i = 0; i < 1201; i++) print "/* */" }' > "$B/pipeline/long.c"
python3 "$ROOT/tests/layers.py" "$B" > "$T/bad.txt" 2>&1
is "$?" 1 "a tree that breaks the rule fails"
grep -q '^#   base/err.c:1: includes pipeline/run.h (pipeline is above base)$' "$T/bad.txt"
ok $? "an upward include is named with file and line"
grep -q '^#   config and spool include each other (config/a.c:1, spool/b.c:1)$' "$T/bad.txt"
ok $? "two folders including each other are named"
grep -q '^#   circle: stages/x <-> stages/y ' "$T/bad.txt"
ok $? "an include circle between modules is named"
grep -q '^#   extra: not in LAYERS' "$T/bad.txt"
ok $? "a folder with no layer is named"
grep -q '^#   pipeline/long.c: 1201 lines' "$T/bad.txt"
ok $? "a .c file over 1,200 lines is named"
grep -q '^not ok' "$T/bad.txt" || sed 's/^/# /' "$T/bad.txt"
done_testing
