//! Interrupting a statement: while the guest runs (wasmtime epoch interruption), while a host
//! `http` call waits for the network and while the host sleeps (retry backoff, `time.sleep`).
//!
//! Supabase's host checks nothing (contract §2.1 item 4, §11.23): a slow server or a guest
//! loop pins a Postgres backend. Here the caller passes an [`Interrupts`] source (the Postgres
//! extension reads Postgres' interrupt flags; the runner has an optional statement deadline),
//! and the host checks it every [`POLL`] while it waits and on every epoch tick while the
//! guest runs. A pending interrupt aborts the guest call with an error of kind
//! [`crate::ErrorKind::Interrupted`]; the caller then lets its own interrupt handling run
//! (Postgres: `CHECK_FOR_INTERRUPTS()`), so the user sees the usual cancel / timeout error.

use crate::error::HostTrap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How often waits look at the interrupt source: small enough that a cancel takes effect well
/// within a second, large enough that a waiting backend costs nothing measurable.
pub const POLL: Duration = Duration::from_millis(25);

/// Period of the epoch ticker while a guest call runs; the guest's epoch deadline is one tick,
/// so a running guest checks for interrupts about this often.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Where a host learns that the current statement must stop.
///
/// `check` is called on the thread that runs the guest (the Postgres backend's only thread),
/// often: every [`POLL`] while the host waits, and every [`EPOCH_TICK`] while the guest runs.
/// It must be cheap and must not block.
pub trait Interrupts: Send + Sync {
    /// `Some(reason)` when the statement must stop now, e.g. `canceling statement due to user request`.
    fn check(&self) -> Option<String>;
}

/// Never interrupts (the default).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoInterrupts;

impl Interrupts for NoInterrupts {
    fn check(&self) -> Option<String> {
        None
    }
}

/// Interrupts once a deadline has passed, with Postgres' statement-timeout text (the runner's
/// `--statement-timeout-ms`).
#[derive(Debug, Clone, Copy)]
pub struct StatementDeadline {
    at: Instant,
}

impl StatementDeadline {
    /// A deadline `timeout` from now.
    pub fn after(timeout: Duration) -> Self {
        StatementDeadline { at: Instant::now() + timeout }
    }
}

impl Interrupts for StatementDeadline {
    fn check(&self) -> Option<String> {
        (Instant::now() >= self.at).then(|| "canceling statement due to statement timeout".to_string())
    }
}

/// Sleep for `total`, in slices of at most [`POLL`], returning early with the interrupt's trap
/// when `interrupts` reports one.
pub(crate) fn sleep_interruptibly(total: Duration, interrupts: &dyn Interrupts) -> Result<(), HostTrap> {
    let end = Instant::now() + total;
    loop {
        if let Some(reason) = interrupts.check() {
            return Err(HostTrap::interrupted(reason));
        }
        let now = Instant::now();
        if now >= end {
            return Ok(());
        }
        std::thread::sleep((end - now).min(POLL));
    }
}

/// Spawn a helper thread that receives no asynchronous signals.
///
/// Inside Postgres, signals such as SIGINT (cancel), SIGTERM (terminate) and SIGALRM (timeouts)
/// are directed at the process and must reach the backend's own thread: Postgres' handlers
/// assume it, and a signal delivered to a helper thread would interrupt that thread's socket
/// reads instead (SO_RCVTIMEO reads are not restarted). So every asynchronous signal is blocked
/// around the spawn (the new thread inherits the mask; the caller's mask is restored at once,
/// and a signal that arrived meanwhile is delivered then). Synchronous fault signals stay
/// unblocked so that a fault in the helper is still handled normally.
pub(crate) fn spawn_quiet<F, T>(name: &str, f: F) -> std::io::Result<std::thread::JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let builder = std::thread::Builder::new().name(name.to_string()).stack_size(256 * 1024);
    #[cfg(unix)]
    {
        // SAFETY: sigset_t is plain data initialised by sigfillset/sigdelset; pthread_sigmask
        // only changes the calling thread's mask, and the old mask is restored right after.
        unsafe {
            let mut block: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigfillset(&mut block);
            for sig in [libc::SIGSEGV, libc::SIGBUS, libc::SIGFPE, libc::SIGILL, libc::SIGTRAP, libc::SIGSYS] {
                libc::sigdelset(&mut block, sig);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut old);
            let spawned = builder.spawn(f);
            libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
            spawned
        }
    }
    #[cfg(not(unix))]
    {
        builder.spawn(f)
    }
}

