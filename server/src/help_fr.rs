//! The command line's help and errors in French: clap writes its headings ("Usage", "default",
//! "possible values") and its errors in English, so [`french`] rewrites the command's help
//! template and argument notes, and [`error_message`] renders a parse error from its kind and
//! context, with no English fragment.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

/// The help layout, with French headings (`{all-args}` uses the headings set by [`french`]).
const HELP_TEMPLATE: &str =
    "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}\n";

/// The command with French help: template, headings, and the defaults and possible values of
/// each argument written into its help text (clap's own notes are in English), recursively.
pub fn french(command: Command) -> Command {
    let command = command
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .next_help_heading("Options")
        .disable_help_subcommand(true)
        .mut_args(french_arg);
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names
        .iter()
        .fold(command, |c, name| c.mut_subcommand(name, french))
}

fn french_arg(arg: Arg) -> Arg {
    let mut notes = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !values.is_empty() {
        notes.push(format!("valeurs possibles : {}", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() {
        notes.push(format!("par défaut : {}", defaults.join(", ")));
    }
    if !arg.get_action().takes_values() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let help = if notes.is_empty() {
        help
    } else {
        format!("{help} [{}]", notes.join(" ; "))
    };
    arg.hide_default_value(true)
        .hide_possible_values(true)
        .help(help)
}

fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    Some(match err.get(kind)? {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::None => return None,
        _ => return None,
    })
}

/// Why a value was refused, in French, by the type of the parser's error: the standard
/// library's number and address parsers write English, so their kind is said instead; the
/// project's own option types (basemap, PMTiles URL) already write French. `None` for any other
/// error: the value and the argument are then named without a reason.
fn reason_fr(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    if e.is::<std::num::ParseFloatError>() {
        Some("nombre attendu".to_owned())
    } else if e.is::<std::num::ParseIntError>() {
        Some("nombre entier positif attendu".to_owned())
    } else if e.is::<std::net::AddrParseError>() {
        Some("adresse attendue sous la forme IP:port, par exemple 127.0.0.1:8080".to_owned())
    } else if e.is::<repere_server::basemap::BasemapError>()
        || e.is::<repere_server::static_tiles::PmtilesUrlError>()
    {
        Some(e.to_string())
    } else {
        None
    }
}

/// A parse error as the user reads it, in French: what is wrong, a suggestion when clap has
/// one, the usage line and where to find the help. `None` for help and version requests,
/// which clap prints itself (with the French help of [`french`]).
pub fn error_message(err: &clap::Error) -> Option<String> {
    let arg = context(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
    let what = match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "une sous-commande est attendue".to_owned()
        }
        ErrorKind::UnknownArgument => format!("argument inattendu « {arg} »"),
        ErrorKind::InvalidSubcommand => format!(
            "sous-commande inconnue « {} »",
            context(err, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue if value.is_empty() => format!("« {arg} » attend une valeur"),
        ErrorKind::InvalidValue => {
            let valid = context(err, ContextKind::ValidValue)
                .map(|v| format!(" (valeurs possibles : {v})"))
                .unwrap_or_default();
            format!("valeur « {value} » invalide pour « {arg} »{valid}")
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .and_then(reason_fr)
                .map(|m| format!(" : {m}"))
                .unwrap_or_default();
            format!("valeur « {value} » invalide pour « {arg} »{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("argument(s) obligatoire(s) manquant(s) : {arg}")
        }
        ErrorKind::ArgumentConflict => format!(
            "« {arg} » ne peut pas être donné avec « {} »",
            context(err, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("« {arg} » attend sa valeur après un signe ="),
        ErrorKind::TooManyValues => format!("trop de valeurs pour « {arg} » : « {value} »"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour « {arg} »")
        }
        _ => "ligne de commande invalide".to_owned(),
    };
    let mut out = format!("erreur : {what}\n");
    if let Some(s) = context(err, ContextKind::SuggestedArg)
        .or_else(|| context(err, ContextKind::SuggestedSubcommand))
        .or_else(|| context(err, ContextKind::SuggestedValue))
    {
        out.push_str(&format!("  vouliez-vous dire « {s} » ?\n"));
    }
    if let Some(usage) = context(err, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out.push_str(&format!("\nUtilisation : {usage}\n"));
    }
    out.push_str("\nPour l'aide : repere --help (ou repere <commande> --help)\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser, Subcommand};

    use super::*;

    /// Une commande d'essai.
    #[derive(Debug, Parser)]
    #[command(name = "essai", disable_help_flag = true)]
    struct Essai {
        /// Aide de la commande.
        #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
        help: Option<bool>,
        #[command(subcommand)]
        command: Sub,
    }

    #[derive(Debug, Subcommand)]
    enum Sub {
        /// Une sous-commande.
        Run {
            /// Un nombre.
            #[arg(long, default_value_t = 3)]
            n: u32,
        },
    }

    fn parse(args: &[&str]) -> clap::Error {
        french(Essai::command())
            .try_get_matches_from(args)
            .unwrap_err()
    }

    const ENGLISH: [&str; 8] = [
        "Usage",
        "error:",
        "default:",
        "possible values",
        "unexpected",
        "required",
        "Print",
        "For more",
    ];

    #[test]
    fn help_and_errors_have_no_english_heading() {
        let mut command = french(Essai::command());
        command.build();
        let help = command
            .find_subcommand_mut("run")
            .unwrap()
            .render_help()
            .to_string();
        assert!(help.contains("par défaut : 3"), "{help}");
        for err in [
            parse(&["essai", "run", "--m", "2"]),
            parse(&["essai", "run", "--n", "x"]),
            parse(&["essai", "courir"]),
            parse(&["essai"]),
        ] {
            let text = error_message(&err).unwrap();
            assert!(text.starts_with("erreur : "), "{text}");
            for word in ENGLISH {
                assert!(!text.contains(word), "{word} in {text}");
            }
        }
        for word in ENGLISH {
            assert!(!help.contains(word), "{word} in {help}");
        }
        let unknown = error_message(&parse(&["essai", "run", "--m", "2"])).unwrap();
        assert!(unknown.contains("« --m »"), "{unknown}");
    }
}
