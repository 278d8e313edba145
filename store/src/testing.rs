//! Test support: a throwaway PostgreSQL + PostGIS cluster from the Debian packages
//! (`postgresql`, `postgresql-15-postgis-3`, installed by `scripts/test.sh` and `.ci/run`), in a
//! temporary folder on a free port, stopped and deleted on drop. `initdb` refuses to run as
//! root, so as root the cluster runs as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::StoreError;

/// A running temporary cluster.
pub struct TempPostgres {
    dir: PathBuf,
    bin: PathBuf,
    /// Server options of `pg_ctl start` (port, socket folder), kept for [`TempPostgres::restart`].
    opts: String,
    /// `postgresql://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
}

fn fail(m: impl Into<String>) -> StoreError {
    StoreError::Backend {
        store: "PostgreSQL de test".into(),
        message: m.into(),
    }
}

fn bin_dir() -> Result<PathBuf, StoreError> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| {
            fail("PostgreSQL absent (/usr/lib/postgresql) : lancez scripts/test.sh, qui installe postgresql et postgresql-15-postgis-3")
        })?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found
        .pop()
        .ok_or_else(|| fail("initdb introuvable sous /usr/lib/postgresql/*/bin"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn run(bin: &Path, tool: &str, args: &[&str]) -> Result<(), StoreError> {
    let exe = bin.join(tool);
    let out = if is_root() {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(&exe)
            .args(args)
            .output()
    } else {
        Command::new(&exe).args(args).output()
    }
    .map_err(|e| fail(format!("{tool} : {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(fail(format!(
            "{tool} a échoué : {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

impl TempPostgres {
    /// Creates and starts a cluster.
    ///
    /// # Errors
    /// When PostgreSQL is not installed or does not start.
    pub fn start() -> Result<Self, StoreError> {
        let bin = bin_dir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| fail(e.to_string()))?
            .port();
        let dir = std::env::temp_dir().join(format!("repere-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err(fail("chown postgres du dossier de test impossible"));
            }
        }
        let data = dir.join("data");
        let data_s = data.display().to_string();
        run(
            &bin,
            "initdb",
            &["-D", &data_s, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        )?;
        let opts = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=on",
            dir.display()
        );
        let log = dir.join("log").display().to_string();
        run(
            &bin,
            "pg_ctl",
            &["-D", &data_s, "-o", &opts, "-l", &log, "-w", "start"],
        )?;
        Ok(Self {
            url: format!("postgresql://postgres@127.0.0.1:{port}/postgres"),
            dir,
            bin,
            opts,
        })
    }

    /// Stops the cluster as an operator's `pg_ctl stop` does (fast mode: sessions are ended).
    ///
    /// # Errors
    /// When `pg_ctl` fails.
    pub fn stop(&self) -> Result<(), StoreError> {
        let data = self.dir.join("data").display().to_string();
        run(
            &self.bin,
            "pg_ctl",
            &["-D", &data, "-m", "fast", "-w", "stop"],
        )
    }

    /// Starts the stopped cluster again, on the same port.
    ///
    /// # Errors
    /// When `pg_ctl` fails.
    pub fn start_again(&self) -> Result<(), StoreError> {
        let data = self.dir.join("data").display().to_string();
        let log = self.dir.join("log").display().to_string();
        run(
            &self.bin,
            "pg_ctl",
            &["-D", &data, "-o", &self.opts, "-l", &log, "-w", "start"],
        )
    }

    /// Runs SQL as the superuser on the `postgres` database (roles, passwords, `pg_hba`
    /// reloads in tests).
    ///
    /// # Errors
    /// When the SQL fails.
    pub fn execute(&self, sql: &str) -> Result<(), StoreError> {
        let (url, sql) = (self.url.clone(), sql.to_owned());
        std::thread::spawn(move || -> Result<(), StoreError> {
            let mut c = postgres::Client::connect(&url, postgres::NoTls)
                .map_err(|e| fail(e.to_string()))?;
            c.batch_execute(&sql).map_err(|e| fail(e.to_string()))
        })
        .join()
        .map_err(|_| fail("requête interrompue"))?
    }

    /// A new database `name` owned by a new login role `role` with `password`, PostGIS
    /// created in it by the superuser; its URL as `role` (without the password).
    ///
    /// # Errors
    /// When the SQL fails.
    pub fn owned_database(
        &self,
        name: &str,
        role: &str,
        password: &str,
    ) -> Result<String, StoreError> {
        let url = self.database(name)?;
        self.execute(&format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{}'; ALTER DATABASE {name} OWNER TO {role}",
            password.replace('\'', "''")
        ))?;
        let (su, role2) = (url.clone(), role.to_owned());
        std::thread::spawn(move || -> Result<(), StoreError> {
            let mut c =
                postgres::Client::connect(&su, postgres::NoTls).map_err(|e| fail(e.to_string()))?;
            c.batch_execute(&format!(
                "CREATE EXTENSION postgis; GRANT ALL ON SCHEMA public TO {role2}"
            ))
            .map_err(|e| fail(e.to_string()))
        })
        .join()
        .map_err(|_| fail("création de la base interrompue"))??;
        Ok(url.replacen("postgres@", &format!("{role}@"), 1))
    }

    /// Requires a password (scram-sha-256) for every TCP connection except the superuser's
    /// (which the helper itself uses), then reloads the configuration.
    ///
    /// # Errors
    /// When `pg_hba.conf` cannot be written or the reload fails.
    pub fn require_passwords(&self) -> Result<(), StoreError> {
        let hba = self.dir.join("data").join("pg_hba.conf");
        let text = "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n";
        std::fs::write(&hba, text).map_err(|e| fail(e.to_string()))?;
        self.execute("SELECT pg_reload_conf()")
    }

    /// A new empty database on this cluster, as a URL.
    ///
    /// # Errors
    /// When the database cannot be created.
    pub fn database(&self, name: &str) -> Result<String, StoreError> {
        // The synchronous client blocks on its own runtime: run it on a plain thread, so this
        // works from async tests too.
        let (url, sql) = (self.url.clone(), format!("CREATE DATABASE {name}"));
        std::thread::spawn(move || -> Result<(), StoreError> {
            let mut c = postgres::Client::connect(&url, postgres::NoTls)
                .map_err(|e| fail(e.to_string()))?;
            c.batch_execute(&sql).map_err(|e| fail(e.to_string()))
        })
        .join()
        .map_err(|_| fail("création de la base interrompue"))??;
        let base = self
            .url
            .rsplit_once('/')
            .map_or(self.url.as_str(), |(b, _)| b);
        Ok(format!("{base}/{name}"))
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data").display().to_string();
        let _ = run(
            &self.bin,
            "pg_ctl",
            &["-D", &data, "-m", "immediate", "-w", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
