//! Boundary tests: the WASM exports in real headless Chromium (wasm-bindgen-test).
//! Bytes in, record out; errors arrive as JS `Error` objects with a stable `code`.
#![cfg(target_arch = "wasm32")]

mod common;
mod hostile;

use evidence_core::hash::sha256_hex;
use evidence_core::ledger::chain_next;
use evidence_core::wasm::{
    build_capture, capture_search_text, catalog_entry, device_key_info, genesis, parse_record,
    removed_catalog_entry, seal_record, search_normal, tsa_check, tsa_request, verify_archive,
    Hasher,
};
use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).expect("property")
}

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("json")
}

fn draft() -> JsValue {
    js(&format!(
        r#"{{"id":"item-1","kind":"capture","captured_at_ms":1764089746123,"local_offset_minutes":60,
           "time_zone":"Europe/London","artifacts":[{{"name":"screenshot.png","media_type":"image/png","bytes":3,"sha256":"{}"}}],
           "metadata":{{"url":"https://x.com/a"}}}}"#,
        sha256_hex(b"png")
    ))
}

/// The stored head an item is sealed after (`seq` -1: the empty library's genesis head).
fn head(seq: i64, record: &str, chain: &str) -> JsValue {
    js(&format!(
        r#"{{"seq":{seq},"recordSha256":"{record}","chainSha256":"{chain}"}}"#
    ))
}

/// Verify archive bytes through `verifyArchive`, as the verify page's worker calls it.
fn verify_bytes(bytes: &[u8], expected_head: Option<String>) -> JsValue {
    verify_archive_bytes(bytes, expected_head, None)
}

/// `verifyArchive` over bytes in memory, with an expected head and fingerprint.
fn verify_archive_bytes(
    bytes: &[u8],
    expected_head: Option<String>,
    expected_fingerprint: Option<String>,
) -> JsValue {
    use wasm_bindgen::closure::Closure;
    let data = bytes.to_vec();
    let read = Closure::<dyn Fn(f64, f64) -> Uint8Array>::new(move |off: f64, len: f64| {
        let (off, len) = (off as usize, len as usize);
        Uint8Array::from(&data[off..off + len])
    });
    let len = JsValue::from_f64(bytes.len() as f64);
    verify_archive(
        read.as_ref().unchecked_ref::<js_sys::Function>().clone(),
        len,
        expected_head,
        None,
        expected_fingerprint,
        None,
    )
    .expect("a report, not an error")
}

