//! The field app against a real suite with the real module, over HTTP: the `field-app`
//! binary plays the phone; a proxy plays the network.

mod admin_pages;
mod cli_output;
mod conflicts;
mod crashes;
mod leave;
mod lost_answers;
mod network_rules;
mod revoked;
mod storage;
mod support;
mod sync_status;
mod web_app;
mod week_offline;
