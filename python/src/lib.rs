//! `topictide._native`: the pipeline's entry points for Python. Tables come in through the Arrow
//! C stream interface (`__arrow_c_stream__`: a pyarrow Table or RecordBatchReader, a polars
//! DataFrame, a Spark batch) and are read by polars-arrow's FFI into the polars frame that
//! ingest reads, row by row as it reads a table file. Errors become exceptions that carry the
//! command line's message, kind and exit code, and the file, line and column they concern.
//!
//! What Python adds (`python/topictide/`) is glue only: paths, the result object, engines.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use polars::prelude::{Column, DataFrame, PlSmallStr, Series};
use polars_arrow::array::{Array, StructArray};
use polars_arrow::datatypes::ArrowDataType;
use polars_arrow::ffi;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule};
use rayon::prelude::*;
use topictide::error::Location;
use topictide::run::Progress;
use topictide::shard::engine::Engine;
use topictide::shard::{self, passes, State};
use topictide::stages::s1_ingest;
use topictide::{Config, Error, RunPaths, ValidConfig};

/// Rust's allocations in this module go to mimalloc, as the command's do (`pipeline/main.rs`):
/// with the system's allocator, the driver's fit on UNGD took 9 s where the command takes 6.6 s
/// (its large buffers are mapped and zeroed anew each time). Python's objects keep Python's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _native,
    TopictideError,
    PyException,
    "A run stopped; `kind`, `exit_code`, `hint`, `file`, `line` and `column` say why and where."
);
create_exception!(
    _native,
    InputError,
    TopictideError,
    "The corpus or a file the run reads is wrong (the command line's exit code 3)."
);
create_exception!(
    _native,
    ConfigError,
    TopictideError,
    "An option or the config file is out of range (the command line's exit code 3)."
);
create_exception!(
    _native,
    WriteError,
    TopictideError,
    "Reading or writing a file failed (the command line's exit code 4)."
);
create_exception!(
    _native,
    InternalError,
    TopictideError,
    "A bug in topictide (the command line's exit code 5)."
);

/// The exception for `e`, with what the command line prints as its message and the parts of
/// it as attributes.
fn exception(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let (err, kind) = match &e {
        Error::Input { .. } => (InputError::new_err(message), "input"),
        Error::Config(_) => (ConfigError::new_err(message), "config"),
        Error::Io { .. } | Error::Table { .. } => (WriteError::new_err(message), "io"),
        Error::Memory { .. } => (WriteError::new_err(message), "memory"),
        Error::Internal(_) => (InternalError::new_err(message), "internal"),
    };
    let value = err.value(py);
    let (location, hint): (Option<&Location>, Option<&str>) = match &e {
        Error::Input { location, hint, .. } => (Some(location), Some(hint)),
        _ => (None, None),
    };
    let path = match &e {
        Error::Io { path, .. } | Error::Table { path, .. } => Some(path.display().to_string()),
        _ => location.map(|l| l.path.display().to_string()),
    };
    // Setting an attribute on a fresh exception cannot fail; if it did, the message still
    // says everything.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("exit_code", e.exit_code());
    let _ = value.setattr("hint", hint);
    let _ = value.setattr("file", path);
    let _ = value.setattr("line", location.and_then(|l| l.line));
    let _ = value.setattr("column", location.and_then(|l| l.column.clone()));
    err
}

/// A Python object that hands over a table: anything with `__arrow_c_stream__`.
fn is_table(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    obj.hasattr("__arrow_c_stream__")
}

