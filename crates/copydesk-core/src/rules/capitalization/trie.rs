//! The matcher of the `capitalization` kind: its keys (listed forms, titles, markers)
//! as a byte trie walked over the text lower-cased and decomposed cluster by cluster, with
//! per-character steps for the common letters of news copy.

use super::*;

/// The keys (lower-cased, decomposed forms) as a byte trie. It is walked from every
/// place a hit may start, over the text lower-cased and decomposed cluster by cluster (a
/// character and the combining marks after it, as a whole): NFC, NFD and mixed text all
/// match the same key, and a hit always covers whole clusters.
pub(super) struct Trie {
    /// Per node: its pattern or [`NONE`], its number of children, and where they are:
    /// the index of its only edge in `labels`/`targets`, or of its row in `rows`.
    pub(super) nodes: Vec<(u32, u32, u32)>,
    pub(super) labels: Vec<u8>,
    pub(super) targets: Vec<u32>,
    /// One row per node with several children (the root first), indexed by byte class.
    pub(super) rows: Vec<u32>,
    /// Byte → class: 0 for the bytes no key has, else its own class.
    pub(super) classes: Box<[u8; 256]>,
    /// The same trie stepped a whole common character at a time, built on first use.
    pub(super) chars: std::sync::OnceLock<CharSteps>,
}

pub(super) const NONE: u32 = u32::MAX;

impl Trie {
    /// `None` when the keys do not fit `u32` offsets.
    pub(super) fn build(keys: &[&str]) -> Option<Trie> {
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut pattern = vec![NONE];
        let mut classes = Box::new([0u8; 256]);
        let mut n_classes = 1;
        for (p, key) in keys.iter().enumerate() {
            let mut node = 0;
            for &b in key.as_bytes() {
                if classes[usize::from(b)] == 0 {
                    classes[usize::from(b)] = u8::try_from(n_classes).ok()?;
                    n_classes += 1;
                }
                node = match children[node].iter().find(|&&(l, _)| l == b) {
                    Some(&(_, t)) => t as usize,
                    None => {
                        let t = children.len();
                        children[node].push((b, u32::try_from(t).ok().filter(|&t| t < PATTERN)?));
                        children.push(Vec::new());
                        pattern.push(NONE);
                        t
                    }
                };
            }
            pattern[node] = u32::try_from(p).ok()?;
        }
        let mut trie = Trie {
            nodes: Vec::with_capacity(children.len()),
            labels: Vec::new(),
            targets: Vec::new(),
            rows: Vec::new(),
            classes,
            chars: std::sync::OnceLock::new(),
        };
        for (edges, p) in children.into_iter().zip(pattern) {
            let count = u32::try_from(edges.len()).ok()?;
            let at = match edges[..] {
                [] => 0,
                [(l, t)] => {
                    trie.labels.push(l);
                    trie.targets.push(t);
                    trie.labels.len() - 1
                }
                _ => {
                    let row = trie.rows.len();
                    trie.rows.resize(row + n_classes, NONE);
                    for (l, t) in edges {
                        trie.rows[row + usize::from(trie.classes[usize::from(l)])] = t;
                    }
                    row
                }
            };
            trie.nodes.push((p, count, u32::try_from(at).ok()?));
        }
        Some(trie)
    }

    #[inline]
    pub(super) fn step(&self, node: u32, b: u8) -> Option<u32> {
        let (_, count, at) = *self.nodes.get(node as usize)?;
        let at = at as usize;
        let t = match count {
            0 => NONE,
            1 if self.labels.get(at) == Some(&b) => self.targets.get(at).copied().unwrap_or(NONE),
            1 => NONE,
            _ => self
                .rows
                .get(at + usize::from(self.classes[usize::from(b)]))
                .copied()
                .unwrap_or(NONE),
        };
        (t != NONE).then_some(t)
    }

    pub(super) fn pattern(&self, node: u32) -> Option<usize> {
        let p = self.nodes[node as usize].0;
        (p != NONE).then_some(p as usize)
    }
}

