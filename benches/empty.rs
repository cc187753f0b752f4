//! The baseline for `benches/startup.sh`: a Rust program that does nothing.
fn main() {}
