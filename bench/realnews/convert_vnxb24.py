#!/usr/bin/env python3
"""Convert the VnExpress business articles committed in auster-vn/vnexpress_db
into OUT/vnxb24-NNNN.txt.

  python3 convert_vnxb24.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: github.com/auster-vn/vnexpress_db (HEAD
df2ab2b7b73a6e0623c51ac27f99d8e669b5c337, 2025-01-23; no licence file).  The
data files were added in 0f06e7769c8f978111c6a3eeda25b7ca31af4ea7 and are
unchanged at HEAD:
  * vnexpress_contents.csv (CRLF rows; columns title, content): 154 records,
    the page title with the suffix " - Báo VnExpress Kinh doanh" (151 of
    them; cut), then the body.  The body is one line (the crawler joined the
    paragraphs with a space) except in 3 records that keep one paragraph
    break (kept as a line break).  Captions, crossheads and the sapo's own
    line are missing (only the article's <p> text); the byline with its
    sources ("Hà Thu (theo WSJ, Reuters)") is the body's last words (kept).
  * vnexpress_articles.csv (share_url, title): the address of 151 of the
    titles (joined on the title without suffix; the other 3 get an empty
    url line).  Article ids 4158905-4834484: published 2020-2024, most in
    2024 (business features: companies, billionaires, markets).
  * No publication date is stored (the date line is empty).
  * The text is otherwise as stored: no NFC, no whitespace change.

Output per file:
  # url = <share_url, or empty>
  # date =
  # site = vnexpress.net
  <title without the suffix>
  <body: one line, or two where the source kept a break>

Drop rules, first match counts:
  empty        no title or body
  known        headline or first 30 words already in an --exclude folder
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>")
  caption      a photo credit "Ảnh:" inside the body (has_inner_caption)
  repeat       some run of 20 words occurs twice
  glue         crawler-glue signs in title or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an article already kept
Run with --exclude of the baomoi and dantri corpora, corpus11/{tt24, vnn25,
vnx20all}, corpus11/old/{vnx21, vnx25, vnx26, vnxbd, vfnd, edu} and
corpus12/{h24, vnec26}: 154
records (151 title suffixes cut); empty 1, known 1, short 2, remnant 0,
caption 0, repeat 0, glue 3, dup 0; kept 147 (1 without url; 184,955 words
with the metadata lines).
"""
import argparse
import csv
import io
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import (Drops, clear_out, has_inner_caption, known_articles, screen,  # noqa: E402
                        show_file, viet_ascii_words, write_article)

NAME = 'vnxb24'
HEAD = 'df2ab2b7b73a6e0623c51ac27f99d8e669b5c337'
SUFFIX = ' - Báo VnExpress Kinh doanh'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'café', 'Hermès', 'Nestlé', 'L\'Oréal', 'Moët',
              'Chloé', 'Céline', 'José', 'García', 'González', 'López', 'Pérez', 'Martínez', 'Rodríguez',
              # names and loan spellings seen in this source, checked by hand
              'Frédéric', 'Gaemperlé', 'Société', 'Générale', 'Itaúsa', 'nitơ', 'Düsseldorf', 'Aeroméxico',
              'Coruña', 'Uterqüe', 'Brandstätter', 'Nescafé', 'Erdoğan', 'Raphaël', 'Kookaï', 'Riedmüller',
              'Marché', 'Stéphane', 'Álvarez', 'Élysée'}
BRAND_OK = {'iPhone', 'iPad', 'YouTube', 'TikTok', 'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald',
            'DeepSeek', 'iOS', 'macOS', 'MacBook', 'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan',
            'BlackRock', 'SoftBank', 'NVIDIA', 'GeForce', 'AirPods', 'iCloud', 'VinFast', 'HoSE', 'UPCoM',
            'GitHub', 'OnePlus', 'AstraZeneca', 'BioNTech', 'PhD', 'xAI', 'GenZ', 'eBay', 'WeChat', 'GDP',
            'AliExpress', 'AliPay', 'Alipay', 'WeWork', 'BlackBerry', 'PepsiCo', 'ExxonMobil', 'McKinsey',
            'MacKenzie', 'DiCaprio', 'LeBron', 'FaceTime', 'JetBlue', 'EasyJet', 'HarperCollins', 'AlphaTrAI', 'DiDi',
            '23andMe', 'andMe'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>')


def show(mirror, path):
    return show_file(mirror, HEAD, path).decode('utf-8')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of auster-vn/vnexpress_db')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='extend', nargs='+', default=[], help='earlier corpus folder(s)')
    a = ap.parse_args()
    csv.field_size_limit(1 << 30)
    recs = list(csv.DictReader(io.StringIO(show(a.mirror, 'vnexpress_contents.csv'), newline='')))
    urls = {r['title']: r['share_url']
            for r in csv.DictReader(io.StringIO(show(a.mirror, 'vnexpress_articles.csv'), newline=''))}
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content') or '' for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_body, kept = set(), []
    for r in recs:
        st['records'] += 1
        title = r.get('title') or ''
        if title.endswith(SUFFIX):
            title = title[:-len(SUFFIX)]
            st['suffix_cut'] += 1
        body = r.get('content') or ''
        if not title.strip() or not body.strip():
            st['empty'] += 1
            continue
        url = urls.get(title, '')
        if title in heads or ' '.join(body.split()[:30]) in opens:
            st['known'] += 1
            continue
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK, inner_caption=has_inner_caption)
        if reason:
            drops.drop(reason, url or title, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        kept.append((url, title, body))
    words = 0
    for i, (url, title, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, url, '', 'vnexpress.net', [title, body])
    st['kept'] = len(kept)
    print('snapshot', HEAD)
    for k in ['records', 'suffix_cut', 'empty', 'known', 'short', 'remnant', 'caption', 'repeat', 'glue', 'dup',
              'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('kept without url', sum(1 for k in kept if not k[0])))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
