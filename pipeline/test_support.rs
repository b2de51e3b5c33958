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
            text: (*t).into(),
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
        text_map: None,
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
                range: 0..d.text().len(),
            })
            .collect(),
        removed: vec![],
    };
    (corpus, passages)
}

/// A burst of `term` over periods `start..=end` with `lift`, of level 1 and plain figures
/// otherwise: an episode, ended, not from the start, of no one voice.
pub fn burst(term: u32, start: usize, end: usize, lift: f64) -> crate::artifacts::Burst {
    crate::artifacts::Burst {
        term,
        start,
        end,
        level: 1,
        weight: 1.0,
        lift,
        concentration: 1.0,
        share: 0.1,
        periods: end - start + 1,
        per_passage: 1.0,
        score: 1.0,
        uses: 10,
        expected: 1.0,
        top_stratum: None,
        ongoing: false,
        from_start: false,
        lasting: false,
        one_voice: false,
    }
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
        text: Default::default(),
        extra: vec![],
    }
}

/// A run's results on a small corpus, for the report's unit tests: twelve yearly documents
/// (2000–2011, each a thin period: one document) from two sources, about trade throughout and about a war from 2006 on, with a
/// flood in 2003–2004; two topics, tracked "trade" and "war", strata by source.
pub struct ReportFixture {
    /// The configuration the stages ran with.
    pub config: crate::config::Config,
    /// Stage 1.
    pub corpus: Corpus,
    /// Stage 2.
    pub passages: Passages,
    /// Stage 3.
    pub tokens: crate::artifacts::Tokens,
    /// Stage 4.
    pub tfidf: crate::artifacts::TfIdf,
    /// Stage 5.
    pub topics: crate::artifacts::Topics,
    /// Stage 6.
    pub trends: crate::artifacts::Trends,
    /// What the page quotes.
    pub quotes: crate::stages::s7_report::input::Quotes,
    /// The corpus in figures.
    pub figures: crate::stages::s7_report::input::Figures,
    /// What is known of it besides.
    pub facts: crate::stages::s7_report::input::Facts,
}

/// Documents of the [`ReportFixture`] as a corpus of their own ([`ReportFixture::part`]).
pub struct Part {
    /// The documents.
    pub corpus: Corpus,
    /// Their passages, documents numbered within the part.
    pub passages: Passages,
    /// Where their passages stand in the whole corpus.
    pub range: std::ops::Range<usize>,
    /// The number of the first document in the whole corpus.
    pub first_doc: usize,
}

impl ReportFixture {
    /// Runs stages 2–6 on the fixture corpus.
    pub fn new() -> ReportFixture {
        use crate::stages::{s2_segment, s3_tokenize, s4_vectorize, s5_topics, s6_trends};
        // Every paragraph differs from every other document's, so that none is a shared line.
        let places = [
            "Lisbon", "Oslo", "Quito", "Hanoi", "Accra", "Lima", "Riga", "Doha", "Suva", "Baku",
            "Male", "Apia",
        ];
        let texts: Vec<String> = (0..12)
            .map(|i: usize| {
                let (here, there) = (places[i], places[(i + 5) % 12]);
                let mut paragraphs = vec![
                    format!(
                        "Trade ministers met in {here} to discuss tariffs, exports and the trade \
                         balance with {there}."
                    ),
                    format!(
                        "Markets in {here} grew, and exports to {there} rose after the tariffs \
                         on steel were lowered."
                    ),
                ];
                if (3..=4).contains(&i) {
                    paragraphs.push(format!(
                        "The flood reached {here}; the flood waters destroyed the harvest."
                    ));
                    paragraphs.push(format!(
                        "Relief came from {there} for the flood victims; the flood had ruined the harvest."
                    ));
                }
                if i >= 6 {
                    paragraphs.push(format!(
                        "The war reached {here}; soldiers and tanks crossed the border."
                    ));
                    paragraphs.push(format!(
                        "A ceasefire agreed in {there} failed; the war went on, a war without end."
                    ));
                }
                paragraphs.join("\n\n")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut corpus = corpus(&refs);
        corpus.documents.edit(|i, d| {
            d.source = if i % 3 == 0 { "Daily" } else { "Weekly" }.to_string();
        });
        let mut config = crate::config::Config::default();
        config.topics.k = crate::config::TopicCount::Fixed(2);
        config.trends.track = vec!["trade".into(), "war".into()];
        config.trends.stratify = Some("source".into());
        let passages = s2_segment::segment(&corpus, &config.segment);
        let tokens = s3_tokenize::tokenize(&corpus, &passages, &config.tokenize_config());
        let tfidf = s4_vectorize::vectorize(&tokens, &config.vectorize).expect("vectorize");
        let keys = passages.sample_keys(&corpus);
        let topics =
            s5_topics::topics(&tfidf, &tokens, &keys, &config.topics, config.seed).expect("topics");
        let trends = s6_trends::trends(
            &corpus,
            &passages,
            &tokens,
            &topics,
            &config.trends,
            config.seed,
        )
        .expect("trends");
        let quotes = crate::stages::s7_report::evidence::quotes::whole(
            (&corpus, &passages, &tokens),
            &topics,
            &trends,
        );
        let figures = crate::stages::s7_report::input::Figures::of(&corpus, &passages, &tokens);
        let facts = crate::stages::s7_report::input::Facts::of(&corpus, &tokens);
        ReportFixture {
            config,
            corpus,
            passages,
            tokens,
            tfidf,
            topics,
            trends,
            quotes,
            figures,
            facts,
        }
    }

    /// The report's view of it.
    pub fn input(&self) -> crate::stages::s7_report::input::ReportInput<'_> {
        crate::stages::s7_report::input::ReportInput {
            config: &self.config,
            vocabulary: &self.tokens.vocabulary,
            tfidf: &self.tfidf,
            topics: &self.topics,
            trends: &self.trends,
            quotes: &self.quotes,
            figures: &self.figures,
            facts: &self.facts,
        }
    }

    /// Documents `a..b` as a corpus of their own, with their passages.
    pub fn part(&self, a: usize, b: usize) -> Part {
        let corpus = Corpus {
            documents: self.corpus.documents.slice(a..b),
            ..self.corpus.clone()
        };
        let (range, passages) = self.passages.of_documents(a, b);
        Part {
            corpus,
            passages,
            range,
            first_doc: a,
        }
    }

    /// The report's view of the whole corpus as one shard.
    pub fn whole(&self) -> crate::stages::s7_report::input::Shard<'_> {
        crate::stages::s7_report::input::Shard::whole(
            &self.corpus,
            &self.passages,
            &self.tokens,
            &self.trends.doc_period,
        )
    }

    /// The report's view of `part` as a shard.
    pub fn shard<'a>(&'a self, part: &'a Part) -> crate::stages::s7_report::input::Shard<'a> {
        let (range, docs) = (
            part.range.clone(),
            part.first_doc..part.first_doc + part.corpus.documents.len(),
        );
        crate::stages::s7_report::input::Shard {
            corpus: &part.corpus,
            passages: &part.passages,
            bags: &self.tokens.bags[range.clone()],
            word_counts: &self.tokens.word_counts[range.clone()],
            doc_period: &self.trends.doc_period[docs],
            first_passage: range.start,
            first_doc: part.first_doc,
        }
    }

    /// The id of the term shown as `surface`.
    pub fn term(&self, surface: &str) -> crate::artifacts::TermId {
        self.tokens
            .vocabulary
            .terms
            .iter()
            .position(|t| t.surface == surface)
            .unwrap_or_else(|| panic!("no term {surface}")) as crate::artifacts::TermId
    }
}
