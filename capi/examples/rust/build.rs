// Where libomni_c is (src/main.rs names it with #[link]): OMNI_C_LIB_DIR (CMake sets it for
// the test), else this repository's build/capi. The folder is also recorded as the rpath so
// the program finds the library when it runs.
use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=OMNI_C_LIB_DIR");
    let dir = match env::var_os("OMNI_C_LIB_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../../build/capi"),
    };
    println!("cargo:rustc-link-search=native={}", dir.display());
    if !cfg!(windows) {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    }
}
