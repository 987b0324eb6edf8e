//! A ZIP reader for hostile input, over random access.
//!
//! [`ZipArchive::open`] reads only the end records, the central directory and each
//! entry's local header and data descriptor, in bounded reads. It refuses anything
//! unsafe or inconsistent with a clear [`Error::Archive`]: truncation, sizes or offsets
//! that point outside the file, more entries than fit, path traversal, absolute paths,
//! drive letters, backslashes, duplicate names, names that are not UTF-8, encryption,
//! methods other than stored and DEFLATE, overlapping entries, and local headers or
//! descriptors that disagree with the central directory. Nothing is allocated in
//! proportion to a size the file merely declares.
//!
//! Departures from the canonical shape the evidence-capture writer produces (a different
//! "version made by", an extra field, bytes hidden between entries...) are not unsafe, so
//! they do not stop reading, but they are collected in [`ZipArchive::deviations`]: the
//! verifier treats them as signs that the container was altered after export.

use super::readat::ReadAt;
use super::zipend::find_eocd;
use super::zipfmt::*;
use super::ziplocal::{bad, check_local, Central, Deviations};
pub use super::ziplocal::{Method, ZipEntry};
use crate::error::Result;
use std::collections::BTreeMap;

/// Most entries an archive may declare (an export of 200,000 items fits).
pub const MAX_ENTRIES: u64 = 1_000_000;
/// Central directory bytes read per call.
const CD_CHUNK: u64 = 256 * 1024;

/// An opened archive: its entries in central-directory order, all checked.
#[derive(Debug, Clone)]
pub struct ZipArchive {
    entries: Vec<ZipEntry>,
    by_name: BTreeMap<String, usize>,
    zip64: bool,
    cd_offset: u64,
    deviations: Vec<String>,
    deviation_count: usize,
}

/// Buffered sequential reads over one region of the source, in bounded chunks.
struct Region<'s, R: ReadAt + ?Sized> {
    src: &'s mut R,
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    at: usize,
}

impl<'s, R: ReadAt + ?Sized> Region<'s, R> {
    fn take(&mut self, n: usize, what: &str) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(n.min(1 << 16));
        while out.len() < n {
            if self.at == self.buf.len() {
                let left = self.end - self.pos;
                if left == 0 {
                    return Err(bad(format!(
                        "{what} runs past the end of the central directory"
                    )));
                }
                let chunk = left.min(CD_CHUNK) as usize;
                self.buf.resize(chunk, 0);
                self.src.read_at(self.pos, &mut self.buf)?;
                self.pos += chunk as u64;
                self.at = 0;
            }
            let k = (n - out.len()).min(self.buf.len() - self.at);
            out.extend_from_slice(&self.buf[self.at..self.at + k]);
            self.at += k;
        }
        Ok(out)
    }

    fn done(&self) -> bool {
        self.at == self.buf.len() && self.pos == self.end
    }
}

fn decode_name(raw: &[u8], flags: u16) -> Result<String> {
    if flags & FLAG_UTF8 != 0 {
        String::from_utf8(raw.to_vec()).map_err(|_| {
            bad(format!(
                "entry name {} is marked UTF-8 but is not valid UTF-8",
                String::from_utf8_lossy(raw)
            ))
        })
    } else if raw.is_ascii() {
        Ok(String::from_utf8_lossy(raw).into_owned())
    } else {
        Err(bad(format!(
            "entry name {} is not ASCII and not marked UTF-8 (legacy code pages are refused)",
            String::from_utf8_lossy(raw)
        )))
    }
}