/// Reads a table through the Arrow C stream interface into a polars frame, every batch.
fn import_table(obj: &Bound<'_, PyAny>) -> PyResult<DataFrame> {
    let py = obj.py();
    let capsule: Bound<'_, PyCapsule> = obj.call_method0("__arrow_c_stream__")?.cast_into()?;
    let pointer = capsule
        .pointer_checked(Some(c"arrow_array_stream"))?
        .cast::<ffi::ArrowArrayStream>();
    // The stream moves out of the capsule, which keeps a released one (its destructor then
    // does nothing), as the PyCapsule interface asks of a consumer.
    let stream = unsafe { std::ptr::replace(pointer.as_ptr(), ffi::ArrowArrayStream::empty()) };
    let unreadable = |what: &str, e: &dyn std::fmt::Display| {
        exception(
            py,
            Error::input(
                Location::file("table"),
                format!("cannot read the Arrow table: {what}: {e}"),
                "hand over a pyarrow Table, a polars DataFrame or another object with \
                 __arrow_c_stream__",
            ),
        )
    };
    let mut reader = unsafe { ffi::ArrowArrayStreamReader::try_new(Box::new(stream)) }
        .map_err(|e| unreadable("its schema", &e))?;
    let ArrowDataType::Struct(fields) = reader.field().dtype().clone() else {
        return Err(unreadable("its batches", &"they are not tables of columns"));
    };
    let mut chunks: Vec<Vec<Box<dyn Array>>> = vec![Vec::new(); fields.len()];
    while let Some(batch) = unsafe { reader.next() } {
        let batch = batch.map_err(|e| unreadable("a batch", &e))?;
        let table = batch
            .as_any()
            .downcast_ref::<StructArray>()
            .ok_or_else(|| unreadable("a batch", &"not a table of columns"))?;
        for (column, values) in chunks.iter_mut().zip(table.values()) {
            column.push(values.clone());
        }
    }
    let mut columns = Vec::with_capacity(fields.len());
    for (field, column) in fields.iter().zip(chunks) {
        let name: PlSmallStr = field.name.clone();
        let series = if column.is_empty() {
            let dtype = polars::prelude::DataType::from_arrow_field(field);
            Series::new_empty(name, &dtype)
        } else {
            Series::try_from((name, column)).map_err(|e| unreadable(&field.name, &e))?
        };
        columns.push(Column::from(series));
    }
    DataFrame::new_infer_height(columns).map_err(|e| unreadable("its columns", &e))
}

/// The configuration of a run on `corpus`: the config file given, or (for a folder) the
/// folder's own, with `options` (a JSON object of options by name) laid over it and every rule
/// checked. `language = "auto"` reads the corpus and takes its one language, as
/// `--language auto` does.
fn configuration(
    corpus: &Corpus,
    config_file: Option<&Path>,
    options: &str,
) -> topictide::Result<ValidConfig> {
    let config = match (corpus, config_file) {
        (Corpus::Path(corpus), file) => Config::for_corpus(corpus, file)?,
        (Corpus::Table(..), Some(file)) => {
            let mut c = Config::from_file(file)?;
            c.read_user_dictionary(None)?;
            c
        }
        (Corpus::Table(..), None) => Config::default(),
    };
    let mut options: serde_json::Map<String, serde_json::Value> = serde_json::from_str(options)
        .map_err(|e| Error::Internal(format!("options are not a JSON object: {e}")))?;
    let auto = options.get("language").and_then(|l| l.as_str()) == Some("auto");
    if auto {
        options.remove("language");
    }
    let mut config = config.with_options(&options)?;
    if auto {
        let read = read_corpus(corpus, &config.clone().validate()?)?;
        config.tokenize.language = topictide::run::detect_language(&read)?.0;
    }
    Ok(config.validate()?)
}

/// What a corpus argument is: a path, or a table in memory with the name it goes by.
enum Corpus {
    Path(PathBuf),
    Table(DataFrame, PathBuf),
}

fn corpus_argument(obj: &Bound<'_, PyAny>, name: Option<String>) -> PyResult<Corpus> {
    if is_table(obj)? {
        let name = name.unwrap_or_else(|| "table".to_string());
        return Ok(Corpus::Table(import_table(obj)?, name.into()));
    }
    Ok(Corpus::Path(obj.extract()?))
}

