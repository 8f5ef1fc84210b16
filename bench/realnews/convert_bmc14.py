#!/usr/bin/env python3
"""Convert the baomoi.com article JSONs committed in daibangsamac/BaomoiCrawler
into OUT/bmc14-NNNN.txt (one article per file).

  python3 convert_bmc14.py --mirror MIRROR --out OUT

Source: a Java student crawler of baomoi.com whose sample output was committed
(first commit 7b371bec, 4 Apr 2014: tintuc/**/N.json; later commits 2025 keep
copies under .old/tintuc/ and bin/.old/tintuc/, and are deleted at HEAD).
Every JSON blob under a path containing "tintuc/" in ANY commit is read
(git rev-list --all), and records are de-duplicated by URL.  All records are
baomoi.com pages of 1-4 April 2014 (aggregated copies of ~100 outlets).

Record fields (key case varies between versions): url, time, title, category,
description, content (HTML of the article body), key(words), trends.
Some 2014 files have trailing commas (fixed before json.loads) and 7 have
unescaped double quotes inside a value; for those the fields are taken line
by line (each field sits on one line: `"key": "value",`).

Output per file:
  # url = <url>
  # date = <time as given, dd/mm/yyyy hh:mm>
  # site = baomoi.com
  <title>
  <one paragraph per line>
The description (sapo) is NOT written: it is a baomoi meta copy, often
truncated mid-character (U+FFFD), and is not part of "content".
HTML -> text: block tags (p, div, br, tr, td, table, h1-6, li, ul, ol,
blockquote) end a paragraph; other tags are removed with no space (inline);
entities are unescaped (html.unescape); inside a paragraph runs of whitespace
(incl. NBSP, which HTML shows as a space) are collapsed to one space, as a
browser renders them, and each paragraph is stripped; a paragraph made only
of zero-width characters (U+200B/C/D, U+FEFF) counts as empty and is left
out (zero-width characters inside text are kept).  Table cells (a few exam
timetables) come out one cell per line.  No other change
(no NFC, no punctuation change).  Photo captions that the page shows as their
own block stay as their own line; the closing byline line stays.

Drop rules, first match counts:
  dup_url   same URL as an already read record (identical content except 1)
  short     < 150 whitespace-split words in the body paragraphs
  remnant   U+FFFD, leftover tag / entity, or page chrome
            (a line starting "Xem thêm", "Tin liên quan", "Đọc thêm", "Clip:",
            "Video:", or a line that is only "Bình luận", "Chia sẻ", "Like",
            "Tweet", "Share", "(Các|Những) tin (bài) liên quan|khác|cùng
            chuyên mục"; case-insensitive)
  glue      crawler-glue signs in title or body (rules a-e of convert_edu.py:
            case change / two syllables inside one non-ASCII letter run,
            ASCII camel-case with a Vietnamese part, punctuation glued to a
            following letter)
  dup       exact duplicate body of an already kept article
  near_dup  >= 80% of the 8-word shingles of the smaller body shared with an
            already kept article (same story from two outlets, differing
            only in a source line)
Then, if more than 600 remain, a random.Random(73) sample of 600 is kept.
Kept articles are numbered 0001.. in order of baomoi article id (URL tail).
"""
import argparse
import html
import json
import os
import random
import re
import subprocess
from collections import Counter

from crawl_glue import glue_hits, shingles, vgroups

MIN_WORDS = 150
MIRROR = None
KEEP_GLUE = False

# rule c/d false positives seen in this source: ordinary loan spellings and
# brand / personal names, not glue
BRAND_OK = {'DiCaprio', 'LaFerrari', 'VietNamNet', 'McDonald', 'YouTube', 'iPhone', 'iPad', 'PlayStation', 'LaLa'}
FOREIGN_OK = {'ôtô', 'Ôtô', 'môtô', 'Môtô', 'café', 'Café', 'sơmi', 'ôxit', 'lôgic', 'Arập', 'Guamúchil', 'êkíp', 'Đắkdrinh', 'Mátxcơva'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);')
CHROME = re.compile(r'^(?:(?:Xem thêm|Tin liên quan|Đọc thêm|Clip:|Video:).*|(?:Bình luận|Chia sẻ|Like|Tweet|Share|(?:Các |Những )?tin (?:bài )?(?:liên quan|khác|cùng chuyên mục))\W*)$', re.I)
BLOCK = re.compile(r'(?i)<\s*/?\s*(p|div|br|tr|td|th|table|tbody|h[1-6]|li|ul|ol|blockquote)\b[^>]*>')


NEAR = 0.8


def git(*args):
    return subprocess.run(['git', '-C', MIRROR] + list(args), check=True,
                          capture_output=True).stdout


def remnant_reason(title, ps):
    m = REMNANT.search(title + '\n' + '\n'.join(ps))
    if m:
        return m.group(0)
    for p in ps:
        if CHROME.match(p):
            return p[:40]
    return None


