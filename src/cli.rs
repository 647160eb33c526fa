//! The command line, and nothing else: clap definitions only (as rage's `cli.rs`), so the
//! build can also produce man pages and completions from them. What each command does is in
//! `app.rs` and the library.

use crate::names::RoleName;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// TUF key ceremonies: sign root, targets and PEP 480 claimed metadata offline, with
/// threshold signatures from named keyholders, recorded in a hash-chained transcript.
#[derive(Parser, Debug)]
#[command(name = "tuf-ceremony", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success; 1 verification failed or thresholds not met; 2 usage error; 3 invalid input; 4 refused by a rule; 5 signing device, key file or secret error; 6 file system error; 7 internal error (a bug in tuf-ceremony)."
)]
pub struct Cli {
    /// The ceremony directory.
    #[arg(
        short = 'C',
        long = "dir",
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub dir: PathBuf,
    /// Machine-readable output where a command reports.
    #[arg(long, global = true)]
    pub json: bool,
    /// Read the passphrase, PIN or HSM password from the first line of this file instead of
    /// the terminal (for automation, e.g. /dev/fd/3). Never give a secret on the command line.
    #[arg(long, global = true, value_name = "PATH")]
    pub passphrase_file: Option<PathBuf>,
    /// The CA certificates (PEM) a device's key attestation must chain to, instead of
    /// Yubico's built in; also TUF_CEREMONY_ATTESTATION_CA=FILE. For a YubiHSM 2 or YubiKey
    /// whose attestation key your organisation replaced.
    #[arg(long, global = true, value_name = "FILE")]
    pub attestation_ca: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// A role named on the command line for a command that works on one the ceremony has
/// (`sign`, `changes`, `expires`): a top-level role's name in other letter case is a slip,
/// told in one line ([`RoleCase`]); any other name that breaks a naming rule is refused
/// as [`RoleName::parse`] refuses it.
fn role_arg(name: &str) -> Result<RoleName, Box<dyn std::error::Error + Send + Sync>> {
    match RoleName::parse(name) {
        Ok(role) => Ok(role),
        Err(e) => match e.rule {
            crate::names::Rule::TopLevel(top) if top.eq_ignore_ascii_case(name) => {
                Err(Box::new(RoleCase {
                    given: name.to_string(),
                    meant: top,
                }))
            }
            _ => Err(Box::new(e)),
        },
    }
}

/// A top-level role's name typed in other letter case (`sign Root`): role names are
/// case-sensitive (TUF spec 4.3 names them in lower case). Exit code 3, as any other name.
#[derive(Debug, thiserror::Error)]
#[error("there is no role \"{given}\": role names are case-sensitive; did you mean {meant}?")]
pub struct RoleCase {
    /// As typed: ASCII letters only, since it equals a top-level name but for case.
    pub given: String,
    pub meant: &'static str,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generate and show keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Show a metadata file: type, version, expiry, keys, roles, signatures.
    #[command(
        after_help = "Examples:\n  tuf-ceremony inspect 2.root.json --digest\n  tuf-ceremony inspect repo/claimed.json --tree"
    )]
    Inspect(InspectArgs),
    /// Start a ceremony: new unsigned root and targets (and claimed) from public keys.
    #[command(
        after_help = "Example:\n  tuf-ceremony -C ceremony init --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json \\\n    --keyholder carol=carol.pub.json --root-threshold 2 --targets-threshold 2 \\\n    --online-key snapshot=snapshot.pub.json --online-key timestamp=timestamp.pub.json"
    )]
    Init(InitArgs),
    /// Import metadata made elsewhere (python-tuf, RSTUF), or record the trusted root.
    #[command(
        after_help = "Examples:\n  tuf-ceremony load --trusted 1.root.json\n  tuf-ceremony load root.json targets.json --keyholder alice=alice.pub.json"
    )]
    Load(LoadArgs),
    /// Edit root: add or remove (revoke) keys, set thresholds.
    #[command(subcommand)]
    Root(RootCommand),
    /// Keyholders across every role: retire one (or one key) from all roles at once.
    #[command(subcommand)]
    Keyholder(KeyholderCommand),
    /// Set a role's expiry.
    #[command(
        after_help = "Examples: tuf-ceremony expires root 365d; tuf-ceremony expires targets 2027-06-30"
    )]
    Expires(ExpiresArgs),
    /// Delegate from targets: to a role signed offline (PEP 480's claimed) or online
    /// (recently-claimed, unclaimed).
    #[command(
        after_help = "Examples:\n  tuf-ceremony delegate claimed --key alice=alice.pub.json --key bob=bob.pub.json --threshold 2 --path '*/*'\n  tuf-ceremony delegate recently-claimed --online-key online.pub.json --threshold 1 --path '*/*'\n\nPEP 480 order: delegate claimed first, then recently-claimed, then unclaimed (earlier delegations are searched first); claimed is not terminating, so a project it does not know is looked up in recently-claimed."
    )]
    Delegate(DelegateArgs),
    /// PEP 480's claimed role: one delegation per project, to its developers' keys.
    #[command(subcommand)]
    Claimed(ClaimedCommand),
    /// Sign a role, after showing what is signed and asking for confirmation.
    #[command(
        after_help = "Examples:\n  tuf-ceremony sign root --signer file:alice.key\n  tuf-ceremony sign root --signer file:erin.key --detached erin-root.sig.json"
    )]
    Sign(SignArgs),
    /// Signing at another site: write a signing request for a keyholder to carry away, or
    /// (on their machine, with no ceremony folder) show its sign screen and sign it.
    #[command(subcommand)]
    Request(RequestCommand),
    /// Add detached signatures made on another machine, after verifying each.
    #[command(
        after_help = "A signature file made with a YubiHSM 2 or a YubiKey (PIV) carries the device's attestation\ncertificates: merge verifies them against Yubico's CAs, or the ones given with\n--attestation-ca FILE (or TUF_CEREMONY_ATTESTATION_CA=FILE), for the key that signed, and\nrecords what they prove in the transcript. Certificates that do not verify are warned\nabout and recorded as not attested; the signature is still merged.\n\nExamples:\n  tuf-ceremony merge /media/usb/erin-root.sig.json\n  tuf-ceremony --attestation-ca our-yubihsm-ca.pem merge /media/usb/erin-root.sig.json"
    )]
    Merge(MergeArgs),
    /// Every change of a role against its trusted version, however many (sign shows the
    /// first few).
    #[command(after_help = "Example: tuf-ceremony changes claimed > claimed-changes.txt")]
    Changes {
        /// root, targets, or a delegated role such as claimed.
        #[arg(value_parser = role_arg)]
        role: RoleName,
    },
    /// Per TUF client (python-tuf, go-tuf, tough, tuf-js, rust-tuf, RSTUF): whether it
    /// accepts the folder's metadata as it would be exported, why not, and what it accepts.
    #[command(after_help = "Example: tuf-ceremony -C ceremony clients --json")]
    Clients,
    /// Per role: signatures collected against each threshold, who signed, who is missing.
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony status\n  tuf-ceremony -C ceremony status --tree"
    )]
    Status {
        /// Also draw the delegation tree (root → roles → claimed → projects).
        #[arg(long)]
        tree: bool,
        /// List, soonest first, every role expiring within this window (e.g. 90d, 26w).
        #[arg(long, value_name = "DURATION", default_value = "60d")]
        within: String,
        /// Also summarise each role's changes against its trusted version (counts and the
        /// first few; `changes ROLE` lists all). Reads the trusted versions too.
        #[arg(long)]
        changes: bool,
    },
    /// A printable ceremony report: what was signed, who signed with which device and when,
    /// thresholds, changes, a picture of the trust delegations, and sign-off lines.
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony report --out ceremony-report.html\n  tuf-ceremony -C ceremony report --out ceremony-report.md\n\nThe HTML is one self-contained page (print it from a browser); the form follows the file name."
    )]
    Report {
        /// ceremony-report.html or ceremony-report.md (never overwritten).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Everything a TUF client would check, from the trusted root on.
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony verify --trusted-root 1.root.json\n  tuf-ceremony -C ceremony verify --repo /media/usb/metadata"
    )]
    Verify(VerifyArgs),
    /// Write the signed metadata, only if every threshold is met.
    #[command(after_help = "Example: tuf-ceremony export --out /media/usb/metadata")]
    Export(ExportArgs),
    /// The record of the ceremony.
    #[command(subcommand)]
    Transcript(TranscriptCommand),
    /// Put a ceremony policy in force, or remove it: recorded acts that `status`, `export`
    /// and the report name (a `policy.toml` changed by hand is refused).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// RSTUF (Repository Service for TUF): read the payloads it hands the offline machine,
    /// write the ones it takes back. RSTUF signs root offline and every other role online.
    #[command(subcommand)]
    Rstuf(RstufCommand),
    /// Shell completions on standard output (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  tuf-ceremony completions bash > /etc/bash_completion.d/tuf-ceremony\n  tuf-ceremony completions zsh > ~/.zfunc/_tuf-ceremony"
    )]
    Completions {
        /// The shell to write completions for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Man pages for tuf-ceremony and each of its subcommands, written into a folder.
    #[command(after_help = "Example: tuf-ceremony manpages --out /usr/local/share/man/man1")]
    Manpages {
        /// The folder to write the man pages into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Generate a key in a passphrase-encrypted key file (and NAME.pub.json beside it), or
    /// inside a device (--signer), whose attestation of the new key is verified and shown.
    #[command(
        after_help = "Examples:\n  tuf-ceremony key generate --out alice.key --keyholder alice\n  tuf-ceremony key generate --signer 'pkcs11:token=alice;object=root?module-path=/usr/lib/x86_64-linux-gnu/libykcs11.so' --scheme ecdsa-p256 --pub-out alice.pub.json\n  tuf-ceremony key generate --signer 'yubihsm://usb/?key=0x0101&auth=1&label=root-alice' --pub-out alice.pub.json"
    )]
    Generate(KeyGenerateArgs),
    /// Show a public key's TUF JSON and keyid (from a public key file or a signer); for a
    /// device, also what its attestation proves (serial, firmware, key origin, policy).
    #[command(
        after_help = "Examples:\n  tuf-ceremony key show alice.pub.json\n  tuf-ceremony -C ceremony key show dave.pub.json   (also where the ceremony trusts it)\n  tuf-ceremony key show file:alice.key\n  tuf-ceremony key show 'yubihsm://usb/?key=0x0101&auth=1'\n  tuf-ceremony key show 'pkcs11:token=alice;object=root?module-path=/usr/lib/softhsm/libsofthsm2.so'"
    )]
    Show(KeyShowArgs),
}

