#!/usr/bin/env python3
"""Convert the VietNamNet articles committed in tdtrinh11/crawl_vietnamese_news
(news_data/ at commit d5f95dee409c2331eaa49da4be4a330ac4825d49, 2020-06-11, the
snapshot's HEAD; no licence stated, so only snippets are kept) into
OUT/vnn20-NNNN.txt.

  python3 convert_vnn20.py --mirror MIRROR --out OUT [--exclude FOLDER ...] [--all]

Source: news_data/<section>/<section>_<site>_<post id>, one file per article,
written by the repository's crawl_news.py in April-May 2020 from the section
pages of Thanh Niên (TN), Dân trí (DT), VnExpress (VNE) and VietNamNet (VNN),
paging back through 2017-2020.  Only the 58,783 VietNamNet files are read:
  * TN and DT were taken with `//p/text()` (text nodes directly under <p>):
    every word inside a link or bold element is silently missing
    ("Ngay từ cổng bãi rác, . Cả bãi rác").
  * VNE was taken with `p//text()`, but part of it is double-encoded UTF-8
    (mojibake), and an earlier corpus already holds VnExpress of 2020.
VietNamNet was taken with `//*[contains(@id,'ArticleContent')]/p//text()`: all
text nodes of the body's <p> elements (descendants included), joined with one
space, runs of whitespace collapsed to one space.  So:
  * NO HEADLINE, no sapo, no address and no date are stored (the file name
    holds only the section and VietNamNet's post id, 2017-2020); the three
    metadata lines are `# url = ` (empty), `# date = ` (empty), `# site =
    vietnamnet.vn`, then the body.
  * The body is ONE LINE: paragraph breaks are lost; crossheads (bold <p>)
    run into the next paragraph, the byline is the last words.  Captions
    (table cells, not <p>) are absent.
  * Every inline element's edge got a space: where it stood before a mark
    the text reads `nói , ông` / `“ Giết người”`.  Such articles are
    dropped (`spaced`); an inline edge between two words leaves no trace
    (the page had a space there anyway).
The text is written as stored (no NFC, no whitespace change).

Drop rules, first match counts:
  dup_id       post id already seen (one article filed under two sections)
  undecodable  not UTF-8
  mojibake     double-encoded UTF-8 (`Ã`, `Ä`, `Æ`, `áº`, `á»`)
  empty        no text
  dash         the body starts with "- ": the lead's first words (a place or
               column name in an element outside the <p>s) are missing
  spaced       a space before , . ; : ! ? … ) ] ” ’ % or after ( [ “ ‘ (an
               inline element's edge, see above)
  listing      not prose: price or score tables, lottery results (more than
               a fifth of the tokens without a letter)
  appeal       a charity appeal with bank details ("Số tài khoản",
               "Chuyển khoản", "STK")
  short        < 150 whitespace-split words
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Bài liên
               quan", "Ảnh:" ... ; crawl_glue.has_inner_caption is not used:
               captions are absent, a credit left in the text is page chrome)
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs (rules a-e of crawl_glue.py), with a small
               whitelist of brands and loan words
  dup          exact duplicate body of an already kept article
  seen         the first 30 words already open an article (sapo or first
               paragraph) of an --exclude corpus folder
Of the survivors (read in path order), 1,400 are written, chosen with
random.Random(88).sample and kept in path order (`--all` writes all).
Running it twice writes the same files.
"""
import argparse
import os
import random
import re
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crawl_glue import Drops, clear_out, known_articles, screen, viet_ascii_words, write_article  # noqa: E402

NAME = 'vnn20'
COMMIT = 'd5f95dee409c2331eaa49da4be4a330ac4825d49'
SITE = 'VNN'
MIN_WORDS = 150
SAMPLE, SEED = 1400, 88
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ',
              'café', 'Café', 'ôxy', 'Matxcơva', 'Pokémon', 'Rosé', 'José', 'André', 'Thérèse', 'Müller',
              'Ảrập', 'Kitô', 'Higuaín'}