def parse_record(raw):
    fixed = re.sub(r',(\s*[\]}])', r'\1', raw)
    try:
        d = json.loads(fixed)
        return {k.lower(): v for k, v in d.items()}, 'json'
    except json.JSONDecodeError:
        pass
    d = {}
    for line in raw.split('\n'):
        m = re.match(r'\s*"(url|time|title|category|description|content)"\s*:\s*"(.*)",?\s*$', line, re.I)
        if m:
            v = m.group(2)
            # undo JSON string escapes that the crawler did write (\" \\ \/ \n \t \uXXXX)
            v = re.sub(r'\\u([0-9a-fA-F]{4})', lambda x: chr(int(x.group(1), 16)), v)
            v = v.replace('\\"', '"').replace('\\/', '/').replace('\\n', '\n').replace('\\t', '\t').replace('\\\\', '\\')
            d[m.group(1).lower()] = v
    return d, 'lines'


def paragraphs(h):
    h = re.sub(r'(?is)<(script|style)\b.*?</\1\s*>', '', h)
    h = re.sub(r'(?s)<!--.*?-->', '', h)
    h = BLOCK.sub('\n', h)
    t = re.sub(r'<[^>]*>', '', h)
    t = html.unescape(t)
    out = []
    for line in t.split('\n'):
        line = re.sub(r'[ \t\r\f\v\u00a0]+', ' ', line).strip()
        if line.strip(' \u200b\u200c\u200d\ufeff'):   # a paragraph of only zero-width chars is empty
            out.append(line)
    return out


def art_id(url):
    m = re.search(r'/(\d+)\.epi$', url)
    return int(m.group(1)) if m else 0


def main():
    global MIRROR, KEEP_GLUE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of daibangsamac/BaomoiCrawler')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--keep-published-glue', action='store_true',
                    help='keep articles whose only fault is glue; in this source every glue case checked '
                         'is present verbatim in the stored HTML, i.e. as baomoi published it')
    a = ap.parse_args()
    MIRROR, KEEP_GLUE = a.mirror, a.keep_published_glue
    stats = Counter()
    blobs = {}
    commits = git('rev-list', '--all').decode().split()
    for c in commits:
        for line in git('ls-tree', '-r', c).decode().splitlines():
            meta, path = line.split('\t', 1)
            if path.endswith('.json') and 'tintuc/' in path:
                blobs.setdefault(meta.split()[2], path)
    stats['json_blobs'] = len(blobs)
    recs = {}
    for sha in sorted(blobs):
        d, how = parse_record(git('cat-file', '-p', sha).decode('utf-8'))
        stats['parsed_' + how] += 1
        if not d.get('url') or 'content' not in d:
            stats['unparsable'] += 1
            continue
        if d['url'] in recs:
            stats['dup_url'] += 1
            continue
        recs[d['url']] = d
    stats['distinct_urls'] = len(recs)

    arts = []
    for url in sorted(recs, key=art_id):
        d = recs[url]
        title = re.sub(r'\s+', ' ', html.unescape(d.get('title') or '')).strip()
        arts.append((url, d, title, paragraphs(d['content'])))
    # ASCII-spelled Vietnamese words standing alone >= 5 times (glue rule d)
    cnt = Counter()
    for _, _, _, ps in arts:
        for p in ps:
            for t in p.split():
                if re.fullmatch(r'[a-z]+', t) and vgroups(t) == 1:
                    cnt[t] += 1
    viet_ascii = {w for w, c in cnt.items() if c >= 5}

    kept, seen, kept_sh = [], set(), []
    glue_examples = []
    remnant_examples = []
    for url, d, title, ps in arts:
        body = '\n'.join(ps)
        nw = len(body.split())
        if nw < MIN_WORDS:
            stats['short'] += 1
            continue
        r = remnant_reason(title, ps)
        if r:
            stats['remnant'] += 1
            remnant_examples.append((url, r))
            continue
        h = glue_hits(title + '\n' + body, viet_ascii, FOREIGN_OK, BRAND_OK)
        if h and not KEEP_GLUE:
            stats['glue'] += 1
            glue_examples.append((url, h[:3]))
            continue
        if body in seen:
            stats['dup'] += 1
            continue
        sh = shingles(body)
        if any(len(sh & k) >= NEAR * min(len(sh), len(k)) for k in kept_sh):
            stats['near_dup'] += 1
            continue
        seen.add(body)
        kept_sh.append(sh)
        kept.append((url, d, title, ps, nw))
    stats['eligible'] = len(kept)
    if len(kept) > 600:
        kept = sorted(random.Random(73).sample(kept, 600), key=lambda k: art_id(k[0]))
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith('bmc14-') and f.endswith('.txt'):
            os.remove(os.path.join(a.out, f))
    for i, (url, d, title, ps, nw) in enumerate(kept, 1):
        lines = ['# url = ' + url]
        if d.get('time'):
            lines.append('# date = ' + d['time'].strip())
        lines.append('# site = baomoi.com')
        if title:
            lines.append(title)
        lines += ps
        with open(os.path.join(a.out, 'bmc14-%04d.txt' % i), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write('\n'.join(lines) + '\n')
    stats['kept'] = len(kept)
    stats['words_body'] = sum(k[4] for k in kept)
    print('commits read:', len(commits), 'HEAD', git('rev-parse', 'HEAD').decode().strip())
    for k, v in stats.items():
        print('%-16s %d' % (k, v))
    print('glue examples:')
    for u, h in glue_examples[:40]:
        print('  ', u.rsplit('/', 1)[-1], h)
    print('remnant examples:')
    for u, r in remnant_examples:
        print('  ', u.rsplit('/', 1)[-1], repr(r))
    print('categories:', Counter((k[1].get('category') or '').strip() for k in kept).most_common())


if __name__ == '__main__':
    main()
