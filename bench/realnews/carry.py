#!/usr/bin/env python3
"""Carries judgements from judged sheets to a new sheet (draw.py output) when the same finding
reappears: the verdict when the article, rule, found text and sentence are the same; the fix
verdict only when the fix (before → after) is the same too. Useful after a rebuild on the same
sample, so only the new and changed findings need reading.

    python3 bench/realnews/carry.py --judged old1.tsv [old2.tsv …] --sheet new.tsv --out new-carried.tsv

Rows that carry a verdict are marked `(carried)` at the end of their reason; check them anyway.
"""

import argparse
import csv
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import die  # noqa: E402

KEY = ("file", "rule", "found", "sentence")


def read(path):
    if not os.path.exists(path):
        die("%s: no such file" % path)
    with open(path, encoding="utf-8") as f:
        lines = f.read().rstrip("\n").split("\n")
    head = lines[0].split("\t")
    missing = [k for k in KEY + ("fix", "verdict", "fix_verdict", "reason") if k not in head]
    if missing:
        die("%s: not a judging sheet (no column %s)" % (path, ", ".join(missing)))
    return head, [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--judged", nargs="+", required=True, help="judged sheets to carry from")
    ap.add_argument("--sheet", required=True, help="new sheet (draw.py output)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    memory = {}
    for path in a.judged:
        for r in read(path)[1]:
            if r["verdict"].strip():
                memory[tuple(r[k] for k in KEY)] = (
                    r["verdict"],
                    r["fix"],
                    r["fix_verdict"],
                    r["reason"].replace(" (carried)", ""),
                )
    head, rows = read(a.sheet)
    carried = 0
    for r in rows:
        hit = memory.get(tuple(r[k] for k in KEY))
        if hit and not r["verdict"].strip():
            r["verdict"], fix, fix_verdict, reason = hit
            if fix == r["fix"] or not r["fix"]:
                r["fix_verdict"] = fix_verdict if r["fix"] else "NONE"
            else:
                r["fix_verdict"] = ""  # the fix changed: judge it again
            r["reason"] = (reason + " (carried)").strip()
            carried += 1
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\t".join(head) + "\n")
        for r in rows:
            f.write("\t".join(r.get(h, "") for h in head) + "\n")
    print("%d of %d rows carried a verdict -> %s" % (carried, len(rows), a.out))


if __name__ == "__main__":
    main()
