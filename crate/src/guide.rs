//! The plain-text `VERIFY.txt` guide shipped in every archive: what the archive is and
//! the three ways to check it, with the head hash to compare.

/// The plain-text `VERIFY.txt` guide shipped in every archive.
pub fn verify_guide(head: &str, tool_version: &str) -> String {
    format!(
        "HOW TO CHECK THIS EVIDENCE ARCHIVE
==================================

This archive was exported by Evidence Capture {tool_version}. Every file in it was
hashed with SHA-256, and the items are linked in a hash chain whose last value
(the \"head\") is:

    {head}

If the person who exported this archive gave you the head hash separately (by
message, on paper, by phone), compare it with the line above. A match means no
item before that head was changed, reordered or removed.

The export also gave them an ARCHIVE FINGERPRINT to send you the same way: the
SHA-256 of this archive's manifest.json (it cannot be written in this file,
which the manifest lists). The manifest lists every file's hash and which
items are withheld or removed, so a matching fingerprint means no file was
changed and no item was taken out after export. Compute it with
    sha256sum manifest.json
or let the verifiers below check it.

Without a head hash or a fingerprint received separately, an archive can only
be found INTERNALLY CONSISTENT, not authenticated: anyone can rebuild an archive
whose hashes agree with each other. The verifiers say so, and show the head and
fingerprint they computed, for you to compare.

There are four ways to check the archive. Any one of them is enough for the
files; the first three also check the chain and the records.

1. The standalone verifier (no installation, no Rust)
   verify.html is one self-contained file, published with each release of
   Evidence Capture beside the extension (building the project writes it as
   dist-release/verify.html). It is never inside an archive, since a file
   cannot vouch for the archive it came in: get it from the project or from
   someone you trust. Open it straight from disk in Chromium, Chrome, Edge or
   Firefox, offline, choose the ZIP file, enter the head hash and fingerprint
   you received, and read the answer. It runs the same checks as the command
   line below; nothing is uploaded.

2. The command-line verifier
   Install it once from the project's source code (needs Rust):
       cargo install --path crate --bin evidence-verify
   then run:
       evidence-verify ARCHIVE.zip --head {head} \\
           --fingerprint FINGERPRINT
   (or, without installing, from the source folder:
       cargo run --release --bin evidence-verify -- ARCHIVE.zip ...)
   It checks the ZIP structure, every file against manifest.json and SHA256SUMS,
   every file against the record that lists it, every record against the ledger,
   and the chain up to the head. It prints one line per item (OK, MODIFIED,
   MISSING, UNEXPECTED FILE, WITHHELD, REMOVED) and a verdict, and exits with
   status 0 only when every check passes (without --head or --fingerprint it
   says NOT AUTHENTICATED). Add --json for machine output.

3. The verify page in the extension
   Open the extension's \"Verify an archive\" page (verify.html), choose or drop
   the ZIP file, enter the head hash and the fingerprint you received, and read
   the answer. The same checks run inside the browser; nothing is uploaded.

4. Standard tools only (files, not the chain)
   Unzip the archive into an empty folder, open a terminal in that folder and run:
       sha256sum -c SHA256SUMS
   Every line must end in \"OK\". This proves the files match the list; it does
   not check the chain or the records by itself.

WITHHELD AND REMOVED ITEMS
Some items may be listed as withheld (left out of this archive, for example
someone else's private messages) or removed (deleted in the extension; the
archive must then hold the removal record, or the item fails as MISSING).
Their hashes stay in ledger.json, so the chain still verifies and the gap is
visible. They are reported, never hidden. The archive alone cannot show who
withheld an item: only the fingerprint, received separately, shows that the
list of withheld items is the one made at export.

EXHIBIT REFERENCES
Each item is an exhibit labelled with the producer's initials and a number
(JM/1 is the first item of the chain, JM/2 the second...). The number comes from
the item's place in the chain, so it is the same in every export and never
renumbered; items left out of this archive leave gaps. The verifiers check that
the references in manifest.json follow from the ledger, and show them.

WHAT IS IN THE ARCHIVE
  report.html      readable timeline of every item (prints to A4)
  report.pdf       the same as an A4 PDF: cover, timeline, one part per exhibit
                   (report.html and metadata.json are the authoritative text)
  statement.html   a witness-statement draft listing the exhibits, to complete
                   with the police officer (not legal advice)
  exhibits/        each exhibit's screenshot or attached files under a readable
                   name (JM-1 ...), byte-identical to the file in items/ and
                   listed in SHA256SUMS, ready for an upload portal
  ledger.json      every record hash and chain hash, in order
  items/NNNNNN/    each included item: record.json (the exact hashed bytes)
                   and its files (screenshot.png, page.mhtml, metadata.json,
                   attachments)
  manifest.json    tool, creation time, head hash, and every file's hash and size
  SHA256SUMS       the same hashes in the format of sha256sum -c
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_names_the_head_and_the_three_ways() {
        let g = verify_guide(&"ab".repeat(32), "0.1.0");
        assert!(g.contains(&format!("--head {}", "ab".repeat(32))));
        assert!(g.contains("sha256sum -c SHA256SUMS"));
        assert!(g.contains("verify.html"));
        assert!(g.contains("--fingerprint FINGERPRINT"));
        assert!(g.contains("sha256sum manifest.json"));
        assert!(g.contains("NOT AUTHENTICATED"));
        assert!(g.contains("cargo install --path crate --bin evidence-verify"));
        assert!(g.contains("dist-release/verify.html"));
        assert!(g.is_ascii(), "plain text that any viewer shows");
    }
}
