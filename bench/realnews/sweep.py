#!/usr/bin/env python3
"""How a rule's judged findings fare when one of its options takes other values.

Each `--judged SHEET:SAMPLE` pair is a sheet judged by hand (draw.py, verdicts filled in) and
the sample folder it was drawn from. For each value, the script writes a config that sets the
option on the rule (on top of `--base`, a config the sample needs, such as `plain-headline =
"none"`), checks the sheet's articles again and counts which of the rule's judged TRUE and
FALSE/DEBATABLE findings are still reported (same file, line and found text).

    python3 bench/realnews/sweep.py --rule spelling.real-word --option min-score \\
        --values 12.5 14 16 18 --judged round91/judged.tsv:round91/s121 … [--base nohead.toml] [--bin …]

It measures a threshold on findings already judged; a value chosen this way is then checked
on a fresh sample (a new round), since it was fitted to these.
"""

import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import die  # noqa: E402


def judged_rows(sheet, rule):
    if not os.path.exists(sheet):
        die("%s: no such file" % sheet)
    with open(sheet, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        r
        for r in rows
        if r["rule"].split("/")[-1] == rule and r["verdict"].strip().upper() in ("TRUE", "FALSE", "DEBATABLE")
    ]


def reported(binary, config, sample, files, rule):
    out = subprocess.run(
        [binary, "check", "--config", config, "--format", "json", *files],
        capture_output=True,
        text=True,
        cwd=sample,
    )
    if out.returncode not in (0, 1):
        die("copydesk exited %d: %s" % (out.returncode, out.stderr.strip()))
    found = collections.Counter()
    for d in json.loads(out.stdout)["diagnostics"]:
        if d["rule"].split("/")[-1] == rule:
            found[(os.path.basename(d["file"]), d["start"]["line"], d["found"])] += 1
    return found


def toml_value(v):
    try:
        float(v)
        return v
    except ValueError:
        return json.dumps(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rule", required=True, help="rule id without the pack (`spelling.real-word`)")
    ap.add_argument("--option", required=True, help="the option to vary (`min-score`)")
    ap.add_argument("--values", nargs="+", required=True)
    ap.add_argument("--judged", nargs="+", required=True, metavar="SHEET:SAMPLE")
    ap.add_argument("--base", help="a config whose settings every run keeps (no [rules] table)")
    ap.add_argument("--bin", default="target/release/copydesk")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    base = ""
    if a.base:
        with open(a.base, encoding="utf-8") as f:
            base = f.read()
        if "[rules]" in base:
            die("%s: --base must not hold a [rules] table (the script writes one)" % a.base)
    pairs = []
    for p in a.judged:
        sheet, sep, sample = p.partition(":")
        if not sep or not os.path.isdir(sample):
            die("%s: expected SHEET:SAMPLE with SAMPLE a folder" % p)
        pairs.append((sheet, os.path.abspath(sample), judged_rows(sheet, a.rule)))
    with tempfile.TemporaryDirectory() as tmp:
        print("%-10s %12s %12s %8s" % (a.option, "TRUE kept", "FALSE kept", "prec"))
        for value in a.values:
            config = os.path.join(tmp, "sweep.toml")
            with open(config, "w", encoding="utf-8") as f:
                f.write(base + '\n[rules]\n"%s" = { %s = %s }\n' % (a.rule, a.option, toml_value(value)))
            kept = collections.Counter()
            total = collections.Counter()
            for _, sample, rows in pairs:
                if not rows:
                    continue
                found = reported(binary, config, sample, sorted({r["file"] for r in rows}), a.rule)
                for r in rows:
                    v = "TRUE" if r["verdict"].strip().upper() == "TRUE" else "FALSE"
                    total[v] += 1
                    kept[v] += found[(r["file"], int(r["line"]), r["found"])] > 0
            t, f_ = kept["TRUE"], kept["FALSE"]
            print(
                "%-10s %5d of %-4d %5d of %-4d %7.1f%%"
                % (value, t, total["TRUE"], f_, total["FALSE"], 100.0 * t / max(1, t + f_))
            )


if __name__ == "__main__":
    main()
