//! Work shared out over every core, by helper threads started once per
//! process and kept: a job is posted where a helper can take it, and the
//! thread that posted it runs it itself if no helper has by the time it
//! needs the result. Starting a thread for each sharing cost the fragment's
//! generation a spawn and a cold start on the other core (about 0.1 ms)
//! each time; a kept helper takes a job as soon as it is posted.
//!
//! - `crew.rs`: the helpers, the queue, and how a posted job is taken back
//!   or waited for;
//! - `placement.rs`: where a new helper starts.

mod crew;
mod placement;

use std::panic::resume_unwind;
use std::sync::atomic::{AtomicUsize, Ordering};

use crew::{crew, post, run_queued, Job, Pending};

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
