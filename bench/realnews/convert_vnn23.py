#!/usr/bin/env python3
"""Convert the VietNamNet articles committed in ptthanh02/VN_NewsCrawler
(result/<section>/<n>.txt, added in commit 067d67d44ca2b5e2862dbdecf9a9aa7c3f8261fa,
2023-10-16, unchanged at HEAD 767932a89fb8acdd959330b61a997c994eb5ba79; no
licence stated, so only snippets are kept) into OUT/vnn23-NNNN.txt.

  python3 convert_vnn23.py --mirror MIRROR --out OUT [--exclude FOLDER ...]

Source: 50 files, the first 10 articles of five VietNamNet sections (thoi-su,
kinh-doanh, van-hoa, giao-duc, the-gioi) as listed on 16 October 2023 (the
copies under completed_code/result/ are the same blobs).  The repository's
crawl.py wrote `title + "\\n" + content`, content being BeautifulSoup's
get_text() of div.maincontent with runs of newlines squeezed: one paragraph a
line, crossheads and photo captions on lines of their own (captions between
blank lines), VietNamNet's related-article teasers at the end.  The sapo
(outside that div), the address and the date are not stored.
  * The teasers are cut and blank lines dropped, each line's edge
    whitespace removed, with convert_vnn25.body_lines (the same page layout
    as vnn25's source); nothing else is changed (no NFC).

Output per file:
  # url =  (not stored)
  # date =  (not stored; the files were committed 16 October 2023)
  # site = vietnamnet.vn
  <title>
  <body, one paragraph per line>

Drop rules, first match counts (as convert_vnn25.py):
  empty        no body left
  listing      not prose (more than 5 body lines with no letter)
  appeal       a charity appeal with bank details
  short        < 150 whitespace-split words (title + body)
  remnant      U+FFFD, HTML tag / entity, page chrome (convert_vnn25.REMNANT)
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs (rules a-e of crawl_glue.py)
  quote_glue   a letter, a quotation mark and a letter run together
               ("'Paquita'Vở ballet"): a related-article teaser whose headline
               ends in a quotation ran into its sapo (body_lines leaves it
               when it is not last; crawl_glue's rules split words at the mark)
  dangling     the body's last line ends with ":" (the intro of an embedded
               video or box that the crawl lost)
  dup          exact duplicate body of an already kept article
  seen         headline, or the first 30 words of the body, already in an
               --exclude corpus folder
Running it twice writes the same files.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import Drops, clear_out, known_articles, screen, viet_ascii_words, write_article  # noqa: E402
from convert_vnn25 import APPEAL, BRAND_OK, FOREIGN_OK, REMNANT, body_lines  # noqa: E402

NAME = 'vnn23'
COMMIT = '067d67d44ca2b5e2862dbdecf9a9aa7c3f8261fa'
MIN_WORDS = 150
QUOTE_GLUE = re.compile(r"[^\W_]['’”\"][^\W\d_]")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of ptthanh02/VN_NewsCrawler')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='append', default=[], help='earlier corpus folder (repeatable)')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    paths = sorted((p for p in git('ls-tree', '-r', '--name-only', COMMIT, 'result').decode().splitlines()
                    if p.endswith('.txt')), key=lambda p: (p.split('/')[1], int(p.split('/')[2][:-4])))
    recs = []
    for p in paths:
        title, _, content = git('show', COMMIT + ':' + p).decode('utf-8').partition('\n')
        recs.append((p, title.strip(), content))
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(c for _, _, c in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_body, kept = set(), []
    for p, title, content in recs:
        st['records'] += 1
        lines, cut = body_lines(content)
        if not lines:
            st['empty'] += 1
            continue
        if sum(not re.search(r'[^\W\d_]', l) for l in lines) > 5:
            st['listing'] += 1
            continue
        body = '\n'.join(lines)
        if APPEAL.search(body):
            st['appeal'] += 1
            continue
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK)
        if reason:
            drops.drop(reason, p, h)
            continue
        if QUOTE_GLUE.search(body):
            st['quote_glue'] += 1
            continue
        if lines[-1].endswith(':'):
            st['dangling'] += 1
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        if title in heads or ' '.join(lines[0].split()[:30]) in opens:
            st['seen'] += 1
            continue
        st['tail_cut'] += cut > 0
        kept.append((title, body))
    words = 0
    for i, (title, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, '', '', 'vietnamnet.vn', [title, body])
    st['kept'] = len(kept)
    print('commit', COMMIT, 'files result/*/*.txt')
    for k in ['records', 'empty', 'listing', 'appeal', 'short', 'remnant', 'repeat', 'glue', 'quote_glue', 'dangling', 'dup', 'seen',
              'tail_cut', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
