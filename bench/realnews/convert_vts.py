#!/usr/bin/env python3
"""Convert the 200 plain-text news articles in dangnm9699/vietnamese-text-summarization
(data/plaintext/<topic>/<id>.txt at commit 867a03a80528876100a7359dae83e1c171768811,
2021-06-10; topics Chinh tri, Van Hoa, Xa Hoi, boKHCN, khoahoc_giaoduc, kinhte) into
OUT/vts-NNNN.txt.

  python3 convert_vts.py --mirror MIRROR --out OUT

Source files: UTF-8 (most with a BOM), line 1 the headline, then one paragraph a line,
some with blank lines between paragraphs, a few CRLF.  Raw text with diacritics, not
word-segmented.  No url, date or outlet is stored; the texts are Vietnamese news and
ministry-site articles, mostly 2012-2013 (some open "(Dân trí) -", "(PL&XH) -").
Conversion: BOM dropped, CRLF -> LF, edge whitespace of each line stripped, blank lines
dropped (nothing else changed; no NFC).  Line 1 is the headline unless it is a long
sentence-final paragraph (> 25 words, ends in . ! ? … " ”): then there is no headline line.

Drop rules, first match counts: empty, short (< 150 words incl. headline), remnant (HTML
entity means a named HTML entity: 'KH&CN;' is the ministry's abbreviation before a semicolon),
repeat, glue (crawl_glue.screen), dup (exact duplicate body).
"""
import argparse
import os
import re
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import clear_out, screen, viet_ascii_words  # noqa: E402

NAME = 'vts'
COMMIT = '867a03a80528876100a7359dae83e1c171768811'
MIN_WORDS = 150
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'Đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ', 'café',
              'Mátxcơva', 'Arập', 'phibroximăng'}  # old spellings / loan words, checked by hand
BRAND_OK = {'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube', 'PetroVietnam',
            'PetroVietNam', 'VnExpress', 'VietinBank', 'TechcomBank', 'SeABank', 'VPBank', 'HDBank', 'TPBank',
            'PhD', 'iOS', 'LinkedIn', 'PayPal', 'McDonald', 'MobiFone', 'VinaPhone', 'VietNam', 'GenZ'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:amp|lt|gt|quot|apos|nbsp|ndash|mdash|#\d+|#x[0-9a-fA-F]+);'  # not &CN; of KH&CN;
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Chia sẻ bài|Bình luận')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of dangnm9699/vietnamese-text-summarization')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    paths = sorted(p for p in git('ls-tree', '-r', '-z', '--name-only', COMMIT, 'data/plaintext').decode().split('\0')
                   if p.endswith('.txt'))
    docs = []
    for p in paths:
        t = git('show', COMMIT + ':' + p).decode('utf-8').lstrip('\ufeff').replace('\r\n', '\n').replace('\r', '\n')
        lines = [l.strip() for l in t.split('\n') if l.strip()]
        docs.append((p, lines))
    viet_ascii = viet_ascii_words('\n'.join(l) for _, l in docs)
    clear_out(a.out, NAME)
    st, kept, seen, glue_ex = Counter(), [], set(), []
    for p, lines in docs:
        st['records'] += 1
        if len(lines) < 2:
            st['empty'] += 1
            continue
        if len(lines[0].split()) > 25 and re.search(r'[.!?…"”]$', lines[0]):
            st['no_headline'] += 1  # the file opens with a paragraph: written without a headline line
            title, body = '', '\n'.join(lines)
        else:
            title, body = lines[0], '\n'.join(lines[1:])
        reason, h = screen(title, body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK)
        if reason:
            st[reason] += 1
            print('  drop', reason, p, h[:4] if h else '')
            continue
        if body in seen:
            st['dup'] += 1
            continue
        seen.add(body)
        kept.append((p, title, body))
    words = 0
    for i, (p, title, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = (not stored; source file %s of dangnm9699/vietnamese-text-summarization)' % p,
                          '# date = (not stored; texts mostly 2012-2013, repository committed 2021-06)',
                          '# site = (not stored; mixed Vietnamese news outlets and ministry sites)',
                          ] + ([title] if title else []) + [body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT)
    for k in ['records', 'no_headline', 'empty', 'short', 'remnant', 'repeat', 'glue', 'dup', 'kept']:
        print('%-10s %d' % (k, st[k]))
    print('words (files, incl. metadata)', words)


if __name__ == '__main__':
    main()
