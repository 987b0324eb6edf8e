//! Evidence-capture core.
//!
//! Pure logic only: records, hashing, the ledger (hash chain) and the normalisation of
//! what a content script saw on a page. Nothing here reads the clock, touches the
//! network or imports wasm-bindgen; `wasm.rs` is the one browser boundary.

pub mod archive;
pub mod capture;
pub mod capture_metadata;
pub mod catalog;
pub mod diary;
pub mod entries;
pub mod error;
pub mod guide;
pub mod hash;
pub mod ledger;
pub mod lock;
pub mod metadata;
pub mod normalize;
pub mod record;
pub mod timeline;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
