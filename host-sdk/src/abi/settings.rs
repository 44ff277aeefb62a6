use abi_stable::{StableAbi, std_types::RString};
use serde::de::DeserializeOwned;

/// An organisation's effective settings for one module, as the host stores them: already
/// validated against the module's JSON Schema, with the module's defaults filled in.
///
/// Every request and sync call carries them, so a module never keeps its own copy (and
/// several suite processes never disagree about them).
///
/// ```
/// use host_sdk::abi::ModuleSettings;
/// #[derive(serde::Deserialize)]
/// struct Hello { greeting: String }
/// let settings = ModuleSettings::new(r#"{"greeting":"Hi"}"#, 3);
/// assert_eq!(settings.parse::<Hello>().unwrap().greeting, "Hi");
/// ```
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct ModuleSettings {
    /// The settings object as JSON text.
    pub json: RString,
    /// Increases by one at every change; 0 means "defaults, never saved".
    pub version: i64,
}

impl ModuleSettings {
    /// Wraps JSON text and its version.
    pub fn new(json: impl Into<String>, version: i64) -> Self {
        Self {
            json: RString::from(json.into()),
            version,
        }
    }

    /// Deserialises the settings into the module's own type.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.json)
    }
}

/// One reason a settings document is refused: where (a JSON Pointer such as
/// `/max_offline_days`) and why.
///
/// ```
/// use host_sdk::abi::SettingsProblem;
/// let problem = SettingsProblem::new("/max_offline_days", "must be at most 30");
/// assert_eq!(problem.path.as_str(), "/max_offline_days");
/// ```
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct SettingsProblem {
    /// JSON Pointer to the offending value; empty for the document itself.
    pub path: RString,
    /// What is wrong, for the admin who typed it.
    pub message: RString,
}

impl SettingsProblem {
    /// Builds a problem report.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: RString::from(path.into()),
            message: RString::from(message.into()),
        }
    }
}

/// Tells a module that an organisation's settings changed (after the host stored them).
#[repr(C)]
#[derive(StableAbi, Clone, Debug, PartialEq, Eq)]
pub struct SettingsChange {
    /// The organisation whose settings changed.
    pub organisation_id: i64,
    /// The user who changed them.
    pub changed_by: i64,
    /// The new effective settings and their version.
    pub settings: ModuleSettings,
}
