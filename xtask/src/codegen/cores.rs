//! Work shared out over every core, by helper threads started once per
//! process and kept: a job is posted where a helper can take it, and the
//! thread that posted it runs it itself if no helper has by the time it
//! needs the result. Starting a thread for each sharing cost the fragment's
//! generation a spawn and a cold start on the other core (about 0.1 ms)
//! each time; a kept helper takes a job as soon as it is posted.

use std::collections::VecDeque;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, Once, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// Runs `work` on every core the process may use (at most 8), each worker
/// taking the next item of `items` left, so that a few large items do not
/// leave one core idle while another works through them. This thread is
/// one of the workers: it starts at once; a helper that is busy joins when
/// it is free, or not at all. Each worker's result, in no meaningful order;
/// `None` for a worker that panicked.
pub fn share_out<'i, I: Sync, T: Send>(
    items: &'i [I],
    work: impl Fn(&mut dyn Iterator<Item = &'i I>) -> T + Sync,
) -> Vec<Option<T>> {
    let next = AtomicUsize::new(0);
    let worker = || {
        work(&mut std::iter::from_fn(|| {
            items.get(next.fetch_add(1, Ordering::Relaxed))
        }))
    };
    let crew = crew();
    let helpers = crew.map_or(0, |crew| crew.helpers.load(Ordering::Relaxed));
    let jobs: Vec<Job<_, T>> = (0..helpers.min(items.len().saturating_sub(1)))
        .map(|_| Job::new(&worker))
        .collect();
    // SAFETY: each job outlives its `Pending` (declared after `jobs`, so
    // dropped first), and no `Pending` is leaked.
    let pending: Vec<Pending<'_, _, T>> = crew.map_or_else(Vec::new, |crew| {
        jobs.iter().map(|job| unsafe { post(crew, job) }).collect()
    });
    let mut results = vec![Some(worker())];
    results.extend(
        pending
            .into_iter()
            .map(|pending| pending.wait().ok().flatten()),
    );
    results
}

/// `work(0)`, …, `work(count - 1)`, shared out as [`share_out`] shares
/// items, for a job cut into a few parts; the results in that order, `None`
/// for a part whose worker panicked.
pub fn parts<T: Send>(count: usize, work: impl Fn(usize) -> T + Sync) -> Vec<Option<T>> {
    let indices: Vec<usize> = (0..count).collect();
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    let done = share_out(&indices, |indices| {
        indices
            .map(|&index| (index, work(index)))
            .collect::<Vec<_>>()
    });
    for (index, result) in done.into_iter().flatten().flatten() {
        results[index] = Some(result);
    }
    results
}

/// Runs `here` on this thread and `beside` on a helper at the same time,
/// for two jobs that need nothing of each other. Should no helper have
/// taken up `beside` by the time `here` is done, this thread runs it too,
/// so the pair never takes longer than one after the other. A panic in
/// `beside` is resumed here.
pub fn join<A, B: Send>(here: impl FnOnce() -> A, beside: impl FnOnce() -> B + Send) -> (A, B) {
    let job = Job::new(beside);
    // SAFETY: `job` outlives `pending`, which is not leaked.
    let pending = crew().map(|crew| unsafe { post(crew, &job) });
    let here = here();
    let beside = match pending {
        Some(pending) => pending.wait(),
        None => Ok(job.take().map(|beside| beside())),
    };
    match beside {
        Ok(Some(beside)) => (here, beside),
        Err(panic) => resume_unwind(panic),
        // A job is taken once, by the thread that runs it.
        Ok(None) => unreachable!("a job was run twice"),
    }
}

/// Runs the jobs that wait to be taken, if there are any: a long job that
/// is not on the way to the result (reading the templates) calls this
/// between its steps, so that work posted on the way to the result
/// (reading the spec) does not wait for the whole long job.
pub fn lend_a_hand() {
    if let Some(crew) = crew() {
        run_queued(crew);
    }
}

