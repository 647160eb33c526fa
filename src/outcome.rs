//! The typed outcomes of the trust path: why a command refuses, rejects its input or fails,
//! each a variant that carries its facts (role, version, file, keyids, digests, counts),
//! with its words and its advice here, next to the variant, and nowhere else. [`Error`]
//! wraps them; the exit code follows from the enum (README "Exit codes").
//!
//! Values from input (file names, role names, keyholders, keyids) are kept raw in the
//! variant and escaped only when shown, as everywhere else (src/display.rs).
//!
//! [`Error`]: crate::error::Error

use crate::display::{escape, path, short};
use std::path::PathBuf;

/// A rule the operation would break: exit code 4.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The payload expires within a week (or has expired): a signature over it is wasted.
    #[error(
        "{role} v{version} {} ({expires}); clients would soon refuse it. Set a later expiry first: `tuf-ceremony expires {role} 365d`",
        if *.expired { "has already expired" } else { "expires within 7 days" }
    )]
    ExpiresTooSoon {
        role: String,
        version: u64,
        expires: String,
        expired: bool,
    },
    /// The payload expires more than 10 years from now.
    #[error("{role} v{version} expires {expires} ({years} years from now). A signature that lasts that long keeps a lost or stolen key dangerous until then, and no rotation is ever forced. Set an expiry within 10 years first: `tuf-ceremony expires {role} 365d`")]
    ExpiresTooLate {
        role: String,
        version: u64,
        expires: String,
        years: i64,
    },
    /// A key the payload lists under a keyid that matches neither keyid convention
    /// (`warning` says which key and where).
    #[error("{warning} Signing a new payload with it is refused until it is fixed.")]
    KeyIdMatchesNeither { warning: String },
    /// The keyholder did not confirm what they were shown.
    #[error("not confirmed; nothing was signed")]
    NotConfirmed,
    /// The role lists the device's key with another scheme than the device signs with.
    #[error(
        "{} lists the key in {} (keyid {}) with scheme {}, but the device signs {}; such a signature would not count. Nothing was signed. List the key with the device's scheme (`tuf-ceremony key show` prints it), or sign with a device that makes {} signatures",
        escape(.role), escape(.device), short(.keyid), escape(.listed_scheme), escape(.device_scheme), escape(.listed_scheme)
    )]
    SchemeMismatch {
        role: String,
        device: String,
        keyid: String,
        listed_scheme: String,
        device_scheme: String,
    },
    /// The device's key is not one the role's delegation authorizes. `may_sign` describes
    /// each authorized key as the ceremony names it; `role_schemes` are the schemes the
    /// role's keys are listed with.
    #[error(
        "the key in {} (keyid {}){} is not one of the keys that may sign {} v{version}. It may be signed by: {}.{} Check that the right device or key file is in use",
        escape(.device), short(.keyid), recorded_as(.owner), escape(.role), .may_sign.join(", "),
        scheme_note(.key_scheme, .role, .role_schemes)
    )]
    KeyMayNotSign {
        device: String,
        keyid: String,
        owner: Option<String>,
        role: String,
        version: u64,
        may_sign: Vec<String>,
        key_scheme: String,
        role_schemes: Vec<String>,
    },
    /// A key nobody is recorded for, said to be the key of a keyholder recorded with
    /// another key: most often that keyholder's key of another ceremony.
    #[error(
        "the key in {} (keyid {}) is not the key recorded for {}: this ceremony records {}'s key as {}. Is it {}'s key of another ceremony? Sign with the key recorded here",
        escape(.device), short(.keyid), escape(.name), escape(.name),
        .recorded.iter().map(|k| short(k)).collect::<Vec<_>>().join(" and "), escape(.name)
    )]
    NotTheRecordedKey {
        device: String,
        keyid: String,
        name: String,
        recorded: Vec<String>,
    },
    /// `--as` names another keyholder than the one recorded for the key.
    #[error("this key is recorded as {}'s, but --as says {}. The transcript must name the real keyholder: drop --as, or use your own key", escape(.recorded), escape(.given))]
    AsOtherKeyholder { recorded: String, given: String },
    /// `--as` names the holder of a key the ceremony records nobody for.
    #[error(
        "this ceremony records no keyholder for this key (keyid {}), and --as {} is only your word: a signature is recorded for the keyholder the ceremony records for the key, never for a name given on the command line. Nothing was signed. Name the key's holder first (`tuf-ceremony -C {dir} load {dir}/root.json --keyholder NAME=PUBFILE` loads the working file again unchanged and records the name), then sign again",
        short(.keyid), escape(.given), dir = path(.dir)
    )]
    AsWithoutKeyholder {
        keyid: String,
        given: String,
        dir: PathBuf,
    },
    /// The ceremony records no keyholder for the signing key, and the key names nobody.
    #[error(
        "this ceremony records no keyholder for this key (keyid {}); name its holder first (`tuf-ceremony -C {dir} load {dir}/root.json --keyholder NAME=PUBFILE` loads the working file again unchanged and records the name), then sign again",
        short(.keyid), dir = path(.dir)
    )]
    NoKeyholder { keyid: String, dir: PathBuf },
    /// A signing request whose ceremony names nobody for the signing key.
    #[error(
        "{} names no keyholder for this key (keyid {}); a signature counts for the keyholder the ceremony records for its key. Nothing was signed. Ask the ceremony administrator to name the key's holder and write the request again",
        path(.dir), short(.keyid)
    )]
    RequestNamesNoKeyholder { dir: PathBuf, keyid: String },
    /// A signature file over another payload or version than the working file's.
    #[error(
        "{}: signed {} v{signed_version} with payload {}, but the {} here is v{version} with payload {}. The metadata changed after it was carried over; the keyholder must sign the current version again",
        path(.file), escape(.role), short(.signed_payload), escape(.role), short(.payload)
    )]
    StaleSignature {
        file: PathBuf,
        role: String,
        signed_version: u64,
        signed_payload: String,
        version: u64,
        payload: String,
    },
    /// A signature file's keyid the role does not authorize.
    #[error("{}: keyid {} may not sign {} v{version}; the signature is not added", path(.file), short(.keyid), escape(.role))]
    KeyIdMayNotSign {
        file: PathBuf,
        keyid: String,
        role: String,
        version: u64,
    },
    /// A signature file's signature that does not verify (`signer` as the ceremony
    /// describes its key).
    #[error("{}: the signature by {signer} does not verify ({why}); nothing was merged", path(.file))]
    MergedSignatureInvalid {
        file: PathBuf,
        signer: String,
        why: String,
    },
    /// A signature file holding the signatures of several keys.
    #[error("{}: its signatures were made by {keys} different keys; a signature file holds the signatures of one key, as `tuf-ceremony sign --detached` writes it. Nothing was merged; have each keyholder sign into a file of their own", path(.file))]
    SigFileOfManyKeys { file: PathBuf, keys: usize },
    /// A signature file naming another keyholder than the one recorded for its key.
    #[error(
        "{}: the file says {} signed, but the key that made the signature (keyid {}) is recorded in this ceremony as {}'s. A signature is recorded for the keyholder who holds the key, never for the name a file gives; nothing was merged. Ask {} whether they signed, and where this file came from",
        path(.file), escape(.claimed), short(.keyid), escape(.recorded), escape(.recorded)
    )]
    SigFileOtherKeyholder {
        file: PathBuf,
        claimed: String,
        keyid: String,
        recorded: String,
    },
    /// A signature file by a key the ceremony records nobody for.
    #[error(
        "{}: the signature by key {} verifies, but this ceremony records no keyholder for that key, and the name the file gives ({}) is only the file's word; nothing was merged. Name the key's holder first (`tuf-ceremony load {}/{}.json --keyholder NAME=PUBFILE` reloads the working file unchanged and records the name), then merge again",
        path(.file), short(.keyid), escape(.claimed), path(.dir), escape(.role)
    )]
    SigFileNoKeyholder {
        file: PathBuf,
        keyid: String,
        claimed: String,
        dir: PathBuf,
        role: String,
    },
    /// A signing request given to `merge`, made for another ceremony.
    #[error(
        "{}: this signing request was made for ceremony {}, this folder is ceremony {}; and it is a request, not a signature. Nothing was merged",
        path(.file), crate::display::ceremony_id(.theirs), crate::display::ceremony_id(.here)
    )]
    RequestOfOtherCeremony {
        file: PathBuf,
        theirs: String,
        here: String,
    },
    /// A signature file made for another ceremony.
    #[error(
        "{}: this signature was made for ceremony {}, this folder is ceremony {}. Nothing was merged; merge it in the folder of the ceremony it was made for (a ceremony's identity is the SHA-256 of the first line of its transcript.jsonl)",
        path(.file), crate::display::ceremony_id(.theirs), crate::display::ceremony_id(.here)
    )]
    SignatureOfOtherCeremony {
        file: PathBuf,
        theirs: String,
        here: String,
    },
    /// `sign --detached` never overwrites a signature file.
    #[error("{} already exists; a signature file is never overwritten. Choose another name", path(.file))]
    SigFileExists { file: PathBuf },
    /// An export target holding another versioned metadata file of the same name.
    #[error("{} already exists with different contents; a versioned metadata file is never replaced. Export to an empty directory, or find out why two different {role} v{version} exist", .file.display())]
    VersionedFileDiffers {
        file: PathBuf,
        role: String,
        version: u64,
    },
    /// An export target holding a file that is not an older version of the role.
    #[error("{} already exists and is not an older {role}; it is not replaced. Export to an empty directory", .file.display())]
    NotAnOlderVersion { file: PathBuf, role: String },
    /// A role name to load that clashes with another (`clash` says which and why).
    #[error("{}: {clash}; nothing was loaded", .file.display())]
    LoadNameClash {
        file: PathBuf,
        clash: crate::names::NameClash,
    },
    /// Loading a different payload over a working file would lose it and its signatures.
    #[error(
        "{} already holds a different {role} (v{version}, payload {}); loading {} would lose it and its {signatures} signature(s). Finish or move that one first, or use a new directory (-C DIR)",
        .working.display(), short(.payload), .file.display()
    )]
    WorkingHoldsAnother {
        working: PathBuf,
        role: String,
        version: u64,
        payload: String,
        file: PathBuf,
        signatures: usize,
    },
    /// The working file with the loaded file's signatures added would hold too many.
    #[error("{} with the signatures of {} would hold {why}; nothing was loaded. Load a copy without the signatures that do not belong to its keyholders", .working.display(), .file.display())]
    TooManySignatures {
        working: PathBuf,
        file: PathBuf,
        why: String,
    },
    /// A file loaded `--trusted` that a client would not trust: a threshold not met
    /// (`unmet`: counted, threshold), then each other reason (`why`).
    #[error("{}: not recorded as trusted: {}", .file.display(), not_trusted(.unmet, .why))]
    NotTrusted {
        file: PathBuf,
        unmet: Option<(usize, u64)>,
        why: Vec<String>,
    },
    /// A role loaded `--trusted` before the trusted role that delegates to it.
    #[error(
        "{}: not recorded as trusted: load the trusted {} first, so {} can be checked against it",
        .file.display(),
        if .role == "targets" { "root" } else { "targets" },
        if .role == "targets" { "targets" } else { "this delegated role" }
    )]
    TrustedDelegatorFirst { file: PathBuf, role: String },
    /// `init` never overwrites a ceremony's metadata.
    #[error("{} already exists; `init` starts a new ceremony and never overwrites. Use a new directory (-C DIR), or edit the existing metadata", .file.display())]
    InitWouldOverwrite { file: PathBuf },
    /// One keyholder given twice for one role.
    #[error(
        "{flag} names {} twice ({} and {}): a threshold must be met by distinct people, so each keyholder has one key in a role. Give each person once, with their own key",
        escape(.name), .first.display(), .second.display()
    )]
    KeyholderTwice {
        flag: String,
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    /// The folder's files differ from what the transcript records.
    #[error(
        "{}: the folder does not match its record (transcript.jsonl): {}. Nothing was changed. Put back each file the record names (from the ceremony's backup: the copy with the recorded SHA-256), or remove a file added by hand. A deliberate change goes through the command that records it: `load FILE` for metadata, `policy set FILE` or `policy remove` for the policy. Keep the changed files as evidence, and tell the ceremony administrator",
        path(.dir), .mismatches.iter().map(Mismatch::describe).collect::<Vec<_>>().join("; ")
    )]
    FolderDiffersFromRecord {
        dir: PathBuf,
        mismatches: Vec<Mismatch>,
    },
    /// A new file of the ceremony folder would replace one that is there.
    #[error("{} already exists; it is never overwritten. Nothing was changed; move it away or choose another folder", .file.display())]
    NeverOverwritten { file: PathBuf },
    /// A working file that would hold more signatures than metadata may.
    #[error("{} would hold {why}; nothing was written. Load a copy of the {role} metadata without the signatures that do not belong to its keyholders", .file.display())]
    WouldHoldTooManySignatures {
        file: PathBuf,
        role: String,
        why: String,
    },
    /// A new metadata file that would not read back (a value too large for clients).
    #[error("{}: the new file would hold a value that tuf-ceremony and TUF clients cannot read ({why}); nothing was written. Choose a smaller value", .file.display())]
    ValueUnreadable { file: PathBuf, why: String },
    /// A symbolic link inside the ceremony folder on the way to a file it reads or writes.
    #[error(
        "{} is a symbolic link{} inside the ceremony folder {}; tuf-ceremony reads and writes only the folder's own files and folders, never through a link, so the command was refused and nothing was changed. Put the real folder or file in its place (copy what the link points to, then remove the link) and run the command again",
        path(.link), .target.as_ref().map(|t| format!(" (to {})", path(t))).unwrap_or_default(), path(.dir)
    )]
    LinkInFolder {
        link: PathBuf,
        target: Option<PathBuf>,
        dir: PathBuf,
    },
    /// An output (`what`: an export, a report, a signature file, a key) inside a ceremony
    /// folder.
    #[error(
        "{} is inside the ceremony folder {}; {what} is never written into a ceremony folder, which holds only the files its transcript records. Nothing was written. Give a path outside it (for example on the USB stick, or beside the folder)",
        path(.out), path(.dir)
    )]
    OutputInsideFolder {
        out: PathBuf,
        dir: PathBuf,
        what: String,
    },
    /// A key recorded as another keyholder's.
    #[error("key {} is already recorded as {recorded}'s, not {name}'s. One key belongs to one keyholder", short(.keyid))]
    KeyOfAnother {
        keyid: String,
        recorded: String,
        name: String,
    },
    /// A delegated role that targets does not delegate to: nothing authorizes its keys.
    #[error("targets v{version} does not delegate to \"{role}\", so nothing authorizes its keys. Add the delegation with `tuf-ceremony delegate {role} …`")]
    NotDelegated { version: u64, role: String },
    /// A trusted version that no later version can follow (2^63-1).
    #[error("the trusted {role} is at version {trusted}, the largest a TUF version can be: no later {role} can be made, and clients could not read one. Nothing was changed")]
    LastVersion { role: String, trusted: u64 },
    /// A folder without a transcript has no identity for a request to name.
    #[error("{} has no transcript, so the ceremony has no identity to name in a request", path(.dir))]
    NoIdentity { dir: PathBuf },
    /// A role to request signatures on that does not follow its trusted version by one.
    #[error("{} v{version} does not follow its trusted version v{trusted} by one; a keyholder signing from a request sees the changes against the version just before. Nothing was written", escape(.role))]
    RequestNotNext {
        role: String,
        version: u64,
        trusted: u64,
    },
    /// `request write` never overwrites a file.
    #[error("{} already exists; a signing request is never overwritten. Choose another name", path(.file))]
    RequestExists { file: PathBuf },
    /// A request whose metadata is not what it states (version and payload digest).
    #[error(
        "{}: the {} metadata it holds is v{version} with payload {payload}, but the request states v{stated_version} with payload {stated_payload}. It was changed after it was written; nothing was signed. Ask the ceremony administrator for a new request",
        path(.file), escape(.role)
    )]
    RequestChanged {
        file: PathBuf,
        role: String,
        version: u64,
        payload: String,
        stated_version: u64,
        stated_payload: String,
    },
    /// A request whose trusted version is not the one just before the version to sign.
    #[error(
        "{}: the trusted {} it holds is v{trusted}, not v{}, the version just before the one to sign; the changes shown would not be the changes made. Nothing was signed. Ask the ceremony administrator for a new request",
        path(.file), escape(.role), .version.saturating_sub(1)
    )]
    RequestTrustedNotPrevious {
        file: PathBuf,
        role: String,
        trusted: u64,
        version: u64,
    },
    /// A request whose trusted root is not signed by a threshold of its own root keys.
    #[error(
        "{}: the trusted root v{version} it holds is not signed by a threshold of its own root keys ({counted} of {threshold}{}), as every published root is; the changes shown against it could not be trusted. Nothing was signed. Ask the ceremony administrator for a new request",
        path(.file), .problems.iter().map(|p| format!("; {p}")).collect::<String>()
    )]
    RequestTrustedRootUnsigned {
        file: PathBuf,
        version: u64,
        counted: usize,
        threshold: u64,
        problems: Vec<String>,
    },
    /// An online-signed file to import that cannot be checked against targets.
    #[error("{}: cannot be checked against targets: {why}. Delegate it first: `tuf-ceremony delegate {role} --online-key PUBFILE --threshold 1`", .file.display())]
    NotCheckable {
        file: PathBuf,
        role: String,
        why: crate::verify::NotDelegated,
    },
    /// An online-signed file to import without a threshold of valid signatures.
    #[error(
        "{} is not signed by a threshold of the keys targets delegates {role} to ({counted} of {threshold} valid{}); it may not be the repository's. Nothing was changed",
        .file.display(), if *.invalid == 0 { String::new() } else { format!(", {invalid} invalid") }
    )]
    OnlineThresholdUnmet {
        file: PathBuf,
        role: String,
        counted: usize,
        threshold: u64,
        invalid: usize,
    },
    /// An online-signed file to import that has expired.
    #[error("{} expired at {expires}; ask the online side for a current {role}", .file.display())]
    OnlineExpired {
        file: PathBuf,
        expires: String,
        role: String,
    },
    /// An online-signed file no newer than one already imported (TUF spec 5.6.5).
    #[error("{} is {from_role} v{version}, but v{last} was already moved into {role} (transcript.jsonl line {seq}); an older or equal version is a rollback. Nothing was changed. Ask the online side for its current {from_role} (newer than v{last})", .file.display())]
    Rollback {
        file: PathBuf,
        from_role: String,
        version: u64,
        last: u64,
        role: String,
        seq: u64,
    },
    /// An RSTUF signature whose keyid the role does not authorize.
    #[error("{}: keyid {} may not sign {} v{version}; nothing was imported", path(.file), short(.keyid), escape(.role))]
    ImportedKeyIdMayNotSign {
        file: PathBuf,
        keyid: String,
        role: String,
        version: u64,
    },
    /// An RSTUF signature that does not verify over the working payload.
    #[error(
        "{}: the signature by {signer} does not verify over {} v{version} (payload {}): {why}. It was made over other bytes, or by another key; nothing was imported",
        path(.file), escape(.role), short(.payload)
    )]
    ImportedSignatureInvalid {
        file: PathBuf,
        signer: String,
        role: String,
        version: u64,
        payload: String,
        why: String,
    },
    /// An RSTUF signature by a key the ceremony records nobody for.
    #[error(
        "{}: the signature by key {} verifies, but this ceremony records no keyholder for that key; nothing was imported. Name its holder: `tuf-ceremony rstuf import {} --keyholder NAME=PUBFILE`",
        path(.file), short(.keyid), path(.file)
    )]
    ImportedNoKeyholder { file: PathBuf, keyid: String },
    /// A key to retire that no role lists (`shown`: the keyholder or key as named).
    #[error("{shown} is listed by no role of this ceremony's working metadata; nothing to retire (`tuf-ceremony -C {} key show PUBFILE` says where a key is trusted)", path(.dir))]
    ListedNowhere { shown: String, dir: PathBuf },
    /// Retiring that would leave roles below their thresholds (`below`: each, and its fix).
    #[error("retiring {shown} would leave a role that could never be signed: {}. Nothing was changed; do that first, then retire {shown} again", .below.join("; "))]
    RetireBelowThreshold { shown: String, below: Vec<String> },
    /// Another command holds the folder's lock (`holder`: who, as its lock file says).
    #[error("{} is in use by another tuf-ceremony command ({holder}); waited {waited} s. One command at a time changes a ceremony folder. Let that command finish (a keyholder may be reading its sign screen), then run this one again", .dir.display())]
    FolderInUse {
        dir: PathBuf,
        holder: String,
        waited: u64,
    },
    /// The lock file was removed while it was opened.
    #[error("{} was removed while this command opened it; nothing was changed. Run the command again", .file.display())]
    LockRemoved { file: PathBuf },
    /// A `ceremony.lock` that is not the regular file this tool makes (`found`: what it is).
    #[error("{} is {found}, not the regular file tuf-ceremony keeps as the folder's lock (the command holding the folder writes its name into that file). It was not used, and nothing was changed. Remove {} (tuf-ceremony makes a new one) and run the command again", .file.display(), .file.display())]
    NotALockFile { file: PathBuf, found: String },
    /// Rules of the ceremony policy (`policy.toml`) the operation would break (`broken`:
    /// each rule's words).
    #[error(
        "{what} refused by the ceremony policy; nothing was changed. {}. Change the metadata to meet the rule, or have the ceremony administrator change {} (the transcript records its SHA-256)",
        .broken.join("; "), crate::display::POLICY_FILE
    )]
    PolicyBroken { what: String, broken: Vec<String> },
    /// `transcript sign` with no event to sign.
    #[error("the transcript holds no events yet: there is nothing to sign. Sign it at the end of the ceremony")]
    NothingToSign,
    /// `transcript sign` by a key no role of the ceremony lists.
    #[error("the key in {} (keyid {}) is not one of the keys this ceremony's roles list; only their keyholders sign the transcript. Check that the right device or key file is in use", escape(.device), short(.keyid))]
    NotACeremonyKey { device: String, keyid: String },
}

