//! PEM text for certificates (RFC 7468), for the archive and the `--tsa-ca` option.

use super::err;
use crate::Result;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// One certificate as PEM, 64 characters a line, ending in a newline.
pub fn encode_certificate(der: &[u8]) -> String {
    encode_block("CERTIFICATE", der)
}

/// `der` as a PEM block with `label` (`CERTIFICATE`, `PUBLIC KEY`).
pub fn encode_block(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::with_capacity(b64.len() + 80);
    out.push_str(&format!("-----BEGIN {label}-----\n"));
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Every `CERTIFICATE` block in `text`, as DER (text outside blocks is ignored, as
/// OpenSSL does). Refuses an unterminated block, bad base64, or no certificate at all.
pub fn decode_certificates(text: &str) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut body: Option<String> = None;
    for line in text.lines().map(str::trim) {
        match (&mut body, line) {
            (None, BEGIN) => body = Some(String::new()),
            (None, _) => {}
            (Some(b), END) => {
                let der = STANDARD
                    .decode(b.as_bytes())
                    .map_err(|e| err(format!("bad base64 in a PEM certificate: {e}")))?;
                out.push(der);
                body = None;
            }
            (Some(b), l) => b.push_str(l),
        }
    }
    if body.is_some() {
        return Err(err("a PEM certificate has no END line"));
    }
    if out.is_empty() {
        return Err(err("no PEM certificate found"));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trip() {
        let der: Vec<u8> = (0..=255u8).collect();
        let two = format!(
            "junk\n{}{}",
            encode_certificate(&der),
            encode_certificate(&der[..3])
        );
        assert_eq!(
            decode_certificates(&two).unwrap(),
            vec![der.clone(), der[..3].to_vec()]
        );
        assert!(decode_certificates("nothing").is_err());
        assert!(decode_certificates(&format!("{BEGIN}\nAAAA\n")).is_err());
        assert!(decode_certificates(&format!("{BEGIN}\n!!!!\n{END}\n")).is_err());
    }
}
