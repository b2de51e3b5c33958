//! Quotes: what the page shows of a few passages and documents beyond the evidence lines (the
//! topics' representative passages, the document of the stray date), fetched in a pass over
//! the shards ([`Quotes::of`]) that merges by union.

use serde::{Deserialize, Serialize};

use std::collections::BTreeSet;

use crate::artifacts::{Corpus, Passages, Tokens, Topics, Trends};
use crate::stages::s7_report::input::{DocumentQuote, PassageQuote, Quotes, Shard};
use crate::stages::s7_report::text::excerpt;

/// Characters of a representative passage the page quotes.
pub const PASSAGE_CHARS: usize = 300;
/// Characters of a document's title the page quotes.
pub const TITLE_CHARS: usize = 80;

/// The passages and documents to quote, numbered in the corpus.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Asked {
    /// Passages.
    pub passages: BTreeSet<u64>,
    /// Documents.
    pub documents: BTreeSet<u64>,
}

impl Asked {
    /// What the page quotes: every topic's representatives and the stray date's document.
    pub fn of(topics: &Topics, trends: &Trends) -> Asked {
        Asked {
            passages: topics
                .topics
                .iter()
                .flat_map(|t| t.representatives.iter().map(|&p| p as u64))
                .collect(),
            documents: trends
                .stray_date
                .iter()
                .map(|s| s.document as u64)
                .collect(),
        }
    }
}

/// The quotes pass: the quotes of what `asked` names that the shard holds.
pub fn quotes(shard: &Shard, asked: &Asked) -> Quotes {
    let first_doc = shard.first_doc as u64;
    let docs = &shard.corpus.documents;
    let first = shard.first_passage as u64;
    let last = first + shard.passages.passages.len() as u64;
    let passages = asked
        .passages
        .range(first..last)
        .map(|&p| {
            let i = (p - first) as usize;
            let psg = &shard.passages.passages[i];
            let doc = &docs.get(psg.doc as usize);
            let quote = PassageQuote {
                title: excerpt(doc.title(), TITLE_CHARS),
                date: doc.date(),
                range: psg.range.clone(),
                text: excerpt(&shard.passages.text(shard.corpus, i), PASSAGE_CHARS),
            };
            (p, quote)
        })
        .collect();
    let documents = asked
        .documents
        .range(first_doc..first_doc + docs.len() as u64)
        .map(|&d| {
            let doc = &docs.get((d - first_doc) as usize);
            let quote = DocumentQuote {
                origin: doc.origin(),
                date: doc.date(),
            };
            (d, quote)
        })
        .collect();
    Quotes {
        passages,
        documents,
    }
}

/// The quotes of a run that holds its corpus: the pass over it as one shard.
pub fn whole(
    (corpus, passages, tokens): (&Corpus, &Passages, &Tokens),
    topics: &Topics,
    trends: &Trends,
) -> Quotes {
    let shard = Shard::whole(corpus, passages, tokens, &trends.doc_period);
    quotes(&shard, &Asked::of(topics, trends))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ReportFixture;

    #[test]
    fn quotes_fetched_in_shards_merged_in_any_order_are_the_whole_corpus_quotes() {
        let f = ReportFixture::new();
        let mut asked = Asked::of(&f.topics, &f.trends);
        assert!(asked.passages.len() >= 3, "{asked:?}");
        asked.documents.extend([0, 4, 11]);
        let whole = quotes(
            &Shard::whole(&f.corpus, &f.passages, &f.tokens, &f.trends.doc_period),
            &asked,
        );
        assert_eq!(whole.passages.len(), asked.passages.len());
        assert_eq!(whole.documents.len(), 3);
        let part = |a: usize, b: usize| {
            let part = f.part(a, b);
            let shard = f.shard(&part);
            quotes(&shard, &asked)
        };
        let split = part(7, 12).merge(part(0, 4)).merge(part(4, 7));
        assert_eq!(split, whole);
        let p = *asked.passages.iter().next().unwrap();
        assert_eq!(
            whole.passage(p).range,
            f.passages.passages[p as usize].range
        );
        assert_eq!(whole.document(4).origin, f.corpus.documents.get(4).origin());
    }
}
