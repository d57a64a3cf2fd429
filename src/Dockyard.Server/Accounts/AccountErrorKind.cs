namespace Dockyard.Server.Accounts;

/// <summary>Why an account operation was refused; the API maps these to 400, 404 and 409.</summary>
internal enum AccountErrorKind
{
    Invalid,
    NotFound,
    Conflict,
}
