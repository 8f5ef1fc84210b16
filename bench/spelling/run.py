#!/usr/bin/env python3
"""Spelling accuracy of copydesk's `syllable` rules, side by side with Hunspell vi_VN.

Plants one typing slip per 200 words, with a fixed seed, into held-out articles of the
development corpus (files at odd positions in name order: the spelling tables are
built from the even ones), checks the planted copies with copydesk and Hunspell, and
reports recall (the slip is flagged) and first-suggestion accuracy (the intended word is
the first suggestion), separately for impossible syllables and for real-word slips. On
the unplanted articles it reports spelling findings per 10,000 words and writes them to
a file for judging.

    python3 bench/spelling/run.py CORPUS_DIR [--articles 200] [--seed 11] [--bin target/release/copydesk]

`--tune 600` plants into 600 other held-out articles instead: thresholds (the real-word
rule's `min-score`) are chosen there and only reported on the default set.

CORPUS_DIR may also come from COPYDESK_CORPUS. Hunspell and hunspell-vi are installed
with apt-get when missing (Debian).
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

SPELLING_RULES = ("vi-news/spelling.syllable", "vi-news/spelling.missing-space", "vi-news/spelling.real-word")
TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
SHAPES = {"\u0306", "\u0302", "\u031b"}
VOWELS = "aeiouy"
WORD = re.compile(r"\w+", re.UNICODE)
TELEX_TONE = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
VNI_TONE = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
MODELS = ["tone-drop", "tone-change", "tone-move", "diacritic-drop", "diacritic-add", "swap", "double", "drop", "telex", "vni"]


def nfc(s):
    return unicodedata.normalize("NFC", s)


def letters(word):
    """[base, shape, tone] per letter, lower case."""
    out = []
    for c in unicodedata.normalize("NFD", word.lower()):
        if c in SHAPES and out:
            out[-1][1] = c
        elif c in TONES and out:
            out[-1][2] = c
        elif c == "\u0111" or ("a" <= c <= "z"):
            out.append([c, "", ""])
        else:
            return None
    return out


def join(ls):
    return nfc("".join(b + s + t for b, s, t in ls))


def recase(orig, new):
    if orig[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def plant(word, model, rng):
    """The word with one slip of `model`, or None when the model does not apply."""
    ls = letters(word)
    if not ls or len(ls) < 2:
        return None
    toned = [i for i, l in enumerate(ls) if l[2]]
    vowels = [i for i, l in enumerate(ls) if l[0] in VOWELS]
    if model == "tone-drop":
        if not toned:
            return None
        ls[toned[0]][2] = ""
    elif model == "tone-change":
        if not toned:
            return None
        t = ls[toned[0]][2]
        ls[toned[0]][2] = rng.choice([x for x in TONES if x != t])
    elif model == "tone-move":
        if not toned or len(vowels) < 2 or re.search("oa|oe|uy", word.lower()):
            return None
        i = toned[0]
        j = rng.choice([v for v in vowels if v != i])
        ls[j][2], ls[i][2] = ls[i][2], ""
    elif model == "diacritic-drop":
        opts = [i for i, l in enumerate(ls) if l[1] or l[0] == "\u0111"]
        if not opts:
            return None
        i = rng.choice(opts)
        if ls[i][0] == "\u0111":
            ls[i][0] = "d"
        else:
            ls[i][1] = ""
    elif model == "diacritic-add":
        opts = [i for i, l in enumerate(ls) if (l[0] in "aeou" and not l[1]) or l[0] == "d"]
        if not opts:
            return None
        i = rng.choice(opts)
        b = ls[i][0]
        if b == "d":
            ls[i][0] = "\u0111"
        else:
            ls[i][1] = rng.choice({"a": ["\u0306", "\u0302"], "e": ["\u0302"], "o": ["\u0302", "\u031b"], "u": ["\u031b"]}[b])
    elif model == "swap":
        opts = [i for i in range(len(ls) - 1) if ls[i] != ls[i + 1]]
        if not opts:
            return None
        i = rng.choice(opts)
        ls[i], ls[i + 1] = ls[i + 1], ls[i]
    elif model == "double":
        i = rng.randrange(len(ls))
        ls.insert(i, list(ls[i]))
        ls[i][2] = ""
    elif model == "drop":
        i = rng.randrange(len(ls))
        del ls[i]
    elif model in ("telex", "vni"):
        keys = ""
        tone = ""
        for b, s, t in ls:
            tone = tone or t
            if model == "telex":
                keys += {"\u0111": "dd"}.get(b, b) + {"\u0306": "w", "\u0302": b, "\u031b": "w"}.get(s, "")
            else:
                keys += {"\u0111": "d9"}.get(b, b) + {"\u0306": "8", "\u0302": "6", "\u031b": "7"}.get(s, "")
        if keys == word.lower() and not tone:
            return None
        keys += (TELEX_TONE if model == "telex" else VNI_TONE).get(tone, "")
        return recase(word, keys)
    out = join(ls)
    if out == nfc(word.lower()):
        return None
    return recase(word, out)


def load_attested(path):
    seen = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and "\t" in line:
                seen.add(line.split("\t")[0])
    return seen


def article_text(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
    lines = [l for l in lines if l.strip()]
    return lines[0] + "\n\n" + "\n\n".join(lines[1:]) + "\n" if lines else ""


CONFIG = None


def run_copydesk(binary, files):
    conf = ["--config", CONFIG] if CONFIG else ["--no-config"]
    res = subprocess.run([binary, "check", *conf, "--format", "json", *files], capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(f"copydesk failed: {res.stderr}")
    found = {}
    for d in json.loads(res.stdout)["diagnostics"]:
        if d["rule"] in SPELLING_RULES:
            first = d["fixes"][0]["edits"][0]["replacement"] if d["fixes"] else None
            found.setdefault(d["file"], []).append((d["start"]["offset"], d["end"]["offset"], d["rule"], first, d["message"]))
    return found


def ensure_hunspell():
    if shutil.which("hunspell") and os.path.exists("/usr/share/hunspell/vi_VN.dic"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "hunspell", "hunspell-vi"], check=False)
    return bool(shutil.which("hunspell")) and os.path.exists("/usr/share/hunspell/vi_VN.dic")


HUNSPELL_CACHE = None


def run_hunspell(text):
    """{byte offset of a flagged word: (word, first suggestion or None)}, cached by the
    text's hash when --hunspell-cache is given (Hunspell's suggestions are slow)."""
    path = None
    if HUNSPELL_CACHE:
        path = os.path.join(HUNSPELL_CACHE, hashlib.sha256(text.encode("utf-8")).hexdigest() + ".json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return {int(k): tuple(v) for k, v in json.load(f).items()}
    out = hunspell_uncached(text)
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False)
    return out


def hunspell_uncached(text):
    lines = text.split("\n")
    inp = "".join("^" + l + "\n" for l in lines)
    res = subprocess.run(["hunspell", "-d", "vi_VN", "-a", "-i", "utf-8"], input=inp, capture_output=True, text=True)
    out = {}
    line_starts = []
    pos = 0
    for l in lines:
        line_starts.append(pos)
        pos += len(l.encode("utf-8")) + 1
    li = 0
    for row in res.stdout.split("\n")[1:]:
        if row == "":
            li += 1
            continue
        if row[0] in "&#" and li < len(lines):
            parts = row.split(":", 1)
            head = parts[0].split()
            word = head[1]
            char_off = int(head[-1]) - 1  # after the ^
            line = lines[li]
            byte_off = line_starts[li] + len(line[:char_off].encode("utf-8"))
            sugg = parts[1].split(",")[0].strip() if row[0] == "&" and len(parts) > 1 else None
            out[byte_off] = (word, sugg)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=os.environ.get("COPYDESK_CORPUS"))
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--bin", default="target/release/copydesk")
    ap.add_argument("--attested", default="data/syllables/attested.tsv")
    ap.add_argument("--findings", default=None, help="write unplanted findings (JSON lines) here")
    ap.add_argument("--config", default=None, help="a .copydesk.toml to check with (default: none, the built-in pack)")
    ap.add_argument("--misses", default=None, help="write the planted slips copydesk missed (JSON lines) here")
    ap.add_argument("--planted-findings", default=None,
                    help="write every spelling finding on the planted copies (JSON lines) here: for diffing two builds")
    ap.add_argument("--tune", type=int, default=0, metavar="N",
                    help="plant into N other held-out articles (seed + 1), not the reported ones: for choosing thresholds")
    ap.add_argument("--all-files", action="store_true",
                    help="every article of CORPUS_DIR is held out (a corpus the tables were not built from, such as"
                    " a baomoi sample), not only the odd half")
    ap.add_argument("--no-hunspell", action="store_true", help="copydesk only (Hunspell's figures do not change with copydesk)")
    ap.add_argument("--hunspell-cache", default=None, help="folder caching Hunspell's answers per text")
    args = ap.parse_args()
    global HUNSPELL_CACHE, CONFIG
    CONFIG = args.config and os.path.abspath(args.config)
    if args.hunspell_cache:
        os.makedirs(args.hunspell_cache, exist_ok=True)
        HUNSPELL_CACHE = args.hunspell_cache
    if not args.corpus:
        sys.exit("give the corpus directory (or set COPYDESK_CORPUS)")
    held_out = slice(None) if args.all_files else slice(1, None, 2)
    files = sorted(f for f in os.listdir(args.corpus) if f.endswith(".txt"))[held_out]
    rng = random.Random(args.seed)
    files = sorted(rng.sample(files, min(args.articles, len(files))))
    if args.tune:
        # Thresholds are chosen on these, so the reported articles stay unseen by the choice.
        reported = set(files)
        rest = [f for f in sorted(f for f in os.listdir(args.corpus) if f.endswith(".txt"))[held_out] if f not in reported]
        rng = random.Random(args.seed + 1)
        files = sorted(rng.sample(rest, min(args.tune, len(rest))))
    attested = load_attested(args.attested)
    have_hunspell = not args.no_hunspell and ensure_hunspell()
    if not have_hunspell and not args.no_hunspell and os.environ.get("CI") == "true":
        sys.exit("hunspell with vi_VN is required in CI")
    tmp = tempfile.mkdtemp(prefix="copydesk-spelling-")
    plain_paths, planted_paths, plants = [], [], {}
    words_total = 0
    for name in files:
        text = article_text(os.path.join(args.corpus, name))
        p = os.path.join(tmp, "clean-" + name)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        plain_paths.append(p)
        words_total += len(text.split())
        # Plant: one slip per 200 words, in a lower-case Vietnamese word of the body.
        toks = [m for m in WORD.finditer(text) if m.start() > text.find("\n")]
        out, last, planted = [], 0, []
        n_slips = max(1, len(text.split()) // 200)
        cands = [m for m in toks if m.group().islower() and letters(m.group()) and nfc(m.group().lower()) in attested and len(m.group()) > 1]
        picks = sorted(rng.sample(range(len(cands)), min(n_slips, len(cands))))
        for k in picks:
            m = cands[k]
            for _ in range(10):
                model = rng.choice(MODELS)
                new = plant(m.group(), model, rng)
                if new:
                    break
            else:
                continue
            out.append(text[last:m.start()])
            start = len("".join(out).encode("utf-8"))
            out.append(new)
            last = m.end()
            kind = "real-word" if nfc(new.lower()) in attested else "impossible"
            planted.append((start, m.group(), new, model, kind))
        out.append(text[last:])
        pp = os.path.join(tmp, "planted-" + name)
        with open(pp, "w", encoding="utf-8") as f:
            f.write("".join(out))
        planted_paths.append(pp)
        plants[pp] = planted

    found_planted = run_copydesk(args.bin, planted_paths)
    stats = {}
    misses = []
    for pp in planted_paths:
        ours = {s: (r, first) for s, e, r, first, _ in found_planted.get(pp, [])}
        hun = run_hunspell(open(pp, encoding="utf-8").read()) if have_hunspell else {}
        for start, orig, new, model, kind in plants[pp]:
            st = stats.setdefault(kind, {"n": 0, "ours": 0, "ours_first": 0, "hun": 0, "hun_first": 0, "by_model": {}})
            st["n"] += 1
            bm = st["by_model"].setdefault(model, [0, 0])
            bm[0] += 1
            if start in ours:
                st["ours"] += 1
                bm[1] += 1
                if ours[start][1] == orig:
                    st["ours_first"] += 1
            if start not in ours or ours[start][1] != orig:
                b = open(pp, encoding="utf-8").read().encode("utf-8")
                ctx = b[max(0, start - 40):start + 40].decode("utf-8", "ignore").replace("\n", " ")
                misses.append({"kind": kind, "model": model, "orig": orig, "new": new, "flagged": start in ours,
                               "first": ours[start][1] if start in ours else None, "context": ctx})
            if start in hun:
                st["hun"] += 1
                if hun[start][1] == orig:
                    st["hun_first"] += 1

    found_clean = run_copydesk(args.bin, plain_paths)
    per_rule = {}
    findings = []
    for p in plain_paths:
        text = open(p, encoding="utf-8").read()
        b = text.encode("utf-8")
        for s, e, r, first, msg in found_clean.get(p, []):
            per_rule[r] = per_rule.get(r, 0) + 1
            line_start = b.rfind(b"\n", 0, s) + 1
            line_end = b.find(b"\n", e)
            findings.append({"file": os.path.basename(p)[6:], "rule": r, "found": b[s:e].decode(), "fix": first,
                             "message": msg, "context": b[line_start:line_end if line_end >= 0 else len(b)].decode()})
    hun_clean = sum(len(run_hunspell(open(p, encoding="utf-8").read())) for p in plain_paths) if have_hunspell else None

    pct = lambda a, n: f"{100 * a / n:.1f} %" if n else "n/a"
    print(f"{len(files)} held-out articles, {words_total} words, seed {args.seed}")
    print()
    print("| planted slips | n | copydesk recall | copydesk first suggestion | Hunspell recall | Hunspell first suggestion |")
    print("|---|---|---|---|---|---|")
    for kind in ("impossible", "real-word"):
        st = stats.get(kind, {"n": 0, "ours": 0, "ours_first": 0, "hun": 0, "hun_first": 0})
        hr = pct(st["hun"], st["n"]) if have_hunspell else "n/a"
        hf = pct(st["hun_first"], st["n"]) if have_hunspell else "n/a"
        print(f"| {kind} | {st['n']} | {pct(st['ours'], st['n'])} | {pct(st['ours_first'], st['n'])} | {hr} | {hf} |")
    print()
    print("Recall by slip model (copydesk):")
    for kind in ("impossible", "real-word"):
        for model, (n, hit) in sorted(stats.get(kind, {}).get("by_model", {}).items()):
            print(f"  {kind:10} {model:15} {hit}/{n}")
    print()
    print("Unplanted articles, findings per 10,000 words:")
    for r in SPELLING_RULES:
        print(f"  {r}: {per_rule.get(r, 0)} ({10000 * per_rule.get(r, 0) / words_total:.2f})")
    if hun_clean is not None:
        print(f"  hunspell vi_VN: {hun_clean} ({10000 * hun_clean / words_total:.1f})")
    if args.misses:
        with open(args.misses, "w", encoding="utf-8") as f:
            for x in misses:
                f.write(json.dumps(x, ensure_ascii=False) + "\n")
    if args.planted_findings:
        with open(args.planted_findings, "w", encoding="utf-8") as f:
            for pp in planted_paths:
                for s, e, r, first, msg in found_planted.get(pp, []):
                    f.write(json.dumps({"file": os.path.basename(pp)[8:], "start": s, "end": e, "rule": r, "fix": first,
                                        "message": msg}, ensure_ascii=False) + "\n")
    if args.findings:
        with open(args.findings, "w", encoding="utf-8") as f:
            for x in findings:
                f.write(json.dumps(x, ensure_ascii=False) + "\n")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
