//! Table tests of `report.pdf`'s layout: a message longer than a page, an image taller
//! than a page, characters the font lacks, an empty archive.

#![allow(clippy::unwrap_used)]

use super::layout::{Flow, Op, Page, MARGIN, PAGE_H, PAGE_W};
use super::*;
use crate::record::{genesis_hex, seal};
use crate::test_fixtures::screenshot_capture;
use crate::timeline::ReportItem;
use serde_json::json;

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = ::png::Encoder::new(&mut out, w, h);
        enc.set_color(::png::ColorType::Rgba);
        enc.set_depth(::png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % 251) as u8, (i / w % 256) as u8, 90, 255])
            .collect();
        wr.write_image_data(&data).unwrap();
    }
    out
}

fn capture_item(seq: u64, text: &str) -> ReportItem {
    let draft = screenshot_capture(
        &format!("c{seq}"),
        1_795_554_840_000,
        60,
        Some("Europe/London"),
    );
    let rec = seal(&draft, seq, &genesis_hex()).unwrap().record;
    ReportItem {
        reference: Some(format!("JM/{}", seq + 1)),
        seq,
        status: "included".into(),
        record_sha256: "11".repeat(32),
        chain_sha256: "22".repeat(32),
        record: Some(rec),
        capture_metadata: Some(json!({
            "page": {"url": "https://forum.example/t/1", "final_url": "https://forum.example/t/1", "title": "Board"},
            "platform": "generic",
            "messages": [{"author": {"name": "Night Owl", "handle": "@nightowl_77", "profile_url": "https://forum.example/u/nightowl_77"},
                          "text": text, "time": {"utc": "2026-11-20T21:14:00.000Z"}}]
        })),
        folder: Some(format!("items/{seq:06}")),
    }
}

fn report(items: Vec<ReportItem>) -> ReportInput {
    ReportInput {
        exported_at: "2026-11-25T18:00:00.000Z".into(),
        local_offset_minutes: 60,
        exported_by: Some("Jane Martin".into()),
        tool_version: "0.1.0".into(),
        head: "cd".repeat(32),
        items,
    }
}

/// Lay out `items` with `images`; returns the pages.
fn pages_of(items: Vec<ReportItem>, images: BTreeMap<u64, Vec<Vec<u8>>>) -> (Vec<Page>, usize) {
    let font = font::Font::load().unwrap();
    let r = report(items);
    let files = BTreeMap::new();
    let input = PdfInput {
        report: &r,
        initials: Some("JM"),
        images: &images,
        exhibit_files: &files,
        timestamps: &[],
    };
    let mut flow = Flow::new(&font);
    let imgs = report::lay_out(&mut flow, &input);
    flow.footers("Head hash x");
    // And the whole file renders.
    let pdf = render(&input).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(5).rev().take(16).any(|w| w == b"%%EOF"));
    (flow.pages, imgs.len())
}

