//! Runs a parsed command line: calls the library, prints its reports, and turns errors into
//! exit codes. The one place that decides what goes to stdout and stderr.

use crate::ceremony::delegate::DelegateOptions;
use crate::ceremony::init::InitOptions;
use crate::ceremony::lock::Access;
use crate::ceremony::{self, sign::SignOptions, split_named, Ceremony, Report};
use crate::cli::{
    ClaimedCommand, Cli, Command, KeyCommand, KeyholderCommand, RootCommand, TranscriptCommand,
};
use crate::display;
use crate::error::{Error, Result};
use crate::keys::Scheme;
use crate::output::{to_value, Embedded};
use crate::secret::SecretSource;
use crate::signer::SignerRef;
use std::io::{BufRead, Read, Write};

/// Writes a report. Each line and warning passes through the display net
/// ([`crate::display`]): nothing in them can start another line, move the cursor or hide
/// text, whatever a value from input held. With `--json`, the report's own value, or for a
/// command that has none its lines and warnings as JSON. A failed write (a full disk behind
/// `> file`) is an error, never a silent truncation.
fn print(report: &Report, json: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let value = match &report.json {
            Some(v) => v.clone(),
            None => to_value(&LinesJson {
                lines: &report.lines,
                warnings: &report.warnings,
            })?,
        };
        writeln!(out, "{}", display::json(&crate::json::compact(&value))).map_err(stdout_error)?;
    } else {
        for line in &report.lines {
            writeln!(out, "{}", display::line(line)).map_err(stdout_error)?;
        }
    }
    out.flush().map_err(stdout_error)?;
    for w in &report.warnings {
        eprintln!("warning: {}", display::line(w));
    }
    Ok(())
}

/// The warnings beside the fields of a command's `--json` value (`sign`, `merge`,
/// `verify`, `export`), as they are for a command without one: a script reads one
/// document.
fn with_warnings(mut report: Report) -> Report {
    if let Some(crate::json::Value::Object(o)) = &mut report.json {
        let warnings = report.warnings.iter().cloned().map(crate::json::Value::Str);
        o.insert("warnings", crate::json::Value::Array(warnings.collect()));
    }
    report
}

/// `--json` of a command with no report value of its own: its lines and warnings.
#[derive(serde::Serialize)]
struct LinesJson<'a> {
    lines: &'a [String],
    warnings: &'a [String],
}

