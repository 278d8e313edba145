//! Where a territory's files are read from: the default data embedded in the binary, or a folder
//! on disk (the folder of the user's territory manifest).

use std::path::{Path, PathBuf};

use crate::problem::Problem;

static DEFAULT_DATA: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../data");

/// The root that relative paths of a manifest resolve against.
#[derive(Debug, Clone)]
pub enum DataRoot {
    /// The default territory's `data/` folder, embedded at compile time so that `repere` works
    /// from any working directory.
    Embedded,
    /// A folder on disk, normally the folder holding the territory manifest. Absolute paths and
    /// `..` are followed: the manifest comes from the person running the command.
    Disk(PathBuf),
    /// A folder on disk whose manifest arrived from elsewhere (an upload through the server):
    /// only files inside the folder are read. Absolute paths, `..` and symbolic links leading
    /// out of it are refused.
    Confined(PathBuf),
}

/// Why a path of a confined manifest is refused, or `None` when it may be read.
fn escapes(base: &Path, rel: &str) -> Option<&'static str> {
    use std::path::Component;
    let p = Path::new(rel);
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') {
        return Some("chemin absolu refusé : donnez un chemin relatif au dossier du manifeste");
    }
    if p.components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    }) {
        return Some("chemin sortant du dossier du manifeste (`..`) refusé");
    }
    let (Ok(root), Ok(target)) = (base.canonicalize(), base.join(p).canonicalize()) else {
        // A missing file is reported by the read itself.
        return None;
    };
    (!target.starts_with(root))
        .then_some("lien symbolique menant hors du dossier du manifeste refusé")
}

/// Largest file a territory reads, bytes: the national files are a few hundred megabytes; a
/// file past this is a mistake (a device, a disk image), not data.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Why `path` may not be read as data, or `None`: only regular files (following links) of at
/// most [`MAX_FILE_BYTES`] are. A named pipe would block the reader for ever and `/dev/zero`
/// would fill the memory; a missing file is left to the read itself.
pub fn not_a_data_file(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        return Some("c'est un dossier, pas un fichier".to_owned());
    }
    if !meta.is_file() {
        return Some(
            "pas un fichier ordinaire (tube nommé, périphérique ou socket) : refusé".to_owned(),
        );
    }
    (meta.len() > MAX_FILE_BYTES).then(|| {
        format!(
            "fichier de {} octets : au plus {MAX_FILE_BYTES} octets lus",
            meta.len()
        )
    })
}

/// Reads a whole regular file of at most [`MAX_FILE_BYTES`] (see [`not_a_data_file`]).
///
/// # Errors
/// The French reason, ready to follow the file's name.
pub fn read_data_file(path: &Path) -> Result<Vec<u8>, String> {
    if let Some(why) = not_a_data_file(path) {
        return Err(why);
    }
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| format!("lecture impossible : {}", crate::text::io_error_fr(&e)))?;
    let mut out = Vec::new();
    // The size may change between the check and the read: never read past the cap.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("lecture impossible : {}", crate::text::io_error_fr(&e)))?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "fichier de plus de {MAX_FILE_BYTES} octets : refusé"
        ));
    }
    Ok(out)
}

impl DataRoot {
    /// The name a user sees for a file: `data/…` for embedded files, the full path otherwise.
    pub fn display(&self, rel: &str) -> String {
        match self {
            DataRoot::Embedded => format!("data/{rel}"),
            DataRoot::Disk(base) | DataRoot::Confined(base) => {
                self.disk_path(base, rel).display().to_string()
            }
        }
    }

    fn disk_path(&self, base: &Path, rel: &str) -> PathBuf {
        let p = Path::new(rel);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        }
    }

    /// Reads a whole file.
    ///
    /// # Errors
    /// A [`Problem`] naming the file when it is missing or unreadable.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, Problem> {
        match self {
            DataRoot::Embedded => DEFAULT_DATA
                .get_file(rel)
                .map(|f| f.contents().to_vec())
                .ok_or_else(|| {
                    Problem::file(self.display(rel), "fichier absent des données intégrées")
                }),
            DataRoot::Disk(base) => read_data_file(&self.disk_path(base, rel))
                .map_err(|m| Problem::file(self.display(rel), m)),
            DataRoot::Confined(base) => {
                if let Some(why) = escapes(base, rel) {
                    return Err(Problem::file(rel, why));
                }
                read_data_file(&base.join(rel)).map_err(|m| Problem::file(rel, m))
            }
        }
    }

    /// Opens a file for reading as a stream (embedded data is read in place, files on disk
    /// through a buffer): for readers that go record by record.
    ///
    /// # Errors
    /// As [`DataRoot::read`].
    pub fn open(&self, rel: &str) -> Result<Box<dyn std::io::BufRead + Send>, Problem> {
        let open = |path: PathBuf, shown: String| {
            if let Some(why) = not_a_data_file(&path) {
                return Err(Problem::file(shown, why));
            }
            std::fs::File::open(path)
                .map(|f| {
                    Box::new(std::io::BufReader::with_capacity(1 << 16, f))
                        as Box<dyn std::io::BufRead + Send>
                })
                .map_err(|e| {
                    Problem::file(
                        shown,
                        format!("lecture impossible : {}", crate::text::io_error_fr(&e)),
                    )
                })
        };
        match self {
            DataRoot::Embedded => DEFAULT_DATA
                .get_file(rel)
                .map(|f| Box::new(f.contents()) as Box<dyn std::io::BufRead + Send>)
                .ok_or_else(|| {
                    Problem::file(self.display(rel), "fichier absent des données intégrées")
                }),
            DataRoot::Disk(base) => open(self.disk_path(base, rel), self.display(rel)),
            DataRoot::Confined(base) => {
                if let Some(why) = escapes(base, rel) {
                    return Err(Problem::file(rel, why));
                }
                open(base.join(rel), rel.to_owned())
            }
        }
    }

    /// The path on disk of `rel`, for libraries that open files themselves (GDAL); `None` for
    /// embedded data.
    pub fn path_on_disk(&self, rel: &str) -> Option<PathBuf> {
        match self {
            DataRoot::Embedded => None,
            DataRoot::Disk(base) => Some(self.disk_path(base, rel)),
            DataRoot::Confined(base) => escapes(base, rel).is_none().then(|| base.join(rel)),
        }
    }

    /// Whether `rel` names a folder.
    pub fn is_dir(&self, rel: &str) -> bool {
        match self {
            DataRoot::Embedded => DEFAULT_DATA.get_dir(rel).is_some(),
            DataRoot::Disk(base) => self.disk_path(base, rel).is_dir(),
            DataRoot::Confined(base) => escapes(base, rel).is_none() && base.join(rel).is_dir(),
        }
    }

    /// Whether `rel` names an existing file.
    pub fn is_file(&self, rel: &str) -> bool {
        match self {
            DataRoot::Embedded => DEFAULT_DATA.get_file(rel).is_some(),
            DataRoot::Disk(base) => self.disk_path(base, rel).is_file(),
            DataRoot::Confined(base) => escapes(base, rel).is_none() && base.join(rel).is_file(),
        }
    }
}
