//! The shared scene layer: commands written as one line of words, and ceremonies set up
//! in one call, so that a test reads as the scenario it checks.
//!
//! A command is given as the words a keyholder would type, split on white space
//! (`s.c("sign root --signer file:alice.key --yes")`); an argument that holds white space
//! goes through [`Scene::run`] with a slice instead.

use crate::util::{failed, ok, Scene};
use std::process::Output;

/// The words of a command line, split on white space.
pub fn w(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// The words of `line` run in ceremony folder `c`.
fn in_c(line: &str) -> Vec<&str> {
    let mut args = vec!["-C", "c"];
    args.extend(w(line));
    args
}

impl Scene {
    /// Runs `line` in the scene folder; asserts success; returns stdout.
    pub fn cmd(&self, line: &str) -> String {
        self.ok(&w(line))
    }

    /// Runs `line` in the scene folder; asserts it exits `code`; returns stderr + stdout.
    pub fn cmd_fails(&self, line: &str, code: i32) -> String {
        self.fails(&w(line), code)
    }

    /// Runs `line` in the scene folder and returns what happened.
    pub fn cmd_run(&self, line: &str) -> Output {
        self.run(&w(line))
    }

    /// Runs `line` in ceremony folder `c` (`-C c`); asserts success; returns stdout.
    pub fn c(&self, line: &str) -> String {
        ok(&self.run(&in_c(line)), &format!("-C c {line}"))
    }

    /// Runs `line` in ceremony folder `c`; asserts it exits `code`; returns stderr + stdout.
    pub fn c_fails(&self, line: &str, code: i32) -> String {
        failed(&self.run(&in_c(line)), code, &format!("-C c {line}"))
    }

    /// Runs `line` in ceremony folder `c` and returns what happened.
    pub fn c_run(&self, line: &str) -> Output {
        self.run(&in_c(line))
    }
}

/// The keyid in what `key show` printed.
pub fn keyid_in(shown: &str) -> String {
    shown
        .lines()
        .find_map(|l| l.strip_prefix("keyid "))
        .unwrap_or_else(|| panic!("no keyid in: {shown}"))
        .to_string()
}

/// Asserts `text` contains `needle`, showing the text when it does not.
#[track_caller]
pub fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} is missing from:\n{text}");
}

/// Asserts `text` does not contain `needle`, showing the text when it does.
#[track_caller]
pub fn lacks(text: &str, needle: &str) {
    assert!(
        !text.contains(needle),
        "{needle:?} should not be in:\n{text}"
    );
}

impl Scene {
    /// Ceremony `c` held by `holders` with key files (`NAME.key`), root `root_threshold`
    /// of them, targets 1, claimed the first holder's key, and key-file online keys.
    pub fn ceremony(holders: &[&str], root_threshold: u64) -> Scene {
        let s = Scene::new();
        let mut names = holders.to_vec();
        names.extend(["snapshot", "timestamp"]);
        s.keygen(&names);
        s.init(holders, root_threshold);
        s
    }

    /// [`Scene::ceremony`] with root signed by its first `root_threshold` holders and
    /// targets and claimed by the first.
    pub fn signed_ceremony(holders: &[&str], root_threshold: u64) -> Scene {
        let s = Scene::ceremony(holders, root_threshold);
        s.sign_by("root", &holders[..root_threshold as usize]);
        s.sign("targets", holders[0]);
        s.sign("claimed", holders[0]);
        s
    }

    /// Each of `holders` signs `role` of ceremony `c` with their key file.
    pub fn sign_by(&self, role: &str, holders: &[&str]) {
        for who in holders {
            self.sign(role, who);
        }
    }

    /// Each refusal of `cases` in ceremony `c`, written `COMMAND => CODE: MESSAGE`: the
    /// command (the words after `-C c`) exits CODE, says MESSAGE, and leaves the ceremony
    /// folder as it was.
    #[track_caller]
    pub fn c_refuses_each(&self, cases: &[&str]) {
        for case in cases {
            let (line, expected) = case.split_once(" => ").expect("COMMAND => CODE: MESSAGE");
            let (code, says) = expected.split_once(": ").expect("CODE: MESSAGE");
            let before = crate::util::snapshot(&self.p("c"));
            let said = self.c_fails(line, code.parse().unwrap());
            assert!(
                said.contains(says),
                "{line}: {says:?} is missing from:\n{said}"
            );
            assert_eq!(
                before,
                crate::util::snapshot(&self.p("c")),
                "a refused `{line}` changed the ceremony folder"
            );
        }
    }
}

impl Scene {
    /// Runs `line` in ceremony folder `c` with the environment variables `env`; asserts
    /// success; returns stdout.
    pub fn c_env(&self, line: &str, env: &[(&str, &str)]) -> String {
        ok(
            &self.run_with(&in_c(line), "pp", env),
            &format!("-C c {line}"),
        )
    }

    /// Runs `line` in ceremony folder `c` with the environment variables `env`; asserts it
    /// exits `code`; returns stderr + stdout.
    pub fn c_env_fails(&self, line: &str, env: &[(&str, &str)], code: i32) -> String {
        failed(
            &self.run_with(&in_c(line), "pp", env),
            code,
            &format!("-C c {line}"),
        )
    }
}

