//! The memory a run may use: read before a step that must hold something in proportion to the
//! corpus, so that a corpus too large is refused with what to do, not ended by the allocator.

/// Keeps the process in 4 KiB pages rather than transparent 2 MiB huge pages; called first
/// thing by the command and by the benchmarks. mimalloc marks its arenas for huge pages, and
/// the kernel then zeroes a whole 2 MiB page at the first touch of each, again after every
/// purge: a sixth of a run's samples on a 20 MB slice of UNGD. Off, a 1 GB run spends 7 s of
/// system time rather than 13–17 s, and no more user time or memory.
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE sets one flag of the process and reads no memory. It fails
    // only on kernels older than 3.15, which then keep their pages as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The memory this process may still use, in bytes: the least of what the system has
/// available, the cgroup's limit less its use, and the address-space limit; `None` when none
/// can be read (not Linux).
pub fn available() -> Option<u64> {
    let read = |p: &str| std::fs::read_to_string(p).ok();
    let mut least: Option<u64> = None;
    let mut take = |v: u64| least = Some(least.map_or(v, |l| l.min(v)));
    if let Some(info) = read("/proc/meminfo") {
        let kb = info
            .lines()
            .find_map(|l| l.strip_prefix("MemAvailable:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
        if let Some(kb) = kb {
            take(kb * 1024);
        }
    }
    let number = |s: Option<String>| s.and_then(|s| s.trim().parse::<u64>().ok());
    if let Some(max) = number(read("/sys/fs/cgroup/memory.max")) {
        let used = number(read("/sys/fs/cgroup/memory.current")).unwrap_or(0);
        take(max.saturating_sub(used));
    }
    if let Some(limits) = read("/proc/self/limits") {
        let space = limits
            .lines()
            .find(|l| l.starts_with("Max address space"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(bytes) = space {
            take(bytes);
        }
    }
    least
}

/// The bytes of `count` numbers of `each` bytes, or `None` past `u64`.
pub fn bytes_of(count: usize, each: usize) -> Option<u64> {
    (count as u64).checked_mul(each as u64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn this_machine_has_memory_to_give() {
        if cfg!(target_os = "linux") {
            assert!(super::available().is_some_and(|b| b > 1 << 20));
        }
        assert_eq!(super::bytes_of(10_000_000, 400), Some(4_000_000_000));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn small_pages_turns_huge_pages_off_for_the_process() {
        super::small_pages();
        // SAFETY: PR_GET_THP_DISABLE reads one flag of the process.
        let off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(off, 1);
    }
}
