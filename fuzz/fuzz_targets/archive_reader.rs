//! Fuzz the ZIP reader and the verifier with arbitrary bytes: they must never panic,
//! hang or allocate in proportion to sizes the input merely declares.
#![no_main]

use evidence_core::archive::{read_entry, verify_bytes, ZipArchive};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The whole verifier, without and with an expected head.
    let report = verify_bytes(data, None);
    let _ = serde_json_len(&report);
    let _ = verify_bytes(data, Some(&"0".repeat(64)));
    // The reader on its own: every entry streamed to nowhere.
    let mut src: &[u8] = data;
    if let Ok(arc) = ZipArchive::open(&mut src) {
        for e in arc.entries() {
            let _ = read_entry(&mut src, e, &mut |_| Ok(()));
        }
    }
});

/// Rendering the report must not panic either.
fn serde_json_len(r: &evidence_core::archive::Report) -> usize {
    r.render_text().len() + r.summary.len()
}