impl Scene {
    /// Copies ceremony `c` to `other`, as another machine's copy, and makes the `usb/`
    /// folder that carries signature files between them.
    pub fn copy_to_other_machine(&self) {
        let copied = std::process::Command::new("cp")
            .args(["-a", "c", "other"])
            .current_dir(self.path())
            .status()
            .unwrap();
        assert!(copied.success());
        std::fs::create_dir(self.p("usb")).unwrap();
    }
}

impl Scene {
    /// Ceremony `c` that alice holds alone (root and targets 1 of 1), with python-tuf-made
    /// online keys.
    pub fn alice_alone() -> Scene {
        let s = Scene::new();
        s.keygen(&["alice"]);
        s.init_online(&["alice"], 1, 1, &[]);
        s
    }

    /// [`Scene::alice_alone`] with root and targets signed and exported to `repo`.
    pub fn alice_alone_exported() -> Scene {
        let s = Scene::alice_alone();
        s.sign("root", "alice");
        s.sign("targets", "alice");
        s.c("export --out repo");
        s
    }
}

impl Scene {
    /// The keyid `key show` prints for `key` (a public key file or a signer).
    pub fn keyid(&self, key: &str) -> String {
        keyid_in(&self.ok(&["key", "show", key]))
    }

    /// `line` in ceremony `c` exits `code`, says `says`, and leaves the folder as it was.
    #[track_caller]
    pub fn c_refuses(&self, line: &str, code: i32, says: &str) {
        self.c_refuses_each(&[&format!("{line} => {code}: {says}")]);
    }
}

impl Scene {
    /// [`Scene::python`] written as one line: the script of tests/python, then its words.
    pub fn py(&self, line: &str) -> String {
        let (script, args) = line.split_once(' ').unwrap_or((line, ""));
        self.python(script, &w(args))
    }
}

impl Scene {
    /// Runs `line` in the scene folder with SoftHSM's environment `env`, each word
    /// `p11:TOKEN/OBJECT` standing for the PKCS#11 reference of OBJECT on SoftHSM token
    /// TOKEN; returns what happened.
    pub fn hsm_run(&self, env: &[(&str, &str)], line: &str) -> Output {
        self.secret_run("pp", env, line)
    }

    /// [`Scene::hsm_run`] with the secret (passphrase, PIN or device password) in scene file
    /// `secret_file`.
    pub fn secret_run(&self, secret_file: &str, env: &[(&str, &str)], line: &str) -> Output {
        let words: Vec<String> = w(line)
            .into_iter()
            .map(|word| match word.strip_prefix("p11:") {
                Some(reference) => {
                    let (token, object) = reference.split_once('/').expect("p11:TOKEN/OBJECT");
                    crate::hardware::p11(token, object)
                }
                None => word.to_string(),
            })
            .collect();
        let args: Vec<&str> = words.iter().map(String::as_str).collect();
        self.run_with(&args, secret_file, env)
    }

    /// [`Scene::hsm_run`] that must succeed; returns stdout.
    pub fn hsm(&self, env: &[(&str, &str)], line: &str) -> String {
        ok(&self.hsm_run(env, line), line)
    }
}

impl Scene {
    /// Runs `line` in the scene folder with no passphrase file and standard input closed.
    pub fn bare_run(&self, line: &str) -> Output {
        std::process::Command::new(crate::util::bin())
            .current_dir(self.path())
            .args(w(line))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    }
}

/// The words of an `init` of `holders` (each `NAME=NAME.pub.json`), root `root_threshold`
/// of them, targets 1, and the python-tuf-made online keys in `online/`; then `extra`.
pub fn init_line(holders: &[&str], root_threshold: &str, extra: &str) -> String {
    let holders: String = holders
        .iter()
        .map(|h| format!(" --keyholder {h}={h}.pub.json"))
        .collect();
    format!(
        "init{holders} --root-threshold {root_threshold} --targets-threshold 1 \
         --online-key snapshot=online/snapshot.pub.json \
         --online-key timestamp=online/timestamp.pub.json {extra}"
    )
}

/// Asserts `text` contains each of `needles`.
#[track_caller]
pub fn has_each(text: &str, needles: &[&str]) {
    for needle in needles {
        has(text, needle);
    }
}

impl Scene {
    /// A SoftHSM token store in the scene holding a fresh token of each label in `tokens`
    /// (user PIN: the scene passphrase).
    pub fn softhsm(&self, tokens: &[&str]) -> crate::hardware::SoftHsm {
        let hsm = crate::hardware::SoftHsm::new(self);
        for token in tokens {
            hsm.init_token(token);
        }
        hsm
    }
}

impl Scene {
    /// Each refusal of `cases`, written `(SECRET_FILE, LINE, CODE, MESSAGES)`: LINE run as
    /// [`Scene::secret_run`] exits CODE, says each of MESSAGES, and leaves ceremony folder
    /// `c` as it was.
    #[track_caller]
    pub fn secret_refuses_each(&self, env: &[(&str, &str)], cases: &[(&str, &str, i32, &[&str])]) {
        for (secret, line, code, says) in cases {
            let before = crate::util::snapshot(&self.p("c"));
            let said = failed(&self.secret_run(secret, env, line), *code, line);
            for needle in *says {
                assert!(
                    said.contains(needle),
                    "{line}: {needle:?} is missing from:\n{said}"
                );
            }
            assert_eq!(
                before,
                crate::util::snapshot(&self.p("c")),
                "a refused `{line}` changed the ceremony folder"
            );
        }
    }
}
