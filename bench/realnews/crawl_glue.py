"""Signs of crawler glue in converted news text, shared by the corpus converters.

A crawler that drops the markup between two elements runs their words together
(`Bầu cửđặc khu`, `AutoExpresscủa`, `ngắn,Honda`). `glue_hits` lists the tokens that
look so, by rule:

  a-case          a lower-case letter before a capital inside a non-ASCII run
  b-upperlower    two capitals then a lower-case letter inside a non-ASCII run
  c-syllables     two vowel groups in one non-ASCII run (two syllables glued)
  d-ascii-viet    ASCII camel case whose parts include a Vietnamese word spelt
                  in ASCII (`viet_ascii`: counted in the source by the caller)
  e-punct         `,` `:` `;` `)` `]` glued to a following letter, or a letter
                  glued to `(` `[`

`foreign_ok` and `brand_ok` are words of each source that look so but are right
(loan spellings, names, brands).

The converters also share how they read a source file at a commit (`show_file`) and how
they write an article (`write_article`).
"""
import glob
import os
import re
import subprocess
import sys
from collections import Counter

V = 'aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ'
ASCII = re.compile(r'^[A-Za-z0-9]+$')
LETTERS = re.compile(r'[^\W\d_]+')
VGROUP = re.compile('[' + V + ']+')
QUGI = re.compile(r'^(qu|gi)(?=[' + V + '])')
PUNCT_GLUE = re.compile(r'[,:;)\]][^\W\d_]|[^\W\d_][(\[]')


def vgroups(run):
    """How many vowel groups `run` has (`qu` and `gi` count as onsets)."""
    w = QUGI.sub(lambda m: m.group(1)[0], run.lower())
    return len(VGROUP.findall(w))


def camel_split(tok):
    return re.findall(r'[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+', tok)


def glue_hits(text, viet_ascii, foreign_ok=frozenset(), brand_ok=frozenset(), punct_ok=lambda tok: False):
    """`(rule, token)` for each sign of glue in `text`; `punct_ok(tok)` exempts a token
    from rule e."""
    hits = []
    for tok in text.split():
        for run in LETTERS.findall(tok):
            if run in foreign_ok:
                continue
            if not ASCII.match(run):
                if any(run[i].islower() and run[i + 1].isupper() for i in range(len(run) - 1)):
                    hits.append(('a-case', tok))
                elif any(run[i].isupper() and run[i + 1].isupper() and run[i + 2].islower()
                         for i in range(len(run) - 2)):
                    hits.append(('b-upperlower', tok))
                elif vgroups(run) > 1:
                    hits.append(('c-syllables', tok))
            elif run not in brand_ok and \
                    any(run[i].islower() and run[i + 1].isupper() for i in range(len(run) - 1)):
                if any(p.lower() in viet_ascii for p in camel_split(run)):
                    hits.append(('d-ascii-viet', tok))
        if PUNCT_GLUE.search(tok) and not punct_ok(tok):
            hits.append(('e-punct-photo' if tok.startswith('Ảnh:') else 'e-punct', tok))
    return hits


def shingles(text, n=8):
    """The runs of `n` words of `text` (near-duplicate detection)."""
    w = text.split()
    return {' '.join(w[i:i + n]) for i in range(max(1, len(w) - n + 1))}


def repeated(body, n=20):
    """Whether some run of `n` words occurs twice in `body` (slideshow captions or
    paragraphs that the page, or the crawler, repeats)."""
    w = body.split()
    seen = set()
    for i in range(len(w) - n + 1):
        k = ' '.join(w[i:i + n])
        if k in seen:
            return True
        seen.add(k)
    return False


def screen(title, body, *, min_words, remnant, viet_ascii, foreign_ok=frozenset(), brand_ok=frozenset(),
           inner_caption=None):
    """The first reason to drop an article, with the glue hits when the reason is glue.

    In order: `short` (fewer than `min_words` words, headline included), `remnant` (the
    `remnant` regex finds page leftovers), `caption` (`inner_caption(body)` says a photo caption
    sits inside the body; skipped when None), `repeat` (a run of 20 words twice), `glue`
    (`glue_hits`). `(None, [])` keeps it.
    """
    text = title + '\n' + body
    if len(text.split()) < min_words:
        return 'short', []
    if remnant.search(text):
        return 'remnant', []
    if inner_caption is not None and inner_caption(body):
        return 'caption', []
    if repeated(body):
        return 'repeat', []
    hits = glue_hits(text, viet_ascii, foreign_ok, brand_ok)
    if hits:
        return 'glue', hits
    return None, []