/// One line of output of a command with no report (the display net applies).
fn say(line: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", display::line(line))
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

fn stdout_error(e: std::io::Error) -> Error {
    crate::fsutil::FsError::new(
        "cannot write to",
        std::path::Path::new("standard output"),
        e,
    )
    .into()
}

/// `inspect --canonical`: the exact bytes when piped (`| sha256sum`). Canonical JSON writes
/// control characters raw, so on a terminal they pass through the display net.
fn write_canonical(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout();
    if std::io::IsTerminal::is_terminal(&out) {
        out.write_all(display::line(&String::from_utf8_lossy(bytes)).as_bytes())
    } else {
        out.write_all(bytes)
    }
    .and_then(|()| out.flush())
    .map_err(stdout_error)
}

fn when(text: &str, now: i64) -> Result<i64> {
    crate::time::parse_when(text, now).map_err(Error::Invalid)
}

fn named(list: &[String], flag: &str) -> Result<Vec<(String, std::path::PathBuf)>> {
    list.iter().map(|a| split_named(a, flag)).collect()
}

/// Asks the person at the keyboard to type "yes", after showing `summary`.
fn confirm_on_terminal(summary: &str) -> Result<bool> {
    println!("{}", display::text(summary));
    print!("Type \"yes\" to sign, anything else to stop: ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    // An answer is a word: standard input that never ends a line (`< /dev/zero`) is not
    // read into memory without end.
    let n = std::io::stdin()
        .lock()
        .take(4096)
        .read_line(&mut line)
        .map_err(|e| Error::Invalid(format!("cannot read the confirmation: {e}")))?;
    if n == 0 {
        return Err(Error::Refused("no confirmation could be read (standard input is closed); nothing was signed. Run on a terminal, or pass --yes in a script".into()));
    }
    Ok(line.trim() == "yes")
}

/// `key generate --signer`: a key made inside a device; only its public key comes out.
fn generate_in_device(
    reference: &str,
    scheme: Scheme,
    pub_out: Option<&std::path::Path>,
    x: &Context,
) -> Result<i32> {
    let (secrets, json) = (&x.secrets, x.json);
    let reference = SignerRef::parse(reference)?;
    if let Some(p) = pub_out {
        ceremony::refuse_output_inside(p, "a public key file")?;
        if p.exists() {
            return Err(Error::Refused(format!(
                "{} already exists; a public key file is never overwritten. Choose another name",
                p.display()
            )));
        }
    }
    let trust = x.trust()?;
    let (key, device, evidence) = crate::signer::generate_in_device(&reference, scheme, secrets)?;
    // The key exists now, whatever its attestation says: a failure is reported (exit 1)
    // after its public key, so the keyholder can see which key not to hand in.
    let attestation = crate::attest::judge(evidence, &key, &trust, x.now);
    let mut r = crate::inspect::show_key(&key)?;
    for w in crate::clients::key_warnings(&key) {
        r.warn(w);
    }
    r.lines.insert(
        0,
        format!(
            "generated an {} key in {}; its private key cannot leave the device",
            scheme.name(),
            device.description
        ),
    );
    if let Some(p) = pub_out {
        let mut bytes = crate::json::pretty(&key.to_value());
        bytes.push(b'\n');
        crate::fsutil::write_new(p, &bytes)?;
        r.lines.insert(1, format!("wrote {}", p.display()));
    }
    report_attestation(r, &key, attestation, json)
}

/// Prints a device key's report with what its attestation proves: the facts, or "not
/// attested: why" (exit 0); an attestation that does not verify is an error (exit 1)
/// printed after the key.
fn report_attestation(
    mut r: Report,
    key: &crate::keys::Key,
    attestation: std::result::Result<crate::attest::Status, crate::attest::AttestError>,
    json: bool,
) -> Result<i32> {
    match attestation {
        Ok(status) => {
            r.lines.extend(status.lines());
            r.json = Some(crate::inspect::key_json(key, Some(status.to_value()))?);
            print(&r, json)?;
            Ok(0)
        }
        Err(e) => {
            print(&r, json)?;
            Err(Error::Failed(format!("attestation failed: {e}")))
        }
    }
}

/// Writes `tuf-ceremony.1` and one page per subcommand (`tuf-ceremony-sign.1`, …).
fn write_manpages(out: &std::path::Path) -> Result<usize> {
    std::fs::create_dir_all(out)
        .map_err(|e| crate::fsutil::FsError::new("cannot create", out, e))?;
    fn walk(cmd: &clap::Command, name: &str, out: &std::path::Path, n: &mut usize) -> Result<()> {
        let cmd = cmd.clone().name(name.to_string());
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd.clone())
            .render(&mut page)
            .map_err(|e| Error::Invalid(format!("cannot render the man page for {name}: {e}")))?;
        crate::fsutil::write_atomic(&out.join(format!("{name}.1")), &page)?;
        *n += 1;
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{name}-{}", sub.get_name()), out, n)?;
        }
        Ok(())
    }
    let mut n = 0;
    walk(
        &<Cli as clap::CommandFactory>::command(),
        "tuf-ceremony",
        out,
        &mut n,
    )?;
    Ok(n)
}

