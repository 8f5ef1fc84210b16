#!/usr/bin/env python3
"""Real-size articles from the development corpus, for the CLI scale benchmark.

    bench/articles.py CORPUS_DIR OUT_DIR [--count 30000] [--seed 12] [--ext txt]
    bench/articles.py CORPUS_DIR OUT_FILE --one-file [--count 5000]

CORPUS_DIR (or $COPYDESK_CORPUS) holds the corpus articles (`*.txt`: three metadata
lines, the headline, one paragraph a line). Each article written is one corpus article
picked with a fixed seed, its metadata dropped and its body paragraphs in a shuffled
order, so that no two files are the same text and the run is the same on every machine.
Files go into 100 subfolders of OUT_DIR. With --one-file, COUNT articles are written
one after the other into one file (the headline and paragraphs on their own lines, as
in the corpus), which checks the costs that grow with the document.

Write OUT_DIR outside the repository: the corpus is never committed.
"""

import argparse
import glob
import os
import random
import sys


def load(corpus):
    articles = []
    for path in sorted(glob.glob(os.path.join(corpus, "*.txt"))):
        lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
        body = [l for l in lines if l.strip() and not l.startswith("# ")]
        if len(body) >= 2:
            articles.append(body)
    return articles


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=os.environ.get("COPYDESK_CORPUS"))
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--ext", default="txt")
    ap.add_argument("--one-file", action="store_true")
    args = ap.parse_args()
    if not args.corpus:
        sys.exit("articles.py: give the corpus folder (or set COPYDESK_CORPUS)")
    articles = load(args.corpus)
    if not articles:
        sys.exit("articles.py: no articles in %s" % args.corpus)
    rng = random.Random(args.seed)

    def article():
        a = rng.choice(articles)
        body = a[1:]
        rng.shuffle(body)
        return "\n".join([a[0]] + body) + "\n"

    total = 0
    if args.one_file:
        with open(args.out, "w", encoding="utf-8") as f:
            for _ in range(args.count):
                t = article()
                total += len(t.encode())
                f.write(t)
    else:
        for i in range(args.count):
            d = os.path.join(args.out, "%02d" % (i % 100))
            os.makedirs(d, exist_ok=True)
            t = article()
            total += len(t.encode())
            with open(os.path.join(d, "a%06d.%s" % (i, args.ext)), "w", encoding="utf-8") as f:
                f.write(t)
    print("%d articles, %.1f MB" % (args.count, total / 1e6))


if __name__ == "__main__":
    main()
