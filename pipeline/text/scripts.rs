//! Characters a language's analysis does not read: letters of other scripts (Han in an
//! English run, where each ideograph is a one-letter word and dropped; Hangul or Arabic,
//! which no English stemmer or stop list knows) and emoji. Counted by script, so that a run
//! can say what it passed over and suggest `--language`.

use std::collections::BTreeMap;

use unicode_script::{Script, UnicodeScript};

use crate::artifacts::Language;

/// Characters not read, by script name ("Han", "Hangul", "Emoji"…).
pub type Unread = BTreeMap<&'static str, u64>;

/// Adds the characters of `text` that `language` does not read to `counts`. Latin letters are
/// read in every language; ASCII is skipped without a look.
pub fn count_unread(text: &str, language: Language, counts: &mut Unread) {
    let own = own_script(language);
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(k) = super::words::first_non_ascii(&bytes[pos..]) {
        let at = pos + k;
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        pos = at + c.len_utf8();
        if is_emoji(c) {
            *counts.entry("Emoji").or_default() += 1;
            continue;
        }
        if !c.is_alphabetic() {
            continue;
        }
        let script = c.script();
        if !matches!(script, Script::Latin | Script::Common | Script::Inherited)
            && Some(script) != own
        {
            *counts.entry(script.full_name()).or_default() += 1;
        }
    }
}

/// The script a language is written in besides Latin.
fn own_script(language: Language) -> Option<Script> {
    match language {
        Language::Arabic => Some(Script::Arabic),
        Language::Chinese => Some(Script::Han),
        Language::Greek => Some(Script::Greek),
        Language::Russian => Some(Script::Cyrillic),
        Language::Tamil => Some(Script::Tamil),
        _ => None,
    }
}

/// Pictographs, emoticons and flags (regional indicators): the emoji blocks.
fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_letters_of_other_scripts_and_emoji() {
        let mut counts = Unread::new();
        let text = "China's 网络安全法 and 数据安全 (2021), 한국 🙂 café — Ελλάδα";
        count_unread(text, Language::English, &mut counts);
        assert_eq!(counts.get("Han"), Some(&9));
        assert_eq!(counts.get("Hangul"), Some(&2));
        assert_eq!(counts.get("Emoji"), Some(&1));
        assert_eq!(counts.get("Greek"), Some(&6));
        assert_eq!(counts.get("Latin"), None);
        let mut zh = Unread::new();
        count_unread(text, Language::Chinese, &mut zh);
        assert_eq!(zh.get("Han"), None);
        assert_eq!(zh.get("Hangul"), Some(&2));
    }
}
