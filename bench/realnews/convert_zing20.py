#!/usr/bin/env python3
"""Convert the Zing News articles with a body in Sibaso/Data_Science_project
(zing_new3.csv at commit 8736543ecf1aefe5819885132347aa580cfbbc40, 2021-04-09:
50,662 rows, only 77 with content) into OUT/zing20-NNNN.txt.

  python3 convert_zing20.py --mirror MIRROR --out OUT

Columns: title, summary (the lead), date ("Thứ ba, 17/11/2020 16:37 (GMT+7)"),
categorys, content, url.  The crawler (crawl_zingnews.py) stored content as
' '.join(<p> children of div.the-article-body): the paragraph breaks are LOST, so the
body is one line (photo captions are not <p> children and are absent).  Double spaces
where a paragraph ended in a space are kept as stored.

Output: url, date (as on the page, ISO-ized), site; title; summary; content (one line).
Drop rules, first match counts: not_article, dup_url, empty (no content), short (< 150
words), remnant, repeat, glue (crawl_glue.screen), dup (exact duplicate body).
"""
import argparse
import csv
import io
import os
import re
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import clear_out, screen, viet_ascii_words  # noqa: E402

NAME = 'zing20'
COMMIT = '8736543ecf1aefe5819885132347aa580cfbbc40'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'Đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ', 'café', 'rosé'}
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube', 'TikTok',
            'PayPal', 'LinkedIn', 'McDonald', 'iOS', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan', 'SoftBank',
            'VnExpress', 'VietinBank', 'TechcomBank', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank',
            'LienVietPostBank', 'PhD', 'VietJet', 'AirPods', 'MacBook', 'PlayStation',
            'LaPorta', 'CrimeBay', 'SoHo'}  # a surname, a site, a district, checked by hand
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Chia sẻ bài|Sao chép liên kết')
ARTICLE = re.compile(r'^https://zingnews\.vn/[a-z0-9-]+-post\d+\.html$')
DATE = re.compile(r'(\d{1,2})/(\d{1,2})/(\d{4}) (\d{2}:\d{2})')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of Sibaso/Data_Science_project')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    csv.field_size_limit(10 ** 9)
    recs = list(csv.DictReader(io.StringIO(git('show', COMMIT + ':zing_new3.csv').decode('utf-8'))))
    viet_ascii = viet_ascii_words((r.get('summary') or '') + '\n' + (r.get('content') or '') for r in recs)
    clear_out(a.out, NAME)
    st, seen_url, seen_body, kept = Counter(), set(), set(), []
    for r in recs:
        st['records'] += 1
        content = (r.get('content') or '').strip()
        if not content:
            st['empty'] += 1
            continue
        url = (r.get('url') or '').split('#')[0].split('?')[0]
        if not ARTICLE.match(url):
            st['not_article'] += 1
            continue
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        title = (r.get('title') or '').strip()
        summary = (r.get('summary') or '').strip()
        body = '\n'.join(([summary] if summary else []) + [content])
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK)
        if reason:
            st[reason] += 1
            print('  drop', reason, url, h[:4] if h else '')
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        m = DATE.search(r.get('date') or '')
        date = ('%s-%02d-%02d %s (GMT+7, from the page)' % (m.group(3), int(m.group(2)), int(m.group(1)), m.group(4))
                if m else '(not stored)')
        kept.append((url, date, title, body))
    words = 0
    for i, (url, date, title, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = ' + url, '# date = ' + date, '# site = zingnews.vn', title, body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT, 'file zing_new3.csv')
    for k in ['records', 'empty', 'not_article', 'dup_url', 'short', 'remnant', 'repeat', 'glue', 'dup', 'kept']:
        print('%-12s %d' % (k, st[k]))
    print('words (files, incl. metadata)', words)


if __name__ == '__main__':
    main()
