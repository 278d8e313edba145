//! The web map: `GET /` (the page), `GET /accessibilite` (the accessibility statement), `/app/…`
//! (its own modules and styles), `/vendor/maplibre-gl/…` (MapLibre GL JS from `web/node_modules`),
//! `/vendor/pmtiles/…` (the npm `pmtiles` reader, loaded by the page only when its tiles come
//! from a PMTiles archive) and `GET /web-config.json` (the basemap chosen with
//! `repere serve --basemap`, where the tiles come from with `--tiles-url`).
//!
//! The files are read from disk, never embedded: `web/node_modules` is installed by
//! `npm ci --prefix web` (see `scripts/setup-web.sh`) and is absent from a fresh clone.
//! `repere serve` finds the folder with [`WebAssets::locate`], given the `REPERE_WEB_DIR`
//! environment variable it read (the router reads no environment):
//! 1. that variable's folder;
//! 2. `web/` next to the executable or up to three folders above it (`target/release/repere`
//!    finds the workspace's `web/`);
//! 3. `web/` of the workspace this binary was compiled from (`CARGO_MANIFEST_DIR/../web`).
//!
//! When MapLibre is missing, `GET /` answers 503 with the command to run, and `repere serve`
//! prints the same message at start.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

use crate::middleware::confined_dir::{Root, refuse_escaping};

/// Environment variable naming the web folder (the one holding `index.html`).
pub const WEB_DIR_ENV: &str = "REPERE_WEB_DIR";

/// Where the page's files are and which optional parts are installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAssets {
    /// The web folder (holds `index.html`), when one was found.
    pub dir: Option<PathBuf>,
}

impl Default for WebAssets {
    /// The `web/` folder of the workspace this binary was compiled from, if it is there.
    fn default() -> Self {
        Self {
            dir: compiled_from().filter(|d| is_web_dir(d)),
        }
    }
}

fn compiled_from() -> Option<PathBuf> {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|root| root.join("web"))
}

impl WebAssets {
    /// Finds the web folder (see the module documentation for the order): `web_dir` is the
    /// value of [`WEB_DIR_ENV`], read by the caller.
    pub fn locate(web_dir: Option<PathBuf>) -> Self {
        if let Some(dir) = web_dir {
            return Self { dir: Some(dir) };
        }
        let beside_exe = std::env::current_exe().ok().and_then(|exe| {
            exe.ancestors()
                .skip(1)
                .take(4)
                .map(|d| d.join("web"))
                .find(|d| is_web_dir(d))
        });
        Self {
            dir: beside_exe.or(compiled_from().filter(|d| is_web_dir(d))),
        }
    }

    /// `None` when the page can be served; otherwise what is missing and the command to run.
    pub fn problem(&self) -> Option<String> {
        match &self.dir {
            None => Some(format!(
                "dossier de la carte introuvable : donnez à {WEB_DIR_ENV} le chemin du dossier web/ du dépôt"
            )),
            Some(dir) if !dir.join("index.html").is_file() => Some(format!(
                "page de la carte absente : {} n'a pas de index.html",
                dir.display()
            )),
            Some(dir)
                if !dir
                    .join("node_modules/maplibre-gl/dist/maplibre-gl.mjs")
                    .is_file() =>
            {
                Some(format!(
                    "fichiers de la carte absents de {} : lancez une fois scripts/setup-web.sh (npm ci --prefix web)",
                    dir.join("node_modules").display()
                ))
            }
            Some(_) => None,
        }
    }
}

impl WebAssets {
    /// [`WebAssets::problem`] as an anonymous visitor may read it: what is missing and the
    /// command to run, without the server's absolute paths (those go to the log).
    pub fn public_problem(&self) -> Option<String> {
        match &self.dir {
            None => self.problem(),
            Some(dir) if !dir.join("index.html").is_file() => {
                Some("page de la carte absente : le dossier web/ n'a pas de index.html".to_owned())
            }
            Some(_) => self.problem().map(|_| {
                "fichiers de la carte absents de web/node_modules : lancez une fois scripts/setup-web.sh (npm ci --prefix web)"
                    .to_owned()
            }),
        }
    }
}

fn is_web_dir(dir: &Path) -> bool {
    dir.join("index.html").is_file() && dir.join("app").is_dir()
}

