//! The summary's line on what is bursting now: it opens the trends part of the summary.

use std::fmt::Write;

use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::escape;

/// The trends part opens with what is bursting in the last period: the highest-ranked bursts
/// that reach it, each with the period it began in. A term whose level also rose for good (a
/// rising shift that lasts to the end, which the shifts table lists) is called a lasting rise,
/// since that period, rather than an episode.
pub(super) fn now(h: &mut String, r: &ReportInput) {
    let Some(last) = r.trends.periods.iter().rposition(|p| p.documents > 0) else {
        return;
    };
    let last_label = r.trends.periods[last].period.to_string();
    let terms = &r.tokens.vocabulary.terms;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let now: Vec<String> = r
        .trends
        .bursts
        .iter()
        .filter(|b| b.ongoing)
        .take(NOW)
        .map(|b| {
            let name = escape(&terms[b.term as usize].surface);
            let lasting = r
                .trends
                .shifts
                .iter()
                .find(|s| s.term == b.term && s.after > s.before && s.until == last);
            match lasting {
                Some(s) => format!("<b>{name}</b> (a lasting rise since {})", label(s.to)),
                None if b.start == last => format!(
                    "<b>{name}</b> ({} of {} {})",
                    b.uses,
                    unit_total(r, last),
                    r.trends.counted.name()
                ),
                None => format!("<b>{name}</b> (since {})", label(b.start)),
            }
        })
        .collect();
    if now.is_empty() {
        let _ = writeln!(
            h,
            "<li>Nothing is bursting in {last_label}, the last period.</li>"
        );
    } else {
        let _ = writeln!(
            h,
            "<li>Bursting now, in {last_label}: {}.</li>",
            now.join(", ")
        );
    }
}

/// Bursts named in the summary's line on what is bursting now.
const NOW: usize = 6;

/// The units (documents or passages) bursts count in period `p`.
fn unit_total(r: &ReportInput, p: usize) -> u32 {
    let period = &r.trends.periods[p];
    match r.trends.counted {
        crate::artifacts::Counted::Documents => period.documents,
        crate::artifacts::Counted::Passages => period.passages,
    }
}
