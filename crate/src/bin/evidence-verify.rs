//! `evidence-verify`: the caseworker's command-line check of an evidence archive.
//!
//! ```text
//! evidence-verify ARCHIVE.zip [--json] [--head HASH] [--fingerprint HEX]
//! ```
//!
//! Prints a per-item table and a verdict line (or the full report as JSON with `--json`).
//! Exit status: 0 only when the verdict is PASS, 1 when verification fails, 2 for usage
//! errors or a file that cannot be opened. The archive is streamed from disk in bounded
//! reads, so a multi-gigabyte archive is checked in flat memory.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use evidence_core::archive::display::escape_unsafe;
    use evidence_core::archive::verdict::Verdict;
    use evidence_core::archive::{verify_with_tsa_roots, Expected, FileSource};
    use evidence_core::tsp::pem;
    use std::io::{IsTerminal, Write};
    use std::path::PathBuf;
    use std::process::ExitCode;

    const USAGE: &str =
        "usage: evidence-verify ARCHIVE.zip [--json] [--head HASH] [--fingerprint HEX] [--tsa-ca FILE]

Checks an evidence archive exported by evidence-capture: every file against
manifest.json and SHA256SUMS, every record against the ledger, the chain of
records from its start to its head, and every artifact against its record.

  --json        print the full report as JSON instead of a table
  --head HASH   the head hash you received separately from the person who
                exported (64 hex digits); the archive must contain it
  --fingerprint HEX
                the archive fingerprint you received separately (64 hex
                digits, the SHA-256 of manifest.json); it must be this
                archive's. It also binds which items were withheld or removed.
  --tsa-ca FILE a PEM file of timestamp-authority root certificates you trust
                (may be given more than once); each trusted timestamp in
                timestamps/ must chain to one of them to prove anything
  -h, --help    show this help

Trusted timestamps (timestamps/) are checked against the roots given with
--tsa-ca; one from another root is reported UNTRUSTED and proves nothing. A
device signature (signature.json) is checked and its key fingerprint printed:
the same fingerprint on two archives means the same installation made both.

Without --head or --fingerprint, a PASS only means the archive is internally
consistent: it is NOT authenticated, because anyone can rebuild an archive
whose hashes agree with each other. Compare the head and fingerprint printed
with the ones the person who exported sent you.