#[derive(Args, Debug)]
pub struct KeyGenerateArgs {
    /// The new key file (NAME.key); NAME.pub.json is written beside it.
    #[arg(long, value_name = "NAME.key", required_unless_present = "signer")]
    pub out: Option<PathBuf>,
    /// Generate inside a device instead (yubihsm://… or pkcs11:…); the private key never
    /// leaves it.
    #[arg(long, value_name = "SIGNER", conflicts_with = "out")]
    pub signer: Option<String>,
    /// With --signer: also write the new public key here (NAME.pub.json), to hand to the
    /// ceremony administrator.
    #[arg(long, value_name = "NAME.pub.json", requires = "signer")]
    pub pub_out: Option<PathBuf>,
    /// ed25519, ecdsa-p256 or ecdsa-p384; in a PKCS#11 token also rsassa-pss-sha256 (an
    /// RSA-3072 key).
    #[arg(long, default_value = "ed25519")]
    pub scheme: String,
    /// Who holds this key (recorded inside the key file).
    #[arg(long, value_name = "NAME")]
    pub keyholder: Option<String>,
}

#[derive(Args, Debug)]
pub struct KeyShowArgs {
    /// A public key file (NAME.pub.json or PEM) or a signer reference (file:NAME.key,
    /// yubihsm://…, pkcs11:…). A device is only asked for its public key: nothing is signed.
    /// With a ceremony folder (-C DIR, or the current folder if it is one), also who the
    /// ceremony records as its keyholder and which roles list it, working and trusted.
    pub key: String,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// A TUF metadata file (root, targets, snapshot, timestamp or a delegated role's).
    pub file: PathBuf,
    /// Write the canonical bytes of `signed` (what signatures cover) to stdout.
    #[arg(long, conflicts_with = "digest")]
    pub canonical: bool,
    /// Print the SHA-256 of the canonical bytes of `signed`.
    #[arg(long)]
    pub digest: bool,
    /// The root (or delegating targets) whose keys check this file's signatures.
    #[arg(long, value_name = "FILE")]
    pub delegator: Option<PathBuf>,
    /// Draw the roles this file trusts or delegates to, as a tree.
    #[arg(long, conflicts_with_all = ["canonical", "digest"])]
    pub tree: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// A root keyholder and their public key file; once per person.
    #[arg(long = "keyholder", value_name = "NAME=PUBFILE", required = true)]
    pub keyholders: Vec<String>,
    /// How many of the root keyholders must sign root (TUF spec 4.3: a threshold of
    /// root keys); at most the number of --keyholder.
    #[arg(long, value_name = "N")]
    pub root_threshold: u64,
    /// Keys for the targets role, if not the root keyholders' keys.
    #[arg(long = "targets-key", value_name = "NAME=PUBFILE")]
    pub targets_keys: Vec<String>,
    /// How many of the targets keys must sign targets.
    #[arg(long, value_name = "N")]
    pub targets_threshold: u64,
    /// The online keys' public halves: snapshot=PUBFILE and timestamp=PUBFILE.
    #[arg(long = "online-key", value_name = "ROLE=PUBFILE", required = true)]
    pub online_keys: Vec<String>,
    /// When root expires: YYYY-MM-DD, a full UTC time, or a duration from now (365d, 52w,
    /// 1y). A year by default, as PEP 458 advises.
    #[arg(long, default_value = "365d", value_name = "WHEN")]
    pub root_expires: String,
    /// When targets expires, written as for --root-expires. A year by default.
    #[arg(long, default_value = "365d", value_name = "WHEN")]
    pub targets_expires: String,
    /// Do not set consistent_snapshot (PEP 458 recommends it on).
    #[arg(long)]
    pub no_consistent_snapshot: bool,
    /// The spec_version written in root and targets: 1.0.31 (python-tuf 7's) by default;
    /// "1.0" for a repository that rust-tuf must read (`tuf-ceremony clients` says which
    /// clients need what).
    #[arg(long, value_name = "VERSION", default_value = crate::metadata::SPEC_VERSION)]
    pub spec_version: String,
    /// Also delegate targets → claimed (PEP 480) to these keys.
    #[arg(long = "claimed-key", value_name = "NAME=PUBFILE")]
    pub claimed_keys: Vec<String>,
    /// How many of the --claimed-key keys must sign claimed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub claimed_threshold: u64,
    /// Path patterns claimed is trusted for (default "*"). As in python-tuf and the TUF spec,
    /// a pattern is matched segment by segment: "*" matches "a.tar.gz" but not
    /// "pkg/a.tar.gz"; use "pkg/*" or "packages/*/*/*/*" for nested paths.
    #[arg(long = "claimed-path", value_name = "GLOB")]
    pub claimed_paths: Vec<String>,
    /// When claimed expires: YYYY-MM-DD, a full UTC time, or a duration from now. Half a
    /// year by default, as PEP 458 advises for claimed (re-signed at every move from
    /// recently-claimed).
    #[arg(long, default_value = "182d", value_name = "WHEN")]
    pub claimed_expires: String,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Metadata files to bring in (ROLE.json or N.ROLE.json: the role is named by the file
    /// name); each becomes the role's working metadata, or with --trusted its trusted one.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Record these fully signed files as the trusted versions the next ones must follow.
    #[arg(long)]
    pub trusted: bool,
    /// Name the holder of a key in the loaded metadata.
    #[arg(long = "keyholder", value_name = "NAME=PUBFILE")]
    pub keyholders: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum RootCommand {
    /// Add a key to a top-level role.
    #[command(
        after_help = "Example: tuf-ceremony root add-key root dave.pub.json --keyholder dave"
    )]
    AddKey {
        /// root, targets, snapshot or timestamp.
        role: String,
        /// The public key file to add (NAME.pub.json as `key generate` writes it, or PEM).
        pubfile: PathBuf,
        /// Who holds the key (recorded in the ceremony, shown wherever the key is); an
        /// online role's key is named repository-online-key.
        #[arg(long, value_name = "NAME")]
        keyholder: Option<String>,
    },
    /// Remove (revoke) a key from a top-level role.
    #[command(after_help = "Example: tuf-ceremony root remove-key root carol --threshold 3")]
    RemoveKey {
        /// root, targets, snapshot or timestamp.
        role: String,
        /// A keyholder name, a keyid, or its first 8+ hex digits.
        key: String,
        /// Set the role's threshold at the same time.
        #[arg(long, value_name = "N")]
        threshold: Option<u64>,
    },
    /// Set a top-level role's threshold.
    #[command(after_help = "Example: tuf-ceremony root set-threshold root 3")]
    SetThreshold {
        /// root, targets, snapshot or timestamp.
        role: String,
        /// How many of the role's keys must sign: at least 1, at most the keys listed.
        threshold: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum KeyholderCommand {
    /// Remove a keyholder's keys (or one key) from every role that lists them: root's
    /// roles, targets' delegations (claimed) and the delegations of the roles this
    /// ceremony signs. One recorded edit of every file changed; refused, naming the role,
    /// if any role would be left below its threshold.
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony keyholder retire dave\n  tuf-ceremony -C ceremony keyholder retire --key erin-old.pub.json\n  tuf-ceremony -C ceremony keyholder retire --key 8f3e21a9c0\n\nThe keyholder stays recorded (the trusted metadata and the transcript still name them); each changed role needs signing again."
    )]
    Retire {
        /// The keyholder's name, as recorded (`tuf-ceremony status` lists them).
        #[arg(required_unless_present = "key", conflicts_with = "key")]
        name: Option<String>,
        /// One key instead: a keyid, its first 8+ hex digits, or a public key file.
        #[arg(long, value_name = "KEYID|PUBFILE")]
        key: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct ExpiresArgs {
    /// root, targets, or a delegated role this ceremony signs, such as claimed.
    #[arg(value_parser = role_arg)]
    pub role: RoleName,
    /// YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD, or a duration from now (365d, 26w, 1y). Leave it
    /// out to see the date the repository's policy suggests (nothing is changed).
    pub when: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ClaimedCommand {
    /// Delegate a project to its developers' public keys.
    #[command(
        after_help = "Examples:\n  tuf-ceremony claimed add-project requests --key kenneth.pub.json\n  tuf-ceremony claimed add-project numpy --key a.pub.json --key b.pub.json --threshold 2 --path 'numpy/*' --path 'simple/numpy/*'\n\nThe default path pattern is NAME/* (python-tuf matches * within one path segment)."
    )]
    AddProject {
        /// The project name (PEP 508; unique after PEP 503 normalisation).
        name: String,
        /// A developer's public key file (NAME.pub.json or PEM); once per key.
        #[arg(long = "key", value_name = "PUBFILE", required = true)]
        keys: Vec<PathBuf>,
        /// How many of the project's keys must sign its metadata.
        #[arg(long, default_value_t = 1, value_name = "N")]
        threshold: u64,
        /// Path patterns the project is trusted for (default NAME/*).
        #[arg(long = "path", value_name = "GLOB")]
        paths: Vec<String>,
        /// A developer key `claimed revoke-key` revoked, to be trusted again after all
        /// (its keyid, or 8+ leading hex digits); recorded in the transcript.
        #[arg(long = "readmit-revoked-key", value_name = "KEYID")]
        readmit: Vec<String>,
        /// The offline role holding project delegations.
        #[arg(long, default_value = "claimed", value_name = "ROLE", value_parser = RoleName::parse_delegated)]
        role: RoleName,
    },
    /// Remove projects' delegations (and keys no project uses any more).
    #[command(
        after_help = "Example: tuf-ceremony claimed remove-project old-project other-project"
    )]
    RemoveProject {
        /// The projects to remove, by name (PEP 503 normalised: Foo_Bar is foo-bar).
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
        /// The offline role holding project delegations.
        #[arg(long, default_value = "claimed", value_name = "ROLE", value_parser = RoleName::parse_delegated)]
        role: RoleName,
    },
    /// Revoke a developer key from every project that lists it; reports projects left below
    /// their threshold.
    #[command(
        after_help = "Examples:\n  tuf-ceremony claimed revoke-key 8f3e21a9c0\n  tuf-ceremony claimed revoke-key stolen.pub.json"
    )]
    RevokeKey {
        /// A keyid (or 8+ digit prefix) or a public key file.
        key: String,
        /// The offline role holding project delegations.
        #[arg(long, default_value = "claimed", value_name = "ROLE", value_parser = RoleName::parse_delegated)]
        role: RoleName,
    },
    /// Move the projects of an online-signed recently-claimed into claimed (PEP 480).
    #[command(
        after_help = "Example: tuf-ceremony claimed import-recently-claimed /media/usb/recently-claimed.json --out /media/usb/for-online\n\nWrites OUT/moved-projects.txt and an unsigned OUT/recently-claimed.json without the moved projects, for the online side to sign."
    )]
    ImportRecentlyClaimed {
        /// recently-claimed metadata signed by the repository's online key.
        file: PathBuf,
        /// A folder for the files the online side needs.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The offline role the projects move into.
        #[arg(long, default_value = "claimed", value_name = "ROLE", value_parser = RoleName::parse_delegated)]
        role: RoleName,
        /// The online role the projects come from.
        #[arg(long, default_value = "recently-claimed", value_name = "ROLE", value_parser = RoleName::parse_delegated)]
        from: RoleName,
        /// A developer key `claimed revoke-key` revoked, to be trusted again after all
        /// (its keyid, or 8+ leading hex digits); recorded in the transcript.
        #[arg(long = "readmit-revoked-key", value_name = "KEYID")]
        readmit: Vec<String>,
    },
}

