//! Finds the open font that `report.pdf` embeds (subset to the glyphs used): DejaVu Sans
//! from the Debian package `fonts-dejavu-core` (`./build.sh` installs it), or the `.ttf`
//! named by `EVIDENCE_PDF_FONT`. The font is compiled into the core, so the PDF is made
//! the same way in the browser and natively.

fn main() {
    println!("cargo:rerun-if-env-changed=EVIDENCE_PDF_FONT");
    let candidates = [
        std::env::var("EVIDENCE_PDF_FONT").ok(),
        Some("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf".to_string()),
        Some("/usr/share/fonts/TTF/DejaVuSans.ttf".to_string()),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| std::path::Path::new(p).is_file());
    match found {
        Some(path) => {
            println!("cargo:rerun-if-changed={path}");
            println!("cargo:rustc-env=EVIDENCE_PDF_FONT={path}");
        }
        None => panic!(
            "report.pdf embeds DejaVu Sans: install the package fonts-dejavu-core (./build.sh does), or set EVIDENCE_PDF_FONT to a TrueType font file"
        ),
    }
}
