//! Classifying a source's accounts as machine accounts: start, read, cancel
//! and wait, under names that are the same whichever SailPoint spec the
//! crate was generated from (`/sources/{sourceId}/classify` of v2025,
//! `/sources/v1/{sourceId}/classify` of the per-resource API).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use sailpoint_v2025::extensions::classify_source::WaitOptions;
//!
//! let client = sailpoint_v2025::ClientBuilder::from_env()?.build()?;
//! let classify = client.classify_source();
//! classify.start_classification("ef38f94347e94562b5bb8424a56397d8").await?;
//! let last = classify
//!     .wait_for_classification("ef38f94347e94562b5bb8424a56397d8", WaitOptions::default(), |_| {})
//!     .await?;
//! println!("{:?}", sailpoint_v2025::extensions::classify_source::state(&last));
//! # Ok(())
//! # }
//! ```

mod bindings;

use std::fmt;
use std::time::Duration;

pub use self::bindings::{
    CancelClassificationError, CancelClassificationRequest, ClassificationCounts,
    ClassificationState, ClassificationStatus, ClassificationStatusError,
    ClassificationStatusRequest, StartClassificationError, StartClassificationRequest,
};
use self::bindings::{Tag, CANCELLED, COMPLETED, TERMINATED};

/// How `wait_for_classification` polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Time between two status reads.
    pub interval: Duration,
    /// The most time to wait in all.
    pub timeout: Duration,
}

impl Default for WaitOptions {
    /// A read every 5 seconds, for up to 30 minutes.
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

/// Why waiting ended without a final status.
#[derive(Debug)]
pub enum WaitError {
    /// The timeout passed first; the last status read is kept.
    Timeout {
        /// How long was waited.
        waited: Duration,
        /// The last status read, if any.
        last: Option<Box<ClassificationStatus>>,
    },
    /// Reading the status failed (after the client's retries).
    Status(crate::Error<ClassificationStatusError>),
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout { waited, last } => {
                write!(f, "the classification did not finish within {waited:?}")?;
                if let Some(state) = last.as_deref().and_then(state) {
                    write!(f, "; it was last {state}")?;
                }
                Ok(())
            }
            Self::Status(error) => write!(f, "reading the classification status failed: {error}"),
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Status(error) => Some(error),
            Self::Timeout { .. } => None,
        }
    }
}

/// The state of a classification (`STARTED`, `COLLECTED`, `COMPLETED`, …),
/// if the status says it.
pub fn state(status: &ClassificationStatus) -> Option<&ClassificationState> {
    bindings::state_of(status)
}

/// Whether a classification status is final: `COMPLETED`, `CANCELLED` or
/// `TERMINATED`.
pub fn is_final(status: &ClassificationStatus) -> bool {
    matches!(state(status), Some(&COMPLETED | &CANCELLED | &TERMINATED))
}

/// How many of a source's accounts a classification expects, has received
/// and has classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Accounts of the source.
    pub expected: i64,
    /// Accounts sent for processing.
    pub received: i64,
    /// Accounts classified.
    pub completed: i64,
}

/// The counts of a classification status, if it has them.
pub fn progress(status: &ClassificationStatus) -> Option<Progress> {
    let counts = bindings::counts_of(status)?;
    Some(Progress {
        expected: bindings::expected_of(counts).copied().unwrap_or_default(),
        received: bindings::received_of(counts).copied().unwrap_or_default(),
        completed: bindings::completed_of(counts).copied().unwrap_or_default(),
    })
}

impl Tag<'_> {
    /// Starts classifying the accounts of `source_id`; the answer says how
    /// many were submitted.
    pub fn start_classification(&self, source_id: impl Into<String>) -> StartClassificationRequest {
        bindings::start_classification(self, source_id)
    }

    /// Reads the classification status of `source_id`.
    pub fn classification_status(
        &self,
        source_id: impl Into<String>,
    ) -> ClassificationStatusRequest {
        bindings::classification_status(self, source_id)
    }

    /// Cancels the classification of `source_id`.
    pub fn cancel_classification(
        &self,
        source_id: impl Into<String>,
    ) -> CancelClassificationRequest {
        bindings::cancel_classification(self, source_id)
    }

    /// Reads the classification status of `source_id` every
    /// `options.interval` until it is final (`COMPLETED`, `CANCELLED` or
    /// `TERMINATED`) and returns that status. Starts nothing: call
    /// [`start_classification`](Self::start_classification) first.
    /// `on_progress` sees every status read. Waits with the client's
    /// [`Timer`](crate::Timer).
    pub async fn wait_for_classification(
        &self,
        source_id: impl Into<String>,
        options: WaitOptions,
        mut on_progress: impl FnMut(&ClassificationStatus),
    ) -> Result<ClassificationStatus, WaitError> {
        let source_id = source_id.into();
        let timer = self.client().timer();
        let started = timer.now();
        loop {
            let status = self
                .classification_status(source_id.clone())
                .await
                .map_err(WaitError::Status)?;
            on_progress(&status);
            if is_final(&status) {
                return Ok(status);
            }
            let waited = timer.now().duration_since(started).unwrap_or_default();
            if waited + options.interval > options.timeout {
                return Err(WaitError::Timeout {
                    waited,
                    last: Some(Box::new(status)),
                });
            }
            timer.sleep(options.interval).await;
        }
    }
}
