//! ZIP format constants and helpers shared by the writer and the reader.
//!
//! References are to PKWARE's APPNOTE.TXT 6.3.10 ("the spec" below):
//! <https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT>.
//!
//! The writer always produces one canonical shape (see [`crate::archive::zipwrite`]); the
//! reader accepts any safe ZIP but reports every departure from that shape, because an
//! evidence archive that was re-packed or edited after export must not verify silently.

use crate::error::{Error, Result};
use chrono::{Datelike, Timelike};

/// Local file header signature (spec 4.3.7).
pub const SIG_LOCAL: u32 = 0x0403_4b50;
/// Central directory file header signature (spec 4.3.12).
pub const SIG_CENTRAL: u32 = 0x0201_4b50;
/// Data descriptor signature (spec 4.3.9.3).
pub const SIG_DESCRIPTOR: u32 = 0x0807_4b50;
/// End of central directory record signature (spec 4.3.16).
pub const SIG_EOCD: u32 = 0x0605_4b50;
/// ZIP64 end of central directory record signature (spec 4.3.14).
pub const SIG_ZIP64_EOCD: u32 = 0x0606_4b50;
/// ZIP64 end of central directory locator signature (spec 4.3.15).
pub const SIG_ZIP64_LOCATOR: u32 = 0x0706_4b50;

/// General-purpose flag bit 0: the entry is encrypted.
pub const FLAG_ENCRYPTED: u16 = 0x0001;
/// General-purpose flag bit 3: CRC and sizes follow the data in a data descriptor.
pub const FLAG_DESCRIPTOR: u16 = 0x0008;
/// General-purpose flag bit 6: strong encryption.
pub const FLAG_STRONG_ENCRYPTION: u16 = 0x0040;
/// General-purpose flag bit 11: the file name is UTF-8 (spec appendix D).
pub const FLAG_UTF8: u16 = 0x0800;
/// General-purpose flag bit 13: the central directory is encrypted ("masked").
pub const FLAG_MASKED_DIRECTORY: u16 = 0x2000;
/// The flags the evidence-capture writer always sets: data descriptor + UTF-8 names.
pub const WRITER_FLAGS: u16 = FLAG_DESCRIPTOR | FLAG_UTF8;

/// Compression method 0: stored.
pub const METHOD_STORED: u16 = 0;
/// Compression method 8: DEFLATE.
pub const METHOD_DEFLATE: u16 = 8;

/// "Version needed to extract" for DEFLATE and data descriptors (2.0).
pub const VERSION_DEFAULT: u16 = 20;
/// "Version needed to extract" for ZIP64 (4.5).
pub const VERSION_ZIP64: u16 = 45;
/// Host system "UNIX" in the upper byte of "version made by" (spec 4.4.2).
pub const MADE_BY_UNIX: u16 = 3 << 8;
/// External attributes: a regular file with mode 0644, so `unzip` extracts it readable.
pub const EXTERNAL_ATTR: u32 = 0o100_644 << 16;
/// Extra field header id of the ZIP64 extended information field (spec 4.5.3).
pub const EXTRA_ZIP64: u16 = 0x0001;

/// A 32-bit size or offset field at this value means "see the ZIP64 field".
pub const MARK32: u32 = 0xFFFF_FFFF;
/// A 16-bit count field at this value means "see the ZIP64 record".
pub const MARK16: u16 = 0xFFFF;

/// Fixed part of a local file header.
pub const LOCAL_LEN: usize = 30;
/// Fixed part of a central directory file header.
pub const CENTRAL_LEN: usize = 46;
/// The end of central directory record without its comment.
pub const EOCD_LEN: usize = 22;
/// The ZIP64 end of central directory record without extensible data.
pub const ZIP64_EOCD_LEN: usize = 56;
/// The ZIP64 end of central directory locator.
pub const ZIP64_LOCATOR_LEN: usize = 20;
/// Longest entry name either side accepts. Evidence paths are far shorter.
pub const MAX_NAME_LEN: usize = 1024;
/// The EOCD must lie within this many bytes of the end (record + longest comment).
pub const EOCD_SEARCH: u64 = (EOCD_LEN + u16::MAX as usize) as u64;

/// A 32-bit size or offset from 64-bit: true when it needs ZIP64.
pub fn needs_zip64(v: u64) -> bool {
    v >= u64::from(MARK32)
}