/// Why a file is not trusted, in one paragraph.
fn not_trusted(unmet: &Option<(usize, u64)>, why: &[String]) -> String {
    let unmet = unmet.map(|(counted, threshold)| {
        format!("it has {counted} of the {threshold} signatures its keys need")
    });
    unmet
        .into_iter()
        .chain(why.iter().cloned())
        .collect::<Vec<_>>()
        .join("; ")
}

/// ", recorded as NAME's key," when the key has a recorded keyholder.
fn recorded_as(owner: &Option<String>) -> String {
    owner
        .as_ref()
        .map(|n| format!(", recorded as {}'s key,", escape(n)))
        .unwrap_or_default()
}

/// The note for a device key whose scheme the role lists no key with.
fn scheme_note(key_scheme: &str, role: &str, role_schemes: &[String]) -> String {
    if role_schemes.iter().any(|s| s == key_scheme) {
        return String::new();
    }
    format!(
        " The key on this device is {}, but {} lists only {} keys.",
        escape(key_scheme),
        escape(role),
        role_schemes
            .iter()
            .map(|s| escape(s))
            .collect::<Vec<_>>()
            .join(" and ")
    )
}

/// Input that is not acceptable (a file, an argument's value): exit code 3.
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    /// Snapshot or timestamp metadata given to `load`.
    #[error("{}: {type_name} metadata is signed online by the repository, never in a ceremony; load root, targets or a delegated targets role", .file.display())]
    OnlineRoleLoaded { file: PathBuf, type_name: String },
    /// A file to load whose name is not a role name.
    #[error("{}: {name}. `load` takes the role's name from the file's: rename the file ROLE.json or N.ROLE.json after the role it holds", .file.display())]
    FileNameNotRole {
        file: PathBuf,
        name: crate::names::NameError,
    },
    /// A signature file names a role with no working file here (`why`).
    #[error("{} signs {}, but {why}", path(.file), escape(.role))]
    SignsNoWorkingRole {
        file: PathBuf,
        role: String,
        /// The words of what is wrong, as the error reading it said them.
        why: String,
    },
    /// A signature file holding no signature.
    #[error("{}: holds no signatures", path(.file))]
    SigFileEmpty { file: PathBuf },
    /// A key in a file loaded `--trusted` that python-tuf cannot read (`file` as shown).
    #[error("{file}: {why}; nothing was loaded. Remove the key, or give it a keytype and scheme clients read (to co-sign a file that lists it, load that file without --trusted)")]
    TrustedKeyUnreadable { file: String, why: String },
    /// A threshold that can never be met, in a file to sign (`what` says which).
    #[error("{file}: {what}. Lower the threshold or add keys where this file was made; nothing was loaded")]
    ThresholdUnreachable { file: String, what: String },
    /// `init --spec-version` a client set cannot read.
    #[error("--spec-version: {why}")]
    SpecVersion { why: String },
    /// `init` without root's keyholders.
    #[error("init needs the root keyholders: --keyholder NAME=PUBFILE, once per person")]
    InitNeedsKeyholders,
    /// `--online-key` for a role that is not online.
    #[error("--online-key takes snapshot=PUBFILE or timestamp=PUBFILE, not {role}=…")]
    OnlineKeyRole { role: String },
    /// `init` without an online role's key.
    #[error("init needs the online {role} public key: --online-key {role}=PUBFILE (the repository signs {role} automatically; only its public key goes into root)")]
    InitNeedsOnlineKey { role: String },
    /// A PEM public key of a type this tool does not read.
    #[error("{}: a PEM public key, but not an ed25519, ECDSA P-256, ECDSA P-384 or RSA one", .file.display())]
    PemKeyType { file: PathBuf },
    /// A public key file whose key cannot be read (`why`).
    #[error("{}: {why}", .file.display())]
    PublicKeyUnreadable { file: PathBuf, why: String },
    /// A `NAME=PUBFILE` argument that is not one.
    #[error("{flag} takes NAME=PUBFILE (for example {flag} alice=alice.pub.json), not \"{arg}\"")]
    NotNamePath { flag: String, arg: String },
    /// A delegated role this ceremony does not have (`nearest`: the likeliest slip).
    #[error(
        "no role {role} in this ceremony ({});{} roles: {}. A new delegated role is made with `delegate`, or brought in with `load`",
        .dir.display(), .nearest.as_ref().map(|n| format!(" did you mean {n}?")).unwrap_or_default(), .roles.join(", ")
    )]
    NoSuchRole {
        role: String,
        dir: PathBuf,
        nearest: Option<String>,
        roles: Vec<String>,
    },
    /// A role of the ceremony with no working file (`case_of`: a role whose name differs
    /// only in letter case).
    #[error(
        "there is no {role} metadata in {} ({file_name}){}. Create it with `init` (root, targets), `delegate` (a delegated role), or bring it in with `load`",
        .dir.display(), .case_of.as_ref().map(|o| format!(" (this ceremony has {o}: names differ in letter case)")).unwrap_or_default()
    )]
    NoWorkingFile {
        role: String,
        dir: PathBuf,
        file_name: String,
        case_of: Option<String>,
    },
    /// A ceremony file of another type than its name says.
    #[error("{file} is not {expected} metadata")]
    NotOfType {
        file: &'static str,
        expected: &'static str,
    },
    /// A root without one of the top-level roles.
    #[error("{whose} has no {role} role")]
    RootLacksRole {
        whose: &'static str,
        role: &'static str,
    },
    /// A role's file holding metadata of another `_type`.
    #[error("{}: holds {found} metadata, but this file must hold {role} metadata (_type \"{expected}\")", .file.display())]
    FileOfOtherType {
        file: PathBuf,
        found: String,
        role: String,
        expected: &'static str,
    },
    /// Root metadata expected, another type found.
    #[error("expected root metadata, found {found}")]
    ExpectedRoot { found: String },
    /// A file the folder's record names that the snapshot does not hold.
    #[error("{}: missing from the ceremony folder", path(.file))]
    MissingFromFolder { file: PathBuf },
    /// A file of the folder that is not JSON (`why`: the reader's words).
    #[error("{}: {why}", path(.file))]
    NotJson { file: PathBuf, why: String },
    /// `request sign` of a role the request does not ask for, or without `--role` when it
    /// asks for several.
    #[error(
        "{} asks for signatures on {}{}",
        path(.file), .asked.iter().map(|r| escape(r).into_owned()).collect::<Vec<_>>().join(", "),
        match .role { Some(r) => format!(", not on {}", escape(r)), None => ": say which one with --role ROLE".to_string() }
    )]
    RequestRoleNotAsked {
        file: PathBuf,
        asked: Vec<String>,
        role: Option<String>,
    },
    /// A file to import that is not targets metadata.
    #[error("{} is {found} metadata, not targets metadata for {role}", .file.display())]
    NotTargetsFor {
        file: PathBuf,
        found: String,
        role: String,
    },
    /// A delegating file to import that delegates no project.
    #[error("{} delegates no projects; there is nothing to move", .file.display())]
    NoProjects { file: PathBuf },
    /// What is wrong with a file (`why`), named.
    #[error("{}: {why}", .file.display())]
    InFile {
        file: PathBuf,
        /// The words of what is wrong, as the error reading it said them.
        why: String,
    },
    /// A project delegated twice in one file.
    #[error("{} delegates project {project} twice (after PEP 503 normalisation)", .file.display())]
    ProjectTwice { file: PathBuf, project: String },
    /// A project's keyid whose key the file does not list.
    #[error("{}: project {project} names keyid {keyid}, which its keys do not list", .file.display())]
    KeyIdNotListed {
        file: PathBuf,
        project: String,
        keyid: String,
    },
    /// A project's keyid that is not the hash of its key under either convention.
    #[error("{}: keyid {keyid} of project {project} is not the hash of its key under any convention; refusing to copy it", .file.display())]
    KeyIdNotItsHash {
        file: PathBuf,
        project: String,
        keyid: String,
    },
    /// An RSTUF document with two signatures by one keyid.
    #[error("{}: keyid {} signs twice; nothing was imported", path(.file), short(.keyid))]
    ImportedKeyIdTwice { file: PathBuf, keyid: String },
    /// A keyholder name the ceremony does not record (`recorded`: those it does).
    #[error(
        "no keyholder named {} is recorded in this ceremony; its keyholders are: {}. Give a recorded name, or --key KEYID for a key with no keyholder named",
        escape(.name), if .recorded.is_empty() { "none".to_string() } else { escape(&.recorded.join(", ")).into_owned() }
    )]
    NoSuchKeyholder { name: String, recorded: Vec<String> },
    /// `--key` that is neither a keyid, a keyid's start, nor a public key file.
    #[error("--key takes a keyid, its first 8+ hex digits, or a public key file; \"{}\" is none of these", escape(.given))]
    NotAKey { given: String },
    /// A keyid's start that names no key or several (`found`: how many).
    #[error(
        "{}",
        if *.found == 0 {
            format!("no key of this ceremony has a keyid starting with {}; `tuf-ceremony status` names the keys each role lists, `tuf-ceremony key show PUBFILE` prints a key's keyid", escape(.given))
        } else {
            format!("{} is the start of {found} keys' keyids; give more digits", escape(.given))
        }
    )]
    KeyIdPrefix { given: String, found: usize },
    /// A delegation without keys.
    #[error("delegating {role} needs its keys: --key NAME=PUBFILE once per keyholder (signed offline), or --online-key PUBFILE (signed by the repository)")]
    DelegationNeedsKeys { role: String },
    /// A delegation with both offline and online keys.
    #[error("{role} is either signed offline (--key) or online by the repository (--online-key), not both")]
    OfflineAndOnline { role: String },
    /// A file given as a signature file that is not one this tool can use.
    #[error("{}: not a usable signature file: {why}. Signature files are made by `tuf-ceremony sign --detached`", path(.file))]
    UnusableSigFile { file: PathBuf, why: Unusable },
    /// `--head` that is not a SHA-256 in hex.
    #[error("--head takes the transcript head as printed by export or report: 64 hex digits, not \"{}\"", .given.escape_debug())]
    HeadNotHex { given: String },
}

