//! The state: what [`learn`] keeps from the whole corpus, which every shard is read with.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fingerprints;
use crate::artifacts::{Corpus, Period};
use crate::config::{Config, ValidConfig};
use crate::error::{Error, Location, Result};
use crate::stages::s2_segment::{self, counts::Furniture};
use crate::stages::s3_tokenize::{self, Learnt};
use crate::stages::s6_trends::periods;

/// What a state file says it is, so that nothing else is ever read as one or replaced.
const STATE_FORMAT: &str = "topictide-state-4";

/// What [`learn`] keeps from the whole corpus: everything a shard needs to be read as the whole
/// corpus reads it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    format: String,
    /// The configuration the corpus was read under; counting and merging use it, not flags.
    pub(super) config: Config,
    /// The corpus' line counts that decide page furniture (only those that can decide).
    pub(super) furniture: Option<Furniture>,
    /// Folds, phrases and term ids.
    pub(super) learnt: Learnt,
    /// The periods from the first document's to the last one's.
    pub(super) periods: Vec<Period>,
    /// Documents of the whole corpus.
    pub(super) documents: u64,
    /// Each document's fingerprint ([`fingerprint`]), sorted: a shard's documents must be
    /// among them.
    pub(super) fingerprints: Vec<u64>,
    /// [`State::digest`], once made (the state of a large corpus is hundreds of megabytes).
    #[serde(skip)]
    digest: std::sync::OnceLock<String>,
}

impl State {
    /// The configuration the state was learnt under, validated again.
    pub fn config(&self) -> Result<ValidConfig> {
        self.config.clone().validate().map_err(|e| {
            Error::input(
                Location::file("state"),
                format!("the state's configuration is not valid: {e}"),
                "learn the state again with this version of topictide",
            )
        })
    }

    /// Documents of the corpus the state was learnt from.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// A digest of the state, which every partial counted with it carries: partials of different
    /// states cannot be merged. The state file ends with it, as its checksum.
    pub fn digest(&self) -> String {
        self.digest
            .get_or_init(|| format!("{:016x}", super::fnv1a(&self.body())))
            .clone()
    }

    /// The state as JSON, without its checksum.
    fn body(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a state serializes")
    }

    /// The state as JSON, its last field the checksum of the rest ([`State::digest`]).
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = self.body();
        json.pop(); // the object's closing brace
        json.extend_from_slice(CHECKSUM_FIELD);
        json.extend_from_slice(format!("{}\"}}", self.digest()).as_bytes());
        json
    }

    /// Reads a state written by [`State::to_json`]: its checksum must be the digest of the rest,
    /// and every number in it must stand for something it holds, so that a state damaged or
    /// edited by hand is refused before any shard is read with it.
    pub fn from_json(path: &Path, bytes: &[u8]) -> Result<State> {
        let refuse =
            |message: String, hint: &str| Error::input(Location::file(path), message, hint);
        let again = "learn the state again with `topictide learn`, and do not edit it";
        let split =
            memchr::memmem::rfind(bytes, CHECKSUM_FIELD).filter(|_| bytes.ends_with(b"\"}"));
        let Some(at) = split else {
            return Err(match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(_) => refuse("a state without a checksum".into(), again),
                Err(e) => refuse(
                    format!("not a topictide state ({e})"),
                    "give the file `topictide learn` wrote",
                ),
            });
        };
        let stored = &bytes[at + CHECKSUM_FIELD.len()..bytes.len() - 2];
        let mut body = bytes[..at].to_vec();
        body.push(b'}');
        let digest = format!("{:016x}", super::fnv1a(&body));
        if stored != digest.as_bytes() {
            return Err(refuse(
                "the state's checksum does not match its contents: it was changed after \
                 `topictide learn` wrote it, or damaged"
                    .into(),
                again,
            ));
        }
        let state: State = serde_json::from_slice(&body).map_err(|e| {
            refuse(
                format!("not a topictide state ({e})"),
                "give the file `topictide learn` wrote",
            )
        })?;
        if state.format != STATE_FORMAT {
            return Err(refuse(
                format!("a state of format {:?}, not {STATE_FORMAT:?}", state.format),
                "learn the state again with this version of topictide",
            ));
        }
        state
            .learnt
            .check()
            .map_err(|e| refuse(format!("the state is not whole: {e}"), again))?;
        let _ = state.digest.set(digest);
        Ok(state)
    }
}

/// The state file's last field, before its checksum.
const CHECKSUM_FIELD: &[u8] = b",\"checksum\":\"";

/// Step 1: reads the whole corpus under `config` and keeps what a shard needs. `folder` holds
/// the token streams while tokenize runs (see [`s3_tokenize::tokenize_in`]).
pub fn learn(config: &ValidConfig, corpus: &Corpus, folder: Option<&Path>) -> Result<State> {
    refuse_synonyms(config)?;
    let furniture = s2_segment::furniture(corpus, &config.segment);
    let passages = s2_segment::segment_with(corpus, &config.segment, furniture.as_ref());
    let (_, learnt) =
        s3_tokenize::tokenize_learning(corpus, &passages, &config.tokenize_config(), folder)
            .map_err(|e| Error::io("write", folder.unwrap_or(Path::new(".")), e))?;
    let (periods, _) = periods::assign(&corpus.documents, &config.trends)?;
    Ok(State::made(
        config,
        furniture,
        learnt,
        periods,
        fingerprints(corpus),
    ))
}

impl State {
    /// The state of what was learnt from a corpus whose documents have `fingerprints`.
    pub(super) fn made(
        config: &ValidConfig,
        furniture: Option<Furniture>,
        learnt: Learnt,
        periods: Vec<Period>,
        mut fingerprints: Vec<u64>,
    ) -> State {
        fingerprints.sort_unstable();
        // The thread count changes no count, so it is no part of the state.
        let config = Config {
            threads: None,
            ..(**config).clone()
        };
        State {
            format: STATE_FORMAT.to_string(),
            config,
            furniture,
            learnt,
            periods,
            documents: fingerprints.len() as u64,
            fingerprints,
            digest: Default::default(),
        }
    }
}

/// Synonym rules merge terms after tokenizing, which a shard cannot repeat term for term.
pub(super) fn refuse_synonyms(config: &ValidConfig) -> Result<()> {
    if config.tokenize.synonyms.is_empty() {
        return Ok(());
    }
    Err(Error::input(
        Location::file("[tokenize] synonyms"),
        "counting in shards does not apply synonym rules yet",
        "run without synonyms to count in shards, or use `topictide run`",
    ))
}

/// Whether `bytes` are a state file (its format is named in it).
pub fn is_state(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .is_ok_and(|v| v.get("format").and_then(|f| f.as_str()) == Some(STATE_FORMAT))
}
