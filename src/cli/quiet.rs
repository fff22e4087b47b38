//! Silencing standard error around a call that prints when it should not (linfa-bayes 0.8.1's
//! leftover `dbg!` in `MultinomialNb::fit_with`).

/// Redirects file descriptor 2 to /dev/null until dropped (Unix; a no-op elsewhere).
pub struct StderrSilencer {
    #[cfg(unix)]
    saved: Option<libc::c_int>,
}

impl StderrSilencer {
    /// Starts silencing.
    pub fn new() -> Self {
        #[cfg(unix)]
        {
            use std::io::Write;
            let _ = std::io::stderr().flush();
            // SAFETY: plain descriptor calls; every result is checked before use.
            let saved = unsafe {
                let saved = libc::dup(2);
                let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
                if saved < 0 || null < 0 {
                    if saved >= 0 {
                        libc::close(saved);
                    }
                    if null >= 0 {
                        libc::close(null);
                    }
                    None
                } else {
                    libc::dup2(null, 2);
                    libc::close(null);
                    Some(saved)
                }
            };
            StderrSilencer { saved }
        }
        #[cfg(not(unix))]
        StderrSilencer {}
    }
}

impl Drop for StderrSilencer {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = self.saved.take() {
            // SAFETY: `saved` is a descriptor we duplicated and still own.
            unsafe {
                libc::dup2(saved, 2);
                libc::close(saved);
            }
        }
    }
}
