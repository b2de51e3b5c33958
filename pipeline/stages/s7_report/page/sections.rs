//! The tables under the charts: tracked terms, changes, contrasts, bursts, shifts, successions
//! and topics, each row linked to its evidence, and the evidence itself.

use std::fmt::Write;

use crate::artifacts::{Change, Counted, MixVerdict};
use crate::stages::s7_report::evidence::{self, Evidence, EvidenceKind};
use crate::stages::s7_report::input::ReportInput;
use crate::stages::s7_report::text::{escape, excerpt};

/// Links to the evidence lines of a term (in a period, when given).
fn evidence_links(ev: &[Evidence], kind: EvidenceKind, term: u32, period: Option<&str>) -> String {
    let links: Vec<String> = ev
        .iter()
        .filter(|e| e.kind == kind && e.term == term && period.is_none_or(|p| e.period == p))
        .enumerate()
        .map(|(i, e)| format!("<a href=\"#{}\">{}</a>", e.id, i + 1))
        .collect();
    if links.is_empty() {
        String::new()
    } else {
        format!("passages {}", links.join(" "))
    }
}

pub(super) fn tracked_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.vocabulary.terms;
    let _ = writeln!(h, "<table><tr><th>term</th><th>period</th><th>documents</th><th>count</th><th>per 1,000 tokens (95% interval)</th><th>share of documents (95% interval)</th><th>evidence</th></tr>");
    for t in &r.trends.tracked {
        let Some(id) = t.term else {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td colspan=\"6\">not in the corpus: no spelling of it occurs</td></tr>",
                escape(&t.query)
            );
            continue;
        };
        for p in &t.series {
            let stats = &r.trends.periods[p.period];
            if stats.documents == 0 {
                continue;
            }
            let label = stats.period.to_string();
            let class = if stats.thin { " class=\"thin\"" } else { "" };
            let _ = writeln!(
                h,
                "<tr{class}><td>{}</td><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2} ({:.2}–{:.2})</td><td class=\"n\">{:.2} ({:.2}–{:.2})</td><td>{}</td></tr>",
                escape(&terms[id as usize].surface),
                escape(&label),
                if stats.thin { "*" } else { "" },
                stats.documents,
                p.count,
                p.per_1k_tokens,
                p.per_1k_low,
                p.per_1k_high,
                p.document_share,
                p.share_low,
                p.share_high,
                evidence_links(ev, EvidenceKind::Tracked, id, Some(&label))
            );
        }
    }
    let _ = writeln!(h, "</table>");
}

pub(super) fn evidence_section(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.vocabulary.terms;
    let _ = writeln!(
        h,
        "<h2 id=\"evidence\">Evidence</h2>\n<p>The passages behind the numbers above: for each \
         tracked term and period, each rising or falling term shown, the heaviest bursts and both \
         terms of each succession, up to three passages, with the words around the match (<code>tables/evidence.csv</code> \
         has the same rows).</p>\n<table><tr><th>#</th><th>supports</th><th>term</th><th>period</th>\
         <th>document</th><th>date</th><th>bytes</th><th>in context</th></tr>"
    );
    for e in ev {
        let _ = writeln!(
            h,
            "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}–{}</td><td>{}<mark>{}</mark>{}</td></tr>",
            e.id,
            e.id.trim_start_matches("ev-"),
            e.kind.name(),
            escape(&terms[e.term as usize].surface),
            escape(&e.period),
            escape(&excerpt(&e.title, 60)),
            e.date,
            e.start,
            e.end,
            escape(&e.left),
            escape(&e.matched),
            escape(&e.right)
        );
    }
    let _ = writeln!(h, "</table>");
}

pub(super) fn changes_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.vocabulary.terms;
    let (from, to) = r.ends_labels();
    let stratified = r.trends.strata.is_some();
    let _ = writeln!(
        h,
        "<table><tr><th>direction</th><th>term</th><th>z</th><th>count {from}</th><th>count {to}</th>{}<th>evidence</th></tr>",
        if stratified { "<th>driven by</th>" } else { "" }
    );
    for (dir, c) in r
        .trends
        .rising
        .iter()
        .map(|c| (EvidenceKind::Rising, c))
        .chain(r.trends.falling.iter().map(|c| (EvidenceKind::Falling, c)))
    {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td>{}</td></tr>",
            dir.name(),
            escape(&terms[c.term as usize].surface),
            c.z,
            c.count_from,
            c.count_to,
            driven_by_cell(r, c),
            evidence_links(ev, dir, c.term, None)
        );
    }
    let _ = writeln!(h, "</table>");
}

/// With strata, a table cell saying what drives a change ("within voices", "driven by one
/// source: X", …); nothing without.
fn driven_by_cell(r: &ReportInput, c: &Change) -> String {
    let (Some(strata), Some(m)) = (&r.trends.strata, &c.mix) else {
        return String::new();
    };
    let detail = match m.verdict {
        MixVerdict::OneSource | MixVerdict::Confounded => {
            format!(
                ": {} ({:.0}%)",
                strata.names[m.top_stratum as usize],
                100.0 * m.top_share
            )
        }
        _ => match m.within_z {
            Some(z) => format!(
                " (within z {z:.1}; {:.0}% of {})",
                100.0 * m.one_period_share,
                if c.z >= 0.0 {
                    "later uses from new voices"
                } else {
                    "earlier uses from voices gone later"
                }
            ),
            None => String::new(),
        },
    };
    format!("<td>{}{}</td>", m.verdict.name(), escape(&detail))
}

