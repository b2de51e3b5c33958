//! The hand-off types between stages, and nothing else.
//!
//! Each stage takes the artifacts of the stages before it by reference and returns its own.
//! Artifacts are plain data: no I/O, no references into other artifacts except by index
//! (a passage names its document by index, a bag names its terms by [`TermId`]). They depend
//! on no other module of the crate: stages, configuration and the command line depend on them.

mod corpus;
mod documents;
mod passages;
mod text_file;
mod tfidf;
mod time;
mod tokens;
mod topics;
mod trends;

pub use corpus::*;
pub use documents::*;
pub use passages::*;
pub use tfidf::*;
pub use time::*;
pub use tokens::*;
pub use topics::*;
pub use trends::*;

/// Index of a term in the [`Vocabulary`].
pub type TermId = u32;
