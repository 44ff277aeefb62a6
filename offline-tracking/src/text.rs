//! Text from a device or a browser, checked the same way everywhere before anything stores
//! it. PostgreSQL cannot store NUL at all, and no field here has a use for control
//! characters: accepting them would give a different answer per database and let anyone
//! plant invisible text in an admin's view. Free text keeps its line breaks and tabs.

/// Whether a one-line value (a name, an id, a version) holds a control character.
pub fn line_has_control(value: &str) -> bool {
    value.chars().any(char::is_control)
}

/// Whether free text (a note, a reason) holds a control character other than a line
/// break or a tab.
pub fn note_has_control(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_escapes_are_caught_line_breaks_only_in_notes() {
        assert!(line_has_control("a\u{0}b"));
        assert!(line_has_control("bell\u{7}"));
        assert!(line_has_control("two\nlines"));
        assert!(!line_has_control("Zoë's depot ☕"));
        assert!(note_has_control("a\u{0}b"));
        assert!(note_has_control("\u{1b}[31mred"));
        assert!(!note_has_control("first line\r\nsecond\tline"));
    }
}