/// Runs the whole pipeline on `corpus` (a path, or a table) and writes the report into `out`.
/// Returns the run's wall time in seconds.
#[pyfunction]
#[pyo3(signature = (corpus, out, options="{}", config_file=None, name=None, progress=false))]
fn run(
    py: Python<'_>,
    corpus: &Bound<'_, PyAny>,
    out: PathBuf,
    options: &str,
    config_file: Option<PathBuf>,
    name: Option<String>,
    progress: bool,
) -> PyResult<f64> {
    let corpus = corpus_argument(corpus, name)?;
    let progress = if progress {
        Progress::Lines
    } else {
        Progress::Quiet
    };
    let result = py.detach(|| match &corpus {
        Corpus::Path(path) => {
            let config = configuration(&corpus, config_file.as_deref(), options)?;
            let paths = RunPaths {
                corpus: path.clone(),
                out,
            };
            topictide::run::run(&config, &paths, progress)
        }
        Corpus::Table(table, name) => {
            let config = configuration(&corpus, config_file.as_deref(), options)?;
            let paths = RunPaths {
                corpus: name.clone(),
                out,
            };
            topictide::run::run_frame(&config, table, &paths, progress)
        }
    });
    result
        .map(|summary| summary.total_seconds)
        .map_err(|e| exception(py, e))
}

/// Reads the documents of a shard or corpus under the state's (or given) configuration.
fn read_corpus(
    corpus: &Corpus,
    config: &ValidConfig,
) -> topictide::Result<topictide::artifacts::Corpus> {
    use topictide::stages::s1_ingest;
    match corpus {
        Corpus::Path(path) => s1_ingest::ingest(path, &config.ingest),
        Corpus::Table(table, name) => s1_ingest::ingest_frame(table, name, &config.ingest),
    }
}

/// A shard of a corpus: with `rows_before`, a table's rows numbered in the whole table (the
/// rows before come from other shards: `s1_ingest::ingest_shard`), which may leave every row
/// out; otherwise read as a corpus of its own.
fn read_shard(
    corpus: &Corpus,
    rows_before: Option<usize>,
    config: &ValidConfig,
) -> topictide::Result<topictide::artifacts::Corpus> {
    match (corpus, rows_before) {
        (Corpus::Table(table, name), Some(before)) => {
            s1_ingest::ingest_shard(table, name, before, &config.ingest)
        }
        _ => read_corpus(corpus, config),
    }
}

/// Step 1 of a run in shards: reads the whole corpus and returns the state (JSON bytes) that
/// `count` and `merge` read.
#[pyfunction]
#[pyo3(signature = (corpus, options="{}", config_file=None, name=None))]
fn learn<'py>(
    py: Python<'py>,
    corpus: &Bound<'py, PyAny>,
    options: &str,
    config_file: Option<PathBuf>,
    name: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let corpus = corpus_argument(corpus, name)?;
    let state = py.detach(|| -> topictide::Result<Vec<u8>> {
        let config = configuration(&corpus, config_file.as_deref(), options)?;
        let documents = read_corpus(&corpus, &config)?;
        Ok(shard::learn(&config, &documents, None)?.to_json())
    });
    let state = state.map_err(|e| exception(py, e))?;
    Ok(PyBytes::new(py, &state))
}

fn read_state(bytes: &[u8]) -> topictide::Result<State> {
    State::from_json(Path::new("state"), bytes)
}

/// A state read once and kept: a worker counts every shard it is handed with it, without
/// reading the state's JSON again (on UNGD, 35 MB).
#[pyclass(frozen, name = "State", module = "topictide._native")]
struct LoadedState(State);

#[pymethods]
impl LoadedState {
    /// Reads a state from the JSON bytes `learn` gave.
    #[new]
    fn new(py: Python<'_>, state: &[u8]) -> PyResult<Self> {
        py.detach(|| read_state(state))
            .map(LoadedState)
            .map_err(|e| exception(py, e))
    }

    /// The state's digest, which every partial counted with it carries.
    #[getter]
    fn digest(&self) -> String {
        self.0.digest()
    }

    /// Documents of the corpus the state was learnt from.
    #[getter]
    fn documents(&self) -> u64 {
        self.0.documents()
    }
}

