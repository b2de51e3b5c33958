//! Rules that take part of a line and leave the rest: a transcript's stage directions, the
//! pieces of a line that are a source's furniture, and a news agency's dateline.

use std::ops::Range;

use super::clean::{ascii_core, ascii_space};

/// Longest stage direction read, in bytes between its brackets.
const MAX_ASIDE: usize = 100;

/// The stage directions of a line ([`Rule::StageDirection`]), as byte ranges of the line: an
/// aside in round or square brackets, one to eight words, that stands between sentences (after
/// the start of the line or a sentence's end, before the end of the line, a capital or a
/// quotation mark) and holds no digit. An acronym ("OAU", "MDGs"), a name in capitals ("Del E.
/// Webb Inc"), a roman numeral or a one-letter list marker is not one; a one-word aside counts
/// only when it recurs across documents (see [`boilerplate`]).
pub(super) fn stage_directions(line: &str) -> Vec<Range<usize>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'(', b'[', &b[i..]) {
        let open = i + k;
        i = open + 1;
        let close_char = if b[open] == b'(' { b')' } else { b']' };
        let limit = (open + 1 + MAX_ASIDE).min(b.len());
        let Some(len) = b[open + 1..limit]
            .iter()
            .position(|&c| c == close_char || matches!(c, b'(' | b'[' | b')' | b']'))
        else {
            continue;
        };
        let close = open + 1 + len;
        if b[close] != close_char {
            continue;
        }
        let inner = line[open + 1..close].trim();
        let before = line[..open].trim_end();
        let after = line[close + 1..].trim_start();
        let follows_aside = out
            .last()
            .is_some_and(|r: &Range<usize>| line[r.end..open].trim().is_empty());
        // A speaker cut off mid-sentence ("to end welfare—[applause]—I may be") has the
        // aside between dashes: in square brackets, or of one word (which must recur across
        // documents). Words in round brackets between dashes are the writer's own aside.
        let dashed = (before.ends_with(['—', '–']) || after.starts_with(['—', '–']))
            && (b[open] == b'[' || inner.split_whitespace().count() == 1);
        let between_sentences = dashed
            || (before.is_empty()
                || follows_aside
                || before.ends_with(['.', '!', '?', '"', '”', '’', ':']))
                && (after.is_empty()
                    || after.starts_with(|c: char| {
                        c.is_uppercase() || matches!(c, '"' | '“' | '(' | '[')
                    }));
        if between_sentences && is_aside(inner) {
            out.push(open..close + 1);
            i = close + 1;
        }
    }
    out
}

/// The word of a one-word aside, lower-cased without its brackets and punctuation.
pub(super) fn one_word(aside: &str) -> Option<String> {
    let inner = aside.trim_matches(|c: char| !c.is_alphanumeric());
    (inner.split_whitespace().count() == 1).then(|| inner.to_lowercase())
}

/// Whether the text inside brackets reads as a stage direction rather than content.
fn is_aside(inner: &str) -> bool {
    let words: Vec<&str> = inner.split_whitespace().collect();
    let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
    if words.is_empty()
        || words.len() > 8
        || letters < 3
        || inner.contains(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let capitals = |w: &str| w.chars().filter(|c| c.is_uppercase()).count();
    let roman = words.len() == 1 && inner.chars().all(|c| "ivxlcdmIVXLCDM.".contains(c));
    let acronym = capitals(words[0]) >= 2;
    let name = words.len() >= 2
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()));
    !(roman || acronym || name)
}

/// Fewest words a run must hold to be read as a list rather than prose (see [`label_runs`]),
/// and the length of the stretches of it counted across documents.
pub(super) const RUN_WORDS: usize = 8;
/// Most words a run may hold: a longer one is prose in a script with no stop list, not a strip.
const MAX_RUN_WORDS: usize = 40;

/// Stop words of every language topictide reads, lower-case: a word that joins a sentence in
/// any of them.
static CONNECTING: std::sync::LazyLock<rustc_hash::FxHashSet<String>> =
    std::sync::LazyLock::new(|| {
        crate::artifacts::Language::ALL
            .iter()
            .flat_map(|&l| crate::text::default_stop_words(l))
            .collect()
    });

