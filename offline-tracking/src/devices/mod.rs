//! Devices: registered by an employee with an Ed25519 key, optionally approved by an
//! administrator, revocable; a device credential authenticates every sync.

pub mod credential;
pub mod health_route;
pub mod reinstate;
pub mod routes;
pub mod view;