#[derive(Args, Debug)]
pub struct DelegateArgs {
    /// The delegated role, e.g. claimed (offline keyholders) or recently-claimed (online key).
    #[arg(value_parser = RoleName::parse_delegated)]
    pub name: RoleName,
    /// A keyholder's key, for a role signed offline in a ceremony.
    #[arg(
        long = "key",
        value_name = "NAME=PUBFILE",
        required_unless_present = "online_keys"
    )]
    pub keys: Vec<String>,
    /// The repository's online key, for a role it signs itself (recently-claimed, unclaimed).
    #[arg(long = "online-key", value_name = "PUBFILE", conflicts_with = "keys")]
    pub online_keys: Vec<PathBuf>,
    /// How many of the role's keys must sign it.
    #[arg(long, value_name = "N")]
    pub threshold: u64,
    /// Path patterns the role is trusted for (a new delegation: "*"; an existing one keeps
    /// its own; matched segment by segment, so "*" does not match "pkg/a.tar.gz": use "pkg/*").
    #[arg(long = "path", value_name = "GLOB")]
    pub paths: Vec<String>,
    /// A terminating delegation: a target path it is trusted for is never looked up in
    /// later delegations (TUF spec 5.6.7.2). Leave PEP 480's claimed non-terminating.
    #[arg(long)]
    pub terminating: bool,
    /// Expiry of a newly created role file.
    #[arg(long, default_value = "365d", value_name = "WHEN")]
    pub expires: String,
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// root, targets, or a delegated role such as claimed.
    #[arg(value_parser = role_arg)]
    pub role: RoleName,
    /// file:PATH, yubihsm://…, or pkcs11:…
    #[arg(long, value_name = "SIGNER")]
    pub signer: Option<String>,
    /// The keyholder's name, checked against the one the ceremony records for the key
    /// (--as with a key no keyholder is recorded for is refused: name it with `load
    /// --keyholder`).
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Write a signature file to carry to the ceremony machine instead (with the device's
    /// attestation certificates, if it has any, for `merge` to verify).
    #[arg(long, value_name = "OUT")]
    pub detached: Option<PathBuf>,
    /// Do not ask for confirmation (scripts only: a person should read the screen).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Subcommand, Debug)]
pub enum RequestCommand {
    /// Write a signing request: for each ROLE, the working metadata, its trusted version,
    /// the keys and keyholders that sign it and its payload digest, in one file for a
    /// keyholder at another site to carry on removable media (never into the ceremony
    /// folder). Recorded in the transcript.
    #[command(
        after_help = "Example:\n  tuf-ceremony -C ceremony request write root targets --out /media/usb/ceremony-request.json\n\nThe keyholder signs it with `tuf-ceremony request sign` on their own machine and brings back a\nsignature file for `tuf-ceremony -C ceremony merge`. Read them the payload words printed here,\nor print them: their screen must show the same."
    )]
    Write(RequestWriteArgs),
    /// Show the sign screen for a signing request, exactly as `sign` shows it on the ceremony
    /// machine (changes against the trusted version, payload digest and words), and sign it
    /// into a signature file for `merge`. Needs no ceremony folder.
    #[command(
        after_help = "Examples:\n  tuf-ceremony request sign /media/usb/ceremony-request.json --role root --signer file:erin.key --out /media/usb/erin-root.sig.json\n  tuf-ceremony request sign request.json --signer 'yubihsm://usb/?key=0x0101&auth=1' --out erin.sig.json\n\nThe keyholder is the one the request names for the key that signs. The request is checked\nbefore anything is shown: its metadata must have the payload digest it states, and the\nchanges are shown against the version just before."
    )]
    Sign(RequestSignArgs),
}

