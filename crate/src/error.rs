//! The core's one error type. Variant names are stable: the UI branches on them.

use std::fmt;

/// Every error the core can return. `code()` is the stable identifier shown to JS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Input that is not what the caller promised (bad hex, bad JSON shape, bad time).
    InvalidInput(String),
    /// A record or artifact whose hash does not match what was recorded.
    HashMismatch {
        /// What was being checked (artifact name, record sequence number...).
        what: String,
        /// The hash that was recorded.
        expected: String,
        /// The hash computed now.
        actual: String,
    },
    /// A ledger whose links do not hold (wrong order, a gap, a fork).
    BrokenChain(String),
    /// A record whose format version this build does not understand.
    UnsupportedVersion(String),
    /// A ZIP archive that is truncated, corrupt, unsafe (path traversal, encryption,
    /// a ZIP bomb) or not in the evidence-archive layout.
    Archive(String),
    /// Reading from a file or other byte source failed.
    Io(String),
    /// Encryption or decryption failed: corrupt or changed ciphertext, a key it was not
    /// encrypted to, or a malformed key (the passphrase lock, `lock.rs`).
    Crypto(String),
    /// The passphrase does not open the wrapped key.
    WrongPassphrase,
    /// Stored evidence that no longer matches its hash or size, or is missing from
    /// storage: the exporter refuses to write it as if intact.
    StorageDamaged(String),
    /// An RFC 3161 timestamp response or token that is malformed or fails a check
    /// (status, imprint, nonce, signature, certificate binding or chain).
    Timestamp(String),
}

impl Error {
    /// Stable machine-readable code, e.g. `"INVALID_INPUT"`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "INVALID_INPUT",
            Error::HashMismatch { .. } => "HASH_MISMATCH",
            Error::BrokenChain(_) => "BROKEN_CHAIN",
            Error::UnsupportedVersion(_) => "UNSUPPORTED_VERSION",
            Error::Archive(_) => "BAD_ARCHIVE",
            Error::Io(_) => "IO_ERROR",
            Error::Crypto(_) => "CRYPTO",
            Error::WrongPassphrase => "WRONG_PASSPHRASE",
            Error::StorageDamaged(_) => "STORAGE_DAMAGED",
            Error::Timestamp(_) => "BAD_TIMESTAMP",
        }
    }

    /// Stable variant name, used as the JS `Error.name`.
    pub fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "InvalidInput",
            Error::HashMismatch { .. } => "HashMismatch",
            Error::BrokenChain(_) => "BrokenChain",
            Error::UnsupportedVersion(_) => "UnsupportedVersion",
            Error::Archive(_) => "Archive",
            Error::Io(_) => "Io",
            Error::Crypto(_) => "Crypto",
            Error::WrongPassphrase => "WrongPassphrase",
            Error::StorageDamaged(_) => "StorageDamaged",
            Error::Timestamp(_) => "Timestamp",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(m) => write!(f, "invalid input: {m}"),
            Error::HashMismatch {
                what,
                expected,
                actual,
            } => write!(
                f,
                "{what} does not match its hash: recorded {expected}, found {actual}"
            ),
            Error::BrokenChain(m) => write!(f, "the chain is broken: {m}"),
            Error::UnsupportedVersion(v) => write!(f, "unsupported format version {v}"),
            Error::Archive(m) => write!(f, "bad archive: {m}"),
            Error::Io(m) => write!(f, "read error: {m}"),
            Error::Crypto(m) => write!(f, "encryption error: {m}"),
            Error::WrongPassphrase => write!(f, "the passphrase is not correct"),
            Error::StorageDamaged(m) => write!(f, "{m}"),
            Error::Timestamp(m) => write!(f, "timestamp: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result alias for the core.
pub type Result<T> = std::result::Result<T, Error>;
