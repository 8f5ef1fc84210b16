#!/usr/bin/env python3
"""Runs `copydesk check --no-config --diff` on M articles and lists every change for judging.

Each row of the sheet is one changed span of a line (what `--fix` would do without asking),
with a few words of context, the rule(s) whose safe fix makes it, and an empty `verdict`
column: GOOD (the text is right after it), HARMFUL (correct text made wrong, or a name, a
quotation or a meaning changed), NEUTRAL (neither better nor worse), ARTEFACT (a scraping
artefact of the corpus, such as a first line that is not the headline).

    python3 bench/realnews/diff.py --sample SAMPLE_DIR [--m 50 --seed 1] --out diff.tsv [--bin ...]
"""

import argparse
import difflib
import os
import random
import re
import subprocess
import sys
import unicodedata

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_BIN, config_groups, die, flat, run_check, sample_files  # noqa: E402

COLUMNS = ["id", "file", "line", "rules", "before", "after", "context", "verdict", "reason"]
CONTEXT_WORDS = 6


def parse_diff(text):
    """{file path: [(old line number, old text, new text)]} from a unified diff of same-length hunks."""
    out = {}
    cur = None
    old_no = 0
    minus, plus = [], []

    def flush():
        for (n, a), b in zip(minus, plus):
            out.setdefault(cur, []).append((n, a, b))
        minus.clear()
        plus.clear()

    for line in text.split("\n"):
        if line.startswith("--- "):
            flush()
            continue
        if line.startswith("+++ "):
            cur = line[4:].split("\t")[0]
            cur = cur[2:] if cur.startswith("b/") else cur
            continue
        m = re.match(r"@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@", line)
        if m:
            flush()
            old_no = int(m.group(1))
            continue
        if line.startswith("-"):
            minus.append((old_no, line[1:]))
            old_no += 1
        elif line.startswith("+"):
            plus.append(line[1:])
        elif line.startswith(" "):
            flush()
            old_no += 1
    flush()
    return out


# A word (combining marks kept in it), a run of white space, or one mark: a fix that adds a
# space after a mark (`trước.Hệ` → `trước. Hệ`) is one insertion, not a shifted line.
TOKEN = re.compile(r"[\w\u0300-\u036f]+|\s+|[^\w\s]")


def match_key(token):
    """A token as the alignment sees it: composed, no-break spaces as spaces, so that a line
    whose every word a fix composes (NFD to NFC) still lines up word by word."""
    return unicodedata.normalize("NFC", token).replace("\u00a0", " ").replace("\u202f", " ")


def changes(a, b):
    """Changed spans between two versions of a line: (char start in a, char end in a, before, after, context).

    The tokens are aligned by `match_key`; within a matched block, each token the fix changed
    (a composed letter, a no-break space) is a span of its own. Neither a space a fix adds
    nor a line of decomposed words throws the rows out of line (both did: rounds 88 and 89):

    >>> [c[2:4] for c in changes("xe phía trước.Hệ thống", "xe phía trước. Hệ thống")]
    [('', ' ')]
    >>> [(len(c[2]), c[3]) for c in changes("to\u0300a a\u0301n tuye\u0302n a\u0301n", "tòa án tuyên án")]
    [(4, 'tòa'), (3, 'án'), (6, 'tuyên'), (3, 'án')]
    >>> [(len(c[2]), c[3]) for c in changes("to\u0300a a\u0301n,Hệ", "tòa án, Hệ")]
    [(4, 'tòa'), (3, 'án'), (0, ' ')]
    """
    ta = TOKEN.findall(a)
    tb = TOKEN.findall(b)
    sm = difflib.SequenceMatcher(None, [match_key(t) for t in ta], [match_key(t) for t in tb], autojunk=False)
    pos = [0]
    for t in ta:
        pos.append(pos[-1] + len(t))
    spans = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            spans.append((i1, i2, j1, j2))
            continue
        for k in range(i2 - i1):
            if ta[i1 + k] != tb[j1 + k]:
                spans.append((i1 + k, i1 + k + 1, j1 + k, j1 + k + 1))
    res = []
    for i1, i2, j1, j2 in spans:
        lo = max(0, i1 - 2 * CONTEXT_WORDS)
        hi = min(len(ta), i2 + 2 * CONTEXT_WORDS)
        before = "".join(ta[i1:i2])
        after = "".join(tb[j1:j2])
        ctx = "".join(ta[lo:i1]) + "[" + before + " → " + after + "]" + "".join(ta[i2:hi])
        res.append((pos[i1], pos[i2], before, after, ctx))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", required=True, help="folder written by sample.py")
    ap.add_argument("--m", type=int, default=50, help="articles to run (default 50; all when fewer)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="sheet to write (TSV)")
    ap.add_argument("--bin", default=DEFAULT_BIN, help="copydesk binary (default %(default)s)")
    a = ap.parse_args()
    paths = sample_files(a.sample)
    if len(paths) > a.m:
        paths = sorted(random.Random(a.seed).sample(paths, a.m))
    if not os.path.exists(a.bin):
        die("%s: no such binary" % a.bin)
    diff = {}
    for config, group in config_groups(paths):
        proc = subprocess.run(
            [a.bin, "check"] + config + ["--diff", "--quiet", "--color", "never"] + group,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        if proc.returncode not in (0, 1):
            die("copydesk check --diff exited with %d: %s" % (proc.returncode, proc.stderr.decode("utf-8", "replace")))
        diff.update(parse_diff(proc.stdout.decode("utf-8")))
    diags = run_check(a.bin, paths)
    by_file = {}
    for d in diags:
        by_file.setdefault(os.path.basename(d["file"]), []).append(d)
    rows = []
    for path in sorted(diff):
        name = os.path.basename(path)
        real = os.path.join(a.sample, name)
        data = open(real, "rb").read()
        starts = [0] + [m.end() for m in re.finditer(b"\n", data)]
        for n, old, new in diff[path]:
            for cs, ce, before, after, ctx in changes(old, new):
                bs = starts[n - 1] + len(old[:cs].encode("utf-8"))
                be = starts[n - 1] + len(old[:ce].encode("utf-8"))
                rules = sorted(
                    {
                        d["rule"].split("/", 1)[-1]
                        for d in by_file.get(name, [])
                        for f in d.get("fixes", [])
                        if f.get("safe")
                        for e in f["edits"]
                        if e["start"]["offset"] <= be and e["end"]["offset"] >= bs
                    }
                )
                rows.append(
                    {
                        "id": str(len(rows) + 1),
                        "file": name,
                        "line": str(n),
                        "rules": ",".join(rules),
                        "before": flat(before),
                        "after": flat(after),
                        "context": flat(ctx),
                        "verdict": "",
                        "reason": "",
                    }
                )
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in COLUMNS) + "\n")
    print("%d articles, %d changed spans in %d files -> %s" % (len(paths), len(rows), len(diff), a.out))


if __name__ == "__main__":
    main()
