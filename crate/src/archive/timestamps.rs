//! Trusted timestamps in the archive (`timestamps/`), written by the builder:
//!
//! ```text
//! timestamps/index.json         [{file, seq, head_sha256, tsa, gen_time, certs}]
//! timestamps/NNNNNN-K.tsr       each token: the exact DER TimeStampResp the TSA sent
//! timestamps/NNNNNN-K.pem       that token's TSA certificate chain (signer first), PEM
//! ```
//!
//! `NNNNNN` is the ledger sequence number whose chain value (the head after that item)
//! the token covers, `K` counts tokens over that same head (one per authority). The
//! tokens sit beside the chain, never inside it: no record or chain hash changes. They
//! are listed in `manifest.json` and `SHA256SUMS` like every file.

use crate::error::{Error, Result};
use crate::tsp;
use serde::{Deserialize, Serialize};

/// Folder of the timestamp files.
pub const TIMESTAMPS_DIR: &str = "timestamps/";
/// Path of the timestamp index.
pub const TIMESTAMPS_INDEX: &str = "timestamps/index.json";

impl super::ArchiveBuilder {
    /// The trusted timestamps to export in `timestamps/`; each is checked against its
    /// chain value at [`super::ArchiveBuilder::finish`]. Call before it.
    pub fn set_timestamps(&mut self, tokens: Vec<StoredToken>) {
        self.timestamps = tokens;
    }

    /// Adds one token to export (see [`Self::set_timestamps`]).
    pub fn add_timestamp(&mut self, token: StoredToken) {
        self.timestamps.push(token);
    }
}

/// A token as the extension stores it: the exact DER received, and which head it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredToken {
    /// The ledger sequence number whose chain value the token covers.
    pub seq: u64,
    /// That chain value (lowercase hex).
    pub head: String,
    /// The DER `TimeStampResp`, byte for byte as the authority sent it.
    pub der: Vec<u8>,
}

/// One entry of `timestamps/index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimestampEntry {
    /// Path of the `.tsr` token in the archive.
    pub file: String,
    /// The ledger sequence number covered (the token covers items 0 to `seq`).
    pub seq: u64,
    /// The chain value after item `seq`: the token's message imprint.
    pub head_sha256: String,
    /// The TSA's signing-certificate subject.
    pub tsa: String,
    /// The token's genTime (RFC 3339 UTC).
    pub gen_time: String,
    /// Path of the PEM file with the TSA's certificate chain.
    pub certs: String,
}

/// The `timestamps/` files (path, bytes) and the index entries.
pub type TimestampFiles = (Vec<(String, Vec<u8>)>, Vec<TimestampEntry>);

/// Parses `timestamps/index.json`.
pub fn parse_index(bytes: &[u8]) -> Result<Vec<TimestampEntry>> {
    serde_json::from_slice(bytes)
        .map_err(|e| Error::InvalidInput(format!("{TIMESTAMPS_INDEX} is not valid: {e}")))
}

/// The exact bytes of `timestamps/index.json` for `entries`.
pub fn index_bytes(entries: &[TimestampEntry]) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(entries)
        .map_err(|e| Error::InvalidInput(format!("{TIMESTAMPS_INDEX} does not serialise: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// Decodes a 64-hex-digit head.
pub fn head_bytes(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The files of `timestamps/` for `tokens`, each checked against the chain value it
/// claims (`chain[seq]`): `(path, bytes)` in the order to write them, index last, and
/// the index entries.
/// A token that does not verify, or whose head is not the chain's, is refused: the
/// extension checked it before storing it, so this means storage was changed.
pub fn timestamp_files(tokens: &[StoredToken], chain: &[String]) -> Result<TimestampFiles> {
    let mut files = Vec::new();
    let mut entries = Vec::new();
    let mut sorted: Vec<&StoredToken> = tokens.iter().collect();
    sorted.sort_by(|a, b| (a.seq, &a.der).cmp(&(b.seq, &b.der)));
    sorted.dedup_by(|a, b| a.seq == b.seq && a.der == b.der);
    let mut k = 0u32;
    let mut last_seq = None;
    for t in sorted {
        let damaged = |why: String| {
            Error::StorageDamaged(format!(
                "The timestamp over item {} {why}, so it was not exported. Run \"Check integrity\" in the library.",
                t.seq
            ))
        };
        let expected = chain.get(t.seq as usize).map(String::as_str);
        if expected != Some(t.head.as_str()) {
            return Err(damaged(
                "is not for the chain value stored for that item".into(),
            ));
        }
        let head = head_bytes(&t.head).ok_or_else(|| damaged("has a malformed head".into()))?;
        let info = tsp::verify_response(&t.der, &head, None, &[], &[])
            .map_err(|e| damaged(format!("does not verify ({e})")))?;
        k = if last_seq == Some(t.seq) { k + 1 } else { 1 };
        last_seq = Some(t.seq);
        let base = format!("{TIMESTAMPS_DIR}{:06}-{k}", t.seq);
        let (file, certs) = (format!("{base}.tsr"), format!("{base}.pem"));
        files.push((file.clone(), t.der.clone()));
        files.push((certs.clone(), info.chain_pem().into_bytes()));
        entries.push(TimestampEntry {
            file,
            seq: t.seq,
            head_sha256: t.head.clone(),
            tsa: info.tsa,
            gen_time: info.gen_time,
            certs,
        });
    }
    if !entries.is_empty() {
        files.push((TIMESTAMPS_INDEX.to_string(), index_bytes(&entries)?));
    }
    Ok((files, entries))
}

/// The `VERIFY.txt` section for the tokens in `index` (empty when there are none).
pub fn guide_section(index: &[TimestampEntry]) -> String {
    if index.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "
INDEPENDENT PROOF OF TIME (RFC 3161 TRUSTED TIMESTAMPS)
=======================================================

Every other time in this archive comes from the exporter's own computer. The
files in timestamps/ come from a timestamp authority (TSA), a third party: each
token is the TSA's signature over one value of the hash chain, with the TSA's
time (genTime). It proves that the chain up to that item, and so every item
before it, existed no later than genTime. Only that 32-byte hash was sent to
the TSA, never any content. timestamps/index.json lists each token, the item
it covers (seq: items 0 to seq), the chain value (head_sha256), the TSA and
genTime.

Check each token with OpenSSL. TSA_ROOT.pem is the TSA's root certificate,
which you obtain from the TSA yourself (a root taken from this archive would
prove nothing); the .pem beside each token is only its untrusted chain:

",
    );
    for e in index {
        s.push_str(&format!(
            "    openssl ts -verify -digest {} \\\n        -in {} -CAfile TSA_ROOT.pem -untrusted {}\n",
            e.head_sha256, e.file, e.certs
        ));
    }
    s.push_str(
        "
Each must print \"Verification: OK\". If the TSA's certificate has expired since
(they last a few years), add -attime followed by a Unix time within its validity,
e.g. the token's genTime: `-attime $(date -d GENTIME +%s)`; the token was made
while the certificate was valid, and the check then holds at that moment.
The command-line verifier checks every token too: give it the root with
    --tsa-ca TSA_ROOT.pem
A token whose root you did not give it is reported as untrusted: it proves
nothing until you trust that root.
",
    );
    s
}
