//! Helpers: the built binary, throwaway ceremony folders, key files, python-tuf.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tuf-ceremony"))
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The python with python-tuf installed by scripts/test.sh.
pub fn python() -> PathBuf {
    if let Ok(p) = std::env::var("TUF_CEREMONY_PYTHON") {
        return PathBuf::from(p);
    }
    let p = repo_root().join(".venv/bin/python");
    assert!(
        p.exists(),
        "python-tuf is not installed: run scripts/test.sh (it creates .venv)"
    );
    p
}

/// A temporary working folder with a passphrase file in it.
pub struct Scene {
    pub dir: tempfile::TempDir,
}

impl Scene {
    pub fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pp"), format!("{PASSPHRASE}\n")).unwrap();
        Scene { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs the tool in the scene folder with the passphrase file.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(bin())
            .current_dir(self.path())
            .arg("--passphrase-file")
            .arg(self.p("pp"))
            .args(args)
            .output()
            .unwrap()
    }

    pub fn run_env(&self, args: &[&str], env: (&str, &str)) -> Output {
        self.run_with(args, "pp", &[env])
    }

    /// Runs with the secret in scene file `secret_file` and extra environment variables;
    /// standard input is closed (so a confirmation prompt cannot be answered).
    pub fn run_with(&self, args: &[&str], secret_file: &str, env: &[(&str, &str)]) -> Output {
        Command::new(bin())
            .current_dir(self.path())
            .arg("--passphrase-file")
            .arg(self.p(secret_file))
            .args(args)
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs the tool with `input` on standard input (the answer to "Type yes").
    pub fn run_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = Command::new(bin())
            .current_dir(self.path())
            .arg("--passphrase-file")
            .arg(self.p("pp"))
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Writes a scene file.
    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.p(name), text).unwrap();
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        ok(&self.run(args), &format!("{args:?}"))
    }

    /// Runs and asserts failure with `code`; returns stderr + stdout.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        failed(&self.run(args), code, &format!("{args:?}"))
    }

    /// Starts ceremony `c` again from its own working files with `changed` (name, text)
    /// in place of some: a folder holding metadata changed elsewhere, brought in by `load`
    /// (the record refuses a file changed by hand in the folder). `keyholders` are
    /// `NAME=PUBFILE`.
    pub fn reload_with(&self, changed: &[(&str, &str)], keyholders: &[&str]) {
        std::fs::create_dir_all(self.p("in")).unwrap();
        let mut args: Vec<String> = vec!["-C".into(), "c".into(), "load".into()];
        for role in ["root.json", "targets.json", "claimed.json"] {
            let text = match changed.iter().find(|(n, _)| *n == role) {
                Some((_, t)) => t.to_string(),
                None if self.p("c").join(role).exists() => self.read(&format!("c/{role}")),
                None => continue,
            };
            self.write(&format!("in/{role}"), &text);
            args.push(format!("in/{role}"));
        }
        for k in keyholders {
            args.push("--keyholder".into());
            args.push(k.to_string());
        }
        std::fs::remove_dir_all(self.p("c")).unwrap();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.ok(&refs);
    }

    pub fn keygen(&self, names: &[&str]) {
        for n in names {
            self.ok(&[
                "key",
                "generate",
                "--out",
                &format!("{n}.key"),
                "--keyholder",
                n,
            ]);
        }
    }

    /// Runs python from tests/python with args; asserts success; returns stdout.
    pub fn python(&self, script: &str, args: &[&str]) -> String {
        let out = Command::new(python())
            .arg(repo_root().join("tests/python").join(script))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "python {script} {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// A 3-of-… ceremony with keyholders, online keys, and claimed; returns nothing.
    pub fn init(&self, holders: &[&str], root_threshold: u64) {
        let mut args: Vec<String> = vec!["-C".into(), "c".into(), "init".into()];
        for h in holders {
            args.push("--keyholder".into());
            args.push(format!("{h}={h}.pub.json"));
        }
        for a in [
            "--root-threshold",
            &root_threshold.to_string(),
            "--targets-threshold",
            "1",
            "--online-key",
            "snapshot=snapshot.pub.json",
            "--online-key",
            "timestamp=timestamp.pub.json",
            "--claimed-key",
            &format!("{}={}.pub.json", holders[0], holders[0]),
            "--claimed-threshold",
            "1",
        ] {
            args.push(a.into());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.ok(&refs);
    }

    /// `init` with one keyholder (alice) and the online keys, plus `extra` arguments.
    pub fn init_alone(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            "-C",
            "c",
            "init",
            "--keyholder",
            "alice=alice.pub.json",
            "--root-threshold",
            "1",
            "--targets-threshold",
            "1",
            "--online-key",
            "snapshot=snapshot.pub.json",
            "--online-key",
            "timestamp=timestamp.pub.json",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `init` of ceremony `c` with python-tuf-made online keys (in `online/`, made once):
    /// each holder's NAME.pub.json, the thresholds, and `extra` arguments.
    pub fn init_online(
        &self,
        holders: &[&str],
        root_threshold: u64,
        targets_threshold: u64,
        extra: &[&str],
    ) {
        if !self.p("online/snapshot.pub.json").exists() {
            self.python("judge.py", &["online-keys", "online"]);
        }
        let mut args: Vec<String> = vec!["-C".into(), "c".into(), "init".into()];
        for h in holders {
            args.push("--keyholder".into());
            args.push(format!("{h}={h}.pub.json"));
        }
        args.push("--root-threshold".into());
        args.push(root_threshold.to_string());
        args.push("--targets-threshold".into());
        args.push(targets_threshold.to_string());
        for role in ["snapshot", "timestamp"] {
            args.push("--online-key".into());
            args.push(format!("{role}=online/{role}.pub.json"));
        }
        args.extend(extra.iter().map(|a| a.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.ok(&refs);
    }

    /// `root add-key root WHO.pub.json --keyholder WHO` in ceremony `c`.
    pub fn add_root_key(&self, who: &str) {
        self.ok(&[
            "-C",
            "c",
            "root",
            "add-key",
            "root",
            &format!("{who}.pub.json"),
            "--keyholder",
            who,
        ]);
    }

    pub fn sign(&self, role: &str, who: &str) -> String {
        self.ok(&[
            "-C",
            "c",
            "sign",
            role,
            "--signer",
            &format!("file:{who}.key"),
            "--yes",
        ])
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.p(name)).unwrap()
    }
}

/// Asserts an output succeeded; returns stdout.
pub fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Asserts an output failed with `code`; returns stderr + stdout.
pub fn failed(out: &Output, code: i32, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what} should exit {code}:\n{text}"
    );
    text
}

/// Every file under `dir` with its bytes, to show a refused command changed nothing.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
