//! One ZIP entry as the reader describes it, and the check of its local header and data
//! descriptor against its central-directory record (part of the hostile-input reader,
//! see `zipread.rs`).

use super::readat::ReadAt;
use super::zipfmt::*;
use crate::error::{Error, Result};

/// Most departures from the canonical shape that are kept (the rest are counted).
const MAX_DEVIATIONS: usize = 50;

/// An archive error with this message.
pub(super) fn bad(msg: impl Into<String>) -> Error {
    Error::Archive(msg.into())
}

/// How an entry's content is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Stored as is.
    Stored,
    /// Raw DEFLATE.
    Deflate,
}

/// One entry, as the central directory describes it and its local header confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntry {
    /// Path inside the archive (validated: relative, no traversal).
    pub name: String,
    /// Compression method.
    pub method: Method,
    /// CRC-32 of the uncompressed content, as recorded.
    pub crc32: u32,
    /// Bytes of (possibly compressed) data in the archive.
    pub compressed_size: u64,
    /// Declared uncompressed size; reading never produces more than this.
    pub uncompressed_size: u64,
    /// Offset of the local file header.
    pub header_offset: u64,
    /// Offset of the first data byte.
    pub data_offset: u64,
    /// Offset just past the entry (after its data descriptor, if any).
    pub end_offset: u64,
    /// MS-DOS modification time and date.
    pub dos_time_date: (u16, u16),
}

/// Departures from the canonical shape: the first few, and how many in all.
pub(super) struct Deviations {
    /// The first departures, in words.
    pub(super) list: Vec<String>,
    /// How many departures in all.
    pub(super) count: usize,
}

impl Deviations {
    /// Note one departure.
    pub(super) fn push(&mut self, msg: String) {
        self.count += 1;
        if self.list.len() < MAX_DEVIATIONS {
            self.list.push(msg);
        }
    }
    /// Note a departure when `found` is not `canonical`.
    pub(super) fn check<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: &str,
        found: T,
        canonical: T,
    ) {
        if found != canonical {
            self.push(format!(
                "{what} is {found:?}; evidence-capture writes {canonical:?}"
            ));
        }
    }
}

/// Read `len` bytes at `offset` into a new buffer.
pub(super) fn read_vec<R: ReadAt + ?Sized>(
    src: &mut R,
    offset: u64,
    len: usize,
) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    src.read_at(offset, &mut buf)?;
    Ok(buf)
}

/// A central-directory record being checked.
pub(super) struct Central {
    /// The entry as the record describes it.
    pub(super) entry: ZipEntry,
    /// General-purpose flags.
    pub(super) flags: u16,
    /// The compression method as written.
    pub(super) method_raw: u16,
    /// Whether the record has a ZIP64 extra field.
    pub(super) zip64: bool,
    /// The name's bytes as written.
    pub(super) name_raw: Vec<u8>,
}

/// Check the local header (and data descriptor) of one entry against its central record;
/// fills in `data_offset` and `end_offset`.
pub(super) fn check_local<R: ReadAt + ?Sized>(
    src: &mut R,
    c: &mut Central,
    zip64: bool,
    limit: u64,
    dev: &mut Deviations,
) -> Result<()> {
    let e = &mut c.entry;
    let label = format!("entry {:?}", e.name);
    let header_end = e
        .header_offset
        .checked_add(LOCAL_LEN as u64)
        .filter(|&end| end <= limit)
        .ok_or_else(|| bad(format!("{label}: its local header lies outside the file")))?;
    let fixed = read_vec(src, e.header_offset, LOCAL_LEN)?;
    let mut l = Le::new(&fixed, "a local file header");
    if l.u32()? != SIG_LOCAL {
        return Err(bad(format!(
            "{label}: no local file header where the central directory says (corrupt or altered)"
        )));
    }
    let version = l.u16()?;
    let flags = l.u16()?;
    let method = l.u16()?;
    let time = l.u16()?;
    let date = l.u16()?;
    let crc = l.u32()?;
    let comp = l.u32()?;
    let uncomp = l.u32()?;
    let name_len = u64::from(l.u16()?);
    let extra_len = u64::from(l.u16()?);
    dev.check(
        &format!("{label}: the local 'version needed'"),
        version,
        VERSION_DEFAULT,
    );
    if flags != c.flags || method != c.method_raw || (time, date) != e.dos_time_date {
        return Err(bad(format!(
            "{label}: the local header disagrees with the central directory (flags, method or time)"
        )));
    }
    let descriptor = flags & FLAG_DESCRIPTOR != 0;
    let sizes_agree = (crc, u64::from(comp), u64::from(uncomp))
        == (e.crc32, e.compressed_size, e.uncompressed_size);
    if descriptor {
        if (crc, comp, uncomp) != (0, 0, 0) && !sizes_agree {
            return Err(bad(format!(
                "{label}: the local header's CRC or sizes disagree with the central directory"
            )));
        }
        dev.check(
            &format!("{label}: the local CRC and sizes"),
            (crc, comp, uncomp),
            (0, 0, 0),
        );
    } else if !(sizes_agree || (comp == MARK32 && uncomp == MARK32 && crc == e.crc32)) {
        return Err(bad(format!(
            "{label}: the local header's CRC or sizes disagree with the central directory"
        )));
    }
    if name_len != c.name_raw.len() as u64 {
        return Err(bad(format!(
            "{label}: the local header names a different file"
        )));
    }
    let local_name = read_vec(src, header_end, c.name_raw.len())?;
    if local_name != c.name_raw {
        return Err(bad(format!(
            "{label}: the local header names a different file"
        )));
    }
    dev.check(
        &format!("{label}: the local extra field length"),
        extra_len,
        0,
    );
    let data_offset = header_end + name_len + extra_len;
    let data_end = data_offset
        .checked_add(e.compressed_size)
        .filter(|&end| end <= limit)
        .ok_or_else(|| {
            bad(format!(
                "{label}: its {} bytes of data run past the end of the entries (truncated, or a lying size)",
                e.compressed_size
            ))
        })?;
    let mut end = data_end;
    if descriptor {
        let want = if zip64 { 24u64 } else { 16 };
        let avail = (limit - data_end).min(want);
        let d = read_vec(src, data_end, avail as usize)?;
        let mut r = Le::new(&d, "a data descriptor");
        let has_sig = d.len() >= 4 && d[..4] == SIG_DESCRIPTOR.to_le_bytes();
        if has_sig {
            r.u32()?;
        } else {
            dev.push(format!("{label}: its data descriptor has no signature"));
        }
        let d_crc = r.u32()?;
        let (d_comp, d_uncomp) = if zip64 {
            (r.u64()?, r.u64()?)
        } else {
            (u64::from(r.u32()?), u64::from(r.u32()?))
        };
        if (d_crc, d_comp, d_uncomp) != (e.crc32, e.compressed_size, e.uncompressed_size) {
            return Err(bad(format!(
                "{label}: its data descriptor disagrees with the central directory (corrupt or altered)"
            )));
        }
        end = data_end + want - if has_sig { 0 } else { 4 };
    }
    e.data_offset = data_offset;
    e.end_offset = end;
    Ok(())
}
