//! The passphrase lock: encryption at rest in the standard [age] format.
//!
//! We do not invent cryptography. Everything here is a thin wrapper over the `age`
//! crate, and every file it produces is an ordinary age v1 file that the `age` / `rage`
//! command-line tools open ([spec](https://c2sp.org/age)).
//!
//! ## The scheme
//!
//! Captures must keep working while the library is locked, so the lock uses
//! public-key encryption:
//!
//! 1. When the user sets a passphrase, [`new_keypair`] generates a fresh X25519 age
//!    identity. Its public half, the recipient (`age1...`), is stored in clear.
//! 2. The identity string (`AGE-SECRET-KEY-1...`) is stored only *wrapped*: encrypted
//!    with age's scrypt passphrase recipient. The wrapped identity is a **binary** age
//!    file (not ASCII-armoured: it is stored as bytes in IndexedDB, and armour would
//!    only add a third). `age -d wrapped.age` opens it with the passphrase.
//! 3. New data (each ≤ 4 MiB chunk of an artifact is its own age file) is encrypted to
//!    the recipient with [`encrypt`], which needs no passphrase.
//! 4. Unlocking runs [`unwrap_identity`]; the identity then decrypts with [`decrypt`].
//!    Changing the passphrase ([`rewrap_identity`]) re-wraps the same identity, so
//!    existing data needs no re-encryption.
//!
//! ## Randomness: the one exception to "randomness is passed in"
//!
//! The core's convention is that the caller passes randomness in. age draws its file
//! key, its ephemeral X25519 key, the scrypt salt and the STREAM nonce from the
//! operating system's CSPRNG (`getrandom`; in the browser `crypto.getRandomValues`), and
//! its API offers no way to inject them. Keeping the audited, standard construction
//! wins over our convention ("don't invent cryptography"), so this module, and only
//! this module, draws its own randomness. Its outputs are therefore not deterministic;
//! the tests check round trips and interoperability instead of fixed vectors.
//!
//! ## Work factor and clocks
//!
//! age's scrypt recipient normally calibrates its work factor by timing a small scrypt
//! run with `SystemTime`, which panics on `wasm32-unknown-unknown`. age 0.12 skips the
//! clock on wasm32 unless its `web-sys` feature is on (we leave it off) and falls back to
//! `log_n = 18`; we set the work factor explicitly anyway ([`SCRYPT_WORK_FACTOR`]), so
//! the same wrapped key is produced on every platform. Decryption refuses files that
//! ask for more than [`MAX_SCRYPT_WORK_FACTOR`], which bounds the work a hostile
//! wrapped key can demand.
//!
//! Measured (2-core dev machine): scrypt at `log_n = 18` (r = 8) takes about 0.8 s
//! natively and about 0.9 s for `lockUnwrapIdentity` in headless Chromium (release
//! build; up to ~1.9 s under load), `lockNewKeypair` 1.2–2.5 s (it also grows the WASM
//! memory); a 4 MiB chunk encrypts or decrypts in ~12 ms there. It needs **256 MiB**
//! of memory, and WebAssembly linear memory never shrinks: one instance that ran
//! `lockNewKeypair` then `lockUnwrapIdentity` stayed at 513 MiB. Callers should run
//! the scrypt calls (new key pair, unlock, change passphrase) in a short-lived WASM
//! instance (a dedicated worker or page) rather than the long-lived one that captures.
//! [`encrypt`] and [`decrypt`] use no scrypt and little memory.
//!
//! ## Passphrases
//!
//! The passphrase is used exactly as given (no trimming, no Unicode normalisation), as
//! the age tools do, so `age -d` on another machine accepts the same passphrase.
//!
//! [age]: https://age-encryption.org

use std::io::{self, Read, Write};
use std::iter;

use age::secrecy::{ExposeSecret, SecretString};
use age::DecryptError;

use crate::error::{Error, Result};

/// scrypt work factor (`N = 2^18`) used when wrapping the identity: about one second
/// natively and 256 MiB of memory, the value age itself picks on a typical computer.
pub const SCRYPT_WORK_FACTOR: u8 = 18;