/// Step 2, the map: counts a shard (a path or a table of some of the corpus' documents) with
/// the state (JSON bytes, or a `State` already read), and returns its partial counts as the
/// Parquet bytes `topictide merge` reads.
#[pyfunction]
#[pyo3(signature = (state, shard, name=None))]
fn count<'py>(
    py: Python<'py>,
    state: &Bound<'py, PyAny>,
    shard: &Bound<'py, PyAny>,
    name: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let loaded;
    let state: &State = match state.cast::<LoadedState>() {
        Ok(s) => &s.get().0,
        Err(_) => {
            let bytes = state.cast::<PyBytes>()?.as_bytes();
            loaded = py
                .detach(|| read_state(bytes))
                .map_err(|e| exception(py, e))?;
            &loaded
        }
    };
    let corpus = corpus_argument(shard, name)?;
    let partial = py.detach(|| -> topictide::Result<Vec<u8>> {
        let config = state.config()?;
        let documents = read_corpus(&corpus, &config)?;
        shard::to_parquet(&shard::count(state, &documents)?)
    });
    let partial = partial.map_err(|e| exception(py, e))?;
    Ok(PyBytes::new(py, &partial))
}

/// The configuration of learning in shards: the config file given, with `options` laid over
/// it. The language must be named: detecting it reads the whole corpus on one machine.
fn learning_configuration(
    config_file: Option<&Path>,
    options: &str,
) -> topictide::Result<ValidConfig> {
    let options_map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(options)
        .map_err(|e| Error::Internal(format!("options are not a JSON object: {e}")))?;
    if options_map.get("language").and_then(|l| l.as_str()) == Some("auto") {
        return Err(Error::input(
            Location::file("options"),
            "language=\"auto\" reads the whole corpus on one machine, which learning in shards \
             does not",
            "name the corpus' language (language=\"english\"), or detect it on a sample first",
        ));
    }
    let empty = Corpus::Table(DataFrame::empty(), PathBuf::from("table"));
    configuration(&empty, config_file, options)
}

/// Learning the state in shards, between passes (`topictide.spark.learn` drives it): each
/// pass, every shard is counted with `count`, the summaries are added with `merge`, and
/// `decide` takes the sum; `state` gives the state once `pass_name` is `None`.
#[pyclass(name = "Learning", module = "topictide._native")]
struct PyLearning(shard::Learning);

impl PyLearning {
    /// Reads a shard's documents under the learning's configuration and gives what `work`
    /// makes of them, as bytes; the GIL is released meanwhile.
    fn with_shard<'py>(
        &self,
        py: Python<'py>,
        documents: &Bound<'py, PyAny>,
        (name, rows_before): (Option<String>, Option<usize>),
        work: impl FnOnce(&shard::Learning, &topictide::artifacts::Corpus) -> topictide::Result<Vec<u8>>
            + Send,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let corpus = corpus_argument(documents, name)?;
        let learning = &self.0;
        let bytes = py.detach(|| {
            let config = learning.config()?;
            work(learning, &read_shard(&corpus, rows_before, &config)?)
        });
        let bytes = bytes.map_err(|e| exception(py, e))?;
        Ok(PyBytes::new(py, &bytes))
    }
}

#[pymethods]
impl PyLearning {
    /// Learning under the config file and options (JSON), as `learn` takes them.
    #[new]
    #[pyo3(signature = (options="{}", config_file=None))]
    fn new(py: Python<'_>, options: &str, config_file: Option<PathBuf>) -> PyResult<Self> {
        py.detach(|| {
            let config = learning_configuration(config_file.as_deref(), options)?;
            shard::Learning::new(&config)
        })
        .map(PyLearning)
        .map_err(|e| exception(py, e))
    }