/// Why a signature file cannot be used (see [`Rejection::UnusableSigFile`]).
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// What the JSON reader, the role name or keyholder name rules said.
    #[error("{why}")]
    Said { why: String },
    #[error("it is a signing request (`tuf-ceremony request write`), not a signature. Carry it to the keyholder, who signs it with `tuf-ceremony request sign`; merge the signature file that writes")]
    IsRequest,
    #[error("it is TUF metadata (it has \"signed\"), not a signature file. To count the signatures inside signed metadata, load it with `tuf-ceremony load`")]
    IsMetadata,
    #[error("\"{member}\" is missing or not a string")]
    NotAString { member: String },
    #[error("its format is not {}", crate::display::SIGNATURE_FORMAT)]
    OtherFormat,
    #[error("\"version\" must be a positive integer")]
    VersionNotPositive,
    #[error("\"payload_sha256\" must be 64 hex digits")]
    PayloadDigestNotHex,
    #[error("\"device\" must be an object")]
    DeviceNotObject,
    #[error("\"signed_at\" must be a UTC time of the form YYYY-MM-DDTHH:MM:SSZ, as `sign --detached` writes it")]
    SignedAtNotTime,
    #[error("\"ceremony\" must be 64 hex digits")]
    CeremonyNotHex,
    #[error("\"signatures\" must be an array")]
    SignaturesNotArray,
    #[error("it holds {why}")]
    TooManySignatures { why: String },
    #[error("signatures[{index}].keyid is missing")]
    KeyIdMissing { index: usize },
    #[error("signatures[{index}].sig is missing")]
    SigMissing { index: usize },
    #[error("keyid {} signs twice", escape(.keyid))]
    SignsTwice { keyid: String },
    #[error("it holds no signatures")]
    NoSignatures,
}

