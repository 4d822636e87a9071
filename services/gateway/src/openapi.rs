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

/// Serves the finished document.
pub fn router(doc: OpenApiDoc) -> Router {
    let doc = Arc::new(doc);
    Router::new().route(
        "/api/openapi.json",
        get(move || {
            let doc = Arc::clone(&doc);
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    )
}
