//! The crew: the process's helper threads, started once and kept, and the
//! queue of jobs posted for them. A job borrows its poster's data; the
//! poster keeps it alive until it has taken it back or seen it finished
//! ([`Pending`]), which is what makes handing it to another thread sound.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, Once, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

use super::{cores, placement};

/// The process's helpers and the jobs posted for them.
pub(super) struct Crew {
    queue: Mutex<VecDeque<Posted>>,
    /// How many jobs the queue holds, read without the lock by a helper
    /// that spins.
    queued: AtomicUsize,
    posted: Condvar,
    /// How many helpers are running: one per core besides the first
    /// thread's once every one has started (and one on a single core,
    /// where the poster takes back what it does not get to).
    pub(super) helpers: AtomicUsize,
    /// Whether no job is coming soon ([`super::rest`]): idle helpers
    /// sleep at once rather than spin. The next job posted clears it.
    pub(super) resting: AtomicBool,
}

impl Crew {
    /// A crew with no helpers and nothing queued.
    const fn new() -> Self {
        Self {
            queue: Mutex::new(VecDeque::new()),
            queued: AtomicUsize::new(0),
            posted: Condvar::new(),
            helpers: AtomicUsize::new(0),
            resting: AtomicBool::new(false),
        }
    }
}

/// A job in the queue, its lifetime erased: the thread that posted it
/// keeps it alive until it has taken it back or seen it finished
/// ([`Pending`]).
#[derive(Clone, Copy)]
struct Posted(&'static (dyn Run + Sync));

trait Run {
    /// Runs the job, on the helper that took it off the queue.
    fn run(&self);
}

/// A job and, once run, its result.
pub(super) struct Job<F, R> {
    work: Mutex<Option<F>>,
    result: Mutex<Option<std::thread::Result<R>>>,
    finished: AtomicBool,
    poster: Thread,
}

impl<F: FnOnce() -> R, R> Job<F, R> {
    pub(super) fn new(work: F) -> Self {
        Self {
            work: Mutex::new(Some(work)),
            result: Mutex::new(None),
            finished: AtomicBool::new(false),
            poster: std::thread::current(),
        }
    }

    pub(super) fn take(&self) -> Option<F> {
        lock(&self.work).take()
    }
}

impl<F: FnOnce() -> R + Send, R: Send> Run for Job<F, R> {
    fn run(&self) {
        if let Some(work) = self.take() {
            *lock(&self.result) = Some(catch_unwind(AssertUnwindSafe(work)));
        }
        // Once `finished` is set the poster may free the job: nothing of
        // it is touched after.
        let poster = self.poster.clone();
        self.finished.store(true, Ordering::Release);
        poster.unpark();
    }
}

/// A posted job, which its poster takes back or waits for, even when it
/// unwinds: the job must stay where it is until no helper can reach it.
pub(super) struct Pending<'j, F: FnOnce() -> R + Send, R: Send> {
    job: &'j Job<F, R>,
    crew: &'static Crew,
    /// Whether the job has been taken back and run, or seen finished.
    settled: bool,
}

/// Puts `job` where a helper can take it.
///
/// # Safety
/// The returned `Pending` must be dropped (or waited for) before `job`
/// goes away, and never leaked: until then a helper may run the job.
pub(super) unsafe fn post<'j, F: FnOnce() -> R + Send, R: Send>(
    crew: &'static Crew,
    job: &'j Job<F, R>,
) -> Pending<'j, F, R> {
    let job_ref: &'j (dyn Run + Sync + 'j) = job;
    // SAFETY: the caller keeps `job` alive while it can be reached, and
    // `Pending` removes it from the queue or waits for it to finish.
    let erased: &'static (dyn Run + Sync) = unsafe { std::mem::transmute(job_ref) };
    crew.resting.store(false, Ordering::Relaxed);
    lock(&crew.queue).push_back(Posted(erased));
    crew.queued.fetch_add(1, Ordering::Release);
    crew.posted.notify_one();
    Pending {
        job,
        crew,
        settled: false,
    }
}

impl<F: FnOnce() -> R + Send, R: Send> Pending<'_, F, R> {
    /// The job's result: run here if no helper took it, else waited for.
    pub(super) fn wait(mut self) -> std::thread::Result<Option<R>> {
        let taken_back = self.take_back();
        self.settled = true;
        if taken_back {
            let result = self
                .job
                .take()
                .map(|work| catch_unwind(AssertUnwindSafe(work)));
            return result.transpose();
        }
        self.wait_finished();
        lock(&self.job.result).take().transpose()
    }

    /// Removes the job from the queue if no helper has taken it yet.
    fn take_back(&self) -> bool {
        let mut queue = lock(&self.crew.queue);
        let position = queue
            .iter()
            .position(|posted| std::ptr::addr_eq(posted.0, self.job));
        let taken_back = position
            .and_then(|position| queue.remove(position))
            .is_some();
        if taken_back {
            self.crew.queued.fetch_sub(1, Ordering::Relaxed);
        }
        taken_back
    }

    /// Waits for the helper that took the job to finish it: a short spin
    /// (most jobs are short), then parked.
    fn wait_finished(&self) {
        let spin_until = Instant::now() + SPIN;
        while !self.job.finished.load(Ordering::Acquire) {
            if Instant::now() < spin_until {
                std::hint::spin_loop();
            } else {
                std::thread::park_timeout(Duration::from_millis(1));
            }
        }
    }
}

