#!/usr/bin/env python3
"""Convert the 24h.com.vn articles that leduchuy20/crawl_news committed (an
hourly GitHub-Actions crawl, February 2026) into OUT/h24-NNNN.txt.

  python3 convert_h24.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: github.com/leduchuy20/crawl_news (snapshot HEAD
8d0b1830ee3de4acdb5de50fc5491b1ce611957e, 2026-02-15; no licence file), the
file crawl_news/crawl/24h_html_categories_vi.csv.  The crawler rewrites that
file every few hours; most of its versions are missing from the snapshot.
The seven that are there are read, oldest first (VERSIONS below: commit, blob),
and a url seen in an earlier version is skipped (dup_url).

Each CSV row: id, title, published_at (ISO, UTC), source.name ("24h"), url,
language, category.primary, keywords, entities, content.text.
  * content.text is the article's text with every paragraph break replaced by
    a space: the body is written as ONE line (no paragraph breaks).
  * It opens with the page's bookmark widget, "Lưu bài viết thành công Bạn có
    thể xem lại bài viết đã lưu ở trangTin bài đã lưu " (cut), and most end
    with one or two "Nguồn: [Link nguồn]" (the source link's label: cut).
  * Photo captions stand inline, between two sentences ("... công suất. Ảnh
    Getty Khối này ..."): an article with a credit "Ảnh:" inside the body
    (crawl_glue.has_inner_caption) or with a caption tag "Ảnh minh họa",
    "Ảnh concept", "Ảnh cắt", "Ảnh Getty", "Ảnh mang tính" (INLINE_CAPTION) is
    dropped; captions with neither cannot be told from the text and stay in
    (judge them ARTEFACT).
  * The text is otherwise as stored: no NFC, no whitespace change (a few
    bodies hold U+00A0 or U+200B, as the page had them).

Output per file:
  # url = <url>
  # date = <published_at, as stored>
  # site = 24h.com.vn
  <title>
  <body, one line>

Drop rules, first match counts:
  not_article  url is not a 24h.com.vn article page (…-c<n>a<n>.html)
  dup_url      url already read (an earlier version, or the same version)
  no_widget    content.text does not open with the bookmark widget (a page
               of another shape)
  empty        nothing left after the cuts
  known        headline or first 30 words already in an --exclude folder
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Link nguồn",
               "Nguồn:" left inside, "Bạn đang xem", "Bình luận") or a
               notice of sponsored copy ("Thông tin doanh nghiệp", "PV")
  caption      a photo credit "Ảnh:" inside the body (has_inner_caption) or
               an inline caption tag (INLINE_CAPTION)
  repeat       some run of 20 words occurs twice
  join         a digit glued to a capitalised word of 3+ letters ("6.4Kelleher",
               a ratings table run together) -- JOIN; checked after glue
  glue         crawler-glue signs in title or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an article already kept
Run with --exclude of the baomoi and dantri corpora, corpus11/{tt24, vnn25,
vnx20all} and corpus11/old/{vnx21, vnx25, vnx26, vnxbd, vfnd, edu}: 4,092
records (891 distinct urls over the seven versions); dup_url 3,201,
no_widget 4, empty 1, known 0, short 11, remnant 65, caption 248, repeat 27,
glue 210, join 2, dup 1; kept 322 (196,332 words with the metadata lines),
published 22 January - 8 February 2026 (UTC; 301 of them 2-8 February),
all sections (tin tức trong ngày, thời trang, hi-tech, bạn trẻ, giải trí,
bóng đá, thị trường, giáo dục, sức khỏe, thể thao, an ninh, làm đẹp,
công nghệ, du lịch, kinh doanh, ẩm thực ...).
More than 1,500 kept would be sampled with random.Random(86).sample, then
renumbered in reading order.
"""
import argparse
import csv
import io
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import (Drops, clear_out, has_inner_caption, known_articles, screen,  # noqa: E402
                        show_file, viet_ascii_words, write_article)

