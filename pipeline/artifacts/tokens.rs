//! Stage 3, tokenize, hands on [`Tokens`]: the vocabulary and each passage's bag of terms.

use serde::{Deserialize, Serialize};

use super::TermId;

/// The languages rust-stemmers has a Snowball stemmer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Language {
    Arabic,
    /// Simplified and Traditional Chinese: words by jieba segmentation, no stemming.
    Chinese,
    Danish,
    Dutch,
    #[default]
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl Language {
    /// The name the command line and config take (`chinese`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The name in a sentence (`Chinese`).
    pub fn display_name(self) -> String {
        let name = self.name();
        let mut chars = name.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    /// The language whose analysis reads a script (by its Unicode name: "Han", "Cyrillic"),
    /// for the hint a run gives about text it did not read.
    pub fn reading_script(script: &str) -> Option<Language> {
        Some(match script {
            "Han" => Language::Chinese,
            "Arabic" => Language::Arabic,
            "Greek" => Language::Greek,
            "Cyrillic" => Language::Russian,
            "Tamil" => Language::Tamil,
            _ => return None,
        })
    }

    /// The BCP 47 tag of the language, for the page's `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Arabic => "ar",
            Language::Chinese => "zh",
            Language::Danish => "da",
            Language::Dutch => "nl",
            Language::English => "en",
            Language::Finnish => "fi",
            Language::French => "fr",
            Language::German => "de",
            Language::Greek => "el",
            Language::Hungarian => "hu",
            Language::Italian => "it",
            Language::Norwegian => "no",
            Language::Portuguese => "pt",
            Language::Romanian => "ro",
            Language::Russian => "ru",
            Language::Spanish => "es",
            Language::Swedish => "sv",
            Language::Tamil => "ta",
            Language::Turkish => "tr",
        }
    }

    /// Every language, in the order the help lists them.
    pub const ALL: [Language; 19] = [
        Language::Arabic,
        Language::Chinese,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];
}

/// Whether a term is one word or a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// One word (stem).
    Word,
    /// A collocation of two to four words learnt from the corpus ("internet of things").
    Phrase,
    /// A phrase the user asked for (a tracked term, a synonym rule) that the statistics did
    /// not find: counted wherever it occurs all the same.
    AskedPhrase,
}

impl TermKind {
    /// Whether the term is a phrase, learnt or asked for.
    pub fn is_phrase(self) -> bool {
        self != TermKind::Word
    }

    /// How tables and listings name the kind.
    pub fn name(self) -> &'static str {
        match self {
            TermKind::Word => "word",
            TermKind::Phrase => "phrase",
            TermKind::AskedPhrase => "asked",
        }
    }
}

/// One term of the vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// Internal key: the stems (and connector words) joined by a space (`"data secur"`,
    /// `"internet of thing"`). Never shown to people.
    pub key: String,
    /// The most frequent surface form in the corpus (`"data security"`). What people see.
    pub surface: String,
    /// A word or a phrase.
    pub kind: TermKind,
    /// A phrase's collocation score (the scorer of `tokenize.phrases`); `None` for a word.
    pub score: Option<f64>,
    /// Occurrences in the whole corpus.
    pub count: u64,
    /// Number of documents it occurs in.
    pub documents: u32,
    /// Number of passages it occurs in.
    pub passages: u32,
}

/// Every term the tokenizer kept, sorted by key, so that term ids do not depend on thread
/// count or input order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Terms by [`TermId`].
    pub terms: Vec<Term>,
    /// Spelling variants folded into a closed form: (folded variant key, target term).
    pub folded: Vec<(String, TermId)>,
    /// The language the terms were analysed in (queries are analysed the same way).
    pub language: Language,
    /// Connector words, which phrases may hold inside (queries are read with them).
    pub connectors: Vec<String>,
    /// The stop words the terms were made without, sorted (queries drop the same).
    pub stop_words: Vec<String>,
    /// Whether terms are stems (else lower-case words).
    pub stemmed: bool,
    /// Terms of art the segmenter keeps whole (Chinese; `tokenize.user_words`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_words: Vec<String>,
}

impl Vocabulary {
    /// Looks a term up by its internal key.
    pub fn id_of_key(&self, key: &str) -> Option<TermId> {
        self.terms
            .binary_search_by(|t| t.key.as_str().cmp(key))
            .ok()
            .map(|i| i as TermId)
    }
}

/// Term counts of one passage: `(term, count)` sorted by term, counts > 0.
pub type Bag = Vec<(TermId, u32)>;

/// Output of tokenize.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// All terms.
    pub vocabulary: Vocabulary,
    /// One bag per passage, parallel to [`Passages::passages`].
    pub bags: Vec<Bag>,
    /// Word tokens per passage, stop words included: the denominator of relative frequencies.
    pub word_counts: Vec<u32>,
    /// Words inside markup (HTML tags and character references such as `&lt;b&gt;`, `&amp;`,
    /// `#39;`), which are not read as words and not counted in `word_counts`.
    pub markup_words: u64,
    /// Characters in scripts the language's analysis does not read, by script name ("Han",
    /// "Emoji"), in name order.
    pub unread_characters: Vec<(String, u64)>,
    /// Synonym variants (`tokenize.synonyms`) that matched no term of the corpus.
    pub unmatched_synonyms: Vec<String>,
}
