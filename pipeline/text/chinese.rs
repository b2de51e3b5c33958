//! Chinese words: runs of Han characters are segmented into words by jieba (jieba-rs, its
//! embedded dictionary, with the user's terms of art added), after folding Traditional
//! characters to Simplified (fast2s), so that one dictionary serves both scripts.
//!
//! Folding is character for character, so a word found in the folded run is the same
//! characters of the written text: the tokenizer sees the words as written (their surface) and
//! reads them folded ([`fold_variants`]).

use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;

/// A Han ideograph (CJK Unified Ideographs, their extensions and compatibility forms, and
/// the ideographic zero 〇): the characters that Chinese segmentation reads.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}')
}

/// A full-width form of an ASCII character (`Ａ`, `１`, `％`) as that character, and the
/// ideographic space as a space; other characters as they are.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A word's variant spellings folded into one: full-width forms as ASCII, and Traditional
/// characters as Simplified (`網路安全` → `网路安全`). Case is left to the caller.
pub fn fold_variants(word: &str) -> String {
    let narrow: String = word.chars().map(fold_width).collect();
    if narrow.chars().any(is_han) {
        fast2s::convert(&narrow)
    } else {
        narrow
    }
}

/// Words written as one text: a space between two words, except beside a Han character
/// (`国家安全`, `5G网络`), as Chinese is written.
pub fn join_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for w in words {
        let joined = out.chars().next_back().is_some_and(is_han) || w.starts_with(is_han);
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Splits runs of Han characters into words.
pub struct Segmenter {
    jieba: Arc<Jieba>,
    /// The user's terms of art, folded, found leftmost-longest: each is a word wherever its
    /// characters occur, whatever jieba's dictionary would read there.
    user_words: Option<Arc<AhoCorasick>>,
}

impl Segmenter {
    /// jieba's dictionary, and `user_words` kept whole wherever they occur (a user dictionary
    /// says so: jieba alone would still read 推进改革|开放 where 改革开放 is a user word, as its
    /// dictionary knows 推进改革). The matcher is made once per set of user words and shared.
    pub fn new(user_words: &[String]) -> Segmenter {
        static JIEBA: OnceLock<Arc<Jieba>> = OnceLock::new();
        static MATCHERS: Mutex<Vec<(Vec<String>, Arc<AhoCorasick>)>> = Mutex::new(Vec::new());
        let jieba = JIEBA.get_or_init(|| Arc::new(Jieba::new())).clone();
        let words: Vec<String> = user_words
            .iter()
            .map(|w| fold_variants(w))
            .filter(|w| !w.is_empty() && w.chars().all(is_han))
            .collect();
        if words.is_empty() {
            return Segmenter {
                jieba,
                user_words: None,
            };
        }
        let mut made = MATCHERS.lock().unwrap_or_else(|e| e.into_inner());
        let matcher = match made.iter().find(|(w, _)| *w == words) {
            Some((_, m)) => m.clone(),
            None => {
                let m = AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&words)
                    .map(Arc::new)
                    .expect("a matcher of a few words builds");
                made.push((words, m.clone()));
                m
            }
        };
        Segmenter {
            jieba,
            user_words: Some(matcher),
        }
    }

    /// The words of `run`, a run of Han characters, as byte ranges of `run`, in order and
    /// covering it.
    pub fn split(&self, run: &str, out: &mut Vec<Range<usize>>) {
        let folded = fast2s::convert(run);
        let mut starts: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
        starts.push(run.len());
        // The folded run has one character for each written one; positions are counted in
        // characters and mapped back to the written run's bytes through `starts`.
        debug_assert_eq!(folded.chars().count() + 1, starts.len());
        let Some(matcher) = &self.user_words else {
            self.cut(&folded, 0, &starts, out);
            return;
        };
        let (mut at, mut at_char) = (0, 0);
        for m in matcher.find_iter(&folded) {
            let start_char = at_char + folded[at..m.start()].chars().count();
            self.cut(&folded[at..m.start()], at_char, &starts, out);
            let end_char = start_char + folded[m.range()].chars().count();
            out.push(starts[start_char]..starts[end_char]);
            (at, at_char) = (m.end(), end_char);
        }
        self.cut(&folded[at..], at_char, &starts, out);
    }

    /// jieba's words of `piece` (folded), which begins at character `first` of the run.
    fn cut(&self, piece: &str, first: usize, starts: &[usize], out: &mut Vec<Range<usize>>) {
        if piece.is_empty() {
            return;
        }
        for token in self.jieba.cut(piece, true) {
            let (Some(&a), Some(&b)) = (
                starts.get(first + token.start),
                starts.get(first + token.end),
            ) else {
                continue;
            };
            out.push(a..b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(seg: &Segmenter, run: &str) -> Vec<String> {
        let mut out = Vec::new();
        seg.split(run, &mut out);
        out.into_iter().map(|r| run[r].to_string()).collect()
    }

    #[test]
    fn traditional_text_is_segmented_as_its_simplified_form() {
        let seg = Segmenter::new(&[]);
        assert_eq!(
            words(&seg, "臺灣的資訊安全與網路安全"),
            ["臺灣", "的", "資訊", "安全", "與", "網路", "安全"]
        );
        assert_eq!(fold_variants("網路安全"), "网路安全");
    }

    #[test]
    fn user_words_stay_whole() {
        let plain = Segmenter::new(&[]);
        assert_ne!(words(&plain, "发展新质生产力"), ["发展", "新质生产力"]);
        let with = Segmenter::new(&["新质生产力".to_string()]);
        assert_eq!(words(&with, "发展新质生产力"), ["发展", "新质生产力"]);
        // jieba's dictionary holds 推进改革, so it reads 推进改革|开放; a user word is whole
        // wherever its characters are, in Traditional text too, the longest first.
        assert_eq!(words(&plain, "推进改革开放"), ["推进改革", "开放"]);
        let with = Segmenter::new(&["改革开放".into(), "改革".into(), "数据安全法".into()]);
        assert_eq!(words(&with, "推进改革开放"), ["推进", "改革开放"]);
        assert_eq!(words(&with, "推進改革開放"), ["推進", "改革開放"]);
        assert_eq!(
            words(&with, "深化改革开放和数据安全法"),
            ["深化", "改革开放", "和", "数据安全法"]
        );
    }

    #[test]
    fn words_join_with_spaces_only_between_alphabets() {
        assert_eq!(join_words(["国家", "安全"]), "国家安全");
        assert_eq!(join_words(["5G", "网络"]), "5G网络");
        assert_eq!(join_words(["data", "security"]), "data security");
    }

    #[test]
    fn full_width_forms_fold_to_ascii() {
        assert_eq!(fold_variants("ＡＰＰ２０３５"), "APP2035");
        assert_eq!(fold_variants("5G"), "5G");
    }
}
