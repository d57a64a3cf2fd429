namespace Dockyard.Server.Errors;

/// <summary>Why an operation was refused; the API maps these to 400, 404, 409, 403, 401 and 503.</summary>
internal enum DomainErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>The caller is anonymous and the operation needs credentials (401 with a challenge on the API).</summary>
    Unauthenticated,

    /// <summary>Something Dockyard depends on (a Docker engine) could not be reached or failed: 503, retry later.</summary>
    Unavailable,
}
