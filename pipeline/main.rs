//! The `topictide` command: flags → validated config → run → exit code. The only place that
//! prints results.

mod cli;

/// The tokenizer and the phrase counts make and drop many small vectors and maps on every
/// thread; mimalloc's per-thread heaps do that faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    small_pages();
    std::process::exit(cli::main());
}

/// Keeps the process in 4 KiB pages rather than transparent 2 MiB huge pages. mimalloc marks
/// its arenas for huge pages, and the kernel then zeroes a whole 2 MiB page at the first touch
/// of each, again after every purge: a sixth of a run's samples on a 20 MB slice of UNGD. Off,
/// a 1 GB run spends 7 s of system time rather than 13–17 s, and no more user time or memory.
#[cfg(target_os = "linux")]
fn small_pages() {
    // SAFETY: PR_SET_THP_DISABLE sets one flag of the process and reads no memory. It fails
    // only on kernels older than 3.15, which then keep their pages as they were.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn small_pages() {}