/// The cluster that starts at byte `at` of `text` (a character boundary before its
/// end): its first character and its length in bytes.
#[inline(always)]
pub(super) fn cluster_at(text: &str, at: usize) -> (char, usize) {
    let b = text.as_bytes()[at];
    if b.is_ascii() && !mark_at(text, at + 1) {
        return (char::from(b), 1);
    }
    let c = text[at..].chars().next().unwrap_or('\0');
    let mut len = c.len_utf8();
    while mark_at(text, at + len) {
        len += text[at + len..].chars().next().map_or(1, char::len_utf8);
    }
    (c, len)
}

/// The lower-case NFD form of the cluster `c`… of `len` bytes at `at`: from `buf` for
/// ASCII, from the table for common letters, else built in `scratch`.
#[inline(always)]
pub(super) fn lower_cluster<'s>(
    text: &str,
    at: usize,
    (c, len): (char, usize),
    buf: &'s mut [u8; 1],
    scratch: &'s mut Vec<u8>,
) -> &'s [u8] {
    if len == 1 {
        buf[0] = c.to_ascii_lowercase() as u8;
        return &buf[..];
    }
    if let Some(entry) = char_table().get(c).filter(|_| len == c.len_utf8()) {
        return &entry[1..=usize::from(entry[0])];
    }
    scratch.clear();
    push_lower_nfd(text[at..at + len].chars(), scratch);
    scratch
}

/// Every occurrence of a key in `text` that covers whole clusters and whole words and
/// whose pattern `accept`s, in no particular order.
///
/// One pass over the clusters: a walk of the trie starts at every cluster where a word
/// or a non-word character starts, and the walks under way take each cluster's
/// lower-cased decomposed form in turn (in one step for a common character alone).
#[inline(never)]
pub(super) fn find_keys(trie: &Trie, text: &str, accept: impl Fn(usize) -> bool) -> Vec<Hit> {
    let steps = trie.chars.get_or_init(|| CharSteps::build(trie));
    let chars = &*steps.chars;
    let bytes = text.as_bytes();
    let mut hits = Vec::new();
    let mut scratch = Vec::new();
    // The walks under way: where each started, and its node (with [`PATTERN`]). While
    // at most one is, it is kept in `one` instead.
    let mut live: Vec<(usize, u32)> = Vec::new();
    let mut one: (usize, u32) = (0, NONE);
    let found = |start: usize, end: usize, node: u32, hits: &mut Vec<Hit>| {
        if let Some(p) = trie.pattern(node & !PATTERN) {
            if is_whole_word(text, start..end) && accept(p) {
                hits.push(Hit {
                    range: start..end,
                    pattern: p,
                });
            }
        }
    };
    // Whether the character before `i` is a word character: a hit cannot start between
    // two word characters (a combining mark is one).
    let mut prev_word = false;
    let mut i = 0;
    while i < bytes.len() {
        if live.is_empty() {
            // At most one walk under way: common characters alone, until a second walk
            // starts or another cluster comes.
            while let Some((at, len)) = common_at(bytes, i) {
                if bytes.get(i + len).is_some_and(|&b| b >= 0xCC) && mark_at(text, i + len) {
                    break;
                }
                let Some(&(class, root)) = chars.get(at) else {
                    break;
                };
                let word = class & WORD != 0;
                let end = i + len;
                if one.1 != NONE {
                    one.1 = steps.step(one.1, class & !WORD).unwrap_or(NONE);
                    if one.1 != NONE && one.1 & PATTERN != 0 {
                        found(one.0, end, one.1, &mut hits);
                    }
                }
                if root != NONE && !(prev_word && word) {
                    if root & PATTERN != 0 {
                        found(i, end, root, &mut hits);
                    }
                    if one.1 != NONE {
                        live.push(one);
                        live.push((i, root));
                        one.1 = NONE;
                        prev_word = word;
                        i = end;
                        break;
                    }
                    one = (i, root);
                }
                prev_word = word;
                i = end;
            }
            if i >= bytes.len() {
                break;
            }
            if live.is_empty() {
                if one.1 != NONE {
                    live.push(one);
                    one.1 = NONE;
                }
            } else {
                continue;
            }
        }
        let common = common_at(bytes, i).filter(|&(_, len)| match bytes.get(i + len) {
            Some(&b) => b < 0xCC || !mark_at(text, i + len),
            None => true,
        });
        let Some((at, len)) = common else {
            i = other_cluster(
                trie,
                text,
                i,
                &mut prev_word,
                &mut live,
                &mut scratch,
                &mut hits,
                &found,
            );
            if live.len() == 1 {
                one = live[0];
                live.clear();
            }
            continue;
        };
        // A common character alone (no combining mark is common).
        let Some(&(class, root)) = chars.get(at) else {
            break;
        };
        let word = class & WORD != 0;
        let class = class & !WORD;
        let end = i + len;
        let mut kept = 0;
        for w in 0..live.len() {
            let (start, node) = live[w];
            if let Some(t) = steps.step(node, class) {
                if t & PATTERN != 0 {
                    found(start, end, t, &mut hits);
                }
                live[kept] = (start, t);
                kept += 1;
            }
        }
        live.truncate(kept);
        if root != NONE && !(prev_word && word) {
            if root & PATTERN != 0 {
                found(i, end, root, &mut hits);
            }
            live.push((i, root));
        }
        if live.len() == 1 {
            one = live[0];
            live.clear();
        }
        prev_word = word;
        i = end;
    }
    hits
}

