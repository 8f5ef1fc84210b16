#!/usr/bin/env python3
"""Findings per 10,000 words, per rule and per severity, on a sample folder.

Runs `copydesk check --no-config --format json` (built-in pack, default profile) on every
.txt file of the folder. Words are whitespace-separated tokens.

    python3 bench/realnews/rates.py --sample SAMPLE_DIR [--bin target/release/copydesk] [--json rates.json]

`--json` also writes the figures (and every diagnostic) for draw.py and report.py.
"""

import argparse
import collections
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_BIN, SEVERITY_RANK, read_text, run_check, sample_files, words  # noqa: E402


def per10k(n, w):
    return 10000.0 * n / w if w else 0.0


def compute(binary, sample):
    paths = sample_files(sample)
    total_words = sum(words(read_text(p)) for p in paths)
    diags = run_check(binary, paths)
    by_rule = collections.Counter(d["rule"] for d in diags)
    sev_of = {}
    for d in diags:
        sev_of[d["rule"]] = d["severity"]  # a rule's severity; the last one seen wins when it varies
    by_sev = collections.Counter(d["severity"] for d in diags)
    warn = sum(1 for d in diags if SEVERITY_RANK.get(d["severity"], 0) >= SEVERITY_RANK["warning"])
    safe = sum(1 for d in diags if any(f.get("safe") for f in d.get("fixes", [])))
    return {
        "sample": os.path.abspath(sample),
        "articles": len(paths),
        "words": total_words,
        "findings": len(diags),
        "warning_and_above": warn,
        "with_safe_fix": safe,
        "rules": {
            r: {
                "findings": n,
                "per10k": per10k(n, total_words),
                "severity": sev_of[r],
                "warning_and_above": sum(
                    1 for d in diags if d["rule"] == r and SEVERITY_RANK.get(d["severity"], 0) >= 2
                ),
                "safe_fixes": sum(1 for d in diags if d["rule"] == r and any(f.get("safe") for f in d.get("fixes", []))),
            }
            for r, n in by_rule.items()
        },
        "severities": {s: {"findings": n, "per10k": per10k(n, total_words)} for s, n in by_sev.items()},
        "diagnostics": diags,
    }


def print_table(r, out=sys.stdout):
    w = r["words"]
    out.write("%d articles, %d words, %d findings\n\n" % (r["articles"], w, r["findings"]))
    out.write("%-45s %-8s %8s %9s %6s\n" % ("rule", "severity", "findings", "per 10k", "safe"))
    for rule, v in sorted(r["rules"].items(), key=lambda kv: -kv[1]["findings"]):
        out.write("%-45s %-8s %8d %9.2f %6d\n" % (rule, v["severity"], v["findings"], v["per10k"], v["safe_fixes"]))
    out.write("\n%-45s %8s %9s\n" % ("severity", "findings", "per 10k"))
    for s in sorted(r["severities"], key=lambda s: -SEVERITY_RANK.get(s, 0)):
        v = r["severities"][s]
        out.write("%-45s %8d %9.2f\n" % (s, v["findings"], v["per10k"]))
    out.write("%-45s %8d %9.2f\n" % ("warning and above", r["warning_and_above"], per10k(r["warning_and_above"], w)))
    out.write("%-45s %8d %9.2f\n" % ("all", r["findings"], per10k(r["findings"], w)))
    out.write("%-45s %8d %9.2f\n" % ("with a safe fix", r["with_safe_fix"], per10k(r["with_safe_fix"], w)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", required=True, help="folder written by sample.py")
    ap.add_argument("--bin", default=DEFAULT_BIN, help="copydesk binary (default %(default)s)")
    ap.add_argument("--json", help="also write the figures and diagnostics here")
    a = ap.parse_args()
    r = compute(a.bin, a.sample)
    print_table(r)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(r, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