#[derive(Args, Debug)]
pub struct RequestWriteArgs {
    /// root, targets, or a delegated role such as claimed.
    #[arg(required = true, value_parser = RoleName::parse)]
    pub roles: Vec<RoleName>,
    /// The request file (never overwritten; not inside the ceremony folder).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct RequestSignArgs {
    /// The signing request (`request write` wrote it).
    pub file: PathBuf,
    /// The role to sign, when the request names several.
    #[arg(long, value_parser = RoleName::parse)]
    pub role: Option<RoleName>,
    /// file:PATH, yubihsm://…, or pkcs11:…
    #[arg(long, value_name = "SIGNER")]
    pub signer: String,
    /// The keyholder's name, which may only repeat the one the request names for the key.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// The signature file to write (never overwritten), for `merge`.
    #[arg(long, value_name = "SIG")]
    pub out: PathBuf,
    /// Do not ask for confirmation (scripts only: a person should read the screen).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Signature files written by `sign --detached`.
    #[arg(required = true, value_name = "SIGFILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Start from this root, as a client that trusts it would.
    #[arg(long, value_name = "FILE")]
    pub trusted_root: Option<PathBuf>,
    /// Check the folder `export --out` wrote instead of the ceremony's working metadata:
    /// read as a TUF client reads it (root chain from --trusted-root FILE, else from the
    /// ceremony's first trusted root; then targets and the delegated roles), and each file
    /// byte for byte as the transcript recorded it at export.
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The folder to write the signed metadata into (N.root.json, root.json, targets.json,
    /// each delegated role's file), for the repository. A file there is replaced only by a
    /// newer version of the same role.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum RstufCommand {
    /// Read a file from RSTUF or another TUF tool: a bootstrap payload (`rstuf admin
    /// ceremony`), a metadata update payload (`rstuf admin metadata update`) or a
    /// pending-signatures response (`GET /api/v1/metadata/sign`) loads its root as `load`
    /// does; a sign payload, a bare {"keyid","sig"} or go-tuf's add-signatures list
    /// [{"keyid","sig"}] adds signatures as `merge` does (each must verify over the exact
    /// payload, by a key of the role whose keyholder is recorded).
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony rstuf import ceremony-payload.json --keyholder alice=alice.pub.json --keyholder bob=bob.pub.json\n  tuf-ceremony -C ceremony rstuf import sign-payload.json\n  tuf-ceremony -C ceremony rstuf import erin.sig.json --role root"
    )]
    Import(RstufImportArgs),
    /// Write what RSTUF takes back: the bootstrap or update payload with the signatures
    /// collected (every other member as read; only signatures that verify), or one
    /// keyholder's sign payload. Never overwrites a file.
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony rstuf export --bootstrap ceremony-payload.json --out signed-ceremony-payload.json\n  tuf-ceremony -C ceremony rstuf export --update --out update-payload.json\n  tuf-ceremony -C ceremony rstuf export --sign --keyholder alice --out alice-sign-payload.json"
    )]
    Export(RstufExportArgs),
}

