//! Named crash points for the interruption tests (issue: "a ceremony interrupted at any
//! point resumes"). When `TUF_CEREMONY_CRASH_AT` names a point, the process aborts there
//! at once, as a power cut or `kill -9` would: no destructor runs, nothing is flushed.
//! It can only make the tool stop; it never changes what is written.

/// Aborts the process if the environment names this crash point.
pub fn point(name: &str) {
    if std::env::var_os("TUF_CEREMONY_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}
