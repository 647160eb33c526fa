//! Named crash points for the interruption tests (a ceremony interrupted at any
//! point resumes). When `TUF_CEREMONY_CRASH_AT` names a point, the process aborts there
//! at once, as a power cut or `kill -9` would: no destructor runs, nothing is flushed.
//! It can only make the tool stop; it never changes what is written.

/// Aborts the process if the environment names this crash point.
pub fn point(name: &str) {
    if std::env::var_os("TUF_CEREMONY_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// Counts the steps of every file write (see `fsutil`). When `TUF_CEREMONY_KILL_AT_STEP=N`,
/// the process sends itself SIGKILL at the N-th step, so a test can stop a command between
/// any two of the system calls that make a write durable, as a power cut would.
#[allow(unsafe_code)] // kill
pub fn step() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static STEPS: AtomicUsize = AtomicUsize::new(0);
    let Some(target) = std::env::var_os("TUF_CEREMONY_KILL_AT_STEP") else {
        return;
    };
    let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
    if target.to_str().and_then(|t| t.parse::<usize>().ok()) == Some(n) {
        // SAFETY: kill(2) on our own pid with a constant signal.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}
