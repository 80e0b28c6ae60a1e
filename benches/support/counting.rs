//! A global allocator that counts the bytes in use and the allocations made,
//! on top of mimalloc; shared by the benchmarks and the load test.
//!
//! The counters are striped by thread: one shared counter would put every
//! allocation of every thread on one cache line, and the benchmark of flows
//! running in parallel would measure that line instead of the engine.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// Whether allocations are counted (on by default). A benchmark turns it off
/// around what it times, so that the bookkeeping is not part of the timing,
/// and back on before it counts.
#[allow(dead_code)] // Switched by the benchmarks, not by the load test.
pub static COUNTING: AtomicBool = AtomicBool::new(true);

/// How many counter pairs threads are spread over.
const STRIPES: usize = 16;

/// One thread group's counters, alone on its cache lines.
#[repr(align(128))]
struct Stripe {
    in_use: AtomicIsize,
    allocations: AtomicIsize,
}

static STRIPES_OF_COUNTERS: [Stripe; STRIPES] = [const {
    Stripe {
        in_use: AtomicIsize::new(0),
        allocations: AtomicIsize::new(0),
    }
}; STRIPES];

/// The calling thread's stripe, chosen by hashing the address of a
/// thread-local: distinct threads have distinct thread-local blocks. (A
/// constant-initialised thread-local without a destructor is usable from an
/// allocator at any point of a thread's life, and does not allocate where
/// the platform has native thread-locals, as Linux does; the benchmarks run
/// there.)
fn stripe() -> &'static Stripe {
    thread_local!(static MARK: u8 = const { 0 });
    let address = MARK.with(|mark| mark as *const u8 as usize);
    let index = ((address >> 12) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60;
    &STRIPES_OF_COUNTERS[index as usize % STRIPES]
}

/// Bytes allocated minus bytes freed, counting only while counting was on,
/// all threads together (a block allocated while it was off and freed while
/// it is on makes it lower): compare two readings taken with counting on
/// throughout.
pub fn in_use() -> isize {
    STRIPES_OF_COUNTERS
        .iter()
        .map(|stripe| stripe.in_use.load(Ordering::Relaxed))
        .sum()
}

/// Allocations made so far, all threads together.
#[allow(dead_code)] // Used by the benchmarks, not by the load test.
pub fn allocations() -> isize {
    STRIPES_OF_COUNTERS
        .iter()
        .map(|stripe| stripe.allocations.load(Ordering::Relaxed))
        .sum()
}

/// The counting allocator: install with `#[global_allocator]`.
pub struct Counting;

static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: every method forwards to mimalloc's `GlobalAlloc` with the caller's
// own arguments, and only adds bookkeeping on atomic counters (reached
// through a thread-local that never allocates); the allocator contract
// (layout, pointer provenance) is mimalloc's.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            let stripe = stripe();
            stripe.in_use.fetch_add(layout.size() as isize, Ordering::Relaxed);
            stripe.allocations.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the caller's layout, passed on.
        unsafe { INNER.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            stripe()
                .in_use
                .fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { INNER.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            let change = new_size as isize - layout.size() as isize;
            stripe().in_use.fetch_add(change, Ordering::Relaxed);
        }
        // SAFETY: `ptr` and `layout` come from a previous allocation here.
        unsafe { INNER.realloc(ptr, layout, new_size) }
    }
}
