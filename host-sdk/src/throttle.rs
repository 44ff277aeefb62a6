//! Throttling of failed attempts, by a key such as the client's address or a device id.
//!
//! Guessing a bearer token or a device credential costs the guesser nothing but requests,
//! and every refusal costs the server a database lookup, a log line and, for devices, an
//! audit entry. A key that fails more often than its allowance is refused with `429` and
//! `Retry-After` for a while, whatever it sends, and the refusals made while it waits are
//! counted, not written one by one, so the caller can record them as one entry.
//!
//! The allowance is kept in the process's memory (the `governor` crate's keyed limiter):
//! several suite processes each grant it, which weakens the throttle by their number and
//! changes no answer that matters for correctness.
//!
//! ```
//! use host_sdk::throttle::FailureThrottle;
//! let throttle = FailureThrottle::new(3, 6);
//! for _ in 0..3 {
//!     assert!(throttle.check("203.0.113.9").is_none());
//!     assert!(throttle.failed("203.0.113.9").is_none());
//! }
//! // The fourth failure in a row is one too many: the key waits.
//! assert!(throttle.failed("203.0.113.9").is_some());
//! assert!(throttle.check("203.0.113.9").is_some());
//! assert!(throttle.check("198.51.100.7").is_none(), "others are not affected");
//! ```

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Keys tracked before expired ones are swept away.
const SWEEP_AT: usize = 10_000;

/// Attempts refused while a key waited, for one coalesced audit entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suppressed {
    /// How many.
    pub count: u64,
    /// The first, in milliseconds since the epoch.
    pub first_ms: i64,
    /// The last, in milliseconds since the epoch.
    pub last_ms: i64,
}

struct Waiting {
    until: Instant,
    suppressed: Option<Suppressed>,
}

/// Failed attempts per key: a burst, then a steady allowance per minute.
pub struct FailureThrottle {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    waiting: Mutex<HashMap<String, Waiting>>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

impl FailureThrottle {
    /// Allows `burst` failures at once, then `per_minute` a minute (both at least 1).
    pub fn new(burst: u32, per_minute: u32) -> Self {
        let at_least_one = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(at_least_one(per_minute)).allow_burst(at_least_one(burst));
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            waiting: Mutex::new(HashMap::new()),
        }
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<String, Waiting>> {
        // A panic while holding the lock leaves a map that is still consistent.
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Before an attempt: how long `key` must still wait, if it must. An attempt refused
    /// this way is counted for [`FailureThrottle::take_suppressed`].
    pub fn check(&self, key: &str) -> Option<Duration> {
        let mut waiting = self.waiting();
        let now = Instant::now();
        let entry = waiting.get_mut(key)?;
        if entry.until <= now {
            if entry.suppressed.is_none() {
                waiting.remove(key);
            }
            return None;
        }
        let at = now_ms();
        let suppressed = entry.suppressed.get_or_insert(Suppressed {
            count: 0,
            first_ms: at,
            last_ms: at,
        });
        suppressed.count += 1;
        suppressed.last_ms = at;
        Some(entry.until - now)
    }

    /// After a failed attempt: records it, and answers how long `key` must now wait when
    /// this failure was beyond its allowance.
    pub fn failed(&self, key: &str) -> Option<Duration> {
        let refused = self.limiter.check_key(&key.to_owned()).err()?;
        let wait = refused.wait_time_from(self.clock.now());
        let mut waiting = self.waiting();
        if waiting.len() >= SWEEP_AT {
            let now = Instant::now();
            waiting.retain(|_, w| w.until > now || w.suppressed.is_some());
            self.limiter.retain_recent();
        }
        let until = Instant::now() + wait;
        waiting
            .entry(key.to_owned())
            .and_modify(|w| w.until = w.until.max(until))
            .or_insert(Waiting {
                until,
                suppressed: None,
            });
        Some(wait)
    }

    /// The attempts refused while `key` waited, once, for a coalesced audit entry.
    pub fn take_suppressed(&self, key: &str) -> Option<Suppressed> {
        let mut waiting = self.waiting();
        let entry = waiting.get_mut(key)?;
        let taken = entry.suppressed.take();
        if entry.until <= Instant::now() {
            waiting.remove(key);
        }
        taken
    }
}

/// Whole seconds to put in `Retry-After` (at least 1).
pub fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0))
        .max(1)
}
