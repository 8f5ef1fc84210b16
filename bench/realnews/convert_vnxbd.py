#!/usr/bin/env python3
"""Convert the VnExpress football articles of SENULT/Search_Engine
(data/raw/vnexpress_bongda_part{1..4}.json and vnexpressT_bongda_part{1..4}.json,
found through timkiem.vnexpress.net with the queries "bóng đá Việt Nam",
"V-League", "cầu thủ Việt Nam", "CLB Việt Nam"; published 2003-2025, most
2018-2025) into OUT/vnxbd-NNNN.txt.

  python3 convert_vnxbd.py --mirror MIRROR --out OUT

Source records: {title, url, date, author, content, tags}.  The crawler
(01_crawling/crawlcode.ipynb) builds content as
    " ".join(p.get_text(" ", strip=True) for p in article.fck_detail.find_all("p"))
so
  * the body has NO paragraph breaks (one line);
  * every <p> in the article is in it, photo captions (p.Image, with their
    "Ảnh: ..." credit) and the closing byline included;
  * get_text(" ", strip=True) puts a space at EVERY inline-tag boundary, so a
    link or italic word followed by punctuation comes out as "cầu thủ lạ , để"
    or "USD ." -- text that was not published so.
The two file sets overlap (same crawler, same text for the 1 598 shared URLs);
records are taken once per URL, vnexpress_* first.

Output per file:
  # url = <url>
  # date = <date as given, e.g. "Thứ tư, 10/9/2025, 16:30 (GMT+7)">
  # site = vnexpress.net
  <title>
  <content>          (one line, exactly as stored)
Nothing is normalised.

Drop rules, first match counts:
  empty      no content (crawl failed: title "Unknown")
  short      < 150 whitespace-split words (title + content)
  remnant    U+FFFD, HTML tag / entity, page chrome (">>" related-article
             links, "Xem thêm", "Đọc thêm", "Tin liên quan", "Video:",
             "Clip:", "Đồ họa:", "Nguồn:")
  caption    a photo caption / credit anywhere in the body: "Ảnh:", "Ảnh :",
             "(Ảnh", "Ảnh minh họa", "Ảnh chế", "Ảnh chụp", "Ảnh tư liệu",
             "Ảnh X" with X a capital (credit without colon), a sentence
             starting "Video " (video caption) -- the caption
             paragraph runs into the text
  spacing    the crawler's inline-tag space: a token that starts with
             , . ; : ! ? ) ] or is a lone '"', or an opening ( [ followed by
             a space
  repeat     some run of 20 words occurs twice in the body (a slideshow
             caption or paragraph repeated by the page or the crawler)
  glue       crawler-glue signs in title or body (rules a-e of
             crawl_glue.py), with a
             whitelist of foreign names / loan spellings seen here
  dup        exact duplicate body of an already kept article
Kept articles are numbered 0001.. in source order.  If more than 600 remain,
a random.Random(73) sample of 600 (kept in source order).
"""
import argparse
import json
import os
import random
import re
import subprocess
from collections import Counter

from crawl_glue import glue_hits, repeated, vgroups

FILES = (['data/raw/vnexpress_bongda_part%d.json' % i for i in range(1, 5)] +
         ['data/raw/vnexpressT_bongda_part%d.json' % i for i in range(1, 5)])
MIN_WORDS = 150
NAME = 'vnxbd'


# loan spellings / foreign names of this source that rule c flags (checked by hand)
FOREIGN_OK = {'êkíp', 'Café', 'ôtô', 'đôla', 'Mövenpick', 'sơmi'}
BRAND_OK = {'nCoV'}   # rule d false positive
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|>>|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|Đồ họa:|Nguồn:')
CAPTION = re.compile(r'Ảnh ?:|Ảnh minh họa|Ảnh chế|Ảnh chụp|Ảnh tư liệu|\(Ảnh|Ảnh [A-ZĐ]|(?:^|[.!?…] )Video ')
SPACING = re.compile(r'(?:^|\s)(?:[,.;:!?)\]]|"(?=\s|$))|[(\[]\s')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of SENULT/Search_Engine')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    a = ap.parse_args()
    commit = subprocess.run(['git', '-C', a.mirror, 'rev-parse', 'HEAD'], check=True,
                            capture_output=True).stdout.decode().strip()
    recs, seen_url = [], set()
    stats, glue_kinds = Counter(), Counter()
    for p in FILES:
        data = json.loads(subprocess.run(['git', '-C', a.mirror, 'show', 'HEAD:' + p], check=True,
                                         capture_output=True).stdout.decode('utf-8'))
        for r in data:
            stats['records'] += 1
            if r['url'] in seen_url:
                stats['same_url_again'] += 1
                continue
            seen_url.add(r['url'])
            recs.append(r)
    cnt = Counter()
    for r in recs:
        for t in (r['content'] or '').split():
            if re.fullmatch(r'[a-z]+', t) and vgroups(t) == 1:
                cnt[t] += 1
    viet_ascii = {w for w, c in cnt.items() if c >= 5}

    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith(NAME + '-') and f.endswith('.txt'):
            os.remove(os.path.join(a.out, f))
    kept, seen_body, glue_ex = [], set(), []
    for r in recs:
        stats['urls'] += 1
        title = (r['title'] or '').strip()
        body = (r['content'] or '').strip()
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
        if CAPTION.search(body):
            stats['caption'] += 1
            continue
        if SPACING.search(text):
            stats['spacing'] += 1
            continue
        if repeated(body):
            stats['repeat'] += 1
            continue
        h = glue_hits(text, viet_ascii, FOREIGN_OK, BRAND_OK)
        if h:
            stats['glue'] += 1
            glue_ex.append((r['url'], h[:4]))
            for k in {k for k, _ in h}:
                glue_kinds[k] += 1
            continue
        if body in seen_body:
            stats['dup'] += 1
            continue
        seen_body.add(body)
        kept.append(r)
    stats['eligible'] = len(kept)
    if len(kept) > 600:
        idx = sorted(random.Random(73).sample(range(len(kept)), 600))
        kept = [kept[i] for i in idx]
    words = 0
    for i, r in enumerate(kept, 1):
        lines = ['# url = ' + r['url'].strip()]
        if r.get('date') and r['date'] != 'Unknown':
            lines.append('# date = ' + r['date'].strip())
        lines.append('# site = vnexpress.net')
        lines += [r['title'].strip(), r['content'].strip()]
        text = '\n'.join(lines) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8') as fh:
            fh.write(text)
    stats['kept'] = len(kept)
    print('commit', commit)
    for k in ['records', 'same_url_again', 'urls', 'empty', 'short', 'remnant', 'caption', 'spacing',
              'repeat', 'glue', 'dup', 'eligible', 'kept']:
        print('%-28s %d' % (k, stats[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    print('years:', sorted(Counter(re.findall(r'/(\d{4}),', r.get('date', ''))[0]
                                   if re.findall(r'/(\d{4}),', r.get('date', '')) else '?'
                                   for r in kept).items()))
    print('glue rule hits (articles):', dict(sorted(glue_kinds.items())))
    for u, h in glue_ex:
        print('  glue', u, h)


if __name__ == '__main__':
    main()