/// The per-engine epoch ticker: one thread that advances the engine's epoch every
/// [`EPOCH_TICK`] while at least one guest call is running, and sleeps otherwise (an idle
/// Postgres backend must not wake up 100 times a second). It stops when the engine is dropped.
pub(crate) struct Ticker {
    shared: Arc<TickerShared>,
}

struct TickerShared {
    active: AtomicUsize,
    lock: Mutex<()>,
    wake: Condvar,
}

/// Keeps the ticker running while it lives (one per guest call).
pub(crate) struct Ticking {
    shared: Arc<TickerShared>,
}

impl Drop for Ticking {
    fn drop(&mut self) {
        self.shared.active.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Ticker {
    /// Start the ticker thread for `engine`. Without a thread (spawn failed) guests still run,
    /// but cannot be interrupted while they compute.
    pub(crate) fn start(engine: &wasmtime::Engine) -> Ticker {
        let shared = Arc::new(TickerShared { active: AtomicUsize::new(0), lock: Mutex::new(()), wake: Condvar::new() });
        let weak = engine.weak();
        let s = shared.clone();
        let _ = spawn_quiet("tsfdw-epoch", move || loop {
            {
                let mut guard = match s.lock.lock() {
                    Ok(g) => g,
                    Err(_) => return,
                };
                while s.active.load(Ordering::Acquire) == 0 {
                    guard = match s.wake.wait_timeout(guard, Duration::from_secs(5)) {
                        Ok((g, _)) => g,
                        Err(_) => return,
                    };
                    if weak.upgrade().is_none() {
                        return;
                    }
                }
            }
            std::thread::sleep(EPOCH_TICK);
            match weak.upgrade() {
                Some(engine) => engine.increment_epoch(),
                None => return,
            }
        });
        Ticker { shared }
    }

    /// Mark a guest call as running until the returned guard is dropped.
    pub(crate) fn enter(&self) -> Ticking {
        // under the lock, so the ticker cannot miss the wake-up between its check and its wait
        let guard = self.shared.lock.lock();
        self.shared.active.fetch_add(1, Ordering::AcqRel);
        drop(guard);
        self.shared.wake.notify_one();
        Ticking { shared: self.shared.clone() }
    }
}

impl Clone for Ticker {
    fn clone(&self) -> Self {
        Ticker { shared: self.shared.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    struct Flag(AtomicBool);
    impl Interrupts for Flag {
        fn check(&self) -> Option<String> {
            self.0.load(Ordering::Relaxed).then(|| "stop".to_string())
        }
    }

    #[test]
    fn sleeps_end_early_on_an_interrupt() {
        let flag = Flag(AtomicBool::new(true));
        let e = sleep_interruptibly(Duration::from_secs(3600), &flag).unwrap_err();
        assert_eq!(e.message, "stop");
        assert_eq!(e.kind, crate::ErrorKind::Interrupted);
        assert!(sleep_interruptibly(Duration::from_millis(1), &NoInterrupts).is_ok());
    }

    #[test]
    fn statement_deadline() {
        assert!(StatementDeadline::after(Duration::from_secs(3600)).check().is_none());
        let d = StatementDeadline::after(Duration::ZERO);
        assert_eq!(d.check().as_deref(), Some("canceling statement due to statement timeout"));
    }

    #[cfg(unix)]
    #[test]
    fn quiet_threads_block_async_signals() {
        let mask = spawn_quiet("t", || unsafe {
            let mut cur: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut cur);
            (libc::sigismember(&cur, libc::SIGINT), libc::sigismember(&cur, libc::SIGSEGV))
        })
        .and_then(|h| h.join().map_err(|_| std::io::Error::other("join")));
        assert_eq!(mask.ok(), Some((1, 0)));
        // the caller's own mask is unchanged
        let own = unsafe {
            let mut cur: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut cur);
            libc::sigismember(&cur, libc::SIGINT)
        };
        assert_eq!(own, 0);
    }
}
