//! Sets `cfg(tsfdw_strict)` for the shared host sources (../core/src) when they are compiled
//! as `tsfdw-host-strict`, i.e. against the current wasmtime instead of wasmtime 36.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(tsfdw_strict)");
    println!("cargo::rustc-cfg=tsfdw_strict");
}
