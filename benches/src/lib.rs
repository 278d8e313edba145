//! Benchmarks of Repère's hot paths (`benches/benches/`) and comparison scripts against the
//! reference tools (`benches/*.sh`). Not published.
