//! Signer references (file:, yubihsm://, pkcs11:): never a panic, and an error never
//! repeats a PIN or password given in the reference.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tuf_ceremony::signer::SignerRef;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Err(e) = SignerRef::parse(s) {
            let msg = e.to_string();
            for secret_key in ["pin-value=", "password="] {
                if let Some(i) = s.find(secret_key) {
                    let value: String = s[i + secret_key.len()..]
                        .chars()
                        .take_while(|c| !matches!(c, '&' | ';' | '?'))
                        .collect();
                    if value.len() >= 4 && !"(hidden)".contains(value.as_str()) {
                        assert!(!msg.contains(&format!("{secret_key}{value}")), "secret echoed: {msg}");
                    }
                }
            }
        }
    }
});
