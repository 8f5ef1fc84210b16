#!/usr/bin/env python3
"""Convert the VnEconomy articles that PeterDingVN/vneconomy_articles_scraper
committed (one Scrapy run over the first page of ten sections, early March
2026) into OUT/vnec26-NNNN.txt.

  python3 convert_vnec26.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: github.com/PeterDingVN/vneconomy_articles_scraper at commit
305c1f08fbfacef98c2fa4693178c1b64ca8b94e (2026-03-06; MIT licence), the file
vnecon_articles.jsonl (its only version): 217 JSON lines {Title, Category,
Date, Content}.  Category is the section (tieu diem, dau tu, tai chinh, kinh te
so, kinh te xanh, thi truong, nhip cau doanh nghiep, dia oc, kinh te the gioi,
dan sinh); Date "YYYY-MM-DD HH:MM" (146 in March 2026, 49 in February, 7
older).  The url is not stored.
  * Content is the text of the page's <p class="text-justify"> paragraphs
    (so no photo captions, no sapo), joined by the spider: a space is put
    between two text pieces only when the first ends in . , ! : ; ? " --
    so the body is ONE line (no paragraph breaks), and a paragraph or text
    piece that ends without such a mark runs into the next one ("...tăng
    trưởngNăm 2026"): those articles fall to the glue screen.
  * Nothing else is changed: no NFC, no whitespace edit.

Output per file:
  # url =            (not in the source)
  # date = <Date, as stored>
  # site = vneconomy.vn
  <Title>
  <Content, one line>

Drop rules, first match counts:
  empty        no title or no content
  dup_title    title already read (the same article listed in two sections)
  known        headline or first 30 words already in an --exclude folder
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Bình
               luận") or a notice of sponsored copy ("Thông tin doanh
               nghiệp", "(PR)")
  caption      a photo credit "Ảnh:" inside the body (has_inner_caption)
  join         a run-together the glue rules miss, from the spider's joining:
               a closing mark the spider does not count (… ” ) ] ") glued
               to a following capital ("tăng.”Chủ", "2030…Những"), or a
               digit glued to a capitalised word ("2026Năm") -- JOIN
  repeat       some run of 20 words occurs twice
  glue         crawler-glue signs in title or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an article already kept
Kept articles are numbered in file order.

Run with --exclude of the baomoi and dantri corpora, corpus11/{tt24, vnn25,
vnx20all} and corpus11/old/{vnx21, vnx25, vnx26, vnxbd, vfnd, edu}: 217
records; empty 13, dup_title 0, known 0, short 0, remnant 0, caption 0,
repeat 19, glue 15, join 19, dup 0; kept 151 (119,184 words with the
metadata lines).
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import (Drops, clear_out, has_inner_caption, known_articles, screen,  # noqa: E402
                        show_file, viet_ascii_words, write_article)

NAME = 'vnec26'
COMMIT = '305c1f08fbfacef98c2fa4693178c1b64ca8b94e'
PATH = 'vnecon_articles.jsonl'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'café', 'Beyoncé', 'Pokémon', 'Renée', 'José',
              'Zoë', 'Céline', 'Chloé', 'Thiago', 'Müller', 'Hernández', 'Martínez', 'Rodríguez', 'Pérez',
              'García', 'Gómez', 'González', 'López', 'Sánchez', 'Álvarez', 'Fernández',
              # names and loan spellings seen in this source, checked by hand
              'điêzen', 'madút', 'mêtan', 'Kostić', 'Tokelės'}
BRAND_OK = {'iPhone', 'iPad', 'YouTube', 'TikTok', 'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald',
            'DeepSeek', 'iOS', 'macOS', 'MacBook', 'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan',
            'BlackRock', 'SoftBank', 'NVIDIA', 'GeForce', 'AirPods', 'iCloud', 'eSIM', 'VinFast', 'HoSE',
            'UPCoM', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LPBank', 'VietinBank', 'GitHub',
            'OnePlus', 'AstraZeneca', 'BioNTech', 'PhD', 'xAI', 'GenAI', 'GenZ', 'nCoV', 'eBay', 'HarperCollins',
            'MasterChef', 'WeChat', 'PetroVietnam', 'VinGroup', 'SHBank', 'TikToker', 'YouTuber', 'iPhones',
            'GDP', 'LiveScience', 'ScienceAlert', 'CoinDesk', 'GameK', 'AutoPro', 'YoY', 'LoA'}
INLINE_CAPTION = re.compile(r'Ảnh (?:minh h[oọ][aạ]|concept|cắt|Getty|mang tính)')
UPPER = 'A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ'
JOIN = re.compile(r'\S[…”)\]"](?=["“]?[' + UPPER + r'])|\d[' + UPPER + r'][a-zàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩị'
                  r'òóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]')
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Bình luận|Thông tin doanh nghiệp|\(PR\)')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of PeterDingVN/vneconomy_articles_scraper')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='extend', nargs='+', default=[], help='earlier corpus folder(s)')
    a = ap.parse_args()
    raw = show_file(a.mirror, COMMIT, PATH).decode('utf-8')
    recs = [json.loads(l) for l in raw.split('\n') if l.strip()]
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('Content') or '' for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_title, seen_body, kept = set(), set(), []
    for r in recs:
        st['records'] += 1
        title, body = r.get('Title') or '', r.get('Content') or ''
        if not title.strip() or not body.strip() or '\n' in title + body:
            st['empty'] += 1
            continue
        if title in seen_title:
            st['dup_title'] += 1
            continue
        seen_title.add(title)
        if title in heads or ' '.join(body.split()[:30]) in opens:
            st['known'] += 1
            continue
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK, inner_caption=has_inner_caption)
        if reason is None and JOIN.search(body):
            reason = 'join'
        if reason:
            drops.drop(reason, title, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        kept.append((r.get('Date') or '', title, body))
    words = 0
    for i, (date, title, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, '', date, 'vneconomy.vn', [title, body])
    st['kept'] = len(kept)
    print('commit', COMMIT, 'file', PATH)
    for k in ['records', 'empty', 'dup_title', 'known', 'short', 'remnant', 'caption', 'repeat', 'glue', 'join', 'dup',
              'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
