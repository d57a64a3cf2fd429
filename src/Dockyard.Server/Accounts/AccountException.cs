using Dockyard.Server.Audit;

namespace Dockyard.Server.Accounts;

/// <summary>
/// A refused account operation. The message is written for the client (it never contains secrets);
/// <see cref="Field"/> names the offending request field for validation errors.
/// </summary>
internal sealed class AccountException : Exception, IDomainError
{
    private AccountException(AccountErrorKind kind, string message, string? field)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public AccountErrorKind Kind { get; }

    public string? Field { get; }

    public static AccountException Invalid(string field, string message) => new(AccountErrorKind.Invalid, message, field);

    public static AccountException NotFound(string message) => new(AccountErrorKind.NotFound, message, null);

    public static AccountException Conflict(string message) => new(AccountErrorKind.Conflict, message, null);

    public static AccountException Forbidden(string message) => new(AccountErrorKind.Forbidden, message, null);
}
