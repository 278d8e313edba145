//! The module graph the issue asks for, checked on the sources: no import cycle between the
//! command line and a command module, nor between the route modules and the OpenAPI module
//! (both sides depend only on `routes::doc` and the one route list `routes::ALL`), and no import
//! cycle between the modules of `engine/src` or of `server/src`.

use std::collections::{BTreeMap, BTreeSet};
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

/// A module's path from its crate root (`transit/isochrone.rs` → `["transit", "isochrone"]`,
/// `walking/mod.rs` → `["walking"]`, `lib.rs`/`main.rs` → `[]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let mut path: Vec<String> = file
        .strip_prefix(src)
        .unwrap()
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(path.last().map(String::as_str), Some("mod")) {
        path.pop();
    }
    if path.len() == 1 && ["lib", "main"].contains(&path[0].as_str()) {
        path.clear();
    }
    path
}

/// Every module of a source tree (all `.rs` files below `src`) with its code, comments left out.
fn module_tree(src: &Path) -> BTreeMap<Vec<String>, String> {
    let mut modules = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                // `lib.rs` and `main.rs` are both roots: their code is read as one.
                let text = code(&fs::read_to_string(&p).unwrap());
                let module: &mut String = modules.entry(module_path(src, &p)).or_default();
                module.push_str(&text);
                module.push('\n');
            }
        }
    }
    modules
}

/// The paths a piece of code names from `start` (just after `crate::` or `super::`), with
/// groups expanded: `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand_paths(code: &[u8], start: usize) -> Vec<String> {
    // The path as written up to its end, braces included.
    let mut depth = 0usize;
    let mut end = start;
    while end < code.len() {
        let c = code[end];
        if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if depth == 0 && !(c.is_ascii_alphanumeric() || c == b'_' || c == b':') {
            break;
        }
        end += 1;
    }
    let written = String::from_utf8_lossy(&code[start..end])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(", ", ",")
        .replace("{ ", "{")
        .replace(" }", "}")
        .replace(",}", "}");
    fn expand(path: &str) -> Vec<String> {
        let Some(open) = path.find('{') else {
            return vec![path.to_string()];
        };
        let (prefix, inner) = (&path[..open], &path[open + 1..path.len() - 1]);
        let mut parts = Vec::new();
        let (mut depth, mut from) = (0usize, 0usize);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&inner[from..i]);
                    from = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&inner[from..]);
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .flat_map(|p| expand(p).into_iter().map(move |e| format!("{prefix}{e}")))
            .collect()
    }
    if written.ends_with('}') || !written.contains('{') {
        expand(&written)
    } else {
        Vec::new()
    }
}

/// The names a crate root re-exports (`pub use point::Wgs84Point;` → `Wgs84Point` → `point`).
fn root_reexports(root_code: &str) -> BTreeMap<String, String> {
    let bytes = root_code.as_bytes();
    let mut names = BTreeMap::new();
    for (at, _) in root_code.match_indices("pub use ") {
        for path in expand_paths(bytes, at + "pub use ".len()) {
            let segments: Vec<&str> = path.split("::").collect();
            if segments.len() >= 2 {
                names.insert(
                    segments.last().unwrap().to_string(),
                    segments[0].to_string(),
                );
            }
        }
    }
    names
}

