//! Process hardening for a tool that holds root keys' secrets.
//!
//! Called first thing in `main`, before any passphrase, PIN or key is read: no core file may
//! ever hold a decrypted key or a passphrase (RLIMIT_CORE 0), and the process is not
//! dumpable, so other processes of the same user cannot ptrace it or read its memory through
//! /proc (PR_SET_DUMPABLE 0).

/// Disables core dumps and ptrace/proc-mem access for this process. Failures are ignored:
/// there is nothing better to do than carry on, and both calls only take rights away.
#[allow(unsafe_code)] // setrlimit, prctl
pub fn harden_process() {
    let zero = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit reads the rlimit we pass; prctl(PR_SET_DUMPABLE, 0) takes plain
    // integers. Neither touches memory we own afterwards.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &zero);
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// Restores the default SIGPIPE action (Rust ignores it, which turns a closed pipe into an
/// error on every later print).
#[allow(unsafe_code)] // signal
pub fn default_sigpipe() {
    // SAFETY: signal(2) with a constant signal and the default handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Whether core dumps are off (for tests and `--version`-style checks).
#[allow(unsafe_code)] // getrlimit, prctl
pub fn core_dumps_disabled() -> bool {
    let mut current = libc::rlimit {
        rlim_cur: 1,
        rlim_max: 1,
    };
    // SAFETY: getrlimit writes into the struct we pass.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut current) } == 0;
    // SAFETY: prctl(PR_GET_DUMPABLE) takes no pointers.
    let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
    ok && current.rlim_cur == 0 && current.rlim_max == 0 && dumpable == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn hardening_turns_off_core_dumps() {
        super::harden_process();
        assert!(super::core_dumps_disabled());
    }
}
