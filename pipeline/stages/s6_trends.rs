//! Stage 6, trends: per-period term frequencies (aggregated with polars), tracked terms with
//! bootstrap intervals ([`bootstrap`]), the terms rising and falling most between adjacent
//! periods and between the first and the last, and bursts ([`bursts`]).
//!
//! Periods run from the first to the last document's period with empty periods kept as gaps.
//! Relative frequencies are per 1,000 word tokens of the period (stop words included).
//! Changes are log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn
//! 2008), the prior being the whole corpus' counts; z-scores rank them.

pub mod bootstrap;
pub mod bursts;
pub mod periods;
pub mod shifts;
pub mod slots;
pub mod strata;
pub mod succession;
pub mod topics_over_time;

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::artifacts::{
    Burst, Change, Contrast, Corpus, Counted, Passages, PeriodStats, Shift, Strata, TermId,
    TermPeriod, Tokens, Topics, Tracked, TrackedPoint, Trends,
};
use crate::config::TrendsConfig;
use crate::error::{Error, Result};
use crate::stages::s3_tokenize::{is_number_or_calendar, resolve};

/// Computes the trends of a tokenized corpus.
pub fn trends(
    corpus: &Corpus,
    passages: &Passages,
    tokens: &Tokens,
    topics: &Topics,
    cfg: &TrendsConfig,
    seed: u64,
) -> Result<Trends> {
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

    // Terms with rows: the most frequent, and every tracked term.
    let vocab = &tokens.vocabulary;
    let mut tracked: Vec<Tracked> = cfg
        .track
        .iter()
        .map(|q| Tracked {
            query: q.clone(),
            term: resolve(vocab, q),
            series: Vec::new(),
            change: None,
        })
        .collect();
    let mut by_count: Vec<TermId> = (0..vocab.terms.len() as TermId)
        .filter(|&t| vocab.terms[t as usize].count >= cfg.min_count)
        .collect();
    by_count.sort_by_key(|&t| (std::cmp::Reverse(vocab.terms[t as usize].count), t));
    by_count.truncate(cfg.max_terms);
    for t in tracked.iter().filter_map(|t| t.term) {
        if !by_count.contains(&t) {
            by_count.push(t);
        }
    }
    let terms = by_count;

    let counts = period_counts(passages, tokens, &doc_period, &terms)?;
    let mut rows = Vec::with_capacity(terms.len() * periods.len());
    for (p, stats) in periods.iter().enumerate() {
        for &t in &terms {
            let (count, documents, passages) =
                counts.get(&(p as u32, t)).copied().unwrap_or((0, 0, 0));
            let per_1k_tokens = if stats.tokens > 0 {
                count as f64 * 1000.0 / stats.tokens as f64
            } else {
                0.0
            };
            rows.push(TermPeriod {
                period: p,
                term: t,
                count,
                per_1k_tokens,
                documents,
                passages,
            });
        }
    }
    rows.sort_by(|a, b| {
        (a.period, &vocab.terms[a.term as usize].surface, a.term).cmp(&(
            b.period,
            &vocab.terms[b.term as usize].surface,
            b.term,
        ))
    });

    // Contrasts: each pair of adjacent non-empty periods, then the first against the last.
    let filled: Vec<usize> = (0..periods.len())
        .filter(|&p| periods[p].documents > 0)
        .collect();
    let mut pairs: Vec<(usize, usize)> = filled.windows(2).map(|w| (w[0], w[1])).collect();
    if let (Some(&a), Some(&b)) = (filled.first(), filled.last()) {
        if a != b && !pairs.contains(&(a, b)) {
            pairs.push((a, b));
        }
    }
    let contrasts: Vec<Contrast> = pairs
        .par_iter()
        .map(|&(a, b)| {
            let changes = log_odds(
                &terms,
                &counts,
                a as u32,
                b as u32,
                vocab,
                cfg.min_change_count,
            );
            let up = |x: &Change, y: &Change| y.z.total_cmp(&x.z).then(x.term.cmp(&y.term));
            let down = |x: &Change, y: &Change| x.z.total_cmp(&y.z).then(x.term.cmp(&y.term));
            // The pieces of one name ("Viet Nam", "Nam", "Viet") are one row, as in bursts.
            let fold =
                |mut list: Vec<Change>, order: &dyn Fn(&Change, &Change) -> std::cmp::Ordering| {
                    list.sort_by(order);
                    list.truncate(4 * cfg.top_changes);
                    let mut list = fold_variants(
                        list,
                        |c| c.term,
                        |c| c.z.abs(),
                        |_, _| true,
                        order,
                        |t| vocab.terms[t as usize].key.as_str(),
                        |t| vocab.terms[t as usize].count,
                    );
                    list.truncate(cfg.top_changes);
                    list
                };
            let rising = fold(changes.iter().filter(|c| c.z > 0.0).cloned().collect(), &up);
            let falling = fold(changes.into_iter().filter(|c| c.z < 0.0).collect(), &down);
            Contrast {
                from: a,
                to: b,
                rising,
                falling,
            }
        })
        .collect();
    let (rising, falling) = match (filled.first(), filled.last()) {
        (Some(&a), Some(&b)) if a != b => {
            let c = contrasts
                .iter()
                .find(|c| (c.from, c.to) == (a, b))
                .expect("the first-last contrast is computed");
            (c.rising.clone(), c.falling.clone())
        }
        _ => (Vec::new(), Vec::new()),
    };
    if tracked.is_empty() {
        tracked = rising
            .iter()
            .take(3)
            .chain(falling.iter().take(2))
            .map(|c| Tracked {
                query: vocab.terms[c.term as usize].surface.clone(),
                term: Some(c.term),
                series: Vec::new(),
                change: None,
            })
            .collect();
    }

    // Tracked terms' change from the first to the last period, whatever its size.
    if let (Some(&a), Some(&b)) = (filled.first(), filled.last()) {
        if a != b {
            let all = log_odds(&terms, &counts, a as u32, b as u32, vocab, 0);
            for tr in &mut tracked {
                tr.change = tr
                    .term
                    .and_then(|t| all.iter().find(|c| c.term == t).cloned());
            }
        }
    }

    // Tracked terms per period, with bootstrap intervals over the period's documents.
    let doc_tokens = tokens_per_document(corpus.documents.len(), passages, tokens);
    for tr in &mut tracked {
        let Some(term) = tr.term else { continue };
        let doc_counts = term_per_document(corpus.documents.len(), passages, tokens, term);
        let mut by_period: Vec<Vec<(u64, u64)>> = vec![Vec::new(); periods.len()];
        for (d, &p) in doc_period.iter().enumerate() {
            by_period[p].push((doc_counts[d], doc_tokens[d]));
        }
        tr.series = by_period
            .par_iter()
            .enumerate()
            .map(|(p, docs)| {
                let count: u64 = docs.iter().map(|d| d.0).sum();
                let toks: u64 = docs.iter().map(|d| d.1).sum();
                let using = docs.iter().filter(|d| d.0 > 0).count() as u32;
                let ci = bootstrap::intervals(docs, cfg.bootstrap_samples, seed, term, p);
                let nan = f64::NAN;
                TrackedPoint {
                    period: p,
                    count,
                    per_1k_tokens: if toks > 0 {
                        count as f64 * 1000.0 / toks as f64
                    } else {
                        nan
                    },
                    per_1k_low: ci.map_or(nan, |c| c.0.low),
                    per_1k_high: ci.map_or(nan, |c| c.0.high),
                    documents: using,
                    document_share: if docs.is_empty() {
                        nan
                    } else {
                        using as f64 / docs.len() as f64
                    },
                    share_low: ci.map_or(nan, |c| c.1.low),
                    share_high: ci.map_or(nan, |c| c.1.high),
                    per_1k_smoothed: nan,
                    share_smoothed: nan,
                }
            })
            .collect();
        let per_1k = smooth(
            &tr.series
                .iter()
                .map(|p| p.per_1k_tokens)
                .collect::<Vec<_>>(),
            cfg.smoothing,
        );
        let share = smooth(
            &tr.series
                .iter()
                .map(|p| p.document_share)
                .collect::<Vec<_>>(),
            cfg.smoothing,
        );
        for (i, p) in tr.series.iter_mut().enumerate() {
            p.per_1k_smoothed = per_1k[i];
            p.share_smoothed = share[i];
        }
    }

    // Number and calendar words ("fortieth", "June") are left out of bursts and successions
    // unless tracked: they follow session numbers and dates.
    let tracked_ids: Vec<TermId> = tracked.iter().filter_map(|t| t.term).collect();
    let topical: Vec<TermId> = terms
        .iter()
        .copied()
        .filter(|t| tracked_ids.contains(t) || !is_number_or_calendar(vocab, *t))
        .collect();

    // Bursts and shifts of every term with rows, from the documents (or passages) using it
    // per period.
    let counted = counted_unit(&periods);
    let unit_totals: Vec<u64> = periods
        .iter()
        .map(|p| match counted {
            Counted::Documents => p.documents as u64,
            Counted::Passages => p.passages as u64,
        })
        .collect();
    let (first, last) = (
        filled.first().copied().unwrap_or(0),
        filled.last().copied().unwrap_or(0),
    );
    let span = shifts::min_span(filled.len());
    // Successions read a term's turns at half the span, so that a handover near the end of the
    // timeline (a Secretary-General's last years) still shows as one.
    let turn_span = (span / 2).max(1);
    let per_term: Vec<TermChanges> = topical
        .par_iter()
        .map(|&t| {
            let relevant: Vec<u64> = (0..periods.len())
                .map(|p| {
                    counts.get(&(p as u32, t)).map_or(0, |c| match counted {
                        Counted::Documents => c.1 as u64,
                        Counted::Passages => c.2 as u64,
                    })
                })
                .collect();
            let bursts = bursts::bursts(&relevant, &unit_totals, cfg.burst_s, cfg.burst_gamma)
                .into_iter()
                .map(|b| Burst {
                    term: t,
                    start: b.start,
                    end: b.end,
                    level: b.level,
                    weight: b.weight,
                    lift: b.lift,
                    concentration: b.concentration,
                    strength: b.strength(),
                    inside: b.start > first && b.end < last,
                    top_stratum: None,
                })
                .collect();
            let shifts = shifts::shifts(t, &relevant, &unit_totals, span, cfg.burst_s, SHIFT_Z);
            let turns = shifts::shifts(t, &relevant, &unit_totals, turn_span, cfg.burst_s, SHIFT_Z)
                .into_iter()
                .map(|s| (s.to, s.after > s.before))
                .collect();
            TermChanges {
                term: t,
                bursts,
                shifts,
                turns,
            }
        })
        .collect();
    let mut found = Vec::with_capacity(per_term.len());
    let mut shifts = Vec::with_capacity(per_term.len());
    let mut turns: HashMap<TermId, Vec<(usize, bool)>> = HashMap::new();
    for c in per_term {
        found.push(c.bursts);
        shifts.push(c.shifts);
        turns.insert(c.term, c.turns);
    }
    let burst_order = |a: &Burst, b: &Burst| {
        b.inside
            .cmp(&a.inside)
            .then(b.strength.total_cmp(&a.strength))
            .then(a.term.cmp(&b.term))
            .then(a.start.cmp(&b.start))
    };
    let shift_order = |a: &Shift, b: &Shift| {
        b.z.abs()
            .total_cmp(&a.z.abs())
            .then(a.term.cmp(&b.term))
            .then(a.to.cmp(&b.to))
    };
    let key = |t: TermId| vocab.terms[t as usize].key.as_str();
    let mut found: Vec<Burst> = found.into_iter().flatten().collect();
    found.sort_by(burst_order);
    let mut found = fold_variants(
        found,
        |b| b.term,
        |b| b.strength,
        |a, b| a.start <= b.end && b.start <= a.end,
        burst_order,
        key,
        |t| vocab.terms[t as usize].count,
    );
    found.truncate(cfg.top_bursts);
    let mut shifts: Vec<Shift> = shifts.into_iter().flatten().collect();
    shifts.sort_by(shift_order);
    let mut shifts = fold_variants(
        shifts,
        |s| s.term,
        |s| s.z.abs(),
        |a, b| (a.z > 0.0) == (b.z > 0.0) && a.to.abs_diff(b.to) <= span,
        shift_order,
        key,
        |t| vocab.terms[t as usize].count,
    );
    shifts.truncate(cfg.top_bursts);

    let succession = succession::succession(
        corpus,
        &periods,
        &doc_period,
        passages,
        &terms,
        &topical,
        &counts,
        &turns,
        tokens,
        topics,
        cfg,
    );
    let topics_by_period = topics_over_time::topics_over_time(
        passages,
        tokens,
        topics,
        &doc_period,
        periods.len(),
        cfg,
        seed,
    );

    // Strata: each change of a contrast, tracked or burst term split between voices.
    let mut contrasts = contrasts;
    let mut rising = rising;
    let mut falling = falling;
    let strata = match &cfg.stratify {
        None => None,
        Some(column) => {
            let (names, doc_stratum) = strata::assign(corpus, column)?;
            let composition = strata::composition(passages, tokens, &doc_period, &doc_stratum);
            let mut wanted: Vec<TermId> = contrasts
                .iter()
                .flat_map(|c| c.rising.iter().chain(&c.falling).map(|x| x.term))
                .chain(tracked.iter().filter_map(|t| t.term))
                .chain(found.iter().map(|b| b.term))
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            let by = strata::TermStrata::new(passages, tokens, &doc_period, &doc_stratum, &wanted);
            let n = names.len();
            for c in &mut contrasts {
                let (a, b) = (c.from, c.to);
                for x in c.rising.iter_mut().chain(c.falling.iter_mut()) {
                    x.mix = Some(by.mix(x.term, a, b, x.z, n));
                }
            }
            if let (Some(&a), Some(&b)) = (filled.first(), filled.last()) {
                for x in rising.iter_mut().chain(falling.iter_mut()) {
                    x.mix = Some(by.mix(x.term, a, b, x.z, n));
                }
                for tr in &mut tracked {
                    if let Some(x) = &mut tr.change {
                        x.mix = Some(by.mix(x.term, a, b, x.z, n));
                    }
                }
            }
            for b in &mut found {
                let inside: Vec<usize> = (b.start..=b.end).collect();
                b.top_stratum = by.top(b.term, &inside, n);
            }
            Some(Strata {
                column: column.clone(),
                names,
                doc_stratum,
                composition,
            })
        }
    };

    Ok(Trends {
        strata,
        periods,
        doc_period,
        terms,
        rows,
        tracked,
        rising,
        falling,
        topics_by_period,
        succession,
        contrasts,
        bursts: found,
        shifts,
        counted,
        stray_date: periods::stray_date(&corpus.documents),
    })
}