/// Runs one command; returns the exit code for outcomes that are not errors (such as a
/// verification that found problems). A command that works on a ceremony folder holds it
/// (its lock) from the moment it opens it ([`Ceremony::open`]) until it ends.
pub fn run(cli: Cli) -> Result<i32> {
    let x = Context {
        now: crate::time::now(),
        secrets: match &cli.passphrase_file {
            Some(p) => SecretSource::File(p.clone()),
            None => SecretSource::Terminal,
        },
        json: cli.json,
        dir: cli.dir.clone(),
        attestation_ca: cli
            .attestation_ca
            .clone()
            .or_else(|| std::env::var_os("TUF_CEREMONY_ATTESTATION_CA").map(Into::into)),
    };
    match cli.command {
        Command::Key(KeyCommand::Generate(a)) => key_generate(a, &x),
        Command::Key(KeyCommand::Show(a)) => key_show(a, &x),
        Command::Inspect(a) => inspect(a, &x),
        Command::Init(a) => init(a, &x),
        Command::Load(a) => load(a, &x),
        Command::Root(cmd) => root(cmd, &x),
        Command::Keyholder(cmd) => keyholder(cmd, &x),
        Command::Expires(a) => expires(a, &x),
        Command::Delegate(a) => delegate(a, &x),
        Command::Completions { shell } => completions(shell),
        Command::Manpages { out } => manpages(out),
        Command::Changes { role } => changes(role, &x),
        Command::Claimed(cmd) => claimed(cmd, &x),
        Command::Sign(a) => sign(a, &x),
        Command::Merge(a) => merge(a, &x),
        Command::Request(cmd) => request(cmd, &x),
        Command::Clients => clients(&x),
        Command::Status {
            tree,
            within,
            changes,
        } => status(tree, within, changes, &x),
        Command::Report { out } => report(out, &x),
        Command::Verify(a) => verify(a, &x),
        Command::Export(a) => export(a, &x),
        Command::Transcript(TranscriptCommand::Show) => transcript_show(&x),
        Command::Transcript(TranscriptCommand::Verify { head }) => transcript_verify(head, &x),
        Command::Rstuf(cmd) => rstuf(cmd, &x),
        Command::Transcript(TranscriptCommand::Sign(a)) => transcript_sign(a, &x),
        Command::Policy(cmd) => policy(cmd, &x),
    }
}

/// What every command is given besides its own arguments.
struct Context {
    /// "Now", read once from the system clock.
    now: i64,
    secrets: SecretSource,
    json: bool,
    /// The ceremony folder (`-C`).
    dir: std::path::PathBuf,
    /// `--attestation-ca` or `TUF_CEREMONY_ATTESTATION_CA`: CA certificates replacing
    /// Yubico's for device attestation.
    attestation_ca: Option<std::path::PathBuf>,
}

impl Context {
    /// The CA certificates device attestations must chain to: Yubico's built in, or the
    /// file given.
    fn trust(&self) -> Result<crate::attest::Trust> {
        let Some(path) = &self.attestation_ca else {
            return Ok(crate::attest::Trust::Yubico);
        };
        let pem = crate::fsutil::read_bounded(path, &crate::fsutil::Input::PUBLIC_KEY)?;
        let name = path.display().to_string();
        // Read now, so a bad file is refused before any device is touched.
        crate::attest::TrustStore::from_pem(&pem, &name)
            .map_err(|e| Error::Invalid(e.to_string()))?;
        Ok(crate::attest::Trust::File { name, pem })
    }
}

/// `key generate`.
fn key_generate(a: crate::cli::KeyGenerateArgs, x: &Context) -> Result<i32> {
    let (secrets, json) = (&x.secrets, x.json);
    let scheme = Scheme::from_cli(&a.scheme).ok_or_else(|| {
        Error::Invalid(format!(
            "--scheme must be ed25519, ecdsa-p256, ecdsa-p384 or (in a PKCS#11 token) rsassa-pss-sha256, not \"{}\"",
            a.scheme
        ))
    })?;
    if let Some(s) = a.signer {
        return generate_in_device(&s, scheme, a.pub_out.as_deref(), x);
    }
    let out = a
        .out
        .ok_or_else(|| Error::Invalid("give --out NAME.key".into()))?;
    crate::keyfile::check_scheme(scheme).map_err(|e| Error::Invalid(e.to_string()))?;
    if let Some(name) = &a.keyholder {
        crate::keyfile::check_keyholder_name(name)?;
    }
    ceremony::refuse_output_inside(&out, "a key file")?;
    crate::keyfile::check_can_create(&out)?;
    let what = format!("passphrase for the new key file {}", out.display());
    let passphrase = crate::secret::read_secret(&what, secrets, true)?;
    crate::secret::check_new_passphrase(&passphrase, &what)?;
    let (key, pub_path) =
        crate::keyfile::generate(&out, scheme, a.keyholder.as_deref(), &passphrase)?;
    let mut r = crate::inspect::show_key(&key)?;
    for w in crate::clients::key_warnings(&key) {
        r.warn(w);
    }
    r.lines.insert(
        0,
        format!(
            "wrote {} (encrypted, readable by you only) and {}",
            out.display(),
            pub_path.display()
        ),
    );
    print(&r, json)?;
    Ok(0)
}

