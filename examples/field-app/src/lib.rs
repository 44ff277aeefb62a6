//! The device core of the OfflineTracking field app: what a mobile app embeds.
//!
//! It records attendance with no network into a durable local queue ([`recorder`]),
//! signs each record with the device's key, syncs through the suite's hub when the network
//! returns ([`sync`], [`agent`]), lets go of a record only after the server acknowledged
//! it (a receipt stays), and shows the employee what waits and what came back
//! ([`views`]). The protocol types are the server's own (`offline-tracking-protocol`).

pub mod actions;
pub mod agent;
pub mod clock;
pub mod error;
mod keys;
pub mod leave_view;
pub mod recorder;
pub mod registration;
pub mod store;
pub mod sync;
pub mod views;

pub use error::FieldError;
