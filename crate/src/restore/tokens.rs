//! Bringing an archive's trusted timestamps (`timestamps/`) back into the library.
//!
//! Only tokens the verifier passed are offered: every check on them held (OK, or
//! UNTRUSTED when no trusted root was given, as in the extension, which stores the tokens
//! it receives on the same terms); a token it rejected is never imported (and fails the
//! archive anyway). Each token is read again from the archive and must be the very file
//! the verifier checked, and it must cover a chain value of the verified ledger.

use super::steps::ArchiveRestore;
use crate::archive::verify_timestamps::TimestampState;
use crate::archive::{read_entry_to_vec, ReadAt, Report};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use serde::{Serialize, Serializer};

/// Largest token file read back.
const MAX_TOKEN_BYTES: u64 = 1 << 20;

/// A token the verifier passed, as its report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedToken {
    file: String,
    sha256: String,
    seq: u64,
    head: String,
    tsa: String,
    gen_time: String,
}

/// The tokens in `report` that passed every check (OK or UNTRUSTED), with the SHA-256
/// the verifier computed for each token file.
pub(super) fn passed(report: &Report) -> Vec<PassedToken> {
    report
        .timestamps
        .iter()
        .filter(|t| matches!(t.status, TimestampState::Ok | TimestampState::Untrusted))
        .filter_map(|t| {
            let sha256 = report
                .files
                .iter()
                .find(|f| f.path == t.file)?
                .sha256
                .clone()?;
            Some(PassedToken {
                file: t.file.clone(),
                sha256,
                seq: t.seq,
                head: t.head_sha256.clone(),
                tsa: t.tsa.clone()?,
                gen_time: t.gen_time.clone()?,
            })
        })
        .collect()
}

fn as_bytes<S: Serializer>(v: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_bytes(v)
}

/// A trusted timestamp to store in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoredToken {
    /// The ledger sequence number whose chain value it covers.
    pub seq: u64,
    /// That chain value.
    pub head: String,
    /// The authority (its signing-certificate subject).
    pub tsa_name: String,
    /// The token's genTime (RFC 3339 UTC).
    pub gen_time: String,
    /// The DER `TimeStampResp`, byte for byte as the archive holds it.
    #[serde(serialize_with = "as_bytes")]
    pub der: Vec<u8>,
}

impl ArchiveRestore {
    /// The archive's trusted timestamps that the verifier passed, read again and checked
    /// against what it verified, in index order.
    pub fn timestamps<R: ReadAt + ?Sized>(&self, src: &mut R) -> Result<Vec<RestoredToken>> {
        let mut out = Vec::new();
        for t in &self.passed_tokens {
            let covered = self.ledger.entries.get(t.seq as usize);
            if covered.map(|e| e.chain_sha256.as_str()) != Some(t.head.as_str()) {
                continue;
            }
            let changed = || {
                Error::Archive(format!(
                    "{} is not what was verified a moment ago: the file changed while it was being restored. Nothing was changed",
                    t.file
                ))
            };
            let entry = self.zip.get(&t.file).ok_or_else(changed)?;
            let (der, _) = read_entry_to_vec(src, entry, MAX_TOKEN_BYTES)?;
            if sha256_hex(&der) != t.sha256 {
                return Err(changed());
            }
            out.push(RestoredToken {
                seq: t.seq,
                head: t.head.clone(),
                tsa_name: t.tsa.clone(),
                gen_time: t.gen_time.clone(),
                der,
            });
        }
        Ok(out)
    }
}
