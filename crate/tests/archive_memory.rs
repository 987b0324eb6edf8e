//! Memory stays flat: a counting allocator measures the peak heap while the verifier
//! reads archives that declare enormous sizes or inflate to hundreds of megabytes.
//! (One test in this binary, so no other test's allocations are counted.)
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = NOW.fetch_add(l.size(), Ordering::SeqCst) + l.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        NOW.fetch_sub(l.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Peak heap growth while running `f`.
fn peak_during(f: impl FnOnce()) -> usize {
    let base = NOW.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst) - base
}

#[test]
fn memory_does_not_follow_declared_or_inflated_sizes() {
    // 1. Each text file inflates to 256 MiB of zeros, and so does an artifact-like one.
    //    manifest.json is larger than the verifier keeps, so it must be streamed, not held.
    let zeros = vec![0u8; 1 << 20];
    let mut w = ZipWriter::new();
    let mut zip = Vec::new();
    for name in ["manifest.json", "report.html", "items/000000/page.mhtml"] {
        zip.extend(w.start_entry(name, true, 0).unwrap());
        for _ in 0..256 {
            w.write_into(&zeros, &mut zip).unwrap();
        }
        zip.extend(w.end_entry().unwrap().1);
    }
    zip.extend(w.finish().unwrap());
    drop(zeros);
    assert!(zip.len() < 4 << 20, "zip is {} bytes", zip.len());
    let mut report = None;
    let peak = peak_during(|| report = Some(verify_bytes(&zip, None)));
    let report = report.unwrap();
    assert_eq!(report.verdict, Verdict::Fail);
    println!(
        "peak heap verifying 768 MiB of inflated content: {} KiB",
        peak / 1024
    );
    assert!(peak < 24 << 20, "peak heap {peak} bytes");

    // 2. Declared sizes and counts far beyond the file: refused before any allocation.
    let mut w = ZipWriter::with_forced_zip64();
    let mut small = Vec::new();
    small.extend(w.start_entry("a.bin", false, 0).unwrap());
    small.extend(w.write(b"abc").unwrap());
    small.extend(w.end_entry().unwrap().1);
    small.extend(w.finish().unwrap());
    let mut lying = small.clone();
    // Patch the ZIP64 extra field's sizes (central directory) to 2^60 bytes.
    let cd_extra = small.len() - 22 - 20 - 56 - 24;
    lying[cd_extra..cd_extra + 8].copy_from_slice(&(1u64 << 60).to_le_bytes());
    lying[cd_extra + 8..cd_extra + 16].copy_from_slice(&(1u64 << 60).to_le_bytes());
    let mut counted = small.clone();
    let z64 = small.len() - 22 - 20 - 56;
    counted[z64 + 24..z64 + 32].copy_from_slice(&999_999u64.to_le_bytes());
    counted[z64 + 32..z64 + 40].copy_from_slice(&999_999u64.to_le_bytes());
    for (label, z) in [("2^60-byte sizes", &lying), ("999,999 entries", &counted)] {
        let mut r = None;
        let peak = peak_during(|| r = Some(verify_bytes(z, None)));
        assert_eq!(r.unwrap().verdict, Verdict::Fail, "{label}");
        assert!(peak < 1 << 20, "{label}: peak heap {peak} bytes");
    }
}
