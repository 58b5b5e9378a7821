//! The client's rate budget. SailPoint allows a client 100 requests per 10
//! seconds and answers 429 beyond that; each 429 costs a `Retry-After`
//! wait, and a program that walks pages concurrently runs into storms of
//! them. The client instead spaces its own requests: every request (first
//! attempts and retries alike) reserves a start time that keeps at most
//! `requests` starts in any window of `per`, and waits for it. Clones of a
//! client share one budget.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// How many requests a client may start in a window of time; see
/// [`ClientBuilder::rate_budget`](crate::ClientBuilder::rate_budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBudget {
    requests: u32,
    per: Duration,
}

impl RateBudget {
    /// SailPoint's documented limit: 100 requests per 10 seconds.
    pub const SAILPOINT: Self = Self {
        requests: 100,
        per: Duration::from_secs(10),
    };

    /// At most `requests` (at least 1) started in any window of `per`.
    pub fn new(requests: u32, per: Duration) -> Self {
        Self {
            requests: requests.max(1),
            per,
        }
    }

    /// How many requests a window allows.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The length of the window.
    pub fn per(&self) -> Duration {
        self.per
    }
}

impl Default for RateBudget {
    /// [`RateBudget::SAILPOINT`].
    fn default() -> Self {
        Self::SAILPOINT
    }
}

/// The start times reserved under a budget.
#[derive(Debug)]
pub(super) struct RateLimiter {
    budget: RateBudget,
    /// The latest `requests` start times, oldest first.
    starts: Mutex<VecDeque<SystemTime>>,
}

impl RateLimiter {
    pub(super) fn new(budget: RateBudget) -> Self {
        Self {
            budget,
            starts: Mutex::new(VecDeque::with_capacity(budget.requests as usize)),
        }
    }

    /// Reserves the earliest start, at or after `now`, that leaves at most
    /// `requests` starts in any window of `per`; how long to wait for it.
    /// Reservations are first come, first served.
    pub(super) fn reserve(&self, now: SystemTime) -> Duration {
        let allowed = self.budget.requests as usize;
        let mut starts = match self.starts.lock() {
            Ok(starts) => starts,
            // A panic elsewhere while holding the lock leaves valid times.
            Err(poisoned) => poisoned.into_inner(),
        };
        let start = match starts.len().checked_sub(allowed) {
            // The start `requests` before this one opens the window this
            // one must be outside of.
            Some(index) => (starts[index] + self.budget.per).max(now),
            None => now,
        };
        starts.push_back(start);
        while starts.len() > allowed {
            starts.pop_front();
        }
        start.duration_since(now).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_millis(millis)
    }

    #[test]
    fn a_full_window_waits_for_its_oldest_start_to_leave() {
        let limiter = RateLimiter::new(RateBudget::new(3, Duration::from_millis(1000)));
        let waits: Vec<u64> = (0..7)
            .map(|_| limiter.reserve(at(0)).as_millis() as u64)
            .collect();
        assert_eq!(waits, [0, 0, 0, 1000, 1000, 1000, 2000]);
        // Later, the window has moved on.
        assert_eq!(limiter.reserve(at(5000)), Duration::ZERO);
    }

    #[test]
    fn no_window_ever_holds_more_than_the_budget() {
        let budget = RateBudget::new(10, Duration::from_millis(100));
        let limiter = RateLimiter::new(budget);
        let mut starts = Vec::new();
        // Requests arriving unevenly, many at once.
        for arrival in (0..300u64).map(|n| (n * n) % 700) {
            let now = at(arrival);
            starts.push(now + limiter.reserve(now));
        }
        starts.sort();
        for (index, start) in starts.iter().enumerate() {
            let in_window = starts[index..]
                .iter()
                .take_while(|later| later.duration_since(*start).unwrap() < budget.per())
                .count();
            assert!(
                in_window <= 10,
                "{in_window} starts within 100 ms of {start:?}"
            );
        }
    }

    #[test]
    fn the_budget_allows_at_least_one_request() {
        assert_eq!(RateBudget::new(0, Duration::from_secs(1)).requests(), 1);
        assert_eq!(RateBudget::default(), RateBudget::SAILPOINT);
    }
}
