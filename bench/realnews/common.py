"""Shared helpers of the real-news harness (standard library only)."""

import fnmatch
import json
import os
import re
import subprocess
import sys

DEFAULT_BIN = os.path.join("target", "release", "copydesk")
SEVERITY_RANK = {"hint": 0, "info": 1, "warning": 2, "error": 3}


def die(msg):
    sys.stderr.write("error: %s\n" % msg)
    sys.exit(2)


def load_json(path, made_by):
    """A JSON file written by another script of the harness, or a clear error."""
    if not os.path.exists(path):
        die("%s: no such file (write it with %s)" % (path, made_by))
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except ValueError as e:
        die("%s: not JSON: %s" % (path, e))


def sample_files(sample_dir):
    """The .txt files of a sample folder, sorted by name."""
    if not os.path.isdir(sample_dir):
        die("%s: not a folder (make one with sample.py)" % sample_dir)
    names = sorted(n for n in os.listdir(sample_dir) if n.endswith(".txt"))
    if not names:
        die("%s: no .txt files" % sample_dir)
    return [os.path.join(sample_dir, n) for n in names]


def words(text):
    """Words are whitespace-separated tokens."""
    return len(text.split())


def config_groups(paths):
    """The files grouped by the config options they are checked with: `--no-config`, or, for
    files whose name matches a glob of COPYDESK_REALNEWS_CONFIG (`GLOB=FILE[,GLOB=FILE…]`),
    `--config FILE`.

    For a corpus whose files have no headline line: `vmds-*=nohead.toml`, where nohead.toml
    holds only `plain-headline = "none"`, so the built-in pack's defaults still hold."""
    spec = os.environ.get("COPYDESK_REALNEWS_CONFIG", "")
    rules = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        glob, sep, path = part.partition("=")
        if not sep or not glob or not path:
            die("COPYDESK_REALNEWS_CONFIG: %r is not GLOB=FILE" % part)
        if not os.path.isfile(path):
            die("COPYDESK_REALNEWS_CONFIG: %s: no such file" % path)
        rules.append((glob, path))
    groups = {}
    for p in paths:
        name = os.path.basename(p)
        cfg = next((c for g, c in rules if fnmatch.fnmatch(name, g)), None)
        groups.setdefault(cfg, []).append(p)
    return [(["--no-config"] if c is None else ["--config", c], ps) for c, ps in groups.items()]


def run_check(binary, paths, extra=()):
    """Runs `copydesk check --no-config --format json` on the files; returns the diagnostics."""
    if not os.path.exists(binary):
        die("%s: no such binary (build it with `cargo build --release` or pass --bin)" % binary)
    out = []
    # A few hundred paths at a time keep the command line short.
    for config, group in config_groups(paths):
        out.extend(_run_json(binary, config, group, extra))
    return out


def _run_json(binary, config, paths, extra):
    out = []
    for i in range(0, len(paths), 200):
        cmd = [binary, "check"] + config + ["--format", "json", "--quiet"] + list(extra) + paths[i : i + 200]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode not in (0, 1):
            die("%s exited with %d: %s" % (" ".join(cmd[:6]), proc.returncode, proc.stderr.decode("utf-8", "replace")))
        try:
            doc = json.loads(proc.stdout.decode("utf-8"))
        except ValueError as e:
            die("copydesk printed no JSON: %s" % e)
        out.extend(doc.get("diagnostics", []))
    return out


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


_SENT_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-ỸĐ0-9])")
# A full stop after a title or an initial (`PGS.`, `TS.`, `TP.`, `Ng.`, `et.`) does not end a sentence.
_NOT_AN_END = re.compile(
    r"(?:^|[\s(])(?:[A-ZĐ]|PGS|GS|TS|ThS|Ths|BS|KS|CN|TP|TX|Th|Ng|St|Mr|Mrs|Dr|et|PGS\.TS|GS\.TS|TS\.BS)\.$"
)


