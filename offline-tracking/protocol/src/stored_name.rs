//! The protocol's enums as the server stores them: by their wire name, read back strictly.
//! A stored name no variant has is an error naming what was found, never a guess.
//!
//! With the `sea-orm` feature, each enum is a sea-orm value type, so an entity column
//! holds the enum itself and a wrong value cannot be written.

use std::fmt;

/// A stored or sent name that is not one of the enum's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// What was being read, such as `conflict type`.
    pub what: &'static str,
    /// The name found.
    pub name: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.what, self.name)
    }
}

impl std::error::Error for UnknownName {}

/// Implements `FromStr` (strict, through the enum's `parse`) and `Display` (its
/// `as_str`) for enums that already name their variants once in `as_str`.
#[macro_export]
macro_rules! stored_by_name {
    ($($enum:ty => $what:literal),+ $(,)?) => {$(
        impl ::std::str::FromStr for $enum {
            type Err = $crate::UnknownName;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                <$enum>::parse(name).ok_or_else(|| $crate::UnknownName {
                    what: $what,
                    name: name.to_owned(),
                })
            }
        }

        impl ::std::fmt::Display for $enum {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}

stored_by_name!(
    crate::ConflictType => "conflict type",
    crate::Resolution => "resolution",
    crate::Decision => "decision",
    crate::DeviceStatus => "device status",
    crate::RecordKind => "record kind",
    crate::ConflictAction => "employee action",
);

#[cfg(test)]
mod tests {
    use crate::{ConflictType, DeviceStatus};

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        assert_eq!(
            "out_of_order".parse::<ConflictType>(),
            Ok(ConflictType::OutOfOrder)
        );
        assert_eq!(
            DeviceStatus::PendingApproval.to_string(),
            "pending_approval"
        );
        let error = "overlapp".parse::<ConflictType>().unwrap_err();
        assert_eq!(error.to_string(), "unknown conflict type \"overlapp\"");
    }
}
