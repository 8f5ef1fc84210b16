#!/usr/bin/env python3
"""Convert the VnExpress and Dan tri articles of leduchuy20/crawl_news's RSS
backup file (January-February 2026) into OUT/rss26-NNNN.txt.

  python3 convert_rss26.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: github.com/leduchuy20/crawl_news (snapshot HEAD
8d0b1830ee3de4acdb5de50fc5491b1ce611957e, 2026-02-15; no licence file), the
file crawl_news/rss_feed_articles_backup.csv as committed in
42e1fd6f55be6a340c9d3be819cc040c1cee2e54 (blob 8a463090..., 729 rows; the
file's only version: commit 4b58fc9 deleted it).  Same columns as the 24h
file (convert_h24.py): id, title, published_at (ISO, UTC), source.name
(author or "RSS_Feed"), url, language, category.primary, keywords, entities,
content.text.
  * Rows come from the RSS feeds of VnExpress (278), Dan tri (205), Tuoi Tre
    (133), Thanh Nien (104) and a few others; all but VnExpress's and Dan
    tri's hold only the feed's one-sentence summary (dropped as short).
  * content.text is the article's text with every paragraph break replaced
    by a space: the body is written as ONE line (no paragraph breaks).
  * VnExpress photo captions stand inline, closed by their credit glued to
    it ("... chiều 2/2. Ảnh:TTXVN Hai bên ..."): such an article is dropped
    (caption: crawl_glue.has_inner_caption, or rule e of the glue check).
  * Most Dan tri bodies open with the top photo's caption ("Trung Quốc bước
    vào cao điểm Xuân vận (Ảnh: Xinhua). Tết Nguyên đán ..."): a LEAD
    caption -- a first sentence of at most 40 words closing with "(Ảnh: ...)."
    or "(Ảnh minh họa: ...)." (LEAD_CAPTION) -- is cut; the article is kept
    only if no other credit is left in the body.  Dan tri's sapo is missing
    (the feed's summary is not in content.text).
  * The text is otherwise as stored: no NFC, no whitespace change.

Output per file:
  # url = <url>
  # date = <published_at, as stored>
  # site = vnexpress.net | dantri.com.vn
  <title>
  <body, one line>

Drop rules, first match counts:
  dup_url      url already read
  empty        no title or body
  known        headline or first 30 words already in an --exclude folder
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Nguồn:",
               "Bình luận", "Ảnh, video:", "Đồ họa:") or sponsored copy
  caption      a photo credit "Ảnh:" inside the body after the lead caption
               is cut (has_inner_caption) or an inline caption tag
  repeat       some run of 20 words occurs twice
  glue         crawler-glue signs in title or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an article already kept
Run with --exclude of the baomoi and dantri corpora, corpus11/{tt24, vnn25,
vnx20all}, corpus11/old/{vnx21, vnx25, vnx26, vnxbd, vfnd, edu} and
corpus12/{h24, vnec26}: 729
records; other_site 246, dup_url 0, empty 0, known 0, short 27, remnant 86,
caption 239, repeat 13, glue 70, dup 0 (a lead caption cut in 89 Dan tri
bodies); kept 48 (13 VnExpress, 35 Dan tri; 24,465 words with the metadata
lines), published 29 January - 2 February 2026 (UTC).  Most glue drops are
Dan tri's inline tag links run into their neighbours ("lượngquân sựtriển").
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

NAME = 'rss26'
HEAD = '8d0b1830ee3de4acdb5de50fc5491b1ce611957e'
COMMIT = '42e1fd6f55be6a340c9d3be819cc040c1cee2e54'
BLOB = '8a463090c7ccd0ef5b5f67861fc73770c12780c4'
PATH = 'crawl_news/rss_feed_articles_backup.csv'
MIN_WORDS = 150
SITE = re.compile(r'^https://(vnexpress\.net|dantri\.com\.vn)/')
LEAD_CAPTION = re.compile(r'^[^.!?…]*?\((?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Ảnh chụp màn hình): [^()]*\)\. ')
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'café', 'Beyoncé', 'Pokémon', 'Renée', 'José',
              'Zoë', 'Céline', 'Chloé', 'Thiago', 'Müller', 'Hernández', 'Martínez', 'Rodríguez', 'Pérez',
              'García', 'Gómez', 'González', 'López', 'Sánchez', 'Álvarez', 'Fernández', 'Rosé', 'Hermès',
              'Lênin'}
BRAND_OK = {'iPhone', 'iPad', 'YouTube', 'TikTok', 'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald',
            'DeepSeek', 'iOS', 'macOS', 'MacBook', 'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan',
            'BlackRock', 'SoftBank', 'NVIDIA', 'GeForce', 'AirPods', 'iCloud', 'eSIM', 'VinFast', 'HoSE',
            'UPCoM', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank', 'VietinBank', 'GitHub',
            'OnePlus', 'AstraZeneca', 'BioNTech', 'PhD', 'xAI', 'GenAI', 'GenZ', 'nCoV', 'eBay', 'WeChat',
            'PetroVietnam', 'VinGroup', 'TikToker', 'YouTuber', 'GDP'}
INLINE_CAPTION = re.compile(r'Ảnh (?:minh h[oọ][aạ]|concept|cắt|Getty|mang tính)|\(Ảnh[^)]*\)')
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Link nguồn|Nguồn:|Bạn đang xem'
                     r'|Bình luận|Thông tin doanh nghiệp|\(PV\)|Ảnh, video:|Đồ họa:|Infographic')


def inner_caption(body):
    return has_inner_caption(body) or INLINE_CAPTION.search(body) is not None


def rows(mirror):
    got = show_file(mirror, COMMIT, PATH, BLOB)
    return list(csv.DictReader(io.StringIO(got.decode('utf-8'), newline='')))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of leduchuy20/crawl_news')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='extend', nargs='+', default=[], help='earlier corpus folder(s)')
    a = ap.parse_args()
    csv.field_size_limit(1 << 30)
    recs = rows(a.mirror)
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content.text') or '' for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for r in recs:
        st['records'] += 1
        url = r.get('url') or ''
        m = SITE.match(url)
        if not m:
            st['other_site'] += 1
            continue
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        body = r.get('content.text') or ''
        title = (r.get('title') or '').strip()
        if m.group(1) == 'dantri.com.vn':
            lead = LEAD_CAPTION.match(body)
            if lead and len(lead.group(0).split()) <= 40:
                body = body[lead.end():]
                st['lead_caption_cut'] += 1
        if not body.strip() or not title or '\n' in body or '\n' in title:
            st['empty'] += 1
            continue
        if title in heads or ' '.join(body.split()[:30]) in opens:
            st['known'] += 1
            continue
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK, inner_caption=inner_caption)
        if reason:
            drops.drop(reason, url, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        kept.append((url, r.get('published_at') or '', m.group(1), title, body))
    words = 0
    for i, (url, date, site, title, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, url, date, site, [title, body])
    st['kept'] = len(kept)
    print('snapshot', HEAD, 'file', PATH, 'at', COMMIT)
    for k in ['records', 'other_site', 'dup_url', 'lead_caption_cut', 'empty', 'known', 'short', 'remnant',
              'caption', 'repeat', 'glue', 'dup', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('kept by site', {s: sum(1 for k in kept if k[2] == s) for s in ('vnexpress.net', 'dantri.com.vn')})
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