/// Bytes of the longest ASCII word in [`CONNECTING`]: a longer ASCII word needs no look-up.
static ASCII_LONGEST: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    CONNECTING
        .iter()
        .filter(|w| w.is_ascii())
        .map(String::len)
        .max()
        .unwrap_or(0)
});

/// The ASCII words of [`CONNECTING`] of at most 16 bytes, each packed into a number
/// ([`packed`]): looked up without a copy of the word, a string hash or a comparison of bytes.
static CONNECTING_PACKED: std::sync::LazyLock<rustc_hash::FxHashSet<u128>> =
    std::sync::LazyLock::new(|| {
        CONNECTING
            .iter()
            .filter(|w| w.is_ascii() && w.len() <= 16)
            .map(|w| packed(w.as_bytes()))
            .collect()
    });

/// The bytes of an ASCII word of at most 16 bytes, lower-cased, in a number. Words that end in a
/// letter or digit (every word looked up, and every stop word) differ in their numbers.
fn packed(word: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let n = word.len().min(16);
    bytes[..n].copy_from_slice(&word[..n]);
    // All sixteen bytes lower-cased at once: each byte is below 0x80, so adding to it never
    // carries into the next, and its top bit says whether it reached the bound added for.
    const EACH: u128 = u128::MAX / 0xFF;
    let x = u128::from_le_bytes(bytes);
    let from_a = x + EACH * (0x80 - b'A' as u128);
    let past_z = x + EACH * (0x80 - b'Z' as u128 - 1);
    let upper = from_a & !past_z & (EACH * 0x80);
    x | (upper >> 2)
}

/// Whether `core` (a word without the punctuation around it) is a stop word of any language,
/// compared lower-cased.
fn connecting(core: &str) -> bool {
    if core.is_ascii() {
        return connecting_ascii(core.as_bytes());
    }
    CONNECTING.contains(lower(core).as_str())
}

/// [`connecting`] of an ASCII word.
fn connecting_ascii(core: &[u8]) -> bool {
    if core.len() <= 16 {
        CONNECTING_PACKED.contains(&packed(core))
    } else {
        core.len() <= *ASCII_LONGEST
            && CONNECTING.contains(String::from_utf8_lossy(core).to_ascii_lowercase().as_str())
    }
}

/// `core` lower-cased.
fn lower(core: &str) -> String {
    if core.is_ascii() {
        core.to_ascii_lowercase()
    } else {
        core.chars().flat_map(char::to_lowercase).collect()
    }
}

/// The range of `w` (at `at` in its line) without the marks around it that are not letters or
/// digits; empty when it has none.
fn core_of(w: &str, at: usize) -> Range<usize> {
    if w.is_ascii() {
        ascii_core(w.as_bytes()).map_or(at..at, |r| at + r.start..at + r.end)
    } else {
        let start = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        at + start..at + start + core.len()
    }
}

/// Whether word `w` ends a sentence: `.`, `!` or `?`, perhaps inside closing quotes and
/// brackets.
fn ends_sentence(w: &str) -> bool {
    w.chars()
        .rev()
        .find(|c| !matches!(c, '"' | '”' | '’' | ')' | ']'))
        .is_some_and(|c| matches!(c, '.' | '!' | '?'))
}

/// One word of a run.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RunWord {
    /// Its byte range in the line.
    pub(super) range: Range<usize>,
    /// The 64-bit XXH3 of the word lower-cased without the punctuation around it: the same on
    /// every machine.
    key: u64,
}

/// The runs of a line read as a list of labels, not as prose: [`RUN_WORDS`] to
/// [`MAX_RUN_WORDS`] words in a row, none of them a stop word of any language ("Send Facebook
/// Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink"). Words are
/// compared lower-cased without the punctuation around them; marks with no letter or digit
/// ("|", "▲") neither count nor break a run, and a sentence's end closes one.
///
/// Prose is read word by word, and almost none of it is a run: a word is lower-cased and
/// hashed only once its run is long enough to count, and an ASCII line (most lines, in most
/// corpora) is cut into words byte by byte.
pub(super) fn label_runs(line: &str) -> Vec<Vec<RunWord>> {
    let mut runs = Runs {
        line,
        out: Vec::new(),
        run: Vec::new(),
    };
    if line.is_ascii() {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if ascii_space(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && !ascii_space(b[i]) {
                i += 1;
            }
            let Some(core) = ascii_core(&b[start..i]) else {
                continue;
            };
            let core = start + core.start..start + core.end;
            let stop = connecting_ascii(&b[core.clone()]);
            runs.word(start..i, core, stop);
        }
    } else {
        let base = line.as_ptr() as usize;
        for w in line.split_whitespace() {
            let start = w.as_ptr() as usize - base;
            let core = core_of(w, start);
            if !core.is_empty() {
                let stop = connecting(&line[core.clone()]);
                runs.word(start..start + w.len(), core, stop);
            }
        }
    }
    runs.close();
    runs.out
}