/// The highest scrypt work factor [`unwrap_identity`] accepts (`N = 2^19`, 512 MiB):
/// one step of headroom above [`SCRYPT_WORK_FACTOR`] for keys wrapped by the age tools
/// on a fast machine, while bounding what a hostile file can demand.
pub const MAX_SCRYPT_WORK_FACTOR: u8 = 19;

/// The shortest passphrase [`new_keypair`] and [`rewrap_identity`] accept, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// age encrypts its payload in 64 KiB chunks, each with a 16-byte Poly1305 tag.
const AGE_CHUNK: usize = 64 * 1024;
const AGE_TAG: usize = 16;
/// Room for the header (version line, one stanza, MAC) and the 16-byte nonce.
const AGE_HEADER_ROOM: usize = 512;

/// A freshly generated key pair for the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    /// The public age recipient (`age1...`). Stored in clear; new data is encrypted to it.
    pub recipient: String,
    /// The identity string (`AGE-SECRET-KEY-1...`) as a binary age file encrypted with
    /// the passphrase (scrypt recipient, work factor [`SCRYPT_WORK_FACTOR`]).
    pub wrapped_identity: Vec<u8>,
}

/// Generate a new X25519 identity and wrap it with `passphrase`.
///
/// Rejects (with [`Error::InvalidInput`]) an empty or whitespace-only passphrase and
/// one shorter than [`MIN_PASSPHRASE_CHARS`] characters. Takes about as long as one
/// scrypt run at [`SCRYPT_WORK_FACTOR`].
pub fn new_keypair(passphrase: &str) -> Result<KeyPair> {
    check_new_passphrase(passphrase)?;
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let wrapped_identity = wrap(identity.to_string().expose_secret(), passphrase)?;
    Ok(KeyPair {
        recipient,
        wrapped_identity,
    })
}

/// Open a wrapped identity with `passphrase` and return the identity string
/// (`AGE-SECRET-KEY-1...`).
///
/// A wrong passphrase gives [`Error::WrongPassphrase`]. Input that is not a
/// passphrase-encrypted age file, is truncated, or whose payload was changed gives
/// [`Error::Crypto`]. (A change to the scrypt stanza's encrypted key itself cannot be
/// told apart from a wrong passphrase: both fail the same authentication check.)
/// Also accepts a file made with `age-keygen | age -p` (comment lines are skipped).
pub fn unwrap_identity(wrapped: &[u8], passphrase: &str) -> Result<String> {
    let decryptor =
        age::Decryptor::new_buffered(wrapped).map_err(|e| decrypt_error("the wrapped key", e))?;
    if !decryptor.is_scrypt() {
        return Err(Error::Crypto(
            "the wrapped key is not a passphrase-encrypted age file".into(),
        ));
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase));
    identity.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    let mut reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            // The scrypt stanza's AEAD did not open: the passphrase-derived key is wrong.
            DecryptError::DecryptionFailed => Error::WrongPassphrase,
            e => decrypt_error("the wrapped key", e),
        })?;
    let mut bytes = Vec::with_capacity(wrapped.len());
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| payload_error("the wrapped key", &e))?;
    let text = SecretString::from(
        String::from_utf8(bytes)
            .map_err(|_| Error::Crypto("the wrapped key does not hold text".into()))?,
    );
    let identity = parse_identity(text.expose_secret()).map_err(|why| {
        Error::Crypto(format!(
            "the wrapped key does not hold an age X25519 identity: {why}"
        ))
    })?;
    Ok(identity.to_string().expose_secret().to_owned())
}

/// Change the passphrase: open `wrapped` with `old_passphrase` and wrap the same
/// identity with `new_passphrase`. The recipient stays the same, so data already
/// encrypted needs no change.
///
/// The new passphrase is checked first (as in [`new_keypair`]); a wrong old passphrase
/// gives [`Error::WrongPassphrase`]. Takes two scrypt runs.
pub fn rewrap_identity(
    wrapped: &[u8],
    old_passphrase: &str,
    new_passphrase: &str,
) -> Result<Vec<u8>> {
    check_new_passphrase(new_passphrase)?;
    let identity = SecretString::from(unwrap_identity(wrapped, old_passphrase)?);
    wrap(identity.expose_secret(), new_passphrase)
}

