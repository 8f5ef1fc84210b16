// The built-in packs under the repository's `rules/` are embedded with include_dir, which
// does not tell cargo about them: rebuild whenever a rule file changes.
fn main() {
    println!("cargo:rerun-if-changed=../../rules");
}
