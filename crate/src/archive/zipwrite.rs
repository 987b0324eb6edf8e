//! A streaming ZIP writer with flat memory, usable from WASM.
//!
//! The writer never sees the output sink: every call returns (or appends) the bytes to
//! emit next, so the caller can stream them to a file, a download or a `Vec`. Memory
//! grows only with the number of entries (one small central-directory record each),
//! never with an entry's size.
//!
//! Canonical shape (the reader reports any departure from it, see `zipread`):
//! - every entry: flags bit 3 (data descriptor) + bit 11 (UTF-8 name), local header with
//!   CRC and sizes zero, no local extra field, DOS time in UTC, no comments;
//! - data descriptor with signature, 8-byte sizes when the entry is ZIP64;
//! - an entry is ZIP64 when a size or its offset reaches 0xFFFFFFFF (or when forced):
//!   its central record then has all three 32-bit fields at 0xFFFFFFFF and a 24-byte
//!   ZIP64 extra field (uncompressed, compressed, offset), version needed 4.5;
//! - the archive gets a ZIP64 end record + locator when the entry count reaches 0xFFFF,
//!   the central directory's size or offset reaches 0xFFFFFFFF, or when forced; the
//!   classic end record then holds 0xFFFF / 0xFFFFFFFF in its count, size and offset.
//!
//! Output is deterministic: the same calls with the same bytes give the same archive.

mod external;

pub(crate) use super::deflate::Deflater;
use super::zipfmt::*;
use crate::error::{Error, Result};
use crate::hash::StreamHasher;
use std::collections::BTreeSet;

/// What the writer learnt about one finished entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryInfo {
    /// Path inside the archive.
    pub path: String,
    /// Uncompressed byte count.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the uncompressed content.
    pub sha256: String,
    /// CRC-32 of the uncompressed content.
    pub crc32: u32,
    /// Bytes the content takes inside the archive (after DEFLATE, if any).
    pub compressed_bytes: u64,
}

#[derive(Debug, Clone)]
struct Central {
    name: String,
    method: u16,
    time: u16,
    date: u16,
    crc32: u32,
    compressed: u64,
    uncompressed: u64,
    offset: u64,
    zip64: bool,
}

struct Open {
    central: Central,
    sha: StreamHasher,
    crc: crc32fast::Hasher,
    /// The content's SHA-256 comes from the caller ([`ZipWriter::write_stored_crc`]).
    external_sha: bool,
    /// The content's CRC-32 comes from the caller ([`ZipWriter::write_stored_known`]).
    known_crc: Option<u32>,
}

/// Streaming ZIP writer. See the module documentation for the exact output shape.
pub struct ZipWriter {
    offset: u64,
    entries: Vec<Central>,
    names: BTreeSet<String>,
    current: Option<Open>,
    deflater: Option<Deflater>,
    force_zip64: bool,
    finished: bool,
    failed: bool,
}

impl Default for ZipWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ZipWriter {
    /// A writer that uses ZIP64 only where sizes or offsets need it.
    pub fn new() -> Self {
        ZipWriter {
            offset: 0,
            entries: Vec::new(),
            names: BTreeSet::new(),
            current: None,
            deflater: None,
            force_zip64: false,
            finished: false,
            failed: false,
        }
    }

    /// A writer that writes every entry and the end record in ZIP64 form, so the ZIP64
    /// code paths can be tested without 4 GB of data.
    pub fn with_forced_zip64() -> Self {
        ZipWriter {
            force_zip64: true,
            ..Self::new()
        }
    }

    /// Bytes emitted so far (the offset of the next byte).
    pub fn bytes_written(&self) -> u64 {
        self.offset
    }

