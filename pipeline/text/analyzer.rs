//! Reading words as the tokenizer reads them: lower-casing, stop words, connector words and
//! stemming for one language ([`Analyzer`]), and each language's stop list.

use std::collections::HashSet;

use rust_stemmers::{Algorithm, Stemmer};

use super::chinese::{fold_variants, is_han, Segmenter};
use super::words::{scan_words, scan_words_split};
use crate::artifacts::{Language, Vocabulary};

/// The English stop word list (see `stopwords_en.txt` and the README beside it).
const STOPWORDS_EN: &str = include_str!("stopwords_en.txt");
/// The Chinese stop word list (see `stopwords_zh.txt` and the README beside it).
const STOPWORDS_ZH: &str = include_str!("stopwords_zh.txt");

/// What a word is to the tokenizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordClass {
    /// A content word, by its lower-case form: a term of its own.
    Content(String),
    /// A connector word, lower-case: allowed inside phrases.
    Connector(String),
    /// Anything else: a stop word, a one-letter word, a number.
    Other,
}

/// Words, lower-casing, stop words, connector words and stemming for one language.
pub struct Analyzer {
    language: Language,
    /// Chinese: the segmenter of runs of Han characters.
    segmenter: Option<Segmenter>,
    /// `None` when stemming is off: a term is then its lower-case form.
    stemmer: Option<Stemmer>,
    /// English: without stemming, a possessive is read as its noun (see [`Analyzer::stem`]).
    possessives: bool,
    stop: HashSet<String>,
    connectors: Vec<String>,
}

impl Analyzer {
    /// The Snowball stemmer of `language` (none when `stem` is off or the language has none),
    /// `stop` as its stop list and `connectors` (lower-case) as the words allowed inside
    /// phrases. Chinese text is segmented with `user_words` kept whole.
    pub fn with(
        language: Language,
        connectors: Vec<String>,
        stop: Vec<String>,
        stem: bool,
        user_words: &[String],
    ) -> Analyzer {
        let chinese = language == Language::Chinese;
        Analyzer {
            language,
            segmenter: chinese.then(|| Segmenter::new(user_words)),
            stemmer: algorithm(language).filter(|_| stem).map(Stemmer::create),
            possessives: language == Language::English,
            stop: stop.iter().map(|w| normalize_case(w)).collect(),
            connectors,
        }
    }

    /// The analyzer a vocabulary's terms were made with (for reading queries).
    pub fn of(vocabulary: &Vocabulary) -> Analyzer {
        Analyzer::with(
            vocabulary.language,
            vocabulary.connectors.clone(),
            vocabulary.stop_words.clone(),
            vocabulary.stemmed,
            &vocabulary.user_words,
        )
    }

    /// Calls `on_word(byte_offset, word, break_before)` for each word of `text` (see
    /// [`scan_words`]; in Chinese, runs of Han characters are segmented into words) and returns
    /// the number of words.
    pub fn scan<'t>(&self, text: &'t str, on_word: impl FnMut(usize, &'t str, bool)) -> u32 {
        match &self.segmenter {
            None => scan_words(text, on_word),
            Some(seg) => scan_words_split(text, is_han, |run, out| seg.split(run, out), on_word),
        }
    }

    /// The language it reads.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The stop words, sorted.
    pub fn stop_words(&self) -> Vec<String> {
        let mut words: Vec<String> = self.stop.iter().cloned().collect();
        words.sort();
        words
    }

    /// The connector words, lower-case.
    pub fn connectors(&self) -> &[String] {
        &self.connectors
    }

