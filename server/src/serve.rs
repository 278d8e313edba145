//! `repere serve`: binds the address and runs the application until Ctrl-C or SIGTERM, then
//! drains the requests in flight (see [`repere_server::listen`]). SIGHUP reloads the territory
//! (see [`repere_server::reload`]): the previous analysis serves until the new one is ready, and
//! stays when the reload fails.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use repere_server::basemap::{BASEMAP_ENV, Basemap};
use repere_server::listen::{ConnLimits, Drained};
use repere_server::{AppOptions, AppState};

/// Serves the application on `addr`; `territory` is the manifest reloaded on SIGHUP (the
/// embedded default when `None`).
pub fn serve(
    state: AppState,
    options: AppOptions,
    territory: Option<PathBuf>,
    addr: SocketAddr,
    limits: ConnLimits,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("écoute impossible sur {addr}"))?;
        let bound = listener.local_addr().unwrap_or(addr);
        // Handlers are installed before the server says it is up: a signal sent as soon as the
        // address is printed is never the default action (which would kill the process).
        let shutdown = shutdown_signal()?;
        reload_on_hangup(state.clone(), options.reload.clone(), territory)?;
        eprintln!(
            "Repère : {} servi sur http://{bound}/",
            state.analysis().dataset().name
        );
        if let Some(problem) = options.web.assets.problem() {
            eprintln!("Repère : carte web indisponible ({problem})");
        }
        if let Some(inv) = state.inventory.clone() {
            // Edits already in the store, then those other replicas make (polled every 500 ms).
            inv.catch_up(&state)
                .await
                .map_err(|e| anyhow::anyhow!("magasin d'acteurs : {e}"))?;
            let (publish, base) = (inv.clone(), state.served().base());
            repere_server::blocking(move || publish.publish(&base))
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
                // The log says when the store goes away and when it is back, not twice a second.
                let mut failing: Option<String> = None;
                loop {
                    tick.tick().await;
                    match inv.catch_up(&poll_state).await {
                        Ok(_) => {
                            if failing.take().is_some() {
                                eprintln!(
                                    "Repère : magasin d'acteurs de nouveau joignable, modifications des autres serveurs appliquées"
                                );
                            }
                        }
                        Err(e) => {
                            let shown = match &e {
                                repere_server::AppError::Internal(d) => d.clone(),
                                e => e.to_string(),
                            };
                            if failing.as_deref() != Some(shown.as_str()) {
                                eprintln!(
                                    "Repère : modifications d'un autre serveur non appliquées : {shown}"
                                );
                                failing = Some(shown);
                            }
                        }
                    }
                }
            });
        }
        eprintln!("Repère : fond de carte {}", options.web.basemap.label());
        match &options.geocoder {
            Some(g) => eprintln!(
                "Repère : recherche d'adresse par le géocodeur {}",
                g.url().as_str()
            ),
            None => eprintln!("Repère : recherche d'adresse désactivée (sans --geocoder)"),
        }
        if let Some(url) = &options.web.pmtiles {
            eprintln!(
                "Repère : la carte lit ses tuiles dans l'archive PMTiles {}",
                url.as_str()
            );
        }
        let app = repere_server::app_with(state, options);
        match repere_server::listen::run(listener, app, limits, shutdown).await {
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

/// A future completing on Ctrl-C (SIGINT) or SIGTERM; the handlers are installed now.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("impossible d'installer le gestionnaire de SIGTERM")?;
    let interrupt = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = interrupt.await;
        eprintln!("Repère : arrêt demandé, fin des requêtes en cours…");
    })
}

/// On each SIGHUP, reloads `territory` and lays the store's edits over it (see
/// [`repere_server::inventory::Inventory::reload`]): one path, with or without a store; the new
/// base and its analysis are swapped in only when both succeeded.
#[cfg(unix)]
fn reload_on_hangup(
    state: AppState,
    status: std::sync::Arc<repere_server::reload::ReloadStatus>,
    territory: Option<PathBuf>,
) -> anyhow::Result<()> {
    use repere_server::reload::ReloadFailure;
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangup =
        signal(SignalKind::hangup()).context("impossible d'installer le gestionnaire de SIGHUP")?;
    // `repere serve` always has an inventory (with or without a store): a reload lays the
    // store's edits, if any, over the reloaded territory.
    let inventory = state
        .inventory
        .clone()
        .context("rechargement impossible : inventaire des acteurs absent")?;
    tokio::spawn(async move {
        while hangup.recv().await.is_some() {
            eprintln!("Repère : rechargement du territoire demandé (SIGHUP)…");
            let folder = territory
                .as_deref()
                .and_then(std::path::Path::parent)
                .map(std::path::Path::to_path_buf);
            let territory = territory.clone();
            let outcome = inventory
                .reload(&state, &status, move || {
                    crate::territory::load(territory.as_deref())
                        .map_err(|e| ReloadFailure::from_load(&e, folder.as_deref()))
                })
                .await;
            if outcome.ok {
                let (publish, base) = (inventory.clone(), state.served().base());
                if let Err(e) = repere_server::blocking(move || publish.publish(&base)).await {
                    eprintln!("Repère : inventaire publié non mis à jour : {e}");
                }
            }
            if outcome.ok {
                eprintln!("Repère : territoire rechargé (version {})", outcome.version)
            } else {
                eprintln!(
                    "Repère : échec du rechargement, la version {} reste servie : {}",
                    outcome.version,
                    outcome.error.unwrap_or_default()
                )
            }
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn reload_on_hangup(
    _state: AppState,
    _status: std::sync::Arc<repere_server::reload::ReloadStatus>,
    _territory: Option<PathBuf>,
) -> anyhow::Result<()> {
    Ok(())
}

/// The basemap: `basemap` (`--basemap`), else the `REPERE_BASEMAP_STYLE` environment variable
/// (same values), else Plan IGN.
pub fn resolve_basemap(basemap: Option<Basemap>) -> anyhow::Result<Basemap> {
    Ok(match basemap {
        Some(b) => b,
        None => match std::env::var(BASEMAP_ENV) {
            Ok(v) if !v.trim().is_empty() => v
                .parse()
                .with_context(|| format!("variable d'environnement {BASEMAP_ENV}"))?,
            _ => Basemap::Ign,
        },
    })
}
