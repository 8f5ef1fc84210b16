#!/usr/bin/env python3
"""Samples N articles of the corpus with a fixed seed and writes them as plain text.

Each corpus file starts with metadata lines (`# doc_id = …`, `# url = …`, `# date = …`);
they are dropped, so the headline is the first line of the written file.

    python3 bench/realnews/sample.py --corpus DIR --n 300 --seed 1 --out SAMPLE_DIR [--exclude OLD_SAMPLE …]

`--exclude` leaves out the articles of earlier samples, so a fresh sample shares nothing with
the ones already judged (and shown to whoever fixed the rules).
"""

import argparse
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import die  # noqa: E402


def strip_metadata(text):
    lines = text.split("\n")
    i = 0
    while i < len(lines) and i < 3 and lines[i].startswith("# ") and " = " in lines[i]:
        i += 1
    return "\n".join(lines[i:]).lstrip("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.environ.get("COPYDESK_CORPUS"), help="corpus folder (or COPYDESK_CORPUS)")
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="output folder (created; must be empty)")
    ap.add_argument(
        "--exclude",
        nargs="+",
        action="extend",
        default=[],
        help="earlier sample folders whose articles to leave out (repeat the flag or list several)",
    )
    a = ap.parse_args()
    if not a.corpus:
        die("give --corpus DIR or set COPYDESK_CORPUS")
    if not os.path.isdir(a.corpus):
        die("%s: not a folder" % a.corpus)
    names = sorted(n for n in os.listdir(a.corpus) if n.endswith(".txt"))
    for old in a.exclude:
        if not os.path.isdir(old):
            die("%s: not a folder" % old)
        seen = set(os.listdir(old))
        names = [n for n in names if n not in seen]
    if a.n < 1 or a.n > len(names):
        die("--n must be between 1 and %d (the articles left to sample)" % len(names))
    os.makedirs(a.out, exist_ok=True)
    if any(n.endswith(".txt") for n in os.listdir(a.out)):
        die("%s already holds .txt files; use an empty folder" % a.out)
    chosen = sorted(random.Random(a.seed).sample(names, a.n))
    total = 0
    for n in chosen:
        with open(os.path.join(a.corpus, n), encoding="utf-8") as f:
            text = strip_metadata(f.read())
        total += len(text.split())
        with open(os.path.join(a.out, n), "w", encoding="utf-8") as f:
            f.write(text)
    print("%d articles, %d words -> %s" % (len(chosen), total, a.out))


if __name__ == "__main__":
    main()