/// [`find_keys`] over a cluster that is not a common character alone, at `i`: returns
/// where it ends.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub(super) fn other_cluster(
    trie: &Trie,
    text: &str,
    i: usize,
    prev_word: &mut bool,
    live: &mut Vec<(usize, u32)>,
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
    found: &impl Fn(usize, usize, u32, &mut Vec<Hit>),
) -> usize {
    let cluster = cluster_at(text, i);
    let (c, len) = cluster;
    let end = i + len;
    let word = is_word_char(c);
    // A combining mark starts no cluster, except at the start of the text.
    let starts = !(*prev_word && word) && (i == 0 || !unicode_normalization::char::is_combining_mark(c));
    let mut buf = [0u8; 1];
    let form = lower_cluster(text, i, cluster, &mut buf, scratch);
    let walk = |node: u32| form.iter().try_fold(node & !PATTERN, |n, &b| trie.step(n, b));
    let mut kept = 0;
    for w in 0..live.len() {
        let (start, node) = live[w];
        if let Some(t) = walk(node) {
            found(start, end, t, hits);
            live[kept] = (start, t);
            kept += 1;
        }
    }
    live.truncate(kept);
    if starts {
        if let Some(t) = walk(0) {
            found(i, end, t, hits);
            live.push((i, t));
        }
    }
    // The marks of the cluster are word characters.
    *prev_word = word || len > c.len_utf8();
    end
}

/// How many characters [`common_at`] knows: ASCII, Latin-1 and Latin Extended-A and -B
/// (U+0000–U+024F), Latin Extended Additional (U+1E00–U+1EFF) with the Vietnamese
/// letters, and General Punctuation up to U+207F (quotes, dashes, the ellipsis).
pub(super) const COMMON: usize = 0x250 + 0x100 + 0x80;

/// The common character at byte `at` (a character boundary) of `bytes`: its index in
/// the per-character tables and its length in bytes.
#[inline(always)]
pub(super) fn common_at(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let b0 = *bytes.get(at)?;
    if b0 < 0x80 {
        return Some((usize::from(b0), 1));
    }
    let b1 = *bytes.get(at + 1)?;
    match b0 {
        0xC2..=0xC9 => {
            let cp = (usize::from(b0 & 0x1F) << 6) | usize::from(b1 & 0x3F);
            (cp < 0x250).then_some((cp, 2))
        }
        0xE1 if (0xB8..=0xBB).contains(&b1) => {
            let b2 = usize::from(*bytes.get(at + 2)? & 0x3F);
            Some((0x250 + ((usize::from(b1 - 0xB8) << 6) | b2), 3))
        }
        0xE2 if b1 <= 0x81 => {
            let b2 = usize::from(*bytes.get(at + 2)? & 0x3F);
            Some((0x350 + ((usize::from(b1 & 0x3F) << 6) | b2), 3))
        }
        _ => None,
    }
}

