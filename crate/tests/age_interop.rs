//! The passphrase lock writes standard age files: what `lock.rs` encrypts, the `age`
//! library's own API (and the `age` command-line tool, when installed) decrypts, and
//! the other way round. Native only.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use age::secrecy::{ExposeSecret, SecretString};
use evidence_core::lock::{self, MAX_SCRYPT_WORK_FACTOR, SCRYPT_WORK_FACTOR};
use evidence_core::Error;

const PASS: &str = "interop passphrase 42";

fn sample(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 256) as u8).collect()
}

/// A fresh, empty directory under the system temp dir (no tempfile crate needed).
fn scratch_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("evidence-age-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `age` CLI, if installed (`apt-get install age`).
fn age_cli() -> Option<&'static str> {
    match Command::new("age").arg("--version").output() {
        Ok(out) if out.status.success() => Some("age"),
        _ => {
            println!("NOTE: the `age` command-line tool is not installed; skipping the CLI check");
            None
        }
    }
}

#[test]
fn our_files_open_with_the_age_library() {
    let kp = lock::new_keypair(PASS).unwrap();

    // The wrapped identity is an ordinary scrypt (passphrase) age file.
    let mut scrypt_id = age::scrypt::Identity::new(SecretString::from(PASS));
    scrypt_id.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    let identity_text = age::decrypt(&scrypt_id, &kp.wrapped_identity).unwrap();
    let identity_text = String::from_utf8(identity_text).unwrap();
    let identity: age::x25519::Identity = identity_text.parse().unwrap();
    assert_eq!(identity.to_public().to_string(), kp.recipient);
    assert_eq!(
        lock::unwrap_identity(&kp.wrapped_identity, PASS).unwrap(),
        identity_text
    );

    // Data encrypted by us opens with age's own decrypt.
    for len in [0, 5, 64 * 1024, 200_001] {
        let data = sample(len);
        let ct = lock::encrypt(&kp.recipient, &data).unwrap();
        assert_eq!(age::decrypt(&identity, &ct).unwrap(), data, "len {len}");
    }
}

#[test]
fn age_library_files_open_with_ours() {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public();
    let id_text = identity.to_string().expose_secret().to_owned();

    let data = sample(150_000);
    let ct = age::encrypt(&recipient, &data).unwrap();
    assert_eq!(lock::decrypt(&id_text, &ct).unwrap(), data);

    // An identity wrapped by age's own scrypt recipient unwraps with ours.
    let mut wrapper = age::scrypt::Recipient::new(SecretString::from(PASS));
    wrapper.set_work_factor(SCRYPT_WORK_FACTOR);
    let wrapped = age::encrypt(&wrapper, id_text.as_bytes()).unwrap();
    assert_eq!(lock::unwrap_identity(&wrapped, PASS).unwrap(), id_text);
    assert_eq!(
        lock::unwrap_identity(&wrapped, "not the passphrase"),
        Err(Error::WrongPassphrase)
    );
    // ... and re-wrapping it keeps it readable by age.
    let rewrapped = lock::rewrap_identity(&wrapped, PASS, "another passphrase").unwrap();
    let mut scrypt_id = age::scrypt::Identity::new(SecretString::from("another passphrase"));
    scrypt_id.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
    assert_eq!(
        age::decrypt(&scrypt_id, &rewrapped).unwrap(),
        id_text.as_bytes()
    );
}

#[test]
fn age_cli_decrypts_our_files_and_we_decrypt_its() {
    let Some(age) = age_cli() else { return };
    let dir = scratch_dir("cli");
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let id_path = dir.join("identity.txt");
    std::fs::write(
        &id_path,
        format!(
            "# public key: {recipient}\n{}\n",
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();

    // Ours -> `age -d -i identity.txt file.age`.
    let data = sample(300_000);
    let ct_path = dir.join("file.age");
    std::fs::write(&ct_path, lock::encrypt(&recipient, &data).unwrap()).unwrap();
    let out = Command::new(age)
        .arg("-d")
        .arg("-i")
        .arg(&id_path)
        .arg(&ct_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "age -d failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, data);

    // `age -r recipient` -> ours.
    let mut child = Command::new(age)
        .arg("-r")
        .arg(&recipient)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let payload = data.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&payload).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success());
    let id_file = std::fs::read_to_string(&id_path).unwrap();
    assert_eq!(lock::decrypt(&id_file, &out.stdout).unwrap(), data);

    std::fs::remove_dir_all(&dir).unwrap();
}

/// Not an assertion on time: prints how long the scrypt steps take on this machine.
#[test]
fn scrypt_unwrap_timing() {
    let start = Instant::now();
    let kp = lock::new_keypair(PASS).unwrap();
    let wrap = start.elapsed();
    let start = Instant::now();
    lock::unwrap_identity(&kp.wrapped_identity, PASS).unwrap();
    let unwrap = start.elapsed();
    let start = Instant::now();
    assert_eq!(
        lock::unwrap_identity(&kp.wrapped_identity, "wrong passphrase"),
        Err(Error::WrongPassphrase)
    );
    let wrong = start.elapsed();
    println!(
        "scrypt log_n={SCRYPT_WORK_FACTOR}: new_keypair {wrap:?}, unwrap_identity {unwrap:?}, \
         wrong passphrase {wrong:?} (profile: {})",
        if cfg!(debug_assertions) {
            "debug, scrypt optimised"
        } else {
            "release"
        }
    );
}
