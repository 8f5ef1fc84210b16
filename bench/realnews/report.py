#!/usr/bin/env python3
"""Precision figures from a judged sheet (draw.py, verdicts filled in) and the rates (rates.py --json).

Per rule: findings per 10,000 words, TRUE / FALSE / DEBATABLE / ARTEFACT counts in the draw,
judged precision, estimated false findings per 10,000 words (rate x false share of the judged,
artefacts left out), harmful fixes (safe and unsafe apart). Overall: estimated false findings
per 10,000 words at warning level and above, and in all. With --diff, the judged hunks of
diff.py as well.

    python3 bench/realnews/report.py --sheet judged.tsv --rates rates.json [--diff diff-judged.tsv] [--markdown]

Precision is TRUE / (TRUE + FALSE + DEBATABLE): a debatable finding (a house choice the article
applies consistently) should not be reported in the default, consistency-first profile.
"""

import argparse
import collections
import csv
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SEVERITY_RANK, die, load_json  # noqa: E402

VERDICTS = ("TRUE", "FALSE", "DEBATABLE", "ARTEFACT")
FIX_VERDICTS = ("GOOD", "HARMFUL", "NONE")


def read_sheet(path):
    if not os.path.exists(path):
        die("%s: no such file" % path)
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for n, r in enumerate(rows, start=2):
        v = (r.get("verdict") or "").strip().upper()
        fv = (r.get("fix_verdict") or "").strip().upper()
        if v not in VERDICTS:
            die("%s:%d: verdict %r is not one of %s" % (path, n, v, "/".join(VERDICTS)))
        if fv not in FIX_VERDICTS:
            die("%s:%d: fix_verdict %r is not one of %s" % (path, n, fv, "/".join(FIX_VERDICTS)))
        r["verdict"], r["fix_verdict"] = v, fv
    return rows


def compute(rows, rates):
    words = rates["words"]
    by_rule = collections.defaultdict(list)
    for r in rows:
        by_rule[r["rule"]].append(r)
    out = []
    for rule in sorted(set(rates["rules"]) | set(by_rule)):
        rr = rates["rules"].get(rule, {"findings": 0, "per10k": 0.0, "severity": "?"})
        judged = by_rule.get(rule, [])
        c = collections.Counter(r["verdict"] for r in judged)
        real = c["TRUE"] + c["FALSE"] + c["DEBATABLE"]
        n = len(judged)
        artefact_share = c["ARTEFACT"] / n if n else 0.0
        rate = rr["per10k"] * (1 - artefact_share)
        out.append(
            {
                "rule": rule,
                "severity": rr["severity"],
                "findings": rr["findings"],
                "per10k": rr["per10k"],
                "per10k_real": rate,
                "judged": n,
                "TRUE": c["TRUE"],
                "FALSE": c["FALSE"],
                "DEBATABLE": c["DEBATABLE"],
                "ARTEFACT": c["ARTEFACT"],
                "precision": c["TRUE"] / real if real else None,
                "false10k": rate * c["FALSE"] / real if real else 0.0,
                "debatable10k": rate * c["DEBATABLE"] / real if real else 0.0,
                "safe_harmful": sum(
                    1 for r in judged if r["fix_safe"] == "safe" and r["fix_verdict"] == "HARMFUL" and r["verdict"] != "ARTEFACT"
                ),
                "unsafe_harmful": sum(
                    1
                    for r in judged
                    if r["fix_safe"] == "unsafe" and r["fix_verdict"] == "HARMFUL" and r["verdict"] != "ARTEFACT"
                ),
                "safe_judged": sum(1 for r in judged if r["fix_safe"] == "safe" and r["verdict"] != "ARTEFACT"),
            }
        )
    warn = [x for x in out if SEVERITY_RANK.get(x["severity"], 0) >= SEVERITY_RANK["warning"]]
    total = {
        "articles": rates["articles"],
        "words": words,
        "findings": rates["findings"],
        "judged": len(rows),
        "false10k_all": sum(x["false10k"] for x in out),
        "false10k_warning": sum(x["false10k"] for x in warn),
        "debatable10k_all": sum(x["debatable10k"] for x in out),
        "debatable10k_warning": sum(x["debatable10k"] for x in warn),
        "per10k_all": rates["findings"] * 10000.0 / words,
        "per10k_warning": rates["warning_and_above"] * 10000.0 / words,
        "safe_judged": sum(x["safe_judged"] for x in out),
        "safe_harmful": sum(x["safe_harmful"] for x in out),
        "unsafe_harmful": sum(x["unsafe_harmful"] for x in out),
        "rules_under_90": [x["rule"] for x in out if x["precision"] is not None and x["precision"] < 0.9],
    }
    return out, total


