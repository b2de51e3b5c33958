//! Stage 6, trends: per-period term frequencies (aggregated with polars), tracked terms with
//! bootstrap intervals ([`bootstrap`]), the terms rising and falling most between adjacent
//! periods and between the first and the last, and bursts ([`bursts`]).
//!
//! Periods run from the first to the last document's period with empty periods kept as gaps.
//! Relative frequencies are per 1,000 word tokens of the period (stop words included).
//! Changes are log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn
//! 2008), the prior being the whole corpus' counts; z-scores rank them.
//!
//! The stage decides from the counting pass' sums ([`Counted`]) and from passes over the
//! corpus' shards, run by a [`passes::Passes`] engine ([`trends_in`]; a plain run is one
//! shard): tracked terms' counts per document, topics over time, the successions' profiles,
//! strata and the ends of the dates. Each maps a shard to a partial that merges in any order
//! (ARCHITECTURE.md, "The whole run in passes").

pub mod bootstrap;
pub mod bursts;
pub mod passes;
pub mod periods;
pub mod profiles;
pub mod shard;
pub mod shifts;
pub mod slots;
pub mod strata;
pub mod succession;
pub mod topics_over_time;

use rayon::prelude::*;

use crate::artifacts::{
    Corpus, Passages, PeriodStats, Strata, TermId, TermPeriod, Tokens, Topics, Trends, Vocabulary,
};
use crate::config::TrendsConfig;
use crate::error::Result;
use crate::text::is_topical;
use counts::PeriodCounts;
use passes::Passes;

mod changes;
mod contrasts;
pub mod counts;
mod tracked;

pub use contrasts::log_odds_z;
pub use tracked::{smooth, TrackedCounts};

/// Computes the trends of a tokenized corpus: [`trends_in`] with the corpus as one shard.
pub fn trends(
    corpus: &Corpus,
    passages: &Passages,
    tokens: &Tokens,
    topics: &Topics,
    cfg: &TrendsConfig,
    seed: u64,
) -> Result<Trends> {
    let vocab = &tokens.vocabulary;
    let mut counted = counted(corpus, passages, tokens, cfg)?;
    // The passes borrow each document's period while `trends_in` reads the rest; the list
    // (eight bytes a document) goes into the result afterwards rather than being copied.
    let doc_period = std::mem::take(&mut counted.doc_period);
    let passes = passes::InMemory(vec![passes::Part {
        corpus,
        shard: shard::Shard {
            passages,
            bags: &tokens.bags,
            word_counts: &tokens.word_counts,
            assignment: &topics.assignment,
            doc_period: &doc_period,
            first_doc: 0,
        },
    }]);
    let mut trends = trends_in(&passes, counted, vocab, topics, cfg, seed)?;
    drop(passes);
    trends.doc_period = doc_period;
    Ok(trends)
}

/// The counting pass over a corpus held whole: its periods, each document's period, and the
/// uses of the [`counted_terms`].
pub fn counted(
    corpus: &Corpus,
    passages: &Passages,
    tokens: &Tokens,
    cfg: &TrendsConfig,
) -> Result<Counted> {
    let (stats, doc_period) = period_stats(corpus, passages, tokens, cfg)?;
    let terms = counted_terms(&tokens.vocabulary, cfg);
    let counts = counts::period_counts(passages, tokens, &doc_period, &terms)?;
    Ok(Counted {
        stats,
        doc_period,
        counts,
    })
}

/// The terms with per-period rows, whose counts [`trends_in`] reads: the `max_terms` most
/// frequent (at least `min_count`), and every tracked term.
pub fn counted_terms(vocab: &Vocabulary, cfg: &TrendsConfig) -> Vec<TermId> {
    terms_with_rows(
        vocab,
        cfg,
        tracked::asked(vocab, cfg).iter().filter_map(|t| t.term),
    )
}

/// What the counting pass gives trends: the periods' documents, passages and word tokens,
/// each document's period, and the uses of the [`counted_terms`] per period.
pub struct Counted {
    /// The periods, empty ones kept as gaps.
    pub stats: Vec<PeriodStats>,
    /// Each document's period.
    pub doc_period: Vec<usize>,
    /// The counted terms' uses per period.
    pub counts: PeriodCounts,
}

