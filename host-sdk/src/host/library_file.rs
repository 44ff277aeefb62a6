//! A module library is checked against its own ELF headers before the dynamic loader maps
//! it. A file cut short (a deploy that copied part of it) maps without complaint, and the
//! first touch of a page past its end kills the whole suite with SIGBUS: no error to catch,
//! no log line, and no other module served. Comparing the file's length with what its
//! headers say it holds catches that while it is still only a file.

use object::read::ReadCache;
use object::{Object, ObjectSection, ObjectSegment};
use std::fs::File;
use std::path::Path;

/// Checks that the library at `path` is an ELF file holding every byte its headers name.
/// The error is the reason, for the operator's line.
pub(crate) fn check_complete(path: &Path) -> Result<(), String> {
    let file = File::open(path).map_err(|error| format!("cannot be read: {error}"))?;
    let length = file
        .metadata()
        .map_err(|error| format!("cannot be read: {error}"))?
        .len();
    let cache = ReadCache::new(file);
    let library = object::File::parse(&cache)
        .map_err(|error| format!("not a complete shared library file: {error}"))?;
    let segments = library.segments().map(|segment| segment.file_range());
    let sections = library
        .sections()
        .filter_map(|section| section.file_range());
    for (offset, size) in segments.chain(sections) {
        let end = offset.checked_add(size);
        if end.is_none_or(|end| end > length) {
            return Err(format!(
                "the file is cut short: its headers describe data up to byte {}, the file has {length} bytes",
                end.map_or_else(|| "beyond 2^64".to_owned(), |end| end.to_string())
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn this_test_binary() -> std::path::PathBuf {
        std::env::current_exe().unwrap()
    }

    #[test]
    fn a_whole_elf_file_passes_and_a_truncated_copy_does_not() {
        let whole = this_test_binary();
        assert_eq!(check_complete(&whole), Ok(()));
        let bytes = std::fs::read(&whole).unwrap();
        let folder = tempfile::tempdir().unwrap();
        let cut = folder.path().join("cut.so");
        std::fs::write(&cut, &bytes[..bytes.len() / 5]).unwrap();
        // Section headers sit at the end of the file, so a cut usually loses them first;
        // a cut that keeps them (section headers stripped) is caught by comparing lengths.
        let reason = check_complete(&cut).unwrap_err();
        assert!(reason.contains("not a complete shared library"), "{reason}");
        let text = folder.path().join("text.so");
        std::fs::write(&text, b"this is not an ELF file").unwrap();
        assert!(
            check_complete(&text)
                .unwrap_err()
                .contains("not a complete shared library")
        );
    }
}
