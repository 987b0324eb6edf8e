//! The ledger: the ordered chain of record hashes.
//!
//! `chain[i] = SHA-256(chain[i-1] || record_sha256[i])` over the raw 32-byte digests,
//! with `chain[-1]` = 32 zero bytes (the genesis value). The head hash stands for the
//! whole history. The chain runs over record hashes, not record bytes, so an export can
//! withhold an item and still prove its place.
//!
//! Check one link by hand: `printf '%s%s' PREV_CHAIN RECORD_SHA | xxd -r -p | sha256sum`.

use crate::error::{Error, Result};
use crate::hash::{parse_digest, sha256, to_hex};
use crate::record::{self, genesis_hex, RecordDraft, SealedRecord};
use serde::{Deserialize, Serialize};

/// The chain value before the first record: 64 hex zeros.
pub fn genesis_chain_hex() -> String {
    to_hex(&[0u8; 32])
}

/// One ledger line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Record sequence number, from 0 without gaps.
    pub seq: u64,
    /// SHA-256 of the record's bytes.
    pub record_sha256: String,
    /// Chain value after this record.
    pub chain_sha256: String,
}

/// The next chain value after `prev_chain_hex` for a record hashing to `record_sha256_hex`.
pub fn chain_next(prev_chain_hex: &str, record_sha256_hex: &str) -> Result<String> {
    let prev = parse_digest(prev_chain_hex)?;
    let rec = parse_digest(record_sha256_hex)?;
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(&prev);
    buf[32..].copy_from_slice(&rec);
    Ok(to_hex(&sha256(&buf)))
}

/// Build ledger entries for record hashes given in order.
pub fn build(record_hashes: &[String]) -> Result<Vec<LedgerEntry>> {
    let mut prev = genesis_chain_hex();
    let mut out = Vec::with_capacity(record_hashes.len());
    for (seq, rec) in record_hashes.iter().enumerate() {
        let chain = chain_next(&prev, rec)?;
        out.push(LedgerEntry {
            seq: seq as u64,
            record_sha256: rec.clone(),
            chain_sha256: chain.clone(),
        });
        prev = chain;
    }
    Ok(out)
}

/// Check that entries start at 0, have no gaps, and that every chain value links.
/// Returns the head hash (genesis for an empty ledger).
pub fn verify(entries: &[LedgerEntry]) -> Result<String> {
    let mut prev = genesis_chain_hex();
    for (i, e) in entries.iter().enumerate() {
        if e.seq != i as u64 {
            return Err(Error::BrokenChain(format!(
                "entry {i} has sequence number {} (expected {i})",
                e.seq
            )));
        }
        let want = chain_next(&prev, &e.record_sha256)?;
        if want != e.chain_sha256 {
            return Err(Error::BrokenChain(format!(
                "link {i} does not follow from the previous one: recorded {}, computed {want}",
                e.chain_sha256
            )));
        }
        prev = want;
    }
    Ok(prev)
}

/// The stored head a new item is sealed after: the last committed item, or, for an empty
/// library, `seq` -1 with the genesis values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainHead {
    /// Sequence number of the last item (-1 when there is none).
    pub seq: i64,
    /// Its record hash (genesis when there is none).
    pub record_sha256: String,
    /// Its chain value (genesis when there is none).
    pub chain_sha256: String,
}

/// A record sealed at its place in the ledger, with its chain value.
#[derive(Debug, Clone, PartialEq)]
pub struct SealedItem {
    /// The sealed record, its bytes and its hash.
    pub sealed: SealedRecord,
    /// The chain value after it (the new head's).
    pub chain_sha256: String,
}