    /// Entries finished so far.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    fn usable(&self) -> Result<()> {
        if self.failed {
            return Err(Error::Archive(
                "the ZIP writer failed earlier and cannot continue".into(),
            ));
        }
        if self.finished {
            return Err(Error::Archive("the ZIP archive is already finished".into()));
        }
        Ok(())
    }

    fn advance(&mut self, n: usize) -> Result<()> {
        self.offset = self
            .offset
            .checked_add(n as u64)
            .ok_or_else(|| Error::Archive("archive larger than 2^64 bytes".into()))?;
        Ok(())
    }

    /// Start an entry; returns its local header bytes. `compress` selects DEFLATE
    /// (for text) or STORED (for already-compressed media). `mtime_unix_secs` becomes
    /// the entry's DOS time, in UTC.
    pub fn start_entry(
        &mut self,
        path: &str,
        compress: bool,
        mtime_unix_secs: i64,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(LOCAL_LEN + path.len());
        self.start_entry_into(path, compress, mtime_unix_secs, &mut out)?;
        Ok(out)
    }

    /// [`Self::start_entry`], appending to `out` instead of allocating.
    pub fn start_entry_into(
        &mut self,
        path: &str,
        compress: bool,
        mtime_unix_secs: i64,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        self.usable()?;
        if let Some(open) = &self.current {
            return Err(Error::Archive(format!(
                "entry {:?} is still open; end it before starting {path:?}",
                open.central.name
            )));
        }
        validate_entry_name(path)?;
        if self.names.contains(path) {
            return Err(Error::Archive(format!("duplicate entry name {path:?}")));
        }
        let name_len = u16::try_from(path.len())
            .map_err(|_| Error::Archive(format!("entry name too long: {path:?}")))?;
        let (time, date) = dos_datetime(mtime_unix_secs);
        let method = if compress {
            METHOD_DEFLATE
        } else {
            METHOD_STORED
        };
        if compress {
            self.deflater.get_or_insert_with(Deflater::new).reset();
        }
        let start = out.len();
        out.put32(SIG_LOCAL);
        out.put16(VERSION_DEFAULT);
        out.put16(WRITER_FLAGS);
        out.put16(method);
        out.put16(time);
        out.put16(date);
        out.put32(0); // CRC-32: in the data descriptor
        out.put32(0); // compressed size: in the data descriptor
        out.put32(0); // uncompressed size: in the data descriptor
        out.put16(name_len);
        out.put16(0); // no extra field
        out.extend_from_slice(path.as_bytes());
        let offset = self.offset;
        self.advance(out.len() - start)?;
        self.names.insert(path.to_string());
        self.current = Some(Open {
            central: Central {
                name: path.to_string(),
                method,
                time,
                date,
                crc32: 0,
                compressed: 0,
                uncompressed: 0,
                offset,
                zip64: false,
            },
            sha: StreamHasher::new(),
            crc: crc32fast::Hasher::new(),
            external_sha: false,
            known_crc: None,
        });
        Ok(())
    }

    /// Feed the next chunk of the open entry's content; returns the bytes to emit
    /// (the chunk itself when stored, DEFLATE output — possibly empty — when compressed).
    pub fn write(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_into(chunk, &mut out)?;
        Ok(out)
    }

    /// [`Self::write`], appending to `out` instead of allocating.
    pub fn write_into(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.usable()?;
        let start = out.len();
        let open = self
            .current
            .as_mut()
            .ok_or_else(|| Error::Archive("no entry is open to write to".into()))?;
        open.account(chunk, true)?;
        if open.central.method == METHOD_STORED {
            out.extend_from_slice(chunk);
        } else if let Err(e) = self.deflater_mut().and_then(|d| d.push(chunk, out)) {
            self.failed = true;
            return Err(e);
        }
        let n = out.len() - start;
        if let Some(open) = self.current.as_mut() {
            open.central.compressed = open.central.compressed.saturating_add(n as u64);
        }
        self.advance(n)
    }

    /// For a STORED entry: account for `chunk` (size, CRC-32, SHA-256) without copying it;
    /// the caller emits `chunk` itself as the entry's next bytes. Saves a copy per chunk
    /// when streaming large artifacts. Refused for a deflated entry.
    pub fn write_stored(&mut self, chunk: &[u8]) -> Result<()> {
        self.account_stored(chunk, true, "write_stored")
    }

    /// Account for `chunk` of the open STORED entry (size, CRC-32, and the SHA-256 when
    /// `hash`); the caller emits the bytes. `what` names the caller in the refusal.
    pub(super) fn account_stored(&mut self, chunk: &[u8], hash: bool, what: &str) -> Result<()> {
        self.usable()?;
        let open = self
            .current
            .as_mut()
            .ok_or_else(|| Error::Archive("no entry is open to write to".into()))?;
        if open.central.method != METHOD_STORED {
            return Err(Error::Archive(format!(
                "{what} is only for stored (uncompressed) entries"
            )));
        }
        open.account(chunk, hash)?;
        open.central.compressed = open.central.compressed.saturating_add(chunk.len() as u64);
        self.advance(chunk.len())
    }

    fn deflater_mut(&mut self) -> Result<&mut Deflater> {
        self.deflater
            .as_mut()
            .ok_or_else(|| Error::Archive("DEFLATE state missing".into()))
    }

    /// Finish the open entry; returns what was learnt about it and the data descriptor
    /// bytes to emit (plus any DEFLATE output still buffered, which comes first).
    pub fn end_entry(&mut self) -> Result<(EntryInfo, Vec<u8>)> {
        let mut out = Vec::new();
        let info = self.end_entry_into(&mut out)?;
        Ok((info, out))
    }

    /// [`Self::end_entry`], appending to `out` instead of allocating.
    pub fn end_entry_into(&mut self, out: &mut Vec<u8>) -> Result<EntryInfo> {
        if self.current.as_ref().is_some_and(|o| o.external_sha) {
            return Err(Error::Archive(
                "this entry was fed without hashing; end it with its SHA-256".into(),
            ));
        }
        self.end_entry_inner(out, None)
    }

    fn end_entry_inner(&mut self, out: &mut Vec<u8>, sha256: Option<&str>) -> Result<EntryInfo> {
        self.usable()?;
        let method = match &self.current {
            Some(open) => open.central.method,
            None => return Err(Error::Archive("no entry is open to end".into())),
        };
        let start = out.len();
        if method == METHOD_DEFLATE {
            if let Err(e) = self.deflater_mut().and_then(|d| d.finish(out)) {
                self.failed = true;
                return Err(e);
            }
        }
        let tail = out.len() - start;
        let Some(open) = self.current.take() else {
            return Err(Error::Archive("no entry is open to end".into()));
        };
        let mut c = open.central;
        c.compressed = c.compressed.saturating_add(tail as u64);
        c.crc32 = match open.known_crc {
            Some(known) => known,
            None => open.crc.finalize(),
        };
        c.zip64 = self.force_zip64
            || needs_zip64(c.compressed)
            || needs_zip64(c.uncompressed)
            || needs_zip64(c.offset);
        out.put32(SIG_DESCRIPTOR);
        out.put32(c.crc32);
        if c.zip64 {
            out.put64(c.compressed);
            out.put64(c.uncompressed);
        } else {
            out.put32(low32(c.compressed));
            out.put32(low32(c.uncompressed));
        }
        self.advance(out.len() - start)?;
        let info = EntryInfo {
            path: c.name.clone(),
            bytes: c.uncompressed,
            sha256: match sha256 {
                Some(given) => given.to_string(),
                None => open.sha.finish_hex(),
            },
            crc32: c.crc32,
            compressed_bytes: c.compressed,
        };
        self.entries.push(c);
        Ok(info)
    }

    /// Write the central directory and end records; returns the final bytes to emit.
    /// The writer cannot be used afterwards.
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        self.usable()?;
        if let Some(open) = &self.current {
            return Err(Error::Archive(format!(
                "entry {:?} is still open; end it before finishing",
                open.central.name
            )));
        }
        let mut out = Vec::new();
        let cd_offset = self.offset;
        for c in &self.entries {
            central_record(c, &mut out)?;
        }
        let cd_size = out.len() as u64;
        let count = self.entries.len() as u64;
        let zip64 = self.force_zip64
            || count >= u64::from(MARK16)
            || needs_zip64(cd_size)
            || needs_zip64(cd_offset);
        if zip64 {
            let z64_offset = cd_offset
                .checked_add(cd_size)
                .ok_or_else(|| Error::Archive("archive larger than 2^64 bytes".into()))?;
            out.put32(SIG_ZIP64_EOCD);
            out.put64((ZIP64_EOCD_LEN - 12) as u64);
            out.put16(MADE_BY_UNIX | VERSION_ZIP64);
            out.put16(VERSION_ZIP64);
            out.put32(0); // this disk
            out.put32(0); // disk with the central directory
            out.put64(count);
            out.put64(count);
            out.put64(cd_size);
            out.put64(cd_offset);
            out.put32(SIG_ZIP64_LOCATOR);
            out.put32(0); // disk with the ZIP64 end record
            out.put64(z64_offset);
            out.put32(1); // total number of disks
        }
        out.put32(SIG_EOCD);
        out.put16(0); // this disk
        out.put16(0); // disk with the central directory
        let (n16, size32, off32) = if zip64 {
            (MARK16, MARK32, MARK32)
        } else {
            (count as u16, low32(cd_size), low32(cd_offset))
        };
        out.put16(n16);
        out.put16(n16);
        out.put32(size32);
        out.put32(off32);
        out.put16(0); // no comment
        self.advance(out.len())?;
        self.finished = true;
        Ok(out)
    }
}

