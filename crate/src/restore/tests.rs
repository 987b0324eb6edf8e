use super::*;
use crate::archive::{build_ledger, LedgerItem};
use crate::hash::sha256_hex;

fn ledger(n: usize, salt: &str, withheld: &[usize]) -> LedgerFile {
    let items: Vec<LedgerItem> = (0..n)
        .map(|i| LedgerItem {
            record_sha256: sha256_hex(format!("{salt}{i}").as_bytes()),
            status: if withheld.contains(&i) {
                ItemStatus::Withheld
            } else {
                ItemStatus::Included
            },
        })
        .collect();
    build_ledger(&items).unwrap()
}

fn library(l: &LedgerFile, n: usize, withheld: &[usize]) -> Vec<LibraryRow> {
    l.entries[..n]
        .iter()
        .map(|e| LibraryRow {
            seq: e.seq,
            record_sha256: e.record_sha256.clone(),
            chain_sha256: e.chain_sha256.clone(),
            held: if withheld.contains(&(e.seq as usize)) {
                HeldAs::Withheld
            } else {
                HeldAs::Content
            },
        })
        .collect()
}

#[test]
fn empty_library_takes_everything_and_the_head() {
    let a = ledger(5, "a", &[2]);
    let p = plan(&a, &[]);
    assert_eq!(p.refusal, None);
    assert_eq!(p.items.len(), 5);
    assert!(p.items.iter().all(|i| i.action == Action::Add));
    assert_eq!(p.items[2].status, ItemStatus::Withheld);
    assert_eq!(p.head_after.as_deref(), Some(a.head.as_str()));
}

#[test]
fn the_same_archive_again_plans_nothing() {
    let a = ledger(5, "a", &[2]);
    let lib = library(&a, 5, &[2]);
    let p = plan(&a, &lib);
    assert_eq!(p.refusal, None);
    assert!(p.items.is_empty());
    assert_eq!(p.unchanged, 5);
    assert_eq!(p.head_after.as_deref(), Some(a.head.as_str()));
}

#[test]
fn a_complete_archive_fills_the_gaps_of_a_partial_restore() {
    let full = ledger(5, "a", &[]);
    let lib = library(&full, 5, &[2]);
    let p = plan(&full, &lib);
    assert_eq!(p.refusal, None);
    assert_eq!(p.items.len(), 1);
    assert_eq!((p.items[0].seq, p.items[0].action), (2, Action::Fill));
}

#[test]
fn an_archive_that_extends_the_library_adds_the_rest() {
    let a = ledger(6, "a", &[]);
    let lib = library(&a, 3, &[]);
    let p = plan(&a, &lib);
    assert_eq!(p.refusal, None);
    assert_eq!(
        p.items.iter().map(|i| i.seq).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert_eq!(p.head_after.as_deref(), Some(a.head.as_str()));
}

#[test]
fn an_older_export_of_the_same_library_changes_nothing() {
    let a = ledger(6, "a", &[]);
    let lib = library(&a, 6, &[]);
    let older = ledger(4, "a", &[]);
    let p = plan(&older, &lib);
    assert_eq!(p.refusal, None);
    assert!(p.items.is_empty());
    assert_eq!(p.head_after.as_deref(), Some(a.head.as_str()));
}

#[test]
fn another_history_is_refused() {
    let mine = ledger(3, "mine", &[]);
    let lib = library(&mine, 3, &[]);
    for other in [ledger(3, "other", &[]), ledger(5, "other", &[])] {
        let p = plan(&other, &lib);
        let why = p.refusal.expect("refused");
        assert!(why.contains("another history"), "{why}");
        assert!(why.contains("item 0"), "{why}");
        assert!(p.items.is_empty());
    }
    // The same first items, then a different one: a fork at item 2.
    let mut forked = ledger(4, "mine", &[]);
    forked.entries[2].record_sha256 = sha256_hex(b"x");
    forked.entries[2].chain_sha256 = crate::ledger::chain_next(
        &forked.entries[1].chain_sha256,
        &forked.entries[2].record_sha256,
    )
    .unwrap();
    let why = plan(&forked, &lib).refusal.expect("refused");
    assert!(why.contains("item 2"), "{why}");
}

#[test]
fn a_library_with_a_gap_is_refused() {
    let a = ledger(3, "a", &[]);
    let mut lib = library(&a, 3, &[]);
    lib.remove(1);
    assert!(plan(&a, &lib).refusal.unwrap().contains("gap"));
}