/// `key show`.
fn key_show(a: crate::cli::KeyShowArgs, x: &Context) -> Result<i32> {
    let (secrets, json) = (&x.secrets, x.json);
    let path = std::path::Path::new(&a.key);
    let is_public = !a.key.starts_with("file:") && path.exists() && {
        // Bounded: a device or a huge file is left to the key-file path, which
        // refuses it by name.
        let head = crate::fsutil::read_bounded(path, &crate::fsutil::Input::PUBLIC_KEY)
            .unwrap_or_default();
        head.trim_ascii_start().starts_with(b"{")
            || head
                .trim_ascii_start()
                .starts_with(b"-----BEGIN PUBLIC KEY")
    };
    if is_public {
        let key = ceremony::read_public_key(path)?;
        let mut r = crate::inspect::show_key(&key)?;
        where_trusted(&key, &mut r, x);
        print(&r, json)?;
    } else {
        let trust = x.trust()?;
        let (key, device, evidence) =
            crate::signer::show_public(&SignerRef::parse(&a.key)?, secrets)?;
        let mut r = crate::inspect::show_key(&key)?;
        r.lines
            .insert(0, format!("the key in {}:", device.description));
        where_trusted(&key, &mut r, x);
        let attestation = crate::attest::judge(evidence, &key, &trust, x.now);
        return report_attestation(r, &key, attestation, json);
    }
    Ok(0)
}

/// `key show` in a ceremony folder: its keyholder and the roles that list it, working and
/// trusted (`ceremony` in `--json`). A folder that cannot be read is warned about; the key
/// is still shown.
fn where_trusted(key: &crate::keys::Key, r: &mut Report, x: &Context) {
    if !x.dir.join(ceremony::STATE_FILE).is_file() {
        return;
    }
    let shown = Ceremony::open(&x.dir, x.now, Access::Read)
        .and_then(|c| ceremony::keyholders::key_show_lines(&c, key));
    match shown {
        Ok((lines, value)) => {
            r.lines.extend(lines);
            if let Some(crate::json::Value::Object(o)) = &mut r.json {
                o.insert("ceremony", value);
            }
        }
        Err(e) => r.warn(format!(
            "cannot say where the ceremony {} trusts this key: {e}",
            display::path(&x.dir)
        )),
    }
}

/// `inspect`.
fn inspect(a: crate::cli::InspectArgs, x: &Context) -> Result<i32> {
    let json = x.json;
    if a.canonical {
        write_canonical(&crate::inspect::canonical(&a.file)?)?;
        return Ok(0);
    }
    if a.digest {
        say(&crate::inspect::read(&a.file)?.payload.sha256_hex())?;
        return Ok(0);
    }
    if a.tree {
        print(&crate::inspect::tree(&a.file)?, json)?;
        return Ok(0);
    }
    print(
        &crate::inspect::inspect(&a.file, a.delegator.as_deref())?,
        json,
    )?;
    Ok(0)
}

