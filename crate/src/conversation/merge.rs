//! The ordered merge of per-step message lists.
//!
//! A long capture reads the messages on screen at each step of a sweep. Virtualised lists
//! drop rows that scroll away, so each step sees only a window of the conversation, and
//! consecutive windows overlap by an unknown amount (none, some, or all). The merge puts
//! every message once in conversation order:
//!
//! - a step with no message seen before is appended (the sweep moved past the last one);
//! - a new message after a known one goes right after it (after any new ones already put
//!   there by the same step); new messages before the step's first known one go right
//!   before it.
//!
//! So, for windows that each overlap or touch what came before, any amount of overlap
//! gives the same list (see the property tests). Two more facts are evidence in
//! themselves: a message whose text differs between steps keeps every version
//! ("changed during capture"), and one that earlier steps showed but a later step does
//! not, although that step shows messages both before and after it, is marked
//! "disappeared during capture".

use std::collections::HashMap;

/// One message as one step saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen<T> {
    /// Its stable key (unique within the step).
    pub key: String,
    /// Its text as shown in this step (compared across steps).
    pub text: String,
    /// Whatever the caller keeps with it (the first sighting's is kept).
    pub item: T,
}

/// One message of the merged conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<T> {
    /// Its stable key.
    pub key: String,
    /// The first sighting's item.
    pub item: T,
    /// The text as first seen.
    pub text: String,
    /// Later, different versions of the text, in the order seen.
    pub edits: Vec<String>,
    /// The step where it was found missing between messages that step showed.
    pub disappeared_at: Option<usize>,
    /// Every step that showed it, in order.
    pub steps: Vec<usize>,
}

impl<T> Merged<T> {
    /// True when its text changed between steps.
    pub fn changed(&self) -> bool {
        !self.edits.is_empty()
    }
}

/// Merge `steps` (each in on-screen order) into one list in conversation order.
pub fn merge<T: Clone>(steps: &[Vec<Seen<T>>]) -> Vec<Merged<T>> {
    let mut entries: Vec<Merged<T>> = Vec::new();
    let mut order: Vec<usize> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (step_no, step) in steps.iter().enumerate() {
        let pos: HashMap<usize, usize> = order.iter().enumerate().map(|(p, &e)| (e, p)).collect();
        // Where each new message goes: before old position `p` (0..=len), in step order.
        let mut inserts: Vec<(usize, usize)> = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        let mut last_known: Option<usize> = None;
        let mut shown: Vec<usize> = Vec::new();
        let mut in_step: HashMap<&str, ()> = HashMap::new();
        for seen in step {
            if in_step.insert(seen.key.as_str(), ()).is_some() {
                continue; // a key twice in one step: the same message
            }
            match by_key.get(&seen.key) {
                Some(&e) => {
                    let p = pos.get(&e).copied().unwrap_or(order.len());
                    // New ones waiting for their first known neighbour go right before it.
                    if last_known.is_none() {
                        inserts.extend(pending.drain(..).map(|n| (p, n)));
                    }
                    last_known = Some(p);
                    shown.push(p);
                    let m = &mut entries[e];
                    let latest = m.edits.last().unwrap_or(&m.text);
                    if *latest != seen.text {
                        m.edits.push(seen.text.clone());
                    }
                    if m.steps.last() != Some(&step_no) {
                        m.steps.push(step_no);
                    }
                }
                None => {
                    let e = entries.len();
                    entries.push(Merged {
                        key: seen.key.clone(),
                        item: seen.item.clone(),
                        text: seen.text.clone(),
                        edits: Vec::new(),
                        disappeared_at: None,
                        steps: vec![step_no],
                    });
                    by_key.insert(seen.key.clone(), e);
                    match last_known {
                        Some(p) => inserts.push((p + 1, e)),
                        None => pending.push(e),
                    }
                }
            }
        }
        // No known neighbour at all: the step lies past everything so far.
        inserts.extend(pending.drain(..).map(|n| (order.len(), n)));
        // Disappeared: between the first and last known message this step showed.
        if let (Some(&lo), Some(&hi)) = (shown.iter().min(), shown.iter().max()) {
            let shown_set: std::collections::HashSet<usize> = shown.iter().copied().collect();
            for p in lo + 1..hi {
                let m = &mut entries[order[p]];
                if !shown_set.contains(&p) && m.disappeared_at.is_none() {
                    m.disappeared_at = Some(step_no);
                }
            }
        }
        if inserts.is_empty() {
            continue;
        }
        inserts.sort_by_key(|&(p, _)| p); // stable: step order within one position
        let mut next = Vec::with_capacity(order.len() + inserts.len());
        let mut it = inserts.into_iter().peekable();
        for (p, &e) in order.iter().enumerate() {
            while let Some(&(ip, n)) = it.peek() {
                if ip > p {
                    break;
                }
                next.push(n);
                it.next();
            }
            next.push(e);
        }
        next.extend(it.map(|(_, n)| n));
        order = next;
    }
    let mut out: Vec<Option<Merged<T>>> = entries.into_iter().map(Some).collect();
    order.iter().filter_map(|&e| out[e].take()).collect()
}
