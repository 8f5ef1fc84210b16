#!/usr/bin/env python3
"""Convert the REAL articles of sonlu3612/vietnamese-education-news-dataset
into OUT/edu-<id>.txt, keeping only articles whose text shows no sign of
crawler glue.

Reads straight from the git mirror that fetch brings (no work tree), at HEAD:
  python3 convert_edu.py --mirror MIRROR --out OUT [--keep-photo-credit-glue]
Source: real_articles/*.json (news-please records, label "real");
fake_articles/ (synthetic) is never read.

Output layout per file:
  # url = ...
  # date = ...      (date_publish, only when present)
  # site = ...      (source_domain)
  <title>
  <maintext>        (source has no paragraph breaks: one line)
Text is written exactly as stored (no normalisation, no NFC). The source is
plain text already (no HTML tags/entities present), so nothing is stripped.

Drop rules, applied in this order (first matching rule counts):
  empty     maintext is empty (crawler got no body)
  glue      any crawler-glue sign in title or body:
            a) lower->upper case change inside a letter run that is not pure
               ASCII (e.g. "tỉnhQuảng", "củaVnExpressở", "gópSao")
            b) >=2 upper-case letters followed by a lower-case letter inside a
               non-ASCII letter run (e.g. "TP.HCMtổ")
            c) a non-ASCII letter run with two or more separate vowel groups,
               i.e. two Vietnamese syllables written together
               (e.g. "lýgiáo", "hộtại", "Saođược"); a few foreign or
               transliterated names are whitelisted (FOREIGN_OK)
            d) an all-ASCII camel-case token one of whose case-parts is a
               Vietnamese word seen standing alone in the corpus
               (e.g. "TheoTHE", "CanadaSau", "AustraliaDu"); pure brands
               such as VinUni, TikToker, WorldQuant, McMaster pass
            e) punctuation glued to the next/previous word: [,:;)\]] followed
               by a letter, or a letter followed by ( or [
               (e.g. "Linh(TheoTHE", "23.8,ĐH", "Ảnh:Harvard")
               -- "Ảnh:X" photo-credit glue can be tolerated with
               --keep-photo-credit-glue
  remnant   U+FFFD, HTML tags/entities, or thanhnien page chrome
            ("Bình luận (0)", "Tổng biên tập:")
  short     < 150 whitespace-split words (title + body)
  dup       exact duplicate of an already kept text (title+body)
"""
import argparse
import json
import os
import re
import subprocess
from collections import Counter

from crawl_glue import PUNCT_GLUE, glue_hits, vgroups

MIRROR = OUT = None
KEEP_PHOTO = False

BRAND_OK = {'OpenAI', 'GenAI', 'TurnItIn', 'DuVal'}   # rule d false positives
FOREIGN_OK = {'Corèle', 'Lômônôxốp', 'Orbán', 'ôtô', 'Hernández', 'Martín', 'Álvarez'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|Bình luận \(\d+\)|Tổng biên tập:')


def git(*args):
    return subprocess.run(['git', '-C', MIRROR] + list(args), check=True,
                          capture_output=True).stdout


def main():
    global MIRROR, OUT, KEEP_PHOTO
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", required=True, help="git directory of sonlu3612/vietnamese-education-news-dataset")
    ap.add_argument("--out", required=True, help="folder to write the articles into")
    ap.add_argument("--keep-photo-credit-glue", action="store_true", help="keep articles whose only glue is `Ảnh:X`")
    a = ap.parse_args()
    MIRROR, OUT, KEEP_PHOTO = a.mirror, a.out, a.keep_photo_credit_glue
    names = [n for n in git('ls-tree', '-r', '--name-only', 'HEAD', 'real_articles/')
             .decode().split('\n') if n.endswith('.json')]
    arts = [json.loads(git('show', 'HEAD:' + n).decode('utf-8')) for n in names]
    assert all(a.get('label') == 'real' for a in arts)
    # ASCII-spelled Vietnamese words that stand alone (lower-case, one
    # vowel group) at least 5 times in the real texts: for rule d.
    cnt = Counter()
    for a in arts:
        for t in (a.get('maintext') or '').split():
            if re.fullmatch(r'[a-z]+', t) and vgroups(t) == 1:
                cnt[t] += 1
    viet_ascii = {w for w, c in cnt.items() if c >= 5}

    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.startswith('edu-') and f.endswith('.txt'):
            os.remove(os.path.join(OUT, f))
    stats = Counter()
    glue_kinds = Counter()
    seen = set()
    kept = []
    for a in sorted(arts, key=lambda a: a['id']):
        stats['real'] += 1
        title = (a.get('title') or '').strip()
        body = (a.get('maintext') or '').strip()
        if not body:
            stats['empty'] += 1
            continue
        text = title + '\n' + body if title else body
        h = glue_hits(text, viet_ascii, FOREIGN_OK, BRAND_OK,
                      lambda tok: tok == '"(Re)urban' or (KEEP_PHOTO and tok.startswith('Ảnh:')
                                                          and not PUNCT_GLUE.search(tok[4:])))
        if h:
            stats['glue'] += 1
            for k in {k for k, _ in h}:
                glue_kinds[k] += 1
            if all(k == 'e-punct-photo' for k, _ in h):
                stats['glue_only_photo_credit'] += 1
            continue
        if REMNANT.search(text):
            stats['remnant'] += 1
            continue
        nw = len(text.split())
        if nw < 150:
            stats['short'] += 1
            continue
        if text in seen:
            stats['dup'] += 1
            continue
        seen.add(text)
        lines = ['# url = ' + a['url']]
        if a.get('date_publish'):
            lines.append('# date = ' + a['date_publish'])
        if a.get('source_domain'):
            lines.append('# site = ' + a['source_domain'])
        lines += text.split('\n')
        with open(os.path.join(OUT, 'edu-%d.txt' % a['id']), 'w', encoding='utf-8') as fh:
            fh.write('\n'.join(lines) + '\n')
        kept.append((a, nw))
    stats['kept'] = len(kept)
    stats['words'] = sum(n for _, n in kept)
    print('commit', git('rev-parse', 'HEAD').decode().strip())
    for k in ['real', 'empty', 'glue', 'glue_only_photo_credit', 'remnant', 'short', 'dup', 'kept', 'words']:
        print('%-24s %d' % (k, stats[k]))
    print('glue rule hits (articles):', dict(sorted(glue_kinds.items())))
    print('sites:', Counter(a['source_domain'] for a, _ in kept).most_common())
    print('dates:', Counter((a.get('date_publish') or 'none')[:7] for a, _ in kept).most_common())


if __name__ == '__main__':
    main()