def has_inner_caption(body):
    """Whether a photo credit (`Ảnh:`) stands inside the body rather than closing it: more
    than one, or one followed by more than 80 characters or by a sentence's end."""
    n = body.count('Ảnh:')
    if n == 0:
        return False
    if n > 1:
        return True
    tail = body[body.index('Ảnh:') + 4:]
    return len(tail) > 80 or re.search(r'[.!?…]', tail) is not None


def viet_ascii_words(texts, min_count=5):
    """Lower-case ASCII tokens of one vowel group seen at least `min_count` times in `texts`:
    Vietnamese syllables written without marks (`la`, `cho`), for `glue_hits`."""
    cnt = Counter()
    for text in texts:
        for t in text.split():
            if re.fullmatch(r'[a-z]+', t) and vgroups(t) == 1:
                cnt[t] += 1
    return {w for w, c in cnt.items() if c >= min_count}


def show_file(mirror, commit, path, blob=None):
    """The bytes of `path` at `commit` in the git directory `mirror`; with `blob`, the file's
    blob id is checked first (a converter's counts hold for that version only)."""
    spec = '%s:%s' % (commit, path)
    if blob is not None:
        found = subprocess.run(['git', '-C', mirror, 'rev-parse', spec], check=True, capture_output=True,
                               text=True).stdout.strip()
        if found != blob:
            sys.exit('unexpected blob at %s: %s, not %s' % (spec, found, blob))
    return subprocess.run(['git', '-C', mirror, 'show', spec], check=True, capture_output=True).stdout


def write_article(out, name, number, url, date, site, lines):
    """Writes `out/name-NNNN.txt`: the metadata lines (`# url = …`, `# date = …`, `# site =
    …`), then `lines` (headline, sapo, body: one paragraph a line) as given; returns its
    whitespace-split word count, metadata included."""
    text = '\n'.join(['# url = ' + url, '# date = ' + date, '# site = ' + site] + list(lines)) + '\n'
    with open(os.path.join(out, '%s-%04d.txt' % (name, number)), 'w', encoding='utf-8', newline='\n') as fh:
        fh.write(text)
    return len(text.split())


def clear_out(out, name):
    """Creates `out` and removes the `name-*.txt` files an earlier run wrote there."""
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.startswith(name + '-') and f.endswith('.txt'):
            os.remove(os.path.join(out, f))


def known_articles(folders):
    """Headlines and first-30-word openings of the articles in `folders` (earlier corpora):
    a converter drops an article that one of them already holds."""
    heads, opens = set(), set()
    for d in folders:
        for p in sorted(glob.glob(os.path.join(d, '**', '*.txt'), recursive=True)):
            with open(p, encoding='utf-8', errors='replace') as fh:
                lines = [l.strip() for l in fh if l.strip() and not l.startswith('#')]
            if lines:
                heads.add(lines[0])
                for l in lines[1:3]:
                    opens.add(' '.join(l.split()[:30]))
    return heads, opens


class Drops:
    """A conversion's drop counts by reason, with the crawler-glue signs behind its `glue`
    drops (which rules fired, and the first three tokens of each dropped article)."""

    def __init__(self):
        self.counts = Counter()
        self.glue_kinds = Counter()
        self.glue_examples = []

    def drop(self, reason, key, hits):
        """Count one article dropped for `reason`; `hits` are `screen`'s glue signs, if any."""
        self.counts[reason] += 1
        if hits:
            self.glue_examples.append((key, hits[:3]))
            for kind in {kind for kind, _ in hits}:
                self.glue_kinds[kind] += 1

    def print_glue(self):
        print('glue rule hits (articles):', dict(sorted(self.glue_kinds.items())))
        for key, hits in self.glue_examples:
            print('  glue', key, hits)
