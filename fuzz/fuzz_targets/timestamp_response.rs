//! Fuzzes the RFC 3161 response parser and checker: any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let head = [0u8; 32];
    let _ = evidence_core::tsp::verify_response(data, &head, None, &[], &[]);
    let _ = evidence_core::tsp::verify_response(data, &head, Some(1), &[data.to_vec()], &[data.to_vec()]);
});