fn parse_central<R: ReadAt + ?Sized>(
    r: &mut Region<'_, R>,
    index: u64,
    dev: &mut Deviations,
) -> Result<Central> {
    let what = "a central directory record";
    let fixed = r.take(CENTRAL_LEN, what)?;
    let mut c = Le::new(&fixed, what);
    if c.u32()? != SIG_CENTRAL {
        return Err(bad(format!(
            "central directory record {index} is corrupt (bad signature)"
        )));
    }
    let made_by = c.u16()?;
    let version_needed = c.u16()?;
    let flags = c.u16()?;
    let method_raw = c.u16()?;
    let time = c.u16()?;
    let date = c.u16()?;
    let crc32 = c.u32()?;
    let comp32 = c.u32()?;
    let uncomp32 = c.u32()?;
    let name_len = usize::from(c.u16()?);
    let extra_len = usize::from(c.u16()?);
    let comment_len = usize::from(c.u16()?);
    let disk = c.u16()?;
    let internal = c.u16()?;
    let external = c.u32()?;
    let off32 = c.u32()?;
    if name_len > MAX_NAME_LEN {
        return Err(bad(format!(
            "entry {index} has a {name_len}-byte name, longer than the {MAX_NAME_LEN} accepted"
        )));
    }
    let name_raw = r.take(name_len, what)?;
    let extra = r.take(extra_len, what)?;
    let comment = r.take(comment_len, what)?;
    let name = decode_name(&name_raw, flags)?;
    validate_entry_name(&name)?;
    let label = format!("entry {name:?}");
    if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_DIRECTORY) != 0 {
        return Err(bad(format!(
            "{label} is encrypted; encrypted archives are not supported"
        )));
    }
    let method = match method_raw {
        METHOD_STORED => Method::Stored,
        METHOD_DEFLATE => Method::Deflate,
        m => {
            return Err(bad(format!(
                "{label} uses compression method {m}; only stored (0) and DEFLATE (8) are supported"
            )))
        }
    };
    // ZIP64 extended information: present fields follow the order of spec 4.5.3.
    let mut uncompressed_size = u64::from(uncomp32);
    let mut compressed_size = u64::from(comp32);
    let mut header_offset = u64::from(off32);
    let mut disk_start = u32::from(disk);
    let mut ex = Le::new(&extra, "an extra field");
    let mut saw_zip64 = false;
    let mut canonical_extra = extra.is_empty();
    while ex.remaining() >= 4 {
        let id = ex.u16()?;
        let size = usize::from(ex.u16()?);
        let body = ex.take(size)?;
        if id != EXTRA_ZIP64 {
            continue;
        }
        if saw_zip64 {
            return Err(bad(format!("{label} has two ZIP64 extra fields")));
        }
        saw_zip64 = true;
        canonical_extra = extra.len() == 28
            && size == 24
            && uncomp32 == MARK32
            && comp32 == MARK32
            && off32 == MARK32;
        let mut z = Le::new(body, "a ZIP64 extra field");
        if uncomp32 == MARK32 {
            uncompressed_size = z.u64()?;
        }
        if comp32 == MARK32 {
            compressed_size = z.u64()?;
        }
        if off32 == MARK32 {
            header_offset = z.u64()?;
        }
        if disk == MARK16 {
            disk_start = z.u32()?;
        }
    }
    if ex.remaining() != 0 {
        return Err(bad(format!("{label} has a malformed extra field")));
    }
    if !saw_zip64 && (uncomp32 == MARK32 || comp32 == MARK32 || off32 == MARK32) {
        return Err(bad(format!(
            "{label} needs a ZIP64 extra field but has none (corrupt)"
        )));
    }
    if disk_start != 0 {
        return Err(bad("multi-disk (split) archives are not supported"));
    }
    if !canonical_extra {
        dev.push(format!(
            "{label} has an extra field evidence-capture does not write"
        ));
    }
    let needed = if saw_zip64 {
        VERSION_ZIP64
    } else {
        VERSION_DEFAULT
    };
    dev.check(
        &format!("{label}: 'version made by'"),
        made_by,
        MADE_BY_UNIX | needed,
    );
    dev.check(
        &format!("{label}: 'version needed'"),
        version_needed,
        needed,
    );
    dev.check(&format!("{label}: the flags"), flags, WRITER_FLAGS);
    dev.check(&format!("{label}: the internal attributes"), internal, 0);
    dev.check(
        &format!("{label}: the external attributes"),
        external,
        EXTERNAL_ATTR,
    );
    dev.check(&format!("{label}: the comment length"), comment.len(), 0);
    if method == Method::Stored && compressed_size != uncompressed_size {
        return Err(bad(format!(
            "{label} is stored but declares {compressed_size} stored bytes for {uncompressed_size} content bytes"
        )));
    }
    // DEFLATE cannot expand data by more than about 1032:1; a larger claim is a bomb.
    if method == Method::Deflate
        && uncompressed_size > compressed_size.saturating_mul(1032).saturating_add(1024)
    {
        return Err(bad(format!(
            "{label} declares {uncompressed_size} bytes from {compressed_size} compressed bytes, more than DEFLATE can produce (a ZIP bomb or a lying size)"
        )));
    }
    Ok(Central {
        entry: ZipEntry {
            name,
            method,
            crc32,
            compressed_size,
            uncompressed_size,
            header_offset,
            data_offset: 0,
            end_offset: 0,
            dos_time_date: (time, date),
        },
        flags,
        method_raw,
        zip64: saw_zip64,
        name_raw,
    })
}