    /// A learning read back from `to_bytes`.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, bytes: &[u8]) -> PyResult<Self> {
        py.detach(|| shard::Learning::from_json(bytes))
            .map(PyLearning)
            .map_err(|e| exception(py, e))
    }

    /// The learning as bytes (JSON), to send to the workers of the next pass.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_json())
    }

    /// The pass the shards count next ("lines", "words", "folds", "streams", "phrases of 3
    /// words", "forms"), or `None` once the state is made.
    #[getter]
    fn pass_name(&self) -> Option<String> {
        self.0.pass()
    }

    /// Counts this pass over a shard (a path or a table of some of the corpus' documents);
    /// `shard` is its place among the shards, in corpus order. Gives the summary's bytes.
    /// With `rows_before` (a table's rows that come before this one's in the table called
    /// `name`), the rows are numbered in the whole table, in messages too.
    #[pyo3(signature = (documents, shard, name=None, rows_before=None))]
    fn count<'py>(
        &self,
        py: Python<'py>,
        documents: &Bound<'py, PyAny>,
        shard: u32,
        name: Option<String>,
        rows_before: Option<usize>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        self.with_shard(py, documents, (name, rows_before), |learning, documents| {
            Ok(learning.count(documents, shard)?.to_bytes())
        })
    }

    /// Reads a shard once the lines are counted, for the later passes to count from
    /// (`count_read`) without reading the texts again. Gives the read shard's bytes.
    #[pyo3(signature = (documents, shard, name=None))]
    fn read<'py>(
        &self,
        py: Python<'py>,
        documents: &Bound<'py, PyAny>,
        shard: u32,
        name: Option<String>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        self.with_shard(py, documents, (name, None), |learning, documents| {
            Ok(learning.read(documents, shard)?.to_bytes())
        })
    }

    /// Reads a shard once the lines are counted, as `read` does, and keeps it in this process
    /// for the later passes to count from (`count_kept`). With `rows_before` (a table's rows
    /// that come before this one's in the table called `name`), the rows are numbered in the
    /// whole table, and the read keeps its documents and passages for `Work.from_read`.
    #[pyo3(signature = (documents, shard, name=None, rows_before=None))]
    fn read_kept(
        &self,
        py: Python<'_>,
        documents: &Bound<'_, PyAny>,
        shard: u32,
        name: Option<String>,
        rows_before: Option<usize>,
    ) -> PyResult<KeptRead> {
        let corpus = corpus_argument(documents, name)?;
        let learning = &self.0;
        py.detach(|| {
            let config = learning.config()?;
            let documents = read_shard(&corpus, rows_before, &config)?;
            if rows_before.is_some() {
                let (read, passages) = learning.read_segmented(&documents, shard)?;
                Ok(KeptRead(read, Mutex::new(Some((documents, passages)))))
            } else {
                Ok(KeptRead(
                    learning.read(&documents, shard)?,
                    Mutex::new(None),
                ))
            }
        })
        .map_err(|e| exception(py, e))
    }

    /// Counts this pass over shards `read_kept` gave, at once. Gives the bytes of their
    /// summaries' sum, which is encoded once.
    #[pyo3(signature = (*reads))]
    fn count_kept<'py>(
        &self,
        py: Python<'py>,
        reads: Vec<PyRef<'py, KeptRead>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let learning = &self.0;
        let reads: Vec<&KeptRead> = reads.iter().map(|r| &**r).collect();
        side_by_side(
            py,
            &reads,
            |read| learning.count_read(&read.0),
            |a, b| a.merge(b, learning),
            |sum| Ok(sum.to_bytes()),
        )
    }

    /// Counts this pass over a shard `read` gave (its bytes). Gives the summary's bytes.
    fn count_read<'py>(&self, py: Python<'py>, read: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let learning = &self.0;
        let summary = py.detach(|| -> topictide::Result<Vec<u8>> {
            let read = shard::ReadShard::from_bytes(read)?;
            Ok(learning.count_read(&read)?.to_bytes())
        });
        let summary = summary.map_err(|e| exception(py, e))?;
        Ok(PyBytes::new(py, &summary))
    }

    /// The sum of summaries of this pass (any order, any grouping).
    #[pyo3(signature = (*summaries))]
    fn merge<'py>(
        &self,
        py: Python<'py>,
        summaries: Vec<Vec<u8>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let learning = &self.0;
        let sum = py.detach(|| Ok(summed(learning, &summaries)?.to_bytes()));
        let sum = sum.map_err(|e| exception(py, e))?;
        Ok(PyBytes::new(py, &sum))
    }

    /// Decides from every shard's summary of this pass, summed (given in groups of shards,
    /// every shard once), and moves to the next.
    #[pyo3(signature = (*summaries))]
    fn decide(&mut self, py: Python<'_>, summaries: Vec<Vec<u8>>) -> PyResult<()> {
        let learning = &mut self.0;
        py.detach(|| {
            let sum = summed(learning, &summaries)?;
            learning.decide(sum)
        })
        .map_err(|e| exception(py, e))
    }

    /// The state (JSON bytes, as `learn` gives it), once every pass is done.
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let learning = &self.0;
        let state = py.detach(|| learning.state().map(|s| s.to_json()));
        let state = state.map_err(|e| exception(py, e))?;
        Ok(PyBytes::new(py, &state))
    }
}