/// The low 32 bits; callers only use it for values already known to fit.
fn low32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(MARK32)
}

fn central_record(c: &Central, out: &mut Vec<u8>) -> Result<()> {
    let version = if c.zip64 {
        VERSION_ZIP64
    } else {
        VERSION_DEFAULT
    };
    let name_len = u16::try_from(c.name.len())
        .map_err(|_| Error::Archive(format!("entry name too long: {:?}", c.name)))?;
    out.put32(SIG_CENTRAL);
    out.put16(MADE_BY_UNIX | version);
    out.put16(version);
    out.put16(WRITER_FLAGS);
    out.put16(c.method);
    out.put16(c.time);
    out.put16(c.date);
    out.put32(c.crc32);
    if c.zip64 {
        out.put32(MARK32);
        out.put32(MARK32);
    } else {
        out.put32(low32(c.compressed));
        out.put32(low32(c.uncompressed));
    }
    out.put16(name_len);
    out.put16(if c.zip64 { 28 } else { 0 });
    out.put16(0); // comment length
    out.put16(0); // disk number start
    out.put16(0); // internal attributes
    out.put32(EXTERNAL_ATTR);
    out.put32(if c.zip64 { MARK32 } else { low32(c.offset) });
    out.extend_from_slice(c.name.as_bytes());
    if c.zip64 {
        out.put16(EXTRA_ZIP64);
        out.put16(24);
        out.put64(c.uncompressed);
        out.put64(c.compressed);
        out.put64(c.offset);
    }
    Ok(())
}

