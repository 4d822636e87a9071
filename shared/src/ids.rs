//! Typed ids: a `UserId` can never be passed where an `OrgId` is expected.

/// Declares a UUID newtype with the conversions every id needs (display, parse,
/// serde as a plain UUID string, OpenAPI as `string/uuid`).
#[macro_export]
macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new random (time-ordered, v7) id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(
    /// A person who can log in (any role).
    UserId
);
typed_id!(
    /// A client organisation (or the platform's own).
    OrgId
);
typed_id!(
    /// An event written to an outbox.
    EventId
);
