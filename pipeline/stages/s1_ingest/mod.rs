//! Stage 1, ingest: reads a corpus into a [`Corpus`]. The only stage that reads input files.
//!
//! Two corpus forms:
//! - a directory of `.txt`/`.md` files with a `manifest.csv` (`file,date,title,source`);
//! - a table file read with polars: `.jsonl`/`.ndjson`, `.csv` or `.parquet`, each optionally
//!   gzip-compressed (`.gz`), with a text column and a date or year column.
//!
//! Every document must have text and a date; a problem stops the run with an error that names
//! the file and line. Nothing is skipped silently.

use std::path::Path;

use polars::prelude::*;

pub mod dates;
mod directory;
mod fields;
mod jsonl;
mod raw;
mod records;
mod rows;
mod size;
mod table;
mod text;

pub use directory::MANIFEST;
use fields::UndatedDoc;

use crate::artifacts::Corpus;
use crate::config::IngestConfig;
use crate::config::Undated;
use crate::error::{Error, Location, Result};

/// Reads the corpus at `path` (a directory or a table file).
pub fn ingest(path: &Path, cfg: &IngestConfig) -> Result<Corpus> {
    read_corpus(path, cfg, None)
}

/// [`ingest`], with the texts of a table file written into the file `texts` (one of the run's
/// own) as they are read, rather than gathered in memory; [`Corpus::map_texts`] with the same
/// path then maps them.
pub fn ingest_writing_texts(path: &Path, cfg: &IngestConfig, texts: &Path) -> Result<Corpus> {
    read_corpus(path, cfg, Some(texts))
}

fn read_corpus(path: &Path, cfg: &IngestConfig, texts: Option<&Path>) -> Result<Corpus> {
    let meta = std::fs::metadata(path).map_err(|e| Error::corpus_unreadable(path, &e))?;
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let read = if meta.is_dir() {
        let (documents, extra_columns) =
            directory::read_directory(path, cfg, &mut undated, &mut empty)?;
        rows::TableRead {
            documents,
            extra_columns,
            columns_left_out: Vec::new(),
        }
    } else {
        table::read_table(path, cfg, &mut undated, &mut empty, texts)?
    };
    corpus(path, read, undated, empty, cfg)
}

/// Reads a corpus handed over as a table in memory (from Python: a pyarrow Table, a polars
/// DataFrame, a Spark batch), row by row as a table file is read. `name` stands for the file in
/// messages and in the report; rows are numbered from 1.
pub fn ingest_frame(df: &DataFrame, name: &Path, cfg: &IngestConfig) -> Result<Corpus> {
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let read = table::read_frame(df, name, 0, cfg, &mut undated, &mut empty)?;
    corpus(name, read, undated, empty, cfg)
}

/// Reads a shard of a table handed over in memory (a partition of a Spark DataFrame): its rows
/// are those after the `rows_before` rows of the shards before it, and are numbered in the
/// whole table (from 1), in messages and in each document's origin, as the whole table read at
/// once numbers them. A shard may hold no rows, or leave every row out.
pub fn ingest_shard(
    df: &DataFrame,
    name: &Path,
    rows_before: usize,
    cfg: &IngestConfig,
) -> Result<Corpus> {
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let read = table::read_frame(df, name, rows_before, cfg, &mut undated, &mut empty)?;
    check_undated(name, &undated, cfg)?;
    Ok(Corpus {
        path: name.to_path_buf(),
        documents: read.documents,
        dropped_undated: undated.into_iter().map(|(o, _)| o).collect(),
        dropped_empty: empty,
        extra_columns: read.extra_columns,
        columns_left_out: read.columns_left_out,
        text_map: None,
    })
}

