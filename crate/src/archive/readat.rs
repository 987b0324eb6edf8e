//! Random-access byte sources for the archive reader.
//!
//! The reader only ever asks for bounded slices (at most [`MAX_READ`] bytes per call),
//! so a source can be a multi-gigabyte file read piece by piece: natively a
//! [`std::fs::File`], in the browser a `File` sliced through `FileReaderSync` in a worker
//! (implemented in `wasm/archive.rs`).

use crate::error::{Error, Result};

/// The largest single read the reader issues.
pub const MAX_READ: usize = 8 << 20;

/// A byte source that can be read at any offset.
pub trait ReadAt {
    /// Total length of the source in bytes.
    fn len(&self) -> u64;

    /// True when the source has no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fill all of `buf` with the bytes starting at `offset`. Reading past the end is an
    /// error, never a short read.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()>;
}

fn past_end(offset: u64, want: usize, len: u64) -> Error {
    Error::Archive(format!(
        "the file is truncated: wanted {want} bytes at offset {offset}, but it has only {len} bytes"
    ))
}

fn read_slice(data: &[u8], offset: u64, buf: &mut [u8]) -> Result<()> {
    let len = data.len() as u64;
    let start = usize::try_from(offset).map_err(|_| past_end(offset, buf.len(), len))?;
    let end = start
        .checked_add(buf.len())
        .filter(|&e| e <= data.len())
        .ok_or_else(|| past_end(offset, buf.len(), len))?;
    buf.copy_from_slice(&data[start..end]);
    Ok(())
}

impl ReadAt for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        read_slice(self, offset, buf)
    }
}

impl ReadAt for Vec<u8> {
    fn len(&self) -> u64 {
        Vec::len(self) as u64
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        read_slice(self, offset, buf)
    }
}

/// A native file opened for verification, with its length read once.
#[cfg(not(target_arch = "wasm32"))]
pub struct FileSource {
    file: std::fs::File,
    len: u64,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileSource {
    /// Open `path` for reading.
    pub fn open(path: &std::path::Path) -> Result<Self> {
        let file = std::fs::File::open(path)
            .map_err(|e| Error::Io(format!("cannot open {}: {e}", path.display())))?;
        Self::new(file)
    }

    /// Wrap an open file.
    pub fn new(file: std::fs::File) -> Result<Self> {
        let len = file
            .metadata()
            .map_err(|e| Error::Io(format!("cannot read the file's size: {e}")))?
            .len();
        Ok(FileSource { file, len })
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn file_read_at(file: &mut std::fs::File, len: u64, offset: u64, buf: &mut [u8]) -> Result<()> {
    if offset
        .checked_add(buf.len() as u64)
        .is_none_or(|end| end > len)
    {
        return Err(past_end(offset, buf.len(), len));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(buf, offset).map_err(|e| {
            Error::Io(format!(
                "read of {} bytes at {offset} failed: {e}",
                buf.len()
            ))
        })
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(buf))
            .map_err(|e| {
                Error::Io(format!(
                    "read of {} bytes at {offset} failed: {e}",
                    buf.len()
                ))
            })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ReadAt for FileSource {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        file_read_at(&mut self.file, self.len, offset, buf)
    }
}

/// A plain file; its length is asked of the OS on each `len()` call (0 if that fails).
#[cfg(not(target_arch = "wasm32"))]
impl ReadAt for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        let len = ReadAt::len(self);
        file_read_at(self, len, offset, buf)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn slices_read_exactly_or_fail() {
        let data = b"0123456789".to_vec();
        let mut s: &[u8] = &data;
        let mut buf = [0u8; 4];
        s.read_at(3, &mut buf).unwrap();
        assert_eq!(&buf, b"3456");
        assert!(s.read_at(7, &mut buf).is_err());
        assert!(s.read_at(u64::MAX, &mut buf).is_err());
        let mut v = data.clone();
        v.read_at(6, &mut buf).unwrap();
        assert_eq!(&buf, b"6789");
        assert_eq!(ReadAt::len(&v), 10);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn files_read_exactly_or_fail() {
        use std::io::Write;
        let path = std::env::temp_dir().join(format!("readat-{}.bin", std::process::id()));
        std::fs::File::create(&path)
            .unwrap()
            .write_all(b"0123456789")
            .unwrap();
        let mut f = FileSource::open(&path).unwrap();
        let mut buf = [0u8; 4];
        f.read_at(2, &mut buf).unwrap();
        assert_eq!(&buf, b"2345");
        assert!(f.read_at(8, &mut buf).is_err());
        let mut raw = std::fs::File::open(&path).unwrap();
        assert_eq!(ReadAt::len(&raw), 10);
        raw.read_at(0, &mut buf).unwrap();
        assert_eq!(&buf, b"0123");
        std::fs::remove_file(&path).unwrap();
    }
}