/// A shard read by `Learning.read_kept`, kept by the worker that read it; and its documents
/// and passages when they were read to be kept, until `Work.from_read` takes them.
#[pyclass(frozen, name = "KeptRead", module = "topictide._native")]
struct KeptRead(
    shard::ReadShard,
    Mutex<Option<(topictide::artifacts::Corpus, topictide::artifacts::Passages)>>,
);

/// Step 3: sums partials (Parquet bytes, in any order and grouping) into one partial.
#[pyfunction]
fn merge<'py>(py: Python<'py>, partials: Vec<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    let merged = py.detach(|| -> topictide::Result<Vec<u8>> {
        let mut merged: Option<shard::Partial> = None;
        for (i, bytes) in partials.iter().enumerate() {
            let p = shard::partial_from_parquet(&format!("partial {i}"), bytes)?;
            merged = Some(match merged {
                None => p,
                Some(m) => m.merge(p)?,
            });
        }
        let merged = merged.ok_or_else(|| {
            Error::input(
                Location::file("partials"),
                "no partials to merge",
                "give every shard's partial counts, each once",
            )
        })?;
        shard::to_parquet(&merged)
    });
    let merged = merged.map_err(|e| exception(py, e))?;
    Ok(PyBytes::new(py, &merged))
}

/// Writes the counting tables of merged partial counts into `out` (tables/ and run.json), as
/// `topictide merge` does.
#[pyfunction]
fn tables(py: Python<'_>, state: &[u8], partial: &[u8], out: PathBuf) -> PyResult<()> {
    let result = py.detach(|| -> topictide::Result<()> {
        let state = read_state(state)?;
        let merged = shard::partial_from_parquet("partial", partial)?;
        let about = serde_json::json!({"command": "merge"});
        shard::write_tables(&state, &merged, &out, about, std::time::Instant::now())?;
        Ok(())
    });
    result.map_err(|e| exception(py, e))
}

/// A shard read with the state for counting and the passes after it (`shard::work::Work`):
/// an engine's worker reads its partition once, counts it, and answers every pass' request
/// from it once the driver has placed it.
#[pyclass(name = "Work", module = "topictide._native")]
struct PyWork(shard::work::Work);

#[pymethods]
impl PyWork {
    /// Reads `documents` (a table: a partition's rows) with the state; `rows_before` rows come
    /// before its own in the table called `name`.
    #[new]
    fn new(
        py: Python<'_>,
        state: &LoadedState,
        documents: &Bound<'_, PyAny>,
        rows_before: usize,
        name: PathBuf,
    ) -> PyResult<Self> {
        let table = import_table(documents)?;
        let state = &state.0;
        py.detach(|| -> topictide::Result<shard::work::Work> {
            let config = state.config()?;
            let corpus = s1_ingest::ingest_shard(&table, &name, rows_before, &config.ingest)?;
            shard::work::Work::new(state, corpus, passes::At::default())
        })
        .map(PyWork)
        .map_err(|e| exception(py, e))
    }