/// Runs `crew`'s queued jobs on this thread until none is left.
fn run_queued(crew: &Crew) {
    while crew.queued.load(Ordering::Acquire) > 0 {
        let job = lock(&crew.queue).pop_front();
        let Some(job) = job else { return };
        crew.queued.fetch_sub(1, Ordering::Relaxed);
        job.0.run();
    }
}

/// Says that no job is coming soon (the work to share is done): idle
/// helpers sleep at once rather than spin. A helper that spins while the
/// process ends makes its end slower (its core must be stopped, and each
/// page the allocator hands back then costs that core a flush): paired on
/// the fragment, 2.6% less wall time.
pub fn rest() {
    if let Some(crew) = crew() {
        crew.resting.store(true, Ordering::Relaxed);
    }
}

/// How many cores the process may use (at most 8), read once: the
/// standard library reads the cgroup's files each time it is asked.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, 8)
    })
}

/// The process's helpers and the jobs posted for them.
struct Crew {
    queue: Mutex<VecDeque<Posted>>,
    /// How many jobs the queue holds, read without the lock by a helper
    /// that spins.
    queued: AtomicUsize,
    posted: Condvar,
    /// How many helpers are running: one per core besides the first
    /// thread's once every one has started (and one on a single core,
    /// where the poster takes back what it does not get to).
    helpers: AtomicUsize,
    /// Whether no job is coming soon ([`rest`]): idle helpers sleep at once
    /// rather than spin. The next job posted clears it.
    resting: AtomicBool,
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
struct Job<F, R> {
    work: Mutex<Option<F>>,
    result: Mutex<Option<std::thread::Result<R>>>,
    finished: AtomicBool,
    poster: Thread,
}

impl<F: FnOnce() -> R, R> Job<F, R> {
    fn new(work: F) -> Self {
        Self {
            work: Mutex::new(Some(work)),
            result: Mutex::new(None),
            finished: AtomicBool::new(false),
            poster: std::thread::current(),
        }
    }

    fn take(&self) -> Option<F> {
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
struct Pending<'j, F: FnOnce() -> R + Send, R: Send> {
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
unsafe fn post<'j, F: FnOnce() -> R + Send, R: Send>(
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
    fn wait(mut self) -> std::thread::Result<Option<R>> {
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
fn crew() -> Option<&'static Crew> {
    static CREW: Crew = Crew {
        queue: Mutex::new(VecDeque::new()),
        queued: AtomicUsize::new(0),
        posted: Condvar::new(),
        helpers: AtomicUsize::new(0),
        resting: AtomicBool::new(false),
    };
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

/// Where a new helper thread starts.
///
/// Linux puts a new thread on its parent's core, and moves it to an idle
/// one only when the parent blocks or the balancer next runs: measured here
/// (2 cores, the other idle), a new thread waited as long as its busy parent
/// kept working, 0.3 to 3 ms, half the time. Pinned to another core as soon
/// as it exists, it ran within 0.1 to 0.2 ms. Once running, it takes back
/// every core the process may use, so a busy core cannot hold it.
#[cfg(target_os = "linux")]
mod placement {
    use std::os::unix::thread::JoinHandleExt;

    /// The cores the process may use, read once per sharing.
    #[derive(Clone, Copy)]
    pub struct Cores {
        allowed: Option<libc::cpu_set_t>,
    }

    impl Cores {
        pub fn of_this_process() -> Self {
            // SAFETY: `set` is a plain bit set, valid when zeroed, and the
            // size given is its own.
            let allowed = unsafe {
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                let read =
                    libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set);
                (read == 0).then_some(set)
            };
            Self { allowed }
        }

        /// Pins the `index`th helper (from 1) to the `index`th allowed core
        /// after this thread's, and says which. Best effort: with one core,
        /// or when a call fails, the helper stays where Linux put it.
        pub fn start_elsewhere(&self, helper: &impl JoinHandleExt, index: usize) -> Option<usize> {
            let allowed = self.allowed.as_ref()?;
            let cores: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
                // SAFETY: reads a bit of a valid set, within its size.
                .filter(|&core| unsafe { libc::CPU_ISSET(core, allowed) })
                .collect();
            // SAFETY: no arguments; returns -1 when it cannot tell.
            let here = unsafe { libc::sched_getcpu() };
            let position = cores.iter().position(|&core| core as i32 == here)?;
            let target = cores[(position + index) % cores.len()];
            if target as i32 == here {
                return None;
            }
            // SAFETY: `set` is zeroed then given one bit within its size;
            // the caller holds the handle, so the thread is neither joined
            // nor detached and its pthread_t is valid.
            let pinned = unsafe {
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                libc::CPU_SET(target, &mut set);
                libc::pthread_setaffinity_np(
                    helper.as_pthread_t(),
                    std::mem::size_of::<libc::cpu_set_t>(),
                    &set,
                )
            };
            (pinned == 0).then_some(target)
        }

        /// Lets the calling helper run on any core the process may use again.
        pub fn release_this_thread(&self) {
            if let Some(allowed) = &self.allowed {
                // SAFETY: a valid set of its own size, for this thread (0).
                unsafe {
                    libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), allowed);
                }
            }
        }
    }
}

/// Elsewhere, helpers start where the system puts them.
#[cfg(not(target_os = "linux"))]
mod placement {
    #[derive(Clone, Copy)]
    pub struct Cores;

