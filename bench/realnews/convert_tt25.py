#!/usr/bin/env python3
"""Convert the Tuổi Trẻ articles in quynhnhu208/VnExpress-Playwright
(tuoitre_articles.json at commit fa3f70a9a1f43cfcd12dabbc868aed6f2494e056, 2025-07-15:
498 records, ~115 unique urls, crawled by a Playwright script) into OUT/tt25-NNNN.txt.

  python3 convert_tt25.py --mirror MIRROR --out OUT

Each record: url, title, sapo (the lead paragraph), content (the page's paragraphs, one
a line; photo captions "... - Ảnh: NAM TRẦN" as their own lines, kept as published),
category (Thời sự, Thế giới, Pháp luật).  The LAST content line of every record is the
teaser (sapo) of a related Tuổi Trẻ article ("TTO - ...", or another article's lead):
it is always cut.  Publish date: from the url's timestamp (…-20250605113441497.htm).

Output: url, date, site; title; sapo; content lines (teaser cut).  No normalisation
apart from stripping each line's edge whitespace; blank lines dropped.

Drop rules, first match counts: not_article, dup_url, empty, short (< 150 words),
remnant, repeat, glue (crawl_glue.screen), dup (exact duplicate body).
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import clear_out, screen, viet_ascii_words  # noqa: E402

NAME = 'tt25'
COMMIT = 'fa3f70a9a1f43cfcd12dabbc868aed6f2494e056'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'Đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ', 'café',
              'Matxcơva', 'Mátxcơva', 'Élysée', 'Stéphane', 'Sơmei'}  # names, checked by hand
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube', 'TikTok',
            'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald', 'DeepSeek', 'iOS', 'SpaceX', 'WhatsApp',
            'FedEx', 'JPMorgan', 'BlackRock', 'SoftBank', 'NVIDIA', 'VnExpress', 'VietinBank', 'TechcomBank',
            'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank', 'PhD', 'xAI', 'VietJet', 'TikToker'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Chia sẻ bài|Sao chép liên kết|Kỳ tới')
ARTICLE = re.compile(r'^https://tuoitre\.vn/[a-z0-9-]+-(\d{8})\d*\.htm$')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of quynhnhu208/VnExpress-Playwright')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    recs = json.loads(git('show', COMMIT + ':tuoitre_articles.json').decode('utf-8'))
    viet_ascii = viet_ascii_words((r.get('sapo') or '') + '\n' + (r.get('content') or '') for r in recs)
    clear_out(a.out, NAME)
    st, seen_url, seen_body, kept = Counter(), set(), set(), []
    for r in recs:
        st['records'] += 1
        url = (r.get('url') or '').split('#')[0].split('?')[0]
        m = ARTICLE.match(url)
        if not m:
            st['not_article'] += 1
            continue
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        title = (r.get('title') or '').strip()
        lines = [l.strip() for l in (r.get('content') or '').split('\n') if l.strip()]
        lines = lines[:-1]  # related-article teaser
        sapo = (r.get('sapo') or '').strip()
        if sapo:
            lines = [sapo] + lines
        if len(lines) < 2:
            st['empty'] += 1
            continue
        body = '\n'.join(lines)
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
        d = m.group(1)
        kept.append((url, '%s-%s-%s' % (d[:4], d[4:6], d[6:]), title, body))
    words = 0
    for i, (url, date, title, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = ' + url, '# date = %s (from the url)' % date, '# site = tuoitre.vn',
                          title, body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT, 'file tuoitre_articles.json')
    for k in ['records', 'not_article', 'dup_url', 'empty', 'short', 'remnant', 'repeat', 'glue', 'dup', 'kept']:
        print('%-12s %d' % (k, st[k]))
    print('words (files, incl. metadata)', words)


if __name__ == '__main__':
    main()
