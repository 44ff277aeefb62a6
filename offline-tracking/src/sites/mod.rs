//! Work sites: a static QR code per site, signed with the site's secret, and an optional
//! geofence.

pub mod assignments;
pub mod geofence;
pub mod qr;
pub mod routes;