/// Folds, in a ranked list, the items of terms that are pieces or extensions of one another
/// ("Ghali", "Boutros Ghali", "Boutros Boutros Ghali"; `count` is a term's corpus count) and
/// describe the same event (`same`) into one, named by the family's longest term among the items scoring at least 90%
/// of its best; the rest of the family leaves the list. The result is re-ranked by `order`.
fn fold_variants<'k, T: Clone>(
    ranked: Vec<T>,
    term: impl Fn(&T) -> TermId,
    score: impl Fn(&T) -> f64,
    same: impl Fn(&T, &T) -> bool,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
    key: impl Fn(TermId) -> &'k str,
    count: impl Fn(TermId) -> u64,
) -> Vec<T> {
    let words: Vec<Vec<&str>> = ranked
        .iter()
        .map(|x| key(term(x)).split(' ').collect())
        .collect();
    let holds = |a: &[&str], b: &[&str]| a.iter().all(|w| b.contains(w));
    let variants = |j: usize, k: usize| {
        (holds(&words[j], &words[k]) || holds(&words[k], &words[j])) && same(&ranked[j], &ranked[k])
    };
    // Union–find: two items are one family when one's term holds the other's, for the same
    // event, and the longer term has at least half the shorter's count, so the piece is mostly
    // used inside it ("Ki moon" inside "Ban Ki moon"). A common piece does not chain events:
    // "development agenda" is far more frequent than "post 2015 development agenda", so it ties
    // that agenda (2012–2015) to no other. Items holding one another share a word, so only
    // items sharing a word are compared.
    let n = ranked.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for k in 0..n {
        let mut earlier: Vec<usize> = words[k]
            .iter()
            .flat_map(|w| by_word.get(w).into_iter().flatten().copied())
            .collect();
        earlier.sort_unstable();
        earlier.dedup();
        for j in earlier {
            let (short, long) = if words[j].len() <= words[k].len() {
                (j, k)
            } else {
                (k, j)
            };
            let mostly_inside = 2 * count(term(&ranked[long])) >= count(term(&ranked[short]));
            if mostly_inside && variants(j, k) {
                let (a, b) = (root(&mut parent, j), root(&mut parent, k));
                parent[a.max(b)] = a.min(b);
            }
        }
        for &w in &words[k] {
            by_word.entry(w).or_default().push(k);
        }
    }
    let mut families: Vec<Vec<T>> = Vec::new();
    let mut family_of: HashMap<usize, usize> = HashMap::new();
    for (k, item) in ranked.iter().enumerate() {
        let r = root(&mut parent, k);
        let f = *family_of.entry(r).or_insert_with(|| {
            families.push(Vec::new());
            families.len() - 1
        });
        families[f].push(item.clone());
    }
    let mut out: Vec<T> = families
        .into_iter()
        .map(|f| {
            let best = score(&f[0]);
            let words = |m: &T| key(term(m)).split(' ').count();
            f.iter()
                .filter(|m| score(m) >= 0.9 * best)
                .max_by(|a, b| words(a).cmp(&words(b)).then(term(b).cmp(&term(a))))
                .expect("the best item qualifies")
                .clone()
        })
        .collect();
    out.sort_by(order);
    out
}

