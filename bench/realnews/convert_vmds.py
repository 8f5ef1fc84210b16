#!/usr/bin/env python3
"""Convert lupanh/VietnameseMDS (KTLAB 200 document clusters, baomoi.com 2012-2013)
into OUT/vmds-<docid>.txt, one article per file.

Source: github.com/lupanh/VietnameseMDS, file KTLAB-200document-clusters.zip,
read straight out of the git mirror (no work tree needed).

Per article the source has:
  <docid>.body.txt     raw article body (as shown on baomoi.com), one line
  <docid>.body.tok.txt word-segmented copy            -> NOT used
  <docid>.info.txt     LINK / TITLE / SUMMARY / TIME; TITLE and SUMMARY are
                       word-segmented (underscores, spaces before punctuation),
                       so they are NOT used as text; only LINK and TIME go
                       into metadata lines.
The body text is written unchanged (no normalisation). The source body has no
paragraph breaks; if a body ever contains newlines, each non-empty line is
written as one paragraph line. Only a trailing newline/CR is removed.
Articles under 150 whitespace-separated words and exact duplicate bodies are
dropped.
"""
import argparse
import io
import os
import subprocess
import sys
import zipfile

ZIP_PATH = "KTLAB-200document-clusters.zip"
MIN_WORDS = 150


def main():
    global MIRROR, OUT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", required=True, help="git directory of lupanh/VietnameseMDS (e.g. what `fetch` brought)")
    ap.add_argument("--out", required=True, help="folder to write the articles into")
    a = ap.parse_args()
    MIRROR, OUT = a.mirror, a.out
    commit = subprocess.run(["git", "-C", MIRROR, "rev-parse", "HEAD"],
                            check=True, capture_output=True, text=True).stdout.strip()
    blob = subprocess.run(["git", "-C", MIRROR, "show", f"{commit}:{ZIP_PATH}"],
                          check=True, capture_output=True).stdout
    z = zipfile.ZipFile(io.BytesIO(blob))
    names = set(z.namelist())
    os.makedirs(OUT, exist_ok=True)

    bodies = sorted(n for n in names if n.endswith(".body.txt"))
    seen = {}
    kept = dropped_short = dropped_dup = 0
    total_words = 0
    for n in bodies:
        cluster, fname = n.split("/")[-2], n.split("/")[-1]
        docid = fname[: -len(".body.txt")]
        assert docid.isdigit(), n
        text = z.read(n).decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        text = text.rstrip("\r\n")
        paras = [p for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
        body = "\n".join(paras)
        nwords = len(body.split())
        if nwords < MIN_WORDS:
            dropped_short += 1
            continue
        if body in seen:
            dropped_dup += 1
            print(f"duplicate: {cluster}/{docid} == {seen[body]}", file=sys.stderr)
            continue
        seen[body] = f"{cluster}/{docid}"

        meta = {}
        info_name = n[: -len(".body.txt")] + ".info.txt"
        if info_name in names:
            for line in z.read(info_name).decode("utf-8").splitlines():
                if ":" in line:
                    k, v = line.split(":", 1)
                    meta[k.strip()] = v.strip()
        lines = []
        if meta.get("LINK"):
            lines.append(f"# url = {meta['LINK']}")
        if meta.get("TIME"):
            lines.append(f"# date = {meta['TIME']}")
        lines.append(f"# cluster = {cluster}")
        out_id = f"vmds-{docid}"
        with open(os.path.join(OUT, out_id + ".txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n" + body + "\n")
        kept += 1
        total_words += nwords

    print(f"commit {commit}")
    print(f"bodies {len(bodies)} kept {kept} short {dropped_short} dup {dropped_dup} words {total_words}")


if __name__ == "__main__":
    main()
