#!/usr/bin/env python3
"""Convert vnexpress_data_clean.csv of doanquangminh14/Vietnamese-news-analysis
(VnExpress "Thể thao" articles crawled 17 Apr 2026) into OUT/vnx26-NNNN.txt.

  python3 convert_vnx26.py --mirror MIRROR --out OUT

Source: the CSV as committed in the repository's first data commit
0aba2120f1bcb4763759a2df9b80c0b876c5eb0b (later commits replace it with
lower-cased, punctuation-stripped text, or drop it: never read).  Columns
Title,Link,Category,Description,Comment_viewer,Contents.  crawler.py builds
Contents as " ".join(p.text.strip() for p in article.fck_detail
p.Normal), so the body has NO paragraph breaks (one line); photo captions
(p.Image / figcaption) are normally not in it, but the closing byline
("Hồng Duy (theo Marca)") is its last words.  Description is the listing
teaser with the location stamp and comment count run into it: not used.

Output per file:
  # url = <Link>
  # date = 2026-04 (publish date not in source; crawled 2026-04-17)
  # site = vnexpress.net
  <Title>
  <Contents>        (one line, exactly as stored: the csv module undoes the
                     quoting; the 4 bodies with a stored newline keep it,
                     i.e. become two lines)
Nothing is normalised (no NFC, no whitespace change).

Drop rules, first match counts:
  not_article  Link is not a vnexpress.net article (t.eclick.vn ad beacons)
  dup_url      Link already seen (the crawl lists some articles twice)
  empty        no Contents
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm",
               "Đọc thêm", "Tin liên quan", "Video:", "Clip:", ">>")
  caption      a photo caption/credit inside the body ("Ảnh:" anywhere but
               in the closing credit: the last "Ảnh:" with no full stop
               after it, following the byline, e.g. "Hồng Duy Ảnh: Reuters,
               AP, AFP" is kept; slideshow captions repeated inside p.Normal
               are dropped)
  repeat       some run of 20 words occurs twice in the body (slideshow
               captions or paragraphs repeated by the page or the crawler)
  glue         crawler-glue signs in title or body (rules a-e of
               crawl_glue.py),
               with a whitelist of foreign names / loan spellings seen here
  dup          exact duplicate body of an already kept article
Kept articles are numbered 0001.. in CSV order (crawl order).  Fewer than
600 remain, so no sampling (seed 73 would be used otherwise).
"""
import argparse
import csv
import io
import os
import random
import re
import subprocess
from collections import Counter

from crawl_glue import Drops, glue_hits, has_inner_caption, repeated, vgroups

COMMIT = '0aba2120f1bcb4763759a2df9b80c0b876c5eb0b'
CSV_PATH = 'vnexpress_data_clean.csv'
MIN_WORDS = 150
NAME = 'vnx26'


# foreign names / loan spellings of this source that rule c flags (checked by hand)
FOREIGN_OK = {'Bernabéu', 'Martín', 'Cornellà', 'Clément', 'Équipe', 'Dürrenroth',
              'Martínez', 'Valentín', 'Buendía', 'Êli', 'môtô'}
BRAND_OK = {'beIN', 'DeChambeau', 'LetsRun'}   # rule d false positives
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of doanquangminh14/Vietnamese-news-analysis')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    a = ap.parse_args()
    raw = subprocess.run(['git', '-C', a.mirror, 'show', COMMIT + ':' + CSV_PATH],
                         check=True, capture_output=True).stdout.decode('utf-8-sig')
    rows = list(csv.DictReader(io.StringIO(raw, newline='')))
    cnt = Counter()
    for r in rows:
        for t in (r['Contents'] or '').split():
            if re.fullmatch(r'[a-z]+', t) and vgroups(t) == 1:
                cnt[t] += 1
    viet_ascii = {w for w, c in cnt.items() if c >= 5}

    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith(NAME + '-') and f.endswith('.txt'):
            os.remove(os.path.join(a.out, f))
    drops = Drops()
    stats = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for r in rows:
        stats['rows'] += 1
        url = r['Link'].strip()
        title = r['Title'].strip()
        body = (r['Contents'] or '').strip()
        if not url.startswith('https://vnexpress.net/'):
            stats['not_article'] += 1
            continue
        if url in seen_url:
            stats['dup_url'] += 1
            continue
        seen_url.add(url)
        if not body:
            stats['empty'] += 1
            continue
        text = title + '\n' + body
        if len(text.split()) < MIN_WORDS:
            stats['short'] += 1
            continue
        if REMNANT.search(text):
            stats['remnant'] += 1
            continue
        if has_inner_caption(body):
            stats['caption'] += 1
            continue
        if repeated(body):
            stats['repeat'] += 1
            continue
        h = glue_hits(text, viet_ascii, FOREIGN_OK, BRAND_OK)
        if h:
            drops.drop('glue', url, h)
            continue
        if body in seen_body:
            stats['dup'] += 1
            continue
        seen_body.add(body)
        if 'Ảnh:' in body:
            stats['kept_with_closing_photo_credit'] += 1
        kept.append((url, title, body))
    if len(kept) > 600:
        kept = random.Random(73).sample(kept, 600)
    words = 0
    for i, (url, title, body) in enumerate(kept, 1):
        lines = ['# url = ' + url,
                 '# date = 2026-04 (publish date not in source; crawled 2026-04-17)',
                 '# site = vnexpress.net',
                 title, body]
        text = '\n'.join(lines) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8') as fh:
            fh.write(text)
    stats['kept'] = len(kept)
    print('source', COMMIT, CSV_PATH)
    for k in ['rows', 'not_article', 'dup_url', 'empty', 'short', 'remnant', 'caption', 'repeat', 'glue', 'dup',
              'kept', 'kept_with_closing_photo_credit']:
        print('%-32s %d' % (k, stats[k]))
    print('%-32s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
