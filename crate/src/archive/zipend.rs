//! Finding and checking the ZIP end records (classic and ZIP64), part of the
//! hostile-input reader (see `zipread.rs`).

use super::readat::ReadAt;
use super::zipfmt::*;
use super::ziplocal::{bad, read_vec, Deviations};
use crate::error::Result;

/// What the end records say about the central directory.
pub(super) struct Eocd {
    /// Entries declared.
    pub(super) count: u64,
    /// Size of the central directory.
    pub(super) cd_size: u64,
    /// Offset of the central directory.
    pub(super) cd_offset: u64,
    /// Where the central directory must end (the next end record).
    pub(super) cd_end_expected: u64,
    /// Whether ZIP64 end records are present.
    pub(super) zip64: bool,
}

pub(super) fn find_eocd<R: ReadAt + ?Sized>(
    src: &mut R,
    dev: &mut Deviations,
) -> Result<(u64, Eocd)> {
    let len = src.len();
    if len < EOCD_LEN as u64 {
        return Err(bad(format!(
            "the file is {len} bytes long, too short to be a ZIP archive"
        )));
    }
    let tail_len = len.min(EOCD_SEARCH);
    let tail_start = len - tail_len;
    // tail_len <= 65557, so this allocation is bounded whatever the file says.
    let tail = read_vec(src, tail_start, tail_len as usize)?;
    let mut found = None;
    for pos in (0..=tail.len() - EOCD_LEN).rev() {
        if tail[pos..pos + 4] == SIG_EOCD.to_le_bytes() {
            let comment = usize::from(u16::from_le_bytes([tail[pos + 20], tail[pos + 21]]));
            if pos + EOCD_LEN + comment == tail.len() {
                found = Some(pos);
                break;
            }
        }
    }
    let pos = found.ok_or_else(|| {
        bad("no end-of-central-directory record: the file is truncated or is not a ZIP archive")
    })?;
    let eocd_offset = tail_start + pos as u64;
    let mut c = Le::new(&tail[pos + 4..], "the end-of-central-directory record");
    let disk = c.u16()?;
    let cd_disk = c.u16()?;
    let n_disk = c.u16()?;
    let n_total = c.u16()?;
    let size32 = c.u32()?;
    let off32 = c.u32()?;
    let comment = c.u16()?;
    dev.check("the archive comment length", comment, 0);
    if disk != 0 || cd_disk != 0 {
        return Err(bad("multi-disk (split) archives are not supported"));
    }
    let has_locator = eocd_offset >= ZIP64_LOCATOR_LEN as u64 && {
        let mut sig = [0u8; 4];
        src.read_at(eocd_offset - ZIP64_LOCATOR_LEN as u64, &mut sig)?;
        u32::from_le_bytes(sig) == SIG_ZIP64_LOCATOR
    };
    if !has_locator {
        if n_total == MARK16 || size32 == MARK32 || off32 == MARK32 {
            return Err(bad(
                "the end record points to a ZIP64 record that is not there (truncated or corrupt)",
            ));
        }
        if n_disk != n_total {
            return Err(bad("the end record's two entry counts disagree"));
        }
        return Ok((
            eocd_offset,
            Eocd {
                count: u64::from(n_total),
                cd_size: u64::from(size32),
                cd_offset: u64::from(off32),
                cd_end_expected: eocd_offset,
                zip64: false,
            },
        ));
    }
    dev.check(
        "the end record's entry counts",
        (n_disk, n_total),
        (MARK16, MARK16),
    );
    dev.check("the end record's directory size", size32, MARK32);
    dev.check("the end record's directory offset", off32, MARK32);
    let loc_offset = eocd_offset - ZIP64_LOCATOR_LEN as u64;
    let loc = read_vec(src, loc_offset, ZIP64_LOCATOR_LEN)?;
    let mut c = Le::new(&loc[4..], "the ZIP64 locator");
    let z_disk = c.u32()?;
    let z_offset = c.u64()?;
    let disks = c.u32()?;
    if z_disk != 0 || disks > 1 {
        return Err(bad("multi-disk (split) archives are not supported"));
    }
    dev.check("the ZIP64 locator's disk count", disks, 1);
    z_offset
        .checked_add(ZIP64_EOCD_LEN as u64)
        .filter(|&e| e <= loc_offset)
        .ok_or_else(|| bad("the ZIP64 locator points outside the file"))?;
    let rec = read_vec(src, z_offset, ZIP64_EOCD_LEN)?;
    let mut c = Le::new(&rec, "the ZIP64 end record");
    if c.u32()? != SIG_ZIP64_EOCD {
        return Err(bad("the ZIP64 end record is missing or corrupt"));
    }
    let rest = c.u64()?;
    if z_offset.checked_add(12).and_then(|v| v.checked_add(rest)) != Some(loc_offset) {
        return Err(bad(
            "the ZIP64 end record's length does not reach the locator (corrupt)",
        ));
    }
    dev.check("the ZIP64 end record's length", rest, 44);
    let made_by = c.u16()?;
    let needed = c.u16()?;
    dev.check(
        "the ZIP64 end record's 'version made by'",
        made_by,
        MADE_BY_UNIX | VERSION_ZIP64,
    );
    dev.check(
        "the ZIP64 end record's 'version needed'",
        needed,
        VERSION_ZIP64,
    );
    if c.u32()? != 0 || c.u32()? != 0 {
        return Err(bad("multi-disk (split) archives are not supported"));
    }
    let n_disk = c.u64()?;
    let n_total = c.u64()?;
    let cd_size = c.u64()?;
    let cd_offset = c.u64()?;
    if n_disk != n_total {
        return Err(bad("the ZIP64 end record's two entry counts disagree"));
    }
    Ok((
        eocd_offset,
        Eocd {
            count: n_total,
            cd_size,
            cd_offset,
            cd_end_expected: z_offset,
            zip64: true,
        },
    ))
}
