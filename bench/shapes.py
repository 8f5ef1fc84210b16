#!/usr/bin/env python3
"""Pathological input shapes: time and peak memory per MB must stay flat with size.

    bench/shapes.py [--bin target/release/copydesk] [--sizes 10k,100k,1m,10m]
                    [--shapes long_line,...] [--timeout 120] [--corpus DIR]

Each shape is generated (fixed content, no randomness) at each size in a temporary
directory, checked once with `copydesk check --no-config --format FORMAT`, standard
output to /dev/null, under `/usr/bin/time -f "%e %U %S %M"` (wall seconds, user and
system CPU seconds, maximum resident set in KB). Time is judged in CPU seconds (user +
system), which other sessions sharing the machine disturb far less than wall time;
wall time is printed too. The cost of the input is the figure minus the same figure
for a one-sentence file (start-up, the compiled default pack, and the automata and
regexes built on first use); a cost below the noise level (0.05 s, 4 MB) is not
judged, so that tiny inputs do not divide noise by almost nothing. A shape
passes when no run timed out and, among the judged sizes, the largest cost per MB is
at most twice the smallest (time and memory separately). See
bench/README.md for what each shape is and why it is there.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

SENTENCE = "Chiều 12/03, Thủ tướng Phạm Minh Chính chủ trì cuộc họp về phòng chống dịch Covid-19 tại Hà Nội. "
NOISE_S = 0.05
NOISE_MB = 4.0


def repeat_to(unit, size):
    n = max(1, size // len(unit.encode()))
    return unit * n


def shape_long_line(size, d):
    path = os.path.join(d, "line.md")
    open(path, "w").write(repeat_to(SENTENCE, size))
    return [path], "json"


def shape_long_line_human(size, d):
    path = os.path.join(d, "line.md")
    open(path, "w").write(repeat_to(SENTENCE, size))
    return [path], "human"


def shape_long_line_txt(size, d):
    # Plain text: the first line is read as the headline.
    path = os.path.join(d, "line.txt")
    open(path, "w").write(repeat_to(SENTENCE, size))
    return [path], "json"


def shape_long_word(size, d):
    path = os.path.join(d, "word.md")
    open(path, "w").write(repeat_to("hoà", size) + "\n")
    return [path], "json"


def shape_punct_runs(size, d):
    path = os.path.join(d, "punct.md")
    open(path, "w").write(repeat_to("... … ", size) + "\n")
    return [path], "json"


def shape_dense_findings(size, d):
    # `và và và …`: a doubled function word (a likely slip) every four bytes.
    path = os.path.join(d, "dense.md")
    open(path, "w").write(repeat_to("và ", size) + "\n")
    return [path], "json"


def shape_deep_nesting(size, d):
    # Block quotes nested as deep as the line allows, line after line.
    line = "> " * 200 + SENTENCE + "\n\n"
    path = os.path.join(d, "deep.md")
    open(path, "w").write(repeat_to(line, size))
    return [path], "json"


def shape_deep_lists(size, d):
    # One list nested deeper at every line (indentation grows with the file).
    lines = []
    total = 0
    depth = 0
    while total < size:
        line = "  " * depth + "- " + SENTENCE + "\n"
        lines.append(line)
        total += len(line.encode())
        depth = (depth + 1) % 100
    path = os.path.join(d, "lists.md")
    open(path, "w").write("".join(lines))
    return [path], "json"


def shape_configs(size, d):
    # One folder with an empty `.copydesk.toml` and a 1 KB article per KB of input.
    n = max(1, size // 1000)
    body = repeat_to(SENTENCE, 1000)
    for i in range(n):
        sub = os.path.join(d, "c%05d" % i)
        os.mkdir(sub)
        open(os.path.join(sub, ".copydesk.toml"), "w").write("")
        open(os.path.join(sub, "a.md"), "w").write(body)
    return [d], "json"


SHAPES = {
    "long_line": shape_long_line,
    "long_line_human": shape_long_line_human,
    "long_line_txt": shape_long_line_txt,
    "long_word": shape_long_word,
    "punct_runs": shape_punct_runs,
    "dense_findings": shape_dense_findings,
    "deep_nesting": shape_deep_nesting,
    "deep_lists": shape_deep_lists,
    "configs": shape_configs,
}


def parse_size(s):
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1000 * 1000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def measure(binary, paths, fmt, timeout, config):
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", binary, "check"]
    if not config:
        cmd.append("--no-config")
    cmd += ["--format", fmt, "--"] + paths
    try:
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    last = p.stderr.decode(errors="replace").strip().splitlines()[-1]
    wall, user, system, kb = last.split()
    if p.returncode not in (0, 1):
        print("  exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-300:]), file=sys.stderr)
    return float(user) + float(system), int(kb) / 1024.0, float(wall)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/copydesk")
    ap.add_argument("--sizes", default="10k,100k,1m,10m")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    tmp = tempfile.mkdtemp(prefix="copydesk-shapes-")
    try:
        one = os.path.join(tmp, "sentence.md")
        open(one, "w").write(SENTENCE + "\n")
        base = measure(args.bin, [one], "json", args.timeout, False)
        print("baseline (one sentence): %.3f s CPU, %.1f MB, %.3f s wall" % base)
        print("load average: %.2f %.2f %.2f" % os.getloadavg())
        verdicts = []
        for name in args.shapes.split(","):
            rows = []
            for size in sizes:
                d = os.path.join(tmp, "%s-%d" % (name, size))
                os.mkdir(d)
                paths, fmt = SHAPES[name](size, d)
                real = sum(os.path.getsize(os.path.join(r, f)) for p in paths
                           for r, _, fs in (os.walk(p) if os.path.isdir(p) else [(os.path.dirname(p), None, [os.path.basename(p)])])
                           for f in fs)
                m = measure(args.bin, paths, fmt, args.timeout, name == "configs")
                shutil.rmtree(d)
                mb = real / 1e6
                if m is None:
                    print("%-16s %9d B  timeout after %.0f s" % (name, real, args.timeout))
                    rows.append(None)
                    continue
                # Costs within the noise of start-up are not judged (None).
                t = (m[0] - base[0]) / mb if m[0] - base[0] > NOISE_S else None
                mem = (m[1] - base[1]) / mb if m[1] - base[1] > NOISE_MB else None
                show = lambda v, f: (f % v) if v is not None else "   noise"
                print("%-16s %9d B  %7.2f s CPU %7.2f s wall %7.1f MB   %s s/MB %s MB/MB"
                      % (name, real, m[0], m[2], m[1], show(t, "%8.3f"), show(mem, "%8.1f")))
                rows.append((t, mem))
                sys.stdout.flush()
            ok = None not in rows
            for k in (0, 1):
                judged = [r[k] for r in rows if r is not None and r[k] is not None]
                if ok and judged:
                    ok = max(judged) <= 2 * min(judged)
            verdicts.append((name, ok))
        print()
        for name, ok in verdicts:
            print("%-16s %s" % (name, "PASS" if ok else "FAIL"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
