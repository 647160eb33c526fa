//! The error every document reader shares: what is wrong, and where (a JSON path such as
//! `$.signed.roles.root.threshold`). Keys, metadata and the tool's own files all report
//! through it, so it sits below all of them; the caller adds the file name
//! (the command's error, `Error::Format`).

/// What is wrong with a document, and where (a JSON path such as
/// `$.signed.roles.root.threshold`). The caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct FormatError {
    pub path: String,
    pub problem: String,
}

impl FormatError {
    pub fn new(path: &str, problem: impl Into<String>) -> FormatError {
        FormatError {
            path: path.to_string(),
            problem: problem.into(),
        }
    }
}
