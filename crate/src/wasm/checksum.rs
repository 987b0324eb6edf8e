//! The checksum exports: a stored artifact's CRC-32 row ([`crate::checksum`]), computed
//! where the extension stores the bytes, and the stream that computes it while a stored
//! copy is read back and its SHA-256 checked.

use super::convert::{js_error, to_js};
use crate::checksum::{ArtifactChecksum, ChecksumStream, CrcStream};
use crate::error::Error;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// SHA-256 and CRC-32 of bytes fed in slices; `finish(expected)` gives the checksum row
/// only when the SHA-256 is `expected`.
#[wasm_bindgen(js_name = ChecksumStream)]
pub struct JsChecksumStream {
    inner: Option<ChecksumStream>,
}

/// What `ChecksumStream.finish` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Finished {
    sha256: String,
    row: Option<ArtifactChecksum>,
}

fn finished() -> JsValue {
    js_error(Error::InvalidInput(
        "this checksum stream is already finished".into(),
    ))
}

#[wasm_bindgen(js_class = ChecksumStream)]
impl JsChecksumStream {
    /// Nothing fed yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsChecksumStream {
        JsChecksumStream {
            inner: Some(ChecksumStream::new()),
        }
    }

    /// Feed the next slice.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.as_mut().ok_or_else(finished)?.update(bytes);
        Ok(())
    }

    /// `{sha256, row}`: the SHA-256 of what was fed, and its checksum row when that is
    /// `expected` (else `row` is null). The stream cannot be fed afterwards.
    pub fn finish(&mut self, expected: &str) -> Result<JsValue, JsValue> {
        let (sha256, row) = self.inner.take().ok_or_else(finished)?.finish(expected);
        to_js(&Finished { sha256, row })
    }
}

impl Default for JsChecksumStream {
    fn default() -> Self {
        Self::new()
    }
}

/// CRC-32 of bytes fed in slices whose SHA-256 the caller computed (a capture's artifact
/// right after it was stored); `finish(sha256)` gives the checksum row.
#[wasm_bindgen(js_name = CrcStream)]
pub struct JsCrcStream {
    inner: Option<CrcStream>,
}

#[wasm_bindgen(js_class = CrcStream)]
impl JsCrcStream {
    /// Nothing fed yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsCrcStream {
        JsCrcStream {
            inner: Some(CrcStream::new()),
        }
    }

    /// Feed the next slice.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.as_mut().ok_or_else(finished)?.update(bytes);
        Ok(())
    }

    /// The checksum row `{sha256, size, crc32, check}` of what was fed, `sha256` being
    /// its SHA-256. The stream cannot be fed afterwards.
    pub fn finish(&mut self, sha256: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.take().ok_or_else(finished)?.finish(sha256))
    }
}

impl Default for JsCrcStream {
    fn default() -> Self {
        Self::new()
    }
}