/// Documents the median period with documents must hold for bursts and shifts to count
/// documents; below it they count passages. With 20 documents a one-period episode can stand
/// out (a term in 8 of 20 where it is usually in 1) and one document is a twentieth of its
/// period; with a handful, no count of documents separates an episode from chance.
const MIN_DOCUMENTS: u32 = 20;

/// What bursts and shifts count (see [`MIN_DOCUMENTS`]).
fn counted_unit(periods: &[PeriodStats]) -> Counted {
    let mut documents: Vec<u32> = periods
        .iter()
        .map(|p| p.documents)
        .filter(|&d| d > 0)
        .collect();
    documents.sort_unstable();
    match documents.get(documents.len() / 2) {
        Some(&median) if median >= MIN_DOCUMENTS => Counted::Documents,
        _ => Counted::Passages,
    }
}

/// One term's bursts, shifts, and turns (the first period of each lasting change at half the
/// span, and whether it is a rise) for successions.
struct TermChanges {
    term: TermId,
    bursts: Vec<Burst>,
    shifts: Vec<Shift>,
    turns: Vec<(usize, bool)>,
}

/// A shift's two levels must differ by a z of at least this (p < 0.001 two-sided): with
/// thousands of terms tried, a looser bar lets chance changes of rare terms through.
const SHIFT_Z: f64 = 3.29;

