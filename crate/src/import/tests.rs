use super::*;

/// A minimal JPEG whose APP1 segment holds EXIF Make, Model and DateTimeOriginal (as a
/// phone writes them: big-endian TIFF, the date in the Exif sub-IFD).
pub(crate) fn jpeg_with_exif(make: &str, model: &str, taken: &str) -> Vec<u8> {
    let z = |s: &str| {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    };
    let (make, model, taken) = (z(make), z(model), z(taken));
    let ifd0_len = 2 + 3 * 12 + 4;
    let data0 = 8 + ifd0_len;
    let model_at = data0 + make.len();
    let exif_ifd = model_at + model.len();
    let dto_at = exif_ifd + 2 + 12 + 4;
    let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, val: u32| {
        t.extend(tag.to_be_bytes());
        t.extend(typ.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(val.to_be_bytes());
    };
    t.extend(3u16.to_be_bytes());
    entry(&mut t, 0x010f, 2, make.len() as u32, data0 as u32);
    entry(&mut t, 0x0110, 2, model.len() as u32, model_at as u32);
    entry(&mut t, 0x8769, 4, 1, exif_ifd as u32);
    t.extend(0u32.to_be_bytes());
    t.extend(&make);
    t.extend(&model);
    t.extend(1u16.to_be_bytes());
    entry(&mut t, 0x9003, 2, taken.len() as u32, dto_at as u32);
    t.extend(0u32.to_be_bytes());
    t.extend(&taken);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(t);
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe1];
    jpeg.extend(((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend(app1);
    jpeg.extend([0xff, 0xd9]);
    jpeg
}

fn ctx() -> EntryContext {
    EntryContext {
        entered_at_ms: 1_764_000_000_000,
        local_offset_minutes: 60,
    }
}

#[test]
fn exif_capture_time_and_camera_are_read() {
    let jpeg = jpeg_with_exif("Google", "Pixel 7", "2026:11:28 14:03:11");
    let e = read_exif(&jpeg).unwrap();
    assert_eq!(e.date_time_original.as_deref(), Some("2026-11-28T14:03:11"));
    assert_eq!(e.make.as_deref(), Some("Google"));
    assert_eq!(e.model.as_deref(), Some("Pixel 7"));
    assert_eq!(e.camera().as_deref(), Some("Google Pixel 7"));
}

#[test]
fn files_without_exif_or_hostile_ones_give_none_never_a_panic() {
    assert_eq!(read_exif(b""), None);
    assert_eq!(read_exif(b"%PDF-1.4\n"), None);
    assert_eq!(read_exif(&[0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, b'E']), None);
    // (strings over 4 bytes: shorter TIFF values sit inside the entry, which the helper does not write)
    let mut jpeg = jpeg_with_exif("Canon", "EOS R5", "0000:00:00 00:00:00");
    assert_eq!(read_exif(&jpeg).unwrap().date_time_original, None);
    for cut in 0..jpeg.len() {
        let _ = read_exif(&jpeg[..cut]);
    }
    for i in 0..jpeg.len() {
        jpeg[i] ^= 0x5a;
        let _ = read_exif(&jpeg);
        jpeg[i] ^= 0x5a;
    }
}

#[test]
fn the_record_gives_import_time_file_times_exif_and_custody() {
    let jpeg = jpeg_with_exif("Apple", "iPhone 15", "2026:11:28 14:03:11");
    let input = ImportInput {
        original_name: "IMG_4021.JPG".into(),
        media_type: "image/jpeg".into(),
        bytes: jpeg.len() as u64,
        sha256: crate::hash::sha256_hex(&jpeg),
        last_modified_ms: Some(1_763_990_000_000),
        exif: read_exif(&jpeg),
        chat: None,
    };
    let b = build_import(&input, &ctx()).unwrap();
    let m = &b.metadata;
    assert_eq!(m.imported_at, "2025-11-24T17:00:00.000+01:00");
    assert_eq!(
        m.file.last_modified.as_deref(),
        Some("2025-11-24T13:13:20.000Z")
    );
    assert_eq!(m.file.original_name, "IMG_4021.JPG");
    assert_eq!(m.file.artifact, "01-img_4021.jpg");
    assert_eq!(b.artifacts[0].sha256, input.sha256);
    assert!(m.custody.contains("chain of custody starts at the import"));
    assert!(
        m.excerpt.contains("taken 2026-11-28T14:03:11"),
        "{}",
        m.excerpt
    );
    assert!(m.excerpt.contains("Apple iPhone 15"), "{}", m.excerpt);
    // It round-trips through the typed model unchanged.
    let v = serde_json::to_value(m).unwrap();
    let back = crate::metadata::Metadata::from_value(crate::record::Kind::Import, v.clone());
    assert_eq!(back.to_value(), v);
    assert_eq!(back.kind(), Some(crate::record::Kind::Import));
}

#[test]
fn bad_input_is_refused() {
    let mut input = ImportInput {
        original_name: "a.pdf".into(),
        media_type: "".into(),
        bytes: 3,
        sha256: "x".into(),
        last_modified_ms: None,
        exif: None,
        chat: None,
    };
    assert!(build_import(&input, &ctx()).is_err());
    input.sha256 = "0".repeat(64);
    let b = build_import(&input, &ctx()).unwrap();
    assert_eq!(b.artifacts[0].media_type, "application/pdf");
    assert!(b.metadata.excerpt.starts_with("PDF document"));
    input.last_modified_ms = Some(i64::MAX);
    assert!(build_import(&input, &ctx()).is_err());
}
