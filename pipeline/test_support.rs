//! Small in-memory corpora for unit tests.

use crate::artifacts::{Corpus, DateSource, DocDate, Document, Passage, Passages};

/// One document per text, dated 2000, 2001, …
pub fn corpus(texts: &[&str]) -> Corpus {
    let documents = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Document {
            id: format!("d{i}"),
            title: String::new(),
            source: String::new(),
            date: DocDate::year(2000 + i as i32),
            date_source: DateSource::Given,
            origin: format!("d{i}"),
            text: t.to_string(),
            extra: vec![],
        })
        .collect();
    Corpus {
        path: "mem".into(),
        documents,
        dropped_undated: vec![],
        dropped_empty: vec![],
        extra_columns: vec![],
        columns_left_out: vec![],
    }
}

/// One document per text, each a single passage.
pub fn corpus_of(texts: &[&str]) -> (Corpus, Passages) {
    let corpus = corpus(texts);
    let passages = Passages {
        passages: corpus
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| Passage {
                doc: i as u32,
                index: 0,
                range: 0..d.text.len(),
            })
            .collect(),
        removed: vec![],
    };
    (corpus, passages)
}

/// An empty document with the given `YYYY[-MM[-DD]]` date.
pub fn doc_dated(date: &str) -> Document {
    Document {
        id: date.to_string(),
        title: String::new(),
        source: String::new(),
        date: DocDate::parse(date).expect("a valid test date"),
        date_source: DateSource::Given,
        origin: format!("{date}.txt"),
        text: String::new(),
        extra: vec![],
    }
}
