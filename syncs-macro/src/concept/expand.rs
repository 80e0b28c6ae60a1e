//! Generates a concept's enums and its `Concept` implementation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use super::parse::{Concept, Operation};

pub(crate) fn concept(concept: &Concept, valid: bool) -> TokenStream {
    let block = &concept.block;
    if !valid {
        // Keep the user's code, so the only errors are the ones reported.
        return quote!(#block);
    }
    // Every fn of a concept must be `async` (the engine awaits them all), so
    // clippy's `unused_async` has nothing to say about one that never awaits.
    // First among the fn's attributes, so that the user's own lint levels
    // (an `#[expect(clippy::unused_async)]` among them) come after it and win.
    let mut block = block.clone();
    for item in &mut block.items {
        if let syn::ImplItem::Fn(function) = item {
            function
                .attrs
                .insert(0, syn::parse_quote!(#[allow(clippy::unused_async)]));
        }
    }
    let p = crate::runtime::private_at(proc_macro2::Span::call_site());
    let name = &concept.name;
    let self_ty = &concept.self_ty;
    let name_text = name.to_string();
    let action_enum = generated_enum(name, "Action");
    let outcome_enum = generated_enum(name, "Outcome");
    let query_enum = generated_enum(name, "Query");
    let rows_enum = generated_enum(name, "Rows");
    let action_serde_name = format!("{name}Action");
    let action_names = format_ident!("ActionsOf{}", name);
    let query_names = format_ident!("QueriesOf{}", name);

    let action_variants = concept
        .actions
        .iter()
        .map(|action| input_variant(action, "action"));
    let query_variants = concept.queries.iter().map(|query| input_variant(query, "query"));
    let outcome_variants = concept.actions.iter().map(|action| {
        let variant = &action.name;
        let success = &action.output;
        let doc = format!("The outcome of `{variant}`: its success form, or its `error` form.");
        // Spanned at the user's type: an outcome type missing a derive is
        // reported there, not at `#[concept]`.
        let field =
            quote_spanned!(at_user_type(success)=> ::core::result::Result<#success, #p::ErrorOutcome>);
        quote!(#[doc = #doc] #variant(#field))
    });
    let rows_variants = concept.queries.iter().map(|query| {
        let variant = &query.name;
        let row = &query.output;
        let doc = format!("The rows of `{variant}`.");
        let field = quote_spanned!(at_user_type(row)=> ::std::vec::Vec<#row>);
        quote!(#[doc = #doc] #variant(#field))
    });

    let schema = concept.actions.iter().map(|action| {
        let action_name = action.name.to_string();
        let inputs = action.inputs.iter().map(|input| input.name.unraw().to_string());
        let secrets = action
            .inputs
            .iter()
            .filter(|input| input.secret)
            .map(|input| input.name.unraw().to_string());
        let outcome_secrets = action.outcome_secrets.iter().map(|name| name.to_string());
        let can_fail = !action.infallible;
        quote!(#p::ActionSchema {
            name: #action_name,
            inputs: &[#(#inputs),*],
            secrets: &[#(#secrets),*],
            outcome_secrets: &[#(#outcome_secrets),*],
            can_fail: #can_fail,
        })
    });
    let index_arms = concept.actions.iter().enumerate().map(|(index, action)| {
        let variant = &action.name;
        quote!(Self::#variant { .. } => #index)
    });
    // One match arm per action input, `(Self::Variant { input, .. }, "input")`,
    // whose value `value` makes from the bound input: one input field is
    // read without serializing the others (secrets included).
    let input_arms = |value: &dyn Fn(&Ident) -> TokenStream| -> Vec<TokenStream> {
        concept
            .actions
            .iter()
            .flat_map(|action| {
                let variant = &action.name;
                action.inputs.iter().map(move |input| {
                    let name = &input.name;
                    let text = name.unraw().to_string();
                    let value = value(name);
                    quote!((Self::#variant { #name, .. }, #text) => #value)
                })
            })
            .collect()
    };
    let field_arms = input_arms(&|name| quote!(#p::serde_json::to_value(#name).ok()));
    let field_str_arms = input_arms(&|name| quote!((&#p::StrField(#name)).as_str_field()));
    // How an action's result becomes its outcome: a function from the
    // user's `Result<Success, ActionError>` to the outcome or an internal
    // failure (for `#[infallible]` actions, an error outcome is one).
    let split = |action: &Operation| {
        if action.infallible {
            let action_text = format!("{name}.{}", action.name);
            quote!(|result| #p::split_infallible_outcome(result, #action_text))
        } else {
            quote!(#p::split_outcome)
        }
    };
    // Actions whose bodies cannot suspend run at once, without a future of
    // their own (`Concept::perform_now`); the others are given back.
    let now_arms: Vec<TokenStream> = concept
        .actions
        .iter()
        .filter(|action| !action.awaits)
        .map(|action| {
            let variant = &action.name;
            let inputs: Vec<&Ident> = action.inputs.iter().map(|input| &input.name).collect();
            let split = split(action);
            let run = if action.not_async {
                quote!(::core::result::Result::<_, #p::InternalError>::Ok(self.#variant(#(#inputs),*)))
            } else {
                quote!(#p::run_now(self.#variant(#(#inputs),*)))
            };
            quote! {
                #action_enum::#variant { #(#inputs),* } => ::core::result::Result::Ok(
                    #run
                        .and_then(#split)
                        .map(#outcome_enum::#variant)
                )
            }
        })
        .collect();
    let perform_now = if now_arms.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            fn perform_now(&self, action: #action_enum)
                -> ::core::result::Result<::core::result::Result<#outcome_enum, #p::InternalError>, #action_enum>
            {
                #[allow(unreachable_patterns)]
                match action {
                    #(#now_arms,)*
                    other => ::core::result::Result::Err(other),
                }
            }
        }
    };
    let perform_arms = concept.actions.iter().map(|action| {
        let variant = &action.name;
        let inputs: Vec<&Ident> = action.inputs.iter().map(|input| &input.name).collect();
        let split = split(action);
        let done = if action.not_async {
            quote!(self.#variant(#(#inputs),*))
        } else {
            quote!(self.#variant(#(#inputs),*).await)
        };
        quote! {
            #action_enum::#variant { #(#inputs),* } => ::core::result::Result::Ok(
                #outcome_enum::#variant((#split)(#done)?)
            )
        }
    });
    let query_arms = concept.queries.iter().map(|query| {
        let variant = &query.name;
        let inputs: Vec<&Ident> = query.inputs.iter().map(|input| &input.name).collect();
        let done = if query.not_async {
            quote!(self.#variant(#(#inputs),*))
        } else {
            quote!(self.#variant(#(#inputs),*).await)
        };
        let rows = if query.fallible {
            quote!(#p::split_rows(#done)?)
        } else {
            done
        };
        // Every query's rows are a list to the syncs; the concept's own
        // list of single-row queries keeps what `Option` said.
        let rows = if query.single_row {
            quote!(<::std::vec::Vec<_> as ::core::iter::FromIterator<_>>::from_iter(#rows))
        } else {
            rows
        };
        quote!(#query_enum::#variant { #(#inputs),* } => ::core::result::Result::Ok(#rows_enum::#variant(#rows)))
    });
    let is_error_arms = concept.actions.iter().map(|action| {
        let variant = &action.name;
        quote!(Self::#variant(result) => result.is_err())
    });
    let to_json_arms = concept.actions.iter().map(|action| {
        let variant = &action.name;
        // At the user's type, the binding too: one span for both keeps
        // them one name whatever hygiene the type's tokens carry.
        let span = action.output.span();
        let result = Ident::new("result", span);
        let json = quote_spanned!(span=> #p::outcome_json(#result));
        quote!(Self::#variant(#result) => #json)
    });
    // A concept without actions has an empty outcome enum: match the value
    // itself, as a reference to an empty enum is not known to be empty.
    let outcome_scrutinee = if concept.actions.is_empty() {
        quote!(*self)
    } else {
        quote!(self)
    };
    let action_name_fields: Vec<&Ident> = concept.actions.iter().map(|action| &action.name).collect();
    let query_name_fields: Vec<&Ident> = concept.queries.iter().map(|query| &query.name).collect();
    let action_markers: Vec<Ident> = concept
        .actions
        .iter()
        .map(|action| format_ident!("{}_{}_Marker", name, action.name))
        .collect();
    let query_markers: Vec<Ident> = concept
        .queries
        .iter()
        .map(|query| format_ident!("{}_{}_Marker", name, query.name))
        .collect();
    let accessors: TokenStream = concept
        .actions
        .iter()
        .map(|action| accessors(concept, action, true))
        .chain(
            concept
                .queries
                .iter()
                .map(|query| accessors(concept, query, false)),
        )
        .collect();

    let doc_action = format!("The actions of [`{name}`]: one variant per action, carrying its inputs.");
    let doc_outcome = format!("The outcomes of [`{name}`]'s actions.");
    let doc_query = format!("The queries of [`{name}`]: one variant per query, carrying its inputs.");
    let doc_rows = format!("The rows answered by [`{name}`]'s queries.");
    let doc_enum = "The enum behind the type alias of the same name without `__Syncs`: \
                    name that alias instead (the enum's own name is generated).";
    // The names users write. Only these aliases take the concept's names in
    // the module, so a type of the user's by one of those names is one error
    // (E0428, "defined multiple times") and the generated code, which names
    // the enums themselves, still compiles.
    let aliases = [
        ("Action", &action_enum, &doc_action),
        ("Outcome", &outcome_enum, &doc_outcome),
        ("Query", &query_enum, &doc_query),
        ("Rows", &rows_enum, &doc_rows),
    ]
    .map(|(kind, target, doc)| {
        let alias = format_ident!("{}{}", name, kind);
        quote! {
            #[doc = #doc]
            #[allow(dead_code, private_interfaces)]
            pub type #alias = #target;
        }
    });
    let serde_crate = crate::runtime::serde_path();
    let query_secrets: Vec<String> = concept
        .queries
        .iter()
        .flat_map(|query| {
            let inputs = query
                .inputs
                .iter()
                .filter(|input| input.secret)
                .map(|input| input.name.unraw().to_string());
            inputs.chain(query.outcome_secrets.iter().map(ToString::to_string))
        })
        .collect();
    let single_row_queries = concept
        .queries
        .iter()
        .filter(|query| query.single_row)
        .map(|query| query.name.to_string());

    let named_secrets = concept
        .actions
        .iter()
        .chain(&concept.queries)
        .filter(|operation| !operation.outcome_secrets.is_empty())
        .map(|operation| {
            let name = operation.name.to_string();
            let names = operation.outcome_secrets.iter().map(ToString::to_string);
            let output = &operation.output;
            quote!(#p::NamedSecrets {
                operation: #name,
                names: &[#(#names),*],
                fields: || {
                    #[allow(unused_imports)]
                    use #p::{FieldsKnown as _, FieldsUnknown as _};
                    (&#p::FieldProbe::<#output>::new()).field_names()
                },
            })
        });

    quote! {
        #block

        #[doc = #doc_enum]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
                 #p::serde::Serialize, #p::serde::Deserialize)]
        #[serde(crate = #serde_crate, rename = #action_serde_name)]
        #[allow(private_interfaces, clippy::derive_partial_eq_without_eq)]
        pub enum #action_enum { #(#action_variants,)* }

        #[doc = #doc_enum]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        // Its fields carry the user's spans (for the errors about their
        // types): a concept whose outcomes no sync reads must not be warned.
        #[allow(private_interfaces, dead_code)]
        pub enum #outcome_enum { #(#outcome_variants,)* }

        #[doc = #doc_enum]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        #[allow(private_interfaces)]
        pub enum #query_enum { #(#query_variants,)* }

        #[doc = #doc_enum]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        #[allow(private_interfaces, dead_code)]
        pub enum #rows_enum { #(#rows_variants,)* }

        #(#aliases)*

        // The inputs are bound by their names, which may start with `_`.
        #[allow(clippy::used_underscore_binding)]
        impl #p::ActionSet for #action_enum {
            const SCHEMA: &'static [#p::ActionSchema] = &[#(#schema),*];
            fn index(&self) -> usize {
                match *self { #(#index_arms,)* }
            }
            fn field(&self, name: &str) -> ::core::option::Option<#p::Value> {
                #[allow(unreachable_patterns)]
                match (self, name) {
                    #(#field_arms,)*
                    _ => ::core::option::Option::None,
                }
            }
            fn field_str(&self, name: &str) -> ::core::option::Option<&str> {
                #[allow(unused_imports)]
                use #p::{StrFieldOther as _, StrFieldString as _};
                #[allow(unreachable_patterns)]
                match (self, name) {
                    #(#field_str_arms,)*
                    _ => ::core::option::Option::None,
                }
            }
            fn to_redacted_json(&self) -> #p::Value {
                #p::redacted_inputs(self, <Self as #p::ActionSet>::SCHEMA[self.index()].secrets)
            }
            fn from_json(action: &str, inputs: #p::Value) -> ::core::result::Result<Self, ::std::string::String> {
                #p::action_from_json(action, inputs)
            }
        }

        impl #p::OutcomeSet for #outcome_enum {
            fn is_error(&self) -> bool {
                match #outcome_scrutinee { #(#is_error_arms,)* }
            }
            fn to_json(&self) -> #p::Value {
                match #outcome_scrutinee { #(#to_json_arms,)* }
            }
        }

        // The inputs are bound by their names, which may start with `_`.
        #[allow(clippy::used_underscore_binding)]
        impl #p::Concept for #self_ty {
            const NAME: &'static str = #name_text;
            const QUERY_SECRETS: &'static [&'static str] = &[#(#query_secrets),*];
            const SINGLE_ROW_QUERIES: &'static [&'static str] = &[#(#single_row_queries),*];
            const NAMED_SECRETS: &'static [#p::NamedSecrets] = &[#(#named_secrets),*];
            type Action = #action_enum;
            type Outcome = #outcome_enum;
            type Query = #query_enum;
            type Rows = #rows_enum;

            fn perform(&self, action: #action_enum)
                -> impl ::core::future::Future<
                    Output = ::core::result::Result<#outcome_enum, #p::InternalError>,
                > + ::core::marker::Send
            {
                async move {
                    match action { #(#perform_arms,)* }
                }
            }

            #perform_now

            fn query(&self, query: #query_enum)
                -> impl ::core::future::Future<
                    Output = ::core::result::Result<#rows_enum, #p::InternalError>,
                > + ::core::marker::Send
            {
                async move {
                    match query { #(#query_arms,)* }
                }
            }
        }

        impl #p::ConceptAction for #action_enum {
            fn into_invocation(self) -> #p::Invocation {
                #p::Invocation::new::<#self_ty>(self)
            }
        }

        impl ::core::convert::From<#action_enum> for #p::Invocation {
            fn from(action: #action_enum) -> Self {
                #p::Invocation::new::<#self_ty>(action)
            }
        }

        #[doc(hidden)]
        #[allow(non_snake_case, non_camel_case_types, dead_code)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        pub struct #action_names { #(pub #action_name_fields: #action_markers,)* }

        #[doc(hidden)]
        // Its fields are the queries' names, which start with `_`.
        #[allow(non_snake_case, non_camel_case_types, dead_code, clippy::pub_underscore_fields)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        pub struct #query_names { #(pub #query_name_fields: #query_markers,)* }

        // The names of the concept's actions and queries, checked by `sync!`.
        impl #p::ConceptNames for #self_ty {
            type Actions = #action_names;
            type Queries = #query_names;
            const ACTIONS: #action_names = #action_names { #(#action_name_fields: #action_markers,)* };
            const QUERIES: #query_names = #query_names { #(#query_name_fields: #query_markers,)* };
        }

        #accessors
    }
}

fn input_variant(operation: &Operation, what: &str) -> TokenStream {
    let variant = &operation.name;
    let docs = &operation.docs;
    let fields = operation.inputs.iter().map(|input| {
        let name = &input.name;
        let ty = &input.ty;
        let doc = format!("Input `{name}` of the {what} `{variant}`.");
        quote!(#[doc = #doc] #name: #ty)
    });
    if docs.is_empty() {
        let doc = format!("The {what} `{variant}`.");
        quote!(#[doc = #doc] #variant { #(#fields),* })
    } else {
        quote!(#(#docs)* #variant { #(#fields),* })
    }
}

/// What `sync!` reaches an action or query through, by value, so that a
/// misspelled name is one error (`no field` on the names struct) and nothing
/// after it: a marker with a typed builder, whose inputs are given through
/// the input names struct (a misnamed input is `no field` there, a missing
/// one an error at `into_invocation` naming it), a view of the inputs
/// (actions), and accessors for the outcome (actions) or the rows
/// (queries).
fn accessors(concept: &Concept, operation: &Operation, is_action: bool) -> TokenStream {
    let p = crate::runtime::private_at(proc_macro2::Span::call_site());
    let name = &concept.name;
    let op = &operation.name;
    let marker = format_ident!("{}_{}_Marker", name, op);
    // Named for what rustc's errors about them say to a user: a misspelled
    // input in `when` is "no field `usrname` on type
    // `Accounts_register_inputs`", one in `then` or in a query "no field
    // `usr` on type `Sessions_create_input_names`", and a missing one is
    // "`Sessions_create_call<Missing<user>>`" if the bound is not named.
    let builder = format_ident!("{}_{}_call", name, op);
    let view = format_ident!("{}_{}_inputs", name, op);
    let input_names = format_ident!("{}_{}_input_names", name, op);
    let fields_mod = format_ident!("__syncs_inputs_{}_{}", name, op);
    let target = if is_action {
        generated_enum(name, "Action")
    } else {
        generated_enum(name, "Query")
    };
    let self_ty = &concept.self_ty;
    let op_text = op.to_string();
    let action_ref = if is_action {
        quote!(#p::ActionRef::of::<#self_ty>(#op_text))
    } else {
        quote!(#p::ActionRef::query::<#self_ty>(#op_text))
    };
    let inputs: Vec<&Ident> = operation.inputs.iter().map(|input| &input.name).collect();
    let types: Vec<&syn::Type> = operation.inputs.iter().map(|input| &input.ty).collect();
    let params: Vec<Ident> = (0..inputs.len())
        .map(|index| format_ident!("__P{}", index))
        .collect();
    let missing: Vec<TokenStream> = inputs
        .iter()
        .map(|input| quote!(#p::Missing<#fields_mod::#input>))
        .collect();
    // One trait per input, so that a missing input is reported by name.
    let kind = if is_action { "action" } else { "query" };
    let needs: Vec<Ident> = inputs
        .iter()
        .map(|input| format_ident!("needs_{}", input))
        .collect();
    // Generic over the input's type, which is named only outside the
    // module: inside it, the structs named after the inputs would shadow a
    // path such as `url::Url` for `url`, and `super::` cannot reach types
    // declared in a function body (a concept in a test or a doctest).
    let needs_traits = inputs.iter().zip(&needs).map(|(input, need)| {
        let message = format!("the {kind} `{name}.{op}` needs the input `{input}`");
        let label = format!("`{input}` is missing here");
        let note = format!("give it in the parentheses: `{name}.{op} ({input})` or `({input}: value)`");
        quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #need<T> { fn value(self) -> T; }
            #[diagnostic::do_not_recommend]
            impl<T> #need<T> for #p::Given<T> { fn value(self) -> T { self.0 } }
        }
    });
    // Each input's value is given through the input's name as a field of
    // `#input_names` (`names.user.give(builder, value)`): a misspelled input
    // is then rustc's "no field `usr` on type `Sessions_create_input_names`",
    // which names the inputs there are, and nothing after it.
    let givers = inputs.iter().enumerate().map(|(index, input)| {
        let ty = types[index];
        let result_params = params.iter().enumerate().map(|(other, param)| {
            if other == index {
                quote!(#p::Given<#ty>)
            } else {
                quote!(#param)
            }
        });
        let moved = inputs.iter().enumerate().map(|(other, field)| {
            if other == index {
                quote!(#field: #p::Given(value))
            } else {
                quote!(#field: builder.#field)
            }
        });
        // At the input in the concept's source: rustc's note on a value of
        // the wrong type ("method defined here") then shows the input.
        let give = format_ident!("give", span = input.span());
        quote! {
            impl #fields_mod::#input {
                /// Gives this input to the builder.
                #[allow(private_interfaces, clippy::unused_self, clippy::needless_pass_by_value)]
                pub fn #give<#(#params),*>(self, builder: #builder<#(#params),*>, value: #ty) -> #builder<#(#result_params),*> {
                    #builder { #(#moved),* }
                }
            }
        }
    });
    // Actions: a trait that the error form implements unless the action is
    // `#[infallible]`, so that a sync matching its error is told so by name.
    let error_outcome_trait = if is_action {
        let message = format!("the action `{name}.{op}` has no error outcome: it is marked `#[infallible]`");
        let label = format!("`{name}.{op}` never ends in an error");
        let note = format!(
            "match its success form only, or take `#[infallible]` off `{op}` in `{name}` if it can fail"
        );
        // The trait has an implementation either way (for `Never`, hidden
        // from diagnostics), so that rustc does not suggest adding one.
        let implementor = if operation.infallible {
            quote!(__Never)
        } else {
            quote!(__ErrorForm)
        };
        // Spanned at the action's name, so that rustc's notes point at the
        // action in the concept's source.
        let has_error_outcome = format_ident!("__has_error_outcome", span = op.span());
        let error_form = format_ident!("__ErrorForm", span = op.span());
        let error_form_declaration = quote_spanned!(op.span()=>
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            pub struct #error_form;
        );
        // And one that the success form implements unless it is `()`, so
        // that a sync reading output fields of such an action (usually
        // its inputs, written after the colon) is told what to write.
        let fields_message = format!("the action `{name}.{op}` succeeds with no output fields");
        let fields_label = format!("`{name}.{op}` gives no fields when it succeeds");
        let input_list = operation
            .inputs
            .iter()
            .map(|input| input.name.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let fields_note = format!(
            "match its success with `: ()`; its inputs go in the parentheses before it: \
             `{name}.{op} ({input_list}) : ()`"
        );
        let success_implementor = if is_unit(&operation.output) {
            quote!(__Never)
        } else {
            quote!(__SuccessForm)
        };
        let has_output_fields = format_ident!("__has_output_fields", span = op.span());
        let success_form = format_ident!("__SuccessForm", span = op.span());
        let success_form_declaration = quote_spanned!(op.span()=>
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            pub struct #success_form;
        );
        quote! {
            /// The error form of this action, as `sync!` names it.
            #error_form_declaration
            /// The success form of this action, as `sync!` names it.
            #success_form_declaration
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            pub enum __Never {}
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #has_error_outcome {}
            #[diagnostic::do_not_recommend]
            impl __has_error_outcome for #implementor {}
            #[diagnostic::on_unimplemented(message = #fields_message, label = #fields_label, note = #fields_note)]
            pub trait #has_output_fields<T> {
                /// The success outcome `T`, whose fields a sync reads.
                type Fields;
            }
            // Generic, so that the success type is not named here (it may
            // be private to the crate, which a public item's associated
            // type cannot be).
            #[diagnostic::do_not_recommend]
            impl<T> __has_output_fields<T> for #success_implementor {
                type Fields = T;
            }
        }
    } else {
        TokenStream::new()
    };
    let view_items = if is_action {
        let has_error_outcome = format_ident!("__has_error_outcome", span = op.span());
        let outcome_enum = generated_enum(name, "Outcome");
        let success = &operation.output;
        // At the action's name: rustc's note on a sync matching the error
        // of an `#[infallible]` action points at the bound, which is then
        // the action in the concept's source instead of everything from
        // `#[concept]` to it.
        // Spanned so, it is linted as the user's code: strict crates' lints
        // about its shape are allowed here.
        let module_at_action = Ident::new(&fields_mod.to_string(), op.span());
        let expect_error_outcome = quote_spanned!(op.span()=>
            /// Compiles only if the action has an error outcome.
            #[allow(unreachable_pub, clippy::unused_self, clippy::needless_pass_by_value)]
            pub fn expect_error_outcome<E: #module_at_action::#has_error_outcome>(self, _form: E) {}
        );
        let has_output_fields = format_ident!("__has_output_fields", span = op.span());
        // Its result's type is the trait's: when the bound fails (the
        // action succeeds with `()`), rustc cannot name it, and the field
        // reads after it add no errors of their own.
        let expect_output_fields = quote_spanned!(op.span()=>
            /// The success outcome, whose fields a sync reads; compiles only
            /// if the action's success form has fields.
            #[allow(unreachable_pub, clippy::unused_self, clippy::needless_pass_by_value)]
            pub fn success_fields<'a, S: #module_at_action::#has_output_fields<#success, Fields = #success>>(
                self,
                _form: S,
                success: &'a #success,
            ) -> &'a <S as #module_at_action::#has_output_fields<#success>>::Fields {
                success
            }
        );
        quote! {
            #[doc(hidden)]
            // Its fields are the inputs' names, which may start with `_`.
            #[allow(non_camel_case_types, dead_code, clippy::pub_underscore_fields)]
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            pub struct #view<'a> { #(pub #inputs: &'a #types,)* #[doc(hidden)] pub __lifetime: ::core::marker::PhantomData<&'a ()> }

            #[allow(clippy::used_underscore_binding)]
            impl #marker {
                /// The typed input and outcome of `record`, if it is this
                /// concept's.
                pub fn typed<'r>(self, record: &'r #p::Record) -> ::core::option::Option<(&'r #target, &'r #outcome_enum)> {
                    record.typed::<#self_ty>()
                }
                /// The inputs of this action, if `action` is one.
                pub fn view<'a>(self, action: &'a #target) -> ::core::option::Option<#view<'a>> {
                    #[allow(unreachable_patterns)]
                    match action {
                        #target::#op { #(#inputs),* } => ::core::option::Option::Some(#view { #(#inputs,)* __lifetime: ::core::marker::PhantomData }),
                        _ => ::core::option::Option::None,
                    }
                }
                /// This action's error form, for `expect_error_outcome`.
                pub fn error_form(self) -> #fields_mod::__ErrorForm {
                    #fields_mod::__ErrorForm
                }
                #expect_error_outcome
                /// This action's success form, for `success_fields`.
                pub fn success_form(self) -> #fields_mod::__SuccessForm {
                    #fields_mod::__SuccessForm
                }
                #expect_output_fields
                /// The outcome of this action, if `outcome` is one.
                pub fn outcome<'a>(self, outcome: &'a #outcome_enum) -> ::core::option::Option<&'a ::core::result::Result<#success, #p::ErrorOutcome>> {
                    #[allow(unreachable_patterns)]
                    match outcome {
                        #outcome_enum::#op(result) => ::core::option::Option::Some(result),
                        _ => ::core::option::Option::None,
                    }
                }
            }
        }
    } else {
        let rows_enum = generated_enum(name, "Rows");
        let row = &operation.output;
        quote! {
            impl #marker {
                /// Runs this query, `query`, in the engine of `input`.
                pub async fn run(self, input: &#p::EvalInput<'_>, query: #target) -> ::core::result::Result<#rows_enum, #p::InternalError> {
                    input.query::<#self_ty>(query).await
                }
                /// The rows of this query, if `rows` are its.
                pub fn rows(self, rows: #rows_enum) -> ::core::option::Option<::std::vec::Vec<#row>> {
                    #[allow(unreachable_patterns)]
                    match rows {
                        #rows_enum::#op(rows) => ::core::option::Option::Some(rows),
                        _ => ::core::option::Option::None,
                    }
                }
            }
        }
    };
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, non_snake_case, dead_code, unreachable_pub)]
        pub mod #fields_mod {
            #(
                /// Names a missing input in compile errors.
                #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
                pub struct #inputs;
            )*
            #(#needs_traits)*
            #error_outcome_trait
        }

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        pub struct #marker;

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #[derive(::core::fmt::Debug)]
        pub struct #builder<#(#params),*> { #(#inputs: #params),* }

        #[doc(hidden)]
        // Its fields are the inputs' names, which may start with `_`.
        #[allow(non_camel_case_types, dead_code, clippy::pub_underscore_fields)]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        pub struct #input_names { #(pub #inputs: #fields_mod::#inputs,)* }

        impl #marker {
            /// A builder with no input given yet.
            pub fn builder(self) -> #builder<#(#missing),*> {
                #builder { #(#inputs: #p::Missing::new()),* }
            }
            /// The inputs' names, through which a sync gives their values.
            pub fn input_names(self) -> #input_names {
                #input_names { #(#inputs: #fields_mod::#inputs,)* }
            }
            /// This action or query, as the engine refers to it.
            pub fn action_ref(self) -> #p::ActionRef {
                #action_ref
            }
        }

        #(#givers)*

        #[allow(non_camel_case_types)]
        impl<#(#params),*> #builder<#(#params),*> {

            /// The action (or query) once every input is given.
            #[allow(private_interfaces)]
            pub fn into_invocation(self) -> #target
            where
                #(#params: #fields_mod::#needs<#types>,)*
            {
                #target::#op { #(#inputs: #fields_mod::#needs::<#types>::value(self.#inputs)),* }
            }
        }

        #view_items
    }
}

/// The name of one of a concept's generated enums (`kind`: `Action`,
/// `Outcome`, `Query` or `Rows`). It is not the name users write
/// (`SessioningAction`, an alias of it), so that a user's type of that name
/// collides with the alias alone and not with the code that uses the enum.
fn generated_enum(concept: &Ident, kind: &str) -> Ident {
    format_ident!("__Syncs{}{}", concept, kind)
}

/// A span at the user's type for rustc's errors about it, with the macro's
/// hygiene: the names the generated code binds (`result`) stay its own even
/// when the type comes from a `macro_rules!` of the user's.
fn at_user_type(ty: &syn::Type) -> proc_macro2::Span {
    proc_macro2::Span::call_site().located_at(ty.span())
}

/// Whether `ty` is `()`.
fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty())
}
