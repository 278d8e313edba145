//! What a route module says of its operations for the OpenAPI document: [`Op`] and [`Param`],
//! plain data with no dependency on any route (each route module lists its own next to its
//! router, [`super::Resource`]).

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// Path segment.
    Path,
    /// Query string.
    Query,
    /// Request header.
    Header,
}

/// A documented parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name.
    pub name: &'static str,
    /// Location.
    pub location: In,
    /// Whether it is required.
    pub required: bool,
    /// Description.
    pub description: &'static str,
}

impl Param {
    /// A path parameter (always required).
    pub const fn path(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Path,
            required: true,
            description,
        }
    }
    /// An optional query parameter.
    pub const fn query(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Query,
            required: false,
            description,
        }
    }
    /// A required request header.
    pub const fn header(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Header,
            required: true,
            description,
        }
    }
    /// A required query parameter.
    pub const fn query_required(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Query,
            required: true,
            description,
        }
    }
}

/// A documented operation.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// `get` or `post`.
    pub method: &'static str,
    /// Path template as routed (`{code}`).
    pub path: &'static str,
    /// Summary.
    pub summary: &'static str,
    /// Parameters.
    pub params: &'static [Param],
    /// Accepted request body media types (POST).
    pub request_types: &'static [&'static str],
    /// Media type of the success response.
    pub response_type: &'static str,
    /// Status of the success response (200 unless set).
    pub success: u16,
    /// Whether the operation needs an editor's token (`Authorization: Bearer`): 401 and 403.
    pub auth: bool,
    /// Schema of the request body, by name in `components.schemas`.
    pub request_schema: Option<&'static str>,
    /// Schema of the success response, by name in `components.schemas`.
    pub response_schema: Option<&'static str>,
    /// Error statuses beyond 400 and 404 (409, 413, 422, 428 …).
    pub errors: &'static [u16],
}

impl Op {
    /// Defaults for an operation written as a struct literal (`..Op::BASE`): 200, no token,
    /// no schemas, no extra errors.
    pub const BASE: Op = Op::get("", "", &[], "application/json");

    /// A GET operation.
    pub const fn get(
        path: &'static str,
        summary: &'static str,
        params: &'static [Param],
        response_type: &'static str,
    ) -> Self {
        Self {
            method: "get",
            path,
            summary,
            params,
            request_types: &[],
            response_type,
            success: 200,
            auth: false,
            request_schema: None,
            response_schema: None,
            errors: &[],
        }
    }
    /// A POST operation.
    pub const fn post(
        path: &'static str,
        summary: &'static str,
        request_types: &'static [&'static str],
        response_type: &'static str,
    ) -> Self {
        Self {
            method: "post",
            path,
            summary,
            params: &[],
            request_types,
            response_type,
            success: 200,
            auth: false,
            request_schema: None,
            response_schema: None,
            errors: &[],
        }
    }
    /// A PATCH operation on a JSON body.
    pub const fn patch(path: &'static str, summary: &'static str) -> Self {
        Self {
            method: "patch",
            ..Self::post(path, summary, &["application/json"], "application/json")
        }
    }
    /// A DELETE operation on a JSON body.
    pub const fn delete(path: &'static str, summary: &'static str) -> Self {
        Self {
            method: "delete",
            ..Self::post(path, summary, &["application/json"], "application/json")
        }
    }
    /// With parameters.
    pub const fn params(self, params: &'static [Param]) -> Self {
        Self { params, ..self }
    }
    /// Needing an editor's token.
    pub const fn auth(self) -> Self {
        Self { auth: true, ..self }
    }
    /// With the success status.
    pub const fn success(self, success: u16) -> Self {
        Self { success, ..self }
    }
    /// With request and response schemas (names in `components.schemas`).
    pub const fn schemas(
        self,
        request: Option<&'static str>,
        response: Option<&'static str>,
    ) -> Self {
        Self {
            request_schema: request,
            response_schema: response,
            ..self
        }
    }
    /// With more error statuses.
    pub const fn errors(self, errors: &'static [u16]) -> Self {
        Self { errors, ..self }
    }
}
