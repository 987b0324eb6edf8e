//! Where a message of a long capture can be seen: the screen (PNG artifact) that shows it
//! and its rectangle in that screen's pixels, read from the segment index
//! (`segments.json`). The library shows that screen with the rectangle outlined when a
//! message of the thread is selected.

use super::{Rect, SegmentIndex, SEGMENTS_FORMAT};
use crate::error::{Error, Result};
use serde::Serialize;

/// The screen chosen to show one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Located {
    /// The screen's position in the sweep (segment index order), from 0.
    pub screen: u32,
    /// The screen's PNG artifact.
    pub artifact: String,
    /// PNG pixels per CSS pixel on that screen.
    pub device_pixel_ratio: f64,
    /// The message's rectangle as recorded (CSS pixels, relative to the viewport).
    pub rect: Rect,
    /// The part of it inside the scroll container, in the screen's PNG pixels.
    pub pixels: Rect,
    /// True when the whole message is inside the container on that screen.
    pub whole: bool,
    /// How many screens show it.
    pub screens: u32,
}

/// Read `segments.json`.
pub fn parse_segments(bytes: &[u8]) -> Result<SegmentIndex> {
    let index: SegmentIndex = serde_json::from_slice(bytes)
        .map_err(|e| Error::InvalidInput(format!("segments.json does not read: {e}")))?;
    if index.format != SEGMENTS_FORMAT {
        return Err(Error::InvalidInput(format!(
            "segments.json has format {:?}, not {SEGMENTS_FORMAT:?}",
            index.format
        )));
    }
    Ok(index)
}

/// The intersection of two rectangles (empty when they do not meet).
fn clip(r: &Rect, c: &Rect) -> Rect {
    let x = r.x.max(c.x);
    let y = r.y.max(c.y);
    let right = (r.x + r.width).min(c.x + c.width);
    let bottom = (r.y + r.height).min(c.y + c.height);
    Rect {
        x,
        y,
        width: (right - x).max(0.0),
        height: (bottom - y).max(0.0),
    }
}

fn area(r: &Rect) -> f64 {
    r.width * r.height
}

/// The screen that shows the message `key` best: the first screen (with a PNG) where it is
/// whole inside the container, else the one that shows most of it. `None` when no screen
/// with a PNG shows any of it.
pub fn locate(index: &SegmentIndex, key: &str) -> Option<Located> {
    let mut best: Option<(f64, Located)> = None;
    let mut count = 0u32;
    for seg in &index.screens {
        let Some(artifact) = seg.artifact.as_deref() else {
            continue;
        };
        let Some(m) = seg.messages.iter().find(|m| m.key == key) else {
            continue;
        };
        let seen = clip(&m.rect, &seg.container);
        let shown = area(&seen);
        if shown.is_nan() || shown <= 0.0 {
            continue;
        }
        count += 1;
        let whole = shown >= area(&m.rect) - 0.5;
        let dpr = if seg.device_pixel_ratio.is_finite() && seg.device_pixel_ratio > 0.0 {
            seg.device_pixel_ratio
        } else {
            1.0
        };
        let better = match &best {
            None => true,
            Some((a, b)) => !b.whole && (whole || shown > *a),
        };
        if better {
            best = Some((
                shown,
                Located {
                    screen: seg.index,
                    artifact: artifact.to_string(),
                    device_pixel_ratio: dpr,
                    rect: m.rect,
                    pixels: Rect {
                        x: (seen.x * dpr).round(),
                        y: (seen.y * dpr).round(),
                        width: (seen.width * dpr).round(),
                        height: (seen.height * dpr).round(),
                    },
                    whole,
                    screens: 0,
                },
            ));
        }
    }
    best.map(|(_, mut l)| {
        l.screens = count;
        l
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::conversation::{Segment, SegmentMessage};

    fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x,
            y,
            width: w,
            height: h,
        }
    }

    fn seg(i: u32, artifact: Option<&str>, dpr: f64, msgs: &[(&str, Rect)]) -> Segment {
        Segment {
            index: i,
            artifact: artifact.map(str::to_string),
            scroll_x: 0.0,
            scroll_y: 0.0,
            container: r(0.0, 100.0, 400.0, 300.0),
            device_pixel_ratio: dpr,
            taken_at_ms: None,
            messages: msgs
                .iter()
                .map(|(k, rect)| SegmentMessage {
                    key: (*k).to_string(),
                    rect: *rect,
                })
                .collect(),
        }
    }

    fn index(screens: Vec<Segment>) -> SegmentIndex {
        SegmentIndex {
            format: SEGMENTS_FORMAT.into(),
            scope: "conversation".into(),
            screens,
            stitched: vec![],
        }
    }

    #[test]
    fn prefers_the_first_screen_that_shows_it_whole() {
        let idx = index(vec![
            seg(
                0,
                Some("screen-001.png"),
                2.0,
                &[("a", r(10.0, 350.0, 300.0, 80.0))],
            ),
            seg(
                1,
                Some("screen-002.png"),
                2.0,
                &[("a", r(10.0, 150.0, 300.0, 80.0))],
            ),
            seg(
                2,
                Some("screen-003.png"),
                2.0,
                &[("a", r(10.0, 120.0, 300.0, 80.0))],
            ),
        ]);
        let l = locate(&idx, "a").unwrap();
        assert_eq!(l.artifact, "screen-002.png");
        assert_eq!(l.screen, 1);
        assert!(l.whole);
        assert_eq!(l.screens, 3);
        assert_eq!(l.pixels, r(20.0, 300.0, 600.0, 160.0));
    }

    #[test]
    fn else_the_screen_showing_most_of_it_clipped_to_the_container() {
        let idx = index(vec![
            seg(
                0,
                Some("screen-001.png"),
                1.0,
                &[("a", r(0.0, 390.0, 100.0, 40.0))],
            ),
            seg(
                1,
                Some("screen-002.png"),
                1.0,
                &[("a", r(0.0, 80.0, 100.0, 40.0))],
            ),
        ]);
        let l = locate(&idx, "a").unwrap();
        assert_eq!(l.artifact, "screen-002.png");
        assert!(!l.whole);
        assert_eq!(l.pixels, r(0.0, 100.0, 100.0, 20.0));
    }

    #[test]
    fn screens_without_a_png_or_outside_the_container_do_not_count() {
        let idx = index(vec![
            seg(0, None, 1.0, &[("a", r(0.0, 150.0, 100.0, 40.0))]),
            seg(
                1,
                Some("screen-002.png"),
                1.0,
                &[("a", r(0.0, 0.0, 100.0, 40.0))],
            ),
        ]);
        assert_eq!(locate(&idx, "a"), None);
        assert_eq!(locate(&idx, "missing"), None);
    }

    #[test]
    fn parse_checks_the_format() {
        let idx = index(vec![seg(0, Some("s.png"), 1.0, &[])]);
        let bytes = serde_json::to_vec(&idx).unwrap();
        assert_eq!(parse_segments(&bytes).unwrap(), idx);
        let mut other = idx.clone();
        other.format = "something-else/1".into();
        assert!(parse_segments(&serde_json::to_vec(&other).unwrap()).is_err());
        assert!(parse_segments(b"{").is_err());
    }
}
