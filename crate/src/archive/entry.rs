//! Streaming an entry's content out of an archive, with hashing and hard caps.
//!
//! Content is read in slices of at most [`CHUNK`] bytes. SHA-256 and CRC-32 are computed
//! in the same pass as the content is handed to the caller's sink, so each byte of the
//! archive is read once. DEFLATE is inflated through a fixed 64 KB window: the output can
//! never exceed the entry's declared size (a ZIP bomb or a lying size is an error, not an
//! allocation), and compressed bytes left over or missing are errors too.
//!
//! DEFLATE data is also re-compressed with the writer's own settings as it is read, and
//! the result compared with the stored stream ([`EntryDigest::deflate_canonical`]).
//! Different DEFLATE streams can inflate to the same bytes (spare padding bits, unused
//! code lengths), so without this a change to the compressed bytes of a text file could
//! go unnoticed; with it, any change to an archive we wrote is visible.

use super::readat::ReadAt;
use super::zipread::{Method, ZipEntry};
use super::zipwrite::Deflater;
use crate::error::{Error, Result};
use crate::hash::StreamHasher;
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// Bytes read from the source per call (well under the 8 MB read limit).
pub const CHUNK: usize = 4 << 20;
const INFLATE_OUT: usize = 64 * 1024;

/// What streaming an entry found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDigest {
    /// Uncompressed bytes produced.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the uncompressed content.
    pub sha256: String,
    /// CRC-32 of the uncompressed content.
    pub crc32: u32,
    /// For DEFLATE entries: whether the stored stream is exactly what the evidence-capture
    /// writer produces for this content. `None` for stored entries.
    pub deflate_canonical: Option<bool>,
}

fn bad(entry: &ZipEntry, msg: &str) -> Error {
    Error::Archive(format!("entry {:?}: {msg}", entry.name))
}

struct Digest<'a> {
    sha: StreamHasher,
    crc: crc32fast::Hasher,
    sink: &'a mut dyn FnMut(&[u8]) -> Result<()>,
}

impl Digest<'_> {
    fn feed(&mut self, bytes: &[u8]) -> Result<()> {
        self.sha.update(bytes);
        self.crc.update(bytes);
        (self.sink)(bytes)
    }
}

/// Stream the content of `entry` into `sink`, slice by slice, and check it: never more
/// than the declared size, exactly the declared size, and the recorded CRC-32.
pub fn read_entry<R: ReadAt + ?Sized>(
    src: &mut R,
    entry: &ZipEntry,
    sink: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<EntryDigest> {
    let mut d = Digest {
        sha: StreamHasher::new(),
        crc: crc32fast::Hasher::new(),
        sink,
    };
    // The buffer is bounded by CHUNK, and compressed_size was checked against the file.
    let buf_len = entry.compressed_size.min(CHUNK as u64) as usize;
    let mut buf = vec![0u8; buf_len];
    let mut deflate_canonical = None;
    match entry.method {
        Method::Stored => {
            let mut pos = entry.data_offset;
            let mut left = entry.compressed_size;
            while left > 0 {
                let n = left.min(buf_len as u64) as usize;
                src.read_at(pos, &mut buf[..n])?;
                d.feed(&buf[..n])?;
                pos += n as u64;
                left -= n as u64;
            }
        }
        Method::Deflate => deflate_canonical = Some(inflate_entry(src, entry, &mut buf, &mut d)?),
    }
    let bytes = d.sha.len();
    if bytes != entry.uncompressed_size {
        return Err(bad(
            entry,
            &format!(
                "it holds {bytes} bytes but declares {} (corrupt or altered)",
                entry.uncompressed_size
            ),
        ));
    }
    let crc32 = d.crc.finalize();
    if crc32 != entry.crc32 {
        return Err(bad(
            entry,
            &format!(
                "CRC-32 is {crc32:08x} but {:08x} is recorded (corrupt or altered)",
                entry.crc32
            ),
        ));
    }
    Ok(EntryDigest {
        bytes,
        sha256: d.sha.finish_hex(),
        crc32,
        deflate_canonical,
    })
}

fn inflate_entry<R: ReadAt + ?Sized>(
    src: &mut R,
    entry: &ZipEntry,
    buf: &mut [u8],
    d: &mut Digest<'_>,
) -> Result<bool> {
    // The stored stream and our re-compression of the output, compared by hash + length.
    let mut stored = StreamHasher::new();
    let mut again = StreamHasher::new();
    let mut deflater = Deflater::new();
    let mut redo = Vec::new();
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut out = vec![0u8; INFLATE_OUT];
    let mut pos = entry.data_offset;
    let mut left = entry.compressed_size;
    let (mut at, mut filled) = (0usize, 0usize);
    let mut produced = 0u64;
    loop {
        if at == filled && left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            src.read_at(pos, &mut buf[..n])?;
            stored.update(&buf[..n]);
            pos += n as u64;
            left -= n as u64;
            at = 0;
            filled = n;
        }
        // MZFlush::None throughout: Finish would make miniz write straight into `out`
        // assuming it can hold everything, which a 64 KB window cannot.
        let r = inflate(&mut state, &buf[at..filled], &mut out, MZFlush::None);
        at += r.bytes_consumed.min(filled - at);
        let written = r.bytes_written.min(out.len());
        if written > 0 {
            produced += written as u64;
            if produced > entry.uncompressed_size {
                return Err(bad(
                    entry,
                    &format!(
                        "it inflates to more than its declared {} bytes (a ZIP bomb or a lying size)",
                        entry.uncompressed_size
                    ),
                ));
            }
            d.feed(&out[..written])?;
            redo.clear();
            deflater.push(&out[..written], &mut redo)?;
            again.update(&redo);
        }
        match r.status {
            Ok(MZStatus::StreamEnd) => break,
            Ok(_) | Err(MZError::Buf) => {}
            Err(_) => return Err(bad(entry, "its DEFLATE data is corrupt")),
        }
        if r.bytes_consumed == 0 && written == 0 {
            if at == filled && left == 0 {
                return Err(bad(
                    entry,
                    "its DEFLATE data ends early (truncated or corrupt)",
                ));
            }
            if at < filled {
                // Input available, room for output, and still no progress: corrupt.
                return Err(bad(entry, "its DEFLATE data is corrupt"));
            }
        }
    }
    if at != filled || left != 0 {
        return Err(bad(
            entry,
            "it has bytes after the end of its DEFLATE data (corrupt or altered)",
        ));
    }
    redo.clear();
    deflater.finish(&mut redo)?;
    again.update(&redo);
    Ok(stored.len() == again.len() && stored.finish_hex() == again.finish_hex())
}

/// Read a whole entry into memory, refusing entries whose declared size exceeds `limit`
/// (checked before anything is allocated).
pub fn read_entry_to_vec<R: ReadAt + ?Sized>(
    src: &mut R,
    entry: &ZipEntry,
    limit: u64,
) -> Result<(Vec<u8>, EntryDigest)> {
    if entry.uncompressed_size > limit {
        return Err(bad(
            entry,
            &format!(
                "it is {} bytes, more than the {limit} this reader keeps in memory",
                entry.uncompressed_size
            ),
        ));
    }
    let mut data = Vec::with_capacity(entry.uncompressed_size.min(1 << 20) as usize);
    let digest = read_entry(src, entry, &mut |b: &[u8]| {
        data.extend_from_slice(b);
        Ok(())
    })?;
    Ok((data, digest))
}
