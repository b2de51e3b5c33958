//! What the report is made from: every stage's results and the run's configuration, with the
//! questions each part of the report asks of them.

use std::collections::BTreeMap;

use crate::artifacts::{Corpus, DocDate, Passages, TfIdf, Tokens, Topics, Trends};
use crate::config::Config;

/// Everything the report shows.
pub struct ReportInput<'a> {
    /// The configuration of the run.
    pub config: &'a Config,
    /// Stage 1.
    pub corpus: &'a Corpus,
    /// Stage 2.
    pub passages: &'a Passages,
    /// Stage 3.
    pub tokens: &'a Tokens,
    /// Stage 4.
    pub tfidf: &'a TfIdf,
    /// Stage 5.
    pub topics: &'a Topics,
    /// Stage 6.
    pub trends: &'a Trends,
    /// What the page quotes of passages and documents beyond the evidence.
    pub quotes: &'a Quotes,
}

impl ReportInput<'_> {
    /// Indices of the first and last periods with documents.
    pub fn first_last_filled(&self) -> Option<(usize, usize)> {
        let periods = &self.trends.periods;
        let first = periods.iter().position(|p| p.documents > 0)?;
        let last = periods.iter().rposition(|p| p.documents > 0)?;
        Some((first, last))
    }

    /// Labels of the first and last non-empty periods.
    pub fn first_last_labels(&self) -> (String, String) {
        let label = |i: usize| self.trends.periods[i].period.to_string();
        self.first_last_filled()
            .map(|(a, b)| (label(a), label(b)))
            .unwrap_or_default()
    }

    /// Labels of the two sides of the earliest–latest contrast ("1946–1961", "2016–2024"):
    /// the first and last periods when each holds enough text alone.
    pub fn ends_labels(&self) -> (String, String) {
        let periods = &self.trends.periods;
        self.trends
            .ends
            .map(|(a, b)| (a.label(periods), b.label(periods)))
            .unwrap_or_default()
    }

    /// "2016 (1 doc)"-style labels, and which periods are thin.
    pub fn period_labels(&self) -> (Vec<String>, Vec<bool>) {
        let labels = self
            .trends
            .periods
            .iter()
            .map(|p| p.period.to_string())
            .collect();
        let thin = self.trends.periods.iter().map(|p| p.thin).collect();
        (labels, thin)
    }

    /// Documents of each period that has some, in order.
    pub fn documents_per_filled_period(&self) -> Vec<u32> {
        self.trends
            .periods
            .iter()
            .filter(|p| p.documents > 0)
            .map(|p| p.documents)
            .collect()
    }

    /// Share of passages in each topic per period: `[period][topic]`, NaN for a gap.
    pub fn topic_share(&self) -> Vec<Vec<f64>> {
        let k = self.topics.topics.len();
        let mut out = vec![vec![f64::NAN; k]; self.trends.periods.len()];
        for row in &self.trends.topics_by_period {
            out[row.period][row.topic as usize] = row.share;
        }
        out
    }

    /// A topic's short label: its three top terms.
    pub fn topic_label(&self, t: usize) -> String {
        let terms = &self.tokens.vocabulary.terms;
        self.topics.topics[t]
            .top_terms
            .iter()
            .take(3)
            .map(|&(id, _)| terms[id as usize].surface.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A passage as the page quotes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageQuote {
    /// Its document's title, cut to `evidence::quotes::TITLE_CHARS`.
    pub title: String,
    /// Its document's date.
    pub date: DocDate,
    /// Its byte range in the document.
    pub range: std::ops::Range<usize>,
    /// Its text, white space folded, cut to `evidence::quotes::PASSAGE_CHARS`.
    pub text: String,
}

/// A document as the page names it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentQuote {
    /// Where it came from (`corpus.jsonl:17`).
    pub origin: String,
    /// Its date.
    pub date: DocDate,
}

/// What the page quotes of passages and documents beyond the evidence lines: the quotes
/// pass' partial (`evidence::quotes`), the asked passages and documents a shard holds.
/// Merging takes the union.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Quotes {
    /// Passages, by their number in the corpus.
    pub passages: BTreeMap<u64, PassageQuote>,
    /// Documents, by their number in the corpus.
    pub documents: BTreeMap<u64, DocumentQuote>,
}

impl Quotes {
    /// The quotes of two shards.
    pub fn merge(mut self, other: Quotes) -> Quotes {
        self.passages.extend(other.passages);
        self.documents.extend(other.documents);
        self
    }

    /// The quote of passage `p` of the corpus, which was asked for.
    pub fn passage(&self, p: u64) -> &PassageQuote {
        &self.passages[&p]
    }

    /// The quote of document `d` of the corpus, which was asked for.
    pub fn document(&self, d: u64) -> &DocumentQuote {
        &self.documents[&d]
    }
}