#[wasm_bindgen_test]
fn hashes_match_golden_vectors() {
    let mut h = Hasher::new();
    h.update(b"a").expect("update");
    h.update(b"bc").expect("update");
    assert_eq!(
        h.finish().expect("finish"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let err = h.finish().expect_err("finished twice");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
}

#[wasm_bindgen_test]
fn bytes_in_record_out() {
    let g = genesis().expect("genesis");
    let prev = get(&g, "record").as_string().expect("hex");
    let chain = get(&g, "chain").as_string().expect("hex");
    let sealed = seal_record(draft(), head(-1, &prev, &chain)).expect("seals");
    let bytes: Uint8Array = get(&sealed, "bytes").dyn_into().expect("bytes");
    let bytes = bytes.to_vec();
    let sha = get(&sealed, "recordSha256").as_string().expect("sha");
    assert_eq!(sha, sha256_hex(&bytes), "the hash covers exactly the bytes");
    assert_eq!(
        get(&sealed, "chainSha256").as_string(),
        Some(chain_next(&chain, &sha).expect("links"))
    );
    let parsed = parse_record(&bytes).expect("parses");
    assert_eq!(get(&parsed, "seq").as_f64(), Some(0.0));
    assert_eq!(
        get(&parsed, "captured_at").as_string().as_deref(),
        Some("2025-11-25T16:55:46.123Z")
    );
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_codes() {
    let err = seal_record(draft(), head(0, "not-a-hash", "x")).expect_err("bad hash");
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("InvalidInput")
    );

    let zeros = "0".repeat(64);
    let err = seal_record(js("{\"id\": 5}"), head(-1, &zeros, &zeros)).expect_err("bad draft");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );

    let err = seal_record(draft(), head(-2, &zeros, &zeros)).expect_err("bad seq");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
    let err = seal_record(draft(), js(r#"{"seq":0.5}"#)).expect_err("not a head");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
    let err = seal_record(draft(), head(-1, &sha256_hex(b"x"), &zeros)).expect_err("not genesis");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("BROKEN_CHAIN")
    );

    let err = parse_record(br#"{"format":"evidence-record/99"}"#).expect_err("version");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("UNSUPPORTED_VERSION")
    );
}

#[wasm_bindgen_test]
fn capture_metadata_from_js_objects() {
    let raw = js(
        r#"{"platform":"x","page":{"url":"https://x.com/v/status/1","title":"T"},
        "messages":[{"author_name":"Troll","author_handle":"troll","text":"I know where you live",
        "time_datetime":"2024-02-18T15:40:27.000Z","permalink":"/troll/status/1759241476758733209"}]}"#,
    );
    let ctx = js(
        r#"{"captured_at_ms":1764089746000,"local_offset_minutes":0,"trigger":"api","tab_url":"https://x.com/v/status/1"}"#,
    );
    let built = build_capture(raw, ctx).expect("builds");
    let bytes: Uint8Array = get(&built, "metadataJson").dyn_into().expect("bytes");
    let text = String::from_utf8(bytes.to_vec()).expect("utf8");
    assert!(text.contains("I know where you live"));
    assert!(text.contains("https://x.com/troll/status/1759241476758733209"));
    let summary = get(&built, "summary");
    assert_eq!(get(&summary, "message_count").as_f64(), Some(1.0));
    let err = build_capture(js("{}"), js(r#"{"captured_at_ms":"soon"}"#)).expect_err("bad ctx");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
}

#[wasm_bindgen_test]
fn passphrase_lock_round_trip() {
    use evidence_core::wasm::{lock_decrypt, lock_encrypt, lock_new_keypair, lock_unwrap_identity};
    let t0 = js_sys::Date::now();
    let kp = lock_new_keypair("correct horse battery").expect("keypair");
    let t1 = js_sys::Date::now();
    let recipient = get(&kp, "recipient").as_string().expect("recipient");
    assert!(recipient.starts_with("age1"));
    let wrapped: Uint8Array = get(&kp, "wrappedIdentity").dyn_into().expect("bytes");
    let wrapped = wrapped.to_vec();
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let ct = lock_encrypt(&recipient, &data).expect("encrypts");
    let t2 = js_sys::Date::now();
    let identity = lock_unwrap_identity(&wrapped, "correct horse battery").expect("unwraps");
    let t3 = js_sys::Date::now();
    assert!(identity.starts_with("AGE-SECRET-KEY-1"));
    assert_eq!(lock_decrypt(&identity, &ct).expect("decrypts"), data);
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().expect("memory");
    let memory: js_sys::ArrayBuffer = memory.buffer().dyn_into().expect("buffer");
    console_log!(
        "scrypt in WASM: lockNewKeypair {} ms, lockUnwrapIdentity {} ms, linear memory now {} MiB",
        t1 - t0,
        t3 - t2,
        memory.byte_length() / (1024 * 1024)
    );

    let err = lock_unwrap_identity(&wrapped, "not the passphrase").expect_err("wrong");
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("WRONG_PASSPHRASE")
    );
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("WrongPassphrase")
    );
    let err = lock_new_keypair("short").expect_err("too short");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
    let err = lock_decrypt(&identity, &ct[..ct.len() - 1]).expect_err("truncated");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("CRYPTO"));
}

