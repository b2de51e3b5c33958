//! What the report is made from: the driver's results (every stage's decisions, the corpus in
//! figures, the quotes) and the run's configuration, with the questions each part of the
//! report asks of them; and [`Shard`], the corpus as the report's passes read it.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::artifacts::{
    Bag, Corpus, DateSource, DocDate, Passages, Rule, TfIdf, Tokens, Topics, Trends, Vocabulary,
};
use crate::config::Config;

/// Everything the report shows.
pub struct ReportInput<'a> {
    /// The configuration of the run.
    pub config: &'a Config,
    /// Stage 3's vocabulary.
    pub vocabulary: &'a Vocabulary,
    /// Stage 4.
    pub tfidf: &'a TfIdf,
    /// Stage 5.
    pub topics: &'a Topics,
    /// Stage 6.
    pub trends: &'a Trends,
    /// What the page quotes of passages and documents beyond the evidence.
    pub quotes: &'a Quotes,
    /// The corpus in figures.
    pub figures: &'a Figures,
    /// What is known of the whole corpus besides.
    pub facts: &'a Facts,
}

/// What the report's tables stage wrote (`tables::write_all`), which the page names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Tables written (each as Parquet, most also as CSV).
    pub tables: usize,
    /// Files written.
    pub files: usize,
    /// The tables whose CSV copy passed `csv_limit` and was left out, in the order written.
    pub csv_left_out: Vec<String>,
    /// Bytes a CSV copy could take, when capped.
    pub csv_limit: Option<u64>,
}

impl Written {
    /// The file a reader finds table `name` in: its CSV copy, or its Parquet file when the
    /// CSV was left out.
    pub fn file(&self, name: &str) -> String {
        let ext = if self.csv_left_out.iter().any(|n| n == name) {
            "parquet"
        } else {
            "csv"
        };
        format!("tables/{name}.{ext}")
    }

    /// Table `name` written, with its CSV copy when `csv`.
    pub fn add(&mut self, name: &str, csv: bool) {
        self.tables += 1;
        self.files += 1 + usize::from(csv);
        if !csv {
            self.csv_left_out.push(name.to_string());
        }
    }
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
        let terms = &self.vocabulary.terms;
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentQuote {
    /// Where it came from (`corpus.jsonl:17`).
    pub origin: String,
    /// Its date.
    pub date: DocDate,
}

/// What the page quotes of passages and documents beyond the evidence lines: the quotes
/// pass' partial (`evidence::quotes`), the asked passages and documents a shard holds.
/// Merging takes the union.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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

/// The corpus in figures, as the page and `run.json` give them: sums over its shards
/// ([`Figures::of`] a shard, merged by addition), so that any split gives the same.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Figures {
    /// Documents.
    pub documents: u64,
    /// Documents dated from their own text.
    pub dates_read_from_text: u64,
    /// Bytes of text.
    pub bytes: u64,
    /// Passages.
    pub passages: u64,
    /// Lines cleaning removed, by rule (in the order of `Rule::ALL`).
    pub removed_by_rule: Vec<u64>,
    /// Word tokens, stop words included.
    pub word_tokens: u64,
    /// Words inside markup, not read as words.
    pub markup_words: u64,
    /// Characters in scripts the analysis does not read, by script name, in name order.
    pub unread_characters: BTreeMap<String, u64>,
}

impl Figures {
    /// A shard's figures.
    pub fn of(corpus: &Corpus, passages: &Passages, tokens: &Tokens) -> Figures {
        Figures {
            documents: corpus.documents.len() as u64,
            dates_read_from_text: corpus
                .documents
                .iter()
                .filter(|d| d.date_source() != DateSource::Given)
                .count() as u64,
            bytes: corpus.text_bytes() as u64,
            passages: passages.passages.len() as u64,
            removed_by_rule: Rule::ALL
                .iter()
                .map(|&rule| passages.removed.iter().filter(|r| r.rule == rule).count() as u64)
                .collect(),
            word_tokens: tokens.word_counts.iter().map(|&n| n as u64).sum(),
            markup_words: tokens.markup_words,
            unread_characters: tokens.unread_characters.iter().cloned().collect(),
        }
    }

    /// The figures of two shards.
    pub fn merge(mut self, other: Figures) -> Figures {
        self.documents += other.documents;
        self.dates_read_from_text += other.dates_read_from_text;
        self.bytes += other.bytes;
        self.passages += other.passages;
        if self.removed_by_rule.is_empty() {
            self.removed_by_rule = other.removed_by_rule;
        } else {
            for (a, b) in self.removed_by_rule.iter_mut().zip(other.removed_by_rule) {
                *a += b;
            }
        }
        self.word_tokens += other.word_tokens;
        self.markup_words += other.markup_words;
        for (script, n) in other.unread_characters {
            *self.unread_characters.entry(script).or_default() += n;
        }
        self
    }