Exit status: 0 = PASS, 1 = verification FAILED, 2 = usage error or unreadable file.";

    struct Args {
        path: PathBuf,
        json: bool,
        head: Option<String>,
        fingerprint: Option<String>,
        tsa_ca: Vec<PathBuf>,
    }

    fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
        let mut path = None;
        let mut json = false;
        let mut head = None;
        let mut fingerprint = None;
        let mut tsa_ca = Vec::new();
        let mut it = args.iter();
        let mut positional_only = false;
        while let Some(a) = it.next() {
            match a.as_str() {
                _ if positional_only => {
                    if path.replace(PathBuf::from(a)).is_some() {
                        return Err("only one archive can be checked at a time".into());
                    }
                }
                "--" => positional_only = true,
                "-h" | "--help" => return Ok(None),
                "--json" => json = true,
                "--head" => {
                    let v = it.next().ok_or("--head needs a value")?;
                    head = Some(v.clone());
                }
                s if s.starts_with("--head=") => head = Some(s["--head=".len()..].to_string()),
                "--fingerprint" => {
                    let v = it.next().ok_or("--fingerprint needs a value")?;
                    fingerprint = Some(v.clone());
                }
                s if s.starts_with("--fingerprint=") => {
                    fingerprint = Some(s["--fingerprint=".len()..].to_string())
                }
                "--tsa-ca" => {
                    let v = it.next().ok_or("--tsa-ca needs a file")?;
                    tsa_ca.push(PathBuf::from(v));
                }
                s if s.starts_with("--tsa-ca=") => {
                    tsa_ca.push(PathBuf::from(&s["--tsa-ca=".len()..]))
                }
                s if s.starts_with('-') && s.len() > 1 => {
                    return Err(format!("unknown option {s}"));
                }
                _ => {
                    if path.replace(PathBuf::from(a)).is_some() {
                        return Err("only one archive can be checked at a time".into());
                    }
                }
            }
        }
        let path = path.ok_or("no archive given")?;
        Ok(Some(Args {
            path,
            json,
            head,
            fingerprint,
            tsa_ca,
        }))
    }

    fn gb(n: u64) -> String {
        format!("{:.2} GB", n as f64 / 1e9)
    }

    /// Run the command; returns the process exit code.
    pub fn main() -> ExitCode {
        let argv: Vec<String> = std::env::args().skip(1).collect();
        let args = match parse_args(&argv) {
            Ok(Some(a)) => a,
            Ok(None) => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("evidence-verify: {e}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        let mut tsa_roots = Vec::new();
        for path in &args.tsa_ca {
            let certs = std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|t| pem::decode_certificates(&t).map_err(|e| e.to_string()));
            match certs {
                Ok(c) => tsa_roots.extend(c),
                Err(e) => {
                    let shown = escape_unsafe(&path.display().to_string());
                    eprintln!("evidence-verify: --tsa-ca {shown}: {}", escape_unsafe(&e));
                    return ExitCode::from(2);
                }
            }
        }
        let mut src = match FileSource::open(&args.path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("evidence-verify: {}", escape_unsafe(&e.to_string()));
                return ExitCode::from(2);
            }
        };
        // A progress line on an interactive terminal only, for multi-gigabyte archives.
        let show = std::io::stderr().is_terminal() && !args.json;
        let mut last_pct = u64::MAX;
        let mut progress = |done: u64, total: u64| {
            if !show || total < 200_000_000 {
                return;
            }
            let pct = done.saturating_mul(100) / total.max(1);
            if pct != last_pct {
                last_pct = pct;
                eprint!("\rchecking… {pct:>3}% ({} of {})", gb(done), gb(total));
                let _ = std::io::stderr().flush();
            }
        };
        let expected = Expected {
            head: args.head.as_deref(),
            fingerprint: args.fingerprint.as_deref(),
        };
        let report = verify_with_tsa_roots(&mut src, expected, &tsa_roots, &mut progress);
        if show && last_pct != u64::MAX {
            eprintln!();
        }
        if args.json {
            match serde_json::to_string_pretty(&report) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("evidence-verify: cannot print the report: {e}");
                    return ExitCode::from(1);
                }
            }
        } else {
            let path = args.path.display().to_string();
            println!("Evidence archive: {}", escape_unsafe(&path));
            print!("{}", report.render_text());
        }
        match report.verdict {
            Verdict::Pass => ExitCode::SUCCESS,
            Verdict::Fail => ExitCode::from(1),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::parse_args;

        fn args(v: &[&str]) -> Vec<String> {
            v.iter().map(|s| s.to_string()).collect()
        }

        #[test]
        fn argument_parsing() {
            let a = parse_args(&args(&["a.zip", "--json", "--head", "ab"]))
                .ok()
                .flatten();
            assert!(a
                .as_ref()
                .is_some_and(|a| a.json && a.head.as_deref() == Some("ab")));
            let a = parse_args(&args(&["--head=cd", "a.zip"])).ok().flatten();
            assert!(a.is_some_and(|a| !a.json && a.head.as_deref() == Some("cd")));
            let a = parse_args(&args(&["a.zip", "--fingerprint", "ef"]))
                .ok()
                .flatten();
            assert!(a.is_some_and(|a| a.fingerprint.as_deref() == Some("ef") && a.head.is_none()));
            let a = parse_args(&args(&["--fingerprint=01", "a.zip"]))
                .ok()
                .flatten();
            assert!(a.is_some_and(|a| a.fingerprint.as_deref() == Some("01")));
            assert!(matches!(parse_args(&args(&["--help"])), Ok(None)));
            for bad in [
                &[][..],
                &["a.zip", "b.zip"],
                &["--bogus", "a.zip"],
                &["a.zip", "--head"],
                &["a.zip", "--fingerprint"],
            ] {
                assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
            }
            let a = parse_args(&args(&["--", "-odd.zip"])).ok().flatten();
            assert!(a.is_some_and(|a| a.path.to_str() == Some("-odd.zip")));
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

/// The verifier is a native tool; on wasm32 this binary is an empty stub.
#[cfg(target_arch = "wasm32")]
fn main() {}
