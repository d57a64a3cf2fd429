namespace Dockyard.Server.Errors;

/// <summary>Why an operation was refused; the API maps these to 400, 404, 409 and 403.</summary>
internal enum DomainErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}
