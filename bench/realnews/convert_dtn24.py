#!/usr/bin/env python3
"""Convert the Dan tri articles committed in Kyhienlanh/Crawl-data (May 2024)
into OUT/dtn24-NNNN.txt.

  python3 convert_dtn24.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: github.com/Kyhienlanh/Crawl-data (HEAD
9c93df56bee0f9c375ea08c73263c6e1abc56e36, 2024-05-14; no licence file), the
file dantri_articles.csv.  Its three stored versions (VERSIONS below: commit,
blob) are read newest first; a link seen in a newer version is skipped
(dup_url).  Each row: Title, Content (the sapo), Link, Image, Category
(Chính trị, Giao thông, Môi trường, Nóng trên mạng, Học tập Bác, "Khác"),
Author, Author Image, Publish Time ("Thứ hai, 13/05/2024 - 15:19"), Author
Link, Article Content.
  * Article Content is the body, one paragraph per line; photo captions are
    lines of their own closed by their credit ("... tại công trường (Ảnh:
    Thư Trần)."), kept as published; crossheads are lines of their own.
    105 rows have "Unknown" there (the crawl failed: empty).
  * Link is stored with a doubled slash after the host
    ("https://dantri.com.vn//xa-hoi/..."): written with one slash.
  * The text is otherwise as stored: no NFC, no whitespace change (no row
    has a CR, a blank line or a line with edge whitespace; some lines hold
    U+00A0 as the page had it).

Output per file:
  # url = <Link>
  # date = <Publish Time as stored; empty when "Unknown">
  # site = dantri.com.vn
  <Title>
  <Content (the sapo)>
  <Article Content, one paragraph per line>

Drop rules, first match counts:
  dup_url      Link already read (a newer version, or the same version)
  empty        Title, Content or Article Content empty or "Unknown"
  known        headline or first 30 words already in an --exclude folder
  short        < 150 whitespace-split words (title + sapo + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Thiết kế:",
               "Đồ họa:", "Bình luận", "Nguồn:") -- video and graphics
               credits mark a page whose media the text leans on
  caption      a caption credit "(Ảnh..." that does not close its line (a
               caption run into a paragraph: INNER_CAPTION)
  repeat       some run of 20 words occurs twice
  glue         crawler-glue signs (rules a-e of crawl_glue.py) in title,
               sapo or body, with a small whitelist of brands / loan words
  dup          exact duplicate body of an article already kept
Run with --exclude of the baomoi and dantri corpora, corpus11/{tt24, vnn25,
vnx20all}, corpus11/old/{vnx21, vnx25, vnx26, vnxbd, vfnd, edu} and
corpus12/{h24, vnec26}: 1,779
rows over the three versions (632 distinct links); dup_url 1,147, empty 105,
known 0, short 19, remnant 17, caption 0, repeat 77 (35 of them a sapo that
the first paragraph repeats), glue 3, dup 0; kept 411 (228,021 words with
the metadata lines), published 28 April - 13 May 2024, Dan tri's society
desk (politics, traffic, environment, "Học tập Bác", trending).
"""
import argparse
import csv
import io
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import (Drops, clear_out, known_articles, screen, show_file,  # noqa: E402
                        viet_ascii_words, write_article)

NAME = 'dtn24'
HEAD = '9c93df56bee0f9c375ea08c73263c6e1abc56e36'
PATH = 'dantri_articles.csv'
VERSIONS = [  # (commit, blob), newest first
    ('9c93df56bee0f9c375ea08c73263c6e1abc56e36', 'ba927607c2ba2afb423e87487e411d2bd62cb450'),
    ('7d665a3c373e3dbd2776e7be52a7d3fe23c2e77c', 'f4a03907ae3f564803f119525db522a76410cb0f'),
    ('307f19c4b18c0e9281ab0468a91bb23d152481f8', '002b1a6d04043d7d3caccda4bea219d15f602481'),
]
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'café',
              # names and loan spellings seen in this source, checked by hand
              'Sébastien', 'môtô', 'Êwi', 'Ênuôl', 'Đakrông', 'Átlăng'}
BRAND_OK = {'iPhone', 'iPad', 'YouTube', 'TikTok', 'OpenAI', 'ChatGPT', 'LinkedIn', 'iOS', 'WhatsApp',
            'VinFast', 'HoSE', 'UPCoM', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'VietinBank', 'PhD', 'GenZ',
            'nCoV', 'GDP', 'VNeID', 'VNeTraffic', 'PetroVietnam', 'VinGroup', 'VinHomes', 'eKYC', 'iCloud',
            'GrabBike', 'GrabCar', 'ShopeeFood', 'MoMo', 'ZaloPay', 'VNPay', 'VNPT', 'BusMap', 'LaoCai'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Thiết kế:|Đồ họa:|Bình luận|Nguồn:')
INNER_CAPTION = re.compile(r'\(Ảnh[^)\n]*\)(?!\.?(?:\n|$))')


def inner_caption(body):
    return INNER_CAPTION.search(body) is not None


def rows(mirror):
    for commit, blob in VERSIONS:
        got = show_file(mirror, commit, PATH, blob).decode('utf-8-sig')
        for r in csv.DictReader(io.StringIO(got, newline='')):
            yield r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of Kyhienlanh/Crawl-data')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='extend', nargs='+', default=[], help='earlier corpus folder(s)')
    a = ap.parse_args()
    csv.field_size_limit(1 << 30)
    recs = list(rows(a.mirror))
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words((r.get('Content') or '') + '\n' + (r.get('Article Content') or '') for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for r in recs:
        st['records'] += 1
        url = (r.get('Link') or '').replace('https://dantri.com.vn//', 'https://dantri.com.vn/', 1)
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        title = r.get('Title') or ''
        sapo = r.get('Content') or ''
        body = r.get('Article Content') or ''
        if any(not x.strip() or x == 'Unknown' for x in (title, sapo, body)) or '\n' in title + sapo:
            st['empty'] += 1
            continue
        if title in heads or ' '.join(sapo.split()[:30]) in opens or ' '.join(body.split()[:30]) in opens:
            st['known'] += 1
            continue
        reason, h = screen(title, sapo + '\n' + body, min_words=MIN_WORDS, remnant=REMNANT,
                           viet_ascii=viet_ascii, foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK,
                           inner_caption=inner_caption)
        if reason:
            drops.drop(reason, url, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        date = r.get('Publish Time') or ''
        kept.append((url, '' if date == 'Unknown' else date, title, sapo, body))
    words = 0
    for i, (url, date, title, sapo, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, url, date, 'dantri.com.vn', [title, sapo, body])
    st['kept'] = len(kept)
    print('snapshot', HEAD, 'file', PATH, 'versions', len(VERSIONS))
    for k in ['records', 'dup_url', 'empty', 'known', 'short', 'remnant', 'caption', 'repeat', 'glue', 'dup', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