    /// Whether words are stemmed.
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// Whether the word is a content word, a connector or neither.
    pub fn classify(&self, word: &str) -> WordClass {
        let lower = normalize_case(word);
        let chars = lower.chars().count();
        if self.connectors.contains(&lower) {
            return WordClass::Connector(lower);
        }
        // A Han character is a word of its own (党, 法); letters of alphabets are not.
        let too_short = chars < 2 && !(self.segmenter.is_some() && lower.starts_with(is_han));
        if too_short || self.stop.contains(lower.as_str()) {
            return WordClass::Other;
        }
        let is_year = chars == 4 && lower.bytes().all(|b| b.is_ascii_digit());
        if !(is_year || lower.chars().any(char::is_alphabetic)) {
            return WordClass::Other;
        }
        WordClass::Content(lower)
    }

    /// The Snowball stem of a lower-case content word. When stemming is off, the word itself,
    /// except that in English a possessive ending goes as it does in Snowball's first step
    /// ("government's" and "governments'" are read as "government" and "governments"), so a
    /// noun is one term whether or not it is written possessive.
    pub fn stem(&self, lower: &str) -> String {
        match &self.stemmer {
            Some(s) => s.stem(lower).into_owned(),
            None if self.possessives => {
                let bare = lower
                    .strip_suffix("'s")
                    .or_else(|| lower.strip_suffix('\''))
                    .unwrap_or(lower);
                if bare.is_empty() { lower } else { bare }.to_string()
            }
            None => lower.to_string(),
        }
    }
}

/// Lower case, with typographic apostrophes as ASCII ones, full-width forms as ASCII and
/// Traditional Chinese characters as Simplified ([`fold_variants`]).
fn normalize_case(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        fold_variants(&word.replace('’', "'")).to_lowercase()
    }
}

/// The Snowball algorithm of a language; Chinese has none.
fn algorithm(language: Language) -> Option<Algorithm> {
    Some(match language {
        Language::Chinese => return None,
        Language::Arabic => Algorithm::Arabic,
        Language::Danish => Algorithm::Danish,
        Language::Dutch => Algorithm::Dutch,
        Language::English => Algorithm::English,
        Language::Finnish => Algorithm::Finnish,
        Language::French => Algorithm::French,
        Language::German => Algorithm::German,
        Language::Greek => Algorithm::Greek,
        Language::Hungarian => Algorithm::Hungarian,
        Language::Italian => Algorithm::Italian,
        Language::Norwegian => Algorithm::Norwegian,
        Language::Portuguese => Algorithm::Portuguese,
        Language::Romanian => Algorithm::Romanian,
        Language::Russian => Algorithm::Russian,
        Language::Spanish => Algorithm::Spanish,
        Language::Swedish => Algorithm::Swedish,
        Language::Tamil => Algorithm::Tamil,
        Language::Turkish => Algorithm::Turkish,
    })
}

/// A language's stop list: for English the list beside this file, for the others NLTK's (from
/// the `stopwords` crate). Tamil has no list there: no word is a stop word.
pub fn default_stop_words(language: Language) -> Vec<String> {
    use stopwords::{Language as L, Stopwords, NLTK};
    let list = match language {
        Language::English => return list_words(STOPWORDS_EN),
        Language::Chinese => return list_words(STOPWORDS_ZH),
        Language::Tamil => return Vec::new(),
        Language::Arabic => L::Arabic,
        Language::Danish => L::Danish,
        Language::Dutch => L::Dutch,
        Language::Finnish => L::Finnish,
        Language::French => L::French,
        Language::German => L::German,
        Language::Greek => L::Greek,
        Language::Hungarian => L::Hungarian,
        Language::Italian => L::Italian,
        Language::Norwegian => L::Norwegian,
        Language::Portuguese => L::Portuguese,
        Language::Romanian => L::Romanian,
        Language::Russian => L::Russian,
        Language::Spanish => L::Spanish,
        Language::Swedish => L::Swedish,
        Language::Turkish => L::Turkish,
    };
    NLTK::stopwords(list)
        .unwrap_or(&[])
        .iter()
        .map(|w| w.to_string())
        .collect()
}

/// The words of a bundled list: one a line, blank lines skipped.
fn list_words(list: &str) -> Vec<String> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
