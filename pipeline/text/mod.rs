//! Text as every stage reads it: words by Unicode boundaries ([`scan_words`]), the analysis
//! that makes them terms ([`Analyzer`]), questions asked of a vocabulary ([`find`],
//! [`resolve`]) and labels of a class of passages ([`label_terms`]). Tokenize builds the
//! vocabulary with these; topics, trends and the report read it back with the same ones, so a
//! query, a passage's highlight and a term count agree.
//!
//! This module depends on [`crate::artifacts`] and [`crate::calendar`] only.

mod analyzer;
mod chinese;
mod detect;
mod labels;
mod lookup;
mod scripts;
mod words;

pub use analyzer::{default_stop_words, Analyzer, WordClass};
pub use chinese::{fold_variants, is_han, join_words};
pub use detect::{detect_languages, Detected, DetectedLanguage};
pub use labels::label_terms;
pub use lookup::{
    find, is_number_or_calendar, is_topical, mentions_date, occurrences, resolve, Reader,
};
pub use scripts::{count_unread, Unread};
pub use words::{scan_words, scan_words_split, scan_words_uax29};
