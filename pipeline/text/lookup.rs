//! Questions asked of a vocabulary: where a term occurs in a text ([`find`]), which term a
//! user's words name ([`resolve`]), and whether a term is calendar or number furniture.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{Analyzer, WordClass};
use crate::artifacts::{Language, TermId, Vocabulary};

/// Whether a term is number or calendar furniture in its corpus' language: a number word
/// ("forty", "fortieth", "hundred"), a calendar word ("June", "Monday"), a year on its own
/// ("1983"; "2030 Agenda" is a phrase and stays), or a phrase holding a number word or an
/// ordinal with digits ("fortieth session", "seventh special session", "22nd plenary
/// meeting"). Such terms rise and fall with session numbers, anniversaries and dates, not with
/// what a corpus talks about, so trends leave them out of bursts, shifts and successions unless
/// they are tracked; that takes "Third World" and "Second World War" too, which a user who
/// wants them tracks. In Chinese: numbers and dates written in numerals ("一九七五年", "十五大",
/// "第三", "2035"), and phrases holding an ordinal or a year; other languages: false.
pub fn is_number_or_calendar(vocabulary: &Vocabulary, term: TermId) -> bool {
    const NUMBERS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
        "dozen",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
        "fiftieth",
        "sixtieth",
        "seventieth",
        "eightieth",
        "ninetieth",
        "hundredth",
        "thousandth",
        "millionth",
    ];
    let t = &vocabulary.terms[term as usize];
    if vocabulary.language == Language::Chinese {
        return chinese_number_or_date(&t.key);
    }
    if vocabulary.language != Language::English {
        return false;
    }
    let words: Vec<String> = t.surface.split([' ', '-']).map(str::to_lowercase).collect();
    if let [word] = words.as_slice() {
        return NUMBERS.contains(&word.as_str())
            || crate::calendar::is_calendar_word(word)
            || word.bytes().all(|b| b.is_ascii_digit());
    }
    words.iter().any(|w| {
        let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
            w.strip_suffix(s)
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        });
        ordinal || NUMBERS.contains(&w.as_str())
    })
}

/// Whether a Chinese term's key (its words, space-separated, folded to Simplified) is a number
/// or a date in numerals: every word is one, or a word of a phrase is an ordinal (第三) or a
/// year (一九七五年, 2035年).
fn chinese_number_or_date(key: &str) -> bool {
    const NUMERALS: &str = "〇零一二三四五六七八九十百千万亿两";
    // What may follow a number and keep it a number: a year, month, day, session, congress,
    // volume, page…
    const UNITS: &str = "年月日号届次大个卷页岁";
    let numeral = |c: char| c.is_ascii_digit() || NUMERALS.contains(c);
    // (a number or date word, an ordinal or year)
    let word = |w: &str| {
        let ordinal = w.starts_with('第');
        let rest = w.strip_prefix('第').unwrap_or(w);
        let digits = rest.chars().take_while(|&c| numeral(c)).count();
        let tail: Vec<char> = rest.chars().skip(digits).collect();
        let number =
            digits > 0 && (tail.is_empty() || (tail.len() == 1 && UNITS.contains(tail[0])));
        let year = number && digits >= 2 && tail == ['年'];
        (number, number && (ordinal || year))
    };
    let words: Vec<&str> = key.split(' ').collect();
    words.iter().all(|w| word(w).0) || (words.len() > 1 && words.iter().any(|w| word(w).1))
}

/// Whether a term can name what a corpus talks about in a list of changes: not number or
/// calendar furniture ([`is_number_or_calendar`]) and, in Chinese, not a lone character. A
/// character standing alone after segmentation (化, 里, 批, 修) is most often a piece of a word
/// the segmenter split, a measure word or a verb too general to say what changed.
pub fn is_topical(vocabulary: &Vocabulary, term: TermId) -> bool {
    let lone_character = vocabulary.language == Language::Chinese && {
        let mut chars = vocabulary.terms[term as usize].key.chars();
        chars.next().is_some_and(super::chinese::is_han) && chars.next().is_none()
    };
    !lone_character && !is_number_or_calendar(vocabulary, term)
}

