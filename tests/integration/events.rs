//! The transcript's lines, pinned byte for byte: every event kind the tool writes (`init`,
//! `load`, `edit` for each action, `policy`, `sign` and `sign --detached`, `merge` of a
//! signature file and of an RSTUF signature, `export`, `rstuf export`, `transcript-sign`),
//! produced in a scene and compared whole, so that how an event is built can change and
//! the bytes a transcript holds cannot. Transcripts are read by later versions of the tool
//! and by auditors; a renamed member, a null where nothing was, or an integer written as a
//! string would be a different record.
//!
//! What differs from run to run is replaced before comparing: the scene folder by `<dir>`,
//! every time by `<time>`, every hex string of 32 or more digits (keyids, digests, keys,
//! signatures) and every PEM block (ECDSA keys) by `<N>`, numbered in order of first
//! appearance, so the same digest is the same `<N>` wherever it recurs. `time`, `prev`, `tool` and `tool_sha256` are left out: `prev`
//! is the chain (checked by `transcript verify`), the others say when and by which build.

use crate::scene::w;
use crate::util::{ok, Scene};

/// The transcript of `ceremony` (a folder in the scene), one normalized line per event.
fn pinned(s: &Scene, ceremony: &str) -> String {
    let text = s.read(&format!("{ceremony}/transcript.jsonl"));
    let dir = s.path().display().to_string();
    let mut hexes: Vec<String> = Vec::new();
    let mut out = String::new();
    for line in text.lines() {
        let mut entry = tuf_ceremony::json::parse(line.as_bytes()).unwrap();
        let fields = match &mut entry {
            tuf_ceremony::json::Value::Object(o) => o,
            other => panic!("not an object: {other:?}"),
        };
        for gone in ["time", "prev", "tool", "tool_sha256"] {
            assert!(fields.remove(gone).is_some(), "{gone} missing in {line}");
        }
        let compact = tuf_ceremony::json::compact(&entry).replace(&dir, "<dir>");
        out.push_str(&normalize(&compact, &mut hexes));
        out.push('\n');
    }
    out
}

