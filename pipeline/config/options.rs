//! Options by name, as a program hands them over (Python's `topictide.run(corpus, k=8,
//! period="decade", topics={"n_init": 4})`): each is a flag's name, a top-level key, or a whole
//! table of the config file, laid over a [`Config`] and read back with the file's own rules
//! (`deny_unknown_fields`), so that a misspelt key is an error that names it.

use serde_json::{Map, Value};

use super::Config;
use crate::error::{Error, Location, Result};

/// The flags of the command line a program may use by name, and the key each sets.
const SHORT_NAMES: [(&str, &str, &str); 20] = [
    ("k", "topics", "k"),
    ("period", "trends", "period"),
    ("periods", "trends", "periods"),
    ("smoothing", "trends", "smoothing"),
    ("stratify", "trends", "stratify"),
    ("track", "trends", "track"),
    ("language", "tokenize", "language"),
    ("stem", "tokenize", "stem"),
    ("unit", "segment", "unit"),
    ("keep_boilerplate", "segment", "keep_boilerplate"),
    ("undated", "ingest", "undated"),
    ("empty", "ingest", "empty"),
    ("text", "ingest", "text_column"),
    ("date", "ingest", "date_column"),
    ("year", "ingest", "year_column"),
    ("id", "ingest", "id_column"),
    ("title", "ingest", "title_column"),
    ("source", "ingest", "source_column"),
    ("large_csv", "report", "large_csv"),
    ("passage_text", "report", "passage_text"),
];

/// The tables of the config file, which an option may give whole (as a map of their keys).
const TABLES: [&str; 7] = [
    "ingest",
    "segment",
    "tokenize",
    "vectorize",
    "topics",
    "trends",
    "report",
];

impl Config {
    /// This configuration with `options` laid over it, in their order. Each option is a flag's
    /// name (`k`, `period`, `track`, `text`, …: [`SHORT_NAMES`]), a top-level key (`seed`,
    /// `threads`), or a table of the config file given as a map, whose keys replace those it
    /// names and leave the others. A name that is none of these, or a value of the wrong kind,
    /// is an error that names the option.
    pub fn with_options(self, options: &Map<String, Value>) -> Result<Config> {
        let mut tree = serde_json::to_value(&self).expect("a configuration serializes");
        for (name, value) in options {
            let (table, key) = match SHORT_NAMES.iter().find(|(n, _, _)| n == name) {
                Some(&(_, table, key)) => (Some(table), key),
                None if TABLES.contains(&name.as_str()) => {
                    let Value::Object(keys) = value else {
                        return Err(option_error(
                            name,
                            format!("the {name} table must be given as a map of its keys"),
                        ));
                    };
                    for (key, value) in keys {
                        tree[name.as_str()][key.as_str()] = value.clone();
                    }
                    check(&tree, name)?;
                    continue;
                }
                None if name == "seed" || name == "threads" => (None, name.as_str()),
                None => return Err(unknown(name)),
            };
            match table {
                Some(table) => tree[table][key] = value.clone(),
                None => tree[key] = value.clone(),
            }
            check(&tree, name)?;
        }
        Ok(serde_json::from_value(tree).expect("checked after every option"))
    }
}

/// Reads the configuration back after option `name` was laid over it, so that an error names
/// the option that caused it.
fn check(tree: &Value, name: &str) -> Result<()> {
    serde_json::from_value::<Config>(tree.clone())
        .map(drop)
        .map_err(|e| option_error(name, e.to_string()))
}

fn option_error(name: &str, message: String) -> Error {
    Error::input(
        Location::file(format!("option {name}")),
        message,
        "give the value as the config file would (pipeline/config/stages.rs documents every key \
         with its default)",
    )
}

fn unknown(name: &str) -> Error {
    let mut names: Vec<&str> = SHORT_NAMES.iter().map(|(n, _, _)| *n).collect();
    names.extend(["seed", "threads"]);
    names.extend(TABLES);
    Error::input(
        Location::file(format!("option {name}")),
        format!("no option is called {name:?}"),
        format!("use one of {}", names.join(", ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::PeriodUnit;
    use crate::config::{AutoK, TopicCount};

    fn options(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn flags_tables_and_top_level_keys_set_what_the_file_would() {
        let c = Config::default()
            .with_options(&options(
                r#"{"k": 7, "period": "decade", "seed": 3, "text": "body",
                    "topics": {"n_init": 2}, "track": ["data security"], "large_csv": true,
                    "passage_text": true}"#,
            ))
            .unwrap();
        assert!(c.report.large_csv && c.report.passage_text);
        assert_eq!(c.topics.k, TopicCount::Fixed(7));
        assert_eq!(c.topics.n_init, Some(2));
        assert_eq!(c.trends.period, PeriodUnit::Decade);
        assert_eq!(c.trends.track, ["data security"]);
        assert_eq!(c.ingest.text_column, "body");
        assert_eq!(c.seed, 3);
        // What no option names keeps its value.
        assert_eq!(c.ingest.date_column, Config::default().ingest.date_column);
        let auto = Config::default()
            .with_options(&options(r#"{"k": "auto"}"#))
            .unwrap();
        assert!(matches!(auto.topics.k, TopicCount::Auto(AutoK::Auto)));
    }

    #[test]
    fn a_misspelt_option_or_key_or_a_wrong_value_names_the_option() {
        for (json, names) in [
            (r#"{"kk": 7}"#, "option kk"),
            (r#"{"topics": {"kk": 7}}"#, "option topics"),
            (r#"{"period": "fortnight"}"#, "option period"),
            (r#"{"topics": 7}"#, "option topics"),
            (r#"{"seed": "x"}"#, "option seed"),
        ] {
            let e = Config::default()
                .with_options(&options(json))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(names), "{json}: {e}");
        }
    }
}