/// Encrypt `plaintext` to the age X25519 `recipient` (`age1...`). Returns a binary age
/// file. Linear in the input: one output buffer, sized up front.
pub fn encrypt(recipient: &str, plaintext: &[u8]) -> Result<Vec<u8>> {
    let recipient: age::x25519::Recipient = recipient.trim().parse().map_err(|why| {
        Error::InvalidInput(format!("not an age X25519 recipient (age1...): {why}"))
    })?;
    encrypt_to(&recipient, plaintext)
}

/// Decrypt a binary age file with the identity string (`AGE-SECRET-KEY-1...`).
///
/// A malformed identity gives [`Error::InvalidInput`]; a file that is corrupt,
/// truncated, changed or not encrypted to this identity gives [`Error::Crypto`].
pub fn decrypt(identity: &str, ciphertext: &[u8]) -> Result<Vec<u8>> {
    let identity = parse_identity(identity)
        .map_err(|why| Error::InvalidInput(format!("not an age X25519 identity: {why}")))?;
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|e| decrypt_error("the data", e))?;
    if decryptor.is_scrypt() {
        return Err(Error::Crypto(
            "the data is passphrase-encrypted, not encrypted to the library key".into(),
        ));
    }
    let mut reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|e| decrypt_error("the data", e))?;
    // The ciphertext is longer than the plaintext, so this is the only allocation.
    let mut plaintext = Vec::with_capacity(ciphertext.len());
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| payload_error("the data", &e))?;
    Ok(plaintext)
}

fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.trim().is_empty() {
        return Err(Error::InvalidInput(
            "the passphrase is empty or only spaces".into(),
        ));
    }
    let chars = passphrase.chars().count();
    if chars < MIN_PASSPHRASE_CHARS {
        return Err(Error::InvalidInput(format!(
            "the passphrase is too short: {chars} characters, at least {MIN_PASSPHRASE_CHARS} needed"
        )));
    }
    Ok(())
}

/// Encrypt the identity string with the passphrase at [`SCRYPT_WORK_FACTOR`].
fn wrap(identity: &str, passphrase: &str) -> Result<Vec<u8>> {
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase));
    // Explicit, so no clock is consulted and every platform wraps alike.
    recipient.set_work_factor(SCRYPT_WORK_FACTOR);
    encrypt_to(&recipient, identity.as_bytes())
}

fn encrypt_to(recipient: &dyn age::Recipient, plaintext: &[u8]) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_recipients(iter::once(recipient))
        .map_err(|e| Error::Crypto(format!("cannot encrypt: {}", encrypt_error(&e))))?;
    let tags = (plaintext.len() / AGE_CHUNK + 1) * AGE_TAG;
    let mut out = Vec::with_capacity(plaintext.len().saturating_add(tags + AGE_HEADER_ROOM));
    let io_err = |e: io::Error| Error::Crypto(format!("cannot encrypt: {e}"));
    let mut writer = encryptor.wrap_output(&mut out).map_err(io_err)?;
    writer.write_all(plaintext).map_err(io_err)?;
    writer.finish().map_err(io_err)?;
    Ok(out)
}

/// Parse an identity: a bare `AGE-SECRET-KEY-1...` line, or an age-keygen identity
/// file with `#` comments; exactly one key line.
fn parse_identity(text: &str) -> std::result::Result<age::x25519::Identity, String> {
    let mut keys = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let key = keys.next().ok_or("no key")?;
    if keys.next().is_some() {
        return Err("more than one key".into());
    }
    key.parse::<age::x25519::Identity>()
        .map_err(|why| why.to_string())
}