/// The runs of a line read so far, and the words of the run being read: each word's range,
/// and the range of its core.
struct Runs<'t> {
    line: &'t str,
    out: Vec<Vec<RunWord>>,
    run: Vec<(Range<usize>, Range<usize>)>,
}

impl Runs<'_> {
    /// Reads the word at `w`, with its core (not empty) and whether that is a stop word.
    fn word(&mut self, w: Range<usize>, core: Range<usize>, stop: bool) {
        if stop {
            self.close();
            return;
        }
        // A list does not run across the end of a sentence.
        let ends = ends_sentence(&self.line[w.clone()]);
        self.run.push((w, core));
        if ends {
            self.close();
        }
    }

    /// Ends the run being read, and keeps it if it holds enough words.
    fn close(&mut self) {
        if (RUN_WORDS..=MAX_RUN_WORDS).contains(&self.run.len()) {
            let line = self.line;
            self.out.push(
                self.run
                    .iter()
                    .map(|(w, core)| RunWord {
                        range: w.clone(),
                        key: xxhash_rust::xxh3::xxh3_64(lower(&line[core.clone()]).as_bytes()),
                    })
                    .collect(),
            );
        }
        self.run.clear();
    }
}

/// The stretches of [`RUN_WORDS`] words of a run, as the keys they are counted by: the 64-bit
/// XXH3 of their words' keys, the same on every machine. Each word is lower-cased and hashed
/// once, however many stretches hold it.
pub(super) fn run_keys(run: &[RunWord]) -> impl Iterator<Item = u64> + '_ {
    run.windows(RUN_WORDS).map(|stretch| {
        let mut bytes = [0u8; 8 * RUN_WORDS];
        for (to, word) in bytes.chunks_exact_mut(8).zip(stretch) {
            to.copy_from_slice(&word.key.to_le_bytes());
        }
        xxhash_rust::xxh3::xxh3_64(&bytes)
    })
}

/// Share of a source's documents a line or piece must recur in to be its furniture.
pub(super) const SOURCE_SHARE: f64 = 0.2;
/// What separates the pieces of a masthead or byline line.
const SEPARATORS: [&str; 6] = [" | ", " • ", " · ", " — ", " – ", " - "];