def pct(p):
    return "–" if p is None else "%.0f %%" % (100 * p)


def print_report(out, total, diff_rows, md):
    w = sys.stdout.write
    if md:
        w("| rule | severity | per 10k | judged | TRUE | FALSE | DEBATABLE | ARTEFACT | precision | false/10k | harmful fixes (safe/unsafe) |\n")
        w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
        for x in sorted(out, key=lambda x: -x["per10k"]):
            w(
                "| `%s` | %s | %.2f | %d | %d | %d | %d | %d | %s | %.2f | %d / %d |\n"
                % (
                    x["rule"].split("/", 1)[-1],
                    x["severity"],
                    x["per10k"],
                    x["judged"],
                    x["TRUE"],
                    x["FALSE"],
                    x["DEBATABLE"],
                    x["ARTEFACT"],
                    pct(x["precision"]),
                    x["false10k"],
                    x["safe_harmful"],
                    x["unsafe_harmful"],
                )
            )
    else:
        w("%-36s %-7s %8s %6s %5s %5s %5s %5s %6s %9s %5s\n" % ("rule", "sev", "per10k", "judged", "TRUE", "FALSE", "DEBAT", "ARTEF", "prec", "false10k", "harm"))
        for x in sorted(out, key=lambda x: -x["per10k"]):
            w(
                "%-36s %-7s %8.2f %6d %5d %5d %5d %5d %6s %9.2f %2d/%-2d\n"
                % (
                    x["rule"].split("/", 1)[-1][:36],
                    x["severity"][:7],
                    x["per10k"],
                    x["judged"],
                    x["TRUE"],
                    x["FALSE"],
                    x["DEBATABLE"],
                    x["ARTEFACT"],
                    pct(x["precision"]),
                    x["false10k"],
                    x["safe_harmful"],
                    x["unsafe_harmful"],
                )
            )
    w("\n")
    w("articles %d, words %d, findings %d (%.1f per 10k; %.1f at warning and above), judged %d\n"
      % (total["articles"], total["words"], total["findings"], total["per10k_all"], total["per10k_warning"], total["judged"]))
    w("estimated false findings per 10k words: %.2f at warning and above, %.2f in all\n" % (total["false10k_warning"], total["false10k_all"]))
    w("estimated debatable findings per 10k words: %.2f at warning and above, %.2f in all\n" % (total["debatable10k_warning"], total["debatable10k_all"]))
    w("safe fixes judged: %d, HARMFUL: %d (unsafe fixes HARMFUL: %d)\n" % (total["safe_judged"], total["safe_harmful"], total["unsafe_harmful"]))
    w("rules under 90 %% precision: %s\n" % (", ".join(r.split("/", 1)[-1] for r in total["rules_under_90"]) or "none"))
    if diff_rows is not None:
        c = collections.Counter(r["verdict"] for r in diff_rows)
        w("check --diff: %d hunks judged: %s\n" % (len(diff_rows), ", ".join("%s %d" % kv for kv in sorted(c.items()))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sheet", required=True, help="judged sheet (draw.py output with verdicts)")
    ap.add_argument("--rates", required=True, help="rates.json written by rates.py --json")
    ap.add_argument("--diff", help="judged hunk sheet written by diff.py")
    ap.add_argument("--markdown", action="store_true", help="print the per-rule table as Markdown")
    ap.add_argument("--json", help="also write the figures here")
    a = ap.parse_args()
    rates = load_json(a.rates, "rates.py --json")
    rows = read_sheet(a.sheet)
    diff_rows = None
    if a.diff:
        if not os.path.exists(a.diff):
            die("%s: no such file" % a.diff)
        with open(a.diff, encoding="utf-8") as f:
            diff_rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        for n, r in enumerate(diff_rows, start=2):
            r["verdict"] = (r.get("verdict") or "").strip().upper()
            if r["verdict"] not in ("GOOD", "HARMFUL", "ARTEFACT", "NEUTRAL"):
                die("%s:%d: verdict %r is not one of GOOD/HARMFUL/NEUTRAL/ARTEFACT" % (a.diff, n, r["verdict"]))
    out, total = compute(rows, rates)
    print_report(out, total, diff_rows, a.markdown)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"rules": out, "total": total}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