/// The corpus of the documents read from `path`, once every document left out is accounted
/// for: undated ones stop the run unless `--undated drop`, and no documents at all stops it.
fn corpus(
    path: &Path,
    read: rows::TableRead,
    undated: Vec<UndatedDoc>,
    empty: Vec<String>,
    cfg: &IngestConfig,
) -> Result<Corpus> {
    let rows::TableRead {
        documents,
        extra_columns,
        columns_left_out,
    } = read;
    check_undated(path, &undated, cfg)?;
    if documents.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "the corpus has no documents",
            "point --corpus at a directory with a manifest.csv listing its files, or at a \
             .jsonl/.csv/.parquet table with at least one row",
        ));
    }
    Ok(Corpus {
        path: path.to_path_buf(),
        documents,
        dropped_undated: undated.into_iter().map(|(o, _)| o).collect(),
        dropped_empty: empty,
        extra_columns,
        columns_left_out,
        text_map: None,
    })
}

/// Undated documents stop the run unless `--undated drop`: the error lists them.
fn check_undated(path: &Path, undated: &[UndatedDoc], cfg: &IngestConfig) -> Result<()> {
    if !undated.is_empty() && cfg.undated == Undated::Error {
        let list: Vec<String> = undated
            .iter()
            .take(20)
            .map(|(o, why)| format!("    {o}: {why}"))
            .collect();
        let more = undated.len().saturating_sub(20);
        return Err(Error::input(
            Location::file(path),
            format!(
                "{} document(s) have no date, and none could be read from their text with a \
                 confidence of at least {}:\n{}{}",
                undated.len(),
                cfg.min_date_confidence,
                list.join("\n"),
                if more > 0 {
                    format!("\n    … and {more} more")
                } else {
                    String::new()
                }
            ),
            "give them dates in the manifest or table, or pass --undated drop to leave them out \
             (they are counted in run.json)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::fields::parse_date;
    use super::*;
    use crate::artifacts::{DateSource, DocDate};
    use crate::config::Empty;
    use std::fs;

    fn corpus_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    fn err_of(dir: &Path) -> String {
        ingest(dir, &IngestConfig::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_manifest_directory() {
        let dir = corpus_dir(&[
            (
                "manifest.csv",
                b"file,date,title,source\na.txt,2016-04-19,A,X\nb.txt,2017,,Y\n",
            ),
            ("a.txt", b"Alpha text."),
            ("b.txt", b"Beta\ntext."),
        ]);
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.documents.len(), 2);
        assert_eq!(
            c.documents.get(0).date(),
            DocDate::parse("2016-04-19").unwrap()
        );
        assert_eq!(c.documents.get(1).title(), "Beta");
        assert_eq!(c.documents.get(1).date(), DocDate::year(2017));
    }

    #[test]
    fn an_empty_manifest_date_is_read_from_the_text_with_its_evidence() {
        let dir = corpus_dir(&[
            ("manifest.csv", b"file,date,title,source\na.txt,,A,X\n"),
            (
                "a.txt",
                "Title\nPublished: Jul 12, 2021 08:08 PM\nBody.".as_bytes(),
            ),
        ]);
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(
            c.documents.get(0).date(),
            DocDate::parse("2021-07-12").unwrap()
        );
        match &c.documents.get(0).date_source() {
            DateSource::Extracted {
                evidence,
                confidence,
            } => {
                assert!(evidence.starts_with("Published: Jul 12, 2021"));
                assert_eq!(*confidence, 0.95);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn undated_documents_stop_the_run_or_are_dropped_and_counted() {
        let files: [(&str, &[u8]); 3] = [
            ("manifest.csv", b"file,date\na.txt,2020\nb.txt,\n"),
            ("a.txt", b"Dated text."),
            ("b.txt", b"No date anywhere in here."),
        ];
        let dir = corpus_dir(&files);
        let e = err_of(dir.path());
        assert!(
            e.contains("1 document(s) have no date") && e.contains("b.txt: no date in the text"),
            "{e}"
        );
        assert!(e.contains("--undated drop"), "{e}");
        let cfg = IngestConfig {
            undated: Undated::Drop,
            ..IngestConfig::default()
        };
        let c = ingest(dir.path(), &cfg).unwrap();
        assert_eq!(c.documents.len(), 1);
        assert_eq!(c.dropped_undated.len(), 1);
        assert!(c.dropped_undated[0].ends_with("b.txt"));
    }

    #[test]
    fn empty_documents_stop_the_run_at_their_line_or_are_dropped_and_counted() {
        let table = corpus_dir(&[(
            "t.jsonl",
            b"{\"text\": \"One.\", \"year\": 2020}\n{\"text\": \"  \", \"year\": 2021}\n\
              {\"text\": null, \"year\": 2021}\n{\"text\": \"Four.\", \"year\": 2022}\n",
        )]);
        let path = table.path().join("t.jsonl");
        let e = err_of(&path);
        assert!(
            e.contains("t.jsonl:2") && e.contains("the text is empty or null"),
            "{e}"
        );
        assert!(e.contains("--empty drop"), "{e}");
        let cfg = IngestConfig {
            empty: Empty::Drop,
            ..IngestConfig::default()
        };
        let c = ingest(&path, &cfg).unwrap();
        assert_eq!(c.documents.len(), 2);
        assert_eq!(c.documents.get(1).text(), "Four.");
        let lines: Vec<&str> = c.dropped_empty.iter().map(|o| &o[o.len() - 2..]).collect();
        assert_eq!(lines, [":2", ":3"], "{:?}", c.dropped_empty);

        // A directory corpus: an empty file.
        let files: [(&str, &[u8]); 3] = [
            ("manifest.csv", b"file,date\na.txt,2020\nb.txt,2021\n"),
            ("a.txt", b"Some text."),
            ("b.txt", b"\n \n"),
        ];
        let dir = corpus_dir(&files);
        let e = err_of(dir.path());
        assert!(e.contains("b.txt") && e.contains("--empty drop"), "{e}");
        let c = ingest(dir.path(), &cfg).unwrap();
        assert_eq!(c.documents.len(), 1);
        assert!(c.dropped_empty[0].ends_with("b.txt"));
    }

    #[test]
    fn missing_manifest_entry_names_the_file() {
        let dir = corpus_dir(&[
            (
                "manifest.csv",
                b"file,date,title,source\na.txt,2016-04-19,A,X\n",
            ),
            ("a.txt", b"Alpha."),
            ("c.txt", b"Gamma."),
        ]);
        let e = err_of(dir.path());
        assert!(
            e.contains("c.txt") && e.contains("not listed in manifest.csv"),
            "{e}"
        );
    }

    #[test]
    fn bad_date_names_line_and_column() {
        let dir = corpus_dir(&[
            (
                "manifest.csv",
                b"file,date,title,source\na.txt,2016-04-19,A,X\nb.txt,2021-13-01,B,Y\n",
            ),
            ("a.txt", b"Alpha."),
            ("b.txt", b"Beta."),
        ]);
        let e = err_of(dir.path());
        assert!(e.contains("manifest.csv:3: column \"date\""), "{e}");
        assert!(e.contains("\"2021-13-01\" is not a date"), "{e}");
        assert!(e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn non_utf8_file_names_the_line() {
        let dir = corpus_dir(&[
            ("manifest.csv", b"file,date,title,source\na.txt,2016,A,X\n"),
            ("a.txt", b"line one\nline two caf\xe9\n"),
        ]);
        let e = err_of(dir.path());
        assert!(
            e.contains("a.txt:2") && e.contains("not valid UTF-8"),
            "{e}"
        );
        assert!(e.contains("iconv"), "{e}");
    }

    #[test]
    fn listed_file_that_does_not_exist() {
        let dir = corpus_dir(&[("manifest.csv", b"file,date\nghost.txt,2016\n")]);
        let e = err_of(dir.path());
        assert!(
            e.contains("manifest.csv:2") && e.contains("ghost.txt does not exist"),
            "{e}"
        );
    }

    #[test]
    fn empty_corpus_is_an_error() {
        let dir = corpus_dir(&[("manifest.csv", b"file,date,title,source\n")]);
        let e = err_of(dir.path());
        assert!(e.contains("no documents"), "{e}");
        let table = corpus_dir(&[("empty.csv", b"text,year\n")]);
        let e = err_of(&table.path().join("empty.csv"));
        assert!(e.contains("no documents"), "{e}");
    }

    #[test]
    fn jsonl_gz_with_year_fallback() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(
            b"{\"id\":\"a\",\"date\":null,\"year\":1999,\"text\":\"One.\"}\n{\"id\":\"b\",\"date\":\"2001-02\",\"year\":2001,\"text\":\"Two.\"}\n",
        )
        .unwrap();
        fs::write(&path, gz.finish().unwrap()).unwrap();
        let c = ingest(&path, &IngestConfig::default()).unwrap();
        assert_eq!(c.documents.get(0).date(), DocDate::year(1999));
        assert_eq!(
            c.documents.get(1).date(),
            DocDate::parse("2001-02").unwrap()
        );
        assert_eq!(c.documents.get(1).id(), "b");
        assert!(c.extra_columns.is_empty());
    }

    /// Texts written into a file as they are read give the documents that texts read into
    /// memory give: while the file is written, once it is mapped, and for every table format,
    /// compressed too (whose size only estimates its text, so the file grows).
    #[test]
    fn texts_written_as_read_are_the_texts_read_into_memory() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let long = "Ünïcode «text», 网络安全 and more. ".repeat(4_000);
        let rows: Vec<String> = (0..40)
            .map(|i| {
                let text = if i % 7 == 0 {
                    &long
                } else {
                    "short\\nline two"
                };
                format!(
                    "{{\"id\":\"d{i}\",\"year\":{},\"text\":\"{text} {i}\"}}\n",
                    1990 + i
                )
            })
            .collect();
        let plain = dir.path().join("c.jsonl");
        fs::write(&plain, rows.concat()).unwrap();
        let packed = dir.path().join("c.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(rows.concat().as_bytes()).unwrap();
        fs::write(&packed, gz.finish().unwrap()).unwrap();
        let csv = dir.path().join("c.csv");
        fs::write(&csv, "id,year,text\na,2001,\"One, two.\"\nb,2002,Three.\n").unwrap();
        let cfg = IngestConfig::default();
        for path in [plain, packed, csv] {
            let whole = ingest(&path, &cfg).unwrap().documents.to_rows();
            let file = dir.path().join("texts");
            let mut written = ingest_writing_texts(&path, &cfg, &file).unwrap();
            assert_eq!(written.documents.to_rows(), whole, "{}", path.display());
            assert_eq!(written.documents.clone().to_rows(), whole);
            written.map_texts(&file).unwrap();
            assert_eq!(written.documents.to_rows(), whole);
            let bytes: usize = whole.iter().map(|d| d.text.len()).sum();
            assert_eq!(fs::metadata(&file).unwrap().len() as usize, bytes);
        }
    }

    #[test]
    fn other_columns_pass_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        fs::write(
            &path,
            "{\"id\":\"a\",\"year\":1999,\"label\":\"sport\",\"n\":3,\"text\":\"One.\"}\n\
             {\"id\":\"b\",\"year\":2001,\"label\":null,\"n\":4,\"text\":\"Two.\"}\n",
        )
        .unwrap();
        let c = ingest(&path, &IngestConfig::default()).unwrap();
        assert_eq!(c.extra_columns, ["label", "n"]);
        assert_eq!(
            c.documents.get(0).to_document().extra,
            [Some("sport".into()), Some("3".into())]
        );
        assert_eq!(
            c.documents.get(1).to_document().extra,
            [None, Some("4".into())]
        );
        let dir = corpus_dir(&[
            ("manifest.csv", b"file,date,label\na.txt,2020,politics\n"),
            ("a.txt", b"Some text."),
        ]);
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.extra_columns, ["label"]);
        assert_eq!(
            c.documents.get(0).to_document().extra,
            [Some("politics".into())]
        );
    }

    #[test]
    fn missing_text_column_lists_columns() {
        let dir = corpus_dir(&[("c.csv", b"body,year\nhello,2001\n")]);
        let e = err_of(&dir.path().join("c.csv"));
        assert!(
            e.contains("column \"text\"") && e.contains("columns: body, year"),
            "{e}"
        );
        assert!(e.contains("text_column"), "{e}");
    }

    #[test]
    fn table_row_without_text_or_bad_year_names_the_line() {
        let dir = corpus_dir(&[("c.csv", b"text,year\nhello,2001\n,2002\n")]);
        let e = err_of(&dir.path().join("c.csv"));
        assert!(e.contains("c.csv:3: column \"text\""), "{e}");
        let dir = corpus_dir(&[("c.csv", b"text,year\nhello,2001\nworld,20x2\n")]);
        let e = err_of(&dir.path().join("c.csv"));
        assert!(
            e.contains("c.csv:3: column \"year\"") && e.contains("20x2"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_files_inside_the_corpus_folder_are_read() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "top secret 2020").unwrap();
        fs::create_dir_all(outside.path().join("sub")).unwrap();
        fs::write(outside.path().join("sub/doc.txt"), "secret too").unwrap();
        let secret = outside.path().join("secret.txt");
        let secret = secret.to_str().unwrap();
        for (row, why) in [
            (
                "../secret.txt".to_string(),
                "not a path inside the corpus folder",
            ),
            (
                "../../secret.txt".to_string(),
                "not a path inside the corpus folder",
            ),
            (
                "/etc/passwd".to_string(),
                "not a path inside the corpus folder",
            ),
            (secret.to_string(), "not a path inside the corpus folder"),
            ("link.txt".to_string(), "leads outside the corpus folder"),
            (
                "linked/doc.txt".to_string(),
                "leads outside the corpus folder",
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(
                outside.path().join("secret.txt"),
                dir.path().join("link.txt"),
            )
            .unwrap();
            std::os::unix::fs::symlink(outside.path().join("sub"), dir.path().join("linked"))
                .unwrap();
            fs::write(dir.path().join("ok.txt"), "fine 2020").unwrap();
            fs::write(
                dir.path().join("manifest.csv"),
                format!("file,date\nok.txt,2020\n{row},2020\n"),
            )
            .unwrap();
            let e = ingest(dir.path(), &IngestConfig::default()).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{row}: {e}");
            let e = e.to_string();
            assert!(e.contains("manifest.csv:3: column \"file\""), "{row}: {e}");
            assert!(e.contains(why), "{row}: {e}");
            assert!(!e.contains("top secret"), "{e}");
        }
        // A link that stays inside the folder is followed.
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("texts")).unwrap();
        fs::write(dir.path().join("texts/a.txt"), "inside 2020").unwrap();
        std::os::unix::fs::symlink(dir.path().join("texts/a.txt"), dir.path().join("a.txt"))
            .unwrap();
        fs::write(dir.path().join("manifest.csv"), "file,date\na.txt,2020\n").unwrap();
        let c = ingest(dir.path(), &IngestConfig::default()).unwrap();
        assert_eq!(c.documents.get(0).text(), "inside 2020");
    }

    #[test]
    fn nested_and_list_columns_pass_through_as_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.jsonl");
        fs::write(
            &path,
            "{\"year\":1946,\"text\":\"One.\",\"meta\":{\"country_iso3\":\"ARG\",\"session\":1},\"tags\":[\"a\",\"b\"],\"big\":1e400}\n",
        )
        .unwrap();
        let c = ingest(&path, &IngestConfig::default()).unwrap();
        assert_eq!(c.extra_columns, ["meta", "tags", "big"]);
        assert_eq!(
            c.documents.get(0).to_document().extra,
            [
                Some(r#"{"country_iso3":"ARG","session":1}"#.into()),
                Some(r#"["a","b"]"#.into()),
                Some("1e400".into())
            ]
        );
    }

    #[test]
    fn a_document_id_used_twice_names_both_lines() {
        let dir = corpus_dir(&[(
            "c.jsonl",
            b"{\"id\":\"a\",\"year\":2001,\"text\":\"One.\"}\n{\"id\":\"b\",\"year\":2001,\"text\":\"Two.\"}\n{\"id\":\"a\",\"year\":2002,\"text\":\"Three.\"}\n",
        )]);
        let e = err_of(&dir.path().join("c.jsonl"));
        assert!(
            e.contains("c.jsonl:3: column \"id\"")
                && e.contains("\"a\" is used twice (first on line 1)"),
            "{e}"
        );
    }

    #[test]
    fn unreadable_tables_are_input_errors_that_say_what_to_do() {
        let cases: [(&str, &[u8], &str); 8] = [
            ("e.jsonl", b"", "no rows"),
            ("e.csv", b"", "the file is empty"),
            ("s.csv", b"text;year\nhello;2001\n", "separated by semicolons"),
            (
                "g.csv",
                b"text,year\n\"hello, world\",2001\nbad \"quote,2002,extra\n",
                "g.csv:3: this row has 3 field(s), the header 2",
            ),
            ("t.csv", b"text\tyear\nhello\t2001\n", "separated by tabs"),
            ("r.parquet", b"PAR1\x00\x13\x99garbage bytes here", "not a readable Parquet file"),
            ("a.jsonl", b"[\"text\", 2001]\n", "a.jsonl:1:"),
            (
                "h.csv",
                b"The first line of a long article that nobody gave a header to at all,2001\nmore,2002\n",
                "add a header line",
            ),
        ];
        for (name, bytes, expect) in cases {
            let dir = corpus_dir(&[(name, bytes)]);
            let e = ingest(&dir.path().join(name), &IngestConfig::default()).unwrap_err();
            assert_eq!(e.exit_code(), 3, "{name}: {e}");
            let text = e.to_string();
            assert!(text.contains(expect), "{name}: {text}");
            assert!(text.contains(name), "{name}: {text}");
            assert!(text.len() < 700, "{name}: {text}");
        }
    }

    #[test]
    fn timestamps_and_tz_aware_columns_give_the_writers_date() {
        let dir = corpus_dir(&[(
            "c.jsonl",
            b"{\"date\":\"2016-12-01T23:30:00-05:00\",\"text\":\"One.\"}\n{\"date\":\"2017-01-02 08:00:00Z\",\"text\":\"Two.\"}\n",
        )]);
        let c = ingest(&dir.path().join("c.jsonl"), &IngestConfig::default()).unwrap();
        assert_eq!(
            c.documents.get(0).date(),
            DocDate::parse("2016-12-01").unwrap()
        );
        assert_eq!(
            c.documents.get(1).date(),
            DocDate::parse("2017-01-02").unwrap()
        );
        assert!(parse_date("2016-12-01Tnonsense").is_none());
        assert!(parse_date("2016-12T08:00").is_none());

        // A Parquet datetime column with a time zone: 2021-07-12 23:30 in Shanghai is
        // 15:30 UTC the same day; 2021-07-12 20:00 in New York is 00:00 UTC the next day.
        for (tz, utc_ms, day) in [
            ("Asia/Shanghai", 1_626_103_800_000i64, "2021-07-12"),
            ("America/New_York", 1_626_134_400_000, "2021-07-12"),
            ("UTC", 1_626_134_400_000, "2021-07-13"),
        ] {
            let zone = TimeZone::opt_try_new(Some(tz)).unwrap();
            let mut df = df!("text" => ["An evening."], "date" => [utc_ms]).unwrap();
            df.apply("date", |c| {
                c.cast(&DataType::Datetime(TimeUnit::Milliseconds, zone.clone()))
                    .unwrap()
            })
            .unwrap();
            let path = dir.path().join("tz.parquet");
            let mut out = std::fs::File::create(&path).unwrap();
            ParquetWriter::new(&mut out).finish(&mut df).unwrap();
            let c = ingest(&path, &IngestConfig::default()).unwrap();
            assert_eq!(
                c.documents.get(0).date(),
                DocDate::parse(day).unwrap(),
                "{tz}"
            );
        }
    }
}
