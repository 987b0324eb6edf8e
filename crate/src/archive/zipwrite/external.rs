//! The writer's external-digest path: a STORED entry whose SHA-256 the caller computes
//! elsewhere (the extension's export hashes with WebCrypto, off the main thread, while
//! the writer counts sizes and CRC-32), then hands in to end the entry.

use super::{Open, ZipWriter};
use crate::archive::zipwrite::EntryInfo;
use crate::error::{Error, Result};

impl Open {
    /// Count `chunk` into the entry's size and CRC-32, and into its SHA-256 when `hash`.
    pub(super) fn account(&mut self, chunk: &[u8], hash: bool) -> Result<()> {
        let fed = self.central.uncompressed > 0;
        if (hash && self.external_sha) || (!hash && fed && !self.external_sha) {
            return Err(Error::Archive(
                "an entry is fed either hashed or unhashed, not both".into(),
            ));
        }
        self.external_sha = !hash;
        if hash {
            self.sha.update(chunk);
        }
        self.crc.update(chunk);
        self.central.uncompressed = self
            .central
            .uncompressed
            .checked_add(chunk.len() as u64)
            .ok_or_else(|| Error::Archive("entry larger than 2^64 bytes".into()))?;
        Ok(())
    }
}

impl ZipWriter {
    /// [`Self::write_stored`] without the SHA-256: size and CRC-32 only. The entry's SHA-256
    /// is then the caller's, given to [`Self::end_entry_with_sha256_into`] (a caller that
    /// hashes elsewhere, e.g. WebCrypto off the main thread). An entry is fed one way only.
    pub fn write_stored_crc(&mut self, chunk: &[u8]) -> Result<()> {
        self.account_stored(chunk, false, "write_stored_crc")
    }

    /// End an entry fed with [`Self::write_stored_crc`]; `sha256` (lowercase hex) is taken
    /// as its content's SHA-256, as the caller computed it over the same bytes.
    pub fn end_entry_with_sha256_into(
        &mut self,
        out: &mut Vec<u8>,
        sha256: &str,
    ) -> Result<EntryInfo> {
        match &self.current {
            Some(open) if open.external_sha || open.central.uncompressed == 0 => {}
            _ => {
                return Err(Error::Archive(
                    "this entry was hashed by the writer; end it with end_entry".into(),
                ))
            }
        }
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(Error::Archive(format!(
                "not a SHA-256 in lowercase hex: {sha256:?}"
            )));
        }
        self.end_entry_inner(out, Some(sha256))
    }
}

impl ZipWriter {
    /// For a STORED entry with nothing fed yet: account for its whole content at once,
    /// `size` bytes whose CRC-32 the caller already knows, without seeing them; the caller
    /// emits the bytes itself and ends the entry with [`Self::end_entry_with_sha256_into`].
    /// The writer cannot check `crc32`: the caller must know it is the CRC of exactly the
    /// bytes it emits (the archive builder ties it to a fresh SHA-256 of them).
    pub fn write_stored_known(&mut self, size: u64, crc32: u32) -> Result<()> {
        self.usable()?;
        let open = self
            .current
            .as_mut()
            .ok_or_else(|| Error::Archive("no entry is open to write to".into()))?;
        if open.central.method != super::METHOD_STORED {
            return Err(Error::Archive(
                "write_stored_known is only for stored (uncompressed) entries".into(),
            ));
        }
        if open.central.uncompressed > 0 || open.external_sha || open.known_crc.is_some() {
            return Err(Error::Archive(
                "write_stored_known takes an entry's whole content, before anything else".into(),
            ));
        }
        open.external_sha = true;
        open.known_crc = Some(crc32);
        open.central.uncompressed = size;
        open.central.compressed = size;
        self.offset = self
            .offset
            .checked_add(size)
            .ok_or_else(|| Error::Archive("archive larger than 2^64 bytes".into()))?;
        Ok(())
    }
}
