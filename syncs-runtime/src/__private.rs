//! Support for the code that `sync!` and `#[concept]` generate. Not a public
//! API: names here change without notice.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use crate::field_names::{FieldProbe, FieldsKnown, FieldsUnknown, NamedSecrets};
pub use serde;
pub use serde_json;
pub use serde_json::Value;

pub use crate::concept::{
    ActionError, ActionSchema, ActionSet, BoxFuture, Concept, ConceptAction, ErrorOutcome, InternalError,
    OutcomeSet,
};
pub use crate::record::{Record, RecordId};
pub use crate::requesting::{Fields, Requesting};
pub use crate::sync::{
    eval_fn, eval_now_fn, ActionRef, CompiledSync, Eval, EvalFn, EvalInput, EvalNowFn, Evaluation, Firing,
    Firings, Form, Invocation, Invocations, OpenField, PatternSpec, RecordIds, StepSpec, Synchronization,
    Validator,
};

/// The type of a variable bound from an open field of `Requesting`: created
/// once per variable in a sync's generated code, its `T` is inferred from how
/// the variable is used elsewhere in the sync. It decodes the request's JSON
/// value into `T`, and hands the HTTP layer a validator for the same `T`.
pub struct Slot<T>(PhantomData<fn() -> T>);

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Slot<T> {}

impl<T: DeserializeOwned> Slot<T> {
    /// A slot for a value of type `T`.
    pub fn new() -> Self {
        Slot(PhantomData)
    }

    /// Decodes an open field's value; `None` if absent or not a `T`.
    pub fn decode(&self, value: Option<&Value>) -> Option<T> {
        decode(value?).ok()
    }

    /// Decodes an optional open field: absent or `null` is `Ok(None)`; a
    /// value that is not a `T` is an error (the pattern does not match).
    #[allow(clippy::result_unit_err)]
    pub fn decode_optional(&self, value: Option<&Value>) -> Result<Option<T>, ()> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(value) => decode(value).map(Some).map_err(|_| ()),
        }
    }

    /// A check that a JSON value decodes as `T`.
    pub fn validator(&self) -> Validator {
        validate::<T>
    }

    /// Ties `T` to the input `give` hands its value to (a closure never
    /// called), so that the variable's type is known from the top of the
    /// sync's code: a `where` guard before that input can call its methods.
    pub fn tie(&self, _give: impl FnOnce(T)) {}

    /// [`Slot::tie`] for an optional field (`name?`), whose variable is an
    /// `Option<T>`.
    pub fn tie_optional(&self, _give: impl FnOnce(Option<T>)) {}
}

impl<T: DeserializeOwned> Default for Slot<T> {
    fn default() -> Self {
        Slot::new()
    }
}

fn validate<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    decode::<T>(value)
        .map(|_| ())
        .map_err(|error| in_plain_words(&error.to_string(), value))
}

/// A decoding problem as a client reads it: serde names the Rust type
/// wanted (`expected i64`), which says nothing to a client; its range does.
/// A whole number too large for JSON's integers arrives as a float
/// (`99999999999999999999` as `1e+20`): said as a number that does not
/// fit, not as a float the client never sent.
fn in_plain_words(message: &str, value: &Value) -> String {
    let Some((head, wanted)) = message.rsplit_once(", expected ") else {
        return message.to_owned();
    };
    let range = match wanted {
        "i8" => "a whole number from -128 to 127".to_owned(),
        "i16" => "a whole number from -32768 to 32767".to_owned(),
        "i32" => format!("a whole number from {} to {}", i32::MIN, i32::MAX),
        "i64" | "isize" => format!("a whole number from {} to {}", i64::MIN, i64::MAX),
        "u8" => "a whole number from 0 to 255".to_owned(),
        "u16" => "a whole number from 0 to 65535".to_owned(),
        "u32" => format!("a whole number from 0 to {}", u32::MAX),
        "u64" | "usize" => format!("a whole number from 0 to {}", u64::MAX),
        "f32" | "f64" => "a number".to_owned(),
        _ => return message.to_owned(),
    };
    let too_large = match value {
        // Past every integer type's range (`1.0` is a float the client wrote).
        Value::Number(number) => {
            number.is_f64() && number.as_f64().is_some_and(|float| float.abs() >= 2f64.powi(63))
        }
        _ => false,
    };
    // A 64-bit range (19 or 20 digits) says nothing a client needs unless
    // its number is past it.
    let wide = match wanted {
        "i64" | "isize" => Some("a whole number"),
        "u64" | "usize" => Some("a whole number, 0 or more"),
        _ => None,
    };
    match (too_large, wide) {
        (true, _) => format!("the number does not fit: expected {range}"),
        (false, Some(wide)) => format!("{head}, expected {wide}"),
        (false, None) => format!("{head}, expected {range}"),
    }
}

