//! Raw DEFLATE with the archive writer's fixed settings, streaming through a small
//! scratch buffer. The writer compresses text entries with it, and the verifier
//! re-compresses what it inflates with it to check that the stored stream is exactly
//! what the writer produces (see `entry.rs`).

use crate::error::{Error, Result};
use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::deflate::stream::deflate;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// DEFLATE level for text entries (JSON, HTML, plain text): zlib's default.
const DEFLATE_LEVEL: u8 = 6;
/// Size of the scratch buffer DEFLATE output goes through.
const OUT_CHUNK: usize = 64 * 1024;

/// Raw DEFLATE at the writer's fixed level, streaming through a 64 KB scratch buffer.
/// The verifier uses the same type to re-compress and compare (see `entry.rs`).
pub(crate) struct Deflater {
    comp: Box<CompressorOxide>,
    scratch: Vec<u8>,
}

impl Deflater {
    /// A fresh compressor.
    pub(crate) fn new() -> Self {
        let mut comp = Box::<CompressorOxide>::default();
        comp.set_format_and_level(DataFormat::Raw, DEFLATE_LEVEL);
        Deflater {
            comp,
            scratch: vec![0u8; OUT_CHUNK],
        }
    }

    /// Start a new stream.
    pub(crate) fn reset(&mut self) {
        self.comp.reset();
    }

    /// Compress `input`, appending whatever output is ready to `out`.
    pub(crate) fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.run(input, MZFlush::None, out)
    }

    /// End the stream, appending the remaining output to `out`.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.run(&[], MZFlush::Finish, out)
    }

    fn run(&mut self, mut input: &[u8], flush: MZFlush, out: &mut Vec<u8>) -> Result<()> {
        // Each round either consumes input, produces output or ends; a round that does
        // none of these is a bug in the loop, so it stops with an error instead of spinning.
        loop {
            let r = deflate(&mut self.comp, input, &mut self.scratch, flush);
            input = &input[r.bytes_consumed.min(input.len())..];
            out.extend_from_slice(&self.scratch[..r.bytes_written.min(OUT_CHUNK)]);
            let progressed = r.bytes_consumed > 0 || r.bytes_written > 0;
            match r.status {
                Ok(MZStatus::StreamEnd) => return Ok(()),
                Ok(_) => {}
                Err(MZError::Buf) if !progressed && input.is_empty() && flush == MZFlush::None => {
                    return Ok(())
                }
                Err(e) => return Err(Error::Archive(format!("DEFLATE failed: {e:?}"))),
            }
            let out_full = r.bytes_written == OUT_CHUNK;
            if flush == MZFlush::None && input.is_empty() && !out_full {
                return Ok(());
            }
            if !progressed {
                return Err(Error::Archive("DEFLATE made no progress".into()));
            }
        }
    }
}