/// A static folder that serves no file outside it (see [`crate::middleware::confined_dir`]).
fn confined(dir: PathBuf) -> Router {
    let root = Root::new(&dir);
    Router::new()
        .fallback_service(ServeDir::new(dir))
        .layer(axum::middleware::from_fn_with_state(root, refuse_escaping))
}

/// The web router over the page options and the assets they name.
/// `geocoder`: whether address search is on (`repere serve --geocoder`), said to the page.
pub fn router<S: Clone + Send + Sync + 'static>(
    options: &crate::WebOptions,
    geocoder: bool,
) -> Router<S> {
    let assets = &options.assets;
    let config = Json(serde_json::json!({
        "basemap": options.basemap.config_json(),
        "glyphs": "/fonts/{fontstack}/{range}.pbf",
        "tiles": crate::static_tiles::config_json(options.pmtiles.as_ref()),
        "geocoder": geocoder,
    }));
    let router = Router::new().route("/web-config.json", get(move || async move { config }));
    let (Some(dir), None) = (&assets.dir, assets.problem()) else {
        let message = assets.public_problem().unwrap_or_default();
        return router.route("/", get(move || async move { missing_page(&message) }));
    };
    router
        .route_service("/", ServeFile::new(dir.join("index.html")))
        .route_service(
            "/accessibilite",
            ServeFile::new(dir.join("accessibilite.html")),
        )
        .nest_service("/app", confined(dir.join("app")))
        .nest_service(
            "/vendor/maplibre-gl",
            confined(dir.join("node_modules/maplibre-gl/dist")),
        )
        .nest_service(
            "/vendor/pmtiles",
            confined(dir.join("node_modules/pmtiles/dist")),
        )
}

