namespace Dockyard.Server.Accounts;

/// <summary>Why an account operation was refused; the API maps these to 400, 404, 409 and 403.</summary>
internal enum AccountErrorKind
{
    Invalid,
    NotFound,
    Conflict,

    /// <summary>The caller may not do this (raised by the audited operations' authorization step).</summary>
    Forbidden,
}