/// `text` with times as `<time>` and long hex strings as `<N>` (see the module's doc).
fn normalize(text: &str, hexes: &mut Vec<String>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut number = |found: String, out: &mut String| {
        let n = match hexes.iter().position(|h| *h == found) {
            Some(n) => n,
            None => {
                hexes.push(found);
                hexes.len() - 1
            }
        };
        out.push_str(&format!("<{n}>"));
    };
    while i < chars.len() {
        if let Some(len) = pem_block(&chars[i..]) {
            number(chars[i..i + len].iter().collect(), &mut out);
            i += len;
            continue;
        }
        if is_time(&chars[i..]) {
            out.push_str("<time>");
            i += 20;
            continue;
        }
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || ('a'..='f').contains(c))
            .count();
        let starts_word = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if run >= 32 && starts_word {
            number(chars[i..i + run].iter().collect(), &mut out);
            i += run;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The length of the PEM block `c` starts with (`-----BEGIN …-----` to the end of its
/// `-----END …-----` line), if it starts with one.
fn pem_block(c: &[char]) -> Option<usize> {
    let text: String = c.iter().take(4096).collect();
    if !text.starts_with("-----BEGIN ") {
        return None;
    }
    let end = text.find("-----END ")?;
    let close = text[end + "-----END ".len()..].find("-----")?;
    let bytes = end + "-----END ".len() + close + "-----".len();
    Some(text[..bytes].chars().count())
}

/// Whether `c` starts with a time as the tool writes it: `2026-01-31T12:00:00Z`.
fn is_time(c: &[char]) -> bool {
    let shape = "dddd-dd-ddTdd:dd:ddZ";
    c.len() >= shape.len()
        && shape.chars().zip(c).all(|(want, got)| match want {
            'd' => got.is_ascii_digit(),
            other => other == *got,
        })
}

/// A full ceremony in `c`: init (root, targets, claimed), every root and delegation edit,
/// every claimed edit, a policy, signatures made here and on another machine, the export,
/// a transcript signature; and `load` of what was exported into a second ceremony `d`.
#[test]
fn every_transcript_event_is_written_as_before() {
    let s = Scene::new();
    s.keygen(&["alice", "bob", "carol"]);
    s.init_online(
        &["alice", "bob"],
        1,
        1,
        &w("--claimed-key alice=alice.pub.json --claimed-threshold 1 --claimed-path */*"),
    );
    s.add_root_key("carol");
    s.c("root set-threshold root 2");
    s.c("root remove-key root carol");
    s.c("expires targets 300d");
    s.c("delegate recently-claimed --online-key online/recently-claimed.pub.json --threshold 1 --path */*");
    s.py("judge.py ecdsa-pubs dev alpha-dev");
    s.c("claimed add-project alpha --key dev/alpha-dev.pub.json");
    s.py("judge.py make-recently-claimed online online-repo beta:d1:1 gamma:d1+d2:2");
    s.c("claimed import-recently-claimed online-repo/recently-claimed.json --out for-online");
    let keyid = s.keyid("online/d2.pub.json");
    s.ok(&["-C", "c", "claimed", "revoke-key", &keyid[..12]]);
    s.c("claimed remove-project alpha");
    s.write("policy.toml", "[roles.root]\nmin_threshold = 2\n");
    s.c("policy set policy.toml");
    s.sign("root", "alice");
    s.sign("targets", "alice");
    // An edit after a signature drops it (`dropped_signatures` lists it).
    s.c("expires targets 200d");
    s.sign("targets", "alice");
    s.sign("claimed", "alice");
    s.copy_to_other_machine();
    s.cmd("-C other sign root --signer file:bob.key --detached usb/bob.sig.json --yes");
    s.c("merge usb/bob.sig.json");
    // The policy removed, a recorded act (`sha256` null).
    s.c("policy remove");
    s.c("export --out repo");
    s.c("transcript sign --signer file:alice.key --yes");
    s.cmd("-C d load repo/root.json --trusted");
    s.cmd("-C d load repo/targets.json");
    ok(&s.c_run("transcript verify"), "verify c");
    let got = format!(
        "{}--- other (signed detached)\n{}\n--- d\n{}",
        pinned(&s, "c"),
        pinned(&s, "other").lines().last().unwrap_or_default(),
        pinned(&s, "d")
    );
    assert_eq!(got, FULL_CEREMONY, "\n{got}");
}

/// RSTUF's side: a bootstrap payload imported (its signature by carol is `load`ed with
/// it), a bare RSTUF signature imported (`merge` of an imported signature), the payload
/// written back (`rstuf export`).
#[test]
fn rstuf_transcript_events_are_written_as_before() {
    let s = Scene::new();
    s.cmd("key generate --out alice.key --keyholder alice --scheme ecdsa-p256");
    s.py("rstuf.py keys keys");
    s.py("rstuf.py pem alice.pub.json alice.pub.pem");
    s.py("rstuf.py ceremony keys alice.pub.pem ceremony-payload.json");
    s.c("rstuf import ceremony-payload.json --keyholder alice=alice.pub.json --keyholder carol=keys/carol.pub.pem");
    s.py("rstuf.py pending ceremony-payload.json pending.json");
    s.py("rstuf.py unlock alice.key pp alice-rstuf.pem");
    s.py("rstuf.py sign pending.json alice alice-rstuf.pem rstuf-sign.json");
    s.c("rstuf import rstuf-sign.json");
    s.c("rstuf export --bootstrap ceremony-payload.json --out signed-payload.json");
    let got = pinned(&s, "c");
    assert_eq!(got, RSTUF, "\n{got}");
}

const FULL_CEREMONY: &str = r#"{"event":"init","expires":"<time>","payload_sha256":"<0>","role":"claimed","seq":1,"version":1}
{"event":"init","expires":"<time>","payload_sha256":"<1>","role":"targets","seq":2,"version":1}
{"event":"init","expires":"<time>","payload_sha256":"<2>","role":"root","seq":3,"version":1}
{"event":"files","files":{"ceremony.json":"<3>","claimed.json":"<4>","root.json":"<5>","targets.json":"<6>"},"seq":4}
{"action":"add-key","dropped_signatures":[],"event":"edit","key":"<7>","keyholder":"carol","payload_sha256":"<8>","role":"root","seq":5,"target_role":"root","version":1}
{"event":"files","files":{"ceremony.json":"<9>","root.json":"<10>"},"seq":6}
{"action":"set-threshold","dropped_signatures":[],"event":"edit","payload_sha256":"<11>","role":"root","seq":7,"target_role":"root","threshold":2,"version":1}
{"event":"files","files":{"root.json":"<12>"},"seq":8}
{"action":"remove-key","dropped_signatures":[],"event":"edit","keys":["<7>"],"payload_sha256":"<13>","role":"root","seq":9,"target_role":"root","version":1}
{"event":"files","files":{"root.json":"<14>"},"seq":10}
{"action":"expires","dropped_signatures":[],"event":"edit","expires":"<time>","payload_sha256":"<15>","role":"targets","seq":11,"version":1}
{"event":"files","files":{"targets.json":"<16>"},"seq":12}
{"action":"delegate","delegated_role":"recently-claimed","dropped_signatures":[],"event":"edit","payload_sha256":"<17>","role":"targets","seq":13,"threshold":1,"version":1}
{"event":"files","files":{"ceremony.json":"<18>","targets.json":"<19>"},"seq":14}
{"action":"claimed-add-project","dropped_signatures":[],"event":"edit","keyids":["<20>"],"payload_sha256":"<21>","project":"alpha","role":"claimed","seq":15,"threshold":1,"version":1}
{"event":"files","files":{"claimed.json":"<22>"},"seq":16}
{"action":"claimed-import-recently-claimed","dropped_signatures":[],"event":"edit","from_file_sha256":"<23>","from_role":"recently-claimed","from_version":1,"moved_list_sha256":"<24>","moved_projects":2,"payload_sha256":"<25>","role":"claimed","seq":17,"version":1}
{"event":"files","files":{"claimed.json":"<26>"},"seq":18}
{"action":"claimed-revoke-key","dropped_signatures":[],"event":"edit","payload_sha256":"<27>","revoked_keyids":["<28>"],"revoked_keys":["ed25519:<29>"],"role":"claimed","seq":19,"version":1}
{"event":"files","files":{"claimed.json":"<30>"},"seq":20}
{"action":"claimed-remove-project","dropped_signatures":[],"event":"edit","payload_sha256":"<31>","projects":["alpha"],"role":"claimed","seq":21,"version":1}
{"event":"files","files":{"claimed.json":"<32>"},"seq":22}
{"event":"policy","file":"policy.toml","seq":23,"sha256":"<33>"}
{"event":"files","files":{"policy.toml":"<33>"},"seq":24}
{"attestation":{"status":"not-attested","summary":"not attested: key file alice.key is a key file, not a device: nothing can prove where its private key has been","why":"key file alice.key is a key file, not a device: nothing can prove where its private key has been"},"device":{"description":"key file alice.key","identity":"sha256:<34>","kind":"key-file"},"event":"sign","key":{"keytype":"ed25519","keyval":{"public":"<35>"},"scheme":"ed25519"},"keyholder":"alice","keyids":["<36>"],"payload_sha256":"<13>","role":"root","scheme":"ed25519","seq":25,"signatures":[{"keyid":"<36>","sig":"<37>"}],"version":1}
{"event":"files","files":{"root.json":"<38>"},"seq":26}
{"attestation":{"status":"not-attested","summary":"not attested: key file alice.key is a key file, not a device: nothing can prove where its private key has been","why":"key file alice.key is a key file, not a device: nothing can prove where its private key has been"},"device":{"description":"key file alice.key","identity":"sha256:<34>","kind":"key-file"},"event":"sign","key":{"keytype":"ed25519","keyval":{"public":"<35>"},"scheme":"ed25519"},"keyholder":"alice","keyids":["<36>"],"payload_sha256":"<17>","role":"targets","scheme":"ed25519","seq":27,"signatures":[{"keyid":"<36>","sig":"<39>"}],"version":1}
{"event":"files","files":{"targets.json":"<40>"},"seq":28}
{"action":"expires","dropped_signatures":["<36>"],"event":"edit","expires":"<time>","payload_sha256":"<41>","role":"targets","seq":29,"version":1}
{"event":"files","files":{"targets.json":"<42>"},"seq":30}
{"attestation":{"status":"not-attested","summary":"not attested: key file alice.key is a key file, not a device: nothing can prove where its private key has been","why":"key file alice.key is a key file, not a device: nothing can prove where its private key has been"},"device":{"description":"key file alice.key","identity":"sha256:<34>","kind":"key-file"},"event":"sign","key":{"keytype":"ed25519","keyval":{"public":"<35>"},"scheme":"ed25519"},"keyholder":"alice","keyids":["<36>"],"payload_sha256":"<41>","role":"targets","scheme":"ed25519","seq":31,"signatures":[{"keyid":"<36>","sig":"<43>"}],"version":1}
{"event":"files","files":{"targets.json":"<44>"},"seq":32}
{"attestation":{"status":"not-attested","summary":"not attested: key file alice.key is a key file, not a device: nothing can prove where its private key has been","why":"key file alice.key is a key file, not a device: nothing can prove where its private key has been"},"device":{"description":"key file alice.key","identity":"sha256:<34>","kind":"key-file"},"event":"sign","key":{"keytype":"ed25519","keyval":{"public":"<35>"},"scheme":"ed25519"},"keyholder":"alice","keyids":["<36>"],"payload_sha256":"<31>","role":"claimed","scheme":"ed25519","seq":33,"signatures":[{"keyid":"<36>","sig":"<45>"}],"version":1}
{"event":"files","files":{"claimed.json":"<46>"},"seq":34}
{"attestation":{"status":"not-attested","summary":"not attested: the signature file carries no device attestation","why":"the signature file carries no device attestation"},"device":{"description":"key file bob.key","identity":"sha256:<47>","kind":"key-file"},"event":"merge","file":"usb/bob.sig.json","file_sha256":"<48>","key":{"keytype":"ed25519","keyval":{"public":"<49>"},"scheme":"ed25519"},"keyholder":"bob","keyids":["<50>"],"payload_sha256":"<13>","role":"root","seq":35,"signatures":[{"keyid":"<50>","sig":"<51>"}],"signed_at":"<time>","version":1}
{"event":"files","files":{"root.json":"<52>"},"seq":36}
{"event":"policy","file":"policy.toml","seq":37,"sha256":null}
{"event":"files","files":{"policy.toml":null},"seq":38}
{"event":"export","files":[{"file":"1.root.json","sha256":"<52>"},{"file":"root.json","sha256":"<52>"},{"file":"1.targets.json","sha256":"<44>"},{"file":"targets.json","sha256":"<44>"},{"file":"1.claimed.json","sha256":"<46>"},{"file":"claimed.json","sha256":"<46>"}],"out":"repo","policy_sha256":null,"roles":[{"payload_sha256":"<13>","role":"root","signatures":["<36>","<50>"],"thresholds":[{"counted":["<36>","<50>"],"label":"root v1's own root keys","met":true,"threshold":2}],"version":1},{"payload_sha256":"<41>","role":"targets","signatures":["<36>"],"thresholds":[{"counted":["<36>"],"label":"root v1's targets keys","met":true,"threshold":1}],"version":1},{"payload_sha256":"<31>","role":"claimed","signatures":["<36>"],"thresholds":[{"counted":["<36>"],"label":"targets v1's delegation to claimed","met":true,"threshold":1}],"version":1}],"seq":39}
{"event":"files","files":{"trusted/1.claimed.json":"<46>","trusted/1.root.json":"<52>","trusted/1.targets.json":"<44>","trusted/claimed.json":"<46>","trusted/root.json":"<52>","trusted/targets.json":"<44>"},"seq":40}
{"device":{"description":"key file alice.key","identity":"sha256:<34>","kind":"key-file"},"event":"transcript-sign","head":"<53>","head_seq":40,"key":{"keytype":"ed25519","keyval":{"public":"<35>"},"scheme":"ed25519"},"keyholder":"alice","keyid":"<36>","scheme":"ed25519","seq":41,"sig":"<54>"}
--- other (signed detached)
{"attestation":{"status":"not-attested","summary":"not attested: key file bob.key is a key file, not a device: nothing can prove where its private key has been","why":"key file bob.key is a key file, not a device: nothing can prove where its private key has been"},"detached":"usb/bob.sig.json","device":{"description":"key file bob.key","identity":"sha256:<47>","kind":"key-file"},"event":"sign","key":{"keytype":"ed25519","keyval":{"public":"<48>"},"scheme":"ed25519"},"keyholder":"bob","keyids":["<49>"],"payload_sha256":"<13>","role":"root","scheme":"ed25519","seq":35,"signatures":[{"keyid":"<49>","sig":"<50>"}],"version":1}
--- d
{"event":"load","file":"repo/root.json","file_sha256":"<0>","payload_sha256":"<1>","role":"root","seq":1,"signatures":["<2>","<3>"],"trusted":true,"version":1}
{"event":"files","files":{"ceremony.json":"<4>","trusted/1.root.json":"<0>","trusted/root.json":"<0>"},"seq":2}
{"event":"load","file":"repo/targets.json","file_sha256":"<5>","payload_sha256":"<6>","role":"targets","seq":3,"signatures":["<2>"],"trusted":false,"version":1}
{"event":"files","files":{"ceremony.json":"<4>","targets.json":"<5>"},"seq":4}
"#;

const RSTUF: &str = r#"{"event":"load","file":"ceremony-payload.json (metadata.root)","file_sha256":"<0>","payload_sha256":"<1>","role":"root","seq":1,"signatures":["<2>"],"trusted":false,"version":1}
{"event":"files","files":{"ceremony.json":"<3>","root.json":"<0>"},"seq":2}
{"device":{"description":"an RSTUF sign payload","identity":"<4>","kind":"imported"},"event":"merge","file":"rstuf-sign.json","file_sha256":"<4>","key":{"keytype":"ecdsa","keyval":{"public":"<5>\n"},"scheme":"ecdsa-sha2-nistp256"},"keyholder":"alice","keyids":["<6>"],"payload_sha256":"<1>","role":"root","seq":3,"signatures":[{"keyid":"<6>","sig":"<7>"}],"version":1}
{"event":"files","files":{"root.json":"<8>"},"seq":4}
{"event":"export","files":[{"file":"signed-payload.json","sha256":"<9>"}],"out":"signed-payload.json","payload_sha256":"<1>","policy_sha256":null,"role":"root","rstuf":"bootstrap","seq":5,"thresholds":[{"counted":["<2>","<6>"],"label":"root v1's own root keys","met":true,"threshold":2}],"version":1}
"#;