#[derive(Args, Debug)]
pub struct RstufImportArgs {
    /// The payload, response or signature file RSTUF or another TUF tool wrote.
    pub file: PathBuf,
    /// The role a bare signature or a go-tuf list signs (a sign payload names its own).
    #[arg(long, default_value = "root", value_parser = role_arg)]
    pub role: RoleName,
    /// Name the holder of a key, as `load --keyholder` does.
    #[arg(long = "keyholder", value_name = "NAME=PUBFILE")]
    pub keyholders: Vec<String>,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("payload").required(true).args(["bootstrap", "update", "sign"])))]
pub struct RstufExportArgs {
    /// The bootstrap payload this ceremony's root came from (`ceremony-payload.json`):
    /// written again with the signatures collected, `settings` and `timeout` as read.
    #[arg(long, value_name = "FILE")]
    pub bootstrap: Option<PathBuf>,
    /// A metadata update payload for a root rotation; with FILE (the payload `rstuf admin
    /// metadata update` wrote), its other members are kept.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub update: Option<Option<PathBuf>>,
    /// One keyholder's signature on root, as `rstuf admin metadata sign` writes it.
    #[arg(long, requires = "keyholder")]
    pub sign: bool,
    /// With --sign: whose signature.
    #[arg(long, value_name = "NAME")]
    pub keyholder: Option<String>,
    /// The payload file to write (never overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum TranscriptCommand {
    /// The transcript, one readable line per event.
    #[command(after_help = "Example: tuf-ceremony -C ceremony transcript show")]
    Show,
    /// Check the hash chain, that every signature has its entry, and that the keyholders'
    /// signatures over the transcript head (`transcript sign`) still match the lines they
    /// signed, counted against the working root's root threshold; with --head, also that
    /// the transcript still holds the head printed by `export` or `report` and written into
    /// the signed minutes (a transcript cut short or restored from an older copy does not).
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony transcript verify\n  tuf-ceremony -C ceremony transcript verify --head 3f2a…(the 64 hex digits from the minutes)"
    )]
    Verify {
        /// The transcript head (SHA-256 of a line, 64 hex digits) recorded in the minutes.
        #[arg(long, value_name = "SHA256")]
        head: Option<String>,
    },
    /// Sign the transcript's head with your key, at the end of the ceremony: a threshold of
    /// root's keyholders signing it lets `transcript verify` find a transcript rewritten
    /// afterwards. Any key the ceremony's roles list may sign (its proof of possession).
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony transcript sign --signer file:alice.key\n  tuf-ceremony -C ceremony transcript sign --signer 'yubihsm://usb/?key=0x0101&auth=1'\n\nWhat is signed is the canonical JSON {\"_type\":\"tuf-ceremony-transcript-head\",\"head\":\"<SHA-256 of the line>\",\"seq\":N}, never a TUF payload. Keyholders signing one after another sign the same head."
    )]
    Sign(TranscriptSignArgs),
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Check FILE's rules and put them in force as the ceremony's policy.toml, recorded in
    /// the transcript with its SHA-256.
    #[command(
        after_help = "Examples:\n  tuf-ceremony -C ceremony policy set policy.toml\n  tuf-ceremony -C ceremony policy set ceremony/policy.toml   (the file already in the folder, after editing it)"
    )]
    Set {
        /// The policy file (TOML; docs/policy.md lists every field).
        file: PathBuf,
    },
    /// Remove the ceremony's policy, recorded in the transcript: no rule applies after it.
    #[command(after_help = "Example: tuf-ceremony -C ceremony policy remove")]
    Remove,
}

#[derive(Args, Debug)]
pub struct TranscriptSignArgs {
    /// file:PATH, yubihsm://…, or pkcs11:… (as for `sign`).
    #[arg(long, value_name = "SIGNER")]
    pub signer: String,
    /// The keyholder's name (default: the name recorded for the key).
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Do not ask for confirmation (scripts only: a person should read the screen).
    #[arg(long)]
    pub yes: bool,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every subcommand's --help ends with an example, and the definitions are
    /// consistent (clap's own debug checks).
    #[test]
    fn every_subcommand_has_an_example() {
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        fn walk(c: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for sub in c.get_subcommands() {
                let here = format!("{path} {}", sub.get_name());
                if sub.has_subcommands() {
                    walk(sub, &here, missing);
                } else {
                    let help = sub
                        .get_after_help()
                        .map(|h| h.to_string())
                        .unwrap_or_default();
                    if !help.contains("Example") {
                        missing.push(here);
                    }
                }
            }
        }
        let mut missing = Vec::new();
        walk(&cmd, "tuf-ceremony", &mut missing);
        assert!(missing.is_empty(), "no example in --help: {missing:?}");
    }
}