NAME = 'h24'
HEAD = '8d0b1830ee3de4acdb5de50fc5491b1ce611957e'
PATH = 'crawl_news/crawl/24h_html_categories_vi.csv'
VERSIONS = [  # (commit, blob) of the versions present in the snapshot, oldest first
    ('3f164f26034e91f03c868b10e0debae8d5a51287', 'e0f1de3cc9c960ad6f603ce5f156a55a41dfcbc0'),
    ('42e1fd6f55be6a340c9d3be819cc040c1cee2e54', '408245e086be5889db41d4442c459bb19227a764'),
    ('71c263d7050f0a068b19aa0313c16c525a8dc8a1', '1194325d448bf204a32d20417e8bcc20c59dbb1a'),
    ('8744c86cb28a3ef9d9e0a5d23e5c1f96a472d628', 'a46e3a86a5a781f8521fb2c8f17bec7517d14935'),
    ('e73356cfaa7451393e3cab7a554b2692796f1fa9', '9fc2e46ee33dfbdf7cdc7128e6a8e5d3aa8562d5'),
    ('2b0c428a2bbdf09ebff1cb2541134372219da60b', '89cd32680f6ada7647173fd327d9e8acffafcaad'),
    ('009daef7601210d689376a69f32b3929d2a68a10', '4abdd0d95f301a5beeff7935d9119554102bd41b'),
]
MIN_WORDS = 150
MAX_KEPT = 1500
WIDGET = 'Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu '
TAIL = re.compile(r'(?:\s*Nguồn: \[Link nguồn\])+\s*$')
ARTICLE = re.compile(r'^https://www\.24h\.com\.vn/[a-z0-9-]+/[a-z0-9-]+-c\d+a\d+\.html$')
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'café', 'Beyoncé', 'Pokémon', 'Renée', 'José',
              'Zoë', 'Céline', 'Chloé', 'Thiago', 'Müller', 'Hernández', 'Martínez', 'Rodríguez', 'Pérez',
              'García', 'Gómez', 'González', 'López', 'Sánchez', 'Álvarez', 'Fernández',
              # names and loan spellings seen in this source, checked by hand
              'Rosé', 'Hermès', 'Lênin', 'Lúcia', 'Soulé', 'Debí'}
BRAND_OK = {'iPhone', 'iPad', 'YouTube', 'TikTok', 'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald',
            'DeepSeek', 'iOS', 'macOS', 'MacBook', 'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan',
            'BlackRock', 'SoftBank', 'NVIDIA', 'GeForce', 'AirPods', 'iCloud', 'eSIM', 'VinFast', 'HoSE',
            'UPCoM', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank', 'VietinBank', 'GitHub',
            'OnePlus', 'AstraZeneca', 'BioNTech', 'PhD', 'xAI', 'GenAI', 'GenZ', 'nCoV', 'eBay', 'HarperCollins',
            'MasterChef', 'WeChat', 'PetroVietnam', 'VinGroup', 'SHBank', 'TikToker', 'YouTuber', 'iPhones',
            'GDP', 'LiveScience', 'ScienceAlert', 'CoinDesk', 'GameK', 'AutoPro', 'PyeongChang', 'IgE', 'IgA',
            'iFan', 'TriFold'}
INLINE_CAPTION = re.compile(r'Ảnh (?:minh h[oọ][aạ]|concept|cắt|Getty|mang tính)')
JOIN = re.compile(r'\d[A-ZĐ][a-zàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{2}')
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Link nguồn|Nguồn:|Bạn đang xem'
                     r'|Bình luận|Thông tin doanh nghiệp|\(PV\)|Lưu bài viết')


def inner_caption(body):
    return has_inner_caption(body) or INLINE_CAPTION.search(body) is not None


def rows(mirror):
    """(commit, row) for each row of each version, oldest version first."""
    for commit, blob in VERSIONS:
        got = show_file(mirror, commit, PATH, blob)
        for r in csv.DictReader(io.StringIO(got.decode('utf-8'), newline='')):
            yield commit, r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of leduchuy20/crawl_news')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='extend', nargs='+', default=[], help='earlier corpus folder(s)')
    a = ap.parse_args()
    csv.field_size_limit(1 << 30)
    recs = list(rows(a.mirror))
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content.text') or '' for _, r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for _, r in recs:
        st['records'] += 1
        url = r.get('url') or ''
        if not ARTICLE.match(url):
            st['not_article'] += 1
            continue
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        content = r.get('content.text') or ''
        if not content.startswith(WIDGET):
            st['no_widget'] += 1
            continue
        body = TAIL.sub('', content[len(WIDGET):])
        title = (r.get('title') or '').strip()
        if not body.strip() or not title or '\n' in body or '\n' in title:
            st['empty'] += 1
            continue
        if title in heads or ' '.join(body.split()[:30]) in opens:
            st['known'] += 1
            continue
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK, inner_caption=inner_caption)
        if reason is None and JOIN.search(body):
            reason = 'join'
        if reason:
            drops.drop(reason, url, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        kept.append((url, r.get('published_at') or '', title, body))
    if len(kept) > MAX_KEPT:
        pick = set(random.Random(86).sample(range(len(kept)), MAX_KEPT))
        kept = [k for i, k in enumerate(kept) if i in pick]
    words = 0
    for i, (url, date, title, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, url, date, '24h.com.vn', [title, body])
    st['kept'] = len(kept)
    print('snapshot', HEAD, 'file', PATH, 'versions', len(VERSIONS))
    for k in ['records', 'not_article', 'dup_url', 'no_widget', 'empty', 'known', 'short', 'remnant',
              'caption', 'repeat', 'glue', 'join', 'dup', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
