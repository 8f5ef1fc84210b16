#!/usr/bin/env python3
"""Convert the VnExpress articles committed in quynhnhu208/VnExpress-Playwright
(vnexpress_data.json as of commit 41040270e6daa2a19007d872c17489901e3cc7c3,
2025-05-29: 735 records, crawled late May 2025 by a Playwright script) into
OUT/vnx25-NNNN.txt.

  python3 convert_vnx25.py --mirror MIRROR --out OUT

Source: vnexpress_data.json at commit 41040270 (the file's only complete
version here: HEAD's copy is over 4 MiB and missing from the snapshot).
Each record: url, title, content, category (Thế giới, Thời sự, Bất động sản,
Khoa học công nghệ, Kinh doanh, Góc nhìn).
  * content is the page's innerText: one paragraph per line, photo captions
    as their own lines ("... Ảnh: Ngọc Oanh" -- kept, as published), the
    closing byline ("Phương Uyên", "Thùy Lâm (Theo Guardian, ...)") as the
    last body line (kept).
  * After the byline most records carry VnExpress's "related articles" box:
    a teaser line, then whitespace-only lines, then the comment count
    ("                \\n\\t   \\n      75").  That box is cut: the body ends
    before the line that precedes the first blank/whitespace-only line.
  * Some urls are the same article with "#box_comment_vne" appended: the
    fragment is dropped and the repeat counts as dup_url.
  * No publish date is stored (the url carries only the article id).

Output per file:
  # url = <url without #fragment>
  # date = 2025-05 (publish date not in source; file committed 2025-05-29)
  # site = vnexpress.net
  <title>
  <body, one paragraph per line>
Nothing is normalised (no NFC, no whitespace change inside lines; body lines
are taken as stored, none has edge whitespace once the box is cut -- any that
has is dropped as 'ws').

Drop rules, first match counts:
  not_article  url is not a vnexpress.net article page
  dup_url      url (without fragment) already seen
  empty        no body left
  box          the related box is not of the expected shape (teaser line,
               blank lines, count) -- or a blank line sits inside the body
  ws           a body line with leading/trailing whitespace
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm",
               "Đọc thêm", "Tin liên quan", "Video:", "Clip:", ">>")
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs in title or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an already kept article
More than 600 kept would be sampled with random.Random(78).sample(kept, 600),
then renumbered in stored order.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import Drops, clear_out, screen, viet_ascii_words  # noqa: E402

NAME = 'vnx25'
COMMIT = '41040270e6daa2a19007d872c17489901e3cc7c3'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'Đôla',
              # loan spellings of VnExpress house style and foreign names, checked by hand
              'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ', 'café', 'Hermès', 'Sofía', 'Vicuña', 'Genève',
              'Édouard', 'André', 'Finserås', 'Ofélia', 'Château', 'Meliá', 'Iguazú', 'Lumière', 'Augé',
              'Garzón', 'Alternō', 'ogórki'}
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'DeFi', 'iPhone', 'iPad',
            'YouTube', 'TikTok', 'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald', 'DeepSeek',
            'iOS', 'macOS', 'MacBook', 'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan',
            'BlackRock', 'SoftBank', 'NVIDIA', 'GeForce', 'AirPods', 'iCloud', 'eSIM', 'VnExpress',
            'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank', 'VietinBank', 'TechcomBank',
            'BlackBerry', 'PowerPoint', 'GitHub', 'OnePlus', 'AstraZeneca', 'BioNTech', 'PhD',
            'xAI', 'GaN', 'DDoS', 'GenAI', 'NextGenAI', 'SoHo', 'deHarte'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|dialog window|Chia sẻ bài|Sao chép liên kết')
ARTICLE = re.compile(r'^https://vnexpress\.net/[a-z0-9-]+-\d+\.html$')


BYLINE_THEO = re.compile(r'\([Tt]heo [^()]*\)$')


def is_byline(line):
    """A closing byline: 'Vũ Tuân', 'Thùy Lâm (Theo Guardian, Kyiv Independent)'."""
    if 'Ảnh' in line or re.search(r'[.!?…"”:;,]$', line):
        return False
    return len(line.split()) <= 6 or (BYLINE_THEO.search(line) is not None and len(line) <= 90)


def cut_box(content):
    """(body lines, status).  The body ends at the closing byline: everything after
    it -- teaser lines of related articles, the related box with its blank lines and
    comment counts -- is cut.  The byline is looked for among the last 5 lines
    before the first blank or number-only line (or the end); without one the record is dropped."""
    lines = content.split('\n')
    blank = [i for i, l in enumerate(lines) if not l.strip() or re.fullmatch(r'\s*\d+\s*', l)]
    end = blank[0] if blank else len(lines)
    if blank and not any(re.fullmatch(r'\s*\d+\s*', l) for l in lines[end:]):
        return None, 'box'
    for j in range(end - 1, max(end - 6, 0), -1):
        if is_byline(lines[j].strip()):
            return lines[:j + 1], 'cut%d' % (end - 1 - j)
    return None, 'nobyline'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of quynhnhu208/VnExpress-Playwright')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    recs = json.loads(git('show', COMMIT + ':vnexpress_data.json').decode('utf-8'))

    viet_ascii = viet_ascii_words(r.get('content') or '' for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for r in recs:
        st['records'] += 1
        url = (r.get('url') or '').split('#')[0]
        if not ARTICLE.match(url):
            st['not_article'] += 1
            continue
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        title = (r.get('title') or '').strip()
        lines, how = cut_box(r.get('content') or '')
        if lines is None:
            st[how] += 1
            continue
        if not any(l.strip() for l in lines):
            st['empty'] += 1
            continue
        if any(l != l.strip() for l in lines):
            st['ws'] += 1
            continue
        body = '\n'.join(lines)
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK)
        if reason:
            drops.drop(reason, url, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        st['kept_' + how] += 1
        if 'Ảnh:' in body:
            st['kept_with_caption_lines'] += 1
        kept.append((url, title, body))
    if len(kept) > 600:
        pick = set(random.Random(78).sample(range(len(kept)), 600))
        kept = [k for i, k in enumerate(kept) if i in pick]
    words = 0
    for i, (url, title, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = ' + url,
                          '# date = 2025-05 (publish date not in source; file committed 2025-05-29)',
                          '# site = vnexpress.net', title, body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT, 'file vnexpress_data.json')
    for k in ['records', 'not_article', 'dup_url', 'box', 'nobyline', 'empty', 'ws', 'short', 'remnant',
              'repeat', 'glue', 'dup', 'kept_cut0', 'kept_cut1', 'kept_cut2', 'kept_cut3', 'kept_cut4',
              'kept_with_caption_lines', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