/// `init`.
fn init(a: crate::cli::InitArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open_or_create(dir, now)?;
    let delegate = if a.claimed_keys.is_empty() {
        None
    } else {
        Some(DelegateOptions {
            name: crate::names::RoleName::CLAIMED,
            keys: named(&a.claimed_keys, "--claimed-key")?,
            online_keys: Vec::new(),
            threshold: a.claimed_threshold,
            paths: a.claimed_paths,
            terminating: false,
            expires: when(&a.claimed_expires, now)?,
        })
    };
    let o = InitOptions {
        keyholders: named(&a.keyholders, "--keyholder")?,
        root_threshold: a.root_threshold,
        targets_keys: named(&a.targets_keys, "--targets-key")?,
        targets_threshold: a.targets_threshold,
        online: named(&a.online_keys, "--online-key")?,
        root_expires: when(&a.root_expires, now)?,
        targets_expires: when(&a.targets_expires, now)?,
        consistent_snapshot: !a.no_consistent_snapshot,
        spec_version: a.spec_version,
        delegate,
    };
    let mut r = ceremony::init::init(&mut c, &o)?;
    ceremony::preflight::warn(&c, &mut r, ceremony::preflight::Moment::Init)?;
    print(&r, json)?;
    Ok(0)
}

/// `load`.
fn load(a: crate::cli::LoadArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open_or_create(dir, now)?;
    let mut r = ceremony::load::load(
        &mut c,
        &a.files,
        a.trusted,
        &named(&a.keyholders, "--keyholder")?,
    )?;
    // What was loaded is written: a problem reading it back for the warning is no error.
    r.warnings.extend(
        ceremony::keyholders::unnamed_keys_warning(&c)
            .ok()
            .flatten(),
    );
    ceremony::preflight::warn(&c, &mut r, ceremony::preflight::Moment::Later)?;
    print(&r, json)?;
    Ok(0)
}

/// `root`.
fn root(cmd: RootCommand, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open(dir, now, Access::Write)?;
    let r = match cmd {
        RootCommand::AddKey {
            role,
            pubfile,
            keyholder,
        } => {
            let mut r =
                ceremony::edits::root_add_key(&mut c, &role, &pubfile, keyholder.as_deref())?;
            ceremony::preflight::warn(&c, &mut r, ceremony::preflight::Moment::Later)?;
            r
        }
        RootCommand::RemoveKey {
            role,
            key,
            threshold,
        } => ceremony::edits::root_remove_key(&c, &role, &key, threshold)?,
        RootCommand::SetThreshold { role, threshold } => {
            ceremony::edits::root_set_threshold(&c, &role, threshold)?
        }
    };
    print(&r, json)?;
    Ok(0)
}

/// `keyholder retire`.
fn keyholder(cmd: KeyholderCommand, x: &Context) -> Result<i32> {
    let c = Ceremony::open(&x.dir, x.now, Access::Write)?;
    let KeyholderCommand::Retire { name, key } = cmd;
    let who = match (name, key) {
        (_, Some(k)) => ceremony::retire::Retiree::Key(k),
        (Some(n), None) => ceremony::retire::Retiree::Name(n),
        (None, None) => {
            return Err(Error::Invalid(
                "give a keyholder's NAME, or --key KEYID".into(),
            ))
        }
    };
    print(&ceremony::retire::retire(&c, &who)?, x.json)?;
    Ok(0)
}

/// `expires`.
fn expires(a: crate::cli::ExpiresArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    // Suggesting a date only reads; setting one changes the folder.
    let access = if a.when.is_some() {
        Access::Write
    } else {
        Access::Read
    };
    let c = Ceremony::open(dir, now, access)?;
    let report = match &a.when {
        Some(w) => {
            let at = when(w, now)?;
            let mut r = ceremony::edits::set_expires(&c, &a.role, at)?;
            if let Some(w) = expiry_warning(&a.role, at, now) {
                r.warn(w);
            }
            r
        }
        None => ceremony::status::suggest_expiry(&c, &a.role)?,
    };
    print(&report, json)?;
    Ok(0)
}

