//! Signature checks: RSA PKCS#1 v1.5 and ECDSA over P-256 and P-384, with SHA-256/384/512.
//! SHA-1 is refused for signatures (it is only used for ESSCertID v1's certificate hash).

use super::err;
use crate::Result;
use der::oid::db::rfc5912::{
    ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384, ECDSA_WITH_SHA_512, ID_EC_PUBLIC_KEY, ID_SHA_256,
    ID_SHA_384, ID_SHA_512, RSA_ENCRYPTION, SECP_256_R_1, SECP_384_R_1,
    SHA_256_WITH_RSA_ENCRYPTION, SHA_384_WITH_RSA_ENCRYPTION, SHA_512_WITH_RSA_ENCRYPTION,
};
use der::oid::ObjectIdentifier;
use der::Encode;
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

/// A digest algorithm accepted for signatures and imprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigestAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    /// The algorithm for a digest OID, or an error naming it.
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Result<DigestAlg> {
        match *oid {
            ID_SHA_256 => Ok(DigestAlg::Sha256),
            ID_SHA_384 => Ok(DigestAlg::Sha384),
            ID_SHA_512 => Ok(DigestAlg::Sha512),
            other => Err(err(format!("digest algorithm {other} is not accepted"))),
        }
    }

    /// The digest of `data`.
    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            DigestAlg::Sha256 => Sha256::digest(data).to_vec(),
            DigestAlg::Sha384 => Sha384::digest(data).to_vec(),
            DigestAlg::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// The digest a signature-algorithm OID implies, if it names one (`rsaEncryption` alone
/// does not: CMS then takes the SignerInfo's digest algorithm).
fn implied_digest(sig_alg: &ObjectIdentifier) -> Result<Option<DigestAlg>> {
    Ok(Some(match *sig_alg {
        SHA_256_WITH_RSA_ENCRYPTION | ECDSA_WITH_SHA_256 => DigestAlg::Sha256,
        SHA_384_WITH_RSA_ENCRYPTION | ECDSA_WITH_SHA_384 => DigestAlg::Sha384,
        SHA_512_WITH_RSA_ENCRYPTION | ECDSA_WITH_SHA_512 => DigestAlg::Sha512,
        RSA_ENCRYPTION => return Ok(None),
        other => return Err(err(format!("signature algorithm {other} is not accepted"))),
    }))
}

/// Checks `signature` over `message` by the key `spki`. `sig_alg` is the signature
/// algorithm OID; `digest` is the digest to use when `sig_alg` does not imply one, and
/// must agree with it when it does. Returns a short name of the algorithm.
pub(crate) fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    sig_alg: &ObjectIdentifier,
    digest: Option<DigestAlg>,
    message: &[u8],
    signature: &[u8],
) -> Result<&'static str> {
    let implied = implied_digest(sig_alg)?;
    let alg = match (implied, digest) {
        (Some(a), Some(b)) if a != b => {
            return Err(err("the signature and digest algorithms disagree"))
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(err("no digest algorithm for an RSA signature")),
    };
    let hashed = alg.digest(message);
    let key_der = spki
        .to_der()
        .map_err(|e| err(format!("re-encoding a public key: {e}")))?;
    let bad = || err("the signature does not verify");
    match spki.algorithm.oid {
        RSA_ENCRYPTION => {
            if matches!(
                *sig_alg,
                ECDSA_WITH_SHA_256 | ECDSA_WITH_SHA_384 | ECDSA_WITH_SHA_512
            ) {
                return Err(err("an ECDSA signature with an RSA key"));
            }
            use rsa::pkcs8::DecodePublicKey;
            let key = rsa::RsaPublicKey::from_public_key_der(&key_der)
                .map_err(|e| err(format!("a bad RSA public key: {e}")))?;
            let scheme = match alg {
                DigestAlg::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                DigestAlg::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                DigestAlg::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
            };
            key.verify(scheme, &hashed, signature).map_err(|_| bad())?;
            Ok("RSA PKCS#1 v1.5")
        }
        ID_EC_PUBLIC_KEY => {
            if !matches!(
                *sig_alg,
                ECDSA_WITH_SHA_256 | ECDSA_WITH_SHA_384 | ECDSA_WITH_SHA_512
            ) {
                return Err(err("an EC key with a non-ECDSA signature algorithm"));
            }
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            use p256::pkcs8::DecodePublicKey;
            match curve {
                Some(SECP_256_R_1) => {
                    let key = p256::ecdsa::VerifyingKey::from_public_key_der(&key_der)
                        .map_err(|e| err(format!("a bad P-256 public key: {e}")))?;
                    let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
                    key.verify_prehash(&hashed, &sig).map_err(|_| bad())?;
                    Ok("ECDSA P-256")
                }
                Some(SECP_384_R_1) => {
                    let key = p384::ecdsa::VerifyingKey::from_public_key_der(&key_der)
                        .map_err(|e| err(format!("a bad P-384 public key: {e}")))?;
                    let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
                    key.verify_prehash(&hashed, &sig).map_err(|_| bad())?;
                    Ok("ECDSA P-384")
                }
                _ => Err(err("an EC key on a curve other than P-256 or P-384")),
            }
        }
        other => Err(err(format!("public key algorithm {other} is not accepted"))),
    }
}
