#!/usr/bin/env python3
"""Draws up to K findings per rule (fixed seed) into a judging sheet (TSV).

Each row: the finding, its whole sentence, a snippet of at most 25 words around it (for
tests/realnews/), the message, the first fix as `before → after` with whether it is safe,
and empty columns to judge: `verdict` (TRUE / FALSE / DEBATABLE / ARTEFACT),
`fix_verdict` (GOOD / HARMFUL / NONE) and `reason`.

    python3 bench/realnews/draw.py --sample SAMPLE_DIR --k 15 --seed 1 --out sheet.tsv \
        [--rates rates.json | --bin target/release/copydesk]
"""

import argparse
import collections
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    DEFAULT_BIN,
    load_json,
    fix_before_after,
    flat,
    read_text,
    run_check,
    sample_files,
    sentence_around,
    snippet_words,
)

COLUMNS = [
    "id",
    "rule",
    "severity",
    "file",
    "line",
    "found",
    "message",
    "fix_safe",
    "fix",
    "sentence",
    "snippet",
    "verdict",
    "fix_verdict",
    "reason",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", required=True, help="folder written by sample.py")
    ap.add_argument("--k", type=int, default=15, help="findings per rule at most (default 15)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="judging sheet to write (TSV)")
    ap.add_argument("--rates", help="rates.json from rates.py (else the check is run here)")
    ap.add_argument("--bin", default=DEFAULT_BIN, help="copydesk binary (default %(default)s)")
    a = ap.parse_args()
    if a.rates:
        diags = load_json(a.rates, "rates.py --json")["diagnostics"]
    else:
        diags = run_check(a.bin, sample_files(a.sample))
    by_rule = collections.defaultdict(list)
    for d in diags:
        by_rule[d["rule"]].append(d)
    rng = random.Random(a.seed)
    texts = {}
    rows = []
    for rule in sorted(by_rule):
        ds = by_rule[rule]
        picked = ds if len(ds) <= a.k else rng.sample(ds, a.k)
        for d in sorted(picked, key=lambda d: (d["file"], d["start"]["offset"])):
            path = os.path.join(a.sample, os.path.basename(d["file"]))
            if path not in texts:
                texts[path] = read_text(path)
            text = texts[path]
            s, e = d["start"]["offset"], d["end"]["offset"]
            sent = sentence_around(text, s, e)[0]
            snip = snippet_words(text, s, e) or ""
            fix = d["fixes"][0] if d.get("fixes") else None
            rows.append(
                {
                    "id": "%d" % (len(rows) + 1),
                    "rule": rule,
                    "severity": d["severity"],
                    "file": os.path.basename(d["file"]),
                    "line": "%d" % d["start"]["line"],
                    "found": flat(d.get("found", "")),
                    "message": flat(d["message"]),
                    "fix_safe": "" if fix is None else ("safe" if fix.get("safe") else "unsafe"),
                    "fix": "" if fix is None else flat(fix_before_after(text, fix, near=s)),
                    "sentence": flat(sent),
                    "snippet": flat(snip),
                    "verdict": "",
                    "fix_verdict": "" if fix else "NONE",
                    "reason": "",
                }
            )
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in COLUMNS) + "\n")
    print("%d findings of %d rules -> %s" % (len(rows), len(by_rule), a.out))


if __name__ == "__main__":
    main()
