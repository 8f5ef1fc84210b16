#!/usr/bin/env python3
"""Convert the *Real* news articles of VFND (github.com/VFND/VFND-vietnamese-fake-news-datasets,
Dataset/Real/Article_Contents/VFND_Ac_Real_<n>.json) into OUT/vfnd-real-<n>.txt.

The JSON files are news-please output (2018-era; field "text", paragraphs separated by "\n").
Only label Real, source "Ac" (news-site articles) is used; Fake / Misleading / social posts are not.
Files that carry the newer news-please field "maintext" instead of "text" (4 files, added
2021) are skipped, because that extractor version glues words around inline tags.

Output: "# url", "# date" (date_publish as given, or omitted), "# site" metadata lines, then
the title, then one paragraph per line (the source's "\n"-separated paragraphs, empty ones
dropped; paragraph text itself unchanged). The description (sapo) is NOT added: it is a
meta-tag copy, sometimes truncated, and usually not part of "text".
Articles under 150 whitespace-separated words (body) and exact duplicate bodies are dropped.
"""
import argparse
import json
import os
import subprocess
import sys

SRC_DIR = "Dataset/Real/Article_Contents"
MIN_WORDS = 150


def git(*args, text=True):
    return subprocess.run(["git", "-C", MIRROR, *args], check=True,
                          capture_output=True, text=text).stdout


def main():
    global MIRROR, OUT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", required=True, help="git directory of VFND/VFND-vietnamese-fake-news-datasets (e.g. what `fetch` brought)")
    ap.add_argument("--out", required=True, help="folder to write the articles into")
    a = ap.parse_args()
    MIRROR, OUT = a.mirror, a.out
    commit = git("rev-parse", "HEAD").strip()
    files = [p for p in git("ls-tree", "--name-only", f"{commit}:{SRC_DIR}").split("\n") if p.endswith(".json")]
    os.makedirs(OUT, exist_ok=True)
    seen = {}
    stats = dict(files=len(files), kept=0, short=0, dup=0, maintext=0, words=0)
    for name in sorted(files):
        assert name.startswith("VFND_Ac_Real_"), name
        num = name[len("VFND_Ac_Real_"):-len(".json")]
        assert num.isdigit(), name
        d = json.loads(git("show", f"{commit}:{SRC_DIR}/{name}", text=False).decode("utf-8"))
        if "text" not in d:
            stats["maintext"] += 1
            continue
        text = d["text"] or ""
        paras = [p for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
        body = "\n".join(paras)
        nwords = len(body.split())
        if nwords < MIN_WORDS:
            stats["short"] += 1
            continue
        if body in seen:
            stats["dup"] += 1
            print(f"duplicate: {name} == {seen[body]}", file=sys.stderr)
            continue
        seen[body] = name
        lines = []
        if d.get("url"):
            lines.append(f"# url = {d['url']}")
        if d.get("date_publish"):
            lines.append(f"# date = {d['date_publish']}")
        if d.get("source_domain"):
            lines.append(f"# site = {d['source_domain']}")
        title = (d.get("title") or "").strip()
        if title:
            lines.append(title)
        lines.append(body)
        with open(os.path.join(OUT, f"vfnd-real-{num}.txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        stats["kept"] += 1
        stats["words"] += nwords
    print("commit", commit)
    print(stats)


if __name__ == "__main__":
    main()
