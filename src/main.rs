//! The `geostance` command-line tool.
fn main() {}
