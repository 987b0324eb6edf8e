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

/// An entry's content checker fed with its stored (compressed) bytes in order, as they
/// arrive: [`read_entry`] pulls them from a [`ReadAt`]; the browser's restore pushes
/// them from a stream of the file into one reused buffer, so that reading a large archive
/// leaves no garbage behind. The checks are the same either way.
pub struct EntryReader {
    name: String,
    compressed_size: u64,
    uncompressed_size: u64,
    crc32: u32,
    sha: StreamHasher,
    crc: crc32fast::Hasher,
    /// Stored bytes fed so far.
    fed: u64,
    inflate: Option<Box<Inflating>>,
}

/// The DEFLATE side: the inflater and the re-compression compared with the stored stream.
struct Inflating {
    state: Box<InflateState>,
    out: Vec<u8>,
    stored: StreamHasher,
    again: StreamHasher,
    deflater: Deflater,
    redo: Vec<u8>,
    produced: u64,
    ended: bool,
}

impl EntryReader {
    /// A checker for `entry`.
    pub fn new(entry: &ZipEntry) -> EntryReader {
        EntryReader {
            name: entry.name.clone(),
            compressed_size: entry.compressed_size,
            uncompressed_size: entry.uncompressed_size,
            crc32: entry.crc32,
            sha: StreamHasher::new(),
            crc: crc32fast::Hasher::new(),
            fed: 0,
            inflate: (entry.method == Method::Deflate).then(|| {
                Box::new(Inflating {
                    state: InflateState::new_boxed(DataFormat::Raw),
                    out: vec![0u8; INFLATE_OUT],
                    stored: StreamHasher::new(),
                    again: StreamHasher::new(),
                    deflater: Deflater::new(),
                    redo: Vec::new(),
                    produced: 0,
                    ended: false,
                })
            }),
        }
    }

    /// Whether the entry is stored uncompressed: its content is exactly the bytes fed.
    pub fn is_stored(&self) -> bool {
        self.inflate.is_none()
    }

    fn bad(&self, msg: &str) -> Error {
        Error::Archive(format!("entry {:?}: {msg}", self.name))
    }

    fn emit(
        sha: &mut StreamHasher,
        crc: &mut crc32fast::Hasher,
        sink: &mut dyn FnMut(&[u8]) -> Result<()>,
        bytes: &[u8],
    ) -> Result<()> {
        sha.update(bytes);
        crc.update(bytes);
        sink(bytes)
    }

    /// The next stored bytes, handing the content they give to `sink`. More bytes than
    /// the entry stores is an error.
    pub fn feed(&mut self, input: &[u8], sink: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let n = input.len() as u64;
        if self.fed.saturating_add(n) > self.compressed_size {
            return Err(self.bad("it was given more bytes than it stores"));
        }
        self.fed += n;
        let Some(inf) = self.inflate.as_mut() else {
            return Self::emit(&mut self.sha, &mut self.crc, sink, input);
        };
        inf.stored.update(input);
        let mut at = 0usize;
        loop {
            if inf.ended {
                if at < input.len() {
                    return Err(Error::Archive(format!(
                        "entry {:?}: it has bytes after the end of its DEFLATE data (corrupt or altered)",
                        self.name
                    )));
                }
                return Ok(());
            }
            // MZFlush::None throughout: Finish would make miniz write straight into `out`
            // assuming it can hold everything, which a 64 KB window cannot.
            let r = inflate(&mut inf.state, &input[at..], &mut inf.out, MZFlush::None);
            at += r.bytes_consumed.min(input.len() - at);
            let written = r.bytes_written.min(inf.out.len());
            if written > 0 {
                inf.produced += written as u64;
                if inf.produced > self.uncompressed_size {
                    return Err(Error::Archive(format!(
                        "entry {:?}: it inflates to more than its declared {} bytes (a ZIP bomb or a lying size)",
                        self.name, self.uncompressed_size
                    )));
                }
                Self::emit(&mut self.sha, &mut self.crc, sink, &inf.out[..written])?;
                inf.redo.clear();
                inf.deflater.push(&inf.out[..written], &mut inf.redo)?;
                inf.again.update(&inf.redo);
            }
            match r.status {
                Ok(MZStatus::StreamEnd) => inf.ended = true,
                Ok(_) | Err(MZError::Buf) => {}
                Err(_) => {
                    return Err(Error::Archive(format!(
                        "entry {:?}: its DEFLATE data is corrupt",
                        self.name
                    )))
                }
            }
            if r.bytes_consumed == 0 && written == 0 && !inf.ended {
                if at < input.len() {
                    // Input available, room for output, and still no progress: corrupt.
                    return Err(Error::Archive(format!(
                        "entry {:?}: its DEFLATE data is corrupt",
                        self.name
                    )));
                }
                return Ok(());
            }
        }
    }

    /// Every stored byte was fed: check the size and CRC-32 and give the digest.
    pub fn finish(mut self, sink: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<EntryDigest> {
        if self.fed != self.compressed_size {
            return Err(self.bad("its stored data ends early (truncated)"));
        }
        let mut deflate_canonical = None;
        if self.inflate.is_some() {
            // Drain what the inflater still holds.
            self.feed(&[], sink)?;
        }
        if let Some(mut inf) = self.inflate.take() {
            if !inf.ended {
                return Err(self.bad("its DEFLATE data ends early (truncated or corrupt)"));
            }
            inf.redo.clear();
            inf.deflater.finish(&mut inf.redo)?;
            inf.again.update(&inf.redo);
            deflate_canonical = Some(
                inf.stored.len() == inf.again.len()
                    && inf.stored.finish_hex() == inf.again.finish_hex(),
            );
        }
        let bytes = self.sha.len();
        if bytes != self.uncompressed_size {
            return Err(self.bad(&format!(
                "it holds {bytes} bytes but declares {} (corrupt or altered)",
                self.uncompressed_size
            )));
        }
        let crc32 = self.crc.clone().finalize();
        if crc32 != self.crc32 {
            return Err(self.bad(&format!(
                "CRC-32 is {crc32:08x} but {:08x} is recorded (corrupt or altered)",
                self.crc32
            )));
        }
        Ok(EntryDigest {
            bytes,
            sha256: self.sha.finish_hex(),
            crc32,
            deflate_canonical,
        })
    }
}

/// Stream the content of `entry` into `sink`, slice by slice, and check it: never more
/// than the declared size, exactly the declared size, and the recorded CRC-32.
pub fn read_entry<R: ReadAt + ?Sized>(
    src: &mut R,
    entry: &ZipEntry,
    sink: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<EntryDigest> {
    let mut reader = EntryReader::new(entry);
    // The buffer is bounded by CHUNK, and compressed_size was checked against the file.
    let buf_len = entry.compressed_size.min(CHUNK as u64) as usize;
    let mut buf = vec![0u8; buf_len];
    let mut pos = entry.data_offset;
    let mut left = entry.compressed_size;
    while left > 0 {
        let n = left.min(buf_len as u64) as usize;
        src.read_at(pos, &mut buf[..n])?;
        reader.feed(&buf[..n], sink)?;
        pos += n as u64;
        left -= n as u64;
    }
    reader.finish(sink)
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
