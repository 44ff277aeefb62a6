//! The organisation's time zone: an IANA name (such as `Europe/Berlin`) that pages show
//! times in. Records themselves always carry UTC instants; the zone changes only how a
//! person reads them.

use schemars::{Schema, SchemaGenerator, json_schema};

/// The zone when none is configured.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// The zone `name` stands for, if it is an IANA name.
pub fn parse(name: &str) -> Option<chrono_tz::Tz> {
    name.parse().ok()
}

/// Every IANA name, as the schema's choices.
pub(crate) fn schema(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .collect();
    json_schema!({
        "type": "string",
        "enum": names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_parse_and_others_do_not() {
        assert_eq!(parse("Europe/Berlin"), Some(chrono_tz::Europe::Berlin));
        assert_eq!(parse(DEFAULT_TIME_ZONE), Some(chrono_tz::UTC));
        assert_eq!(parse("Mars/Olympus"), None);
        assert_eq!(parse(""), None);
    }
}