/// Computes the trends of a corpus from its counts, running the passes that read its passages
/// through `passes`.
pub fn trends_in(
    passes: &impl Passes,
    counted: Counted,
    vocab: &Vocabulary,
    topics: &Topics,
    cfg: &TrendsConfig,
    seed: u64,
) -> Result<Trends> {
    let Counted {
        stats,
        doc_period,
        counts,
    } = counted;
    let filled: Vec<usize> = (0..stats.len())
        .filter(|&p| stats[p].documents > 0)
        .collect();
    let mut tracked = tracked::asked(vocab, cfg);
    let terms = counted_terms(vocab, cfg);
    let rows = term_rows(&stats, &terms, &counts, vocab);
    // Number and calendar words ("fortieth", "June") and lone Chinese characters are left out
    // of contrasts, bursts and successions unless asked for: they follow session numbers and
    // dates, or say too little to name a change.
    let asked: Vec<TermId> = tracked.iter().filter_map(|t| t.term).collect();
    let decide = |t: TermId| asked.contains(&t) || is_topical(vocab, t);
    // Decided once for each counted term, in parallel: the contrasts ask it again of each
    // change they list, one contrast after another.
    let mut decided: Vec<Option<bool>> = vec![None; vocab.terms.len()];
    let each: Vec<bool> = terms.par_iter().map(|&t| decide(t)).collect();
    for (&t, listed) in terms.iter().zip(each) {
        decided[t as usize] = Some(listed);
    }
    let listed = |t: TermId| decided[t as usize].unwrap_or_else(|| decide(t));
    let ends = contrasts::ends(&stats, &filled, cfg.end_share);
    let contrasts = contrasts::contrasts(&filled, ends, &terms, &listed, &counts, vocab, cfg);
    let (rising, falling) = match ends {
        Some(ends) => {
            let c = contrasts
                .iter()
                .find(|c| (c.from, c.to) == ends)
                .expect("the earliest–latest contrast is computed");
            (c.rising.clone(), c.falling.clone())
        }
        None => (Vec::new(), Vec::new()),
    };
    if tracked.is_empty() {
        tracked = tracked::clearest(vocab, &rising, &falling);
    }
    tracked::changes(&mut tracked, ends, &terms, &counts, vocab);
    let tracked_terms: Vec<TermId> = tracked.iter().filter_map(|t| t.term).collect();
    passes
        .tracked(&tracked_terms)?
        .series(&mut tracked, stats.len(), cfg, seed);

    // Terms tracked by default come from the contrast's lists, so they are `listed` already.
    let topical: Vec<TermId> = terms.iter().copied().filter(|&t| listed(t)).collect();
    let found = changes::find(&topical, &asked, &counts, &stats, &filled, vocab, cfg);
    let succession = succession::succession(
        &succession::Inputs {
            vocab,
            passes,
            topics,
            periods: &stats,
            counts: &counts,
            turns: &found.turns,
        },
        &terms,
        &topical,
        cfg,
    )?;
    let k = topics.topics.len();
    let topics_by_period = if k == 0 {
        Vec::new()
    } else {
        passes
            .topic_periods(&topics.class_tfidf, k, stats.len())?
            .rows(&topics.class_tfidf, vocab, cfg, seed)
    };
    let mut trends = Trends {
        strata: None,
        periods: stats,
        doc_period,
        terms,
        rows,
        tracked,
        ends,
        rising,
        falling,
        topics_by_period,
        succession,
        contrasts,
        bursts: found.bursts,
        shifts: found.shifts,
        counted: found.counted,
        stray_date: passes.date_ends()?.stray(),
    };
    if let Some(column) = &cfg.stratify {
        trends.strata = Some(stratify(column, passes, &mut trends)?);
    }
    Ok(trends)
}

/// The periods (empty ones kept as gaps) with their documents, passages and word tokens, and
/// the period of each document.
fn period_stats(
    corpus: &Corpus,
    passages: &Passages,
    tokens: &Tokens,
    cfg: &TrendsConfig,
) -> Result<(Vec<PeriodStats>, Vec<usize>)> {
    let (all, doc_period) = periods::assign(&corpus.documents, cfg)?;
    let mut periods: Vec<PeriodStats> = all
        .iter()
        .map(|&period| PeriodStats {
            period,
            documents: 0,
            passages: 0,
            tokens: 0,
            thin: false,
        })
        .collect();
    for &p in &doc_period {
        periods[p].documents += 1;
    }
    for p in &mut periods {
        p.thin = p.documents > 0 && p.documents < cfg.thin_documents;
    }
    for (i, psg) in passages.passages.iter().enumerate() {
        let p = &mut periods[doc_period[psg.doc as usize]];
        p.passages += 1;
        p.tokens += tokens.word_counts[i] as u64;
    }
    Ok((periods, doc_period))
}

