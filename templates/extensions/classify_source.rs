//! Waiting for a source's account classification to finish.

use std::fmt;
use std::time::Duration;

use crate::apis::classify_source::{
    ClassifySource, GetClassifyMachineAccountFromSourceStatusError,
};
use crate::models::{SourceClassificationStatus, SourceClassificationStatusStatus as Status};

/// How [`ClassifySource::wait_for_classification`] polls.
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
        last: Option<Box<SourceClassificationStatus>>,
    },
    /// Reading the status failed (after the client's retries).
    Status(crate::Error<GetClassifyMachineAccountFromSourceStatusError>),
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout { waited, last } => {
                write!(f, "the classification did not finish within {waited:?}")?;
                if let Some(status) = last.as_ref().and_then(|last| last.status.as_ref()) {
                    write!(f, "; it was last {status}")?;
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

/// Whether a classification status is final: `COMPLETED`, `CANCELLED` or
/// `TERMINATED`.
pub fn is_final(status: &SourceClassificationStatus) -> bool {
    matches!(
        status.status,
        Some(Status::Completed | Status::Cancelled | Status::Terminated)
    )
}

impl ClassifySource<'_> {
    /// Reads the classification status of `source_id` every
    /// `options.interval` until it is final (`COMPLETED`, `CANCELLED` or
    /// `TERMINATED`) and returns that status. Starts nothing: call
    /// [`ClassifySource::send_classify_machine_account_from_source`] first.
    /// `on_progress` sees every status read, with its `counts`. Waits with
    /// the client's [`Timer`](crate::Timer).
    pub async fn wait_for_classification(
        &self,
        source_id: impl Into<String>,
        options: WaitOptions,
        mut on_progress: impl FnMut(&SourceClassificationStatus),
    ) -> Result<SourceClassificationStatus, WaitError> {
        let source_id = source_id.into();
        let timer = self.client().timer();
        let started = timer.now();
        loop {
            let status = self
                .get_classify_machine_account_from_source_status(source_id.clone())
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