BRAND_OK = {'nCoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube',
            'TikTok', 'PayPal', 'LinkedIn', 'McDonald', 'iOS', 'macOS', 'MacBook', 'PlayStation', 'SpaceX',
            'WhatsApp', 'FedEx', 'JPMorgan', 'BlackRock', 'SoftBank', 'VietNamNet', 'VietnamNet', 'SeABank',
            'VPBank', 'HDBank', 'TPBank', 'MBBank', 'LienVietPostBank', 'VietinBank', 'VietcomBank', 'PhD',
            'AirPods', 'eSIM', 'VnExpress', 'GitHub', 'PowerPoint', 'AstraZeneca', 'VinUni', 'VinSmart',
            'MoMo', 'ZaloPay', 'GrabFood', 'MobiFone', 'VinaPhone', 'VNPay', 'VNPT', 'VTVcab', 'DiCaprio',
            'FaceTime', 'WeChat', 'TripAdvisor', 'VinMart', 'VinSchool', 'VinEco', 'VinPearl', 'VinID',
            'BlackBerry', 'OnePlus', 'GoPro', 'AirPod', 'AirDrop', 'iMac', 'iPod', 'iTunes', 'WiFi',
            'HoReCa', 'CoV', 'SARS', 'DeepMind', 'PewDiePie', 'McLaren', 'McCain', 'McConnell', 'McGregor'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Bài liên quan|Video:|Clip:|>>|Ảnh:|XEM CLIP|Xem video')
SPACED = re.compile(r' [,.;:!?…)\]”’%]|[(\[“‘] ')
MOJIBAKE = re.compile('Ã|Ä|Æ|áº|á»')
APPEAL = re.compile(r'Số tài khoản|Chuyển khoản|STK\b|Swift code')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of tdtrinh11/crawl_vietnamese_news')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='append', default=[], help='earlier corpus folder (repeatable)')
    ap.add_argument('--all', action='store_true', help='write every survivor, not a sample of %d' % SAMPLE)
    a = ap.parse_args()
    tree = subprocess.run(['git', '-C', a.mirror, 'ls-tree', '-r', COMMIT, 'news_data'], check=True,
                          capture_output=True, text=True).stdout
    ents = []
    for line in tree.splitlines():
        meta, path = line.split('\t', 1)
        parts = path.split('/')[-1].split('_')
        if len(parts) == 3 and parts[1] == SITE:
            ents.append((path, meta.split()[2], parts[2]))
    ents.sort()
    # read every blob with one `git cat-file --batch`
    proc = subprocess.Popen(['git', '-C', a.mirror, 'cat-file', '--batch'], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    raw = []
    for path, blob, pid in ents:
        proc.stdin.write((blob + '\n').encode())
        proc.stdin.flush()
        size = int(proc.stdout.readline().split()[2])
        raw.append((path, pid, proc.stdout.read(size)))
        proc.stdout.read(1)
    proc.stdin.close()
    proc.wait()

    heads, opens = known_articles(a.exclude)
    texts = []
    for path, pid, data in raw:
        try:
            texts.append((path, pid, data.decode('utf-8')))
        except UnicodeDecodeError:
            texts.append((path, pid, None))
    viet_ascii = viet_ascii_words(t for _, _, t in texts if t)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_id, seen_body, kept = set(), set(), []
    for path, pid, body in texts:
        st['records'] += 1
        if pid in seen_id:
            st['dup_id'] += 1
            continue
        seen_id.add(pid)
        if body is None:
            st['undecodable'] += 1
            continue
        if MOJIBAKE.search(body):
            st['mojibake'] += 1
            continue
        if not body.strip():
            st['empty'] += 1
            continue
        if body.startswith('- '):
            st['dash'] += 1
            continue
        if SPACED.search(body):
            st['spaced'] += 1
            continue
        toks = body.split()
        if sum(not re.search(r'[^\W\d_]', t) for t in toks) > len(toks) / 5:
            st['listing'] += 1
            continue
        if APPEAL.search(body):
            st['appeal'] += 1
            continue
        reason, h = screen('', body, min_words=MIN_WORDS, remnant=REMNANT, viet_ascii=viet_ascii,
                           foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK)
        if reason:
            drops.drop(reason, path, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        seen_body.add(body)
        if ' '.join(toks[:30]) in opens:
            st['seen'] += 1
            continue
        kept.append((path, body))
    st['survivors'] = len(kept)
    if not a.all and len(kept) > SAMPLE:
        pick = set(random.Random(SEED).sample(range(len(kept)), SAMPLE))
        kept = [k for i, k in enumerate(kept) if i in pick]
    words, sections = 0, Counter()
    for i, (path, body) in enumerate(kept, 1):
        words += write_article(a.out, NAME, i, '', '', 'vietnamnet.vn', [body])
        sections[path.split('/')[1]] += 1
    st['kept'] = len(kept)
    print('commit', COMMIT, 'files news_data/*/*_VNN_*')
    for k in ['records', 'dup_id', 'undecodable', 'mojibake', 'empty', 'dash', 'spaced', 'listing', 'appeal',
              'short', 'remnant', 'repeat', 'glue', 'dup', 'seen', 'survivors', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    print('sections', dict(sorted(sections.items())))
    drops.print_glue()


if __name__ == '__main__':
    main()
