//! Whether a GPS fix is at a site, allowing for the fix's accuracy.

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres (haversine).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// Inside the fence when the fix, widened by its accuracy, reaches the fence: an
/// imprecise fix is given the benefit of its uncertainty.
pub fn within(fix: (f64, f64, f64), centre: (f64, f64), radius_m: f64) -> bool {
    let (latitude, longitude, accuracy_m) = fix;
    distance_m(latitude, longitude, centre.0, centre.1) <= radius_m + accuracy_m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_accuracy() {
        // One degree of latitude is about 111 km.
        let degree = distance_m(0.0, 0.0, 1.0, 0.0);
        assert!((degree - 111_195.0).abs() < 50.0, "{degree}");
        let site = (52.52, 13.405);
        let near = (52.5209, 13.405, 5.0); // ~100 m north
        assert!(within(near, site, 150.0));
        assert!(!within(near, site, 50.0));
        assert!(
            within((52.5209, 13.405, 60.0), site, 50.0),
            "accuracy widens the fix"
        );
    }
}
