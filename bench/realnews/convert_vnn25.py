#!/usr/bin/env python3
"""Convert the VietNamNet articles committed in tex-corver/vietnamnet-crawler
(data.csv as of commit 3f2523901538119bec372f2c3109e8cc672d305c, 2025-04-08,
"Refactor Crawler"; unchanged at HEAD 08966fb7c3299804b951657f979edeab791b428a;
no licence stated, so only snippets are kept) into OUT/vnn25-NNNN.txt.

  python3 convert_vnn25.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: data.csv, 400 rows (25 from each of 16 sections: chinh-tri, thoi-su,
kinh-doanh, thong-tin-truyen-thong, the-thao, giao-duc, the-gioi, doi-song,
giai-tri, suc-khoe, phap-luat, oto-xe-may, du-lich, bat-dong-san, van-hoa,
ban-doc), published 29 March - 7 April 2025 (a few older, from the section
pages' first screen).  Columns: category, url, title, author, summary (the
sapo), content, time ("Chủ Nhật, 06/04/2025 - 05:30").  The earlier data.csv
versions (92b41d8, 6420348) are over 4 MiB and missing from the snapshot.
  * content is BeautifulSoup's .text of the article div: one paragraph per
    line (the newlines of the page source), photo captions as lines of their
    own between blank lines ("... Ảnh: Phạm Hải" -- kept, as published),
    embedded boxes leaving runs of 3+ newlines.  Blank lines are dropped;
    each line's edge whitespace (mostly a trailing U+00A0) is removed;
    nothing else is changed (no NFC; U+200B kept where it stands).
  * After the text most articles carry VietNamNet's related-article box:
    blocks of exactly two lines (a headline without closing punctuation, then
    its one-paragraph sapo), each after a blank line (mostly 3+ newlines); or
    a single teaser whose headline the crawler ran into its sapo on one line
    ("... Công an tỉnhKhi giải phóng ..."), after a blank line.  From the end, such
    blocks are cut as long as one is there (articles with a cut counted as
    tail_cut).  A glued teaser left inside the text is caught by the glue
    screen.
  * The author column (byline) is not written; the body holds no byline.

Output per file:
  # url = <url>
  # date = YYYY-MM-DD HH:MM (from the time column, GMT+7)
  # site = vietnamnet.vn
  <title>
  <summary (sapo)>
  <body, one paragraph per line>

Drop rules, first match counts:
  dup_url      url already seen
  empty        no body left
  listing      not prose: price/score tables, fixtures, donor lists (titles
               "Giá vàng hôm nay", "Lịch thi đấu", "Kết quả bóng đá",
               "Bảng xếp hạng", or more than 5 body lines with no letter)
  appeal       a charity appeal with bank details ("Số tài khoản",
               "Chuyển khoản:", "Swift code")
  short        < 150 whitespace-split words (title + sapo + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", ">>", a line "Thu gọn", "Mới nhất",
               "Cũ nhất", "Chính xác", "Video", "Ảnh", "XEM CLIP:")
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs in title, sapo or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an already kept article
  seen         headline, or the first 30 words of the body, already in an
               --exclude corpus folder (none expected: no earlier corpus
               holds VietNamNet of 2025)
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
from crawl_glue import Drops, clear_out, known_articles, screen, viet_ascii_words  # noqa: E402

NAME = 'vnn25'
COMMIT = '3f2523901538119bec372f2c3109e8cc672d305c'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ',
              'café', 'Café', 'ôxy', 'Matxcơva', 'Pokémon', 'Rosé', 'José', 'André', 'Thérèse', 'Müller',
              # foreign names and loan spellings seen in this source, checked by hand
              'Ảrập', 'Bésame', 'Babić', 'Vatnajökull', 'Lençóis', 'Kitô', 'Higuaín'}
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube',
            'TikTok', 'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald', 'DeepSeek', 'iOS', 'macOS',
            'MacBook', 'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan', 'BlackRock', 'SoftBank',
            'VietNamNet', 'VietnamNet', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank',
            'VietinBank', 'VietcomBank', 'PhD', 'GenAI', 'AirPods', 'eSIM', 'VnExpress', 'LinkedIn',
            'GitHub', 'PowerPoint', 'BioNTech', 'AstraZeneca', 'VinUni', 'VinSmart', 'MoMo', 'ZaloPay',
            'ShopeeFood', 'GrabFood', 'MobiFone', 'VinaPhone', 'VNPay', 'VNPT', 'VTVcab', 'FPTShop', 'DiCaprio', 'xAI'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|>>'
                     r'|^(?:Thu gọn|Mới nhất|Cũ nhất|Chính xác|Video|Ảnh|XEM CLIP:?)$', re.M)
LISTING_TITLE = re.compile(r'Giá vàng hôm nay|Lịch thi đấu|Kết quả bóng đá|Bảng xếp hạng|Tỷ giá|xổ số', re.I)
APPEAL = re.compile(r'Số tài khoản|Chuyển khoản:|Swift code')
ARTICLE = re.compile(r'^https://vietnamnet\.vn/[a-z0-9-]+-\d+\.html$')
TIME = re.compile(r'(\d{2})/(\d{2})/(\d{4}) - (\d{2}:\d{2})')
END_PUNCT = re.compile(r'[.!?…:;,"”\'’)]$')
HEAD_END = re.compile(r'[.…:;,"”\'’)]$')   # a teaser's headline may end with ? or !


def is_teaser(block):
    """A related-article teaser: a headline line (<= 30 words, no closing punctuation but ? !)
    then one sapo line ending a sentence."""
    lines = [l.strip() for l in block.split('\n') if l.strip()]
    if len(lines) != 2:
        return False
    head, sapo = lines
    return (not HEAD_END.search(head) and len(head.split()) <= 30 and head.lstrip('‘“\'"')[:1].isupper()
            and re.search(r'[.!?…"”]$', sapo) is not None)


def glued_teaser(line):
    """A related-article teaser whose headline the crawler ran into its sapo ("... Công an
    tỉnhKhi giải phóng ...", "... sau sắp xếp?Tỉnh ..."): split at the first lower-case
    letter, ? or ! followed by a capital, the head is 5-30 words without closing punctuation, the rest ends a sentence."""
    for i in range(len(line) - 1):
        if (line[i].islower() or line[i] in '?!') and line[i + 1].isupper():
            head, rest = line[:i + 1], line[i + 1:].strip()
            return (5 <= len(head.split()) <= 30 and not END_PUNCT.search(head)
                    and re.search(r'[.!?…"”]$', rest) is not None)
    return False


def body_lines(content):
    """(lines, number of teasers cut from the end).  From the end, as long as one is
    there, cut a two-line teaser block or a single-line glued teaser (each after a blank
    line)."""
    text, cut = content.strip(), 0
    while True:
        m = re.search(r'\n[ \t\xa0]*\n\s*([^\n]*\n[^\n]*)$', text)
        if m and text[:m.start()].strip() and is_teaser(m.group(1)):
            text, cut = text[:m.start()].rstrip(), cut + 1
            continue
        m = re.search(r'\n[ \t\xa0]*\n\s*([^\n]*)$', text)
        if m and text[:m.start()].strip() and glued_teaser(m.group(1).strip()):
            text, cut = text[:m.start()].rstrip(), cut + 1
            continue
        break
    lines = [l.strip() for l in text.split('\n')]
    return [l for l in lines if l], cut


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of tex-corver/vietnamnet-crawler')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='append', default=[], help='earlier corpus folder (repeatable)')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    csv.field_size_limit(1 << 30)
    rows = list(csv.DictReader(io.StringIO(git('show', COMMIT + ':data.csv').decode('utf-8'), newline='')))
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content') or '' for r in rows)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for r in rows:
        st['records'] += 1
        url = (r.get('url') or '').strip()
        if not ARTICLE.match(url):
            st['not_article'] += 1
            continue
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        title = (r.get('title') or '').strip()
        sapo = (r.get('summary') or '').strip()
        lines, cut = body_lines(r.get('content') or '')
        if not lines:
            st['empty'] += 1
            continue
        if LISTING_TITLE.search(title) or sum(not re.search(r'[^\W\d_]', l) for l in lines) > 5:
            st['listing'] += 1
            continue
        body = '\n'.join(lines)
        if APPEAL.search(body):
            st['appeal'] += 1
            continue
        reason, h = screen(title + '\n' + sapo, body, min_words=MIN_WORDS, remnant=REMNANT,
                           viet_ascii=viet_ascii, foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK)
        if reason:
            drops.drop(reason, url, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        if title in heads or ' '.join(lines[0].split()[:30]) in opens or ' '.join(sapo.split()[:30]) in opens:
            st['seen'] += 1
            continue
        seen_body.add(body)
        st['tail_cut'] += cut > 0
        m = TIME.search(r.get('time') or '')
        date = '%s-%s-%s %s' % (m.group(3), m.group(2), m.group(1), m.group(4)) if m else ''
        kept.append((url, date, title, sapo, body))
    words = 0
    for i, (url, date, title, sapo, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = ' + url, '# date = ' + date, '# site = vietnamnet.vn',
                          title] + ([sapo] if sapo else []) + [body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT, 'file data.csv')
    for k in ['records', 'not_article', 'dup_url', 'empty', 'listing', 'appeal', 'short', 'remnant', 'repeat',
              'glue', 'dup', 'seen', 'tail_cut', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
