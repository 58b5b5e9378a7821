//! Work shared out over every core.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Runs `work` on every core the process may use (at most 8), each worker
/// taking the next item of `items` left, so that a few large items do not
/// leave one core idle while another works through them. This thread is
/// one of the workers: it starts at once. Each helper is placed on a core
/// other than this thread's ([`placement`]). Each worker's result, in no
/// meaningful order; `None` for a worker that panicked.
pub fn share_out<'i, I: Sync, T: Send>(
    items: &'i [I],
    work: impl Fn(&mut dyn Iterator<Item = &'i I>) -> T + Sync,
) -> Vec<Option<T>> {
    let threads = cores().min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let worker = || {
        work(&mut std::iter::from_fn(|| {
            items.get(next.fetch_add(1, Ordering::Relaxed))
        }))
    };
    let cores = placement::Cores::of_this_process();
    let mut helpers = Helpers(Vec::new());
    for index in 1..threads {
        let helper = || {
            cores.release_this_thread();
            worker()
        };
        // SAFETY: the helper borrows `cores`, `worker` and what it borrows,
        // all of which outlive `helpers`: they are declared before it, and
        // `helpers` joins every thread when dropped, on return or unwind.
        let spawned = unsafe { std::thread::Builder::new().spawn_unchecked(helper) };
        // A helper that cannot be started leaves its share to the others.
        if let Ok(handle) = spawned {
            let _ = cores.start_elsewhere(&handle, index);
            helpers.0.push(handle);
        }
    }
    let mut results = vec![Some(worker())];
    results.extend(helpers.0.drain(..).map(|helper| helper.join().ok()));
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

/// Runs `here` on this thread and `beside` on another core at the same
/// time, for two jobs that need nothing of each other. Should no other
/// core take up `beside` by the time `here` is done, this thread runs it
/// too, so the pair never takes longer than one after the other. A panic
/// in `beside` is resumed here.
pub fn beside<A, B: Send + 'static>(
    here: impl FnOnce() -> A,
    beside: impl FnOnce() -> B + Send + 'static,
) -> (A, B) {
    let job = Arc::new(Mutex::new(Some(beside)));
    let take = |job: &Mutex<Option<_>>| job.lock().ok().and_then(|mut slot| slot.take());
    let cores = placement::Cores::of_this_process();
    let helper = {
        let job = Arc::clone(&job);
        // Owns all it uses, so a helper that never gets the job is left to
        // end on its own.
        std::thread::Builder::new()
            .spawn(move || {
                cores.release_this_thread();
                take(&job).map(|beside| beside())
            })
            .ok()
    };
    if let Some(helper) = &helper {
        let _ = cores.start_elsewhere(helper, 1);
    }
    let here = here();
    if let Some(beside) = take(&job) {
        return (here, beside());
    }
    match helper.map(std::thread::JoinHandle::join) {
        Some(Ok(Some(beside))) => (here, beside),
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // The job was taken by the helper, which then neither returned it
        // nor panicked: impossible, as `take` is the only way in.
        _ => unreachable!("the job beside was taken but not run"),
    }
}

/// Threads that borrow the caller's data: joined before it goes away.
struct Helpers<T>(Vec<std::thread::JoinHandle<T>>);

impl<T> Drop for Helpers<T> {
    fn drop(&mut self) {
        for helper in self.0.drain(..) {
            let _ = helper.join();
        }
    }
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
        let (here, beside) = beside(|| 1 + 1, move || text.len());
        assert_eq!((here, beside), (2, 6));
    }

    #[test]
    fn a_panic_beside_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            beside(
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
