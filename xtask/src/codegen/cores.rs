//! Work shared out over every core.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` on every core the process may use (at most 8), each worker
/// taking the next item of `items` left, so that a few large items do not
/// leave one core idle while another works through them. This thread is
/// one of the workers: it starts at once, where a new thread may wait
/// milliseconds for a core. Each worker's result, in no meaningful order;
/// `None` for a worker that panicked.
pub fn share_out<'i, I: Sync, T: Send>(
    items: &'i [I],
    work: impl Fn(&mut dyn Iterator<Item = &'i I>) -> T + Sync,
) -> Vec<Option<T>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    let next = AtomicUsize::new(0);
    let worker = || {
        work(&mut std::iter::from_fn(|| {
            items.get(next.fetch_add(1, Ordering::Relaxed))
        }))
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        let mut results = vec![Some(worker())];
        results.extend(helpers.into_iter().map(|helper| helper.join().ok()));
        results
    })
}
