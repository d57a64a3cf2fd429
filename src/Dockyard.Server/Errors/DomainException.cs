namespace Dockyard.Server.Errors;

/// <summary>
/// A refused operation of a server feature (accounts, policies, webhooks, …). The message is written for the client
/// (it never contains secrets); <see cref="Field"/> names the offending request field for validation errors. Each
/// wire format translates the <see cref="Kind"/> in one place: ProblemDetails on <c>/api/v1</c>
/// (<c>Api/ApiProblems</c>), form messages in the UI.
/// </summary>
internal sealed class DomainException : Exception
{
    private DomainException(DomainErrorKind kind, string message, string? field)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public DomainErrorKind Kind { get; }

    public string? Field { get; }

    /// <summary>Machine-readable facts about the error (e.g. a Compose file's <c>file</c>, <c>line</c>, <c>column</c>), added to the ProblemDetails as extensions.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; private init; } = new Dictionary<string, object?>();

    /// <summary>The same error with <paramref name="extensions"/> added.</summary>
    public DomainException With(params ReadOnlySpan<(string Name, object? Value)> extensions)
    {
        var all = new Dictionary<string, object?>(Extensions, StringComparer.Ordinal);
        foreach (var (name, value) in extensions)
        {
            all[name] = value;
        }

        return new DomainException(Kind, Message, Field) { Extensions = all };
    }

    public static DomainException Invalid(string field, string message) => new(DomainErrorKind.Invalid, message, field);

    public static DomainException NotFound(string message) => new(DomainErrorKind.NotFound, message, null);

    public static DomainException Conflict(string message) => new(DomainErrorKind.Conflict, message, null);

    public static DomainException Forbidden(string message) => new(DomainErrorKind.Forbidden, message, null);

    public static DomainException Unauthenticated(string message) => new(DomainErrorKind.Unauthenticated, message, null);

    public static DomainException Unavailable(string message) => new(DomainErrorKind.Unavailable, message, null);
}
