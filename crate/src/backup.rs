//! Encrypted backups: a complete evidence archive encrypted with a passphrase, in the
//! standard age format (scrypt recipient), as one `.age` file that `age -d` turns back
//! into the ordinary archive `evidence-verify` checks.
//!
//! Both directions stream. [`BackupWriter`] takes the archive's bytes in slices and gives
//! back the age file's bytes as they are ready. [`BackupReader`] reads a `.age` file by
//! offsets ([`ReadAt`]) and is itself a [`ReadAt`] over the archive inside it: age's
//! payload is a STREAM of 64 KiB chunks, each authenticated on its own, so any range is
//! decrypted without reading the file before it (the restore's verifier reads by
//! ranges). A change to any byte of the file fails authentication; a wrong passphrase is
//! [`Error::WrongPassphrase`].
//!
//! The work factor is fixed at the lock's ([`crate::lock::SCRYPT_WORK_FACTOR`], 2^18,
//! 256 MiB, about a second natively), so no clock is read.

use crate::archive::ReadAt;
use crate::error::{Error, Result};
use crate::lock::{MAX_SCRYPT_WORK_FACTOR, SCRYPT_WORK_FACTOR};
use age::secrecy::SecretString;
use age::DecryptError;
use std::cell::RefCell;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::iter;
use std::rc::Rc;

/// Fewest characters a backup passphrase may have.
pub const MIN_BACKUP_PASSPHRASE_CHARS: usize = 8;

/// A `Write` whose bytes the writer's owner takes out as they come.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn crypto(e: io::Error) -> Error {
    Error::Crypto(format!("the backup cannot be encrypted: {e}"))
}

/// Streaming encryption of an archive into a `.age` backup.
pub struct BackupWriter {
    stream: Option<age::stream::StreamWriter<Shared>>,
    out: Shared,
}

impl BackupWriter {
    /// A writer for `passphrase` (at least [`MIN_BACKUP_PASSPHRASE_CHARS`] characters).
    /// Runs scrypt once (about a second natively, 256 MiB).
    pub fn new(passphrase: &str) -> Result<Self> {
        if passphrase.trim().chars().count() < MIN_BACKUP_PASSPHRASE_CHARS {
            return Err(Error::InvalidInput(format!(
                "the backup passphrase is too short: at least {MIN_BACKUP_PASSPHRASE_CHARS} characters are needed"
            )));
        }
        let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase));
        recipient.set_work_factor(SCRYPT_WORK_FACTOR);
        let encryptor =
            age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
                .map_err(|_| Error::Crypto("the backup cannot be encrypted".into()))?;
        let out = Shared::default();
        let stream = encryptor.wrap_output(out.clone()).map_err(crypto)?;
        Ok(BackupWriter {
            stream: Some(stream),
            out,
        })
    }

    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.out.0.borrow_mut())
    }

    /// Encrypt the next slice of the archive; returns the age bytes ready so far (the
    /// header first, then whole 64 KiB chunks).
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        let s = self
            .stream
            .as_mut()
            .ok_or_else(|| Error::InvalidInput("this backup is already finished".into()))?;
        s.write_all(chunk).map_err(crypto)?;
        Ok(self.take())
    }

    /// The last bytes of the age file.
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        let s = self
            .stream
            .take()
            .ok_or_else(|| Error::InvalidInput("this backup is already finished".into()))?;
        s.finish().map_err(crypto)?;
        Ok(self.take())
    }
}

/// `Read + Seek` over a [`ReadAt`] (for age's seekable STREAM reader).
struct Cursor<R> {
    src: R,
    pos: u64,
}

impl<R: ReadAt> Read for Cursor<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.src.len().saturating_sub(self.pos);
        let n = (buf.len() as u64)
            .min(left)
            .min(crate::archive::readat::MAX_READ as u64) as usize;
        if n == 0 {
            return Ok(0);
        }
        self.src
            .read_at(self.pos, &mut buf[..n])
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: ReadAt> Seek for Cursor<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.src.len() as i128;
        let at = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => len + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if at < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        }
        self.pos = u64::try_from(at)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?;
        Ok(self.pos)
    }
}

/// The archive inside a `.age` backup, read by offsets.
pub struct BackupReader<R: ReadAt> {
    stream: age::stream::StreamReader<Cursor<R>>,
    len: u64,
}

/// True when `head` (the first bytes of a file) starts like an age file.
pub fn is_age(head: &[u8]) -> bool {
    head.starts_with(b"age-encryption.org/v1\n")
}

