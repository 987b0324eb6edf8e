//! Parsing and checking a `TimeStampResp` (RFC 3161 §2.4.2) and its token, a CMS
//! SignedData (RFC 5652 §5) over a `TSTInfo`.

use super::ess::{self, Binding};
use super::request::int_to_u64;
use super::sig::{self, DigestAlg};
use super::time::parse_gen_time;
use super::{chain, der_err, err, TokenInfo, MAX_CERTIFICATES, MAX_RESPONSE_BYTES};
use crate::Result;
use cmpv2::status::PkiStatus;
use cms::cert::CertificateChoices;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{Int, OctetString};
use der::oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER;
use der::oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE, ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_MESSAGE_DIGEST,
    ID_SIGNED_DATA,
};
use der::oid::db::rfc5912::ID_SHA_256;
use der::oid::ObjectIdentifier;
use der::{Any, Decode, Encode, Sequence, Tag, Tagged};
use x509_cert::attr::Attributes;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::Extensions;
use x509_cert::Certificate;
use x509_tsp::{Accuracy, MessageImprint, TimeStampResp, TspVersion};

/// `id-ct-TSTInfo` (RFC 3161 §2.4.2), the content type of a timestamp token.
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// `TSTInfo` (RFC 3161 §2.4.2), with `genTime` kept raw: the `der` crate's
/// GeneralizedTime refuses the fractional seconds that real TSAs send.
#[derive(Sequence)]
struct TstInfo {
    version: TspVersion,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint,
    serial_number: Int,
    gen_time: Any,
    #[asn1(optional = "true")]
    accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

fn status_text(resp: &TimeStampResp) -> String {
    let mut text = format!("{:?}", resp.status.status);
    for s in resp.status.status_string.iter().flatten() {
        text.push_str(": ");
        text.push_str(s.as_str());
    }
    if let Some(info) = &resp.status.fail_info {
        text.push_str(&format!(" ({info:?})"));
    }
    text
}

fn parse_certs(ders: &[Vec<u8>], what: &str) -> Result<Vec<Certificate>> {
    if ders.len() > MAX_CERTIFICATES {
        return Err(err(format!(
            "too many {what} certificates ({})",
            ders.len()
        )));
    }
    ders.iter().map(|d| chain::parse_certificate(d)).collect()
}

/// The single attribute `oid` among `attrs`, with exactly one value.
fn single_attr<'a>(
    attrs: &'a Attributes,
    oid: ObjectIdentifier,
    name: &str,
) -> Result<Option<&'a Any>> {
    let mut found = attrs.iter().filter(|a| a.oid == oid);
    let Some(attr) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() || attr.values.len() != 1 {
        return Err(err(format!(
            "the {name} attribute must appear once, with one value"
        )));
    }
    Ok(attr.values.get(0))
}

fn signer_matches(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(is) => {
            is.issuer == cert.tbs_certificate.issuer
                && is.serial_number == cert.tbs_certificate.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == ID_CE_SUBJECT_KEY_IDENTIFIER)
            .any(|e| {
                OctetString::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|o| o.as_bytes() == ski.0.as_bytes())
            }),
    }
}

/// Checks the signed attributes, the ESS binding and the signature. Returns the name of
/// the binding and of the signature algorithm.
fn check_signer(
    si: &SignerInfo,
    econtent: &[u8],
    signer: &Certificate,
) -> Result<(&'static str, &'static str)> {
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or_else(|| err("the token has no signed attributes"))?;
    let ct = single_attr(attrs, ID_CONTENT_TYPE, "content-type")?
        .ok_or_else(|| err("the token has no content-type attribute"))?;
    if ct.decode_as::<ObjectIdentifier>().ok() != Some(ID_CT_TST_INFO) {
        return Err(err("the content-type attribute is not TSTInfo"));
    }
    let digest_alg = DigestAlg::from_oid(&si.digest_alg.oid)?;
    let md = single_attr(attrs, ID_MESSAGE_DIGEST, "message-digest")?
        .ok_or_else(|| err("the token has no message-digest attribute"))?
        .decode_as::<OctetString>()
        .map_err(|e| der_err("the message-digest attribute", e))?;
    if md.as_bytes() != digest_alg.digest(econtent) {
        return Err(err("the token's content does not match its signed digest"));
    }
    let v2 = single_attr(attrs, ID_AA_SIGNING_CERTIFICATE_V_2, "signingCertificateV2")?;
    let v1 = single_attr(attrs, ID_AA_SIGNING_CERTIFICATE, "signingCertificate")?;
    let binding = match (v2, v1) {
        (Some(v), _) => {
            ess::check(Binding::V2, v, signer)?;
            if let Some(v) = v1 {
                ess::check(Binding::V1, v, signer)?;
            }
            "ESSCertIDv2"
        }
        (None, Some(v)) => {
            ess::check(Binding::V1, v, signer)?;
            "ESSCertID"
        }
        (None, None) => return Err(err("the token does not bind its signing certificate")),
    };
    // The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4). The
    // `der` crate re-sorts a SET OF when decoding, so a TSA that sent its attributes out
    // of DER order fails here (safely) rather than passing.
    let signed = attrs
        .to_der()
        .map_err(|e| der_err("re-encoding the signed attributes", e))?;
    let algorithm = sig::verify(
        &signer.tbs_certificate.subject_public_key_info,
        &si.signature_algorithm.oid,
        Some(digest_alg),
        &signed,
        si.signature.as_bytes(),
    )
    .map_err(|e| err(format!("the token's signature: {e}")))?;
    Ok((binding, algorithm))
}