/// Whether a term names a date or the calendar anywhere in it: a calendar word ("June
/// 1967", "fiscal year ending June"), a four-digit year, or "fiscal". Successions leave such
/// terms out: a date is replaced by the next date, not by what followed it. English only so
/// far (other languages: false).
pub fn mentions_date(vocabulary: &Vocabulary, term: TermId) -> bool {
    if vocabulary.language != Language::English {
        return false;
    }
    is_number_or_calendar(vocabulary, term)
        || vocabulary.terms[term as usize]
            .surface
            .split([' ', '-'])
            .any(|w| {
                crate::calendar::is_calendar_word(w)
                    || (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
                    || w.eq_ignore_ascii_case("fiscal")
            })
}

/// Where a term occurs in a text: the byte range of each occurrence, in order. Words are read
/// as the tokenizer reads them (a spelling folded into the term counts, across a space or
/// hyphen); a phrase matches where its words stand together with no break between them.
pub fn find(vocabulary: &Vocabulary, term: TermId, text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    occurrences(vocabulary, &[term], text, |_, r| {
        out.push(r);
        true
    });
    out
}

/// A word of the text as [`occurrences`] reads it: where it stands, its key piece (stem or
/// connector; `None` for other words), whether a break stands before it, and its lower-case
/// form when it may begin a folded spelling.
struct Read {
    range: std::ops::Range<usize>,
    piece: Option<Arc<str>>,
    brk: bool,
    lower: Option<String>,
}

/// Where each of `terms` occurs in a text ([`Reader::occurrences`]), read with a reader of its
/// own.
pub fn occurrences(
    vocabulary: &Vocabulary,
    terms: &[TermId],
    text: &str,
    each: impl FnMut(usize, std::ops::Range<usize>) -> bool,
) {
    Reader::new(vocabulary).occurrences(terms, text, each);
}

/// Reads texts with one vocabulary's analysis for [`Reader::occurrences`], and remembers each
/// written word's key piece: a word is classified and stemmed once however often it comes, in
/// one text or the next. Stemming every word read was most of the evidence pass (540 of its
/// 970 million instructions over a 20 MB slice of UNGD, for 144,000 words).
pub struct Reader<'v> {
    vocabulary: &'v Vocabulary,
    analyzer: Analyzer,
    pieces: Pieces,
}

/// Written words and their key pieces (stem or connector; `None` for other words).
struct Pieces {
    known: FxHashMap<Box<str>, Option<Arc<str>>>,
    /// Words remembered at most; past it the memory starts afresh, so that a text of
    /// millions of distinct words does not hold them all.
    limit: usize,
}

impl Pieces {
    fn new(limit: usize) -> Pieces {
        Pieces {
            known: FxHashMap::default(),
            limit,
        }
    }

    /// The key piece of the written word `word`.
    fn of(&mut self, analyzer: &Analyzer, word: &str) -> Option<Arc<str>> {
        if let Some(piece) = self.known.get(word) {
            return piece.clone();
        }
        let piece: Option<Arc<str>> = match analyzer.classify(word) {
            WordClass::Content(l) => Some(analyzer.stem(&l).into()),
            WordClass::Connector(l) => Some(l.into()),
            WordClass::Other => None,
        };
        if self.known.len() >= self.limit {
            self.known.clear();
        }
        if self.limit > 0 {
            self.known.insert(word.into(), piece.clone());
        }
        piece
    }
}

impl<'v> Reader<'v> {
    /// A reader of texts with `vocabulary`'s analysis, remembering no word yet.
    pub fn new(vocabulary: &'v Vocabulary) -> Self {
        Self::remembering(vocabulary, 1 << 18)
    }

