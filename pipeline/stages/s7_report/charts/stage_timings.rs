//! The bar chart of a run's stage wall times. Wall time differs from run to run, so this chart
//! sits beside `run.json`, outside the byte-identical report.

use std::path::Path;

use crate::error::Result;
use crate::stages::s7_report::draw::{bar_chart, Bar, BarChart, Frame};
use crate::stages::s7_report::output::StageTiming;
use crate::stages::s7_report::text::corpus_name;

/// One bar a stage: its wall time in seconds, noted with what it took in and produced.
pub fn chart(corpus: &Path, bytes: u64, threads: usize, stages: &[StageTiming]) -> Result<String> {
    let total: f64 = stages.iter().map(|s| s.seconds).sum();
    let bars: Vec<Bar> = stages
        .iter()
        .map(|t| Bar {
            label: t.stage.to_string(),
            value: t.seconds,
            note: format!(
                "{:.2} s · {} {} → {} {}",
                t.seconds, t.items_in, t.unit_in, t.items_out, t.unit_out
            ),
            color: 0,
        })
        .collect();
    let title = "Stage timings of this run";
    // No text: a command that read none (`merge` reads partial counts).
    let size = match bytes {
        0 => String::new(),
        1_000_000.. => format!(" {:.1} MB of text;", bytes as f64 / 1e6),
        _ => format!(" {:.1} kB of text;", bytes as f64 / 1e3),
    };
    let sub = format!(
        "{}:{size} {total:.2} s in all on {threads} thread{}",
        corpus_name(corpus),
        if threads == 1 { "" } else { "s" }
    );
    let desc = format!(
        "Wall time of each of {} stages, in seconds, with what each stage produced.",
        stages.len()
    );
    bar_chart(
        &Frame {
            title,
            subtitle: &sub,
            desc: &desc,
        },
        &BarChart {
            size: (1000, 160 + 34 * bars.len() as u32),
            bars: &bars,
            label_width: 140,
            x_desc: "wall time (seconds)",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::s7_report::draw::testing::{hex, overlapping, rects, strings};

    #[test]
    fn a_bar_a_stage_with_what_it_did() {
        let stage = |stage, seconds| StageTiming {
            stage,
            seconds,
            items_in: 5,
            unit_in: "documents",
            items_out: 85,
            unit_out: "passages",
        };
        let svg = chart(
            Path::new("corpus/seeds"),
            1_500_000,
            2,
            &[stage("ingest", 0.5), stage("segment", 1.25)],
        )
        .unwrap();
        assert_eq!(rects(&svg, &hex(0)), 2);
        let texts = strings(&svg);
        for want in [
            "ingest",
            "segment",
            "1.25 s · 5 documents → 85 passages",
            "seeds: 1.5 MB of text; 1.75 s in all on 2 threads",
        ] {
            assert!(texts.iter().any(|t| t == want), "{want} not in {texts:?}");
        }
        assert!(overlapping(&svg).is_empty());
    }
}