/// The `terms_by_period` rows of a corpus from its periods and the per-period counts of every
/// term (`counts`, by period index and term): the rows [`trends`] makes, from counts that may
/// have been summed over shards of the corpus.
pub fn rows_of(
    periods: &[PeriodStats],
    vocab: &Vocabulary,
    cfg: &TrendsConfig,
    counts: &PeriodCounts,
) -> Vec<TermPeriod> {
    let tracked = tracked::asked(vocab, cfg);
    let terms = terms_with_rows(vocab, cfg, tracked.iter().filter_map(|t| t.term));
    term_rows(periods, &terms, counts, vocab)
}

/// The terms with per-period rows: the `max_terms` most frequent (at least `min_count`), and
/// every tracked term.
fn terms_with_rows(
    vocab: &Vocabulary,
    cfg: &TrendsConfig,
    tracked: impl Iterator<Item = TermId>,
) -> Vec<TermId> {
    let mut by_count: Vec<TermId> = (0..vocab.terms.len() as TermId)
        .filter(|&t| vocab.terms[t as usize].count >= cfg.min_count)
        .collect();
    by_count.sort_by_key(|&t| (std::cmp::Reverse(vocab.terms[t as usize].count), t));
    by_count.truncate(cfg.max_terms);
    for t in tracked {
        if !by_count.contains(&t) {
            by_count.push(t);
        }
    }
    by_count
}

/// One row per period and term with rows, by period, then surface form.
fn term_rows(
    periods: &[PeriodStats],
    terms: &[TermId],
    counts: &PeriodCounts,
    vocab: &Vocabulary,
) -> Vec<TermPeriod> {
    // Rows by period, then by surface form (ties: the term id): the terms are put in that
    // order once, not the rows of every period (2.4 million rows took a second to sort on
    // one core over a gigabyte).
    let mut terms = terms.to_vec();
    terms.par_sort_unstable_by(|&a, &b| {
        (&vocab.terms[a as usize].surface, a).cmp(&(&vocab.terms[b as usize].surface, b))
    });
    let mut rows = Vec::with_capacity(terms.len() * periods.len());
    for (p, stats) in periods.iter().enumerate() {
        for &t in &terms {
            let c = counts.get(p, t);
            let per_1k_tokens = if stats.tokens > 0 {
                c.count as f64 * 1000.0 / stats.tokens as f64
            } else {
                0.0
            };
            rows.push(TermPeriod {
                period: p,
                term: t,
                count: c.count,
                per_1k_tokens,
                documents: c.documents,
                passages: c.passages,
            });
        }
    }
    rows
}

/// Strata (`trends.stratify`): each document's voice, the mix of voices per period, and each
/// change of a contrast, tracked term or burst split between voices.
fn stratify(column: &str, passes: &impl passes::Passes, t: &mut Trends) -> Result<Strata> {
    let names = passes.strata(column)?;
    let mut wanted: Vec<TermId> = t
        .contrasts
        .iter()
        .flat_map(|c| c.rising.iter().chain(&c.falling).map(|x| x.term))
        .chain(t.tracked.iter().filter_map(|t| t.term))
        .chain(t.bursts.iter().map(|b| b.term))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let (counts, doc_stratum) = passes.strata_counts(column, &names, &wanted)?;
    let composition = counts.composition();
    let by = counts.into_terms();
    let n = names.len();
    for c in &mut t.contrasts {
        let (a, b) = (c.from, c.to);
        for x in c.rising.iter_mut().chain(c.falling.iter_mut()) {
            x.mix = Some(by.mix(x.term, a, b, x.z, n));
        }
    }
    if let Some((a, b)) = t.ends {
        for x in t.rising.iter_mut().chain(t.falling.iter_mut()) {
            x.mix = Some(by.mix(x.term, a, b, x.z, n));
        }
        for tr in &mut t.tracked {
            if let Some(x) = &mut tr.change {
                x.mix = Some(by.mix(x.term, a, b, x.z, n));
            }
        }
    }
    for b in &mut t.bursts {
        let inside: Vec<usize> = (b.start..=b.end).collect();
        b.top_stratum = by.top(b.term, &inside, n);
        b.one_voice = by.one_voice(b.term, &inside, n);
    }
    // A burst carried by one voice whose share grew ranks below the bursts that hold across
    // voices (the order is otherwise the one `changes` gave; a stable sort keeps it).
    t.bursts.sort_by_key(|b| (b.lasting, b.one_voice));
    Ok(Strata {
        column: column.to_string(),
        names,
        doc_stratum: doc_stratum.iter().copied().collect(),
        composition,
    })
}

