//! Stored CRC-32 checksums of artifacts: derived data that lets an export skip computing
//! the ZIP CRC-32 of bytes whose CRC is already known. Never evidence.
//!
//! A checksum row is computed from bytes whose SHA-256 is the artifact's content address
//! (the extension computes it right after storing them, or while re-reading the stored
//! copy and checking its SHA-256, [`ChecksumStream`]). It is used only for bytes read
//! again at export time whose fresh SHA-256 is the record's hash (the archive builder
//! decides, [`crate::archive::ArchiveBuilder::stored_artifact_known`]): equal SHA-256
//! means equal bytes, so the CRC computed then is the right one.
//!
//! Each row carries a self-check (`check`, a short hash over its other fields) so that a
//! damaged row (a changed CRC, size or key) is detected and the CRC computed again. The
//! self-check is not keyed: it guards against damage, not against someone who rewrites
//! the browser's storage on purpose (who could delete the evidence outright).

use crate::hash::{sha256_hex, StreamHasher};
use serde::{Deserialize, Serialize};

/// Tag of the self-check's input (the row format's version).
const CHECK_TAG: &str = "evidence-checksum/1";

/// One artifact's stored checksum row (the `checksums` store's value, keyed by `sha256`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChecksum {
    /// Lowercase hex SHA-256 of the bytes (their content address).
    pub sha256: String,
    /// Byte count.
    pub size: u64,
    /// CRC-32 (as in ZIP) of the bytes.
    pub crc32: u32,
    /// Self-check over the fields above: 16 lowercase hex digits.
    pub check: String,
}

fn check_of(sha256: &str, size: u64, crc32: u32) -> String {
    let mut s = sha256_hex(format!("{CHECK_TAG}\n{sha256}\n{size}\n{crc32:08x}\n").as_bytes());
    s.truncate(16);
    s
}

impl ArtifactChecksum {
    /// The row for `bytes`, whose SHA-256 the caller computed as `sha256` (their content
    /// address, e.g. a capture's screenshot right after it was hashed and stored). The
    /// bytes are not hashed again here.
    pub fn of(sha256: &str, bytes: &[u8]) -> Self {
        Self::from_parts(sha256, bytes.len() as u64, crc32fast::hash(bytes))
    }

    fn from_parts(sha256: &str, size: u64, crc32: u32) -> Self {
        ArtifactChecksum {
            sha256: sha256.to_string(),
            size,
            crc32,
            check: check_of(sha256, size, crc32),
        }
    }

    /// Whether the row is intact (its self-check matches its fields).
    pub fn is_intact(&self) -> bool {
        self.check == check_of(&self.sha256, self.size, self.crc32)
    }
}

/// CRC-32 of bytes fed in slices, whose SHA-256 the caller computed (as for
/// [`ArtifactChecksum::of`]; in slices so that a long WASM call never stays in V8's
/// baseline tier).
#[derive(Default)]
pub struct CrcStream {
    crc: crc32fast::Hasher,
    len: u64,
}

impl CrcStream {
    /// Nothing fed yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next slice.
    pub fn update(&mut self, bytes: &[u8]) {
        self.crc.update(bytes);
        self.len = self.len.saturating_add(bytes.len() as u64);
    }

    /// The row of what was fed, `sha256` being its SHA-256 as the caller computed it.
    pub fn finish(self, sha256: &str) -> ArtifactChecksum {
        ArtifactChecksum::from_parts(sha256, self.len, self.crc.finalize())
    }
}

/// SHA-256 and CRC-32 of bytes fed in slices (re-reading a stored copy). Gives a row
/// only when the SHA-256 is the expected content address.
#[derive(Default)]
pub struct ChecksumStream {
    sha: StreamHasher,
    crc: crc32fast::Hasher,
}

impl ChecksumStream {
    /// Nothing fed yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next slice.
    pub fn update(&mut self, bytes: &[u8]) {
        self.sha.update(bytes);
        self.crc.update(bytes);
    }

    /// Finish: the SHA-256 (lowercase hex) of what was fed, and its checksum row when
    /// that SHA-256 is `expected_sha256` (else `None`: nothing to remember).
    pub fn finish(self, expected_sha256: &str) -> (String, Option<ArtifactChecksum>) {
        let size = self.sha.len();
        let sha = self.sha.finish_hex();
        let row = (sha == expected_sha256)
            .then(|| ArtifactChecksum::from_parts(&sha, size, self.crc.finalize()));
        (sha, row)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_row_checks_itself_and_any_change_is_detected() {
        let bytes = b"a screenshot".repeat(100);
        let sha = sha256_hex(&bytes);
        let row = ArtifactChecksum::of(&sha, &bytes);
        assert_eq!(row.crc32, crc32fast::hash(&bytes));
        assert_eq!(row.size, bytes.len() as u64);
        assert!(row.is_intact());
        let mut r = row.clone();
        r.crc32 ^= 1;
        assert!(!r.is_intact(), "changed CRC");
        let mut r = row.clone();
        r.size += 1;
        assert!(!r.is_intact(), "changed size");
        let mut r = row.clone();
        r.sha256 = sha256_hex(b"other");
        assert!(!r.is_intact(), "row copied to another key");
        let mut r = row;
        r.check = "0".repeat(16);
        assert!(!r.is_intact(), "broken self-check");
    }

    #[test]
    fn a_stream_gives_a_row_only_for_the_expected_hash() {
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let sha = sha256_hex(&bytes);
        let mut s = ChecksumStream::new();
        for c in bytes.chunks(999) {
            s.update(c);
        }
        let (got, row) = s.finish(&sha);
        assert_eq!(got, sha);
        assert_eq!(row.unwrap(), ArtifactChecksum::of(&sha, &bytes));
        let mut s = ChecksumStream::new();
        s.update(&bytes[1..]);
        let (got, row) = s.finish(&sha);
        assert_ne!(got, sha);
        assert!(row.is_none());
        let mut c = CrcStream::new();
        for chunk in bytes.chunks(4096) {
            c.update(chunk);
        }
        assert_eq!(c.finish(&sha), ArtifactChecksum::of(&sha, &bytes));
    }
}