/// Parses the DER `TimeStampResp` `response` and checks it fully against the ledger
/// head it should cover (`head`, 32 raw bytes) and, at request time, the `nonce` sent.
/// `roots` are the trusted root certificates (DER); `extra` are untrusted certificates
/// that may complete the chain (the archive's PEM copy). A failed check is an error;
/// a chain to no trusted root is `Ok` with [`super::Trust::Untrusted`].
pub fn verify_response(
    response: &[u8],
    head: &[u8; 32],
    nonce: Option<u64>,
    roots: &[Vec<u8>],
    extra: &[Vec<u8>],
) -> Result<TokenInfo> {
    if response.len() > MAX_RESPONSE_BYTES {
        return Err(err(format!(
            "the response is too large ({} bytes)",
            response.len()
        )));
    }
    let resp = TimeStampResp::from_der(response).map_err(|e| der_err("not a TimeStampResp", e))?;
    if !matches!(
        resp.status.status,
        PkiStatus::Accepted | PkiStatus::GrantedWithMods
    ) {
        return Err(err(format!(
            "the authority refused: {}",
            status_text(&resp)
        )));
    }
    let token = resp
        .time_stamp_token
        .as_ref()
        .ok_or_else(|| err("the response holds no token"))?;
    if token.content_type != ID_SIGNED_DATA {
        return Err(err("the token is not a CMS SignedData"));
    }
    let sd: SignedData = token
        .content
        .decode_as()
        .map_err(|e| der_err("the token's SignedData", e))?;
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(err("the token's content is not a TSTInfo"));
    }
    let econtent = sd
        .encap_content_info
        .econtent
        .as_ref()
        .filter(|a| a.tag() == Tag::OctetString)
        .ok_or_else(|| err("the token's TSTInfo is missing"))?
        .value();
    let tst = TstInfo::from_der(econtent).map_err(|e| der_err("the token's TSTInfo", e))?;
    let imprint = &tst.message_imprint;
    if imprint.hash_algorithm.oid != ID_SHA_256 {
        return Err(err("the token's imprint is not SHA-256"));
    }
    if imprint.hashed_message.as_bytes() != head {
        return Err(err("the token is for another hash, not this ledger head"));
    }
    let echoed = tst.nonce.as_ref().map(int_to_u64);
    if let Some(sent) = nonce {
        if echoed != Some(Some(sent)) {
            return Err(err("the token does not carry the nonce that was sent"));
        }
    }
    let gen = parse_gen_time(&tst.gen_time)?;

    let mut pool: Vec<Certificate> = Vec::new();
    let token_certs = sd
        .certificates
        .as_ref()
        .map(|c| c.0.as_slice())
        .unwrap_or(&[]);
    if token_certs.len() > MAX_CERTIFICATES {
        return Err(err(format!(
            "the token holds too many certificates ({})",
            token_certs.len()
        )));
    }
    for choice in token_certs {
        if let CertificateChoices::Certificate(c) = choice {
            pool.push(c.clone());
        }
    }
    pool.extend(parse_certs(extra, "extra")?);
    let roots = parse_certs(roots, "trusted root")?;

    let signers = sd.signer_infos.0.as_slice();
    let [si] = signers else {
        return Err(err(format!(
            "the token must have one signer, not {}",
            signers.len()
        )));
    };
    let signer = pool
        .iter()
        .find(|c| signer_matches(&si.sid, c))
        .cloned()
        .ok_or_else(|| err("the TSA's certificate is not in the token or the archive"))?;
    let (binding, algorithm) = check_signer(si, econtent, &signer)?;
    chain::check_tsa_certificate(&signer)?;
    if let Some(GeneralName::DirectoryName(name)) = &tst.tsa {
        if *name != signer.tbs_certificate.subject {
            return Err(err("the token names another TSA than its signer"));
        }
    }
    let (chain_der, trust) = chain::build_chain(&signer, &pool, &roots, gen.unix)?;
    let accuracy_ms = tst.accuracy.as_ref().map(|a| {
        a.seconds.unwrap_or(0).saturating_mul(1000)
            + u64::try_from(a.millis.unwrap_or(0)).unwrap_or(0)
            + u64::try_from(a.micros.unwrap_or(0)).unwrap_or(0) / 1000
    });
    let serial: String = tst
        .serial_number
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(TokenInfo {
        gen_time: gen.to_rfc3339(),
        gen_time_unix: gen.unix,
        tsa: chain::subject(&signer),
        serial,
        policy: tst.policy.to_string(),
        nonce: echoed.flatten(),
        accuracy_ms,
        cert_binding: binding.into(),
        algorithm: algorithm.into(),
        trust,
        chain_der,
    })
}
