//! The summary's lines at a glance on how the corpus changed: its largest episodes, what is
//! bursting now, and its largest lasting shifts. The tables below hold the details.

use std::fmt::Write;

use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::escape;

/// The trends part opens with what is bursting in the last period: the highest-ranked bursts
/// that reach it, each with the period it began in. A term whose level also rose for good (a
/// rising shift that lasts to the end, which the shifts table lists) is called a lasting rise,
/// since that period, rather than an episode.
pub(super) fn bursting_now(h: &mut String, r: &ReportInput) {
    let Some(last) = r.trends.periods.iter().rposition(|p| p.documents > 0) else {
        return;
    };
    let last_label = r.trends.periods[last].period.to_string();
    let terms = &r.vocabulary.terms;
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

/// Episodes named in the summary's line on the largest ones.
const EPISODES: usize = 5;
/// Shifts named in the summary's line on lasting changes.
const SHIFTS: usize = 3;

/// The largest episodes: the highest-ranked bursts that have ended, with their periods; a
/// burst that is one side of a lasting change is no episode, however few bursts there are.
pub(super) fn largest_episodes(h: &mut String, r: &ReportInput) {
    let terms = &r.vocabulary.terms;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let episodes: Vec<String> = r
        .trends
        .bursts
        .iter()
        .filter(|b| !b.ongoing && !b.lasting)
        .take(EPISODES)
        .map(|b| {
            let span = if b.start == b.end {
                label(b.start)
            } else {
                format!("{}–{}", label(b.start), label(b.end))
            };
            format!(
                "<b>{}</b> ({span})",
                escape(&terms[b.term as usize].surface)
            )
        })
        .collect();
    if !episodes.is_empty() {
        let _ = writeln!(
            h,
            "<li>Largest episodes: {} (<a href=\"#bursts\">bursts</a>).</li>",
            episodes.join(", ")
        );
    }
}

/// The largest lasting changes of level: the first shifts, with the shares before and after.
pub(super) fn lasting_shifts(h: &mut String, r: &ReportInput) {
    let terms = &r.vocabulary.terms;
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let unit = r.trends.counted.name();
    let shifts: Vec<String> = r
        .trends
        .shifts
        .iter()
        .take(SHIFTS)
        .map(|s| {
            format!(
                "<b>{}</b> {} from {:.1}% to {:.1}% of {unit} from {} on",
                escape(&terms[s.term as usize].surface),
                if s.after > s.before { "rose" } else { "fell" },
                100.0 * s.before,
                100.0 * s.after,
                label(s.to)
            )
        })
        .collect();
    if !shifts.is_empty() {
        let _ = writeln!(
            h,
            "<li>Largest lasting shifts: {} (<a href=\"#shifts\">shifts</a>).</li>",
            shifts.join("; ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{burst, ReportFixture};

    #[test]
    fn a_burst_that_is_part_of_a_lasting_change_is_no_episode() {
        let mut f = ReportFixture::new();
        let (flood, war) = (f.term("flood"), f.term("war"));
        let lasting = crate::artifacts::Burst {
            lasting: true,
            ..burst(war, 3, 4, 2.0)
        };
        f.trends.bursts = vec![burst(flood, 3, 4, 2.0), lasting];
        let mut h = String::new();
        largest_episodes(&mut h, &f.input());
        assert!(h.contains("<b>flood</b>"), "{h}");
        assert!(!h.contains("war"), "{h}");
    }
}