/// The pieces of a line set off by separators ("By Wang Mingjie | China Daily European Weekly
/// | Updated: 2017-01-06"), each of two words or more; none for a line without separators.
pub(super) fn pieces(line: &str) -> Vec<Range<usize>> {
    // Every separator holds one of these bytes ('|', '-', or the lead byte of '•', '—', '–'
    // or '·'); most lines have none, and are not searched six times.
    if !line.bytes().any(|b| matches!(b, b'|' | b'-' | 0xE2 | 0xC2)) {
        return Vec::new();
    }
    let mut cuts: Vec<(usize, usize)> = SEPARATORS
        .iter()
        .flat_map(|sep| line.match_indices(sep).map(|(at, m)| (at, at + m.len())))
        .collect();
    if cuts.is_empty() {
        return Vec::new();
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for (at, end) in cuts
        .into_iter()
        .chain(std::iter::once((line.len(), line.len())))
    {
        if at < start {
            continue;
        }
        let piece = &line[start..at];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if trimmed.split_whitespace().count() >= 2 {
            out.push(start + lead..start + lead + trimmed.len());
        }
        start = end;
    }
    out
}

/// Longest dateline read, in bytes before its dash.
const MAX_DATELINE: usize = 60;

/// A dateline at the start of `line`: an agency's name, or a place in capitals and the agency
/// in brackets ("AP", "Reuters", "NEW YORK (Reuters)"), six words at most, each capitalised,
/// before a dash set off by spaces. Returns its length with the dash and the spaces after it, and its agency
/// (lower-cased: the part in brackets, else the whole dateline).
pub(super) fn dateline(line: &str) -> Option<(usize, String)> {
    let mut end = MAX_DATELINE.min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let head = &line[..end];
    // Every dash holds '-' or the lead byte of '—' and '–'.
    if !head.bytes().any(|b| b == b'-' || b == 0xE2) {
        return None;
    }
    // The first dash: no two of them start alike at one place.
    let (at, dash) = memchr::memchr_iter(b' ', head.as_bytes()).find_map(|at| {
        [" - ", " -- ", " — ", " – "]
            .into_iter()
            .find(|d| head[at..].starts_with(d))
            .map(|d| (at, d))
    })?;
    let prefix = line[..at].trim();
    let (place, agency) = match (prefix.find('('), prefix.strip_suffix(')')) {
        (Some(open), Some(inner)) => (prefix[..open].trim(), &inner[open + 1..]),
        _ => ("", prefix),
    };
    // The place may carry its date ("BEIJING, March 3", "PARIS, 5 March", "LONDON, Dec. 5").
    let is_date_word = |w: &str| {
        let w = w.trim_matches([',', '.']);
        (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
            || crate::calendar::month_of(w).is_some()
    };
    let place_words: Vec<&str> = place
        .split_whitespace()
        .filter(|w| !is_date_word(w))
        .collect();
    let words = place_words.len() + agency.split_whitespace().count();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let fits = !agency.is_empty()
        && words <= 6
        && !prefix.contains([':', ';', '!', '?', '"', '“', '”'])
        && place_words
            .iter()
            .all(|w| !w.chars().any(char::is_lowercase))
        && agency.split_whitespace().all(capitalised);
    if !fits {
        return None;
    }
    let rest = &line[at + dash.len()..];
    let len = at + dash.len() + (rest.len() - rest.trim_start().len());
    Some((len, agency.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_found_however_they_are_written() {
        // The packed look-up holds every ASCII stop word, and only those.
        assert!(CONNECTING.iter().all(|w| *w == lower(w)));
        for w in ["the", "THE", "The", "between", "und", "et", "пред", "ПРЕД"] {
            assert_eq!(connecting(w), CONNECTING.contains(&lower(w)), "{w}");
        }
        for w in [
            "Facebook",
            "thee",
            "th",
            "a1",
            "uncharacteristically",
            "t\u{0}he",
        ] {
            assert!(!connecting(w), "{w}");
        }
        // Lower-casing sixteen bytes at once is lower-casing each.
        let every: Vec<u8> = (0..128).collect();
        for word in every.chunks(16).chain(every.chunks(5)) {
            let mut bytes = [0u8; 16];
            for (to, b) in bytes.iter_mut().zip(word) {
                *to = b.to_ascii_lowercase();
            }
            assert_eq!(packed(word), u128::from_le_bytes(bytes), "{word:?}");
        }
    }

    #[test]
    fn a_stretch_has_one_key_wherever_and_however_it_is_written() {
        let strip = "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg";
        let keys = |line: &str| -> Vec<u64> {
            label_runs(line)
                .iter()
                .flat_map(|run| run_keys(run).collect::<Vec<_>>())
                .collect()
        };
        let plain = keys(strip);
        assert_eq!(plain.len(), 2, "nine words hold two stretches of eight");
        assert_ne!(plain[0], plain[1]);
        // Lower-cased, with marks around its words, after a sentence: the same keys.
        let other =
            "The end. | send FACEBOOK, twitter google+ WHATSAPP tumblr LinkedIn stumble digg";
        assert_eq!(keys(other), plain);
        // A line with a mark outside ASCII is cut into words by another path: the same keys.
        assert_eq!(keys(&format!("▲ {strip} ▲")), plain);
        assert_eq!(keys(&strip.replace(' ', "\u{b}\t")), plain);
        // One word changed changes both keys.
        let changed = keys(&strip.replace("Tumblr", "Reddit"));
        assert!(changed.iter().all(|k| !plain.contains(k)));
    }
}
