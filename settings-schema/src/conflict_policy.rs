use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a conflict between an offline record and the server's data is settled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
#[serde(rename_all = "snake_case")]
pub enum ConflictPolicy {
    /// The server's data stands; the offline record is kept, marked as the loser.
    #[default]
    ServerWins,
    /// The offline record replaces the server's data, which is kept as the loser.
    ClientWins,
    /// Whichever happened later by trusted time wins.
    LatestWins,
    /// Nothing is decided: an admin resolves each conflict.
    Manual,
}

impl ConflictPolicy {
    /// Every policy.
    pub const ALL: [ConflictPolicy; 4] = [
        ConflictPolicy::ServerWins,
        ConflictPolicy::ClientWins,
        ConflictPolicy::LatestWins,
        ConflictPolicy::Manual,
    ];

    /// The policy with this wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|policy| policy.as_str() == name)
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictPolicy::ServerWins => "server_wins",
            ConflictPolicy::ClientWins => "client_wins",
            ConflictPolicy::LatestWins => "latest_wins",
            ConflictPolicy::Manual => "manual",
        }
    }
}

offline_tracking_protocol::stored_by_name!(ConflictPolicy => "conflict policy");
