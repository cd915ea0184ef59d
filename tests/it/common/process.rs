//! Processes seen from outside: signals through `kill(1)` (the crate has no unsafe code and no
//! signal crate), children found through /proc, and waits that are always bounded.

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// Sends `signal` (e.g. "INT", "KILL") to one process.
pub fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Direct children of `pid`, from /proc/<pid>/task/*/children.
pub fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        out.extend(
            text.split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok()),
        );
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// Descendants of `pid` (up to 3 levels deep) whose command line contains `needle`.
pub fn descendants_named(pid: u32, needle: &str) -> Vec<u32> {
    let mut found = Vec::new();
    let mut level = vec![pid];
    for _ in 0..3 {
        let next: Vec<u32> = level.iter().flat_map(|p| children(*p)).collect();
        found.extend(
            next.iter()
                .copied()
                .filter(|p| cmdline(*p).contains(needle)),
        );
        level = next;
    }
    found
}

/// Waits until `child` exits, at most `limit`; `None` if it is still running (it is then
/// killed, so that a failing test leaves nothing behind).
pub fn wait_at_most(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls `cond` every 100 ms for at most `limit`; whether it became true.
pub fn eventually(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    cond()
}