/// The contrasts of adjacent periods, folded: the top rising and falling terms of each.
pub(super) fn adjacent_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.vocabulary.terms;
    let adjacent = &r.trends.contrasts[..r.trends.contrasts.len().saturating_sub(1)];
    if adjacent.len() < 2 {
        return;
    }
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let _ = writeln!(
        h,
        "<details><summary>Between each pair of adjacent periods ({} contrasts, the top {} each \
         way; all {} in <code>tables/contrasts.csv</code>)</summary>\n<table><tr><th>from</th>\
         <th>to</th><th>direction</th><th>term</th><th>z</th><th>count from</th><th>count to</th>\
         {}<th>evidence</th></tr>",
        adjacent.len(),
        evidence::ADJACENT_SHOWN,
        r.config.trends.top_changes,
        if r.trends.strata.is_some() {
            "<th>driven by</th>"
        } else {
            ""
        }
    );
    for c in adjacent {
        let (from, to) = (c.from.first, c.to.first);
        let thin = r.trends.periods[from].thin || r.trends.periods[to].thin;
        let class = if thin { " class=\"thin\"" } else { "" };
        for (dir, list, at) in [
            (EvidenceKind::Rising, &c.rising, to),
            (EvidenceKind::Falling, &c.falling, from),
        ] {
            for ch in list.iter().take(evidence::ADJACENT_SHOWN) {
                let _ = writeln!(
                    h,
                    "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.2}</td>\
                     <td class=\"n\">{}</td><td class=\"n\">{}</td>{}<td>{}</td></tr>",
                    escape(&label(from)),
                    escape(&label(to)),
                    dir.name(),
                    escape(&terms[ch.term as usize].surface),
                    ch.z,
                    ch.count_from,
                    ch.count_to,
                    driven_by_cell(r, ch),
                    evidence_links(ev, dir, ch.term, Some(&label(at)))
                );
            }
        }
    }
    let _ = writeln!(h, "</table></details>");
}

pub(super) fn bursts_table(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.vocabulary.terms;
    let bursts = &r.trends.bursts;
    if bursts.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<table><tr><th>term</th><th>periods</th><th>level</th><th>times the rate outside</th>\
         <th>share of its uses inside</th><th>{} using it, per period</th><th>evidence</th></tr>",
        r.trends.counted.name()
    );
    for b in bursts.iter().take(evidence::BURSTS) {
        let label = evidence::burst_label(r, b);
        let per_period: Vec<String> = (b.start..=b.end)
            .map(|p| {
                let row = r.trends.row(p, b.term, r.vocabulary);
                let period = &r.trends.periods[p];
                let (used, of) = match r.trends.counted {
                    Counted::Documents => (row.map_or(0, |x| x.documents), period.documents),
                    Counted::Passages => (row.map_or(0, |x| x.passages), period.passages),
                };
                format!("{} {} of {}", period.period, used, of)
            })
            .collect();
        let open = match (b.from_start, b.ongoing, b.lasting) {
            (_, true, false) => " (going on)",
            (_, true, true) => " (going on; part of a lasting rise, under shifts)",
            (true, false, false) => " (from the first period)",
            (true, false, true) => " (from the first period; part of a lasting fall, under shifts)",
            (false, false, true) => " (part of a lasting change, under shifts)",
            (false, false, false) => "",
        };
        let voice = match (&r.trends.strata, b.one_voice, b.top_stratum) {
            (Some(strata), true, Some((s, _))) => format!(
                " (carried by {}, whose share of these periods grew)",
                strata.names[s as usize]
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td>\
             <td class=\"n\">{:.0}%</td><td>{}</td><td>{}</td></tr>",
            escape(&terms[b.term as usize].surface),
            escape(&label),
            open.to_string() + &escape(&voice),
            b.level,
            b.lift,
            100.0 * b.concentration,
            escape(&per_period.join(", ")),
            evidence_links(ev, EvidenceKind::Burst, b.term, Some(&label))
        );
    }
    let _ = writeln!(h, "</table>");
}

pub(super) fn shifts_table(h: &mut String, r: &ReportInput) {
    let terms = &r.vocabulary.terms;
    let shifts = &r.trends.shifts;
    if shifts.is_empty() {
        return;
    }
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let unit = r.trends.counted.name();
    let _ = writeln!(
        h,
        "<table><tr><th>term</th><th>old level</th><th>share of {unit}</th><th>new level</th>\
         <th>share of {unit}</th><th>z</th></tr>"
    );
    for s in shifts.iter().take(20) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} to {}</td><td class=\"n\">{:.1}%</td><td>{} to {}</td>\
             <td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}</td></tr>",
            escape(&terms[s.term as usize].surface),
            escape(&label(s.since)),
            escape(&label(s.from)),
            100.0 * s.before,
            escape(&label(s.to)),
            escape(&label(s.until)),
            100.0 * s.after,
            s.z
        );
    }
    let _ = writeln!(h, "</table>");
}

