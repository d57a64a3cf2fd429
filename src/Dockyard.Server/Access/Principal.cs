namespace Dockyard.Server.Access;

/// <summary>
/// Who is making a request, once authenticated. Authorization asks what this principal may do; an access
/// token's <see cref="Scopes"/>, when present, can only narrow that, never widen it.
/// </summary>
internal sealed record Principal
{
    public static readonly Principal Anonymous = new() { Kind = PrincipalKind.Anonymous, Name = "anonymous", AuthMethod = AuthMethods.Anonymous };

    /// <summary>The explicit caller of CLI verbs and jobs (whoever can run them already owns the data directory).</summary>
    public static readonly Principal System = new() { Kind = PrincipalKind.System, Name = "system", IsAdmin = true, AuthMethod = AuthMethods.System };

    public required PrincipalKind Kind { get; init; }

    /// <summary>Username, or <c>organization/service-account</c> for a service account.</summary>
    public required string Name { get; init; }

    public long? UserId { get; init; }

    public long? ServiceAccountId { get; init; }

    /// <summary>The organization a service account belongs to.</summary>
    public long? OrganizationId { get; init; }

    public bool IsAdmin { get; init; }

    /// <summary>How the principal proved who it is (see <see cref="AuthMethods"/>).</summary>
    public required string AuthMethod { get; init; }

    /// <summary>Restrictions of the access token used; null when the principal's full rights apply.</summary>
    public IReadOnlyList<TokenScope>? Scopes { get; init; }

    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;
}
