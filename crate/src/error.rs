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
}

impl Error {
    /// Stable machine-readable code, e.g. `"INVALID_INPUT"`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "INVALID_INPUT",
            Error::HashMismatch { .. } => "HASH_MISMATCH",
            Error::BrokenChain(_) => "BROKEN_CHAIN",
            Error::UnsupportedVersion(_) => "UNSUPPORTED_VERSION",
        }
    }

    /// Stable variant name, used as the JS `Error.name`.
    pub fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "InvalidInput",
            Error::HashMismatch { .. } => "HashMismatch",
            Error::BrokenChain(_) => "BrokenChain",
            Error::UnsupportedVersion(_) => "UnsupportedVersion",
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
        }
    }
}

impl std::error::Error for Error {}

/// Result alias for the core.
pub type Result<T> = std::result::Result<T, Error>;
