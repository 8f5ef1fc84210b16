#!/usr/bin/env python3
"""Pathological input shapes: time and peak memory per MB must stay flat with size.

    bench/shapes.py [--bin target/release/copydesk] [--sizes 10k,100k,1m,3m,10m]
                    [--shapes long_line,...] [--timeout 1200] [--min-bytes 10m] [--runs 3]

Each shape is generated (fixed content, no randomness) at each size in a temporary
directory and checked with `copydesk check --no-config -j 1 --format FORMAT`, standard
output to /dev/null (to a file for the one-copy run: its size per MB of input is
`out MB/MB`), under `/usr/bin/time -f "%e %U %S %M"` (wall seconds, user and
system CPU seconds, maximum resident set in KB).

What is judged is the cost of the check alone, in CPU seconds (user + system, which
other sessions on a shared machine disturb far less than wall time) and peak RSS:

- Start-up is measured apart and subtracted. Every run pays the same fixed cost
  (process start, compiling the default pack) and, per shape, whatever is built on
  first use (automata, regexes, tables a shape's text reaches). So each shape is also
  checked at one unit (the shape's repeating piece, under 1 KB), and that run is the
  shape's start-up: cost = run - start-up run (each the fastest of --runs runs).
- `/usr/bin/time` counts CPU time in steps of 10 ms, more than a 10 KB check takes. For
  time, a size under --min-bytes is checked as enough copies of the same file in one
  run (one thread) to make --min-bytes, and the cost is divided by the bytes of all
  copies. Memory is always measured on one copy.
- A cost under the resolution (0.02 s CPU, 2 MB RSS) is shown as `<` the resolution
  divided by the size and is not judged.

A shape passes when no run timed out and its cost per MB does not grow with size by
more than twice (time and memory separately): for every judged size and every larger
judged size, the larger one's cost per MB is at most twice the smaller one's.

- Only growth is judged. A cost per MB that *falls* as the size grows is a fixed cost
  per file amortized over more bytes, not a superlinear cost: `punct_runs`,
  `dense_findings` and `dense_a` reach the report's caps (1,000 findings a rule a file;
  a group fix of at most 10,000 edits) in 10 KB, so a 10 KB file writes nearly the same
  report as a 100 KB one (`out MB/MB`, the JSON output per MB of input, shows it), and
  ten times as many 10 KB copies write ten times the output. The verdict line prints
  that fall too.
- Memory is judged only where the run's peak is at least MEM_FLOOR (20 MB) over the
  shape's start-up. Below that, peak RSS understates the growth: the first check of any
  text (one paragraph) adds about 11 MB to the peak over an empty file, part of which a
  larger run reuses. Measured on `deep_nesting` at 1 MB with valgrind's massif, the heap
  grows by 19.6 MB while the peak RSS grows by 9.6 MB; from 1 MB to 3 MB to 10 MB the
  peak RSS then grows by 20.4 MB per MB both times.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

SENTENCE = "Chiều 12/03, Thủ tướng Phạm Minh Chính chủ trì cuộc họp về phòng chống dịch Covid-19 tại Hà Nội. "
RES_S = 0.02
RES_MB = 2.0
# Memory is judged only from this much over the shape's start-up (see above).
MEM_FLOOR = 20.0


def repeat_to(unit, size):
    n = max(1, size // len(unit.encode()))
    return unit * n


def one_file(name, unit, fmt, tail=""):
    def make(size, d):
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(repeat_to(unit, size) + tail)
        return [path], fmt

    return make


def shape_deep_lists(size, d):
    # One list nested deeper at every line (indentation grows, then starts over).
    lines = []
    total = 0
    depth = 0
    while total < size:
        line = "  " * depth + "- " + SENTENCE + "\n"
        lines.append(line)
        total += len(line.encode())
        depth = (depth + 1) % 100
    path = os.path.join(d, "lists.md")
    with open(path, "w") as f:
        f.write("".join(lines))
    return [path], "json"


def shape_configs(size, d):
    # One folder with an empty `.copydesk.toml` and a 1 KB article per KB of input.
    n = max(1, size // 1000)
    body = repeat_to(SENTENCE, 1000)
    for i in range(n):
        sub = os.path.join(d, "c%05d" % i)
        os.mkdir(sub)
        open(os.path.join(sub, ".copydesk.toml"), "w").close()
        with open(os.path.join(sub, "a.md"), "w") as f:
            f.write(body)
    return [d], "json"


SHAPES = {
    # One Markdown line of news sentences (one block).
    "long_line": one_file("line.md", SENTENCE, "json"),
    # The same with the human output (snippets of a long line).
    "long_line_human": one_file("line.md", SENTENCE, "human"),
    # The same as `.txt`: the whole line is the headline.
    "long_line_txt": one_file("line.txt", SENTENCE, "json"),
    # One word `hoàhoà…` (tone placement, spelling).
    "long_word": one_file("word.md", "hoà", "json", "\n"),
    # `... … ` repeated (sentence ends, a consistency group of ellipses).
    "punct_runs": one_file("punct.md", "... … ", "json", "\n"),
    # Quotations of both levels on one line (the nesting check's crosshead test).
    "quote_line": one_file("quotes.md", "Ông nói “đi” rồi ‘về’ nhà. ", "json"),
    # `và và và …`: a doubled word every four bytes.
    "dense_findings": one_file("dense.md", "và ", "json", "\n"),
    # `a a a …`: a finding every two bytes.
    "dense_a": one_file("dense.md", "a ", "json", "\n"),
    # Block quotes nested 200 deep on every paragraph.
    "deep_nesting": one_file("deep.md", "> " * 200 + SENTENCE + "\n\n", "json"),
    "deep_lists": shape_deep_lists,
    # One folder per KB, each with an empty `.copydesk.toml` (10,000 at 10 MB).
    "configs": shape_configs,
}


def parse_size(s):
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1000 * 1000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def tree_bytes(paths):
    total = 0
    for p in paths:
        if os.path.isdir(p):
            for r, _, fs in os.walk(p):
                total += sum(os.path.getsize(os.path.join(r, f)) for f in fs)
        else:
            total += os.path.getsize(p)
    return total


def measure(binary, paths, fmt, timeout, config, out=None):
    """(CPU seconds, peak MB, wall seconds) of one run, or None on a timeout; standard
    output goes to the file `out` when given."""
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", binary, "check", "-j", "1"]
    if not config:
        cmd.append("--no-config")
    cmd += ["--format", fmt, "--"] + paths
    try:
        if out is None:
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
        else:
            with open(out, "wb") as f:
                p = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    err = p.stderr.decode(errors="replace")
    last = err.strip().splitlines()[-1]
    if p.returncode not in (0, 1):
        print("  exit %d: %s" % (p.returncode, err[-300:]), file=sys.stderr)
    wall, user, system, kb = last.split()
    return float(user) + float(system), int(kb) / 1024.0, float(wall)


def best(binary, paths, fmt, timeout, config, runs, out=None):
    """The fastest and smallest of `runs` runs (load only ever adds)."""
    ms = [measure(binary, paths, fmt, timeout, config, out) for _ in range(runs)]
    if None in ms:
        return None
    return min(m[0] for m in ms), min(m[1] for m in ms), min(m[2] for m in ms)


def copies_of(paths, k, d):
    """`k` copies of one generated file, in folder `d`."""
    (src,) = paths
    out = [src]
    base, ext = os.path.splitext(os.path.basename(src))
    for i in range(1, k):
        dst = os.path.join(d, "%s-%04d%s" % (base, i, ext))
        os.link(src, dst)
        out.append(dst)
    return out


def per_mb(cost, res, mb):
    """Cost per MB, or None when the cost is under the resolution."""
    return cost / mb if cost > res else None


def show(v, res, mb, f):
    return (f % v) if v is not None else ("<" + f % (res / mb)).rjust(len(f % 0.0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/copydesk")
    ap.add_argument("--sizes", default="10k,100k,1m,3m,10m")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--timeout", type=float, default=1200)
    ap.add_argument("--min-bytes", default="10m")
    ap.add_argument("--runs", type=int, default=3, help="runs of each start-up and small size (fastest kept)")
    args = ap.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    min_bytes = parse_size(args.min_bytes)
    tmp = tempfile.mkdtemp(prefix="copydesk-shapes-")
    try:
        one = os.path.join(tmp, "sentence.md")
        with open(one, "w") as f:
            f.write(SENTENCE + "\n")
        base = best(args.bin, [one], "json", args.timeout, False, args.runs)
        print("cores: %d; load average at start: %.2f %.2f %.2f" % ((os.cpu_count(),) + os.getloadavg()))
        print("start-up (one sentence, fastest of %d): %.3f s CPU, %.1f MB, %.3f s wall" % ((args.runs,) + base))
        print("costs below are per MB of input, start-up of the shape (its one-unit file) subtracted;")
        print("time from --min-bytes %d of copies of the file in one run, memory from one copy" % min_bytes)
        print()
        print("%-16s %10s %6s %8s %8s %9s %9s %11s %10s" % (
            "shape", "bytes", "copies", "CPU s", "wall s", "peak MB", "1-copy s", "CPU s/MB", "MB/MB"))
        verdicts = []
        for name in args.shapes.split(","):
            make = SHAPES[name]
            config = name == "configs"
            d0 = os.path.join(tmp, "%s-unit" % name)
            os.mkdir(d0)
            paths0, fmt0 = make(1, d0)
            start = best(args.bin, paths0, fmt0, args.timeout, config, args.runs)
            unit = tree_bytes(paths0)
            shutil.rmtree(d0)
            print("%-16s %10d %6s %8.2f %8.2f %9.1f %9s %11s %10s   (start-up of the shape)" % (
                name, unit, 1, start[0], start[2], start[1], "", "", ""))
            rows = []
            for size in sizes:
                d = os.path.join(tmp, "%s-%d" % (name, size))
                os.mkdir(d)
                paths, fmt = make(size, d)
                real = tree_bytes(paths)
                mb = real / 1e6
                # Copies to make --min-bytes (a 10 MB shape of 9,999,990 bytes is one copy).
                k = max(1, round(min_bytes / real)) if not config else 1
                runs = args.runs if k > 1 else 1
                out = os.path.join(tmp, "out")
                one_copy = best(args.bin, paths, fmt, args.timeout, config, runs, out)
                out_mb = os.path.getsize(out) / 1e6 if os.path.exists(out) else 0.0
                timed = one_copy
                if one_copy is not None and k > 1:
                    timed = best(args.bin, copies_of(paths, k, d), fmt, args.timeout, config, runs)
                shutil.rmtree(d)
                if one_copy is None or timed is None:
                    print("%-16s %10d  timeout after %.0f s" % (name, real, args.timeout))
                    rows.append(None)
                    continue
                t = per_mb(timed[0] - start[0], RES_S, mb * k)
                grown = one_copy[1] - start[1]
                mem = per_mb(grown, RES_MB, mb)
                mem_shown = show(mem, RES_MB, mb, "%.1f")
                if mem is not None and grown < MEM_FLOOR:
                    mem_shown = "(%s)" % mem_shown.strip()
                    mem = None
                line = "%-16s %10d %6d %8.2f %8.2f %9.1f %9.2f %11s %10s %10.1f" % (
                    name, real, k, timed[0], timed[2], one_copy[1], one_copy[0],
                    show(t, RES_S, mb * k, "%.3f"), mem_shown.rjust(10), out_mb / mb)
                if config:
                    n = max(1, size // 1000)
                    line += "   %d configs: %.2f ms, %.3f MB per config" % (
                        n, 1000 * (one_copy[0] - start[0]) / n, (one_copy[1] - start[1]) / n)
                print(line)
                rows.append((t, mem))
                sys.stdout.flush()
            ok = None not in rows
            growth = []
            fall = []
            for i in (0, 1):
                judged = [r[i] for r in rows if r is not None and r[i] is not None]
                pairs = [(judged[a], judged[b]) for a in range(len(judged)) for b in range(a + 1, len(judged))]
                g = max([big / small for small, big in pairs] + [1.0])
                growth.append(g)
                fall.append(max([small / big for small, big in pairs] + [1.0]))
                ok = ok and g <= 2.0
            verdicts.append((name, ok, growth, fall))
        print()
        print("load average at end: %.2f %.2f %.2f" % os.getloadavg())
        print("(memory in parentheses: under %.0f MB over the shape's start-up, not judged)" % MEM_FLOOR)
        for name, ok, (gt, gm), (ft, fm) in verdicts:
            print("%-16s %s   growth of time/MB %.2fx, of memory/MB %.2fx   (largest fall %.2fx, %.2fx)" % (
                name, "PASS" if ok else "FAIL", gt, gm, ft, fm))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
