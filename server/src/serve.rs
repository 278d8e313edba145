//! `repere serve`: binds the address and runs the application until Ctrl-C.

use std::net::SocketAddr;

use anyhow::Context;
use repere_server::basemap::{BASEMAP_ENV, Basemap};
use repere_server::{AppState, WebOptions};

/// Serves the application on `addr`. The basemap is `basemap` (`--basemap`), else the
/// `REPERE_BASEMAP_STYLE` environment variable (same values), else Plan IGN.
pub fn serve(state: AppState, addr: SocketAddr, basemap: Option<Basemap>) -> anyhow::Result<()> {
    let basemap = match basemap {
        Some(b) => b,
        None => match std::env::var(BASEMAP_ENV) {
            Ok(v) if !v.trim().is_empty() => v
                .parse()
                .with_context(|| format!("variable d'environnement {BASEMAP_ENV}"))?,
            _ => Basemap::Ign,
        },
    };
    let options = WebOptions { basemap };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        eprintln!(
            "Repère : {} servi sur http://{addr}/",
            state.analysis().dataset().name
        );
        if let Some(problem) = repere_server::routes::web::WebAssets::locate().problem() {
            eprintln!("Repère : carte web indisponible ({problem})");
        }
        eprintln!("Repère : fond de carte {}", options.basemap.label());
        axum::serve(listener, repere_server::app_with(state, &options))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("server failed")
    })
}
