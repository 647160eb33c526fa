//! Work on the second core (the CI machine, like a ceremony laptop, has two): PyPI-scale
//! metadata has checks that need not wait for each other (see README "Performance").

/// Runs `there` on a second thread while `here` runs on this one, and returns both
/// results. If the system will not give a thread, runs them one after the other: slower,
/// never a failure. A panic in either is passed on, as if both had run here.
pub fn both<A: Send, B>(there: impl Fn() -> A + Sync, here: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(
        |s| match std::thread::Builder::new().spawn_scoped(s, &there) {
            Ok(handle) => {
                let b = here();
                let a = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (a, b)
            }
            Err(_) => (there(), here()),
        },
    )
}

/// Starts `work` on a thread of its own; `None` if the system will not give a thread (the
/// caller then does the work itself).
pub fn start<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<Started<T>> {
    std::thread::Builder::new().spawn(work).ok().map(Started)
}

/// Work running on a thread of its own (see [`start`]).
pub struct Started<T>(std::thread::JoinHandle<T>);

impl<T> Started<T> {
    /// Waits for the work's result. A panic in it is passed on, as if it had run here.
    pub fn join(self) -> T {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_returns_both_results_in_order() {
        let (a, b) = super::both(|| (1..=10).sum::<u32>(), || "here");
        assert_eq!((a, b), (55, "here"));
        let started = super::start(|| 6 * 7).expect("a thread");
        assert_eq!(started.join(), 42);
    }
}