    /// Reads with the state the documents and passages that `read` (a `KeptRead` made with
    /// `rows_before`) kept, which it gives up: the shard as `Work(…)` reads it from the same
    /// rows, without reading or cutting the texts again.
    #[staticmethod]
    fn from_read(py: Python<'_>, state: &LoadedState, read: &KeptRead) -> PyResult<Self> {
        let kept = read.1.lock().map(|mut kept| kept.take()).ok().flatten();
        let Some((corpus, passages)) = kept else {
            return Err(exception(
                py,
                Error::Internal(
                    "the read keeps no documents (read without rows_before, or taken)".into(),
                ),
            ));
        };
        let state = &state.0;
        py.detach(|| shard::work::Work::segmented(state, corpus, passages, passes::At::default()))
            .map(PyWork)
            .map_err(|e| exception(py, e))
    }

    /// The shard's documents and passages, as its partial counts them: the driver's prefix
    /// sums of them, in shard order, place every shard in the corpus.
    #[getter]
    fn sizes(&self) -> (u64, u64) {
        (self.0.documents(), self.0.passages())
    }

    /// The shards' partial counts summed, as the Parquet bytes `count` gives: a worker
    /// sends one partial for every shard it holds, encoded once.
    #[staticmethod]
    fn count_all<'py>(
        py: Python<'py>,
        works: Vec<PyRef<'py, PyWork>>,
        state: &LoadedState,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let works: Vec<&shard::work::Work> = works.iter().map(|w| &w.0).collect();
        let state = &state.0;
        side_by_side(
            py,
            &works,
            |w| w.count(state),
            |a, b| a.merge(b),
            |sum| shard::to_parquet(&sum),
        )
    }

    /// Places the shard: `shard` among the shards, in corpus order, its first document and
    /// first passage `first_doc` and `first_passage` in the corpus.
    fn place(&mut self, shard: u64, first_doc: u64, first_passage: u64) {
        self.0.place(passes::At {
            shard,
            first_doc,
            first_passage,
        });
    }

    /// The shards' answers to `request`, merged, as bytes: a worker sends one answer for
    /// every shard it holds, encoded once.
    #[staticmethod]
    fn answer_all<'py>(
        py: Python<'py>,
        works: Vec<PyRef<'py, PyWork>>,
        request: &PyRequest,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let works: Vec<&shard::work::Work> = works.iter().map(|w| &w.0).collect();
        let request = &request.0;
        side_by_side(
            py,
            &works,
            |w| w.answer(request),
            |a, b| a.merge(b),
            |merged| Ok(merged.to_bytes()),
        )
    }
}

/// A pass' request, read once from its bytes: a worker answers it for every shard it holds.
#[pyclass(frozen, name = "Request", module = "topictide._native")]
struct PyRequest(passes::Request);

#[pymethods]
impl PyRequest {
    #[new]
    fn new(py: Python<'_>, request: &[u8]) -> PyResult<Self> {
        py.detach(|| passes::Request::from_bytes(request))
            .map(PyRequest)
            .map_err(|e| exception(py, e))
    }
}

/// The sum of summaries of the learning's pass (their bytes).
fn summed(learning: &shard::Learning, summaries: &[Vec<u8>]) -> topictide::Result<shard::Summary> {
    let summaries = summaries.iter().map(|s| shard::Summary::from_bytes(s));
    let sum = summaries.reduce(|a, b| a?.merge(b?, learning));
    sum.ok_or_else(|| nothing("summaries"))?
}

/// What `each` gives for every item, side by side (rayon), merged and encoded once: a worker
/// sends one answer for all the shards it holds.
fn side_by_side<'py, I: Sync, T: Send>(
    py: Python<'py>,
    items: &[&I],
    each: impl Fn(&I) -> topictide::Result<T> + Sync + Send,
    merge: impl Fn(T, T) -> topictide::Result<T> + Sync + Send,
    encode: impl FnOnce(T) -> topictide::Result<Vec<u8>> + Send,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py.detach(|| -> topictide::Result<Vec<u8>> {
        let answers = items.par_iter().map(|item| each(item));
        let answers = answers.collect::<topictide::Result<Vec<_>>>()?;
        let merged = answers.into_iter().map(Ok).reduce(|a, b| merge(a?, b?));
        encode(merged.ok_or_else(|| nothing("shards"))??)
    });
    let bytes = bytes.map_err(|e| exception(py, e))?;
    Ok(PyBytes::new(py, &bytes))
}