fn texts(p: &Page) -> Vec<&str> {
    p.ops
        .iter()
        .filter_map(|o| match o {
            Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn all_inside(pages: &[Page]) {
    for p in pages {
        for o in &p.ops {
            if let Op::Text { x, y, .. } = o {
                assert!(*x >= MARGIN - 0.1 && *x < PAGE_W - MARGIN, "{o:?}");
                assert!(*y >= MARGIN - 0.1 && *y <= PAGE_H - MARGIN, "{o:?}");
            }
        }
    }
}

#[test]
fn layout_table() {
    let long: String = (0..900)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let unbroken = "x".repeat(5000);
    struct Case {
        name: &'static str,
        text: String,
        image: Option<(u32, u32)>,
        min_pages: usize,
        images: usize,
    }
    let cases = [
        Case {
            name: "short message, no image",
            text: "I know where you live".into(),
            image: None,
            min_pages: 3,
            images: 0,
        },
        Case {
            name: "message longer than a page",
            text: long.clone(),
            image: None,
            min_pages: 4,
            images: 0,
        },
        Case {
            name: "one unbroken word longer than a page",
            text: unbroken.clone(),
            image: None,
            min_pages: 4,
            images: 0,
        },
        Case {
            name: "image taller than a page",
            text: "see the screenshot".into(),
            image: Some((400, 3000)),
            min_pages: 5,
            images: 1,
        },
        Case {
            name: "ordinary screenshot",
            text: "hi".into(),
            image: Some((640, 360)),
            min_pages: 3,
            images: 1,
        },
    ];
    for c in cases {
        let mut images = BTreeMap::new();
        if let Some((w, h)) = c.image {
            images.insert(0, vec![png(w, h)]);
        }
        let (pages, n) = pages_of(vec![capture_item(0, &c.text)], images);
        assert!(
            pages.len() >= c.min_pages,
            "{}: {} pages",
            c.name,
            pages.len()
        );
        assert_eq!(n, c.images, "{}", c.name);
        all_inside(&pages);
        // Every page has its "Page X of Y" footer.
        for (i, p) in pages.iter().enumerate() {
            let want = format!("Page {} of {} · Head hash x", i + 1, pages.len());
            assert!(texts(p).contains(&want.as_str()), "{}: page {i}", c.name);
        }
        // Every word of the message is on some page, in order.
        let joined: String = pages
            .iter()
            .flat_map(texts)
            .filter(|t| !t.starts_with("Page "))
            .collect::<Vec<_>>()
            .join("");
        assert!(
            joined.replace(' ', "").contains(&c.text.replace(' ', "")),
            "{}",
            c.name
        );
        if let Some((w, h)) = c.image {
            // The image's visible parts add up to its whole drawn height, each inside the page.
            let parts: Vec<[f32; 4]> = pages
                .iter()
                .flat_map(|p| &p.ops)
                .filter_map(|o| match o {
                    Op::Image {
                        clip, w: dw, h: dh, ..
                    } => {
                        assert!((dh / dw - h as f32 / w as f32).abs() < 0.001);
                        Some(*clip)
                    }
                    _ => None,
                })
                .collect();
            let drawn_w = (PAGE_W - 2.0 * MARGIN).min(w as f32 * 0.75);
            let total: f32 = parts.iter().map(|c| c[3]).sum();
            assert!(
                (total - drawn_w * h as f32 / w as f32).abs() < 0.5,
                "{}: {total}",
                c.name
            );
            for clip in &parts {
                assert!(clip[1] >= MARGIN && clip[1] + clip[3] <= PAGE_H - MARGIN + 0.1);
            }
            assert_eq!(
                parts.len() > 1,
                h as f32 * drawn_w / w as f32 > 700.0,
                "{}",
                c.name
            );
        }
    }
}

#[test]
fn characters_the_font_lacks_show_a_marker_and_are_listed() {
    let text = "Greek Καλημέρα, Cyrillic Привет, emoji 🎨 and \u{e000}\r\nnext\tline";
    let (pages, _) = pages_of(vec![capture_item(0, text)], BTreeMap::new());
    let exhibit_page = pages
        .iter()
        .find(|p| texts(p).iter().any(|t| t.starts_with("Exhibit JM/1")))
        .unwrap();
    let all = texts(exhibit_page).join("\n");
    assert!(all.contains("U+1F3A8"), "{all}");
    assert!(all.contains("U+E000"), "{all}");
    assert!(all.contains("Καλημέρα") && all.contains("Привет"), "{all}");
    // The text keeps the characters; the PDF prints the marker's glyph for them.
    assert!(all.contains("emoji 🎨 and \u{e000}"), "{all}");
    let font = font::Font::load().unwrap();
    let marker = font.glyph_or_marker(font::MARKER);
    assert_ne!(marker, 0);
    assert_eq!(font.glyph_or_marker('🎨'), marker);
    assert_eq!(
        font.glyph_or_marker('\u{202e}'),
        marker,
        "bidi controls are not laid out"
    );
    assert_ne!(font.glyph_or_marker('Ж'), marker);
    assert!(!all.contains("U+041F"), "Cyrillic is in the font: {all}");
    // Line ends and tabs are layout, not missing characters.
    assert!(!all.contains("U+000D") && !all.contains("U+0009"), "{all}");
    assert!(all.contains("\nnext line"), "{all}");
}

#[test]
fn an_empty_archive_has_a_cover_and_an_empty_timeline() {
    let (pages, n) = pages_of(Vec::new(), BTreeMap::new());
    assert_eq!(pages.len(), 2);
    assert_eq!(n, 0);
    let cover = texts(&pages[0]).join("\n");
    assert!(cover.contains("0 included, of 0 items"), "{cover}");
    assert!(cover.contains(&"cd".repeat(32)), "{cover}");
    assert!(texts(&pages[1]).contains(&"Timeline"));
}

#[test]
fn a_broken_screenshot_is_said_in_words_not_fatal() {
    let mut images = BTreeMap::new();
    images.insert(0, vec![b"\x89PNG not really".to_vec()]);
    let (pages, n) = pages_of(vec![capture_item(0, "hi")], images);
    assert_eq!(n, 0);
    let all: String = pages.iter().flat_map(texts).collect::<Vec<_>>().join("\n");
    assert!(all.contains("cannot be shown in the PDF"), "{all}");
}

#[test]
fn an_exhibit_covered_by_a_trusted_timestamp_says_so_and_an_uncovered_one_does_not() {
    use crate::archive::timestamps::TimestampEntry;
    let font = font::Font::load().unwrap();
    let r = report(vec![capture_item(0, "first"), capture_item(1, "second")]);
    let (files, images) = (BTreeMap::new(), BTreeMap::new());
    let token = |seq: u64, gen: &str, file: &str| TimestampEntry {
        file: file.into(),
        seq,
        head_sha256: "ab".repeat(32),
        tsa: "CN=Test TSA".into(),
        gen_time: gen.into(),
        certs: "timestamps/x.pem".into(),
    };
    // Item 0 is covered by both tokens (the earlier one is named); item 1 by none.
    let tokens = [
        token(0, "2026-11-20T21:16:05Z", "timestamps/000000-1.tsr"),
        token(0, "2026-11-20T21:20:00Z", "timestamps/000000-2.tsr"),
    ];
    let input = PdfInput {
        report: &r,
        initials: Some("JM"),
        images: &images,
        exhibit_files: &files,
        timestamps: &tokens,
    };
    let mut flow = Flow::new(&font);
    report::lay_out(&mut flow, &input);
    let all: String = flow
        .pages
        .iter()
        .flat_map(texts)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(all.contains("2026-11-20T21:16:05Z"), "{all}");
    assert!(all.contains("000000-1.tsr"), "{all}");
    assert!(
        !all.contains("000000-2.tsr"),
        "the earliest covering token is named: {all}"
    );
    let second = all
        .split("Exhibit JM/2")
        .nth(1)
        .expect("exhibit JM/2 is laid out");
    assert!(
        !second.contains("Existed by"),
        "item 1 is not covered: {second}"
    );
}

#[test]
fn a_long_capture_embeds_every_stitched_piece() {
    let mut images = BTreeMap::new();
    images.insert(0, vec![png(400, 300), png(400, 300), png(400, 120)]);
    let (pages, n) = pages_of(vec![capture_item(0, "thread")], images);
    assert_eq!(n, 3);
    let all: String = pages.iter().flat_map(texts).collect::<Vec<_>>().join("\n");
    assert!(all.contains("stitched from the screens"), "{all}");
}

/// The messages of a stored `metadata.json` as `report.pdf` lists them.
fn pdf_messages(fixture: &str) -> Vec<(String, String)> {
    let path = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let item: ReportItem = serde_json::from_value(json!({"seq": 0, "status": "included",
        "record_sha256": "", "chain_sha256": "", "capture_metadata": meta}))
    .unwrap();
    report::messages_of(&item)
}

/// Issue 14: the PDF reads its messages through the one thread reader. A capture's list is
/// what the earlier code printed (frozen); an imported chat export's now names each sender
/// (with the sender's identifier) and its attachments, where it printed "(unknown author)".
#[test]
fn the_pdf_lists_captured_and_chat_messages_through_the_one_reader() {
    for (src, frozen) in [
        (
            "model/capture-full.metadata.json",
            "thread/screen.pdf-messages.json",
        ),
        (
            "thread/capture.metadata.json",
            "thread/capture.pdf-messages.json",
        ),
    ] {
        let path = format!("{}/tests/fixtures/{frozen}", env!("CARGO_MANIFEST_DIR"));
        let want: Vec<(String, String)> =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(pdf_messages(src), want, "{src}");
    }
    let wa = pdf_messages("thread/whatsapp.metadata.json");
    assert!(wa[0].1.starts_with("System message\n2026-11-28T12:58:00Z UTC (approximate); shown as “28/11/2026, 13:58”\n"), "{}", wa[0].1);
    assert!(wa[1].1.starts_with("Sam Reed\n"), "{}", wa[1].1);
    assert!(
        wa[2]
            .1
            .ends_with("Look what I found\n[attached: IMG-20261128-WA0001.jpg]"),
        "{}",
        wa[2].1
    );
    assert!(
        wa[3].1.ends_with("\n[media left out of the export]"),
        "{}",
        wa[3].1
    );
    let tg = pdf_messages("thread/telegram.metadata.json");
    assert!(tg[1].1.starts_with("Sam Reed — account user4242\n2026-11-28T13:03:11Z UTC; shown as “2026-11-28T14:03:11”\nAnswer the phone\nNow."), "{}", tg[1].1);
}