/// Decodes a `T`. Query strings, route parameters and headers arrive as
/// strings: a string that does not decode as `T` is tried as JSON text too, so
/// `?limit=20` fills a `u32`, while `?tag=123` still fills a `String`.
/// The text must be the JSON alone: `/books/%201` (" 1") is not the number
/// 1, as `/books/01` is not either. When the text is JSON of another kind
/// than a string (`"-1"` for a `u32`), its error is the one reported: the
/// client sent a number that does not fit, not a string.
fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    match T::deserialize(value) {
        Ok(decoded) => Ok(decoded),
        Err(error) => match value {
            Value::String(text) if text.trim() == text => match serde_json::from_str::<Value>(text) {
                Ok(inner) if !inner.is_string() => T::deserialize(&inner),
                _ => Err(error),
            },
            _ => Err(error),
        },
    }
}

/// A copy of a bound variable's value, for a new frame.
pub fn value_of<T: Clone>(value: &T) -> T {
    value.clone()
}

/// Encodes a value for an open field of `Requesting.respond`.
pub fn to_json<T: Serialize>(value: &T) -> Result<Value, InternalError> {
    serde_json::to_value(value)
        .map_err(|error| InternalError::new(format!("cannot encode a response field as JSON: {error}")))
}

/// Builds the open fields of `Requesting.respond`.
pub fn fields<const N: usize>(entries: [(&'static str, Value); N]) -> Fields {
    // Inserted one by one: collecting sorts a buffer first, which costs more
    // than it saves for a response's few fields.
    let mut fields = Fields::new();
    for (name, value) in entries {
        fields.insert(name.to_owned(), value);
    }
    fields
}
pub use serde_json::json;

/// Splits an action's result into its outcome, or an internal failure. The
/// error may be the user's own type, converted as `?` would (any
/// `std::error::Error` is an internal failure).
pub fn split_outcome<T, E: Into<ActionError>>(
    result: Result<T, E>,
) -> Result<Result<T, ErrorOutcome>, InternalError> {
    match result {
        Ok(success) => Ok(Ok(success)),
        Err(error) => error.into().into_outcome().map(Err),
    }
}

/// Runs a future that cannot suspend (the body of an action without
/// `.await`) to its end, in one poll.
pub fn run_now<F: std::future::Future>(future: F) -> Result<F::Output, InternalError> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => Ok(output),
        // An async fn without an `.await` finishes in its first poll.
        std::task::Poll::Pending => Err(InternalError::new(
            "an action without .await did not finish at once",
        )),
    }
}

/// The outcome of an action marked `#[infallible]`: an `error` outcome it
/// returns anyway becomes an internal failure, since no sync may match it.
pub fn split_infallible_outcome<T, E: Into<ActionError>>(
    result: Result<T, E>,
    action: &str,
) -> Result<Result<T, ErrorOutcome>, InternalError> {
    match result {
        Ok(success) => Ok(Ok(success)),
        Err(error) => Err(match error.into().into_outcome() {
            Ok(outcome) => InternalError::new(format!(
                "the action {action} is #[infallible] but ended in an error outcome: {}",
                outcome.error
            )),
            Err(internal) => internal,
        }),
    }
}

/// A fallible query's rows, or its internal failure (queries have no `error`
/// outcome: a failing query aborts the flow).
pub fn split_rows<Rows, E: Into<ActionError>>(result: Result<Rows, E>) -> Result<Rows, InternalError> {
    result.map_err(|error| match error.into().into_outcome() {
        Ok(outcome) => InternalError::new(format!("query failed: {}", outcome.error)),
        Err(internal) => internal,
    })
}

