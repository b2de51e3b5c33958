//! The language of each document (`--language auto`), by whatlang's trigram and script
//! models, so that a run reads a corpus in the language it is written in, and refuses a
//! corpus written in several.

use std::collections::BTreeMap;

use whatlang::Lang;

use crate::artifacts::{Corpus, Language};

/// Characters of each document that detection reads: the opening of a long text decides
/// its language as well as the whole would.
const SAMPLE_CHARS: usize = 4000;

/// What detection found: the documents of each language, by whatlang's English name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detected {
    /// Each language found: its name, the language topictide reads it as (`None`: a language
    /// it has no analysis for), its documents and the first few of their ids.
    pub languages: Vec<DetectedLanguage>,
    /// Documents whose language could not be told (too short, or no letters).
    pub unknown: usize,
}

/// One language of a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectedLanguage {
    /// whatlang's English name ("Mandarin", "English").
    pub name: &'static str,
    /// The language topictide reads it as, if any.
    pub language: Option<Language>,
    /// Documents detected in it.
    pub documents: usize,
    /// The ids of its first five documents.
    pub examples: Vec<String>,
}

impl Detected {
    /// The corpus' one language, when every document whose language is known is in it.
    pub fn single(&self) -> Option<Language> {
        match self.languages.as_slice() {
            [one] => one.language,
            _ => None,
        }
    }
}

/// Detects each document's language.
pub fn detect_languages(corpus: &Corpus) -> Detected {
    let mut by: BTreeMap<&'static str, DetectedLanguage> = BTreeMap::new();
    let mut unknown = 0;
    for doc in &corpus.documents {
        let end = doc
            .text()
            .char_indices()
            .nth(SAMPLE_CHARS)
            .map_or(doc.text().len(), |(i, _)| i);
        match whatlang::detect(&doc.text()[..end]).filter(|i| i.is_reliable()) {
            Some(info) => {
                let entry = by
                    .entry(info.lang().eng_name())
                    .or_insert_with(|| DetectedLanguage {
                        name: info.lang().eng_name(),
                        language: language_of(info.lang()),
                        documents: 0,
                        examples: Vec::new(),
                    });
                entry.documents += 1;
                if entry.examples.len() < 5 {
                    entry.examples.push(doc.id().to_string());
                }
            }
            None => unknown += 1,
        }
    }
    let mut languages: Vec<DetectedLanguage> = by.into_values().collect();
    languages.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.name.cmp(b.name)));
    Detected { languages, unknown }
}

/// The analysis that reads a whatlang language.
fn language_of(lang: Lang) -> Option<Language> {
    Some(match lang {
        Lang::Ara => Language::Arabic,
        Lang::Cmn => Language::Chinese,
        Lang::Dan => Language::Danish,
        Lang::Nld => Language::Dutch,
        Lang::Eng => Language::English,
        Lang::Fin => Language::Finnish,
        Lang::Fra => Language::French,
        Lang::Deu => Language::German,
        Lang::Ell => Language::Greek,
        Lang::Hun => Language::Hungarian,
        Lang::Ita => Language::Italian,
        Lang::Nob => Language::Norwegian,
        Lang::Por => Language::Portuguese,
        Lang::Ron => Language::Romanian,
        Lang::Rus => Language::Russian,
        Lang::Spa => Language::Spanish,
        Lang::Swe => Language::Swedish,
        Lang::Tam => Language::Tamil,
        Lang::Tur => Language::Turkish,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::corpus;

    #[test]
    fn one_language_is_found_and_a_mixed_corpus_is_not_one() {
        let zh = "中国共产党第二十次全国代表大会是在全党全国各族人民迈上全面建设社会主义现代化国家新征程、向第二个百年奋斗目标进军的关键时刻召开的一次十分重要的大会。";
        let en = "The Cybersecurity Law took effect in June 2017, and the Data Security Law followed in September 2021, widening the rules from networks to data.";
        let only_zh = detect_languages(&corpus(&[zh, zh]));
        assert_eq!(only_zh.single(), Some(Language::Chinese));
        let mixed = detect_languages(&corpus(&[zh, en, en]));
        assert_eq!(mixed.single(), None);
        assert_eq!(mixed.languages[0].language, Some(Language::English));
        assert_eq!(mixed.languages[0].examples, ["d1", "d2"]);
        assert_eq!(mixed.languages[1].documents, 1);
    }
}