    /// Lines cleaning removed.
    pub fn removed_lines(&self) -> u64 {
        self.removed_by_rule.iter().sum()
    }
}

/// What the driver knows of the whole corpus besides its figures: where it was read from,
/// what ingest left out, the input's other columns, and the synonyms that matched no term.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// The path the corpus was read from.
    pub path: std::path::PathBuf,
    /// Documents left out for want of a date, by origin.
    pub dropped_undated: Vec<String>,
    /// Documents left out for having no text, by origin.
    pub dropped_empty: Vec<String>,
    /// The input's columns passed through to the `documents` table.
    pub extra_columns: Vec<String>,
    /// Input columns neither read nor passed through: "name (type)".
    pub columns_left_out: Vec<String>,
    /// Synonym variants that matched no term.
    pub unmatched_synonyms: Vec<String>,
}

impl Facts {
    /// The facts of a corpus read whole, tokenized into `tokens`.
    pub fn of(corpus: &Corpus, tokens: &Tokens) -> Facts {
        Facts {
            path: corpus.path.clone(),
            dropped_undated: corpus.dropped_undated.clone(),
            dropped_empty: corpus.dropped_empty.clone(),
            extra_columns: corpus.extra_columns.clone(),
            columns_left_out: corpus.columns_left_out.clone(),
            unmatched_synonyms: tokens.unmatched_synonyms.clone(),
        }
    }

    /// The facts of a corpus read at `path` in shards, from each shard's facts in corpus
    /// order: what ingest left out, shard after shard; the columns and the unmatched synonyms,
    /// which every shard reads alike (from the input's schema and the state's vocabulary), from
    /// the first.
    pub fn joined(path: &std::path::Path, shards: impl IntoIterator<Item = Facts>) -> Facts {
        let mut joined: Option<Facts> = None;
        for shard in shards {
            match &mut joined {
                None => joined = Some(shard),
                Some(j) => {
                    j.dropped_undated.extend(shard.dropped_undated);
                    j.dropped_empty.extend(shard.dropped_empty);
                }
            }
        }
        Facts {
            path: path.to_path_buf(),
            ..joined.unwrap_or_default()
        }
    }
}

/// A shard of the corpus as the report's passes read it: a run of consecutive documents with
/// their passages (a plain run is one shard, [`Shard::whole`]).
pub struct Shard<'a> {
    /// The shard's documents.
    pub corpus: &'a Corpus,
    /// Their passages, documents numbered within the shard.
    pub passages: &'a Passages,
    /// Each passage's bag.
    pub bags: &'a [Bag],
    /// Each passage's word tokens, stop words included.
    pub word_counts: &'a [u32],
    /// Each document's period.
    pub doc_period: &'a [usize],
    /// The number in the corpus of the shard's first passage.
    pub first_passage: usize,
    /// The number in the corpus of the shard's first document.
    pub first_doc: usize,
}

impl<'a> Shard<'a> {
    /// The corpus as one shard.
    pub fn whole(
        corpus: &'a Corpus,
        passages: &'a Passages,
        tokens: &'a Tokens,
        doc_period: &'a [usize],
    ) -> Self {
        Shard {
            corpus,
            passages,
            bags: &tokens.bags,
            word_counts: &tokens.word_counts,
            doc_period,
            first_passage: 0,
            first_doc: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ReportFixture;

    #[test]
    fn figures_of_shards_merged_in_any_order_are_the_whole_corpus_figures() {
        let f = ReportFixture::new();
        let whole = Figures::of(&f.corpus, &f.passages, &f.tokens);
        assert_eq!(whole.documents, 12);
        assert!(whole.word_tokens > 0);
        let part = |a: usize, b: usize, unread: u64| {
            let part = f.part(a, b);
            let tokens = Tokens {
                word_counts: f.tokens.word_counts[part.range.clone()].to_vec(),
                markup_words: unread,
                unread_characters: vec![("Han".into(), unread)],
                ..f.tokens.clone()
            };
            Figures::of(&part.corpus, &part.passages, &tokens)
        };
        let split = part(7, 12, 2).merge(part(0, 3, 0)).merge(part(3, 7, 1));
        let want = Figures {
            markup_words: 3,
            unread_characters: [("Han".to_string(), 3)].into_iter().collect(),
            ..whole
        };
        assert_eq!(split, want);
    }
}