impl ZipArchive {
    /// Parse and check the archive's structure. Reads only headers, in bounded slices.
    pub fn open<R: ReadAt + ?Sized>(src: &mut R) -> Result<Self> {
        let mut dev = Deviations {
            list: Vec::new(),
            count: 0,
        };
        let (_, eocd) = find_eocd(src, &mut dev)?;
        let cd_end = eocd
            .cd_offset
            .checked_add(eocd.cd_size)
            .ok_or_else(|| bad("the central directory's size and offset overflow"))?;
        if cd_end != eocd.cd_end_expected {
            return Err(bad(format!(
                "the central directory should end at offset {} but the end record says {cd_end} (truncated, or data added or removed)",
                eocd.cd_end_expected
            )));
        }
        if eocd.count > MAX_ENTRIES {
            return Err(bad(format!(
                "the archive declares {} entries, more than the {MAX_ENTRIES} accepted",
                eocd.count
            )));
        }
        if eocd.count.saturating_mul(CENTRAL_LEN as u64) > eocd.cd_size {
            return Err(bad(format!(
                "the archive declares {} entries but its central directory has room for fewer",
                eocd.count
            )));
        }
        let mut region = Region {
            src: &mut *src,
            pos: eocd.cd_offset,
            end: cd_end,
            buf: Vec::new(),
            at: 0,
        };
        // Capacity from a declared count is capped; the vector grows with real records.
        let mut centrals = Vec::with_capacity(eocd.count.min(4096) as usize);
        let mut by_name = BTreeMap::new();
        for i in 0..eocd.count {
            let c = parse_central(&mut region, i, &mut dev)?;
            if by_name
                .insert(c.entry.name.clone(), centrals.len())
                .is_some()
            {
                return Err(bad(format!(
                    "the name {:?} appears twice in the archive",
                    c.entry.name
                )));
            }
            centrals.push(c);
        }
        if !region.done() {
            return Err(bad(
                "the central directory has bytes after its last record (corrupt or altered)",
            ));
        }
        for c in &mut centrals {
            // Data descriptors hold 8-byte sizes when the entry has a ZIP64 extra field
            // (spec 4.3.9.2), which is exactly when our writer makes them 8 bytes.
            let zip64 = c.zip64;
            check_local(src, c, zip64, eocd.cd_offset, &mut dev)?;
        }
        let entries: Vec<ZipEntry> = centrals.into_iter().map(|c| c.entry).collect();
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&i| entries[i].header_offset);
        let mut next = 0u64;
        for &i in &order {
            let e = &entries[i];
            if e.header_offset < next {
                return Err(bad(format!(
                    "entry {:?} overlaps the entry before it (a crafted archive)",
                    e.name
                )));
            }
            if e.header_offset > next {
                dev.push(format!(
                    "{} bytes before entry {:?} belong to no entry (hidden or leftover data)",
                    e.header_offset - next,
                    e.name
                ));
            }
            next = e.end_offset;
        }
        if next < eocd.cd_offset {
            dev.push(format!(
                "{} bytes before the central directory belong to no entry (hidden or leftover data)",
                eocd.cd_offset - next
            ));
        }
        Ok(ZipArchive {
            entries,
            by_name,
            zip64: eocd.zip64,
            cd_offset: eocd.cd_offset,
            deviations: dev.list,
            deviation_count: dev.count,
        })
    }

    /// Entries in central-directory order.
    pub fn entries(&self) -> &[ZipEntry] {
        &self.entries
    }

    /// The entry with this exact name.
    pub fn get(&self, name: &str) -> Option<&ZipEntry> {
        self.by_name.get(name).and_then(|&i| self.entries.get(i))
    }

    /// True when the archive has a ZIP64 end record.
    pub fn is_zip64(&self) -> bool {
        self.zip64
    }

    /// Offset of the central directory (everything before it is entries).
    pub fn central_directory_offset(&self) -> u64 {
        self.cd_offset
    }

    /// Departures from the shape the evidence-capture writer produces (at most 50 kept).
    pub fn deviations(&self) -> &[String] {
        &self.deviations
    }

    /// How many departures were found in total.
    pub fn deviation_count(&self) -> usize {
        self.deviation_count
    }
}
