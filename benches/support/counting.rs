//! A global allocator that counts the bytes in use and the allocations made,
//! on top of mimalloc; shared by the benchmarks and the load test.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicIsize, Ordering};

/// Bytes currently allocated.
pub static IN_USE: AtomicIsize = AtomicIsize::new(0);
/// Allocations made so far.
pub static ALLOCATIONS: AtomicIsize = AtomicIsize::new(0);

/// The counting allocator: install with `#[global_allocator]`.
pub struct Counting;

static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: every method forwards to mimalloc's `GlobalAlloc` with the caller's
// own arguments, and only adds bookkeeping on atomic counters; the allocator
// contract (layout, pointer provenance) is mimalloc's.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on.
        unsafe { INNER.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { INNER.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        IN_USE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` and `layout` come from a previous allocation here.
        unsafe { INNER.realloc(ptr, layout, new_size) }
    }
}