impl<F: FnOnce() -> R + Send, R: Send> Drop for Pending<'_, F, R> {
    fn drop(&mut self) {
        if !self.settled && !self.take_back() {
            self.wait_finished();
        }
    }
}

/// How long a thread spins before it sleeps, waiting for a job or for a
/// job's end: waking a sleeping thread on another core takes 0.05 to
/// 0.1 ms here, and a helper that is done with the templates waits about
/// 1 ms for the fragment's rendering (paired: 1.2% less wall time than
/// spinning 0.2 ms; longer gains nothing more).
const SPIN: Duration = Duration::from_micros(1000);

/// The process's crew, its helpers started on first use; `None` when no
/// helper could be started.
pub(super) fn crew() -> Option<&'static Crew> {
    static CREW: Crew = Crew::new();
    static START: Once = Once::new();
    START.call_once(|| {
        // The first helper is started at once; it asks how many cores
        // there are (which reads files) and starts the others, off the
        // caller's path.
        start_helper(&CREW, 1, true);
    });
    (CREW.helpers.load(Ordering::Relaxed) > 0).then_some(&CREW)
}

/// Starts the `index`th helper (from 1), placed on a core of its own.
fn start_helper(crew: &'static Crew, index: usize, first: bool) {
    let allowed = placement::Cores::of_this_process();
    let spawned = std::thread::Builder::new()
        .name(format!("codegen-helper-{index}"))
        .spawn(move || {
            allowed.release_this_thread();
            if first {
                for index in 2..cores() {
                    start_helper(crew, index, false);
                }
            }
            serve(crew);
        });
    // A helper that cannot be started leaves its share to the others.
    if let Ok(handle) = spawned {
        let _ = allowed.start_elsewhere(&handle, index);
        crew.helpers.fetch_add(1, Ordering::Relaxed);
    }
}

/// A helper's life: take the next job and run it, spinning briefly when
/// there is none before sleeping until one is posted.
fn serve(crew: &'static Crew) -> ! {
    loop {
        let spin_until = Instant::now() + SPIN;
        while crew.queued.load(Ordering::Acquire) == 0
            && !crew.resting.load(Ordering::Relaxed)
            && Instant::now() < spin_until
        {
            std::hint::spin_loop();
        }
        let mut queue = lock(&crew.queue);
        let job = loop {
            if let Some(job) = queue.pop_front() {
                crew.queued.fetch_sub(1, Ordering::Relaxed);
                break job;
            }
            queue = crew
                .posted
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        };
        drop(queue);
        job.0.run();
    }
}

/// A lock that a panic elsewhere does not make unusable: what it guards is
/// only ever moved in or out whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `crew`'s queued jobs on this thread until none is left.
pub(super) fn run_queued(crew: &Crew) {
    while crew.queued.load(Ordering::Acquire) > 0 {
        let job = lock(&crew.queue).pop_front();
        let Some(job) = job else { return };
        crew.queued.fetch_sub(1, Ordering::Relaxed);
        job.0.run();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crew with no helpers: what it is posted stays queued.
    fn idle_crew() -> &'static Crew {
        Box::leak(Box::new(Crew::new()))
    }

    #[test]
    fn a_job_no_helper_took_is_run_by_its_poster() {
        let crew = idle_crew();
        let poster = std::thread::current().id();
        let job = Job::new(|| std::thread::current().id());
        // SAFETY: `job` outlives `pending`, which is waited for.
        let pending = unsafe { post(crew, &job) };
        assert_eq!(crew.queued.load(Ordering::Relaxed), 1);
        assert_eq!(pending.wait().ok().flatten(), Some(poster));
        assert!(lock(&crew.queue).is_empty());
        assert_eq!(crew.queued.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_poster_that_unwinds_takes_its_job_off_the_queue() {
        let crew = idle_crew();
        let ran = AtomicBool::new(false);
        let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let job = Job::new(|| ran.store(true, Ordering::Relaxed));
            // SAFETY: `job` outlives `_pending`, dropped on the unwind.
            let _pending = unsafe { post(crew, &job) };
            panic!("the poster's own part");
        }));
        assert!(caught.is_err());
        assert!(lock(&crew.queue).is_empty(), "no helper can reach the job");
        assert!(!ran.load(Ordering::Relaxed));
    }

    #[test]
    fn a_thread_that_lends_a_hand_runs_the_queued_job_for_its_poster() {
        let crew = idle_crew();
        let job = Job::new(|| std::thread::current().id());
        // SAFETY: `job` outlives `pending`, which is waited for.
        let pending = unsafe { post(crew, &job) };
        let lender = std::thread::spawn(|| {
            run_queued(crew);
            std::thread::current().id()
        })
        .join()
        .unwrap();
        assert_eq!(pending.wait().ok().flatten(), Some(lender));
        assert_eq!(crew.queued.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_job_posted_ends_the_crews_rest() {
        let crew = idle_crew();
        crew.resting.store(true, Ordering::Relaxed);
        let job = Job::new(|| ());
        // SAFETY: `job` outlives `pending`, which is waited for.
        let pending = unsafe { post(crew, &job) };
        assert!(!crew.resting.load(Ordering::Relaxed), "helpers spin again");
        assert!(pending.wait().is_ok());
    }
}
