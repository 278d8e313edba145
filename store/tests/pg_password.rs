//! The PostGIS password without the command line (issue 26 item 9), on a real cluster that
//! requires passwords: from a password file, `PGPASSWORD` or `~/.pgpass` (ignored when others
//! can read it, as libpq does); connection errors say in French what is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;

use repere_store::pg_password::Credentials;
use repere_store::postgis::PostgisStore;
use repere_store::testing::TempPostgres;

const PASSWORD: &str = "un-mot-de-passe:avec\\deux-signes";

/// A cluster requiring passwords, with a role `repere` owning database `inventaire` (PostGIS
/// created by the superuser); returns the cluster and the URL without password.
fn cluster() -> (TempPostgres, String) {
    let pg = TempPostgres::start().unwrap();
    let url = pg.owned_database("inventaire", "repere", PASSWORD).unwrap();
    pg.require_passwords().unwrap();
    (pg, url)
}

fn connect(url: &str, creds: Credentials) -> Result<PostgisStore, String> {
    let url = url.to_owned();
    std::thread::spawn(move || PostgisStore::connect_with(&url, &creds).map_err(|e| e.to_string()))
        .join()
        .unwrap()
}

fn french(message: &str) {
    let message = &message.replace("--store-password-file", "");
    for english in ["password", "error", "connection", "refused", "db "] {
        assert!(!message.contains(english), "English in: {message}");
    }
}

#[test]
fn the_password_comes_from_a_file_pgpassword_or_pgpass_and_errors_are_french() {
    let (pg, url) = cluster();
    let dir = tempfile::tempdir().unwrap();

    // None given: the server asks for one; the message says where to put it.
    let e = connect(&url, Credentials::default()).err().unwrap();
    assert!(
        e.contains("mot de passe")
            && e.contains("PGPASSWORD")
            && e.contains("--store-password-file"),
        "{e}"
    );
    french(&e);

    // A wrong one: refused, saying where it came from.
    let e = connect(
        &url,
        Credentials {
            env_password: Some("pas-le-bon".into()),
            ..Default::default()
        },
    )
    .err()
    .unwrap();
    assert!(
        e.contains("authentification refusée") && e.contains("PGPASSWORD"),
        "{e}"
    );
    french(&e);

    // PGPASSWORD.
    let store = connect(
        &url,
        Credentials {
            env_password: Some(PASSWORD.into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(repere_store::Store::warnings(&store).is_empty());
    drop(store);

    // --store-password-file (first line; a trailing newline is not part of it).
    let file = dir.path().join("mot-de-passe");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let creds = Credentials {
        password_file: Some(file.clone()),
        env_password: Some("pas-le-bon".into()),
        ..Default::default()
    };
    drop(connect(&url, creds).unwrap());

    // ~/.pgpass: a matching line (the `:` and `\` of the password escaped), 0600 only.
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap();
    let pgpass = dir.path().join(".pgpass");
    let escaped = PASSWORD.replace('\\', "\\\\").replace(':', "\\:");
    std::fs::write(
        &pgpass,
        format!("autre:{port}:*:repere:non\n127.0.0.1:{port}:inventaire:repere:{escaped}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let creds = Credentials {
        pgpass: Some(pgpass.clone()),
        ..Default::default()
    };
    drop(connect(&url, creds.clone()).unwrap());
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = connect(&url, creds).err().unwrap();
    assert!(
        e.contains("mot de passe"),
        "a world-readable .pgpass is used: {e}"
    );

    // The password in the URL still works, with a warning that `ps` shows it.
    let in_url = url.replacen(
        "repere@",
        &format!(
            "repere:{}@",
            PASSWORD.replace(':', "%3A").replace('\\', "%5C")
        ),
        1,
    );
    let store = connect(&in_url, Credentials::default()).unwrap();
    assert!(
        repere_store::Store::warnings(&store)
            .iter()
            .any(|w| w.contains("ps")),
        "{:?}",
        repere_store::Store::warnings(&store)
    );
    drop(store);

    // A database that does not exist; a port where nothing listens.
    let creds = Credentials {
        env_password: Some(PASSWORD.into()),
        ..Default::default()
    };
    let e = connect(&url.replace("/inventaire", "/absente"), creds.clone())
        .err()
        .unwrap();
    assert!(e.contains("« absente » n'existe pas"), "{e}");
    french(&e);
    // A role that may not create the PostGIS extension: said so, with what to do.
    let bare = pg.database("sansgis").unwrap();
    pg.execute(&format!("CREATE ROLE lecteur LOGIN PASSWORD '{PASSWORD}'"))
        .unwrap();
    let bare = bare.replacen("postgres@", "lecteur@", 1);
    let e = connect(&bare, creds.clone()).err().unwrap();
    assert!(
        e.contains("droits insuffisants") && e.contains("CREATE EXTENSION postgis"),
        "{e}"
    );
    drop(pg);
    let e = connect(&url, creds).err().unwrap();
    assert!(e.contains("aucun serveur PostgreSQL n'écoute"), "{e}");
    french(&e);
}
