//! The library's one error type. Loading rules and reading files can fail;
//! running the pipeline on a decoded document cannot.

use std::path::PathBuf;

/// Everything that can go wrong before a document reaches the pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A rule file is malformed: bad syntax, an unknown key, a bad regex,
    /// a duplicate id or alias, or an example its rule does not reproduce.
    #[error("{file}:{line}: {msg}")]
    Rule {
        /// The rule file, as named to the user.
        file: String,
        /// 1-based line, or 0 when no line is known.
        line: usize,
        /// The problem.
        msg: String,
    },
    /// Output could not be rendered in the chosen format.
    #[error("rendering {format}: {msg}")]
    Render {
        /// The format.
        format: &'static str,
        /// The problem.
        msg: String,
    },
    /// An input is not usable text (binary, undecodable, …).
    #[error("{source_name}: {msg}")]
    Input {
        /// The input, as named to the user.
        source_name: String,
        /// The problem.
        msg: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A rule error at a 1-based line of `file`.
    pub(crate) fn rule(file: &str, line: usize, msg: impl Into<String>) -> Self {
        Error::Rule {
            file: file.to_string(),
            line,
            msg: msg.into(),
        }
    }
}