/// An outcome as a JSON object (`{}` for the empty success form).
pub fn outcome_json<T: Serialize>(result: &Result<T, ErrorOutcome>) -> Value {
    let value = match result {
        Ok(success) => serde_json::to_value(success),
        Err(error) => serde_json::to_value(error),
    };
    match value {
        Ok(Value::Null) => Value::Object(Default::default()),
        Ok(value) => value,
        Err(error) => serde_json::json!({ "unserializable": error.to_string() }),
    }
}

/// The inputs of an action enum value (serialized by serde as
/// `{"action": {inputs}}`) as a JSON object.
fn inputs_object<A: Serialize>(action: &A) -> Fields {
    match serde_json::to_value(action) {
        Ok(Value::Object(mut tagged)) => match tagged.values_mut().next().map(Value::take) {
            Some(Value::Object(inputs)) => inputs,
            _ => Fields::new(),
        },
        _ => Fields::new(),
    }
}

/// The inputs of an action as JSON, with the fields in `secrets` redacted.
pub fn redacted_inputs<A: Serialize>(action: &A, secrets: &[&str]) -> Value {
    let mut inputs = inputs_object(action);
    for secret in secrets {
        if let Some(value) = inputs.get_mut(*secret) {
            *value = Value::String(crate::trace::REDACTED.to_owned());
        }
    }
    Value::Object(inputs)
}

/// Builds an action from its name and its inputs as a JSON object.
pub fn action_from_json<A: DeserializeOwned>(action: &str, inputs: Value) -> Result<A, String> {
    let mut tagged = Fields::new();
    tagged.insert(action.to_owned(), inputs);
    serde_json::from_value(Value::Object(tagged)).map_err(|error| error.to_string())
}
pub use crate::requesting::{RequestingAction, RequestingOutcome};

/// Field types that a string literal in a sync can match or fill.
#[diagnostic::on_unimplemented(
    message = "a string literal cannot be used for a field of type `{Self}`",
    label = "this field has type `{Self}`, not a string",
    note = "write a literal of the field's type (a number, `true`/`false`), or bind a variable"
)]
pub trait StringLiteral {
    /// Whether the field's value equals the literal.
    fn is(&self, literal: &str) -> bool;
    /// The field's value for the literal.
    fn from_literal(literal: &'static str) -> Self;
}

#[diagnostic::do_not_recommend]
impl StringLiteral for String {
    fn is(&self, literal: &str) -> bool {
        self == literal
    }
    fn from_literal(literal: &'static str) -> Self {
        literal.to_owned()
    }
}

#[diagnostic::do_not_recommend]
impl StringLiteral for &'static str {
    fn is(&self, literal: &str) -> bool {
        *self == literal
    }
    fn from_literal(literal: &'static str) -> Self {
        literal
    }
}

#[diagnostic::do_not_recommend]
impl StringLiteral for std::borrow::Cow<'static, str> {
    fn is(&self, literal: &str) -> bool {
        self == literal
    }
    fn from_literal(literal: &'static str) -> Self {
        std::borrow::Cow::Borrowed(literal)
    }
}

#[diagnostic::do_not_recommend]
impl StringLiteral for std::sync::Arc<str> {
    fn is(&self, literal: &str) -> bool {
        &**self == literal
    }
    fn from_literal(literal: &'static str) -> Self {
        std::sync::Arc::from(literal)
    }
}

/// Whether frames should be traced (the `trace` level is on for syncs).
pub fn trace_enabled() -> bool {
    tracing::enabled!(target: "syncs_runtime::frames", tracing::Level::TRACE)
}

/// A bound value, shown in traces through serde when it can be.
pub struct Describe<'a, T>(pub &'a T);

/// Shows a serializable value as JSON (preferred by method resolution).
pub trait DescribeSerialize {
    /// The value as JSON.
    fn describe(&self) -> Value;
}

impl<T: Serialize> DescribeSerialize for Describe<'_, T> {
    fn describe(&self) -> Value {
        serde_json::to_value(self.0).unwrap_or(Value::Null)
    }
}