/// Centred moving average over `half` values either side, as the Ngram Viewer smooths: the
/// mean of the finite values in the window. A non-finite value (a gap) stays as it is and
/// never borrows from its neighbours.
pub fn smooth(values: &[f64], half: usize) -> Vec<f64> {
    (0..values.len())
        .map(|i| {
            if !values[i].is_finite() {
                return values[i];
            }
            let window = &values[i.saturating_sub(half)..(i + half + 1).min(values.len())];
            let finite: Vec<f64> = window.iter().copied().filter(|v| v.is_finite()).collect();
            finite.iter().sum::<f64>() / finite.len() as f64
        })
        .collect()
}

/// Word tokens of each document.
fn tokens_per_document(n_docs: usize, passages: &Passages, tokens: &Tokens) -> Vec<u64> {
    let mut out = vec![0u64; n_docs];
    for (i, p) in passages.passages.iter().enumerate() {
        out[p.doc as usize] += tokens.word_counts[i] as u64;
    }
    out
}

/// Occurrences of `term` in each document.
fn term_per_document(
    n_docs: usize,
    passages: &Passages,
    tokens: &Tokens,
    term: TermId,
) -> Vec<u64> {
    let mut out = vec![0u64; n_docs];
    for (i, p) in passages.passages.iter().enumerate() {
        if let Ok(j) = tokens.bags[i].binary_search_by_key(&term, |&(t, _)| t) {
            out[p.doc as usize] += tokens.bags[i][j].1 as u64;
        }
    }
    out
}

