#!/usr/bin/env python3
"""Convert result/articles.csv of khoaihps/baomoi-crawler-NER (baomoi.com
articles crawled 29 Jun 2025, published 24-29 Jun 2025) into OUT/bmk25-NNNN.txt.

  python3 convert_bmk25.py --mirror MIRROR --out OUT

Source: one '|'-separated CSV, columns crawled_time|published_time|title|
content|author|url.  The crawler (crawler/baomoi_crawler.py) builds content
as " ".join of [h3.sapo text] + [p.text.strip() for every <p> in
div.content-body except p.body-author], so the body has NO paragraph breaks
(one line; the sapo is its first sentence(s); photo captions and subheadings
that sit in <p> run into the text, separated by one space).  author goes to
no line (the byline is not part of content).

Output per file:
  # url = <url>
  # date = <published_time as given, ISO 8601 +07:00>
  # site = baomoi.com
  <title>
  <content>            (one line, exactly as stored)
Nothing is normalised: the text is written as stored, except that the CSV
quoting is undone by the csv module.  (Runs of two spaces where the crawler
joined an empty <p> are left as they are.)

Drop rules, first match counts:
  empty     no content
  short     < 150 whitespace-split words in content
  remnant   U+FFFD, HTML tag / entity, or page chrome text ("Xem thêm",
            "Tin liên quan", "Đọc thêm", "Bình luận (", "Chia sẻ bài viết",
            "[WIDGET" = an unrendered page widget placeholder)
  caption   (default; --keep-captions turns it off) the body carries a photo
            caption or credit ("Ảnh:", "ảnh:", "(Ảnh ...)", "Ảnh VFF" =
            "Ảnh" + capitalised word, "Ảnh minh họa", "Ảnh cắt từ ...",
            "Ảnh chụp màn hình", "Ảnh tư liệu", "Nguồn ảnh"): the crawler joins <p>s with a space, so the
            caption + credit run into the next sentence ("... nguyên chất.
            Ảnh: thedailycpec.com Amoniac (NH3), ...")
  glue      crawler-glue signs in title or content (rules a-e of
            convert_edu.py, whitelist of loan spellings / brands /
            names: those of convert_bmc14.py plus a few seen here)
  dup       exact duplicate content of an already kept article
  near_dup  >= 80% of the 8-word shingles of the smaller body shared with an
            already kept article
Then, if more than 600 remain, a random.Random(73) sample of 600.
Kept articles are numbered 0001.. in CSV order (crawl order).
"""
import argparse
import csv
import io
import os
import random
import re
import subprocess
from collections import Counter

from crawl_glue import glue_hits, shingles, vgroups

MIN_WORDS = 150
MIRROR = None
KEEP_GLUE = False
CSV_PATH = 'result/articles.csv'

# rule c/d false positives seen in this source: ordinary loan spellings and
# brand / personal names, not glue
BRAND_OK = {'DiCaprio', 'LaFerrari', 'VietNamNet', 'McDonald', 'YouTube', 'iPhone', 'iPad', 'PlayStation', 'LaLa', 'LinkedIn', 'OpenAI', 'LLaMA'}
FOREIGN_OK = {'ôtô', 'Ôtô', 'môtô', 'Môtô', 'café', 'Café', 'sơmi', 'ôxit', 'lôgic', 'Arập', 'Guamúchil', 'êkíp', 'Đắkdrinh', 'Mátxcơva', 'nitơ', 'Héritage', 'Sánchez', 'Mađaguôi', 'Władysław', 'Prévot'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);')


CHROME_IN = re.compile(r'Xem thêm|Tin liên quan|Đọc thêm|Bình luận \(|Chia sẻ bài viết|\[WIDGET', re.I)

# photo caption / credit that the crawler ran into the body text
CAPTION = re.compile(r'\b[Ảả]nh\s*:|\(Ảnh\b|\bẢnh [A-ZĐÀ-Ỹ]|\bẢnh (?:minh h[oọ][aạ]|cắt từ|chụp màn hình|tư liệu)|Nguồn ảnh|\bẢNH\s*:')


NEAR = 0.8


def git(*args):
    return subprocess.run(['git', '-C', MIRROR] + list(args), check=True,
                          capture_output=True).stdout


def main():
    global MIRROR, KEEP_GLUE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of khoaihps/baomoi-crawler-NER')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--keep-glue', action='store_true', help='do not drop articles for glue')
    ap.add_argument('--keep-captions', action='store_true',
                    help='do not drop articles whose one-line body carries a photo caption / credit')
    a = ap.parse_args()
    MIRROR, KEEP_GLUE = a.mirror, a.keep_glue
    commit = git('rev-parse', 'HEAD').decode().strip()
    csv.field_size_limit(1 << 30)
    text = git('show', f'{commit}:{CSV_PATH}').decode('utf-8')
    rows = list(csv.DictReader(io.StringIO(text, newline=''), delimiter='|'))
    stats = Counter(rows=len(rows))
    cnt = Counter()
    for r in rows:
        for t in (r.get('content') or '').split():
            if re.fullmatch(r'[a-z]+', t) and vgroups(t) == 1:
                cnt[t] += 1
    viet_ascii = {w for w, c in cnt.items() if c >= 5}
    kept, seen, glue_ex, rem_ex, kept_sh = [], set(), [], [], []
    for r in rows:
        title = (r.get('title') or '').strip()
        body = (r.get('content') or '').strip()
        if not body:
            stats['empty'] += 1
            continue
        nw = len(body.split())
        if nw < MIN_WORDS:
            stats['short'] += 1
            continue
        m = REMNANT.search(title + '\n' + body) or CHROME_IN.search(body)
        if m:
            stats['remnant'] += 1
            rem_ex.append((r['url'], m.group(0)))
            continue
        if CAPTION.search(body) and not a.keep_captions:
            stats['caption'] += 1
            continue
        h = glue_hits(title + '\n' + body, viet_ascii, FOREIGN_OK, BRAND_OK)
        if h and not KEEP_GLUE:
            stats['glue'] += 1
            glue_ex.append((r['url'], h[:3]))
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
        kept.append((r, title, body, nw))
    stats['eligible'] = len(kept)
    if len(kept) > 600:
        idx = sorted(random.Random(73).sample(range(len(kept)), 600))
        kept = [kept[i] for i in idx]
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith('bmk25-') and f.endswith('.txt'):
            os.remove(os.path.join(a.out, f))
    for i, (r, title, body, nw) in enumerate(kept, 1):
        lines = ['# url = ' + r['url'].strip()]
        if (r.get('published_time') or '').strip():
            lines.append('# date = ' + r['published_time'].strip())
        lines.append('# site = baomoi.com')
        if title:
            lines.append(title)
        lines.append(body)
        with open(os.path.join(a.out, 'bmk25-%04d.txt' % i), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write('\n'.join(lines) + '\n')
    stats['kept'] = len(kept)
    stats['words_body'] = sum(k[3] for k in kept)
    print('commit', commit)
    for k, v in stats.items():
        print('%-12s %d' % (k, v))
    print('glue examples:')
    for u, h in glue_ex:
        print('  ', u.rsplit('/', 1)[-1], h)
    print('remnant examples:')
    for u, m in rem_ex:
        print('  ', u.rsplit('/', 1)[-1], repr(m))


if __name__ == '__main__':
    main()
