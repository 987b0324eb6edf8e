//! The verifier's check of `signature.json` (see [`super::signature`]): when present, it
//! must sign this archive's `manifest.json` with the key it names; the report gives the
//! key's fingerprint, so a caseworker can see that two archives came from the same
//! installation. An archive without it verifies as before.

use super::display::escape_in_place;
use super::signature::{verify_signature, SIGNATURE_PATH};
use super::verdict::Report;
use super::verify_state::{Seen, Verifier};
use super::MANIFEST_PATH;
use serde::{Deserialize, Serialize};

/// Largest `signature.json` kept for checking.
pub(super) const MAX_SIGNATURE_BYTES: u64 = 64 << 10;

/// The device signature, as checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureFacts {
    /// Whether it verifies over this archive's `manifest.json`.
    pub valid: bool,
    /// The installation key's fingerprint (SHA-256 of its public key), when valid.
    pub key_fingerprint: Option<String>,
    /// Plain words.
    pub detail: String,
}

impl Verifier {
    /// `signature.json` when the archive has one (it is part of the layout then).
    pub(super) fn signature_layout_path(&self) -> Option<String> {
        self.pass
            .seen
            .contains_key(SIGNATURE_PATH)
            .then(|| SIGNATURE_PATH.to_string())
    }

    /// Checks `signature.json` against `manifest.json`; a failure fails the archive.
    pub(super) fn check_signature(&mut self) {
        if !self.pass.seen.contains_key(SIGNATURE_PATH) {
            return;
        }
        let doc = self.pass.kept.get(SIGNATURE_PATH);
        let manifest = self.pass.kept.get(MANIFEST_PATH);
        let result = match (doc, manifest, self.pass.seen.get(SIGNATURE_PATH)) {
            (Some(d), Some(m), _) => verify_signature(d, m),
            (_, _, Some(Seen::Broken(e))) => Err(format!("{SIGNATURE_PATH} cannot be read: {e}")),
            _ => Err(format!(
                "{SIGNATURE_PATH} or {MANIFEST_PATH} could not be read"
            )),
        };
        let facts = match result {
            Ok(fp) => SignatureFacts {
                valid: true,
                detail: format!(
                    "manifest.json is signed by the installation whose key fingerprint is {fp}"
                ),
                key_fingerprint: Some(fp),
            },
            Err(why) => {
                self.report
                    .problem("SIGNATURE", format!("{SIGNATURE_PATH}: {why}"));
                SignatureFacts {
                    valid: false,
                    key_fingerprint: None,
                    detail: why,
                }
            }
        };
        self.report.signature = Some(facts);
    }
}

impl Report {
    /// Escapes the signature's archive-derived strings and adds it to the summary.
    pub(super) fn summarise_signature(&mut self) {
        let pass = self.verdict == super::verdict::Verdict::Pass;
        let Some(s) = self.signature.as_mut() else {
            return;
        };
        escape_in_place(&mut s.detail);
        s.key_fingerprint.iter_mut().for_each(escape_in_place);
        if let (true, true, Some(fp)) = (pass, s.valid, s.key_fingerprint.as_deref()) {
            self.summary.push_str(&format!(
                " Device signature: valid, installation key fingerprint {fp} (the same fingerprint on two archives means the same installation made both; it does not say who the person is)."
            ));
        }
    }

    /// The signature line of the plain-text report (empty when there is none).
    pub(super) fn render_signature(&self) -> String {
        match &self.signature {
            None => String::new(),
            Some(s) if s.valid => format!("\nDevice signature: VALID. {}\n", s.detail),
            Some(s) => format!("\nDevice signature: FAILED. {}\n", s.detail),
        }
    }
}
