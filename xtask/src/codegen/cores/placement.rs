//! Where a new helper thread starts.
//!
//! Linux puts a new thread on its parent's core, and moves it to an idle
//! one only when the parent blocks or the balancer next runs: measured here
//! (2 cores, the other idle), a new thread waited as long as its busy parent
//! kept working, 0.3 to 3 ms, half the time. Pinned to another core as soon
//! as it exists, it ran within 0.1 to 0.2 ms. Once running, it takes back
//! every core the process may use, so a busy core cannot hold it.

#[cfg(not(target_os = "linux"))]
pub use elsewhere::Cores;
#[cfg(target_os = "linux")]
pub use linux::Cores;

#[cfg(target_os = "linux")]
mod linux {
    use std::os::unix::thread::JoinHandleExt;

    /// The cores the process may use, read when a helper is started.
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
mod elsewhere {
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_helper_runs_on_the_core_it_was_placed_on() {
        let cores = Cores::of_this_process();
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
}
