//! The `topictide` command: flags → validated config → run → exit code. The only place that
//! prints results.

mod cli;

/// The tokenizer and the phrase counts make and drop many small vectors and maps on every
/// thread; mimalloc's per-thread heaps do that faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    topictide::memory::small_pages();
    std::process::exit(cli::main());
}