pub(super) fn succession_section(h: &mut String, r: &ReportInput, ev: &[Evidence]) {
    let terms = &r.vocabulary.terms;
    let cfg = &r.config.trends;
    let _ = writeln!(
        h,
        "<h2 id=\"succession\">What replaced what</h2>\n<p>Pairs found without being told what \
         to look for, where one term took another's place. Each pair passes every test: one term \
         falls while the other rises across the same handover (each by a log-odds |z| of at \
         least {} and by at least half of its peak rate); the falling term keeps under a quarter \
         of its peak after it; both turn within a short window of each other; their company in \
         passages is alike (<em>similarity</em>, cosine of co-occurrence profiles, the falling \
         term read before the handover and the rising one after) and so are the words right \
         next to them (<em>slots</em>: the rising term stands where the falling one stood); and \
         each is the other's best match. Dates, numbers and fiscal wording are never paired. \
         Fewer pairs are offered rather than weak ones. Score = similarity × fall × rise. The \
         counts are occurrences per period; the shared contexts are the words both terms keep \
         company with.</p>",
        cfg.succession_z
    );
    let list = &r.trends.succession;
    if list.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">No pair passes every test, so none is offered: in these {} \
             documents no term that went out of use was taken over by another term used in its \
             place.{} The rising and falling terms above are ranked all the same.</p>",
            r.figures.documents,
            if r.trends.periods.iter().any(|p| p.thin) {
                " Several periods rest on a few documents, too little text for a replacement to \
                 show beyond chance."
            } else {
                ""
            }
        );
        return;
    }
    let label = |p: usize| r.trends.periods[p].period.to_string();
    let counts = |c: &[u64]| {
        c.iter()
            .enumerate()
            .filter(|(p, _)| r.trends.periods[*p].documents > 0)
            .map(|(p, n)| format!("{} {n}", label(p)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        h,
        "<table><tr><th>#</th><th>falling</th><th>rising</th><th>handover before</th><th>score</th>\
         <th>similarity</th><th>slots</th><th>counts per period</th><th>shared contexts</th><th>evidence</th></tr>"
    );
    for (i, s) in list.iter().enumerate() {
        let shared: Vec<&str> = s
            .contexts
            .iter()
            .map(|&c| terms[c as usize].surface.as_str())
            .collect();
        let links = |kind: EvidenceKind, term: u32, periods: Vec<usize>| {
            periods
                .into_iter()
                .find(|&p| {
                    let c = if kind == EvidenceKind::Falling {
                        s.counts_falling[p]
                    } else {
                        s.counts_rising[p]
                    };
                    c > 0
                })
                .map(|p| evidence_links(ev, kind, term, Some(&label(p))))
                .unwrap_or_default()
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.3}</td>\
             <td class=\"n\">{:.2}</td><td class=\"n\">{:.2}</td><td>{}: {}<br>{}: {}</td><td>{}</td><td>{}: {}<br>{}: {}</td></tr>",
            i + 1,
            escape(&terms[s.falling as usize].surface),
            escape(&terms[s.rising as usize].surface),
            escape(&label(s.handover)),
            s.score,
            s.similarity,
            s.slots,
            escape(&terms[s.falling as usize].surface),
            escape(&counts(&s.counts_falling)),
            escape(&terms[s.rising as usize].surface),
            escape(&counts(&s.counts_rising)),
            escape(&shared.join(", ")),
            escape(&terms[s.falling as usize].surface),
            links(EvidenceKind::Falling, s.falling, (0..s.handover).rev().collect()),
            escape(&terms[s.rising as usize].surface),
            links(EvidenceKind::Rising, s.rising, (s.handover..r.trends.periods.len()).collect()),
        );
    }
    let _ = writeln!(h, "</table>");
}

pub(super) fn topics_table(h: &mut String, r: &ReportInput) {
    let terms = &r.vocabulary.terms;
    let _ = writeln!(h, "<table><tr><th>topic</th><th>passages</th><th>top terms</th><th>most representative passages</th></tr>");
    for t in &r.topics.topics {
        let top: Vec<String> = t
            .top_terms
            .iter()
            .map(|&(id, _)| escape(&terms[id as usize].surface))
            .collect();
        let reps: Vec<String> = t
            .representatives
            .iter()
            .map(|&p| {
                let q = r.quotes.passage(p as u64);
                format!(
                    "<li id=\"passage-{p}\"><i>{}</i>, {} (passage {p}, bytes {}–{}): {}</li>",
                    escape(&q.title),
                    q.date,
                    q.range.start,
                    q.range.end,
                    escape(&q.text)
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td><ul>{}</ul></td></tr>",
            t.id + 1,
            t.size,
            top.join(", "),
            reps.join("")
        );
    }
    let _ = writeln!(h, "</table>");
}
