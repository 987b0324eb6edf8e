//! Evidence-capture core.
//!
//! Pure logic only: records, hashing, the ledger (hash chain) and the normalisation of
//! what a content script saw on a page. Nothing here reads the clock, touches the
//! network or imports wasm-bindgen; `wasm/` is the one browser boundary.
//!
//! The modules, by job:
//! - The evidence model: [`record`] (sealed records, their bytes and hash), [`metadata`]
//!   (each kind's typed metadata and timeline summary), [`capture_metadata`] (a capture's
//!   typed `metadata.json`), [`hash`], [`ledger`] (the hash chain).
//! - Building items: [`capture`] (a captured page, with [`normalize`] for its messages),
//!   [`diary`] (incident diary entries and the incident types), [`entries`] (amendments
//!   and removals of any item, and the rules every entry shares), [`conversation`] (long
//!   captures: a whole conversation or page, merged from its screens).
//! - The library: [`catalog`] (the timeline's catalog entry and search text), [`lock`]
//!   (the passphrase lock, encryption at rest).
//! - The archive: [`archive`] (ZIP, index files, the verifier and its verdict),
//!   [`timeline`] (the human-readable `report.html`), [`pdf`] (`report.pdf`), [`statement`]
//!   (the witness-statement draft), [`exhibits`] (exhibit references and file names),
//!   [`guide`] (`VERIFY.txt`).
//! - Independent proof of time: [`tsp`] (RFC 3161 timestamp requests and tokens).

pub mod archive;
pub mod backup;
pub mod capture;
pub mod capture_metadata;
pub mod catalog;
pub mod chat_export;
pub mod checksum;
pub mod conversation;
pub mod diary;
pub mod entries;
pub mod error;
pub mod exhibits;
pub mod guide;
pub mod hash;
pub mod import;
pub mod ledger;
pub mod lock;
pub mod metadata;
pub mod normalize;
pub mod pdf;
pub mod record;
pub mod restore;
pub mod statement;
pub mod thread;
pub mod timeline;
pub mod tsp;
pub mod zone;

#[cfg(test)]
mod test_fixtures;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};