    /// A reader that remembers at most `limit` words at a time (none when 0).
    pub(crate) fn remembering(vocabulary: &'v Vocabulary, limit: usize) -> Self {
        Reader {
            vocabulary,
            analyzer: Analyzer::of(vocabulary),
            pieces: Pieces::new(limit),
        }
    }

    /// Where each of `terms` occurs in a text, in one reading of it: `each(k, range)` is
    /// called for each occurrence of `terms[k]` that [`find`] would give, in order for each
    /// term, and says whether that term wants more. Reading stops once no term does. The text
    /// is read a few words at a time, never held as words whole: a passage of hundreds of
    /// megabytes costs one reading, however many terms are asked of it.
    pub fn occurrences(
        &mut self,
        terms: &[TermId],
        text: &str,
        each: impl FnMut(usize, std::ops::Range<usize>) -> bool,
    ) {
        let Reader {
            vocabulary,
            analyzer,
            pieces,
        } = self;
        read_occurrences(vocabulary, analyzer, pieces, terms, text, each);
    }
}

/// [`Reader::occurrences`], with the reader's parts.
fn read_occurrences(
    vocabulary: &Vocabulary,
    analyzer: &Analyzer,
    pieces: &mut Pieces,
    terms: &[TermId],
    text: &str,
    mut each: impl FnMut(usize, std::ops::Range<usize>) -> bool,
) {
    use std::collections::{HashMap, HashSet, VecDeque};
    let wants: Vec<Vec<&str>> = terms
        .iter()
        .map(|&t| vocabulary.terms[t as usize].key.split(' ').collect())
        .collect();
    let mut folded: Vec<Vec<&str>> = vec![Vec::new(); terms.len()];
    for (variant, target) in &vocabulary.folded {
        for (k, _) in terms.iter().enumerate().filter(|(_, t)| *t == target) {
            folded[k].push(variant.as_str());
        }
    }
    // The terms that may match at a word, by its first piece and by a folded spelling's first
    // written word.
    let mut by_piece: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, want) in wants.iter().enumerate() {
        by_piece.entry(want[0]).or_default().push(k);
    }
    let mut by_lower: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, variants) in folded.iter().enumerate() {
        for v in variants {
            let first = v.split(' ').next().unwrap_or(v);
            let ks = by_lower.entry(first).or_default();
            if ks.last() != Some(&k) {
                ks.push(k);
            }
        }
    }
    let folding: HashSet<&str> = by_lower.keys().copied().collect();
    // A match at word i reads at most `span` words from it.
    let span = wants.iter().map(Vec::len).max().unwrap_or(1).max(2);
    let mut next = vec![0usize; terms.len()];
    let mut active = vec![true; terms.len()];
    let mut left = terms.len();
    let mut window: VecDeque<Read> = VecDeque::with_capacity(span + 1);
    let mut first = 0usize; // the index of window[0]
    let mut candidates: Vec<usize> = Vec::new();
    let mut match_at = |window: &VecDeque<Read>, i: usize, left: &mut usize| {
        let w = &window[0];
        candidates.clear();
        if let Some(p) = &w.piece {
            candidates.extend(by_piece.get(&**p).into_iter().flatten());
        }
        if let Some(l) = &w.lower {
            candidates.extend(by_lower.get(l.as_str()).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &k in candidates.iter() {
            if !active[k] || i < next[k] {
                continue;
            }
            // A folded spelling: two written words read as the term.
            let pair = window.get(1).filter(|b| !b.brk && !folded[k].is_empty());
            if let Some(b) = pair {
                let joined = format!(
                    "{} {}",
                    &text[w.range.clone()].to_lowercase(),
                    &text[b.range.clone()].to_lowercase()
                );
                if folded[k].contains(&joined.as_str()) {
                    next[k] = i + 2;
                    if !each(k, w.range.start..b.range.end) {
                        active[k] = false;
                        *left -= 1;
                    }
                    continue;
                }
            }
            let want = &wants[k];
            let fits = want.len() <= window.len()
                && want.iter().enumerate().all(|(j, piece)| {
                    let r = &window[j];
                    r.piece.as_deref() == Some(*piece) && (j == 0 || !r.brk)
                });
            if fits {
                next[k] = i + want.len();
                if !each(k, w.range.start..window[want.len() - 1].range.end) {
                    active[k] = false;
                    *left -= 1;
                }
            }
        }
    };
    analyzer.scan(text, |off, w, brk| {
        if left == 0 {
            return;
        }
        let piece = pieces.of(analyzer, w);
        let lower = if folding.is_empty() {
            None
        } else {
            Some(w.to_lowercase()).filter(|l| folding.contains(l.as_str()))
        };
        window.push_back(Read {
            range: off..off + w.len(),
            piece,
            brk,
            lower,
        });
        if window.len() == span {
            match_at(&window, first, &mut left);
            window.pop_front();
            first += 1;
        }
    });
    while !window.is_empty() && left > 0 {
        match_at(&window, first, &mut left);
        window.pop_front();
        first += 1;
    }
}

/// Resolves a user's term ("Data Security", "cyber-security", "Internet of Things") to a
/// vocabulary term, using the same analysis as the corpus: one content word is a word; more
/// words (connectors allowed inside) are a phrase; two words may also be the one word they
/// fold into.
pub fn resolve(vocabulary: &Vocabulary, query: &str) -> Option<TermId> {
    // A spelling or synonym the corpus folded into a term.
    let analyzer = Analyzer::of(vocabulary);
    let mut written: Vec<String> = Vec::new();
    analyzer.scan(query, |_, w, _| {
        written.push(w.replace('’', "'").to_lowercase())
    });
    let spelled = written.join(" ");
    if let Some((_, t)) = vocabulary.folded.iter().find(|(v, _)| *v == spelled) {
        return Some(*t);
    }
    let mut classes = Vec::new();
    let mut broken = false;
    analyzer.scan(query, |_, w, brk| {
        broken |= brk && !classes.is_empty();
        classes.push(analyzer.classify(w));
    });
    if broken || classes.is_empty() {
        return None;
    }
    let mut key = Vec::with_capacity(classes.len());
    for c in &classes {
        match c {
            WordClass::Content(l) => key.push(analyzer.stem(l)),
            WordClass::Connector(l) => key.push(l.clone()),
            WordClass::Other => return None,
        }
    }
    if let [WordClass::Content(a), WordClass::Content(b)] = classes.as_slice() {
        let closed = vocabulary.id_of_key(&analyzer.stem(&format!("{a}{b}")));
        let pair = vocabulary.id_of_key(&key.join(" "));
        let variant = format!("{a} {b}");
        let was_folded = |t: TermId| {
            vocabulary
                .folded
                .iter()
                .any(|(v, id)| *id == t && *v == variant)
        };
        return match (closed, pair) {
            // The corpus folded this pair (or never wrote it apart): the closed form.
            (Some(c), _) if was_folded(c) => Some(c),
            (Some(c), None) => Some(c),
            (_, pair) => pair,
        };
    }
    vocabulary.id_of_key(&key.join(" "))
}

#[cfg(test)]
mod tests {
    use super::chinese_number_or_date as furniture;

    #[test]
    fn chinese_numbers_and_dates_in_numerals_are_furniture() {
        // Years, congresses, ordinals, volumes and pages, in Chinese numerals or digits.
        for key in [
            "一九七五年",
            "十五大",
            "第三",
            "第四卷",
            "1480页",
            "2035",
            "2035年",
            "十一届",
        ] {
            assert!(furniture(key), "{key}");
        }
        // A phrase holding a year or an ordinal.
        assert!(furniture("一九七五年 一月") && furniture("第三 次"));
        // Words that begin with a numeral but name something.
        for key in [
            "三个代表",
            "一国两制",
            "两岸",
            "一些",
            "万物",
            "五四运动",
            "安全",
            "十一届 三中全会",
        ] {
            assert!(!furniture(key), "{key}");
        }
    }
}