/// What a client checks does not hold: exit code 1.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A new signature that does not verify against a key it is filed under.
    #[error("{} produced a signature that does not verify as {} ({why}); nothing was saved. Check the device and try again", escape(.device), escape(.scheme))]
    NewSignatureInvalid {
        device: String,
        scheme: String,
        why: String,
    },
    /// A new transcript signature that does not verify.
    #[error("{} produced a signature that does not verify ({why}); nothing was recorded. Check the device and try again", escape(.device))]
    TranscriptSignatureInvalid { device: String, why: String },
    /// The transcript's hash chain is broken at `line`: it was changed after it was written.
    #[error("{} line {line}: {problem}. The transcript has been changed since it was written; keep the file as evidence, and do not continue this ceremony until the ceremony administrator and witnesses have examined it", .file.display())]
    TranscriptChanged {
        file: PathBuf,
        line: usize,
        problem: Broken,
    },
    /// A transcript `export` event without a member the comparison with the folder needs.
    #[error("transcript line {seq}: the export event has no {lacks}, so the files it wrote cannot be compared with the folder")]
    ExportEventIncomplete { seq: u64, lacks: &'static str },
    /// The export gate: what a client (or RSTUF) would refuse, a problem a line.
    #[error(
        "{command} refused; nothing was written. {who}:\n  - {}",
        .problems.iter().map(GateProblem::to_string).collect::<Vec<_>>().join("\n  - ")
    )]
    GateClosed {
        command: &'static str,
        who: &'static str,
        problems: Vec<GateProblem>,
    },
}

