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
        if let Some(inv) = state.inventory.clone() {
            // Edits already in the store, then those other replicas make (polled every 500 ms).
            inv.catch_up(&state)
                .await
                .map_err(|e| anyhow::anyhow!("magasin d'acteurs : {e}"))?;
            let publish = inv.clone();
            repere_server::blocking(move || publish.publish())
                .await
                .map_err(|e| anyhow::anyhow!("magasin d'acteurs : {e}"))?;
            match (inv.store_description(), inv.read_only_reason()) {
                (Some(store), None) => eprintln!("Repère : acteurs modifiables, magasin {store}"),
                (_, Some(reason)) => eprintln!("Repère : {reason}"),
                (None, None) => {}
            }
            let poll_state = state.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
                loop {
                    tick.tick().await;
                    if let Err(e) = inv.catch_up(&poll_state).await {
                        eprintln!("Repère : modifications d'un autre serveur non appliquées : {e}");
                    }
                }
            });
        }
        axum::serve(listener, repere_server::app(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("server failed")
    })
}