/// Shows any other value as a placeholder.
pub trait DescribeOther {
    /// A placeholder.
    fn describe(&self) -> Value;
}

impl<T> DescribeOther for &Describe<'_, T> {
    fn describe(&self) -> Value {
        Value::String("<not serializable>".to_owned())
    }
}

/// Hides the request field `field` in traces if `C`'s `operation` takes it
/// as a secret input (a sync gives it there): called when a sync is
/// compiled, as a concept's secret names are registered with it. Bound by
/// [`ConceptNames`], as a sync's markers are: a type that is not a concept
/// is then the markers' one error, not another.
pub fn secret_if_given<C: ConceptNames>(operation: &str, input: &str, field: &'static str) {
    let secret = if operation.starts_with('_') {
        C::QUERY_SECRETS.contains(&input)
    } else {
        <C::Action as ActionSet>::SCHEMA
            .iter()
            .any(|action| action.name == operation && action.secrets.contains(&input))
    };
    if secret {
        crate::trace::register_secret_names([field]);
    }
}

/// Logs a sync's frames at one stage, secrets redacted: a variable is secret
/// if its name is, or one of the names it comes from (the fields it is
/// bound from or given to, the variables it is made of).
pub fn trace_frames(sync: &str, stage: &str, variables: &[(&str, &[&str])], frames: Vec<Vec<Value>>) {
    let shown: Vec<Value> = frames
        .into_iter()
        .map(|values| {
            let mut frame = Fields::new();
            for ((name, sources), value) in variables.iter().zip(values) {
                let secret = crate::trace::is_secret_name(name)
                    || sources.iter().any(|source| crate::trace::is_secret_name(source));
                let value = if secret {
                    Value::String(crate::trace::REDACTED.to_owned())
                } else {
                    value
                };
                frame.insert((*name).to_owned(), value);
            }
            let mut frame = Value::Object(frame);
            crate::trace::redact(&mut frame);
            frame
        })
        .collect();
    let frames = Value::Array(shown);
    tracing::trace!(target: "syncs_runtime::frames", sync, stage, %frames);
}

/// Whether an open field's value equals a sync's literal. Query strings,
/// route parameters and headers arrive as strings, so `"1"` matches `1` and
/// `"true"` matches `true` (as it decodes for variables).
pub fn open_literal_matches(value: Option<&Value>, literal: &Value) -> bool {
    match value {
        None => false,
        Some(value) if value == literal => true,
        Some(Value::String(text)) if !literal.is_string() => {
            serde_json::from_str::<Value>(text).is_ok_and(|parsed| &parsed == literal)
        }
        Some(_) => false,
    }
}

/// An input field, lent as `&str` when it is a string (dispatch on string
/// literals then needs no allocation).
pub struct StrField<'a, T>(pub &'a T);

/// `String` fields lend themselves (preferred by method resolution).
pub trait StrFieldString<'a> {
    /// The field as `&str`.
    fn as_str_field(&self) -> Option<&'a str>;
}

impl<'a> StrFieldString<'a> for StrField<'a, String> {
    fn as_str_field(&self) -> Option<&'a str> {
        Some(self.0.as_str())
    }
}

/// Other fields do not.
pub trait StrFieldOther<'a> {
    /// Nothing.
    fn as_str_field(&self) -> Option<&'a str>;
}

impl<'a, T> StrFieldOther<'a> for &StrField<'a, T> {
    fn as_str_field(&self) -> Option<&'a str> {
        None
    }
}

/// The frames left after `when` and after each `where` step (up to seven
/// steps inline; the RealWorld app's longest `where`, `ListArticles`, has 18).
pub type FrameCounts = smallvec::SmallVec<[usize; 8]>;

/// A sync's frames between steps: the records of each frame and its bound
/// variables. Usually one frame, kept inline.
pub type Frames<T> = smallvec::SmallVec<[(RecordIds, T); 1]>;

