//! A partial as an Arrow table and as Parquet bytes: what travels from a worker to the merge.

use std::path::Path;

use polars::prelude::*;

use super::partial::summed;
use super::Partial;
use crate::error::{Error, Location, Result};
use crate::stages::s6_trends::counts::PeriodCount;

/// The columns of a partial as a table (Arrow, written as Parquet), a row per count:
/// `part` names what the row counts — `corpus` (`count`: words inside markup; `tokens`: word
/// tokens), `term`, `period`, `term_period` or `unread` (`count`: characters of the `script`
/// not read) — and `state` the digest of the state.
pub fn to_frame(partial: &Partial) -> Result<DataFrame> {
    let mut part: Vec<&str> = vec!["corpus"];
    let mut period: Vec<Option<u32>> = vec![None];
    let mut term: Vec<Option<u32>> = vec![None];
    let mut count: Vec<u64> = vec![partial.markup_words];
    let mut documents: Vec<u64> = vec![partial.documents];
    let mut passages: Vec<u64> = vec![partial.passages];
    let mut tokens: Vec<u64> = vec![partial.words];
    let mut script: Vec<Option<String>> = vec![None];
    type Row = (Option<u32>, Option<u32>, PeriodCount, u64, Option<String>);
    let mut push = |p: &'static str, row: Row| {
        let (pe, te, c, w, sc) = row;
        part.push(p);
        period.push(pe);
        term.push(te);
        count.push(c.count);
        documents.push(c.documents as u64);
        passages.push(c.passages as u64);
        tokens.push(w);
        script.push(sc);
    };
    for (&t, &c) in &partial.terms {
        push("term", (None, Some(t), c, 0, None));
    }
    for (&p, &(d, s, w)) in &partial.periods {
        let c = PeriodCount {
            count: 0,
            documents: d,
            passages: s,
        };
        push("period", (Some(p), None, c, w, None));
    }
    for (&(p, t), &c) in &partial.term_periods {
        push("term_period", (Some(p), Some(t), c, 0, None));
    }
    for (name, &n) in &partial.unread {
        let c = PeriodCount {
            count: n,
            ..PeriodCount::default()
        };
        push("unread", (None, None, c, 0, Some(name.clone())));
    }
    let rows = part.len();
    let mut fingerprint: Vec<Option<u64>> = vec![None; rows];
    fingerprint[0] = Some(partial.fingerprints);
    DataFrame::new_infer_height(vec![
        Column::new("part".into(), part),
        Column::new("period".into(), period),
        Column::new("term".into(), term),
        Column::new("count".into(), count),
        Column::new("documents".into(), documents),
        Column::new("passages".into(), passages),
        Column::new("tokens".into(), tokens),
        Column::new("script".into(), script),
        Column::new("state".into(), vec![partial.state.as_str(); rows]),
        Column::new("fingerprints".into(), fingerprint),
    ])
    .map_err(|e| Error::Internal(format!("building a partial: {e}")))
}

/// Reads a partial back from [`to_frame`]'s table; `path` names it in errors.
pub fn from_frame(path: &Path, df: &DataFrame) -> Result<Partial> {
    let bad = |what: String| {
        Error::input(
            Location::file(path),
            format!("not a topictide partial: {what}"),
            "give the files `topictide count` wrote",
        )
    };
    let col = |name: &str| {
        df.column(name)
            .map(|c| c.as_materialized_series().clone())
            .map_err(|_| bad(format!("no column {name:?}")))
    };
    let strs = |name: &str| -> Result<StringChunked> {
        let s = col(name)?;
        Ok(s.str().map_err(|e| bad(e.to_string()))?.clone())
    };
    let u32s = |name: &str| -> Result<Vec<Option<u32>>> {
        let s = col(name)?;
        Ok(s.u32().map_err(|e| bad(e.to_string()))?.iter().collect())
    };
    let u64s = |name: &str| -> Result<Vec<u64>> {
        let s = col(name)?;
        let ca = s.u64().map_err(|e| bad(e.to_string()))?;
        Ok(ca.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let (part, state, script) = (strs("part")?, strs("state")?, strs("script")?);
    let (period, term) = (u32s("period")?, u32s("term")?);
    let fingerprint: Vec<Option<u64>> = {
        let s = col("fingerprints")?;
        let ca = s.u64().map_err(|e| bad(e.to_string()))?;
        ca.iter().collect()
    };
    let (count, documents, passages, tokens) = (
        u64s("count")?,
        u64s("documents")?,
        u64s("passages")?,
        u64s("tokens")?,
    );
    let mut p = Partial {
        state: state.get(0).unwrap_or_default().to_string(),
        ..Partial::default()
    };
    let (mut terms, mut term_periods) = (Vec::new(), Vec::new());
    let rows = part.iter().zip(state.iter()).zip(script.iter());
    for (i, ((part, state), script)) in rows.enumerate() {
        if state != Some(p.state.as_str()) {
            return Err(bad(format!("row {} has another state", i + 1)));
        }
        let c = PeriodCount {
            count: count[i],
            documents: documents[i] as u32,
            passages: passages[i] as u32,
        };
        match (part, period[i], term[i]) {
            (Some("corpus"), None, None) => {
                p.fingerprints = p.fingerprints.wrapping_add(fingerprint[i].unwrap_or(0));
                p.markup_words += count[i];
                p.documents += documents[i];
                p.passages += passages[i];
                p.words += tokens[i];
            }
            (Some("term"), None, Some(t)) => terms.push((t, c)),
            (Some("period"), Some(q), None) => {
                let e = p.periods.entry(q).or_default();
                (e.0, e.1, e.2) = (e.0 + c.documents, e.1 + c.passages, e.2 + tokens[i]);
            }
            (Some("term_period"), Some(q), Some(t)) => term_periods.push(((q, t), c)),
            (Some("unread"), None, None) if script.is_some() => {
                let name = script.expect("checked").to_string();
                *p.unread.entry(name).or_default() += count[i];
            }
            _ => return Err(bad(format!("row {} is not a count of a known part", i + 1))),
        }
    }
    (p.terms, p.term_periods) = (summed(terms), summed(term_periods));
    Ok(p)
}

/// Whether `bytes` are a partial: a Parquet file with a partial's columns.
pub fn is_partial(bytes: &[u8]) -> bool {
    ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .is_ok_and(|df| {
            ["part", "state", "term", "period"]
                .iter()
                .all(|c| df.column(c).is_ok())
        })
}

/// A partial as Parquet bytes.
pub fn to_parquet(partial: &Partial) -> Result<Vec<u8>> {
    let mut df = to_frame(partial)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out)
        .finish(&mut df)
        .map_err(|e| Error::Internal(format!("writing a partial: {e}")))?;
    Ok(out)
}

/// Reads a partial from a Parquet file.
pub fn read_partial(path: &Path) -> Result<Partial> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    parquet_partial(path, &bytes)
}

/// Reads a partial from Parquet bytes (as a worker sent them); `name` names them in errors.
pub fn partial_from_parquet(name: &str, bytes: &[u8]) -> Result<Partial> {
    parquet_partial(Path::new(name), bytes)
}

fn parquet_partial(path: &Path, bytes: &[u8]) -> Result<Partial> {
    let df = ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| {
            Error::input(
                Location::file(path),
                format!("not a Parquet file ({e})"),
                "give the files `topictide count` wrote",
            )
        })?;
    from_frame(path, &df)
}
