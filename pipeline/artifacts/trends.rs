//! Stage 6, trends, hands on [`Trends`]: periods, counts, contrasts, bursts, shifts,
//! successions and strata.

use super::{Period, TermId};

/// One topic in one period: a row of the `topics_by_period` table.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicPeriod {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// Topic id.
    pub topic: u32,
    /// The period's passages assigned to the topic.
    pub passages: u32,
    /// Their share of the period's assigned passages; NaN for a gap.
    pub share: f64,
    /// 95% bootstrap interval of `share`, over the period's documents (NaN for a gap).
    pub share_low: f64,
    /// See `share_low`.
    pub share_high: f64,
    /// The topic's c-TF-IDF top terms within the period, best first; empty without passages.
    pub top_terms: Vec<(TermId, f64)>,
}

/// One term falling while another, used in the same contexts, rises: a row of the
/// `succession` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    /// The term that falls.
    pub falling: TermId,
    /// The term that rises.
    pub rising: TermId,
    /// Index into [`Trends::periods`] of the first period after the handover.
    pub handover: usize,
    /// `similarity × drop × rise`; ranks the pairs.
    pub score: f64,
    /// Cosine of the two terms' PPMI co-occurrence profiles.
    pub similarity: f64,
    /// Cosine of the two terms' slot profiles: the words right before and after them.
    pub slots: f64,
    /// Log-odds z of the falling term, before against after the handover (negative).
    pub z_falling: f64,
    /// Log-odds z of the rising term (positive).
    pub z_rising: f64,
    /// Both terms weigh most in the same topic.
    pub same_topic: bool,
    /// The falling term's occurrences in each period.
    pub counts_falling: Vec<u64>,
    /// The rising term's occurrences in each period.
    pub counts_rising: Vec<u64>,
    /// The context terms the two profiles share most, best first.
    pub contexts: Vec<TermId>,
}

/// Corpus figures of one period.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PeriodStats {
    /// The period.
    pub period: Period,
    /// Documents dated in it (0 for a gap).
    pub documents: u32,
    /// Passages in it.
    pub passages: u32,
    /// Word tokens in it, stop words included.
    pub tokens: u64,
    /// It rests on fewer documents than `trends.thin_documents` (and has some): flagged
    /// wherever it appears.
    pub thin: bool,
}

/// One row of the `terms_by_period` table.
#[derive(Debug, Clone, PartialEq)]
pub struct TermPeriod {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// The term.
    pub term: TermId,
    /// Occurrences in the period.
    pub count: u64,
    /// Occurrences per 1,000 word tokens of the period.
    pub per_1k_tokens: f64,
    /// Documents of the period containing it.
    pub documents: u32,
    /// Passages of the period containing it.
    pub passages: u32,
}

/// A term whose use changed between two periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The term.
    pub term: TermId,
    /// Log-odds z-score (Monroe et al. 2008); positive: rising.
    pub z: f64,
    /// Occurrences in the earlier period.
    pub count_from: u64,
    /// Occurrences in the later period.
    pub count_to: u64,
    /// How the change splits between voices, with `trends.stratify`.
    pub mix: Option<StratumMix>,
}

/// How a term's change between two periods splits between voices ([`Strata`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StratumMix {
    /// The stratum with most of the term's occurrences in the two periods.
    pub top_stratum: u32,
    /// Its share of them.
    pub top_share: f64,
    /// Mantel–Haenszel z of the change within the strata heard in both periods; `None` when no
    /// stratum is.
    pub within_z: Option<f64>,
    /// Strata with documents in both periods.
    pub shared_strata: u32,
    /// For a rise, the share of the later period's occurrences that come from strata not heard
    /// in the earlier one (new voices); for a fall, the share of the earlier period's that come
    /// from strata not heard later (voices gone).
    pub one_period_share: f64,
    /// What drives the change.
    pub verdict: MixVerdict,
}

/// What drives a change, with strata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixVerdict {
    /// The voices heard in both periods changed their words (within-strata |z| ≥ 1.96, same
    /// direction).
    Within,
    /// At least 80% of the term's occurrences come from one stratum while others were heard.
    OneSource,
    /// The voices heard in both periods did not change: the change comes from who was
    /// writing.
    ChangeOfMix,
    /// No stratum was heard in both periods: the change cannot be told from the change of
    /// voices.
    Confounded,
}

impl MixVerdict {
    /// The name used in tables.
    pub fn name(self) -> &'static str {
        match self {
            MixVerdict::Within => "within voices",
            MixVerdict::OneSource => "driven by one source",
            MixVerdict::ChangeOfMix => "driven by a change of mix",
            MixVerdict::Confounded => "confounded with the change of source",
        }
    }
}

