//! Tokenizing Chinese: segmentation of mixed text, Traditional input, user dictionaries, and
//! what an English run says of Han characters.

#[cfg(test)]
mod tests {
    use super::super::*;

    use crate::test_support::corpus_of;
    use crate::text::{find, resolve};

    fn chinese() -> TokenizeConfig {
        TokenizeConfig {
            language: Language::Chinese,
            ..TokenizeConfig::default()
        }
    }

    fn count_of(tokens: &Tokens, term: &str) -> Option<u64> {
        resolve(&tokens.vocabulary, term).map(|id| tokens.vocabulary.terms[id as usize].count)
    }

    #[test]
    fn mixed_text_keeps_latin_words_numbers_and_chinese_words() {
        let text =
            "我们要发展5G网络和APP应用，到2035年基本实现社会主义现代化。数据安全和网络安全同样重要。\
                    安全是发展的前提，发展是安全的保障。";
        let (c, p) = corpus_of(&[text]);
        let t = tokenize(&c, &p, &chinese());
        for term in [
            "5g",
            "网络",
            "app",
            "2035",
            "社会主义",
            "现代化",
            "数据安全",
            "网络安全",
            "安全",
        ] {
            assert!(count_of(&t, term).is_some(), "{term} is not a term");
        }
        assert_eq!(count_of(&t, "安全"), Some(2));
        // Stop words (的, 和, 我们) are not terms; the vocabulary is not stemmed.
        assert_eq!(count_of(&t, "我们"), None);
        assert_eq!(count_of(&t, "和"), None);
        assert!(!t.vocabulary.stemmed);
        // Every word token is counted: 5G 网络 APP 2035 年 …; punctuation is not.
        let words = t.word_counts[0];
        assert!((30..=40).contains(&words), "{words} word tokens");
        // A term's occurrences are found where the text has them.
        let id = resolve(&t.vocabulary, "安全").unwrap();
        let found: Vec<&str> = find(&t.vocabulary, id, text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["安全", "安全"]);
        assert!(t.unread_characters.is_empty(), "{:?}", t.unread_characters);
    }

    #[test]
    fn traditional_and_simplified_text_count_as_one_term() {
        let (c, p) = corpus_of(&["資訊安全與網路安全", "安全是发展的前提"]);
        let t = tokenize(&c, &p, &chinese());
        let id = resolve(&t.vocabulary, "安全").unwrap();
        assert_eq!(t.vocabulary.terms[id as usize].documents, 2);
        // A Traditional query finds the Simplified term, and the other way round.
        assert_eq!(
            resolve(&t.vocabulary, "資訊"),
            resolve(&t.vocabulary, "资讯")
        );
        assert!(resolve(&t.vocabulary, "資訊").is_some());
        // Full-width letters and digits are read as their ASCII forms.
        let (c, p) = corpus_of(&["发展ＡＰＰ和APP，２０３５年"]);
        let t = tokenize(&c, &p, &chinese());
        assert_eq!(count_of(&t, "app"), Some(2));
        assert!(count_of(&t, "2035").is_some());
    }

    #[test]
    fn user_dictionary_keeps_terms_of_art_whole() {
        let texts = [
            "加快发展新质生产力，落实数据安全法。",
            "新质生产力是重点；数据安全法已施行。",
        ];
        let (c, p) = corpus_of(&texts);
        let mut cfg = chinese();
        cfg.phrases.enabled = false;
        let plain = tokenize(&c, &p, &cfg);
        assert_eq!(
            plain
                .vocabulary
                .terms
                .iter()
                .find(|t| t.surface == "新质生产力"),
            None
        );
        cfg.user_words = vec!["新质生产力".into(), "數據安全法".into()];
        let with = tokenize(&c, &p, &cfg);
        assert_eq!(count_of(&with, "新质生产力"), Some(2));
        // The dictionary may be written in Traditional characters.
        assert_eq!(count_of(&with, "数据安全法"), Some(2));
    }

    #[test]
    fn phrases_of_chinese_words_are_written_without_spaces() {
        let text = "维护国家安全。国家安全是根本。坚持国家安全观点，保障国家安全。";
        let (c, p) = corpus_of(&[text, text]);
        let mut cfg = chinese();
        cfg.phrases.min_count = 2;
        let t = tokenize(&c, &p, &cfg);
        let phrases = super::super::tests::phrase_surfaces(&t);
        assert!(phrases.contains(&"国家安全"), "{phrases:?}");
    }

    #[test]
    fn an_english_run_counts_the_han_characters_it_cannot_read() {
        let (c, p) =
            corpus_of(&["China passed the 网络安全法 in 2016 and the 数据安全法 in 2021."]);
        let t = tokenize(&c, &p, &TokenizeConfig::default());
        assert_eq!(t.unread_characters, [("Han".to_string(), 10)]);
        // The Han characters are not terms of the English run.
        assert!(t.vocabulary.terms.iter().all(|t| t.surface.is_ascii()));
    }

    #[test]
    fn lone_characters_and_years_in_numerals_name_no_change() {
        let (c, p) = corpus_of(&["数据安全，一九七五年通过。党和国家，数据安全很重要。党是领导。"]);
        let t = tokenize(&c, &p, &chinese());
        let v = &t.vocabulary;
        let id = |term: &str| resolve(v, term).unwrap_or_else(|| panic!("no term {term}"));
        assert!(crate::text::is_topical(v, id("数据安全")));
        assert!(!crate::text::is_topical(v, id("党")));
        assert!(crate::text::is_number_or_calendar(v, id("一九七五年")));
    }
}
