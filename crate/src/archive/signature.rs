//! The device signature (`signature.json`): the installation's ECDSA P-256 key signs the
//! archive's `manifest.json` (ECDSA with SHA-256 over its exact bytes, so over its digest,
//! the archive fingerprint). The signature says that the archive came from the
//! installation holding that key: two archives with the same key fingerprint came from the
//! same installation. It says nothing about who the person is, and a key copied off the
//! device would sign just as well.
//!
//! `signature.json` is not listed in `manifest.json` (it signs the manifest), but it is in
//! `SHA256SUMS`. Check it with OpenSSL too: save `public_key_pem` as `key.pem`, the
//! `signature` hex as DER (`xxd -r -p > sig.der`), then
//! `openssl dgst -sha256 -verify key.pem -signature sig.der manifest.json`.
//! Signing is deterministic (RFC 6979): the core draws no randomness.

use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// Path of the device signature.
pub const SIGNATURE_PATH: &str = "signature.json";
/// Format string of `signature.json`.
pub const SIGNATURE_FORMAT: &str = "evidence-signature/1";
/// The algorithm named in `signature.json`.
pub const SIGNATURE_ALGORITHM: &str = "ECDSA P-256 with SHA-256 over manifest.json";
/// DER prefix of a P-256 SubjectPublicKeyInfo with an uncompressed point (RFC 5480).
const SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// `signature.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSignature {
    /// Always [`SIGNATURE_FORMAT`].
    pub format: String,
    /// Always [`SIGNATURE_ALGORITHM`].
    pub algorithm: String,
    /// The public key, SEC1 uncompressed point, lowercase hex (65 bytes).
    pub public_key: String,
    /// The same key as a PEM SubjectPublicKeyInfo, for `openssl dgst -verify`.
    pub public_key_pem: String,
    /// SHA-256 of the public key's 65 bytes: the installation's fingerprint.
    pub key_fingerprint: String,
    /// SHA-256 of the signed `manifest.json` (the archive fingerprint).
    pub manifest_sha256: String,
    /// The DER ECDSA signature, lowercase hex.
    pub signature: String,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn key(secret: &[u8]) -> Result<SigningKey> {
    SigningKey::from_slice(secret)
        .map_err(|_| Error::Crypto("the device key is not a P-256 private key".into()))
}

fn public_pem(point: &[u8]) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(point);
    crate::tsp::pem::encode_block("PUBLIC KEY", &der)
}

/// The public key (hex) and fingerprint of the device key `secret` (32 bytes). Refuses
/// bytes that are not a valid P-256 scalar (the caller draws new random bytes).
pub fn device_public_key(secret: &[u8]) -> Result<(String, String)> {
    let point = key(secret)?.verifying_key().to_encoded_point(false);
    Ok((hex(point.as_bytes()), sha256_hex(point.as_bytes())))
}

/// The bytes of `signature.json` for `manifest` signed with the device key `secret`.
pub fn sign_manifest(secret: &[u8], manifest: &[u8]) -> Result<Vec<u8>> {
    let sk = key(secret)?;
    let sig: Signature = sk.sign(manifest);
    let point = sk.verifying_key().to_encoded_point(false);
    let doc = DeviceSignature {
        format: SIGNATURE_FORMAT.into(),
        algorithm: SIGNATURE_ALGORITHM.into(),
        public_key: hex(point.as_bytes()),
        public_key_pem: public_pem(point.as_bytes()),
        key_fingerprint: sha256_hex(point.as_bytes()),
        manifest_sha256: sha256_hex(manifest),
        signature: hex(sig.to_der().as_bytes()),
    };
    let mut out = serde_json::to_vec_pretty(&doc)
        .map_err(|e| Error::InvalidInput(format!("{SIGNATURE_PATH} does not serialise: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// Checks `signature.json` bytes against the `manifest.json` bytes. Returns the key
/// fingerprint, or why it does not hold.
pub fn verify_signature(doc: &[u8], manifest: &[u8]) -> std::result::Result<String, String> {
    let d: DeviceSignature =
        serde_json::from_slice(doc).map_err(|e| format!("{SIGNATURE_PATH} is not valid: {e}"))?;
    if d.format != SIGNATURE_FORMAT || d.algorithm != SIGNATURE_ALGORITHM {
        return Err(format!(
            "{SIGNATURE_PATH} has an unknown format or algorithm"
        ));
    }
    let point = unhex(&d.public_key).ok_or("the public key is not hex")?;
    let vk =
        VerifyingKey::from_sec1_bytes(&point).map_err(|_| "the public key is not a P-256 point")?;
    if d.key_fingerprint != sha256_hex(&point) || d.public_key_pem != public_pem(&point) {
        return Err("the key fingerprint or PEM key is not the public key's".into());
    }
    if d.manifest_sha256 != sha256_hex(manifest) {
        return Err("it signs another manifest.json than this archive's".into());
    }
    let sig = unhex(&d.signature)
        .and_then(|b| Signature::from_der(&b).ok())
        .ok_or("the signature is malformed")?;
    vk.verify(manifest, &sig)
        .map_err(|_| "the signature over manifest.json does not verify".to_string())?;
    Ok(d.key_fingerprint)
}

impl super::ArchiveBuilder {
    /// Sign the archive's `manifest.json` with the installation's device key (32 bytes,
    /// P-256) into `signature.json`. Call before [`super::ArchiveBuilder::finish`].
    pub fn set_device_key(&mut self, secret: Vec<u8>) -> Result<()> {
        key(&secret)?;
        self.device_key = Some(secret);
        Ok(())
    }
}

/// `signature.json` for the builder, when it has a device key.
pub(super) fn signature_file(key: Option<&[u8]>, manifest: &[u8]) -> Result<Option<Vec<u8>>> {
    key.map(|k| sign_manifest(k, manifest)).transpose()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify() {
        let secret = [7u8; 32];
        let manifest = b"manifest.json bytes\n";
        let doc = sign_manifest(&secret, manifest).unwrap();
        assert_eq!(
            doc,
            sign_manifest(&secret, manifest).unwrap(),
            "deterministic"
        );
        let fp = verify_signature(&doc, manifest).unwrap();
        assert_eq!(fp, device_public_key(&secret).unwrap().1);
        assert!(verify_signature(&doc, b"another manifest").is_err());
        let mut d: DeviceSignature = serde_json::from_slice(&doc).unwrap();
        let other = sign_manifest(&[8u8; 32], manifest).unwrap();
        let o: DeviceSignature = serde_json::from_slice(&other).unwrap();
        d.signature = o.signature;
        assert!(verify_signature(&serde_json::to_vec(&d).unwrap(), manifest).is_err());
        assert!(device_public_key(&[0u8; 32]).is_err());
        assert!(device_public_key(&[0xffu8; 32]).is_err());
    }
}
