//! The stages, one module each, named so that a listing shows their order. Each takes the
//! artifacts of earlier stages (see `artifacts`) and returns its own; no stage calls another,
//! except that trends resolves tracked terms with the tokenizer's own analysis.

pub mod s1_ingest;
pub mod s2_segment;
pub mod s3_tokenize;
pub mod s4_vectorize;
pub mod s5_topics;
pub mod s6_trends;
pub mod s7_report;
