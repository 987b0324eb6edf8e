//! The builder's external-digest path for stored artifacts: the caller feeds the bytes
//! unhashed (the writer counts size and CRC-32) and hands in the SHA-256 it computed over
//! the same bytes elsewhere (the extension's export: WebCrypto, off the main thread).
//! Whether that SHA-256 is the one the record lists is still decided here, by the same
//! check as [`ArchiveBuilder::end_artifact`]: a mismatch is `STORAGE_DAMAGED`.

use super::ArchiveBuilder;
use crate::error::Result;

impl ArchiveBuilder {
    /// For a stored artifact: count `chunk` (size and CRC-32) without hashing it; the
    /// caller appends `chunk` to its output itself, and ends the artifact with
    /// [`Self::end_artifact_with_sha256`]. An artifact is fed this way or hashed, not both.
    pub fn stored_chunk_unhashed(&mut self, chunk: &[u8]) -> Result<()> {
        self.guard(|b| {
            if matches!(b.step, super::Step::Exhibit { .. }) {
                return b.exhibit_chunk_unhashed(chunk);
            }
            let (cur, _) = b.open_artifact()?;
            Self::keep_chunk(cur, chunk);
            b.writer.write_stored_crc(chunk)
        })
    }

    /// End the open artifact fed with [`Self::stored_chunk_unhashed`], `sha256` (lowercase
    /// hex) being the SHA-256 of the bytes fed; appends its last bytes to `out`. Refused
    /// (`STORAGE_DAMAGED`) when the size or that SHA-256 differs from the record's.
    pub fn end_artifact_with_sha256(&mut self, out: &mut Vec<u8>, sha256: &str) -> Result<()> {
        self.close_artifact(out, Some(sha256))
    }
}