    impl Cores {
        pub fn of_this_process() -> Self {
            Self
        }

        pub fn start_elsewhere<H>(&self, _helper: &H, _index: usize) -> Option<usize> {
            None
        }

        pub fn release_this_thread(&self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_handed_out_exactly_once() {
        let items: Vec<u64> = (1..=1000).collect();
        let results = share_out(&items, |taken| {
            taken.map(|item| (1, *item)).collect::<Vec<_>>()
        });
        let mut seen: Vec<u64> = results
            .into_iter()
            .flat_map(|result| result.expect("no worker panics"))
            .map(|(_, item)| item)
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, items);
    }

    #[test]
    fn both_jobs_run_and_each_result_comes_back() {
        let text = String::from("beside");
        let (here, beside) = join(|| 1 + 1, || text.len());
        assert_eq!((here, beside), (2, 6));
    }

    #[test]
    fn a_panic_beside_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            join(
                || std::thread::sleep(std::time::Duration::from_millis(20)),
                || panic!("beside"),
            )
        });
        assert!(caught.is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_helper_runs_on_the_core_it_was_placed_on() {
        let cores = placement::Cores::of_this_process();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let helper = std::thread::spawn(move || {
            let _ = wait.recv();
            // SAFETY: no arguments.
            unsafe { libc::sched_getcpu() }
        });
        let placed = cores.start_elsewhere(&helper, 1);
        go.send(()).unwrap();
        let ran_on = helper.join().unwrap();
        // With one core allowed there is nowhere else to start it.
        if let Some(placed) = placed {
            assert_eq!(usize::try_from(ran_on).ok(), Some(placed));
        }
    }

    #[test]
    fn jobs_posted_from_many_threads_and_from_jobs_all_run_once() {
        let counted = AtomicUsize::new(0);
        let count = || counted.fetch_add(1, Ordering::Relaxed);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| {
                    for _ in 0..200 {
                        // A job that posts a job: the helper that takes the
                        // outer one may be the only one, and must not wait
                        // for itself.
                        join(count, || join(count, count));
                    }
                });
            }
        });
        assert_eq!(counted.load(Ordering::Relaxed), 4 * 200 * 3);
    }

    /// A crew with no helpers: what it is posted stays queued.
    fn idle_crew() -> &'static Crew {
        Box::leak(Box::new(Crew {
            queue: Mutex::new(VecDeque::new()),
            queued: AtomicUsize::new(0),
            posted: Condvar::new(),
            helpers: AtomicUsize::new(0),
            resting: AtomicBool::new(false),
        }))
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

    #[test]
    fn parts_come_back_in_their_order() {
        let results = parts(5, |index| index * 10);
        assert_eq!(results, [Some(0), Some(10), Some(20), Some(30), Some(40)]);
    }

    #[test]
    fn no_items_need_no_helpers() {
        let results = share_out(&[] as &[u8], |taken| taken.count());
        assert_eq!(results, [Some(0)]);
    }
}
