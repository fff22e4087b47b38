//! Running the geostance binary in the integration tests.

use assert_cmd::Command;

/// Runs `cmd`, fails the test with its stderr unless it exited with success, and returns its
/// output.
pub fn success(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