def sentence_around(text, start, end):
    """The whole sentence(s) holding bytes start..end of the text (UTF-8 byte offsets).

    Returns (sentence, offset of the sentence in characters, char start, char end)."""
    data = text.encode("utf-8")
    cs = len(data[:start].decode("utf-8", "replace"))
    ce = len(data[:end].decode("utf-8", "replace"))
    line_start = text.rfind("\n", 0, cs) + 1
    line_end = text.find("\n", max(ce - 1, cs))
    if line_end < 0:
        line_end = len(text)
    if ce > line_end:  # a finding across lines: keep the lines whole
        line_end = text.find("\n", ce)
        line_end = len(text) if line_end < 0 else line_end
    para = text[line_start:line_end]
    s, e = 0, len(para)
    for m in _SENT_END.finditer(para):
        if _NOT_AN_END.search(para[: m.start()]):
            continue
        if m.end() <= cs - line_start:
            s = m.end()
        elif m.start() >= ce - line_start:
            e = m.start()
            break
    return para[s:e], line_start + s, cs, ce


def snippet_words(text, start, end, limit=25):
    """At most `limit` words of the sentence around the finding, centred on it."""
    sent, base, cs, ce = sentence_around(text, start, end)
    toks = [(m.start() + base, m.end() + base) for m in re.finditer(r"\S+", sent)]
    if len(toks) <= limit:
        return sent
    first = next((i for i, (a, b) in enumerate(toks) if b > cs), 0)
    last = next((i for i in range(len(toks) - 1, -1, -1) if toks[i][0] < ce), len(toks) - 1)
    if last - first + 1 > limit:
        return None
    spare = limit - (last - first + 1)
    lo = max(0, first - spare // 2)
    hi = min(len(toks) - 1, lo + limit - 1)
    lo = max(0, hi - limit + 1)
    return text[toks[lo][0] : toks[hi][1]]


def apply_edits(text, edits):
    """Applies byte-offset edits to text; returns the new text."""
    data = text.encode("utf-8")
    for ed in sorted(edits, key=lambda e: e["start"]["offset"], reverse=True):
        a, b = ed["start"]["offset"], ed["end"]["offset"]
        data = data[:a] + ed["replacement"].encode("utf-8") + data[b:]
    return data.decode("utf-8", "replace")


def fix_before_after(text, fix, context=30, near=None):
    """`before → after` of a fix, with a little context around its edits (characters).

    A fix with edits far apart (a group fix: "use X everywhere") shows the edit nearest to the
    byte offset `near` and says how many more there are."""
    edits = fix.get("edits", [])
    if not edits:
        return ""
    span = max(e["end"]["offset"] for e in edits) - min(e["start"]["offset"] for e in edits)
    if len(edits) > 1 and span > 200 and near is not None:
        nearest = min(edits, key=lambda e: abs(e["start"]["offset"] - near))
        one = fix_before_after(text, {"edits": [nearest]}, context)
        return "%s (+%d more edits in the article)" % (one, len(edits) - 1)
    data = text.encode("utf-8")
    a = min(e["start"]["offset"] for e in edits)
    b = max(e["end"]["offset"] for e in edits)
    ca = len(data[:a].decode("utf-8", "replace"))
    cb = len(data[:b].decode("utf-8", "replace"))
    lo = max(0, ca - context)
    hi = min(len(text), cb + context)
    lo_b = len(text[:lo].encode("utf-8"))
    hi_b = len(text[:hi].encode("utf-8"))
    window = data[lo_b:hi_b].decode("utf-8", "replace")
    shifted = []
    for e in edits:
        shifted.append(
            {
                "start": {"offset": e["start"]["offset"] - lo_b},
                "end": {"offset": e["end"]["offset"] - lo_b},
                "replacement": e["replacement"],
            }
        )
    after = apply_edits(window, shifted)
    return "%s → %s" % (window.replace("\n", "⏎"), after.replace("\n", "⏎"))


def flat(s):
    """One-line, tab-free text for a TSV cell."""
    return s.replace("\t", " ").replace("\r", "").replace("\n", " ⏎ ")
