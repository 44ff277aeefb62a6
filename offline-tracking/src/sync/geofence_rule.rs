//! Is an attendance record where the organisation says it may be?
//!
//! A fix passes a fence when its distance to the site is at most the site's radius plus
//! the fix's reported accuracy, and only if that accuracy is no worse than the
//! organisation's `max_gps_accuracy_m`. Example: a site with a 150 m fence, a fix 400 m
//! from its centre. Reporting 10 m, the fix reaches 160 m: outside. Reporting 300 m, it
//! reaches 450 m: inside, if the organisation accepts 300 m fixes; with the default bound
//! of 200 m it fails as `gps_too_imprecise`. A fix claiming 20 km never passes.

use crate::entities::site;
use crate::sites::geofence;
use offline_tracking_protocol::OfflineRecord;
use offline_tracking_settings::{GeofenceCheck, OfflineTrackingSettings};
use std::collections::{BTreeMap, BTreeSet};

/// The fix is outside every fence it was checked against.
pub const OUTSIDE: &str = "outside_geofence";
/// The fix is too imprecise to be placed inside a fence.
pub const TOO_IMPRECISE: &str = "gps_too_imprecise";

/// Why a record failed the geofence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// [`OUTSIDE`] or [`TOO_IMPRECISE`].
    pub code: &'static str,
    /// For the employee and the administrator.
    pub message: String,
}

/// What the check needs besides the record.
pub struct Fences<'a> {
    pub settings: &'a OfflineTrackingSettings,
    /// The organisation's sites by id.
    pub sites: &'a BTreeMap<String, site::Model>,
    /// The sites assigned to the employee; empty: every site.
    pub assigned: &'a BTreeSet<String>,
}

/// A fence: its centre (latitude, longitude) and radius in metres.
type Fence = ((f64, f64), f64);

fn fence(site: &site::Model) -> Option<Fence> {
    Some(((site.latitude?, site.longitude?), site.radius_m?))
}

/// Checks an attendance record's fix against the scanned site's fence or, when the
/// organisation checks every GPS record, the fences of the sites the employee may work
/// at. None: it passes, or no fence applies (no fix, no fenced site).
pub fn check(
    record: &OfflineRecord,
    scanned: Option<&site::Model>,
    fences: &Fences<'_>,
) -> Option<Miss> {
    let gps = record.gps.as_ref()?;
    let candidates: Vec<&site::Model> = match scanned {
        Some(site) => vec![site],
        None if fences.settings.geofence_check == GeofenceCheck::EveryGpsRecord => fences
            .sites
            .values()
            .filter(|site| fences.assigned.is_empty() || fences.assigned.contains(&site.id))
            .collect(),
        None => return None,
    };
    let fenced: Vec<(&site::Model, Fence)> = candidates
        .into_iter()
        .filter_map(|site| Some((site, fence(site)?)))
        .collect();
    if fenced.is_empty() {
        return None;
    }
    let worst = f64::from(fences.settings.max_gps_accuracy_m);
    if gps.accuracy_m > worst {
        return Some(Miss {
            code: TOO_IMPRECISE,
            message: format!(
                "the GPS fix is accurate to {:.0} m; this organisation places a fix inside a site only at {worst:.0} m or better",
                gps.accuracy_m
            ),
        });
    }
    let inside = fenced.iter().any(|(_, (centre, radius))| {
        geofence::within(
            (gps.latitude, gps.longitude, gps.accuracy_m),
            *centre,
            *radius,
        )
    });
    if inside {
        return None;
    }
    let only = match (scanned, fenced.as_slice()) {
        (Some(site), _) => Some(site),
        (None, [(site, _)]) => Some(*site),
        _ => None,
    };
    let message = match only {
        Some(site) => format!("the GPS position is outside the geofence of {}", site.name),
        None => "the GPS position is outside the geofence of every site you may work at".to_owned(),
    };
    Some(Miss {
        code: OUTSIDE,
        message,
    })
}