/// A document's (term, count, passages) rows.
type DocCounts = Vec<(TermId, u64, u32)>;

/// (period, term) -> (count, documents, passages).
type PeriodCounts = HashMap<(u32, TermId), (u64, u32, u32)>;

/// [`PeriodCounts`] of the wanted terms, aggregated with polars from per-document counts.
fn period_counts(
    passages: &Passages,
    tokens: &Tokens,
    doc_period: &[usize],
    terms: &[TermId],
) -> Result<PeriodCounts> {
    let mut wanted = vec![false; tokens.vocabulary.terms.len()];
    terms.iter().for_each(|&t| wanted[t as usize] = true);
    let per_doc: Vec<(u32, DocCounts)> = passages
        .document_runs()
        .par_iter()
        .map(|r| {
            let doc = passages.passages[r.start].doc;
            let mut m: HashMap<TermId, (u64, u32)> = HashMap::new();
            for bag in &tokens.bags[r.clone()] {
                for &(t, n) in bag.iter().filter(|(t, _)| wanted[*t as usize]) {
                    let e = m.entry(t).or_default();
                    e.0 += n as u64;
                    e.1 += 1;
                }
            }
            let mut v: Vec<_> = m.into_iter().map(|(t, (c, p))| (t, c, p)).collect();
            v.sort_unstable();
            (doc_period[doc as usize] as u32, v)
        })
        .collect();
    let rows: usize = per_doc.iter().map(|d| d.1.len()).sum();
    let (mut period, mut term, mut count, mut psg) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for (p, v) in &per_doc {
        for &(t, c, n) in v {
            period.push(*p);
            term.push(t);
            count.push(c);
            psg.push(n);
        }
    }
    let internal = |e: PolarsError| Error::Internal(format!("per-period aggregation: {e}"));
    let df = DataFrame::new_infer_height(vec![
        Column::new("period".into(), period),
        Column::new("term".into(), term),
        Column::new("count".into(), count),
        Column::new("passages".into(), psg),
    ])
    .map_err(internal)?;
    let out = df
        .lazy()
        .group_by([col("period"), col("term")])
        .agg([
            col("count").sum(),
            len().alias("documents"),
            col("passages").sum(),
        ])
        .collect()
        .map_err(internal)?;
    let get_u32 = |name: &str| -> Result<Vec<u32>> {
        let c = out
            .column(name)
            .map_err(internal)?
            .cast(&DataType::UInt32)
            .map_err(internal)?;
        Ok(c.u32().map_err(internal)?.into_no_null_iter().collect())
    };
    let (p, t, d, s) = (
        get_u32("period")?,
        get_u32("term")?,
        get_u32("documents")?,
        get_u32("passages")?,
    );
    let c = out
        .column("count")
        .map_err(internal)?
        .cast(&DataType::UInt64)
        .map_err(internal)?;
    let c: Vec<u64> = c.u64().map_err(internal)?.into_no_null_iter().collect();
    Ok((0..out.height())
        .map(|i| ((p[i], t[i]), (c[i], d[i], s[i])))
        .collect())
}

