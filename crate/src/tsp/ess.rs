//! The signing-certificate binding: the `signingCertificate` (ESSCertID, RFC 2634 §5.4,
//! SHA-1) and `signingCertificateV2` (ESSCertIDv2, RFC 5035 §3, SHA-256 by default)
//! signed attributes. RFC 3161 §2.4.2 requires one; it stops an attacker from swapping
//! the TSA's certificate for another with the same key.

use super::sig::DigestAlg;
use super::{der_err, err};
use crate::Result;
use der::asn1::OctetString;
use der::{Any, Encode, Sequence};
use sha1::{Digest, Sha1};
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

#[derive(Sequence)]
struct IssuerSerial {
    issuer: GeneralNames,
    serial_number: SerialNumber,
}

#[derive(Sequence)]
struct EssCertId {
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

#[derive(Sequence)]
struct SigningCertificate {
    certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

#[derive(Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// Which binding an attribute is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    /// `signingCertificate` (ESSCertID, SHA-1).
    V1,
    /// `signingCertificateV2` (ESSCertIDv2).
    V2,
}

fn check_issuer_serial(is: &IssuerSerial, signer: &Certificate) -> Result<()> {
    if is.serial_number != signer.tbs_certificate.serial_number {
        return Err(err(
            "the signing-certificate binding names another serial number",
        ));
    }
    let named = is.issuer.iter().any(|g| match g {
        GeneralName::DirectoryName(n) => *n == signer.tbs_certificate.issuer,
        _ => false,
    });
    if !named {
        return Err(err("the signing-certificate binding names another issuer"));
    }
    Ok(())
}

/// Checks that the attribute `value` (of the given binding) names `signer` as its first
/// certificate (RFC 5035 §5.4.1: the first one is the signing certificate).
pub(crate) fn check(binding: Binding, value: &Any, signer: &Certificate) -> Result<()> {
    let cert_der = signer
        .to_der()
        .map_err(|e| der_err("re-encoding the signer certificate", e))?;
    let (hash, expected, issuer_serial) =
        match binding {
            Binding::V1 => {
                let sc: SigningCertificate = value
                    .decode_as()
                    .map_err(|e| der_err("the signingCertificate attribute", e))?;
                let first =
                    sc.certs.into_iter().next().ok_or_else(|| {
                        err("the signingCertificate attribute lists no certificate")
                    })?;
                (
                    Sha1::digest(&cert_der).to_vec(),
                    first.cert_hash,
                    first.issuer_serial,
                )
            }
            Binding::V2 => {
                let sc: SigningCertificateV2 = value
                    .decode_as()
                    .map_err(|e| der_err("the signingCertificateV2 attribute", e))?;
                let first = sc.certs.into_iter().next().ok_or_else(|| {
                    err("the signingCertificateV2 attribute lists no certificate")
                })?;
                let alg = match &first.hash_algorithm {
                    None => DigestAlg::Sha256,
                    Some(a) => DigestAlg::from_oid(&a.oid)?,
                };
                (alg.digest(&cert_der), first.cert_hash, first.issuer_serial)
            }
        };
    if hash != expected.as_bytes() {
        return Err(err(
            "the TSA certificate is not the one the token's signature binds (ESSCertID hash)",
        ));
    }
    if let Some(is) = issuer_serial {
        check_issuer_serial(&is, signer)?;
    }
    Ok(())
}
