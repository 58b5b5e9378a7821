//! When a failed attempt is tried again, and how long to wait first.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use super::auth::BoxFuture;

/// How calls are retried. Rate limiting (429) is retried for every method,
/// since the server did not act on the request; server errors (500, 502,
/// 503, 504) and timeouts only for idempotent methods; a connection that
/// could not be opened for every method, since the request never left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    /// 3 attempts in all, backoff from 500 ms up to 20 s with full jitter,
    /// waits of up to 60 s when the server asks, 2 minutes in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            deadline: Some(Duration::from_secs(120)),
        }
    }
}

impl RetryPolicy {
    /// Never retries: every call is one attempt.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included; at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles with each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` that is waited for; a longer one ends the
    /// call with the 429 error, which carries the value.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The most time a call may take, retries and waits included; `None`
    /// for no limit beyond the number of attempts.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn retry_after_cap(&self) -> Duration {
        self.max_retry_after
    }

    pub(crate) fn deadline_limit(&self) -> Option<Duration> {
        self.deadline
    }

    /// Exponential backoff with full jitter before retry number `retry`
    /// (1 for the first): a uniform draw from zero to the capped exponential.
    pub(crate) fn backoff(&self, retry: u32, random: &Jitter) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(random.below(nanos.saturating_add(1)))
    }
}

/// Whether a method may be repeated without changing the outcome (RFC 9110).
pub(crate) fn is_idempotent(method: &http::Method) -> bool {
    matches!(
        *method,
        http::Method::GET
            | http::Method::HEAD
            | http::Method::OPTIONS
            | http::Method::TRACE
            | http::Method::PUT
            | http::Method::DELETE
    )
}

/// A small pseudo-random source for jitter (xorshift64*); not for secrets.
#[derive(Debug)]
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    pub(crate) fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Self(AtomicU64::new(seed | 1))
    }

    /// A value in `0..bound` (0 when `bound` is 0).
    pub(crate) fn below(&self, bound: u64) -> u64 {
        let mut state = self.0.load(Ordering::Relaxed);
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        self.0.store(state, Ordering::Relaxed);
        let value = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        if bound == 0 {
            0
        } else {
            value % bound
        }
    }
}

/// The clock and the sleep of the client: replace them to test time
/// without waiting for it.
pub trait Timer: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The system clock and tokio's sleep.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_below_a_doubling_capped_ceiling() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        let jitter = Jitter::new();
        for (retry, ceiling) in [(1, 100), (2, 200), (3, 350), (10, 350), (40, 350)] {
            let draws: Vec<Duration> = (0..200).map(|_| policy.backoff(retry, &jitter)).collect();
            assert!(draws.iter().all(|d| *d <= Duration::from_millis(ceiling)));
            let spread = draws
                .iter()
                .max()
                .unwrap()
                .saturating_sub(*draws.iter().min().unwrap());
            assert!(
                spread > Duration::from_millis(ceiling / 2),
                "full jitter spreads"
            );
        }
    }

    #[test]
    fn none_means_one_attempt_and_attempts_are_at_least_one() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 3);
    }

    #[test]
    fn only_idempotent_methods_are_repeatable() {
        assert!(is_idempotent(&http::Method::GET));
        assert!(is_idempotent(&http::Method::DELETE));
        assert!(!is_idempotent(&http::Method::POST));
        assert!(!is_idempotent(&http::Method::PATCH));
    }
}