/// An expiry set inside the window `sign` refuses (a week, [`MIN_VALIDITY_SECONDS`]; a
/// date already past is refused by the edit itself), or inside the one `status` warns
/// about: said at the edit, not discovered at signing.
///
/// [`MIN_VALIDITY_SECONDS`]: ceremony::sign::MIN_VALIDITY_SECONDS
fn expiry_warning(role: &crate::names::RoleName, at: i64, now: i64) -> Option<String> {
    let date = crate::time::format_expires(at);
    let left = crate::time::relative(at, now);
    let suggest = format!("`tuf-ceremony expires {role}` suggests a date");
    let days = |seconds: i64| seconds / 86_400;
    if at <= now + ceremony::sign::MIN_VALIDITY_SECONDS {
        Some(format!(
            "{role} now expires {date} ({left}): `sign` refuses a role that expires within {} days, so it cannot be signed. Give a later date; {suggest}",
            days(ceremony::sign::MIN_VALIDITY_SECONDS)
        ))
    } else if at <= now + ceremony::status::EXPIRY_WARNING_SECONDS {
        Some(format!(
            "{role} now expires {date} ({left}), within the {} days `status` warns about: it will need signing again soon. {suggest}",
            days(ceremony::status::EXPIRY_WARNING_SECONDS)
        ))
    } else {
        None
    }
}

/// `delegate`.
fn delegate(a: crate::cli::DelegateArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open(dir, now, Access::Write)?;
    let d = DelegateOptions {
        name: a.name,
        keys: named(&a.keys, "--key")?,
        online_keys: a.online_keys,
        threshold: a.threshold,
        paths: a.paths,
        terminating: a.terminating,
        expires: when(&a.expires, now)?,
    };
    print(&ceremony::delegate::delegate(&mut c, &d)?, json)?;
    Ok(0)
}

/// `policy set` and `policy remove`.
fn policy(cmd: crate::cli::PolicyCommand, x: &Context) -> Result<i32> {
    // The policy file itself may differ from the record: this command records it.
    let c = Ceremony::open_for_audit(&x.dir, x.now, Access::Write)?;
    c.held_except_files(&[ceremony::policy::FILE.to_string()])?;
    let report = match cmd {
        crate::cli::PolicyCommand::Set { file } => ceremony::policy_record::set(&c, &file)?,
        crate::cli::PolicyCommand::Remove => ceremony::policy_record::remove(&c)?,
    };
    print(&report, x.json)?;
    Ok(0)
}

/// `completions`.
fn completions(shell: clap_complete::Shell) -> Result<i32> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "tuf-ceremony", &mut script);
    let mut out = std::io::stdout();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(stdout_error)?;
    Ok(0)
}

/// `manpages`.
fn manpages(out: std::path::PathBuf) -> Result<i32> {
    let written = write_manpages(&out)?;
    say(&format!("wrote {written} man pages into {}", out.display()))?;
    Ok(0)
}

/// `changes`.
fn changes(role: crate::names::RoleName, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let c = Ceremony::open(dir, now, Access::Read)?;
    let md = c.working(&role)?;
    let trusted = c.trusted(&role)?;
    let mut r = ceremony::Report::default();
    for line in ceremony::changes::describe_with(&c, trusted.as_ref(), &md, &role, true) {
        r.line(line);
    }
    print(&r, json)?;
    Ok(0)
}

/// `claimed`.
fn claimed(cmd: ClaimedCommand, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let c = Ceremony::open(dir, now, Access::Write)?;
    let report = match cmd {
        ClaimedCommand::AddProject {
            name,
            keys,
            threshold,
            paths,
            readmit,
            role,
        } => ceremony::claimed::add_project(
            &c,
            &role,
            &ceremony::claimed::NewProject {
                name,
                keys,
                threshold,
                paths,
                readmit,
            },
        )?,
        ClaimedCommand::RemoveProject { names, role } => {
            ceremony::claimed::remove_projects(&c, &role, &names)?
        }
        ClaimedCommand::RevokeKey { key, role } => ceremony::claimed::revoke_key(&c, &role, &key)?,
        ClaimedCommand::ImportRecentlyClaimed {
            file,
            out,
            role,
            from,
            readmit,
        } => ceremony::claimed::import_recently_claimed(&c, &role, &from, &file, &out, &readmit)?,
    };
    print(&report, json)?;
    Ok(0)
}