/// The character with index `at` in the per-character tables.
pub(super) fn common_char(at: usize) -> Option<char> {
    let cp = match at {
        0..0x250 => at,
        0x250..0x350 => 0x1E00 + at - 0x250,
        _ => 0x2000 + at - 0x350,
    };
    char::from_u32(u32::try_from(cp).ok()?)
}

/// [`CharSteps::class`]: a word character.
pub(super) const WORD: u16 = 1 << 15;
/// [`CharSteps`] targets: the node has a pattern.
pub(super) const PATTERN: u32 = 1 << 31;
/// A node with more than this many steps over characters gets a row of its own.
pub(super) const SPARSE_MAX: usize = 3;

/// The trie stepped over a common character that has no combining mark after it (most
/// of the text) at once, instead of over its lower-cased decomposed bytes one by one:
/// the same nodes, found without building the cluster's form.
pub(super) struct CharSteps {
    /// Per common character: its class, one per lower-cased decomposed form whose bytes
    /// all occur in keys, or 0 (no step from any node), with [`WORD`] for a word
    /// character; and the root's target for it, or [`NONE`].
    pub(super) chars: Box<[(u16, u32); COMMON]>,
    /// Per node: the range of its `(class, target)` pairs in `edges`, or, when the end
    /// is [`NONE`], where its row of targets by class starts in `rows`. A target has
    /// [`PATTERN`] when its node has a pattern.
    pub(super) index: Vec<(u32, u32)>,
    pub(super) edges: Vec<(u16, u32)>,
    pub(super) rows: Vec<u32>,
}

impl CharSteps {
    pub(super) fn build(trie: &Trie) -> CharSteps {
        let mut ids: HashMap<Vec<u8>, u16> = HashMap::new();
        // Per class its form, and per byte the classes whose form starts with it.
        let mut forms: Vec<Vec<u8>> = vec![Vec::new()];
        let mut by_first: Vec<Vec<u16>> = vec![Vec::new(); 256];
        let mut class = vec![0u16; COMMON];
        for (at, class) in class.iter_mut().enumerate() {
            let Some(c) = common_char(at) else { continue };
            let mut form = Vec::new();
            push_lower_nfd(std::iter::once(c), &mut form);
            if !form.is_empty() && form.iter().all(|&b| trie.classes[usize::from(b)] != 0) {
                // At most `COMMON` classes: below `WORD`.
                let next = forms.len() as u16;
                let k = *ids.entry(form.clone()).or_insert(next);
                if k == next {
                    by_first[usize::from(form[0])].push(k);
                    forms.push(form);
                }
                *class = k;
            }
            if is_word_char(c) {
                *class |= WORD;
            }
        }
        let alphabet: Vec<u8> = (0..=255u8).filter(|&b| trie.classes[usize::from(b)] != 0).collect();
        let mut steps = CharSteps {
            chars: Box::new([(0, NONE); COMMON]),
            index: Vec::with_capacity(trie.nodes.len()),
            edges: Vec::new(),
            rows: Vec::new(),
        };
        let mut out: Vec<(u16, u32)> = Vec::new();
        let mut labels: Vec<u8> = Vec::new();
        for node in 0..trie.nodes.len() as u32 {
            out.clear();
            // The bytes the node has an edge for.
            labels.clear();
            match trie.nodes[node as usize] {
                (_, 0, _) => {}
                (_, 1, at) => labels.push(trie.labels[at as usize]),
                _ => labels.extend(alphabet.iter().copied().filter(|&b| trie.step(node, b).is_some())),
            }
            for &b in &labels {
                for &k in &by_first[usize::from(b)] {
                    if let Some(t) = forms[usize::from(k)].iter().try_fold(node, |n, &x| trie.step(n, x)) {
                        out.push((k, if trie.pattern(t).is_some() { t | PATTERN } else { t }));
                    }
                }
            }
            if node == 0 || out.len() > SPARSE_MAX {
                let row = steps.rows.len();
                steps.rows.resize(row + forms.len(), NONE);
                for &(k, t) in &out {
                    steps.rows[row + usize::from(k)] = t;
                }
                steps.index.push((row as u32, NONE));
            } else {
                let from = steps.edges.len();
                steps.edges.extend_from_slice(&out);
                steps.index.push((from as u32, steps.edges.len() as u32));
            }
        }
        for (at, &k) in class.iter().enumerate() {
            steps.chars[at] = (k, steps.step(0, k & !WORD).unwrap_or(NONE));
        }
        steps
    }