/// A frame's record ids.
pub fn record_ids<const N: usize>(ids: [RecordId; N]) -> RecordIds {
    // Pushed one by one: `collect` goes through `Extend`, whose general
    // path costs more than a frame's one to four pushes.
    let mut records = RecordIds::new();
    for id in ids {
        records.push(id);
    }
    records
}

/// A firing's invocations.
pub fn invocations<const N: usize>(actions: [Invocation; N]) -> Invocations {
    let mut invocations = Invocations::new();
    for action in actions {
        invocations.push(action);
    }
    invocations
}

/// The names of a concept's actions and queries, through which `sync!`
/// reaches them: `<Thing as ConceptNames>::ACTIONS.make`. Its message is
/// the one a type that is not a concept gets, as `Concept`'s: generated
/// code names a concept through it alone, and reaches the concept's types
/// through the markers, so that a type that is not a concept is told so
/// once where it is written.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a concept",
    label = "not a concept",
    note = "put `#[syncs_runtime::concept]` on the `impl` block that holds the concept's `async fn` actions"
)]
pub trait ConceptNames: Concept {
    /// A struct with a field per action, each a marker for it.
    type Actions: Copy;
    /// A struct with a field per query, each a marker for it.
    type Queries: Copy;
    /// The actions' markers.
    const ACTIONS: Self::Actions;
    /// The queries' markers.
    const QUERIES: Self::Queries;
}

/// An input of a builder not given yet; `F` names it in compile errors.
pub struct Missing<F>(PhantomData<fn() -> F>);

impl<F> Missing<F> {
    /// The missing input.
    pub fn new() -> Self {
        Missing(PhantomData)
    }
}

impl<F> Default for Missing<F> {
    fn default() -> Self {
        Missing::new()
    }
}

/// An input of a builder, given.
pub struct Given<T>(pub T);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{decode, validate};

    #[test]
    fn text_decodes_as_the_json_it_holds_and_nothing_around_it() {
        assert_eq!(decode::<u64>(&json!("1")).ok(), Some(1));
        assert_eq!(decode::<bool>(&json!("true")).ok(), Some(true));
        assert_eq!(decode::<String>(&json!("123")).ok(), Some("123".to_owned()));
        for padded in [" 1", "1 ", "\t1", "1\n"] {
            assert!(decode::<u64>(&json!(padded)).is_err(), "{padded:?}");
        }
        assert!(decode::<u64>(&json!("01")).is_err());
    }

    #[test]
    fn a_number_in_text_that_does_not_fit_is_reported_as_the_number() {
        let problem = |text: &str| decode::<u32>(&json!(text)).err().map(|error| error.to_string());
        assert_eq!(
            problem("-1").as_deref(),
            Some("invalid value: integer `-1`, expected u32")
        );
        assert_eq!(
            problem("1.5").as_deref(),
            Some("invalid type: floating point `1.5`, expected u32")
        );
        assert_eq!(
            problem("many").as_deref(),
            Some("invalid type: string \"many\", expected u32")
        );
    }

    #[test]
    fn a_client_is_told_the_range_wanted_not_the_rust_type() {
        let problem = |value: serde_json::Value| validate::<i64>(&value).err();
        let range = "a whole number from -9223372036854775808 to 9223372036854775807";
        assert_eq!(
            problem(json!("alice")).as_deref(),
            Some("invalid type: string \"alice\", expected a whole number")
        );
        assert_eq!(
            validate::<u64>(&json!(-2)).err().as_deref(),
            Some("invalid value: integer `-2`, expected a whole number, 0 or more")
        );
        let too_large: serde_json::Value = serde_json::from_str("99999999999999999999").expect("JSON");
        assert_eq!(
            problem(too_large),
            Some(format!("the number does not fit: expected {range}"))
        );
        assert_eq!(
            validate::<u32>(&json!(1.0)).err().as_deref(),
            Some("invalid type: floating point `1.0`, expected a whole number from 0 to 4294967295")
        );
        assert_eq!(
            validate::<u32>(&json!(-1)).err().as_deref(),
            Some("invalid value: integer `-1`, expected a whole number from 0 to 4294967295")
        );
        assert_eq!(
            validate::<String>(&json!(3)).err().as_deref(),
            Some("invalid type: integer `3`, expected a string")
        );
    }
}