fn missing_page(message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Repère : carte indisponible</title>\
         <h1>La carte n'est pas installée</h1><p>{}</p>\
         <p>Depuis la racine du dépôt : <code>scripts/setup-web.sh</code>, puis relancer <code>repere serve</code>. \
         L'API (<code>/api/…</code>) et les tuiles (<code>/tiles/…</code>) restent disponibles.</p></html>",
        escape_html(message)
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, "no-store")],
        Html(body),
    )
        .into_response()
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn workspace_web() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../web")
    }

    async fn get_path(router: Router<()>, path: &str) -> (StatusCode, Option<String>, String) {
        let response = router
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let ctype = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, ctype, String::from_utf8_lossy(&body).into_owned())
    }

    /// GET `path` from the page router serving `assets` with `options`.
    async fn get_with(
        assets: &WebAssets,
        options: crate::WebOptions,
        path: &str,
    ) -> (StatusCode, Option<String>, String) {
        let options = crate::WebOptions {
            assets: assets.clone(),
            ..options
        };
        get_path(router(&options, false), path).await
    }

    /// The workspace's web folder, or `None` when `npm ci` has not run there (the 503 path is
    /// tested apart).
    fn installed_web() -> Option<WebAssets> {
        let assets = WebAssets {
            dir: Some(workspace_web()),
        };
        assets.problem().is_none().then_some(assets)
    }

    #[test]
    fn the_workspace_web_folder_is_found_when_compiled_here() {
        let found = WebAssets::locate(None);
        assert!(found.dir.is_some(), "no web folder found");
        assert_eq!(WebAssets::default().dir, found.dir);
        let named = WebAssets::locate(Some(PathBuf::from("/elsewhere/web")));
        assert_eq!(named.dir.as_deref(), Some(Path::new("/elsewhere/web")));
    }

    #[tokio::test]
    async fn the_page_is_served_in_french_at_the_root() {
        let Some(assets) = installed_web() else {
            return;
        };
        let (status, ctype, body) = get_with(&assets, crate::WebOptions::default(), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ctype.unwrap().starts_with("text/html"));
        assert!(body.contains("<html lang=\"fr\""));
    }

    #[tokio::test]
    async fn maplibre_modules_are_served_as_javascript() {
        let Some(assets) = installed_web() else {
            return;
        };
        for path in [
            "/vendor/maplibre-gl/maplibre-gl.mjs",
            "/vendor/maplibre-gl/maplibre-gl-worker.mjs",
        ] {
            let (status, ctype, _) = get_with(&assets, crate::WebOptions::default(), path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(ctype.as_deref(), Some("application/javascript"), "{path}");
        }
    }

    #[tokio::test]
    async fn missing_npm_assets_give_a_503_page_naming_the_setup_script() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html lang=\"fr\"></html>").unwrap();
        std::fs::create_dir(dir.path().join("app")).unwrap();
        let assets = WebAssets {
            dir: Some(dir.path().to_path_buf()),
        };
        assert!(assets.problem().unwrap().contains("scripts/setup-web.sh"));
        let (status, _, body) = get_with(&assets, crate::WebOptions::default(), "/").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("scripts/setup-web.sh"));
        // The server's absolute paths stay in its log.
        assert!(
            !body.contains(&dir.path().display().to_string()),
            "absolute path on the public page: {body}"
        );
        assert!(body.contains("web/node_modules"), "{body}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn static_files_never_follow_a_link_out_of_the_web_folder() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html lang=\"fr\"></html>").unwrap();
        std::fs::create_dir(dir.path().join("app")).unwrap();
        std::fs::write(dir.path().join("app/ok.js"), "export {};").unwrap();
        let dist = dir.path().join("node_modules/maplibre-gl/dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("maplibre-gl.mjs"), "export {};").unwrap();
        let link = |to: &Path, at: PathBuf| std::os::unix::fs::symlink(to, at).unwrap();
        link(
            &outside.path().join("secret.txt"),
            dir.path().join("app/leak.txt"),
        );
        link(outside.path(), dir.path().join("app/out"));
        link(&outside.path().join("secret.txt"), dist.join("leak.txt"));
        let assets = WebAssets {
            dir: Some(dir.path().to_path_buf()),
        };
        assert_eq!(assets.problem(), None);
        let (status, _, body) = get_with(&assets, crate::WebOptions::default(), "/app/ok.js").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for path in [
            "/app/leak.txt",
            "/app/out/secret.txt",
            "/vendor/maplibre-gl/leak.txt",
        ] {
            let (status, _, body) = get_with(&assets, crate::WebOptions::default(), path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!body.contains("secret"), "{path}: {body}");
        }
    }

    #[tokio::test]
    async fn the_web_config_names_the_basemap_chosen_by_the_options() {
        let dir = tempfile::tempdir().unwrap();
        let assets = WebAssets {
            dir: Some(dir.path().to_path_buf()),
        };
        let (status, ctype, body) =
            get_with(&assets, crate::WebOptions::default(), "/web-config.json").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ctype.as_deref(), Some("application/json"));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["basemap"]["kind"], "none");
        assert_eq!(v["basemap"]["style_url"], serde_json::Value::Null);
        assert_eq!(v["tiles"]["kind"], "server");
        let ign = crate::WebOptions {
            basemap: crate::basemap::Basemap::Ign,
            ..Default::default()
        };
        let (_, _, body) = get_with(&assets, ign.clone(), "/web-config.json").await;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["basemap"]["kind"], "ign");
        assert_eq!(
            v["basemap"]["style_url"],
            crate::basemap::IGN_PLAN_STYLE_URL
        );
    }

    #[tokio::test]
    async fn the_web_config_names_the_pmtiles_archive_and_its_reader_is_served() {
        let options = crate::WebOptions {
            pmtiles: Some("https://cdn.example.org/france.pmtiles".parse().unwrap()),
            ..Default::default()
        };
        let assets = WebAssets {
            dir: Some(workspace_web()),
        };
        let (_, _, body) = get_with(&assets, options.clone(), "/web-config.json").await;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["tiles"]["kind"], "pmtiles");
        assert_eq!(v["tiles"]["url"], "https://cdn.example.org/france.pmtiles");
        if assets.problem().is_some() {
            return;
        }
        let (status, ctype, body) =
            get_with(&assets, options.clone(), "/vendor/pmtiles/pmtiles.js").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "run scripts/setup-web.sh: {body:.200}"
        );
        assert!(
            ctype.as_deref().is_some_and(|t| t.ends_with("/javascript")),
            "{ctype:?}"
        );
        assert!(
            body.contains("Protocol"),
            "the pmtiles reader with its MapLibre protocol"
        );
    }

    #[tokio::test]
    async fn the_accessibility_statement_is_served_in_french() {
        let Some(assets) = installed_web() else {
            return;
        };
        let (status, ctype, body) =
            get_with(&assets, crate::WebOptions::default(), "/accessibilite").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ctype.unwrap().starts_with("text/html"));
        assert!(body.contains("Déclaration d'accessibilité"));
        assert!(body.contains("<html lang=\"fr\""));
    }
}