fn open_error(e: DecryptError) -> Error {
    match e {
        DecryptError::DecryptionFailed | DecryptError::NoMatchingKeys => Error::WrongPassphrase,
        DecryptError::ExcessiveWork { required, .. } => Error::Crypto(format!(
            "the backup asks for scrypt work factor {required}, above the limit {MAX_SCRYPT_WORK_FACTOR}"
        )),
        DecryptError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            Error::Crypto("the backup is truncated".into())
        }
        _ => Error::Crypto("the backup's age header is malformed or changed".into()),
    }
}

fn payload_error(e: &io::Error) -> Error {
    Error::Crypto(match e.kind() {
        io::ErrorKind::UnexpectedEof => "the backup is truncated".to_string(),
        io::ErrorKind::InvalidData => {
            "the backup's content does not authenticate: it was changed, damaged or cut short"
                .to_string()
        }
        _ => format!("the backup cannot be read: {e}"),
    })
}

impl<R: ReadAt> BackupReader<R> {
    /// Open a passphrase-encrypted age file. A wrong passphrase is
    /// [`Error::WrongPassphrase`]; a file that is not one, an [`Error::Crypto`].
    pub fn open(src: R, passphrase: &str) -> Result<Self> {
        let decryptor = age::Decryptor::new(Cursor { src, pos: 0 }).map_err(open_error)?;
        if !decryptor.is_scrypt() {
            return Err(Error::Crypto(
                "this age file is not encrypted with a passphrase, so it is not an evidence backup"
                    .into(),
            ));
        }
        let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase));
        identity.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
        let mut stream = decryptor
            .decrypt(iter::once(&identity as &dyn age::Identity))
            .map_err(open_error)?;
        let len = stream
            .seek(SeekFrom::End(0))
            .map_err(|e| payload_error(&e))?;
        Ok(BackupReader { stream, len })
    }
}

impl<R: ReadAt> ReadAt for BackupReader<R> {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<()> {
        if offset
            .checked_add(buf.len() as u64)
            .is_none_or(|end| end > self.len)
        {
            return Err(Error::Archive(format!(
                "the file is truncated: wanted {} bytes at offset {offset}, but it has only {} bytes",
                buf.len(),
                self.len
            )));
        }
        self.stream
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.stream.read_exact(buf))
            .map_err(|e| payload_error(&e))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PASS: &str = "backup passphrase 7";

    fn encrypt(plain: &[u8], slice: usize) -> Vec<u8> {
        let mut w = BackupWriter::new(PASS).unwrap();
        let mut out = Vec::new();
        for c in plain.chunks(slice.max(1)) {
            out.extend(w.push(c).unwrap());
        }
        out.extend(w.finish().unwrap());
        out
    }

    #[test]
    fn streams_both_ways_and_reads_any_range() {
        let plain: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let age_file = encrypt(&plain, 100_000);
        assert!(is_age(&age_file));
        // The age library opens it as an ordinary passphrase file.
        let mut id = age::scrypt::Identity::new(SecretString::from(PASS));
        id.set_max_work_factor(MAX_SCRYPT_WORK_FACTOR);
        assert_eq!(age::decrypt(&id, &age_file).unwrap(), plain);
        let mut r = BackupReader::open(age_file.clone(), PASS).unwrap();
        assert_eq!(r.len(), plain.len() as u64);
        for (off, n) in [
            (0usize, 10usize),
            (65_530, 20),
            (200_000, 99_999),
            (299_990, 10),
        ] {
            let mut buf = vec![0u8; n];
            r.read_at(off as u64, &mut buf).unwrap();
            assert_eq!(buf, &plain[off..off + n]);
        }
        let mut over = [0u8; 11];
        assert!(r.read_at(299_990, &mut over).is_err());
    }

    #[test]
    fn wrong_passphrase_tampering_and_truncation_are_refused() {
        let plain = vec![42u8; 150_000];
        let age_file = encrypt(&plain, 4096);
        assert!(matches!(
            BackupReader::open(age_file.clone(), "not the passphrase").err(),
            Some(Error::WrongPassphrase)
        ));
        // Reading the whole archive out of a changed or cut file fails, at open or read.
        let read_all = |bytes: Vec<u8>| {
            BackupReader::open(bytes, PASS).and_then(|mut r| {
                let mut b = vec![0u8; r.len() as usize];
                r.read_at(0, &mut b)
            })
        };
        assert!(read_all(age_file.clone()).is_ok());
        for at in [age_file.len() - 1000, age_file.len() / 2, 200] {
            let mut changed = age_file.clone();
            changed[at] ^= 1;
            assert!(read_all(changed).is_err(), "byte {at} changed");
        }
        for keep in [age_file.len() - 70_000, age_file.len() - 1, 100] {
            assert!(
                read_all(age_file[..keep].to_vec()).is_err(),
                "cut at {keep}"
            );
        }
        assert!(BackupWriter::new("short").is_err());
        assert!(BackupReader::open(b"PK\x03\x04 not age".to_vec(), PASS).is_err());
    }
}
