#!/usr/bin/env python3
"""Convert hieupham-projects/vietnamese-news-crawler output-vietnamnet.json
(46 VietNamNet articles, crawled Sept 2024) into OUT/vnnet46-NNNN.txt.

  python3 convert_vnnet46.py --mirror MIRROR --out OUT

Layout: '# url = ' (source stores no URL: left empty), '# date = ' (none
stored: empty), '# site = vietnamnet.vn', title, description (sapo), then one
paragraph per line (content split on '\\n'; source is plain text).
CAVEAT: the crawler deleted every occurrence of the author's name from the
body (content.replace(author, "")) and the string "\\nChủ đề:".
Drops: empty, glue (crawl_glue.glue_hits), remnant, short (<150 words),
dup, authorhole (body has a doubled space or ' .'/' ,' that could be a
hole left by the author-name deletion).
"""
import argparse
import json
import os
import re
import subprocess
from collections import Counter

from crawl_glue import glue_hits

REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of hieupham-projects/vietnamese-news-crawler')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    arts = json.loads(git('show', 'HEAD:output-vietnamnet.json').decode('utf-8'))
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith('vnnet46-'): os.remove(os.path.join(a.out, f))
    st, seen, n = Counter(), set(), 0
    for art in arts:
        st['all'] += 1
        title = (art.get('title') or '').strip()
        desc = (art.get('description') or '').strip()
        paras = [p.strip() for p in (art.get('content') or '').split('\n') if p.strip()]
        if not paras: st['empty'] += 1; continue
        lines = [l for l in [title, desc] if l] + paras
        text = '\n'.join(lines)
        if glue_hits(text, set(), set(), set(), lambda t: False): st['glue'] += 1; continue
        if REMNANT.search(text): st['remnant'] += 1; continue
        if re.search(r'  | [.,;:]', text): st['authorhole'] += 1; continue
        if len(text.split()) < 150: st['short'] += 1; continue
        if text in seen: st['dup'] += 1; continue
        seen.add(text); n += 1
        with open(os.path.join(a.out, 'vnnet46-%04d.txt' % n), 'w', encoding='utf-8') as fh:
            fh.write('# url = \n# date = \n# site = vietnamnet.vn\n' + text + '\n')
    st['kept'] = n
    print('commit', git('rev-parse', 'HEAD').decode().strip()); print(dict(st))

if __name__ == '__main__':
    main()