/// Golden records (made by the builders before the model was typed), their
/// `metadata.json` for captures, and what `library/catalog.js` makes of them.
/// A fixture name, its record bytes and, for a capture, its `metadata.json` bytes.
type Golden = (&'static str, &'static [u8], Option<&'static [u8]>);

const GOLDEN: [Golden; 4] = [
    (
        "capture-full.record.json",
        include_bytes!("fixtures/model/capture-full.record.json"),
        Some(include_bytes!("fixtures/model/capture-full.metadata.json")),
    ),
    (
        "incident-full.record.json",
        include_bytes!("fixtures/model/incident-full.record.json"),
        None,
    ),
    (
        "amendment-files.record.json",
        include_bytes!("fixtures/model/amendment-files.record.json"),
        None,
    ),
    (
        "removal-capture.record.json",
        include_bytes!("fixtures/model/removal-capture.record.json"),
        None,
    ),
];
const CATALOG: &str = include_str!("fixtures/catalog/expected.json");

fn set(o: &JsValue, key: &str, v: &JsValue) {
    Reflect::set(o, &key.into(), v).expect("set");
}

fn as_json(v: &JsValue) -> serde_json::Value {
    let text = JSON::stringify(v)
        .expect("stringify")
        .as_string()
        .expect("text");
    serde_json::from_str(&text).expect("json")
}

#[wasm_bindgen_test]
fn golden_records_reseal_from_js_objects_to_the_same_bytes() {
    let chain = "0".repeat(64);
    for (name, bytes, _) in GOLDEN {
        // The record as the extension holds it: a plain object from JSON.parse.
        let rec = js(std::str::from_utf8(bytes).expect("utf8"));
        let at = get(&rec, "captured_at").as_string().expect("time");
        let ms = js_sys::Date::parse(&at);
        let draft = js_sys::Object::new().into();
        for key in [
            "id",
            "kind",
            "local_offset_minutes",
            "time_zone",
            "artifacts",
            "metadata",
        ] {
            set(&draft, key, &get(&rec, key));
        }
        set(&draft, "captured_at_ms", &JsValue::from_f64(ms));
        let seq = get(&rec, "seq").as_f64().expect("seq") as i64;
        let prev = get(&rec, "prev_record_sha256").as_string().expect("prev");
        let sealed = seal_record(draft, head(seq - 1, &prev, &chain)).expect("seals");
        let again: Uint8Array = get(&sealed, "bytes").dyn_into().expect("bytes");
        assert!(again.to_vec() == bytes, "{name} reseals to other bytes");
    }
}

#[wasm_bindgen_test]
fn catalog_entries_match_the_library_script() {
    let want: serde_json::Value = serde_json::from_str(CATALOG).expect("expected.json");
    let records = want["records"].as_array().expect("records");
    for (name, bytes, meta) in GOLDEN {
        let case = records
            .iter()
            .find(|c| c["name"] == name)
            .expect("expected entry");
        let rec = parse_record(bytes).expect("record");
        let row = js(&format!(
            r#"{{"seq":{},"id":{},"kind":"{}","recordSha256":"{}","capturedAt":"{}"}}"#,
            get(&rec, "seq").as_f64().expect("seq"),
            JSON::stringify(&get(&rec, "id")).expect("id"),
            get(&rec, "kind").as_string().expect("kind"),
            sha256_hex(bytes),
            get(&rec, "captured_at").as_string().expect("time"),
        ));
        let extra = match (get(&rec, "kind").as_string().as_deref(), meta) {
            (Some("capture"), Some(m)) => capture_search_text(m),
            _ => String::new(),
        };
        let entry = catalog_entry(row, bytes, &extra).expect("entry");
        assert_eq!(as_json(&entry), case["entry"], "{name}");
        if let Some(m) = meta {
            assert_eq!(
                capture_search_text(m),
                case["searchText"].as_str().expect("text")
            );
        }
    }
    let row = js(&format!(
        r#"{{"seq":3,"id":"r","kind":"capture","recordSha256":"{}","capturedAt":"2026-01-01T00:00:00.000Z","removed":true,"removedBy":9}}"#,
        "cd".repeat(32)
    ));
    assert_eq!(
        as_json(&removed_catalog_entry(row).expect("entry")),
        want["removed"]
    );
    assert_eq!(search_normal("  Zoë\u{a0}CAFÉ "), "zoe cafe");
    let row = js(&format!(
        r#"{{"seq":0,"id":"r","kind":"capture","recordSha256":"{}","capturedAt":"2026-01-01T00:00:00.000Z"}}"#,
        "cd".repeat(32)
    ));
    let err = catalog_entry(row, b"{}", "").expect_err("not a record");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
}

#[wasm_bindgen_test]
fn archive_builder_is_pumped_like_the_exporter() {
    use evidence_core::wasm::JsArchiveBuilder;
    let g = genesis().expect("genesis");
    let prev = get(&g, "record").as_string().expect("hex");
    let chain0 = get(&g, "chain").as_string().expect("hex");
    let sealed = seal_record(draft(), head(-1, &prev, &chain0)).expect("seals");
    let bytes: Uint8Array = get(&sealed, "bytes").dyn_into().expect("bytes");
    let record = bytes.to_vec();
    let sha = get(&sealed, "recordSha256").as_string().expect("sha");
    let chain = get(&sealed, "chainSha256").as_string().expect("chain");
    let meta = js(
        r#"{"toolVersion":"0.1.0","createdAtMs":1764089800000,"exportedBy":null,"localOffsetMinutes":60}"#,
    );
    let plan = js(&format!(
        r#"[{{"seq":0,"recordSha256":"{sha}","chainSha256":"{chain}","status":"included"}}]"#
    ));
    let pump = |artifact: &[u8]| -> Result<(Vec<u8>, JsValue), JsValue> {
        let mut b = JsArchiveBuilder::new(meta.clone(), plan.clone())?;
        let mut out = Vec::new();
        let mut artifacts_asked = 0;
        loop {
            let need = b.next()?;
            match get(&need, "kind").as_string().as_deref() {
                Some("record") => {
                    assert_eq!(get(&need, "seq").as_f64(), Some(0.0));
                    out.extend(b.put_record(&record)?);
                }
                Some("artifact") => {
                    // The item's file, then its exhibit copy under a readable name.
                    let path = get(&need, "path").as_string().unwrap_or_default();
                    if artifacts_asked == 0 {
                        assert_eq!(path, "items/000000/screenshot.png");
                    } else {
                        assert!(path.starts_with("exhibits/1 "), "{path}");
                    }
                    artifacts_asked += 1;
                    assert_eq!(get(&need, "bytes").as_f64(), Some(3.0));
                    assert_eq!(get(&need, "stored").as_bool(), Some(true));
                    out.extend(b.begin_artifact()?);
                    b.stored_chunk(artifact)?;
                    out.extend_from_slice(artifact);
                    out.extend(b.end_artifact()?);
                }
                other => {
                    assert_eq!(other, Some("done"));
                    break;
                }
            }
        }
        assert_eq!(artifacts_asked, 2, "the screenshot and its exhibit copy");
        let done = b.finish()?;
        let tail: Uint8Array = get(&done, "bytes").dyn_into().expect("bytes");
        out.extend(tail.to_vec());
        Ok((out, done))
    };
    let (zip, done) = pump(b"png").expect("exports");
    assert_eq!(get(&done, "head").as_string(), Some(chain.clone()));
    assert_eq!(get(&done, "archiveBytes").as_f64(), Some(zip.len() as f64));
    assert_eq!(get(&get(&done, "counts"), "included").as_f64(), Some(1.0));
    let report = verify_bytes(&zip, Some(chain.clone()));
    assert_eq!(get(&report, "verdict").as_string().as_deref(), Some("PASS"));
    // The archive fingerprint (SHA-256 of manifest.json) is returned, and the verifier
    // checks it across the boundary: the right one authenticates, a wrong one fails.
    let fingerprint = get(&done, "fingerprint").as_string().expect("fingerprint");
    assert_eq!(fingerprint.len(), 64);
    let report = verify_archive_bytes(&zip, None, Some(fingerprint));
    assert_eq!(get(&report, "verdict").as_string().as_deref(), Some("PASS"));
    assert_eq!(get(&report, "authenticated").as_bool(), Some(true));
    let report = verify_archive_bytes(&zip, None, None);
    assert_eq!(get(&report, "authenticated").as_bool(), Some(false));
    let report = verify_archive_bytes(&zip, Some(chain), Some("ab".repeat(32)));
    assert_eq!(get(&report, "verdict").as_string().as_deref(), Some("FAIL"));

    let err = pump(b"pnG").expect_err("damaged");
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("STORAGE_DAMAGED")
    );
    let message = get(&err, "message").as_string().expect("message");
    assert!(message.contains("Item 0's screenshot.png"), "{message}");
    let err = JsArchiveBuilder::new(meta.clone(), js(r#"[{"seq":0}]"#))
        .err()
        .expect("bad plan");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("INVALID_INPUT")
    );
}

/// The same hostile corpus as `archive_hostile.rs`, through the same verifier code, in
/// the browser: every verdict as expected, and never a panic.
#[wasm_bindgen_test]
fn hostile_corpus_gives_the_same_verdicts_in_the_browser() {
    assert!(hostile::CORPUS.len() >= 8);
    for (name, data) in hostile::CORPUS {
        hostile::check_corpus_file(name, data);
        // And across the boundary, as the verify page calls it.
        let report = verify_bytes(data, None);
        let verdict = get(&report, "verdict").as_string();
        if name.starts_with("pass-") {
            assert_eq!(verdict.as_deref(), Some("PASS"), "{name}");
        } else if name.starts_with("fail-") {
            assert_eq!(verdict.as_deref(), Some("FAIL"), "{name}");
        }
    }
    let (open_cases, read_cases) = hostile::cases();
    for case in &open_cases {
        hostile::check_open_case(case);
    }
    for case in &read_cases {
        hostile::check_read_case(case);
    }
}

#[wasm_bindgen_test]
fn library_checker_takes_batches_of_stored_rows() {
    use evidence_core::wasm::JsLibraryChecker;
    let g = genesis().expect("genesis");
    let prev = get(&g, "record").as_string().expect("hex");
    let chain0 = get(&g, "chain").as_string().expect("hex");
    let sealed = seal_record(draft(), head(-1, &prev, &chain0)).expect("seals");
    let record = get(&sealed, "bytes");
    let sha = get(&sealed, "recordSha256").as_string().expect("sha");
    let chain = get(&sealed, "chainSha256").as_string().expect("chain");
    let run = |blob_sha: &str| -> JsValue {
        let stored_head = js(&format!(r#"{{"seq":0,"chainSha256":"{chain}"}}"#));
        let mut c = JsLibraryChecker::new(stored_head).expect("checker");
        let row = js(&format!(
            r#"{{"seq":0,"recordSha256":"{sha}","chainSha256":"{chain}","removed":false,
               "artifacts":[{{"name":"screenshot.png","sha256":"{blob_sha}","bytes":3}}]}}"#
        ));
        Reflect::set(&row, &"record".into(), &record).expect("set");
        let batch = js_sys::Array::new();
        batch.push(&row);
        c.push(batch.into()).expect("push");
        assert_eq!(c.checked().expect("checked"), 1.0);
        let report = c.finish().expect("finish");
        assert!(c.finish().is_err(), "finished once");
        report
    };
    let ok = run(&sha256_hex(b"png"));
    assert_eq!(get(&ok, "verdict").as_string().as_deref(), Some("PASS"));
    assert_eq!(get(&ok, "chainOk").as_bool(), Some(true));
    assert_eq!(get(&ok, "head").as_string(), Some(chain.clone()));
    assert_eq!(get(&get(&ok, "counts"), "ok").as_f64(), Some(1.0));
    let bad = run(&sha256_hex(b"PNG"));
    assert_eq!(get(&bad, "verdict").as_string().as_deref(), Some("FAIL"));
    let items: js_sys::Array = get(&bad, "items").dyn_into().expect("array");
    let item = items.get(0);
    assert_eq!(
        get(&item, "status").as_string().as_deref(),
        Some("MODIFIED")
    );
    assert_eq!(
        get(&item, "detail").as_string().as_deref(),
        Some("screenshot.png was changed or damaged: it no longer matches its hash in the record")
    );
    // One item on its own, after the genesis head: the same rule.
    let row = js(&format!(
        r#"{{"seq":0,"recordSha256":"{sha}","chainSha256":"{chain}",
           "artifacts":[{{"name":"screenshot.png","sha256":"{}","bytes":3}}]}}"#,
        sha256_hex(b"png")
    ));
    Reflect::set(&row, &"record".into(), &record).expect("set");
    let one = JsLibraryChecker::check_item(head(-1, &prev, &chain0), row).expect("checks");
    assert_eq!(
        get(&get(&one, "item"), "status").as_string().as_deref(),
        Some("OK")
    );
    assert_eq!(
        get(&get(&one, "item"), "recordSha256").as_string(),
        Some(sha)
    );
}