/// Our own wording for age's errors (age's `Display` goes through its i18n loader).
fn decrypt_error(what: &str, e: DecryptError) -> Error {
    let why = match e {
        DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed => {
            "it does not authenticate (corrupt or changed)".to_string()
        }
        DecryptError::ExcessiveWork { required, .. } => format!(
            "it asks for scrypt work factor {required}, above the limit {MAX_SCRYPT_WORK_FACTOR}"
        ),
        DecryptError::InvalidHeader => "its age header is malformed".to_string(),
        DecryptError::InvalidMac => {
            "its age header does not authenticate (corrupt or changed)".to_string()
        }
        DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            "it is truncated".to_string()
        }
        DecryptError::Io(e) => format!("it cannot be read ({})", e.kind()),
        DecryptError::NoMatchingKeys => "it is not encrypted to this key".to_string(),
        DecryptError::UnknownFormat => "it is not an age v1 file".to_string(),
        _ => "it cannot be decrypted".to_string(),
    };
    Error::Crypto(format!("{what}: {why}"))
}

fn payload_error(what: &str, e: &io::Error) -> Error {
    let why = match e.kind() {
        io::ErrorKind::UnexpectedEof => "it is truncated",
        io::ErrorKind::InvalidData => {
            "its content does not authenticate (corrupt, truncated or changed)"
        }
        _ => "its content cannot be read",
    };
    Error::Crypto(format!("{what}: {why}"))
}

