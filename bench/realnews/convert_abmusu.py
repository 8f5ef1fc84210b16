#!/usr/bin/env python3
"""Convert the VLSP 2022 AbMuSu multi-document summarisation data (Vietnamese news
articles published in 2022), as committed in hungdungn47/VietnameseTextSummarization
(file abmusu.zip: train_data_new.jsonl, validation_data_new.jsonl,
testing_data_new.jsonl), into OUT/abmusu-NNNN.txt.

  python3 convert_abmusu.py --mirror MIRROR --out OUT [--exclude DIR ...]

Each jsonl line is a cluster {single_documents: [{title, anchor_text, raw_text}],
summary, category}. Per article we write:
  '# url = (not stored; AbMuSu <split> cluster <i> doc <j>)'
  '# date = ' (no per-article date stored; the clusters are 2022 news)
  '# site = (not stored; AbMuSu category <category>)'
then the title, the anchor text (sapo), then raw_text split on '\\n', one
paragraph per line. Only leading/trailing whitespace of each line is removed
(the source ends every title and sapo with a space); nothing else is changed.
The cluster summaries are NOT used (written by annotators, not published).

Drops (counted): empty, glue (crawl_glue.glue_hits, with FOREIGN_OK as the
loan-spelling/foreign-name exemptions), remnant (HTML tag/entity
or U+FFFD), chrome (a paragraph that is page chrome: 'Xem thêm ...', 'Tin liên
quan ...', 'Mời độc giả xem ...', '>> ...'), short (< 150 words), dup (exact duplicate text), seen (a title or
a >= 15-word paragraph already in one of the --exclude corpus folders).
If more than 600 articles survive, a random subset of 600 is kept
(random.Random(79).sample over the survivors, then written in source order).
"""
import argparse
import glob
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import glue_hits  # noqa: E402

REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);')
# Page chrome a crawler kept as a paragraph (related-links boxes, video teasers).
CHROME = re.compile(r'^(Xem thêm|Tin liên quan|Đọc thêm|Mời (quý )?(độc giả|bạn đọc) xem|Nhấn$|>>)', re.I)
SPLITS = [('train', 'train_data_new.jsonl'), ('validation', 'validation_data_new.jsonl'),
          ('test', 'testing_data_new.jsonl')]
N_KEEP, SEED, MIN_WORDS = 600, 79, 150
# Letter runs that trip the c-syllables rule but are correct as published: Vietnamese
# loan spellings (ôtô, ôxy, điêzen, Matxcơva ...) and foreign names with accents.
FOREIGN_OK = set('''ôtô Ôtô ôxy Matxcơva Mátxcơva Rosé điêzen António Lênin ximăng Édouard
Kourí kilômét Garmendía tôpô Tôpô Rafał bêtông môtô Murça tờrốtxkít bônsơvích Sineád Château
Arập Inđônêxia canô Stéphane Sideræl Maïwenn Salomé Đăkđrinh Cité Lômônôxốp Lômôlôxốp lôgarit
Hluboká magiê André ôzôn étranger Rondônia José nitơ Êđê UBTƯ'''.split())


def known_lines(folders):
    seen = set()
    for d in folders:
        for p in glob.glob(os.path.join(d, '**', '*.txt'), recursive=True):
            with open(p, encoding='utf-8', errors='replace') as fh:
                for l in fh:
                    l = l.strip()
                    if l and not l.startswith('#'):
                        seen.add(l)
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of hungdungn47/VietnameseTextSummarization')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--rest', action='store_true',
                    help='write the survivors the 600 leave out, as abmusx-NNNN.txt (a disjoint second corpus)')
    ap.add_argument('--exclude', action='append', default=[],
                    help='existing corpus folder whose articles must not be repeated (repeatable)')
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    z = zipfile.ZipFile(io.BytesIO(git('show', 'HEAD:abmusu.zip')))
    seen_lines = known_lines(a.exclude)
    st, seen, keep = Counter(), set(), []
    for split, name in SPLITS:
        for ci, line in enumerate(z.read(name).decode('utf-8').splitlines()):
            if not line.strip():
                continue
            cl = json.loads(line)
            for di, doc in enumerate(cl['single_documents']):
                st['all'] += 1
                title = (doc.get('title') or '').strip()
                sapo = (doc.get('anchor_text') or '').strip()
                paras = [p.strip() for p in (doc.get('raw_text') or '').split('\n') if p.strip()]
                if not paras: st['empty'] += 1; continue
                lines = [l for l in [title, sapo] if l] + paras
                text = '\n'.join(lines)
                if glue_hits(text, set(), FOREIGN_OK): st['glue'] += 1; continue
                if REMNANT.search(text): st['remnant'] += 1; continue
                if any(CHROME.match(p) for p in paras): st['chrome'] += 1; continue
                if len(text.split()) < MIN_WORDS: st['short'] += 1; continue
                if text in seen: st['dup'] += 1; continue
                if title in seen_lines or any(len(p.split()) >= 15 and p in seen_lines for p in paras):
                    st['seen'] += 1; continue
                seen.add(text)
                meta = '# url = (not stored; AbMuSu %s cluster %d doc %d)\n# date = \n# site = (not stored; AbMuSu category %s)\n' % (
                    split, ci + 1, di + 1, cl.get('category') or '?')
                keep.append(meta + text + '\n')
    st['survivors'] = len(keep)
    if len(keep) > N_KEEP:
        idx = set(random.Random(SEED).sample(range(len(keep)), N_KEEP))
        keep = [k for i, k in enumerate(keep) if (i in idx) != a.rest]
    name = 'abmusx' if a.rest else 'abmusu'
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith(name + '-'): os.remove(os.path.join(a.out, f))
    for n, body in enumerate(keep, 1):
        with open(os.path.join(a.out, '%s-%04d.txt' % (name, n)), 'w', encoding='utf-8') as fh:
            fh.write(body)
    st['kept'] = len(keep)
    print('commit', git('rev-parse', 'HEAD').decode().strip()); print(dict(st))


if __name__ == '__main__':
    main()