/// Seal `draft` as the item right after `head`, and chain it: its number is
/// `head.seq + 1`, it links to `head`'s record hash, and its chain value follows from
/// `head`'s. An empty library's head must carry the genesis values.
pub fn seal_next(draft: &RecordDraft, head: &ChainHead) -> Result<SealedItem> {
    if head.seq < -1 {
        return Err(Error::InvalidInput(format!(
            "head sequence number {} is not -1 or more",
            head.seq
        )));
    }
    if head.seq == -1
        && (head.record_sha256 != genesis_hex() || head.chain_sha256 != genesis_chain_hex())
    {
        return Err(Error::BrokenChain(
            "the first item must follow the genesis values".into(),
        ));
    }
    let seq = (head.seq + 1) as u64;
    let sealed = record::seal(draft, seq, &head.record_sha256)?;
    if sealed.record.seq != seq {
        return Err(Error::BrokenChain(
            "the record was sealed at the wrong place in the chain".into(),
        ));
    }
    let chain_sha256 = chain_next(&head.chain_sha256, &sealed.sha256)?;
    Ok(SealedItem {
        sealed,
        chain_sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::sha256_hex;

    fn hashes(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| sha256_hex(format!("record {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn genesis_link_matches_a_hand_computation() {
        // sha256 of 32 zero bytes followed by sha256("abc").
        let mut buf = vec![0u8; 32];
        buf.extend_from_slice(&sha256(b"abc"));
        assert_eq!(
            chain_next(&genesis_chain_hex(), &sha256_hex(b"abc")).expect("links"),
            sha256_hex(&buf)
        );
    }

    #[test]
    fn built_ledgers_verify_and_head_is_last_link() {
        for n in [0usize, 1, 2, 50] {
            let entries = build(&hashes(n)).expect("builds");
            let head = verify(&entries).expect("verifies");
            match entries.last() {
                Some(last) => assert_eq!(head, last.chain_sha256),
                None => assert_eq!(head, genesis_chain_hex()),
            }
        }
    }

    #[test]
    fn tampering_is_detected() {
        let good = build(&hashes(5)).expect("builds");
        let mut swapped = good.clone();
        swapped.swap(1, 2);
        let mut reseq = good.clone();
        reseq[3].seq = 7;
        let mut edited = good.clone();
        edited[2].record_sha256 = sha256_hex(b"forged");
        let mut dropped = good.clone();
        dropped.remove(1);
        let mut renumbered = dropped.clone();
        for (i, e) in renumbered.iter_mut().enumerate() {
            e.seq = i as u64;
        }
        let mut bad_hex = good.clone();
        bad_hex[0].chain_sha256 = "zz".into();
        for (label, l) in [
            ("swapped", swapped),
            ("reseq", reseq),
            ("edited", edited),
            ("dropped", dropped),
            ("renumbered", renumbered),
            ("bad hex", bad_hex),
        ] {
            assert!(verify(&l).is_err(), "{label} verified");
        }
    }

    #[test]
    fn seal_next_numbers_links_and_chains_after_the_head() {
        let draft: RecordDraft = serde_json::from_value(serde_json::json!({
            "id": "item-1", "kind": "capture", "captured_at_ms": 1_764_089_746_123i64,
            "local_offset_minutes": 0, "artifacts": [], "metadata": {"url": "https://x.com/a"}
        }))
        .expect("draft");
        let empty = ChainHead {
            seq: -1,
            record_sha256: genesis_hex(),
            chain_sha256: genesis_chain_hex(),
        };
        let first = seal_next(&draft, &empty).expect("seals");
        assert_eq!(first.sealed.record.seq, 0);
        assert_eq!(
            first.chain_sha256,
            chain_next(&genesis_chain_hex(), &first.sealed.sha256).expect("links")
        );
        let head = ChainHead {
            seq: 0,
            record_sha256: first.sealed.sha256.clone(),
            chain_sha256: first.chain_sha256.clone(),
        };
        let second = seal_next(&draft, &head).expect("seals");
        assert_eq!(second.sealed.record.seq, 1);
        assert_eq!(second.sealed.record.prev_record_sha256, first.sealed.sha256);
        let forged = ChainHead {
            chain_sha256: sha256_hex(b"x"),
            ..empty.clone()
        };
        assert!(seal_next(&draft, &forged).is_err());
        assert!(seal_next(&draft, &ChainHead { seq: -2, ..empty }).is_err());
    }
}