/// One reason the export gate stays closed.
#[derive(Debug, thiserror::Error)]
pub enum GateProblem {
    /// A role the export needs has no working file.
    #[error("{role}: there is no {role}.json to export")]
    NoWorkingFile { role: String },
    /// A threshold not met (`label` says whose keys; `missing` the keyids still to sign).
    #[error(
        "{role} v{version}: {label}: {counted} of {threshold} signatures, {} more needed (run `tuf-ceremony status` to see who; missing keys {})",
        .threshold.saturating_sub(*.counted as u64),
        .missing.iter().map(|id| id.chars().take(8).collect::<String>()).collect::<Vec<_>>().join(", ")
    )]
    ThresholdUnmet {
        role: String,
        version: u64,
        label: String,
        counted: usize,
        threshold: u64,
        missing: Vec<String>,
    },
    /// Another reason a client would refuse the role, as its status says it.
    #[error("{role}: {problem}")]
    Role { role: String, problem: String },
}

/// How a transcript line shows the transcript was changed after it was written.
#[derive(Debug, thiserror::Error)]
pub enum Broken {
    #[error("the last line is incomplete (no newline)")]
    Incomplete,
    #[error("the line is blank (each line is one JSON entry)")]
    Blank,
    #[error("not valid JSON ({problem})")]
    NotJson { problem: String },
    #[error("not a JSON object")]
    NotObject,
    /// Its `seq` is not its line number (`found`: the integer it holds, if any).
    #[error(
        "{}, expected {expected}: a line was removed, added or reordered",
        match .found { Some(seq) => format!("its seq is {seq}"), None => "it has no integer seq".to_string() }
    )]
    Seq {
        found: Option<i128>,
        expected: usize,
    },
    /// Its `prev` is not the hash of the line before it (the 64 zeros for the first).
    #[error(
        "{}",
        if *.first {
            "its prev hash is not the 64 zeros the first line starts from: lines before it were removed, or this one was edited"
        } else {
            "its prev hash does not match the line before it: that line, or this one, was edited or removed"
        }
    )]
    Prev { first: bool },
}

