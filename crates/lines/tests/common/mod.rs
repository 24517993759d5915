//! What the tests over the evaluation set's full-page texts share.

use std::path::PathBuf;

/// White space collapsed, as the snippets are matched.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `fullpage.jsonl` of the trafilatura evaluation set beside the
/// repository, or `None` (the caller skips) where it is not.
pub fn fullpage_records() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/trafilatura-eval/fullpage.jsonl");
    let data = std::fs::read_to_string(&path).ok();
    if data.is_none() {
        eprintln!("skipped: {} not found", path.display());
    }
    data
}
