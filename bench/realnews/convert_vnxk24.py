#!/usr/bin/env python3
"""Convert the VnExpress articles committed in binhbinh22/chatbot_simple
(vnexpress.csv, added in commit 97d049349a660e2154045ad120c72ae74332655e,
2024-03-26, unchanged at HEAD 7fdb2e2e9cc5939cb0997d505f714b683ff540fa; no
licence stated, so only snippets are kept) into OUT/vnxk24-NNNN.txt.

  python3 convert_vnxk24.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: vnexpress.csv, 30 rows, the articles linked from VnExpress's
commodities page (kinh-doanh/hang-hoa) on 26 March 2024, published 14-26 March
2024 (gold and fuel prices, Bitcoin, farm exports, retail).  Columns: title
(h1.title-detail), date ("Thứ ba, 26/3/2024, 09:36 (GMT+7)"), content: the
repository's crawl_vnexpress.py joined `p.text.strip()` of every p.Normal with
"\\n", so the body is one paragraph a line, the byline ("Thi Hà", "Tiểu Gu
(theo CoinDesk, Reuters)") its last line; the sapo (p.description) and the
photo captions (not p.Normal) are missing.  No address is stored.
  * Empty lines (a p.Normal holding only an image or a table) are dropped;
    nothing else is changed (no NFC, no whitespace change inside lines).

Output per file:
  # url =  (not stored)
  # date = YYYY-MM-DD HH:MM (from the date column, GMT+7)
  # site = vnexpress.net
  <title>
  <body, one paragraph per line>

Drop rules, first match counts:
  empty        no body
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>")
  caption      a photo credit inside the body (crawl_glue.has_inner_caption)
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs (rules a-e of crawl_glue.py)
  dup          exact duplicate body of an already kept article
  seen         headline, or the first 30 words of the body, already in an
               --exclude corpus folder
Running it twice writes the same files.
"""
import argparse
import csv
import io
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import (Drops, clear_out, has_inner_caption, known_articles, screen,  # noqa: E402
                        viet_ascii_words, write_article)

NAME = 'vnxk24'
COMMIT = '97d049349a660e2154045ad120c72ae74332655e'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ', 'café',
              'sơmi'}  # a loan spelling ("áo sơmi"), checked by hand
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'YouTube', 'TikTok',
            'OpenAI', 'ChatGPT', 'PayPal', 'BlackRock', 'CoinDesk', 'CoinTelegraph', 'CoinShares', 'MicroStrategy',
            'VnExpress', 'VietinBank', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank',
            'PetroVietnam', 'WinMart', 'BigC', 'GO!', 'AEON', 'MoMo', 'ShopeeFood', 'GrabFood', 'FedEx'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>')
DATE = re.compile(r'(\d{1,2})/(\d{1,2})/(\d{4}), (\d{2}:\d{2})')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of binhbinh22/chatbot_simple')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='append', default=[], help='earlier corpus folder (repeatable)')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    csv.field_size_limit(1 << 30)
    rows = list(csv.DictReader(io.StringIO(git('show', COMMIT + ':vnexpress.csv').decode('utf-8'), newline='')))
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content') or '' for r in rows)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_body, kept = set(), []
    for r in rows:
        st['records'] += 1
        title = (r.get('title') or '').strip()
        lines = [l for l in (r.get('content') or '').split('\n') if l.strip()]
        if not lines:
            st['empty'] += 1
            continue
        body = '\n'.join(lines)
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK, inner_caption=has_inner_caption)
        if reason:
            drops.drop(reason, title, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        if title in heads or ' '.join(lines[0].split()[:30]) in opens:
            st['seen'] += 1
            continue
        m = DATE.search(r.get('date') or '')
        date = '%s-%02d-%02d %s' % (m.group(3), int(m.group(2)), int(m.group(1)), m.group(4)) if m else ''
        kept.append((date, title, body))
    words = 0
    for i, (date, title, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, '', date, 'vnexpress.net', [title, body])
    st['kept'] = len(kept)
    print('commit', COMMIT, 'file vnexpress.csv')
    for k in ['records', 'empty', 'short', 'remnant', 'caption', 'repeat', 'glue', 'dup', 'seen', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