/// The timestamp boundary: the request is DER for the head, and a real OpenSSL token
/// (crate/tests/fixtures/tsp) is checked: trusted with its root, refused with a wrong nonce.
#[wasm_bindgen_test]
fn timestamp_request_and_check() {
    use sha2::{Digest, Sha256};
    let head: String = Sha256::digest(include_bytes!("fixtures/tsp/head.bin"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let req = tsa_request(&head, "8123456789abcdef").expect("a request");
    assert_eq!(req[0], 0x30);
    assert!(tsa_request(&head, "123").is_err());
    let tsr = include_bytes!("fixtures/tsp/p256.tsr");
    let root = include_str!("fixtures/tsp/ca.pem").to_string();
    let info = tsa_check(tsr, &head, None, Some(root)).expect("a checked token");
    assert_eq!(
        get(&info, "algorithm").as_string().as_deref(),
        Some("ECDSA P-256")
    );
    let trust = get(&info, "trust");
    assert_eq!(
        get(&trust, "status").as_string().as_deref(),
        Some("trusted")
    );
    assert!(get(&info, "chainPem")
        .as_string()
        .unwrap_or_default()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let err =
        tsa_check(tsr, &head, Some("0000000000000001".into()), None).expect_err("a wrong nonce");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("BAD_TIMESTAMP")
    );
}

/// The device key's public half crosses the boundary; an invalid scalar is refused.
#[wasm_bindgen_test]
fn device_key_info_names_the_key() {
    let info = device_key_info(&[0x42; 32]).expect("a key");
    let (_, fp) = evidence_core::archive::signature::device_public_key(&[0x42; 32]).expect("a key");
    assert_eq!(get(&info, "fingerprint").as_string(), Some(fp));
    assert_eq!(
        get(&info, "publicKey").as_string().map(|k| k.len()),
        Some(130)
    );
    let err = device_key_info(&[0; 32]).expect_err("zero is not a P-256 key");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("CRYPTO"));
}