/// The voices of a corpus (`trends.stratify`): who was writing when.
#[derive(Debug, Clone, PartialEq)]
pub struct Strata {
    /// The column read.
    pub column: String,
    /// Stratum names, by documents (most first).
    pub names: Vec<String>,
    /// Stratum of each document, parallel to the corpus.
    pub doc_stratum: Vec<u32>,
    /// Documents and tokens of each stratum in each period where it has any, by period then
    /// stratum.
    pub composition: Vec<StratumPeriod>,
}

/// One stratum in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StratumPeriod {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// Index into [`Strata::names`].
    pub stratum: u32,
    /// Its documents there.
    pub documents: u32,
    /// Their word tokens.
    pub tokens: u64,
}

/// A term the user asked to follow, resolved against the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    /// What the user wrote.
    pub query: String,
    /// The term it resolved to; `None` when the corpus never uses it.
    pub term: Option<TermId>,
    /// One point per period (gaps included), with bootstrap intervals; empty without a term.
    pub series: Vec<TrackedPoint>,
    /// Its change from the first to the last non-empty period (log-odds z with counts);
    /// `None` without a term or with one period.
    pub change: Option<Change>,
}

/// A tracked term in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackedPoint {
    /// Index into [`Trends::periods`].
    pub period: usize,
    /// Occurrences.
    pub count: u64,
    /// Occurrences per 1,000 word tokens; NaN for a gap.
    pub per_1k_tokens: f64,
    /// 95% bootstrap interval of `per_1k_tokens` (NaN for a gap).
    pub per_1k_low: f64,
    /// See `per_1k_low`.
    pub per_1k_high: f64,
    /// Documents of the period using the term.
    pub documents: u32,
    /// Share of the period's documents using the term; NaN for a gap.
    pub document_share: f64,
    /// 95% bootstrap interval of `document_share`.
    pub share_low: f64,
    /// See `share_low`.
    pub share_high: f64,
    /// `per_1k_tokens` averaged over the periods within `trends.smoothing` either side (gaps
    /// skipped; a gap stays NaN); equal to it without smoothing.
    pub per_1k_smoothed: f64,
    /// `document_share`, smoothed the same way.
    pub share_smoothed: f64,
}

/// The periods `first..=last` one side of a contrast pools: one period between adjacent
/// periods, several at an end of the corpus whose periods hold little text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Index of the first period.
    pub first: usize,
    /// Index of the last period.
    pub last: usize,
}

impl Span {
    /// One period.
    pub fn one(period: usize) -> Span {
        Span {
            first: period,
            last: period,
        }
    }

    /// The indices of its periods.
    pub fn periods(self) -> std::ops::RangeInclusive<usize> {
        self.first..=self.last
    }

    /// "2016", or "1946–1961" for several periods.
    pub fn label(self, periods: &[PeriodStats]) -> String {
        match (self.first, self.last) {
            (a, b) if a == b => periods[a].period.to_string(),
            (a, b) => format!("{}–{}", periods[a].period, periods[b].period),
        }
    }

    /// Documents dated in it.
    pub fn documents(self, periods: &[PeriodStats]) -> u32 {
        self.periods().map(|p| periods[p].documents).sum()
    }
}

/// The terms rising and falling most between two periods, or two spans of periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Contrast {
    /// The earlier side.
    pub from: Span,
    /// The later side.
    pub to: Span,
    /// Rising terms, by z descending.
    pub rising: Vec<Change>,
    /// Falling terms, by z ascending.
    pub falling: Vec<Change>,
}

/// A burst: a run of periods in which a term is used by markedly more documents than usual.
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    /// The term.
    pub term: TermId,
    /// First period index.
    pub start: usize,
    /// Last period index (inclusive).
    pub end: usize,
    /// Highest Kleinberg level reached (each level `burst_s` times the one below).
    pub level: u32,
    /// Kleinberg weight (cost saved by the burst levels over the base level).
    pub weight: f64,
    /// Share of the units ([`Trends::counted`]) using the term inside the burst over the share
    /// outside it.
    pub lift: f64,
    /// Share of the units using the term (over all periods) that fall inside the burst.
    pub concentration: f64,
    /// Share of all units (over all periods) that fall inside the burst.
    pub share: f64,
    /// Periods with documents that the burst covers.
    pub periods: usize,
    /// The term's occurrences per passage using it inside the burst: about 1 for a word of a
    /// register that a passage uses once, more for a subject a passage keeps coming back to.
    pub per_passage: f64,
    /// What bursts are ranked by: `weight × (concentration − share) × (1 − periods / the
    /// timeline's periods with documents) × per_passage` (see
    /// [`crate::stages::s6_trends::bursts`]).
    pub score: f64,
    /// Units using the term inside the burst.
    pub uses: u64,
    /// Units using the term that the term's rate outside the burst expects inside it.
    pub expected: f64,
    /// With strata: the stratum with most of the term's occurrences inside the burst, and its
    /// share of them.
    pub top_stratum: Option<(u32, f64)>,
    /// The burst reaches the last period with documents: it is going on.
    pub ongoing: bool,
    /// The burst starts at the first period with documents: the timeline opens on it.
    pub from_start: bool,
    /// The burst is one side of a lasting change of its term (a rise that holds to the end, a
    /// fall from a level held since the start), which the shifts table reports: it ranks after
    /// the episodes.
    pub lasting: bool,
    /// With strata: the burst is carried by one voice (80% of its occurrences) whose share of
    /// those periods at least doubled, and did not clearly rise within voices: it ranks after
    /// the bursts that hold within voices.
    pub one_voice: bool,
}

