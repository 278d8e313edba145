//! `repere serve`: binds the address and runs the application until Ctrl-C.

use std::net::SocketAddr;

use anyhow::Context;
use repere_server::AppState;

/// Serves the application on `addr`.
pub fn serve(state: AppState, addr: SocketAddr) -> anyhow::Result<()> {
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
        axum::serve(listener, repere_server::app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("server failed")
    })
}