fn encrypt_error(e: &age::EncryptError) -> String {
    match e {
        age::EncryptError::Io(e) => e.to_string(),
        _ => "the recipient was refused".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const PASS: &str = "correct horse battery";

    /// One key pair per test binary: each scrypt run costs about a second.
    fn keypair() -> &'static (KeyPair, String) {
        static KP: std::sync::OnceLock<(KeyPair, String)> = std::sync::OnceLock::new();
        KP.get_or_init(|| {
            let kp = new_keypair(PASS).unwrap();
            let id = unwrap_identity(&kp.wrapped_identity, PASS).unwrap();
            (kp, id)
        })
    }

    /// A fast key pair for hostile-input tests (no scrypt).
    fn fast_pair() -> (String, String) {
        let id = age::x25519::Identity::generate();
        (
            id.to_public().to_string(),
            id.to_string().expose_secret().to_owned(),
        )
    }

    #[test]
    fn keypair_round_trip() {
        let (kp, id) = keypair();
        assert!(kp.recipient.starts_with("age1"), "{}", kp.recipient);
        assert!(id.starts_with("AGE-SECRET-KEY-1"));
        assert!(kp
            .wrapped_identity
            .starts_with(b"age-encryption.org/v1\n-> scrypt "));
        let parsed: age::x25519::Identity = id.parse().unwrap();
        assert_eq!(parsed.to_public().to_string(), kp.recipient);
        // The identity never appears in clear in the wrapped file.
        let wrapped = String::from_utf8_lossy(&kp.wrapped_identity);
        assert!(!wrapped.contains("AGE-SECRET-KEY"));
        // The work factor is the one we set, in the stanza.
        assert!(
            wrapped.contains(&format!(" {SCRYPT_WORK_FACTOR}\n")),
            "{wrapped}"
        );
    }

    #[test]
    fn data_round_trips() {
        let (kp, id) = keypair();
        for len in [0, 1, 100, AGE_CHUNK - 1, AGE_CHUNK, AGE_CHUNK + 1, 300_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let ct = encrypt(&kp.recipient, &data).unwrap();
            assert!(ct.starts_with(b"age-encryption.org/v1\n-> X25519 "));
            assert_ne!(ct, encrypt(&kp.recipient, &data).unwrap(), "fresh file key");
            assert_eq!(decrypt(id, &ct).unwrap(), data, "len {len}");
        }
    }

    #[test]
    fn four_mib_chunk_is_linear() {
        let (recipient, id) = fast_pair();
        let data: Vec<u8> = (0..4 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        let start = std::time::Instant::now();
        let ct = encrypt(&recipient, &data).unwrap();
        let mid = start.elapsed();
        let pt = decrypt(&id, &ct).unwrap();
        println!(
            "4 MiB: encrypt {:?}, decrypt {:?}, overhead {} bytes",
            mid,
            start.elapsed() - mid,
            ct.len() - data.len()
        );
        assert_eq!(pt, data);
        assert!(
            ct.capacity() - ct.len() <= AGE_HEADER_ROOM + AGE_TAG,
            "sized up front"
        );
    }

    #[test]
    fn wrong_passphrase_is_told_apart() {
        let (kp, _) = keypair();
        assert_eq!(
            unwrap_identity(&kp.wrapped_identity, "correct horse battery!"),
            Err(Error::WrongPassphrase)
        );
        assert_eq!(
            unwrap_identity(&kp.wrapped_identity, ""),
            Err(Error::WrongPassphrase)
        );
        assert_eq!(Error::WrongPassphrase.code(), "WRONG_PASSPHRASE");
        assert_eq!(Error::WrongPassphrase.name(), "WrongPassphrase");
    }

    #[test]
    fn rewrap_changes_passphrase_keeps_identity() {
        let (kp, id) = keypair();
        let new = "a new, longer passphrase ✓";
        let rewrapped = rewrap_identity(&kp.wrapped_identity, PASS, new).unwrap();
        assert_eq!(&unwrap_identity(&rewrapped, new).unwrap(), id);
        assert_eq!(
            unwrap_identity(&rewrapped, PASS),
            Err(Error::WrongPassphrase)
        );
        assert_eq!(
            rewrap_identity(&kp.wrapped_identity, "wrong passphrase", new),
            Err(Error::WrongPassphrase)
        );
        // The new passphrase is checked before any scrypt work.
        assert!(matches!(
            rewrap_identity(&kp.wrapped_identity, PASS, "short"),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn weak_passphrases_are_rejected() {
        for bad in [
            "",
            "        ",
            "\t\n \u{a0}  \u{3000}  ",
            "1234567",
            "ééééééé",
        ] {
            match new_keypair(bad) {
                Err(Error::InvalidInput(m)) => assert!(m.contains("passphrase"), "{m}"),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
        // Eight characters (not bytes) is enough; checked cheaply, no scrypt here.
        assert!(check_new_passphrase("ééééééé!").is_ok());
        assert!(check_new_passphrase("12345678").is_ok());
    }

    #[test]
    fn corrupted_ciphertext_is_a_crypto_error() {
        let (recipient, id) = fast_pair();
        let data = vec![42u8; 70_000];
        let ct = encrypt(&recipient, &data).unwrap();
        // Flip one bit at a spread of positions: header, nonce, payload, last tag.
        for pos in (0..ct.len()).step_by(997).chain([ct.len() - 1]) {
            let mut bad = ct.clone();
            bad[pos] ^= 0x01;
            match decrypt(&id, &bad) {
                Err(Error::Crypto(_)) | Err(Error::InvalidInput(_)) => {}
                Ok(pt) => panic!("bit flip at {pos} decrypted to {} bytes", pt.len()),
                Err(e) => panic!("bit flip at {pos}: unexpected {e:?}"),
            }
        }
        // Truncation anywhere fails cleanly.
        for cut in (0..ct.len()).step_by(1013) {
            assert!(matches!(decrypt(&id, &ct[..cut]), Err(Error::Crypto(_))));
        }
        // Trailing garbage is refused.
        let mut long = ct.clone();
        long.push(0);
        assert!(matches!(decrypt(&id, &long), Err(Error::Crypto(_))));
    }

    #[test]
    fn corrupted_wrapped_key_is_not_a_wrong_passphrase() {
        let (kp, _) = keypair();
        let w = &kp.wrapped_identity;
        // Truncated to the header only, or cut in the payload.
        let header_end = w.windows(4).position(|x| x == b"\n---").unwrap();
        for cut in [0, 10, header_end, w.len() - 1] {
            match unwrap_identity(&w[..cut], PASS) {
                Err(Error::Crypto(_)) => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        // A changed payload byte (after the header MAC and nonce).
        let mut bad = w.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x80;
        assert!(matches!(unwrap_identity(&bad, PASS), Err(Error::Crypto(_))));
        // A changed header MAC.
        let mut bad = w.clone();
        bad[header_end + 6] ^= 0x01;
        assert!(matches!(unwrap_identity(&bad, PASS), Err(Error::Crypto(_))));
    }

    #[test]
    fn excessive_work_factor_is_refused_without_running_it() {
        let (kp, _) = keypair();
        let text = String::from_utf8_lossy(&kp.wrapped_identity).into_owned();
        let header_end = kp
            .wrapped_identity
            .windows(4)
            .position(|x| x == b"\n---")
            .unwrap();
        let header = &text[..header_end];
        let rest = &kp.wrapped_identity[header_end..];
        let hostile_header = header.replace(
            &format!(" {SCRYPT_WORK_FACTOR}\n"),
            &format!(" {}\n", MAX_SCRYPT_WORK_FACTOR + 10),
        );
        let mut hostile = hostile_header.into_bytes();
        hostile.extend_from_slice(rest);
        let start = std::time::Instant::now();
        match unwrap_identity(&hostile, PASS) {
            Err(Error::Crypto(m)) => assert!(m.contains("work factor"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed().as_secs() < 5, "scrypt at 2^29 was not run");
    }

    #[test]
    fn wrong_kinds_of_input() {
        let (recipient, id) = fast_pair();
        let (_, other_id) = fast_pair();
        let ct = encrypt(&recipient, b"secret").unwrap();
        assert!(
            matches!(decrypt(&other_id, &ct), Err(Error::Crypto(m)) if m.contains("not encrypted to this key"))
        );
        for bad in ["", "age1", "AGE-SECRET-KEY-1", "hello", &recipient] {
            assert!(
                matches!(decrypt(bad, &ct), Err(Error::InvalidInput(_))),
                "{bad}"
            );
        }
        for bad in [
            "",
            "age1",
            "AGE-SECRET-KEY-1XYZ",
            &id,
            "age1qqqqqqqqqqqqqqqqqqqqqq",
        ] {
            assert!(
                matches!(encrypt(bad, b"x"), Err(Error::InvalidInput(_))),
                "{bad}"
            );
        }
        // Surrounding whitespace (a pasted key) is fine.
        let ct2 = encrypt(&format!(" {recipient}\n"), b"x").unwrap();
        assert_eq!(decrypt(&format!("{id}\n"), &ct2).unwrap(), b"x");
        // An identity file as age-keygen writes it.
        let file = format!("# created: 2025-01-01T00:00:00Z\n# public key: {recipient}\n{id}\n");
        assert_eq!(decrypt(&file, &ct2).unwrap(), b"x");
        // An X25519 file is not a wrapped key, and vice versa.
        assert!(matches!(unwrap_identity(&ct, PASS), Err(Error::Crypto(_))));
        let (kp, _) = keypair();
        assert!(matches!(
            decrypt(&id, &kp.wrapped_identity),
            Err(Error::Crypto(_))
        ));
    }

    #[test]
    fn hostile_bytes_never_panic() {
        let (recipient, id) = fast_pair();
        let ct = encrypt(&recipient, &[7u8; 200]).unwrap();
        let mut inputs: Vec<Vec<u8>> = vec![
            vec![],
            b"age-encryption.org/v1\n".to_vec(),
            b"age-encryption.org/v1\n---".to_vec(),
            b"age-encryption.org/v1\n-> X25519\n--- \n".to_vec(),
            b"age-encryption.org/v1\n-> scrypt AAAA 99\nAAAA\n--- AAAA\n".to_vec(),
            b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"
                .to_vec(),
            b"age-encryption.org/v2\n".to_vec(),
            vec![0xff; 1000],
        ];
        // Deterministic pseudo-random mutations of a valid file (xorshift, no rand crate).
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            let mut m = ct.clone();
            for _ in 0..(s % 4 + 1) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let pos = (s as usize) % m.len();
                m[pos] = (s >> 32) as u8;
            }
            inputs.push(m);
        }
        for input in &inputs {
            let _ = decrypt(&id, input);
            // Only inputs that do not reach scrypt, or are refused before it.
            if !input.windows(6).any(|w| w == b"scrypt") {
                let _ = unwrap_identity(input, PASS);
            }
        }
        let _ = unwrap_identity(&inputs[4], PASS);
    }
}