/// MS-DOS `(time, date)` for a Unix time, read as UTC (spec 4.4.6). Times outside the
/// DOS range 1980–2107 are clamped to its ends; seconds are rounded down to even.
pub fn dos_datetime(unix_secs: i64) -> (u16, u16) {
    const MIN: i64 = 315_532_800; // 1980-01-01T00:00:00Z
    const MAX: i64 = 4_354_819_198; // 2107-12-31T23:59:58Z
    let t = unix_secs.clamp(MIN, MAX);
    match chrono::DateTime::from_timestamp(t, 0) {
        Some(dt) => {
            let time = (dt.hour() << 11) | (dt.minute() << 5) | (dt.second() / 2);
            let year = u32::try_from(dt.year() - 1980).unwrap_or(0);
            let date = (year << 9) | (dt.month() << 5) | dt.day();
            (
                u16::try_from(time).unwrap_or(0),
                u16::try_from(date).unwrap_or(0x21),
            )
        }
        // Unreachable for the clamped range; 1980-01-01 00:00 is a safe fallback.
        None => (0, 0x21),
    }
}

/// Check that an entry name is a safe relative path: no absolute path, no drive letter,
/// no `..` or `.` component, no backslash, no empty component, no control characters.
/// Both the writer and the reader apply exactly this rule.
pub fn validate_entry_name(name: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::Archive(format!("unsafe entry name {name:?}: {why}")));
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.len() > MAX_NAME_LEN {
        return bad("it is longer than 1024 bytes");
    }
    if name.contains('\\') {
        return bad("it contains a backslash");
    }
    if name.starts_with('/') {
        return bad("it is an absolute path");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return bad("it starts with a drive letter");
    }
    if name.contains(':') {
        return bad("it contains a colon");
    }
    if name.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    if name.ends_with('/') {
        return bad("directory entries are not allowed");
    }
    for part in name.split('/') {
        match part {
            "" => return bad("it has an empty path component"),
            "." | ".." => return bad("it has a '.' or '..' component (path traversal)"),
            _ => {}
        }
    }
    Ok(())
}

/// Append little-endian integers to an output buffer.
pub trait PutLe {
    /// Append a little-endian `u16`.
    fn put16(&mut self, v: u16);
    /// Append a little-endian `u32`.
    fn put32(&mut self, v: u32);
    /// Append a little-endian `u64`.
    fn put64(&mut self, v: u64);
}

impl PutLe for Vec<u8> {
    fn put16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }
}

/// A bounds-checked little-endian cursor over a byte slice. Running off the end is a
/// clean [`Error::Archive`] naming what was being read, never a panic.
pub struct Le<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Le<'a> {
    /// A cursor at the start of `buf`; `what` names the structure in error messages.
    pub fn new(buf: &'a [u8], what: &'static str) -> Self {
        Le { buf, pos: 0, what }
    }

    /// Take the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(Error::Archive(format!("{} is cut short", self.what))),
        }
    }

    /// Read a little-endian `u16`.
    pub fn u16(&mut self) -> Result<u16> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }

    /// Read a little-endian `u32`.
    pub fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// Read a little-endian `u64`.
    pub fn u64(&mut self) -> Result<u64> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dos_time_known_values_and_clamping() {
        // 2025-11-25T16:55:46Z -> 16:55:46, 2025-11-25.
        let (t, d) = dos_datetime(1_764_089_746);
        assert_eq!(t, (16 << 11) | (55 << 5) | 23);
        assert_eq!(d, (45 << 9) | (11 << 5) | 25);
        assert_eq!(dos_datetime(0), (0, (1 << 5) | 1));
        assert_eq!(dos_datetime(i64::MIN), (0, (1 << 5) | 1));
        let (t, d) = dos_datetime(i64::MAX);
        assert_eq!(d >> 9, 127);
        assert_eq!(t, (23 << 11) | (59 << 5) | 29);
    }

    #[test]
    fn entry_names() {
        for ok in [
            "manifest.json",
            "items/000000/record.json",
            "a/b/c.png",
            "ünï/cødé.txt",
        ] {
            assert!(validate_entry_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a\\b",
            "C:/x",
            "c:x",
            "a:b",
            "a//b",
            "dir/",
            "nul\0byte",
            "line\nbreak",
            &"x".repeat(1025),
        ] {
            assert!(validate_entry_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn cursor_is_bounds_checked() {
        let mut c = Le::new(&[1, 0, 2, 0, 0, 0], "test");
        assert_eq!(c.u16().unwrap(), 1);
        assert_eq!(c.u32().unwrap(), 2);
        assert_eq!(c.remaining(), 0);
        assert!(c.u16().is_err());
        assert!(Le::new(&[1], "x").take(usize::MAX).is_err());
    }
}
