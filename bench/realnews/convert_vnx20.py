#!/usr/bin/env python3
"""Convert the VnExpress articles committed in thephann/crawl-vietnamnet
(vietnamnet/vietnamnet1/output/vnexpress/*.txt at commit
75da9e86d85f37a752d5378ce8307343d62e751b, 2020-08-06, "add new project", also
HEAD; no licence stated, so only snippets are kept) into OUT/vnx20-NNNN.txt.

  python3 convert_vnx20.py --mirror MIRROR --out OUT [--exclude FOLDER ...] [--all]

Source: four JSON-lines files written by the repository's Scrapy spiders on
5 August 2020, which followed every vnexpress.net link from the home page:
vnexpress.txt (5 records, one address), vnexpress3_20200805_162758.txt (69),
vnexpress3_20200805_162942.txt (918), vnexpress3_20200805_214814.txt (79); two
more vnexpress3_* files are over 4 MiB and missing from the snapshot, and the
folder's vietnamnet/ files (166 VietNamNet pages with text, some in English)
are not read.  Mostly articles published late July - 5 August 2020 (Covid-19's
second wave, the Beirut explosion), with older ones reached through links.
Each record: link, title (h1.title-detail), description (p.description: the
sapo), content, category (Pháp luật 218, Khoa học 132, Thời sự 112, Thế giới
92, empty 86, Tư vấn, Tư liệu, Phân tích, Hồ sơ phá án, Giao thông, Quân sự
...), pub_date (its_publication epoch; in vnexpress.txt the page's date
text), keywords, tags.
  * content is "\\n".join of the text of every p.Normal of the article: one
    paragraph per line, the closing byline ("Vũ Anh (Theo Cnet)") as the last
    line (kept).  Photo captions (p.Image), crossheads and boxes are not
    p.Normal and are missing.  U+00A0 inside lines kept.
  * Records with no content (not an article page, or a video/photo page) are
    skipped before counting.

Output per file:
  # url = <link>
  # date = <pub_date as local time, YYYY-MM-DD HH:MM +07:00; or the page's date text>
  # site = vnexpress.net
  <title>
  <description (sapo), when stored>
  <content, one paragraph per line>
Each line's edge whitespace is removed and blank lines dropped; nothing else
is changed (no NFC, no whitespace change inside lines).

Drop rules, first match counts:
  dup_url      link already seen
  not_news     category Video, Học tiếng Anh
  no_title     no headline stored (h1.title-detail missing: another page layout)
  short        < 150 whitespace-split words (title + sapo + body)
  remnant      U+FFFD, HTML tag / entity, page chrome ("Xem thêm", "Đọc
               thêm", "Tin liên quan", "Video:", "Clip:", ">>", "Chia sẻ bài")
  caption      a photo credit "Ảnh:" inside the body (crawl_glue's
               has_inner_caption)
  repeat       some run of 20 words occurs twice in the body
  glue         crawler-glue signs in title, sapo or body (rules a-e of
               crawl_glue.py), with a small whitelist of brands / loan words
  dup          exact duplicate body of an already kept article
  seen         headline, or the first 30 words of the sapo or body, already
               in an --exclude corpus folder (the earlier VnExpress corpora
               vnx21, vnx25, vnx26, vnxbd, vfnd, edu rebuilt by their
               converters, and the other corpora)
At commit 75da9e8 (with --exclude of every earlier corpus folder: baomoi,
dantri, vnn25, tt24 and the rebuilt vnx21, vnx25, vnx26, vnxbd, vfnd, edu):
994 records with content, 18 dup_url, 7 not_news, 1 no_title, 49 short, 58 remnant (mostly
a closing "Xem thêm" teaser line, some "Video:" or ">>" links), 2 caption, 20
repeat, 47 glue (39 of them legal-advice answers whose signature runs the
lawyer's name into the firm's: "HữuĐoàn Luật sư", "BìnhCông ty Luật"), 0 dup,
1 seen; 791 survivors (of the 550 written, 341 published in
2020, the rest 2003-2019, reached through links).
Without --all, at most 550 of the survivors are written (so that this source
and tt24 together stay near 1,500 articles): random.Random(84).sample, then
numbered in stored order (files in the order above, records as stored).
Running it twice writes the same files.
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
from crawl_glue import Drops, clear_out, has_inner_caption, known_articles, screen, viet_ascii_words  # noqa: E402

NAME = 'vnx20'
COMMIT = '75da9e86d85f37a752d5378ce8307343d62e751b'
DIR = 'vietnamnet/vietnamnet1/output/vnexpress/'
FILES = ['vnexpress.txt', 'vnexpress3_20200805_162758.txt', 'vnexpress3_20200805_162942.txt',
         'vnexpress3_20200805_214814.txt']
MIN_WORDS = 150
CAP, SEED = 550, 84
NOT_NEWS = {'Video', 'Học tiếng Anh'}
FOREIGN_OK = {'ôtô', 'Ôtô', 'êkíp', 'virút', 'balô', 'đôla', 'Đôla', 'bêtông', 'môtô', 'canô', 'sôcôla', 'nitơ',
              'café', 'Café', 'ôxy', 'Matxcơva', 'Mátxcơva', 'magiê', 'urê', 'Caribê',
              # foreign names and loan spellings seen in this source, checked by hand
              'Napoléon', 'Rivières', 'Éric', 'nơron', 'Nơron', 'Dybczński', 'Liège', 'Peña', 'Galápagos',
              'Frédéric', 'François', 'Mattéi', 'Söderberg', 'Nauclér', 'Kitô', 'Grégoire', 'riđô', 'vắcxin'}
BRAND_OK = {'nCoV', 'CoV', 'GenZ', 'VinFast', 'VinGroup', 'HoSE', 'UPCoM', 'eBay', 'iPhone', 'iPad', 'YouTube',
            'TikTok', 'OpenAI', 'PayPal', 'LinkedIn', 'McDonald', 'iOS', 'macOS', 'MacBook', 'PlayStation',
            'SpaceX', 'WhatsApp', 'FedEx', 'JPMorgan', 'BlackRock', 'SoftBank', 'NVIDIA', 'VnExpress',
            'VietinBank', 'TechcomBank', 'VietcomBank', 'SeABank', 'VPBank', 'HDBank', 'TPBank', 'MBBank',
            'LPBank', 'PhD', 'VietJet', 'AirPods', 'eSIM', 'GitHub', 'PowerPoint', 'BioNTech', 'AstraZeneca',
            'VinUni', 'MoMo', 'ZaloPay', 'MobiFone', 'VinaPhone', 'VNPay', 'DiCaprio', 'BlackBerry', 'FaceTime',
            'ByteDance', 'WeChat', 'DeepMind', 'iPod', 'AirPod', 'CrossFit',
            'SnapChat', 'DongABank', 'HiLo', 'eVolo', 'EmDrive', 'deGrasse', 'LaPress', 'DiStefano', 'CfA',
            'DuPont', 'DeSantis', 'DeVos', 'CinemaCon', 'MiG'}
REMNANT = re.compile(r'\ufffd|<[a-zA-Z/!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);'
                     r'|Xem thêm|Đọc thêm|Tin liên quan|Video:|Clip:|>>|Chia sẻ bài|Sao chép liên kết')


def date_of(v):
    if isinstance(v, (int, float)):
        tz = datetime.timezone(datetime.timedelta(hours=7))
        return datetime.datetime.fromtimestamp(v, tz).strftime('%Y-%m-%d %H:%M +07:00')
    return str(v or '').strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mirror', required=True, help='git directory of thephann/crawl-vietnamnet')
    ap.add_argument('--out', required=True, help='folder to write the articles into')
    ap.add_argument('--exclude', action='append', default=[], help='earlier corpus folder (repeatable)')
    ap.add_argument('--all', action='store_true', help='write every survivor (no cap of %d)' % CAP)
    a = ap.parse_args()
    git = lambda *x: subprocess.run(['git', '-C', a.mirror] + list(x), check=True, capture_output=True).stdout
    recs = []
    for f in FILES:
        for line in git('show', COMMIT + ':' + DIR + f).decode('utf-8').split('\n'):
            if line.strip():
                r = json.loads(line)
                if (r.get('content') or '').strip():
                    recs.append(r)
    heads, opens = known_articles(a.exclude)
    viet_ascii = viet_ascii_words(r.get('content') or '' for r in recs)
    clear_out(a.out, NAME)
    drops = Drops()
    st = drops.counts
    seen_url, seen_body, kept = set(), set(), []
    for r in recs:
        st['records'] += 1
        url = (r.get('link') or '').strip()
        if url in seen_url:
            st['dup_url'] += 1
            continue
        seen_url.add(url)
        if (r.get('category') or '') in NOT_NEWS:
            st['not_news'] += 1
            continue
        title = (r.get('title') or '').strip()
        if not title:
            st['no_title'] += 1
            continue
        sapo = (r.get('description') or '').strip()
        lines = [l.strip() for l in r['content'].split('\n') if l.strip()]
        body = '\n'.join(lines)
        reason, h = screen(title + ('\n' + sapo if sapo else ''), body, min_words=MIN_WORDS, remnant=REMNANT,
                           viet_ascii=viet_ascii, foreign_ok=FOREIGN_OK, brand_ok=BRAND_OK,
                           inner_caption=has_inner_caption)
        if reason:
            drops.drop(reason, url, h)
            continue
        if body in seen_body:
            st['dup'] += 1
            continue
        if title in heads or ' '.join(lines[0].split()[:30]) in opens or \
                (sapo and ' '.join(sapo.split()[:30]) in opens):
            st['seen'] += 1
            continue
        seen_body.add(body)
        kept.append((url, date_of(r.get('pub_date')), title, sapo, body))
    st['survivors'] = len(kept)
    if not a.all and len(kept) > CAP:
        pick = set(random.Random(SEED).sample(range(len(kept)), CAP))
        kept = [k for i, k in enumerate(kept) if i in pick]
    words = 0
    for i, (url, date, title, sapo, body) in enumerate(kept, 1):
        text = '\n'.join(['# url = ' + url, '# date = ' + date, '# site = vnexpress.net', title] +
                         ([sapo] if sapo else []) + [body]) + '\n'
        words += len(text.split())
        with open(os.path.join(a.out, '%s-%04d.txt' % (NAME, i)), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write(text)
    st['kept'] = len(kept)
    print('commit', COMMIT, 'files', ', '.join(FILES))
    for k in ['records', 'dup_url', 'not_news', 'no_title', 'short', 'remnant', 'caption', 'repeat', 'glue', 'dup', 'seen',
              'survivors', 'kept']:
        print('%-28s %d' % (k, st[k]))
    print('%-28s %d' % ('words (files, incl. metadata)', words))
    drops.print_glue()


if __name__ == '__main__':
    main()