/// `sign`.
fn sign(a: crate::cli::SignArgs, x: &Context) -> Result<i32> {
    let (now, secrets, json, dir) = (x.now, &x.secrets, x.json, &x.dir);
    let c = Ceremony::open(dir, now, Access::Write)?;
    let signer = a.signer.ok_or_else(|| {
        Error::Invalid(
            "name the key to sign with: --signer file:PATH (or yubihsm://…, pkcs11:…)".into(),
        )
    })?;
    let opts = SignOptions {
        role: a.role,
        signer: SignerRef::parse(&signer)?,
        as_name: a.as_name,
        detached: a.detached,
        yes: a.yes,
        trust: x.trust()?,
    };
    print(
        &with_warnings(ceremony::sign::sign(
            &c,
            &opts,
            secrets,
            &mut confirm_on_terminal,
        )?),
        json,
    )?;
    Ok(0)
}

/// `merge`.
fn merge(a: crate::cli::MergeArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let c = Ceremony::open(dir, now, Access::Write)?;
    print(
        &with_warnings(ceremony::merge::merge(&c, &a.files, &x.trust()?)?),
        json,
    )?;
    Ok(0)
}

/// `request write` and `request sign`.
fn request(cmd: crate::cli::RequestCommand, x: &Context) -> Result<i32> {
    use crate::ceremony::request;
    let report = match cmd {
        crate::cli::RequestCommand::Write(a) => {
            let c = Ceremony::open(&x.dir, x.now, Access::Write)?;
            request::write(&c, &a.roles, &a.out)?
        }
        crate::cli::RequestCommand::Sign(a) => {
            let opts = request::SignRequestOptions {
                file: a.file,
                role: a.role,
                signer: SignerRef::parse(&a.signer)?,
                as_name: a.as_name,
                out: a.out,
                yes: a.yes,
                trust: x.trust()?,
            };
            request::sign_request(&opts, x.now, &x.secrets, &mut confirm_on_terminal)?
        }
    };
    print(&report, x.json)?;
    Ok(0)
}

/// `status`.
fn status(tree: bool, within: String, changes: bool, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open(dir, now, Access::Read)?;
    c.trust = x.trust()?;
    let window = when(&within, now)? - now;
    let (mut r, mut status_json, working) = ceremony::status::status(&c, Some(window))?;
    if changes {
        for role in c.roles() {
            let Some(md) = c.working_opt(&role)? else {
                continue;
            };
            let trusted = c.trusted(&role)?;
            r.line(format!("changes in {role} v{}:", md.version()));
            for l in ceremony::changes::describe_with(&c, trusted.as_ref(), &md, &role, false) {
                r.line(format!("  - {l}"));
            }
        }
    }
    let keys = ceremony::proof::add_to(&c, working, &mut r)?;
    status_json.added_keys = Some(Embedded(keys));
    let policy = ceremony::policy::add_to(&c, &mut r)?;
    status_json.policy = Some(Embedded(policy));
    ceremony::preflight::warn(&c, &mut r, ceremony::preflight::Moment::Later)?;
    r.json = Some(to_value(&status_json)?);
    if tree {
        if let Some(t) = ceremony::report::tree(&c)? {
            r.line("trust delegations:");
            for l in crate::tree::tree_text(&t) {
                r.line(format!("  {l}"));
            }
        }
    }
    print(&r, json)?;
    Ok(0)
}

/// `report`.
fn report(out: std::path::PathBuf, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open(dir, now, Access::Read)?;
    c.trust = x.trust()?;
    let name = out.to_string_lossy().to_lowercase();
    let text = if name.ends_with(".md") || name.ends_with(".markdown") {
        ceremony::report::markdown(&c)?
    } else if name.ends_with(".html") || name.ends_with(".htm") {
        ceremony::report::html(&c)?
    } else {
        return Err(Error::Invalid(format!(
            "{}: name the report FILE.html (printable page) or FILE.md (Markdown)",
            out.display()
        )));
    };
    ceremony::refuse_output_inside(&out, "a report")?;
    crate::fsutil::write_new(&out, text.as_bytes()).map_err(|e| {
        if e.already_exists() {
            Error::Refused(format!(
                "{} already exists; a report is never overwritten. Choose another name",
                out.display()
            ))
        } else {
            e.into()
        }
    })?;
    let mut r = Report::default();
    r.line(format!("wrote {}", out.display()));
    for line in ceremony::transcript_check::head_lines(&c)? {
        r.line(line);
    }
    print(&r, json)?;
    Ok(0)
}