#[cfg(test)]
mod tests {
    use super::contrasts::fold_variants;
    use super::*;

    #[test]
    fn trends_read_in_shards_are_those_of_the_whole_corpus() {
        use crate::test_support::ReportFixture;
        let f = ReportFixture::new();
        let (cfg, seed) = (&f.config.trends, f.config.seed);
        let doc_period = &f.trends.doc_period;
        let vocab = &f.tokens.vocabulary;
        let counted = || Counted {
            stats: f.trends.periods.clone(),
            doc_period: doc_period.clone(),
            counts: counts::period_counts(
                &f.passages,
                &f.tokens,
                doc_period,
                &counted_terms(vocab, cfg),
            )
            .unwrap(),
        };
        // Three shards of consecutive documents, one of a single document.
        let cuts = [0usize, 4, 5, 12];
        let ranges: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        let corpora: Vec<Corpus> = ranges
            .iter()
            .map(|&(a, b)| Corpus {
                documents: f.corpus.documents.slice(a..b),
                ..f.corpus.clone()
            })
            .collect();
        let shards: Vec<(std::ops::Range<usize>, Passages)> = ranges
            .iter()
            .map(|&(a, b)| f.passages.of_documents(a, b))
            .collect();
        let parts: Vec<passes::Part> = ranges
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| {
                let (range, passages) = &shards[i];
                passes::Part {
                    corpus: &corpora[i],
                    shard: shard::Shard {
                        passages,
                        bags: &f.tokens.bags[range.clone()],
                        word_counts: &f.tokens.word_counts[range.clone()],
                        assignment: &f.topics.assignment[range.clone()],
                        doc_period: &doc_period[a..b],
                        first_doc: a as u64,
                    },
                }
            })
            .collect();
        let sharded = trends_in(
            &passes::InMemory(parts),
            counted(),
            vocab,
            &f.topics,
            cfg,
            seed,
        )
        .unwrap();
        assert_eq!(format!("{sharded:?}"), format!("{:?}", f.trends));
        // The fixture exercises the passes: tracked series, topics over time and strata.
        assert!(f.trends.tracked.iter().all(|t| !t.series.is_empty()));
        assert!(!f.trends.topics_by_period.is_empty());
        assert!(f.trends.strata.is_some());
    }

    #[test]
    fn variants_of_one_name_fold_into_its_longest_form() {
        // (term, key, start, end, score), ranked.
        let keys = [
            "ki moon",
            "ban ki moon",
            "general ban ki moon",
            "ban",
            "moon landing",
            "test ban",
        ];
        let items: Vec<(TermId, usize, usize, f64)> = vec![
            (3, 2000, 2010, 9.0),
            (0, 2000, 2010, 8.46),
            (1, 2000, 2010, 8.45),
            (3, 1950, 1960, 8.0),
            (2, 2001, 2009, 7.0),
            (4, 2000, 2010, 6.0),
            (5, 2005, 2008, 5.0),
        ];
        let folded = fold_variants(
            items,
            |x| x.0,
            |x| x.3,
            |a, b| a.1 <= b.2 && b.1 <= a.2,
            |a, b| b.3.total_cmp(&a.3),
            |t| keys[t as usize],
            |t| [100, 98, 60, 5000, 40, 300][t as usize],
        );
        // "ki moon", "ban ki moon" and "general ban ki moon" (counts 100, 98, 60) are one
        // family, named by its longest term scoring 90% of its best (8.46): "ban ki moon" (8.45).
        // "ban" (5,000) is mostly used outside them and outside "test ban" (300), so it stays
        // alone and ties neither to the other. "ban" in the 1950s is another event; "moon
        // landing" holds none of them.
        let terms: Vec<(TermId, usize)> = folded.iter().map(|x| (x.0, x.1)).collect();
        assert_eq!(
            terms,
            vec![(3, 2000), (1, 2000), (3, 1950), (4, 2000), (5, 2005)]
        );
    }

    #[test]
    fn log_odds_matches_a_hand_computed_case() {
        // y_i = 2 of 100, y_j = 10 of 100, prior 4 of 400.
        let z = log_odds_z(2.0, 100.0, 10.0, 100.0, 4.0, 400.0);
        let delta = (14.0f64 / 486.0).ln() - (6.0f64 / 494.0).ln();
        let want = delta / (1.0 / 6.0 + 1.0 / 14.0f64).sqrt();
        assert!((z - want).abs() < 1e-12);
        assert!(z > 0.0);
        assert!(log_odds_z(10.0, 100.0, 2.0, 100.0, 4.0, 400.0) < 0.0);
    }

    #[test]
    fn smoothing_is_a_centred_mean_that_keeps_gaps() {
        let nan = f64::NAN;
        let s = smooth(&[1.0, 2.0, nan, 6.0, 3.0], 1);
        assert_eq!(s[0], 1.5);
        assert_eq!(s[1], 1.5);
        assert!(s[2].is_nan());
        assert_eq!(s[3], 4.5);
        assert_eq!(s[4], 4.5);
        assert_eq!(smooth(&[1.0, 4.0], 0), [1.0, 4.0]);
    }
}

