//! The TSA certificate and its chain (RFC 3161 §2.3, RFC 5280 §6 in the parts a
//! timestamp needs): the signer's certificate must carry the extended key usage
//! timeStamping, alone and critical; every certificate up to a trusted root must be
//! valid at `genTime`, each signed by the next, every issuer a CA. Revocation is not
//! checked (no network); the report says so.

use super::time::time_unix;
use super::{err, sig, Trust, MAX_CHAIN_LEN};
use crate::Result;
use der::oid::db::rfc5280::{
    ID_CE_BASIC_CONSTRAINTS, ID_CE_EXT_KEY_USAGE, ID_CE_KEY_USAGE, ID_KP_TIME_STAMPING,
};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use x509_cert::Certificate;

/// Parses a DER certificate.
pub fn parse_certificate(der: &[u8]) -> Result<Certificate> {
    Certificate::from_der(der).map_err(|e| err(format!("a certificate does not parse: {e}")))
}

/// The certificate's subject as RFC 4514 text.
pub fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate.subject.to_string()
}

fn extension<'a, T: Decode<'a>>(
    cert: &'a Certificate,
    oid: ObjectIdentifier,
) -> Result<Option<(bool, T)>> {
    let Some(exts) = cert.tbs_certificate.extensions.as_ref() else {
        return Ok(None);
    };
    let mut found = exts.iter().filter(|e| e.extn_id == oid);
    let Some(ext) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(err(format!(
            "{}: extension {oid} appears twice",
            subject(cert)
        )));
    }
    let value = T::from_der(ext.extn_value.as_bytes()).map_err(|e| {
        err(format!(
            "{}: extension {oid} does not parse: {e}",
            subject(cert)
        ))
    })?;
    Ok(Some((ext.critical, value)))
}

/// Refuses a critical extension this verifier does not understand (RFC 5280 §4.2).
fn no_unknown_critical(cert: &Certificate) -> Result<()> {
    let known = [
        ID_CE_BASIC_CONSTRAINTS,
        ID_CE_KEY_USAGE,
        ID_CE_EXT_KEY_USAGE,
    ];
    for ext in cert.tbs_certificate.extensions.iter().flatten() {
        if ext.critical && !known.contains(&ext.extn_id) {
            return Err(err(format!(
                "{}: critical extension {} is not understood",
                subject(cert),
                ext.extn_id
            )));
        }
    }
    Ok(())
}

fn valid_at(cert: &Certificate, at: i64) -> Result<()> {
    let v = &cert.tbs_certificate.validity;
    let (from, to) = (time_unix(&v.not_before), time_unix(&v.not_after));
    if at < from || at > to {
        return Err(err(format!(
            "{} was not valid at genTime (valid {} to {})",
            subject(cert),
            v.not_before,
            v.not_after
        )));
    }
    Ok(())
}

/// The checks on the TSA's own certificate: extended key usage timeStamping, the only
/// one, critical (RFC 3161 §2.3); key usage, when present, allows signing.
pub fn check_tsa_certificate(cert: &Certificate) -> Result<()> {
    no_unknown_critical(cert)?;
    match extension::<ExtendedKeyUsage>(cert, ID_CE_EXT_KEY_USAGE)? {
        Some((true, eku)) if eku.0 == [ID_KP_TIME_STAMPING] => {}
        Some((false, _)) => {
            return Err(err(format!(
                "{}: the timeStamping extended key usage is not critical",
                subject(cert)
            )))
        }
        _ => {
            return Err(err(format!(
                "{}: the certificate is not for timestamping (extended key usage)",
                subject(cert)
            )))
        }
    }
    if let Some((_, ku)) = extension::<KeyUsage>(cert, ID_CE_KEY_USAGE)? {
        if !ku.digital_signature() && !ku.non_repudiation() {
            return Err(err(format!(
                "{}: key usage does not allow signing",
                subject(cert)
            )));
        }
    }
    Ok(())
}

fn is_ca(cert: &Certificate) -> Result<bool> {
    let bc = extension::<BasicConstraints>(cert, ID_CE_BASIC_CONSTRAINTS)?;
    let ku = extension::<KeyUsage>(cert, ID_CE_KEY_USAGE)?;
    Ok(bc.is_some_and(|(_, b)| b.ca) && ku.is_none_or(|(_, k)| k.key_cert_sign()))
}

/// Whether `issuer` names and signs `cert`.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let (Ok(tbs), Some(signature)) = (cert.tbs_certificate.to_der(), cert.signature.as_bytes())
    else {
        return false;
    };
    sig::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &cert.signature_algorithm.oid,
        None,
        &tbs,
        signature,
    )
    .is_ok()
}

fn der(cert: &Certificate) -> Result<Vec<u8>> {
    cert.to_der()
        .map_err(|e| err(format!("re-encoding a certificate: {e}")))
}

/// Builds the chain from `signer` through `pool` (certificates from the token or the
/// archive, untrusted) to one of `roots`, every certificate valid at `at` (genTime, Unix
/// seconds). Returns the chain as DER, signer first, and its trust. A certificate
/// that does not verify is never used; when no root is reached, the answer is
/// [`Trust::Untrusted`] naming the last certificate reached.
pub fn build_chain(
    signer: &Certificate,
    pool: &[Certificate],
    roots: &[Certificate],
    at: i64,
) -> Result<(Vec<Vec<u8>>, Trust)> {
    let mut chain = vec![signer.clone()];
    loop {
        let Some(current) = chain.last() else {
            return Err(err("empty chain"));
        };
        no_unknown_critical(current)?;
        valid_at(current, at)?;
        if roots.contains(current) {
            let root = subject(current);
            let ders = chain.iter().map(der).collect::<Result<_>>()?;
            return Ok((ders, Trust::Trusted { root }));
        }
        if chain.len() >= MAX_CHAIN_LEN {
            return Err(err("the certificate chain is too long"));
        }
        if let Some(root) = roots.iter().find(|r| issued_by(current, r)) {
            valid_at(root, at)?;
            let root_name = subject(root);
            chain.push(root.clone());
            let ders = chain.iter().map(der).collect::<Result<_>>()?;
            return Ok((ders, Trust::Trusted { root: root_name }));
        }
        let next = pool
            .iter()
            .find(|c| !chain.contains(c) && issued_by(current, c))
            .cloned();
        match next {
            Some(issuer) => {
                if !is_ca(&issuer)? {
                    return Err(err(format!(
                        "{} issued a certificate but is not a CA",
                        subject(&issuer)
                    )));
                }
                chain.push(issuer);
            }
            None => {
                let top = subject(current);
                let ders = chain.iter().map(der).collect::<Result<_>>()?;
                return Ok((ders, Trust::Untrusted { top }));
            }
        }
    }
}
