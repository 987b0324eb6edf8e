//! SHA-256 hashing and hex encoding.
//!
//! Every artifact, record and chain link is identified by the lowercase hex SHA-256 of
//! its exact bytes, so `sha256sum` and `openssl dgst -sha256` give the same strings.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};

/// Length of a SHA-256 digest in bytes.
pub const DIGEST_LEN: usize = 32;

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Raw SHA-256 digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; DIGEST_LEN] {
    Sha256::digest(bytes).into()
}

/// Incremental SHA-256, for artifacts fed in slices (large attachments, archive entries).
#[derive(Clone, Default)]
pub struct StreamHasher {
    inner: Sha256,
    len: u64,
}

impl StreamHasher {
    /// A hasher with nothing fed yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next slice.
    pub fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
        self.len = self.len.saturating_add(bytes.len() as u64);
    }

    /// Bytes fed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when nothing has been fed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Finish and return the lowercase hex digest.
    pub fn finish_hex(self) -> String {
        to_hex(&self.inner.finalize())
    }
}

/// Lowercase hex encoding.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Parse a 64-character lowercase hex SHA-256 digest. Uppercase is refused so that one
/// digest has exactly one spelling in records and ledgers.
pub fn parse_digest(hex: &str) -> Result<[u8; DIGEST_LEN]> {
    let bytes = hex.as_bytes();
    if bytes.len() != DIGEST_LEN * 2 {
        return Err(Error::InvalidInput(format!(
            "a SHA-256 digest has 64 hex digits, got {} characters",
            hex.chars().count()
        )));
    }
    let mut out = [0u8; DIGEST_LEN];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = nibble(pair[0])?;
        let lo = nibble(pair[1])?;
        out[i] = (hi << 4) | lo;
    }
    Ok(out)
}

/// True when `hex` is a well-formed lowercase SHA-256 digest.
pub fn is_digest(hex: &str) -> bool {
    parse_digest(hex).is_ok()
}

fn nibble(c: u8) -> Result<u8> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        _ => Err(Error::InvalidInput(format!(
            "not a lowercase hex digit: {:?}",
            char::from(c)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Golden vectors: FIPS 180-2 examples and the empty string.
    const VECTORS: &[(&[u8], &str)] = &[
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];

    #[test]
    fn golden_vectors() {
        for (input, want) in VECTORS {
            assert_eq!(sha256_hex(input), *want);
        }
    }

    #[test]
    fn million_a() {
        let mut h = StreamHasher::new();
        let chunk = [b'a'; 1000];
        for _ in 0..1000 {
            h.update(&chunk);
        }
        assert_eq!(h.len(), 1_000_000);
        assert_eq!(
            h.finish_hex(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn streaming_equals_one_shot_for_awkward_splits() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 251) as u8).collect();
        for split in [0usize, 1, 55, 56, 63, 64, 65, 4096, 9_999, 10_000] {
            let mut h = StreamHasher::new();
            h.update(&data[..split]);
            h.update(&data[split..]);
            assert_eq!(h.finish_hex(), sha256_hex(&data), "split at {split}");
        }
    }

    #[test]
    fn hex_round_trip_and_rejections() {
        let d = sha256(b"abc");
        assert_eq!(parse_digest(&to_hex(&d)).ok(), Some(d));
        for bad in [
            "",
            "abc",
            &"A".repeat(64),
            &"g".repeat(64),
            &"0".repeat(63),
            &"0".repeat(65),
            &"é".repeat(32),
        ] {
            assert!(parse_digest(bad).is_err(), "accepted {bad:?}");
        }
    }
}
