#!/usr/bin/env python3
"""yamlkeys.py - the keys sertel.yaml(5) must document, and the ones it does.

  yamlkeys.py example CONFIG.yaml   every key of the example configuration,
                                    also of the sections shown commented out
  yamlkeys.py man PAGE.5            every key the man page documents (a .TP
                                    item whose tag is .B KEY)
  yamlkeys.py check CONFIG.yaml PAGE.5
                                    both lists differ: each missing key named,
                                    exit 1

Keys are dotted paths (limits.batch_size); a name the operator chooses (a
document type, a mark profile, a PD) is written NAME, an item of a list []
(signers[].nip).
"""
import re
import sys

KEY = re.compile(r'^( *)(- )?([a-z_][a-z0-9_]*|"[0-9]+"):(?: |$)')
FLOW = re.compile(r'([a-z_][a-z0-9_]*): ')
ITEM_FLOW = re.compile(r'^ *- \{')
# maps whose keys are names the operator chooses, not sertel's keys
NAMED = {"document_types", "marks.profiles", "marks.document_types", "marks.signers",
         "notify.pds"}


def example_keys(path):
    keys, stack = set(), []          # stack: (indent, path) of the open mappings
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        lead = len(line) - len(line.lstrip())
        if line.lstrip().startswith("#"):
            # a commented-out example ("# deletion:", "  #   place: ..."), indented as it
            # would be without its "# "; prose never has a lower-case key and a colon
            body = line.lstrip()[1:]
            line = " " * lead + (body[1:] if body.startswith(" ") else body)
        m = KEY.match(line)
        f = ITEM_FLOW.match(line)
        if f and stack:              # "- { code: bappeda, group: pd-bappeda }"
            for k in FLOW.findall(re.sub(r'"[^"]*"', '""', line)):
                keys.add(stack[-1][1] + "[]." + k)
        if not m:
            continue
        indent = len(m.group(1)) + (2 if m.group(2) else 0)
        while stack and stack[-1][0] >= indent - (1 if m.group(2) else 0):
            stack.pop()
        parent = stack[-1][1] if stack else ""
        if m.group(2):
            parent += "[]"
        if not parent and line.startswith(" "):
            continue                 # an indented line of a prose comment
        if m.group(2):               # "- key:": an item; its other keys are its siblings
            stack.append((indent - 1, parent))
        name = "NAME" if parent.replace("[]", "") in NAMED else m.group(3)
        full = parent + "." + name if parent else name
        keys.add(full)
        stack.append((indent, full))
        rest = line[m.end():]
        if rest.startswith("{"):     # a flow mapping: { title: "...", certify: 2 }
            for k in FLOW.findall(re.sub(r'"[^"]*"', '""', rest)):
                keys.add(full + "." + k)
    return keys


def man_keys(path):
    keys, tp = set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith(".TP"):
            tp = True
            continue
        if tp and line.startswith(".B "):
            keys.add(line[3:].strip().strip('"'))
        tp = False
    return keys


def main(argv):
    if len(argv) == 3 and argv[1] == "example":
        print("\n".join(sorted(example_keys(argv[2]))))
    elif len(argv) == 3 and argv[1] == "man":
        print("\n".join(sorted(man_keys(argv[2]))))
    elif len(argv) == 4 and argv[1] == "check":
        ex, man = example_keys(argv[2]), man_keys(argv[3])
        for k in sorted(ex - man):
            print("not in %s: %s" % (argv[3], k))
        for k in sorted(man - ex):
            print("not in %s: %s" % (argv[2], k))
        return 1 if ex != man else 0
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