/// Write a whole archive in memory from `(path, compress, content)` triples, all with the
/// same modification time. Convenient for small archives and tests; large archives should
/// stream through [`ZipWriter`] directly.
pub fn write_all_to_vec(
    writer: &mut ZipWriter,
    files: &[(&str, bool, &[u8])],
    mtime_unix_secs: i64,
) -> Result<(Vec<u8>, Vec<EntryInfo>)> {
    let mut out = Vec::new();
    let mut infos = Vec::with_capacity(files.len());
    for (path, compress, content) in files {
        writer.start_entry_into(path, *compress, mtime_unix_secs, &mut out)?;
        writer.write_into(content, &mut out)?;
        infos.push(writer.end_entry_into(&mut out)?);
    }
    out.extend_from_slice(&writer.finish()?);
    Ok((out, infos))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::hash::sha256_hex;

    #[test]
    fn misuse_is_an_error_not_a_panic() {
        let mut w = ZipWriter::new();
        assert!(w.write(b"x").is_err());
        assert!(w.end_entry().is_err());
        w.start_entry("a.txt", true, 0).unwrap();
        assert!(w.start_entry("b.txt", true, 0).is_err());
        assert!(w.finish().is_err());
        w.write(b"hello").unwrap();
        w.end_entry().unwrap();
        assert!(w.start_entry("a.txt", false, 0).is_err(), "duplicate");
        for bad in ["../x", "/abs", "a\\b", "C:/x", "d/"] {
            assert!(w.start_entry(bad, false, 0).is_err(), "{bad}");
        }
        w.finish().unwrap();
        assert!(w.start_entry("c.txt", false, 0).is_err());
        assert!(w.finish().is_err());
    }

    #[test]
    fn entry_info_describes_the_uncompressed_content() {
        let text = "hello, evidence\n".repeat(1000);
        let mut w = ZipWriter::new();
        let (zip, infos) =
            write_all_to_vec(&mut w, &[("t.txt", true, text.as_bytes())], 1_764_089_746).unwrap();
        assert_eq!(infos[0].bytes, text.len() as u64);
        assert_eq!(infos[0].sha256, sha256_hex(text.as_bytes()));
        assert_eq!(infos[0].crc32, crc32fast::hash(text.as_bytes()));
        assert!(infos[0].compressed_bytes < 200, "deflate worked");
        assert_eq!(w.bytes_written(), zip.len() as u64);
    }

    #[test]
    fn chunking_does_not_change_stored_output_and_output_is_deterministic() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let one = write_all_to_vec(&mut ZipWriter::new(), &[("d.bin", false, &data)], 5)
            .unwrap()
            .0;
        let mut w = ZipWriter::new();
        let mut out = w.start_entry("d.bin", false, 5).unwrap();
        for c in data.chunks(777) {
            out.extend(w.write(c).unwrap());
        }
        out.extend(w.end_entry().unwrap().1);
        out.extend(w.finish().unwrap());
        assert_eq!(one, out);
        let again = write_all_to_vec(&mut ZipWriter::new(), &[("d.bin", false, &data)], 5)
            .unwrap()
            .0;
        assert_eq!(one, again);
    }

    #[test]
    fn write_stored_gives_the_same_archive_as_write() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * 31 % 253) as u8).collect();
        let one = write_all_to_vec(&mut ZipWriter::new(), &[("d.bin", false, &data)], 5)
            .unwrap()
            .0;
        let mut w = ZipWriter::new();
        let mut out = w.start_entry("d.bin", false, 5).unwrap();
        for c in data.chunks(4096) {
            w.write_stored(c).unwrap();
            out.extend_from_slice(c);
        }
        let (info, tail) = w.end_entry().unwrap();
        out.extend(tail);
        out.extend(w.finish().unwrap());
        assert_eq!(one, out);
        assert_eq!(info.bytes, data.len() as u64);
        let mut d = ZipWriter::new();
        d.start_entry("a.json", true, 5).unwrap();
        assert!(
            d.write_stored(b"{}").is_err(),
            "refused for a deflated entry"
        );
    }
}
