//! The OpenAPI 3.1 description, generated from the handlers' annotations and
//! served at `/api/openapi.json`.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use utoipa::Modify;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The document's fixed parts; paths come from each service's router.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Taiwa API",
        description = "Confidential career consultations with external, nationally certified career consultants. Errors are {\"error\": {\"code\", \"message\"}}.",
    ),
    modifiers(&BearerAuth),
    components(schemas(shared::error::ErrorBody)),
    tags(
        (name = "identity", description = "Orgs, people, login, tokens, invitations"),
        (name = "matching", description = "Assessment, candidates, search"),
        (name = "booking", description = "Availability, bookings, credits"),
        (name = "reporting", description = "De-identified organisational reports"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Statuses the shared HTTP stack can answer on any route, added to every
/// operation that does not document them itself (all in the error shape):
/// 400 malformed input, 401 without a valid token (secured routes), 404 no
/// such object or one the caller may not know of (routes with an id), 408 the
/// request timed out, 413 the body is too large and 415 it is not JSON (routes
/// with a body), 422 invalid values (routes with parameters or a body), and
/// 500 an unexpected error (no detail is sent).
fn add_common_responses(doc: &mut OpenApiDoc) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
    };
    use utoipa::openapi::RefOr;
    use utoipa::openapi::path::ParameterIn;
    let in_path = |params: &Option<Vec<RefOr<utoipa::openapi::path::Parameter>>>| {
        params.iter().flatten().any(|p| match p {
            RefOr::T(p) => p.parameter_in == ParameterIn::Path,
            RefOr::Ref(_) => false,
        })
    };
    for item in doc.paths.paths.values_mut() {
        let path_params = item.parameters.as_ref().is_some_and(|p| !p.is_empty());
        let item_in_path = in_path(&item.parameters);
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let body = op.request_body.is_some();
            let params = path_params || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let object = item_in_path || in_path(&op.parameters);
            let common = [
                ("400", true, "Malformed request (bad JSON, query or path)"),
                ("401", secured, "No token, or an invalid or expired one"),
                (
                    "404",
                    object,
                    "No such object, or one the caller may not know of",
                ),
                ("408", true, "The request took too long"),
                ("413", body, "The body is too large"),
                ("415", body, "The body is not of a supported type"),
                (
                    "422",
                    params || body,
                    "Valid syntax but invalid values (the error names them)",
                ),
                ("500", true, "An unexpected error (no detail is sent)"),
            ];
            for (status, applies, description) in common {
                if applies {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description).into());
                }
            }
        }
    }
}

/// Makes every `operationId` unique (OpenAPI 3.1 §4.8.10.1 requires it;
/// handlers in different services share names such as `list` or `export`):
/// a name used more than once becomes its method and path, e.g.
/// `get_bookings` or `post_consultants_me_availability_overrides`.
fn unique_operation_ids(doc: &mut OpenApiDoc) {
    use std::collections::HashMap;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in doc.paths.paths.values() {
        for op in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
        {
            if let Some(id) = &op.operation_id {
                *seen.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let words: Vec<&str> = path
            .split('/')
            .filter(|w| !w.is_empty() && *w != "api" && *w != "v1" && !w.starts_with('{'))
            .collect();
        let named = |method: &str| {
            let mut id = format!("{method}_{}", words.join("_"));
            id.retain(|c| c.is_ascii_alphanumeric() || c == '_');
            id
        };
        for (method, op) in [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ] {
            if let Some(op) = op
                && op
                    .operation_id
                    .as_ref()
                    .is_none_or(|id| seen.get(id).copied().unwrap_or(0) > 1)
            {
                op.operation_id = Some(named(method));
            }
        }
    }
    // Should a derived name meet another (`/x` and `/x/{id}`), number it.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            if let Some(id) = op.operation_id.as_mut() {
                let n = taken.entry(id.clone()).or_default();
                *n += 1;
                if *n > 1 {
                    id.push_str(&format!("_{n}"));
                }
            }
        }
    }
}

/// Serves the finished document (with the statuses every route can answer).
pub fn router(mut doc: OpenApiDoc) -> Router {
    add_common_responses(&mut doc);
    unique_operation_ids(&mut doc);
    let doc = Arc::new(doc);
    Router::new().route(
        "/api/openapi.json",
        get(move || {
            let doc = Arc::clone(&doc);
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
}