/// A bug in the tool: an invariant of its own making does not hold (a value it built does
/// not serialise, a role it read is gone). Exit code 7. `changed` says whether the
/// ceremony folder may have been written before the bug was found.
#[derive(Debug, thiserror::Error)]
#[error(
    "internal error: {what}. This is a bug in tuf-ceremony; {}; please report it with the transcript",
    if *.changed { "check the folder with `tuf-ceremony status`" } else { "nothing was changed" }
)]
pub struct Bug {
    pub what: String,
    pub changed: bool,
}

impl Bug {
    /// A bug found before anything was written.
    pub fn new(what: impl Into<String>) -> Bug {
        Bug {
            what: what.into(),
            changed: false,
        }
    }
}

/// The variant's name in kebab case (`expires-too-soon`), from its `Debug` form: a stable
/// name for the outcome in `--json` and tests, which never needs a list of its own.
pub fn kind_of(debug: &str) -> String {
    let name = debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One file that is not what the record says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub file: String,
    /// What the record holds (`None`: no such file, or recorded as removed).
    pub recorded: Option<String>,
    /// The SHA-256 of the file in the folder (`None`: not there).
    pub found: Option<String>,
    /// The transcript line that recorded the file last, if any.
    pub seq: Option<u64>,
}

impl Mismatch {
    /// A difference that is not one file's digest (an entry that cannot be a recorded
    /// file, a missing transcript), described in full by `what`.
    pub fn odd(what: String) -> Mismatch {
        Mismatch {
            file: what,
            recorded: None,
            found: None,
            seq: None,
        }
    }

