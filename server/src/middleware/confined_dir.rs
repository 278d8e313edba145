//! A static folder that serves only files inside it: [`tower_http::services::ServeDir`] refuses
//! `..` in the URL but follows symbolic links, so a link in `web/` (or a package in
//! `node_modules`) pointing elsewhere would publish that file. Here the requested path is
//! resolved (links followed) and must still lie inside the folder, else 404.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The folder's resolved path, the state of [`refuse_escaping`].
#[derive(Debug, Clone)]
pub struct Root(Arc<PathBuf>);

impl Root {
    /// Resolves `dir` once (the folder itself may be a link: its target is the root).
    pub fn new(dir: &Path) -> Self {
        Self(Arc::new(
            dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
        ))
    }

    /// Whether the URL path (relative to the folder) resolves inside it. A path that does not
    /// exist is "inside": the file service answers its 404.
    pub fn contains(&self, url_path: &str) -> bool {
        let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
        let candidate = self.0.join(decoded.trim_start_matches('/'));
        match candidate.canonicalize() {
            Ok(resolved) => resolved.starts_with(&*self.0),
            Err(_) => true,
        }
    }
}

/// The middleware in front of a `ServeDir` (use with [`axum::middleware::from_fn_with_state`]).
pub async fn refuse_escaping(State(root): State<Root>, request: Request, next: Next) -> Response {
    if root.contains(request.uri().path()) {
        next.run(request).await
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_link_out_of_the_folder_is_refused_and_a_file_inside_is_not() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let web = tempfile::tempdir().unwrap();
        std::fs::write(web.path().join("app.js"), "ok").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            web.path().join("leak.txt"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), web.path().join("out")).unwrap();
        let root = Root::new(web.path());
        assert!(root.contains("/app.js"));
        assert!(root.contains("/missing.js"));
        assert!(!root.contains("/leak.txt"));
        assert!(!root.contains("/out/secret.txt"));
        assert!(!root.contains("/%6Ceak.txt"));
    }
}
