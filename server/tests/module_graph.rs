//! The module graph the issue asks for, checked on the sources: no import cycle between the
//! command line and a command module, nor between the route modules and the OpenAPI module
//! (both sides depend only on `routes::doc` and the one route list `routes::ALL`).

use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The code of a file without its comments (doc links may name any module).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_route_module_imports_the_openapi_module_and_openapi_imports_no_route_module() {
    let files = rust_files(&src().join("routes"));
    assert!(files.len() > 10, "routes/ not found");
    let route_modules: Vec<&str> = files
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !["mod", "doc", "openapi"].contains(n))
        .collect();
    for (name, text) in &files {
        let code = code(text);
        if name == "openapi" {
            for module in &route_modules {
                assert!(
                    !code.contains(&format!("super::{module}")),
                    "openapi.rs imports the route module {module}"
                );
            }
        } else if name != "mod" {
            assert!(
                !code.contains("openapi"),
                "routes/{name}.rs refers to the OpenAPI module"
            );
        }
    }
}

#[test]
fn no_command_module_imports_the_command_line() {
    let files = rust_files(&src());
    let commands: Vec<&(String, String)> = files
        .iter()
        .filter(|(n, _)| {
            n.starts_with("cmd_") || ["serve", "territory", "output"].contains(&n.as_str())
        })
        .collect();
    assert!(commands.len() >= 6, "command modules not found");
    for (name, text) in commands {
        assert!(
            !code(text).contains("crate::cli"),
            "{name}.rs imports crate::cli, which imports it"
        );
    }
}

/// One place decides what is served (issue 27): the inventory persists edits and the reload
/// records outcomes, both through `served`; neither imports the application state, which holds
/// them (on b5438d9 `inventory.rs` imported `crate::state` while `state.rs` imported the
/// inventory).
#[test]
fn the_inventory_and_the_reload_go_through_the_served_analysis_not_the_state() {
    let files = rust_files(&src());
    let text = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| code(t))
            .unwrap_or_else(|| panic!("{name}.rs not found"))
    };
    for name in ["inventory", "reload", "served"] {
        let code = text(name);
        assert!(
            !code.contains("crate::state") && !code.contains("crate::AppState"),
            "{name}.rs imports the application state"
        );
    }
    for name in ["inventory", "reload"] {
        assert!(
            text(name).contains("crate::served"),
            "{name}.rs does not go through the served analysis"
        );
    }
    assert!(
        !text("served").contains("crate::inventory"),
        "served.rs imports the inventory"
    );
}