#[cfg(test)]
mod contrast_tests {
    use super::*;
    use crate::artifacts::Change;
    use crate::config::TokenizeConfig;
    use crate::stages::s3_tokenize::tokenize;
    use crate::test_support::corpus_of;

    #[test]
    fn the_pieces_of_a_name_are_one_row_of_a_contrast() {
        // Ten yearly documents; from the sixth on, "Viet Nam" is talked about.
        let texts: Vec<String> = (0..10)
            .map(|i| {
                let extra = if i >= 5 {
                    "The war in Viet Nam goes on. Peace in Viet Nam is far. Viet Nam suffers. "
                } else {
                    "The harvest was good this year. "
                };
                format!(
                    "{}The assembly met and spoke of trade and law. ",
                    extra.repeat(4)
                )
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (corpus, passages) = corpus_of(&refs);
        let tokens = tokenize(&corpus, &passages, &TokenizeConfig::default());
        let topics = Topics::none(passages.passages.len());
        let t = trends(
            &corpus,
            &passages,
            &tokens,
            &topics,
            &TrendsConfig::default(),
            1,
        )
        .unwrap();
        let name = |c: &Change| tokens.vocabulary.terms[c.term as usize].surface.clone();
        let rising: Vec<String> = t.rising.iter().map(name).collect();
        assert!(rising.contains(&"Viet Nam".to_string()), "{rising:?}");
        assert!(
            !rising.iter().any(|r| r == "Viet" || r == "Nam"),
            "{rising:?}"
        );
    }

    #[test]
    fn number_words_name_no_change_unless_tracked() {
        // From the sixth year on, speeches open with the session's number and talk of war.
        let texts: Vec<String> = (0..10)
            .map(|i| {
                let extra = if i >= 5 {
                    "The fortieth session opens. War came to the border. The war goes on. "
                } else {
                    "The harvest was good this year. "
                };
                format!("{}The assembly spoke of trade and law. ", extra.repeat(4))
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (corpus, passages) = corpus_of(&refs);
        let tokens = tokenize(&corpus, &passages, &TokenizeConfig::default());
        let topics = Topics::none(passages.passages.len());
        let rising = |cfg: &TrendsConfig| {
            let t = trends(&corpus, &passages, &tokens, &topics, cfg, 1).unwrap();
            let name = |c: &Change| tokens.vocabulary.terms[c.term as usize].key.clone();
            t.rising.iter().map(name).collect::<Vec<String>>()
        };
        let plain = rising(&TrendsConfig::default());
        assert!(plain.contains(&"war".to_string()), "{plain:?}");
        assert!(!plain.iter().any(|k| k.contains("fortieth")), "{plain:?}");
        let asked = rising(&TrendsConfig {
            track: vec!["fortieth".into()],
            ..TrendsConfig::default()
        });
        assert!(asked.iter().any(|k| k == "fortieth"), "{asked:?}");
    }
}
