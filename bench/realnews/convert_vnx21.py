#!/usr/bin/env python3
"""Convert the VnExpress articles committed in
haotran0103/Vietnamese-Article-Search-API-using-Elasticsearch-and-Sentence-Transformers
(data/<category>.json, 478 records, published 31 Oct - 5 Nov 2021) into OUT/vnx21-NNNN.txt.

  python3 convert_vnx21.py --mirror MIRROR --out OUT

Source: data/*.json at HEAD (11 files, one per VnExpress section: du-lich,
giai-tri, giao-duc, khoa-hoc, kinh-doanh, phap-luat, so-hoa, suc-khoe,
the-gioi, the-thao, thoi-su).  Each record: id (VnExpress article id), title,
author (numeric id), updatetime, wordcount, publication (Unix epoch), tags,
content.  The repository's vnexpress.csv is only a pandas concatenation of
these files (prepare_data.ipynb): not read.
  * content is the article body with its paragraphs joined by one space (NO
    paragraph breaks: one line; 15 bodies keep a stored newline, mostly before
    a closing photo credit "Ảnh: ..." -- those stay separate lines).  The
    closing byline ("Anh Minh (Theo News)") is its last words.  Slideshow
    articles carry every photo caption twice (dropped by rule "repeat").
  * title carries a JSON-level escape: a literal backslash before every
    apostrophe ("MacBook Pro \\'tai thỏ\\'"): "\\'" is turned back into "'"
    (the only change made to any text; 163 occurrences in 81 titles, none in
    bodies).
  * No URL is stored (only the numeric id): the url line gives the id.

Output per file:
  # url = (not stored; VnExpress article id <id>)
  # date = <publication epoch as local time, UTC+07:00> +07:00
  # site = vnexpress.net
  <title>
  <content>          (one line; split only at stored newlines)
Nothing else is normalised (no NFC, no whitespace change inside lines).

Drop rules, first match counts:
  dup_id     article id already seen (2 articles are filed in two sections)
  empty      no content
  short      < 150 whitespace-split words (title + body)
  remnant    U+FFFD, HTML tag / entity, backslash, page chrome ("Xem thêm",
             "Đọc thêm", "Tin liên quan", "Video:", "Clip:", ">>")
  caption    a photo caption/credit inside the body ("Ảnh:" anywhere but in a
             closing credit: one "Ảnh:" with < 80 characters and no sentence
             end after it)
  repeat     some run of 20 words occurs twice in the body (slideshow captions)
  glue       crawler-glue signs in title or body (rules a-e of crawl_glue.py),
             with a whitelist of loan spellings / foreign names seen here
  dup        exact duplicate body of an already kept article
Kept articles are numbered 0001.. in file order (sections alphabetically,
records in stored order).  Fewer than 600 remain, so no sampling (seed 77
would be used otherwise).
"""
import argparse
import datetime
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import Drops, clear_out, has_inner_caption, screen, viet_ascii_words  # noqa: E402

MIN_WORDS = 150
NAME = 'vnx21'
TZ = datetime.timezone(datetime.timedelta(hours=7))

# rule c / d false positives of this source (loan spellings, foreign names), checked by hand
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'Êkíp', 'virút', 'balô', 'atisô', 'đôla', 'Hermès', 'César',
              'Schweighöfer', 'Timothée', 'Créteil', 'Française', 'Développement', 'Amélie',
              'Sánchez', 'Lancôme', 'Gérard', 'Martínez', 'Vázquez', 'Dodô', 'Tetê', 'Haïdara', 'bêtông'}
# rule d false positives: abbreviations / brands in camel case (glue that stays dropped: "VnExpresscũng",
# "súngđao", "tếtrước", "khitrọng", "KorvisKhan", "VanVo", "Reuters,CNBC)", names run into the
# expert's job title "ChínhGiám", "DungPhó", "HồngTrưởng", "LiênHệ", "ThyBệnh", "HươngBác")
BRAND_OK = {'nCoV', 'CoV', 'GenZ', 'VinAI', 'BoE', 'HoSE', 'HoREA', 'UPCoM', 'eBay', 'CoinTelegraph',
            'CoinMarketCap', 'CoinMarketcap', 'DeFi', 'IgA', 'andMe'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|\\'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True,
                    help='git directory of haotran0103/Vietnamese-Article-Search-API-using-Elasticsearch-and-Sentence-Transformers')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    commit = git('rev-parse', 'HEAD').decode().strip()
    names = sorted(n for n in git('ls-tree', '--name-only', commit + ':data').decode().split('\n')
                   if n.endswith('.json'))
    recs = []
    for n in names:
        for r in json.loads(git('show', '%s:data/%s' % (commit, n)).decode('utf-8')):
            recs.append((n[:-5], r))

    viet_ascii = viet_ascii_words(r.get('content') or '' for _, r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    stats = drops.counts
    seen_id, seen_body, kept = set(), set(), []
    for sect, r in recs:
        stats['records'] += 1
        aid = str(r['id'])
        if aid in seen_id:
            stats['dup_id'] += 1
            continue
        seen_id.add(aid)
        title = (r.get('title') or '').replace("\\'", "'").strip()
        lines = [l.strip() for l in (r.get('content') or '').split('\n') if l.strip()]
        if not lines:
            stats['empty'] += 1
            continue
        body = '\n'.join(lines)
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK, inner_caption=has_inner_caption)
        if reason:
            drops.drop(reason, aid, h)
            continue
        if body in seen_body:
            stats['dup'] += 1
            continue
        seen_body.add(body)
        if 'Ảnh:' in body:
            stats['kept_with_closing_photo_credit'] += 1
        if '\n' in body:
            stats['kept_multiline'] += 1
        date = datetime.datetime.fromtimestamp(int(r['publication']), TZ).strftime('%Y-%m-%d %H:%M:%S +07:00')
        kept.append((aid, date, sect, title, body))
    if len(kept) > 600:
        kept = random.Random(77).sample(kept, 600)
    words = 0
    for i, (aid, date, sect, title, body) in enumerate(kept, 1):
        out = ['# url = (not stored; VnExpress article id %s)' % aid,
               '# date = ' + date,
               '# site = vnexpress.net',
               title, body]
        text = '\n'.join(out) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    stats['kept'] = len(kept)
    print('commit', commit, 'files', ' '.join(names))
    for k in ['records', 'dup_id', 'empty', 'short', 'remnant', 'caption', 'repeat', 'glue', 'dup',
              'kept', 'kept_with_closing_photo_credit', 'kept_multiline']:
        print('%-32s %d' % (k, stats[k]))
    print('%-32s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