/// The import graph of a source tree, between sibling modules: an import from `a::b::c` of
/// `a::d::e` is an arrow `b → d` under `a` (their closest common ancestor); imports of an
/// ancestor or a descendant are not arrows. Paths are read from `crate::…` and `super::…`
/// (in `use` lines and in code), groups `crate::a::{b, c}` included.
fn sibling_arrows(src: &Path) -> BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> {
    let modules = module_tree(src);
    let reexports = modules
        .get(&Vec::new())
        .map(|root| root_reexports(root))
        .unwrap_or_default();
    let mut arrows: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, code) in &modules {
        let bytes = code.as_bytes();
        for keyword in ["crate::", "super::"] {
            for (at, _) in code.match_indices(keyword) {
                let before = at.checked_sub(1).map(|i| bytes[i]);
                if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
                    continue;
                }
                for path in expand_paths(bytes, at + keyword.len()) {
                    let mut full: Vec<String> = if keyword == "crate::" {
                        Vec::new()
                    } else {
                        from[..from.len().saturating_sub(1)].to_vec()
                    };
                    for segment in path.split("::").filter(|s| !s.is_empty()) {
                        match segment {
                            "super" => {
                                full.pop();
                            }
                            "self" => {}
                            s => full.push(s.split(" as ").next().unwrap().to_string()),
                        }
                    }
                    let to = (0..=full.len())
                        .rev()
                        .map(|k| full[..k].to_vec())
                        .find(|m| !m.is_empty() && modules.contains_key(m))
                        .or_else(|| {
                            let name = full.first()?;
                            Some(vec![reexports.get(name)?.clone()])
                        });
                    let Some(to) = to else { continue };
                    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
                    if common == from.len() || common == to.len() {
                        continue;
                    }
                    arrows
                        .entry(from[..common].to_vec())
                        .or_default()
                        .entry(from[common].clone())
                        .or_default()
                        .insert(to[common].clone());
                }
            }
        }
    }
    arrows
}

/// The import cycles of a source tree, each as its modules' paths (`transit ↔ walking`),
/// from the strongly connected components of each folder's sibling graph.
fn cycles(src: &Path) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (parent, graph) in sibling_arrows(src) {
        // Reachability by repeated search: the graphs are small (at most ~40 siblings).
        let reach = |start: &String| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start.clone()];
            while let Some(m) = stack.pop() {
                for next in graph.get(&m).into_iter().flatten() {
                    if seen.insert(next.clone()) {
                        stack.push(next.clone());
                    }
                }
            }
            seen
        };
        let mut placed = BTreeSet::new();
        for module in graph.keys() {
            if placed.contains(module) {
                continue;
            }
            let from_module = reach(module);
            if !from_module.contains(module) {
                continue;
            }
            let component: Vec<String> = from_module
                .iter()
                .filter(|other| reach(other).contains(module))
                .map(|m| {
                    placed.insert(m.clone());
                    parent
                        .iter()
                        .chain([m])
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("::")
                })
                .collect();
            found.push(component);
        }
    }
    found
}

#[test]
fn the_graph_reader_sees_groups_super_and_cycles() {
    let code = b"use crate::a::{b, c::{d, e as f}};";
    assert_eq!(
        expand_paths(code, "use crate::".len()),
        ["a::b", "a::c::d", "a::c::e as f"]
    );
    let dir = std::env::temp_dir().join(format!("module_graph_{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("x")).unwrap();
    fs::write(dir.join("lib.rs"), "mod x; mod y; mod z;\n").unwrap();
    fs::write(dir.join("x/mod.rs"), "mod inner;\n").unwrap();
    fs::write(dir.join("x/inner.rs"), "use crate::{y::Y, w};\n").unwrap();
    fs::write(dir.join("y.rs"), "fn f() { super::z::g() }\n").unwrap();
    fs::write(dir.join("z.rs"), "// use crate::x;\n").unwrap();
    assert!(cycles(&dir).is_empty(), "{:?}", cycles(&dir));
    fs::write(dir.join("z.rs"), "pub fn g() { crate::x::inner::h() }\n").unwrap();
    assert_eq!(cycles(&dir), [["x", "y", "z"]]);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_engine_has_no_import_cycle() {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src");
    let arrows = sibling_arrows(&engine);
    assert!(arrows[&Vec::new()].len() > 20, "engine modules not found");
    assert_eq!(cycles(&engine), Vec::<Vec<String>>::new());
}

/// No import cycle in the server either: the inventory persists edits and the reload records
/// outcomes through `served`, never through the state that holds them.
#[test]
fn the_server_has_no_import_cycle() {
    let arrows = sibling_arrows(&src());
    assert!(arrows[&Vec::new()].len() > 5, "server modules not found");
    assert_eq!(cycles(&src()), Vec::<Vec<String>>::new());
}
