//! Explanations: why a flow ended without answering its request, or why it
//! was still running at its time-out.

use std::fmt::Write;

use crate::checks::literal_path;
use crate::flow::Flow;
use crate::record::Record;
use crate::sync::{CompiledSync, Form, PatternSpec, StepSpec};

/// How many of a flow's actions an explanation lists, and how many
/// characters of each: explanations go to the log on every unanswered or
/// timed-out request, and a request's record holds its whole body (up to
/// the body limit, a megabyte by default).
const SHOWN_RECORDS: usize = 50;
const SHOWN_CHARACTERS: usize = 300;

/// `text`, cut to [`SHOWN_CHARACTERS`] with a note of what was left out.
fn shortened(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARACTERS) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => {
            let left_out = text[end..].chars().count();
            std::borrow::Cow::Owned(format!("{}... ({left_out} more characters)", &text[..end]))
        }
    }
}

/// A person-readable account of a flow: its actions, and for each sync whose
/// `when` names one of them, how far it got. Secrets are redacted.
pub(crate) fn explain(flow: &Flow, syncs: &[CompiledSync], running: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(running) = running {
        let _ = writeln!(
            out,
            "{running} was still running at the time-out, and was cancelled with its flow (stopped at \
             its next `.await`; what it wrote before stays written)."
        );
    }
    let path = flow
        .records
        .first()
        .and_then(|record| record.data.field_str("path"));
    // Paths a request can start a flow on are routes, not typos, however
    // close (`/user` and `/users`).
    let routes: Vec<&str> = syncs
        .iter()
        .filter(|sync| sync.when.len() == 1)
        .filter_map(|sync| literal_path(sync).flatten())
        .collect();
    // In process, a request names its route's template, as the server does
    // for it: `/todos/1` reaches no sync on `/todos/:todo`.
    if let Some(path) = path.filter(|path| !routes.contains(path)) {
        match routes.iter().find(|route| fits_template(path, route)) {
            Some(template) => {
                let _ = writeln!(
                    out,
                    "No sync names the path \"{path}\": a request names its route's template, here \
                     \"{template}\", with the parameters as fields."
                );
            }
            None => {
                // What the request probably meant: the route without the
                // trailing slash, or one a letter or two away.
                let trimmed = path.strip_suffix('/').filter(|trimmed| routes.contains(trimmed));
                match trimmed.or_else(|| crate::routes::nearest_template(routes.iter().copied(), path)) {
                    Some(route) => {
                        let _ = writeln!(
                            out,
                            "No sync starts on requests to \"{path}\": did you mean \"{route}\"?"
                        );
                    }
                    None => {
                        let _ = writeln!(out, "No sync starts on requests to \"{path}\".");
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "The flow's actions:");
    for record in flow.records.iter().take(SHOWN_RECORDS) {
        let via = record
            .cause()
            .map(|cause| format!("[{}] ", cause.sync))
            .unwrap_or_default();
        let text = record.to_string();
        let _ = writeln!(out, "  #{} {via}{}", record.id().0, shortened(&text));
    }
    if let Some(more) = flow
        .records
        .len()
        .checked_sub(SHOWN_RECORDS)
        .filter(|more| *more > 0)
    {
        let _ = writeln!(out, "  ... and {more} more");
    }
    // Syncs about requests to other paths are counted, not listed: in an app
    // of many routes they would bury the few that matter.
    let mut lines = String::new();
    let mut other_paths = 0;
    for (index, sync) in syncs.iter().enumerate() {
        let concerned = sync.when.iter().any(|pattern| {
            flow.records
                .iter()
                .any(|record| record.action_key() == (pattern.action.concept, pattern.action.index))
        });
        if !concerned {
            continue;
        }
        let other = path
            .zip(literal_path(sync).flatten())
            .filter(|(path, other)| path != other);
        if let Some((path, other)) = other {
            // A path a letter or two away, and no route, is likely the
            // sync's typo.
            if strsim::levenshtein(path, other) <= 2 && !routes.contains(&other) {
                let _ = writeln!(
                    lines,
                    "  {}: wants path \"{other}\", a letter or two from this request's \"{path}\" (a typo?)",
                    sync.name
                );
            } else {
                other_paths += 1;
            }
            continue;
        }
        let _ = writeln!(
            lines,
            "  {}: {}",
            sync.name,
            sync_progress(flow, sync, index as u32, running.is_some())
        );
    }
    match (lines.is_empty(), other_paths) {
        (true, 0) => {}
        (true, other_paths) => {
            let _ = writeln!(
                out,
                "Syncs about these actions: none on this path ({other_paths} about requests to other paths)"
            );
        }
        (false, other_paths) => {
            let _ = writeln!(out, "Syncs about these actions:");
            out.push_str(&lines);
            if other_paths > 0 {
                let _ = writeln!(out, "  ({other_paths} more about requests to other paths)");
            }
        }
    }
    out
}

/// `timed_out`: the flow is explained at its time-out, and what it was
/// running then is still running (otherwise the flow notes only what it
/// ran last).
fn sync_progress(flow: &Flow, sync: &CompiledSync, index: u32, timed_out: bool) -> String {
    // What a time-out interrupted: the last firing's action has no record
    // yet, or the `where` queries are still being evaluated.
    match flow.running.filter(|_| timed_out) {
        Some(("sync", running, _)) if running == sync.name => {
            return "its `where` steps were still running".to_owned();
        }
        Some((concept, action, Some(by))) if by == sync.name => {
            return format!("fired; its {concept}.{action} was still running");
        }
        _ => {}
    }
    if flow
        .records
        .iter()
        .any(|record| record.cause().is_some_and(|cause| cause.sync == sync.name))
    {
        return "fired".to_owned();
    }
    for (position, pattern) in sync.when.iter().enumerate() {
        if let Some(problem) = pattern_problem(flow, pattern) {
            return format!("pattern {} `{}` {problem}", position + 1, pattern.action);
        }
    }
    match flow.evaluation(index) {
        None => "its patterns have records, but it was not evaluated after the last of them".to_owned(),
        Some([0, ..]) => {
            "each pattern has candidate records, but no combination agrees on the shared variables \
                          (or an open field did not decode)"
                .to_owned()
        }
        Some(frames) => match frames.iter().skip(1).position(|count| *count == 0) {
            Some(step) => format!(
                "`where` left no frames after step {} `{}`",
                step + 1,
                sync.steps.get(step).map(describe_step).unwrap_or_default()
            ),
            None => "matched, but its records were already used by an earlier firing".to_owned(),
        },
    }
}

/// Which of `literals` no record of `right_form` has, as `read` reads a
/// record's field (an input, or an outcome field), and what they had.
fn literal_problem(
    pattern: &PatternSpec,
    right_form: &[&Record],
    literals: &[(&'static str, serde_json::Value)],
    had: &str,
    read: impl Fn(&Record, &str) -> Option<serde_json::Value>,
) -> Option<String> {
    let (field, literal) = literals.iter().find(|(field, literal)| {
        !right_form
            .iter()
            .any(|record| read(record, field).as_ref() == Some(literal))
    })?;
    // Explanations reach logs and, in development, answers.
    let secret = crate::trace::is_secret_name(field);
    let shown = |value: &serde_json::Value| {
        if secret {
            return crate::trace::REDACTED.to_owned();
        }
        let mut value = value.clone();
        crate::trace::redact(&mut value);
        shortened(&value.to_string()).into_owned()
    };
    let seen: Vec<String> = right_form
        .iter()
        .take(SHOWN_RECORDS)
        .map(|record| {
            read(record, field)
                .map(|value| shown(&value))
                .unwrap_or_else(|| "no such field".to_owned())
        })
        .collect();
    Some(format!(
        "wants {field} = {}, but {} {had} {}",
        shown(literal),
        pattern.action,
        seen.join(", ")
    ))
}

/// Why no record of the flow can fill `pattern`, if none can.
fn pattern_problem(flow: &Flow, pattern: &PatternSpec) -> Option<String> {
    let same_action: Vec<&Record> = flow
        .records
        .iter()
        .map(|record| &**record)
        .filter(|record| record.action_key() == (pattern.action.concept, pattern.action.index))
        .collect();
    if same_action.is_empty() {
        return Some(format!("matched nothing: no {} in the flow", pattern.action));
    }
    let wanted_error = pattern.form == Form::Error;
    let right_form: Vec<&Record> = same_action
        .iter()
        .copied()
        .filter(|record| record.is_error() == wanted_error)
        .collect();
    if right_form.is_empty() {
        return Some(format!(
            "wants the {} outcome, but {} ended in {}",
            if wanted_error { "error" } else { "success" },
            pattern.action,
            if wanted_error { "success" } else { "an error" },
        ));
    }
    let input = |record: &Record, field: &str| record.data.field(field);
    let outcome = |record: &Record, field: &str| record.outcome_json().get(field).cloned();
    if let Some(problem) = literal_problem(pattern, &right_form, &pattern.literals, "had", input) {
        return Some(problem);
    }
    if let Some(problem) = literal_problem(
        pattern,
        &right_form,
        &pattern.outcome_literals,
        "ended with",
        outcome,
    ) {
        return Some(problem);
    }
    for open in pattern.open_fields.iter().filter(|open| open.required) {
        if !right_form.iter().any(|record| {
            record
                .data
                .field(open.name)
                .is_some_and(|value| (open.validator)(&value).is_ok())
        }) {
            return Some(format!(
                "needs the field `{}`, which the request lacks or has of the wrong type",
                open.name
            ));
        }
    }
    // An optional field may be left out, but one that is given must decode.
    for open in pattern.open_fields.iter().filter(|open| !open.required) {
        if right_form.iter().all(|record| {
            record
                .data
                .field(open.name)
                .is_some_and(|value| !value.is_null() && (open.validator)(&value).is_err())
        }) {
            return Some(format!(
                "takes the optional field `{}`, which the request has of the wrong type",
                open.name
            ));
        }
    }
    None
}

/// Whether `path` is a request path the route `template` (with `:name`
/// parameters) takes.
fn fits_template(path: &str, template: &str) -> bool {
    template.contains(':')
        && path.split('/').count() == template.split('/').count()
        && path
            .split('/')
            .zip(template.split('/'))
            .all(|(part, pattern)| part == pattern || (pattern.starts_with(':') && !part.is_empty()))
}

fn describe_step(step: &StepSpec) -> String {
    match step {
        StepSpec::Query(text) | StepSpec::Collect(text) | StepSpec::Absence(text) => text.clone(),
        StepSpec::Guard(text) => format!("if {text}"),
        StepSpec::Let(text) => format!("let {text}"),
    }
}