/// The error of a call given nothing to work on.
fn nothing(what: &str) -> Error {
    Error::Internal(format!("no {what} given"))
}

/// The merge of answers (bytes) to one request, from any shards, in any order.
#[pyfunction]
#[pyo3(signature = (*answers))]
fn merge_answers<'py>(py: Python<'py>, answers: Vec<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    let merged = py.detach(|| -> topictide::Result<Vec<u8>> {
        let answers = answers.iter().map(|a| passes::Answer::from_bytes(a));
        let merged = answers.reduce(|a, b| a?.merge(b?));
        Ok(merged.ok_or_else(|| nothing("answers"))??.to_bytes())
    });
    let merged = merged.map_err(|e| exception(py, e))?;
    Ok(PyBytes::new(py, &merged))
}

/// An engine whose passes a Python callable runs: it takes the pass' name and its request's
/// bytes, and gives a list of answers' bytes, whose merge is the pass' answer. The first
/// exception it raises is kept, to be raised again as it was once the run stops.
struct PyEngine {
    run: Py<PyAny>,
    raised: std::sync::Mutex<Option<PyErr>>,
}

impl Engine for PyEngine {
    fn run(&self, pass: &str, request: &[u8]) -> topictide::Result<Vec<Vec<u8>>> {
        Python::attach(|py| {
            let answers = self
                .run
                .call1(py, (pass, PyBytes::new(py, request)))
                .and_then(|a| a.bind(py).extract::<Vec<Vec<u8>>>());
            answers.map_err(|e| {
                let message = e.to_string();
                self.raised.lock().expect("not poisoned").get_or_insert(e);
                Error::Internal(format!("the engine failed in the {pass} pass: {message}"))
            })
        })
    }
}

/// The whole run's report from an engine's shards (`shard::whole::report`): the state, the
/// shards' partial counts (a list of Parquet bytes, each of some of the shards, every shard
/// once), and `engine`, a callable that runs a pass over every shard ((pass name, request
/// bytes) → a list of answers' bytes, merged here). Writes into `out` what `topictide run`
/// writes for the corpus called `name`.
#[pyfunction]
fn report(
    py: Python<'_>,
    state: &LoadedState,
    partials: Vec<Vec<u8>>,
    engine: Py<PyAny>,
    name: PathBuf,
    out: PathBuf,
) -> PyResult<()> {
    let engine = PyEngine {
        run: engine,
        raised: std::sync::Mutex::new(None),
    };
    let state = &state.0;
    let result = py.detach(|| -> topictide::Result<()> {
        let partials = partials.iter().enumerate();
        let partials =
            partials.map(|(i, p)| shard::partial_from_parquet(&format!("partial {i}"), p));
        let merged = partials.reduce(|a, b| a?.merge(b?));
        let merged = merged.ok_or_else(|| nothing("partials"))??;
        // What the report writes (large CSV copies, the passages' text) is in the state's
        // configuration.
        shard::whole::report(state, &merged, &engine, &name, &out, &Default::default())
    });
    result.map_err(|e| {
        let raised = engine.raised.lock().expect("not poisoned").take();
        raised.unwrap_or_else(|| exception(py, e))
    })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(learn, m)?)?;
    m.add_function(wrap_pyfunction!(count, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(tables, m)?)?;
    m.add_function(wrap_pyfunction!(merge_answers, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_class::<PyWork>()?;
    m.add_class::<PyRequest>()?;
    m.add_class::<KeptRead>()?;
    m.add_class::<LoadedState>()?;
    m.add_class::<PyLearning>()?;
    m.add("TopictideError", py.get_type::<TopictideError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("WriteError", py.get_type::<WriteError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
