//! `repere serve`: binds the address and runs the application until Ctrl-C or SIGTERM, then
//! drains the requests in flight (see [`repere_server::listen`]).

use std::net::SocketAddr;

use anyhow::Context;
use repere_server::listen::{ConnLimits, Drained};
use repere_server::{AppOptions, AppState};

/// Serves the application on `addr`.
pub fn serve(
    state: AppState,
    options: AppOptions,
    addr: SocketAddr,
    limits: ConnLimits,
) -> anyhow::Result<()> {
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
        let app = repere_server::app_with(state, options);
        match repere_server::listen::run(listener, app, limits, shutdown_signal()).await {
            Drained::Complete => {
                eprintln!("Repère : arrêté, toutes les requêtes en cours ont abouti")
            }
            Drained::TimedOut => eprintln!(
                "Repère : arrêté après {} s d'attente, des requêtes en cours ont été interrompues",
                limits.drain_timeout.as_secs()
            ),
        }
        Ok(())
    })
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("Repère : arrêt demandé, fin des requêtes en cours…");
}
