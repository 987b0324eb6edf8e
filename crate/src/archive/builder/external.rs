//! The builder's external-digest path for stored artifacts: the caller feeds the bytes
//! unhashed (the writer counts size and CRC-32) and hands in the SHA-256 it computed over
//! the same bytes elsewhere (the extension's export: WebCrypto, off the main thread).
//! Whether that SHA-256 is the one the record lists is still decided here, by the same
//! check as [`ArchiveBuilder::end_artifact`]: a mismatch is `STORAGE_DAMAGED`.

//!
//! A stored artifact whose CRC-32 is already known (a stored [`ArtifactChecksum`] row)
//! need not be fed at all: [`ArchiveBuilder::stored_artifact_known`] takes the caller's
//! fresh SHA-256 of the bytes it emits and the row, and writes the entry's descriptor.

use super::{damaged, ArchiveBuilder, Need, Step};
use crate::checksum::ArtifactChecksum;
use crate::error::{Error, Result};

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

impl ArchiveBuilder {
    /// For the open stored artifact, nothing fed yet: end it without feeding its bytes.
    /// `sha256` is the SHA-256 the caller computed over the bytes it appends to its output
    /// (right after the artifact's local header); their CRC-32 comes from `known` (the
    /// artifact's stored checksum row) or, for an exhibit copy, from the entry of the same
    /// bytes this builder already wrote. Refused (`STORAGE_DAMAGED`, the builder cannot
    /// continue) when `sha256` is not the record's hash. Returns `false`, with nothing
    /// written and the artifact still open to be fed the ordinary way, when no CRC is
    /// known: the row is missing, fails its self-check, is another artifact's or has
    /// another size, and no entry of these bytes was written; or when the builder keeps
    /// this artifact's bytes (for `report.html` or `report.pdf`). Equal SHA-256 means
    /// equal bytes, so a CRC-32 known for the record's hash is that of exactly the bytes
    /// the caller emits.
    pub fn stored_artifact_known(
        &mut self,
        sha256: &str,
        known: Option<&ArtifactChecksum>,
        out: &mut Vec<u8>,
    ) -> Result<bool> {
        self.guard(|b| {
            let keeps = match (&b.step, &b.current) {
                (Step::Artifact { open: true, .. }, Some(cur)) => cur.metadata.is_some(),
                (Step::Exhibit { open: true }, _) => b.image.is_some(),
                _ => {
                    return Err(Error::InvalidInput(
                        "no artifact is open in the archive builder".into(),
                    ))
                }
            };
            let Need::Artifact(need) = b.next() else {
                return Err(Error::InvalidInput(
                    "no artifact is open in the archive builder".into(),
                ));
            };
            if !need.stored {
                return Err(Error::InvalidInput(format!(
                    "{} is compressed: its bytes must be fed",
                    need.path
                )));
            }
            if sha256 != need.sha256 {
                return Err(damaged(need.seq, &need.name));
            }
            let written = b
                .written_crcs
                .get(&need.sha256)
                .filter(|(size, _)| *size == need.bytes)
                .map(|(_, crc)| *crc);
            let stored = known
                .filter(|k| k.is_intact() && k.sha256 == need.sha256 && k.size == need.bytes)
                .map(|k| k.crc32);
            let Some(crc32) = written.or(stored) else {
                return Ok(false);
            };
            if keeps {
                return Ok(false);
            }
            b.writer.write_stored_known(need.bytes, crc32)?;
            b.close_artifact(out, Some(sha256))?;
            Ok(true)
        })
    }
}
