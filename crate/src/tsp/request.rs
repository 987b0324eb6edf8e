//! The RFC 3161 `TimeStampReq` (§2.4.1), and the nonce as an ASN.1 INTEGER.

use super::der_err;
use crate::Result;
use der::asn1::{Int, OctetString};
use der::oid::db::rfc5912::ID_SHA_256;
use der::{Any, Encode};
use x509_cert::spki::AlgorithmIdentifier;
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

/// The DER `TimeStampReq` for a SHA-256 imprint of `head` (the 32 raw bytes of the
/// ledger head), with `nonce` (random, from the caller) and `certReq` true, so the TSA
/// puts its certificate in the token. POST it as `application/timestamp-query`.
pub fn build_request(head: &[u8; 32], nonce: u64) -> Result<Vec<u8>> {
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: sha256_imprint(head)?,
        req_policy: None,
        nonce: Some(nonce_int(nonce)?),
        cert_req: true,
        extensions: None,
    };
    req.to_der().map_err(|e| der_err("encoding the request", e))
}

/// A SHA-256 `MessageImprint` of `digest` (parameters NULL, as RFC 5754 §2 allows and
/// OpenSSL sends).
pub(crate) fn sha256_imprint(digest: &[u8; 32]) -> Result<MessageImprint> {
    Ok(MessageImprint {
        hash_algorithm: AlgorithmIdentifier {
            oid: ID_SHA_256,
            parameters: Some(Any::null()),
        },
        hashed_message: OctetString::new(digest.to_vec()).map_err(|e| der_err("the imprint", e))?,
    })
}

/// `nonce` as a positive INTEGER in minimal two's complement.
pub(crate) fn nonce_int(nonce: u64) -> Result<Int> {
    let bytes = nonce.to_be_bytes();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(7);
    let mut out = Vec::with_capacity(9);
    if bytes[first] & 0x80 != 0 {
        out.push(0);
    }
    out.extend_from_slice(&bytes[first..]);
    Int::new(&out).map_err(|e| der_err("the nonce", e))
}

/// An INTEGER read back as a u64, when it is non-negative and fits.
pub(crate) fn int_to_u64(int: &Int) -> Option<u64> {
    let bytes = int.as_bytes();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let digits = &bytes[start..];
    if digits.len() > 8 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use der::Decode;

    #[test]
    fn nonces_round_trip_through_der_integers() {
        for n in [
            0u64,
            1,
            0x7f,
            0x80,
            0xff,
            0x1234,
            u64::MAX,
            1 << 63,
            0x00ff_0000_0000_0000,
        ] {
            let int = nonce_int(n).unwrap();
            assert_eq!(int_to_u64(&int), Some(n), "{n:#x}");
            let der = int.to_der().unwrap();
            assert_eq!(int_to_u64(&Int::from_der(&der).unwrap()), Some(n));
        }
    }

    #[test]
    fn request_carries_imprint_nonce_and_cert_req() {
        let head = [7u8; 32];
        let der = build_request(&head, 0xdead_beef_0bad_f00d).unwrap();
        let req = TimeStampReq::from_der(&der).unwrap();
        assert_eq!(req.message_imprint.hash_algorithm.oid, ID_SHA_256);
        assert_eq!(req.message_imprint.hashed_message.as_bytes(), &head);
        assert_eq!(
            int_to_u64(req.nonce.as_ref().unwrap()),
            Some(0xdead_beef_0bad_f00d)
        );
        assert!(req.cert_req);
        // Same inputs, same bytes: the request is a pure function of (head, nonce).
        assert_eq!(der, build_request(&head, 0xdead_beef_0bad_f00d).unwrap());
    }
}