    /// The node after a character of `class` from `node` (either may have its flag).
    #[inline(always)]
    pub(super) fn step(&self, node: u32, class: u16) -> Option<u32> {
        let &(from, to) = self.index.get((node & !PATTERN) as usize)?;
        let t = if to == NONE {
            self.rows
                .get(from as usize + usize::from(class))
                .copied()
                .unwrap_or(NONE)
        } else {
            self.edges
                .get(from as usize..to as usize)
                .and_then(|edges| edges.iter().find(|&&(k, _)| k == class))
                .map_or(NONE, |&(_, t)| t)
        };
        (t != NONE).then_some(t)
    }
}

/// Lower-case NFD forms of the single characters that news copy is made of: Latin-1,
/// Latin Extended-A and -B, and Latin Extended Additional with the Vietnamese letters.
pub(super) struct CharTable {
    /// Per range: its first code point and, per character, the form's length followed by
    /// its bytes, or length 0 when the form does not fit.
    pub(super) ranges: [(u32, Vec<[u8; 12]>); 2],
}

impl CharTable {
    pub(super) fn build() -> CharTable {
        let range = |lo: u32, hi: u32| {
            let entries = (lo..hi)
                .map(|cp| {
                    let mut entry = [0u8; 12];
                    if let Some(c) = char::from_u32(cp) {
                        let mut form = Vec::new();
                        push_lower_nfd(std::iter::once(c), &mut form);
                        if form.len() < entry.len() {
                            entry[0] = form.len() as u8;
                            entry[1..=form.len()].copy_from_slice(&form);
                        }
                    }
                    entry
                })
                .collect();
            (lo, entries)
        };
        CharTable {
            ranges: [range(0x80, 0x250), range(0x1E00, 0x1F00)],
        }
    }

    #[inline]
    pub(super) fn get(&self, c: char) -> Option<&[u8; 12]> {
        let cp = c as u32;
        let (lo, entries) = &self.ranges[usize::from(cp >= 0x1E00)];
        entries.get(cp.wrapping_sub(*lo) as usize).filter(|e| e[0] > 0)
    }
}

pub(super) fn char_table() -> &'static CharTable {
    static TABLE: std::sync::OnceLock<CharTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(CharTable::build)
}

/// Appends the lower-case NFD form of one cluster's characters (what
/// `cluster.to_lowercase().nfd()` gives: a cluster starts with its base, so the
/// final-sigma rule of `str::to_lowercase` never applies).
pub(super) fn push_lower_nfd(cluster: impl Iterator<Item = char>, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    for d in cluster.flat_map(char::to_lowercase).nfd() {
        out.extend_from_slice(d.encode_utf8(&mut buf).as_bytes());
    }
}

/// Whether a combining mark starts at byte `at` (a character boundary) of `text`.
#[inline]
pub(super) fn mark_at(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let Some(&b) = bytes.get(at) else { return false };
    // Marks start at U+0300 (lead byte 0xCC). Latin Extended Additional (U+1E00–U+1EFF)
    // and General Punctuation up to U+203F, common in news copy, have none.
    if b < 0xCC
        || (b == 0xE1 && matches!(bytes.get(at + 1), Some(0xB8..=0xBB)))
        || (b == 0xE2 && bytes.get(at + 1) == Some(&0x80))
    {
        return false;
    }
    text[at..]
        .chars()
        .next()
        .is_some_and(unicode_normalization::char::is_combining_mark)
}

/// A match of a listed form, title or marker in a block.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    pub(super) range: Range<usize>,
    pub(super) pattern: usize,
}
