//! The one place content touches the file system: walking a content root into
//! [`SourceFile`]s for [`super::load_library`]. Native only (the browser editor hands files in).

use std::path::Path;

use super::model::SourceFile;

/// Every file under `root`, recursively, with `/`-separated paths relative to `root`, sorted.
/// Hidden entries (names starting with `.`) are skipped, as the loader would ignore them.
pub fn read_content_dir(root: &Path) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    walk(root, "", &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn walk(dir: &Path, prefix: &str, files: &mut Vec<SourceFile>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if entry.file_type()?.is_dir() || path.is_dir() {
            walk(&path, &rel, files)?;
        } else {
            files.push(SourceFile {
                path: rel,
                bytes: std::fs::read(&path)?,
            });
        }
    }
    Ok(())
}
