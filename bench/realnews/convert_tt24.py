#!/usr/bin/env python3
"""Convert the Tuổi Trẻ articles committed in kitsunehivern/TuoiTreSearchEngine
(data/<postId>.json at commit 0a940c00b53e6c8d0d47c0d2bac7d4a2fc07c09c, 2024-12-20,
the only commit holding data/; no licence stated, so only snippets are kept) into
OUT/tt24-NNNN.txt.

  python3 convert_tt24.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: 1,000 files data/<postId>.json, one article each, crawled from tuoitre.vn's
section timelines by the repository's crawler.py (requests + BeautifulSoup) and
published 4-28 November 2024: Thế giới 196, Pháp luật 194, Sức khỏe 183, Thời sự
159, Giáo dục 148, Bạn đọc làm báo 44 (readers' pieces edited by the paper), and
a few of Nhịp sống trẻ, Kinh doanh, Khoa học, Nhà đất, Thời tiết, Công nghệ ...
Keys: postId, title (og:title), description (og:description: the sapo), content,
author (the byline, not written), date (article:published_time, +07:00),
category, images, comments (readers' comments, not read), audio podcast, vote
react list.
  * content is " ".join(p.text for p in the article div's DIRECT <p> children):
    the paragraphs joined by one space (NO paragraph breaks: one line; 6 bodies
    keep a stored newline inside a paragraph's text -- split there).  Photo
    captions (in <figure>), crossheads (<h2>/<h3>), lists, tables and quote
    boxes are not <p> children and are missing, so the text can jump where
    they stood ("... bao gồm:" then the next paragraph).  A paragraph whose
    text ends in a space leaves two spaces at the join (kept, as stored);
    U+00A0 inside lines kept.
  * title and description come from the page's og: meta tags, which write
    quotation marks mostly as straight single quotes: 118 titles and 115
    descriptions hold ', none of the titles and 13 descriptions hold ",
    while the bodies mostly use " (678 bodies; ' in 33).  A quote-mark
    finding that rests on the headline or sapo differing from the body may
    be the meta tag's doing (judge it ARTEFACT unless the body alone shows it).
  * No address is stored (only the id): the url line gives the id.

Output per file:
  # url = (not stored; Tuổi Trẻ article id <postId>)
  # date = <date as stored, e.g. 2024-11-05T07:36:28+07:00>
  # site = tuoitre.vn
  <title>
  <description (sapo); left out when content already starts with it>
  <content, one line (split only at stored newlines)>
Each line's edge whitespace is removed and blank lines dropped; nothing else
is changed (no NFC, no whitespace change inside lines).

Drop rules, first match counts:
  empty        no content
  listing      a price/score table or lottery title ("Giá vàng hôm nay",
               "Lịch thi đấu", "Kết quả bóng đá", "Bảng xếp hạng", "Tỷ giá",
               "xổ số")
  appeal       a charity appeal with bank details ("Số tài khoản",
               "Chuyển khoản:", "Swift code")
  short        < 150 whitespace-split words (title + sapo + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Kỳ tới")
  caption      a photo credit "Ảnh:" inside the body (crawl_glue's
               has_inner_caption; none expected: captions are not <p>)
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs in title, sapo or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an already kept article
  seen         headline, or the first 30 words of the sapo or body, already
               in an --exclude corpus folder
At commit 0a940c0 (with --exclude of the baomoi, dantri and
vnn25): 1,000 records, 1 empty, 2 listing, 2 short, 2 remnant (">> Kỳ tới",
"<="), 30 repeat (legal and official wording repeated in the text itself: no
captions here), 4 glue (Rh(D), "TP,HCM)", ":Các", "sôngTiền": likely as
published, since BeautifulSoup keeps a paragraph's own spacing), 0 dup, 0 seen;
959 kept.
Kept articles are numbered 0001.. in postId order (the order of the file
names).  Running it twice writes the same files.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import Drops, clear_out, has_inner_caption, known_articles, screen, viet_ascii_words  # noqa: E402

NAME = 'tt24'
COMMIT = '0a940c00b53e6c8d0d47c0d2bac7d4a2fc07c09c'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'Đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ',
              'café', 'Café', 'ôxy', 'Matxcơva', 'Mátxcơva',
              # foreign names, loan spellings and place names seen in this source, checked by hand
              'magiê', 'Magiê', 'urê', 'Caribê', 'Bolikhămxay', 'Đakrông', 'DLiê', 'Høiby', 'Øyvind', 'González',
              'Álvarez', 'Sánchez', 'Ramón', 'Rodríguez', 'Américas', 'Pérez', 'Cuéllar', 'Dató', 'Dumańska',
              'Słowik', 'Inżynieria', 'Françoise', 'Chamaléa', 'Inácio', 'Maspéro', 'Matías', 'Vílchez', 'Pétrus',
              'Maxtcơva'}  # (a published misspelling of Matxcơva, not glue)
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube', 'TikTok',
            'OpenAI', 'ChatGPT', 'PayPal', 'LinkedIn', 'McDonald', 'DeepSeek', 'iOS', 'macOS', 'MacBook',
            'PlayStation', 'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan', 'BlackRock', 'SoftBank', 'NVIDIA',
            'VnExpress', 'VietinBank', 'TechcomBank', 'VietcomBank', 'SeABank', 'VPBank', 'HDBank', 'TPBank',
            'MBBank', 'LPBank', 'PhD', 'xAI', 'VietJet', 'TikToker', 'GenAI', 'AirPods', 'eSIM', 'GitHub',
            'PowerPoint', 'BioNTech', 'AstraZeneca', 'VinUni', 'MoMo', 'ZaloPay', 'MobiFone', 'VinaPhone',
            'VNPay', 'DiCaprio', 'CoV', 'LaKe', 'dBA', 'BiPAP', 'CoMO', 'IMRaD', 'TaXSim', 'ChangXin', 'LaRosa'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Chia sẻ bài|Sao chép liên kết|Kỳ tới')
LISTING_TITLE = re.compile(r'Giá vàng hôm nay|Lịch thi đấu|Kết quả bóng đá|Bảng xếp hạng|Tỷ giá|xổ số', re.I)
APPEAL = re.compile(r'Số tài khoản|Chuyển khoản:|Swift code')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of kitsunehivern/TuoiTreSearchEngine')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='append', default=[], help='earlier corpus folder (repeatable)')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    names = sorted(n for n in git('ls-tree', '--name-only', COMMIT, 'data/').decode('utf-8').split('\n')
                   if n.endswith('.json'))
    recs = [json.loads(git('show', COMMIT + ':' + n).decode('utf-8')) for n in names]
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content') or '' for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_body, kept = set(), []
    for r in recs:
        st['records'] += 1
        pid = str(r.get('postId') or '')
        title = (r.get('title') or '').strip()
        sapo = (r.get('description') or '').strip()
        lines = [l.strip() for l in (r.get('content') or '').split('\n') if l.strip()]
        if not lines:
            st['empty'] += 1
            continue
        if sapo and lines[0].startswith(sapo):
            st['sapo_in_body'] += 1
            sapo = ''
        if LISTING_TITLE.search(title):
            st['listing'] += 1
            continue
        body = '\n'.join(lines)
        if APPEAL.search(body):
            st['appeal'] += 1
            continue
        reason, h = screen(title + ('\n' + sapo if sapo else ''), body, min_words=MIN_WORDS, remnant=REMNANT,
                           viet_ascii=viet_ascii, foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK,
                           inner_caption=has_inner_caption)
        if reason:
            drops.drop(reason, pid, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        if title in heads or ' '.join(lines[0].split()[:30]) in opens or \
                (sapo and ' '.join(sapo.split()[:30]) in opens):
            st['seen'] += 1
            continue
        seen_body.add(body)
        kept.append((pid, (r.get('date') or '').strip(), title, sapo, body))
    words = 0
    for i, (pid, date, title, sapo, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = (not stored; Tuổi Trẻ article id %s)' % pid, '# date = ' + date,
                          '# site = tuoitre.vn', title] + ([sapo] if sapo else []) + [body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT, 'files data/*.json')
    for k in ['records', 'empty', 'sapo_in_body', 'listing', 'appeal', 'short', 'remnant', 'caption', 'repeat',
              'glue', 'dup', 'seen', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