    /// One line: the file, what happened, both digests and the transcript line.
    pub fn describe(&self) -> String {
        let line = |seq: Option<u64>| match seq {
            Some(n) => format!("transcript.jsonl line {n}"),
            None => "transcript.jsonl".to_string(),
        };
        match (&self.recorded, &self.found) {
            (Some(r), None) => format!(
                "{}: removed: {} records it with SHA-256 {r}, and the folder has no such file",
                self.file,
                line(self.seq)
            ),
            (Some(r), Some(f)) => format!(
                "{}: changed: {} records SHA-256 {r}, the folder holds SHA-256 {f} (swapped, restored from an older copy, or edited)",
                self.file,
                line(self.seq)
            ),
            (None, Some(f)) if self.seq.is_some() => format!(
                "{}: added by hand: {} records it as removed, the folder holds SHA-256 {f}",
                self.file,
                line(self.seq)
            ),
            (None, Some(f)) => format!(
                "{}: added by hand: the transcript records no such file, the folder holds SHA-256 {f}",
                self.file
            ),
            (None, None) => match self.seq {
                Some(_) => format!("{} ({})", self.file, line(self.seq)),
                None => self.file.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn a_kind_is_the_variant_name_in_kebab_case() {
        let e: Error = Refusal::SigFileExists {
            file: "bob.sig.json".into(),
        }
        .into();
        assert_eq!(e.kind(), "refused.sig-file-exists");
        assert_eq!(e.exit_code(), 4);
        let e: Error = Refusal::NotConfirmed.into();
        assert_eq!(e.kind(), "refused.not-confirmed");
        let e: Error = Rejection::HeadNotHex { given: "ab".into() }.into();
        assert_eq!(
            (e.kind().as_str(), e.exit_code()),
            ("invalid.head-not-hex", 3)
        );
        let e: Error = Failure::TranscriptChanged {
            file: "t".into(),
            line: 2,
            problem: Broken::Blank,
        }
        .into();
        assert_eq!(
            (e.kind().as_str(), e.exit_code()),
            ("failed.transcript-changed", 1)
        );
    }

    /// A bug has its own exit code and says so, and whether the folder may have changed.
    #[test]
    fn a_bug_exits_7_and_says_it_is_one() {
        let e = Error::bug("the role read is gone");
        assert_eq!((e.kind().as_str(), e.exit_code()), ("internal", 7));
        assert_eq!(
            e.to_string(),
            "internal error: the role read is gone. This is a bug in tuf-ceremony; nothing was changed; please report it with the transcript"
        );
        let after = Bug {
            what: "x".into(),
            changed: true,
        };
        assert!(after
            .to_string()
            .contains("check the folder with `tuf-ceremony status`"));
        assert!(!after.to_string().contains("nothing was changed"));
    }

    /// Facts are kept raw and shown escaped and cut as everywhere else.
    #[test]
    fn facts_from_input_are_escaped_when_shown() {
        let r = Refusal::StaleSignature {
            file: "a\nb.json".into(),
            role: "claimed".into(),
            signed_version: 2,
            signed_payload: "0123456789abcdef".into(),
            version: 3,
            payload: "fedcba9876543210".into(),
        };
        assert_eq!(
            r.to_string(),
            "a\\nb.json: signed claimed v2 with payload 01234567…, but the claimed here is v3 with payload fedcba98…. The metadata changed after it was carried over; the keyholder must sign the current version again"
        );
    }
}