/// Log-odds with an informative Dirichlet prior from the whole corpus, period `a` to `b`.
fn log_odds(
    terms: &[TermId],
    counts: &PeriodCounts,
    a: u32,
    b: u32,
    vocab: &crate::artifacts::Vocabulary,
    min_count: u64,
) -> Vec<Change> {
    let get = |p: u32, t: TermId| counts.get(&(p, t)).map_or(0, |c| c.0) as f64;
    let n_a: f64 = terms.iter().map(|&t| get(a, t)).sum();
    let n_b: f64 = terms.iter().map(|&t| get(b, t)).sum();
    let alpha0: f64 = terms
        .iter()
        .map(|&t| vocab.terms[t as usize].count as f64)
        .sum();
    terms
        .iter()
        .filter_map(|&t| {
            let (ya, yb) = (get(a, t), get(b, t));
            if ((ya + yb) as u64) < min_count {
                return None;
            }
            let alpha = vocab.terms[t as usize].count as f64;
            Some(Change {
                term: t,
                z: log_odds_z(ya, n_a, yb, n_b, alpha, alpha0),
                count_from: ya as u64,
                count_to: yb as u64,
                mix: None,
            })
        })
        .collect()
}

/// Monroe et al.'s z-score of the change from group i (`y_i` of `n_i`) to group j, with prior
/// pseudo-count `alpha` for the term and `alpha0` in all.
pub fn log_odds_z(y_i: f64, n_i: f64, y_j: f64, n_j: f64, alpha: f64, alpha0: f64) -> f64 {
    let lo = |y: f64, n: f64| ((y + alpha) / (n + alpha0 - y - alpha)).ln();
    let delta = lo(y_j, n_j) - lo(y_i, n_i);
    let var = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha);
    delta / var.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
