//! RFC 3161 trusted timestamps over the ledger head.
//!
//! A timestamp authority (TSA) signs "this hash existed at this time". We ask for the
//! SHA-256 of the ledger head (the 32 raw bytes of the head's chain hash), so a token
//! proves that the head, and through the chain every item up to it, existed no later
//! than the token's `genTime`.
//!
//! - [`build_request`]: the DER `TimeStampReq` (RFC 3161 §2.4.1). The caller supplies
//!   the 64-bit nonce: the core reads no clock and no randomness.
//! - [`verify_response`]: parses a DER `TimeStampResp` and checks everything a court
//!   would ask about (see [`token`] and [`chain`]): the status, the imprint equals the
//!   head, the nonce, the CMS SignedData signature (RSA PKCS#1 v1.5, ECDSA P-256 and
//!   P-384), the signing-certificate binding (ESSCertID v1 and v2), and the certificate
//!   chain up to a trusted root, with the critical timeStamping extended key usage, each
//!   certificate valid at `genTime`. A chain that ends at a root nobody trusted is not an
//!   error: the answer says [`Trust::Untrusted`], and such a token proves nothing.
//!
//! Hostile input (truncated, oversized lengths, wrong OIDs, huge certificate sets) gives
//! [`Error::Timestamp`](crate::Error::Timestamp), never a panic.

pub mod chain;
mod ess;
pub mod pem;
pub mod request;
mod sig;
pub mod time;
pub mod token;

pub use request::build_request;
pub use token::verify_response;

use serde::Serialize;

/// The largest `TimeStampResp` accepted, in bytes. Real tokens with a full chain are a
/// few kilobytes; the cap bounds the work a hostile response can cause.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// The most certificates accepted in one token (and as extra untrusted certificates).
pub const MAX_CERTIFICATES: usize = 16;
/// The longest certificate path accepted, signer and root included.
pub const MAX_CHAIN_LEN: usize = 8;

/// Whether the token's certificate chain ends at a root the verifier was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Trust {
    /// The chain ends at this trusted root (its subject).
    Trusted {
        /// The root certificate's subject, as RFC 4514 text.
        root: String,
    },
    /// Every check passed, but the chain ends at a certificate nobody trusted (its
    /// subject): the token proves nothing until that root is trusted.
    Untrusted {
        /// The subject of the last certificate of the chain that could be built.
        top: String,
    },
}

/// What a checked token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// `genTime` as RFC 3339 UTC text (`2026-11-20T21:16:00Z`, fraction kept).
    pub gen_time: String,
    /// `genTime` in whole seconds since 1970 (UTC), for comparisons.
    pub gen_time_unix: i64,
    /// The TSA's signing certificate subject (RFC 4514 text).
    pub tsa: String,
    /// The token's serial number, lowercase hex.
    pub serial: String,
    /// The TSA policy OID under which it was issued.
    pub policy: String,
    /// The nonce echoed in the token, if any (serialised as 16 hex digits: JSON numbers
    /// lose precision past 2^53).
    #[serde(serialize_with = "nonce_hex")]
    pub nonce: Option<u64>,
    /// Accuracy of `genTime` in milliseconds, when the TSA states it.
    pub accuracy_ms: Option<u64>,
    /// Which binding ties the signer's certificate: `"ESSCertIDv2"` or `"ESSCertID"`.
    pub cert_binding: String,
    /// Signature algorithm of the token: `"RSA PKCS#1 v1.5"`, `"ECDSA P-256"`, `"ECDSA P-384"`.
    pub algorithm: String,
    /// The chain's trust.
    pub trust: Trust,
    /// The certificates of the chain, signer first, as DER (root included when trusted).
    #[serde(skip)]
    pub chain_der: Vec<Vec<u8>>,
}

impl TokenInfo {
    /// The chain as PEM text, signer first (what the archive stores beside the token).
    pub fn chain_pem(&self) -> String {
        self.chain_der
            .iter()
            .map(|der| pem::encode_certificate(der))
            .collect()
    }
}

fn nonce_hex<S: serde::Serializer>(n: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => s.serialize_str(&format!("{n:016x}")),
        None => s.serialize_none(),
    }
}

pub(crate) fn err(what: impl Into<String>) -> crate::Error {
    crate::Error::Timestamp(what.into())
}

pub(crate) fn der_err(what: &str, e: der::Error) -> crate::Error {
    crate::Error::Timestamp(format!("{what}: {e}"))
}