/// `verify`.
fn verify(a: crate::cli::VerifyArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let c = Ceremony::open(dir, now, Access::Read)?;
    let (r, ok) = ceremony::verify_cmd::verify(&c, a.trusted_root.as_deref(), a.repo.as_deref())?;
    print(&with_warnings(r), json)?;
    Ok(if ok { 0 } else { 1 })
}

/// `export`.
fn export(a: crate::cli::ExportArgs, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let mut c = Ceremony::open(dir, now, Access::Write)?;
    c.trust = x.trust()?;
    let mut r = ceremony::export::export(&c, &a.out)?;
    ceremony::preflight::warn(&c, &mut r, ceremony::preflight::Moment::Later)?;
    print(&with_warnings(r), json)?;
    Ok(0)
}

/// `clients`: the pre-flight, per client.
fn clients(x: &Context) -> Result<i32> {
    let c = Ceremony::open(&x.dir, x.now, Access::Read)?;
    print(&ceremony::preflight::report(&c)?, x.json)?;
    Ok(0)
}

/// `rstuf import` and `rstuf export`.
fn rstuf(cmd: crate::cli::RstufCommand, x: &Context) -> Result<i32> {
    use crate::ceremony::rstuf::{self as r, ExportKind};
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let report = match cmd {
        crate::cli::RstufCommand::Import(a) => {
            let mut c = Ceremony::open_or_create(dir, now)?;
            r::import(
                &mut c,
                &a.file,
                &a.role,
                &named(&a.keyholders, "--keyholder")?,
            )?
        }
        crate::cli::RstufCommand::Export(a) => {
            let c = Ceremony::open(dir, now, Access::Write)?;
            let kind = match (a.bootstrap, a.update, a.keyholder) {
                (Some(from), _, _) => ExportKind::Bootstrap(from),
                (_, Some(from), _) => ExportKind::Update(from),
                (_, _, Some(keyholder)) => ExportKind::Sign { keyholder },
                _ => {
                    return Err(Error::Invalid(
                        "give --bootstrap FILE, --update [FILE] or --sign --keyholder NAME".into(),
                    ))
                }
            };
            r::export(&c, &kind, &a.out)?
        }
    };
    print(&report, json)?;
    Ok(0)
}

/// `transcript show`.
fn transcript_show(x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let c = Ceremony::open_for_audit(dir, now, Access::Read)?;
    print(&ceremony::transcript_check::show(&c)?, json)?;
    Ok(0)
}

/// `transcript sign`.
fn transcript_sign(a: crate::cli::TranscriptSignArgs, x: &Context) -> Result<i32> {
    let (now, secrets, json, dir) = (x.now, &x.secrets, x.json, &x.dir);
    let c = Ceremony::open(dir, now, Access::Write)?;
    let opts = ceremony::transcript_sign::RecordSignOptions {
        signer: SignerRef::parse(&a.signer)?,
        as_name: a.as_name,
        yes: a.yes,
    };
    print(
        &ceremony::transcript_sign::sign(&c, &opts, secrets, &mut confirm_on_terminal)?,
        json,
    )?;
    Ok(0)
}

/// `transcript verify`.
fn transcript_verify(head: Option<String>, x: &Context) -> Result<i32> {
    let (now, json, dir) = (x.now, x.json, &x.dir);
    let c = Ceremony::open_for_audit(dir, now, Access::Read)?;
    let (r, ok) = ceremony::transcript_check::verify(&c, head.as_deref())?;
    print(&r, json)?;
    Ok(if ok { 0 } else { 1 })
}