/// The unit bursts and shifts count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Documents using the term: what a reader counts, and blind to how texts are cut into
    /// passages (a source that starts breaking speeches into more paragraphs in one year
    /// changes every word's share of passages, not of documents).
    Documents,
    /// Passages using the term, when the median period holds too few documents to tell an
    /// episode from chance.
    Passages,
}

impl Counted {
    /// The unit's name, plural.
    pub fn name(self) -> &'static str {
        match self {
            Counted::Documents => "documents",
            Counted::Passages => "passages",
        }
    }
}

/// A lasting change of a term's level (found by `s6_trends::shifts`).
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    /// The term.
    pub term: TermId,
    /// First period of the span at the old level.
    pub since: usize,
    /// Last period at the old level.
    pub from: usize,
    /// First period at the new level. Periods between `from` and `to`, if any, are a gradual
    /// transition from one level to the other.
    pub to: usize,
    /// Last period of the span at the new level.
    pub until: usize,
    /// Share of the units ([`Trends::counted`]) using the term in the old span.
    pub before: f64,
    /// Share of the units using the term in the new span.
    pub after: f64,
    /// Two-proportion z of the change.
    pub z: f64,
}

/// Output of trends.
#[derive(Debug, Clone)]
pub struct Trends {
    /// Every period from the first to the last, gaps included, in order.
    pub periods: Vec<PeriodStats>,
    /// Period of each document, parallel to the corpus.
    pub doc_period: Vec<usize>,
    /// Terms with per-period rows, in the order of their total count.
    pub terms: Vec<TermId>,
    /// Dense per-period counts: one row for every term in [`Trends::terms`] and every period,
    /// sorted by period then term surface.
    pub rows: Vec<TermPeriod>,
    /// Tracked terms.
    pub tracked: Vec<Tracked>,
    /// The two sides of the earliest–latest contrast ([`Trends::rising`] and
    /// [`Trends::falling`]): the periods at each end of the corpus holding at least
    /// `trends.end_share` of its word tokens. None with fewer than two non-empty periods.
    pub ends: Option<(Span, Span)>,
    /// Terms rising most from the earliest periods to the latest, by z descending.
    pub rising: Vec<Change>,
    /// Terms falling most, by z ascending.
    pub falling: Vec<Change>,
    /// Each topic in each period (period-major, then topic): share of passages with its
    /// interval, and top terms. Empty without topics.
    pub topics_by_period: Vec<TopicPeriod>,
    /// Each pair of adjacent non-empty periods, then the earliest periods against the latest
    /// ([`Trends::ends`]).
    pub contrasts: Vec<Contrast>,
    /// Bursts of the terms with rows, by [`Burst::score`]; those going on in the last period
    /// ([`Burst::ongoing`]) among the rest.
    pub bursts: Vec<Burst>,
    /// Lasting changes of level, by |z|.
    pub shifts: Vec<Shift>,
    /// What bursts and shifts count in each period: the documents using a term, or the
    /// passages when periods hold too few documents.
    pub counted: Counted,
    /// Successions, best first.
    pub succession: Vec<Succession>,
    /// A document whose date lies far from every other one (most often a typing mistake), if
    /// any: the report and `run.json` name it.
    pub stray_date: Option<StrayDate>,
    /// The voices, with `trends.stratify`.
    pub strata: Option<Strata>,
}

impl Trends {
    /// The row of `term` in `period`, when the term has rows ([`Trends::terms`]): a binary
    /// search of the period's rows, which are sorted by surface form (`vocab`'s) and term.
    pub fn row(
        &self,
        period: usize,
        term: TermId,
        vocab: &super::Vocabulary,
    ) -> Option<&TermPeriod> {
        let n = self.terms.len();
        let rows = self.rows.get(period * n..(period + 1) * n)?;
        let key = |t: TermId| (&vocab.terms[t as usize].surface, t);
        rows.binary_search_by(|x| key(x.term).cmp(&key(term)))
            .ok()
            .map(|i| &rows[i])
    }
}

/// A document dated far from all the others: at least 10 years, and further than the rest of
/// the corpus spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrayDate {
    /// Index of the document in the corpus.
    pub document: usize,
    /// Years between its date and the nearest other document's.
    pub years_apart: i64,
}
