//! The boundary for trusted timestamps (`crate::tsp`): the request to send, and the
//! check of the answer before the extension stores it; and the device key's public half
//! (`crate::archive::signature`). Converts and delegates.

use super::convert::{js_error, to_js_camel};
use crate::archive::timestamps::head_bytes;
use crate::error::Error;
use crate::tsp;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn head(hex: &str) -> Result<[u8; 32], JsValue> {
    head_bytes(hex)
        .ok_or_else(|| js_error(Error::InvalidInput("the head is not 64 hex digits".into())))
}

fn nonce(hex: &str) -> Result<u64, JsValue> {
    if hex.len() != 16 {
        return Err(js_error(Error::InvalidInput(
            "the nonce is not 16 hex digits".into(),
        )));
    }
    u64::from_str_radix(hex, 16)
        .map_err(|_| js_error(Error::InvalidInput("the nonce is not hex".into())))
}

/// The DER `TimeStampReq` for the chain value `head_hex` with the caller's random
/// 64-bit nonce (`nonce_hex`, 16 hex digits; the core draws no randomness).
#[wasm_bindgen(js_name = tsaRequest)]
pub fn tsa_request(head_hex: &str, nonce_hex: &str) -> Result<Vec<u8>, JsValue> {
    tsp::build_request(&head(head_hex)?, nonce(nonce_hex)?).map_err(js_error)
}

#[derive(Serialize)]
struct CheckedJs<'a> {
    #[serde(flatten)]
    info: &'a tsp::TokenInfo,
    chain_pem: String,
}

/// Checks a DER `TimeStampResp` fully against `head_hex` and, at request time, the
/// nonce sent (`nonce_hex` or null); `roots_pem` (optional) are trusted roots. Returns
/// `{genTime, genTimeUnix, tsa, serial, policy, nonce, accuracyMs, certBinding,
/// algorithm, trust: {status, root|top}, chainPem}`; throws `BAD_TIMESTAMP` otherwise.
#[wasm_bindgen(js_name = tsaCheck)]
pub fn tsa_check(
    response: &[u8],
    head_hex: &str,
    nonce_hex: Option<String>,
    roots_pem: Option<String>,
) -> Result<JsValue, JsValue> {
    let n = nonce_hex.as_deref().map(nonce).transpose()?;
    let roots = match roots_pem.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => tsp::pem::decode_certificates(p).map_err(js_error)?,
        _ => Vec::new(),
    };
    let info =
        tsp::verify_response(response, &head(head_hex)?, n, &roots, &[]).map_err(js_error)?;
    to_js_camel(&CheckedJs {
        chain_pem: info.chain_pem(),
        info: &info,
    })
}

#[derive(Serialize)]
struct DeviceKeyJs {
    public_key: String,
    fingerprint: String,
}

/// The public key (hex) and fingerprint of a device key (32 random bytes from the caller);
/// throws `CRYPTO` for bytes that are not a P-256 private key (draw new ones).
#[wasm_bindgen(js_name = deviceKeyInfo)]
pub fn device_key_info(secret: &[u8]) -> Result<JsValue, JsValue> {
    let (public_key, fingerprint) =
        crate::archive::signature::device_public_key(secret).map_err(js_error)?;
    to_js_camel(&DeviceKeyJs {
        public_key,
        fingerprint,
    })
}
